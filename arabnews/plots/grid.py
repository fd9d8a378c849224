"""Grid charts: entities by outlet (heatmap) and where a term falls in its articles (dispersion).

Both stay bounded whatever the corpus: the heatmap keeps the n most mentioned entities and the
`n_outlets` largest groups (a summed "others" row would swamp the colour scale, so the other
groups are left out and counted), the dispersion plot the n articles with the most occurrences;
a note counts what is left out.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arabnews.plots.style import (
    AXIS_LABELS, HEATMAP_CMAP, TITLES, add_note, bounded, check_n, count_text,
    group_column, number, require_columns, rtl_for, set_title, shaped, style_bar_axes,
    top_groups,
)

__all__ = ["plot_entity_heatmap", "plot_dispersion"]

ANNOTATE_MAX_CELLS = 600   # beyond this the numbers in the cells are too small to read


def _heatmap_table(entity_freqs, by, label, value, n, n_outlets):
    """Entities x groups table, most mentioned first, cut to n entities and n_outlets groups."""
    table = entity_freqs.pivot_table(index=label, columns=by, values=value, aggfunc="sum",
                                     fill_value=0)
    entity_totals = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    hidden_entities = max(0, len(entity_totals) - n)
    table = table.loc[entity_totals.index[:n]]
    group_totals = entity_freqs.groupby(by)[value].sum()
    kept, rest = top_groups(group_totals, n_outlets)
    return table[kept], hidden_entities, len(rest)


def plot_entity_heatmap(entity_freqs: pd.DataFrame, ax=None, value: str = "count",
                        label: str = "entity", n: int = 25, rtl: bool | None = None,
                        cmap: str = HEATMAP_CMAP, by: str | None = None, n_outlets: int = 40,
                        annotate: bool | None = None, top: int | None = None):
    """Entities by group, each cell its count; bounded for any number of outlets and entities.

    The n most mentioned entities and the ``n_outlets`` largest groups (``by``: the frame's first
    column by default) are drawn; a note counts the entities and groups not shown (a summed
    "others" row would swamp the colour scale). The longer list goes on the
    vertical axis (outlets as rows when there are more of them than entities). ``top`` is the
    old name of ``n``.
    """
    require_columns(entity_freqs, ["entity", label, value], "plot_entity_heatmap")
    n = check_n(top if top is not None else n)
    n_outlets = check_n(n_outlets, "n_outlets")
    by = group_column(entity_freqs, by, "plot_entity_heatmap")
    if entity_freqs.empty:
        raise ValueError("plot_entity_heatmap: no entities to draw")
    table, hidden_entities, hidden_groups = _heatmap_table(entity_freqs, by, label, value, n,
                                                           n_outlets)
    rtl = rtl_for(table.index.astype(str), rtl)
    outlets_as_rows = table.shape[1] > table.shape[0]
    if outlets_as_rows:
        table = table.T
    if rtl:   # reading starts on the right: first column at the right edge
        table = table[list(table.columns)[::-1]]
    rows, cols = table.shape
    if ax is None:
        width = bounded(1.6 + (0.45 if outlets_as_rows else 0.9) * cols)
        height = bounded(1.4 + 0.3 * rows + (1.0 if outlets_as_rows else 0))
        _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    data = table.to_numpy(dtype=float)
    ax.imshow(data, cmap=cmap, aspect="auto")
    ax.set_xticks(np.arange(cols), labels=[shaped(c) for c in table.columns],
                  rotation=90 if outlets_as_rows else 0)
    ax.set_yticks(np.arange(rows), labels=[shaped(e) for e in table.index])
    ax.xaxis.tick_top()
    if rtl:
        ax.yaxis.tick_right()
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    if annotate if annotate is not None else data.size <= ANNOTATE_MAX_CELLS:
        threshold = data.max() / 2 if data.size else 0
        size = 8 if data.size <= 200 else 6
        for (r, c), v in np.ndenumerate(data):
            ax.text(c, r, number(v), ha="center", va="center", fontsize=size,
                    color="white" if v > threshold else "black")
    notes = []
    if hidden_entities:
        notes.append(TITLES["hidden_entities"].format(n=count_text(hidden_entities)))
    if hidden_groups:
        notes.append(TITLES["hidden_groups"].format(n=count_text(hidden_groups)))
    if notes:
        add_note(ax, "، ".join(notes))
    set_title(ax, TITLES["entities"], rtl)
    return ax


def plot_dispersion(disp_df: pd.DataFrame, ax=None, rtl: bool | None = None, n: int = 30):
    """Where each term falls in each article: one row per article, a tick per occurrence.

    At most n articles (those with the most occurrences, then by outlet and id); a note counts
    the others.
    """
    require_columns(disp_df, ["id", "outlet", "term", "relative_position"], "plot_dispersion")
    n = check_n(n)
    if disp_df.empty:
        raise ValueError("plot_dispersion: no occurrences to draw (empty frame)")
    hits_per_article = disp_df.groupby(["id", "outlet"], as_index=False).size()
    chosen = hits_per_article.sort_values(["size", "outlet", "id"], ascending=[False, True, True],
                                          kind="stable").head(n)
    hidden = len(hits_per_article) - len(chosen)
    articles = chosen.sort_values(["outlet", "id"])
    row_of = {a: i for i, a in enumerate(articles["id"])}
    shown = disp_df[disp_df["id"].isin(row_of)]
    terms = sorted(disp_df["term"].astype(str).unique())
    rtl = rtl_for(terms, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, bounded(1.2 + 0.45 * len(articles))), layout="constrained")
    palette = plt.get_cmap("tab10")
    for k, term in enumerate(terms):
        hits = shown[shown["term"].astype(str) == term]
        rows = hits["id"].map(row_of).to_numpy()
        ax.vlines(hits["relative_position"].to_numpy(), rows - 0.35, rows + 0.35,
                  color=palette(k % 10), linewidth=1.2, label=shaped(term))
    ax.set_yticks(np.arange(len(articles)),
                  labels=[shaped(f"{o} · {i}") for i, o in zip(articles["id"], articles["outlet"])])
    ax.set_ylim(len(articles) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    style_bar_axes(ax, rtl)   # reading starts on the right: position 0 at the right edge
    ax.set_xlabel(shaped(AXIS_LABELS["relative_position"]))
    if len(terms) > 1:
        ax.legend(loc="lower left" if rtl else "lower right", bbox_to_anchor=(0 if rtl else 1, 1),
                  ncol=len(terms), fontsize=8, frameon=False, markerfirst=not rtl)
    if hidden:
        add_note(ax, TITLES["hidden_articles"].format(n=count_text(hidden)))
    set_title(ax, f"{TITLES['dispersion']}: {'، '.join(terms)}", rtl)
    return ax

