"""Dask: the project's count tables on a corpus too big for one machine.

A Dask DataFrame is a corpus split into partitions (one pandas frame each, e.g. one Parquet
shard). Everything here follows one shape: each partition is cleaned and counted by the
project's own functions (``cleaning.clean_corpus``, ``stats.count_terms``, ``stats.count_tokens``,
``entities.entity_article_counts``), the partial integer counts are summed by a tree
reduction, and only the small reduced table comes back; rates and sorting are then computed on
that table as the local functions do. The tables are therefore identical to the local ones
however the corpus is split, and a worker holds one partition and one partial table at a time.
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

from arabnews import cleaning
from arabnews.checks import check_bool, check_columns, check_int, check_str
from arabnews.furniture import MIN_ARTICLES, OUTLET_TOTAL
from arabnews.stats import count_terms, count_tokens

__all__ = ["load_corpus_dask", "count_terms_dask", "count_tokens_dask", "entity_frequencies_dask",
           "corpus_counts_dask", "corpus_furniture_dask", "is_dask_frame"]

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


def _tree(ddf, per_partition, combine, split_every: int):
    """``per_partition`` on every partition of ``ddf``, results combined ``split_every`` at a time.

    ``dask.bag``'s reduction builds the tree; partial results travel between workers, the
    partitions themselves never do. ``combine`` takes a list of partial results.
    """
    dask, db, _ = _dask()
    partials = db.from_delayed([dask.delayed(lambda part: [per_partition(part)])(p) for p in ddf.to_delayed()])
    return partials.reduction(combine, combine, split_every=split_every).compute()


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
