"""The dashboard's HTTP side against the running bot: login, init data, the API, its guards."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from decimal import Decimal

import aiohttp
import pytest
from sqlalchemy import select

from bot.core.money import format_amount
from models.db import create_engine, make_sessionmaker
from models.tables import Category
from tests.support.dashboard import (
    client,
    init_data,
    login_link,
    signed_in,
    token_of,
)
from tests.support.harness import Penny, running_penny
from web import WebConfig, create_app

ALICE = 1001
BOB = 2002


async def test_summary_matches_balance(penny: Penny) -> None:
    for text in ("coffee 4.50", "lunch 12", "+5000 salary", "€20 books"):
        await penny.say(ALICE, text)
    balance = (await penny.say(ALICE, "/balance")).text or ""
    async with signed_in(penny, ALICE) as dashboard:
        status, summary = await dashboard.get("/api/summary?period=month")
    assert status == 200
    assert summary["currency"] == "USD"
    assert summary["period"]["label"] == "November 2026"
    assert (summary["period"]["start"], summary["period"]["end"]) == ("2026-11-01", "2026-12-01")
    assert (summary["income"], summary["expenses"], summary["net"]) == (
        "5000.00",
        "16.50",
        "4983.50",
    )
    # The chat's /balance says the same, in the same currency.
    assert f"Income:   {format_amount(Decimal(summary['income']), 'USD')}" in balance
    assert f"Expenses: {format_amount(Decimal(summary['expenses']), 'USD')}" in balance
    assert summary["other_currencies"] == {
        "EUR": {"income": "0.00", "expenses": "20.00", "net": "-20.00"}
    }
    # 8 days left of November (23rd to 30th), from the month's income.
    assert summary["safe_daily"] == {"amount": "622.93", "days": 8, "basis": "income"}
    # 16.50 in 23 days, over 30 days.
    assert summary["projected_expenses"] == "21.52"


async def test_summary_follows_a_custom_month_start_like_balance(penny: Penny) -> None:
    await penny.say(ALICE, "/settings month 25")
    for text in ("lunch 12 on 24 oct", "rent 800 on 25 oct", "coffee 4.50", "£5 tea"):
        await penny.say(ALICE, text)
    balance = (await penny.say(ALICE, "/balance")).text or ""
    async with signed_in(penny, ALICE) as dashboard:
        _, summary = await dashboard.get("/api/summary")
        _, page = await dashboard.get("/api/transactions")
    assert summary["period"]["label"] in balance  # "25 Oct – 24 Nov 2026"
    assert (summary["period"]["start"], summary["period"]["end"]) == ("2026-10-25", "2026-11-25")
    assert summary["expenses"] == "804.50" and "Expenses: 804.50 USD" in balance
    assert summary["other_currencies"]["GBP"]["expenses"] == "5.00"
    assert "Expenses: 5.00 GBP" in balance
    assert page["count"] == 3  # this month's list starts on the 25th too


async def test_amounts_keep_the_currencys_decimals(penny: Penny) -> None:
    async with signed_in(penny, ALICE) as dashboard:
        _, empty = await dashboard.get("/api/summary")
    assert (empty["income"], empty["expenses"], empty["net"]) == ("0.00", "0.00", "0.00")


async def test_safe_daily_follows_the_overall_budget(penny: Penny) -> None:
    await penny.say(ALICE, "/budget 1000")
    await penny.say(ALICE, "lunch 200")
    async with signed_in(penny, ALICE) as dashboard:
        _, summary = await dashboard.get("/api/summary")
    assert summary["safe_daily"] == {"amount": "100.00", "days": 8, "basis": "budget"}
    [budget] = summary["budgets"]
    assert (budget["name"], budget["limit"], budget["spent"]) == ("Overall", "1000.00", "200.00")


async def test_login_link_works_once_and_for_ten_minutes(penny: Penny) -> None:
    link = await login_link(penny, ALICE)
    async with client(penny) as first, client(penny) as second:
        assert await first.login(token_of(link)) == 200
        assert await second.login(token_of(link)) == 401  # used
        assert (await first.get("/api/session"))[0] == 200
        assert (await second.get("/api/session"))[0] == 401
    late = await login_link(penny, ALICE)
    penny.clock.advance(minutes=10, seconds=1)
    async with client(penny) as dashboard:
        assert await dashboard.login(token_of(late)) == 401  # expired
        assert await dashboard.login("not-a-token") == 401


async def test_login_link_opens_in_another_process(penny: Penny, database_url: str) -> None:
    """The token is in the database: a second server on the same database accepts it."""
    link = await login_link(penny, ALICE)
    engine = create_engine(database_url)
    config = WebConfig(penny.fake.token, "http://127.0.0.1", "USD", "UTC")
    other = create_app(config, make_sessionmaker(engine), penny.clock)
    runner = aiohttp.web.AppRunner(other)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            url = f"http://127.0.0.1:{port}"
            async with http.post(f"{url}/api/login", json={"token": token_of(link)}) as response:
                assert response.status == 200
            async with http.get(f"{url}/api/summary") as response:
                assert response.status == 200
        async with client(penny) as dashboard:
            assert await dashboard.login(token_of(link)) == 401
    finally:
        await runner.cleanup()
        await engine.dispose()


async def test_login_link_opens_once_under_concurrent_requests(
    penny: Penny, database_url: str
) -> None:
    """Tabs and processes racing for one link: exactly one gets a session."""
    token = token_of(await login_link(penny, ALICE))
    engine = create_engine(database_url)
    config = WebConfig(penny.fake.token, "http://127.0.0.1", "USD", "UTC")
    runner = aiohttp.web.AppRunner(create_app(config, make_sessionmaker(engine), penny.clock))
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as http:

            async def login(base: str) -> int:
                async with http.post(f"{base}/api/login", json={"token": token}) as response:
                    return response.status

            bases = [penny.dashboard_url, f"http://127.0.0.1:{port}"] * 6
            statuses = await asyncio.gather(*(login(base) for base in bases))
    finally:
        await runner.cleanup()
        await engine.dispose()
    assert sorted(statuses) == [200] + [401] * 11


async def test_init_data_signed_by_telegram_is_accepted_and_forgeries_get_401(
    penny: Penny,
) -> None:
    await penny.say(ALICE, "coffee 4.50")
    genuine = init_data(penny, ALICE)
    forged_user = genuine.replace("%22id%22%3A1001", "%22id%22%3A2002")
    assert forged_user != genuine
    cases = {
        "genuine": (genuine, 200),
        "another user's id swapped in": (forged_user, 401),
        "signed with another bot's token": (
            init_data(penny, ALICE, token="654321:ANOTHER-BOT-TOKEN"),
            401,
        ),
        "a day and a bit old": (init_data(penny, ALICE, age=24 * 3600 + 60), 401),
        "no hash": (genuine.split("&hash=")[0], 401),
        "garbage": ("%%%", 401),
    }
    async with client(penny) as dashboard:
        for name, (value, expected) in cases.items():
            status, body = await dashboard.get(
                "/api/summary", headers={"Authorization": f"tma {value}"}
            )
            assert status == expected, name
        assert body == {"error": "invalid init data"}
        assert (await dashboard.get("/api/summary"))[0] == 401  # no credentials at all
        status, summary = await dashboard.get(
            "/api/summary", headers={"Authorization": f"tma {genuine}"}
        )
    assert summary["expenses"] == "4.50"


async def test_another_users_ids_get_404(penny: Penny) -> None:
    await penny.say(ALICE, "/budget 500")
    await penny.say(ALICE, "coffee 4.50")
    [row] = await penny.rows(ALICE)
    async with signed_in(penny, ALICE) as alice:
        [budget] = (await alice.get("/api/summary"))[1]["budgets"]
    await penny.say(BOB, "tea 2")
    async with signed_in(penny, BOB) as bob:
        assert (await bob.send("PATCH", f"/api/transactions/{row.id}", {"amount": "1"}))[0] == 404
        assert (await bob.send("DELETE", f"/api/transactions/{row.id}"))[0] == 404
        assert (await bob.send("PUT", f"/api/budgets/{budget['id']}", {"limit": "1"}))[0] == 404
        assert (await bob.send("DELETE", "/api/transactions/999999999"))[0] == 404
        _, page = await bob.get("/api/transactions?period=all")
        assert [e["note"] for e in page["entries"]] == ["tea"]
    [unchanged] = await penny.rows(ALICE)
    assert unchanged.amount_minor == 450


async def test_cookie_writes_need_the_csrf_token_and_our_origin(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    [row] = await penny.rows(ALICE)
    path = f"/api/transactions/{row.id}"
    async with signed_in(penny, ALICE) as dashboard:
        token = dashboard.csrf
        dashboard.csrf = None
        assert (await dashboard.send("PATCH", path, {"amount": "9"}))[0] == 403
        dashboard.csrf = "0" * 64
        assert (await dashboard.send("DELETE", path))[0] == 403
        dashboard.csrf = token
        evil = {"Origin": "https://evil.example"}
        assert (await dashboard.send("DELETE", path, headers=evil))[0] == 403
        assert await penny.count(ALICE) == 1
        status, edited = await dashboard.send("PATCH", path, {"amount": "9"})
    assert (status, edited["amount"]) == (200, "9.00")


async def test_edit_changes_balance_and_bad_values_change_nothing(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    [row] = await penny.rows(ALICE)
    path = f"/api/transactions/{row.id}"
    async with signed_in(penny, ALICE) as dashboard:
        categories = (await dashboard.get("/api/transactions?period=all"))[1]["entries"]
        assert categories[0]["category"]["name"] == "Food"
        bad_amounts = ("-3", "abc", 4.5, "1.234", "1e-999999999", "NaN", "1e13")
        for bad in ({"amount": amount} for amount in bad_amounts):
            status, body = await dashboard.send("PATCH", path, bad)
            assert status == 422, bad
            assert body["error"]
        assert (await dashboard.send("PATCH", path, {"date": "yesterday"}))[0] == 422
        assert (await dashboard.send("PATCH", path, {"category_id": 999999}))[0] == 422
        [same] = await penny.rows(ALICE)
        assert (same.amount_minor, same.note) == (450, "coffee")
        status, edited = await dashboard.send(
            "PATCH", path, {"amount": "7.25", "note": "flat white", "date": "2026-11-20"}
        )
    assert status == 200
    assert (edited["amount"], edited["note"], edited["date"]) == (
        "7.25",
        "flat white",
        "2026-11-20",
    )
    assert "Expenses: 7.25 USD" in ((await penny.say(ALICE, "/balance")).text or "")


async def test_a_body_that_arrives_in_pieces_is_read_whole(penny: Penny) -> None:
    """Over a real network a 2 KB note (500 emoji) comes in more than one TCP segment."""
    await penny.say(ALICE, "coffee 4.50")
    [row] = await penny.rows(ALICE)
    note = "☕" * 500
    body = json.dumps({"note": note}).encode()

    async def pieces() -> AsyncIterator[bytes]:
        yield body[:100]
        await asyncio.sleep(0.05)
        yield body[100:]

    async with signed_in(penny, ALICE) as dashboard:
        headers = {"X-CSRF-Token": dashboard.csrf or "", "Content-Type": "application/json"}
        url = f"{dashboard.base}/api/transactions/{row.id}"
        async with dashboard.http.patch(url, data=pieces(), headers=headers) as response:
            assert response.status == 200
            assert (await response.json())["note"] == note


async def test_category_change_is_the_chats_and_delete_removes_one(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3 and bagel 2.5")  # one message, two entries
    coffee, bagel = await penny.rows(ALICE)
    async with signed_in(penny, ALICE) as dashboard:
        _, page = await dashboard.get("/view/transactions?period=all")
        assert "Transport" in page  # the edit form offers every expense category
        transport = await category_id(penny, ALICE, "Transport")
        status, moved = await dashboard.send(
            "PATCH", f"/api/transactions/{coffee.id}", {"category_id": transport}
        )
        assert (status, moved["category"]["name"]) == (200, "Transport")
        assert (await dashboard.send("DELETE", f"/api/transactions/{bagel.id}"))[0] == 200
        assert (await dashboard.send("DELETE", f"/api/transactions/{bagel.id}"))[0] == 404
    # Only the one entry went, not its sibling from the same message (unlike Undo).
    [left] = await penny.rows(ALICE)
    assert left.id == coffee.id


async def category_id(penny: Penny, user_id: int, name: str) -> int:
    async with penny.app.bot_data["penny"].sessions() as session:
        found = await session.scalar(
            select(Category.id).where(Category.user_id == user_id, Category.name == name)
        )
    assert found is not None
    return int(found)


async def test_notes_and_category_names_stay_text_in_every_view(penny: Penny) -> None:
    """Autoescaping is the only thing between a user's text and the page (and the SVG)."""
    name, note = "<img src=x onerror=alert(1)>", '"><svg onload=alert(document.domain)>'
    await penny.say(ALICE, f"/categories add {name} 🐱")
    await penny.say(ALICE, f"coffee 4.50 {note}")
    [row] = await penny.rows(ALICE)
    moved = {"category_id": await category_id(penny, ALICE, name)}
    async with signed_in(penny, ALICE) as dashboard:
        assert (await dashboard.send("PATCH", f"/api/transactions/{row.id}", moved))[0] == 200
        for view in ("summary", "transactions", "charts"):
            _, html = await dashboard.get(f"/view/{view}?period=m0")
            assert "<img" not in html and "<svg onload" not in html, view
            assert "&lt;img src=x onerror=alert(1)&gt;" in html, view  # shown, as text
        _, html = await dashboard.get("/view/transactions?period=m0")
        assert "&#34;&gt;&lt;svg onload=alert(document.domain)&gt;" in html


