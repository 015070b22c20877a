"""The dashboard in a real headless Chromium, against the running bot and its fake Telegram.

A person's path: open the link /dashboard sent, see the chat's totals, fix an amount and see
/balance follow, delete an entry, tap a chart; and the Mini App's: Telegram's signed init data
in the URL fragment, its theme, and a forgery turned away. Screenshots of every view at phone
and desktop sizes go to $PENNY_SCREENSHOTS when it is set (to look at them).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from urllib.parse import quote

from selenium.webdriver.common.by import By

from tests.support.browser import Browser
from tests.support.dashboard import init_data, login_link
from tests.support.harness import Penny

ALICE = 1001
TELEGRAM_DARK = {
    "bg_color": "#17212b",
    "secondary_bg_color": "#0e1621",
    "section_bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "destructive_text_color": "#ec3942",
}


def css(selector: str) -> tuple[str, str]:
    return (By.CSS_SELECTOR, selector)


async def balance_text(penny: Penny) -> str:
    return (await penny.say(ALICE, "/balance")).text or ""


async def test_login_link_totals_edit_and_delete(penny: Penny, browser: Browser) -> None:
    for text in ("coffee 4.50", "lunch 12", "+5000 salary"):
        await penny.say(ALICE, text)
    coffee, lunch, _ = await penny.rows(ALICE)
    link = await login_link(penny, ALICE)

    await browser.get(link)
    expenses = await browser.text("#expenses")
    income = await browser.text("#income")
    balance = await balance_text(penny)
    assert f"Expenses: {expenses}" in balance and f"Income:   {income}" in balance
    assert (expenses, await browser.text("#net")) == ("16.50 USD", "+4,983.50 USD")
    assert "#t=" not in await browser.url()  # the token left the address bar at once

    await browser.click('[data-view="transactions"]')
    await browser.click(f"#tx-{lunch.id} .row")
    await browser.fill(f"#edit-{lunch.id} input[name=amount]", "20")
    await browser.click(f"#edit-{lunch.id} button[type=submit]")
    await browser.wait(lambda d: d.find_element(*css(f"#tx-{lunch.id} .amt")).text == "−20.00 USD")
    assert "Expenses: 24.50 USD" in await balance_text(penny)

    await browser.click(f"#tx-{coffee.id} .row")
    await browser.click(f"#edit-{coffee.id} [data-action=delete]")
    armed = await browser.text(f"#edit-{coffee.id} [data-action=delete]")
    assert armed == "Tap again to delete"  # one tap deletes nothing
    assert await penny.count(ALICE) == 3
    await browser.click(f"#edit-{coffee.id} [data-action=delete]")
    await browser.wait(lambda d: not d.find_elements(*css(f"#tx-{coffee.id}")))
    assert "Expenses: 20.00 USD" in await balance_text(penny)
    assert await penny.count(ALICE) == 2

    # The same link again, from a browser without the session: refused.
    await browser.reset()
    await browser.get(link)
    refused = await browser.text(".notice strong")
    assert refused == "This login link was already used or has expired."
    assert not await browser.run(lambda: browser.driver.find_elements(*css("#expenses")))


async def test_a_bad_amount_is_explained_and_nothing_changes(
    penny: Penny, browser: Browser
) -> None:
    await penny.say(ALICE, "coffee 4.50")
    [coffee] = await penny.rows(ALICE)
    await browser.get(await login_link(penny, ALICE))
    await browser.text("#expenses")
    await browser.click('[data-view="transactions"]')
    await browser.click(f"#tx-{coffee.id} .row")
    await browser.fill(f"#edit-{coffee.id} input[name=amount]", "4.555")
    await browser.click(f"#edit-{coffee.id} button[type=submit]")
    error = await browser.text(f"#edit-{coffee.id} .error")
    assert "USD has 2 decimal places" in error
    [same] = await penny.rows(ALICE)
    assert same.amount_minor == 450


async def test_a_view_that_fails_is_said_in_words_not_shown_raw(
    penny: Penny, browser: Browser
) -> None:
    """An error answer (JSON or plain text) was put into the page as it came: '404: Not Found'."""
    await browser.get(await login_link(penny, ALICE))
    await browser.text("#expenses")
    await browser.js(
        "const b = document.createElement('button'); b.dataset.view = 'nope';"
        "document.body.prepend(b); b.click();"
    )
    said = await browser.text("main .notice")
    assert "Something went wrong" in said
    assert "404" not in await browser.js("return document.querySelector('main').textContent")


async def test_tapping_a_chart_opens_its_transactions(penny: Penny, browser: Browser) -> None:
    for text in ("coffee 4.50", "lunch 12", "uber 30", "taxi 8 yesterday"):
        await penny.say(ALICE, text)
    await browser.get(await login_link(penny, ALICE))
    await browser.text("#expenses")
    await browser.click('[data-view="charts"]')
    await browser.click(".legend button:first-child")  # Transport, the biggest
    await browser.wait(lambda d: d.find_element(*css("#count")).text.startswith("2 transactions"))
    names = await browser.run(
        lambda: [e.text for e in browser.driver.find_elements(*css("#rows .name"))]
    )
    assert names == ["Transport", "Transport"]
    # A day's bar: yesterday had one expense.
    await browser.click('[data-view="charts"]')
    await browser.wait(lambda d: d.find_elements(*css("svg.days .day")))
    await browser.js(
        "document.querySelector('svg.days .day[data-period=\"r20261122-20261122\"]')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    await browser.wait(lambda d: d.find_element(*css("#count")).text.startswith("1 transaction"))


async def test_mini_app_with_telegram_init_data_and_theme(penny: Penny, browser: Browser) -> None:
    await penny.say(ALICE, "coffee 4.50")
    launch = (
        f"tgWebAppData={quote(init_data(penny, ALICE))}&tgWebAppVersion=8.0"
        f"&tgWebAppPlatform=android&tgWebAppThemeParams={quote(json.dumps(TELEGRAM_DARK))}"
    )
    await browser.get(f"{penny.dashboard_url}/#{launch}")
    assert await browser.text("#expenses") == "4.50 USD"
    assert "tgWebAppData" not in await browser.url()
    background = await browser.js("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(14, 22, 33)"  # Telegram's secondary_bg_color
    if os.environ.get("PENNY_SCREENSHOTS"):
        await browser.screenshot(Path(os.environ["PENNY_SCREENSHOTS"]) / "telegram-dark.png")

    forged = init_data(penny, ALICE, token="999999:NOT-THIS-BOTS-TOKEN-AT-ALL")
    await browser.get("about:blank")  # a new launch, not a jump within the same page
    await browser.get(f"{penny.dashboard_url}/#tgWebAppData={quote(forged)}")
    assert await browser.text(".notice strong") == "Please reopen the dashboard."


async def sample_month(penny: Penny) -> None:
    """A month that looks lived in, for the screenshots."""
    lines = [
        "+5200 salary on the 1st",
        "rent 1450 on the 1st",
        "electricity bill 84.20 on the 3rd",
        "groceries 62.35 on the 4th",
        "coffee 4.50 on the 6th",
        "uber 18 on the 9th",
        "cinema 24 on the 12th",
        "groceries 71.10 on the 15th",
        "lunch 13.80 on the 18th",
        "pharmacy 21.40 on the 20th",
        "gym 45 on the 21st",
        "coffee 3.90 yesterday",
        "taxi 26 yesterday",
        "lunch 14.20",
    ]
    for line in lines:
        await penny.say(ALICE, line)
    await penny.say(ALICE, "/budget 2500")
    await penny.say(ALICE, "/budget food 300")
    await penny.say(ALICE, "/goal new laptop 1200 by june")
    await penny.say(ALICE, "saved 450 for new laptop")


async def test_screenshots_at_phone_and_desktop_sizes(
    penny: Penny, browser: Browser, tmp_path: Path
) -> None:
    """Every view renders at both sizes with no script error; kept for a person to look at."""
    out = Path(os.environ.get("PENNY_SCREENSHOTS") or tmp_path)
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    await sample_month(penny)
    await browser.get(await login_link(penny, ALICE))
    await browser.text("#expenses")
    sizes = {"phone": (390, 844, True), "desktop": (1280, 900, False)}
    for scheme in ("light", "dark"):
        await browser.color_scheme(scheme)
        for size, (width, height, mobile) in sizes.items():
            await browser.run(lambda w=width, h=height, m=mobile: browser.viewport(w, h, mobile=m))
            for view in ("summary", "transactions", "budgets", "charts"):
                await browser.click(f'[data-view="{view}"]')
                await browser.wait(
                    lambda d, v=view: d.find_element(*css("main")).get_attribute("data-view") == v
                )
                if view == "transactions":
                    await browser.click("#rows .tx:first-child .row")
                assert await browser.js(STICKING_OUT) == [], (size, view)
                await browser.screenshot(out / f"{size}-{scheme}-{view}.png")
                await browser.screenshot(out / f"{size}-{scheme}-{view}-full.png", full=True)
    errors = [
        entry
        for entry in await browser.run(lambda: browser.driver.get_log("browser"))
        if entry["level"] == "SEVERE"
    ]
    assert errors == []
    shots = await asyncio.to_thread(lambda: list(out.glob("*.png")))
    assert len(shots) >= 32


# Anything in a card whose right edge passes the card's padding: text that doesn't fit.
STICKING_OUT = """
return [...document.querySelectorAll('main .card')].flatMap((card) => {
  const edge = card.getBoundingClientRect().right - parseFloat(getComputedStyle(card).paddingRight);
  return [...card.querySelectorAll('*')]
    .filter((e) => !(e instanceof SVGElement) && e.getBoundingClientRect().right > edge + 1)
    .map((e) => `${e.className}: ${e.textContent.trim().slice(0, 50)}`);
}).concat(document.documentElement.scrollWidth > innerWidth ? ['the page scrolls sideways'] : []);
"""


async def test_big_amounts_fit_a_phone(penny: Penny, browser: Browser) -> None:
    """Seven-figure amounts (a business, or any month in VND or IDR) wrap; nothing runs past
    its card on a 390 px wide phone."""
    for line in ("+1250000 bonus", "rent 345678.90", "car 48999.99"):
        await penny.say(ALICE, line)
    await penny.say(ALICE, "/budget 1000000")
    await penny.say(ALICE, "/budget transport 1000000")
    await browser.get(await login_link(penny, ALICE))
    await browser.text("#expenses")
    for view in ("summary", "transactions", "budgets", "charts"):
        await browser.click(f'[data-view="{view}"]')
        await browser.wait(
            lambda d, v=view: d.find_element(*css("main")).get_attribute("data-view") == v
        )
        if view == "transactions":
            await browser.click("#rows .tx:first-child .row")
        assert await browser.js(STICKING_OUT) == [], view
