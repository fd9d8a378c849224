"""The report build on three corpora in one run: time per notebook, peak RSS per kernel, HTML sizes.

    .venv/bin/python benchmarks/bench_report.py            # seeds, all of SaudiNewsNet, 100,000 synthetic
    .venv/bin/python benchmarks/bench_report.py --quick    # seeds + a 1,000-article SaudiNewsNet sample
    .venv/bin/python benchmarks/bench_report.py --only seeds --only empty

Every build goes through ``arabnews.report.build_reports`` exactly as ``make report`` does (a fresh
kernel per notebook, ``--jobs`` at once, one shared cache per build, HTML export, index), into
temporary folders. The figures are printed side by side with the seed report as the baseline, and
with a build of empty notebooks (kernel start-up and export only: the fixed cost). Peak RSS is each
kernel's own (``getrusage`` in a last cell appended to a temporary copy of each notebook).

Targets (issue 10): the SaudiNewsNet report <= 4x and the 100k report <= 6x the seed report; peak
RSS of any kernel <= 2 GB at 100k; each HTML page <= 5 MB. SaudiNewsNet is read in place from
``../shared/corpora/saudinewsnet`` and skipped (with a message) where it is absent; the synthetic
corpus is made by ``bench_counting.generate_corpus`` into ``benchmarks/data/``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from arabnews import PROJECT_DIR, report  # noqa: E402
from arabnews.classroom import SETUP_LINE  # noqa: E402

SNN_DIR = PROJECT_DIR.parent / "shared" / "corpora" / "saudinewsnet"
DATA_DIR = PROJECT_DIR / "benchmarks" / "data"
RSS_MARK = "BENCH_PEAK_RSS_KB"
RSS_CELL = f"import resource\nprint('{RSS_MARK}', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
TARGETS = {"saudinewsnet": 4.0, "synthetic-100k": 6.0}
MAX_RSS_MB = 2048


def measured_copies(notebooks: list[Path], folder: Path, *, empty: bool = False) -> list[Path]:
    """Copies of ``notebooks`` in ``folder`` that still find helpers.py and end by printing the
    kernel's peak RSS; ``empty`` keeps only the header and parameters (the fixed cost)."""
    folder.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(PROJECT_DIR, folder)
    paths = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if empty:
            nb.cells = [c for c in nb.cells[:2]]
        for cell in nb.cells:
            if cell.cell_type == "code" and SETUP_LINE in cell.source:
                cell.source = cell.source.replace(SETUP_LINE, f"sys.path.insert(0, os.path.abspath({relative!r}))")
        nb.cells.append(nbformat.v4.new_code_cell(RSS_CELL))
        target = folder / path.name
        nbformat.write(nb, target)
        paths.append(target)
    return paths


