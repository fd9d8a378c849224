"""Tokens, stopwords, display forms, the opt-in clitic split: the verbs on top of ``folding``.

Normalisation and the token pattern are defined once in ``arabnews.folding`` (re-exported here:
``normalize``, ``normalize_with_offsets``, ``counting_text`` ...). ``tokenize`` is the pure-Python
reference tokenizer (offsets into the original text); ``tokens`` builds the same tokens for a
whole corpus in polars (``token_frame``: boundaries found on the *shadow* of the original text,
token forms read from counting text, see ``arabnews.folding``); multiword names become one token
through ``arabnews.compounds``.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd
import polars as pl

from arabnews import cache
from arabnews.checks import (LATIN_LETTER, SCRIPTS, check_bool, check_corpus, check_scripts,
                             check_words, read_word_list)
from arabnews.compounds import compound_needles, compound_phrases, join_compounds, join_compounds_text
# Normalisation lives in arabnews.folding; its names are re-exported here for every room.
from arabnews.folding import (ARABIC_PATTERN, BASE_FOLD, CLITIC_MARK, CLITIC_QUOTES,  # noqa: F401
                              CLITIC_SEPARATOR_PATTERN, CLITIC_SEPARATOR_RE, COMBINING_HAMZA,
                              COMPOUND_JOINER, DIACRITICS, HAMZA_PAIRS, INVISIBLE, LATIN_PATTERN,
                              NUMBER_PATTERN, PRESENTATION_FORMS, PROCLITICS, SHADOW_CLITIC_PATTERN,
                              SHADOW_CLITIC_TEMPLATE, SHADOW_PIECES_PATTERN, SPACES, TATWEEL,
                              TOKEN_PATTERN, TOKEN_RE, TOKEN_START, TRANSPARENT, counting_expr,
                              LAM_ALEF_LIGATURES, LAM_ALEF_STAND_IN,
                              counting_replacements, counting_text, fold_table, hard_characters,
                              is_presentation_form, normalize, normalize_with_offsets, script_of,
                              shadow_replacements, terms)

_is_presentation_form = is_presentation_form   # old name, still read by entities.py until its rebuild

__all__ = ["normalize", "normalize_with_offsets", "tokenize", "tokens", "stopwords",
           "display_forms", "split_clitics", "Token"]


# --- tokenize ----------------------------------------------------------------------------------
class Token(NamedTuple):
    """One token: normalised form, original spelling, span in the input, script, detached clitic."""
    token: str
    surface: str
    start: int
    end: int
    script: str
    clitic: str = ""


class StrayClitic(NamedTuple):
    """A tatweel-separated clitic with no word after it (e.g. 'بـ *'): not a token, but recorded."""
    clitic: str
    surface: str
    start: int
    end: int


def _counting_text_with_offsets(text: str, fold_ya: bool, fold_ta_marbuta: bool):
    """``counting_text`` plus the input offset of each character and the clitic separators found."""
    s, offs = normalize_with_offsets(text, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta,
                                     keep_tatweel=True)
    out, out_offs, separators = [], [], []
    pos = 0
    for m in CLITIC_SEPARATOR_RE.finditer(s):
        cut_start, cut_end = m.start(2), m.start(3)  # clitic + its tatweel run
        out.append(s[pos:cut_start])
        out_offs.extend(offs[pos:cut_start])
        separators.append((len(out_offs), m.group(2), offs[cut_start], offs[cut_end - 1] + 1))
        out.append(" ")
        out_offs.append(offs[cut_start])
        pos = cut_end
    out.append(s[pos:])
    out_offs.extend(offs[pos:])
    joined = "".join(out)
    keep = [i for i, c in enumerate(joined) if c != TATWEEL]
    index_after_drop = {i: k for k, i in enumerate(keep)}
    clean = "".join(joined[i] for i in keep).replace(COMPOUND_JOINER, " ")
    clean_offs = [out_offs[i] for i in keep]
    seps = [(index_after_drop[i], c, a, b) for i, c, a, b in separators]
    return clean, clean_offs, seps


def _original_end(text: str, clean_offs: list[int], j: int) -> int:
    """End (exclusive) in the input of the token ending before clean index j, with trailing marks."""
    end = clean_offs[j - 1] + 1
    limit = clean_offs[j] if j < len(clean_offs) else len(text)
    while end < limit and (text[end] in DIACRITICS or text[end] in INVISIBLE or text[end] == TATWEEL):
        end += 1
    return end


def _tokenize_with_strays(text: str, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                          lowercase: bool = True, phrases: tuple[str, ...] = ()
                          ) -> tuple[list[Token], list[StrayClitic]]:
    clean, offs, separators = _counting_text_with_offsets(text, fold_ya, fold_ta_marbuta)
    if phrases:
        clean = join_compounds_text(clean, phrases)   # length-preserving: offs still apply
    toks: list[Token] = []
    pending = {}  # clean index where an attached word may start -> separator
    for sep_index, clitic, a, b in separators:
        k = sep_index + 1
        while k < len(clean) and clean[k] in CLITIC_QUOTES:
            k += 1
        pending[k] = (clitic, a, b)
    for m in TOKEN_RE.finditer(clean):
        start = offs[m.start()]
        end = _original_end(text, offs, m.end())
        token = m.group().lower() if lowercase else m.group()
        clitic = pending.pop(m.start(), ("",))[0]
        toks.append(Token(token, text[start:end], start, end, script_of(token), clitic))
    strays = [StrayClitic(c, text[a:b], a, b) for c, a, b in pending.values()]
    return toks, strays


def resolve_phrases(compounds: bool = True, phrases: Iterable[str] = ()) -> tuple[str, ...]:
    """Phrases to join: the gazetteer's (when ``compounds``) plus the user's ``phrases``."""
    return compound_phrases(check_words(phrases, "phrases"), gazetteer=check_bool(compounds, "compounds"))


def tokenize(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
             lowercase: bool = True, compounds: bool = False, phrases: Iterable[str] = ()) -> list[Token]:
    """Tokens of ``text``: Arabic words, Latin words and numbers, with offsets into ``text``.

    Punctuation (، ؛ ؟ . quotes) never sticks to a word. A clitic written with a tatweel
    (لـ"العدوان", بـ0, الـ80) is detached and kept in ``Token.clitic``, not left as a token.
    ``compounds=True`` joins the gazetteer's multiword names (``كيم_جونغ_اون``, surface the
    original span), ``phrases`` adds the user's; off by default here, on by default in ``tokens``.
    This is the reference implementation that ``tokens`` reproduces in polars.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() expects a str, got {type(text).__name__}")
    joined = resolve_phrases(compounds, phrases)
    return _tokenize_with_strays(text, fold_ya, fold_ta_marbuta, lowercase, joined)[0]


