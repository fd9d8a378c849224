"""How names are compared: the matching normalisation, with a map back to the original offsets.

One definition, built from ``arabnews.text.fold_table`` (ى→ي and ة→ه folded as well: web text
mixes them up in names). Letters are folded inside the matcher's regex (fold classes), so the
text itself only loses the characters normalisation deletes (diacritics, tatweel, invisibles).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from arabnews import text as arabic_text
from arabnews.checks import read_word_list

__all__ = ["MATCH_FOLDS", "NAME_SEPARATOR", "SENTENCE_END_RE", "PARAGRAPH_END_RE", "CLITICS",
           "LAM_CLITICS", "FAST_TABLE", "normalize_rare", "DELETED_RE", "SLOW_PATH_RE", "FOLD_CLASSES", "OffsetMap",
           "searchable_text", "normalize_for_matching", "match_key", "match_words", "sentence_index"]

MATCH_FOLDS = dict(fold_ya=True, fold_ta_marbuta=True)
# What may stand between the words of a multi-word name: spaces, hyphens, quotes, or nothing
# (nothing = a space lost in scraping, e.g. الولاياتالمتحدة).
NAME_SEPARATOR = ("[ \t\\-\u2010\u2011\u2013\u2014_«»\u201c\u201d\"'"
                  + "".join(sorted(arabic_text.SPACES)) + "]*")
SEPARATOR_CHARS_RE = re.compile(NAME_SEPARATOR)
WORD_SPLIT_RE = re.compile(r"\s+|" + NAME_SEPARATOR[:-1] + "+")   # separators split words
# A sentence ends at . ! ? ؟ … before a space or the end, or at a line end. Written to start
# with one character class, which lets the regex engine skip ahead in C between candidates.
SENTENCE_END_RE = re.compile(r"[.!?؟…\n](?:(?<=\n)|(?=\s|$))")
PARAGRAPH_END_RE = re.compile(r"\n")


def read_clitics(path: str = "proclitics.txt") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Proclitics from the shared list, split in two: plain ones (و ف ب ل ك وب ول ...) and the
    prefixes that precede an elided article (لل = ل + ال, so ل، ول، فل); ال forms are not used."""
    words = read_word_list(path)
    plain = [w for w in words if not w.endswith("ال") and not w.endswith("لل")]
    before_lam = [w[:-1] for w in words if w.endswith("لل")]
    by_length = lambda ws: tuple(sorted(set(ws), key=lambda w: (-len(w), w)))  # noqa: E731
    return by_length(plain), by_length(before_lam)


# Proclitics peeled off a word before looking it up, and those that stand before لل.
CLITICS, LAM_CLITICS = read_clitics()


def is_presentation_form(ch: str) -> bool:
    """True for an Arabic presentation form (ligatures and contextual shapes)."""
    return any(lo <= ord(ch) <= hi for lo, hi in arabic_text.PRESENTATION_FORMS)


def char_class(chars) -> re.Pattern:
    """Compiled regex matching any one of ``chars``."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def build_fast_table() -> tuple[dict[int, str | None], re.Pattern, re.Pattern, dict[str, str]]:
    """The matcher's normalisation split in parts, built from ``text.fold_table``.

    Returns the one-to-one/deleting str.translate table, a regex of the deleted characters, a
    regex of the rare characters (ligatures that expand, combining hamza) left to the reference,
    and for each normalised letter every letter that folds to it (ا: اأإآٱ). Presentation forms
    are all sent to the reference: they are rare, and it expands ligatures.
    """
    fold = arabic_text.fold_table(**MATCH_FOLDS)
    table = {ord(k): (v or None) for k, v in fold.items() if len(v) <= 1}
    deleted = [k for k, v in fold.items() if v == "" and k not in arabic_text.COMBINING_HAMZA]
    slow = [k for k, v in fold.items() if len(v) > 1] + sorted(arabic_text.COMBINING_HAMZA)
    slow_set = set(slow) | {k for k in fold if is_presentation_form(k)}
    preimages: dict[str, set[str]] = defaultdict(set)
    for k, v in fold.items():
        if len(v) == 1 and not v.isspace() and k not in slow_set:
            preimages[v] |= {k, v}
    classes = {v: "".join(sorted(ks)) for v, ks in preimages.items()}
    return table, char_class(deleted), char_class(slow_set), classes


FAST_TABLE, DELETED_RE, SLOW_PATH_RE, FOLD_CLASSES = build_fast_table()


@dataclass(frozen=True)
class OffsetMap:
    """Maps positions in normalised text back to the original text."""
    shifts: list[int] = field(default_factory=list)   # fast path: deletion points, normalised coords
    offsets: list[int] | None = None                  # slow path: full map from the reference

    def original(self, i: int) -> int:
        """Index in the original text of normalised character ``i``."""
        if self.offsets is not None:
            return self.offsets[i]
        return i + bisect_right(self.shifts, i)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised span ``[start, end)`` (end > start)."""
        return self.original(start), self.original(end - 1) + 1


