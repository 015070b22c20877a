"""/import: the user sends a CSV, picks unclear columns, sees a preview, and confirms."""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.csv_import import MAX_BYTES, ImportFileError, TooLarge, jobs
from bot.core.money import format_amount
from handlers.buttons import Button, StalePress
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from handlers.paging import Page, page_buttons, paginate
from models.services import import_worker, imports
from models.services.imports import (
    NO_COLUMN,
    ROLES,
    TWO_COLUMNS,
    AskColumn,
    Imported,
    Invalid,
    NeedsSummary,
    Preview,
)
from models.services.results import Stale

logger = logging.getLogger(__name__)

COLUMN = Button("imc", ints=3)  # import, role, column
CONFIRM = Button("imok", ints=1)  # import
CANCEL = Button("imx", ints=1)  # import
CONFIRM_ALL = Button("imall", ints=1)  # import, with the rows that look like typed entries
UNDO_IMPORT = Button("imu", ints=1)  # the preview message the import's rows came from
NO_TRANSFERS = Button("imnt", ints=1)  # import, without transfers between accounts
PAGE = Button("impg", ints=2)  # import, page of its column question or of its preview's totals

HOW_TO = (
    "Send me a CSV, Excel (.xlsx) or OFX/QFX file — a Penny export or a bank statement — and "
    "I'll show you what's in it "
    "before importing anything.\n\n"
    "I read the date, the amount (or debit and credit columns), the description, and the "
    "currency and category when the file has them. Transactions already in Penny are skipped."
)
ROLE_QUESTION = {
    "date": "Which column holds the date?",
    "amount": "Which column holds the amount?",
    "note": "Which column describes the transaction?",
    "debit": "Which column holds money out?",
    "credit": "Which column holds money in?",
}
SHOWN_ERRORS = 10
# A wide file's columns, and a many-currency file's totals, are shown a page at a time: a
# keyboard holds at most 100 buttons, and a preview must fit one message.
COLUMNS_PER_PAGE = 40
TOTALS_PER_PAGE = 12
# Rows stored per transaction when an import is confirmed.
IMPORT_BATCH = 2_000

Shown = Preview | AskColumn | Invalid


async def import_command(update: Update, context: Context) -> None:
    """Explain how to import a CSV file."""
    await message_of(update).reply_text(HOW_TO)


async def import_file(update: Update, context: Context) -> None:
    """Read an uploaded CSV and preview it, or ask which column is which."""
    message = message_of(update)
    document = message.document
    if document is None:  # guarded by the filter
        return
    if document.file_size and document.file_size > MAX_BYTES:
        await message.reply_text(TooLarge.message)
        return
    filename = document.file_name or "file.csv"
    # A user's updates are handled one at a time, so this is their only import in progress.
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
        options = await call(update, context, imports.reading_options)
        # The file is read in the import worker, outside any transaction: nobody waits for it.
        reading = await import_worker.run(
            jobs.read_upload,
            data,
            month_first=options.month_first,
            default_currency=options.default_currency,
        )
        del data
        step = await call(update, context, imports.keep_upload, filename=filename, reading=reading)
        shown = await _summarized(step)
    except ImportFileError as exc:
        await message.reply_text(f"I can't import {filename}: {exc}\nNothing was imported.")
        return
    text, markup = _render(shown, filename)
    await message.reply_text(text, reply_markup=markup)


@COLUMN.handles
async def column_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Use the column the user tapped, then ask the next question or show the preview."""
    import_id, role, column = ids
    if role >= len(ROLES):
        raise StalePress
    await _show_step(update, context, query, import_id, change=(ROLES[role], column))


@PAGE.handles
async def page_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Show another page of the columns to pick from, or of the preview's totals."""
    await _show_step(update, context, query, ids[0], page=ids[1])


