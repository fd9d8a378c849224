"""Entity extraction speed beside term counting, same articles, same run.

Reads the first N articles (default 10,000, ~21 MB) of the scale benchmark's corpus
(benchmarks/data/synthetic_100000x20.jsonl, made by benchmarks/bench_counting.py) into one pandas
frame, then times on that frame:
  polars    arabnews.stats.count_terms (what term_frequencies uses)
  counter   arabnews.text.terms + collections.Counter per outlet (plain Python term counting)
  entities  arabnews.entities.entity_mentions, n_jobs=1 and n_jobs=2 (gazetteer compiled before)
Best of 3 runs each; prints MB/s and the entities / polars time ratio (target <= 2).
"""
import json, sys, time
from collections import Counter
from pathlib import Path
import pandas as pd
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # meant to live in benchmarks/
from arabnews import PROJECT_DIR
from arabnews import text as T
from arabnews.stats import count_terms
import arabnews.entities as E

path = PROJECT_DIR / "benchmarks" / "data" / "synthetic_100000x20.jsonl"
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
with path.open(encoding="utf-8") as f:
    frame = pd.DataFrame([json.loads(line) for _, line in zip(range(n), f)])
mb = frame["text"].str.encode("utf-8").str.len().sum() / 1e6
E._resolve_gazetteer(None)  # compile once, outside the timing

def counter():
    counts = {}
    for outlet, text in zip(frame["outlet"], frame["text"]):
        counts.setdefault(outlet, Counter()).update(T.terms(text))

def best(fn, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)

results = {"polars": best(lambda: count_terms(frame)), "counter": best(counter),
           "entities": best(lambda: E.entity_mentions(frame, n_jobs=1)),
           "entities2": best(lambda: E.entity_mentions(frame, n_jobs=2))}
print(f"{len(frame)} articles, {mb:.1f} MB of text")
for name, dt in results.items():
    print(f"{name:9s} {dt:6.2f} s  {mb / dt:6.1f} MB/s")
print(f"entities / polars time: {results['entities'] / results['polars']:.2f}x serial, "
      f"{results['entities2'] / results['polars']:.2f}x with 2 processes (target <= 2)")
print(f"entities / counter time: {results['entities'] / results['counter']:.2f}x")
