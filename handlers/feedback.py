"""/feedback to the makers (forwarded to ADMIN_CHAT_ID with an id) and the one-tap rating."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed_markup, fresh, message_of, runtime
from models.services import feedback as cases
from models.services.feedback import FeedbackSaved

logger = logging.getLogger(__name__)

RATE = Button("rate", ints=1)  # stars, 1–5
RATE_LATER = Button("ratex")
RATE_OFF = Button("rateoff")

USAGE = (
    "Tell the people who make Penny what to keep, fix or add: /feedback and your words, e.g.\n"
    "/feedback I'd like a weekly budget for groceries only\n\n"
    "Every note is read; if they answer, the answer comes here."
)
RATING_QUESTION = "How is Penny working for you? One tap — or just ignore this."


def rating_keyboard() -> InlineKeyboardMarkup:
    stars = [InlineKeyboardButton(f"{n}⭐", callback_data=RATE.data(n)) for n in range(1, 6)]
    return InlineKeyboardMarkup(
        [
            stars,
            [
                InlineKeyboardButton("Not now", callback_data=RATE_LATER.data()),
                InlineKeyboardButton("Don't ask again", callback_data=RATE_OFF.data()),
            ],
        ]
    )


def forwarded_text(feedback_id: int, text: str) -> str:
    return f"📨 Feedback #{feedback_id}\n\n{text}\n\nAnswer with /reply {feedback_id} your text"


async def feedback(update: Update, context: Context) -> None:
    """Store a note for the makers and forward it to the operator's chat."""
    message = message_of(update)
    # Everything after the command as typed, line breaks kept (context.args would lose them).
    parts = (message.text or "").split(maxsplit=1)
    text = parts[1].strip() if len(parts) > 1 else ""
    if not text:
        await message.reply_text(USAGE)
        return
    result = await call(update, context, cases.send_feedback, text=text)
    if not isinstance(result, FeedbackSaved):
        await message.reply_text(f"⚠️ {result.reason} Nothing was sent.")
        return
    admin = runtime(context).settings.admin_chat_id
    forwarded = False
    if admin is not None:
        try:
            await context.bot.send_message(admin, forwarded_text(result.id, text))
            forwarded = True
        except TelegramError:
            # Stored either way; the operator can read it in the database.
            logger.warning(
                "forwarding feedback %d to the admin chat failed", result.id, exc_info=True
            )
    if forwarded:
        reply = (
            f"🙏 Thanks — the people who run Penny read every note (#{result.id}). "
            "If they answer, you'll see it here."
        )
    else:
        reply = f"🙏 Thanks — I saved your note (#{result.id}) for the people who run Penny."
    await message.reply_text(reply)


@RATE.handles
async def rate_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Keep the tapped rating and take the buttons away."""
    rated = fresh(await call(update, context, cases.rate, stars=ids[0]))
    await query.answer(f"Thanks for the {rated.stars}⭐! /feedback tells the makers more.")
    await edit_pressed_markup(query, context, None)


@RATE_LATER.handles
async def rate_later_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Dismiss the rating for now (it may come back after a month)."""
    await query.answer("OK — not now.")
    await edit_pressed_markup(query, context, None)


@RATE_OFF.handles
async def rate_off_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Never offer the rating again."""
    await call(update, context, cases.rating_off)
    await query.answer("OK — I won't ask again.")
    await edit_pressed_markup(query, context, None)
