"""Charts of the tidy frames, drawn for Arabic readers (seaborn convention: `ax=` in, Axes out).

Every label, title and annotation goes through `shape_for_display`, so Arabic is drawn joined and
right to left on any matplotlib (and in Pillow for word clouds). House style: horizontal bars with
the labels on the right and bars growing leftwards when labels are Arabic (`rtl=True`), titles
right-aligned, ASCII digits. Figure-level functions return the Figure.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arabnews import FIGURES_DIR
from arabnews.shaping import arabic_font_files, has_arabic, setup_arabic_fonts, shape_for_display

__all__ = [
    "plot_top_terms", "plot_terms_by_outlet", "plot_entity_heatmap", "plot_keyness",
    "plot_dispersion", "plot_wordcloud", "save_figure", "set_digits",
]

setup_arabic_fonts()

# ---------------------------------------------------------------- house style and wording

BAR_COLOR = "#2a6f97"
REFERENCE_COLOR = "#c44e52"
HEATMAP_CMAP = "Blues"
WORDCLOUD_CMAP = "viridis"
FIGURES_ENV = "ARABNEWS_FIGURES_DIR"
DIGIT_STYLES = {"ascii": {}, "arabic": str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")}
_digit_style = {"style": "ascii"}

AXIS_LABELS = {"count": "عدد المرات", "per_1k": "لكل 1000 كلمة", "tfidf": "TF-IDF",
               "doc_freq": "عدد المقالات", "g2": "G2 (log-likelihood)", "log_ratio": "log ratio",
               "relative_position": "الموضع في المقال (0 = البداية)"}
TITLES = {"top_terms": "أكثر الكلمات تكرارا", "by_outlet": "أكثر الكلمات تكرارا حسب المصدر",
          "entities": "الكيانات المذكورة حسب المصدر", "keyness": "الكلمات المميزة",
          "versus": "مقابل", "rest": "بقية المصادر", "dispersion": "مواضع الكلمة في المقالات",
          "all": "كل المصادر", "wordcloud": "سحابة الكلمات"}


def _shaped(text) -> str:
    """Any label as the string matplotlib must receive (numbers and names become text first)."""
    return shape_for_display(str(text))


def _rtl_for(labels, rtl: bool | None) -> bool:
    """Explicit `rtl`, else right-to-left as soon as one label holds Arabic."""
    return bool(rtl) if rtl is not None else any(has_arabic(str(s)) for s in labels)


def _set_title(ax, text: str, rtl: bool, pad: float | None = None) -> None:
    """Title aligned to the reading start: right for Arabic charts, left otherwise."""
    ax.set_title(_shaped(text), loc="right" if rtl else "left", pad=pad)


def set_digits(style: str = "ascii") -> None:
    """Digits in the charts drawn from now on: ``"ascii"`` (0-9, the default) or ``"arabic"`` (٠-٩)."""
    if style not in DIGIT_STYLES:
        raise ValueError(f"digits must be one of {sorted(DIGIT_STYLES)}, got {style!r}")
    _digit_style["style"] = style


def _digits(text: str) -> str:
    return text.translate(DIGIT_STYLES[_digit_style["style"]])


def _number(value: float) -> str:
    """Whole numbers without decimals, others with at most 2; digits as set by ``set_digits``."""
    plain = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return _digits(plain)


def _number_ticks(axis) -> None:
    """Tick numbers in the chosen digits (matplotlib's own formatter when they are ASCII)."""
    if _digit_style["style"] != "ascii":
        axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: _number(round(v, 6))))


def _style_bar_axes(ax, rtl: bool) -> None:
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
    _number_ticks(ax.xaxis)


# ---------------------------------------------------------------- input checks