def peak_rss_mb(run: report.NotebookRun) -> float | None:
    for cell in reversed(run.notebook.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if RSS_MARK in text:
                return int(text.split()[-1]) / 1024
    return None


def build(name: str, notebooks: list[Path], tmp: Path, *, corpus: Path | None, sample: int | None,
          jobs: int) -> dict:
    """One report build; its wall time, and per notebook: seconds, peak RSS, HTML size."""
    out = tmp / f"reports-{name}"
    print(f"building the report on {name} ...", flush=True)
    started = time.perf_counter()
    runs = report.build_reports(notebooks, out, corpus=corpus, sample=sample, jobs=jobs,
                                figures_dir=out / "figures", progress=lambda _: None,
                                cache_dir=tmp / f"cache-{name}")
    wall = time.perf_counter() - started
    rows = {}
    for run in runs:
        page = out / f"{run.path.stem}.html"
        rows[run.path.stem] = {"seconds": run.seconds, "rss_mb": peak_rss_mb(run),
                               "html_mb": page.stat().st_size / 1e6 if page.exists() else None,
                               "error": run.error}
    failed = [f"{k}: {v['error']}" for k, v in rows.items() if v["error"]]
    print(f"  {wall:.1f} s" + (f"; FAILED: {failed}" if failed else ""), flush=True)
    return {"wall": wall, "notebooks": rows, "failed": failed}


def synthetic_corpus(n_articles: int) -> Path:
    from bench_counting import generate_corpus

    path = DATA_DIR / f"report_synthetic_{n_articles}.jsonl"
    if not path.exists():
        print(f"generating {n_articles:,} synthetic articles -> {path}", flush=True)
        generate_corpus(path, n_articles)
    return path


def table(results: dict[str, dict]) -> str:
    """Per notebook: seconds / peak RSS MB / HTML MB for each corpus, then totals and ratios."""
    names = list(results)
    notebooks = list(next(iter(results.values()))["notebooks"])
    lines = [f"{'notebook':<22}" + "".join(f"{n:>30}" for n in names),
             f"{'':<22}" + "".join(f"{'s / RSS MB / HTML MB':>30}" for _ in names)]
    for nb in notebooks:
        cells = []
        for n in names:
            row = results[n]["notebooks"].get(nb, {})
            rss = f"{row['rss_mb']:.0f}" if row.get("rss_mb") else "?"
            html = f"{row['html_mb']:.2f}" if row.get("html_mb") is not None else "?"
            cells.append(f"{row.get('seconds', 0):7.1f} / {rss:>5} / {html:>5}" + ("!" if row.get("error") else " "))
        lines.append(f"{nb:<22}" + "".join(f"{c:>30}" for c in cells))
    lines.append(f"{'wall time (s)':<22}" + "".join(f"{results[n]['wall']:>30.1f}" for n in names))
    base = results.get("seeds", {}).get("wall")
    if base:
        lines.append(f"{'x the seed report':<22}" + "".join(f"{results[n]['wall'] / base:>30.2f}" for n in names))
    return "\n".join(lines)


def verdicts(results: dict[str, dict]) -> list[str]:
    base = results.get("seeds", {}).get("wall")
    found = []
    for name, result in results.items():
        if result["failed"]:
            found.append(f"{name}: FAILED notebooks: {result['failed']}")
        rss = max((r["rss_mb"] or 0) for r in result["notebooks"].values())
        html = max((r["html_mb"] or 0) for r in result["notebooks"].values())
        found.append(f"{name}: largest kernel {rss:.0f} MB (target <= {MAX_RSS_MB} at 100k), "
                     f"largest page {html:.2f} MB (limit 5 MB)")
        key = "saudinewsnet" if name.startswith("saudinewsnet") else name
        if base and key in TARGETS:
            ratio = result["wall"] / base
            found.append(f"{name}: {ratio:.2f}x the seed report (target <= {TARGETS[key]}x): "
                         f"{'met' if ratio <= TARGETS[key] else 'NOT met'}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="seeds and a 1,000-article SaudiNewsNet sample only (a few minutes)")
    parser.add_argument("--jobs", type=int, default=report.DEFAULT_JOBS, help="notebooks at once")
    parser.add_argument("--articles", type=int, default=100_000, help="size of the synthetic corpus")
    parser.add_argument("--sample", type=int, default=1000, help="SaudiNewsNet sample in --quick")
    parser.add_argument("--snn", type=Path, default=SNN_DIR,
                        help=f"the SaudiNewsNet folder (default: {SNN_DIR})")
    parser.add_argument("--only", action="append",
                        choices=["empty", "seeds", "saudinewsnet", "synthetic"],
                        help="builds to run (repeatable; default: all that apply)")
    args = parser.parse_args(argv)
    wanted = set(args.only or ["empty", "seeds", "saudinewsnet"] + ([] if args.quick else ["synthetic"]))
    notebooks = report.find_notebooks()
    load = os.getloadavg()
    print(f"{len(notebooks)} notebooks, {args.jobs} at once; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} on {os.cpu_count()} cores", flush=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        copies = measured_copies(notebooks, tmp / "notebooks")
        if "empty" in wanted:
            results["empty"] = build("empty", measured_copies(notebooks, tmp / "empty", empty=True),
                                     tmp, corpus=None, sample=None, jobs=args.jobs)
        if "seeds" in wanted:
            results["seeds"] = build("seeds", copies, tmp, corpus=None, sample=None, jobs=args.jobs)
        if "saudinewsnet" in wanted:
            if args.snn.is_dir():
                sample = args.sample if args.quick else None
                name = f"saudinewsnet-{sample}" if sample else "saudinewsnet"
                results[name] = build(name, copies, tmp, corpus=args.snn, sample=sample, jobs=args.jobs)
            else:
                print(f"SaudiNewsNet not found at {args.snn}: skipped (pass --snn PATH)")
        if "synthetic" in wanted:
            name = "synthetic-100k" if args.articles == 100_000 else f"synthetic-{args.articles}"
            results[name] = build(name, copies, tmp, corpus=synthetic_corpus(args.articles),
                                  sample=None, jobs=args.jobs)
    if not results:
        print("nothing was built")
        return 1
    print()
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if any(r["failed"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
