"""Reading what people type: amounts, currencies, dates and categories, several entries a message.

The public face of the parser; the code lives in the modules beside this one (entries ties
them together). Pure: they import only the standard library, dateparser and ``bot.core``.
"""

from bot.core.parsing.dates import warm_up
from bot.core.parsing.entries import (
    AmountRejected,
    ParsedEntry,
    ParseError,
    parse_message,
)
from bot.core.parsing.kinds import match_category

__all__ = [
    "AmountRejected",
    "ParseError",
    "ParsedEntry",
    "match_category",
    "parse_message",
    "warm_up",
]
