"""Cleaning speed on SaudiNewsNet (31,030 real articles), beside two baselines, in one run:

  read           unzip + json-parse the 18 files (what any loader pays)
  split          polars: normalise line endings, split into lines, strip (the floor of a line pass)
  clean_corpus   arabnews.cleaning.clean_corpus on the whole corpus (every rule, audit, captions)
  clean_article  the single-article path, on 300 articles, extrapolated (why loaders call clean_corpus)

    python benchmarks/bench_cleaning.py [path/to/saudinewsnet]

Timings are noisy on a shared machine: the load average is printed with them.
"""
from __future__ import annotations

import json
import os
import sys
import time
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


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not folder.is_dir():
        sys.exit(f"{folder}: SaudiNewsNet not found (give its folder as the first argument)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
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


if __name__ == "__main__":
    main()
