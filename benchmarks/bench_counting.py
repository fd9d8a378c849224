"""Per-outlet term counting at scale: the project's counter beside three baselines, in one run.

Builds a synthetic corpus from the sentences of the seed articles in ``corpus/`` (JSON lines:
id, outlet, text; ~200 MB, 100k articles, 20 outlets by default; written under
``benchmarks/data/``, which is not committed), then runs each engine in its own subprocess and
prints MB/s and peak RSS side by side:

  read             read + UTF-8-decode the file, nothing else (the ceiling)
  project          arabnews.stats.count_terms on 16 MB batches (polars) -- what term_frequencies uses
  countvectorizer  scikit-learn CountVectorizer, same normalisation (preprocessor) and token pattern
  counter          plain Python: json.loads + counting_text + re.findall + collections.Counter

All engines' (outlet, term) -> count tables must be identical; the run fails otherwise.

    python benchmarks/bench_counting.py            # full size (~200 MB)
    python benchmarks/bench_counting.py --small    # ~2 MB, a few seconds
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from arabnews import CORPUS_DIR  # noqa: E402

DATA_DIR = HERE / "data"
ENGINES = ("read", "project", "countvectorizer", "counter")
FULL = dict(n_articles=100_000, n_outlets=20)
SMALL = dict(n_articles=1_000, n_outlets=20)


# --- synthetic corpus ----------------------------------------------------------------------------
def seed_sentences(corpus_dir: Path = CORPUS_DIR) -> list[str]:
    """Every sentence of every seed article (split at line ends and . ! ? ؟)."""
    sentences = []
    for path in sorted(corpus_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", line) if s.strip()]
    if not sentences:
        raise SystemExit(f"no seed sentences found in {corpus_dir}")
    return sentences


def generate_corpus(path: Path, n_articles: int, n_outlets: int = 20, seed: int = 1) -> Path:
    """Write ``n_articles`` synthetic articles (3-16 random seed sentences each) as JSON lines."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_articles):
            text = "\n".join(rng.choice(sentences) for _ in range(rng.randint(3, 16)))
            record = {"id": f"a{i:07d}", "outlet": f"outlet{rng.randrange(n_outlets):02d}", "text": text}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def iter_articles(path: Path):
    """(outlet, text) of each article, read line by line."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            yield record["outlet"], record["text"]


# --- engines: each returns {(outlet, term): count} ----------------------------------------------
def run_read(path: Path) -> None:
    """Read and decode the whole file in 16 MB pieces (no parsing, no counting)."""
    with open(path, encoding="utf-8") as fh:
        while fh.read(1 << 24):
            pass


def iter_batches(path: Path, batch_bytes: int = 16 << 20):
    """The file as polars frames of ~``batch_bytes`` of whole lines each (read, then parsed)."""
    import io
    import polars as pl
    schema = {"id": pl.String, "outlet": pl.String, "text": pl.String}
    with open(path, "rb") as fh:
        while chunk := fh.read(batch_bytes):
            chunk += fh.readline()  # finish the last line
            yield pl.read_ndjson(io.BytesIO(chunk), schema=schema)


def run_project(path: Path) -> dict:
    """The project's counter, fed the file batch by batch (memory bounded by the batch size)."""
    from arabnews.stats import count_terms
    counts = count_terms(iter_batches(path), by="outlet")
    return {(o, t): n for o, t, n in counts.select("outlet", "term", "count").iter_rows()}


def run_countvectorizer(path: Path) -> dict:
    """scikit-learn CountVectorizer with the project's counting text and token pattern."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from arabnews.text import TOKEN_PATTERN, counting_text
    outlets = []

    def texts():
        for outlet, text in iter_articles(path):
            outlets.append(outlet)
            yield text

    vectorizer = CountVectorizer(preprocessor=counting_text, token_pattern=TOKEN_PATTERN, lowercase=False)
    matrix = vectorizer.fit_transform(texts())
    names, codes = np.unique(np.array(outlets), return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(names), len(codes)))
    per_outlet = (indicator @ matrix).tocoo()
    vocabulary = vectorizer.get_feature_names_out()
    return {(names[r], vocabulary[c]): int(v) for r, c, v in zip(per_outlet.row, per_outlet.col, per_outlet.data)}


def run_counter(path: Path) -> dict:
    """Plain Python: the project's counting_text, re.findall and a Counter per outlet."""
    from arabnews.text import TOKEN_RE, counting_text
    counters: dict[str, Counter] = {}
    for outlet, text in iter_articles(path):
        counters.setdefault(outlet, Counter()).update(TOKEN_RE.findall(counting_text(text)))
    return {(o, t): n for o, c in counters.items() for t, n in c.items()}


RUNNERS = {"read": run_read, "project": run_project, "countvectorizer": run_countvectorizer,
           "counter": run_counter}