def searchable_text(text: str) -> tuple[str, OffsetMap]:
    """``text`` with the deleting part of normalisation applied (diacritics, tatweel, invisibles).

    The matcher's regex folds letters itself (fold classes), so only deletions, which move
    offsets, are done here: a C-level substitution, usually a no-op. Text with a ligature or a
    combining hamza goes through the reference ``normalize_with_offsets`` instead.
    """
    if SLOW_PATH_RE.search(text):
        norm, offsets = normalize_rare(text)
        return norm, OffsetMap(offsets=offsets)
    pieces = DELETED_RE.split(text)   # one pass: the kept runs between deleted characters
    if len(pieces) == 1:
        return text, OffsetMap()
    # a deletion point (normalised coordinates) after each kept run but the last
    return "".join(pieces), OffsetMap(shifts=list(accumulate(map(len, pieces[:-1]))))


def normalize_rare(text: str) -> tuple[str, list[int]]:
    """``arabnews.text.normalize_with_offsets(text, **MATCH_FOLDS)`` for text with rare characters
    (ligatures, combining hamza): the same result, with only those characters read one by one
    (the reference, on each alone) and the runs between them folded by ``str.translate``."""
    runs: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in SLOW_PATH_RE.finditer(text):
        i = m.start()
        fold_run(text, pos, i, runs, offsets)
        pos = i + 1
        ch = text[i]
        if ch in arabic_text.COMBINING_HAMZA and offsets and offsets[-1] == i - 1:
            composed = unicodedata.normalize("NFC", text[i - 1] + ch)   # و + U+0654 -> ؤ
            if len(composed) == 1:
                folded = arabic_text.normalize_with_offsets(composed, **MATCH_FOLDS)[0]
                runs[-1] = runs[-1][:-1] + (folded or runs[-1][-1])
                continue
        piece = arabic_text.normalize_with_offsets(ch, **MATCH_FOLDS)[0]
        runs.append(piece)
        offsets.extend([i] * len(piece))
    fold_run(text, pos, len(text), runs, offsets)
    return "".join(runs), offsets


def fold_run(text: str, start: int, stop: int, runs: list[str], offsets: list[int]) -> None:
    """Append the normalised ``text[start:stop]`` (no rare character in it) to ``runs`` and the
    position of each of its characters to ``offsets``."""
    at = start
    for piece in DELETED_RE.split(text[start:stop]):
        if piece:
            runs.append(piece.translate(FAST_TABLE))
            offsets.extend(range(at, at + len(piece)))
        at += len(piece) + 1   # the deleted character after the piece


def normalize_for_matching(text: str) -> tuple[str, OffsetMap]:
    """Normalise ``text`` as names are compared and return the map back to ``text``.

    Same output as ``arabnews.text.normalize_with_offsets(text, fold_ya=True,
    fold_ta_marbuta=True)``, through a str.translate fast path.
    """
    stripped, offmap = searchable_text(text)
    return stripped.translate(FAST_TABLE), offmap


def match_key(variant: str) -> str:
    """Lookup key of a name: normalised for matching, with all separators removed."""
    return SEPARATOR_CHARS_RE.sub("", arabic_text.normalize(variant, **MATCH_FOLDS))


def match_words(variant: str) -> list[str]:
    """The normalised words of a variant (split on spaces and hyphens)."""
    return [w for w in WORD_SPLIT_RE.split(arabic_text.normalize(variant, **MATCH_FOLDS)) if w]


def sentence_index(text: str, boundary_re: re.Pattern = SENTENCE_END_RE) -> list[int]:
    """Start positions of the sentences (or paragraphs) after the first one."""
    return [m.end() for m in boundary_re.finditer(text)]
