"""Arabic normalisation, tokens, stopwords, n-grams and collocations.

``normalize`` folds the spelling noise of web news text (diacritics, tatweel, hamza-alef variants,
Persian letters, Arabic-Indic digits, invisible controls) so that counts are counts of words, not
of keyboard habits. ``normalize_with_offsets`` does the same and keeps, for each output character,
its position in the input, so that matches found on normalised text point back at the original.

Tokens are defined once, as a regular expression applied to *counting text* (normalised text in
which a tatweel after a word-initial proclitic is a separator, see ``data/proclitics.txt``). The
same definition drives ``tokenize`` (with offsets into the original text) and the fast batch
counter in ``arabnews.stats`` (the same patterns, run by polars), so both always agree.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Iterable, NamedTuple

import pandas as pd

from arabnews.checks import ARABIC_LETTER, LATIN_LETTER, SCRIPTS, read_word_list

__all__ = ["normalize", "normalize_with_offsets", "tokenize", "tokens", "stopwords", "ngrams",
           "collocations", "display_forms", "split_clitics", "Token"]

# --- normalisation tables ---------------------------------------------------------------------
DIACRITICS = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0653", "\u0654", "\u0655"}
TATWEEL = "\u0640"
INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad")
SPACES = set("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
BASE_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # hamza / madda / wasla on alef
    "ک": "ك", "ی": "ي", "ې": "ي", "ۍ": "ي", "ھ": "ه", "ە": "ه",  # Persian / Urdu letters
}
BASE_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
BASE_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Extended (Persian) digits
COMBINING_HAMZA = {"\u0653", "\u0654", "\u0655"}
PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _is_presentation_form(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in PRESENTATION_FORMS)


def _fold_char(ch: str, *, fold_ya: bool, fold_ta_marbuta: bool, keep_tatweel: bool) -> str:
    """Normalised form of one (already NFC/NFKC) character; '' when it is dropped."""
    if ch in DIACRITICS or ch in INVISIBLE:
        return ""
    if ch == TATWEEL:
        return ch if keep_tatweel else ""
    if ch in SPACES:
        return " "
    if fold_ya and ch == "ى":
        return "ي"
    if fold_ta_marbuta and ch == "ة":
        return "ه"
    return BASE_FOLD.get(ch, ch)


def normalize_with_offsets(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                           keep_tatweel: bool = False) -> tuple[str, list[int]]:
    """Normalise ``text`` and return ``(normalised, offsets)``.

    ``offsets[i]`` is the index in ``text`` of the character that produced ``normalised[i]``, so
    ``text[offsets[i]:offsets[j - 1] + 1]`` is the original span of ``normalised[i:j]``.
    """
    out: list[str] = []
    offsets: list[int] = []
    opts = dict(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta, keep_tatweel=keep_tatweel)
    for i, ch in enumerate(text):
        if ch in COMBINING_HAMZA and i and out and offsets[-1] == i - 1:
            composed = unicodedata.normalize("NFC", text[i - 1] + ch)  # و + U+0654 -> ؤ
            if len(composed) == 1:
                out[-1] = _fold_char(composed, **opts) or out[-1]
                continue
        if _is_presentation_form(ch):  # e.g. U+FEFB LAM-ALEF ligature -> لا
            ch = unicodedata.normalize("NFKC", ch)
        for piece in ch:
            for c in _fold_char(piece, **opts):
                out.append(c)
                offsets.append(i)
    return "".join(out), offsets


# --- fast normalisation (same result as normalize_with_offsets, via str.translate) -----------------
def _hamza_compositions() -> dict[str, str]:
    """Base letter + combining hamza/madda pairs that NFC composes into one letter (و + ٔ -> ؤ)."""
    pairs = {}
    for base in range(0x0600, 0x0700):
        for mark in sorted(COMBINING_HAMZA):
            composed = unicodedata.normalize("NFC", chr(base) + mark)
            if len(composed) == 1:
                pairs[chr(base) + mark] = composed
    return pairs


HAMZA_PAIRS = _hamza_compositions()
_HAMZA_PAIR_RE = re.compile("|".join(sorted(HAMZA_PAIRS)))


@functools.lru_cache(maxsize=None)
def fold_table(fold_ya: bool = False, fold_ta_marbuta: bool = False,
               keep_tatweel: bool = False) -> dict[str, str]:
    """Every character that normalisation changes, mapped to its replacement ('' = dropped).

    Shared by ``normalize`` (``str.translate``) and the polars counter (``str.replace_many``).
    """
    opts = dict(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta, keep_tatweel=keep_tatweel)
    chars = set(DIACRITICS) | INVISIBLE | SPACES | set(BASE_FOLD) | {TATWEEL, "ى", "ة"}
    chars |= {chr(c) for lo, hi in PRESENTATION_FORMS for c in range(lo, hi + 1)}
    table = {}
    for ch in chars:
        source = unicodedata.normalize("NFKC", ch) if _is_presentation_form(ch) else ch
        folded = "".join(_fold_char(piece, **opts) for piece in source)
        if folded != ch:
            table[ch] = folded
    return table


@functools.lru_cache(maxsize=None)
def _translate_table(fold_ya: bool, fold_ta_marbuta: bool, keep_tatweel: bool) -> dict[int, str]:
    return str.maketrans(fold_table(fold_ya, fold_ta_marbuta, keep_tatweel))


def normalize(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
              keep_tatweel: bool = False) -> str:
    """Fold diacritics, tatweel, alef variants, Persian letters, digits and invisibles. Idempotent.

    ى and ة are kept by default: folding them merges real words (على/علي, زميلة/زميله).
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects a str, got {type(text).__name__}")
    if any(mark in text for mark in COMBINING_HAMZA):
        text = _HAMZA_PAIR_RE.sub(lambda m: HAMZA_PAIRS[m.group()], text)
    return text.translate(_translate_table(fold_ya, fold_ta_marbuta, keep_tatweel))


