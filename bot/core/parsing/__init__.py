"""Reading what people type: amounts, currencies, dates and categories, several entries a message.

The public face of the parser; the code lives in the modules beside this one.
"""

from bot.core.parsing.dates import warm_up
from bot.core.parsing.entries import (
    AmountRejected,
    ParsedEntry,
    ParseError,
    match_category,
    parse_message,
)

__all__ = [
    "AmountRejected",
    "ParseError",
    "ParsedEntry",
    "match_category",
    "parse_message",
    "warm_up",
]
