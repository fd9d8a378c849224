"""kwic, dispersion, ngrams and collocations on a whole corpus, beside count_terms, in one run.

    python benchmarks/bench_concordance.py [--articles N] [--reference]

Each function runs cold (cache off) in its own child process on SaudiNewsNet loaded once with
``load_corpus`` (pickled to a temporary folder for the children), so each line shows its own
time and peak RSS growth over the loaded corpus. ``count_terms`` is the baseline (targets: each
at least 0.3x its throughput, ngrams/collocations well under 1 GB of growth). ``--reference``
adds the tokens-table path (``tokens()`` once, then the function on the table: the cost before
the corpus path) for kwic and ngrams. Also prints bytes per token of the ``tokens()`` table.
Numbers are noisy on a shared machine: compare within one run, and read the load average.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SNN = ROOT.parent / "shared" / "corpora" / "saudinewsnet"

CALLS = {
    "count_terms": "stats.count_terms(corpus)",
    "kwic": "h.kwic(corpus, h.normalize('السعودية'), window=6)",
    "dispersion": "h.dispersion(corpus, h.normalize('السعودية'))",
    "kwic rare": "h.kwic(corpus, 'بوتين', window=6)",
    "ngrams": "h.ngrams(corpus, 2, stopwords=h.stopwords())",
    "collocations": "h.collocations(corpus, min_count=3, stopwords=h.stopwords())",
    "tokens": "h.tokens(corpus)",
}
REFERENCE = {
    "kwic via tokens()": "h.kwic(h.tokens(corpus), h.normalize('السعودية'), window=6, corpus=corpus)",
    "ngrams via tokens()": "h.ngrams(h.tokens(corpus, compounds=False), 2, stopwords=h.stopwords())",
}


def child(pickle: str, call: str) -> None:
    import pandas as pd
    import helpers as h
    from arabnews import stats  # noqa: F401  (used by the calls)
    corpus = pd.read_pickle(pickle)
    h.stopwords()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = eval(call)
    seconds = time.perf_counter() - start
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    extra = ""
    if call == CALLS["tokens"]:
        extra = f"  {result.memory_usage(deep=True).sum() / len(result):.0f} bytes/token"
    print(f"{seconds:.3f} {growth:.0f} {len(result)}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    if not SNN.is_dir():
        sys.exit(f"SaudiNewsNet not found at {SNN}")
    os.environ.pop("ARABNEWS_CACHE_DIR", None)   # cold: speed must come from the code
    import helpers as h
    corpus = h.load_corpus(SNN)
    if args.articles:
        corpus = corpus.iloc[:args.articles]
    mb = corpus["text"].str.len().sum() * 2 / 1e6
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{len(corpus):,} articles, ~{mb:.0f} MB of text")
    calls = {**CALLS, **(REFERENCE if args.reference else {})}
    with tempfile.TemporaryDirectory() as folder:
        pickle = str(Path(folder) / "corpus.pkl")
        corpus.to_pickle(pickle)
        baseline = None
        for label, call in calls.items():
            out = subprocess.run([sys.executable, __file__, "--child", pickle, call], capture_output=True,
                                 text=True, cwd=ROOT)
            if out.returncode:
                print(f"{label:<22} failed: {out.stderr.strip().splitlines()[-1]}")
                continue
            seconds, growth, rows, *extra = out.stdout.split()
            seconds = float(seconds)
            baseline = baseline or seconds
            print(f"{label:<22} {seconds:7.2f} s  {mb / seconds:6.1f} MB/s  {baseline / seconds:5.2f}x "
                  f"count_terms  RSS +{growth:>5} MB  {int(rows):>9,} rows {' '.join(extra)}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
