"""The entity functions users call, beside term counting, same articles, same run.

    python benchmarks/bench_entities.py            # first 10,000 articles (~20 MB) of the scale corpus
    python benchmarks/bench_entities.py 100000     # the whole synthetic corpus (~200 MB)
    python benchmarks/bench_entities.py --snn      # all of SaudiNewsNet, read in place

The synthetic corpus is benchmarks/data/synthetic_100000x20.jsonl (made by bench_counting.py; when
missing, the first N articles are generated with its generator), given one date per article over
a year; SaudiNewsNet (../shared/corpora/saudinewsnet, skipped with a message where absent) is
loaded once with ``load_corpus``. Each function runs once, cold, with the report cache off
(ARABNEWS_CACHE_DIR unset) and default arguments, as notebooks 03 and 06 call them:
  count_terms                     arabnews.stats.count_terms (the reference throughput)
  entity_frequencies              per outlet, by the fast road (no mention rows)
  entity_mentions                 one row per mention with offsets
  entity_frequencies(mentions=)   the same counts from those rows
  entity_cooccurrence(mentions=)  pairs per sentence
  suggest_entities                names after titles missing from the gazetteer
  entity_trends(period="week")    entity counts per outlet and week
Prints seconds, MB/s, throughput as a share of count_terms' (issue 10's target: >= 0.3x) and
the load average before and after (timings double under load) and the peak RSS. Fails unless the fast counts equal
the counts of the mention rows.
"""
import importlib.util
import json
import os
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # meant to live in benchmarks/
os.environ.pop("ARABNEWS_CACHE_DIR", None)   # cold: speed must come from the code
from arabnews import PROJECT_DIR  # noqa: E402
from arabnews.stats import count_terms  # noqa: E402
from arabnews.trends import entity_trends  # noqa: E402
import arabnews.entities as E  # noqa: E402
from arabnews.entities.matcher import resolve_gazetteer  # noqa: E402

DATA = PROJECT_DIR / "benchmarks" / "data"
SNN_DIR = PROJECT_DIR.parent / "shared" / "corpora" / "saudinewsnet"
TARGET = 0.3


def corpus_file(n: int) -> Path:
    """The scale corpus if present, else a file of its first ``n`` articles (same generator, same seed)."""
    full = DATA / "synthetic_100000x20.jsonl"
    if full.is_file():
        return full
    small = DATA / f"synthetic_{n}x20.jsonl"
    if not small.is_file():
        spec = importlib.util.spec_from_file_location("bench_counting", Path(__file__).with_name("bench_counting.py"))
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        print(f"generating {small} ...")
        bench.generate_corpus(small, n_articles=n, n_outlets=20)
    return small


def synthetic(n: int) -> pd.DataFrame:
    with corpus_file(n).open(encoding="utf-8") as f:
        frame = pd.DataFrame([json.loads(line) for _, line in zip(range(n), f)])
    if "date" not in frame.columns:
        frame["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(frame.index % 365, unit="D")
    return frame


def snn() -> pd.DataFrame | None:
    snn_dir = Path(os.environ.get("SNN_DIR", SNN_DIR))
    if not snn_dir.is_dir():
        print(f"SaudiNewsNet not found at {snn_dir}: skipped")
        return None
    import warnings

    import helpers as h
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the loader's notes on emptied articles
        return h.load_corpus(snn_dir)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(frame: pd.DataFrame, label: str) -> None:
    mb = frame["text"].fillna("").str.encode("utf-8").str.len().sum() / 1e6
    resolve_gazetteer(None)   # compiled once, outside the timing
    load_before = os.getloadavg()
    times = {}
    times["count_terms"], _ = timed(lambda: count_terms(frame))
    times["entity_frequencies"], fast = timed(lambda: E.entity_frequencies(frame))
    times["entity_mentions"], mentions = timed(lambda: E.entity_mentions(frame))
    times["entity_frequencies(mentions=)"], slow = timed(lambda: E.entity_frequencies(frame, mentions=mentions))
    times["entity_cooccurrence(mentions=)"], _ = timed(lambda: E.entity_cooccurrence(frame, mentions=mentions))
    times["suggest_entities"], _ = timed(lambda: E.suggest_entities(frame))
    times["entity_trends(period=week)"], _ = timed(lambda: entity_trends(frame, period="week"))
    load_after = os.getloadavg()
    key = ["outlet", "entity"]
    assert (fast.set_index(key)["count"].sort_index().to_dict()
            == slow.set_index(key)["count"].sort_index().to_dict()), "fast and mention counts disagree"
    print(f"\n{label}: {len(frame):,} articles, {mb:.1f} MB of text (fast counts = mention counts)")
    print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min); "
          f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"{'function':32s} {'seconds':>8s} {'MB/s':>7s}  throughput vs count_terms (target >= {TARGET}x)")
    for name, dt in times.items():
        share = times["count_terms"] / dt
        mark = "" if name == "count_terms" else ("  ok" if share >= TARGET else "  below target")
        print(f"{name:32s} {dt:8.2f} {mb / dt:7.1f}  {share:5.2f}x{mark}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--snn" in args:
        corpus = snn()
        if corpus is not None:
            run(corpus, "SaudiNewsNet")
    else:
        n = int(args[0]) if args else 10_000
        run(synthetic(n), "synthetic")
