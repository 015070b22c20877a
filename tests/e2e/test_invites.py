"""/invite's personal deep link, and the welcome of someone who came through it."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from models.tables import Referral
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002
CAROL = 3003


async def start_as(penny: Penny, user_id: int, text: str, first_name: str) -> str:
    """Send as a user with this first name (the harness's default name is "Test")."""
    await penny.fake.send_text(user_id, text, first_name=first_name)
    return (await penny.reply(user_id)).text or ""


async def test_invite_link_deep_link_and_naming_only_with_consent(penny: Penny) -> None:
    await penny.fake.send_text(ALICE, "/invite", first_name="Alice")
    invite = await penny.reply(ALICE)
    found = re.search(r"https://t\.me/penny_local_bot\?start=([A-Za-z0-9_-]{8})", invite.text)
    assert found, invite.text
    code = found.group(1)
    share = invite.button("Share")
    assert share.url is not None and share.callback_data is None
    shared = urlparse(share.url)
    assert (shared.netloc, shared.path) == ("t.me", "/share/url")
    assert parse_qs(shared.query)["url"] == [found.group(0)]
    assert "aren't told who invited them" in invite.text
    # The same link every time.
    assert found.group(0) in await start_as(penny, ALICE, "/invite", "Alice")

    # Bob comes through the link (Telegram sends "/start CODE"): Alice hasn't agreed to be named.
    welcome = await start_as(penny, BOB, f"/start {code}", "Bob")
    assert welcome.startswith("👋 I'm Penny.") and "Alice" not in welcome

    await penny.press(ALICE, invite, "Show my name")
    shown = await penny.reply(ALICE)
    assert "Your first name is shown to them" in shown.text
    assert "1 joined through your link" in shown.text
    welcome = await start_as(penny, CAROL, f"/start {code}", "Carol")
    assert welcome.startswith("👋 Alice invited you — welcome! I'm Penny.")

    # Only a newcomer's first start counts; nobody invites themselves.
    assert "invited you" not in await start_as(penny, BOB, f"/start {code}", "Bob")
    assert "invited you" not in await start_as(penny, ALICE, f"/start {code}", "Alice")
    async with penny.app.bot_data["penny"].sessions() as session:
        rows = (await session.execute(select(Referral.user_id, Referral.inviter_id))).all()
    assert sorted(tuple(r) for r in rows) == [(BOB, ALICE), (CAROL, ALICE)]
    assert "2 joined through your link" in await start_as(penny, ALICE, "/invite", "Alice")

    # A garbled or unknown code is just a welcome.
    for payload in ("nosuchcode", "x" * 64, "../../etc"):
        user = 4000 + len(payload)
        assert (await start_as(penny, user, f"/start {payload}", "Dan")).startswith("👋 I'm Penny")


async def test_erasing_the_inviter_forgets_who_came_through_them(penny: Penny) -> None:
    text = (await penny.say(ALICE, "/invite")).text or ""
    code = text.split("?start=")[1].split()[0]
    await start_as(penny, BOB, f"/start {code}", "Bob")
    ask = await penny.say(ALICE, "/deleteme")
    await penny.press(ALICE, ask, "Erase everything")
    await penny.reply(ALICE)
    async with penny.app.bot_data["penny"].sessions() as session:
        assert (await session.execute(select(Referral))).first() is None


async def test_export_json_of_a_newcomer_does_not_name_the_inviter(penny: Penny) -> None:
    # Alice hasn't agreed to be named: her Telegram id (enough to find her) is hers to give.
    found = re.search(r"start=([A-Za-z0-9_-]{8})", await start_as(penny, ALICE, "/invite", "A"))
    assert found
    await start_as(penny, BOB, f"/start {found.group(1)}", "Bob")
    export = await penny.say(BOB, "/export json")
    assert export.document is not None
    tables = json.loads(export.document.content)["tables"]
    assert [r["user_id"] for r in tables["referrals"]] == [BOB]  # Bob's own row is there
    assert all(ALICE not in row.values() for rows in tables.values() for row in rows)
