"""The cluster path gives the local tables: seeds, all of SaudiNewsNet and a synthetic corpus.

Every comparison runs on a real ``LocalCluster`` (2 worker processes, >= 4 partitions), so the
tasks, the pickling of partial tables and the tree reduction are the ones a real cluster runs.
The expected tables come from the local functions (``count_terms``, ``count_tokens``,
``entity_frequencies``, ``load_corpus``), which their own tests check against gold counts.
"""
from __future__ import annotations

import random
import warnings

import pandas as pd
import polars as pl
import pytest

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install -r requirements-dask.txt")
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from arabnews.cleaning import clean_corpus  # noqa: E402
from arabnews.cluster import (corpus_counts_dask, corpus_furniture_dask, count_terms_dask,  # noqa: E402
                              count_tokens_dask, entity_frequencies_dask, is_dask_frame,
                              load_corpus_dask)
from arabnews.corpus import load_corpus  # noqa: E402
from arabnews.entities import entity_frequencies  # noqa: E402
from arabnews.stats import (count_terms, count_tokens, grouped_terms, keyness, keyness_table,  # noqa: E402
                            term_frequencies, term_table)
from arabnews.text import stopwords  # noqa: E402
from arabnews.trends import term_trends  # noqa: E402
from conftest import snn_records  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """Two worker processes, one thread each, no dashboard, bounded memory; closed at the end."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                               dashboard_address=None, memory_limit="1.5GiB")
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def local_terms(corpus: pd.DataFrame, by: str = "outlet", **options) -> pl.DataFrame:
    return count_terms(corpus, by, **options).sort(by, "term")


def assert_same_terms(got: pl.DataFrame, want: pl.DataFrame) -> None:
    assert got.schema == want.schema
    assert got.height == want.height > 0
    assert got.equals(want)


# --- seeds: cleaned per partition, from a frame and from Parquet shards ----------------------------
@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return load_corpus()


def assert_cleaned_like_whole(ddf, frame: pd.DataFrame) -> pd.DataFrame:
    """The Dask corpus's text and removals equal ``clean_corpus`` of the whole frame; returns that."""
    want = clean_corpus(frame)
    got = ddf.compute().set_index("id").loc[want["id"]]
    assert got["text"].tolist() == want["text"].tolist()
    assert got["n_removed_lines"].tolist() == want["n_removed_lines"].tolist()
    return want


def test_seed_cleaning_per_partition_equals_whole_corpus(client, seeds):
    frame = seeds[["id", "outlet", "raw_text"]]
    ddf = load_corpus_dask(dd.from_pandas(frame, npartitions=4))
    assert ddf.npartitions == 4
    want = assert_cleaned_like_whole(ddf, frame)
    assert want["n_removed_lines"].sum() > 0          # the seeds do carry junk to remove


def test_seed_counts_from_parquet_shards(client, seeds, tmp_path):
    for i, shard in enumerate([seeds.iloc[:2], seeds.iloc[2:3], seeds.iloc[3:4], seeds.iloc[4:]]):
        shard[["id", "outlet", "title", "raw_text"]].to_parquet(tmp_path / f"part-{i}.parquet")
    ddf = load_corpus_dask(str(tmp_path / "*.parquet"))
    assert ddf.npartitions == 4 and "title" in ddf.columns
    assert_same_terms(count_terms_dask(ddf), local_terms(seeds))
    assert_same_terms(count_terms(ddf, compounds=True).sort("outlet", "term"),      # count_terms
                      local_terms(seeds, compounds=True))                        # dispatches here
    pd.testing.assert_series_equal(count_tokens_dask(ddf), count_tokens(seeds))


def test_seed_entity_frequencies(client, seeds):
    frame = seeds[["id", "outlet", "raw_text"]]
    ddf = load_corpus_dask(dd.from_pandas(frame, npartitions=4))
    want = entity_frequencies(clean_corpus(frame))
    pd.testing.assert_frame_equal(entity_frequencies_dask(ddf), want)
    assert want["count"].sum() > 50


# --- all of SaudiNewsNet ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def snn_frame() -> pd.DataFrame:
    """Every SaudiNewsNet article as distributed (31,030): id, outlet, text (raw, not cleaned)."""
    records = snn_records()
    return pd.DataFrame({"id": [f"{r['_file']}:{r['_index']}" for r in records],
                         "outlet": [r["source"] for r in records],
                         "text": [r["content"] for r in records],
                         "date": [r.get("date_extracted") for r in records]})


