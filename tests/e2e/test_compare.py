"""/compare: opt-in, nothing below 20 people, medians of shares and never anyone's figures."""

from __future__ import annotations

from statistics import median

from tests.support.harness import Penny

ALICE = 1001
OTHERS = range(5001, 5020)  # 19 more people


async def join(penny: Penny, user_id: int) -> str:
    offer = await penny.say(user_id, "/compare")
    await penny.press(user_id, offer, "Join")
    while True:
        reply = await penny.reply(user_id)
        if reply.event == "sendMessage":
            return reply.text or ""


async def test_compare_is_opt_in_and_refuses_below_twenty(penny: Penny) -> None:
    offer = await penny.say(ALICE, "/compare")
    assert "never amounts" in offer.text and "at least 20 people" in offer.text
    await penny.say(ALICE, "groceries 40")
    await penny.say(ALICE, "rent 60")
    for i, user in enumerate(OTHERS):
        await penny.say(user, f"groceries {10 + i}.37")
        await penny.say(user, f"rent {90 - i}.11")
    # Everyone spends, but only 19 opted in (Alice among them): nothing is shown.
    for user in OTHERS[:18]:
        assert "Not enough people" in await join(penny, user)
    refused = await join(penny, ALICE)
    assert "Not enough people with USD have joined yet — it needs 20" in refused
    assert "%" not in refused

    # The 20th: now there is a median to show, of shares only.
    await join(penny, OTHERS[18])
    shown = (await penny.say(ALICE, "/compare")).text or ""
    groceries = [(10 + i + 0.37) / (100 + 0.26) for i in range(19)] + [0.4]
    rent = [1 - g for g in groceries]
    assert "median of 20 people with USD" in shown
    assert f"Housing: you 60% · typical {round(median(rent) * 100)}%" in shown
    assert f"Groceries: you 40% · typical {round(median(groceries) * 100)}%" in shown
    for amount in ("10.37", "90.11", "40.00", "60"):
        assert amount + " " not in shown and amount + ".00" not in shown

    # Leaving takes Alice out; the others drop below 20 again.
    left = await penny.say(ALICE, "/compare off")
    assert "You've left /compare" in left.text
    assert "Not enough people" in (await penny.say(OTHERS[0], "/compare")).text


async def test_nineteen_accounts_of_one_person_learn_nothing_of_the_twentieth(
    penny: Penny,
) -> None:
    # One person's 19 test accounts: ten spend only on groceries, nine only on rent. With
    # Alice as the twentieth, the plain median would be half-way between her share and 100%.
    sybils = range(6001, 6020)
    for i, user in enumerate(sybils):
        await penny.say(user, "groceries 50" if i < 10 else "rent 50")
    await penny.say(ALICE, "groceries 37")
    await penny.say(ALICE, "rent 63")
    for user in sybils:
        await join(penny, user)
    await join(penny, ALICE)
    before = (await penny.say(sybils[0], "/compare")).text or ""
    assert "median of 20 people" in before and "Groceries: you 100%" in before
    await penny.say(ALICE, "groceries 200")  # her share goes from 37% to 79%
    after = (await penny.say(sybils[0], "/compare")).text or ""
    assert after == before
