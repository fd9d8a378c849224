"""Dask: the project's count tables on a corpus too big for one machine.

A Dask DataFrame is a corpus split into partitions (one pandas frame each, e.g. one Parquet
shard). Everything here follows one shape: each partition is cleaned and counted by the
project's own functions (``cleaning.clean_corpus``, ``stats.count_terms``, ``stats.count_tokens``,
``entities.entity_article_counts``), the partial integer counts are summed by a tree
reduction, and only the small reduced table comes back; rates and sorting are then computed on
that table as the local functions do. The tables are therefore identical to the local ones
however the corpus is split, and a worker holds one partition and one partial table at a time.
``term_frequencies`` and ``keyness`` (``grouped_terms_dask``) take two passes, because Gries' DP
compares each article with its group's totals: pass 1 sums the counts and totals, pass 2 gets
them broadcast and sums the per-article DP terms; those float sums come out in another order
than locally, so ``dp``/``dp_norm`` agree to 1e-12 (every integer and other rate is identical).
``term_trends`` (``term_trends_dask``) sums per-partition ``term_trends`` counts.
Cleaning takes two passes, because its furniture rule counts lines across articles: the
furniture counts of all partitions are summed first, then every partition is cleaned against them.

Dask is an optional extra (``pip install -r requirements-dask.txt``); this module imports it
when a function is called, so the rest of the project runs without it. The tasks run on the
active ``dask.distributed.Client`` (a ``LocalCluster`` or ``Client("tcp://scheduler:8786")``),
else on Dask's local threads.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl

import numpy as np

from arabnews import cleaning
from arabnews.checks import check_bool, check_columns, check_int, check_scripts, check_str
from arabnews.folding import TOKEN_PATTERN
from arabnews.furniture import MIN_ARTICLES, OUTLET_TOTAL
from arabnews.measures import dp_from_parts
from arabnews.stats import (DEFAULT_SCRIPTS, SURFACE_PATTERN, compound_list, count_terms, count_tokens,
                            counting_expr, display_column, display_table, script_expr)
from arabnews.text import clitic_map
from arabnews.trends import article_dates, term_trends, trend_table

__all__ = ["load_corpus_dask", "count_terms_dask", "count_tokens_dask", "entity_frequencies_dask",
           "corpus_counts_dask", "corpus_furniture_dask", "grouped_terms_dask", "term_trends_dask",
           "is_dask_frame"]

SPLIT_EVERY = 8          # partial tables summed per reduction task (tree fan-in)
TERM_KEYS = ("term",)
ENTITY_KEYS = ("entity", "entity_en", "type")
INSTALL_HINT = "Dask is an optional extra: pip install -r requirements-dask.txt"


# --- dask, imported on demand ----------------------------------------------------------------------
def _dask():
    """The ``dask``, ``dask.bag`` and ``dask.dataframe`` modules, or an ImportError saying how to install."""
    try:
        import dask
        import dask.bag as db
        import dask.dataframe as dd
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(f"{INSTALL_HINT} ({error})") from error
    return dask, db, dd


def is_dask_frame(value) -> bool:
    """True if ``value`` is a ``dask.dataframe.DataFrame`` (False, without importing Dask, otherwise)."""
    module = type(value).__module__ or ""
    if not module.startswith("dask"):
        return False
    return isinstance(value, _dask()[2].DataFrame)


def _check_dask_corpus(ddf, needed: tuple[str, ...], name: str = "ddf"):
    """``ddf`` if it is a Dask DataFrame with the ``needed`` columns; else a clear error."""
    if not is_dask_frame(ddf):
        raise TypeError(f"{name} must be a dask.dataframe.DataFrame (from load_corpus_dask), "
                        f"got {type(ddf).__name__}")
    return check_columns(ddf, needed, name)


# --- loading and cleaning per partition --------------------------------------------------------
def _with_raw_text(part: pd.DataFrame) -> pd.DataFrame:
    """The partition with ``raw_text`` (a copy of ``text`` where it has none)."""
    return part if "raw_text" in part.columns else part.assign(raw_text=part["text"])


def _partition_furniture(part: pd.DataFrame) -> pd.DataFrame:
    return cleaning.furniture_lines(_with_raw_text(part)[["id", "outlet", "raw_text"]])


def _furniture_candidates(summed: pd.DataFrame) -> pd.DataFrame:
    """Rows of a summed furniture table the rule can use: lines in ``MIN_ARTICLES`` articles or
    more, and the outlet totals."""
    return summed[(summed["n_articles"] >= MIN_ARTICLES) | (summed["line"] == OUTLET_TOTAL)]


def _clean_partition(part: pd.DataFrame, clean: bool, furniture: pd.DataFrame | None) -> pd.DataFrame:
    """One partition as a corpus: ``raw_text`` (as read), ``text`` and ``n_removed_lines``.

    ``clean=True``: ``clean_corpus`` against the whole corpus's ``furniture`` (its audit attrs
    stay on the worker). ``clean=False``: ``text`` kept (the stripped ``raw_text`` where there
    is no ``text``) and nothing removed.
    """
    part = _with_raw_text(part)
    if clean:
        out = cleaning.clean_corpus(part, furniture=furniture)
        out.attrs = {}
        return out.astype({"text": part["raw_text"].dtype})
    extra = {}
    if "text" not in part.columns:
        extra["text"] = part["raw_text"].str.strip()
    if "n_removed_lines" not in part.columns:
        extra["n_removed_lines"] = pd.Series(0, index=part.index, dtype="int64")
    return part.assign(**extra)


def _read_source(source, columns, storage_options):
    """``(ddf, name)``: a Dask DataFrame as given, or Parquet shards read lazily."""
    _, _, dd = _dask()
    if is_dask_frame(source):
        return source, "ddf"
    many = isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, Path)) for s in source)
    if not (isinstance(source, (str, Path)) or many):
        raise TypeError("source must be a Parquet path/glob (or a list of them) or a "
                        f"dask.dataframe.DataFrame, got {type(source).__name__}")
    paths = [str(s) for s in source] if many else check_str(str(source), "source")
    try:
        ddf = dd.read_parquet(paths, columns=columns, storage_options=storage_options)
    except (FileNotFoundError, OSError, ValueError) as error:
        raise FileNotFoundError(f"load_corpus_dask: cannot read Parquet from {paths!r}: {error}") from error
    if len(ddf.columns) == 0:     # a glob that matches nothing reads as an empty frame
        raise FileNotFoundError(f"load_corpus_dask: no Parquet data at {paths!r}")
    return ddf, repr(paths)


def load_corpus_dask(source, *, clean: bool = True, columns: list[str] | None = None,
                     storage_options: dict | None = None, furniture: pd.DataFrame | None = None):
    """A lazy corpus: a Dask DataFrame with ``id``, ``outlet``, ``text``, ``raw_text``, ``n_removed_lines``.

    ``source`` is a Parquet path, glob or list of paths (local or any fsspec URL such as
    ``"s3://bucket/news/*.parquet"``; ``storage_options`` go to fsspec), or an existing
    ``dask.dataframe.DataFrame``. It needs ``id``, ``outlet`` and ``text`` or ``raw_text``; other
    columns are kept. Cleaning (``clean=True``) is ``clean_corpus`` on each partition against
    the furniture counts of the whole corpus (``corpus_furniture_dask``: one quick pass run
    here, unless ``furniture`` gives that table), so a split corpus cleans exactly as the whole
    one. Nothing else is read until a table is computed.
    """
    clean = check_bool(clean, "clean")
    ddf, name = _read_source(source, columns, storage_options)
    missing = [c for c in ("id", "outlet") if c not in ddf.columns]
    if not {"text", "raw_text"} & set(ddf.columns):
        missing.append("text (or raw_text)")
    if missing:
        raise ValueError(f"load_corpus_dask: {name} is missing column(s) {missing}; "
                         f"it has {list(ddf.columns)}")
    if clean and furniture is None:
        furniture = corpus_furniture_dask(ddf)
    meta = _clean_partition(ddf._meta, False, None).assign(n_removed_lines=pd.Series([], dtype="int64"))
    return ddf.map_partitions(_clean_partition, clean, furniture, meta=meta)


def corpus_furniture_dask(ddf, *, split_every: int = SPLIT_EVERY) -> pd.DataFrame:
    """The furniture counts a Dask corpus is cleaned against: ``outlet, line, n_articles``.

    Pass one of the two-pass cleaning: ``furniture_lines`` of every partition, summed per
    (outlet, line) by a Dask groupby spread over ``npartitions / split_every`` output
    partitions; only the lines in ``MIN_ARTICLES`` articles or more (the only ones the
    furniture rule can remove) and each outlet's article total come back, so
    ``clean_corpus(part, furniture=table)`` removes exactly what it removes on the whole corpus.
    """
    _check_dask_corpus(ddf, ("id", "outlet"))
    split_every = check_int(split_every, "split_every", minimum=2)
    lines = ddf.map_partitions(_partition_furniture, meta=_partition_furniture(ddf._meta))
    summed = (lines.groupby(["outlet", "line"])["n_articles"]
              .sum(split_every=split_every, split_out=-(-ddf.npartitions // split_every))
              .reset_index())
    kept = summed.map_partitions(_furniture_candidates).compute()
    return (kept.astype({"outlet": str, "line": str, "n_articles": "int64"})
            .sort_values(["outlet", "line"], ignore_index=True))


# --- tree reductions of partial counts --------------------------------------------------------
def _sum_term_counts(parts: list[pl.DataFrame], by: str) -> pl.DataFrame:
    """Sum partial ``count_terms`` tables: count and doc_freq added per (group, term)."""
    return (pl.concat(parts).group_by(by, *TERM_KEYS)
            .agg(pl.col("count").sum(), pl.col("doc_freq").sum()))


def _sum_token_totals(parts: list[pd.Series], by: str) -> pd.Series:
    """Sum partial per-group totals, groups in order of first appearance (as ``count_tokens``)."""
    return pd.concat(parts).groupby(level=0, sort=False).sum().rename("tokens")


def _sum_entity_counts(parts: list[pd.DataFrame], by: str) -> pd.DataFrame:
    """Sum partial entity counts per (group, entity, entity_en, type)."""
    merged = pd.concat(parts, ignore_index=True)
    return merged.groupby([by, *ENTITY_KEYS], sort=False)["count"].sum().reset_index()


SUMS = {"terms": _sum_term_counts, "tokens": _sum_token_totals, "entities": _sum_entity_counts}


def _partial_tables(part: pd.DataFrame, by: str, wanted: tuple[str, ...], term_options: dict,
                    entity_options: dict) -> dict:
    """The wanted count tables of one partition, by the project's local functions."""
    tables = {}
    if "terms" in wanted:
        tables["terms"] = count_terms(part, by, **term_options)
    if "tokens" in wanted:
        tables["tokens"] = count_tokens(part, by)
    if "entities" in wanted:
        from arabnews.entities import entity_article_counts   # late: entities loads its gazetteer
        counts = entity_article_counts(part, **entity_options)
        counts.insert(0, by, part[by].astype(str).to_numpy()[pd.Index(part["id"]).get_indexer(counts["id"])])
        tables["entities"] = (counts.groupby([by, *ENTITY_KEYS], sort=False)["count"].sum()
                              .reset_index())
    return tables


