"""Per-group term statistics: frequencies, keyness, keyword-in-context, dispersion.

Every function takes the corpus DataFrame (``id``, ``text`` and the grouping column, ``outlet`` by
default) and returns a tidy pandas frame, one row per group x term. Counting goes through one
batch counter, ``count_terms``, which runs the tokenizer's own patterns in polars, batch by batch
(memory stays flat however large the corpus: see benchmarks/); ``arabnews.text.tokenize`` gives
exactly the same tokens.

With one article per outlet, keyness scores describe that article, not the outlet: the output
carries the counts behind every score so a reader can see how little stands behind it.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd
import polars as pl

from arabnews.text import (CLITIC_SEPARATOR_PATTERN, SCRIPTS, TATWEEL, TOKEN_PATTERN, _check_corpus,
                           _check_scripts, clitic_map, counting_replacements, display_forms,
                           script_of, terms, tokens)

__all__ = ["term_frequencies", "keyness", "kwic", "dispersion", "count_terms", "count_tokens"]

# Critical values of G2 (chi-squared, 1 d.f.) for p < 0.05, 0.01, 0.001.
G2_CRITICAL = {0.05: 3.84, 0.01: 6.63, 0.001: 10.83}


# --- the counting core -----------------------------------------------------------------------------
PANDAS_BATCH_ROWS = 20_000  # articles per batch when counting a pandas corpus


def _as_lazy(source, by: str) -> pl.LazyFrame:
    """The ``by`` and ``text`` columns of a pandas/polars frame as a polars LazyFrame."""
    if isinstance(source, pd.DataFrame):
        _check_corpus(source, ("text", by))
        frame = source[[by, "text"]].copy()
        frame[by] = frame[by].astype(str)
        frame["text"] = frame["text"].fillna("").astype(str)
        return pl.from_pandas(frame).lazy()
    if isinstance(source, pl.DataFrame):
        source = source.lazy()
    if not isinstance(source, pl.LazyFrame):
        raise TypeError(f"expected a pandas/polars DataFrame or a LazyFrame, got {type(source).__name__}")
    missing = {by, "text"} - set(source.collect_schema().names())
    if missing:
        raise ValueError(f"corpus is missing column(s) {sorted(missing)}")
    return source.select(pl.col(by).cast(pl.String), pl.col("text").fill_null(""))


def _batches(source, by: str):
    """Yield the source in pieces: slices of a pandas corpus, or each frame of an iterable."""
    if isinstance(source, pd.DataFrame):
        _check_corpus(source, ("text", by))
        for start in range(0, max(len(source), 1), PANDAS_BATCH_ROWS):
            yield source.iloc[start:start + PANDAS_BATCH_ROWS]
    elif isinstance(source, (pl.DataFrame, pl.LazyFrame)):
        yield source
    elif isinstance(source, (str, bytes)) or not hasattr(source, "__iter__"):
        raise TypeError(f"expected a corpus frame or an iterable of frames, got {type(source).__name__}")
    else:
        yield from source


def _counting_text(table: dict[str, str]) -> pl.Expr:
    """The ``text`` column as counting text: normalised, clitic tatweels turned into spaces."""
    text = pl.col("text").str.replace_many(list(table), list(table.values()), leftmost=True)
    has_tatweel = text.str.contains(TATWEEL, literal=True)
    return (pl.when(has_tatweel)
            .then(text.str.replace_all(CLITIC_SEPARATOR_PATTERN, "${1} ${3}")
                  .str.replace_all(TATWEEL, "", literal=True))
            .otherwise(text))


def count_tokens(corpus: pd.DataFrame, by: str = "outlet") -> pd.Series:
    """Number of tokens (all scripts, as ``tokenize`` finds them) per group ``by``, in one pass.

    The totals of ``count_terms`` without counting each term: what per-1,000 rates divide by.
    """
    _check_corpus(corpus, ("text", by))
    codes, groups = pd.factorize(corpus[by])
    frame = pl.DataFrame({"group": codes, "text": pl.from_pandas(corpus["text"].fillna("").astype(str))})
    totals = (frame.lazy().select("group", _counting_text(counting_replacements())
                                  .str.count_matches(TOKEN_PATTERN).alias("n"))
              .group_by("group").agg(pl.col("n").sum()).collect())
    found = dict(totals.iter_rows())
    return pd.Series([int(found.get(i, 0)) for i in range(len(groups))], index=groups, name="tokens")


def _count_batch(batch, by: str, table: dict[str, str], term_map: dict[str, str] | None) -> pl.DataFrame:
    """``count_terms`` for one batch (one row per document), in polars' streaming engine."""
    text = _counting_text(table)
    doc_terms = pl.col("text").str.extract_all(TOKEN_PATTERN)
    if term_map:
        doc_terms = doc_terms.list.eval(pl.element().replace(term_map))
    lf = (_as_lazy(batch, by)
          .with_columns(text)
          .select(pl.col(by).cast(pl.Categorical), term=doc_terms)  # group codes: cheaper to repeat
          .with_columns(first=pl.col("term").list.eval(pl.element().is_first_distinct()))
          .explode("term", "first")
          .drop_nulls("term")
          .group_by(by, "term")
          .agg(count=pl.len(), doc_freq=pl.col("first").sum()))
    return (lf.collect(engine="streaming")
            .with_columns(pl.col(by).cast(pl.String), pl.col("count", "doc_freq").cast(pl.Int64)))


