"""tokens() in polars against the pure-Python tokenizer it replaces, on SaudiNewsNet (in place).

    python benchmarks/bench_tokens.py [--articles N] [--reference N]

Prints MB/s of text for: today's ``tokens()`` (``tokenize`` article by article, no compounds)
on the first ``--reference`` articles, and ``tokens()`` (polars, compounds on) on ``--articles``
articles (default: all 31,030), plus kwic/dispersion/ngrams/collocations on that tokens table,
each beside ``count_terms`` (the counting core) on the same text. Texts are the raw ``content`` of the JSON files (no cleaning: this measures tokens).
Numbers are noisy on a shared machine: compare within one run, and read the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arabnews.concordance import dispersion, kwic  # noqa: E402
from arabnews.ngrams import collocations, ngrams  # noqa: E402
from arabnews.stats import count_terms  # noqa: E402
from arabnews.text import compound_phrases, tokenize, tokens  # noqa: E402

SNN = ROOT.parent / "shared" / "corpora" / "saudinewsnet"


def snn_corpus(limit: int | None) -> pd.DataFrame:
    rows = []
    for path in sorted(SNN.glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for i, rec in enumerate(json.loads(z.read(name).decode("utf-8"))):
                    rows.append((f"{path.name}/{name}:{i}", rec["source"], rec["content"] or ""))
    frame = pd.DataFrame(rows, columns=["id", "outlet", "text"])
    return frame.iloc[:limit].reset_index(drop=True) if limit else frame


def megabytes(frame: pd.DataFrame) -> float:
    return frame["text"].str.len().sum() * 2 / 1e6   # ~2 UTF-8 bytes per Arabic character


def timed(label: str, mb: float, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s  {mb / seconds:8.2f} MB/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--reference", type=int, default=2000)
    args = parser.parse_args()
    if not SNN.is_dir():
        sys.exit(f"SaudiNewsNet not found at {SNN}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    corpus = snn_corpus(args.articles)
    small = corpus.iloc[:args.reference]
    phrases = compound_phrases()
    print(f"corpus: {len(corpus):,} articles, ~{megabytes(corpus):.1f} MB; reference slice "
          f"{len(small):,} articles, ~{megabytes(small):.1f} MB")
    timed(f"today's tokens(): tokenize x {len(small):,} articles", megabytes(small),
          lambda: [tokenize(t) for t in small["text"]])
    timed(f"count_terms x {len(small):,} articles (baseline)", megabytes(small),
          lambda: count_terms(small, "outlet"))
    timed(f"tokens() polars x {len(small):,} articles", megabytes(small), lambda: tokens(small))
    tok = timed(f"tokens() polars x {len(corpus):,} articles", megabytes(corpus), lambda: tokens(corpus))
    print(f"  {len(tok):,} tokens; {tok.attrs['reference_articles']} articles on the reference path; "
          f"{len(phrases)} compound phrases")
    mb = megabytes(corpus)
    timed("kwic(tokens, 'السعودية', corpus=)", mb, lambda: kwic(tok, "السعودية", corpus=corpus))
    timed("dispersion(tokens, 'السعودية')", mb, lambda: dispersion(tok, "السعودية"))
    timed("ngrams(tokens, 2)", mb, lambda: ngrams(tok, 2))
    timed("collocations(tokens)", mb, lambda: collocations(tok))
    timed(f"count_terms x {len(corpus):,} articles (baseline)", mb, lambda: count_terms(corpus, "outlet"))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB")


if __name__ == "__main__":
    main()
