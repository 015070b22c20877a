"""Use cases for /categories and learned keywords: session keyword-only, plain values out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.categories import FALLBACK
from bot.core.rules import CategoriesCommand, rule_keyword
from models import rules
from models import transactions as tx
from models.categories import (
    MAX_PER_KIND,
    CategoryInfo,
    find_category,
    get_category,
    list_categories,
)
from models.rules import Rule
from models.services.results import STALE, Stale
from models.users import Profile


@dataclass(frozen=True)
class Catalog:
    expense: list[CategoryInfo]
    income: list[CategoryInfo]
    rules: list[Rule]
    done: str | None = None  # what the command just did, for the reply


@dataclass(frozen=True)
class Refused:
    reason: str


@dataclass(frozen=True)
class Learned:
    """A word Penny will now always file under ``category``."""

    keyword: str
    category: CategoryInfo


async def _catalog(session: AsyncSession, user_id: int, done: str | None = None) -> Catalog:
    return Catalog(
        await list_categories(session=session, user_id=user_id, kind="expense"),
        await list_categories(session=session, user_id=user_id, kind="income"),
        await rules.user_rules(session=session, user_id=user_id),
        done,
    )


async def categories_command(
    *, session: AsyncSession, profile: Profile, now: datetime, command: CategoriesCommand
) -> Catalog | Refused:
    """List, add, rename, re-emoji or remove categories, or forget a learned keyword."""
    user_id = profile.user_id
    if command.action == "list":
        return await _catalog(session, user_id)
    if command.action == "forget":
        if not await rules.forget(session=session, user_id=user_id, keyword=command.name):
            return Refused(f"I haven't learned “{command.name}”.")
        return await _catalog(session, user_id, f"Forgot “{command.name}”.")
    if command.action == "add":
        existing = await find_category(
            session=session, user_id=user_id, kind=command.kind, name=command.name
        )
        if existing is not None:
            return Refused(f"You already have {existing.label}.")
        added = await rules.add_category(
            session=session,
            user_id=user_id,
            kind=command.kind,
            name=command.name,
            emoji=command.emoji,
        )
        if added is None:
            return Refused(f"You have {MAX_PER_KIND} {command.kind} categories; remove one first.")
        return await _catalog(session, user_id, f"Added {added.label}.")
    found = await find_category(
        session=session, user_id=user_id, kind=command.kind, name=command.name
    )
    if command.action != "emoji" and command.name.casefold() == FALLBACK.casefold():
        return Refused(f"{FALLBACK} catches everything else, so it stays.")
    if not command.kind_given:
        # "remove Gifts" with an expense and an income Gifts: ask, never guess.
        other_kind = "income" if command.kind == "expense" else "expense"
        other = await find_category(
            session=session, user_id=user_id, kind=other_kind, name=command.name
        )
        if found is not None and other is not None:
            tail = {"rename": f" to {command.new_name}", "emoji": f" {command.emoji}"}
            how = f"{command.action} {{}} {found.name}{tail.get(command.action, '')}"
            return Refused(
                f"You have {found.name} in both expenses and income. Which one? "
                f"/categories {how.format('expense')} or /categories {how.format('income')}"
            )
        found = found or other
    if found is None:
        return Refused(f"You have no {command.kind} category called “{command.name}”.")
    if command.action == "emoji" and command.emoji:
        await rules.set_emoji(
            session=session, user_id=user_id, category_id=found.id, emoji=command.emoji
        )
        return await _catalog(session, user_id, f"{command.emoji} {found.name} it is.")
    if found.name == FALLBACK:
        return Refused(f"{FALLBACK} catches everything else, so it stays.")
    if command.action == "rename":
        clash = await find_category(
            session=session, user_id=user_id, kind=found.kind, name=command.new_name
        )
        if clash is not None and clash.id != found.id:
            return Refused(f"You already have a category called {command.new_name}.")
        await rules.rename_category(
            session=session,
            user_id=user_id,
            category_id=found.id,
            name=command.new_name,
            emoji=command.emoji,
        )
        emoji = command.emoji or found.emoji
        new_label = f"{emoji} {command.new_name}" if emoji else command.new_name
        return await _catalog(session, user_id, f"Renamed {found.name} to {new_label}.")
    fallback = await find_category(session=session, user_id=user_id, kind=found.kind, name=FALLBACK)
    assert fallback is not None, "every user has Other"
    moved = await rules.remove_category(
        session=session, user_id=user_id, category=found, fallback=fallback
    )
    return await _catalog(
        session, user_id, f"Removed {found.name}; {moved} transactions moved to {FALLBACK}."
    )


async def learn_rule(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int, category_id: int
) -> Learned | Stale:
    """Always file the transaction's keyword under the category."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    category = await get_category(session=session, user_id=profile.user_id, category_id=category_id)
    keyword = rule_keyword(entry.note) if entry else None
    if entry is None or category is None or keyword is None or category.kind != entry.kind:
        return STALE
    await rules.learn(
        session=session, user_id=profile.user_id, keyword=keyword, category_id=category.id
    )
    return Learned(keyword, category)
