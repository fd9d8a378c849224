"""The cluster path beside the local one: count_terms on Parquet shards, in one run.

Writes a synthetic corpus (sentences of the seed articles, as ``bench_counting.py``: 3-16 per
article, 20 outlets) as Parquet shards under ``benchmarks/data/`` (not committed), then counts
it twice and checks the two tables are identical:

  local    arabnews.stats.count_terms fed the shards one by one (polars, all cores), in a fresh
           subprocess so its peak RSS is its own
  cluster  arabnews.cluster.load_corpus_dask(glob) + count_terms_dask on a LocalCluster of 2
           worker processes x 1 thread (one polars thread each: the same 2 cores)

Then ``term_frequencies`` (the table behind the term notebooks: two passes on the cluster, DP
included) the same two ways: local = the shards read into one pandas corpus and
``stats.term_frequencies`` in a fresh subprocess; cluster = ``term_frequencies`` of the lazy
corpus on a fresh LocalCluster; the two tables are checked equal (integers exact, floats 1e-12).

It prints seconds, MB/s, articles/s, the peak RSS of the local process and of each worker beside
the largest shard, and the targets: cluster time <= 1.5 x local; memory per worker bounded by
the partition, not the corpus: the largest worker peak RSS counting all the shards at most
1.25 x the one counting half of them (fresh workers each time, warmed on one shard first). Cleaning is off in both (clean=False): it
is per-article Python and would time the cleaning rules, not the counting.

    python benchmarks/bench_dask.py            # 1,000,000 articles (~2 GB) in 40 shards
    python benchmarks/bench_dask.py --quick    # ~50,000 articles in 8 shards (a smoke run)
    python benchmarks/bench_dask.py --terms-articles 200000   # term_frequencies on the first shards only
"""
from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_counting import seed_sentences  # noqa: E402

DATA_DIR = HERE / "data"
FULL = dict(n_articles=1_000_000, n_shards=40)
QUICK = dict(n_articles=50_000, n_shards=8)
N_OUTLETS = 20
WORKERS = 2
WORKER_MEMORY = "2GiB"
OVERHEAD_TARGET = 1.5
MEMORY_TOLERANCE = 1.25   # all shards vs half of them: worker peak RSS within this factor


# --- synthetic shards ---------------------------------------------------------------------------
def write_shards(folder: Path, n_articles: int, n_shards: int, seed: int = 1) -> Path:
    """``n_articles`` synthetic articles as ``n_shards`` Parquet files (id, outlet, text); reused if present."""
    import numpy as np
    import pandas as pd
    done = folder / "_complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    sentences = np.array(seed_sentences(), dtype=object)
    rng = np.random.default_rng(seed)
    bounds = np.linspace(0, n_articles, n_shards + 1).astype(int)
    for shard, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
        lengths = rng.integers(3, 17, stop - start)
        picks = sentences[rng.integers(0, len(sentences), lengths.sum())]
        ends = np.cumsum(lengths)
        texts = ["\n".join(picks[e - n:e]) for n, e in zip(lengths, ends)]
        frame = pd.DataFrame({"id": [f"a{i:07d}" for i in range(start, stop)],
                              "outlet": [f"outlet{o:02d}" for o in rng.integers(0, N_OUTLETS, stop - start)],
                              "text": texts})
        frame.to_parquet(folder / f"part-{shard:04d}.parquet", index=False)
    done.touch()
    return folder


def _ids(path: Path):
    import polars as pl
    return pl.read_parquet(path, columns=["id"])["id"]


def shard_sizes(folder: Path) -> list[int]:
    """UTF-8 bytes of text in each shard."""
    import polars as pl
    return [int(pl.read_parquet(p, columns=["text"])["text"].str.len_bytes().sum())
            for p in sorted(folder.glob("*.parquet"))]


# --- the two paths ------------------------------------------------------------------------------
def run_local(folder: Path) -> dict:
    """count_terms over the shards read one at a time (the local, memory-bounded path)."""
    import polars as pl
    from arabnews.stats import count_terms
    count_terms(pl.DataFrame({"outlet": ["x"], "text": ["تهيئة"]}))   # warm-up outside the timing
    start = time.perf_counter()
    counts = count_terms(pl.read_parquet(p, columns=["outlet", "text"]) for p in sorted(folder.glob("*.parquet")))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "counts": counts.sort("outlet", "term")}


def run_local_terms(paths: list[Path]) -> dict:
    """term_frequencies of the shards read into one pandas corpus (the local path of the notebooks)."""
    import pandas as pd
    from arabnews.stats import term_frequencies
    term_frequencies(pd.DataFrame({"id": ["w"], "outlet": ["x"], "text": ["تهيئة"]}))   # warm-up: gazetteer
    start = time.perf_counter()
    corpus = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    table = term_frequencies(corpus)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "table": table}


