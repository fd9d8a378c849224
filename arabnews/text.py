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

import pandas as pd
import polars as pl

from arabnews.checks import (SCRIPTS, check_bool, check_corpus, check_scripts, check_words,
                             read_word_list)
from arabnews.compounds import compound_phrases, join_compounds, join_compounds_text
from arabnews.folding import (BASE_FOLD, HAMZA_PAIRS, PRESENTATION_FORMS, SPACES,  # noqa: F401
                              ARABIC_PATTERN, CLITIC_QUOTES, CLITIC_SEPARATOR_PATTERN,  # noqa: F401
                              CLITIC_SEPARATOR_RE, COMBINING_HAMZA, COMPOUND_JOINER, DIACRITICS,
                              INVISIBLE, LATIN_PATTERN, NUMBER_PATTERN, PROCLITICS, TATWEEL,
                              TOKEN_PATTERN, TOKEN_RE, counting_expr, is_presentation_form, counting_replacements,
                              counting_text, fold_table, normalize, normalize_with_offsets,
                              script_of, terms)
from arabnews.folding import (CLITIC_MARK, SHADOW_CLITIC_PATTERN, SHADOW_CLITIC_TEMPLATE,
                              SHADOW_PIECES_PATTERN, TOKEN_START, TRANSPARENT, hard_characters,
                              shadow_replacements)
from arabnews.checks import LATIN_LETTER

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


def _check_corpus(corpus: pd.DataFrame, needed=("id", "text")) -> None:
    """Kept for rooms not yet moved to ``arabnews.checks.check_corpus`` (no id-uniqueness check)."""
    check_corpus(corpus, needed, unique_ids=False)


