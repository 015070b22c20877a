"""Time zones from what people type: ``Asia/Kolkata``, ``IST``, ``Mumbai``, ``new york``. Pure."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

# Abbreviations people use; several mean more than one place, so they offer a choice.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "IST": ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "CST": ("America/Chicago", "Asia/Shanghai"),
    "CDT": ("America/Chicago",),
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "ET": ("America/New_York",),
    "GMT": ("Europe/London", "UTC"),
    "BST": ("Europe/London",),
    "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "EET": ("Europe/Athens", "Europe/Helsinki"),
    "MSK": ("Europe/Moscow",),
    "GST": ("Asia/Dubai",),
    "PKT": ("Asia/Karachi",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "WIB": ("Asia/Jakarta",),
    "PHT": ("Asia/Manila",),
    "AEST": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney", "Australia/Melbourne"),
    "NZST": ("Pacific/Auckland",),
    "BRT": ("America/Sao_Paulo",),
    "SAST": ("Africa/Johannesburg",),
    "WAT": ("Africa/Lagos",),
    "EAT": ("Africa/Nairobi",),
}
# Big cities and countries the tz database names by another city.
PLACES: dict[str, tuple[str, ...]] = {
    "india": ("Asia/Kolkata",),
    "mumbai": ("Asia/Kolkata",),
    "bombay": ("Asia/Kolkata",),
    "delhi": ("Asia/Kolkata",),
    "new delhi": ("Asia/Kolkata",),
    "bangalore": ("Asia/Kolkata",),
    "bengaluru": ("Asia/Kolkata",),
    "chennai": ("Asia/Kolkata",),
    "hyderabad": ("Asia/Kolkata",),
    "pune": ("Asia/Kolkata",),
    "calcutta": ("Asia/Kolkata",),
    "beijing": ("Asia/Shanghai",),
    "china": ("Asia/Shanghai",),
    "japan": ("Asia/Tokyo",),
    "osaka": ("Asia/Tokyo",),
    "germany": ("Europe/Berlin",),
    "munich": ("Europe/Berlin",),
    "frankfurt": ("Europe/Berlin",),
    "france": ("Europe/Paris",),
    "uk": ("Europe/London",),
    "england": ("Europe/London",),
    "spain": ("Europe/Madrid",),
    "italy": ("Europe/Rome",),
    "milan": ("Europe/Rome",),
    "russia": ("Europe/Moscow",),
    "uae": ("Asia/Dubai",),
    "abu dhabi": ("Asia/Dubai",),
    "brazil": ("America/Sao_Paulo",),
    "rio": ("America/Sao_Paulo",),
    "rio de janeiro": ("America/Sao_Paulo",),
    "san francisco": ("America/Los_Angeles",),
    "seattle": ("America/Los_Angeles",),
    "boston": ("America/New_York",),
    "washington": ("America/New_York",),
    "miami": ("America/New_York",),
    "houston": ("America/Chicago",),
    "dallas": ("America/Chicago",),
    "usa": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "australia": ("Australia/Sydney", "Australia/Perth", "Australia/Brisbane"),
    "canada": ("America/Toronto", "America/Vancouver"),
}


@cache
def _zones() -> dict[str, str]:
    """Lower-case zone name -> its spelling."""
    return {name.lower(): name for name in available_timezones()}


@cache
def _by_city() -> dict[str, tuple[str, ...]]:
    """``kolkata`` -> the zones ending in that city (``Asia/Kolkata``)."""
    found: dict[str, list[str]] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            found.setdefault(city, []).append(name)
    return {city: tuple(names) for city, names in found.items()}


def resolve_zone(text: str) -> tuple[str, ...]:
    """The time zones ``text`` may mean, best first; empty when none."""
    words = " ".join(text.replace("_", " ").split())
    if not words:
        return ()
    exact = _zones().get(words.replace(" ", "_").lower())
    if exact is not None:
        return (exact,)
    if words.upper() in ABBREVIATIONS:
        return ABBREVIATIONS[words.upper()]
    key = words.lower()
    return PLACES.get(key) or _by_city().get(key, ())