async def _show_step(
    update: Update,
    context: Context,
    query: CallbackQuery,
    import_id: int,
    *,
    change: tuple[str, int] | None = None,
    page: int = 0,
) -> None:
    """Re-read the kept upload (with the column just picked) in the import worker, keep what
    was chosen, and show the next question or the preview."""
    try:
        pending = fresh(await call(update, context, imports.pending_upload, import_id=import_id))
        options = await call(update, context, imports.reading_options)
        mapping = (
            pending.mapping if change is None else imports.with_column(pending.mapping, *change)
        )
        reading = await import_worker.run(
            jobs.reread,
            pending.text,
            mapping,
            month_first=options.month_first,
            default_currency=options.default_currency,
        )
        if reading is None:  # a column the file doesn't have: a forged or mangled button
            raise StalePress
        step = await call(
            update,
            context,
            imports.save_reading,
            import_id=import_id,
            text=pending.text,
            reading=reading,
        )
        if isinstance(step, Stale):
            raise StalePress
        shown = await _summarized(step)
    except ImportFileError as exc:
        await query.answer()
        await edit_pressed(query, context, f"I can't import the file: {exc}\nNothing was imported.")
        return
    await query.answer()
    text, markup = _render(shown, "the file", page=page)
    await edit_pressed(query, context, text, reply_markup=markup)


@CONFIRM.handles
async def confirm_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Import the previewed rows, without those that look like entries typed in."""
    await _confirm(update, context, query, ids[0], with_likely=False)


@CONFIRM_ALL.handles
async def confirm_all_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Import the previewed rows, with those that look like entries typed in."""
    await _confirm(update, context, query, ids[0], with_likely=True)


@NO_TRANSFERS.handles
async def no_transfers_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Import the previewed rows without the transfers between accounts (nor likely typed)."""
    await _confirm(update, context, query, ids[0], with_likely=False, with_transfers=False)


@UNDO_IMPORT.handles
async def undo_import_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remove everything an import stored."""
    chat = update.effective_chat
    if chat is None:
        raise StalePress
    removed = fresh(
        await call(update, context, imports.undo_import, chat_id=chat.id, message_id=ids[0])
    )
    await query.answer("Removed")
    count = len(removed.entries)
    await edit_pressed(
        query, context, f"↩️ Removed the import: {count} {'entry' if count == 1 else 'entries'}."
    )


async def _confirm(
    update: Update,
    context: Context,
    query: CallbackQuery,
    import_id: int,
    *,
    with_likely: bool,
    with_transfers: bool = True,
) -> None:
    ids = (import_id,)
    try:
        pending = fresh(await call(update, context, imports.pending_upload, import_id=ids[0]))
        options = await call(update, context, imports.reading_options)
        found = await import_worker.run(
            jobs.fresh_rows,
            pending.text,
            pending.mapping,
            default_currency=options.default_currency,
            stored=pending.stored,
            with_likely=with_likely,
            with_transfers=with_transfers,
            known=pending.known,
            rules=pending.rules,
        )
    except ImportFileError as exc:
        await query.answer()
        await edit_pressed(query, context, f"I can't import the file: {exc}\nNothing was imported.")
        return
    if found.unreadable or not (found.rows or found.duplicates or found.likely or found.transfers):
        await call(update, context, imports.cancel_import, import_id=ids[0])
        await query.answer()
        await edit_pressed(query, context, _invalid_text(Invalid([], found.unreadable), "the file"))
        return
    category_ids = fresh(
        await call(
            update,
            context,
            imports.claim_import,
            import_id=ids[0],
            categories=found.categories,
        )
    )
    await query.answer()
    preview = query.message
    source = (preview.chat.id, preview.message_id) if preview is not None else None
    # Batches, each its own transaction: others' updates get the database in between.
    stored = 0
    for start in range(0, len(found.rows), IMPORT_BATCH):
        batch = found.rows[start : start + IMPORT_BATCH]
        stored += await call(
            update,
            context,
            imports.add_rows,
            rows=batch,
            category_ids=category_ids,
            source=source,
            start=start,
        )
    days = [row[0] for row in found.rows]
    result = Imported(
        stored,
        found.duplicates,
        min(days, default=None),
        max(days, default=None),
        found.likely,
        found.transfers,
    )
    logger.info("imported %d transactions (%d duplicates skipped)", result.count, result.duplicates)
    undo = (
        keyboard([("↩️ Undo the import", UNDO_IMPORT.data(source[1]))])
        if stored and source is not None
        else None
    )
    await edit_pressed(query, context, _imported_text(result), reply_markup=undo)