async def test_transactions_page_by_key_and_filter(penny: Penny) -> None:
    lines = "\n".join(f"snack {n + 1}" for n in range(60))
    await penny.say(ALICE, lines)
    await penny.say(ALICE, "+100 salary")
    async with signed_in(penny, ALICE) as dashboard:
        seen: list[int] = []
        after = ""
        while True:
            _, page = await dashboard.get(f"/api/transactions?period=all&after={after}")
            seen += [e["id"] for e in page["entries"]]
            assert page["count"] == 61
            if page["next"] is None:
                break
            after = page["next"]
        assert len(seen) == len(set(seen)) == 61
        _, found = await dashboard.get("/api/transactions?q=SALA&period=m0")
        assert [e["note"] for e in found["entries"]] == ["salary"]
        _, found = await dashboard.get("/api/transactions?q=100%25&period=all")
        assert found["count"] == 0  # % is a character to find, not a wildcard
        _, found = await dashboard.get("/api/transactions?kind=income&period=all")
        assert found["count"] == 1
        assert (await dashboard.get("/api/transactions?period=someday"))[0] == 400


async def test_budget_limit_edit(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 300")
    async with signed_in(penny, ALICE) as dashboard:
        [budget] = (await dashboard.get("/api/summary"))[1]["budgets"]
        assert (await dashboard.send("PUT", f"/api/budgets/{budget['id']}", {"limit": "0"}))[
            0
        ] == 422
        status, changed = await dashboard.send(
            "PUT", f"/api/budgets/{budget['id']}", {"limit": "450"}
        )
    assert (status, changed["limit"]) == (200, "450.00")
    assert "450.00 USD" in ((await penny.say(ALICE, "/budget")).text or "")


async def test_budget_limit_is_checked_in_the_budgets_own_currency(penny: Penny) -> None:
    """A budget set before /currency changed keeps its currency; so does its limit."""
    await penny.say(ALICE, "/currency JPY")
    await penny.say(ALICE, "/budget 1000")
    await penny.say(ALICE, "/currency USD")
    async with signed_in(penny, ALICE) as dashboard:
        [budget] = (await dashboard.get("/api/summary"))[1]["budgets"]
        assert budget["currency"] == "JPY"
        path = f"/api/budgets/{budget['id']}"
        status, refused = await dashboard.send("PUT", path, {"limit": "1000.50"})
        assert (status, refused["error"]) == (
            422,
            "JPY has no decimal places, so 1000.50 can't be right.",
        )
        status, changed = await dashboard.send("PUT", path, {"limit": "2000"})
    assert (status, changed["limit"], changed["currency"]) == (200, "2000", "JPY")


async def test_headers_cookie_and_no_token_in_logs(
    penny: Penny, caplog: pytest.LogCaptureFixture
) -> None:
    # At INFO (DEBUG shows the reply with the link; bot.logs masks it there, see test_logs).
    caplog.set_level(logging.INFO)
    link = await login_link(penny, ALICE)
    async with client(penny) as dashboard:
        async with dashboard.http.get(f"{dashboard.base}/") as response:
            assert response.status == 200
            policy = response.headers["Content-Security-Policy"]
            assert "default-src 'none'" in policy and "script-src 'self'" in policy
            assert "unsafe-inline" not in policy
            assert response.headers["Referrer-Policy"] == "no-referrer"
        async with dashboard.http.post(
            f"{dashboard.base}/api/login", json={"token": token_of(link)}
        ) as response:
            cookie = response.headers["Set-Cookie"]
            session_token = response.cookies["penny_session"].value
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # plain http on 127.0.0.1; see the HTTPS case below
        _, session = await dashboard.get("/api/session")
        assert session["csrf"] and session["telegram"] is False
    logged = caplog.text
    assert token_of(link) not in logged and session_token not in logged
    assert "dashboard login link opened" in logged


async def test_https_address_gives_mini_app_button_and_secure_cookie(
    database_url: str, clock: object
) -> None:
    async with running_penny(
        database_url, clock, web_base_url="https://penny.example.com"
    ) as penny:
        reply = await penny.say(ALICE, "/dashboard")
        app_button = reply.button("Open dashboard")
        assert app_button.web_app == "https://penny.example.com/"
        link = reply.button("Open in a browser").url
        assert link is not None and link.startswith("https://penny.example.com/login#t=")
        menu = penny.fake.world.menu_buttons[str(ALICE)]
        assert menu["type"] == "web_app" and menu["web_app"]["url"] == "https://penny.example.com/"
        # The server itself listens on this machine; the public address is the proxy's.
        local = penny.app.bot_data["penny"]
        assert local.dashboard_url == "https://penny.example.com"
        async with aiohttp.ClientSession() as http:
            port = penny.app._dashboard.port  # type: ignore[union-attr]
            async with http.post(
                f"http://127.0.0.1:{port}/api/login",
                json={"token": token_of(link)},
                headers={"Origin": "https://penny.example.com"},
            ) as response:
                assert response.status == 200
                assert "Secure" in response.headers["Set-Cookie"]


async def test_local_address_gives_only_the_browser_link(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/dashboard")
    assert [b.text for b in reply.all_buttons()] == ["🌐 Open in a browser"]
    assert reply.all_buttons()[0].url.startswith(penny.dashboard_url + "/login#t=")  # type: ignore[union-attr]
    assert str(ALICE) not in penny.fake.world.menu_buttons


async def test_export_download_and_send_to_chat(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "+5000 salary")
    async with signed_in(penny, ALICE) as dashboard:
        async with dashboard.http.get(f"{dashboard.base}/api/export?period=m0") as response:
            assert response.status == 200
            assert "attachment" in response.headers["Content-Disposition"]
            csv_text = await response.text()
        assert csv_text.splitlines()[0] == "date,type,amount,currency,category,note"
        assert len(csv_text.splitlines()) == 3
        status, sent = await dashboard.send("POST", "/api/export/send", {"period": "m0"})
    assert (status, sent) == (200, {"sent": 2})
    document = await penny.reply(ALICE)
    assert document.document is not None and document.document.filename.endswith(".csv")


async def test_send_to_chat_refused_by_telegram_says_so_not_a_500(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    async with signed_in(penny, ALICE) as dashboard:
        penny.fake.fail_next(
            "sendDocument", error_code=403, description="Forbidden: bot was blocked"
        )
        status, answer = await dashboard.send("POST", "/api/export/send", {"period": "m0"})
        assert status == 502 and "didn't take the file" in str(answer)
        assert (await dashboard.send("POST", "/api/export/send", {"period": "m0"}))[0] == 200


async def test_logout_ends_the_session(penny: Penny) -> None:
    async with signed_in(penny, ALICE) as dashboard:
        assert (await dashboard.send("POST", "/api/logout", {}))[0] == 200
        assert (await dashboard.get("/api/summary"))[0] == 401


async def test_deleteme_ends_every_session(penny: Penny) -> None:
    async with signed_in(penny, ALICE) as dashboard:
        ask = await penny.say(ALICE, "/deleteme")
        await penny.press(ALICE, ask, "Erase everything")
        await penny.reply(ALICE)
        assert (await dashboard.get("/api/summary"))[0] == 401


async def test_hostile_ids_and_text_get_an_answer_not_a_500(penny: Penny) -> None:
    """Values no page sends: ids past the columns' range, NUL characters (PostgreSQL refuses
    them in text), a cursor with a 25-digit id. Each is a client's mistake, not a server error."""
    await penny.say(ALICE, "coffee 4.50")
    [row] = await penny.rows(ALICE)
    path = f"/api/transactions/{row.id}"
    beyond_int32, beyond_int64 = 2**31, 2**63
    async with signed_in(penny, ALICE) as dashboard:
        for category in (beyond_int32, beyond_int64, 10**30, 0, -1):
            status, _ = await dashboard.send("PATCH", path, {"category_id": category})
            assert status == 422, category
        for budget in (beyond_int32, beyond_int64):
            assert (await dashboard.send("PUT", f"/api/budgets/{budget}", {"limit": "1"}))[0] == 404
        assert (await dashboard.send("DELETE", f"/api/transactions/{beyond_int64}"))[0] == 404
        for query in (
            f"category={beyond_int32}",
            f"after=2026-11-30.{beyond_int64}",
            "after=2026-11-30.9999999999999999999999999",
            "q=a%00b",
        ):
            for route in ("/api/transactions", "/view/transactions"):
                status, _ = await dashboard.get(f"{route}?period=all&{query}")
                assert status == 200, (route, query)
        _, found = await dashboard.get("/api/transactions?period=all&q=cof%00fee")
        assert found["count"] == 1  # the NUL is no part of what anyone typed
        status, edited = await dashboard.send("PATCH", path, {"note": "flat\x00 white\x07"})
    assert (status, edited["note"]) == (200, "flat white")


async def test_editing_a_refund_keeps_it_one_and_an_entry_to_sort_stays_so(penny: Penny) -> None:
    await penny.say(ALICE, "shoes 90")
    await penny.say(ALICE, "refund 30 shoes")
    await penny.say(ALICE, "zorblax 12")
    _, refund, unsorted = await penny.rows(ALICE)
    assert refund.amount_minor == -3000 and unsorted.unsorted
    async with signed_in(penny, ALICE) as dashboard:
        status, _ = await dashboard.send(
            "PATCH", f"/api/transactions/{refund.id}", {"amount": "35"}
        )
        assert status == 200
        path = f"/api/transactions/{unsorted.id}"
        assert (await dashboard.send("PATCH", path, {"note": "zorblax club"}))[0] == 200
    _, refund, unsorted = await penny.rows(ALICE)
    assert refund.amount_minor == -3500  # money back still: Shopping is 55 now
    assert unsorted.unsorted and unsorted.note == "zorblax club"
    assert "Expenses: 67.00 USD" in ((await penny.say(ALICE, "/balance")).text or "")  # 55 + 12


async def test_summary_shows_goals_as_the_chat_does(penny: Penny) -> None:
    await penny.say(ALICE, "/goal laptop 1200 by june")
    await penny.say(ALICE, "saved 300 for laptop")
    await penny.say(BOB, "/goal boat 99999")
    async with signed_in(penny, ALICE) as dashboard:
        status, summary = await dashboard.get("/api/summary")
        _, html = await dashboard.get("/view/summary")
    assert status == 200
    assert [(g["name"], g["saved"], g["target"], g["percent"]) for g in summary["goals"]] == [
        ("laptop", "300.00", "1200.00", 25)
    ]
    assert "🎯 laptop" in html and "300.00 USD" in html and "1,200.00 USD" in html
    assert "a month to make 30 Jun 2027" in html
    assert "boat" not in html  # Bob's goal is his
