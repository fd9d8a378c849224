"""Time the report build on the seed corpus against the same pipeline on empty notebooks.

    .venv/bin/python benchmarks/bench_report.py [--repeat N]

Both builds go through ``arabnews.report.build_reports`` (fresh kernel per notebook, HTML export,
index page) into temporary folders, in the same run: the empty notebooks measure the fixed cost
(kernel start-up, export), so the ratio shows what the analysis itself adds. Target: <= ~2x.
A third build runs notebooks that only import helpers and load the corpus: the floor any real
notebook pays before its first analysis cell.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arabnews import PROJECT_DIR, report  # noqa: E402


SETUP_ONLY = ('import sys, os; sys.path.insert(0, {root!r})\n'
              'import helpers as h\ncorpus = h.load_corpus(CORPUS)')


def empty_notebooks(folder: Path, names: list[str], *, setup: bool = False) -> list[Path]:
    """One notebook per name: a title and the parameters cell (plus the usual set-up if asked)."""
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"),
                    nbformat.v4.new_code_cell("CORPUS = None\nFIGURES = None",
                                              metadata={"tags": ["parameters"]})]
        if setup:
            nb.cells.append(nbformat.v4.new_code_cell(SETUP_ONLY.format(root=str(PROJECT_DIR))))
        path = folder / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def timed_build(notebooks: list[Path], out: Path, jobs: int = 1) -> tuple[float, list[report.NotebookRun]]:
    """Wall time of one full build (notebooks, HTML, index) and its runs."""
    started = time.perf_counter()
    runs = report.build_reports(notebooks, out, figures_dir=out / "figures", progress=lambda _: None,
                                jobs=jobs)
    return time.perf_counter() - started, runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind (median shown)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks at once, for every build alike (make report uses "
                             f"{report.DEFAULT_JOBS})")
    args = parser.parse_args()
    notebooks = report.find_notebooks()
    if not notebooks:
        print("No notebooks to time.")
        return 1
    suite, empty, setup_only = [], [], []
    per_notebook: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        blanks = empty_notebooks(tmp / "empty", [p.stem for p in notebooks])
        set_ups = empty_notebooks(tmp / "setup", [p.stem for p in notebooks], setup=True)
        for i in range(args.repeat):
            seconds, runs = timed_build(notebooks, tmp / f"suite{i}", args.jobs)
            failed = [r.describe_failure() for r in runs if not r.ok]
            if failed:
                print("A notebook failed; timings would be meaningless:", *failed, sep="\n  ")
                return 1
            suite.append(seconds)
            for run in runs:
                per_notebook.setdefault(run.path.stem, []).append(run.seconds)
            empty.append(timed_build(blanks, tmp / f"empty{i}", args.jobs)[0])
            setup_only.append(timed_build(set_ups, tmp / f"setup{i}", args.jobs)[0])
    print(f"{len(notebooks)} notebooks, {args.repeat} build(s) each, {args.jobs} at once, median wall time:")
    for name, times in per_notebook.items():
        print(f"  {name:<24} {statistics.median(times):6.1f} s")
    suite_s, empty_s = statistics.median(suite), statistics.median(empty)
    print(f"report on the seed corpus : {suite_s:6.1f} s")
    print(f"same number of empty ones : {empty_s:6.1f} s  (kernel start-up + export)")
    setup_s = statistics.median(setup_only)
    print(f"set-up only (import+load) : {setup_s:6.1f} s  (the same plus `import helpers`, load_corpus)")
    print(f"ratio to empty notebooks  : {suite_s / empty_s:6.2f}x  (target: about 2x or less)")
    print(f"ratio to set-up only      : {suite_s / setup_s:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
