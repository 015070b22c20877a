"""The JSON API under ``/api/``: thin routes, one use case each, amounts as decimal strings.

Money never travels as a JSON number (a float on the other side); ids that aren't the
caller's answer 404 exactly like ids that don't exist.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.core.exporting import render_csv
from bot.core.money import AmountError, D, exponent
from models.budgets import BudgetView
from models.categories import CategoryInfo
from models.services import budgets as budget_services
from models.services import dashboard, logins
from models.services.results import Rejected, Stale
from models.transactions import Entry
from web import auth
from web.common import call
from web.context import web_of

logger = logging.getLogger(__name__)

routes = web.RouteTableDef()

MAX_JSON_BODY = 16 * 1024


def money(amount: Decimal, currency: str) -> str:
    """``"12.50"``: always the currency's own decimals, so no total comes out as a bare ``"0"``."""
    return str(amount.quantize(Decimal(1).scaleb(-exponent(currency))))


def category_json(category: CategoryInfo | None) -> dict[str, Any] | None:
    if category is None:
        return None
    return {
        "id": category.id,
        "kind": category.kind,
        "name": category.name,
        "emoji": category.emoji,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "amount": money(entry.amount, entry.currency),
        "currency": entry.currency,
        "category": category_json(entry.category),
        "note": entry.note,
        "date": entry.occurred_on.isoformat(),
    }


def budget_json(view: BudgetView) -> dict[str, Any]:
    status = view.status
    return {
        "id": view.id,
        "name": view.name,
        "category_id": view.category.id if view.category else None,
        "frequency": view.frequency,
        "currency": status.currency,
        "limit": money(status.limit, status.currency),
        "spent": money(status.spent, status.currency),
        "left": money(status.left, status.currency),
        "period": {"start": status.period.start.isoformat(), "end": status.period.end.isoformat()},
    }


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def not_found() -> web.Response:
    return error(404, "not found")


# The id columns' ranges (categories and budgets are INTEGER on PostgreSQL, transactions
# BIGINT): a bigger number can name nothing, and the database would refuse to compare it.
INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1


def positive_id(text: str, top: int) -> int | None:
    """``text`` as an id in 1..top; None for anything else (``١٢`` and ``+3`` included)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(top)):
        return None
    value = int(text)
    return value if 0 < value <= top else None


def path_id(request: web.Request, name: str = "id", *, top: int = INT64_MAX) -> int | None:
    return positive_id(request.match_info.get(name, ""), top)


async def body(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when it isn't one (or is too big to be ours)."""
    if request.content_type != "application/json":
        return None
    # read(n) answers what has arrived so far, up to n: a body in several TCP segments
    # needs several reads.
    raw = b""
    while len(raw) <= MAX_JSON_BODY:
        piece = await request.content.read(MAX_JSON_BODY + 1 - len(raw))
        if not piece:
            break
        raw += piece
    if len(raw) > MAX_JSON_BODY:
        return None
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def cursor_of(text: str) -> tuple[date, int] | None:
    """``2026-11-20.1834`` (the last row's date and id) as a paging cursor."""
    day, _, tx_text = text.partition(".")
    tx_id = positive_id(tx_text, INT64_MAX)
    try:
        return (date.fromisoformat(day), tx_id) if tx_id is not None else None
    except ValueError:
        return None


def cursor_text(cursor: tuple[date, int] | None) -> str | None:
    return None if cursor is None else f"{cursor[0].isoformat()}.{cursor[1]}"


def category_param(request: web.Request) -> int | None:
    return positive_id(request.query.get("category", ""), INT32_MAX)


def decimal_text(value: Any) -> str | None:
    """An amount from JSON: a string or an integer; a float has already lost the cents."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value)


# --- signing in ---


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    """Trade a one-time login link's token for a session cookie."""
    site = web_of(request)
    data = await body(request)
    if (
        data is None
        or not isinstance(data.get("token"), str)
        or not auth.same_origin(request, site)
    ):
        return error(400, "send the link's token as JSON")
    async with site.sessions.begin() as session:
        opened = await logins.open_link(session=session, now=site.clock(), token=data["token"])
    if isinstance(opened, Stale):
        logger.info("dashboard refused a used, expired or unknown login link")
        return error(401, "This login link was already used or has expired.")
    logger.info("dashboard login link opened")
    response = web.json_response({"csrf": auth.csrf_token(opened.session.token)})
    lifetime = int((opened.session.expires_at - site.clock()).total_seconds())
    auth.set_session_cookie(response, site, opened.session.token, lifetime)
    return response