def _require_columns(df: pd.DataFrame, columns, what: str) -> None:
    """Clear error naming the missing columns of a tidy frame."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} expects a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; got {list(df.columns)}")


def _group_column(freqs: pd.DataFrame) -> str:
    """The grouping column of a tidy frame is its first column (`outlet`, `id`, ...)."""
    return freqs.columns[0]


def _label_column(freqs: pd.DataFrame) -> str:
    """Most frequent original spelling when the frame carries it, else the normalised term."""
    return "display" if "display" in freqs.columns else "term"


def _select_group(freqs: pd.DataFrame, outlet, value: str) -> pd.DataFrame:
    """Rows of one group; with `outlet=None`, counts summed over all groups."""
    by = _group_column(freqs)
    if outlet is not None:
        rows = freqs[freqs[by] == outlet]
        if rows.empty:
            raise ValueError(f"no rows for {by}={outlet!r}; available: {sorted(freqs[by].unique())}")
        return rows
    if freqs[by].nunique() <= 1:
        return freqs
    if value not in ("count", "doc_freq"):
        raise ValueError(f"{value!r} cannot be summed over {by}s; pass outlet=... "
                         f"(one of {sorted(freqs[by].unique())})")
    label = _label_column(freqs)
    summed = freqs.groupby("term", as_index=False).agg({value: "sum", label: "first"})
    return summed.assign(**{by: TITLES["all"]})


def _group_name(freqs: pd.DataFrame, outlet) -> str:
    """What a chart of ``outlet`` shows: that group, the only group, or all groups summed."""
    if outlet is not None:
        return str(outlet)
    groups = freqs[_group_column(freqs)].unique()
    return str(groups[0]) if len(groups) == 1 else TITLES["all"]


def _top_rows(rows: pd.DataFrame, value: str, n: int) -> pd.DataFrame:
    """The n largest values, ties broken by term so charts are reproducible."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return rows.sort_values([value, "term"], ascending=[False, True], kind="stable").head(n)


# ---------------------------------------------------------------- bar charts

def plot_top_terms(freqs: pd.DataFrame, outlet=None, n: int = 20, ax=None, value: str = "count",
                   rtl: bool | None = None, color: str = BAR_COLOR, title: str | None = None,
                   annotate: bool = True):
    """Horizontal bars of the n most frequent terms of one outlet (all outlets summed if None)."""
    _require_columns(freqs, ["term", value], "plot_top_terms")
    rows = _select_group(freqs, outlet, value)
    top = _top_rows(rows, value, n)
    labels = top[_label_column(top)].astype(str).tolist()
    rtl = _rtl_for(labels, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.8 + 0.3 * max(len(top), 3)), layout="constrained")
    if value in ("count", "doc_freq"):
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    positions = np.arange(len(top))
    bars = ax.barh(positions, top[value].to_numpy(), color=color, height=0.7)
    ax.set_yticks(positions, labels=[_shaped(s) for s in labels])
    ax.set_ylim(len(top) - 0.5, -0.5)
    _style_bar_axes(ax, rtl)
    ax.set_xlabel(_shaped(AXIS_LABELS.get(value, value)))
    if annotate:
        ax.bar_label(bars, labels=[_number(v) for v in top[value]], padding=2, fontsize=8)
    _set_title(ax, title if title is not None else f"{TITLES['top_terms']}: {_group_name(freqs, outlet)}", rtl)
    return ax


