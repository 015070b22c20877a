"""Penny in a group: the welcome, Join, /split, /debts, /settle, and members coming and going.

A group's ledger is decided by ``handlers.common.call`` from the chat; this module adds what only
a group has. ``members_only`` runs before every button handler, so a press on a group's button by
anyone who is not a member changes nothing, whichever handler the button belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import CallbackQuery, ChatMember, Message, MessageEntity, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.core.households import take_handles
from bot.core.money import format_amount, to_minor
from handlers import render
from handlers.buttons import Button, NotMember
from handlers.common import (
    GROUP_CHATS,
    Context,
    call,
    call_joining,
    edit_pressed,
    fresh,
    keyboard,
    message_of,
    unit_of_work,
)
from handlers.entries import logged_keyboard, send_alerts
from models.services import households, splits
from models.services.households import Household
from models.services.receipts import Logged
from models.services.results import Rejected, Stale
from models.services.splits import Debts, Settled, Who

logger = logging.getLogger(__name__)

JOIN = Button("join")
# payer member, payee member, amount in minor units, currency
SETTLE = Button("st", fields=(r"\d{1,18}", r"\d{1,18}", r"\d{1,15}", r"[A-Z]{3}"))

IN_CHAT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})

SPLIT_USAGE = (
    "Usage: /split amount what [@member …] — for example /split 90 taxi @ben. "
    "Without names it is shared equally among everyone here."
)
SETTLE_USAGE = "Record a payment: /settle 40 @ben (you paid Ben 40), or tap one below."
PRIVATE_ONLY = "That works in our private chat: message me directly."

WELCOME = (
    "👋 I'm Penny, and this is {title}'s shared ledger. Everyone who writes here (or taps Join) "
    "is a member.\n\n"
    "Log what you paid: /add groceries 80{free_text}\n"
    "Share it: /add dinner 120 split (equally among members), /split 90 taxi @ben (with some), "
    "or ➗ Split on a receipt.\n"
    "/debts — who owes whom · /settle — record a payment\n"
    "/balance, /report, /chart, /history, /export — the household's figures\n\n"
    "Nothing from anyone's private chat with me shows here, and nothing from here shows there, "
    "except each member's own share in their private /balance."
)

FREE_TEXT = " — or just “groceries 80”"
PRIVACY_MODE = (
    "\n\nI can only see commands and replies to me here, so plain messages like “groceries 80” "
    "pass me by. Use /add, reply to me — or let me read the group: make me an admin, or turn "
    "off privacy mode in @BotFather (/setprivacy → Disable) and add me again."
)


# --- who may act ---


async def members_only(update: Update, context: Context) -> None:
    """Stop a press on a group's button by anyone who isn't a member, before any handler runs."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or chat.type not in GROUP_CHATS:
        return
    if JOIN.parse(query.data) is not None:
        return  # anyone in the group may join; the Join handler checks they are in it
    async with unit_of_work(context) as session:
        member = await households.is_member(
            session=session, chat_id=chat.id, person_id=query.from_user.id
        )
    if not member:
        await query.answer(NotMember.text)
        raise ApplicationHandlerStop


async def _in_chat(context: Context, chat_id: int, person_id: int) -> bool:
    """Whether Telegram says ``person_id`` is in the group now."""
    try:
        found = await context.bot.get_chat_member(chat_id, person_id)
    except TelegramError:
        return False
    return found.status in IN_CHAT or bool(getattr(found, "is_member", False))


async def _reads_everything(context: Context, chat_id: int) -> bool:
    """Whether Penny receives every message here: privacy mode off, or an admin of the group."""
    if context.bot.can_read_all_group_messages:
        return True
    try:
        me = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        return False
    return me.status in {ChatMember.ADMINISTRATOR, ChatMember.OWNER}


# --- welcome and Join ---


def welcome_text(household: Household, *, reads_everything: bool) -> str:
    text = WELCOME.format(
        title=household.title or "this group", free_text=FREE_TEXT if reads_everything else ""
    )
    if not reads_everything:
        text += PRIVACY_MODE
    return text + "\n\n" + members_line(household)