@routes.get("/api/session")
async def session_info(request: web.Request) -> web.Response:
    """Who is signed in, and the CSRF token a browser session writes with."""
    who = await auth.caller(request)
    csrf = auth.csrf_token(who.session_token) if who.session_token else None
    return web.json_response({"csrf": csrf, "telegram": who.session_token is None})


@routes.post("/api/logout")
async def logout(request: web.Request) -> web.Response:
    who = await auth.caller(request, write=True)
    site = web_of(request)
    if who.session_token is not None:
        async with site.sessions.begin() as session:
            await logins.end_session(session=session, now=site.clock(), token=who.session_token)
    response = web.json_response({"signed_out": True})
    auth.clear_session_cookie(response)
    return response


# --- reading ---


@routes.get("/api/summary")
async def summary(request: web.Request) -> web.Response:
    """The period at a glance: ``?period=month`` (the default), ``last month``, ``m1``, …"""
    who = await auth.caller(request)
    result = await call(request, who, dashboard.summary, period=request.query.get("period", ""))
    if isinstance(result, dashboard.Unreadable):
        return error(400, "unreadable period")
    return web.json_response(
        {
            "period": {
                "start": result.period.start.isoformat(),
                "end": result.period.end.isoformat(),
                "label": result.label,
                "key": result.key,
            },
            "currency": result.currency,
            "income": money(result.income, result.currency),
            "expenses": money(result.expenses, result.currency),
            "net": money(result.net, result.currency),
            "safe_daily": None
            if result.safe_daily is None
            else {
                "amount": money(result.safe_daily.amount, result.currency),
                "days": result.safe_daily.days,
                "basis": result.safe_daily.basis,
            },
            "projected_expenses": None
            if result.projection is None
            else money(result.projection, result.currency),
            "budgets": [budget_json(view) for view in result.budgets],
            "goals": [
                {
                    "id": g.id,
                    "name": g.name,
                    "currency": g.progress.currency,
                    "saved": money(g.progress.saved, g.progress.currency),
                    "target": money(g.progress.target, g.progress.currency),
                    "percent": g.progress.percent,
                    "deadline": g.deadline.isoformat() if g.deadline else None,
                    "reached": g.progress.reached,
                }
                for g in result.goals
            ],
            "top_categories": [
                {
                    "category_id": c.category_id,
                    "label": c.label,
                    "amount": money(c.amount, result.currency),
                    "share": str(c.share.quantize(Decimal("0.0001"))),
                }
                for c in result.top
            ],
            "other_currencies": {
                cur: {
                    "income": money(i, cur),
                    "expenses": money(e, cur),
                    "net": money(i - e, cur),
                }
                for cur, (i, e) in result.others.items()
            },
        }
    )


@routes.get("/api/transactions")
async def transactions(request: web.Request) -> web.Response:
    """A page of transactions: ``period``, ``category``, ``kind``, ``q`` and ``after``."""
    who = await auth.caller(request)
    page = await call(request, who, dashboard.transactions, **filters_of(request))
    if isinstance(page, dashboard.Unreadable):
        return error(400, "unreadable period")
    return web.json_response(
        {
            "count": page.count,
            "next": cursor_text(page.next_cursor),
            "entries": [entry_json(e) for e in page.entries],
        }
    )


def filters_of(request: web.Request) -> dict[str, Any]:
    """The list's filters from the query string; a member filter joins them with issue 17."""
    query = request.query
    return {
        "period": query.get("period", "")[:40],
        "category_id": category_param(request),
        "kind": query.get("kind") or None,
        "text": query.get("q", "")[:100],
        "after": cursor_of(query.get("after", "")),
    }


# --- writing ---


