"""Execute the notebooks top to bottom and write offline HTML reports.

    python -m arabnews.report                        # bundled corpus -> reports/
    python -m arabnews.report --corpus my_articles/  # your corpus    -> reports-my_articles/
    python -m arabnews.report --with-code --only 02  # also a teaching copy with code

Each ``notebooks/NN_name.ipynb`` runs in a fresh kernel of this very Python (the project's
virtual environment), so a report never depends on which Jupyter kernels happen to be installed.
Parameters are injected papermill-style: after the code cell tagged ``parameters`` a cell setting
``CORPUS = "..."`` (and ``FIGURES``) is inserted. The HTML is self-contained: images are embedded,
no script is loaded from the network (none is needed for what is shown), and HTML inside article
text is escaped or sanitised, so it shows as text and never runs.
"""
from __future__ import annotations

import argparse
import copy
import html
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from arabnews import PROJECT_DIR

__all__ = ["NOTEBOOKS_DIR", "REPORTS_DIR", "ReportError", "NotebookRun", "find_notebooks",
           "notebook_header", "inject_parameters", "execute_notebook", "stderr_outputs",
           "sanitize_fragment", "export_html", "write_index", "build_reports", "main"]

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
DEFAULT_JOBS = min(2, os.cpu_count() or 1)  # kernels are separate processes: use the cores
NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[\w-]+\.ipynb$")
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
SOLUTION_TAG = "solution"  # exercise solutions: in the teaching copy (--with-code) only
WIDGET_MIMETYPES = ("application/vnd.jupyter.widget-view+json",
                    "application/vnd.jupyter.widget-state+json")
LIVE_CONTROLS_NOTE = ('<p class="live-controls-note"><em>Interactive controls appear here when the '
                      'notebook runs in JupyterLab; the chart below is the default view.</em></p>')
CELL_TIMEOUT_SECONDS = 600


class ReportError(Exception):
    """A report cannot be built (missing notebook, bad corpus path, notebook without parameters)."""


@dataclass
class NotebookRun:
    """The outcome of executing one notebook: the executed copy, time taken, first failure."""

    path: Path
    notebook: nbformat.NotebookNode
    seconds: float
    error: str | None = None
    failed_cell: int | None = None
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe_failure(self) -> str:
        """One line naming the notebook, the cell and the error."""
        where = f"cell {self.failed_cell}: " if self.failed_cell else ""
        return f"{self.path.name}: {where}{self.error}"


# --- finding notebooks and reading their header -------------------------------------------------
def find_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Path]:
    """The ``NN_name.ipynb`` notebooks in order; ``only`` keeps those whose number is listed."""
    found = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not only:
        return found
    wanted = {n.zfill(2) for n in only}
    unknown = wanted - {p.name[:2] for p in found}
    if unknown:
        raise ReportError(f"no notebook numbered {', '.join(sorted(unknown))} in {notebooks_dir}; "
                          f"found: {', '.join(p.name for p in found) or 'none'}")
    return [p for p in found if p.name[:2] in wanted]


HEADER_FIELD = re.compile(r"^\s*[-*]\s*\*\*(?P<key>[A-Za-z ]+?):?\*\*:?\s*(?P<value>.+?)\s*$")
RTL_BLOCK = re.compile(r'<div[^>]*dir="rtl"[^>]*>(?P<text>.*?)</div>', re.S)


def notebook_header(nb: nbformat.NotebookNode, fallback_title: str) -> dict:
    """Title, Arabic subtitle and header fields (Purpose, Time, ...) from the first markdown cell.

    The header convention: ``# Title``, an optional ``<div dir="rtl">`` subtitle, then bullets
    ``- **Purpose:** ...``. Missing parts are simply absent from the result.
    """
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    header = {"title": fallback_title}
    if first is None:
        return header
    for line in first.source.splitlines():
        if line.startswith("# "):
            header["title"] = line[2:].strip()
            break
    subtitle = RTL_BLOCK.search(first.source)
    if subtitle:
        header["subtitle_ar"] = re.sub(r"<[^>]+>", "", subtitle.group("text")).strip()
    for line in first.source.splitlines():
        match = HEADER_FIELD.match(line)
        if match:
            header[match.group("key").strip().lower()] = match.group("value")
    return header


