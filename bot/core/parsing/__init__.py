"""Reading what people type: amounts, currencies, dates and categories, several entries a message,
and requests ("how much did I spend on food?", "change ₹500 food expense to ₹600").

The public face of the parser; the code lives in the modules beside this one (entries ties
them together). Pure: they import only the standard library, dateparser and ``bot.core``. The
word tables (``lexicon``, ``requests``, ``bot.core.keywords``) are English data, so another
language can be added beside them.
"""

from bot.core.parsing.dates import warm_up
from bot.core.parsing.entries import (
    AmountRejected,
    ParsedEntry,
    ParseError,
    TooManyNumbers,
    parse_message,
)
from bot.core.parsing.kinds import match_category
from bot.core.parsing.requests import Correction, Question, Request, read_request

__all__ = [
    "AmountRejected",
    "Correction",
    "ParseError",
    "ParsedEntry",
    "Question",
    "Request",
    "TooManyNumbers",
    "match_category",
    "parse_message",
    "read_request",
    "warm_up",
]
