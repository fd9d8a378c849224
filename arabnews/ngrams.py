"""N-grams and collocations, counted in polars from a tokens table (or a corpus, tokenised here).

An n-gram is n consecutive tokens of one clause (tokens' ``clause`` column: never across
punctuation or a line break). Multiword compounds are off by default here (``compounds=False``):
n-grams and collocations are how multiword names are *found*, so ``كوريا الشمالية`` stays a
bigram; a tokens table is used as given.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import polars as pl

from arabnews.checks import check_choice, check_frame, check_int, check_words
from arabnews.measures import log_likelihood, pmi
from arabnews.text import as_tokens, is_tokens_table, normalize

__all__ = ["ngrams", "collocations"]

NGRAM_SIZES = (2, 3)
MEASURES = ("pmi", "g2")


def _grams(tok: pd.DataFrame, n: int, columns: list[str]) -> pl.DataFrame:
    """Every n-gram as a row: ``columns`` of its first token and ``w1 .. wn``."""
    frame = pl.from_pandas(tok[list(dict.fromkeys(["id", "clause", "token", *columns]))])
    same = pl.lit(True)
    words = {"w1": pl.col("token")}
    for k in range(1, n):
        same = same & (pl.col("id").shift(-k) == pl.col("id")) & (pl.col("clause").shift(-k) == pl.col("clause"))
        words[f"w{k + 1}"] = pl.col("token").shift(-k)
    return frame.with_columns(**words, _ok=same).filter(pl.col("_ok")).select(*columns, *words)


def _stop_set(stopwords) -> list[str]:
    return sorted({normalize(w) for w in check_words(stopwords, "stopwords")})


def ngrams(corpus_or_tokens: pd.DataFrame, n: int = 2, *, by: str = "outlet",
           stopwords: Iterable[str] = (), min_count: int = 1, corpus: pd.DataFrame | None = None,
           compounds: bool = False, **token_opts) -> pd.DataFrame:
    """Counts of n-grams (n = 2 or 3) per group: ``<by>, ngram, count``, most frequent first.

    N-grams stay inside a clause; those starting or ending with a stopword are skipped, so
    'كوريا الشمالية' is counted but 'في بيونغ' is not. ``by`` is a column of the tokens table
    (``outlet``, ``id``) or, with ``corpus=``, of the corpus (joined on ``id``).
    """
    n = check_choice(n, NGRAM_SIZES, "n")
    min_count = check_int(min_count, "min_count", minimum=1)
    stop = _stop_set(stopwords)
    tok = as_tokens(corpus_or_tokens, compounds=compounds, **token_opts)
    source = corpus if corpus is not None else (None if is_tokens_table(corpus_or_tokens) else corpus_or_tokens)
    column = by if by in tok.columns else "id"
    if by not in tok.columns:
        if source is None:
            raise ValueError(f"by={by!r} is not a column of the tokens table; pass corpus= to group by it")
        check_frame(source, ("id", by), "corpus")
    grams = _grams(tok, n, [column])
    words = [f"w{k}" for k in range(1, n + 1)]
    grams = grams.filter(~pl.col("w1").is_in(stop) & ~pl.col(words[-1]).is_in(stop))
    if by != column:
        groups = pl.from_pandas(source[["id", by]].astype({by: str}))
        grams = grams.join(groups.with_columns(pl.col("id").cast(grams["id"].dtype)), on="id", how="left")
    out = (grams.group_by(by, pl.concat_str(words, separator=" ").alias("ngram")).len("count")
           .filter(pl.col("count") >= min_count)
           .sort([by, "count", "ngram"], descending=[False, True, False]))
    result = out.to_pandas()
    result["count"] = result["count"].astype("int64")
    return result


def collocations(corpus_or_tokens: pd.DataFrame, *, min_count: int = 3, measure: str = "pmi",
                 stopwords: Iterable[str] = (), compounds: bool = False, **token_opts) -> pd.DataFrame:
    """Adjacent word pairs ranked by association: ``w1, w2, count, count_w1, count_w2, pmi, g2``.

    PMI = log2(n(w1 w2) N / (n(w1 _) n(_ w2))) over all N bigrams of the corpus (inside clauses);
    G2 is the log-likelihood ratio of the same 2x2 table (Dunning 1993), from ``arabnews.measures``.
    Pairs seen fewer than ``min_count`` times are left out (PMI overrates rare pairs);
    ``attrs["n_bigrams"]`` is N.
    """
    min_count = check_int(min_count, "min_count", minimum=1)
    measure = check_choice(measure, MEASURES, "measure")
    stop = _stop_set(stopwords)
    tok = as_tokens(corpus_or_tokens, compounds=compounds, **token_opts)
    pairs = _grams(tok, 2, [])
    total = len(pairs)
    first = pairs.group_by("w1").len("count_w1")
    second = pairs.group_by("w2").len("count_w2")
    out = (pairs.group_by("w1", "w2").len("count")
           .filter((pl.col("count") >= min_count) & ~pl.col("w1").is_in(stop) & ~pl.col("w2").is_in(stop))
           .join(first, on="w1").join(second, on="w2")
           .with_columns(pl.col("count", "count_w1", "count_w2").cast(pl.Int64))
           .to_pandas())
    a, b, c = (out[k].to_numpy(dtype=float) for k in ("count", "count_w1", "count_w2"))
    out["pmi"] = pmi(a, b, c, total) if len(out) else np.array([], dtype=float)
    out["g2"] = log_likelihood(a, b - a, c - a, total - b - c + a) if len(out) else np.array([], dtype=float)
    out = out[["w1", "w2", "count", "count_w1", "count_w2", "pmi", "g2"]]
    out = out.sort_values([measure, "count", "w1", "w2"], ascending=[False, False, True, True], ignore_index=True)
    out.attrs["n_bigrams"] = total
    return out
