"""Coverage over time: how often, and in how many articles, each outlet mentions a term or entity.

The table follows Media Cloud's "attention over time": ``share`` = articles of the group and
period that mention the term / all articles of that group and period, beside the raw ``count``
and ``per_1k`` (mentions per 1,000 tokens). Every period from the first to the last dated article
is present for every group: a period in which a group published nothing has ``articles = 0`` and
NaN ``share``/``per_1k``, so a chart shows a gap there, not a fall to zero. Articles without a
date (NaT) are left out and counted in ``.attrs["undated_articles"]``.

Terms are matched like the other counts (normalised tokens, ``arabnews.stats.counting_expr``),
and clitic-aware by default: وبوتين, لبوتين and بالكرملين count for بوتين and الكرملين (an
article writing وبوتين mentions Putin). The proclitics are ``data/proclitics.txt``'s; the price is
that a short term can match a longer word that merely starts with a clitic letter (مال in كمال):
pass ``clitics=False`` for exact tokens. A multiword term (كيم جونغ أون) is joined into one token
for this count only (``arabnews.compounds``), so it is counted as a phrase; a single-word term is
found inside a longer name too (بوتين in فلاديمير بوتين), because only the terms asked for are
joined. Where two terms overlap (كيم and كيم جونغ أون) the longer phrase takes the words.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import polars as pl

from arabnews import cache, checks
from arabnews.stats import counting_expr
from arabnews.text import PROCLITICS, TOKEN_PATTERN, terms as text_terms

__all__ = ["term_trends", "entity_trends"]

PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}   # weeks start on Monday
ARTICLE_PROCLITICS = ("لل", "ولل", "فلل")   # ل + ال: للكرملين is ل + الكرملين


def article_dates(corpus: pd.DataFrame) -> pd.Series:
    """The ``date`` column as naive datetime64 (NaT where unknown or unparseable)."""
    dates = corpus["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates.astype("string"), errors="coerce", format="mixed", utc=True)
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates


def _articles(corpus: pd.DataFrame, by: str, period: str, name: str = "corpus") -> pd.DataFrame:
    """One row per article: ``id, group, period`` (period start; NaT where undated)."""
    checks.check_corpus(corpus, ("id", "text", "date"), name)
    checks.check_column(corpus, by)
    checks.check_choice(period, PERIODS, "period")
    if corpus.empty:
        raise ValueError(f"{name} is empty (0 articles): the selection that made it matched nothing")
    dates = article_dates(corpus)
    start = dates.dt.to_period(PERIODS[period]).dt.start_time
    return pd.DataFrame({"id": corpus["id"].to_numpy(), "group": corpus[by].astype(str).to_numpy(),
                         "period": start.to_numpy()})


def _trend_table(articles: pd.DataFrame, n_tokens: np.ndarray, hits: pd.DataFrame,
                 keys: pd.DataFrame, by: str, period: str) -> pd.DataFrame:
    """The tidy trend table from per-article hits (``id, key, count``).

    ``keys`` lists the keys (column ``key``) with the label columns shown for each.
    """
    articles = articles.assign(n_tokens=n_tokens)
    dated = articles[articles["period"].notna()]
    if dated.empty:
        raise ValueError("no article has a date (every `date` is missing or unparseable): a trend "
                         "needs dates; see load_log(corpus) for the dates that could not be read")
    totals = (dated.groupby(["group", "period"])
              .agg(n_articles=("id", "size"), n_tokens=("n_tokens", "sum")).reset_index())
    found = hits[hits["count"] > 0].merge(dated[["id", "group", "period"]], on="id")
    per_key = (found.groupby(["group", "period", "key"])
               .agg(count=("count", "sum"), articles=("id", "nunique")).reset_index())
    return trend_table(totals, per_key, keys, by, period, undated=int(len(articles) - len(dated)))


def trend_table(totals: pd.DataFrame, per_key: pd.DataFrame, keys: pd.DataFrame, by: str,
                period: str, *, undated: int) -> pd.DataFrame:
    """The trend table from sums: ``totals`` (``group, period, n_articles, n_tokens`` of the dated
    articles) and ``per_key`` (``group, period, key, count, articles``); every group x period x
    key of the span, NaN rates where a group published nothing. Shared with the Dask path."""
    periods = pd.period_range(totals["period"].min(), totals["period"].max(),
                              freq=PERIODS[period]).start_time
    grid = pd.MultiIndex.from_product([sorted(totals["group"].unique()), periods, keys["key"]],
                                      names=["group", "period", "key"]).to_frame(index=False)
    out = (grid.merge(totals, on=["group", "period"], how="left")
           .merge(per_key, on=["group", "period", "key"], how="left"))
    out[["n_articles", "n_tokens", "count", "articles"]] = (
        out[["n_articles", "n_tokens", "count", "articles"]].fillna(0).astype("int64"))
    published = out["n_articles"] > 0
    out["per_1k"] = np.where(published & (out["n_tokens"] > 0),
                             out["count"] / out["n_tokens"].where(out["n_tokens"] > 0) * 1000, np.nan)
    out["share"] = np.where(published, out["articles"] / out["n_articles"].where(published), np.nan)
    labels = [c for c in keys.columns if c != "key"]
    out = out.merge(keys, on="key").rename(columns={"group": by})
    order = dict(zip(keys["key"], range(len(keys))))
    out = (out.assign(_order=out["key"].map(order))
           .sort_values([by, "_order", "period"], ignore_index=True))
    result = out[[by, "period", *labels, "count", "per_1k", "articles", "share"]].copy()
    result.attrs["undated_articles"] = undated
    result.attrs["totals"] = totals.rename(columns={"group": by})
    result.attrs["period"] = period
    return result


# --- terms -------------------------------------------------------------------------------------
def _term_keys(terms, clitics: bool) -> tuple[pd.DataFrame, dict[str, str], tuple[str, ...]]:
    """(``key, term`` table, token variant -> key, phrases to join) for the user's terms."""
    given = (terms,) if isinstance(terms, str) else checks.check_words(terms, "terms")
    if not given:
        raise ValueError("terms is empty: give a word, a phrase, or a list of them")
    rows, variants, phrases = [], {}, []
    for term in given:
        words = text_terms(term)
        if not words:
            raise ValueError(f"terms: {term!r} contains no word to count")
        key = "_".join(words)
        rows.append((key, term))
        heads = {""} | (set(PROCLITICS) if clitics else set())
        forms = {h + key for h in heads}
        if clitics and key.startswith("ال"):
            forms |= {h + key[2:] for h in ARTICLE_PROCLITICS}
        for form in forms:
            variants.setdefault(form, key)
        if len(words) > 1:      # join_compounds keeps a leading clitic on the joined token
            phrases.append(" ".join(words))
    keys = pd.DataFrame(rows, columns=["key", "term"]).drop_duplicates("key")
    return keys, variants, tuple(phrases)