def count_terms(source, by: str = "outlet", *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                term_map: dict[str, str] | None = None) -> pl.DataFrame:
    """Token counts per group: polars frame ``<by>, term, count, doc_freq`` (one row per document).

    ``source`` is a pandas corpus (counted in slices of ``PANDAS_BATCH_ROWS`` articles), a polars
    DataFrame/LazyFrame, or any iterable of such frames (batches read from disk), each with
    columns ``<by>`` and ``text``; only the running per-group totals are kept between batches.
    The tokens are exactly ``arabnews.text.tokenize``'s. ``term_map`` renames terms before
    counting (used by the opt-in clitic split).
    """
    table = counting_replacements(fold_ya, fold_ta_marbuta)
    total = None
    for batch in _batches(source, by):
        part = _count_batch(batch, by, table, term_map)
        if total is not None:
            part = (pl.concat([total, part]).group_by(by, "term")
                    .agg(pl.col("count").sum(), pl.col("doc_freq").sum()))
        total = part
    if total is None:
        return pl.DataFrame(schema={by: pl.String, "term": pl.String, "count": pl.Int64, "doc_freq": pl.Int64})
    return total


def _counts_frame(corpus: pd.DataFrame, by: str, scripts: tuple[str, ...], split_clitics: bool,
                  fold_ya: bool, fold_ta_marbuta: bool) -> pd.DataFrame:
    """``count_terms`` as pandas with a ``script`` column, restricted to ``scripts``.

    Tokens of other scripts are reported in ``.attrs["excluded_tokens"]``.
    """
    _check_corpus(corpus, ("id", "text", by))
    opts = dict(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta)
    counts = count_terms(corpus, by, **opts)
    merges = None
    if split_clitics:
        vocabulary = dict(counts.group_by("term").agg(pl.col("count").sum()).iter_rows())
        mapping = clitic_map(vocabulary)
        counts = count_terms(corpus, by, term_map={t: b for t, (_, b) in mapping.items()}, **opts)
        merges = (pd.DataFrame([(t, c, b, vocabulary[t]) for t, (c, b) in mapping.items()],
                               columns=["term", "clitic", "base", "count"])
                  .sort_values(["count", "term"], ascending=[False, True], ignore_index=True))
    df = counts.to_pandas()
    df["script"] = [script_of(t) for t in df["term"]]
    keep = df["script"].isin(scripts)
    excluded = df.loc[~keep].groupby("script")["count"].sum().to_dict()
    df = df[keep].reset_index(drop=True)
    df.attrs["excluded_tokens"] = {k: int(v) for k, v in excluded.items()}
    if merges is not None:
        df.attrs["clitic_merges"] = merges
    return df


