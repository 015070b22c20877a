"""A household in a group chat, end to end: one shared ledger, splits, debts and settling.

The group lives in the embedded Bot API server (``fake.groups``), which delivers group messages
as Telegram does: with privacy mode on, only commands, replies to Penny and mentions.
"""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
from sqlalchemy import select

from handlers.runtime import BOT_DATA_KEY
from models.tables import Member, Share, Transaction
from tests.support.harness import Penny

ALICE, BEN, CLEO = 1001, 1002, 1003
BOB = 2002  # never in the group
HOME = -4001
NAMES = {ALICE: ("Alice", "alice"), BEN: ("Ben", "ben"), CLEO: ("Cleo", None), BOB: ("Bob", "bob")}


async def open_home(penny: Penny, *, members: tuple[int, ...] = (BEN,), admin: bool = False) -> str:
    """Alice makes the group "Home" with ``members`` and adds Penny; returns the welcome."""
    for user, (name, username) in NAMES.items():
        penny.fake.register_user(user, first_name=name, username=username)
    penny.fake.groups.create(HOME, "Home", owner=ALICE, members=members, bot_admin=admin)
    welcome = await penny.fake.next_reply(HOME)
    return welcome.text or ""


async def say_home(penny: Penny, user: int, text: str) -> str:
    await penny.fake.send_text(user, text, chat_id=HOME)
    return (await penny.fake.next_reply(HOME)).text or ""


async def home_message(penny: Penny, user: int, text: str):  # type: ignore[no-untyped-def]
    await penny.fake.send_text(user, text, chat_id=HOME)
    return await penny.fake.next_reply(HOME)


async def answer_to(penny: Penny, query_id: str) -> str:
    """The text a button press was answered with, once the bot answered it."""
    deadline = asyncio.get_running_loop().time() + 10
    while query_id not in penny.fake.callback_answers:
        assert asyncio.get_running_loop().time() < deadline, "the press was never answered"
        await asyncio.sleep(0.02)
    return str(penny.fake.callback_answers[query_id].get("text") or "")


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