def test_saudinewsnet_count_tables_equal_local(client, snn_frame):
    # Cleaning (clean_corpus) and entity counting of all 31,030 articles take minutes each way on
    # this shared 2-core machine: the full corpus checks the term and token tables on the text as
    # distributed; cleaning and entities are compared on the 14-outlet sample below.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # from_pandas ships the frame in the graph
        ddf = client.persist(load_corpus_dask(dd.from_pandas(snn_frame, npartitions=8), clean=False))
    assert ddf.npartitions == 8 and len(snn_frame) == 31_030
    tables = corpus_counts_dask(ddf, entities=False)
    assert_same_terms(tables["terms"], local_terms(snn_frame))
    pd.testing.assert_series_equal(tables["tokens"], count_tokens(snn_frame))
    assert tables["tokens"].size == 14


def test_saudinewsnet_sample_cleans_and_counts_like_the_whole(client, snn_sample_records):
    records = snn_sample_records
    frame = pd.DataFrame({"id": [f"{r['_file']}:{r['_index']}" for r in records],
                          "outlet": [r["source"] for r in records], "raw_text": [r["content"] for r in records]})
    ddf = client.persist(load_corpus_dask(dd.from_pandas(frame, npartitions=5)))
    want = assert_cleaned_like_whole(ddf, frame)
    tables = corpus_counts_dask(ddf)
    assert_same_terms(tables["terms"], local_terms(want))
    pd.testing.assert_series_equal(tables["tokens"], count_tokens(want))
    entities = entity_frequencies(want)
    pd.testing.assert_frame_equal(tables["entities"], entities)
    pd.testing.assert_frame_equal(entity_frequencies_dask(ddf), entities)
    assert entities["outlet"].nunique() == 14 and entities["count"].sum() > 500


# --- a synthetic corpus with awkward partitions ----------------------------------------------------
@pytest.fixture(scope="module")
def synthetic(seeds) -> pd.DataFrame:
    """2,000 articles of seed sentences over 9 outlets, plus the awkward cases of real crawls:
    empty and missing text, Latin and digits only, clitics split by tatweel, an outlet whose
    only article sits in the last partition."""
    rng = random.Random(7)
    sentences = [s for text in seeds["text"] for s in text.split("\n") if s.strip()]
    rows = [{"id": f"s{i:05d}", "outlet": f"outlet{rng.randrange(9)}",
             "text": "\n".join(rng.choice(sentences) for _ in range(rng.randint(1, 8)))}
            for i in range(2000)]
    rows += [{"id": "empty", "outlet": "outlet0", "text": ""},
             {"id": "missing", "outlet": "outlet1", "text": None},
             {"id": "latin", "outlet": "outlet2", "text": "Reuters 2024 COVID-19 update 3.5%"},
             {"id": "tatweel", "outlet": "outlet3", "text": "قال الوزير إن الـمملكة والـسعودية بـالرياض"},
             {"id": "ya", "outlet": "outlet4", "text": "مستشفى على مصطفى مدرسة المدرسه"},
             {"id": "lonely", "outlet": "lone outlet", "text": "خبر وحيد في آخر قسم"}]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("options", [{}, {"fold_ya": True, "fold_ta_marbuta": True},
                                     {"term_map": {"المملكة": "مملكة", "الرياض": "رياض"}}])
def test_synthetic_counts_equal_local_with_options(client, synthetic, options):
    ddf = load_corpus_dask(dd.from_pandas(synthetic, npartitions=7), clean=False)
    assert ddf.npartitions == 7
    want = local_terms(synthetic, **options)
    assert_same_terms(count_terms_dask(ddf, split_every=2, **options), want)   # a deep tree
    assert want.filter(pl.col("outlet") == "lone outlet").height == 5


def test_synthetic_tables_do_not_depend_on_the_split(client, synthetic):
    want_terms, want_tokens = local_terms(synthetic), count_tokens(synthetic)
    for n in (4, 13):
        ddf = load_corpus_dask(dd.from_pandas(synthetic, npartitions=n), clean=False)
        tables = corpus_counts_dask(ddf, entities=False)
        assert set(tables) == {"terms", "tokens"}
        assert_same_terms(tables["terms"], want_terms)
        pd.testing.assert_series_equal(tables["tokens"], want_tokens)


def test_synthetic_cleaning_and_by_column(client, synthetic):
    frame = synthetic.assign(desk=[f"desk{i % 3}" for i in range(len(synthetic))])
    ddf = load_corpus_dask(dd.from_pandas(frame, npartitions=4))   # cleaned per partition
    cleaned = assert_cleaned_like_whole(ddf, frame.assign(raw_text=frame["text"]))
    assert_same_terms(count_terms_dask(ddf, by="desk"), local_terms(cleaned, by="desk"))


