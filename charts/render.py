"""``render_*(data) -> PNG bytes``: one function per chart kind. Pure and thread-safe.

Money arrives as Decimal; it becomes float only here, at the plotting boundary, because
matplotlib draws floats and a pixel doesn't need a cent's precision. Every total printed as text
is formatted from the Decimal itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from bot.core.chartdata import CategoryChart, CumulativeChart, DailyChart, MonthlyChart, Slice
from charts import style
from charts.style import amount_text, clean, short_money

# Slices smaller than this share of the total, or past the largest MAX_SLICES, become "Other".
MIN_SHARE = Decimal("0.03")
MAX_SLICES = 7
OTHER = "Other"
# Beyond this many days one bar per week reads better than 365 hairlines.
MAX_DAILY_BARS = 62
# A bar this many times taller than the typical one is cut off so the rest stay readable.
OUTLIER_FACTOR = 4


def render_categories(data: CategoryChart) -> bytes:
    """Donut of spending by category, small ones grouped into Other, legend with amounts."""
    figure, ax = style.new_figure()
    slices = group_small(data.slices)
    total = sum((s.amount for s in slices), Decimal(0))
    style.headline(
        figure,
        f"Spending by category · {data.period}",
        f"Total {amount_text(total, data.currency)}",
        data.note,
    )
    if total <= 0:
        style.empty(figure, ax, "No spending in this period")
        return style.to_png(figure)
    ax.set_position((0.03, 0.06, 0.5, 0.76))
    ax.set_aspect("equal")
    colors = [
        style.OTHER if s.name == OTHER else c
        for s, c in zip(slices, style.distinct_colors([s.name for s in slices]), strict=True)
    ]
    # float only for geometry; the legend prints the Decimal amounts.
    wedges, _ = ax.pie(
        [float(s.amount) for s in slices],
        colors=colors,
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.38, "edgecolor": "white", "linewidth": 2},
    )
    ax.text(
        0,
        0.08,
        amount_text(total, data.currency),
        ha="center",
        va="center",
        fontsize=17,
        fontweight="bold",
    )
    ax.text(0, -0.14, "spent", ha="center", va="center", fontsize=14, color=style.MUTED)
    labels = [
        # LRM marks keep a right-to-left name from flipping the whole line around.
        f"\u200e{clean(s.name, 20)}\u200e  {short_money(float(s.amount), data.currency)}  "
        f"{_share(s.amount, total)}"
        for s in slices
    ]
    figure.legend(
        wedges,
        labels,
        loc="center left",
        bbox_to_anchor=(0.55, 0.45),
        frameon=False,
        handlelength=1.2,
        handleheight=1.2,
        labelspacing=0.9,
        fontsize=15,
    )
    return style.to_png(figure)


def group_small(slices: tuple[Slice, ...]) -> list[Slice]:
    """Largest first; the tail (small shares, or past MAX_SLICES) folded into one Other slice.

    A tail of one slice keeps its own name: a lone small Food is Food, not "Other".
    """
    positive = sorted((s for s in slices if s.amount > 0), key=lambda s: (-s.amount, s.name))
    total = sum((s.amount for s in positive), Decimal(0))
    kept: list[Slice] = []
    tail: list[Slice] = []
    for s in positive:
        if s.name != OTHER and len(kept) < MAX_SLICES - 1 and s.amount >= total * MIN_SHARE:
            kept.append(s)
        else:
            tail.append(s)
    if len(tail) == 1:
        kept.append(tail[0])
    elif tail:
        kept.append(Slice(OTHER, sum((s.amount for s in tail), Decimal(0))))
    return kept


def _share(amount: Decimal, total: Decimal) -> str:
    share = amount / total * 100
    return "<1%" if share < 1 else f"{share:.0f}%"


def render_daily(data: DailyChart) -> bytes:
    """Bars of spending per day (per week for long periods) with the budget's pace line."""
    figure, ax = style.new_figure()
    total = sum(data.amounts, Decimal(0))
    days = len(data.amounts)
    elapsed = _elapsed_days(data.start, days, data.today)
    average = total / elapsed if elapsed else Decimal(0)
    step = 7 if days > MAX_DAILY_BARS else 1
    style.headline(
        figure,
        f"Spending per {'week' if step == 7 else 'day'} · {data.period}",
        f"Total {amount_text(total, data.currency)} · "
        f"average {amount_text(average.quantize(Decimal('0.01')), data.currency)} a day",
        data.note,
    )
    if total <= 0:
        style.empty(figure, ax, "No spending in this period")
        return style.to_png(figure)
    starts = [data.start + timedelta(days=i) for i in range(0, days, step)]
    sums = [sum(data.amounts[i : i + step], Decimal(0)) for i in range(0, days, step)]
    values = [float(v) for v in sums]  # float only for bar heights
    positions = list(range(len(values)))
    top = _clip_top(values)
    shown = [min(v, top) if top else v for v in values]
    bars = ax.bar(positions, shown, width=0.75 if len(values) > 1 else 0.4, color=style.EXPENSE)
    if top:
        for bar, value in zip(bars, values, strict=True):
            if value > top:
                bar.set_hatch("//")
                bar.set_edgecolor("white")
                ax.annotate(
                    "▲ " + short_money(value, data.currency),
                    (bar.get_x() + bar.get_width() / 2, top),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=12,
                    fontweight="bold",
                    color=style.EXPENSE,
                    annotation_clip=False,
                )
        ax.set_ylim(0, top * 1.12)
    else:
        ax.set_ylim(0, max(values) * 1.1)
    if len(values) <= 14:
        for bar, value in zip(bars, values, strict=True):
            if value > 0 and not (top and value > top):
                ax.annotate(
                    short_money(value, data.currency),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=12,
                    color=style.INK,
                )
    if data.daily_budget is not None and data.daily_budget > 0:
        pace = float(data.daily_budget) * step
        unit = "week" if step == 7 else "day"
        line = ax.axhline(pace, color=style.BUDGET, linestyle="--", linewidth=2)
        if not top or pace < top:
            ax.set_ylim(0, max(ax.get_ylim()[1], pace * 1.15))
        ax.legend(
            [Patch(color=style.EXPENSE), line],
            ["spent", f"budget pace {short_money(pace, data.currency)} a {unit}"],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=2,
            frameon=False,
            fontsize=13,
        )
    style.money_axis(ax, data.currency)
    pad = max(0.6, (7 - len(values)) / 2)
    ax.set_xlim(-pad, len(values) - 1 + pad)
    _day_ticks(ax, starts, per_week=step == 7)
    if step == 7:
        ax.set_xlabel("week starting", color=style.MUTED, fontsize=12)
    return style.to_png(figure)


