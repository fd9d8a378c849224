"""Keyword in context and dispersion: where a word, a phrase or a compound occurs, clitics included.

Both take the corpus (tokenised here, compounds on) or a ``tokens()`` table made once. With a
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

import pandas as pd
import polars as pl

from arabnews.checks import check_corpus, check_int, check_str
from arabnews.compounds import PHRASE_CLITICS
from arabnews.folding import COMPOUND_JOINER, terms
from arabnews.text import as_tokens, is_tokens_table

__all__ = ["kwic", "dispersion"]

MAX_QUERY_WORDS = 8
KWIC_COLUMNS = ["id", "outlet", "left", "match", "right", "start", "end", "clitic"]
DISPERSION_COLUMNS = ["id", "outlet", "term", "position", "n_tokens", "relative_position"]


def query_words(term) -> list[str]:
    """Normalised words of a query word or phrase; a clear error when it has none."""
    check_str(term, "term")
    words = [w for t in terms(term) for w in t.split(COMPOUND_JOINER)]
    if not words:
        raise ValueError(f"term={term!r} contains no word to search for")
    if len(words) > MAX_QUERY_WORDS:
        raise ValueError(f"term={term!r} has {len(words)} words; at most {MAX_QUERY_WORDS}")
    return words


def _clitic_forms(word: str) -> dict[str, str]:
    """Token -> attached clitic for every clitic form of ``word`` (the bare word -> '')."""
    forms = {clitic + word: clitic for clitic in PHRASE_CLITICS}
    if word.startswith("ال"):                     # ل + الكرملين is written للكرملين
        forms.update({clitic + "ل" + word[1:]: clitic + "ل" for clitic in ("", "و", "ف")})
    forms[word] = ""
    return forms


def _matches(tok: pd.DataFrame, words: list[str]) -> pl.DataFrame:
    """Every occurrence: table row of its first and last token, and the clitic, in table order.

    Works on words (a compound token is split at ``_``), so a query matches inside a compound;
    only the first word of a token may carry a clitic.
    """
    frame = pl.from_pandas(tok[["id", "token", "clitic", "clause"]].reset_index(drop=True)).with_row_index("row")
    wordy = frame["token"].str.contains(COMPOUND_JOINER, literal=True).any()
    if wordy:
        frame = (frame.with_columns(word=pl.col("token").str.split(COMPOUND_JOINER))
                 .with_columns(index=pl.int_ranges(pl.col("word").list.len()))
                 .explode("word", "index"))
    else:
        frame = frame.with_columns(word=pl.col("token"), index=pl.lit(0))
    forms = _clitic_forms(words[0])
    at_start = pl.col("index") == 0
    hit = pl.col("word").is_in(list(forms)) & at_start | (pl.col("word") == words[0])
    for k, word in enumerate(words[1:], start=1):
        hit = (hit & (pl.col("word").shift(-k) == word) & (pl.col("id").shift(-k) == pl.col("id"))
               & (pl.col("clause").shift(-k) == pl.col("clause")))
    attached = pl.col("word").replace_strict(forms, default="", return_dtype=pl.String)
    clitic = (pl.when(~at_start).then(pl.lit(""))
              .when(pl.col("clitic") != "").then(pl.col("clitic") + attached).otherwise(attached))
    last = pl.col("row").shift(-(len(words) - 1))
    return (frame.with_columns(last=last)
            .filter(hit.fill_null(False))
            .select("row", "last", clitic=clitic)
            .unique("row", keep="first", maintain_order=True))


def _article_bounds(tok: pd.DataFrame) -> pl.DataFrame:
    """First and last table row of each token's article, for every row."""
    ids = pl.from_pandas(tok["id"].reset_index(drop=True)).to_frame("id").with_row_index("row")
    return ids.with_columns(first=pl.col("row").min().over("id"), final=pl.col("row").max().over("id"))


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
    words = query_words(term)
    if is_tokens_table(corpus_or_tokens):
        if corpus is None:
            raise ValueError("kwic() on a tokens table needs the corpus for the context text: "
                             "kwic(tokens_table, term, corpus=corpus)")
        source = corpus
    else:
        source = corpus_or_tokens
    check_corpus(source, ("id", "text"))
    tok = as_tokens(corpus_or_tokens, **token_opts)
    found = _matches(tok, words)
    bounds = _article_bounds(tok)
    spans = pl.from_pandas(tok[["id", "outlet", "start", "end"]].reset_index(drop=True)
                           if "outlet" in tok.columns else
                           tok[["id", "start", "end"]].assign(outlet="").reset_index(drop=True))
    row, last = found["row"].cast(pl.Int64), found["last"].cast(pl.Int64)
    first_row = bounds["first"].gather(row).cast(pl.Int64)
    final_row = bounds["final"].gather(row).cast(pl.Int64)
    left_row = pl.select(pl.max_horizontal(row - window, first_row)).to_series()
    right_row = pl.select(pl.min_horizontal(last + window, final_row)).to_series()
    hits = pl.DataFrame({
        "id": spans["id"].gather(row), "outlet": spans["outlet"].gather(row),
        "start": spans["start"].gather(row), "end": spans["end"].gather(last),
        "left_start": spans["start"].gather(left_row), "right_end": spans["end"].gather(right_row),
        "clitic": found["clitic"]})
    if window == 0:
        hits = hits.with_columns(left_start=pl.col("start"), right_end=pl.col("end"))
    texts = pl.from_pandas(source[["id", "text"]].reset_index(drop=True)).with_columns(
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
    words = query_words(term)
    source = corpus if corpus is not None else (None if is_tokens_table(corpus_or_tokens) else corpus_or_tokens)
    if source is not None:
        check_corpus(source, ("id",))
    tok = as_tokens(corpus_or_tokens, **token_opts)
    frame = tok if "outlet" in tok.columns else tok.assign(outlet="")
    found = _matches(frame, words)
    bounds = _article_bounds(frame)
    n_tokens = (bounds["final"] - bounds["first"] + 1).cast(pl.Int64)
    row = found["row"].cast(pl.Int64)
    position = (row - bounds["first"].gather(row).cast(pl.Int64))
    count = n_tokens.gather(row)
    out = pd.DataFrame({"id": frame["id"].to_numpy()[row.to_numpy()],
                        "outlet": frame["outlet"].to_numpy()[row.to_numpy()],
                        "term": " ".join(words), "position": position.to_numpy(),
                        "n_tokens": count.to_numpy(), "relative_position": (position / count).to_numpy()},
                       columns=DISPERSION_COLUMNS)
    sizes = frame.groupby("id", sort=False).size()
    if source is not None:
        articles = source[["id"]].assign(outlet=source["outlet"] if "outlet" in source.columns else "")
    else:
        articles = frame.drop_duplicates("id")[["id", "outlet"]]
    articles = articles.reset_index(drop=True)
    articles["n_tokens"] = articles["id"].map(sizes).fillna(0).astype("int64")
    articles["hits"] = articles["id"].map(out.groupby("id").size()).fillna(0).astype("int64")
    out.attrs["articles"] = articles
    return out
