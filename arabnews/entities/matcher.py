"""The compiled gazetteer: one trie-shaped regex over every variant, and the scanner that runs it.

A leading clitic (و ف ب ل ك, وب ول فل وك ..., and لل = ل + ال) is peeled off only when what
remains is a known variant, so واشنطن stays Washington. Names glued by a lost space
(روسياوكوريا) are split when every piece is a known variant. Multiword names also match with
one typing slip in one word (كم جونغ أون): every multiword variant is indexed by its skeletons
(the variant with one word left out), one regex finds where a slip may be, and the slip counts
only if exactly one entity's word is one letter away (see ``SlipIndex``) and the spelling is no
exact variant.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from arabnews.entities.gazetteer import GAZETTEER_PATH, load_gazetteer, tidy_gazetteer
from arabnews.entities.normal import (CLITICS, FOLD_CLASSES, LAM_CLITICS, NAME_SEPARATOR,
                                      match_key, match_words)

__all__ = ["Matcher", "compile_matcher", "resolve_gazetteer", "scan_text", "find_slips", "slip_index",
           "mask_nisba", "Nisba",
           "without_group_names"]

TYPO_MIN_WORD = 3            # a word of fewer letters is never read with a slip
# Arabic patronymic names are left exact: one letter separates two princes (سلمان/سلطان بن ...).
NO_TYPO_WORDS = frozenset({"بن", "ابن", "بنت", "ال"})
CLASS_BASE = 0xE000          # private-use characters stand for slip words inside the trie
SLIP_KEY = "~"                # lookup keys of slips start with this (never a letter of a name)
SLIP_LETTERS = "[\u0621-\u063A\u0641-\u064A\u0671\u06A9\u06CC]"   # letters a slip word is made of


@dataclass(frozen=True)
class Matcher:
    """Compiled gazetteer: head regex (at a word start), tail regex (glued continuation), lookup."""
    head: re.Pattern
    tail: re.Pattern
    lookup: dict[str, tuple[str, str, str, str, str]]  # key -> (entity, entity_en, type, kind, match)
    rivals: dict[str, frozenset[str]]              # owner of a short form -> rival PERSON entities
    words: str = ""                                # polars pattern: whole words that may hold names
    glued: str = ""                                # polars pattern: a name directly followed by one
    slips: "SlipIndex | None" = None               # one-letter slips in multiword names
    slip_re: re.Pattern | None = None              # where a slip may be (checked by ``slips``)
    slip_words: str = ""                           # polars pattern: places a slip may be
    nisba: "Nisba | None" = None                   # adjective uses of country names (السعودية)
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # entity -> (entity, en, type)
    keys: dict[str, str] = field(default_factory=dict)      # memo: matched text -> lookup key
    lam_keys: dict[str, str] = field(default_factory=dict)  # same for لل forms (alef elided)

    def key_of(self, matched: str, lam: bool = False) -> str:
        """Lookup key of a matched name (``lam``: a لل form whose alef was elided)."""
        memo = self.lam_keys if lam else self.keys
        key = memo.get(matched)
        if key is None:
            key = memo[matched] = ("ا" if lam else "") + match_key(matched)
        return key


# --- the trie regex -----------------------------------------------------------------------------
def char_regex(ch: str, classes: dict[str, str]) -> str:
    """Regex for one trie character: a space is a name separator, a letter its fold class, a
    private-use character the letter class it stands for."""
    if ch == " ":
        return NAME_SEPARATOR
    if ch in classes:   # a slip word: a run of letters of the given length range
        return SLIP_LETTERS + "{" + classes[ch] + "}"
    if ch in FOLD_CLASSES:
        return "[" + re.escape(FOLD_CLASSES[ch]) + "]"
    return re.escape(ch)


def trie_regex(words: list[str], classes: dict[str, str] | None = None) -> str:
    """Regex alternation of ``words`` shaped as a character trie (longest match first).

    A space inside a word stands for NAME_SEPARATOR. Greedy optional groups try the longer
    continuation before stopping, so the longest variant that fits wins; at each node exact
    letters are tried before letter classes (slips), and both before a separator.
    """
    classes = classes or {}
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def node_regex(node: dict) -> str:
        alts = [char_regex(ch, classes) + node_regex(child)
                for ch, child in sorted(node.items(), key=lambda kv: (kv[0] == " ", kv[0]))
                if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return node_regex(trie)


# --- one-letter slips in multiword names ---------------------------------------------------------
def slip_distance_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one letter deleted, inserted, replaced, or two
    neighbours swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:]


@dataclass(frozen=True)
class SlipIndex:
    """Multiword variants by skeleton (the words with one left out): what a slip can be of."""
    skeletons: dict[tuple, list[tuple[str, str]]]   # (words with "*" at i) -> [(word i, entity)]
    exact: frozenset[str]                           # lookup keys of exact variants
    pattern: str                                    # regex of every skeleton, slip word as a class
    memo: dict[str, str | None] = field(default_factory=dict)

    def entity_of(self, matched_words: list[str]) -> str | None:
        """The one entity whose multiword variant the words are a slip of, or None (no such
        entity, an exact variant, or two entities close by)."""
        key = " ".join(matched_words)
        if key in self.memo:
            return self.memo[key]
        found = set()
        if "".join(matched_words) not in self.exact:
            for i, word in enumerate(matched_words):
                skeleton = tuple(matched_words[:i]) + ("*",) + tuple(matched_words[i + 1:])
                found |= {e for w, e in self.skeletons.get(skeleton, ())
                          if slip_distance_one(word, w) and not (i == 0 and word[0] != w[0])}
        self.memo[key] = found.pop() if len(found) == 1 else None
        return self.memo[key]


def slip_index(gaz: pd.DataFrame, exact: set[str]) -> SlipIndex:
    """The skeletons of every multiword ``name`` variant whose words may carry a slip, and one
    regex for them: the slip word as a letter run one shorter to one longer than the word (its
    first letter kept when it is the name's first word)."""
    skeletons: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    shapes: dict[str, str] = {}
    patterns = set()
    for variant, entity in zip(gaz.loc[gaz["kind"] == "name", "variant"],
                               gaz.loc[gaz["kind"] == "name", "entity"]):
        words = match_words(variant)
        if len(words) < 2 or NO_TYPO_WORDS & set(words):
            continue
        for i, word in enumerate(words):
            if len(word) < TYPO_MIN_WORD:
                continue
            skeletons[tuple(words[:i]) + ("*",) + tuple(words[i + 1:])].append((word, entity))
            lo, hi = len(word) - 1, len(word) + 1
            if i == 0:
                lo, hi = lo - 1, hi - 1
            shape = f"{lo},{hi}"
            mark = shapes.setdefault(shape, chr(CLASS_BASE + len(shapes)))
            slot = (word[0] + mark) if i == 0 else mark
            patterns.add(" ".join(words[:i] + [slot] + words[i + 1:]))
    classes = {mark: shape for shape, mark in shapes.items()}
    return SlipIndex(skeletons=dict(skeletons), exact=frozenset(exact),
                     pattern=trie_regex(sorted(patterns), classes) if patterns else "")


# --- compiling ----------------------------------------------------------------------------------
def variant_forms(gaz: pd.DataFrame) -> dict[str, str]:
    """Normalised variants (words joined by one space) -> their entity."""
    return {" ".join(match_words(v)): e for v, e in zip(gaz["variant"], gaz["entity"])}


def lam_forms_of(forms) -> list[str]:
    """The لل forms (ال → ل) of the forms that start with the article."""
    return sorted({"ل" + f[2:] for f in forms if f.startswith("ال") and len(f) > 3})


def short_form_rivals(gaz: pd.DataFrame) -> dict[str, frozenset[str]]:
    """For each short form's owner: other PERSON entities whose names contain that short form."""
    rivals: dict[str, set[str]] = defaultdict(set)
    persons = gaz[gaz["type"] == "PERSON"]
    person_words = [(e, set(match_words(v))) for e, v in zip(persons["entity"], persons["variant"])]
    for owner, variant in zip(gaz.loc[gaz["kind"] == "short", "entity"],
                              gaz.loc[gaz["kind"] == "short", "variant"]):
        word = match_key(variant)
        rivals[owner] |= {e for e, words in person_words if e != owner and word in words}
    return {k: frozenset(v) for k, v in rivals.items() if v}


def clitic_regex(clitics) -> str:
    """Alternation of clitics (longest first), each letter as its fold class."""
    ordered = sorted(clitics, key=len, reverse=True)
    return "(?:" + "|".join("".join(char_regex(ch, {}) for ch in c) for c in ordered) + ")"


def compile_matcher(gaz: pd.DataFrame, typos: bool = True) -> Matcher:
    """Build the single regex over all variants, with clitic and glued-name handling, and the
    regex of one-letter slips in multiword names (``typos``).

    The regex runs on text whose letters are not folded yet: every letter of a variant is
    written as its fold class, so the match is the one normalised text would give.
    """
    forms = sorted(set(variant_forms(gaz)))
    lam_forms = lam_forms_of(forms)
    core, core_l = trie_regex(forms), trie_regex(lam_forms)
    pfx, lam_pfx = clitic_regex(CLITICS), clitic_regex(LAM_CLITICS)
    name = (f"(?:(?P<pfx>{pfx})??(?P<v>{core})"
            + (f"|(?P<lpfx>{lam_pfx})(?P<lv>{core_l})" if lam_forms else "") + ")")
    glued = f"{pfx}?(?:{core})" + (f"|{lam_pfx}(?:{core_l})" if lam_forms else "")
    end = f"(?=(?!\\w)|(?P<glued>)(?:{glued}))"   # glued: another name follows, no space
    initials = {f[0] for f in forms + lam_forms} | {c[0] for c in CLITICS}
    letters = "".join(sorted({c for ch in initials for c in FOLD_CLASSES.get(ch, ch)}))
    first = f"(?=[{re.escape(letters)}])"   # cheap pre-filter: a possible first letter
    lookup = {match_key(r.variant): (r.entity, r.entity_en, r.type, r.kind, "exact")
              for r in gaz.itertuples(index=False)}
    plain = without_group_names(name)
    slips, slip_re, slip_words = None, None, ""
    if typos:
        slips = slip_index(gaz, set(lookup))
        if slips.pattern:
            slip_re = re.compile(f"(?<!\\w)(?:{pfx})??(?P<v>{slips.pattern})(?!\\w)")
            slip_words = f"(?:^|\\W)(?:{pfx})?(?:{slips.pattern})(?:\\W|$)"
    return Matcher(head=re.compile(f"(?<!\\w){first}{name}{end}"), tail=re.compile(f"{name}{end}"),
                   nisba=nisba_patterns(gaz),
                   lookup=lookup, rivals=short_form_rivals(gaz),
                   # polars' regex has no look-around: a run of names between two consumed
                   # non-word characters (the text's non-word characters are doubled first)
                   words=f"(?:^|\\W){plain}(?:{plain})*(?:\\W|$)", slip_words=slip_words,
                   # two names with nothing between them (روسياوكوريا): left to the scanner
                   glued=f"{plain}{plain}", slips=slips, slip_re=slip_re,
                   labels={r.entity: (r.entity, r.entity_en, r.type) for r in gaz.itertuples(index=False)})


# --- country names that are also adjectives ------------------------------------------------------
# A ``nisba`` variant (السعودية) is also the feminine adjective: right after a definite word
# (الحكومة السعودية، للهيئة السعودية) it is the adjective, not the country. Such occurrences are
# masked before matching: their first letter becomes a tatweel (a word character, so no word
# boundary moves, and no offset: the text keeps its length). Names that hold the adjective after
# a definite word (المملكة العربية السعودية) are unmasked again. One pair of patterns, written for
# both regex engines (no look-around), serves the scanner and the polars road alike.
DEFINITE = "(?:[وف]?[بك]?ال|[وف]?لل)"
NISBA_MARK = "\u0640"


@dataclass(frozen=True)
class Nisba:
    """Patterns of the adjective mask (``""``: the gazetteer has no nisba variant)."""
    mask: str = ""      # groups: boundary, definite word and space, rest of the adjective
    unmask: str = ""    # groups: boundary, the word that makes it part of a name and space, rest
    letter: str = ""    # the first letter the mask replaced, put back by unmask

    def polars_replacements(self) -> tuple[tuple[str, str], ...]:
        """``(pattern, replacement)`` pairs in polars' template syntax, in order."""
        pairs = ((self.mask, "${1}${2}" + NISBA_MARK + "${3}"),
                 (self.unmask, "${1}${2}" + self.letter + "${3}"))
        return tuple(p for p in pairs if p[0])


def nisba_patterns(gaz: pd.DataFrame) -> Nisba:
    """The mask for the gazetteer's ``nisba`` variants (all must start with one letter)."""
    forms = sorted({" ".join(match_words(v)) for v in gaz.loc[gaz["kind"] == "nisba", "variant"]})
    if not forms:
        return Nisba()
    letters = {f[0] for f in forms}
    if len(letters) > 1:
        raise ValueError(f"nisba variants must share their first letter; got {sorted(letters)}")
    letter = letters.pop()
    rest = trie_regex([f[1:] for f in forms])
    space = "[ \t]+"
    mask = f"(^|\\W)({DEFINITE}\\w+{space}){char_regex(letter, {})}({rest})"
    heads = set()
    for variant in gaz["variant"]:
        words = match_words(variant)
        heads |= {words[i - 1] for i in range(1, len(words)) if words[i] in forms
                  and re.match(DEFINITE, words[i - 1])}
    unmask = ""
    if heads:
        unmask = f"(^|\\W)((?:{trie_regex(sorted(heads))}){space}){NISBA_MARK}({rest})"
    return Nisba(mask=mask, unmask=unmask, letter=letter)


@lru_cache(maxsize=64)
def compiled(pattern: str) -> re.Pattern:
    """``re.compile`` once per pattern."""
    return re.compile(pattern)


def mask_nisba(norm: str, matcher: Matcher) -> str:
    """``norm`` with the adjective uses of ``nisba`` variants masked (see ``Nisba``)."""
    nisba = matcher.nisba
    if not nisba.mask:
        return norm
    masked, n = compiled(nisba.mask).subn("\\g<1>\\g<2>" + NISBA_MARK + "\\g<3>", norm)
    if n and nisba.unmask:
        masked = compiled(nisba.unmask).sub("\\g<1>\\g<2>" + nisba.letter + "\\g<3>", masked)
    return masked


def without_group_names(pattern: str) -> str:
    """``pattern`` with its named groups made plain: only whole matches are used by polars."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@lru_cache(maxsize=8)
def cached_matcher(path: str | None) -> Matcher:
    """Compiled matcher of a gazetteer file (None: the default files), compiled once per process."""
    return compile_matcher(load_gazetteer(path))


def resolve_gazetteer(gazetteer) -> Matcher:
    """Matcher for a gazetteer given as None (default files), a path, or a DataFrame."""
    if gazetteer is None:
        return cached_matcher(None)
    if isinstance(gazetteer, (str, Path)):
        return cached_matcher(str(Path(gazetteer).resolve()))
    if isinstance(gazetteer, pd.DataFrame):
        return compile_matcher(tidy_gazetteer(gazetteer, "gazetteer frame"))
    raise TypeError(f"gazetteer must be None, a path or a DataFrame, not {type(gazetteer).__name__}")


# --- scanning one text --------------------------------------------------------------------------
def match_core(m: re.Match, matcher: Matcher) -> tuple[int, int, str]:
    """Span of the name inside a match (clitic excluded) and its lookup key."""
    name = m.group("v")
    if name is not None:
        key = matcher.keys.get(name) or matcher.key_of(name)
        return m.start("v"), m.end("v"), key
    return m.start("lv"), m.end("lv"), matcher.key_of(m.group("lv"), lam=True)


def glued_chain(norm: str, m: re.Match, matcher: Matcher) -> list[tuple[int, int, str]]:
    """The names of a word made of several glued names (روسياوكوريا), or [] if one piece is not."""
    chain = [m]
    while chain[-1].group("glued") is not None:
        pos = chain[-1].end()
        t = matcher.tail.match(norm, pos)
        if t is None or t.end() == pos:
            return []
        chain.append(t)
    return [match_core(x, matcher) for x in chain]


def scan_text(norm: str, matcher: Matcher) -> list[tuple[int, int, str]]:
    """All name matches in ``norm`` (normalised or searchable text) as ``(start, end, key)``.

    A name glued to what follows counts only if the rest of the word is made of names too.
    (The hot loop of entity extraction: plain matches take the inlined path.)
    """
    found = []
    append, keys = found.append, matcher.keys
    g_glued, g_name = matcher.head.groupindex["glued"], matcher.head.groupindex["v"]
    for m in matcher.head.finditer(norm):
        glued, name = m.group(g_glued, g_name)
        if glued is not None:
            found += glued_chain(norm, m, matcher)
        elif name is not None:
            start, end = m.span(g_name)
            append((start, end, keys.get(name) or matcher.key_of(name)))
        else:
            append(match_core(m, matcher))
    if matcher.slip_re is not None:
        found = with_slips(norm, found, matcher)
    return found


def with_slips(norm: str, found: list[tuple[int, int, str]], matcher: Matcher) -> list[tuple]:
    """``found`` with the one-letter slips of multiword names added (``كم جونغ أون``). A slip
    replaces the exact matches inside its span; one that overlaps an exact match only in part
    is not taken."""
    slips = find_slips(norm, matcher)
    if not slips:
        return found
    exact_spans = {(x[0], x[1]) for x in found}
    slips = [x for x in slips if (x[0], x[1]) not in exact_spans]   # an exact reading wins
    kept = [x for x in found if not any(s <= x[0] and x[1] <= e for s, e, _ in slips)]
    slips = [x for x in slips if not any(k[0] < x[1] and x[0] < k[1] for k in kept)]
    return sorted(kept + slips)


def find_slips(norm: str, matcher: Matcher) -> list[tuple[int, int, str]]:
    """The one-letter slips of multiword names in ``norm`` as ``(start, end, key)`` (keys of
    slips start with SLIP_KEY and are added to the lookup the first time they are seen)."""
    slips = []
    for m in matcher.slip_re.finditer(norm):
        matched = m.group("v")
        key = SLIP_KEY + match_key(matched)
        if key not in matcher.lookup:
            entity = matcher.slips.entity_of(match_words(matched))
            if entity is None:
                continue
            matcher.lookup[key] = (*matcher.labels[entity], "name", "typo")
        slips.append((m.start("v"), m.end("v"), key))
    return slips
