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
from arabnews.stats import count_terms, count_tokens  # noqa: E402
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
                         "text": [r["content"] for r in records]})


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
