"""Multiword names as one term (quanteda's ``tokens_compound``): ``كيم جونغ أون`` -> ``كيم_جونغ_اون``.

Phrases are every multiword spelling variant of ``data/gazetteer.csv`` plus any the user gives,
normalised like counting text. Joining acts on *counting text* (normalised, Latin lower-cased,
clitic tatweels turned into spaces, see ``arabnews.text.counting_text``) and is length-preserving:
the one space or hyphen between two words of a phrase occurrence becomes ``_``, so offsets found
on the joined text are offsets into the unjoined text, and ``text.TOKEN_PATTERN`` reads the
``_``-joined words as one token.

Matching rule (the same in polars and in pure Python, from one set of regular expressions):
- whole words only: a phrase never matches inside a longer word (``مجلس الأمن`` is not joined in
  ``مجلس الأمنية``), the character before it and after it must not be an Arabic letter or ``_``;
- a leading proclitic without the article is allowed and stays part of the joined token:
  و ف ب ل ك وب ول وك فب فل فك (``وكيم_جونغ_اون``); ``لل`` + a phrase starting with ال
  (``للولايات_المتحدة``) is matched too;
- words are separated by exactly one space or one hyphen (``كيم جونغ-أون``); a line break or
  punctuation between them is not a phrase occurrence;
- longest first: phrases with more words are joined first, then, at one position, the longest
  spelling wins.
Only phrases made of two or more Arabic words are compounds (``NK News`` is not).
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, NamedTuple

import pandas as pd
import polars as pl

from arabnews import DATA_DIR
from arabnews.checks import ARABIC_LETTER, check_bool, check_words
from arabnews.folding import PROCLITICS, TOKEN_RE, counting_text, script_of

__all__ = ["compound_phrases", "join_compounds", "join_compounds_text"]

GAZETTEER_PATH = DATA_DIR / "gazetteer.csv"
JOINER = "_"
# Proclitics allowed before a phrase: those without the article (ال + a name is not a name).
PHRASE_CLITICS = tuple(c for c in PROCLITICS if "ال" not in c and not c.endswith("لل"))
_NOT_WORD = f"[^{ARABIC_LETTER}{JOINER}]"


def normalize_phrase(phrase: str) -> str:
    """A phrase as space-separated counting-text words ('كيم جونغ-أون' -> 'كيم جونغ اون')."""
    return " ".join(TOKEN_RE.findall(counting_text(phrase)))


def _is_compound(normalised: str) -> bool:
    words = normalised.split(" ")
    return len(words) >= 2 and all(script_of(w) == "arabic" for w in words)


@functools.lru_cache(maxsize=4)
def _gazetteer_phrases(path: str) -> tuple[str, ...]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "variant" not in table.columns:
        raise ValueError(f"{path} has no 'variant' column; columns: {list(table.columns)}")
    found = (normalize_phrase(v) for v in table["variant"])
    return tuple(p for p in found if _is_compound(p))


def _longest_first(phrases: Iterable[str]) -> tuple[str, ...]:
    unique = set(phrases)
    return tuple(sorted(unique, key=lambda p: (-p.count(" "), -len(p), p)))


def compound_phrases(extra: Iterable[str] = (), gazetteer: bool = True) -> tuple[str, ...]:
    """Normalised multiword phrases to join, longest first: the gazetteer's multiword variants
    (when ``gazetteer``) plus the ``extra`` phrases.

    An ``extra`` phrase that is not two or more Arabic words raises a ValueError naming it.
    """
    extra = check_words(extra, "extra")
    gazetteer = check_bool(gazetteer, "gazetteer")
    phrases = list(_gazetteer_phrases(str(GAZETTEER_PATH))) if gazetteer else []
    for phrase in extra:
        normalised = normalize_phrase(phrase)
        if not _is_compound(normalised):
            raise ValueError(f"extra phrase {phrase!r} is not two or more Arabic words "
                             f"(normalised: {normalised!r}); a compound joins Arabic words only")
        phrases.append(normalised)
    return _longest_first(phrases)


# --- the joining rules (one definition, two engines) --------------------------------------------
class CompoundRule(NamedTuple):
    """One replacement pass: phrases of one word count. ``rust``/``python`` differ only in how
    they write 'end of text'; ``template`` uses ``${n}`` groups (polars), ``python_template``
    the same groups as ``\\g<n>``."""
    rust: str
    python: re.Pattern
    template: str
    python_template: str


def _spellings(phrase: str) -> list[str]:
    """The phrase, plus its ل + ال -> لل form when it starts with the article (للولايات المتحدة)."""
    forms = [phrase]
    if phrase.startswith("ال"):
        forms.append("ل" + phrase[1:])
    return forms


@functools.lru_cache(maxsize=16)
def compound_rules(phrases: tuple[str, ...]) -> tuple[CompoundRule, ...]:
    """Regular expressions that join ``phrases`` (normalised, space-separated), most words first.

    Each rule matches ``(boundary)(clitic)(w1)[ -](w2)...(boundary)`` for every phrase of one
    word count; every phrase has its own word groups, and the template writes all of them with
    ``_`` between word positions: unmatched groups are empty, so only the matched phrase shows.
    The boundary characters are consumed, so two occurrences sharing one separator need a
    second pass (applied by both engines).
    """
    by_words: dict[int, list[str]] = {}
    for phrase in _longest_first(f for p in phrases for f in _spellings(p)):
        by_words.setdefault(phrase.count(" ") + 1, []).append(phrase)
    clitics = "|".join(sorted(PHRASE_CLITICS, key=len, reverse=True))
    rules = []
    for k in sorted(by_words, reverse=True):
        alternatives, word_groups = [], [[] for _ in range(k)]
        group = 2  # 1 = boundary before, 2 = clitic
        for phrase in by_words[k]:
            parts = []
            for j, word in enumerate(phrase.split(" ")):
                group += 1
                word_groups[j].append(group)
                parts.append(f"({re.escape(word)})")
            alternatives.append("[ -]".join(parts))
        last = group + 1
        body = f"(^|{_NOT_WORD})((?:{clitics})??)(?:{'|'.join(alternatives)})({_NOT_WORD}|"
        words = [["".join(f"${{{g}}}" for g in gs), "".join(f"\\g<{g}>" for g in gs)]
                 for gs in word_groups]
        rules.append(CompoundRule(
            rust=body + "$)",
            python=re.compile(body + r"\Z)"),
            template="${1}${2}" + JOINER.join(w[0] for w in words) + f"${{{last}}}",
            python_template=r"\g<1>\g<2>" + JOINER.join(w[1] for w in words) + f"\\g<{last}>"))
    return tuple(rules)


@functools.lru_cache(maxsize=16)
def compound_needles(phrases: tuple[str, ...]) -> list[str]:
    """Literal strings one of which every occurrence of a phrase contains (its first two words,
    with either separator): a cheap test for texts that need ``join_compounds`` at all."""
    pairs = {" ".join(f.split(" ")[:2]) for p in phrases for f in _spellings(p)}
    return sorted(pairs | {pair.replace(" ", "-") for pair in pairs})


PASSES = 2  # a second pass joins occurrences whose left boundary the first pass consumed


def join_compounds(expr: pl.Expr, phrases: Iterable[str]) -> pl.Expr:
    """``expr`` (counting text) with every occurrence of ``phrases`` joined by ``_``; same length.

    ``phrases`` are normalised phrases, as ``compound_phrases()`` returns them.
    """
    for rule in compound_rules(tuple(phrases)):
        for _ in range(PASSES):
            expr = expr.str.replace_all(rule.rust, rule.template)
    return expr


def join_compounds_text(text: str, phrases: Iterable[str]) -> str:
    """Pure-Python ``join_compounds`` for one counting text (the same rules, the same result)."""
    for rule in compound_rules(tuple(phrases)):
        for _ in range(PASSES):
            text = rule.python.sub(rule.python_template, text)
    return text


# --- the same rules on words: one pass over the text, for counting ----------------------------------
# Counting text cut into pieces: an Arabic word (a maximal run of Arabic letters) and everything up
# to the next one. A phrase occurrence is a run of pieces whose separators are exactly " " or "-".
PIECE_PATTERN = f"[{ARABIC_LETTER}]+[^{ARABIC_LETTER}]*"
PIECE_RE = re.compile(PIECE_PATTERN)
_WORD_RE = re.compile(f"[{ARABIC_LETTER}]+")
SEPARATORS = (" ", "-")


class PhraseTable(NamedTuple):
    """``compound_rules`` as lookups: per rule (most words first) first word -> the phrases (word
    tuples) in the rule's order; the clitics in the order the rule tries them ("" first); the
    pieces a phrase can start at (clitic + first word + separator); the most words in a phrase."""
    rules: tuple[dict[str, tuple[tuple[str, ...], ...]], ...]
    clitics: tuple[str, ...]
    starts: frozenset[str]
    width: int


@functools.lru_cache(maxsize=16)
def phrase_table(phrases: tuple[str, ...]) -> PhraseTable:
    """The lookups that ``match_pieces`` joins ``phrases`` with (the same order as ``compound_rules``)."""
    by_words: dict[int, list[tuple[str, ...]]] = {}
    for phrase in _longest_first(f for p in phrases for f in _spellings(p)):
        by_words.setdefault(phrase.count(" ") + 1, []).append(tuple(phrase.split(" ")))
    rules = []
    for k in sorted(by_words, reverse=True):
        first: dict[str, list[tuple[str, ...]]] = {}
        for words in by_words[k]:
            first.setdefault(words[0], []).append(words)
        rules.append({w: tuple(v) for w, v in first.items()})
    clitics = ("",) + tuple(sorted(PHRASE_CLITICS, key=len, reverse=True))
    firsts = {words[0] for group in by_words.values() for words in group}
    starts = frozenset(c + w + s for c in clitics for w in firsts for s in SEPARATORS)
    return PhraseTable(tuple(rules), clitics, starts, max(by_words, default=0))


def _match_at(p: int, rule: dict, pieces: dict[int, tuple[str, str]], joined: set[int],
              clitics: tuple[str, ...]) -> int:
    """Words of the phrase of ``rule`` the regex would join starting at piece ``p`` (0: none):
    clitics tried shortest ("" first), then the rule's phrases in order, as the rule's regex does."""
    word = pieces[p][0]
    for clitic in clitics:
        if not word.startswith(clitic):
            continue
        for words in rule.get(word[len(clitic):], ()):
            if all((q := p + j) in pieces and q not in joined and pieces[q - 1][1] in SEPARATORS
                   and pieces[q][0] == words[j] for j in range(1, len(words))):
                return len(words)
    return 0


def match_pieces(pieces: dict[int, tuple[str, str]], table: PhraseTable) -> list[tuple[int, int]]:
    """(first piece, words) of every occurrence ``join_compounds_text`` joins, from the pieces
    ``position -> (word, separator after it)`` of one text (at least every piece that can start a
    phrase and the ``table.width - 1`` after it).

    The regex passes, replayed on words: rules most words first, each applied ``PASSES`` times,
    left to right; a joined word takes part in no later match; an occurrence right after one the
    same pass joined, behind a one-character separator, waits for the next pass (the regex used
    that character as the first match's right boundary)."""
    hits = sorted(p for p, (word, sep) in pieces.items() if word + sep in table.starts)
    joined: set[int] = set()
    found = []
    for rule in table.rules:
        for _ in range(PASSES):
            last = None
            for p in hits:
                if p in joined or (last is not None and p == last + 1 and len(pieces[last][1]) == 1):
                    continue
                k = _match_at(p, rule, pieces, joined, table.clitics)
                if k:
                    joined.update(range(p, p + k))
                    found.append((p, k))
                    last = p + k - 1
    return sorted(found)


def _split_piece(piece: str) -> tuple[str, str]:
    end = _WORD_RE.match(piece).end()
    return piece[:end], piece[end:]


def join_compounds_words(text: str, phrases: Iterable[str]) -> str:
    """``join_compounds_text`` computed the word way (``match_pieces``): the same result, one pass."""
    table = phrase_table(tuple(phrases))
    matches = list(PIECE_RE.finditer(text))
    pieces = {i: _split_piece(m.group()) for i, m in enumerate(matches)}
    chars = list(text)
    for p, k in match_pieces(pieces, table):
        for q in range(p, p + k - 1):
            chars[matches[q].start() + len(pieces[q][0])] = JOINER
    return "".join(chars)


def compound_count_changes(frame: pl.DataFrame, phrases: Iterable[str]) -> pl.DataFrame:
    """``doc, term, count``: what joining ``phrases`` changes in per-document token counts of the
    counting text ``frame["text"]`` (+1 per compound occurrence, -1 per word it joined).

    One scan of each text that holds a phrase's first two words (``compound_needles``), then
    ``match_pieces`` on the few pieces that can start a phrase and those after them: the same
    terms as counting ``join_compounds`` text, without its regex passes over every text."""
    empty = pl.DataFrame(schema={"doc": frame.schema["doc"], "term": pl.String, "count": pl.Int64})
    phrases = tuple(phrases)
    table = phrase_table(phrases)
    if not table.rules:
        return empty
    window = (frame.lazy().filter(pl.col("text").str.contains_any(compound_needles(phrases)))
              .select("doc", piece=pl.col("text").str.extract_all(PIECE_PATTERN))
              .with_columns(pos=pl.int_ranges(pl.col("piece").list.len(), dtype=pl.Int64))
              .explode("piece", "pos").drop_nulls("piece")
              .filter(pl.col("piece").is_in(list(table.starts)).cast(pl.UInt8)
                      .rolling_max(table.width, min_samples=1) == 1)
              .collect())
    rows: list[tuple] = []
    by_doc: dict = {}
    for doc, pos, piece in window.select("doc", "pos", "piece").iter_rows():
        by_doc.setdefault(doc, {})[pos] = _split_piece(piece)
    for doc, pieces in by_doc.items():
        for p, k in match_pieces(pieces, table):
            words = [pieces[q][0] for q in range(p, p + k)]
            rows.append((doc, JOINER.join(words), 1))
            rows.extend((doc, w, -1) for w in words)
    if not rows:
        return empty
    return (pl.DataFrame(rows, schema=empty.schema, orient="row")
            .group_by("doc", "term").agg(pl.col("count").sum()))