TOKEN_COLUMNS = ["id", "outlet", "position", "token", "surface", "start", "end", "script", "clitic",
                 "display", "clause"]
STRAY_COLUMNS = ["id", "outlet", *StrayClitic._fields]


def tokens(corpus: pd.DataFrame, *, compounds: bool = True, phrases: Iterable[str] = (),
           fold_ya: bool = False, fold_ta_marbuta: bool = False,
           scripts: Iterable[str] = SCRIPTS) -> pd.DataFrame:
    """Tidy token table, one row per token: ``id, outlet, position, token, surface, start, end,
    script, clitic, display``, computed for the whole corpus in polars (see ``token_frame``).

    ``token`` is the normalised form, ``surface`` the original spelling (``corpus.text[start:end]``),
    ``clitic`` a detached tatweel clitic, ``position`` the token's index in its article and
    ``display`` the most frequent surface of the token over the corpus (ties: first seen),
    ``clause`` the index of its clause in the article (a clause ends at punctuation or a line
    break, ``CLAUSE_BREAK_PATTERN``; n-grams never cross one).
    Multiword names are one token (``كيم_جونغ_اون``) unless ``compounds=False``; ``phrases`` adds
    your own (``["مجلس الأمن"]``). The same tokens as ``tokenize`` (tested on hostile text).
    Light dtypes (``INT32_COLUMNS`` int32; text ids and outlets categorical): ~94 bytes a token.
    Stray clitics (no word after them) are in ``.attrs["stray_clitics"]``; tokens of scripts not
    asked for are counted in ``.attrs["excluded_scripts"]``. With ``ARABNEWS_CACHE_DIR`` set and
    a corpus from ``load_corpus`` (``attrs["fingerprint"]``), the table is cached (Parquet).
    """
    check_corpus(corpus, ("id", "text"))
    scripts = check_scripts(scripts)
    joined = resolve_phrases(compounds, phrases)
    options = dict(fold_ya=check_bool(fold_ya, "fold_ya"), fold_ta_marbuta=check_bool(fold_ta_marbuta, "fold_ta_marbuta"),
                   scripts=scripts)
    key = _cache_key(corpus, joined, options)
    cached = cache.load("tokens", key) if key else None
    if cached is not None:
        return cached
    table = token_frame(corpus, joined, **options)
    if key:
        cache.save("tokens", key, table)
    return table


