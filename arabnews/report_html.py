"""The reader's side of the reports: offline HTML, exercises as questions, the index page.

A report hides code, so an exercise is shown as its question, a hint and the solution inside an
HTML ``<details>`` block ("Show the solution"): no script is needed to open it. Cells are found
by their tags: ``answer`` (the learner's cell, ``answer_1 = None``), ``check`` (calls
``check_answer``) and ``solution``. HTML from notebook outputs and markdown goes through an
allow-list sanitiser, so article text that carries markup shows as text and never runs.
"""
from __future__ import annotations

import copy
import html
import re
import time
from pathlib import Path

import nbformat

__all__ = ["SOLUTION_TAG", "ANSWER_TAG", "CHECK_TAG", "INJECTED_TAG", "CHECK_METADATA", "MAX_HTML_BYTES",
           "sanitize_fragment", "tidy_warnings", "for_readers", "export_html", "write_index", "tags_of"]

SOLUTION_TAG = "solution"  # exercise solutions: shown inside <details> in every report
ANSWER_TAG = "answer"      # the learner's answer cell: only meaningful in a live notebook
CHECK_TAG = "check"        # the cell that checks an answer (its output carries the hint)
INJECTED_TAG = "injected-parameters"  # the report builder's parameters cell (holds local paths)
CHECK_METADATA = "arabnews/check"  # output metadata written by classroom.check_answer
MAX_HTML_BYTES = 5 * 1024 * 1024   # a report page over this fails the build (outputs must stay bounded)
WIDGET_MIMETYPES = ("application/vnd.jupyter.widget-view+json",
                    "application/vnd.jupyter.widget-state+json")
LIVE_CONTROLS_NOTE = ('<p class="live-controls-note"><em>Interactive controls appear here when the '
                      'notebook runs in JupyterLab; the chart below is the default view.</em></p>')


WARNING_LINE = re.compile(r"^(?:[A-Za-z]:)?[^\s:]*[/\\][^:]*:\d+: (?P<kind>\w*Warning): (?P<message>.*)$")


def tidy_warnings(text: str) -> str:
    """Python warnings as a reader should see them: ``CorpusWarning: message``, without the
    ``/local/path/module.py:123:`` prefix and the echoed source line that follows it."""
    lines, skip_echo = [], False
    for line in text.splitlines():
        match = WARNING_LINE.match(line)
        if match:
            lines.append(f"{match.group('kind')}: {match.group('message')}")
            skip_echo = True
        elif skip_echo and line.startswith((" ", "\t")):
            continue
        else:
            lines.append(line)
            skip_echo = False
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def tags_of(cell) -> list[str]:
    """The tags of a notebook cell (empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


OFFLINE_TEMPLATE_NAME = "arabnews_offline.html.j2"
OFFLINE_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
  main { max-width: 1100px; margin: 0 auto; }
  [dir="rtl"] { font-family: "Noto Sans Arabic", "Amiri", "DejaVu Sans", sans-serif;
                line-height: 1.8; }
  .jp-RenderedHTMLCommon table[dir="rtl"] { margin-left: auto; margin-right: 0; }
  .report-nav { padding: 8px 16px; font-family: sans-serif; font-size: 14px; }
  .live-controls-note { color: #666; font-size: 13px; }
  details.hint, details.solution { margin: 0.4em 0 1em; padding: 0.3em 0.8em;
                                   border-left: 3px solid #9bb8cc; background: #f6f9fb; }
  details > summary { cursor: pointer; color: #1f5673; font-weight: 600; }
  pre.solution-output { background: #fff; padding: 0.3em 0.6em; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
<nav class="report-nav"><a href="{{ resources.index_href }}">&larr; All notebooks</a></nav>
{%- endblock body_header -%}
"""

SAFE_TAGS = frozenset(
    "a abbr acronym b bdi bdo blockquote br caption code col colgroup dd del details div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span "
    "strong style sub summary sup table tbody td tfoot th thead tr u ul".split())