# --- token patterns (one definition for every counting engine) ---------------------------------
# Arabic words; "_" joins the words of a multiword compound (arabnews.compounds: كيم_جونغ_اون).
# Counting text has no other "_": an underscore in the input is a separator (see counting_replacements).
COMPOUND_JOINER = "_"
ARABIC_PATTERN = f"[{ARABIC_LETTER}]+(?:{COMPOUND_JOINER}[{ARABIC_LETTER}]+)*"
# Latin words may carry digits and hyphens (KN-23, G7); a number followed by letters is Latin (5G).
LATIN_PATTERN = f"[0-9]*[{LATIN_LETTER}][{LATIN_LETTER}0-9]*(?:-[{LATIN_LETTER}0-9]+)*"
NUMBER_PATTERN = "[0-9]+(?:[.,\u066B\u066C][0-9]+)*"
TOKEN_PATTERN = f"{LATIN_PATTERN}|{NUMBER_PATTERN}|{ARABIC_PATTERN}"
TOKEN_RE = re.compile(TOKEN_PATTERN)
# Characters allowed between a detached clitic and the word it belongs to: لـ"العدوان", لـ«الألم
CLITIC_QUOTES = "\"'«»“”„‘’()[]"


PROCLITICS = tuple(sorted(read_word_list("proclitics.txt"), key=len, reverse=True))


def _clitic_separator_pattern(proclitics: Iterable[str]) -> str:
    """Word-initial proclitic + tatweel, followed by a non-letter or by ال: لـ"x", بـ0, الـ80, بـالنسبة.

    Group 1 is the preceding context, group 2 the clitic, group 3 what follows. Rust-regex and
    Python-re compatible (no look-around), so polars applies exactly the same rule.
    """
    alternatives = "|".join(sorted(proclitics, key=len, reverse=True))
    not_letter = f"[^{ARABIC_LETTER}{TATWEEL}]"
    return f"(^|{not_letter})({alternatives}){TATWEEL}+(ال|{not_letter}|$)"


CLITIC_SEPARATOR_PATTERN = _clitic_separator_pattern(PROCLITICS)
CLITIC_SEPARATOR_RE = re.compile(CLITIC_SEPARATOR_PATTERN)


@functools.lru_cache(maxsize=None)
def counting_replacements(fold_ya: bool = False, fold_ta_marbuta: bool = False) -> dict[str, str]:
    """Literal replacements that turn text into counting text, applied in this order of priority:
    hamza compositions (و + ٔ -> ؤ), the normalisation table (tatweel kept for the clitic rule),
    Latin capitals -> small letters, "_" -> space (so only compounds join words with "_").
    Shared by ``counting_text`` and the polars counter."""
    table = dict(fold_table(fold_ya, fold_ta_marbuta, keep_tatweel=True))
    table[COMPOUND_JOINER] = " "
    latin = re.compile(f"[{LATIN_LETTER}]")
    for c in map(chr, range(0x41, 0x250)):
        if latin.match(c) and c.lower() != c and len(c.lower()) == 1:
            table[c] = c.lower()
    pairs = {pair: table.get(composed, composed) for pair, composed in HAMZA_PAIRS.items()}
    return {**pairs, **table}


