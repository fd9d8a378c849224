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
from arabnews.folding import PROCLITICS, TOKEN_PATTERN, TOKEN_RE, counting_text, script_of

__all__ = ["compound_phrases", "join_compounds", "join_compounds_text"]
# Also public, for stats: compound_count_changes (compounds in per-document counts, one scan).

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


# --- counting with compounds: the regex passes on the few spans that can hold a phrase ---------------
# A span: Arabic words each behind exactly one other character. A phrase occurrence lies inside one
# span (its words are one space or hyphen apart), and the regex passes never reach across two
# characters between spans (a match uses at most one character after it), so joining a span on its
# own gives what joining the whole text gives there.
def span_pattern(phrases: tuple[str, ...]) -> str:
    """The spans holding a phrase's first two words (``compound_needles``), whole."""
    needles = "|".join(re.escape(n) for n in sorted(compound_needles(phrases), key=len, reverse=True))
    word, other = f"[{ARABIC_LETTER}]", f"[^{ARABIC_LETTER}]"
    return f"(?:{word}+{other})*{word}*(?:{needles}){word}*(?:{other}{word}+)*"


def compound_count_changes(frame: pl.DataFrame, phrases: Iterable[str]) -> pl.DataFrame:
    """``doc, term, count``: what joining ``phrases`` changes in the per-document token counts of
    the counting text ``frame["text"]`` (+ the compounds' counts, - the words they joined).

    One scan of each text holding a phrase's first two words cuts out the spans that can hold a
    phrase (``span_pattern``, about a tenth of news text); ``join_compounds`` runs on those
    alone. The same terms as counting the whole joined text, without its passes over all of it."""
    empty = pl.DataFrame(schema={"doc": frame.schema["doc"], "term": pl.String, "count": pl.Int64})
    phrases = tuple(phrases)
    if not phrases:
        return empty
    spans = (frame.lazy().filter(pl.col("text").str.contains_any(compound_needles(phrases)))
             .select("doc", span=pl.col("text").str.extract_all(span_pattern(phrases)))
             .explode("span").drop_nulls("span")
             .with_columns(joined=join_compounds(pl.col("span"), phrases))
             .filter(pl.col("joined") != pl.col("span")))

    def counted(column: str, sign: int) -> pl.LazyFrame:
        return (spans.select("doc", term=pl.col(column).str.extract_all(TOKEN_PATTERN))
                .explode("term").with_columns(count=pl.lit(sign, dtype=pl.Int64)))

    return (pl.concat([counted("joined", 1), counted("span", -1)])
            .group_by("doc", "term").agg(pl.col("count").sum())
            .filter(pl.col("count") != 0)
            .collect())
