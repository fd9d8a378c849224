"""Tokens without the tokens table: what n-grams, concordance prefilters and token totals need.

``tokens()`` builds offsets, surfaces and display forms, which cost time and memory on a large
corpus. Several verbs need less: ``token_batches`` yields, batch by batch, each article's token
forms and clause numbers read from counting text (``TOKEN_PATTERN`` on ``counting_expr``, the
definition ``tokens()`` is tested against); ``token_counts`` gives the number of rows each article
has in ``tokens()``; ``may_contain`` is a cheap test on the *original* text that is true for every
article whose tokens may hold a word (no normalisation pass: a regex of every spelling that folds
to each letter). All take the tokenisation options of ``tokens()``.
"""
from __future__ import annotations

import functools
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
import polars as pl

from arabnews.checks import SCRIPTS, check_bool, check_scripts
from arabnews.compounds import compound_needles, join_compounds
from arabnews.folding import (COMBINING_HAMZA, TATWEEL, TOKEN_PATTERN, counting_expr,
                              counting_replacements)
from arabnews.text import BATCH_ROWS, CLAUSE_BREAK_PATTERN, resolve_phrases, script_expr, text_series

__all__: list[str] = []   # building blocks of concordance and ngrams

STREAM_BATCH_ROWS = 2_000   # articles per batch of token_batches: its tokens are the memory used

# A token, or one clause-break character between tokens (a break never starts a token, so the
# tokens found are those of TOKEN_PATTERN alone).
_PIECE_PATTERN = f"{TOKEN_PATTERN}|{CLAUSE_BREAK_PATTERN}"
_BREAK_START = f"^{CLAUSE_BREAK_PATTERN}"


def tokenisation(compounds: bool = True, phrases: Iterable[str] = (), fold_ya: bool = False,
                 fold_ta_marbuta: bool = False, scripts: Iterable[str] = SCRIPTS) -> dict:
    """The options of ``tokens()``, checked, with the phrases to join resolved (``phrases``)."""
    return dict(phrases=resolve_phrases(compounds, phrases), fold_ya=check_bool(fold_ya, "fold_ya"),
                fold_ta_marbuta=check_bool(fold_ta_marbuta, "fold_ta_marbuta"),
                scripts=check_scripts(scripts))


def _counting_batch(texts: pl.Series, phrases: tuple[str, ...], fold_ya: bool,
                    fold_ta_marbuta: bool, plain: bool = False):
    """Counting text of ``texts`` with ``phrases`` joined where their first words occur (as
    ``tokens()`` reads compound forms); with ``plain``, ``(joined, unjoined, rows joined)``."""
    text = pl.select(counting_expr(pl.lit(texts), fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta)).to_series()
    joined, where = text, pl.Series([], dtype=pl.UInt32)
    if phrases:
        where = text.str.contains_any(compound_needles(phrases)).arg_true()
        if len(where):
            joined = text.clone().scatter(where, pl.select(join_compounds(pl.lit(text.gather(where)), phrases)).to_series())
    return (joined.alias("text"), text.alias("text"), where) if plain else joined.alias("text")


def _pieces(text: pl.Series, rows: pl.Series) -> pl.DataFrame:
    """``row, token, clause`` of counting texts (clause: clause breaks seen so far in the batch)."""
    return (pl.DataFrame({"row": rows, "piece": text.str.extract_all(_PIECE_PATTERN)})
            .lazy().explode("piece").drop_nulls("piece")
            .with_columns(is_break=pl.col("piece").str.contains(_BREAK_START))
            .with_columns(clause=pl.col("is_break").cum_sum().cast(pl.Int32))
            .filter(~pl.col("is_break"))
            .select("row", token="piece", clause="clause").collect())


def _compound_clauses(joined: pl.DataFrame, plain: pl.DataFrame) -> pl.DataFrame:
    """Joined tokens with the clause of their first word (as ``tokens()`` gives a compound): a
    phrase written with a hyphen (كيم جونغ-اون) has a clause break inside, which the joined text
    no longer shows. Rows whose word counts differ keep the joined text's clauses."""
    parts = joined["token"].str.count_matches("_", literal=True) + 1
    sums = pl.DataFrame({"row": joined["row"], "n": parts}).group_by("row").agg(pl.col("n").sum())
    words = plain.group_by("row").len("m")
    equal = sums.join(words, on="row").filter(pl.col("n") == pl.col("m").cast(pl.Int64))["row"]
    ok_joined = joined["row"].is_in(equal.implode())
    ok_plain = plain.filter(pl.col("row").is_in(equal.implode()))
    first = (parts.filter(ok_joined).cum_sum() - parts.filter(ok_joined)).cast(pl.Int64)
    clause = joined["clause"].scatter(ok_joined.arg_true(), ok_plain["clause"].gather(first))
    return joined.with_columns(clause=clause)


