"""How big the corpus is, per group: article lengths and totals (articles, words) per outlet.

Both take the corpus itself, so `by` is any of its columns (`outlet`, or a metadata column such
as `country`). Word counts come from polars (`stats.count_tokens`); at 1,000,000 articles
the chart is still n boxes, not a million bars.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arabnews.checks import check_column, check_frame
from arabnews.plots.style import (
    AXIS_LABELS, BAR_COLOR, REST_COLOR, TITLES, add_note, axis_label, bounded, check_n,
    count_text, number, rtl_for, set_title, shaped, style_bar_axes, top_groups,
)

__all__ = ["article_lengths", "plot_article_lengths", "plot_totals"]

LENGTH_MEASURES = ("words", "characters")
AXIS_LABEL_PROBE = "ع"   # the charts' own labels are Arabic: RTL unless told otherwise
MAX_BARS = 40        # up to this many articles, one bar each; beyond, a distribution per group
WHISKERS = (5, 95)   # box whiskers at these percentiles (no outlier dots: they grow with the corpus)


def article_lengths(corpus: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """One row per article: id, <by>, words (tokens as ``tokenize`` finds them, counted in polars
    by ``stats.count_tokens``), characters (of the clean text); ``n_removed_lines`` kept if present.
    """
    from arabnews.stats import count_tokens   # imported here: charts need only matplotlib/pandas

    check_frame(corpus, ["id", "text"], "corpus")
    check_column(corpus, by, "by", "corpus")
    words = count_tokens(corpus, by="id")
    out = pd.DataFrame({"id": corpus["id"].to_numpy(), by: corpus[by].to_numpy()})
    out["words"] = out["id"].map(words).fillna(0).astype(int).to_numpy()
    out["characters"] = corpus["text"].fillna("").astype(str).str.len().to_numpy()
    if "n_removed_lines" in corpus.columns:
        out["n_removed_lines"] = corpus["n_removed_lines"].to_numpy()
    return out


def _lengths(corpus: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """id, <by>, value: a length measure computed here or a numeric column of the corpus."""
    if value in LENGTH_MEASURES:
        return article_lengths(corpus, by)[["id", by, value]]
    check_column(corpus, value, "value", "corpus")
    if not pd.api.types.is_numeric_dtype(corpus[value]):
        raise ValueError(f"value={value!r} is not a numeric column of the corpus "
                         f"(choose words, characters or a numeric column)")
    return corpus[["id", by, value]].copy()


def _box_stats(lengths: pd.DataFrame, by: str, value: str, groups: list) -> list[dict]:
    """matplotlib `bxp` statistics per group from quantiles (no raw points kept)."""
    quantiles = (lengths.groupby(by)[value]
                 .quantile([WHISKERS[0] / 100, 0.25, 0.5, 0.75, WHISKERS[1] / 100]).unstack())
    sizes = lengths.groupby(by).size()
    stats = []
    for group in groups:
        low, q1, median, q3, high = quantiles.loc[group].to_numpy(dtype=float)
        stats.append({"label": shaped(f"{group} ({count_text(sizes[group])})"), "whislo": low,
                      "q1": q1, "med": median, "q3": q3, "whishi": high, "fliers": []})
    return stats


def plot_article_lengths(corpus: pd.DataFrame, by: str = "outlet", ax=None, value: str = "words",
                         n: int = 20, rtl: bool | None = None, title: str | None = None,
                         max_bars: int = MAX_BARS):
    """Article lengths per group: one bar per article for a handful of articles (up to
    ``max_bars``), else one box per group (median, quartiles, whiskers at the 5th and 95th
    percentiles) for the n groups with the most articles, the others pooled as "بقية المصادر".

    ``value``: ``words``, ``characters`` or any numeric corpus column (``n_removed_lines``).
    """
    check_frame(corpus, ["id", "text"], "corpus")
    check_column(corpus, by, "by", "corpus")
    n, max_bars = check_n(n), check_n(max_bars, "max_bars")
    if corpus.empty:
        raise ValueError("plot_article_lengths: the corpus has no articles")
    lengths = _lengths(corpus, by, value)
    lengths[by] = lengths[by].astype(str)
    rtl = rtl_for(lengths[by].tolist() + [AXIS_LABEL_PROBE], rtl)
    if len(lengths) <= max_bars:
        ax = _bars_per_article(lengths, by, value, ax, rtl)
    else:
        ax = _boxes_per_group(lengths, by, value, n, ax, rtl)
    set_title(ax, title if title is not None else f"{TITLES['lengths']}: {AXIS_LABELS.get(value, value)}",
              rtl)
    return ax


def _bars_per_article(lengths, by, value, ax, rtl):
    """A bar per article, grouped by `by`, longest first within each group."""
    rows = lengths.sort_values([by, value, "id"], ascending=[True, False, True], kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, bounded(1.0 + 0.3 * max(len(rows), 3))), layout="constrained")
    positions = np.arange(len(rows))
    labels = [f"{o} · {i}" if by != "id" else str(i) for o, i in zip(rows[by], rows["id"])]
    bars = ax.barh(positions, rows[value].to_numpy(), color=BAR_COLOR, height=0.7)
    ax.set_yticks(positions, labels=[shaped(s) for s in labels])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    style_bar_axes(ax, rtl)
    ax.bar_label(bars, labels=[number(v) for v in rows[value]], padding=2, fontsize=8)
    ax.set_xlabel(axis_label(value))
    return ax


def _boxes_per_group(lengths, by, value, n, ax, rtl):
    """One horizontal box per group (the n largest groups, the rest pooled)."""
    kept, rest = top_groups(lengths.groupby(by).size(), n)
    if rest:
        lengths = lengths.assign(**{by: lengths[by].where(lengths[by].isin(kept), TITLES["rest"])})
        kept = kept + [TITLES["rest"]]
    stats = _box_stats(lengths, by, value, kept)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, bounded(1.2 + 0.4 * len(stats))), layout="constrained")
    drawn = ax.bxp(stats, orientation="horizontal", showfliers=False, widths=0.6, patch_artist=True,
                   boxprops={"facecolor": BAR_COLOR, "alpha": 0.85, "edgecolor": BAR_COLOR},
                   medianprops={"color": "white", "linewidth": 1.5},
                   whiskerprops={"color": BAR_COLOR}, capprops={"color": BAR_COLOR})
    if rest:   # the pooled rest in grey, set apart from the groups
        drawn["boxes"][-1].set(facecolor=REST_COLOR, edgecolor=REST_COLOR)
    ax.set_ylim(len(stats) + 0.5, 0.5)
    style_bar_axes(ax, rtl)
    if rtl:
        ax.set_xlim(right=0)
    else:
        ax.set_xlim(left=0)
    ax.set_xlabel(axis_label(value))
    # (a percent sign ending an Arabic line is drawn before its number: "من المقالات" follows it)
    note = (f"الصندوق: نصف المقالات الأوسط، الخط: الوسيط، "
            f"الشعيرات: من {WHISKERS[0]}% إلى {WHISKERS[1]}% من المقالات")
    if rest:
        note += "\n" + TITLES["others_summed"].format(n=count_text(len(rest)), label=TITLES["rest"])
    add_note(ax, note)
    return ax


def plot_totals(frame: pd.DataFrame, by: str = "outlet", value: str = "articles", n: int = 20,
                ax=None, rtl: bool | None = None, title: str | None = None):
    """Horizontal bars of a total per group: the n largest, the rest summed as "بقية المصادر".

    ``frame`` is a corpus (``value``: ``articles`` = rows, ``words`` or ``characters`` = summed
    lengths), a tokens table (``tokens`` = rows), or any frame with a numeric column ``value`` to
    sum (a frequency table's ``count``). Replaces counting tokens per outlet by hand.
    """
    check_frame(frame, [], "frame")
    check_column(frame, by, "by", "frame")
    n = check_n(n)
    if value in ("articles", "tokens"):
        totals = frame.groupby(by).size()
    elif value in LENGTH_MEASURES and value not in frame.columns:
        totals = article_lengths(frame, by).groupby(by)[value].sum()
    else:
        check_column(frame, value, "value", "frame")
        totals = frame.groupby(by)[value].sum()
    totals.index = totals.index.astype(str)
    totals.index.name = by
    if totals.empty:
        raise ValueError("plot_totals: nothing to count (empty frame)")
    kept, rest = top_groups(totals, n)
    shown = totals[kept]
    if rest:
        shown = pd.concat([shown, pd.Series({TITLES["rest"]: totals[rest].sum()})])
    rtl = rtl_for(list(shown.index) + [AXIS_LABEL_PROBE], rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, bounded(1.0 + 0.3 * max(len(shown), 3))),
                             layout="constrained")
    positions = np.arange(len(shown))
    colors = [REST_COLOR if rest and k == len(shown) - 1 else BAR_COLOR for k in range(len(shown))]
    bars = ax.barh(positions, shown.to_numpy(), color=colors, height=0.7)
    ax.set_yticks(positions, labels=[shaped(s) for s in shown.index])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    style_bar_axes(ax, rtl)
    ax.bar_label(bars, labels=[count_text(v) for v in shown], padding=2, fontsize=8)
    ax.set_xlabel(axis_label(value))
    if rest:
        add_note(ax, TITLES["others_summed"].format(n=count_text(len(rest)), label=TITLES["rest"]))
    set_title(ax, title if title is not None else f"{AXIS_LABELS.get(value, value)} حسب المصدر", rtl)
    return ax
