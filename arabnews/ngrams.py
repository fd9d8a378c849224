"""N-grams and collocations, counted in polars from a tokens table or a corpus.

A corpus is read batch by batch (``tokenstream.token_batches``: token forms and clause numbers,
the rows of ``tokens()`` without offsets or surfaces), so memory holds one batch of tokens plus
the counts, never the corpus's token table.

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

from arabnews.checks import check_choice, check_corpus, check_frame, check_int, check_words
from arabnews.measures import log_likelihood, pmi
from arabnews.text import TOKEN_COLUMNS, as_tokens, is_tokens_table, normalize, plain_columns
from arabnews.tokenstream import token_batches, tokenisation

__all__ = ["ngrams", "collocations"]

NGRAM_SIZES = (2, 3)
MEASURES = ("pmi", "g2")
MERGE_ROWS = 1_000_000   # per-batch counts waiting before they are summed into the running total


def _grams(tok: pd.DataFrame, n: int, columns: list[str]) -> pl.DataFrame:
    """Every n-gram as a row: ``columns`` of its first token and ``w1 .. wn``."""
    frame = (pl.from_pandas(tok[list(dict.fromkeys(["id", "clause", "token", *columns]))])
             .with_columns(pl.col(pl.Categorical).cast(pl.String)))   # the table's light dtypes
    same = pl.lit(True)
    words = {"w1": pl.col("token")}
    for k in range(1, n):
        same = same & (pl.col("id").shift(-k) == pl.col("id")) & (pl.col("clause").shift(-k) == pl.col("clause"))
        words[f"w{k + 1}"] = pl.col("token").shift(-k)
    return frame.with_columns(**words, _ok=same).filter(pl.col("_ok")).select(*columns, *words)


def _stream_grams(batch: pl.DataFrame, n: int) -> pl.DataFrame:
    """``_grams`` of one batch of ``token_batches`` (``row, token, clause``): ``row, w1 .. wn``."""
    same = pl.lit(True)
    words = {"w1": pl.col("token")}
    for k in range(1, n):
        same = same & (pl.col("row").shift(-k) == pl.col("row")) & (pl.col("clause").shift(-k) == pl.col("clause"))
        words[f"w{k + 1}"] = pl.col("token").shift(-k)
    return batch.with_columns(**words, _ok=same).filter(pl.col("_ok")).select("row", *words)


def _streamed(corpus_or_tokens, by: str, corpus) -> bool:
    """True when n-grams are counted from the corpus batch by batch (a corpus, grouped by one of
    its own columns); a tokens table, or grouping by a token-level column, takes the table path."""
    if is_tokens_table(corpus_or_tokens) or corpus is not None:
        return False
    return by in corpus_or_tokens.columns and (by not in TOKEN_COLUMNS or by in ("id", "outlet"))


def _ngrams_of_corpus(corpus: pd.DataFrame, n: int, by: str, stop: list[str], min_count: int,
                      token_opts: dict) -> pl.DataFrame:
    """``<by>, ngram, count`` (unfiltered order: first seen) summed over batches of the corpus."""
    check_corpus(corpus, ("id", "text", by))
    frame = plain_columns(corpus, ["id", by, "text"])
    values = frame[by] if by in ("id", "outlet") else frame[by].astype(str)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    group = pl.Series("group", codes, dtype=pl.Int32)
    words = [f"w{k}" for k in range(1, n + 1)]
    sums = _Sums(["group", *words])
    for batch in token_batches(frame, **tokenisation(**token_opts)):
        coded = batch.with_columns(pl.col("token").cast(pl.Categorical))   # u32 codes: light sums
        grams = (_stream_grams(coded, n)
                 .filter(~pl.col("w1").is_in(stop) & ~pl.col(words[-1]).is_in(stop))
                 .select(pl.lit(group).gather(pl.col("row")).alias("group"), *words))
        sums.add(grams.group_by("group", *words, maintain_order=True).len("count"))
    schema = {"group": pl.Int32, **{w: pl.Categorical for w in words}, "count": pl.UInt32}
    labels = pl.from_pandas(pd.Series(uniques, dtype=values.dtype)).alias(by)
    return (sums.total(schema)
            .filter(pl.col("count") >= min_count)
            .select(pl.lit(labels).gather(pl.col("group")).alias(by),
                    pl.concat_str([pl.col(w).cast(pl.String) for w in words], separator=" ").alias("ngram"),
                    "count")
            .sort([by, "count"], descending=[False, True], maintain_order=True))


class _Sums:
    """Counts per key summed over batches, in order of first appearance. Parts are merged when
    they outgrow the running total (memory: about twice the distinct keys, not every batch's)."""

    def __init__(self, keys: list[str]):
        self.keys, self.merged, self.parts, self.waiting = keys, None, [], 0

    def add(self, part: pl.DataFrame) -> None:
        self.parts.append(part)
        self.waiting += len(part)
        if self.waiting > max(len(self.merged) if self.merged is not None else 0, MERGE_ROWS):
            self._merge()

    def _merge(self) -> None:
        frames = ([self.merged] if self.merged is not None else []) + self.parts
        if frames:
            self.merged = (pl.concat(frames).group_by(self.keys, maintain_order=True)
                           .agg(pl.col("count").sum()))
        self.parts, self.waiting = [], 0

    def total(self, schema: dict) -> pl.DataFrame:
        self._merge()
        return self.merged if self.merged is not None else pl.DataFrame(schema=schema)


def _pair_counts(corpus: pd.DataFrame, token_opts: dict) -> pl.DataFrame:
    """``w1, w2, count`` of every bigram of the corpus, summed over batches (words as
    categorical codes: ``collocations`` turns back to text only the pairs it keeps)."""
    check_corpus(corpus, ("id", "text"))
    sums = _Sums(["w1", "w2"])
    for batch in token_batches(plain_columns(corpus, ["id", "text"]), **tokenisation(**token_opts)):
        coded = batch.with_columns(pl.col("token").cast(pl.Categorical))
        sums.add(_stream_grams(coded, 2).group_by("w1", "w2").len("count"))
    return sums.total({"w1": pl.Categorical, "w2": pl.Categorical, "count": pl.UInt32})


def _stop_set(stopwords) -> list[str]:
    return sorted({normalize(w) for w in check_words(stopwords, "stopwords")})


def ngrams(corpus_or_tokens: pd.DataFrame, n: int = 2, *, by: str = "outlet",
           stopwords: Iterable[str] = (), min_count: int = 1, corpus: pd.DataFrame | None = None,
           compounds: bool = False, **token_opts) -> pd.DataFrame:
    """Counts of n-grams (n = 2 or 3) per group: ``<by>, ngram, count``, most frequent first
    (ties in order of first appearance in the corpus).

    N-grams stay inside a clause; those starting or ending with a stopword are skipped, so
    'كوريا الشمالية' is counted but 'في بيونغ' is not. ``by`` is a column of the tokens table
    (``outlet``, ``id``) or, with ``corpus=``, of the corpus (joined on ``id``).
    """
    n = check_choice(n, NGRAM_SIZES, "n")
    min_count = check_int(min_count, "min_count", minimum=1)
    stop = _stop_set(stopwords)
    if _streamed(corpus_or_tokens, by, corpus):
        out = _ngrams_of_corpus(corpus_or_tokens, n, by, stop, min_count, dict(compounds=compounds, **token_opts))
        result = out.to_pandas()
        result["count"] = result["count"].astype("int64")
        return result
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
    out = (grams.group_by(by, pl.concat_str(words, separator=" ").alias("ngram"), maintain_order=True)
           .len("count")
           .filter(pl.col("count") >= min_count)
           .sort([by, "count"], descending=[False, True], maintain_order=True))   # ties: first seen
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
    if is_tokens_table(corpus_or_tokens):
        counted = _grams(corpus_or_tokens, 2, []).group_by("w1", "w2").len("count")
    else:
        counted = _pair_counts(corpus_or_tokens, dict(compounds=compounds, **token_opts))
    total = int(counted["count"].sum())
    first = counted.group_by("w1").agg(count_w1=pl.col("count").sum())
    second = counted.group_by("w2").agg(count_w2=pl.col("count").sum())
    out = (counted
           .filter((pl.col("count") >= min_count) & ~pl.col("w1").is_in(stop) & ~pl.col("w2").is_in(stop))
           .join(first, on="w1").join(second, on="w2")
           .with_columns(pl.col("w1", "w2").cast(pl.String))
           .with_columns(pl.col("count", "count_w1", "count_w2").cast(pl.Int64))
           .to_pandas())
    a, b, c = (out[k].to_numpy(dtype=float) for k in ("count", "count_w1", "count_w2"))
    out["pmi"] = pmi(a, b, c, total) if len(out) else np.array([], dtype=float)
    out["g2"] = log_likelihood(a, b - a, c - a, total - b - c + a) if len(out) else np.array([], dtype=float)
    out = out[["w1", "w2", "count", "count_w1", "count_w2", "pmi", "g2"]]
    out = out.sort_values([measure, "count", "w1", "w2"], ascending=[False, False, True, True], ignore_index=True)
    out.attrs["n_bigrams"] = total
    return out
