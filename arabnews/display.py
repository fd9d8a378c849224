"""Notebook display helpers: right-to-left tables and text, live charts, exercise checks.

Everything here is about *showing* results in a notebook (and in the HTML report built from it);
no analysis happens here. Article text is untrusted web text, so every helper that puts text into
HTML escapes it first: an article containing ``<script>`` shows the characters, nothing runs.
"""
from __future__ import annotations

import html
import inspect
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from arabnews.checks import check_int

__all__ = ["show_rtl", "show_kwic", "rtl_text", "show_figure", "explore"]

# --- styles -------------------------------------------------------------------------------------
# One table style for every table of the notebooks and reports. Each cell's direction is isolated
# (unicode-bidi: plaintext: a cell starting with Arabic reads right to left, one starting with Latin
# left to right), so "تاريخ النشر: 14th, September 2023 GMT" keeps its order inside an RTL table.
RTL_TEXT_CSS = "direction: rtl; text-align: start; unicode-bidi: plaintext"  # English cells align left
LTR_TEXT_CSS = "direction: ltr; text-align: left; unicode-bidi: plaintext"   # columns without Arabic
NUMBER_CSS = ("direction: ltr; text-align: right; font-variant-numeric: tabular-nums; "
              "white-space: nowrap; unicode-bidi: isolate")
DATE_CSS = "direction: ltr; text-align: right; white-space: nowrap; unicode-bidi: isolate"
HEADER_CSS = [{"selector": "th",
               "props": "text-align: start; unicode-bidi: plaintext"},
              {"selector": "caption",
               "props": "caption-side: bottom; text-align: start; color: #555; white-space: nowrap; "
                        "unicode-bidi: plaintext; padding-top: 0.4em"}]
NOWRAP_CSS = "white-space: nowrap"   # single-word text cells (ids, codes, dates as text): one line
SHORT_TEXT = 24                      # characters: the longest such value kept on one line
LONG_TEXT_CSS = "min-width: 12em"     # titles and sentences keep a readable width beside short columns
LONG_TEXT = 40
DATE_FORMAT = "%Y-%m-%d"
MAX_ROWS = 20
EMPTY_MESSAGE = "لا نتائج · nothing found"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


# --- right-to-left tables -------------------------------------------------------------------------
def _text_columns(df: pd.DataFrame) -> list:
    """Columns holding text (object or string dtype): the ones that need right-to-left display."""
    return [c for c in df.columns
            if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])]


def _date_columns(df: pd.DataFrame) -> list:
    """Columns of dates (datetime64, with or without a time zone): shown as YYYY-MM-DD."""
    return [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]


def _has_arabic(values: pd.Series) -> bool:
    return bool(values.dropna().astype(str).str.contains(_ARABIC).any())


def _date_text(value) -> str:
    return "" if pd.isna(value) else value.strftime(DATE_FORMAT)


def _hidden_rows_note(hidden: int) -> str:
    """The line under a cut table: how many rows are not shown (in both languages)."""
    return f"… {hidden:,} more rows · {hidden:,} صفوف أخرى غير معروضة"