@routes.patch("/api/transactions/{id}")
async def edit_transaction(request: web.Request) -> web.Response:
    """Change an entry: any of ``amount`` (decimal string), ``note``, ``date``, ``category_id``."""
    who = await auth.caller(request, write=True)
    tx_id, data = path_id(request), await body(request)
    if tx_id is None:
        return not_found()
    if data is None:
        return error(400, "send the changes as a JSON object")
    changes: dict[str, Any] = {}
    if "amount" in data:
        changes["amount"] = decimal_text(data["amount"])
        if changes["amount"] is None:
            return error(422, 'Send the amount as a string, like "12.50".')
    for field, name in (("note", "note"), ("date", "occurred_on")):
        if field in data:
            if not isinstance(data[field], str):
                return error(422, f"{field} must be a string")
            changes[name] = data[field]
    if "category_id" in data:
        category = data["category_id"]
        if not isinstance(category, int) or isinstance(category, bool):
            return error(422, "category_id must be a number")
        if not 0 < category <= INT32_MAX:
            return error(422, dashboard.NOT_YOUR_CATEGORY)
        changes["category_id"] = category
    result = await call(request, who, dashboard.edit_entry, tx_id=tx_id, **changes)
    if isinstance(result, Stale):
        return not_found()
    if isinstance(result, Rejected):
        return error(422, result.reason)
    return web.json_response(entry_json(result.entry))


@routes.delete("/api/transactions/{id}")
async def delete_transaction(request: web.Request) -> web.Response:
    who = await auth.caller(request, write=True)
    tx_id = path_id(request)
    if tx_id is None:
        return not_found()
    result = await call(request, who, dashboard.delete_entry, tx_id=tx_id)
    if isinstance(result, Stale):
        return not_found()
    return web.json_response({"deleted": entry_json(result)})


@routes.put("/api/budgets/{id}")
async def set_budget_limit(request: web.Request) -> web.Response:
    """Set a budget's limit: ``{"limit": "500"}``."""
    who = await auth.caller(request, write=True)
    budget_id, data = path_id(request, top=INT32_MAX), await body(request)
    if budget_id is None:
        return not_found()
    text = decimal_text((data or {}).get("limit"))
    try:
        amount = D(text.strip().replace(",", "")) if text else None
    except AmountError:
        amount = None
    if amount is None:
        return error(422, 'Send the limit as a string, like "500".')
    result = await call(request, who, budget_services.set_limit, budget_id=budget_id, amount=amount)
    if isinstance(result, Stale):
        return not_found()
    if isinstance(result, budget_services.BadLimit):
        return error(422, result.reason)
    return web.json_response(budget_json(result))


# --- export ---


@routes.get("/api/export")
async def export(request: web.Request) -> web.Response:
    """The period's transactions (``?period=all`` for every one) as Penny's CSV."""
    who = await auth.caller(request)
    found = await call(request, who, dashboard.export, period=request.query.get("period", "all"))
    if isinstance(found, dashboard.Unreadable):
        return error(400, "unreadable period")
    content, _ = render_csv(found.rows)
    return web.Response(
        body=content,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@routes.post("/api/export/send")
async def export_to_chat(request: web.Request) -> web.Response:
    """Send the period's CSV into the user's chat with Penny (downloads can't leave Telegram)."""
    who = await auth.caller(request, write=True)
    site = web_of(request)
    data = await body(request) or {}
    period = data.get("period") if isinstance(data.get("period"), str) else "all"
    found = await call(request, who, dashboard.export, period=period)
    if isinstance(found, dashboard.Unreadable):
        return error(400, "unreadable period")
    if site.send_document is None:
        return error(503, "sending to the chat isn't available here")
    if not found.rows:
        return error(422, "There are no transactions to export for that period.")
    content, count = render_csv(found.rows)
    sent = await site.send_document(
        who.user_id,
        found.filename,
        content,
        f"{found.label}: {count} transaction{'' if count == 1 else 's'} (CSV)",
    )
    if not sent:
        # Blocked, flood-limited or down: the download button still works.
        return error(502, "Telegram didn't take the file just now; try again or download it.")
    return web.json_response({"sent": count})
