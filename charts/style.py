"""The look every chart shares: size, fonts that have the glyphs, palette, money on axes."""

from __future__ import annotations

import functools
import io
import logging
import unicodedata
import zlib
from decimal import Decimal

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.core.money import currency_symbol, exponent, format_amount

logger = logging.getLogger(__name__)

WIDTH, HEIGHT, DPI = 1000, 700, 100

# Fonts tried in order for every glyph (matplotlib falls back per character). DejaVu Sans ships
# with matplotlib; the others are used when the system has them (fonts-noto-cjk, fonts-symbola).
# Colour-bitmap emoji fonts (Noto Color Emoji) are left out: FreeType in Agg can't scale them.
FONT_CANDIDATES = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK KR",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Emoji",
    "Symbola",
)

INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e4e8ec"
BACKGROUND = "white"
EXPENSE = "#e4572e"
INCOME = "#2e9e6b"
PREVIOUS = "#9aa5b1"
BUDGET = "#3a6ea5"
OTHER = "#b8c0c8"

# Colour-blind-friendly, distinguishable on white; a category keeps its colour across charts.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#bcbd22",
    "#8c6bb1",
    "#d37295",
    "#2ca58d",
    "#f1a340",
    "#5b8db8",
)

# Invisible joiners and selectors that only make sense to a colour emoji font.
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400))


@functools.cache
def font_families() -> tuple[str, ...]:
    """The candidate families installed here, DejaVu Sans always first."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    found = tuple(name for name in FONT_CANDIDATES if name in installed)
    return found or ("DejaVu Sans",)


@functools.cache
def _coverage() -> frozenset[int]:
    """Every code point some chosen font can draw."""
    points: set[int] = set()
    for family in font_families():
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
            points.update(FT2Font(path).get_charmap())
        except (ValueError, RuntimeError, OSError):
            logger.warning("font %s could not be loaded; its glyphs are skipped", family)
    return frozenset(points)


def configure() -> None:
    """Point matplotlib at the fonts and sizes once per process (read when figures draw)."""
    # Fallback fonts often lack a bold face; matplotlib then uses the regular one, which is
    # fine, but it says so on every title.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    matplotlib.rcParams.update(
        {
            "font.family": list(font_families()),
            "font.size": 14,
            "axes.titlesize": 18,
            "axes.labelsize": 14,
            "xtick.labelsize": 13,
            "ytick.labelsize": 13,
            "legend.fontsize": 13,
            "text.color": INK,
            "axes.labelcolor": INK,
            "xtick.color": MUTED,
            "ytick.color": MUTED,
            "axes.edgecolor": GRID,
            "svg.fonttype": "none",
        }
    )


def clean(text: str, limit: int | None = None) -> str:
    """``text`` safe to draw: glyphs no font has are dropped, ``$`` is literal, long is cut.

    Never raises: a name made only of missing glyphs becomes ``?``.
    """
    covered = _coverage()
    kept = "".join(
        ch
        for ch in unicodedata.normalize("NFC", text)
        if ord(ch) not in _INVISIBLE
        and (ord(ch) in covered or ch == " ")
        and unicodedata.category(ch)[0] != "C"
    )
    kept = " ".join(kept.split())
    if limit is not None and len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    # A pair of $ would switch matplotlib into mathtext; an escaped one is drawn as is.
    return kept.replace("$", r"\$") if kept else "?"


def color_for(name: str) -> str:
    """The category's colour: a stable hash of its name picks from the palette."""
    key = " ".join(name.casefold().split())
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


def distinct_colors(names: list[str]) -> list[str]:
    """Each name's own colour, moved to the next free one when two collide in one chart."""
    used: set[str] = set()
    colors: list[str] = []
    for name in names:
        start = PALETTE.index(color_for(name))
        for step in range(len(PALETTE)):
            color = PALETTE[(start + step) % len(PALETTE)]
            if color not in used or step == len(PALETTE) - 1:
                break
        used.add(color)
        colors.append(color)
    return colors


@functools.cache
def symbol(currency: str) -> str:
    """The currency's symbol when the fonts can draw it and it is unambiguous, else the code."""
    sign = currency_symbol(currency)
    if sign == currency or not all(ord(ch) in _coverage() for ch in sign):
        return currency + " "
    return sign


def short_money(value: float, currency: str) -> str:
    """Axis text like ``$1,500``, ``€2.5M`` or ``12.50 CHF``: short, with thousands separators."""
    sign = "−" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000_000:
        number = f"{size / 1e9:,.1f}B".replace(".0B", "B")
    elif size >= 1_000_000:
        number = f"{size / 1e6:,.1f}M".replace(".0M", "M")
    elif size >= 100_000:
        number = f"{size / 1e3:,.0f}k"
    elif size == int(size) or exponent(currency) == 0:
        number = f"{size:,.0f}"
    else:
        number = f"{size:,.2f}"
    return clean(f"{sign}{symbol(currency)}{number}")


def money_axis(ax: Axes, currency: str, *, axis: str = "y") -> None:
    """Currency ticks with separators, at most 6 of them, from zero up."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=6, min_n_ticks=3))
    target.set_major_formatter(FuncFormatter(lambda value, _pos: short_money(value, currency)))


def amount_text(amount: Decimal, currency: str) -> str:
    return clean(format_amount(amount, currency))


def new_figure() -> tuple[Figure, Axes]:
    """A 1000×700 figure with one plain axes, bare of chart junk."""
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.1, 0.12, 0.86, 0.68))
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#c5ccd3")
    ax.tick_params(axis="both", length=0, pad=8)
    ax.grid(axis="y", color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    return figure, ax


def headline(figure: Figure, title: str, subtitle: str, note: str = "") -> None:
    """Title and totals at the top left, an optional footnote at the bottom left."""
    figure.text(0.04, 0.94, clean(title, 70), fontsize=22, fontweight="bold", va="center")
    figure.text(0.04, 0.885, clean(subtitle, 95), fontsize=15, color=MUTED, va="center")
    if note:
        figure.text(0.04, 0.025, clean(note, 120), fontsize=12, color=MUTED, va="bottom")


def empty(figure: Figure, ax: Axes, message: str) -> None:
    ax.set_axis_off()
    figure.text(0.5, 0.45, clean(message), fontsize=20, color=MUTED, ha="center", va="center")


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes; light compression, since Telegram recompresses anyway."""
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        facecolor=BACKGROUND,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )
    return buffer.getvalue()


configure()
