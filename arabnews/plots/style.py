"""House style shared by every chart: wording, shaping of labels, digits, RTL axes, bounded sizes.

Every label, title and annotation goes through `shaped`, so Arabic is drawn joined and right to
left on any matplotlib. Charts of any corpus stay readable and bounded: at most `MAX_FIGURE_PX`
pixels on a side at the resolution files are saved in, with the groups beyond the n largest
summed into one "بقية المصادر" bar or row and counted in a note.
"""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from arabnews.checks import check_choice, check_column, check_int
from arabnews.shaping import has_arabic, shape_for_display

BAR_COLOR = "#2a6f97"
REFERENCE_COLOR = "#c44e52"
REST_COLOR = "0.6"        # the summed "بقية المصادر" bar or line: grey, set apart from the groups
HEATMAP_CMAP = "Blues"
WORDCLOUD_CMAP = "viridis"
FIGURES_ENV = "ARABNEWS_FIGURES_DIR"
CHART_DPI = 110          # on-screen size of charts in notebooks and reports
SAVED_DPI = 150          # resolution of the PNG files written to figures/
MAX_FIGURE_PX = 3000     # no side of a figure beyond this at SAVED_DPI (the larger of the two)
MAX_FIGURE_INCHES = MAX_FIGURE_PX / SAVED_DPI
SUMMABLE = ("count", "doc_freq", "articles", "words", "characters", "tokens", "n_removed_lines")

DIGIT_STYLES = {"ascii": {}, "arabic": str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")}
_digit_style = {"style": "ascii"}

AXIS_LABELS = {"count": "عدد المرات", "per_1k": "لكل 1000 كلمة", "tfidf": "TF-IDF",
               "doc_freq": "عدد المقالات", "g2": "G2 (log-likelihood)", "log_ratio": "log ratio",
               "log_odds_z": "log-odds z", "relative_position": "الموضع في المقال (0 = البداية)",
               "share": "نسبة المقالات التي تذكرها", "articles": "عدد المقالات",
               "words": "عدد الكلمات", "characters": "عدد الحروف", "tokens": "عدد الكلمات",
               "n_removed_lines": "الأسطر المحذوفة", "period": "الفترة"}
TITLES = {"top_terms": "أكثر الكلمات تكرارا", "by_outlet": "أكثر الكلمات تكرارا حسب المصدر",
          "entities": "الكيانات المذكورة حسب المصدر", "keyness": "الكلمات المميزة",
          "versus": "مقابل", "rest": "بقية المصادر", "dispersion": "مواضع الكلمة في المقالات",
          "all": "كل المصادر", "wordcloud": "سحابة الكلمات", "trends": "التغطية عبر الزمن",
          "lengths": "طول المقالات", "totals": "المجموع حسب المصدر",
          "hidden_groups": "مصادر غير معروضة: {n}", "hidden_entities": "كيانات غير معروضة: {n}",
          "hidden_articles": "مقالات غير معروضة: {n}", "others_summed": "مصادر مجموعة في «{label}»: {n}"}


# ---------------------------------------------------------------- text of labels

def shaped(text) -> str:
    """Any label as the string matplotlib must receive (numbers and names become text first)."""
    return shape_for_display(str(text))


def rtl_for(labels, rtl: bool | None) -> bool:
    """Explicit `rtl`, else right-to-left as soon as one label holds Arabic."""
    return bool(rtl) if rtl is not None else any(has_arabic(str(s)) for s in labels)


def set_title(ax, text: str, rtl: bool, pad: float | None = None) -> None:
    """Title aligned to the reading start: right for Arabic charts, left otherwise."""
    ax.set_title(shaped(text), loc="right" if rtl else "left", pad=pad)


def add_note(ax, text: str) -> None:
    """Say under the chart what it leaves out (top-N cuts): a line added to the x-axis label, so
    the layout keeps it inside the figure; a small grey label of its own when there is none."""
    label = ax.xaxis.label
    existing = label.get_text()
    ax.set_xlabel(f"{existing}\n{shaped(text)}" if existing else shaped(text))
    if not existing:
        label.set_fontsize(8)
        label.set_color("0.35")


def axis_label(value: str) -> str:
    """Arabic axis label of a measure (the column name when none is known)."""
    return shaped(AXIS_LABELS.get(value, value))


# ---------------------------------------------------------------- digits

def set_digits(style: str = "ascii") -> None:
    """Digits in the charts drawn from now on: ``"ascii"`` (0-9, the default) or ``"arabic"`` (٠-٩)."""
    if style not in DIGIT_STYLES:
        raise ValueError(f"digits must be one of {sorted(DIGIT_STYLES)}, got {style!r}")
    _digit_style["style"] = style


def digits(text: str) -> str:
    """`text` with its digits in the style chosen by ``set_digits``."""
    return text.translate(DIGIT_STYLES[_digit_style["style"]])


def number(value: float) -> str:
    """Whole numbers without decimals, others with at most 2; digits as set by ``set_digits``."""
    plain = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return digits(plain)


def count_text(value: int) -> str:
    """A count with thousands separators (1,234) in the chosen digits."""
    return digits(f"{int(value):,}")


def number_ticks(axis) -> None:
    """Tick numbers in the chosen digits (matplotlib's own formatter when they are ASCII)."""
    if _digit_style["style"] != "ascii":
        axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: number(round(v, 6))))