def _combine(parts, by: str) -> dict:
    """Sum a list of partial-table dicts, table by table."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    return {name: SUMS[name]([p[name] for p in parts], by) for name in parts[0]}


def _broadcast(value):
    """``value`` sent once to every worker of the active distributed client (a future), else put
    in the graph once (Dask's local threads)."""
    dask = _dask()[0]
    try:
        from distributed import get_client
        return get_client().scatter(value, broadcast=True, hash=False)
    except (ImportError, ValueError):      # no distributed client
        return dask.delayed(value)


def _tree(ddf, per_partition, combine, split_every: int, *shared, indexed: bool = False):
    """``per_partition`` on every partition of ``ddf``, results combined ``split_every`` at a time.

    ``dask.bag``'s reduction builds the tree; partial results travel between workers, the
    partitions themselves never do. ``combine`` takes a list of partial results. ``shared``
    values (broadcast tables) are put in the graph once and passed after the partition;
    ``indexed=True`` passes the partition's index first (its place in corpus order).
    """
    dask, db, _ = _dask()
    shared = [_broadcast(value) for value in shared]
    if indexed:
        tasks = [dask.delayed(lambda part, i, *more: [per_partition(i, part, *more)])(p, i, *shared)
                 for i, p in enumerate(ddf.to_delayed())]
    else:
        tasks = [dask.delayed(lambda part, *more: [per_partition(part, *more)])(p, *shared)
                 for p in ddf.to_delayed()]
    return db.from_delayed(tasks).reduction(combine, combine, split_every=split_every).compute()


def _reduce(ddf, by: str, wanted: tuple[str, ...], split_every: int, term_options: dict | None = None,
            entity_options: dict | None = None) -> dict:
    """The wanted count tables of the whole corpus in one pass over its partitions."""
    columns = ["id", by, "text"] if "entities" not in wanted else list(ddf.columns)
    return _tree(ddf[columns],
                 lambda part: _partial_tables(part, by, wanted, term_options or {}, entity_options or {}),
                 lambda parts: _combine(parts, by), split_every)


def _finish_terms(counts: pl.DataFrame, by: str) -> pl.DataFrame:
    return counts.sort(by, *TERM_KEYS)


def _finish_tokens(totals: pd.Series) -> pd.Series:
    totals.index = totals.index.astype(str)
    return totals.astype("int64")


def _finish_entities(counts: pd.DataFrame, tokens: pd.Series, by: str) -> pd.DataFrame:
    """Mentions per 1,000 tokens and the sort order of ``entity_frequencies``, on the reduced table."""
    counts = counts.astype({by: str, "count": "int64"})
    counts["per_1k"] = 1000 * counts["count"] / counts[by].map(tokens).astype(float)
    counts = counts.sort_values([by, "count", "entity"], ascending=[True, False, True])
    return counts.reset_index(drop=True)[[by, *ENTITY_KEYS, "count", "per_1k"]]


def _check_options(ddf, by: str, split_every: int) -> int:
    check_str(by, "by")
    _check_dask_corpus(ddf, ("id", "text", by))
    return check_int(split_every, "split_every", minimum=2)


# --- public tables ----------------------------------------------------------------------------
def count_terms_dask(ddf, by: str = "outlet", *, split_every: int = SPLIT_EVERY, **options) -> pl.DataFrame:
    """``count_terms`` of a Dask corpus: polars ``<by>, term, count, doc_freq``, sorted by group, term.

    Each partition is counted by ``arabnews.stats.count_terms`` (same ``options``: fold_ya,
    fold_ta_marbuta, term_map) and the partial counts are summed, ``split_every`` at a time.
    Equal to ``count_terms`` on the whole corpus (whose row order is arbitrary).
    """
    split_every = _check_options(ddf, by, split_every)
    return _finish_terms(_reduce(ddf, by, ("terms",), split_every, options)["terms"], by)


def count_tokens_dask(ddf, by: str = "outlet", *, split_every: int = SPLIT_EVERY) -> pd.Series:
    """``count_tokens`` of a Dask corpus: tokens per group, groups in order of first appearance."""
    split_every = _check_options(ddf, by, split_every)
    return _finish_tokens(_reduce(ddf, by, ("tokens",), split_every)["tokens"])


def entity_frequencies_dask(ddf, by: str = "outlet", *, split_every: int = SPLIT_EVERY,
                            **mention_options) -> pd.DataFrame:
    """``entity_frequencies`` of a Dask corpus: ``<by>, entity, entity_en, type, count, per_1k``.

    Mentions are counted per partition by ``entity_article_counts`` (article by article, so
    partial counts add up) and summed; ``per_1k`` divides by the summed ``count_tokens``, in the
    same pass.
    """
    split_every = _check_options(ddf, by, split_every)
    found = _reduce(ddf, by, ("entities", "tokens"), split_every, entity_options=mention_options)
    return _finish_entities(found["entities"], _finish_tokens(found["tokens"]), by)


def corpus_counts_dask(ddf, by: str = "outlet", *, entities: bool = True, split_every: int = SPLIT_EVERY,
                       **options) -> dict:
    """Every reduced table in one pass over the partitions (each partition read and cleaned once).

    Returns ``{"terms": count_terms table, "tokens": count_tokens series, "entities":
    entity_frequencies table}`` (``entities=False`` leaves the last out); ``options`` go to
    ``count_terms``. These small tables are what the notebooks and reports then work from.
    """
    split_every = _check_options(ddf, by, split_every)
    wanted = ("terms", "tokens", "entities") if check_bool(entities, "entities") else ("terms", "tokens")
    found = _reduce(ddf, by, wanted, split_every, options)
    tables = {"terms": _finish_terms(found["terms"], by), "tokens": _finish_tokens(found["tokens"])}
    if entities:
        tables["entities"] = _finish_entities(found["entities"], tables["tokens"], by)
    return tables


# --- the counts behind term_frequencies and keyness: two passes -----------------------------------
ORDER_BITS = 40      # first-seen order across partitions: partition index << ORDER_BITS | place in it
FIRST_PASS = {"counts": (("group", "term"), lambda: [pl.col("count").sum()]),
              "groups": (("group",), lambda: [pl.col("first").min(), pl.col("rows").sum()]),
              "surfaces": (("surface",), lambda: [pl.col("n").sum(), pl.col("first").min()])}
SECOND_PASS = {"terms": (("group", "term"), lambda: [pl.col(c).sum() for c in ("count", "doc_freq", "gap", "share")]),
               "groups": (("group",), lambda: [pl.col("articles").sum(), pl.col("smallest").min()])}


def _sum_tables(parts: list[dict], rules: dict) -> dict:
    """Partial polars tables summed table by table (``rules``: name -> keys, aggregations)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    return {name: pl.concat([p[name] for p in parts]).group_by(*rules[name][0]).agg(*rules[name][1]())
            for name in parts[0]}


def _group_text(part: pd.DataFrame, by: str) -> pl.LazyFrame:
    """A partition as polars ``group, text``: the strings the local path counts."""
    return pl.DataFrame({"group": pl.Series(part[by].astype(str).to_numpy(), dtype=pl.String),
                         "text": pl.from_pandas(part["text"].fillna("").astype(str))}).lazy()


def _term_tokens(frame: pl.LazyFrame, phrases: tuple[str, ...], fold: dict, *keys: str) -> pl.LazyFrame:
    """One row per token: ``keys``, term (``stats.counting_expr`` + ``TOKEN_PATTERN``)."""
    text = counting_expr(phrases=phrases, **fold)
    return frame.select(*keys, term=text.str.extract_all(TOKEN_PATTERN)).explode("term").drop_nulls("term")


def _first_pass(index: int, part: pd.DataFrame, by: str, phrases, fold: dict, display: bool) -> dict:
    """Pass 1 on one partition: counts per (group, term) of every script; each group's first row
    and articles; each original spelling's count and first place (for ``display``)."""
    frame, offset = _group_text(part, by), index << ORDER_BITS
    queries = [_term_tokens(frame, phrases, fold, "group").group_by("group", "term")
               .agg(count=pl.len().cast(pl.Int64)),
               frame.with_row_index("row").group_by("group")
               .agg(first=pl.col("row").min().cast(pl.Int64) + offset, rows=pl.len().cast(pl.Int64))]
    if display:
        queries.append(frame.select(surface=pl.col("text").str.extract_all(SURFACE_PATTERN))
                       .explode("surface").drop_nulls().with_row_index("order").group_by("surface")
                       .agg(n=pl.len().cast(pl.Int64), first=pl.col("order").min().cast(pl.Int64) + offset))
    return dict(zip(FIRST_PASS, pl.collect_all(queries)))


def _second_pass(part: pd.DataFrame, mapping, kept: pl.DataFrame, sizes: pl.DataFrame, by: str,
                 phrases, fold: dict) -> dict:
    """Pass 2 on one partition, given the corpus-wide ``kept`` (group, term, total) and ``sizes``
    (group, group_size): per (group, term) count, doc_freq and the DP sums over the articles
    using the term (|c/C - s/S| and s/S); per group, articles with tokens and the smallest one."""
    per_doc = (_term_tokens(_group_text(part, by).with_row_index("doc"), phrases, fold, "doc", "group")
               .group_by("doc", "group", "term").agg(count=pl.len().cast(pl.Int64)))
    if mapping is not None:        # clitic forms merged into their base
        per_doc = (per_doc.join(mapping.lazy(), on="term", how="left")
                   .group_by("doc", "group", term=pl.coalesce("base", "term")).agg(pl.col("count").sum()))
    per_doc = (per_doc.join(kept.lazy(), on=["group", "term"])         # the kept scripts only
               .with_columns(size=pl.col("count").sum().over("doc")))
    terms_ = (per_doc.join(sizes.lazy(), on="group").with_columns(share=pl.col("size") / pl.col("group_size"))
              .group_by("group", "term")
              .agg(pl.col("count").sum(), doc_freq=pl.len().cast(pl.Int64),
                   gap=(pl.col("count") / pl.col("total") - pl.col("share")).abs().sum(),
                   share=pl.col("share").sum()))
    groups = (per_doc.group_by("doc").agg(pl.col("group").first(), pl.col("size").first())
              .group_by("group").agg(articles=pl.len().cast(pl.Int64), smallest=pl.col("size").min()))
    return dict(zip(SECOND_PASS, pl.collect_all([terms_, groups])))


def _clitic_merges(counts: pl.DataFrame) -> tuple[pl.DataFrame, pd.DataFrame]:
    """``text.clitic_map`` of the corpus vocabulary: (``term, base`` table, the merges table of
    ``stats.grouped_terms``: term, clitic, base, count)."""
    vocabulary = dict(counts.group_by("term").agg(pl.col("count").sum()).filter(pl.col("count") > 0).iter_rows())
    pairs = clitic_map(vocabulary)
    merges = (pd.DataFrame([(t, c, b, vocabulary[t]) for t, (c, b) in pairs.items()],
                           columns=["term", "clitic", "base", "count"])
              .sort_values(["count", "term"], ascending=[False, True], ignore_index=True))
    mapping = pl.DataFrame({"term": list(pairs), "base": [b for _, b in pairs.values()]},
                           schema={"term": pl.String, "base": pl.String})
    return mapping, merges


def grouped_terms_dask(source, by: str = "outlet", *, scripts=DEFAULT_SCRIPTS, compounds: bool = True,
                       phrases=(), split_clitics: bool = False, fold_ya: bool = False,
                       fold_ta_marbuta: bool = False, display: bool = True,
                       split_every: int = SPLIT_EVERY) -> pd.DataFrame:
    """``stats.grouped_terms`` of a Dask corpus: ``<by>, term, count, doc_freq, dp, dp_norm[,
    display]`` with the same attrs, so ``term_frequencies`` and ``keyness`` finish it as locally.

    Two passes over the partitions, each reduced ``split_every`` at a time. Pass 1: counts per
    (group, term), each group's first row, and the original spellings (count, first place as
    partition index and place in it, so ties resolve to the spelling seen first in corpus
    order); the clitic merges (``split_clitics``) and the kept scripts are then decided on the
    reduced vocabulary. Pass 2, given the corpus-wide counts C per (group, term) and kept tokens
    S per group: doc_freq and Gries' DP sums over the articles using each term (|c/C - s/S|,
    s/S), finished by ``measures.dp_from_parts``. Integers are identical to the local table;
    ``dp``/``dp_norm`` are sums of floats in another order, equal to 1e-12 (relative, or absolute
    near 0). Ids are not checked for uniqueness across partitions (that needs a shuffle).
    """
    split_every = _check_options(source, by, split_every)
    scripts = check_scripts(scripts)
    phrase_list = compound_list(compounds, phrases)
    display, split_clitics = check_bool(display, "display"), check_bool(split_clitics, "split_clitics")
    fold = dict(fold_ya=check_bool(fold_ya, "fold_ya"), fold_ta_marbuta=check_bool(fold_ta_marbuta, "fold_ta_marbuta"))
    ddf = source[list(dict.fromkeys([by, "text"]))]
    first = _tree(ddf, lambda i, part: _first_pass(i, part, by, phrase_list, fold, display),
                  lambda parts: _sum_tables(parts, FIRST_PASS), split_every, indexed=True)
    if first["groups"]["rows"].sum() == 0:
        raise ValueError("corpus is empty (0 articles): the selection that made it matched nothing")
    counts, mapping, merges = first["counts"], None, None
    if split_clitics:
        mapping, merges = _clitic_merges(counts)
        counts = (counts.join(mapping, on="term", how="left")
                  .group_by("group", term=pl.coalesce("base", "term")).agg(pl.col("count").sum()))
    vocab = (counts.group_by("term").agg(total=pl.col("count").sum())
             .with_columns(script=script_expr(pl.col("term"))))
    kept = counts.join(vocab.filter(pl.col("script").is_in(scripts)).select("term"), on="term").rename({"count": "total"})
    sizes = kept.group_by("group").agg(group_size=pl.col("total").sum())
    second = _tree(ddf, lambda part, *shared: _second_pass(part, *shared, by, phrase_list, fold),
                   lambda parts: _sum_tables(parts, SECOND_PASS), split_every, mapping, kept, sizes)
    groups = (first["groups"].sort("first").join(second["groups"], on="group", how="left", maintain_order="left")
              .join(sizes, on="group", how="left", maintain_order="left").fill_null(0))
    table = second["terms"].sort("group", "term").join(groups, on="group", how="left", maintain_order="left")
    dp, dp_norm = dp_from_parts(table["gap"].to_numpy(), table["share"].to_numpy(),
                                (table["smallest"] / table["group_size"]).to_numpy())
    df = pd.DataFrame({by: np.asarray(table["group"].to_list(), dtype=object), "term": table["term"].to_numpy(),
                       "count": table["count"].to_numpy().astype(np.int64),
                       "doc_freq": table["doc_freq"].to_numpy().astype(np.int64), "dp": dp, "dp_norm": dp_norm})
    if display:
        df["display"] = display_column(df["term"], display_table(first["surfaces"], **fold))
    excluded = dict(vocab.filter(~pl.col("script").is_in(scripts)).group_by("script").agg(pl.col("total").sum()).iter_rows())
    joined = vocab.filter(pl.col("term").str.contains("_", literal=True)).select(
        tokens=pl.col("total").sum(),
        words=(pl.col("total") * (pl.col("term").str.count_matches("_", literal=True) + 1)).sum())
    rows = list(groups.select("group", "group_size", "articles").iter_rows())
    df.attrs.update(groups=sorted(g for g, _, _ in rows), scripts=list(scripts),
                    excluded_tokens={k: int(v) for k, v in sorted(excluded.items())},
                    totals={g: int(n) for g, n, a in rows if a}, articles={g: int(a) for g, _, a in rows if a},
                    compounds=len(phrase_list),
                    compound_tokens={k: int(v or 0) for k, v in joined.row(0, named=True).items()})
    if merges is not None:
        df.attrs["clitic_merges"] = merges
    return df


# --- term trends ------------------------------------------------------------------------------
def _trend_partial(part: pd.DataFrame, terms, by: str, period: str, clitics: bool) -> dict:
    """``term_trends`` of one partition, kept as sums: undated articles, articles and tokens per
    (group, period), count and articles per (group, period, term) where found."""
    dates = article_dates(part)
    if not dates.notna().any():
        return {"undated": len(part), "totals": None, "hits": None}
    table = term_trends(part.assign(date=dates), terms, by, period, clitics=clitics)
    totals, hits = table.attrs["totals"], table.loc[table["count"] > 0, [by, "period", "term", "count", "articles"]]
    totals.attrs, hits.attrs = {}, {}     # (concat compares attrs)
    return {"undated": table.attrs["undated_articles"], "totals": totals, "hits": hits}


def _sum_trends(parts: list[dict], by: str) -> dict:
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    sums = {"undated": sum(p["undated"] for p in parts)}
    for name, keys, values in (("totals", [by, "period"], ["n_articles", "n_tokens"]),
                               ("hits", [by, "period", "term"], ["count", "articles"])):
        found = [p[name] for p in parts if p[name] is not None]
        sums[name] = pd.concat(found).groupby(keys, as_index=False)[values].sum() if found else None
    return sums


def _finish_trends(found: dict, labels: list[str], by: str, period: str) -> pd.DataFrame:
    """The ``term_trends`` table from the reduced sums, finished by ``trends.trend_table`` as the
    local path finishes it (keys are the term labels here)."""
    totals = found["totals"].sort_values([by, "period"], ignore_index=True).rename(columns={by: "group"})
    per_key = found["hits"].rename(columns={by: "group", "term": "key"})
    keys = pd.DataFrame({"key": labels, "term": labels})
    return trend_table(totals, per_key, keys, by, period, undated=found["undated"])


def term_trends_dask(ddf, terms, by: str = "outlet", period: str = "month", *, clitics: bool = True,
                     split_every: int = SPLIT_EVERY) -> pd.DataFrame:
    """``trends.term_trends`` of a Dask corpus: the same table and attrs.

    Each partition runs the local ``term_trends``; its integer sums (articles and tokens per
    group and period, count and articles per group, period and term, undated articles) are
    added up and the rates and the full period grid are computed on the reduced sums.
    """
    check_str(by, "by")
    _check_dask_corpus(ddf, ("id", "text", "date", by))
    split_every = check_int(split_every, "split_every", minimum=2)
    clitics = check_bool(clitics, "clitics")
    probe = pd.DataFrame({"id": ["probe"], "text": [""], "date": [pd.Timestamp("2000-01-03")], by: ["probe"]})
    labels = term_trends(probe, terms, by, period, clitics=clitics)["term"].tolist()  # checks, term order
    found = _tree(ddf[list(dict.fromkeys(["id", "text", "date", by]))],
                  lambda part: _trend_partial(part, terms, by, period, clitics),
                  lambda parts: _sum_trends(parts, by), split_every)
    if found["totals"] is None:
        raise ValueError("corpus is empty (0 articles): the selection that made it matched nothing"
                         if found["undated"] == 0 else
                         "no article has a date (every `date` is missing or unparseable): a trend "
                         "needs dates; see load_log(corpus) for the dates that could not be read")
    return _finish_trends(found, labels, by, period)
