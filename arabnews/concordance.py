"""Keyword in context and dispersion: where a word, a phrase or a compound occurs, clitics included.

Both take the corpus or a ``tokens()`` table made once. A corpus is tokenised (compounds on) only
where its original text may hold the term (``tokenstream.may_contain``), with the same rows as
the whole table would give; a ``dispersion`` counts the other articles' tokens. With a
tokens table, ``kwic`` needs the corpus for the context text: ``kwic(tok, "بوتين", corpus=corpus)``
(``dispersion`` needs it only to list articles without any token).

Matching works on normalised tokens, clitic-aware like the entity counts: the first word of the
query may carry a proclitic written attached to it (و ف ب ل ك وب ول وك فب فل فك, and لل for
a word starting with ال: للكرملين = ل + الكرملين) or detached with a tatweel (لـ"بوتين"); the
clitic is shown in the ``clitic`` column. A phrase matches consecutive tokens of one clause, and a
compound token (``كيم_جونغ_اون``) matches the phrase ``كيم جونغ أون``. A query also matches words
inside a compound: ``بوتين`` finds ``فلاديمير بوتين``, and the match shown is the whole compound.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import polars as pl

from arabnews import cache
from arabnews.checks import check_corpus, check_int, check_str
from arabnews.compounds import PHRASE_CLITICS
from arabnews.folding import COMPOUND_JOINER, terms
from arabnews.text import is_tokens_table, plain_columns, token_frame
from arabnews.tokenstream import may_contain, token_counts, tokenisation

__all__ = ["kwic", "dispersion"]

MAX_QUERY_WORDS = 8
KWIC_COLUMNS = ["id", "outlet", "left", "match", "right", "start", "end", "clitic"]
DISPERSION_COLUMNS = ["id", "outlet", "term", "position", "n_tokens", "relative_position"]
CHUNK_ARTICLES = 5_000        # candidate articles tokenised at once: memory bounded by the chunk
DISPERSION_CACHE_VERSION = 1  # bump when the dispersion table's definition changes


def query_words(term, fold_ya: bool = False, fold_ta_marbuta: bool = False) -> list[str]:
    """Normalised words of a query word or phrase (folded as the tokens are); a clear error when
    it has none."""
    check_str(term, "term")
    folded = terms(term, fold_ya=fold_ya is True, fold_ta_marbuta=fold_ta_marbuta is True)
    words = [w for t in folded for w in t.split(COMPOUND_JOINER)]
    if not words:
        raise ValueError(f"term={term!r} contains no word to search for")
    if len(words) > MAX_QUERY_WORDS:
        raise ValueError(f"term={term!r} has {len(words)} words; at most {MAX_QUERY_WORDS}")
    return words


def _folds(corpus_or_tokens, token_opts: dict) -> dict:
    """The fold options a corpus is tokenised with (a tokens table's are not known: none)."""
    if is_tokens_table(corpus_or_tokens):
        return {}
    return {k: token_opts[k] for k in ("fold_ya", "fold_ta_marbuta") if k in token_opts}


def _clitic_forms(word: str) -> dict[str, str]:
    """Token -> attached clitic for every clitic form of ``word`` (the bare word -> '')."""
    forms = {clitic + word: clitic for clitic in PHRASE_CLITICS}
    if word.startswith("ال"):                     # ل + الكرملين is written للكرملين
        forms.update({clitic + "ل" + word[1:]: clitic + "ل" for clitic in ("", "و", "ف")})
    forms[word] = ""
    return forms


def _candidates(tok: pd.DataFrame, first: str, forms: dict[str, str]) -> np.ndarray:
    """Table rows whose token is a clitic form of ``first`` or a compound holding it as a word."""
    starts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    j = re.escape(COMPOUND_JOINER)
    pattern = f"^(?:{starts})(?:{j}|$)|{j}{re.escape(first)}(?:{j}|$)"
    return np.flatnonzero(np.array(tok["token"].str.contains(pattern, regex=True).fillna(False), dtype=bool))


def _matches(tok: pd.DataFrame, words: list[str]) -> pd.DataFrame:
    """Every occurrence: table rows of its first and last token and the clitic, in table order.

    Candidates (rows holding the first word) are found vectorised; each candidate's next few
    rows are then read word by word (a compound token is split at ``_``), so a query also matches
    inside a compound. Only the first word of a token may carry a clitic.
    """
    forms = _clitic_forms(words[0])
    rows = _candidates(tok, words[0], forms)
    span = len(words)
    if not len(rows):
        return pd.DataFrame({"row": np.array([], dtype=np.int64), "last": np.array([], dtype=np.int64),
                             "clitic": pd.Series([], dtype=str)})
    near = np.minimum(rows[:, None] + np.arange(span)[None, :], len(tok) - 1)   # rows r .. r+m-1
    flat = near.ravel()
    token, ids, clause, detached = (_take(tok[c], flat).reshape(near.shape)
                                    for c in ("token", "id", "clause", "clitic"))
    found = []
    for k, r in enumerate(rows):
        sequence = []                       # (step, word) of rows r, r+1 ... in r's article and clause
        for step in range(span):
            if r + step >= len(tok) or ids[k, step] != ids[k, 0] or clause[k, step] != clause[k, 0]:
                break
            sequence.extend((step, w) for w in token[k, step].split(COMPOUND_JOINER))
        for j, (step, part) in enumerate(sequence):
            if step or not (part == words[0] or (j == 0 and part in forms)):
                continue
            following = sequence[j + 1:j + span]
            if [w for _, w in following] == words[1:]:
                clitic = (detached[k, 0] + forms.get(part, "")) if j == 0 else ""
                found.append((int(r), int(r) + (following[-1][0] if following else 0), clitic))
                break
    return pd.DataFrame(found, columns=["row", "last", "clitic"]).astype({"row": "int64", "last": "int64"})


def _take(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Values of ``column`` at table positions ``rows`` (only those converted, not the column)."""
    return column.iloc[rows].to_numpy()


def _article_starts(tok: pd.DataFrame) -> np.ndarray:
    """Table row where each article's tokens begin (the table lists each article's tokens together)."""
    ids = tok["id"]
    change = np.array(ids != ids.shift(), dtype=bool)
    if len(change):
        change[0] = True
    return np.flatnonzero(change)


def _bounds(starts: np.ndarray, n: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last table row of the article of each of ``rows``."""
    k = np.searchsorted(starts, rows, side="right") - 1
    ends = np.append(starts[1:], n) - 1
    return starts[k], ends[k]


def _candidate_chunks(corpus: pd.DataFrame, words: list[str], token_opts: dict):
    """Yield (articles, their ``tokens()``) for the articles that may hold ``words``, at most
    ``CHUNK_ARTICLES`` at a time (at least one chunk, maybe empty), then the mask of those
    articles: a regex over the original text (``tokenstream.may_contain``) skips the rest, so a
    query costs a scan of the corpus plus the tokens of the articles that matter. Each article's
    tokens do not depend on the others, so the rows are those of the whole table."""
    options = tokenisation(**token_opts)
    phrases = options.pop("phrases")
    hit = may_contain(corpus, words, fold_ya=options["fold_ya"], fold_ta_marbuta=options["fold_ta_marbuta"])
    subset = plain_columns(corpus, ["id", "outlet", "text"]).iloc[np.flatnonzero(hit)]
    for start in range(0, max(len(subset), 1), CHUNK_ARTICLES):
        part = subset.iloc[start:start + CHUNK_ARTICLES]
        yield part, token_frame(part, phrases, display=False, **options)
    return hit


def _one_line(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\s+", " ").str.strip_chars()


def kwic(corpus_or_tokens: pd.DataFrame, term: str, window: int = 5, *,
         corpus: pd.DataFrame | None = None, **token_opts) -> pd.DataFrame:
    """Keyword in context: ``id, outlet, left, match, right, start, end, clitic``, one row per
    occurrence, in corpus order.

    ``match``, ``left`` and ``right`` are the original text (logical order, line breaks shown as
    spaces), ``window`` tokens each side within the article; ``start``/``end`` index into the
    article's ``text``; ``clitic`` is the proclitic of the first word (وبوتين -> و), '' if none.
    In right-to-left display ``left`` appears on the right.
    """
    window = check_int(window, "window", minimum=0)
    words = query_words(term, **_folds(corpus_or_tokens, token_opts))
    if is_tokens_table(corpus_or_tokens):
        if corpus is None:
            raise ValueError("kwic() on a tokens table needs the corpus for the context text: "
                             "kwic(tokens_table, term, corpus=corpus)")
        source = corpus
    else:
        source = corpus_or_tokens
    check_corpus(source, ("id", "text"))
    if is_tokens_table(corpus_or_tokens):
        return _kwic_table(corpus_or_tokens, source, words, window)
    parts = [_kwic_table(tok, part, words, window) for part, tok in _candidate_chunks(source, words, token_opts)]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KWIC_COLUMNS)


def _kwic_table(tok: pd.DataFrame, source: pd.DataFrame, words: list[str], window: int) -> pd.DataFrame:
    """The kwic rows of ``words`` in the tokens table ``tok``, context cut from ``source``'s text."""
    found = _matches(tok, words)
    if len(found) == 0:   # no occurrence: an empty table with the columns (ids of any type)
        return pd.DataFrame(columns=KWIC_COLUMNS)
    row, last = found["row"].to_numpy(), found["last"].to_numpy()
    first_row, final_row = _bounds(_article_starts(tok), len(tok), row)
    starts, ends = tok["start"].to_numpy(), tok["end"].to_numpy()
    outlets = tok["outlet"] if "outlet" in tok.columns else pd.Series("", index=tok.index)
    hits = pl.DataFrame({
        "id": pl.Series(_take(tok["id"], row)), "outlet": pl.Series(_take(outlets, row), dtype=pl.String),
        "start": starts[row], "end": ends[last],
        "left_start": starts[np.maximum(row - window, first_row)] if window else starts[row],
        "right_end": ends[np.minimum(last + window, final_row)] if window else ends[last],
        "clitic": pl.Series(found["clitic"].to_numpy(), dtype=pl.String)})
    texts = pl.from_pandas(plain_columns(source, ["id", "text"]).reset_index(drop=True)).with_columns(
        pl.col("id").cast(hits["id"].dtype), pl.col("text").fill_null(""))
    out = (hits.join(texts, on="id", how="left", maintain_order="left")
           .with_columns(left=_one_line(pl.col("text").str.slice(pl.col("left_start"),
                                                                   pl.col("start") - pl.col("left_start"))),
                         match=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")),
                         right=_one_line(pl.col("text").str.slice(pl.col("end"),
                                                                    pl.col("right_end") - pl.col("end"))))
           .select(KWIC_COLUMNS))
    result = out.to_pandas()
    return result.astype({"start": "int64", "end": "int64"}) if len(result) else pd.DataFrame(columns=KWIC_COLUMNS)


def dispersion(corpus_or_tokens: pd.DataFrame, term: str, *, corpus: pd.DataFrame | None = None,
               **token_opts) -> pd.DataFrame:
    """Where a word or phrase occurs in each article: ``id, outlet, term, position, n_tokens,
    relative_position`` (token index in the article and index / n_tokens), clitic forms included.

    ``.attrs["articles"]`` lists every article (of the corpus, or of the tokens table when no
    ``corpus=`` is given) with ``id, outlet, n_tokens, hits``, so articles without it are seen.
    """
    words = query_words(term, **_folds(corpus_or_tokens, token_opts))
    source = corpus if corpus is not None else (None if is_tokens_table(corpus_or_tokens) else corpus_or_tokens)
    if source is not None:
        check_corpus(source, ("id",))
    if is_tokens_table(corpus_or_tokens):
        out, sizes = _dispersion_rows(corpus_or_tokens, words)
        articles = source if source is not None else corpus_or_tokens.drop_duplicates("id")
        return _with_articles(out, sizes, articles)
    check_corpus(corpus_or_tokens, ("id", "text"))
    key = None if corpus is not None else cache.corpus_key(   # (corpus= lists another corpus's articles)
        corpus_or_tokens, "dispersion", DISPERSION_CACHE_VERSION, words, tokenisation(**token_opts))
    cached = cache.load("dispersion", key) if key else None
    if cached is not None:    # (the article list comes back through JSON: its text dtypes restored)
        listed = cached.attrs["articles"]
        for column in ("id", "outlet"):
            if column in source.columns:
                listed[column] = listed[column].astype(source[column].dtype)
        return cached
    chunks = _candidate_chunks(corpus_or_tokens, words, token_opts)
    outs, sizes = [], []
    while True:
        try:
            _, tok = next(chunks)
        except StopIteration as done:
            hit = done.value
            break
        out, size = _dispersion_rows(tok, words)
        outs.append(out)
        sizes.append(size)
    rest = plain_columns(corpus_or_tokens, ["id", "text"]).iloc[np.flatnonzero(~hit)]
    elsewhere = pd.Series(token_counts(rest, **tokenisation(**token_opts)), index=rest["id"].to_numpy())
    sizes.append(elsewhere[elsewhere > 0])   # articles that cannot hold the term: counted, not tokenised
    outs = [o for o in outs if len(o)] or outs[:1]   # (an empty chunk's table has other dtypes)
    out = outs[0] if len(outs) == 1 else pd.concat(outs, ignore_index=True)
    result = _with_articles(out, pd.concat(sizes), source)
    if key:
        cache.save("dispersion", key, result)
    return result


def _dispersion_rows(tok: pd.DataFrame, words: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """(one row per occurrence of ``words`` in ``tok``, tokens per article of ``tok`` by id)."""
    frame = tok if "outlet" in tok.columns else tok.assign(outlet="")
    found = _matches(frame, words)
    starts = _article_starts(frame)
    row = found["row"].to_numpy()
    first_row, final_row = _bounds(starts, len(frame), row)
    position = row - first_row
    count = final_row - first_row + 1
    out = pd.DataFrame({"id": _take(frame["id"], row), "outlet": _take(frame["outlet"], row),
                        "term": " ".join(words), "position": position.astype("int64"),
                        "n_tokens": count.astype("int64"), "relative_position": position / np.maximum(count, 1)},
                       columns=DISPERSION_COLUMNS)
    sizes = pd.Series(np.diff(np.append(starts, len(frame))), index=_take(frame["id"], starts))
    return out, sizes


def _with_articles(out: pd.DataFrame, sizes: pd.Series, listed: pd.DataFrame) -> pd.DataFrame:
    """``out`` with ``attrs["articles"]``: every article of ``listed`` with its tokens and hits."""
    articles = listed[["id"]].assign(outlet=listed["outlet"] if "outlet" in listed.columns else "")
    articles = articles.reset_index(drop=True)
    articles["n_tokens"] = articles["id"].map(sizes).fillna(0).astype("int64")
    articles["hits"] = articles["id"].map(out.groupby("id").size()).fillna(0).astype("int64")
    out.attrs["articles"] = articles
    return out