async def shares(penny: Penny) -> list[tuple[int, int]]:
    """(payer's Telegram id, share in minor units) of every stored share, by member order."""
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        rows = await session.execute(
            select(Member.person_id, Share.amount_minor)
            .join(Member, Member.id == Share.member_id)
            .order_by(Share.transaction_id, Member.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


# --- logging together, private ledgers apart ---


async def test_two_members_log_and_the_group_sees_both_but_never_a_private_ledger(
    penny: Penny,
) -> None:
    welcome = await open_home(penny, admin=True)
    assert "Home" in welcome and "/add groceries 80" in welcome and "Members: Alice" in welcome
    assert "privacy mode" not in welcome  # as an admin, Penny reads the group
    await penny.say(ALICE, "coffee 4.50")  # Alice's own, in private
    await penny.say(BEN, "taxi 30")

    receipt = await say_home(penny, ALICE, "groceries 80")  # free text: Penny reads the group
    assert "80.00 USD" in receipt and "paid by Alice" in receipt
    receipt = await say_home(penny, BEN, "/add pizza 45")
    assert "45.00 USD" in receipt and "paid by Ben" in receipt
    await penny.fake.send_text(BEN, "see you tonight!", chat_id=HOME)  # chatter: no answer
    await penny.fake.no_reply(HOME)

    balance = await say_home(penny, BEN, "/balance")
    assert "Expenses: 125.00 USD" in balance
    assert "Alice 64%" in balance and "Ben 36%" in balance
    assert "4.50" not in balance and "30.00" not in balance
    history = await say_home(penny, ALICE, "/history")
    assert "Groceries" in history and "pizza" in history and "coffee" not in history
    assert history.count("pizza") == 1 and "pizza · paid by Ben" in history  # once, with its payer

    await penny.fake.send_text(ALICE, "/export", chat_id=HOME)
    export = await penny.fake.next_reply(HOME)
    assert export.document is not None
    rows = csv_rows(export.document.content)
    assert rows[0] == ["date", "type", "amount", "currency", "category", "note", "member"]
    assert sorted((r[2], r[5], r[6]) for r in rows[1:]) == [
        ("45.00", "pizza", "Ben"),
        ("80.00", "groceries", "Alice"),
    ]

    # The private chats show nothing of the group's, except each one's own share in Home.
    private = (await penny.say(ALICE, "/balance")).text or ""
    assert "Expenses: 4.50 USD" in private
    assert "Your share in Home this month: 80.00 USD" in private
    private_history = (await penny.say(BEN, "/history")).text or ""
    assert "taxi" in private_history and "pizza" not in private_history
    private_export = await penny.say(ALICE, "/export")
    assert private_export.document is not None
    assert csv_rows(private_export.document.content)[0][-1] == "note"  # no member column
    assert len(csv_rows(private_export.document.content)) == 2


async def test_a_group_export_imports_into_a_private_ledger(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, ALICE, "/add groceries 80")
    await penny.fake.send_text(ALICE, "/export", chat_id=HOME)
    export = (await penny.fake.next_reply(HOME)).document
    assert export is not None
    await penny.fake.send_document(BOB, export.filename, export.content)
    preview = await penny.reply(BOB)
    assert "1 transaction" in (preview.text or "")
    await penny.press(BOB, preview, "Import 1")
    assert "Imported 1" in ((await penny.reply(BOB)).text or "")
    [row] = await penny.rows(BOB)
    assert (row.amount_minor, row.note, row.member_id) == (8000, "groceries", None)


# --- splits, debts, settling ---


async def test_a_split_makes_debts_and_settle_clears_them(penny: Penny) -> None:
    await open_home(penny, members=(BEN, CLEO))
    for user in (BEN, CLEO):
        await say_home(penny, user, "/start")  # everyone who writes becomes a member
    receipt = await say_home(penny, ALICE, "/add dinner 100 split")
    assert "split 3 ways" in receipt
    # 100.00 in three: the odd cent goes to one share, and the shares add up.
    assert sorted(m for _, m in await shares(penny)) == [3333, 3333, 3334]
    debts = await say_home(penny, BEN, "/debts")
    owed = {p: m for p, m in await shares(penny)}
    ben, cleo = f"{owed[BEN] / 100:.2f}", f"{owed[CLEO] / 100:.2f}"
    assert f"Ben → Alice: {ben} USD" in debts and f"Cleo → Alice: {cleo} USD" in debts

    offer = await home_message(penny, CLEO, "/settle")
    await penny.fake.press(
        CLEO,
        offer.message_id,
        offer.button(f"Cleo paid Alice {cleo}").callback_data or "",
        chat_id=HOME,
    )
    after = (await penny.fake.next_reply(HOME)).text or ""
    assert f"Cleo paid Alice {cleo} USD" in after and "Cleo →" not in after
    assert f"Ben → Alice: {ben} USD" in after
    # The same button again (a double tap, or a re-delivered press) records nothing more.
    again = await penny.fake.press(
        CLEO,
        offer.message_id,
        offer.button(f"Cleo paid Alice {cleo}").callback_data or "",
        chat_id=HOME,
    )
    assert "expired" in await answer_to(penny, again)
    assert "Ben → Alice" in await say_home(penny, ALICE, "/debts")

    settled = await say_home(penny, BEN, f"/settle {ben} @alice")
    assert f"Ben paid Alice {ben} USD" in settled and "Everyone is square" in settled
    assert "Everyone is square" in await say_home(penny, CLEO, "/debts")


async def test_split_with_some_and_the_split_button(penny: Penny) -> None:
    await open_home(penny, members=(BEN, CLEO))
    for user in (BEN, CLEO):
        await say_home(penny, user, "/start")
    receipt = await say_home(penny, ALICE, "/split 90 taxi @ben")
    assert "split 2 ways" in receipt
    assert "Ben → Alice: 45.00 USD" in await say_home(penny, CLEO, "/debts")
    unknown = await say_home(penny, ALICE, "/split 20 cake @nobody")
    assert "@nobody" in unknown and "Nothing was saved" in unknown

    message = await home_message(penny, CLEO, "/add wine 30")
    await penny.fake.press(
        CLEO, message.message_id, message.button("Split").callback_data or "", chat_id=HOME
    )
    split = await penny.fake.next_reply(HOME)
    assert "split 3 ways" in (split.text or "") and split.button("Unsplit")
    debts = await say_home(penny, ALICE, "/debts")
    # Alice is owed 45 (taxi) and owes 10 (wine): Ben pays her 35 and Cleo 10, in two transfers.
    assert "Ben → Alice: 45.00 USD" not in debts
    assert debts.count("→") == 2
    await penny.fake.press(
        CLEO, split.message_id, split.button("Unsplit").callback_data or "", chat_id=HOME
    )
    await penny.fake.next_reply(HOME)
    assert "Ben → Alice: 45.00 USD" in await say_home(penny, ALICE, "/debts")


async def test_editing_a_split_shares_the_new_amount(penny: Penny) -> None:
    await open_home(penny, admin=True)
    await say_home(penny, BEN, "/start")
    sent = await penny.fake.send_text(ALICE, "dinner 60 split", chat_id=HOME)
    assert "split 2 ways" in ((await penny.fake.next_reply(HOME)).text or "")
    await penny.fake.edit_text(ALICE, sent["message_id"], "dinner 80 split", chat_id=HOME)
    assert "80.00 USD" in ((await penny.fake.next_reply(HOME)).text or "")
    assert sorted(m for _, m in await shares(penny)) == [4000, 4000]
    assert "Ben → Alice: 40.00 USD" in await say_home(penny, ALICE, "/debts")


async def test_a_redelivered_split_is_stored_once(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, BEN, "/start")
    sent = await penny.fake.send_text(ALICE, "/add dinner 50 split", chat_id=HOME)
    await penny.fake.next_reply(HOME)
    penny.fake.inject_update({"message": sent})  # Telegram delivers the same message again
    await penny.fake.next_reply(HOME)
    assert await penny.count(HOME) == 1
    assert sorted(m for _, m in await shares(penny)) == [2500, 2500]


# --- who may act ---


@pytest.mark.parametrize("admin", [True, False], ids=["chat_member", "service message"])
async def test_someone_who_left_keeps_their_share_and_loses_access(
    penny: Penny, admin: bool
) -> None:
    await open_home(penny, members=(BEN,), admin=admin)
    await say_home(penny, BEN, "/start")
    receipt = await home_message(penny, ALICE, "/add dinner 60 split")
    penny.fake.groups.remove_member(HOME, BEN)
    await penny.fake.wait_idle()
    # Ben presses Undo on the receipt he saw while he was in: nothing happens.
    query = await penny.fake.press(
        BEN, receipt.message_id, receipt.button("Undo").callback_data or "", chat_id=HOME
    )
    assert "Only members" in await answer_to(penny, query)
    assert await penny.count(HOME) == 1
    assert "Ben (left) → Alice: 30.00 USD" in await say_home(penny, ALICE, "/debts")
    # New splits are among those still here: Alice alone can't split.
    assert "at least one other member" in await say_home(penny, ALICE, "/add cake 20 split")


async def test_deleteme_in_private_leaves_a_former_member_in_the_household(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, BEN, "/add dinner 60 split")
    await penny.say(BEN, "coffee 3")
    privacy = await penny.say(BEN, "/privacy")
    assert "a former member" in (privacy.text or "")
    confirm = await penny.say(BEN, "/deleteme")
    await penny.press(BEN, confirm, "Erase everything")
    done = (await penny.reply(BEN)).text or ""
    assert "a former member" in done
    assert await penny.count(BEN) == 0
    assert "Alice → a former member: 30.00 USD" in await say_home(penny, ALICE, "/debts")
    await penny.fake.send_text(ALICE, "/export", chat_id=HOME)
    export = (await penny.fake.next_reply(HOME)).document
    assert export is not None
    [row] = csv_rows(export.content)[1:]
    assert row[-1] == "a former member"
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        assert await session.scalar(select(Member.id).where(Member.person_id == BEN)) is None


async def test_only_an_admin_erases_the_households_ledger(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, BEN, "/add dinner 60")
    await penny.say(BEN, "coffee 3")
    confirm = await home_message(penny, BEN, "/deleteme")
    assert "whole shared ledger" in (confirm.text or "")
    data = confirm.button("Erase").callback_data or ""
    query = await penny.fake.press(BEN, confirm.message_id, data, chat_id=HOME)
    assert "Only an admin" in await answer_to(penny, query)
    assert await penny.count(HOME) == 1
    await penny.fake.press(ALICE, confirm.message_id, data, chat_id=HOME)  # Alice made the group
    assert "erased this group's shared ledger" in ((await penny.fake.next_reply(HOME)).text or "")
    assert await penny.count(HOME) == 0
    assert await penny.count(BEN) == 1  # Ben's own ledger is his


async def test_undo_in_a_group_takes_back_only_your_own(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, ALICE, "/add groceries 80")
    assert "nothing to undo" in await say_home(penny, BEN, "/undo")
    assert "Groceries" in await say_home(penny, ALICE, "/undo")
    assert await penny.count(HOME) == 0


# --- privacy mode ---


async def test_with_privacy_mode_on_commands_replies_and_mentions_still_work(
    penny: Penny,
) -> None:
    welcome = await open_home(penny)
    assert "privacy mode" in welcome and "/setprivacy" in welcome and "admin" in welcome
    await penny.fake.send_text(ALICE, "groceries 80", chat_id=HOME)  # Telegram keeps it from Penny
    await penny.fake.wait_idle()
    await penny.fake.no_reply(HOME)
    assert await penny.count(HOME) == 0

    receipt = await home_message(penny, ALICE, "/add groceries 80")
    assert "80.00 USD" in (receipt.text or "")
    await penny.fake.send_text(BEN, "pizza 20", chat_id=HOME, reply_to=receipt.message_id)
    assert "20.00 USD" in ((await penny.fake.next_reply(HOME)).text or "")
    assert "12.00 USD" in await say_home(penny, BEN, "@penny_local_bot wine 12")
    assert "I didn't see an amount" in await say_home(penny, BEN, "@penny_local_bot hello")
    assert await penny.count(HOME) == 3

    # Made an admin, Penny reads the group from then on.
    penny.fake.groups.promote_bot(HOME, by=ALICE)
    assert "admin" in ((await penny.fake.next_reply(HOME)).text or "")
    assert "5.00 USD" in await say_home(penny, ALICE, "bread 5")


async def test_a_group_that_becomes_a_supergroup_keeps_its_ledger(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, ALICE, "/add groceries 80")
    new_id = penny.fake.groups.migrate(HOME, by=ALICE)
    deadline = asyncio.get_running_loop().time() + 10
    while await penny.count(new_id) != 1:  # the ledger moves on the migration's service message
        assert asyncio.get_running_loop().time() < deadline, "the ledger never moved"
        await asyncio.sleep(0.02)
    await penny.fake.send_text(BEN, "/balance", chat_id=new_id)
    assert "Expenses: 80.00 USD" in ((await penny.fake.next_reply(new_id)).text or "")
    assert await penny.count(HOME) == 0 and await penny.count(new_id) == 1
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        payers = await session.scalars(
            select(Member.person_id).join(Transaction, Transaction.member_id == Member.id)
        )
        assert list(payers) == [ALICE]


async def test_join_makes_a_member_only_of_someone_in_the_group(penny: Penny) -> None:
    await open_home(penny, members=(BEN, CLEO))
    welcome = penny.fake.chat_messages(HOME)[-1]
    join = welcome.button("Join").callback_data or ""
    query = await penny.fake.press(CLEO, welcome.message_id, join, chat_id=HOME)
    assert "Welcome, Cleo" in await answer_to(penny, query)
    edited = await penny.fake.next_reply(HOME)
    assert "Members: Alice, Cleo" in (edited.text or "")
    forged = await penny.fake.press(BOB, welcome.message_id, join, chat_id=HOME)
    assert "Only members" in await answer_to(penny, forged)  # Telegram says Bob isn't in it
    [shown] = [m for m in penny.fake.chat_messages(HOME) if m.message_id == welcome.message_id]
    assert (shown.text or "").endswith("Members: Alice, Cleo")
    # Ben is in the group but never wrote or joined: a split for everyone is Alice's and Cleo's.
    await say_home(penny, ALICE, "/add cake 15 split")
    assert "Cleo → Alice: 7.50 USD" in await say_home(penny, ALICE, "/debts")


async def test_an_entry_to_sort_is_paid_by_its_writer_whoever_files_it(penny: Penny) -> None:
    await open_home(penny)
    await say_home(penny, BEN, "/start")
    saved = await home_message(penny, ALICE, "/add 250")
    # Saved at once, in Other and still to sort, with Alice as the payer.
    assert "250.00 USD" in (saved.text or "") and "paid by Alice" in (saved.text or "")
    await penny.fake.press(
        BEN, saved.message_id, saved.button("Food").callback_data or "", chat_id=HOME
    )
    receipt = (await penny.fake.next_reply(HOME)).text or ""
    assert "Food" in receipt and "250.00 USD" in receipt and "paid by Alice" in receipt


async def test_a_members_kept_private_account_never_takes_a_group_entry(penny: Penny) -> None:
    """Private logging keeps the person's account in the process (models.services.quick); the
    group's ledger is another account, which a group message always opens afresh."""
    await open_home(penny, admin=True)
    accounts = penny.app.bot_data[BOT_DATA_KEY].accounts
    await penny.say(ALICE, "coffee 4.50")
    assert accounts.get(ALICE) is not None  # her own ledger is kept now
    receipt = await say_home(penny, ALICE, "coffee 3")  # the same words, in the group
    assert "paid by Alice" in receipt and "Food this month: 3.00 USD" in receipt
    assert accounts.get(HOME) is None  # a group's ledger is never kept
    await say_home(penny, ALICE, "/currency EUR")  # the household's setting, not hers
    private = (await penny.say(ALICE, "coffee 2")).text or ""
    assert "Food this month: 6.50 USD" in private and "paid by" not in private
    assert "Expenses: 3.00 USD" in await say_home(penny, BEN, "/balance")
    assert "Expenses: 6.50 USD" in ((await penny.say(ALICE, "/balance")).text or "")
    # And the group's next entry is in its own currency, whoever's account is kept.
    assert "Food this month: 5.00 EUR" in await say_home(penny, ALICE, "/add coffee 5")


async def test_the_households_budget_alerts_the_group_and_its_report_is_its_own(
    penny: Penny,
) -> None:
    await open_home(penny)
    await penny.say(ALICE, "rent 1500")  # her own: never in the household's figures
    assert "Groceries" in await say_home(penny, ALICE, "/budget groceries 100")
    receipt = await home_message(penny, BEN, "/add groceries 85")
    assert "paid by Ben" in (receipt.text or "")
    alert = (await penny.fake.next_reply(HOME)).text or ""  # in the group, after the receipt
    assert "Groceries" in alert and "reached 85%" in alert
    await penny.fake.no_reply(ALICE)  # nothing about the household in a member's private chat
    await penny.fake.no_reply(BEN)
    report = await say_home(penny, ALICE, "/report")
    assert "Expenses: 85.00 USD" in report and "1,500.00" not in report
    own = (await penny.say(ALICE, "/report")).text or ""
    assert "Expenses: 1,500.00 USD" in own and "85.00" not in own


async def test_a_question_in_the_group_is_answered_only_when_asked_of_penny(penny: Penny) -> None:
    await open_home(penny, admin=True)  # Penny reads every message in the group
    await say_home(penny, ALICE, "lunch 12")
    # Members asking each other: Penny keeps out of it.
    await penny.fake.send_text(BEN, "how much did I spend on food this month?", chat_id=HOME)
    await penny.fake.wait_idle()
    await penny.fake.no_reply(HOME)
    asked = await say_home(penny, BEN, "@penny_local_bot how much did I spend on food this month?")
    assert "Food this month: 12.00 USD (1 entry)" in asked
    assert await penny.count(HOME) == 1


async def test_export_json_in_the_group_is_the_households_and_in_private_ones_own(
    penny: Penny,
) -> None:
    import json

    await open_home(penny)
    await penny.say(ALICE, "coffee 4.50")
    await say_home(penny, BEN, "/add dinner 60 split")
    await penny.fake.send_text(ALICE, "/export json", chat_id=HOME)
    export = (await penny.fake.next_reply(HOME)).document
    assert export is not None
    tables = json.loads(export.content)["tables"]
    assert [u["id"] for u in tables["users"]] == [HOME]
    assert [t["note"] for t in tables["transactions"]] == ["dinner"]
    assert sorted(m["name"] for m in tables["members"]) == ["Alice", "Ben"]
    assert sorted(s["amount_minor"] for s in tables["shares"]) == [3000, 3000]
    assert "coffee" not in export.content.decode()  # Alice's own ledger stays hers
    private = (await penny.say(ALICE, "/export json")).document
    assert private is not None
    mine = json.loads(private.content)["tables"]
    assert [t["note"] for t in mine["transactions"]] == ["coffee"]
    assert "dinner" not in private.content.decode() and not mine["members"]