def _check_scripts(scripts: Iterable[str]) -> tuple[str, ...]:
    """Kept for rooms not yet moved to ``arabnews.checks.check_scripts``."""
    return check_scripts(scripts)


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
    Stray clitics (no word after them) are in ``.attrs["stray_clitics"]``; tokens of scripts not
    asked for are counted in ``.attrs["excluded_scripts"]``.
    """
    check_corpus(corpus, ("id", "text"))
    scripts = check_scripts(scripts)
    joined = resolve_phrases(compounds, phrases)
    return token_frame(corpus, joined, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta, scripts=scripts)


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
BATCH_ROWS = 5_000   # articles per polars batch: memory stays bounded on large corpora
# A clause ends at sentence and clause punctuation, brackets, dashes, line breaks: n-grams and
# collocations never span two clauses (tokens' ``clause`` column counts them per article).
CLAUSE_BREAK_PATTERN = r"[\n.!?؟،,؛;:()\[\]{}…\u2013\u2014|/*•#-]"
_QUOTES_CLASS = "".join(re.escape(c) for c in CLITIC_QUOTES)


def _shadow_pieces(fold_ya: bool, fold_ta_marbuta: bool) -> pl.Expr:
    """The shadow of ``text`` (see ``arabnews.folding``) cut into pieces that cover every character."""
    table = shadow_replacements(fold_ya, fold_ta_marbuta)
    shadow = (pl.col("text").str.replace_many(list(table), list(table.values()), leftmost=True)
              .str.replace_all(SHADOW_CLITIC_PATTERN, SHADOW_CLITIC_TEMPLATE)
              .str.replace_all(TATWEEL, TRANSPARENT, literal=True))
    return shadow.str.extract_all(SHADOW_PIECES_PATTERN)


def _shadow_tokens(batch: pl.DataFrame, fold_ya: bool, fold_ta_marbuta: bool):
    """Token spans found on the shadow text: ``(tokens, strays)`` with row, start, end, clitic."""
    pieces = (batch.lazy()
              .select("row", "base", piece=_shadow_pieces(fold_ya, fold_ta_marbuta))
              .explode("piece").drop_nulls("piece")
              .with_columns(length=pl.col("piece").str.len_chars())
              .with_columns(start=(pl.col("length").cum_sum() - pl.col("length") - pl.col("base")),
                            is_token=pl.col("piece").str.contains(f"^{TOKEN_START}"),
                            is_mark=pl.col("piece").str.starts_with(CLITIC_MARK))
              .with_columns(is_clitic=pl.col("is_token") & pl.col("is_mark").shift(-1, fill_value=False)
                            & (pl.col("row").shift(-1) == pl.col("row")))
              .with_columns(attaches=pl.col("is_clitic")
                            & pl.col("piece").shift(-1).str.replace_all(TRANSPARENT, "", literal=True)
                            .str.contains(f"^{CLITIC_MARK}[{_QUOTES_CLASS}]*$")
                            & pl.col("is_token").shift(-2, fill_value=False)
                            & (pl.col("row").shift(-2) == pl.col("row")))
              .with_columns(clitic=pl.when(pl.col("attaches").shift(2, fill_value=False))
                            .then(pl.col("piece").shift(2).str.replace_all(TRANSPARENT, "", literal=True))
                            .otherwise(pl.lit("")))
              .collect())
    spans = (pieces.filter(pl.col("is_token") & ~pl.col("is_clitic"))
             .select("row", "start", end=pl.col("start") + pl.col("length"), clitic="clitic"))
    strays = (pieces.filter(pl.col("is_clitic") & ~pl.col("attaches"))
              .select("row", "start", clitic=pl.col("piece").str.replace_all(TRANSPARENT, "", literal=True)))
    return spans, strays


def _counted_tokens(batch: pl.DataFrame, phrases: tuple[str, ...], fold_ya: bool,
                    fold_ta_marbuta: bool) -> pl.DataFrame:
    """Token forms read from counting text (as ``count_terms`` reads them): row, token, parts."""
    text = counting_expr(pl.col("text"), fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta)
    if phrases:
        text = join_compounds(text, phrases)
    return (batch.lazy().select("row", token=text.str.extract_all(TOKEN_PATTERN))
            .explode("token").drop_nulls("token")
            .with_columns(parts=pl.col("token").str.count_matches(COMPOUND_JOINER, literal=True) + 1)
            .collect())


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


def _batch_frame(batch: pl.DataFrame, phrases: tuple[str, ...], fold_ya: bool, fold_ta_marbuta: bool):
    """Tokens of one batch (row, text): polars for every row it can stand in for, the reference
    ``tokenize`` for the rest (texts with rare multi-letter presentation forms)."""
    hard = hard_characters(fold_ya, fold_ta_marbuta)
    is_hard = batch["text"].str.contains(hard) if hard else pl.Series([False] * len(batch))
    easy = batch.filter(~is_hard).with_columns(
        base=pl.col("text").str.len_chars().cum_sum() - pl.col("text").str.len_chars())
    spans, strays = _shadow_tokens(easy, fold_ya, fold_ta_marbuta)
    forms = _counted_tokens(easy, phrases, fold_ya, fold_ta_marbuta)
    n_spans = spans.group_by("row").len("n").join(forms.group_by("row").agg(n=pl.col("parts").sum()),
                                                   on="row", how="full", coalesce=True)
    unequal = n_spans.filter(pl.col("n").fill_null(0) != pl.col("n_right").fill_null(0))["row"]
    if len(unequal):   # should not happen; the reference is right by definition
        spans, strays = (f.filter(~pl.col("row").is_in(unequal.implode())) for f in (spans, strays))
        forms = forms.filter(~pl.col("row").is_in(unequal.implode()))
    first = (forms["parts"].cum_sum() - forms["parts"]).cast(pl.Int64)
    last = first + forms["parts"] - 1
    out = pl.DataFrame({"row": forms["row"], "token": forms["token"],
                        "start": spans["start"].gather(first), "end": spans["end"].gather(last),
                        "clitic": spans["clitic"].gather(first)})
    texts = batch.select("row", "text")
    out = (out.join(texts, on="row", how="left", maintain_order="left")
           .with_columns(surface=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
           .drop("text"))
    stray_rows = [(row, c, text[a:_stray_end(text, a, c)], a, _stray_end(text, a, c))
                  for row, a, c, text in strays.join(texts, on="row").select("row", "start", "clitic", "text")
                  .iter_rows()]
    slow = batch.filter(is_hard | pl.col("row").is_in(unequal.implode()))
    slow_rows = []
    for row, text in slow.select("row", "text").iter_rows():
        toks, stray = _tokenize_with_strays(text, fold_ya, fold_ta_marbuta, True, phrases)
        slow_rows.extend((row, t.token, t.start, t.end, t.clitic, t.surface) for t in toks)
        stray_rows.extend((row, s.clitic, s.surface, s.start, s.end) for s in stray)
    if slow_rows:
        out = pl.concat([out, pl.DataFrame(slow_rows, schema=out.schema, orient="row")]).sort("row", maintain_order=True)
    return _with_clauses(out, texts), stray_rows, len(slow)


def _with_clauses(frame: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Add ``clause``: the number of clause breaks before each token in its article."""
    previous_end = pl.col("end").shift(1).over("row")
    gap = pl.col("text").str.slice(previous_end, pl.col("start") - previous_end)
    breaks = gap.str.contains(CLAUSE_BREAK_PATTERN).fill_null(False)
    return (frame.join(texts, on="row", how="left", maintain_order="left")
            .with_columns(clause=breaks.cum_sum().over("row").cast(pl.Int64)).drop("text"))