# --- bad input: clear errors, no cluster needed ------------------------------------------------------
def test_bad_input_is_named(tmp_path, synthetic):
    with pytest.raises(FileNotFoundError, match="no-such-shards"):
        load_corpus_dask(str(tmp_path / "no-such-shards" / "*.parquet"))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['outlet'\]"):
        load_corpus_dask(dd.from_pandas(synthetic.drop(columns="outlet"), npartitions=2))
    with pytest.raises(TypeError, match="source must be"):
        load_corpus_dask(synthetic)
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        count_terms_dask(synthetic)
    ddf = dd.from_pandas(synthetic, npartitions=2)
    with pytest.raises(ValueError, match="split_every"):
        count_terms_dask(ddf, split_every=1)
    with pytest.raises(ValueError, match="'desk'"):
        count_tokens_dask(ddf, by="desk")
    assert is_dask_frame(ddf) and not is_dask_frame(synthetic)


def test_load_corpus_engine_dask_is_the_lazy_corpus(client, seeds, tmp_path):
    """``h.load_corpus(..., engine="dask")`` is ``load_corpus_dask``: same counts as the local path."""
    import helpers as h
    path = tmp_path / "seeds.parquet"
    seeds[["id", "outlet", "raw_text"]].to_parquet(path)
    lazy = h.load_corpus(str(path), engine="dask")
    assert is_dask_frame(lazy)
    assert_same_terms(count_terms_dask(lazy), local_terms(seeds))
    with pytest.raises(ValueError, match="engine must be one of"):
        h.load_corpus(str(path), engine="spark")


# --- term_frequencies, keyness, term_trends: the tables built on the reduced counts ----------------------
# Integers and strings must be identical; dp/dp_norm are float sums over articles taken in
# another order on the cluster, so they are compared to 1e-12 relative (1e-14 absolute near 0).
FLOAT_RTOL, FLOAT_ATOL = 1e-12, 1e-14
TREND_TERMS = ["السعودية", "الرياض", "وزير الخارجية", "النفط"]    # SaudiNewsNet
SEED_TERMS = ["بوتين", "روسيا", "كيم جونغ أون", "الكرملين"]           # seeds and the synthetic corpus


def assert_same_attrs(got: dict, want: dict) -> None:
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(got[key], value, check_exact=True)
        else:
            assert got[key] == value, key


