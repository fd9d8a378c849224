"""Small-size run of the counting benchmark's equality check (no timing is asserted here).

Every engine of ``benchmarks/bench_counting.py`` must give the same (outlet, term) -> count table
on a synthetic corpus built from the seed sentences, and the table must match an independent
regex count of one word.
"""
from __future__ import annotations

import importlib.util
import json
import re

import pytest

from arabnews import PROJECT_DIR
from arabnews.text import normalize


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_counting", PROJECT_DIR / "benchmarks" / "bench_counting.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_corpus(bench, tmp_path_factory):
    return bench.generate_corpus(tmp_path_factory.mktemp("bench") / "small.jsonl", n_articles=300, n_outlets=5)


@pytest.fixture(scope="module")
def results(bench, small_corpus):
    return {name: bench.RUNNERS[name](small_corpus) for name in ("project", "countvectorizer", "counter")}


def test_generated_corpus_has_the_requested_shape(small_corpus):
    records = [json.loads(line) for line in small_corpus.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 300
    assert len({r["outlet"] for r in records}) == 5
    assert all(r["text"] for r in records)


def test_all_engines_count_identically(results):
    project = results["project"]
    assert project, "no counts"
    assert results["countvectorizer"] == project
    assert results["counter"] == project


def test_counts_match_a_plain_regex_count(small_corpus, results):
    ar = "\u0621-\u063A\u0641-\u064A"
    expected = {}
    for line in small_corpus.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        n = len(re.findall(f"(?<![{ar}])بوتين(?![{ar}])", normalize(record["text"])))
        expected[record["outlet"]] = expected.get(record["outlet"], 0) + n
    got = {o: n for (o, t), n in results["project"].items() if t == "بوتين"}
    assert got == {o: n for o, n in expected.items() if n}


def test_compare_flags_a_different_engine(bench, results):
    broken = dict(results["project"])
    key = next(iter(broken))
    broken[key] += 1
    fake = {"project": {"counts": results["project"]}, "read": {"counts": None},
            "counter": {"counts": broken}}
    assert bench.compare(fake) == ["counter"]


def test_every_user_facing_function_runs_on_the_bench_corpus(bench, small_corpus):
    """The functions the benchmark times (default arguments) run on its corpus and find things."""
    frame = bench.read_corpus(small_corpus)
    runners = bench.function_runners()
    assert set(runners) == set(bench.FUNCTIONS)
    rows = {name: run(small_corpus, frame) for name, run in runners.items()}
    assert rows["load_corpus"] == 300
    expected_hits = sum(len(re.findall(f"(?<![\u0621-\u064a])بوتين(?![\u0621-\u064a])", normalize(t)))
                        for t in frame["text"])
    assert rows["dispersion"] == rows["kwic"] >= expected_hits > 0     # clitic forms may add more
    assert all(rows[name] > 0 for name in ("term_frequencies", "keyness", "entity_frequencies"))