TOKENS_CACHE_VERSION = 2   # bump when the table's definition changes


def _cache_key(corpus: pd.DataFrame, phrases: tuple[str, ...], options: dict) -> str | None:
    """Cache key of a tokens table (``cache.corpus_key``: fingerprint, rows, every option)."""
    return cache.corpus_key(corpus, "tokens", TOKENS_CACHE_VERSION, list(phrases),
                            {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()})


def plain_columns(corpus: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``corpus[columns]`` (those present) without ``attrs``: pandas deep-copies attrs (load log,
    audit) on every column read, seconds on a large corpus; this frame shares the data, has none."""
    frame = cache.without_attrs(corpus)
    return frame[[c for c in dict.fromkeys(columns) if c in frame.columns]]


def text_series(corpus: pd.DataFrame) -> pl.Series:
    """The corpus ``text`` column in polars, '' where a text is missing or not a string."""
    text = plain_columns(corpus, ["text"])["text"]
    if text.empty:
        return pl.Series("text", [], dtype=pl.String)
    if pd.api.types.is_string_dtype(text) and not pd.api.types.is_object_dtype(text):
        return pl.Series("text", pl.from_pandas(text)).cast(pl.String).fill_null("")   # no object copy
    return pl.Series("text", text.where(text.map(type) == str, ""), dtype=pl.String)


def is_tokens_table(frame) -> bool:
    """True for a ``tokens()`` table (columns token, position, start, end), False for a corpus."""
    return isinstance(frame, pd.DataFrame) and {"token", "position", "start", "end"} <= set(frame.columns)


def as_tokens(corpus_or_tokens, **token_opts) -> pd.DataFrame:
    """The tokens table itself, or ``tokens(corpus, **token_opts)`` for a corpus.

    What every consumer (kwic, dispersion, n-grams, collocations) calls first, so each accepts a
    corpus or a tokens table made once; ``token_opts`` only apply to a corpus.
    """
    if is_tokens_table(corpus_or_tokens):
        return corpus_or_tokens
    return tokens(corpus_or_tokens, **token_opts)


# --- the polars engine behind tokens() -------------------------------------------------------------
BATCH_ROWS = 2_000   # articles per polars batch: memory stays bounded on large corpora
# A clause ends at sentence and clause punctuation, brackets, dashes, line breaks: n-grams and
# collocations never span two clauses (tokens' ``clause`` column numbers them per article).
CLAUSE_BREAK_PATTERN = r"[\n.!?؟،,؛;:()\[\]{}…\u2013\u2014|/*•#-]"
CLAUSE_BREAK_RE = re.compile(CLAUSE_BREAK_PATTERN)
_QUOTES_CLASS = "".join(re.escape(c) for c in CLITIC_QUOTES)


def _shadow(fold_ya: bool, fold_ta_marbuta: bool) -> pl.Expr:
    """The shadow of ``text`` (see ``arabnews.folding``): same length, stand-ins for the tokenizer."""
    table = shadow_replacements(fold_ya, fold_ta_marbuta)
    return (pl.col("text").str.replace_many(list(table), list(table.values()), leftmost=True)
            .str.replace_all(SHADOW_CLITIC_PATTERN, SHADOW_CLITIC_TEMPLATE)
            .str.replace_all(TATWEEL, TRANSPARENT, literal=True))


def _shadow_tokens(batch: pl.DataFrame, fold_ya: bool, fold_ta_marbuta: bool):
    """Token spans found on the shadow text: ``(spans, strays)``; spans have row, start, end,
    clitic, clause (count of clause breaks before the token, over the batch) and token (the
    piece without its transparent characters: the counting form, compounds aside)."""
    pieces = (batch.lazy()
              .select("row", "base", piece=pl.col("shadow").str.extract_all(SHADOW_PIECES_PATTERN))
              .explode("piece").drop_nulls("piece")
              .with_columns(length=pl.col("piece").str.len_chars().cast(pl.Int64))
              .with_columns(start=pl.col("length").cum_sum() - pl.col("length") - pl.col("base"),
                            is_token=pl.col("piece").str.contains(f"^{TOKEN_START}"))
              .with_columns(is_clitic=pl.col("is_token")
                            & pl.col("piece").shift(-1).str.starts_with(CLITIC_MARK).fill_null(False),
                            clause=(~pl.col("is_token") & pl.col("piece").str.contains(CLAUSE_BREAK_PATTERN))
                            .cum_sum().cast(pl.Int64))
              .with_row_index("i")
              .collect())
    clitics = pieces.filter("is_clitic").select("i", "row", "start", clitic=pl.col("piece").str.replace_all(
        TRANSPARENT, "", literal=True))
    after = pieces.select("piece", "is_token", "row")
    n = len(pieces)
    next_i = (clitics["i"].cast(pl.Int64) + 1).clip(upper_bound=max(n - 1, 0))
    then_i = (clitics["i"].cast(pl.Int64) + 2).clip(upper_bound=max(n - 1, 0))
    attaches = ((clitics["i"].cast(pl.Int64) + 2 < n)
                & after["piece"].gather(next_i).str.replace_all(TRANSPARENT, "", literal=True)
                .str.contains(f"^{CLITIC_MARK}[{_QUOTES_CLASS}]*$")
                & after["is_token"].gather(then_i) & (after["row"].gather(then_i) == clitics["row"]))
    clitic = pl.Series("clitic", [""] * n, dtype=pl.String).scatter(
        then_i.filter(attaches), clitics["clitic"].filter(attaches))
    spans = (pieces.with_columns(clitic=clitic)
             .filter(pl.col("is_token") & ~pl.col("is_clitic"))
             .select("row", "start", end=pl.col("start") + pl.col("length"), clitic="clitic",
                     clause="clause",
                     token=pl.col("piece").str.replace_all(TRANSPARENT, "", literal=True)
                     .str.replace_all(LAM_ALEF_STAND_IN, "لا", literal=True)))
    strays = clitics.filter(~attaches).select("row", "start", "clitic")
    return spans, strays


def _counted_tokens(batch: pl.DataFrame, phrases: tuple[str, ...], fold_ya: bool,
                    fold_ta_marbuta: bool) -> pl.DataFrame:
    """Token forms read from counting text (as ``count_terms`` reads them): row, token, parts.

    Compounds are joined only in the texts that hold the first two words of some phrase (one
    Aho-Corasick pass decides), which is most of the cost saved on a typical corpus.
    """
    text = batch.select(counting_expr(pl.col("text"), fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta))["text"]
    if phrases:
        needles = compound_needles(phrases)
        where = text.str.contains_any(needles).arg_true()
        if len(where):
            joined = pl.select(join_compounds(pl.lit(text.gather(where)), phrases)).to_series()
            text = text.scatter(where, joined)
    return (pl.DataFrame({"row": batch["row"], "token": text.str.extract_all(TOKEN_PATTERN)})
            .explode("token").drop_nulls("token")
            .with_columns(parts=pl.col("token").str.count_matches(COMPOUND_JOINER, literal=True) + 1))


def _stray_end(text: str, start: int, clitic: str) -> int:
    """End of a stray clitic's span: after the last tatweel of the run following its letters."""
    i, letters, end = start, 0, start
    while i < len(text) and (letters < len(clitic) or text[i] in DIACRITICS or text[i] in INVISIBLE
                             or text[i] == TATWEEL):
        if text[i] == TATWEEL and letters >= len(clitic):
            end = i + 1
        elif text[i] not in DIACRITICS and text[i] not in INVISIBLE:
            letters += 1
        i += 1
    return end


def _reference_rows(row: int, text: str, phrases, fold_ya: bool, fold_ta_marbuta: bool):
    """Token rows (row, token, start, end, clitic, clause) and strays of one text, by ``tokenize``."""
    toks, stray = _tokenize_with_strays(text, fold_ya, fold_ta_marbuta, True, phrases)
    rows, clause, previous_end = [], 0, None
    for t in toks:
        if previous_end is not None and CLAUSE_BREAK_RE.search(text, previous_end, t.start):
            clause += 1
        rows.append((row, t.token, t.start, t.end, t.clitic, clause))
        previous_end = t.end
    return rows, [(row, s.clitic, s.surface, s.start, s.end) for s in stray]


def _batch_frame(batch: pl.DataFrame, phrases: tuple[str, ...], fold_ya: bool, fold_ta_marbuta: bool):
    """Tokens of one batch (row, text): polars for every text the shadow can stand in for, the
    reference ``tokenize`` for the rest (texts with rare multi-letter presentation forms)."""
    hard = hard_characters(fold_ya, fold_ta_marbuta)
    is_hard = batch["text"].str.contains(hard) if hard else pl.Series([False] * len(batch))
    easy = batch.filter(~is_hard).with_columns(
        base=pl.col("text").str.len_chars().cum_sum() - pl.col("text").str.len_chars(),
        shadow=_shadow(fold_ya, fold_ta_marbuta))
    spans, strays = _shadow_tokens(easy, fold_ya, fold_ta_marbuta)
    unequal = pl.Series("row", [], dtype=pl.Int64)
    if phrases:   # texts where a phrase may occur: token forms from counting text, joined
        may_join = (easy["shadow"].str.replace_all(TRANSPARENT, "", literal=True)
                    .str.contains_any(compound_needles(phrases)) | easy["text"].str.contains(LAM_ALEF_LIGATURES))
        joined_rows = easy["row"].filter(may_join)
        forms = _counted_tokens(easy.filter(may_join), phrases, fold_ya, fold_ta_marbuta)
        inside = spans.filter(pl.col("row").is_in(joined_rows.implode()))
        n_spans = inside.group_by("row").len("n").join(forms.group_by("row").agg(n=pl.col("parts").sum()),
                                                        on="row", how="full", coalesce=True)
        unequal = n_spans.filter(pl.col("n").fill_null(0) != pl.col("n_right").fill_null(0))["row"]
        if len(unequal):   # not seen in tests; the reference is right by definition
            inside, forms = (f.filter(~pl.col("row").is_in(unequal.implode())) for f in (inside, forms))
            strays = strays.filter(~pl.col("row").is_in(unequal.implode()))
        first = (forms["parts"].cum_sum() - forms["parts"]).cast(pl.Int64)
        last = first + forms["parts"] - 1
        compound = pl.DataFrame({"row": forms["row"], "token": forms["token"],
                                 "start": inside["start"].gather(first), "end": inside["end"].gather(last),
                                 "clitic": inside["clitic"].gather(first), "clause": inside["clause"].gather(first)})
        plain = spans.filter(~pl.col("row").is_in(joined_rows.implode())).select(compound.columns)
        out = pl.concat([plain, compound.cast(plain.schema)]).sort("row", maintain_order=True)
    else:
        out = spans.select("row", "token", "start", "end", "clitic", "clause")
    lo = int(batch["row"][0]) if len(batch) else 0
    texts = batch["text"]
    out = (out.with_columns(text=texts.gather(out["row"] - lo))
           .with_columns(surface=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")),
                         clause=pl.col("clause") - pl.col("clause").min().over("row"))
           .drop("text"))
    stray_rows = [(row, c, texts[row - lo][a:_stray_end(texts[row - lo], a, c)], a,
                   _stray_end(texts[row - lo], a, c)) for row, a, c in strays.iter_rows()]
    slow = batch.filter(is_hard | pl.col("row").is_in(unequal.implode()))
    slow_rows = []
    for row, text in slow.select("row", "text").iter_rows():
        rows, stray = _reference_rows(row, text, phrases, fold_ya, fold_ta_marbuta)
        slow_rows.extend(rows)
        stray_rows.extend(stray)
    columns = ["row", "token", "start", "end", "clitic", "clause", "surface"]
    out = out.select(columns)
    if slow_rows:
        extra = (pl.DataFrame(slow_rows, schema=columns[:-1], orient="row")
                 .with_columns(text=texts.gather(pl.Series([r[0] - lo for r in slow_rows])))
                 .with_columns(surface=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
                 .drop("text"))
        out = pl.concat([out, extra.cast(out.schema)]).sort("row", maintain_order=True)
    return out, stray_rows, len(slow)


def script_expr(token: pl.Expr | None = None) -> pl.Expr:
    """``script_of`` as a polars expression (of the ``token`` column by default)."""
    token = pl.col("token") if token is None else token
    return (pl.when(token.str.contains(f"[{LATIN_LETTER}]")).then(pl.lit("latin"))
            .when(token.str.contains("^[0-9]")).then(pl.lit("number")).otherwise(pl.lit("arabic")))


def _display_table(frame: pl.DataFrame) -> pl.DataFrame:
    """token -> most frequent surface (ties: the first seen)."""
    return (frame.with_row_index("i").group_by("token", "surface").agg(n=pl.len(), first=pl.col("i").min())
            .sort(["n", "first"], descending=[True, False])
            .group_by("token", maintain_order=True).agg(display=pl.col("surface").first()))


# The table's light dtypes (about 90 bytes a token instead of 160 on SaudiNewsNet): positions and
# offsets as int32, text ids and outlets as categoricals of the values seen (a long id is stored
# once per article, not per token); the token-level text columns stay Arrow strings, so they compare
# with each other and value_counts() lists only what occurs.
INT32_COLUMNS = ["position", "start", "end", "clause"]


def _per_article(values: np.ndarray, rows: np.ndarray):
    """``values[rows]``; a categorical (of the values seen) when the values are text (ids, outlets)."""
    if pd.api.types.infer_dtype(values, skipna=False) != "string":
        return values[rows]
    codes, categories = pd.factorize(values)
    return pd.Categorical.from_codes(codes[rows], categories=categories).remove_unused_categories()


def token_frame(corpus: pd.DataFrame, phrases: tuple[str, ...] = (), *, fold_ya: bool = False,
                fold_ta_marbuta: bool = False, scripts: Iterable[str] = SCRIPTS,
                display: bool = True) -> pd.DataFrame:
    """The ``tokens`` table, built batch by batch in polars (``phrases`` already resolved);
    ``display=False`` leaves out the ``display`` column (a corpus-wide pass kwic does not need)."""
    corpus = plain_columns(corpus, ["id", "outlet", "text"])
    texts = text_series(corpus)
    parts, strays, n_slow = [], [], 0
    for lo in range(0, len(corpus), BATCH_ROWS):
        chunk = texts[lo:lo + BATCH_ROWS]
        batch = pl.DataFrame({"row": pl.int_range(lo, lo + len(chunk), eager=True, dtype=pl.Int64), "text": chunk})
        part, stray, slow = _batch_frame(batch, phrases, fold_ya, fold_ta_marbuta)
        parts.append(part)
        strays.extend(stray)
        n_slow += slow
    schema = {"row": pl.Int64, "token": pl.String, "start": pl.Int64, "end": pl.Int64,
              "clitic": pl.String, "clause": pl.Int64, "surface": pl.String}
    frame = pl.concat([p.cast(schema) for p in parts]) if parts else pl.DataFrame(schema=schema)
    frame = frame.with_columns(position=pl.int_range(pl.len()).over("row"), script=script_expr())
    if display:
        frame = frame.join(_display_table(frame), on="token", how="left", maintain_order="left")
    excluded = frame.filter(~pl.col("script").is_in(scripts))["script"].value_counts()
    frame = frame.filter(pl.col("script").is_in(scripts))
    ids = corpus["id"].to_numpy()
    outlets = (corpus["outlet"] if "outlet" in corpus.columns else pd.Series("", index=corpus.index)).to_numpy()
    rows = frame["row"].to_numpy()
    df = frame.select(c for c in TOKEN_COLUMNS[2:] if c in frame.columns).with_columns(
        pl.col(INT32_COLUMNS).cast(pl.Int32)).to_pandas()
    df.insert(0, "id", _per_article(ids, rows))
    df.insert(1, "outlet", _per_article(outlets, rows))
    stray_df = pd.DataFrame([(ids[r], outlets[r], c, s, a, b) for r, c, s, a, b in strays], columns=STRAY_COLUMNS)
    df.attrs["stray_clitics"] = stray_df
    df.attrs["excluded_scripts"] = {k: int(v) for k, v in excluded.iter_rows()}
    df.attrs["reference_articles"] = n_slow   # articles tokenised by the pure-Python reference
    return df


# --- stopwords ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _base_stopwords() -> frozenset[str]:
    """The arabic-stopwords list, normalised, minus the content-word stems of stopwords_keep.txt."""
    from arabicstopwords.arabicstopwords import stopwords_list
    keep = [normalize(s) for s in read_word_list("stopwords_keep.txt")]
    words = {normalize(w) for w in stopwords_list()}
    return frozenset(w for w in words if not any(stem in w for stem in keep))


@functools.lru_cache(maxsize=None)
def _reporting_verbs() -> frozenset[str]:
    return frozenset(normalize(w) for w in read_word_list("reporting_verbs.txt"))


def stopwords(extra: Iterable[str] = (), remove: Iterable[str] = (),
              reporting_verbs: bool = True) -> frozenset[str]:
    """Normalised stopword set: the arabic-stopwords list (all clitic forms) + news reporting verbs.

    Compass words (الشمالي, الغربية ...) are taken out of the package list: see stopwords_keep.txt.

    ``extra`` words are added and ``remove`` words taken out, both normalised first.
    """
    extra, remove = check_words(extra, "extra"), check_words(remove, "remove")
    reporting_verbs = check_bool(reporting_verbs, "reporting_verbs")
    words = set(_base_stopwords())
    if reporting_verbs:
        words |= _reporting_verbs()
    words |= {normalize(w) for w in extra}
    words -= {normalize(w) for w in remove}
    return frozenset(words)


# --- display forms -----------------------------------------------------------------------------
def display_forms(corpus_or_tokens: pd.DataFrame, **token_opts) -> pd.DataFrame:
    """Most frequent original spelling of each normalised term: ``term, display, n_forms, count``,
    sorted by term. Accepts the corpus (tokenised here) or a ``tokens()`` table; ties go to the
    form seen first (the rule of the tokens table's ``display`` column)."""
    tok = pl.from_pandas(as_tokens(corpus_or_tokens, **token_opts)[["token", "surface"]])
    forms = (tok.with_row_index("i").group_by("token", "surface").agg(n=pl.len(), first=pl.col("i").min())
             .sort(["token", "n", "first"], descending=[False, True, False])
             .group_by("token", maintain_order=True)
             .agg(display=pl.col("surface").first(), n_forms=pl.len(), count=pl.col("n").sum())
             .rename({"token": "term"}))
    out = forms.to_pandas()
    return out.astype({"n_forms": "int64", "count": "int64"})


# --- light proclitic split (opt-in) --------------------------------------------------------------


def clitic_map(term_counts: dict[str, int], *, proclitics: Iterable[str] = PROCLITICS,
               min_base_count: int = 1, min_base_len: int = 3) -> dict[str, tuple[str, str]]:
    """term -> (clitic, base) for terms whose proclitic-stripped base is itself an attested term.

    Only Arabic terms are split; the shortest attested base wins (والعدوان -> عدوان when both
    العدوان and عدوان occur, else -> العدوان). Clitics come from data/proclitics.txt. Bases
    shorter than ``min_base_len`` letters are never used (الله must not become ال + له).
    """
    clitics = sorted(set(proclitics), key=len, reverse=True)
    attested = {t for t, c in term_counts.items() if c >= min_base_count}
    mapping = {}
    for term in term_counts:
        if script_of(term) != "arabic":
            continue
        best = None
        for clitic in clitics:
            base = term[len(clitic):]
            if term.startswith(clitic) and len(base) >= min_base_len and base in attested:
                if best is None or len(base) < len(best[1]):
                    best = (clitic, base)
        if best:
            mapping[term] = best
    return mapping


def split_clitics(tok: pd.DataFrame, *, proclitics: Iterable[str] = PROCLITICS,
                  min_base_count: int = 1, min_base_len: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Opt-in light split: strip و/ف/ب/ل/ك/ال (and combinations) only where the rest is attested.

    Returns ``(tokens, merges)``: the token table with ``token`` replaced by the base and the
    stripped prefix in ``split_clitic``, and ``merges`` = ``term, clitic, base, count`` (what was
    merged into what, so a reader can check it: no stemmer-style damage like واشنطن -> شنط).
    """
    if "token" not in tok.columns:
        raise ValueError("split_clitics() expects a tokens() table (column 'token')")
    counts = tok["token"].value_counts().to_dict()
    mapping = clitic_map(counts, proclitics=proclitics, min_base_count=min_base_count,
                         min_base_len=min_base_len)
    out = tok.copy()
    out["split_clitic"] = out["token"].map(lambda t: mapping.get(t, ("", t))[0])
    out["token"] = out["token"].map(lambda t: mapping.get(t, ("", t))[1])
    merges = pd.DataFrame([(t, c, b, counts[t]) for t, (c, b) in mapping.items()],
                          columns=["term", "clitic", "base", "count"])
    return out, merges.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)