def _display_column(terms_: pd.Series, corpus: pd.DataFrame, fold_ya: bool = False,
                    fold_ta_marbuta: bool = False) -> pd.Series:
    """Most frequent original spelling of each normalised term (أمام for امام), for charts and tables."""
    forms = display_forms(tokens(corpus, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta))
    return terms_.map(dict(zip(forms["term"], forms["display"]))).fillna(terms_)


# --- term frequencies --------------------------------------------------------------------------
def term_frequencies(corpus: pd.DataFrame, by: str = "outlet", *, stopwords: Iterable[str] = (),
                     scripts: Iterable[str] = SCRIPTS, min_count: int = 1, split_clitics: bool = False,
                     display: bool = True, fold_ya: bool = False,
                     fold_ta_marbuta: bool = False) -> pd.DataFrame:
    """Per-group term table: ``<by>, term, count, per_1k, doc_freq, tfidf, display``.

    ``per_1k`` is per 1,000 tokens of the group (all tokens of the chosen scripts, stopwords
    included, so removing stopwords does not inflate the rest); ``doc_freq`` is the number of
    articles of the group using the term; ``tfidf`` = per_1k x ln(groups / groups using the term).
    Rows removed by ``stopwords``/``min_count`` are counted in ``.attrs["removed"]``.
    """
    scripts = _check_scripts(scripts)
    df = _counts_frame(corpus, by, scripts, split_clitics, fold_ya, fold_ta_marbuta)
    totals = df.groupby(by)["count"].sum()
    n_groups = df[by].nunique()
    groups_with_term = df.groupby("term")[by].nunique()
    df["per_1k"] = df["count"] / df[by].map(totals) * 1000
    df["tfidf"] = df["per_1k"] * np.log(n_groups / df["term"].map(groups_with_term))
    stop = frozenset(stopwords)
    is_stop = df["term"].isin(stop)
    too_rare = df["count"] < min_count
    removed = {"stopword_rows": int(is_stop.sum()), "stopword_tokens": int(df.loc[is_stop, "count"].sum()),
               "below_min_count_rows": int((too_rare & ~is_stop).sum())}
    out = df[~is_stop & ~too_rare]
    columns = [by, "term", "count", "per_1k", "doc_freq", "tfidf"]
    out = out[columns].sort_values([by, "count", "term"], ascending=[True, False, True], ignore_index=True)
    if display:
        out["display"] = _display_column(out["term"], corpus, fold_ya, fold_ta_marbuta)
    out.attrs.update(df.attrs)
    out.attrs["removed"] = removed
    out.attrs["totals"] = {str(k): int(v) for k, v in totals.items()}
    return out


