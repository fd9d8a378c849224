"""Term charts: top terms, small multiples per group, keyness, word cloud.

House style: horizontal bars with the labels on the right and bars growing leftwards when labels
are Arabic (`rtl=True`), titles right-aligned, ASCII digits. The group column of a tidy frame is
`by` (default: its first column, e.g. `outlet`, or `country` for a frame counted by country).
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arabnews.checks import check_choice
from arabnews.plots.style import (
    AXIS_LABELS, BAR_COLOR, REFERENCE_COLOR, SUMMABLE, TITLES, WORDCLOUD_CMAP,
    axis_label, bounded, check_n, group_column, label_column, number, number_ticks,
    require_columns, rtl_for, set_title, shaped, style_bar_axes, top_groups,
)
from arabnews.shaping import arabic_font_files, has_arabic, shape_for_display

KEYNESS_MEASURES = ("g2", "log_ratio", "log_odds_z")


def _sum_terms(rows: pd.DataFrame, value: str) -> pd.DataFrame:
    """One row per term, counts summed (the display spelling of the first row kept)."""
    label = label_column(rows)
    agg = {value: "sum", **({label: "first"} if label != "term" else {})}
    return rows.groupby("term", as_index=False, sort=False).agg(agg)


def _select_group(freqs: pd.DataFrame, outlet, value: str, by: str) -> pd.DataFrame:
    """Rows of one group (outlets of one `by` group summed, e.g. by="country"); with
    `outlet=None`, counts summed over all groups."""
    if outlet is not None:
        rows = freqs[freqs[by] == outlet]
        if rows.empty:
            raise ValueError(f"no rows for {by}={outlet!r}; available: {sorted(freqs[by].unique())}")
        if rows["term"].duplicated().any():
            if value not in SUMMABLE:
                raise ValueError(f"{value!r} cannot be summed over the outlets of {by}={outlet!r}; "
                                 f"count the frame by {by!r} instead")
            return _sum_terms(rows, value).assign(**{by: outlet})
        return rows
    if freqs[by].nunique() <= 1:
        return freqs
    if value not in SUMMABLE:
        raise ValueError(f"{value!r} cannot be summed over {by}s; pass outlet=... "
                         f"(one of {sorted(freqs[by].unique())})")
    return _sum_terms(freqs, value).assign(**{by: TITLES["all"]})


def _group_name(freqs: pd.DataFrame, outlet, by: str) -> str:
    """What a chart of ``outlet`` shows: that group, the only group, or all groups summed."""
    if outlet is not None:
        return str(outlet)
    groups = freqs[by].unique()
    return str(groups[0]) if len(groups) == 1 else TITLES["all"]


def _top_rows(rows: pd.DataFrame, value: str, n: int) -> pd.DataFrame:
    """The n largest values, ties broken by term so charts are reproducible."""
    return rows.sort_values([value, "term"], ascending=[False, True], kind="stable").head(n)


# ---------------------------------------------------------------- bar charts

def plot_top_terms(freqs: pd.DataFrame, outlet=None, n: int = 20, ax=None, value: str = "count",
                   rtl: bool | None = None, color: str = BAR_COLOR, title: str | None = None,
                   annotate: bool = True, by: str | None = None):
    """Horizontal bars of the n most frequent terms of one group (all groups summed if None)."""
    require_columns(freqs, ["term", value], "plot_top_terms")
    n = check_n(n)
    by = group_column(freqs, by, "plot_top_terms")
    rows = _select_group(freqs, outlet, value, by)
    top = _top_rows(rows, value, n)
    labels = top[label_column(top)].astype(str).tolist()
    rtl = rtl_for(labels, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, bounded(0.8 + 0.3 * max(len(top), 3))), layout="constrained")
    if value in SUMMABLE:
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    positions = np.arange(len(top))
    bars = ax.barh(positions, top[value].to_numpy(), color=color, height=0.7)
    ax.set_yticks(positions, labels=[shaped(s) for s in labels])
    ax.set_ylim(len(top) - 0.5, -0.5)
    style_bar_axes(ax, rtl)
    ax.set_xlabel(axis_label(value))
    if annotate:
        ax.bar_label(bars, labels=[number(v) for v in top[value]], padding=2, fontsize=8)
    set_title(ax, title if title is not None else
              f"{TITLES['top_terms']}: {_group_name(freqs, outlet, by)}", rtl)
    return ax


def plot_terms_by_outlet(freqs: pd.DataFrame, n: int = 10, value: str = "count", ncols: int = 3,
                         rtl: bool | None = None, title: str | None = None, by: str | None = None,
                         panels: int = 12):
    """Small multiples: top n terms per group on one shared scale (returns the Figure).

    At most ``panels`` panels: the groups with the most tokens (largest summed ``value`` when no
    ``count``), the others counted in a note, so 200 outlets give a readable, bounded figure.
    """
    require_columns(freqs, ["term", value], "plot_terms_by_outlet")
    n, panels = check_n(n), check_n(panels, "panels")
    by = group_column(freqs, by, "plot_terms_by_outlet")
    if freqs.empty:
        raise ValueError("plot_terms_by_outlet: the frame has no rows")
    size = "count" if "count" in freqs.columns else value
    kept, hidden = top_groups(freqs.groupby(by)[size].sum(), panels)
    groups = sorted(kept, key=str)
    rtl = rtl_for(freqs[label_column(freqs)].astype(str), rtl)
    ncols = min(check_n(ncols, "ncols"), len(groups))
    nrows = -(-len(groups) // ncols)
    fig, axes = plt.subplots(nrows, ncols, sharex=True, squeeze=False, layout="constrained",
                             figsize=(bounded(3.4 * ncols), bounded(0.6 + nrows * (0.6 + 0.24 * n))))
    # Arabic readers start top-right: fill each row from the right.
    order = [axes[r, ncols - 1 - c] if rtl else axes[r, c] for r in range(nrows) for c in range(ncols)]
    for ax, group in zip(order, groups):
        plot_top_terms(freqs, outlet=group, n=n, ax=ax, value=value, rtl=rtl, title=str(group), by=by)
        ax.title.set_fontsize("medium")
        ax.set_xlabel("")
    for k, ax in enumerate(order):
        if k >= len(groups):
            ax.set_visible(False)
        elif k + ncols >= len(groups):   # nothing drawn below: show this panel's scale
            ax.xaxis.set_tick_params(labelbottom=True)
    label = AXIS_LABELS.get(value, value)
    if hidden:
        label += " — " + TITLES["hidden_groups"].format(n=len(hidden))
    fig.supxlabel(shaped(label), fontsize="medium")
    fig.suptitle(shaped(title if title is not None else TITLES["by_outlet"]),
                 x=0.99 if rtl else 0.01, ha="right" if rtl else "left")
    return fig


def keyness_measure(keyness_df: pd.DataFrame) -> str:
    """The measure a keyness table was ranked by: ``attrs["measure"]``, else the column it is
    sorted on (highest first), else g2."""
    stated = keyness_df.attrs.get("measure")
    if stated in KEYNESS_MEASURES:
        return stated
    for measure in ("log_ratio", "g2", "log_odds_z"):   # keyness()'s default first
        if measure in keyness_df.columns and len(keyness_df) > 1:
            for _, rows in keyness_df.groupby("target", sort=False):
                if not rows[measure].is_monotonic_decreasing:
                    break
            else:
                return measure
    return "g2"


def plot_keyness(keyness_df: pd.DataFrame, n: int = 15, ax=None, measure: str | None = None,
                 target=None, reference_label: str | None = None, rtl: bool | None = None):
    """Diverging bars: the n terms most typical of the target (right) and of the reference (left).

    ``measure=None`` shows the measure the table was ranked by (see ``keyness_measure``), so the
    chart and the table beside it agree.
    """
    require_columns(keyness_df, ["term", "target", "g2", "log_ratio"], "plot_keyness")
    n = check_n(n)
    measure = keyness_measure(keyness_df) if measure is None else measure
    check_choice(measure, [m for m in KEYNESS_MEASURES if m in keyness_df.columns], "measure")
    targets = sorted(keyness_df["target"].unique())
    if target is None and len(targets) != 1:
        raise ValueError(f"the keyness frame has targets {targets}; pass target=...")
    target = targets[0] if target is None else target
    rows = keyness_df[keyness_df["target"] == target]
    if rows.empty:
        raise ValueError(f"no keyness rows for target {target!r}; available: {targets}")
    signed = np.sign(rows["log_ratio"]) * rows[measure].abs() if measure == "g2" else rows[measure]
    rows = rows.assign(_signed=signed)
    pos = rows[rows["_signed"] > 0].nlargest(n, "_signed")
    neg = rows[rows["_signed"] < 0].nsmallest(n, "_signed").iloc[::-1]
    shown = pd.concat([pos, neg])
    labels = shown[label_column(shown)].astype(str).tolist()
    rtl = rtl_for(labels, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, bounded(0.8 + 0.28 * max(len(shown), 3))),
                             layout="constrained")
    y = np.arange(len(shown))
    colors = [BAR_COLOR if v > 0 else REFERENCE_COLOR for v in shown["_signed"]]
    ax.barh(y, shown["_signed"].to_numpy(), color=colors, height=0.7)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    span = float(shown["_signed"].abs().max()) if len(shown) else 1.0
    for yi, value, label in zip(y, shown["_signed"], labels):
        # the term sits beside the zero line, on the side opposite its bar
        side = -1 if value > 0 else 1
        ax.text(side * 0.01 * span, yi, shaped(label), va="center",
                ha="right" if side < 0 else "left", fontsize=9)
    ax.set_xlim(-1.35 * span, 1.35 * span)
    ax.set_xlabel(axis_label(measure))
    number_ticks(ax.xaxis)
    reference = reference_label if reference_label is not None else TITLES["rest"]
    set_title(ax, f"{TITLES['keyness']}: {target} {TITLES['versus']} {reference}", rtl, pad=18)
    ax.text(1, 1.0, shaped(str(target)), transform=ax.transAxes, ha="right", va="bottom",
            color=BAR_COLOR, fontsize=9)
    ax.text(0, 1.0, shaped(reference), transform=ax.transAxes, ha="left", va="bottom",
            color=REFERENCE_COLOR, fontsize=9)
    return ax


# ---------------------------------------------------------------- word cloud

def _weights(freqs, outlet, value: str) -> dict[str, float]:
    """term -> weight from a tidy frequency frame (one outlet or summed) or a plain mapping."""
    if isinstance(freqs, pd.DataFrame):
        require_columns(freqs, ["term", value], "plot_wordcloud")
        rows = _select_group(freqs, outlet, value, group_column(freqs))
        label = label_column(rows)
        weights = rows.groupby(label)[value].sum()
    else:
        weights = pd.Series(dict(freqs), dtype=float)
    weights = weights[weights > 0]
    if weights.empty:
        raise ValueError("plot_wordcloud: no term has a positive weight")
    return {str(k): float(v) for k, v in weights.items()}


def plot_wordcloud(freqs, outlet=None, ax=None, value: str = "count", max_words: int = 100,
                   width: int = 800, height: int = 400, font_path: str | None = None,
                   title: str | None = None, n: int | None = None, **wordcloud_kwargs):
    """Word cloud drawn by Pillow, with each word shaped for Pillow's own text engine.

    ``n`` (the house name for "how many") overrides ``max_words``.
    """
    from wordcloud import WordCloud

    max_words = check_n(n) if n is not None else max_words
    weights = _weights(freqs, outlet, value)
    shaped_weights = {shape_for_display(term, "pillow"): w for term, w in weights.items()}
    options = dict(font_path=font_path or str(arabic_font_files()[0]), width=width, height=height,
                   background_color="white", prefer_horizontal=1.0, max_words=max_words,
                   colormap=WORDCLOUD_CMAP, random_state=0, collocations=False,
                   include_numbers=True, normalize_plurals=False,
                   margin=8)   # joined Arabic words packed tighter read as one word
    options.update(wordcloud_kwargs)
    cloud = WordCloud(**options).generate_from_frequencies(shaped_weights)
    if ax is None:
        _, ax = plt.subplots(figsize=(width / 100, height / 100), layout="constrained")
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    group = (_group_name(freqs, outlet, group_column(freqs)) if isinstance(freqs, pd.DataFrame)
             else TITLES["all"])
    set_title(ax, title if title is not None else f"{TITLES['wordcloud']}: {group}",
              rtl=any(has_arabic(t) for t in weights))
    return ax


__all__ = ["plot_top_terms", "plot_terms_by_outlet", "plot_keyness", "keyness_measure",
           "plot_wordcloud"]