def token_batches(corpus: pd.DataFrame, *, phrases: tuple[str, ...] = (), fold_ya: bool = False,
                  fold_ta_marbuta: bool = False, scripts: tuple[str, ...] = SCRIPTS,
                  batch_rows: int | None = None) -> Iterator[pl.DataFrame]:
    """``row, token, clause`` per batch of articles (``row`` the article's position in the corpus,
    ``clause`` a number that changes where ``tokens()``'s clause does): the rows of ``tokens()``
    for the same options (``tokenisation()``), in order, without offsets or surfaces."""
    texts = text_series(corpus)
    batch_rows = batch_rows or STREAM_BATCH_ROWS
    for lo in range(0, len(texts), batch_rows):
        joined, plain, where = _counting_batch(texts[lo:lo + batch_rows], phrases, fold_ya,
                                               fold_ta_marbuta, plain=True)
        rows = pl.int_range(lo, lo + len(joined), eager=True, dtype=pl.Int32)
        pieces = _pieces(joined, rows)
        if len(where):
            inside = pieces["row"].is_in((rows.gather(where)).implode())
            fixed = _compound_clauses(pieces.filter(inside), _pieces(plain.gather(where), rows.gather(where)))
            pieces = pieces.with_columns(clause=pieces["clause"].scatter(inside.arg_true(), fixed["clause"]))
        if set(scripts) != set(SCRIPTS):
            pieces = pieces.filter(script_expr(pl.col("token")).is_in(list(scripts)))
        yield pieces


def token_counts(corpus: pd.DataFrame, *, phrases: tuple[str, ...] = (), fold_ya: bool = False,
                 fold_ta_marbuta: bool = False, scripts: tuple[str, ...] = SCRIPTS) -> np.ndarray:
    """Rows each article has in ``tokens()`` with the same options, in corpus order."""
    texts = text_series(corpus)
    counts = []
    for lo in range(0, len(texts), BATCH_ROWS):
        text = _counting_batch(texts[lo:lo + BATCH_ROWS], phrases, fold_ya, fold_ta_marbuta)
        if set(scripts) == set(SCRIPTS):
            counts.append(text.str.count_matches(TOKEN_PATTERN).to_numpy())
            continue
        kept = (pl.DataFrame({"row": np.arange(len(text)), "token": text.str.extract_all(TOKEN_PATTERN)})
                .explode("token").drop_nulls("token")
                .filter(script_expr(pl.col("token")).is_in(list(scripts))))
        counts.append(np.bincount(kept["row"].to_numpy(), minlength=len(text)))
    return np.concatenate(counts).astype(np.int64) if counts else np.zeros(0, dtype=np.int64)


# --- the prefilter on original text -------------------------------------------------------------------
def _class_member(c: str) -> str:
    return "\\" + c if c.isascii() and not c.isalnum() else c


@functools.lru_cache(maxsize=None)
def _spellings(fold_ya: bool, fold_ta_marbuta: bool) -> tuple[dict[str, str], str, str]:
    """(folded letter -> class of original characters giving it, class of characters counting text
    deletes, class of characters that fold into several letters), from ``counting_replacements``."""
    table = counting_replacements(fold_ya, fold_ta_marbuta)
    deleted = {k for k, v in table.items() if len(k) == 1 and v == ""} | set(COMBINING_HAMZA) | {TATWEEL}
    sources: dict[str, set[str]] = {}
    several = set()
    for k, v in table.items():
        letters = "".join(c for c in v if c not in deleted)
        if len(k) == 2:                      # base + combining hamza: the base, then a deleted mark
            sources.setdefault(letters, set()).add(k[0])
        elif letters == "":
            deleted.add(k)
        elif len(letters) == 1:
            sources.setdefault(letters, set()).add(k)
        else:
            several.add(k)
    classes = {ch: "".join(_class_member(c) for c in sorted(chars | {ch})) for ch, chars in sources.items()}
    return (classes, "".join(_class_member(c) for c in sorted(deleted)),
            "".join(_class_member(c) for c in sorted(several)))


def spelling_pattern(word: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False) -> str:
    """Regex over original text matching wherever counting text holds ``word`` (a normalised
    word), and possibly elsewhere: each letter any character that folds to it, deleted characters
    (diacritics, tatweel, invisibles) allowed between letters."""
    classes, deleted, _ = _spellings(fold_ya, fold_ta_marbuta)
    letters = [f"[{classes.get(c, _class_member(c))}]" for c in word]
    return f"[{deleted}]*".join(letters)


def may_contain(corpus: pd.DataFrame, words: list[str], *, fold_ya: bool = False,
                fold_ta_marbuta: bool = False, first_clitics: bool = True) -> np.ndarray:
    """Boolean per article: False only where no token of the article can be, or hold, every one of
    ``words`` (normalised). With ``first_clitics`` the first word may carry a proclitic, ل + ال
    written لل (searched without its alef). Texts with a character folding into several letters
    (rare presentation forms) are always True."""
    _, _, several = _spellings(fold_ya, fold_ta_marbuta)
    texts = text_series(corpus)
    needles = list(words)
    if first_clitics and needles[0].startswith("ال"):
        needles[0] = needles[0][1:]
    found = pl.lit(True)
    for word in dict.fromkeys(needles):
        found = found & pl.col("text").str.contains(
            spelling_pattern(word, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta))
    if several:
        found = found | pl.col("text").str.contains(f"[{several}]")
    return pl.DataFrame({"text": texts}).select(found.alias("hit"))["hit"].to_numpy().astype(bool)