def members_line(household: Household) -> str:
    names = ", ".join(m.name for m in household.active) or "nobody yet"
    return f"Members: {names}"


async def send_welcome(update: Update, context: Context, household: Household) -> None:
    chat = update.effective_chat
    assert chat is not None
    reads = await _reads_everything(context, chat.id)
    await context.bot.send_message(
        chat.id,
        welcome_text(household, reads_everything=reads),
        reply_markup=keyboard([("🙋 Join", JOIN.data())]),
    )


async def group_start(update: Update, context: Context) -> None:
    """/start in a group: open the household's ledger and say how it works."""
    household = await call(update, context, households.household)
    await send_welcome(update, context, household)


@JOIN.handles
async def join_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Make the person who tapped Join a member, if Telegram says they are in the group."""
    chat = update.effective_chat
    if chat is None or chat.type not in GROUP_CHATS:
        raise NotMember
    if not await _in_chat(context, chat.id, query.from_user.id):
        raise NotMember
    household = await call_joining(update, context, households.household)
    await query.answer(f"Welcome, {query.from_user.first_name}!")
    message = query.message
    if isinstance(message, Message) and message.text:
        head = message.text.rsplit("\n\nMembers:", 1)[0]
        text = f"{head}\n\n{members_line(household)}"
        if text != message.text:
            await edit_pressed(query, context, text, reply_markup=message.reply_markup)


async def bot_membership(update: Update, context: Context) -> None:
    """Penny was added to a group (welcome; whoever added it joins), or made an admin there."""
    changed = update.my_chat_member
    if changed is None or changed.chat.type not in GROUP_CHATS:
        return
    old, new = changed.old_chat_member.status, changed.new_chat_member.status
    present = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR}
    if new in present and old not in present:
        household = await call_joining(update, context, households.household)
        await send_welcome(update, context, household)
    elif (
        new == ChatMember.ADMINISTRATOR
        and old == ChatMember.MEMBER
        and not context.bot.can_read_all_group_messages
    ):
        await context.bot.send_message(
            changed.chat.id,
            "Thanks! As an admin I read the group, so plain messages like “groceries 80” "
            "are recorded now.",
        )


async def member_changed(update: Update, context: Context) -> None:
    """Someone left or was removed from the group: they lose access, their share stays."""
    changed = update.chat_member
    if changed is None or changed.chat.type not in GROUP_CHATS:
        return
    if changed.new_chat_member.status in {ChatMember.LEFT, ChatMember.BANNED}:
        person = changed.new_chat_member.user
        if person.id != context.bot.id:
            await call(update, context, households.left, person_id=person.id)


async def member_left(update: Update, context: Context) -> None:
    """The "X left the group" service message (Penny gets it even without admin rights)."""
    person = message_of(update).left_chat_member
    if person is not None and person.id != context.bot.id:
        await call(update, context, households.left, person_id=person.id)


async def group_moved(update: Update, context: Context) -> None:
    """The group became a supergroup with a new chat id: its ledger moves with it."""
    message = message_of(update)
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    async with unit_of_work(context) as session:
        moved = await households.moved(session=session, old_chat_id=old, new_chat_id=new)
    logger.info("group ledger moved to its supergroup: %s", moved)


# --- splitting ---


def who_of(message: Message, text: str) -> tuple[str, Who]:
    """The text without the people it names, and who they are (@handles, or picked users)."""
    person_ids: list[int] = []
    for entity, shown in message.parse_entities([MessageEntity.TEXT_MENTION]).items():
        if entity.user is not None:
            person_ids.append(entity.user.id)
            text = text.replace(shown, " ", 1)
    rest, handles = take_handles(text)
    return rest, Who(tuple(handles), tuple(person_ids))


def _command_text(message: Message) -> str:
    parts = (message.text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def split_command(update: Update, context: Context) -> None:
    """/split 90 taxi @ben: an expense you paid, shared with the members you name (or all)."""
    message = message_of(update)
    if message.chat.type not in GROUP_CHATS:
        await message.reply_text("Splitting works in a group with the people you share with.")
        return
    text, who = who_of(message, _command_text(message))
    if not text.strip():
        await message.reply_text(SPLIT_USAGE)
        return
    outcome = await call(
        update,
        context,
        splits.record_split,
        text=text,
        chat_id=message.chat_id,
        message_id=message.message_id,
        who=who,
    )
    if isinstance(outcome, Logged):
        await message.reply_text(render.logged_text(outcome), reply_markup=logged_keyboard(outcome))
        await send_alerts(message, outcome)
    elif isinstance(outcome, Rejected):
        await message.reply_text(f"⚠️ {outcome.reason} Nothing was saved.")
    else:
        await message.reply_text(SPLIT_USAGE)


# --- who owes whom ---


def debts_text(result: Debts) -> str:
    if result.settled:
        return "✨ Everyone is square: nobody owes anybody."
    lines = ["💸 Who owes whom (the fewest payments that settle everyone):"]
    lines += [
        f"• {t.payer} → {t.payee}: {format_amount(t.amount, t.currency)}" for t in result.transfers
    ]
    return "\n".join(lines)


def settle_keyboard(result: Debts) -> list[tuple[str, str]]:
    return [
        (
            f"✅ {t.payer} paid {t.payee} {format_amount(t.amount, t.currency)}",
            SETTLE.data(t.payer_id, t.payee_id, to_minor(t.amount, t.currency), t.currency),
        )
        for t in result.transfers
    ]


async def debts_command(update: Update, context: Context) -> None:
    """/debts: who owes whom in the household."""
    message = message_of(update)
    if message.chat.type not in GROUP_CHATS:
        await message.reply_text("Debts are kept in a group's shared ledger: ask there.")
        return
    result = await call(update, context, splits.debts)
    hint = "" if result.settled else "\n\n/settle records a payment."
    await message.reply_text(debts_text(result) + hint)


async def settle_command(update: Update, context: Context) -> None:
    """/settle: buttons for the payments that settle everyone; /settle 40 @ben records one."""
    message = message_of(update)
    if message.chat.type not in GROUP_CHATS:
        await message.reply_text("Debts are kept in a group's shared ledger: settle them there.")
        return
    text, who = who_of(message, _command_text(message))
    if text.strip() or not who.everyone:
        outcome = await call(
            update,
            context,
            splits.settle_typed,
            text=text,
            who=who,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
        if isinstance(outcome, Settled):
            await message.reply_text(settled_text(outcome))
        elif isinstance(outcome, Rejected):
            await message.reply_text(f"⚠️ {outcome.reason}")
        else:
            await message.reply_text("That payment is already recorded.")
        return
    result = await call(update, context, splits.debts)
    if result.settled:
        await message.reply_text(debts_text(result))
        return
    await message.reply_text(
        f"{debts_text(result)}\n\n{SETTLE_USAGE}",
        reply_markup=keyboard(settle_keyboard(result), per_row=1),
    )


def settled_text(result: Settled) -> str:
    paid = format_amount(result.amount, result.currency)
    return f"🤝 Recorded: {result.payer} paid {result.payee} {paid}.\n\n{debts_text(result.debts)}"


@SETTLE.handles_text
async def settle_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Record the payment the button offers, then show what is still owed."""
    payer, payee, minor, currency = parts
    message = query.message
    if not isinstance(message, Message):
        raise NotMember
    result: Settled | Stale = await call(
        update,
        context,
        splits.settle_transfer,
        payer_id=int(payer),
        payee_id=int(payee),
        amount_minor=int(minor),
        currency=currency,
        chat_id=message.chat_id,
        message_id=message.message_id,
    )
    settled = fresh(result)
    await query.answer("Recorded")
    buttons: Sequence[tuple[str, str]] = settle_keyboard(settled.debts)
    await edit_pressed(
        query,
        context,
        settled_text(settled),
        reply_markup=keyboard(buttons, per_row=1) if buttons else None,
    )