SAFE_ATTRIBUTES = {
    "*": ["class", "id", "dir", "lang", "title", "style", "align"],
    "a": ["href", "title", "name"],
    "img": ["src", "alt", "width", "height"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    "details": ["open"],
}
EXTRA_CSS_PROPERTIES = {"unicode-bidi", "font-variant-numeric", "direction", "text-align",
                        "white-space", "font-weight", "font-size"}


def sanitize_fragment(fragment) -> str:
    """Allow-list sanitiser for HTML in markdown cells and outputs: layout stays, scripts become text.

    Replaces nbconvert's ``clean_html``, whose list drops headings, paragraphs and ``dir``.
    """
    import bleach
    from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer

    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    css = CSSSanitizer(allowed_css_properties=set(ALLOWED_CSS_PROPERTIES) | EXTRA_CSS_PROPERTIES)
    return bleach.clean(text, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, css_sanitizer=css,
                        strip_comments=True)


# --- exercises for readers ------------------------------------------------------------------------
def _no_blank_lines(markup: str) -> str:
    """HTML with no blank line, so markdown keeps it as one HTML block (a blank line would end the
    block and leave ``<details>`` unclosed); blank lines inside ``<pre>`` keep a space."""
    return "\n".join(line if line.strip() else "&#32;" for line in markup.strip().splitlines())


def _markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _code_html(code: str, language: str = "python") -> str:
    """Highlighted code (pygments, the classes the report's stylesheet already colours)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    if language == "text":
        return f'<pre class="solution-output">{html.escape(code.rstrip())}</pre>'
    return highlight(code.rstrip() + "\n", get_lexer_by_name(language), HtmlFormatter())


def _details(summary: str, inner: str, css_class: str) -> str:
    return _no_blank_lines(f'<details class="{css_class}">\n<summary>{html.escape(summary)}</summary>\n'
                           f"{inner}\n</details>")


def _output_text(outputs) -> str:
    """The plain text a cell printed (streams and text results), for showing under a solution."""
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts if p)


def _solution_markdown(cell) -> str:
    """A solution cell as a closed ``<details>`` block: the code, then what it printed."""
    code = "\n".join(line for line in cell.source.splitlines()
                     if not line.lstrip().startswith("# Solution"))
    inner = _code_html(code)
    printed = _output_text(cell.get("outputs", []))
    if printed.strip():
        inner += "\n<p>It prints:</p>\n" + _code_html(printed, "text")
    return _details("Show the solution", inner, "solution")


def _check_markdown(cell) -> str | None:
    """What a reader of a report needs from a check cell: the hint (collapsed, its markdown
    rendered), or the reason the corpus cannot check the exercise. None without a check output."""
    for out in cell.get("outputs", []):
        check = out.get("metadata", {}).get(CHECK_METADATA)
        if not check:
            continue
        if check.get("status") == "unavailable":
            return f"*{check.get('reason_markdown', 'This corpus cannot check this exercise.')}*"
        return _details("Show a hint", _markdown_html(check.get("hint", "")), "hint")
    return None


def for_readers(nb: nbformat.NotebookNode, *, with_code: bool = False) -> nbformat.NotebookNode:
    """A copy of an executed notebook arranged for reading.

    Widget views (they need a live kernel) become a short note; each solution becomes a closed
    ``<details>`` block. Without code, answer cells go and a check cell shows only its hint, so
    the page never says "the cell above" where no cell is shown.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        tags = tags_of(cell)
        if SOLUTION_TAG in tags:
            cells.append(nbformat.v4.new_markdown_cell(_solution_markdown(cell)))
            continue
        if INJECTED_TAG in tags:  # a local path is no reader's business: the index names the corpus
            continue
        if not with_code and ANSWER_TAG in tags:
            continue
        if not with_code and CHECK_TAG in tags:
            text = _check_markdown(cell)
            if text:
                cells.append(nbformat.v4.new_markdown_cell(text))
            continue
        if "outputs" in cell:
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": LIVE_CONTROLS_NOTE})
                            if any(m in out.get("data", {}) for m in WIDGET_MIMETYPES) else out
                            for out in cell.outputs]
            for out in cell.outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["text"] = tidy_warnings(out.get("text", ""))
        cells.append(cell)
    nb.cells = cells
    return nb


