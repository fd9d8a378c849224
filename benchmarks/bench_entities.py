"""Entity extraction speed beside term counting, same articles, same run.

Reads the first N articles (default 10,000, ~20 MB) of the scale benchmark's corpus
(benchmarks/data/synthetic_100000x20.jsonl, made by benchmarks/bench_counting.py; when it is
missing, the same first N articles are generated with bench_counting's generator) into one pandas
frame, then times on that frame:
  terms        arabnews.stats.count_terms: per-outlet term counting (what term_frequencies uses)
  counter      arabnews.text.terms + collections.Counter per outlet (plain Python term counting)
  frequencies  arabnews.entities.entity_frequencies(by="outlet"): entity counts per outlet plus
               the outlets' token totals for per_1k (polars finds candidate words, the Python
               matcher reads each distinct word once)
  mentions     arabnews.entities.entity_mentions, n_jobs=1: one row per mention with offsets
               (the Python scanner over every article)
  mentions2    the same with n_jobs=2
Best of 3 runs each; prints MB/s and the time ratios to term counting (target: entity
extraction within 2x of term counting). All entity rows are checked to give the same counts.
"""
import importlib.util, json, sys, time
from collections import Counter
from pathlib import Path
import pandas as pd
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # meant to live in benchmarks/
from arabnews import PROJECT_DIR
from arabnews import text as T
from arabnews.stats import count_terms
import arabnews.entities as E

DATA = PROJECT_DIR / "benchmarks" / "data"


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


n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
with corpus_file(n).open(encoding="utf-8") as f:
    frame = pd.DataFrame([json.loads(line) for _, line in zip(range(n), f)])
mb = frame["text"].str.encode("utf-8").str.len().sum() / 1e6
from arabnews.entities.matcher import resolve_gazetteer
resolve_gazetteer(None)  # compile once, outside the timing

def counter():
    counts = {}
    for outlet, text in zip(frame["outlet"], frame["text"]):
        counts.setdefault(outlet, Counter()).update(T.terms(text))

def best(fn, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)

results = {"terms": best(lambda: count_terms(frame)), "counter": best(counter),
           "frequencies": best(lambda: E.entity_frequencies(frame)),
           "mentions": best(lambda: E.entity_mentions(frame, n_jobs=1)),
           "mentions2": best(lambda: E.entity_mentions(frame, n_jobs=2))}
fast = E.entity_frequencies(frame).set_index(["outlet", "entity"])["count"].sort_index()
slow = E.entity_mentions(frame, n_jobs=1).groupby(["outlet", "entity"]).size().sort_index()
assert fast.to_dict() == slow.to_dict(), "entity_frequencies and entity_mentions disagree"
print(f"{len(frame)} articles, {mb:.1f} MB of text (same counts from every entity engine)")
for name, dt in results.items():
    ratio = "" if name == "terms" else f"  {dt / results['terms']:5.2f}x term counting"
    print(f"{name:12s} {dt:6.2f} s  {mb / dt:6.1f} MB/s{ratio}")