def _elapsed_days(start: date, days: int, today: date | None) -> int:
    """Days of the period that have happened, for a fair daily average."""
    if today is None:
        return days
    return max(0, min(days, (today - start).days + 1))


def _clip_top(values: list[float]) -> float | None:
    """A y limit that keeps a huge outlier from flattening every other bar; None when fine."""
    nonzero = sorted(v for v in values if v > 0)
    if len(nonzero) < 3:
        return None
    typical = nonzero[int(len(nonzero) * 0.8)]
    if nonzero[-1] > typical * OUTLIER_FACTOR * 1.5:
        return typical * OUTLIER_FACTOR
    return None


def _day_ticks(ax: Axes, days: list[date], *, per_week: bool = False) -> None:
    """At most ~8 date labels, evenly spaced, so they never overlap."""
    count = len(days)
    every = max(1, -(-count // 8))
    if not per_week and 28 <= count <= 62:
        every = 7
    ticks = list(range(0, count, every))
    ax.set_xticks(ticks, _date_labels([days[i] for i in ticks]))


def _date_labels(days: list[date]) -> list[str]:
    """``3 Nov``; the year added on the first label when the range spans years, and on a change."""
    spans = days[0].year != days[-1].year
    labels = []
    for i, day in enumerate(days):
        text = f"{day.day} {day:%b}"
        if (i == 0 and spans) or (i > 0 and days[i - 1].year != day.year):
            text += f"\n{day.year}"
        labels.append(text)
    return labels


def render_cumulative(data: CumulativeChart) -> bytes:
    """Running total this period against last period's and a straight line to the budget."""
    figure, ax = style.new_figure()
    ax.grid(axis="x", color=style.GRID, linewidth=1)
    spent = sum(data.current, Decimal(0))
    before = sum(data.previous, Decimal(0))
    subtitle = (
        f"Spent {amount_text(spent, data.currency)} · "
        f"{data.previous_period}: {amount_text(before, data.currency)}"
    )
    if data.budget is not None:
        subtitle += f" · budget {amount_text(data.budget, data.currency)}"
    style.headline(figure, f"Running total · {data.period}", subtitle, data.note)
    if spent <= 0 and before <= 0:
        style.empty(figure, ax, "No spending in this period or the one before")
        return style.to_png(figure)
    ax.set_position((0.1, 0.12, 0.76, 0.68))
    # float only for the lines' geometry; the end labels are formatted from floats of Decimals.
    current = [0.0, *(float(v) for v in accumulate(data.current))]
    previous = [0.0, *(float(v) for v in accumulate(data.previous))]
    ends: list[tuple[float, str, str]] = []
    if len(previous) > 1:
        ax.plot(
            range(len(previous)),
            previous,
            color=style.PREVIOUS,
            linewidth=2.5,
            label=clean(data.previous_period),
        )
        ends.append((previous[-1], short_money(previous[-1], data.currency), style.PREVIOUS))
    if data.budget is not None and data.budget > 0:
        ax.plot(
            [0, data.days],
            [0, float(data.budget)],
            color=style.BUDGET,
            linestyle="--",
            linewidth=2,
            label="budget",
        )
        budget_label = short_money(float(data.budget), data.currency)
        ends.append((float(data.budget), budget_label, style.BUDGET))
    ax.plot(
        range(len(current)),
        current,
        color=style.EXPENSE,
        linewidth=3.5,
        label=clean(data.period),
        solid_capstyle="round",
    )
    ax.fill_between(range(len(current)), current, color=style.EXPENSE, alpha=0.08)
    ax.plot([len(current) - 1], [current[-1]], "o", color=style.EXPENSE, markersize=8)
    ends.append((current[-1], short_money(current[-1], data.currency), style.EXPENSE))
    top = max(value for value, _, _ in ends) or 1.0
    ax.set_ylim(0, top * 1.1)
    ax.set_xlim(0, max(data.days, len(previous) - 1))
    style.money_axis(ax, data.currency)
    _end_labels(ax, ends, top * 1.1, x=1.01)
    # x = i is the running total at the end of day i (x = 0 is the start, before any spending).
    days = [data.start + timedelta(days=i - 1) for i in range(data.days + 1)]
    step = 7 if 28 <= data.days <= 62 else max(1, -(-data.days // 7))
    ticks = list(range(1, data.days + 1, step))
    ax.set_xticks(
        ticks,
        [f"day {t}" if t else "start" for t in ticks]
        if data.days > 366
        else _date_labels([days[t] for t in ticks]),
    )
    ax.legend(loc="upper left", frameon=False, fontsize=13)
    return style.to_png(figure)


def _end_labels(ax: Axes, ends: list[tuple[float, str, str]], height: float, *, x: float) -> None:
    """Values at the right edge, nudged apart so they never overlap."""
    gap = height * 0.065
    placed: list[float] = []
    for value, text, color in sorted(ends, key=lambda e: e[0]):
        y = value
        if placed and y - placed[-1] < gap:
            y = placed[-1] + gap
        placed.append(y)
        ax.text(
            x,
            y,
            text,
            transform=ax.get_yaxis_transform(),
            color=color,
            fontsize=13,
            fontweight="bold",
            va="center",
            ha="left",
            clip_on=False,
        )


def render_monthly(data: MonthlyChart) -> bytes:
    """Income and expense bars side by side for each month, net shown under each pair."""
    figure, ax = style.new_figure()
    income = sum((m.income for m in data.months), Decimal(0))
    expenses = sum((m.expenses for m in data.months), Decimal(0))
    style.headline(
        figure,
        f"Income vs expenses · {data.period}",
        f"In {amount_text(income, data.currency)} · out {amount_text(expenses, data.currency)}"
        f" · net {clean(_signed(income - expenses, data.currency))}",
        data.note,
    )
    if income <= 0 and expenses <= 0:
        style.empty(figure, ax, "Nothing recorded in these months")
        return style.to_png(figure)
    positions = list(range(len(data.months)))
    width = 0.38
    # float only for bar heights.
    ins = [float(m.income) for m in data.months]
    outs = [float(m.expenses) for m in data.months]
    top = _clip_top(ins + outs)
    ax.bar(
        [p - width / 2 for p in positions],
        [min(v, top) if top else v for v in ins],
        width,
        color=style.INCOME,
    )
    ax.bar(
        [p + width / 2 for p in positions],
        [min(v, top) if top else v for v in outs],
        width,
        color=style.EXPENSE,
    )
    if top:
        for p, value, offset, color in [
            *((p, v, -width / 2, style.INCOME) for p, v in zip(positions, ins, strict=True)),
            *((p, v, width / 2, style.EXPENSE) for p, v in zip(positions, outs, strict=True)),
        ]:
            if value > top:
                ax.bar([p + offset], [top], width, color=color, hatch="//", edgecolor="white")
                ax.annotate(
                    "▲ " + short_money(value, data.currency),
                    (p + offset, top),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=11,
                    fontweight="bold",
                    color=color,
                    annotation_clip=False,
                )
        ax.set_ylim(0, top * 1.12)
    style.money_axis(ax, data.currency)
    ax.set_xlim(-0.6, len(positions) - 0.4)
    labels = []
    for i, m in enumerate(data.months):
        text = f"{m.month:%b}"
        if i == 0 or m.month.month == 1:
            text += f"\n{m.month.year}"
        labels.append(text)
    ax.set_xticks(positions, labels)
    ax.legend(
        handles=[
            Patch(color=style.INCOME, label="income"),
            Patch(color=style.EXPENSE, label="expenses"),
        ],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        frameon=False,
        fontsize=13,
    )
    return style.to_png(figure)


def _signed(amount: Decimal, currency: str) -> str:
    from bot.core.money import format_amount

    return format_amount(amount, currency, sign=True)
