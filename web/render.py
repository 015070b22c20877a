"""HTML from use-case results: Jinja2 templates with autoescaping, and their filters.

Notes and category names are the user's own text: autoescaping is what keeps them text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.core.money import format_amount
from bot.core.periods import relative_day
from web import svg


def _money(amount: Decimal, currency: str, sign: bool = False) -> str:
    return format_amount(amount, currency, sign=sign)


def _number(amount: Decimal, currency: str) -> str:
    """``1,838.45``: the amount as its currency writes it, without the code."""
    return format_amount(amount, currency).rsplit(" ", 1)[0]


def _signed(amount: Decimal, kind: str, currency: str) -> str:
    return format_amount(amount if kind == "income" else -amount, currency, sign=True)


def _day(day: date, today: date) -> str:
    text = relative_day(day, today)
    return text[:1].upper() + text[1:]  # "Today", "Sat 21 Nov" (capitalize() would lower "Nov")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, number=_number, signed=_signed, day=_day, percent=svg.percent)
    env.globals.update(donut=svg.donut, bars=svg.bars)
    return env


ENVIRONMENT = _environment()


def page(template: str, **values: Any) -> str:
    return ENVIRONMENT.get_template(template).render(**values)