def term_trends(corpus: pd.DataFrame, terms: str | Iterable[str], by: str = "outlet",
                period: str = "month", *, clitics: bool = True) -> pd.DataFrame:
    """Mentions of ``terms`` over time: ``<by>, period, term, count, per_1k, articles, share``.

    ``period`` is "day", "week" (from Monday), "month" or "year"; the ``period`` column is the
    period start (pandas Timestamp). ``count`` = occurrences, ``per_1k`` per 1,000 tokens of the
    group and period (word tokens, whatever terms are asked for), ``articles`` = articles of the
    group and period mentioning the term,
    ``share`` = articles / all articles of that group and period. Matching: see the module doc.
    ``.attrs``: ``undated_articles``, ``totals`` (articles and tokens per group and period).
    A dask DataFrame is counted per partition (``arabnews.cluster.term_trends_dask``), same table.
    """
    if type(corpus).__module__.startswith("dask"):
        from arabnews.cluster import term_trends_dask
        return term_trends_dask(corpus, terms, by, period, clitics=clitics)
    articles = _articles(corpus, by, period)
    keys, variants, phrases = _term_keys(terms, checks.check_bool(clitics, "clitics"))
    if phrases:
        from arabnews.compounds import compound_phrases
        phrases = tuple(compound_phrases(extra=phrases, gazetteer=False))
    tokens = counting_expr(phrases=phrases).str.extract_all(TOKEN_PATTERN)
    frame = pl.DataFrame({"doc": np.arange(len(corpus), dtype=np.int64),
                          "text": pl.from_pandas(corpus["text"].fillna("").astype(str))}).lazy()
    per_doc = frame.select("doc", tokens=tokens)
    n_tokens, hits = pl.collect_all([
        frame.select(n_tokens=counting_expr().str.count_matches(TOKEN_PATTERN)),
        per_doc.select("doc", key=pl.col("tokens").list.eval(
            pl.element().filter(pl.element().is_in(list(variants)))))
        .explode("key").drop_nulls("key")
        .with_columns(pl.col("key").replace_strict(variants, return_dtype=pl.String))
        .group_by("doc", "key").agg(count=pl.len())])
    hits = hits.to_pandas()
    hits["id"] = articles["id"].to_numpy()[hits["doc"].to_numpy()] if len(hits) else []
    return _trend_table(articles, n_tokens["n_tokens"].to_numpy(), hits[["id", "key", "count"]],
                        keys, by, period)


# --- entities ----------------------------------------------------------------------------------
def entity_trends(corpus: pd.DataFrame, by: str = "outlet", period: str = "month",
                  entities: Iterable[str] | None = None, **options) -> pd.DataFrame:
    """Gazetteer entities over time: ``<by>, period, entity, entity_en, count, per_1k, articles,
    share`` (the columns of ``term_trends``; ``per_1k`` per 1,000 tokens).

    ``entities`` (Arabic or English names) keeps only those; default: every entity found.
    ``options`` go to the entity counter (``short_forms=``, ``gazetteer=`` ...).
    """
    from arabnews.entities import entity_article_counts   # late: entities is a large package
    frame = cache.without_attrs(corpus)   # columns read without deep copies of the attrs
    articles = _articles(frame, by, period)
    counts = entity_article_counts(corpus, **options)   # the corpus itself: its cache key
    wanted = checks.check_words(entities, "entities")
    if wanted:
        chosen = counts["entity"].isin(wanted) | counts["entity_en"].isin(wanted)
        counts = counts[chosen]
    keys = (counts[["entity", "entity_en"]].drop_duplicates("entity").sort_values("entity_en")
            .assign(key=lambda k: k["entity"]))
    missing = sorted(set(wanted) - set(keys["entity"]) - set(keys["entity_en"]))
    if missing and wanted:
        keys = pd.concat([keys, pd.DataFrame({"entity": missing, "entity_en": missing, "key": missing})])
    hits = counts.rename(columns={"entity": "key"})[["id", "key", "count"]]
    n_tokens = (pl.DataFrame({"text": pl.from_pandas(frame["text"].fillna("").astype(str))})
                .select(counting_expr().str.count_matches(TOKEN_PATTERN)).to_series().to_numpy())
    out = _trend_table(articles, n_tokens, hits, keys[["key", "entity", "entity_en"]], by, period)
    out.attrs["missing_entities"] = missing
    return out
