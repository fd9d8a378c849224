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
import hashlib
import html
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from arabnews import CORPUS_DIR, PROJECT_DIR
from arabnews.report_html import (ANSWER_TAG, CHECK_TAG, INJECTED_TAG, MAX_HTML_BYTES, SOLUTION_TAG,
                                  tidy_warnings,
                                  export_html,
                                  for_readers, sanitize_fragment, tags_of, write_index)

__all__ = ["NOTEBOOKS_DIR", "REPORTS_DIR", "CACHE_ENV", "ReportError", "NotebookRun",
           "find_notebooks", "notebook_header", "inject_parameters", "execute_notebook",
           "stderr_outputs", "sanitize_fragment", "tidy_warnings", "export_html", "for_readers", "write_index",
           "build_reports", "corpus_label", "default_out_dir", "hide_corpus_path", "main"]

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
DEFAULT_JOBS = min(2, os.cpu_count() or 1)  # kernels are separate processes: use the cores
NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[\w-]+\.ipynb$")
PARAMETERS_TAG = "parameters"
CELL_TIMEOUT_SECONDS = 1800  # a cell on a large corpus (100k articles) may take minutes
CACHE_ENV = "ARABNEWS_CACHE_DIR"  # read by arabnews.cache: one cleaned corpus + tokens per run
CACHE_FOLDER = ".cache"           # inside the report folder unless the environment names one


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
                     timeout: int = CELL_TIMEOUT_SECONDS, env: dict | None = None) -> NotebookRun:
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder).

    ``env`` adds environment variables for the kernel (e.g. the report cache folder). Failures are
    returned, not raised: the run records the first failing cell and its error.
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
        client.execute(env={**os.environ, **(env or {})})
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


# --- building everything --------------------------------------------------------------------------
def _say(message: str) -> None:
    print(message, flush=True)


def _execute_all(notebooks: list[Path], parameters: dict, jobs: int, progress,
                 env: dict | None = None) -> list[NotebookRun]:
    """Run the notebooks, ``jobs`` at a time (kernels are separate processes), in input order.

    With a cache, the first notebook runs alone, so it writes the cleaned corpus and tokens once
    and the others read them instead of all computing them at the same time.
    """
    total = len(notebooks)

    def run_one(numbered):
        number, path = numbered
        progress(f"[{number}/{total}] {path.name} ...")
        run = execute_notebook(path, parameters, env=env)
        status = "ok" if run.ok else f"FAILED ({run.describe_failure()})"
        progress(f"[{number}/{total}] {path.name}: {status} in {run.seconds:.1f} s")
        for cell, text in run.warnings:
            first = text.strip().splitlines()[0] if text.strip() else ""
            progress(f"    warning output in cell {cell}: {first}")
        return run

    numbered = list(enumerate(notebooks, start=1))
    first = [run_one(numbered[0])] if env and env.get(CACHE_ENV) and numbered and jobs > 1 else []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return first + list(pool.map(run_one, numbered[len(first):]))


def corpus_label(corpus: Path | None, sample: int | None = None) -> str:
    """What the index says about the corpus: its name (folder or file stem), never a local path."""
    if corpus is None or Path(corpus).resolve() == CORPUS_DIR.resolve():
        label = "the starter corpus (corpus/: five seed articles)"
    else:
        resolved = Path(corpus).resolve()
        label = resolved.name if resolved.is_dir() else resolved.stem
    return label + (f", a stratified sample of {sample:,} articles" if sample else "")


def hide_corpus_path(page: str, corpus: Path | None) -> str:
    """``page`` with the corpus's local path (as given and resolved) replaced by its name: a
    message that prints the path (a loader warning, an error) must not put it in a report."""
    if corpus is None:
        return page
    name = html.escape(corpus_label(corpus))
    for form in sorted({str(Path(corpus).resolve()), str(Path(corpus).absolute()), str(corpus)},
                       key=len, reverse=True):
        if len(form) > 1:
            page = page.replace(html.escape(form), name).replace(form, name)
    return page