def plot_terms_by_outlet(freqs: pd.DataFrame, n: int = 10, value: str = "count", ncols: int = 3,
                         rtl: bool | None = None, title: str | None = None):
    """Small multiples: top n terms per outlet on one shared scale (returns the Figure)."""
    _require_columns(freqs, ["term", value], "plot_terms_by_outlet")
    by = _group_column(freqs)
    groups = sorted(freqs[by].unique())
    if not groups:
        raise ValueError("plot_terms_by_outlet: the frame has no rows")
    rtl = _rtl_for(freqs[_label_column(freqs)].astype(str), rtl)
    ncols = min(ncols, len(groups))
    nrows = -(-len(groups) // ncols)
    fig, axes = plt.subplots(nrows, ncols, sharex=True, squeeze=False, layout="constrained",
                             figsize=(3.4 * ncols, 0.6 + nrows * (0.6 + 0.24 * n)))
    # Arabic readers start top-right: fill each row from the right.
    order = [axes[r, ncols - 1 - c] if rtl else axes[r, c] for r in range(nrows) for c in range(ncols)]
    for ax, group in zip(order, groups):
        plot_top_terms(freqs, outlet=group, n=n, ax=ax, value=value, rtl=rtl, title=str(group))
        ax.title.set_fontsize("medium")
        ax.set_xlabel("")
    for k, ax in enumerate(order):
        if k >= len(groups):
            ax.set_visible(False)
        elif k + ncols >= len(groups):   # nothing drawn below: show this panel's scale
            ax.xaxis.set_tick_params(labelbottom=True)
    fig.supxlabel(_shaped(AXIS_LABELS.get(value, value)), fontsize="medium")
    fig.suptitle(_shaped(title if title is not None else TITLES["by_outlet"]),
                 x=0.99 if rtl else 0.01, ha="right" if rtl else "left")
    return fig


def plot_keyness(keyness_df: pd.DataFrame, n: int = 15, ax=None, measure: str = "g2",
                 target=None, reference_label: str | None = None, rtl: bool | None = None):
    """Diverging bars: the n terms most typical of the target (right) and of the reference (left)."""
    _require_columns(keyness_df, ["term", "target", "g2", "log_ratio"], "plot_keyness")
    if measure not in ("g2", "log_ratio", "log_odds_z"):
        raise ValueError(f"measure must be g2, log_ratio or log_odds_z, got {measure!r}")
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
    labels = shown[_label_column(shown)].astype(str).tolist()
    rtl = _rtl_for(labels, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.8 + 0.28 * max(len(shown), 3)), layout="constrained")
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
        ax.text(side * 0.01 * span, yi, _shaped(label), va="center",
                ha="right" if side < 0 else "left", fontsize=9)
    ax.set_xlim(-1.35 * span, 1.35 * span)
    ax.set_xlabel(_shaped(AXIS_LABELS.get(measure, measure)))
    _number_ticks(ax.xaxis)
    reference = reference_label if reference_label is not None else TITLES["rest"]
    _set_title(ax, f"{TITLES['keyness']}: {target} {TITLES['versus']} {reference}", rtl, pad=18)
    ax.text(1, 1.0, _shaped(str(target)), transform=ax.transAxes, ha="right", va="bottom",
            color=BAR_COLOR, fontsize=9)
    ax.text(0, 1.0, _shaped(reference), transform=ax.transAxes, ha="left", va="bottom",
            color=REFERENCE_COLOR, fontsize=9)
    return ax


# ---------------------------------------------------------------- heatmap and dispersion

def plot_entity_heatmap(entity_freqs: pd.DataFrame, ax=None, value: str = "count",
                        label: str = "entity", top: int | None = 25, rtl: bool | None = None,
                        cmap: str = HEATMAP_CMAP):
    """Entities (rows, most mentioned first) by outlet (columns), each cell annotated with its count."""
    _require_columns(entity_freqs, ["entity", label, value], "plot_entity_heatmap")
    by = _group_column(entity_freqs)
    table = entity_freqs.pivot_table(index=label, columns=by, values=value, aggfunc="sum",
                                     fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    if top is not None:
        table = table.head(top)
    if table.empty:
        raise ValueError("plot_entity_heatmap: no entities to draw")
    rtl = _rtl_for(table.index.astype(str), rtl)
    columns = list(table.columns)[::-1] if rtl else list(table.columns)
    table = table[columns]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 + 1.1 * table.shape[1], 0.9 + 0.32 * table.shape[0]),
                             layout="constrained")
    data = table.to_numpy(dtype=float)
    image = ax.imshow(data, cmap=cmap, aspect="auto")
    ax.set_xticks(np.arange(table.shape[1]), labels=[_shaped(c) for c in table.columns])
    ax.set_yticks(np.arange(table.shape[0]), labels=[_shaped(e) for e in table.index])
    ax.xaxis.tick_top()
    if rtl:
        ax.yaxis.tick_right()
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    threshold = data.max() / 2 if data.size else 0
    for (r, c), v in np.ndenumerate(data):
        ax.text(c, r, _number(v), ha="center", va="center", fontsize=8,
                color="white" if v > threshold else "black")
    _set_title(ax, TITLES["entities"], rtl)
    return ax


