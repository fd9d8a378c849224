"""Dask: the project's count tables on a corpus too big for one machine.

A Dask DataFrame is a corpus split into partitions (one pandas frame each, e.g. one Parquet
shard). Everything here follows one shape: each partition is cleaned and counted by the
project's own functions (``arabnews.cleaning``, ``arabnews.stats.count_terms``,
``count_tokens``, ``arabnews.entities.entity_frequencies``), the partial integer counts are
summed by a tree reduction, and only the small reduced table comes back. The tables are
therefore identical to the local ones however the corpus is split, and a worker holds one
partition and one partial count table at a time.

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
from arabnews.checks import check_bool, check_int, check_str
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
    missing = [c for c in needed if c not in ddf.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(ddf.columns)}")
    return ddf


# --- loading and cleaning per partition --------------------------------------------------------
def _furniture_cleaning():
    """``(furniture_lines, combine_furniture, clean_corpus)`` where cleaning has the furniture
    rule (two passes: count furniture over the corpus, then clean); None where it has not."""
    clean_corpus = getattr(cleaning, "clean_corpus", None)
    try:
        from arabnews.furniture import combine_furniture, furniture_lines
    except ImportError:
        return None
    return None if clean_corpus is None else (furniture_lines, combine_furniture, clean_corpus)


def _with_raw_text(part: pd.DataFrame) -> pd.DataFrame:
    """The partition with ``raw_text`` (a copy of ``text`` where it has none)."""
    return part if "raw_text" in part.columns else part.assign(raw_text=part["text"])


def _clean_partition(part: pd.DataFrame, clean: bool) -> pd.DataFrame:
    """One partition as a corpus: ``raw_text`` (as read), ``text`` (cleaned) and ``n_removed_lines``.

    ``raw_text`` is taken from ``text`` where the partition has no ``raw_text``. Cleaning is
    ``clean_article`` article by article, as ``load_corpus`` does; ``n_removed_lines`` counts the
    removed lines (not fragments), as ``load_corpus`` does. ``clean=False`` keeps ``text``
    (or the stripped ``raw_text`` where there is no ``text``) and removes nothing.
    """
    part = _with_raw_text(part).copy()
    raw = part["raw_text"].fillna("").astype(str)
    if not clean:
        if "text" not in part.columns:
            part["text"] = raw.str.strip()
        if "n_removed_lines" not in part.columns:
            part["n_removed_lines"] = 0
        return part
    results = [cleaning.clean_article(t) for t in raw]
    part["text"] = pd.Series([text for text, _ in results], index=part.index, dtype=raw.dtype)
    part["n_removed_lines"] = pd.Series([int((audit["action"] != "fragment").sum()) for _, audit in results],
                                        index=part.index, dtype="int64")
    return part


def load_corpus_dask(source, *, clean: bool = True, columns: list[str] | None = None,
                     storage_options: dict | None = None, furniture: pd.DataFrame | None = None):
    """A lazy corpus: a Dask DataFrame with ``id``, ``outlet``, ``text``, ``raw_text``, ``n_removed_lines``.

    ``source`` is a Parquet path, glob or list of paths (local or any fsspec URL such as
    ``"s3://bucket/news/*.parquet"``; ``storage_options`` go to fsspec), or an existing
    ``dask.dataframe.DataFrame``. It needs ``id``, ``outlet`` and ``text`` or ``raw_text``; other
    columns are kept. Nothing is read until a table is computed: each partition is then cleaned
    by the project's cleaning rules (``clean=False``: taken as it is) and counted where it lies.
    Where cleaning has the cross-article furniture rule, its counts are summed over all
    partitions first (``corpus_furniture_dask``, one quick pass, computed here unless
    ``furniture`` gives that table) and every partition is cleaned against them.
    """
    clean = check_bool(clean, "clean")
    _, _, dd = _dask()
    if is_dask_frame(source):
        ddf = source
        name = "ddf"
    elif isinstance(source, (str, Path)) or (isinstance(source, (list, tuple)) and source
                                             and all(isinstance(s, (str, Path)) for s in source)):
        paths = [str(s) for s in source] if isinstance(source, (list, tuple)) else str(source)
        name = repr(paths)
        if isinstance(paths, str):
            check_str(paths, "source")
        try:
            ddf = dd.read_parquet(paths, columns=columns, storage_options=storage_options)
        except (FileNotFoundError, OSError, ValueError) as error:
            raise FileNotFoundError(f"load_corpus_dask: cannot read Parquet from {name}: {error}") from error
    else:
        raise TypeError("source must be a Parquet path/glob (or a list of them) or a "
                        f"dask.dataframe.DataFrame, got {type(source).__name__}")
    missing = [c for c in ("id", "outlet") if c not in ddf.columns]
    if not {"text", "raw_text"} & set(ddf.columns):
        missing.append("text (or raw_text)")
    if missing:
        raise ValueError(f"load_corpus_dask: {name} is missing column(s) {missing}; "
                         f"it has {list(ddf.columns)}")
    two_pass = _furniture_cleaning() if clean else None
    if two_pass is None:
        return ddf.map_partitions(_clean_partition, clean, meta=_clean_partition(ddf._meta, clean))
    if furniture is None:
        furniture = corpus_furniture_dask(ddf)
    clean_corpus = two_pass[2]
    frame = _with_raw_text(ddf._meta)
    return ddf.map_partitions(lambda part, table: clean_corpus(_with_raw_text(part), furniture=table),
                              furniture, meta=clean_corpus(frame, furniture=furniture.iloc[:0]))


def corpus_furniture_dask(ddf, *, split_every: int = SPLIT_EVERY) -> pd.DataFrame:
    """The cleaning room's furniture counts (``outlet, line, n_articles``) of a whole Dask corpus.

    Pass one of the two-pass cleaning: ``furniture_lines`` of every partition, summed by
    ``combine_furniture``; pass two cleans each partition against this whole-corpus table, so a
    split corpus cleans exactly as the whole one. The table holds short lines only (per outlet).
    """
    two_pass = _furniture_cleaning()
    if two_pass is None:
        raise RuntimeError("this version of arabnews.cleaning has no furniture rule (clean_corpus)")
    furniture_lines, combine_furniture, _ = two_pass
    _check_dask_corpus(ddf, ("id", "outlet"))
    split_every = check_int(split_every, "split_every", minimum=2)
    return _tree(ddf, lambda part: furniture_lines(_with_raw_text(part)),
                 lambda tables: combine_furniture(*tables), split_every)


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
        from arabnews.entities import entity_frequencies   # late: entities loads its gazetteer
        tables["entities"] = entity_frequencies(part, by, **entity_options).drop(columns="per_1k")
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

    Mentions are counted per partition by ``entity_frequencies`` (article by article, so partial
    counts add up) and summed; ``per_1k`` divides by the summed ``count_tokens``, in the same pass.
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