@functools.lru_cache(maxsize=None)
def _counting_translate(fold_ya: bool, fold_ta_marbuta: bool) -> dict[int, str]:
    return str.maketrans({k: v for k, v in counting_replacements(fold_ya, fold_ta_marbuta).items()
                          if len(k) == 1})


def counting_text(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False) -> str:
    """Normalised, Latin-lower-cased text in which clitic tatweels became spaces, other tatweels gone.

    ``TOKEN_RE.findall(counting_text(t))`` are exactly the tokens of t (what ``tokenize`` returns).
    """
    if any(mark in text for mark in COMBINING_HAMZA):
        text = _HAMZA_PAIR_RE.sub(lambda m: HAMZA_PAIRS[m.group()], text)
    s = text.translate(_counting_translate(fold_ya, fold_ta_marbuta))
    if TATWEEL in s:
        s = CLITIC_SEPARATOR_RE.sub(r"\g<1> \g<3>", s).replace(TATWEEL, "")
    return s


def terms(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False) -> list[str]:
    """Normalised tokens of ``text`` as plain strings (the fast path behind counting)."""
    return TOKEN_RE.findall(counting_text(text, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta))


_LATIN_RE = re.compile(f"[{LATIN_LETTER}]")


def script_of(token: str) -> str:
    """'latin', 'number' or 'arabic' for a token produced by the tokenizer."""
    if _LATIN_RE.search(token):
        return "latin"
    if token[:1].isdigit():
        return "number"
    return "arabic"


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
                          lowercase: bool = True) -> tuple[list[Token], list[StrayClitic]]:
    clean, offs, separators = _counting_text_with_offsets(text, fold_ya, fold_ta_marbuta)
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