# --- measuring -----------------------------------------------------------------------------------
def prepare(engine: str) -> None:
    """Import what ``engine`` needs and build the lookup tables, so timings measure counting only."""
    from arabnews.text import counting_replacements, counting_text
    counting_replacements()
    counting_text("تهيئة")
    if engine == "project":
        import polars  # noqa: F401
        import arabnews.stats  # noqa: F401
    elif engine == "countvectorizer":
        import numpy, scipy.sparse, sklearn.feature_extraction.text  # noqa: F401,E401


def child(engine: str, corpus: Path, out: Path) -> None:
    """Run one engine in this (fresh) process; write seconds, peak RSS and counts to ``out``."""
    if engine != "read":
        prepare(engine)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    counts = RUNNERS[engine](corpus)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_rss = after.ru_maxrss * 1024  # Linux: KiB
    with open(out, "wb") as fh:
        pickle.dump({"seconds": seconds, "cpu_seconds": cpu, "peak_rss": peak_rss, "counts": counts}, fh)


def measure(engine: str, corpus: Path) -> dict:
    """Run ``engine`` in a subprocess, so each peak RSS is its own."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pickle"
        subprocess.run([sys.executable, __file__, "--child", engine, "--corpus", str(corpus),
                        "--out", str(out)], check=True)
        with open(out, "rb") as fh:
            return pickle.load(fh)


def compare(results: dict[str, dict]) -> list[str]:
    """Names of the engines whose counts differ from the project's (empty list = all identical)."""
    reference = results["project"]["counts"]
    return [name for name, r in results.items()
            if r["counts"] is not None and r["counts"] != reference]


def report(results: dict[str, dict], corpus_bytes: int, n_articles: int) -> str:
    """The table printed at the end of a run, with the targets checked."""
    mb = corpus_bytes / 1e6
    speed = {name: mb / r["seconds"] for name, r in results.items()}
    lines = [f"corpus: {mb:.1f} MB, {n_articles:,} articles; {os.cpu_count()} CPUs; "
             f"load average now {os.getloadavg()[0]:.1f} (other processes slow every engine)",
             f"{'engine':<16}{'seconds':>9}{'CPU s':>8}{'MB/s':>9}{'peak RSS MB':>13}{'vs read':>9}"]
    for name, r in results.items():
        lines.append(f"{name:<16}{r['seconds']:>9.2f}{r['cpu_seconds']:>8.2f}{speed[name]:>9.1f}"
                     f"{r['peak_rss'] / 1e6:>13.0f}{speed[name] / speed['read']:>9.2f}")
    if "project" in results:
        rss_limit = 2 * corpus_bytes + 300e6
        checks = [("project >= 0.25 x read", speed["project"] >= 0.25 * speed["read"]),
                  (f"peak RSS <= 2 x corpus + 300 MB ({rss_limit / 1e6:.0f} MB)",
                   results["project"]["peak_rss"] <= rss_limit)]
        if "countvectorizer" in speed:
            ratio = speed["project"] / speed["countvectorizer"]
            checks.insert(0, (f"project >= 5 x CountVectorizer ({ratio:.1f}x)", ratio >= 5))
        lines += [f"{'met' if ok else 'NOT MET'}: {label}" for label, ok in checks]
    return "\n".join(lines)


def run(n_articles: int, n_outlets: int, engines=ENGINES, corpus: Path | None = None) -> dict:
    """Generate (or reuse) the corpus, measure each engine, check counts are identical."""
    corpus = corpus or DATA_DIR / f"synthetic_{n_articles}x{n_outlets}.jsonl"
    if not corpus.exists():
        generate_corpus(corpus, n_articles, n_outlets)
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    results = {}
    for engine in engines:
        results[engine] = measure(engine, corpus)
        print(f"  {engine}: {results[engine]['seconds']:.2f} s", flush=True)
    different = compare(results)
    print(report(results, corpus.stat().st_size, n_articles))
    if different:
        raise SystemExit(f"counts differ from the project's: {different}")
    n_terms = len(results["project"]["counts"])
    print(f"identical counts from {', '.join(e for e in engines if e != 'read')}: "
          f"{n_terms:,} (outlet, term) pairs, {sum(results['project']['counts'].values()):,} tokens")
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="1,000 articles (~2 MB) instead of 100,000")
    parser.add_argument("--articles", type=int, help="number of articles (overrides --small)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.corpus, args.out)
    size = dict(SMALL if args.small else FULL)
    if args.articles:
        size["n_articles"] = args.articles
    engines = [e for e in ENGINES if e in args.engines]
    if "project" not in engines:
        parser.error("the project engine is the reference for the equality check; keep it")
    run(size["n_articles"], size["n_outlets"], engines)


if __name__ == "__main__":
    main()
