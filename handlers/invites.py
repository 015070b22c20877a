"""/invite: a personal t.me link with a share button, and naming the inviter in a welcome."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.core.invites import invite_link, share_link
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, message_of
from models.services import invites as cases
from models.services.invites import InviteInfo, Welcome

logger = logging.getLogger(__name__)

SHOW_NAME = Button("invname")

SHARE_TEXT = "I track my money with Penny — just type “coffee 4.50”. Try it:"


def invite_text(info: InviteInfo, link: str) -> str:
    named = (
        "Your first name is shown to them in the welcome."
        if info.show_name
        else "They aren't told who invited them unless you switch that on below."
    )
    joined = f"\n\n{info.joined} joined through your link so far." if info.joined else ""
    return (
        f"💌 Your personal invite link:\n{link}\n\n"
        "Anyone who opens it starts their own Penny — their records stay theirs, "
        f"and you never see them. {named}{joined}"
    )


def invite_keyboard(info: InviteInfo, link: str) -> InlineKeyboardMarkup:
    toggle = "🙈 Don't show my name" if info.show_name else "👤 Show my name to them"
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📤 Share", url=share_link(link, SHARE_TEXT))],
            [InlineKeyboardButton(toggle, callback_data=SHOW_NAME.data())],
        ]
    )


async def invite(update: Update, context: Context) -> None:
    """Give the user their invite link and a share button."""
    info = await call(update, context, cases.my_invite)
    link = invite_link(context.bot.username, info.code)
    await message_of(update).reply_text(
        invite_text(info, link), reply_markup=invite_keyboard(info, link)
    )


@SHOW_NAME.handles
async def show_name_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Switch whether newcomers see who invited them."""
    info = await call(update, context, cases.my_invite, toggle_name=True)
    link = invite_link(context.bot.username, info.code)
    await query.answer("Your name will be shown" if info.show_name else "Your name stays hidden")
    await edit_pressed(
        query, context, invite_text(info, link), reply_markup=invite_keyboard(info, link)
    )


async def invited_by(context: Context, welcome: Welcome) -> str | None:
    """The inviter's first name, when they agreed to be named; Penny doesn't store names."""
    if welcome.inviter_id is None or not welcome.name_inviter:
        return None
    try:
        chat = await context.bot.get_chat(welcome.inviter_id)
    except TelegramError:
        logger.info("could not look up an inviter's name; welcoming without it")
        return None
    return chat.first_name or None
