"""Invite codes and the t.me links built from them."""

from __future__ import annotations

from bot.core.invites import invite_link, is_invite_code, share_link


def test_invite_links() -> None:
    assert is_invite_code("AbC-_123") and not is_invite_code("short")
    assert not is_invite_code("has space1") and not is_invite_code("x" * 17)
    link = invite_link("penny_bot", "AbC-_123")
    assert link == "https://t.me/penny_bot?start=AbC-_123"
    assert share_link(link, "Try it: ok") == (
        "https://t.me/share/url?url=https%3A%2F%2Ft.me%2Fpenny_bot%3Fstart%3DAbC-_123"
        "&text=Try%20it%3A%20ok"
    )