def show_rtl(df: pd.DataFrame, *, max_rows: int | None = MAX_ROWS, text_columns: Iterable | None = None,
             caption: str | None = None, precision: int = 2,
             index: bool = False) -> "pd.io.formats.style.Styler":
    """Style ``df`` as an Arabic table: the table reads right to left, each cell in its own direction.

    The house table style: no index (unless ``index=True``), columns holding Arabic right to left
    and the others left to right, each cell's direction isolated, numbers and dates
    (YYYY-MM-DD) never wrapped. At most ``max_rows`` rows (None: all): the caption says how many
    are hidden. An empty frame shows "لا نتائج · nothing found", not bare headers. Cell values,
    index and column labels and the caption are HTML-escaped, so markup in article text stays text.
    ``text_columns`` defaults to every object/string column.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"show_rtl expects a pandas DataFrame, got {type(df).__name__}")
    if max_rows is not None:
        max_rows = check_int(max_rows, "max_rows", minimum=1)
    text_cols = _text_columns(df) if text_columns is None else list(text_columns)
    missing = [c for c in text_cols if c not in df.columns]
    if missing:
        raise KeyError(f"text_columns not in the table: {missing}; columns are {list(df.columns)}")
    notes = [] if caption is None else [html.escape(str(caption))]
    shown = df
    if df.empty:
        shown = pd.DataFrame({c: [EMPTY_MESSAGE if k == 0 else ""] for k, c in enumerate(df.columns)}
                             if len(df.columns) else {"": [EMPTY_MESSAGE]})
        text_cols = list(shown.columns)
    elif max_rows is not None and len(df) > max_rows:
        shown = df.head(max_rows)
        notes.append(html.escape(_hidden_rows_note(len(df) - max_rows)))
    date_cols = [c for c in _date_columns(shown) if c not in text_cols]
    number_cols = [c for c in shown.columns if c not in text_cols and c not in date_cols]
    arabic_cols = [c for c in text_cols if _has_arabic(shown[c])]
    latin_cols = [c for c in text_cols if c not in arabic_cols]
    styler = (shown.style
              .format(escape="html", precision=precision, na_rep="")
              .format_index(escape="html", axis=0)
              .format_index(escape="html", axis=1)
              .set_table_attributes('dir="rtl" lang="ar"')
              .set_table_styles(HEADER_CSS))
    short_cols = [c for c in text_cols if shown[c].astype(str).str.len().max() <= SHORT_TEXT
                  and not shown[c].astype(str).str.contains(r"\s").any()]
    long_cols = [c for c in text_cols if shown[c].astype(str).str.len().max() > LONG_TEXT]
    for columns, css in ((arabic_cols, RTL_TEXT_CSS), (latin_cols, LTR_TEXT_CSS),
                         (number_cols, NUMBER_CSS), (date_cols, DATE_CSS), (short_cols, NOWRAP_CSS),
                         (long_cols, LONG_TEXT_CSS)):
        if columns:
            styler = styler.map(lambda _, css=css: css, subset=columns)
    if date_cols:
        styler = styler.format(_date_text, subset=date_cols)
    if notes:
        styler = styler.set_caption("<br>".join(notes))
    if not index:
        styler = styler.hide(axis="index")
    return styler


def show_kwic(kwic_df: pd.DataFrame, *, caption: str | None = None,
              max_rows: int | None = MAX_ROWS) -> "pd.io.formats.style.Styler":
    """Style a ``kwic`` frame as a concordance: the match centred, contexts hugging it.

    In a right-to-left table the preceding context (``left`` in logical order) sits to the right
    of the match, so it is aligned towards the match (visually left) and ``right`` the other way.
    """
    needed = {"left", "match", "right"}
    if not needed <= set(kwic_df.columns):
        raise KeyError(f"show_kwic needs columns {sorted(needed)}; got {list(kwic_df.columns)}")
    if kwic_df.empty:
        return show_rtl(kwic_df, caption=caption)
    styler = show_rtl(kwic_df, caption=caption, max_rows=max_rows)
    styler = styler.map(lambda _: "direction: rtl; text-align: left", subset=["left"])
    styler = styler.map(lambda _: "direction: rtl; text-align: right", subset=["right"])
    return styler.map(lambda _: "direction: rtl; text-align: center; font-weight: bold",
                      subset=["match"])


# --- right-to-left prose --------------------------------------------------------------------------
def rtl_text(text: str, *, title: str | None = None):
    """Show Arabic ``text`` as a right-to-left block (escaped; line breaks kept)."""
    from IPython.display import HTML

    heading = f"<p><strong>{html.escape(title)}</strong></p>" if title else ""
    body = html.escape(str(text))
    return HTML(f'{heading}<div dir="rtl" lang="ar" style="white-space: pre-wrap; unicode-bidi: plaintext; '
                f'text-align: right">{body}</div>')


# --- live charts with a static first drawing ------------------------------------------------------
def _figure_of(drawn: Any):
    """The matplotlib Figure behind what a drawing function returned (Axes, Figure, array of Axes)."""
    from matplotlib.figure import Figure

    if isinstance(drawn, Figure):
        return drawn
    if hasattr(drawn, "figure") and drawn.figure is not None:
        return drawn.figure
    if hasattr(drawn, "flat"):  # numpy array of Axes from plt.subplots(n, m)
        return next(iter(drawn.flat)).figure
    raise TypeError("the drawing function must return a matplotlib Axes or Figure, "
                    f"got {type(drawn).__name__}")


def _png_width(data: bytes) -> int:
    """Pixel width from a PNG header (IHDR chunk)."""
    return int.from_bytes(data[16:20], "big")


def _chart_image(drawn: Any, save_as: str | None = None, save_dir=None):
    """Render a chart once to an embedded PNG (the saved file itself when ``save_as``); close it.

    Rendering once and closing the figure keeps the inline backend from showing it a second time.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image

    from arabnews.plots import CHART_DPI, SAVED_DPI, save_figure

    fig = _figure_of(drawn)
    if save_as:
        path = save_figure(fig, save_as, formats=("png",), directory=save_dir, dpi=SAVED_DPI)[0]
        data, dpi = path.read_bytes(), SAVED_DPI
    else:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=CHART_DPI, bbox_inches="tight")
        data, dpi = buffer.getvalue(), CHART_DPI
    plt.close(fig)
    return Image(data=data, format="png", width=round(_png_width(data) * CHART_DPI / dpi))


