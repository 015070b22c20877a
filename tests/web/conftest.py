"""The dashboard's fixtures: a logged-in HTTP client and a headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.browser import Browser, find_chromium


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the session; tests reset its cookies and storage."""
    found = find_chromium()
    if found is None:
        reason = "Chromium is not installed (apt-get install chromium chromium-driver)"
        if in_ci():
            pytest.fail(f"{reason} — CI must run the browser tests", pytrace=False)
        pytest.skip(reason)
    browser = Browser(*found)
    yield browser
    browser.close()


@pytest.fixture
async def browser(chromium: Browser) -> Browser:
    await chromium.reset()
    chromium.viewport(390, 844)
    return chromium
