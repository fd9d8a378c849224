"""Cleaning speed on SaudiNewsNet (31,030 real articles), beside two baselines, in one run:

  read           unzip + json-parse the 18 files (what any loader pays)
  split          polars: normalise line endings, split into lines, strip (the floor of a line pass)
  clean_corpus   arabnews.cleaning.clean_corpus on the whole corpus (every rule, audit, captions)
  clean_article  the single-article path, on 300 articles, extrapolated (why loaders call clean_corpus)
  load_corpus    the whole loader with cleaning (cache off), beside count_terms on its result
                 (target: load_corpus >= 0.3x count_terms throughput) and peak RSS
  cached load    load_corpus read back from the report cache (ARABNEWS_CACHE_DIR; target <= 1.5 s)

    python benchmarks/bench_cleaning.py [path/to/saudinewsnet] [--load-only]

Peak RSS is the process's (``ru_maxrss``), printed after each step; run ``--load-only`` for the
loader's own peak. Timings are noisy on a shared machine: the load average is printed with them.

"""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from arabnews.cleaning import clean_article, clean_corpus  # noqa: E402
from arabnews.furniture import normalised_lines  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "saudinewsnet"


def read(folder: Path) -> pd.DataFrame:
    rows = []
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for i, rec in enumerate(json.loads(z.read(name).decode("utf-8"))):
                    rows.append({"id": f"{path.name}/{name}:{i}", "outlet": rec["source"],
                                 "raw_text": rec["content"] or ""})
    return pd.DataFrame(rows)


def timed(label: str, n: int, mb: float, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:14s} {seconds:7.2f} s  {n / seconds:9.0f} articles/s  {mb / seconds:6.1f} MB/s")
    return result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def loading(folder: Path) -> None:
    """load_corpus cold (cache off) beside count_terms on the same corpus, then a cached load."""
    from arabnews.corpus import load_corpus
    from arabnews.stats import count_terms

    os.environ.pop("ARABNEWS_CACHE_DIR", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        corpus = load_corpus(folder)
        cold = time.perf_counter() - start
    mb = corpus.raw_text.str.len().sum() * 2 / 1e6
    print(f"{'load_corpus':14s} {cold:7.2f} s  {len(corpus) / cold:9.0f} articles/s  {mb / cold:6.1f} MB/s"
          f"  peak RSS {peak_mb():.0f} MB")
    start = time.perf_counter()
    count_terms(corpus)
    counting = time.perf_counter() - start
    print(f"{'count_terms':14s} {counting:7.2f} s  {len(corpus) / counting:9.0f} articles/s  "
          f"{mb / counting:6.1f} MB/s  -> load_corpus at {counting / cold:.2f}x count_terms (target >= 0.3x)")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ARABNEWS_CACHE_DIR"] = cache
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                load_corpus(folder)   # writes the entry
                start = time.perf_counter()
                with warnings.catch_warnings(record=True) as said:
                    warnings.simplefilter("always")
                    load_corpus(folder)
                cached = time.perf_counter() - start
        finally:
            os.environ.pop("ARABNEWS_CACHE_DIR", None)
    print(f"{'cached load':14s} {cached:7.2f} s  (target <= 1.5 s; {len(said)} warning(s))  peak RSS {peak_mb():.0f} MB")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else DEFAULT
    if not folder.is_dir():
        sys.exit(f"{folder}: SaudiNewsNet not found (give its folder as the first argument)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if "--load-only" in sys.argv:
        loading(folder)
        return
    start = time.perf_counter()
    frame = read(folder)
    n, mb = len(frame), frame.raw_text.str.len().sum() * 2 / 1e6   # ~2 bytes per Arabic character
    print(f"{'read':14s} {time.perf_counter() - start:7.2f} s  ({n} articles, ~{mb:.0f} MB of UTF-8)")
    timed("split", n, mb, lambda: pl.from_pandas(frame[["raw_text"]]).select(
        normalised_lines(pl.col("raw_text")).alias("line")).explode("line")
        .select(pl.col("line").str.strip_chars()))
    out = timed("clean_corpus", n, mb, lambda: clean_corpus(frame))
    sample = frame.sample(300, random_state=0).raw_text.tolist()
    start = time.perf_counter()
    for text in sample:
        clean_article(text)
    per = (time.perf_counter() - start) / len(sample)
    print(f"{'clean_article':14s} {per * n:7.0f} s  {1 / per:9.0f} articles/s  (extrapolated from 300)")
    print(f"removed: {sum(out.n_removed_lines)} lines in {int((out.n_removed_lines > 0).sum())} articles; "
          f"{len(out.attrs['cleaning_emptied'])} emptied")
    del frame, out
    loading(folder)


if __name__ == "__main__":
    main()
