"""Charts of the tidy frames, drawn for Arabic readers (seaborn convention: `ax=` in, Axes out).

Every label, title and annotation is shaped (`arabnews.shaping`), so Arabic is drawn joined and
right to left on any matplotlib (and in Pillow for word clouds). One vocabulary everywhere:
`n` (how many bars, lines, panels or entities), `by` (the group column), `value` (the measure),
`outlet` (one group), `ax`, `rtl`. Figure-level functions return the Figure. Every chart stays
under ~3000 px a side whatever the corpus: the n largest groups are drawn, the rest summed or
counted in a note.

Modules: `style` (house style, wording, sizes), `terms` (top terms, small multiples, keyness,
word cloud), `grid` (entity heatmap, dispersion), `trends` (coverage over time), `sizes`
(article lengths, totals per outlet), `save` (byte-reproducible files).
"""
from arabnews.shaping import setup_arabic_fonts

setup_arabic_fonts()

from arabnews.plots.grid import plot_dispersion, plot_entity_heatmap  # noqa: E402
from arabnews.plots.save import save_figure  # noqa: E402
from arabnews.plots.sizes import article_lengths, plot_article_lengths, plot_totals  # noqa: E402
from arabnews.plots.style import (  # noqa: E402,F401
    AXIS_LABELS, BAR_COLOR, CHART_DPI, FIGURES_ENV, MAX_FIGURE_PX, REFERENCE_COLOR, SAVED_DPI,
    TITLES, set_digits,
)
from arabnews.plots.terms import (  # noqa: E402
    keyness_measure, plot_keyness, plot_terms_by_outlet, plot_top_terms, plot_wordcloud,
)
from arabnews.plots.trends import plot_trends, plot_trends_grid  # noqa: E402

__all__ = [
    "plot_top_terms", "plot_terms_by_outlet", "plot_entity_heatmap", "plot_keyness",
    "keyness_measure", "plot_dispersion", "plot_wordcloud", "plot_trends", "plot_trends_grid",
    "plot_article_lengths", "plot_totals", "article_lengths", "save_figure", "set_digits",
]