@CANCEL.handles
async def cancel_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Drop the upload without importing anything."""
    fresh(await call(update, context, imports.cancel_import, import_id=ids[0]))
    await query.answer()
    await edit_pressed(query, context, "Import cancelled; nothing was imported.")


async def _summarized(step: AskColumn | Invalid | NeedsSummary) -> Shown:
    """The step to show; the preview's figures are worked out in the import worker."""
    if not isinstance(step, NeedsSummary):
        return step
    summary = await import_worker.run(
        jobs.summarize,
        step.text,
        step.reading.mapping,
        default_currency=step.default_currency,
        stored=step.stored,
        known=step.known,
        rules=step.rules,
    )
    return imports.preview(step, summary)


# --- rendering ---


def _render(
    step: Shown, filename: str, *, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(step, Invalid):
        return _invalid_text(step, filename), None
    if isinstance(step, AskColumn):
        role = ROLES.index(step.role)
        shown = paginate(step.choices, page, COLUMNS_PER_PAGE)
        buttons = [(label, COLUMN.data(step.import_id, role, i)) for i, label in shown.items]
        buttons += _pages(shown, step.import_id)
        if step.role == "amount":  # Soll/Haben, Withdrawals/Deposits
            pair = COLUMN.data(step.import_id, ROLES.index("debit"), TWO_COLUMNS)
            buttons.append(("Two columns: out and in", pair))
        if step.optional:
            buttons.append(("No such column", COLUMN.data(step.import_id, role, NO_COLUMN)))
        buttons.append(("Cancel", CANCEL.data(step.import_id)))
        question = ROLE_QUESTION[step.role]
        if shown.count > 1:
            question += f"\n(columns {shown.span})"
        return question, keyboard(buttons, per_row=2)
    totals = paginate(sorted(step.totals.items()), page, TOTALS_PER_PAGE)
    choices: list[tuple[str, str]] = []
    if step.to_import:  # never "Import 0": a file all in Penny already has nothing to confirm
        label = f"✅ Import {step.to_import}"
        if step.likely:
            label += f" (skip the {step.likely} typed)"
        choices.append((label, CONFIRM.data(step.import_id)))
    if step.likely:
        choices.append(
            (f"Import all {step.to_import + step.likely}", CONFIRM_ALL.data(step.import_id))
        )
    if step.transfers and step.to_import > step.transfers:
        label = f"Without the {step.transfers} transfer" + ("s" if step.transfers > 1 else "")
        choices.append((label, NO_TRANSFERS.data(step.import_id)))
    choices.append(("Cancel" if choices else "OK", CANCEL.data(step.import_id)))
    return _preview_text(step, totals), keyboard(
        [*choices, *_pages(totals, step.import_id)], per_row=2
    )


def _pages(page: Page[Any], import_id: int) -> list[tuple[str, str]]:
    return page_buttons(page, lambda number: PAGE.data(import_id, number))


# strftime directives as people read them: %d/%m/%Y -> dd/mm/yyyy
DATE_PARTS = {"%Y": "yyyy", "%y": "yy", "%m": "mm", "%d": "dd", "%b": "Mon", "%B": "Month"}


def _preview_text(preview: Preview, totals: Page[tuple[tuple[str, str], Decimal]]) -> str:
    lines = [f"📄 {preview.filename}: {_count(preview.rows, 'transaction')}"]
    if preview.expensebot:
        lines.append(
            "Welcome from @ExpenseBot! Its export reads as it was: every amount an expense, "
            "a negative one money back, #categories filed under yours."
        )
    if preview.duplicates:
        lines.append(f"{preview.duplicates} already in Penny will be skipped")
    left_out = []
    if preview.zero_rows:
        left_out.append(_count(preview.zero_rows, "row") + " with a zero amount (holds, closings)")
    if preview.undated_rows:
        left_out.append(
            _count(preview.undated_rows, "row") + " without a date (pending, balances, totals)"
        )
    if preview.failed_rows:
        left_out.append(_count(preview.failed_rows, "row") + " declined, reverted or cancelled")
    if preview.card_payments:
        payments = _count(preview.card_payments, "payment")
        left_out.append(f"{payments} to the card (paying it off isn't spending)")
    if left_out:
        lines.append("Left out, not transactions: " + "; ".join(left_out))
    if preview.charges_positive is not None:
        sign = "+" if preview.charges_positive else "−"
        lines.append(f"Read as a card statement: charges are {sign}, credits are refunds")
    if preview.continued_rows:
        lines.append(f"Joined {_count(preview.continued_rows, 'line')} that continue a description")
    if preview.preamble:
        lines.append(
            f"Skipped {_count(preview.preamble, 'line')} about the account before the header"
        )
    lines.append(f"Dates: {preview.first:%-d %b %Y} – {preview.last:%-d %b %Y}")
    if totals.count > 1:
        lines.append(f"Totals {totals.span} (‹ › for the rest):")
    for (currency, kind), total in totals.items:
        label = "Expenses" if kind == "expense" else "Income"
        lines.append(f"{label}: {format_amount(total, currency)}")
    if preview.likely:
        looks = "looks like an entry" if preview.likely == 1 else "look like entries"
        lines.append(
            f"{_count(preview.likely, 'row')} {looks} you typed "
            "(same amount within 3 days); left out unless you import all:"
        )
        for likely in preview.likely_shown:
            row = likely.row
            amount = format_amount(abs(row.amount), row.currency)
            typed = f"“{likely.typed_note[:30]}”" if likely.typed_note else "typed"
            day, typed_on = f"{row.occurred_on:%-d %b}", f"{likely.typed_on:%-d %b}"
            lines.append(f"• {day} {row.note[:30]} {amount} ≈ {typed} {typed_on}")
        if preview.likely > len(preview.likely_shown):
            lines.append(f"…and {preview.likely - len(preview.likely_shown)} more.")
    if preview.transfers:
        lines.append(
            f"{_count(preview.transfers, 'row')} {'moves' if preview.transfers == 1 else 'move'}"
            " money between accounts (top-ups, "
            "transfers, card payments): imported as money out or in unless you leave them out:"
        )
        for row in preview.transfers_shown[:3]:
            amount = format_amount(abs(row.amount), row.currency)
            lines.append(f"• {row.occurred_on:%-d %b} {row.note[:30] or row.kind} {amount}")
        if preview.transfers > 3:
            lines.append(f"…and {preview.transfers - 3} more.")
    if preview.new_categories:
        lines.append("New categories: " + ", ".join(preview.new_categories[:15]))
    separator = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[preview.delimiter]
    decimal = "point" if preview.decimal == "." else "comma"
    day_format = re.sub(r"%[YymdbB]", lambda m: DATE_PARTS[m.group()], preview.date_format)
    if preview.encoding in ("xlsx", "ofx"):  # a workbook or OFX: no delimiter to speak of
        read = f"Read as {preview.encoding.upper()}, dates {day_format}"
    else:
        read = f"Read as {preview.encoding}, {separator}-separated, dates {day_format}"
    lines.append(f"{read}, decimal {decimal}.")
    if preview.to_import == 0 and not preview.likely:
        lines.append("\nEverything in this file is already in Penny; there is nothing to import.")
    elif preview.to_import == 0:
        lines.append("\nEverything else in this file is already in Penny.")
    else:
        lines.append(f"\nImport {_count(preview.to_import, 'transaction')}?")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _invalid_text(invalid: Invalid, filename: str) -> str:
    if not invalid.count:
        return f"I found no transactions in {filename}; nothing was imported."
    shown = "\n".join(str(error) for error in invalid.errors[:SHOWN_ERRORS])
    more = invalid.count - min(len(invalid.errors), SHOWN_ERRORS)
    tail = f"\n…and {more} more." if more > 0 else ""
    count = invalid.count
    lines = "line" if count == 1 else "lines"
    return (
        f"I can't import {filename}: {count} {lines} can't be read, so I imported nothing.\n"
        f"{shown}{tail}\nFix the file and send it again."
    )


def _imported_text(result: Imported) -> str:
    text = f"✅ Imported {_count(result.count, 'transaction')}"
    if result.first and result.last:
        text += f" ({result.first:%-d %b %Y} – {result.last:%-d %b %Y})"
    if result.duplicates:
        text += f"; skipped {result.duplicates} already in Penny"
    if result.likely:
        text += f"; left out {result.likely} that look like entries you typed"
    if result.transfers:
        text += f"; left out {_count(result.transfers, 'transfer')} between accounts"
    return text + ". /balance and /history show them."