def assert_same_table(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns, dtypes, rows and order; integer and text columns exact, floats to 1e-12."""
    assert len(want) > 0
    exact = [c for c in want.columns if not pd.api.types.is_float_dtype(want[c])]
    pd.testing.assert_frame_equal(got[exact], want[exact], check_exact=True)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=FLOAT_RTOL, atol=FLOAT_ATOL)
    assert_same_attrs(got.attrs, want.attrs)


TERM_OPTIONS = [{}, {"stopwords": "default", "split_clitics": True, "min_count": 2}]


def options_of(options: dict) -> dict:
    return {**options, "stopwords": stopwords()} if options.get("stopwords") == "default" else options


def assert_term_tables_equal(ddf, corpus: pd.DataFrame, target: str, options_list=TERM_OPTIONS) -> None:
    """term_frequencies (each option set) and keyness (token and article units) of the Dask
    corpus equal the local ones."""
    for options in options_list:
        want = term_frequencies(corpus, **options_of(options))
        assert_same_table(term_frequencies(ddf, **options_of(options)), want)
        if options.get("split_clitics"):
            assert len(want.attrs["clitic_merges"]) > 0
    for unit, measure in (("token", "log_ratio"), ("article", "g2")):
        want = keyness(corpus, target, unit=unit, measure=measure)
        assert_same_table(keyness(ddf, target, unit=unit, measure=measure), want)


def test_grouped_terms_dask_is_the_local_table(client, seeds):
    """The table behind both (rows unordered by contract): same rows once sorted, same attrs."""
    ddf = dd.from_pandas(seeds, npartitions=4)
    for options in ({}, {"split_clitics": True, "scripts": ("arabic", "latin", "number")},
                    {"fold_ya": True, "fold_ta_marbuta": True, "compounds": False, "display": False}):
        want = grouped_terms(seeds, **options).sort_values(["outlet", "term"], ignore_index=True)
        got = grouped_terms(ddf, **options).sort_values(["outlet", "term"], ignore_index=True)
        assert_same_table(got, want)
    assert want["count"].sum() == sum(want.attrs["totals"].values()) > 1000


def test_seed_term_tables_and_trends_equal_local(client, seeds):
    ddf = dd.from_pandas(seeds, npartitions=4)
    assert ddf.npartitions == 4
    assert_term_tables_equal(ddf, seeds, seeds["outlet"].iloc[0])
    for period in ("month", "week"):
        want = term_trends(seeds, SEED_TERMS, period=period)
        assert_same_table(term_trends(ddf, SEED_TERMS, period=period), want)
    assert want["count"].sum() > 50


def test_saudinewsnet_term_tables_and_trends_equal_local(client, snn_frame):
    """All 31,030 articles. To keep CI within minutes, each side counts twice (defaults; clitics
    split) and the tables are finished from those counts by ``term_table``/``keyness_table``,
    which is what ``term_frequencies``/``keyness`` do (the public calls are tested above)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # from_pandas ships the frame in the graph
        ddf = client.persist(dd.from_pandas(snn_frame, npartitions=8))
    for options, tables in (({}, [{}]), ({"split_clitics": True}, [{"stopwords": stopwords(), "min_count": 2}])):
        local, cluster = grouped_terms(snn_frame, **options), grouped_terms(ddf, **options)
        for table_options in tables:
            assert_same_table(term_table(cluster, **table_options), term_table(local, **table_options))
        if not options:
            for unit, measure in (("token", "log_ratio"), ("article", "g2")):
                assert_same_table(keyness_table(cluster, "sabq", unit=unit, measure=measure),
                                  keyness_table(local, "sabq", unit=unit, measure=measure))
    assert len(local.attrs["clitic_merges"]) > 1000 and len(local.attrs["totals"]) == 14
    want = term_trends(snn_frame, TREND_TERMS, period="week")
    assert_same_table(term_trends(ddf, TREND_TERMS, period="week"), want)
    assert want["count"].sum() > 1000 and want["term"].nunique() == len(TREND_TERMS)


@pytest.fixture(scope="module")
def dated_synthetic(synthetic) -> pd.DataFrame:
    """The synthetic corpus with dates over two years, some missing or unreadable."""
    rng = random.Random(11)
    dates = [f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00:00" for _ in range(len(synthetic))]
    dates[5], dates[17], dates[-1] = None, "not a date", "2024-03-02"
    return synthetic.assign(date=dates)


def test_synthetic_term_tables_and_trends_do_not_depend_on_the_split(client, dated_synthetic):
    corpus = dated_synthetic
    for n in (4, 13):
        ddf = dd.from_pandas(corpus, npartitions=n)
        assert ddf.npartitions == n
        assert_term_tables_equal(ddf, corpus, "outlet0")
        want = term_trends(corpus, SEED_TERMS, period="month")
        assert want.attrs["undated_articles"] == 2 and want["count"].sum() > 100
        assert_same_table(term_trends(ddf, SEED_TERMS, period="month"), want)


def test_display_ties_resolve_to_the_first_spelling_in_corpus_order(client):
    """Two spellings used twice each: مدرسة is seen first in corpus order, so it is shown; split
    in two, the second partition sees مدرسه first (a place-in-partition tie-break would be wrong)."""
    corpus = pd.DataFrame({"id": list("abcd"), "outlet": ["x", "x", "y", "y"],
                           "text": ["الرياض الرياض مدرسة", "مدرسه", "مدرسه", "مدرسة"]})
    want = term_frequencies(corpus, fold_ta_marbuta=True)
    assert want["display"].tolist() == ["الرياض", "مدرسة", "مدرسة"]       # x: 2 and 2 tokens, y: 2
    for n in (2, 4):
        assert_same_table(term_frequencies(dd.from_pandas(corpus, npartitions=n), fold_ta_marbuta=True), want)


def test_term_tables_bad_input_is_named(client, synthetic):
    ddf = dd.from_pandas(synthetic, npartitions=2)
    with pytest.raises(ValueError, match="'desk'"):
        term_frequencies(ddf, by="desk")
    with pytest.raises(ValueError, match="target 'nowhere'"):
        keyness(ddf, "nowhere")
    with pytest.raises(ValueError, match="date"):
        term_trends(ddf, ["السعودية"])
    with pytest.raises(ValueError, match="no article has a date"):
        term_trends(dd.from_pandas(synthetic.assign(date=None), npartitions=2), ["السعودية"])
    with pytest.raises(ValueError, match="terms is empty"):
        term_trends(dd.from_pandas(synthetic.assign(date="2024-01-01"), npartitions=2), [])
