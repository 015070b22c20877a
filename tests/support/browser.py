"""Headless Chromium driven by Selenium, for the dashboard's browser tests.

Selenium blocks, and the dashboard under test runs on the test's own event loop, so every
browser call runs in a worker thread (``await browser.get(url)``) while the loop serves it.
Debian's ``chromium`` and ``chromium-driver`` are used as installed; nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) paths, or None when Chromium or its driver isn't installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


class Browser:
    """One Chromium with a fresh profile; async methods run Selenium off the event loop."""

    def __init__(self, browser: str, driver: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="penny-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"):
            options.add_argument(flag)
        # Selenium Manager would try to download a driver; the installed one is given instead.
        os.environ.setdefault("SE_AVOID_STATS", "true")
        self.driver = webdriver.Chrome(service=Service(driver), options=options)
        self.driver.set_script_timeout(10)
        self.viewport(390, 844)

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def viewport(self, width: int, height: int, *, mobile: bool = True) -> None:
        """The page's exact size (a window size would include Chrome's own frame)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    async def run(self, action: Callable[[], T]) -> T:
        return await asyncio.to_thread(action)

    async def get(self, url: str) -> None:
        await self.run(lambda: self.driver.get(url))

    async def url(self) -> str:
        return await self.run(lambda: str(self.driver.current_url))

    async def reset(self) -> None:
        """Forget every cookie, and the page's storage, between tests (the profile stays)."""

        def clear() -> None:
            self.driver.get("about:blank")
            self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
            self.driver.get_log("browser")  # drained: each test sees its own console errors

        await self.run(clear)

    async def color_scheme(self, scheme: str) -> None:
        """Emulate the system's ``light`` or ``dark`` preference."""
        features = [{"name": "prefers-color-scheme", "value": scheme}]
        await self.run(
            lambda: self.driver.execute_cdp_cmd(
                "Emulation.setEmulatedMedia", {"features": features}
            )
        )

    async def wait(self, condition: Callable[[Any], T], timeout: float = 10.0) -> T:  # noqa: ASYNC109
        """Poll ``condition(driver)`` until it is truthy; fails with the page text on timeout."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                found = await self.run(lambda: condition(self.driver))
            except Exception as exc:  # the element isn't there yet, or went stale mid-read
                last_error = exc
                found = None
            if found:
                return found
            await asyncio.sleep(0.1)
        body = await self.run(lambda: self.driver.find_element("tag name", "body").text)
        raise AssertionError(f"timed out waiting; last error {last_error!r}; page:\n{body}")

    async def text(self, css: str, timeout: float = 10.0) -> str:  # noqa: ASYNC109
        """The text of the first element matching ``css`` once it has some."""
        return await self.wait(lambda d: d.find_element("css selector", css).text, timeout)

    async def click(self, css: str) -> None:
        element = await self.wait(lambda d: d.find_element("css selector", css))
        await self.run(element.click)

    async def fill(self, css: str, value: str) -> None:
        element = await self.wait(lambda d: d.find_element("css selector", css))

        def type_in() -> None:
            element.clear()
            element.send_keys(value)

        await self.run(type_in)

    async def screenshot(self, path: Path, *, full: bool = False) -> None:
        """What the screen shows, or (``full``) the whole page from top to bottom."""

        def take() -> None:
            if not full:
                self.driver.save_screenshot(str(path))
                return
            width, height, full_height = self.driver.execute_script(
                "return [innerWidth, innerHeight, document.documentElement.scrollHeight]"
            )
            mobile = width < 760
            # A viewport as tall as the page: fixed bars sit where they would, at its bottom.
            self.viewport(width, full_height, mobile=mobile)
            try:
                self.driver.save_screenshot(str(path))
            finally:
                self.viewport(width, height, mobile=mobile)

        await self.run(take)

    async def js(self, script: str, *args: Any) -> Any:
        return await self.run(lambda: self.driver.execute_script(script, *args))