# --- parameters -----------------------------------------------------------------------------------
def inject_parameters(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a cell assigning ``parameters`` right after the ``parameters`` cell."""
    nb = copy.deepcopy(nb)
    if not parameters:
        return nb
    index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  and PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise ReportError("the notebook has no code cell tagged 'parameters', so its corpus "
                          "cannot be set; tag the cell that assigns CORPUS = None")
    lines = ["# Parameters set by the report builder"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    nb.cells.insert(index + 1, cell)
    return nb


# --- execution ------------------------------------------------------------------------------------
def _this_python_kernel_manager():
    """A KernelManager class whose 'python3' kernel is always this interpreter's ipykernel."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class ThisPythonKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name != "python3":
                raise NoSuchKernel(kernel_name)
            spec = get_kernel_dict()  # argv[0] is sys.executable: this environment's Python
            return KernelSpec(resource_dir=str(Path(sys.executable).parent), **spec)

    class ThisPythonKernelManager(KernelManager):
        @default("kernel_spec_manager")
        def _default_specs(self):
            return ThisPythonKernelSpecs()

        @default("transport_encryption")
        def _encrypt_when_possible(self):
            import zmq  # CurveZMQ keeps the local kernel traffic private when libzmq supports it

            return "auto" if zmq.has("curve") else "disabled"

    return ThisPythonKernelManager


def _cell_number(original: nbformat.NotebookNode, cell) -> int | None:
    """1-based position of an executed cell in the notebook as the reader sees it."""
    ids = [c.get("id") for c in original.cells]
    return ids.index(cell.get("id")) + 1 if cell.get("id") in ids else None


def stderr_outputs(nb: nbformat.NotebookNode, original: nbformat.NotebookNode | None = None
                   ) -> list[tuple[int, str]]:
    """``(cell number, text)`` for every stderr stream (warnings land there) in an executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                number = _cell_number(original, cell) if original is not None else i
                found.append((number or i, out.get("text", "")))
    return found


def _error_summary(exc: Exception) -> str:
    """``Name: message`` of a failed cell (last line of the message for timeouts and crashes)."""
    if getattr(exc, "ename", None):
        return f"{exc.ename}: {exc.evalue}"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"


def execute_notebook(path: Path, parameters: dict | None = None,
                     timeout: int = CELL_TIMEOUT_SECONDS) -> NotebookRun:
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder).

    Failures are returned, not raised: the run records the first failing cell and its error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    original = nbformat.read(path, as_version=4)
    nb = inject_parameters(original, parameters or {})
    current = {"cell": None}

    def on_cell_start(cell, cell_index):
        current["cell"] = cell

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            kernel_manager_class=_this_python_kernel_manager(),
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, on_cell_start=on_cell_start)
    started = time.perf_counter()
    error = failed_cell = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        cell = current["cell"]
        failed_cell = _cell_number(original, cell) if cell is not None else None
        error = _error_summary(exc)
        if cell is not None and INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
            error = f"in the injected parameters cell: {error}"
    except Exception as exc:  # the kernel could not start, or the client failed: still a named failure
        error = f"could not run the notebook: {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    return NotebookRun(path=path, notebook=nb, seconds=seconds, error=error, failed_cell=failed_cell,
                       warnings=stderr_outputs(nb, original))


# --- HTML export ----------------------------------------------------------------------------------
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


def _for_readers(nb: nbformat.NotebookNode, *, keep_solutions: bool) -> nbformat.NotebookNode:
    """Widget views (they need a live kernel) become a short note; solutions go unless kept."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    if not keep_solutions:
        nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if any(m in data for m in WIDGET_MIMETYPES):
                outputs.append(nbformat.v4.new_output("display_data",
                                                      data={"text/html": LIVE_CONTROLS_NOTE}))
            else:
                outputs.append(out)
        if "outputs" in cell:
            cell.outputs = outputs
    return nb


def export_html(nb: nbformat.NotebookNode, *, title: str, with_code: bool = False,
                index_href: str = "index.html") -> str:
    """Self-contained HTML for an executed notebook.

    Code and exercise solutions are hidden unless ``with_code`` (the teacher's copy).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file=OFFLINE_TEMPLATE_NAME,
                            extra_loaders=[DictLoader({OFFLINE_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
                            exclude_input=not with_code, exclude_input_prompt=not with_code,
                            exclude_output_prompt=True, sanitize_html=True, embed_images=True,
                            filters={"clean_html": sanitize_fragment})
    body, _ = exporter.from_notebook_node(
        _for_readers(nb, keep_solutions=with_code),
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


def _index_entry(run: NotebookRun, with_code: bool) -> str:
    header = notebook_header(run.notebook, run.path.stem)
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


def write_index(runs: list[NotebookRun], out_dir: Path, *, corpus_label: str,
                with_code: bool = False) -> Path:
    """Write ``index.html``: every notebook's title, Arabic subtitle, purpose, status and links."""
    entries = "\n".join(_index_entry(r, with_code) for r in runs) or (
        "<p>No notebooks were found, so there is nothing to show yet.</p>")
    failed = [r for r in runs if not r.ok]
    summary = (f"{len(runs)} notebooks, {len(failed)} failed" if failed
               else f"{len(runs)} notebooks, all ran without error")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Arabic news analysis: reports</title>
<style>{INDEX_CSS}</style>
</head>
<body>
<header>
<h1>Arabic news analysis: reports
<span class="ar" dir="rtl" lang="ar">تحليل الأخبار العربية: التقارير</span></h1>
<p>Each report is a notebook executed top to bottom on the corpus below. Start with the first one;
the others can be read in any order. Arabic text is shown right to left.</p>
<p class="meta">Corpus: <code>{html.escape(corpus_label)}</code> · {summary} ·
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


# --- building everything --------------------------------------------------------------------------
def _say(message: str) -> None:
    print(message, flush=True)


def _execute_all(notebooks: list[Path], parameters: dict, jobs: int, progress) -> list[NotebookRun]:
    """Run the notebooks, ``jobs`` at a time (kernels are separate processes), in input order."""
    total = len(notebooks)

    def run_one(numbered):
        number, path = numbered
        progress(f"[{number}/{total}] {path.name} ...")
        run = execute_notebook(path, parameters)
        status = "ok" if run.ok else f"FAILED ({run.describe_failure()})"
        progress(f"[{number}/{total}] {path.name}: {status} in {run.seconds:.1f} s")
        for cell, text in run.warnings:
            first = text.strip().splitlines()[0] if text.strip() else ""
            progress(f"    warning output in cell {cell}: {first}")
        return run

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(run_one, enumerate(notebooks, start=1)))


