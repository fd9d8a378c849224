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

Then the functions users call, with default arguments, each on the whole corpus in its own
subprocess (the corpus is read into a pandas frame before the clock starts, except for
load_corpus, which is what it measures): load_corpus (with cleaning), term_frequencies,
keyness, entity_frequencies, kwic, dispersion. Each is printed in MB/s beside count_terms
("project"); target: each >= 0.3 x count_terms. A function still running after --timeout
seconds is stopped and reported as slower than that bound.

With ``--snn`` the same table is made on all of SaudiNewsNet (31,030 real articles, read in place
from ``../shared/corpora/saudinewsnet``; skipped with a message where it is absent): it is loaded
once with ``load_corpus`` into a temporary Parquet file (id, outlet, text) that every engine reads
before its clock starts; ``read`` is then reading and decoding the 18 zip files, MB are the UTF-8
bytes of the loaded texts, and kwic/dispersion look for السعودية. Every run has the cache off
(``ARABNEWS_CACHE_DIR`` unset): the speed must come from the code.

    python benchmarks/bench_counting.py                  # full size (~200 MB)
    python benchmarks/bench_counting.py --articles 20000 # ~40 MB, the size of the issue's figures
    python benchmarks/bench_counting.py --quick          # ~2 MB, a few seconds
    python benchmarks/bench_counting.py --snn            # all of SaudiNewsNet (read, project, functions)
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
COUNTERS = ("read", "project", "countvectorizer", "counter")
FUNCTIONS = ("load_corpus", "term_frequencies", "keyness", "entity_frequencies", "kwic", "dispersion")
ENGINES = COUNTERS + FUNCTIONS
FUNCTION_TARGET = 0.3   # each user-facing function >= 0.3 x count_terms throughput
QUERY = "بوتين"          # the word kwic and dispersion look for (in every seed article)
SNN_QUERY = "السعودية"   # ... and on SaudiNewsNet
SNN_DIR = HERE.parent.parent / "shared" / "corpora" / "saudinewsnet"
SNN_ENGINES = ("read", "project") + FUNCTIONS
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


def read_corpus(path: Path):
    """The corpus as the pandas frame the user-facing functions take (id, outlet, text): the
    synthetic JSON lines, or the Parquet file of a loaded corpus (``--snn``)."""
    import polars as pl
    if path.suffix == ".parquet":
        return pl.read_parquet(path).to_pandas()
    return pl.read_ndjson(path, schema={"id": pl.String, "outlet": pl.String, "text": pl.String}).to_pandas()


def run_read_snn(folder: Path) -> None:
    """Read, unzip and UTF-8-decode every file of SaudiNewsNet (no parsing, no counting)."""
    import zipfile
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                archive.read(name).decode("utf-8")


def prepare_snn(folder: Path, out: Path) -> None:
    """Load SaudiNewsNet once (``load_corpus``, cleaning on) and keep id, outlet, text as Parquet."""
    import warnings
    from arabnews.corpus import load_corpus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(folder)
    corpus[["id", "outlet", "text"]].to_parquet(out)


def function_runners(query: str = QUERY) -> dict:
    """Each user-facing function with default arguments, on a pandas corpus; returns its rows."""
    import warnings
    from arabnews.concordance import dispersion, kwic
    from arabnews.corpus import load_corpus
    from arabnews.entities import entity_frequencies
    from arabnews.stats import keyness, term_frequencies
    from arabnews.text import normalize

    def load(path, corpus):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # SaudiNewsNet's repairs warn; they are not the subject
            return len(load_corpus(path))

    query = normalize(query)
    return {
        "load_corpus": load,
        "term_frequencies": lambda path, corpus: len(term_frequencies(corpus)),
        "keyness": lambda path, corpus: len(keyness(corpus, sorted(corpus["outlet"].unique())[0])),
        "entity_frequencies": lambda path, corpus: len(entity_frequencies(corpus)),
        "kwic": lambda path, corpus: len(kwic(corpus, query)),
        "dispersion": lambda path, corpus: len(dispersion(corpus, query)),
    }


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