def child(folder: Path, out: Path, terms: int | None) -> None:
    result = run_local(folder) if terms is None else run_local_terms(sorted(folder.glob("*.parquet"))[:terms])
    with open(out, "wb") as fh:
        pickle.dump(result, fh)


def measure_local(folder: Path, terms: int | None = None) -> dict:
    """The local path in a fresh subprocess (its peak RSS is its own; all cores for polars);
    ``terms``: term_frequencies of the first ``terms`` shards instead of count_terms of all."""
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "local.pickle"
        extra = [] if terms is None else ["--terms-shards", str(terms)]
        subprocess.run([sys.executable, __file__, "--child", str(folder), "--out", str(out), *extra],
                       check=True, env=env)
        with open(out, "rb") as fh:
            return pickle.load(fh)


def _worker_peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _warm_worker() -> int:
    """Imports and one tiny count, as the local path's warm-up; returns polars' thread count."""
    import polars as pl
    from arabnews.stats import count_terms
    count_terms(pl.DataFrame({"outlet": ["x"], "text": ["تهيئة"]}))
    return pl.thread_pool_size()


def _warm_terms() -> None:
    """The gazetteer's compound list, loaded once per worker as the local warm-up loads it."""
    import pandas as pd
    from arabnews.stats import term_frequencies
    term_frequencies(pd.DataFrame({"id": ["w"], "outlet": ["x"], "text": ["تهيئة"]}))


def measure_cluster(paths: list[Path], terms: bool = False) -> dict:
    """load_corpus_dask + count_terms_dask (``terms``: term_frequencies) on a fresh LocalCluster of
    ``WORKERS`` single-thread processes."""
    os.environ["POLARS_MAX_THREADS"] = "1"   # inherited by the worker processes: 1 polars thread each
    from distributed import Client, LocalCluster
    from arabnews.cluster import count_terms_dask, load_corpus_dask
    from arabnews.stats import term_frequencies
    with LocalCluster(n_workers=WORKERS, processes=True, threads_per_worker=1, dashboard_address=None,
                      memory_limit=WORKER_MEMORY) as cluster, Client(cluster) as client:
        threads = client.run(_warm_worker)
        if terms:
            client.run(_warm_terms)
        count_terms_dask(load_corpus_dask([str(paths[0])] * WORKERS, clean=False))  # warm: imports, Parquet reader
        idle = client.run(_worker_peak_rss)   # the same worker order as ``peaks`` (sorted by address)
        start = time.perf_counter()
        ddf = load_corpus_dask([str(p) for p in paths], clean=False)
        counts = term_frequencies(ddf) if terms else count_terms_dask(ddf)
        seconds = time.perf_counter() - start
        peaks = client.run(_worker_peak_rss)
    return {"seconds": seconds, "counts": counts, "partitions": ddf.npartitions,
            "worker_peak_rss": [peaks[w] for w in sorted(peaks)], "worker_idle_rss": [idle[w] for w in sorted(peaks)],
            "polars_threads": sorted(threads.values())}


# --- report -------------------------------------------------------------------------------------
def growth(cluster: dict) -> int:
    """The largest growth of a worker's peak RSS over its warmed-up size."""
    return max(p - i for p, i in zip(cluster["worker_peak_rss"], cluster["worker_idle_rss"]))


def path_lines(local: dict, cluster: dict, n_articles: int, mb: float) -> list[str]:
    """One line per path: seconds, MB/s, articles/s and peak RSS (the process's, or per worker)."""
    lines = []
    for name, r in (("local (1 process)", local), (f"cluster ({WORKERS} workers x 1 thread)", cluster)):
        rss = (f"{r['peak_rss'] / 1e6:.0f}" if "peak_rss" in r else
               " / ".join(f"{v / 1e6:.0f}" for v in r["worker_peak_rss"]) + " per worker")
        lines.append(f"{name:<26}{r['seconds']:>9.2f}{mb / r['seconds']:>8.1f}"
                     f"{n_articles / r['seconds']:>12,.0f}{rss:>24}")
    return lines