def _script_expr() -> pl.Expr:
    """``script_of`` as a polars expression."""
    token = pl.col("token")
    return (pl.when(token.str.contains(f"[{LATIN_LETTER}]")).then(pl.lit("latin"))
            .when(token.str.contains("^[0-9]")).then(pl.lit("number")).otherwise(pl.lit("arabic")))


def _display_expr() -> pl.Expr:
    """Most frequent surface of each token (ties: the first seen), for every row."""
    n = pl.len().over("token", "surface").cast(pl.Int64)
    first = pl.int_range(pl.len(), dtype=pl.Int64).min().over("token", "surface")
    return pl.col("surface").sort_by(-n, first).first().over("token")


def token_frame(corpus: pd.DataFrame, phrases: tuple[str, ...] = (), *, fold_ya: bool = False,
                fold_ta_marbuta: bool = False, scripts: Iterable[str] = SCRIPTS) -> pd.DataFrame:
    """The ``tokens`` table, built batch by batch in polars (``phrases`` already resolved)."""
    texts = pl.Series("text", corpus["text"].where(corpus["text"].map(type) == str, ""), dtype=pl.String)
    parts, strays, n_slow = [], [], 0
    for lo in range(0, len(corpus), BATCH_ROWS):
        batch = pl.DataFrame({"row": pl.int_range(lo, lo + len(texts[lo:lo + BATCH_ROWS]), eager=True),
                              "text": texts[lo:lo + BATCH_ROWS]})
        part, stray, slow = _batch_frame(batch, phrases, fold_ya, fold_ta_marbuta)
        parts.append(part)
        strays.extend(stray)
        n_slow += slow
    schema = {"row": pl.Int64, "token": pl.String, "start": pl.Int64, "end": pl.Int64,
              "clitic": pl.String, "surface": pl.String, "clause": pl.Int64}
    frame = pl.concat([p.cast(schema) for p in parts]) if parts else pl.DataFrame(schema=schema)
    frame = frame.with_columns(position=pl.int_range(pl.len()).over("row"), script=_script_expr(),
                               display=_display_expr())
    excluded = frame.filter(~pl.col("script").is_in(scripts))["script"].value_counts()
    frame = frame.filter(pl.col("script").is_in(scripts))
    ids = corpus["id"].to_numpy()
    outlets = (corpus["outlet"] if "outlet" in corpus.columns else pd.Series("", index=corpus.index)).to_numpy()
    rows = frame["row"].to_numpy()
    df = frame.drop("row").to_pandas()
    df.insert(0, "id", ids[rows])
    df.insert(1, "outlet", outlets[rows])
    df = df[TOKEN_COLUMNS]
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
    for arg, name in ((extra, "extra"), (remove, "remove")):
        if isinstance(arg, str):
            raise TypeError(f"{name} must be a list of words, not one string")
    words = set(_base_stopwords())
    if reporting_verbs:
        words |= _reporting_verbs()
    words |= {normalize(w) for w in extra}
    words -= {normalize(w) for w in remove}
    return frozenset(words)


# --- display forms -----------------------------------------------------------------------------
def display_forms(corpus_or_tokens: pd.DataFrame) -> pd.DataFrame:
    """Most frequent original spelling of each normalised term: ``term, display, n_forms, count``.

    Accepts the corpus (tokenised here) or a ``tokens()`` table. Ties go to the form seen first.
    """
    tok = corpus_or_tokens
    if "surface" not in tok.columns:
        tok = tokens(tok)
    forms = (tok.assign(order=range(len(tok)))
             .groupby(["token", "surface"], sort=False)
             .agg(n=("order", "size"), first=("order", "min")).reset_index()
             .sort_values(["token", "n", "first"], ascending=[True, False, True]))
    best = forms.groupby("token", sort=False).agg(display=("surface", "first"),
                                                  n_forms=("surface", "size"), count=("n", "sum"))
    return best.reset_index().rename(columns={"token": "term"})


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
