"""/privacy explains what Penny stores; /deleteme erases all of it after a confirmation tap."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ChatMember, Update
from telegram.error import TelegramError

from charts.worker import forget_user as forget_charts
from handlers.buttons import Button
from handlers.common import GROUP_CHATS, Context, call, edit_pressed, fresh, keyboard, message_of
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
• In a group that uses Penny: the group's shared ledger, and for each member their user id,
  first name and username — to say who paid what and who owes whom there.

Penny does not store your other messages, contacts or location, does not share or sell
anything, and logs no message texts in normal operation. Nobody else can see your data in the
bot; only the people who run this server can access its database.

/export — your transactions (CSV, or /export xlsx)
/export json — all of the above in one file (but login fingerprints and update ids; a group's
  shared ledger is exported in the group)
/deleteme — erase everything Penny stores about you. Your entries in a group's shared ledger
  stay there, paid by “a former member”, so the others' figures and debts still add up; they
  go only when the group erases its whole ledger (/deleteme in the group, by an admin)."""
PRIVACY = unwrapped(PRIVACY_TEXT)

GROUP_PRIVACY_TEXT = """What Penny stores for this group, and why

• The group's id and title, its currency, time zone and settings, categories and budgets.
• Each entry: date, expense or income, amount, currency, category, note, who paid it, how it is
  split, and the id of the message it came from — so editing that message can update it.
• For each member: their Telegram user id, first name and username, when they joined and left —
  to say who paid what and who owes whom. Payments recorded with /settle.

Nobody outside the group sees it, and nothing from anyone's private chat with Penny shows here.
Someone who leaves the group loses access; their share stays in the debts. A member who erases
their own data (/deleteme in private) stays in these figures as “a former member”.

/export — download the household's entries (CSV with a member column, or /export xlsx)
/deleteme — erase this group's whole shared ledger (an admin of the group confirms)"""
GROUP_PRIVACY = unwrapped(GROUP_PRIVACY_TEXT)

CONFIRM = (
    "This erases everything Penny stores about you: every transaction, category, budget, "
    "goal, schedule, rule and setting. It can't be undone — /export first if you want a copy.\n\n"
    "In groups' shared ledgers your entries stay, as “a former member”'s, so the others' "
    "figures still add up.\n\n"
    "Erase everything?"
)


GROUP_CONFIRM = (
    "This erases this group's whole shared ledger, for every member: every entry, split, "
    "payment, category, budget and setting. Members' private ledgers are not touched. It can't "
    "be undone — /export first if you want a copy.\n\n"
    "An admin of the group has to confirm. Erase the household's ledger?"
)


def _in_group(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type in GROUP_CHATS


async def privacy(update: Update, context: Context) -> None:
    """Explain exactly what is stored and what for."""
    await message_of(update).reply_text(GROUP_PRIVACY if _in_group(update) else PRIVACY)


async def deleteme(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing the user's data (in a group: the group's ledger)."""
    nonce = await call(update, context, account.ask_erase)
    await message_of(update).reply_text(
        GROUP_CONFIRM if _in_group(update) else CONFIRM,
        reply_markup=keyboard(
            [("🗑 Erase everything", ERASE.data("yes", nonce)), ("Cancel", ERASE.data("no", nonce))]
        ),
    )


@ERASE.handles_text
async def deleteme_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Erase every row of the user after the confirmation tap, or keep everything on Cancel.

    Each prompt works once and for a few minutes; an older or used one has expired. In a group
    only an admin's tap erases (asked before the prompt is used, so anyone else's leaves it).
    """
    choice, nonce = parts
    group = _in_group(update)
    if choice == "yes" and group and not await _by_admin(update, context, query):
        await query.answer("Only an admin of this group can erase its ledger.", show_alert=True)
        return
    erased = fresh(
        await call(update, context, account.answer_erase, nonce=int(nonce), erase=choice == "yes")
    )
    await query.answer()
    if erased is None:
        await edit_pressed(query, context, "Nothing was erased.")
        return
    if group:
        logger.info("erased a group's shared ledger: %d rows", sum(erased.counts.values()))
        await edit_pressed(
            query,
            context,
            f"Done. I erased this group's shared ledger ({erased.transactions} transactions, its "
            "members, splits, payments and settings). Members' private ledgers are untouched.",
        )
        return
    logger.info("erased a user's data: %d rows", sum(erased.counts.values()))
    forget_charts(query.from_user.id)
    await edit_pressed(
        query,
        context,
        f"Done. I erased everything I stored about you ({erased.transactions} transactions, "
        "your categories and settings). If you write again, Penny starts fresh."
        + (
            " In your groups you are now “a former member”."
            if erased.counts.get("memberships")
            else ""
        ),
    )


async def _by_admin(update: Update, context: Context, query: CallbackQuery) -> bool:
    """Whether the tap on a group's erase prompt came from an owner or admin of the group."""
    chat = update.effective_chat
    assert chat is not None
    try:
        status = (await context.bot.get_chat_member(chat.id, query.from_user.id)).status
    except TelegramError:
        return False
    return status in {ChatMember.OWNER, ChatMember.ADMINISTRATOR}