def tokenize(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
             lowercase: bool = True) -> list[Token]:
    """Tokens of ``text``: Arabic words, Latin words and numbers, with offsets into ``text``.

    Punctuation (، ؛ ؟ . quotes) never sticks to a word. A clitic written with a tatweel
    (لـ"العدوان", بـ0, الـ80) is detached and kept in ``Token.clitic``, not left as a token.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() expects a str, got {type(text).__name__}")
    return _tokenize_with_strays(text, fold_ya, fold_ta_marbuta, lowercase)[0]


def _check_corpus(corpus: pd.DataFrame, needed=("id", "text")) -> None:
    """Raise a clear error when ``corpus`` is not a frame with the needed columns."""
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"expected the corpus DataFrame, got {type(corpus).__name__}")
    missing = [c for c in needed if c not in corpus.columns]
    if missing:
        raise ValueError(f"corpus is missing column(s) {missing}; has {list(corpus.columns)}")


TOKEN_COLUMNS = ["id", "outlet", "position", "token", "surface", "start", "end", "script", "clitic"]


def tokens(corpus: pd.DataFrame, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
           scripts: Iterable[str] = SCRIPTS) -> pd.DataFrame:
    """Tidy token table, one row per token: id, outlet, position, token, surface, start, end, script.

    ``clitic`` holds a detached tatweel clitic. Stray clitics (no word after them) are listed in
    ``.attrs["stray_clitics"]``; tokens of scripts not asked for, in ``.attrs["excluded_scripts"]``.
    """
    _check_corpus(corpus)
    scripts = _check_scripts(scripts)
    rows, strays = [], []
    outlets = corpus["outlet"] if "outlet" in corpus.columns else pd.Series("", index=corpus.index)
    for doc_id, outlet, text in zip(corpus["id"], outlets, corpus["text"]):
        toks, stray = _tokenize_with_strays(text if isinstance(text, str) else "", fold_ya,
                                            fold_ta_marbuta)
        rows.extend((doc_id, outlet, i) + tuple(t) for i, t in enumerate(toks))
        strays.extend((doc_id, outlet) + tuple(s) for s in stray)
    df = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    excluded = df.loc[~df["script"].isin(scripts), "script"].value_counts().to_dict()
    df = df[df["script"].isin(scripts)].reset_index(drop=True)
    df.attrs["stray_clitics"] = pd.DataFrame(strays, columns=["id", "outlet", *StrayClitic._fields])
    df.attrs["excluded_scripts"] = excluded
    return df


def _check_scripts(scripts: Iterable[str]) -> tuple[str, ...]:
    scripts = (scripts,) if isinstance(scripts, str) else tuple(scripts)
    unknown = set(scripts) - set(SCRIPTS)
    if unknown:
        raise ValueError(f"unknown script(s) {sorted(unknown)}; choose from {SCRIPTS}")
    return scripts


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


# --- n-grams and collocations ------------------------------------------------------------------
# An n-gram never spans these: sentence and clause punctuation, brackets, dashes, line breaks.
NGRAM_BREAKS = re.compile(r"[\n.!?؟،,؛;:()\[\]{}…\u2013\u2014|/*•#-]")


def _token_runs(corpus: pd.DataFrame, tok: pd.DataFrame) -> list[int]:
    """Run number of each token (in table order): a new run starts after punctuation or a line break."""
    texts = dict(zip(corpus["id"], corpus["text"]))
    runs, run, prev_id, prev_end = [], 0, object(), 0
    for doc_id, start, end in zip(tok["id"], tok["start"], tok["end"]):
        if doc_id != prev_id or NGRAM_BREAKS.search(texts[doc_id], prev_end, start):
            run += 1
        runs.append(run)
        prev_id, prev_end = doc_id, end
    return runs


def _ngram_rows(corpus: pd.DataFrame, n: int, stop: frozenset[str], **token_opts):
    tok = tokens(corpus, **token_opts)
    tok = tok.assign(run=_token_runs(corpus, tok))
    for (doc_id, outlet, _), group in tok.groupby(["id", "outlet", "run"], sort=False):
        words = list(group["token"])
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] in stop or gram[-1] in stop:
                continue
            yield doc_id, outlet, " ".join(gram)


def ngrams(corpus: pd.DataFrame, n: int = 2, *, by: str = "outlet", stopwords: Iterable[str] = (),
           min_count: int = 1, **token_opts) -> pd.DataFrame:
    """Counts of n-grams (n = 2 or 3) per group: ``<by>, ngram, count``, most frequent first.

    N-grams stay inside a clause (never across punctuation or lines); those starting or ending
    with a stopword are skipped, so 'كوريا الشمالية' is counted but 'في بيونغ' is not.
    """
    if n not in (2, 3):
        raise ValueError(f"n must be 2 or 3, got {n}")
    _check_corpus(corpus, ("id", "text", by) if by != "id" else ("id", "text"))
    stop = frozenset(stopwords)
    frame = corpus if "outlet" in corpus.columns else corpus.assign(outlet="")
    rows = pd.DataFrame(_ngram_rows(frame, n, stop, **token_opts), columns=["id", "outlet", "ngram"])
    if by not in rows.columns:
        rows = rows.merge(frame[["id", by]], on="id", how="left")
    out = rows.groupby([by, "ngram"]).size().rename("count").reset_index()
    out = out[out["count"] >= min_count]
    return out.sort_values([by, "count", "ngram"], ascending=[True, False, True], ignore_index=True)


def collocations(corpus: pd.DataFrame, *, min_count: int = 3, measure: str = "pmi",
                 stopwords: Iterable[str] = (), **token_opts) -> pd.DataFrame:
    """Adjacent word pairs ranked by association: ``w1, w2, count, count_w1, count_w2, pmi, g2``.

    PMI = log2(n(w1 w2) N / (n(w1 _) n(_ w2))) over all N bigrams in the corpus; G2 is the
    log-likelihood ratio of the same 2x2 table (Dunning 1993). Pairs seen < ``min_count`` times
    are left out (PMI overrates rare pairs).
    """
    from arabnews.stats import log_likelihood  # stats imports text; the formula lives there
    if measure not in ("pmi", "g2"):
        raise ValueError(f"measure must be 'pmi' or 'g2', got {measure!r}")
    grams = pd.DataFrame(_ngram_rows(corpus if "outlet" in corpus else corpus.assign(outlet=""),
                                     2, frozenset(), **token_opts), columns=["id", "outlet", "ngram"])
    pairs = grams["ngram"].str.split(" ", n=1, expand=True).set_axis(["w1", "w2"], axis=1)
    total = len(pairs)
    first, second = pairs["w1"].value_counts(), pairs["w2"].value_counts()
    out = pairs.value_counts().rename("count").reset_index()
    out["count_w1"] = out["w1"].map(first).astype(int)
    out["count_w2"] = out["w2"].map(second).astype(int)
    stop = frozenset(stopwords)
    out = out[(out["count"] >= min_count) & ~out["w1"].isin(stop) & ~out["w2"].isin(stop)].copy()
    out["pmi"] = [math.log2(c * total / (a * b)) for c, a, b in
                  zip(out["count"], out["count_w1"], out["count_w2"])]
    out["g2"] = log_likelihood(out["count"], out["count_w1"] - out["count"],
                               out["count_w2"] - out["count"],
                               total - out["count_w1"] - out["count_w2"] + out["count"])
    out.attrs["n_bigrams"] = total
    return out.sort_values([measure, "count"], ascending=False, ignore_index=True)


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
