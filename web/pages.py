"""The pages: the shell every visit loads, and the views it fetches as server-rendered HTML.

The shell holds no data, so it is the same for everyone and never needs a login; each view is
one authenticated request running one use case, rendered to HTML on the server (SVG charts
included) that the page's script swaps in.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.core.budgets import BudgetCommand
from models.services import budgets as budget_services
from models.services import dashboard
from web import auth
from web.api import cursor_text, filters_of
from web.common import call
from web.context import web_of
from web.render import page

routes = web.RouteTableDef()

RELATIVE_KEY = re.compile(r"([dwmy])(\d{1,2})")
PERIOD_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def neighbours(key: str) -> dict[str, str | None]:
    """The keys one period earlier and later (``m0`` ↔ ``m1``); None where there is none."""
    found = RELATIVE_KEY.fullmatch(key)
    if found is None:
        return {"earlier": None, "later": None}
    prefix, back = found.group(1), int(found.group(2))
    return {
        "earlier": f"{prefix}{back + 1}" if back < 99 else None,
        "later": f"{prefix}{back - 1}" if back > 0 else None,
    }


@routes.get("/")
@routes.get("/login")
async def shell(request: web.Request) -> web.Response:
    """The page itself; it signs in with what the URL's fragment holds, then loads a view."""
    site = web_of(request)
    return html(page("shell.html", asset=lambda name: site.static_url(name)))


@routes.get("/view/summary")
async def summary_view(request: web.Request) -> web.Response:
    who = await auth.caller(request)
    result = await call(request, who, dashboard.summary, period=request.query.get("period", ""))
    if isinstance(result, dashboard.Unreadable):
        return html(page("unreadable.html"), status=400)
    return html(page("summary.html", s=result, nav=neighbours(result.key)))


@routes.get("/view/transactions")
async def transactions_view(request: web.Request) -> web.Response:
    who = await auth.caller(request)
    filters = filters_of(request)
    result = await call(request, who, dashboard.transactions, **filters)
    if isinstance(result, dashboard.Unreadable):
        return html(page("unreadable.html"), status=400)
    values: dict[str, Any] = {
        "p": result,
        "next": cursor_text(result.next_cursor),
        "query": {
            "period": result.period_key,
            "category": "" if filters["category_id"] is None else str(filters["category_id"]),
            "kind": result.filters.kind or "",
            "q": result.filters.text,
        },
    }
    template = "rows.html" if filters["after"] is not None else "transactions.html"
    return html(page(template, **values))


@routes.get("/view/budgets")
async def budgets_view(request: web.Request) -> web.Response:
    who = await auth.caller(request)
    result = await call(request, who, budget_services.budget_command, command=BudgetCommand("show"))
    assert isinstance(result, budget_services.Budgets)  # "show" names no category
    return html(page("budgets.html", b=result))


@routes.get("/view/charts")
async def charts_view(request: web.Request) -> web.Response:
    who = await auth.caller(request)
    result = await call(request, who, dashboard.charts, period=request.query.get("period", ""))
    if isinstance(result, dashboard.Unreadable):
        return html(page("unreadable.html"), status=400)
    return html(page("charts.html", c=result, nav=neighbours(result.key)))