# --- keyness -----------------------------------------------------------------------------------
def _xlogx_over_e(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """O ln(O/E), with 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's G2 for the 2x2 table [[a, b], [c, d]] (full form: 2 sum O ln(O/E) over 4 cells).

    a = term in target, b = term in reference, c = other tokens in target, d = other in reference.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    row1, row2, col1, col2 = a + b, c + d, a + c, b + d
    cells = ((a, row1 * col1), (b, row1 * col2), (c, row2 * col1), (d, row2 * col2))
    return 2 * sum(_xlogx_over_e(o, e / n) for o, e in cells)


def chi2_sf_1df(x) -> np.ndarray:
    """Upper tail p-value of a chi-squared statistic with 1 degree of freedom: erfc(sqrt(x/2))."""
    return np.array([math.erfc(math.sqrt(max(v, 0.0) / 2)) for v in np.atleast_1d(x)], dtype=float)


def log_ratio(a, b, total_a, total_b) -> np.ndarray:
    """Hardie's (2014) Log Ratio: log2 of the ratio of relative frequencies; a zero count -> 0.5."""
    a = np.where(np.asarray(a) == 0, 0.5, a).astype(float)
    b = np.where(np.asarray(b) == 0, 0.5, b).astype(float)
    return np.log2((a / total_a) / (b / total_b))


def log_odds_z(a, b, total_a, total_b, alpha, alpha0) -> np.ndarray:
    """Log-odds ratio with an informative Dirichlet prior, as a z-score (Monroe et al. 2008, eq. 16-22).

    ``alpha`` is the prior count of each term, ``alpha0`` their sum over the whole vocabulary.
    """
    a, b, alpha = (np.asarray(x, dtype=float) for x in (a, b, alpha))
    delta = (np.log((a + alpha) / (total_a + alpha0 - a - alpha))
             - np.log((b + alpha) / (total_b + alpha0 - b - alpha)))
    variance = 1 / (a + alpha) + 1 / (b + alpha)
    return delta / np.sqrt(variance)


MEASURES = ("log_ratio", "g2", "log_odds_z")


def keyness(corpus: pd.DataFrame, target: str, reference: str | Iterable[str] | None = None,
            by: str = "outlet", *, measure: str = "log_ratio", stopwords: Iterable[str] = (),
            scripts: Iterable[str] = SCRIPTS, min_count: int = 1, prior_scale: float = 1.0,
            split_clitics: bool = False, display: bool = True) -> pd.DataFrame:
    """Terms over/under-used by ``target`` against ``reference`` (default: all other groups).

    Columns: term, target, count_target, count_reference, total_target, total_reference, g2
    (signed: + = more frequent in target; critical values 3.84 / 6.63 / 10.83 for p < .05 /
    .01 / .001), p_value, log_ratio (effect size, binary log), log_odds_z (Monroe et al. 2008,
    prior = ``prior_scale`` x pooled counts), display (most frequent original spelling). Sorted by
    ``measure``, highest first. Terms below
    ``min_count`` (target + reference) are dropped and counted in ``.attrs["removed"]``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    scripts = _check_scripts(scripts)
    df = _counts_frame(corpus, by, scripts, split_clitics, False, False)
    groups = set(df[by]) | set(corpus[by].astype(str))
    target = str(target)
    if target not in groups:
        raise ValueError(f"target {target!r} is not a value of {by!r}: {sorted(groups)}")
    if reference is None:
        reference_groups = groups - {target}
    else:
        reference_groups = {str(reference)} if isinstance(reference, str) else {str(r) for r in reference}
        unknown = reference_groups - groups
        if unknown or target in reference_groups:
            raise ValueError(f"bad reference {sorted(reference_groups)} for target {target!r} "
                             f"(groups: {sorted(groups)})")
    if not reference_groups:
        raise ValueError(f"no reference: {by!r} has only the group {target!r}")
    side = np.where(df[by] == target, "count_target",
                    np.where(df[by].isin(reference_groups), "count_reference", ""))
    wide = (df[side != ""].assign(side=side[side != ""])
            .pivot_table(index="term", columns="side", values="count", aggfunc="sum", fill_value=0)
            .reindex(columns=["count_target", "count_reference"], fill_value=0)
            .reset_index())
    wide.columns.name = None
    total_t, total_r = int(wide["count_target"].sum()), int(wide["count_reference"].sum())
    a, b = wide["count_target"].to_numpy(), wide["count_reference"].to_numpy()
    g2 = log_likelihood(a, b, total_t - a, total_r - b)
    over = a / total_t > b / total_r
    pooled = (a + b) * prior_scale
    out = pd.DataFrame({
        "term": wide["term"], "target": target, "count_target": a, "count_reference": b,
        "total_target": total_t, "total_reference": total_r,
        "g2": np.where(over, g2, -g2), "p_value": chi2_sf_1df(g2),
        "log_ratio": log_ratio(a, b, total_t, total_r),
        "log_odds_z": log_odds_z(a, b, total_t, total_r, pooled, pooled.sum()),
    })
    stop = frozenset(stopwords)
    is_stop, too_rare = out["term"].isin(stop), (out["count_target"] + out["count_reference"]) < min_count
    removed = {"stopword_rows": int(is_stop.sum()), "below_min_count_rows": int((too_rare & ~is_stop).sum())}
    out = out[~is_stop & ~too_rare].sort_values([measure, "term"], ascending=[False, True], ignore_index=True)
    if display:
        out["display"] = _display_column(out["term"], corpus)
    out.attrs.update(df.attrs)
    out.attrs["removed"] = removed
    out.attrs["reference_groups"] = sorted(reference_groups)
    return out


# --- keyword in context and dispersion -----------------------------------------------------------
def _query_terms(term: str) -> list[str]:
    """Normalised token sequence of a query word or phrase; a clear error when it has none."""
    if not isinstance(term, str):
        raise TypeError(f"term must be a str, got {type(term).__name__}")
    query = terms(term)
    if not query:
        raise ValueError(f"{term!r} contains no word to search for")
    return query


def _matches(tok: pd.DataFrame, query: list[str]):
    """(article id, outlet, token rows) of every occurrence of the token sequence ``query``."""
    n = len(query)
    for (doc_id, outlet), group in tok.groupby(["id", "outlet"], sort=False):
        words = group["token"].tolist()
        for i in range(len(words) - n + 1):
            if words[i:i + n] == query:
                yield doc_id, outlet, group, i


def kwic(corpus: pd.DataFrame, term: str, window: int = 5) -> pd.DataFrame:
    """Keyword in context: ``id, outlet, left, match, right, start, end``, one row per occurrence.

    ``term`` may be a word or a phrase, matched on normalised tokens (أوكرانيا finds اوكرانيا);
    ``match``, ``left`` and ``right`` are the original text (logical order; line breaks shown as
    spaces), ``window`` tokens each side. In right-to-left display ``left`` appears on the right.
    """
    _check_corpus(corpus)
    if window < 0:
        raise ValueError(f"window must be >= 0, got {window}")
    query = _query_terms(term)
    frame = corpus if "outlet" in corpus.columns else corpus.assign(outlet="")
    texts = dict(zip(frame["id"], frame["text"]))
    rows = []
    for doc_id, outlet, group, i in _matches(tokens(frame), query):
        starts, ends = group["start"].tolist(), group["end"].tolist()
        text, j = texts[doc_id], i + len(query) - 1
        start, end = starts[i], ends[j]
        left_start = starts[max(i - window, 0)] if window else start
        right_end = ends[min(j + window, len(ends) - 1)] if window else end
        rows.append((doc_id, outlet, _one_line(text[left_start:start]), text[start:end],
                     _one_line(text[end:right_end]), start, end))
    return pd.DataFrame(rows, columns=["id", "outlet", "left", "match", "right", "start", "end"])


def _one_line(s: str) -> str:
    return " ".join(s.split())


def dispersion(corpus: pd.DataFrame, term: str) -> pd.DataFrame:
    """Where a word or phrase occurs in each article: ``id, outlet, term, position, n_tokens,
    relative_position`` (token index and index / n_tokens). Articles without it are listed, with
    their lengths, in ``.attrs["articles"]`` (id, outlet, n_tokens, hits)."""
    _check_corpus(corpus)
    query = _query_terms(term)
    frame = corpus if "outlet" in corpus.columns else corpus.assign(outlet="")
    tok = tokens(frame)
    n_tokens = tok.groupby("id").size()
    rows = [(doc_id, outlet, " ".join(query), i, int(n_tokens[doc_id]), i / n_tokens[doc_id])
            for doc_id, outlet, _, i in _matches(tok, query)]
    out = pd.DataFrame(rows, columns=["id", "outlet", "term", "position", "n_tokens", "relative_position"])
    articles = frame[["id", "outlet"]].copy()
    articles["n_tokens"] = articles["id"].map(n_tokens).fillna(0).astype(int)
    articles["hits"] = articles["id"].map(out.groupby("id").size()).fillna(0).astype(int)
    out.attrs["articles"] = articles.reset_index(drop=True)
    return out