def child(engine: str, corpus: Path, out: Path, source: Path | None = None) -> None:
    """Run one engine in this (fresh) process; write seconds, peak RSS and counts to ``out``.
    ``source`` is SaudiNewsNet's folder with ``--snn`` (``corpus`` is then its Parquet copy)."""
    os.environ.pop("ARABNEWS_CACHE_DIR", None)   # cold: no cached result may be read
    snn = source is not None
    frame = None
    if engine in FUNCTIONS or (snn and engine == "project"):
        prepare("project")
        frame = read_corpus(corpus)
        if engine in FUNCTIONS:
            run_function = function_runners(SNN_QUERY if snn else QUERY)[engine]
        if engine == "load_corpus":
            frame = None
    elif engine != "read":
        prepare(engine)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    if engine in FUNCTIONS:
        counts, rows = None, run_function(source if snn and engine == "load_corpus" else corpus, frame)
    elif snn and engine == "read":
        counts, rows = run_read_snn(source), None
    elif snn and engine == "project":
        from arabnews.stats import count_terms
        table = count_terms(frame, by="outlet")
        counts, rows = {(o, t): n for o, t, n in table.select("outlet", "term", "count").iter_rows()}, None
    else:
        counts, rows = RUNNERS[engine](corpus), None
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_rss = after.ru_maxrss * 1024  # Linux: KiB
    with open(out, "wb") as fh:
        pickle.dump({"seconds": seconds, "cpu_seconds": cpu, "peak_rss": peak_rss, "counts": counts,
                     "rows": rows}, fh)


def measure(engine: str, corpus: Path, timeout: float | None = None, source: Path | None = None) -> dict:
    """Run ``engine`` in a subprocess, so each peak RSS is its own; stopped after ``timeout`` s
    (then ``seconds`` is the bound and ``timed_out`` is set)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pickle"
        extra = ["--source", str(source)] if source is not None else []
        try:
            subprocess.run([sys.executable, __file__, "--child", engine, "--corpus", str(corpus),
                            "--out", str(out), *extra], check=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"seconds": timeout, "cpu_seconds": float("nan"), "peak_rss": float("nan"),
                    "counts": None, "rows": None, "timed_out": True}
        with open(out, "rb") as fh:
            return pickle.load(fh)


def compare(results: dict[str, dict]) -> list[str]:
    """Names of the engines whose counts differ from the project's (empty list = all identical)."""
    reference = results["project"]["counts"]
    return [name for name, r in results.items()
            if r["counts"] is not None and r["counts"] != reference]


def report(results: dict[str, dict], corpus_bytes: int, n_articles: int, streamed: bool = True) -> str:
    """The table printed at the end of a run, with the targets checked (the read and memory
    checks of count_terms only where it streams the file batch by batch: ``streamed``)."""
    mb = corpus_bytes / 1e6
    speed = {name: mb / r["seconds"] for name, r in results.items()}
    baseline = speed.get("project")
    lines = [f"corpus: {mb:.1f} MB, {n_articles:,} articles; {os.cpu_count()} CPUs; "
             f"load average now {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other processes "
             f"slow every engine)",
             f"{'engine':<20}{'seconds':>9}{'CPU s':>8}{'MB/s':>9}{'peak RSS MB':>13}{'vs read':>9}"
             f"{'vs count_terms':>16}"]
    for name, r in results.items():
        bound = ">" if r.get("timed_out") else " "
        vs_read = f"{speed[name] / speed['read']:>9.2f}" if "read" in speed else f"{'':>9}"
        vs_project = f"{speed[name] / baseline:>16.2f}" if baseline else f"{'':>16}"
        lines.append(f"{name:<20}{bound}{r['seconds']:>8.2f}{r['cpu_seconds']:>8.2f}"
                     f"{'<' if bound == '>' else ' '}{speed[name]:>8.1f}{r['peak_rss'] / 1e6:>13.0f}"
                     f"{vs_read}{vs_project}")
    if "project" in results:
        rss_limit = 2 * corpus_bytes + 300e6
        checks = [("project >= 0.25 x read", speed["project"] >= 0.25 * speed["read"]),
                  (f"peak RSS <= 2 x corpus + 300 MB ({rss_limit / 1e6:.0f} MB)",
                   results["project"]["peak_rss"] <= rss_limit)] if streamed and "read" in speed else []
        if "countvectorizer" in speed:
            ratio = speed["project"] / speed["countvectorizer"]
            checks.insert(0, (f"project >= 5 x CountVectorizer ({ratio:.1f}x)", ratio >= 5))
        checks += [(f"{name} >= {FUNCTION_TARGET} x count_terms ({speed[name] / baseline:.2f}x"
                    f"{', stopped at the timeout' if results[name].get('timed_out') else ''})",
                    speed[name] >= FUNCTION_TARGET * baseline and not results[name].get("timed_out"))
                   for name in results if name in FUNCTIONS]
        lines += [f"{'met' if ok else 'NOT MET'}: {label}" for label, ok in checks]
    return "\n".join(lines)


