"""One normalisation definition: the fold table, counting text and the token pattern.

``normalize`` folds the spelling noise of web news text (diacritics, tatweel, hamza-alef variants,
Persian letters, Arabic-Indic digits, invisible controls) so that counts are counts of words, not
of keyboard habits. ``normalize_with_offsets`` is the reference (character by character, keeping
each output character's position in the input); ``normalize`` (``str.translate`` over
``fold_table``) and ``counting_text`` are derived from the same table, and ``counting_expr`` is
the same counting text as a polars expression (``str.replace_many`` over ``counting_replacements``).

Tokens are defined once, as a regular expression (``TOKEN_PATTERN``) applied to *counting text*
(normalised, Latin lower-cased, a tatweel after a word-initial proclitic turned into a separator,
see ``data/proclitics.txt``). ``arabnews.text`` builds tokenize/tokens on these; every counter
in the suite uses the same names, so all agree. This module imports only ``checks``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable

import polars as pl

from arabnews.checks import ARABIC_LETTER, LATIN_LETTER, read_word_list

__all__: list[str] = []   # building blocks; the public verbs are re-exported by arabnews.text

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


def is_presentation_form(ch: str) -> bool:
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
        if is_presentation_form(ch):  # e.g. U+FEFB LAM-ALEF ligature -> لا
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
        source = unicodedata.normalize("NFKC", ch) if is_presentation_form(ch) else ch
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


def counting_expr(expr: pl.Expr, *, fold_ya: bool = False, fold_ta_marbuta: bool = False) -> pl.Expr:
    """``counting_text`` as a polars expression over a text column (same result, row by row)."""
    table = counting_replacements(fold_ya, fold_ta_marbuta)
    text = expr.str.replace_many(list(table), list(table.values()), leftmost=True)
    return (pl.when(text.str.contains(TATWEEL, literal=True))
            .then(text.str.replace_all(CLITIC_SEPARATOR_PATTERN, "${1} ${3}")
                  .str.replace_all(TATWEEL, "", literal=True))
            .otherwise(text))


# --- the shadow text: token boundaries on the original text, in polars ------------------------------
# Normalisation deletes and composes characters, so offsets found on counting text are not offsets
# into the input. The *shadow* of a text has the input's length and, at each position, a stand-in
# with the same role for the token pattern: the folded letter, TRANSPARENT for a character that
# normalisation deletes (diacritics, invisibles; tatweel after the clitic rule), CLITIC_MARK for the
# first tatweel after a detached proclitic. SHADOW_TOKEN_PATTERN is TOKEN_PATTERN (without
# compounds) with transparent characters allowed after every character: keep the two in step
# (tests/test_text.py proves them equal on hostile text).
TRANSPARENT, CLITIC_MARK, OTHER_MARK = "\ue000", "\ue001", "\ue002"
LAM_ALEF_STAND_IN = "\ue003"   # a lam-alef ligature (ﻻ -> لا) is one letter in the shadow
LAM_ALEF_LIGATURES = "[\ufef5-\ufefc]"
_T = f"[{TRANSPARENT}]*"


def _is_lam_alef(folded: str) -> bool:
    return folded == "لا"


@functools.lru_cache(maxsize=None)
def shadow_replacements(fold_ya: bool = False, fold_ta_marbuta: bool = False) -> dict[str, str]:
    """Length-preserving literal replacements that turn a text into its shadow (see above).

    Presentation forms that fold into several characters (other than lam-alef) or into a tatweel
    have no stand-in:
    texts holding one (``HARD_CHARACTERS``) are tokenised by the pure-Python reference.
    """
    counting = counting_replacements(fold_ya, fold_ta_marbuta)
    table = {c: OTHER_MARK for c in (TRANSPARENT, CLITIC_MARK, OTHER_MARK, LAM_ALEF_STAND_IN)}
    for source, target in counting.items():
        if len(source) == 2:                      # base + combining hamza -> composed + transparent
            table[source] = target + TRANSPARENT
        elif target == "":
            table[source] = TRANSPARENT
        elif target == TATWEEL:   # a presentation form holding a tatweel: not a trailing mark
            continue
        elif len(target) == 1:
            table[source] = target
        elif _is_lam_alef(target):
            table[source] = LAM_ALEF_STAND_IN
    return {**{k: v for k, v in table.items() if len(k) == 2},
            **{k: v for k, v in table.items() if len(k) == 1}}


@functools.lru_cache(maxsize=None)
def hard_characters(fold_ya: bool = False, fold_ta_marbuta: bool = False) -> str:
    """Regex class of the characters ``shadow_replacements`` cannot stand in for ('' if none)."""
    counting, shadow = counting_replacements(fold_ya, fold_ta_marbuta), shadow_replacements(fold_ya, fold_ta_marbuta)
    hard = sorted(k for k in counting if len(k) == 1 and k not in shadow)
    return "[" + "".join(re.escape(c) for c in hard) + "]" if hard else ""


def _transparent(letters: str) -> str:
    return _T.join(re.escape(c) for c in letters)


_SHADOW_NOT_LETTER = f"[^{ARABIC_LETTER}{LAM_ALEF_STAND_IN}{TATWEEL}{TRANSPARENT}]"
# CLITIC_SEPARATOR_PATTERN with transparent characters allowed between its parts; the first
# tatweel becomes CLITIC_MARK (template), the rest are left as they are.
SHADOW_CLITIC_PATTERN = (
    f"(^|{_SHADOW_NOT_LETTER})({_T})({'|'.join(_transparent(c) for c in PROCLITICS)})({_T}){TATWEEL}"
    f"([{TRANSPARENT}{TATWEEL}]*)({_transparent('ال')}|{_SHADOW_NOT_LETTER}|$)")
SHADOW_CLITIC_TEMPLATE = "${1}${2}${3}${4}" + CLITIC_MARK + "${5}${6}"
_LAT, _AR = LATIN_LETTER, ARABIC_LETTER + LAM_ALEF_STAND_IN
SHADOW_TOKEN_PATTERN = (
    f"(?:[0-9]{_T})*[{_LAT}]{_T}(?:[{_LAT}0-9]{_T})*(?:-{_T}(?:[{_LAT}0-9]{_T})+)*"   # LATIN
    f"|(?:[0-9]{_T})+(?:[.,\u066B\u066C]{_T}(?:[0-9]{_T})+)*"                       # NUMBER
    f"|[{_AR}][{_AR}{TRANSPARENT}]*")                                                # ARABIC
TOKEN_START = f"[{_AR}{_LAT}0-9]"
# Every character of a shadow text falls in exactly one piece: a token, or a run of characters
# that cannot start one; cumulative piece lengths are the offsets.
SHADOW_PIECES_PATTERN = f"{SHADOW_TOKEN_PATTERN}|[^{_AR}{_LAT}0-9]+|(?s:.)"


# --- display spellings: the original words behind the terms ----------------------------------------
# An original word as written (letters with their marks, tatweel, ligatures, joiners): the
# spelling shown for the term it normalises to.
DIGITS = "0-9\u0660-\u0669\u06F0-\u06F9"
SURFACE_PATTERN = (f"{LATIN_PATTERN}|[{DIGITS}]+(?:[.,\u066B\u066C][{DIGITS}]+)*|"
                   f"[{ARABIC_LETTER}\u0640\u064B-\u065F\u0670\u06D6-\u06ED\u200c\u200d"
                   f"\uFB50-\uFDFF\uFE70-\uFEFC]+")


def display_table(surfaces: pl.DataFrame, **fold) -> pl.DataFrame:
    """``term, display`` from ``surface, n, first`` (spelling, count, first position): the most
    frequent original spelling of each normalised term, ties to the one seen first."""
    mapped = (surfaces.with_columns(term=counting_expr(pl.col("surface"), **fold).str.extract_all(TOKEN_PATTERN))
              .filter(pl.col("term").list.len() == 1)
              .with_columns(pl.col("term").list.first()))
    return (mapped.sort(["term", "n", "first"], descending=[False, True, False])
            .group_by("term", maintain_order=True).agg(display=pl.col("surface").first()))