def show_figure(drawn: Any, *, save_as: str | None = None, save_dir=None) -> None:
    """Show a chart (Axes or Figure) once; with ``save_as`` also write ``figures/<save_as>.png``.

    ``save_dir`` overrides the figures folder (the reports pass their own).
    """
    from IPython.display import display

    display(_chart_image(drawn, save_as, save_dir))


def _control_widgets(draw: Callable, controls: dict) -> dict:
    """One ipywidget per control, from a widget or an ``interact``-style abbreviation."""
    import ipywidgets

    defaults = inspect.signature(draw).parameters
    widgets = {}
    for name, spec in controls.items():
        if name not in defaults:
            raise TypeError(f"explore: the drawing function has no parameter {name!r}")
        if isinstance(spec, ipywidgets.ValueWidget):
            widget = spec
        else:
            widget = ipywidgets.interactive.widget_from_abbrev(spec, defaults[name].default)
            if widget is None:
                raise ValueError(f"explore: cannot make a control for {name}={spec!r}")
        widget.description = widget.description or name
        widgets[name] = widget
    return widgets


def explore(draw: Callable, *, save_as: str | None = None, save_dir=None, **controls) -> None:
    """Show ``draw(**values)`` as a chart with controls that redraw it.

    ``controls`` follow ``ipywidgets.interact``: a list makes a dropdown, ``(min, max[, step])`` a
    slider, a bool a checkbox, or pass a widget. The first drawing is a plain image, so an
    executed notebook or HTML report shows a chart even without a live kernel; ``save_as`` also
    writes that first drawing as ``figures/<save_as>.png`` (``save_dir`` overrides the folder).
    """
    import ipywidgets
    from IPython.display import display

    widgets = _control_widgets(draw, controls)

    def current_values() -> dict:
        return {name: w.value for name, w in widgets.items()}

    display(ipywidgets.HBox(list(widgets.values())))
    chart = display(_chart_image(draw(**current_values()), save_as, save_dir), display_id=True)

    def redraw(_change) -> None:
        try:
            chart.update(_chart_image(draw(**current_values())))
        except Exception as error:  # shown in place of the chart, never silently swallowed
            chart.update(f"Cannot draw this choice: {type(error).__name__}: {error}")

    for widget in widgets.values():
        widget.observe(redraw, names="value")
