"""Coverage over time: one line per outlet of a term's (or entity's) trend table.

Input is the tidy frame of `term_trends` / `entity_trends`: `<by>, period, term|entity, count,
per_1k, articles, share`, `period` a Timestamp (period start). A period in which a group published
nothing has NaN share: it is drawn as a gap, never as a zero.
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arabnews.checks import check_choice
from arabnews.plots.style import (
    AXIS_LABELS, REST_COLOR, SUMMABLE, TITLES, add_note, axis_label, bounded, check_n,
    count_text, digits, require_columns, rtl_for, set_title, shaped, top_groups,
)

__all__ = ["plot_trends", "plot_trends_grid"]

TIME_DIRECTIONS = ("ltr", "rtl")
TREND_VALUES = ("share", "count", "per_1k", "articles")
_PERIOD_FORMATS = ((300, "%Y"), (27, "%Y-%m"), (0, "%Y-%m-%d"))   # by days between periods


def _item_column(trends: pd.DataFrame) -> str:
    """`term` for term trends, `entity` for entity trends."""
    for column in ("term", "entity"):
        if column in trends.columns:
            return column
    raise ValueError(f"plot_trends: the frame needs a 'term' or 'entity' column; got {list(trends.columns)}")


def _trend_group(trends: pd.DataFrame, by: str | None) -> str | None:
    """The group column: `by`, else the first column unless that is `period` (one series)."""
    if by is not None:
        if by not in trends.columns:
            raise ValueError(f"plot_trends: by={by!r} is not a column; columns are {list(trends.columns)}")
        return by
    first = trends.columns[0]
    return None if first in ("period", "term", "entity") else first


def _one_item(trends: pd.DataFrame, item: str, term) -> tuple[pd.DataFrame, str]:
    """Rows of the chosen term (the only one when `term` is None)."""
    items = sorted(trends[item].astype(str).unique())
    if term is None:
        if len(items) != 1:
            raise ValueError(f"plot_trends: the frame has {len(items)} {item}s {items[:10]}; "
                             f"pass term=...")
        term = items[0]
    rows = trends[trends[item].astype(str) == str(term)]
    if rows.empty:
        raise ValueError(f"plot_trends: no rows for {item}={term!r}; available: {items[:20]}")
    return rows, str(term)


def _wide(rows: pd.DataFrame, by: str | None, value: str) -> pd.DataFrame:
    """period x group table of `value` on the full period grid; NaN where nothing was published."""
    rows = rows.assign(_value=rows[value].astype(float))
    if "share" in rows.columns:   # no articles in the period: a gap for every measure
        rows.loc[rows["share"].isna(), "_value"] = np.nan
    key = by if by is not None else "_all"
    if by is None:
        rows = rows.assign(_all=TITLES["all"])
    wide = rows.pivot_table(index="period", columns=key, values="_value", aggfunc="sum",
                            min_count=1, dropna=False)
    return wide.sort_index()


def _fold_lines(wide: pd.DataFrame, rows: pd.DataFrame, by, value: str, n: int):
    """At most n lines, most mentions first: the groups mentioning the term in the most articles;
    the others summed (counts) or left out (shares, rates)."""
    size = "articles" if "articles" in rows.columns else value
    kept, rest = top_groups(rows.groupby(by)[size].sum(), n)
    if not rest:
        return wide[kept], 0
    out = wide[kept]
    if value in SUMMABLE:
        out = out.assign(**{TITLES["rest"]: wide[rest].sum(axis=1, min_count=1)})
    return out, len(rest)


def _date_axis(ax, periods: pd.DatetimeIndex, time_direction: str) -> None:
    """ISO dates (2015-07-21, 2015-07, 2015) as fits the period length; time direction applied."""
    step = float(np.median(np.diff(periods.values).astype("timedelta64[D]").astype(float))) \
        if len(periods) > 1 else 1.0
    fmt = next(f for days, f in _PERIOD_FORMATS if step >= days)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(
        lambda v, _: digits(mdates.num2date(v).strftime(fmt))))
    if len(periods) == 1:   # one point: give it some room on both sides
        margin = pd.Timedelta(days=max(step, 1))
        ax.set_xlim(periods[0] - margin, periods[0] + margin)
    if time_direction == "rtl":
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
    ax.spines[["top", "left" if time_direction == "rtl" else "right"]].set_visible(False)


def plot_trends(trends: pd.DataFrame, term=None, value: str = "share", by: str | None = None,
                ax=None, time_direction: str = "ltr", n: int = 8, rtl: bool | None = None,
                title: str | None = None):
    """Attention over time: one line per group (``by``, default the frame's first column).

    ``value`` is ``share`` (articles mentioning the term / all articles of that group and period,
    Media Cloud's normalised attention; drawn in percent), ``count``, ``per_1k`` or ``articles``.
    Periods in which a group published nothing are gaps, not zeros. At most ``n`` lines: the
    groups mentioning the term in the most articles; the rest are summed into one "بقية المصادر"
    line for counts, left out (and counted in a note) for shares and rates.

    Time runs left to right by default (``time_direction="ltr"``) although the labels are Arabic:
    Arabic newspapers' and agencies' charts (Al Jazeera, Asharq Al-Awsat, Al-Ahram) and
    spreadsheets in Arabic keep the time axis left to right, as the digits of the dates are;
    ``"rtl"`` puts the earliest period on the right and the value axis on the right.
    """
    require_columns(trends, ["period", value], "plot_trends")
    check_choice(value, [v for v in TREND_VALUES if v in trends.columns] or [value], "value")
    check_choice(time_direction, TIME_DIRECTIONS, "time_direction")
    n = check_n(n)
    if not pd.api.types.is_datetime64_any_dtype(trends["period"]):
        raise TypeError("plot_trends: the period column must hold dates (pandas Timestamps), "
                        f"got {trends['period'].dtype}")
    item = _item_column(trends)
    by = _trend_group(trends, by)
    rows, term = _one_item(trends, item, term)
    wide = _wide(rows, by, value)
    hidden = 0
    if by is not None:
        wide, hidden = _fold_lines(wide, rows, by, value, n)
    rtl = rtl_for([term, *map(str, wide.columns)], rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(bounded(8), bounded(4.2)), layout="constrained")
    lines = []
    for k, group in enumerate(wide.columns):
        is_rest = hidden and group == TITLES["rest"]
        line, = ax.plot(wide.index, wide[group].to_numpy(), marker="o", markersize=3, linewidth=1.5,
                        color=REST_COLOR if is_rest else plt.get_cmap("tab10")(k % 10),
                        linestyle="--" if is_rest else "-", label=shaped(group))
        lines.append(line)
    _date_axis(ax, wide.index, time_direction)
    if value == "share":
        ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(
            lambda v, _: digits(f"{100 * v:.0f}%" if v * 100 >= 1 or v == 0 else f"{100 * v:.1f}%")))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_ylabel(axis_label(value))
    if len(lines) > 1:
        # one column outside the plot, beside the earliest period (the value axis on the other side)
        left = time_direction == "rtl"
        ax.legend(loc="upper right" if left else "upper left",
                  bbox_to_anchor=(-0.01 if left else 1.01, 1),
                  ncol=1, fontsize=8, frameon=False, markerfirst=not rtl,
                  alignment="right" if rtl else "left")
    if hidden:
        note = "others_summed" if value in SUMMABLE else "hidden_groups"
        add_note(ax, TITLES[note].format(n=count_text(hidden), label=TITLES["rest"]))
    set_title(ax, title if title is not None else f"{TITLES['trends']}: {term}", rtl)
    return ax


def plot_trends_grid(trends: pd.DataFrame, term=None, value: str = "share", by: str | None = None,
                     n: int = 12, ncols: int = 3, time_direction: str = "ltr",
                     rtl: bool | None = None, title: str | None = None):
    """Small multiples of ``plot_trends``: one panel per group, the n groups mentioning the term
    most, one shared value scale (returns the Figure; a note counts the groups not shown)."""
    require_columns(trends, ["period", value], "plot_trends_grid")
    n, ncols = check_n(n), check_n(ncols, "ncols")
    item = _item_column(trends)
    by = _trend_group(trends, by)
    if by is None:
        raise ValueError("plot_trends_grid: the frame has no group column; use plot_trends")
    rows, term = _one_item(trends, item, term)
    size = "articles" if "articles" in rows.columns else value
    kept, rest = top_groups(rows.groupby(by)[size].sum(), n)
    rtl = rtl_for([term, *map(str, kept)], rtl)
    ncols = min(ncols, len(kept))
    nrows = -(-len(kept) // ncols)
    fig, axes = plt.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False,
                             layout="constrained",
                             figsize=(bounded(3.6 * ncols), bounded(0.8 + 2.2 * nrows)))
    order = [axes[r, ncols - 1 - c] if rtl else axes[r, c] for r in range(nrows) for c in range(ncols)]
    for ax, group in zip(order, kept):
        plot_trends(rows[rows[by] == group], term=term, value=value, by=by, ax=ax,
                    time_direction=time_direction, rtl=rtl, title=str(group))
        ax.set_ylabel("")
        ax.title.set_fontsize("medium")
    periods = pd.DatetimeIndex(sorted(rows["period"].unique()))
    ends = [periods[0], periods[len(periods) // 2], periods[-1]] if len(periods) > 2 else list(periods)
    for k, ax in enumerate(order):
        if k >= len(kept):
            ax.set_visible(False)
        ax.set_xticks(ends)   # first, middle and last period: narrow panels hold three dates
    label = axis_label(value)
    if rest:
        hidden = TITLES["hidden_groups"].format(n=count_text(len(rest)))
        label = shaped(f"{AXIS_LABELS.get(value, value)} — {hidden}")
    fig.supylabel(label, fontsize="medium")
    fig.suptitle(shaped(title if title is not None else f"{TITLES['trends']}: {term}"),
                 x=0.99 if rtl else 0.01, ha="right" if rtl else "left")
    return fig