def plot_dispersion(disp_df: pd.DataFrame, ax=None, rtl: bool | None = None):
    """Where each term falls in each article: one row per article, a tick per occurrence."""
    _require_columns(disp_df, ["id", "outlet", "term", "relative_position"], "plot_dispersion")
    if disp_df.empty:
        raise ValueError("plot_dispersion: no occurrences to draw (empty frame)")
    articles = disp_df[["id", "outlet"]].drop_duplicates().sort_values(["outlet", "id"])
    row_of = {a: i for i, a in enumerate(articles["id"])}
    terms = sorted(disp_df["term"].astype(str).unique())
    rtl = _rtl_for(terms, rtl)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 1.0 + 0.45 * len(articles)), layout="constrained")
    palette = plt.get_cmap("tab10")
    for k, term in enumerate(terms):
        hits = disp_df[disp_df["term"].astype(str) == term]
        rows = hits["id"].map(row_of).to_numpy()
        ax.vlines(hits["relative_position"].to_numpy(), rows - 0.35, rows + 0.35,
                  color=palette(k % 10), linewidth=1.2, label=_shaped(term))
    ax.set_yticks(np.arange(len(articles)),
                  labels=[_shaped(f"{o} · {i}") for i, o in zip(articles["id"], articles["outlet"])])
    ax.set_ylim(len(articles) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    _style_bar_axes(ax, rtl)   # reading starts on the right: position 0 at the right edge
    ax.set_xlabel(_shaped(AXIS_LABELS["relative_position"]))
    if len(terms) > 1:
        ax.legend(loc="lower left" if rtl else "lower right", bbox_to_anchor=(0 if rtl else 1, 1),
                  ncol=len(terms), fontsize=8, frameon=False, markerfirst=not rtl)
    _set_title(ax, f"{TITLES['dispersion']}: {'، '.join(terms)}", rtl)
    return ax


# ---------------------------------------------------------------- word cloud

def _weights(freqs, outlet, value: str) -> dict[str, float]:
    """term -> weight from a tidy frequency frame (one outlet or summed) or a plain mapping."""
    if isinstance(freqs, pd.DataFrame):
        _require_columns(freqs, ["term", value], "plot_wordcloud")
        rows = _select_group(freqs, outlet, value)
        label = _label_column(rows)
        weights = rows.groupby(label)[value].sum()
    else:
        weights = pd.Series(dict(freqs), dtype=float)
    weights = weights[weights > 0]
    if weights.empty:
        raise ValueError("plot_wordcloud: no term has a positive weight")
    return {str(k): float(v) for k, v in weights.items()}


def plot_wordcloud(freqs, outlet=None, ax=None, value: str = "count", max_words: int = 100,
                   width: int = 800, height: int = 400, font_path: str | None = None,
                   title: str | None = None, **wordcloud_kwargs):
    """Word cloud drawn by Pillow, with each word shaped for Pillow's own text engine."""
    from wordcloud import WordCloud

    weights = _weights(freqs, outlet, value)
    shaped = {shape_for_display(term, "pillow"): w for term, w in weights.items()}
    options = dict(font_path=font_path or str(arabic_font_files()[0]), width=width, height=height,
                   background_color="white", prefer_horizontal=1.0, max_words=max_words,
                   colormap=WORDCLOUD_CMAP, random_state=0, collocations=False,
                   include_numbers=True, normalize_plurals=False,
                   margin=8)   # joined Arabic words packed tighter read as one word
    options.update(wordcloud_kwargs)
    cloud = WordCloud(**options).generate_from_frequencies(shaped)
    if ax is None:
        _, ax = plt.subplots(figsize=(width / 100, height / 100), layout="constrained")
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    group = _group_name(freqs, outlet) if isinstance(freqs, pd.DataFrame) else TITLES["all"]
    _set_title(ax, title if title is not None else f"{TITLES['wordcloud']}: {group}",
               rtl=any(has_arabic(t) for t in weights))
    return ax


# ---------------------------------------------------------------- saving

_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}


def _figures_dir(directory: str | os.PathLike | None = None) -> Path:
    """Output folder: the argument, else $ARABNEWS_FIGURES_DIR, else the project's figures/."""
    chosen = directory or os.environ.get(FIGURES_ENV) or FIGURES_DIR
    return Path(chosen)


def save_figure(fig, name: str, formats=("png", "svg"), directory=None, dpi: int = 150) -> list[Path]:
    """Write `fig` as figures/NAME.<fmt> for each format, byte-reproducible (no timestamps)."""
    if hasattr(fig, "get_figure") and not isinstance(fig, mpl.figure.Figure):
        fig = fig.get_figure()
    if not isinstance(fig, mpl.figure.Figure):
        raise TypeError(f"save_figure expects a Figure or Axes, got {type(fig).__name__}")
    if not isinstance(name, str) or not name.strip() or Path(name).name != name:
        raise ValueError(f"name must be a bare file name without folders, got {name!r}")
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported format(s) {unknown}; choose from {sorted(_METADATA)}")
    folder = _figures_dir(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context({"svg.hashsalt": "arabnews", "pdf.fonttype": 42}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
            written.append(path)
    return written