def _write_page(path: Path, page: str, run: NotebookRun) -> None:
    """Write one report page; a page over ``MAX_HTML_BYTES`` marks its run failed (outputs must
    not grow with the corpus, so this is a bug to fix, not a size to accept)."""
    path.write_text(page, encoding="utf-8")
    size = len(page.encode("utf-8"))
    if size > MAX_HTML_BYTES and run.ok:
        run.error = (f"{path.name} is {size / 1e6:.1f} MB, over the {MAX_HTML_BYTES / 2**20:.0f} MB "
                     "limit: some output grows with the corpus (cut the table or aggregate the chart)")


def build_reports(notebooks: list[Path], out_dir: Path, *, corpus: Path | None = None,
                  figures_dir: Path | None = None, with_code: bool = False,
                  progress=_say, jobs: int = 1, sample: int | None = None,
                  cache_dir: Path | None = None) -> list[NotebookRun]:
    """Execute each notebook, write ``out_dir/NN_name.html`` (and ``with-code/``) and the index.

    ``jobs`` notebooks run at once, each in its own fresh kernel; reports are written in order.
    ``sample`` runs every notebook on a stratified sample of that many articles. The kernels
    share a cache (``ARABNEWS_CACHE_DIR``: ``cache_dir``, else the environment's, else
    ``out_dir/.cache``), so the corpus is cleaned and tokenised once per run.
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
    if sample is not None:
        parameters["SAMPLE"] = int(sample)
    cache = cache_dir or os.environ.get(CACHE_ENV, "").strip() or out_dir / CACHE_FOLDER
    runs = _execute_all(notebooks, parameters, jobs, progress,
                        env={CACHE_ENV: str(Path(cache).resolve())})
    headers = []
    for run, path in zip(runs, notebooks):
        header = notebook_header(run.notebook, path.stem)
        headers.append(header)
        page = export_html(run.notebook, title=header["title"])
        _write_page(out_dir / f"{path.stem}.html", hide_corpus_path(page, corpus), run)
        if with_code:
            page = export_html(run.notebook, title=header["title"], with_code=True,
                               index_href="../index.html")
            _write_page(out_dir / "with-code" / f"{path.stem}.html", hide_corpus_path(page, corpus), run)
    write_index(runs, out_dir, corpus_label=corpus_label(corpus, sample), headers=headers,
                with_code=with_code)
    return runs


def default_out_dir(corpus: Path | None, sample: int | None = None) -> Path:
    """``reports/`` for the bundled corpus; ``reports-<name>-<hash>/`` for another one, where the
    hash is of its resolved path: two corpora called ``news.jsonl`` never share a folder."""
    if corpus is None:
        return REPORTS_DIR
    resolved = Path(corpus).resolve()
    slug = re.sub(r"[^\w-]+", "-", resolved.name).strip("-") or "corpus"
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:8]
    return PROJECT_DIR / f"reports-{slug}-{digest}{f'-sample{sample}' if sample else ''}"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m arabnews.report",
                                     description="Execute the notebooks and write HTML reports.")
    parser.add_argument("--corpus", type=Path, help="a corpus folder, .zip or table file, as "
                                                    "load_corpus reads it (default: corpus/)")
    parser.add_argument("--with-code", action="store_true",
                        help="also write a teaching copy that shows the code (OUT/with-code/)")
    parser.add_argument("--out", type=Path, help="output folder (default: reports/ or "
                                                 "reports-<corpus name>/)")
    parser.add_argument("--only", action="append", metavar="NN",
                        help="run only notebook NN (repeatable)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                        help=f"notebooks executed at once, each in its own kernel (default: {DEFAULT_JOBS})")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run on a stratified sample of N articles (by outlet) of the corpus")
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
    if args.sample is not None and args.sample < 1:
        print(f"error: --sample must be a positive number of articles, got {args.sample}",
              file=sys.stderr)
        return 2
    out_dir = args.out or default_out_dir(args.corpus, args.sample)
    figures_dir = None if (args.corpus is None and args.out is None) else out_dir / "figures"
    if not notebooks:
        _say(f"No notebooks (NN_name.ipynb) in {args.notebooks}; nothing to run.")
    else:
        _say(f"Running {len(notebooks)} notebook{'s' if len(notebooks) != 1 else ''} from {args.notebooks} "
             f"on {corpus_label(args.corpus, args.sample)} -> {out_dir}/")
    started = time.perf_counter()
    runs = build_reports(notebooks, out_dir, corpus=args.corpus, figures_dir=figures_dir,
                         with_code=args.with_code, jobs=args.jobs, sample=args.sample)
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
