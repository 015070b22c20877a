"""/privacy explains what Penny stores; /deleteme erases all of it after a confirmation tap."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update

from charts.worker import forget_user as forget_charts
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from models.services import account

logger = logging.getLogger(__name__)

ERASE = Button("erase", fields=("yes|no", r"\d{1,18}"))  # choice, the prompt's number


def unwrapped(text: str) -> str:
    """Source lines joined back into paragraphs: Telegram wraps text to the screen itself, and a
    hard break at ~95 characters leaves a ragged half line on every phone. A line starting with
    • or / starts a new line; a blank line a new paragraph."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not line.lstrip().startswith(("•", "/")):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


PRIVACY_TEXT = """What Penny stores, and why

• Your Telegram user id — to know which records are yours. Not your name, username or phone.
• Your currency and time zone — to read amounts and to know what “today” is for you.
• Your categories — the defaults plus any you add, to file transactions.
• Each transaction: date, expense or income, amount, currency, category, note, whether it is
  still to sort, and the id of the chat message it came from — so editing that message can
  update it.
• A CSV you uploaded to /import until you confirm or cancel it (at most a day) — so the next
  tap can finish the job.
• Budgets, schedules and rules you set, when you use those features.
• Savings goals, what you put aside toward them and your savings target, if you set them;
  the days you logged or said “nothing today” (for the streak) and the points you earned.
• Notes you send with /feedback, ratings you tap, and the answers. A note is also forwarded
  to the operator's chat, where that copy stays after /deleteme.
• Your /invite code, whether newcomers may see your first name (Penny asks Telegram for it
  when one arrives and doesn't keep it), and which accounts started through your link.
• Whether you joined /compare: only then do your category shares count in its medians.
• The numeric ids of updates already handled (no content, kept a day) — so a message Telegram
  delivers twice is recorded once.
• For /dashboard: a fingerprint (hash) of each login link and browser session, until it expires
  (10 minutes, 7 days) — so only you can open your dashboard.

Penny does not store your other messages, contacts or location, does not share or sell
anything, and logs no message texts in normal operation. Nobody else can see your data in the
bot; only the people who run this server can access its database.

/export — your transactions (CSV, or /export xlsx)
/export json — all of the above in one file (but login fingerprints and update ids)
/deleteme — erase everything Penny stores about you"""
PRIVACY = unwrapped(PRIVACY_TEXT)

CONFIRM = (
    "This erases everything Penny stores about you: every transaction, category, budget, "
    "goal, schedule, rule and setting. It can't be undone — /export first if you want a copy.\n\n"
    "Erase everything?"
)


async def privacy(update: Update, context: Context) -> None:
    """Explain exactly what is stored and what for."""
    await message_of(update).reply_text(PRIVACY)


async def deleteme(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing the user's data."""
    nonce = await call(update, context, account.ask_erase)
    await message_of(update).reply_text(
        CONFIRM,
        reply_markup=keyboard(
            [("🗑 Erase everything", ERASE.data("yes", nonce)), ("Cancel", ERASE.data("no", nonce))]
        ),
    )


@ERASE.handles_text
async def deleteme_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Erase every row of the user after the confirmation tap, or keep everything on Cancel.

    Each prompt works once and for a few minutes; an older or used one has expired.
    """
    choice, nonce = parts
    erased = fresh(
        await call(update, context, account.answer_erase, nonce=int(nonce), erase=choice == "yes")
    )
    await query.answer()
    if erased is None:
        await edit_pressed(query, context, "Nothing was erased.")
        return
    logger.info("erased a user's data: %d rows", sum(erased.counts.values()))
    forget_charts(query.from_user.id)
    await edit_pressed(
        query,
        context,
        f"Done. I erased everything I stored about you ({erased.transactions} transactions, "
        "your categories and settings). If you write again, Penny starts fresh.",
    )