def export_html(nb: nbformat.NotebookNode, *, title: str, with_code: bool = False,
                index_href: str = "index.html") -> str:
    """Self-contained HTML for an executed notebook (code hidden unless ``with_code``)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file=OFFLINE_TEMPLATE_NAME,
                            extra_loaders=[DictLoader({OFFLINE_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
                            exclude_input=not with_code, exclude_input_prompt=not with_code,
                            exclude_output_prompt=True, sanitize_html=True, embed_images=True,
                            filters={"clean_html": sanitize_fragment})
    body, _ = exporter.from_notebook_node(
        for_readers(nb, with_code=with_code),
        resources={"metadata": {"name": title}, "index_href": index_href})
    return body


# --- the landing page -----------------------------------------------------------------------------
INDEX_CSS = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 980px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.5; }
[dir="rtl"] { font-family: "Noto Sans Arabic", "Amiri", "DejaVu Sans", sans-serif; }
h1 .ar { display: block; font-size: 0.8em; color: #444; }
.nb { border: 1px solid #ddd; border-radius: 6px; padding: 0.8em 1.2em; margin: 1em 0; }
.nb h2 { margin: 0.1em 0; font-size: 1.2em; }
.nb .ar { font-size: 1.1em; color: #444; }
.meta { color: #555; font-size: 0.9em; }
.failed { border-color: #c33; background: #fff5f5; }
.status-failed { color: #c33; font-weight: bold; }
.status-ok { color: #2a7; }
"""


def _index_entry(run, header: dict, with_code: bool) -> str:
    esc = html.escape
    name = run.path.stem + ".html"
    links = [f'<a href="{esc(name)}">Open the report</a>']
    if with_code:
        links.append(f'<a href="with-code/{esc(name)}">with code (teaching copy)</a>')
    status = (f'<span class="status-ok">ran in {run.seconds:.1f} s</span>' if run.ok else
              f'<span class="status-failed">FAILED: {esc(run.describe_failure())}</span>')
    parts = [f'<section class="nb{"" if run.ok else " failed"}">',
             f'<h2><a href="{esc(name)}">{esc(header["title"])}</a></h2>']
    if "subtitle_ar" in header:
        parts.append(f'<p class="ar" dir="rtl" lang="ar">{esc(header["subtitle_ar"])}</p>')
    if "purpose" in header:
        parts.append(f'<p>{esc(header["purpose"])}</p>')
    meta = [f"{label}: {esc(header[key])}" for key, label in
            (("time", "Time"), ("audience", "Audience"), ("prerequisites", "Prerequisites"))
            if key in header]
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    parts.append(f'<p class="meta">{" · ".join(links)} · {status}</p></section>')
    return "\n".join(parts)


def write_index(runs: list, out_dir: Path, *, corpus_label: str, headers: list[dict],
                with_code: bool = False) -> Path:
    """Write ``index.html``: the corpus it holds, then every notebook's title, Arabic subtitle,
    purpose, status and links. ``headers`` are the notebooks' ``notebook_header`` dicts."""
    entries = "\n".join(_index_entry(r, h, with_code) for r, h in zip(runs, headers)) or (
        "<p>No notebooks were found, so there is nothing to show yet.</p>")
    failed = [r for r in runs if not r.ok]
    summary = (f"{len(runs)} notebooks, {len(failed)} failed" if failed
               else f"{len(runs)} notebooks, all ran without error")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Arabic news analysis: reports on {html.escape(corpus_label)}</title>
<style>{INDEX_CSS}</style>
</head>
<body>
<header>
<h1>Arabic news analysis: reports
<span class="ar" dir="rtl" lang="ar">تحليل الأخبار العربية: التقارير</span></h1>
<p>Each report is a notebook executed top to bottom on the corpus below. Start with the first one;
the others can be read in any order. Arabic text is shown right to left.</p>
<p class="meta">Corpus: <strong class="corpus-name">{html.escape(corpus_label)}</strong> · {summary} ·
built {time.strftime("%Y-%m-%d %H:%M")}</p>
</header>
<main>
{entries}
</main>
</body>
</html>
"""
    out = Path(out_dir) / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