def run(n_articles: int, n_outlets: int, engines=ENGINES, corpus: Path | None = None,
        timeout: float | None = None) -> dict:
    """Generate (or reuse) the corpus, measure each engine, check counts are identical."""
    corpus = corpus or DATA_DIR / f"synthetic_{n_articles}x{n_outlets}.jsonl"
    if not corpus.exists():
        generate_corpus(corpus, n_articles, n_outlets)
    results = measure_all(engines, corpus, timeout)
    print(report(results, corpus.stat().st_size, n_articles))
    check_counts(results, engines)
    return results


def measure_all(engines, corpus: Path, timeout: float | None, source: Path | None = None) -> dict:
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    results = {}
    for engine in engines:
        results[engine] = measure(engine, corpus, timeout if engine in FUNCTIONS else None, source)
        stopped = " (stopped: timeout)" if results[engine].get("timed_out") else ""
        print(f"  {engine}: {results[engine]['seconds']:.2f} s{stopped}", flush=True)
    return results


def check_counts(results: dict, engines) -> None:
    different = compare(results)
    if different:
        raise SystemExit(f"counts differ from the project's: {different}")
    others = [e for e in engines if e in COUNTERS and e not in ("read", "project")]
    if others:
        n_terms = len(results["project"]["counts"])
        print(f"identical counts from project, {', '.join(others)}: {n_terms:,} (outlet, term) pairs, "
              f"{sum(results['project']['counts'].values()):,} tokens")


def run_snn(folder: Path = SNN_DIR, engines=SNN_ENGINES, timeout: float | None = None) -> dict | None:
    """The same table on all of SaudiNewsNet, loaded once (see the module docstring)."""
    if not any(folder.glob("*.zip")):
        print(f"SaudiNewsNet not found at {folder} (no zip files): --snn skipped")
        return None
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "saudinewsnet.parquet"
        subprocess.run([sys.executable, __file__, "--child", "snn_prepare", "--corpus", str(corpus),
                        "--source", str(folder)], check=True)
        table = pq.read_table(corpus, columns=["text"])
        text_bytes = pc.sum(pc.binary_length(pc.cast(table["text"], "binary"))).as_py()
        results = measure_all(engines, corpus, timeout, folder)
        print(f"SaudiNewsNet ({folder}), cleaned texts as loaded:")
        print(report(results, text_bytes, table.num_rows, streamed=False))
        check_counts(results, engines)
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", "--quick", action="store_true", dest="small",
                        help="1,000 articles (~2 MB) instead of 100,000")
    parser.add_argument("--articles", type=int, help="number of articles (overrides --small)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds after which a user-facing function is stopped (default 120)")
    parser.add_argument("--snn", nargs="?", type=Path, const=SNN_DIR, metavar="DIR",
                        help=f"run on all of SaudiNewsNet instead (default folder {SNN_DIR})")
    parser.add_argument("--child", choices=ENGINES + ("snn_prepare",), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "snn_prepare":
        return prepare_snn(args.source, args.corpus)
    if args.child:
        return child(args.child, args.corpus, args.out, args.source)
    size = dict(SMALL if args.small else FULL)
    if args.articles:
        size["n_articles"] = args.articles
    engines = [e for e in ENGINES if e in args.engines]
    if "project" not in engines:
        parser.error("the project engine is the reference for the equality check; keep it")
    if args.snn is not None:
        chosen = [e for e in engines if e in SNN_ENGINES] if args.engines != list(ENGINES) else list(SNN_ENGINES)
        run_snn(args.snn, chosen, timeout=args.timeout)
        return
    run(size["n_articles"], size["n_outlets"], engines, timeout=args.timeout)


if __name__ == "__main__":
    main()