def report(local: dict, cluster: dict, half: dict, sizes: list[int], n_articles: int,
           load_before: float) -> str:
    mb, largest = sum(sizes) / 1e6, max(sizes)
    ratio = cluster["seconds"] / local["seconds"]
    grown, grown_half = growth(cluster), growth(half)
    peak, peak_half = max(cluster["worker_peak_rss"]), max(half["worker_peak_rss"])
    lines = [f"corpus: {n_articles:,} articles, {mb:.1f} MB of text in {len(sizes)} shards "
             f"(largest {largest / 1e6:.1f} MB); {os.cpu_count()} CPUs; load average "
             f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other processes slow both paths)",
             f"{'path':<26}{'seconds':>9}{'MB/s':>8}{'articles/s':>12}{'peak RSS MB':>24}"]
    lines += path_lines(local, cluster, n_articles, mb)
    lines.append(f"worker RSS before counting: {' / '.join(f'{v / 1e6:.0f}' for v in cluster['worker_idle_rss'])} MB; "
                 f"polars threads per worker: {cluster['polars_threads']}")
    lines.append(f"largest worker peak RSS: {peak / 1e6:.0f} MB counting all {len(sizes)} shards, "
                 f"{peak_half / 1e6:.0f} MB counting {len(sizes) // 2} ({half['seconds']:.2f} s); growth "
                 f"after warm-up {grown / 1e6:.0f} MB and {grown_half / 1e6:.0f} MB")
    checks = [(f"cluster <= {OVERHEAD_TARGET} x local ({ratio:.2f}x)", ratio <= OVERHEAD_TARGET),
              (f"worker memory bounded by the partition: peak with all shards <= {MEMORY_TOLERANCE} x "
               f"peak with half ({peak / peak_half:.2f}x)", peak <= MEMORY_TOLERANCE * peak_half)]
    lines += [f"{'met' if ok else 'NOT MET'}: {label}" for label, ok in checks]
    return "\n".join(lines)


def terms_report(local: dict, cluster: dict, n_articles: int, mb: float) -> str:
    """The term_frequencies lines: both paths, their ratio; raises if the tables differ."""
    import pandas as pd
    want, got = local["table"], cluster["counts"]
    exact = [c for c in want.columns if not pd.api.types.is_float_dtype(want[c])]
    pd.testing.assert_frame_equal(got[exact], want[exact], check_exact=True)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=1e-14)
    lines = [f"term_frequencies: {n_articles:,} articles, {mb:.1f} MB of text",
             f"{'path':<26}{'seconds':>9}{'MB/s':>8}{'articles/s':>12}{'peak RSS MB':>24}"]
    lines += path_lines(local, cluster, n_articles, mb)
    ratio = cluster["seconds"] / local["seconds"]
    lines.append(f"{'met' if ratio <= OVERHEAD_TARGET else 'NOT MET'}: cluster <= {OVERHEAD_TARGET} x local "
                 f"({ratio:.2f}x); identical tables: {len(want):,} rows (integers exact, dp to 1e-12)")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="~50,000 articles in 8 shards (smoke run)")
    parser.add_argument("--articles", type=int, help="number of articles (overrides the mode)")
    parser.add_argument("--shards", type=int, help="number of Parquet shards (overrides the mode)")
    parser.add_argument("--terms-articles", type=int, help="articles for the term_frequencies comparison "
                        "(whole shards from the first; default: all; 0 skips it)")
    parser.add_argument("--terms-shards", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.out, args.terms_shards)
    size = dict(QUICK if args.quick else FULL)
    size["n_articles"] = args.articles or size["n_articles"]
    size["n_shards"] = args.shards or size["n_shards"]
    folder = write_shards(DATA_DIR / f"dask_shards_{size['n_articles']}x{size['n_shards']}", **size)
    sizes = shard_sizes(folder)
    load_before = os.getloadavg()[0]
    print(f"load average before: {load_before:.1f}", flush=True)
    local = measure_local(folder)
    print(f"  local: {local['seconds']:.2f} s", flush=True)
    shards = sorted(folder.glob("*.parquet"))
    cluster = measure_cluster(shards)
    print(f"  cluster: {cluster['seconds']:.2f} s ({cluster['partitions']} partitions)", flush=True)
    half = measure_cluster(shards[:len(shards) // 2])
    print(f"  cluster, half the shards: {half['seconds']:.2f} s", flush=True)
    print(report(local, cluster, half, sizes, size["n_articles"], load_before))
    if not cluster["counts"].equals(local["counts"]):
        raise SystemExit("the cluster's count table differs from the local one")
    print(f"identical count tables: {local['counts'].height:,} (outlet, term) pairs, "
          f"{local['counts']['count'].sum():,} tokens", flush=True)
    wanted = size["n_articles"] if args.terms_articles is None else args.terms_articles
    if wanted:
        n_shards = max(1, min(len(shards), round(wanted / size["n_articles"] * len(shards))))
        n_terms = sum(len(pd_ids) for pd_ids in map(_ids, shards[:n_shards]))
        local_terms = measure_local(folder, terms=n_shards)
        print(f"  local term_frequencies: {local_terms['seconds']:.2f} s", flush=True)
        cluster_terms = measure_cluster(shards[:n_shards], terms=True)
        print(f"  cluster term_frequencies: {cluster_terms['seconds']:.2f} s", flush=True)
        print(terms_report(local_terms, cluster_terms, n_terms, sum(sizes[:n_shards]) / 1e6))


if __name__ == "__main__":
    main()