def style_bar_axes(ax, rtl: bool) -> None:
    """Labels on the right and bars growing leftwards for RTL; light grid; no chart junk."""
    if rtl:
        if not ax.xaxis_inverted():   # shared axes may already be inverted by a sibling
            ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
    ax.spines[["top", "left" if rtl else "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    number_ticks(ax.xaxis)


# ---------------------------------------------------------------- sizes

def bounded(inches: float) -> float:
    """A figure side in inches, capped so it stays under MAX_FIGURE_PX pixels when saved."""
    return float(min(inches, MAX_FIGURE_INCHES))


def check_n(n, name: str = "n") -> int:
    """A top-N argument: an int of at least 1 (the message names the argument)."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}")
    return check_int(n, name, minimum=1)


# ---------------------------------------------------------------- tidy frames

def require_columns(df: pd.DataFrame, columns, what: str) -> None:
    """Clear error naming the missing columns of a tidy frame."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} expects a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; got {list(df.columns)}")


def group_column(frame: pd.DataFrame, by: str | None = None, what: str = "frame") -> str:
    """The grouping column: `by` when given (checked), else the frame's first column."""
    if by is None:
        return frame.columns[0]
    return check_column(frame, by, "by", what)


def label_column(freqs: pd.DataFrame) -> str:
    """Most frequent original spelling when the frame carries it, else the normalised term."""
    return "display" if "display" in freqs.columns else "term"


def top_groups(totals: pd.Series, n: int) -> tuple[list, list]:
    """The n groups with the largest totals (ties by name) and the others, both lists."""
    order = (totals.rename("total").reset_index()
             .sort_values(["total", totals.index.name or "index"], ascending=[False, True],
                          kind="stable"))
    names = order.iloc[:, 0].tolist()
    return names[:n], names[n:]


def fold_rest(frame: pd.DataFrame, by: str, keep: list, value: str, keys: list[str]) -> pd.DataFrame:
    """Rows of the kept groups, plus the other groups summed per `keys` as one "بقية المصادر" group.

    Only counts can be summed; for rates and shares the other groups are left out (the caller
    says so in a note).
    """
    kept = frame[frame[by].isin(keep)]
    rest = frame[~frame[by].isin(keep)]
    if rest.empty or value not in SUMMABLE:
        return kept
    summed = rest.groupby(keys, as_index=False, dropna=False)[value].sum()
    return pd.concat([kept, summed.assign(**{by: TITLES["rest"]})], ignore_index=True)


def checked_value(frame: pd.DataFrame, value: str, what: str) -> str:
    """`value` if it names a numeric column of `frame`; else a clear error listing the choices."""
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    return check_choice(value, numeric, f"{what}: value")

