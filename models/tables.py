"""SQLAlchemy 2 typed tables. Money is stored as integer minor units, never float."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic migrations match on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# 64-bit ids on PostgreSQL; SQLite only auto-increments a plain INTEGER primary key.
BigId = BigInteger().with_variant(Integer, "sqlite")
# Rows whose ids buttons carry. Without AUTOINCREMENT SQLite gives a new row the id of the
# newest one deleted, and an old Undo would remove the new entry; PostgreSQL's sequences never
# reuse an id.
NEVER_REUSED = {"sqlite_autoincrement": True}


class CleanString(TypeDecorator[str]):
    """A string column that drops NUL characters: PostgreSQL refuses them in text, so a
    stray one from a message, a file or a web request would fail the whole unit of work on one
    engine and be kept on the other. Nothing a person types or reads has one."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return value.replace("\x00", "") if isinstance(value, str) else value


class CleanText(CleanString):
    """:class:`CleanString` of any length."""

    impl = Text
    # Read off each class, not inherited: without it no statement on these columns is cached.
    cache_ok = True


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """An account: a person's own ledger, or a group's shared one (a household).

    A person's account has their Telegram user id; a group's has the group's chat id (negative,
    as Telegram numbers groups), so every table keyed by ``user_id`` holds either and every
    query that filters by it keeps the two apart. Created by the first message.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    currency: Mapped[str] = mapped_column(CleanString(3))
    timezone: Mapped[str] = mapped_column(CleanString(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Monthly periods (budgets, reports) start on this day of the month, 1–28.
    month_start_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Quiet hours as minutes after local midnight; scheduled messages wait until they end.
    quiet_start: Mapped[int | None] = mapped_column(Integer)
    quiet_end: Mapped[int | None] = mapped_column(Integer)
    # Set when Telegram says the user blocked the bot; cleared by their next message.
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A budget whose new limit the user was asked to type.
    awaiting_limit_budget_id: Mapped[int | None] = mapped_column(Integer)
    # A category tapped on a reminder: the user's next bare amount goes there.
    awaiting_category_id: Mapped[int | None] = mapped_column(Integer)
    # A goal whose "Add savings" button was tapped: the next bare amount goes toward it.
    awaiting_goal_id: Mapped[int | None] = mapped_column(BigInteger)
    # The /deleteme prompt now armed: its button carries this random number, and works once
    # and only for a few minutes after it was asked.
    erase_nonce: Mapped[int | None] = mapped_column(BigInteger)
    erase_asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped by database triggers (migration 0010) whenever the settings, categories, rules or
    # budgets logging reads change; starts random, so an erased and re-opened account's
    # revision never matches a copy of the old one.
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # A group's shared ledger, and the group's title to name it by ("your share in Home").
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    title: Mapped[str | None] = mapped_column(CleanString(128))


class Member(Base):
    """Someone in a shared ledger: they wrote in the group or tapped Join.

    Entries, shares and payments point at this row, not at the person, so a member who leaves
    keeps their place in the debts, and one who erases their data (/deleteme) becomes "a former
    member": ``person_id``, ``name`` and ``username`` are cleared and the amounts stay.
    """

    __tablename__ = "members"
    # Member ids ride on /settle's buttons.
    __table_args__ = (UniqueConstraint("user_id", "person_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The shared ledger (the group's account).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The member's Telegram user id; NULL once they erased their data.
    person_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    name: Mapped[str | None] = mapped_column(CleanString(64))
    username: Mapped[str | None] = mapped_column(CleanString(32))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when they left the group (or erased their data): they can no longer act on it.
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Category(Base):
    """One of a user's categories, for expenses or for income."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("user_id", "kind", "name"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(CleanString(8))
    name: Mapped[str] = mapped_column(CleanString(64))
    emoji: Mapped[str | None] = mapped_column(CleanString(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The default category it started as ("Food"), kept through renames so the words that
    # filed there still do; None for the user's own categories.
    origin: Mapped[str | None] = mapped_column(CleanString(64))


class Transaction(Base):
    """A recorded expense or income. ``amount_minor`` is positive and ``kind`` gives the sign,
    except for a refund: an expense with a negative amount, money back into its category, so
    every sum of a category's expenses (totals, budgets, charts) is already net of refunds.
    """

    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_user_occurred", "user_id", "occurred_on"),
        # One row per entry of a chat message: a re-delivered update can't store it twice.
        Index(
            "uq_transactions_source_entry",
            "user_id",
            "source_chat_id",
            "source_message_id",
            "position",
            unique=True,
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(CleanString(8))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(CleanText, default="")
    occurred_on: Mapped[date] = mapped_column(Date)
    # The chat message it came from, so an edit of that message can update it.
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Saved in Other because Penny couldn't tell the category: still to sort (/sort, the
    # receipt's buttons). Saving first means nothing is lost when no button is tapped.
    unsorted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # In a shared ledger, the member who paid (or received) it; NULL in a person's own.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )


class Share(Base):
    """A member's part of a split expense; a split's shares add up to its amount."""

    __tablename__ = "shares"

    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The shared ledger, like every owned table, so its queries filter by owner too.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)


class Settlement(Base):
    """A payment between two members that settles (part of) a debt."""

    __tablename__ = "settlements"
    __table_args__ = (
        # One payment per offer: a double tap or a re-delivered update records it once.
        Index(
            "uq_settlements_source",
            "user_id",
            "source_chat_id",
            "source_message_id",
            "payer_id",
            "payee_id",
            unique=True,
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    payee_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))
    occurred_on: Mapped[date] = mapped_column(Date)
    # The message that offered or asked for it (the /settle reply, or the typed command).
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Budget(Base):
    """A spending limit: overall (no category) or for one category, per month or week."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("user_id", "scope"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    # "all" or "c<category id>": one budget per scope, unique even where category_id is NULL.
    scope: Mapped[str] = mapped_column(CleanString(24))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))
    frequency: Mapped[str] = mapped_column(CleanString(8), default="monthly")
    rollover: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rollover counts periods from the one this budget was created in.
    created_on: Mapped[date] = mapped_column(Date)


class BudgetAlert(Base):
    """A threshold already announced for a budget period, so it is said once."""

    __tablename__ = "budget_alerts"

    budget_id: Mapped[int] = mapped_column(
        ForeignKey("budgets.id", ondelete="CASCADE"), primary_key=True
    )
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    threshold: Mapped[int] = mapped_column(Integer, primary_key=True)


class Schedule(Base):
    """A scheduled message kind for one user (nudge, digest, weekly, monthly) and when it is due."""

    __tablename__ = "schedules"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        Index("ix_schedules_due", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(CleanString(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Local wall-clock time as minutes after midnight.
    at_minute: Mapped[int] = mapped_column(Integer)
    every_days: Mapped[int] = mapped_column(Integer, default=2)
    weekday: Mapped[int | None] = mapped_column(Integer)
    # NULL while disabled or paused, so the due-index only holds what may be sent.
    next_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Recurring(Base):
    """A transaction posted automatically every week, month or year."""

    __tablename__ = "recurring"
    __table_args__ = (Index("ix_recurring_due", "next_run_at"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(CleanString(8))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(CleanText, default="")
    frequency: Mapped[str] = mapped_column(CleanString(8))
    day: Mapped[int] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    # The occurrence to post next, and the instant (user's morning) it becomes due.
    next_on: Mapped[date] = mapped_column(Date)
    next_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProcessedUpdate(Base):
    """A Telegram update_id some process already took; re-deliveries of it are dropped.

    Holds no message content, only the id and when it arrived; old rows are pruned.
    """

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class PendingImport(Base):
    """An uploaded CSV waiting for the user's column choices and confirmation.

    Kept until the user confirms or cancels, and pruned after a day.
    """

    __tablename__ = "pending_imports"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(CleanString(255))
    # The decoded file text and the column mapping (JSON) chosen so far.
    content: Mapped[str] = mapped_column(CleanText)
    mapping: Mapped[str] = mapped_column(CleanText)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rate(Base):
    """A user's conversion rate: one unit of ``currency`` is worth ``rate`` units of ``base``."""

    __tablename__ = "rates"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(CleanString(3), primary_key=True)
    base: Mapped[str] = mapped_column(CleanString(3))
    # Exact decimal text: SQLite has no exact decimal column, and a rate must not drift.
    rate: Mapped[str] = mapped_column(CleanString(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Covers every report and chart aggregate (filter by user and dates, group by kind, currency,
# category, sum amounts) so SQLite answers them from the index alone, without table lookups.
Index(
    "ix_transactions_report",
    Transaction.user_id,
    Transaction.occurred_on,
    Transaction.kind,
    Transaction.currency,
    Transaction.category_id,
    Transaction.amount_minor,
)


class CategoryRule(Base):
    """A keyword the user taught Penny: notes containing it go to their chosen category."""

    __tablename__ = "category_rules"
    __table_args__ = (UniqueConstraint("user_id", "keyword"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    keyword: Mapped[str] = mapped_column(CleanString(64))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )


class WebToken(Base):
    """A dashboard login link or browser session, stored only as the SHA-256 of its secret.

    Kept in the database (not in process memory) so a link issued by one process opens in
    another; a leaked table reveals no usable token. Erased with the user, pruned once expired.
    """

    __tablename__ = "web_tokens"

    token_hash: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "link": the one-time login link from /dashboard; "session": the browser's cookie.
    kind: Mapped[str] = mapped_column(CleanString(8))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- goals and habits (issue 19) ---


class Goal(Base):
    """Something the user saves toward: a target amount, maybe by a date.

    What is put aside is an earmark of the user's own money, not a transaction, so it never
    changes income, expenses or /balance's net; the purchase is recorded when it happens.
    """

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("user_id", "name"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(CleanString(32))
    target_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))
    deadline: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set the first time the target is reached, so it is celebrated once.
    reached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GoalContribution(Base):
    """Money the user put aside toward a goal."""

    __tablename__ = "goal_contributions"
    __table_args__ = (
        # One contribution per chat message: a re-delivered update can't add it twice.
        Index(
            "uq_goal_contributions_source",
            "user_id",
            "source_chat_id",
            "source_message_id",
            unique=True,
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    saved_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)


class SavingsTarget(Base):
    """How much the user means to keep of a month (income − expenses).

    ``scope`` is ``every`` for a standing monthly target, or the ISO start date of the one month
    it was set for ("save 500 this month"), which wins over the standing one.
    """

    __tablename__ = "savings_targets"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(CleanString(10), primary_key=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CleanString(3))


class HabitDay(Base):
    """A day (the user's local date) on which they logged in the chat or said "nothing today"."""

    __tablename__ = "habit_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class PointsAward(Base):
    """Points earned once for one thing: a day within budget, a contribution, a reached goal.

    ``ref`` identifies the thing (the day's ordinal; the contribution's id, also for reaching a
    goal: the contribution that reached it), so the same thing can't earn twice; ``goal_id``
    lets removing an unreached goal take its points.
    """

    __tablename__ = "points"
    __table_args__ = (UniqueConstraint("user_id", "reason", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(CleanString(16))
    ref: Mapped[int] = mapped_column(BigInteger)
    goal_id: Mapped[int | None] = mapped_column(BigInteger)
    points: Mapped[int] = mapped_column(Integer)
    earned_on: Mapped[date] = mapped_column(Date)


class HabitState(Base):
    """Per user: the last finished day already scored for budget points."""

    __tablename__ = "habit_state"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    settled_through: Mapped[date | None] = mapped_column(Date)


class Feedback(Base):
    """What a user told the makers (``text``) or a one-tap rating (``stars``), and the answer."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str | None] = mapped_column(CleanText)
    stars: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(CleanText)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FeedbackPrefs(Base):
    """When Penny last offered the rating, and whether the user switched the offer off."""

    __tablename__ = "feedback_prefs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    rating_offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rating_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Invite(Base):
    """A user's personal invite code, and whether invitees may see who invited them."""

    __tablename__ = "invites"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(CleanString(16), unique=True)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Referral(Base):
    """A user who started Penny through someone's invite link (``user_id`` is the newcomer)."""

    __tablename__ = "referrals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CompareOptIn(Base):
    """A user who agreed to be counted in /compare's medians (and to see them)."""

    __tablename__ = "compare_optins"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    opted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UndoneMessage(Base):
    """A chat message whose entries the user removed: editing it afterwards stores nothing.

    Holds no content, only the message's ids and when; pruned after Telegram's edit window.
    """

    __tablename__ = "undone_messages"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    undone_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