def build_reports(notebooks: list[Path], out_dir: Path, *, corpus: Path | None = None,
                  figures_dir: Path | None = None, with_code: bool = False,
                  progress=_say, jobs: int = 1) -> list[NotebookRun]:
    """Execute each notebook, write ``out_dir/NN_name.html`` (and ``with-code/``) and the index.

    ``jobs`` notebooks run at once, each in its own fresh kernel; reports are written in order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if with_code:
        (out_dir / "with-code").mkdir(exist_ok=True)
    parameters = {}
    if corpus is not None:
        parameters["CORPUS"] = str(Path(corpus).resolve())
    if figures_dir is not None:
        parameters["FIGURES"] = str(Path(figures_dir).resolve())
    runs = _execute_all(notebooks, parameters, jobs, progress)
    for run, path in zip(runs, notebooks):
        title = notebook_header(run.notebook, path.stem)["title"]
        (out_dir / f"{path.stem}.html").write_text(export_html(run.notebook, title=title),
                                                   encoding="utf-8")
        if with_code:
            (out_dir / "with-code" / f"{path.stem}.html").write_text(
                export_html(run.notebook, title=title, with_code=True, index_href="../index.html"),
                encoding="utf-8")
    label = str(corpus) if corpus is not None else "corpus/ (the bundled seed articles)"
    write_index(runs, out_dir, corpus_label=label, with_code=with_code)
    return runs


def _default_out_dir(corpus: Path | None) -> Path:
    """``reports/`` for the bundled corpus, ``reports-<corpus folder name>/`` for another one."""
    if corpus is None:
        return REPORTS_DIR
    slug = re.sub(r"[^\w-]+", "-", Path(corpus).resolve().name).strip("-") or "corpus"
    return PROJECT_DIR / f"reports-{slug}"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m arabnews.report",
                                     description="Execute the notebooks and write HTML reports.")
    parser.add_argument("--corpus", type=Path, help="folder of .txt articles (default: corpus/)")
    parser.add_argument("--with-code", action="store_true",
                        help="also write a teaching copy that shows the code (OUT/with-code/)")
    parser.add_argument("--out", type=Path, help="output folder (default: reports/ or "
                                                 "reports-<corpus name>/)")
    parser.add_argument("--only", action="append", metavar="NN",
                        help="run only notebook NN (repeatable)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                        help=f"notebooks executed at once, each in its own kernel (default: {DEFAULT_JOBS})")
    parser.add_argument("--strict", action="store_true",
                        help="treat warning (stderr) output as a failure")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR,
                        help="folder of NN_name.ipynb notebooks (default: notebooks/)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0 ok, 1 a notebook failed, 2 bad input)."""
    args = _parse_args(argv)
    try:
        if args.corpus is not None and not args.corpus.exists():
            raise ReportError(f"corpus path {args.corpus} does not exist")
        notebooks = find_notebooks(args.notebooks, args.only)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out_dir = args.out or _default_out_dir(args.corpus)
    figures_dir = None if (args.corpus is None and args.out is None) else out_dir / "figures"
    if not notebooks:
        _say(f"No notebooks (NN_name.ipynb) in {args.notebooks}; nothing to run.")
    else:
        _say(f"Running {len(notebooks)} notebook{'s' if len(notebooks) != 1 else ''} from {args.notebooks} "
             f"on {args.corpus or 'the bundled corpus'} -> {out_dir}/")
    started = time.perf_counter()
    runs = build_reports(notebooks, out_dir, corpus=args.corpus, figures_dir=figures_dir,
                         with_code=args.with_code, jobs=args.jobs)
    failed = [r for r in runs if not r.ok]
    noisy = [r for r in runs if r.warnings] if args.strict else []
    _say(f"Wrote {out_dir / 'index.html'} ({len(runs)} reports, "
         f"{time.perf_counter() - started:.1f} s)")
    for run in failed:
        print(f"FAILED: {run.describe_failure()}", file=sys.stderr)
    for run in noisy:
        print(f"FAILED (--strict): {run.path.name} wrote warnings in cells "
              f"{sorted({c for c, _ in run.warnings})}", file=sys.stderr)
    return 1 if failed or noisy else 0


if __name__ == "__main__":
    sys.exit(main())
