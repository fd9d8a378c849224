"""Who and where each outlet talks about: entity counting with a transparent gazetteer.

Names are looked up in ``arabnews/data/gazetteer.csv`` (one row per spelling variant) on normalised
text, longest match first, with one compiled trie-shaped regex (no per-variant loop). A leading
clitic (و ف ب ل ك, وب ول فل وك ..., and لل = ل + ال) is peeled off only when what remains is a
known variant, so واشنطن stays Washington. Names glued by a lost space (روسياوكوريا) are split when
every piece is a known variant. A bare short form such as كيم counts for its owner only when the
article names the owner in full and no rival with the same name is in the sentence.
An optional Hugging Face token-classification model can replace the gazetteer (``backend=``).

Speed: the regex runs on the raw text with only deletions (diacritics, tatweel) applied; letters
are folded inside the pattern (ا = [اأإآ] ...), so no per-character Python work is needed. Large
corpora are split over forked worker processes (``n_jobs``) that inherit the corpus.
``entity_frequencies`` does not need offsets, so it takes a faster road to the same counts: polars
(Rust regex, all cores) extracts the whole words that may hold names, the Python matcher reads
each *distinct* word once, and the short-form rule runs as table joins. Text where the two regex
engines could judge a boundary differently (emoji, rare marks, glued names) goes through the
Python scanner; tests check both roads give identical counts (benchmarks/bench_entities.py).
"""
from __future__ import annotations

import importlib.util
import os
import re
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, combinations
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from arabnews import DATA_DIR
from arabnews import text as _text

__all__ = ["load_gazetteer", "entity_mentions", "entity_frequencies", "entity_cooccurrence",
           "suggest_entities", "EntityBackendError", "GazetteerError"]

# --- constants ----------------------------------------------------------------------------------
GAZETTEER_PATH = DATA_DIR / "gazetteer.csv"
TITLES_PATH = DATA_DIR / "entity_titles.txt"
GAZETTEER_COLUMNS = ["entity", "entity_en", "type", "variant", "kind", "note"]
REQUIRED_GAZETTEER_COLUMNS = ["entity", "entity_en", "type", "variant"]
ENTITY_TYPES = {"PERSON", "GPE", "LOC", "FAC", "ORG", "EVENT", "NORP", "MISC"}
VARIANT_KINDS = {"name", "short"}
MENTION_COLUMNS = ["id", "outlet", "entity", "entity_en", "type", "surface", "start", "end"]
UNRESOLVED_COLUMNS = ["id", "outlet", "entity", "surface", "start", "end", "reason"]
SHORT_FORM_MODES = ("resolve", "keep", "drop")
COOCCURRENCE_WINDOWS = ("sentence", "paragraph", "article")
BACKENDS = ("gazetteer", "transformers")

PROCLITICS_PATH = DATA_DIR / "proclitics.txt"   # shared with arabnews.text
# What may stand between the words of a multi-word name: spaces, hyphens, quotes, or nothing
# (nothing = a space lost in scraping, e.g. الولاياتالمتحدة).
NAME_SEPARATOR = ("[ \t\\-\u2010\u2011\u2013\u2014_«»\u201c\u201d\"'"
                  + "".join(sorted(_text.SPACES)) + "]*")
_SEPARATOR_CHARS_RE = re.compile(NAME_SEPARATOR)
# Matching folds ى→ي and ة→ه as well: web text mixes them up in names.
MATCH_FOLDS = dict(fold_ya=True, fold_ta_marbuta=True)
# A sentence ends at . ! ? ؟ … before a space or the end, or at a line end. Written to start
# with one character class, which lets the regex engine skip ahead in C between candidates.
SENTENCE_END_RE = re.compile(r"[.!?؟…\n](?:(?<=\n)|(?=\s|$))")
PARAGRAPH_END_RE = re.compile(r"\n")


def _read_clitics(path: Path = PROCLITICS_PATH) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Proclitics from the shared list, split in two: plain ones (و ف ب ل ك وب ول ...) and the
    prefixes that precede an elided article (لل = ل + ال, so ل، ول، فل); ال forms are not used."""
    lines = path.read_text(encoding="utf-8").splitlines()
    words = [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]
    plain = [w for w in words if not w.endswith("ال") and not w.endswith("لل")]
    before_lam = [w[:-1] for w in words if w.endswith("لل")]
    by_length = lambda ws: tuple(sorted(set(ws), key=lambda w: (-len(w), w)))  # noqa: E731
    return by_length(plain), by_length(before_lam)


# Proclitics peeled off a word before looking it up, and those that stand before لل.
CLITICS, LAM_CLITICS = _read_clitics()


class GazetteerError(ValueError):
    """The gazetteer file is malformed (missing columns, unknown type, conflicting variants)."""


class EntityBackendError(RuntimeError):
    """The requested entity backend cannot run here; the message says what to install or provide."""


# --- normalisation with an offset map ------------------------------------------------------------
def _char_class(chars) -> re.Pattern:
    """Compiled regex matching any one of ``chars``."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def _build_fast_table() -> tuple[dict[int, str | None], re.Pattern, re.Pattern, dict[str, str]]:
    """The matcher's normalisation split in parts, built from ``text.fold_table``.

    Returns the one-to-one/deleting str.translate table, a regex of the deleted characters, a
    regex of the rare characters (ligatures that expand, combining hamza) left to the reference,
    and for each normalised letter every letter that folds to it (ا: اأإآٱ). Presentation forms
    are all sent to the reference: they are rare, and it expands ligatures.
    """
    fold = _text.fold_table(**MATCH_FOLDS)
    table = {ord(k): (v or None) for k, v in fold.items() if len(v) <= 1}
    deleted = [k for k, v in fold.items() if v == "" and k not in _text.COMBINING_HAMZA]
    slow = [k for k, v in fold.items() if len(v) > 1] + sorted(_text.COMBINING_HAMZA)
    slow_set = set(slow) | {k for k in fold if _text._is_presentation_form(k)}
    preimages: dict[str, set[str]] = defaultdict(set)
    for k, v in fold.items():
        if len(v) == 1 and not v.isspace() and k not in slow_set:
            preimages[v] |= {k, v}
    classes = {v: "".join(sorted(ks)) for v, ks in preimages.items()}
    return table, _char_class(deleted), _char_class(slow_set), classes


_FAST_TABLE, _DELETED_RE, _SLOW_PATH_RE, _FOLD_CLASSES = _build_fast_table()


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


def _searchable_text(text: str) -> tuple[str, OffsetMap]:
    """``text`` with the deleting part of normalisation applied (diacritics, tatweel, invisibles).

    The matcher's regex folds letters itself (fold classes), so only deletions, which move
    offsets, are done here: a C-level substitution, usually a no-op. Text with a ligature or a
    combining hamza goes through the reference ``normalize_with_offsets`` instead.
    """
    if _SLOW_PATH_RE.search(text):
        norm, offsets = _text.normalize_with_offsets(text, **MATCH_FOLDS)
        return norm, OffsetMap(offsets=offsets)
    pieces = _DELETED_RE.split(text)   # one pass: the kept runs between deleted characters
    if len(pieces) == 1:
        return text, OffsetMap()
    # a deletion point (normalised coordinates) after each kept run but the last
    return "".join(pieces), OffsetMap(shifts=list(accumulate(map(len, pieces[:-1]))))


def normalize_for_matching(text: str) -> tuple[str, OffsetMap]:
    """Normalise ``text`` as names are compared and return the map back to ``text``.

    Same output as ``arabnews.text.normalize_with_offsets(text, fold_ya=True,
    fold_ta_marbuta=True)``, through a str.translate fast path.
    """
    stripped, offmap = _searchable_text(text)
    return stripped.translate(_FAST_TABLE), offmap


def _match_key(variant: str) -> str:
    """Lookup key of a name: normalised for matching, with all separators removed."""
    return _SEPARATOR_CHARS_RE.sub("", _text.normalize(variant, **MATCH_FOLDS))


def _match_words(variant: str) -> list[str]:
    """The normalised words of a variant (split on spaces and hyphens)."""
    return [w for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014_]+",
                                _text.normalize(variant, **MATCH_FOLDS)) if w]


# --- gazetteer ----------------------------------------------------------------------------------
def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the gazetteer CSV: one row per spelling variant of an entity.

    Columns ``entity, entity_en, type, variant, kind, note`` (``kind``: ``name`` or ``short``,
    default ``name``). Raises GazetteerError on a malformed file instead of matching garbage.
    """
    path = Path(path) if path is not None else GAZETTEER_PATH
    if not path.is_file():
        raise GazetteerError(f"gazetteer file not found: {path}")
    gaz = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return _tidy_gazetteer(gaz, path.name)


def _tidy_gazetteer(gaz: pd.DataFrame, name: str) -> pd.DataFrame:
    """Gazetteer frame with every column (defaults filled, cells stripped), checked."""
    missing = [c for c in REQUIRED_GAZETTEER_COLUMNS if c not in gaz.columns]
    if missing:
        raise GazetteerError(f"{name}: missing column(s) {missing}; "
                             f"need {REQUIRED_GAZETTEER_COLUMNS}")
    gaz = gaz.copy()
    for col, default in (("kind", "name"), ("note", "")):
        if col not in gaz.columns:
            gaz[col] = default
    gaz = gaz[GAZETTEER_COLUMNS].fillna("").astype(str).apply(lambda s: s.str.strip())
    gaz["kind"] = gaz["kind"].replace("", "name")
    _check_gazetteer(gaz, name)
    return gaz.reset_index(drop=True)


def _check_gazetteer(gaz: pd.DataFrame, name: str) -> None:
    """Raise GazetteerError for empty cells, unknown types/kinds or one variant with two owners."""
    for col in REQUIRED_GAZETTEER_COLUMNS:
        empty = gaz.index[gaz[col] == ""].tolist()
        if empty:
            raise GazetteerError(f"{name}: empty '{col}' in data row(s) {[i + 2 for i in empty]}")
    bad_type = sorted(set(gaz["type"]) - ENTITY_TYPES)
    if bad_type:
        raise GazetteerError(f"{name}: unknown type(s) {bad_type}; allowed {sorted(ENTITY_TYPES)}")
    bad_kind = sorted(set(gaz["kind"]) - VARIANT_KINDS)
    if bad_kind:
        raise GazetteerError(f"{name}: unknown kind(s) {bad_kind}; allowed {sorted(VARIANT_KINDS)}")
    keys = gaz["variant"].map(_match_key)
    owners = gaz.assign(key=keys).groupby("key")["entity"].nunique()
    clashes = owners[owners > 1].index.tolist()
    if clashes:
        rows = gaz[keys.isin(clashes)][["entity", "variant"]].to_dict("records")
        raise GazetteerError(f"{name}: the same variant belongs to two entities: {rows}")


# --- the compiled matcher ------------------------------------------------------------------------
def _char_regex(ch: str) -> str:
    """Regex for one normalised character: a space is a name separator, a letter its fold class."""
    if ch == " ":
        return NAME_SEPARATOR
    if ch in _FOLD_CLASSES:
        return "[" + re.escape(_FOLD_CLASSES[ch]) + "]"
    return re.escape(ch)


def _trie_regex(words: list[str]) -> str:
    """Regex alternation of ``words`` shaped as a character trie (longest match first).

    A space inside a word stands for NAME_SEPARATOR. Greedy optional groups try the longer
    continuation before stopping, so the longest variant that fits wins.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def node_regex(node: dict) -> str:
        alts = [_char_regex(ch) + node_regex(child)
                for ch, child in sorted(node.items(), key=lambda kv: (kv[0] == " ", kv[0]))
                if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return node_regex(trie)


@dataclass(frozen=True)
class Matcher:
    """Compiled gazetteer: head regex (at a word start), tail regex (glued continuation), lookup."""
    head: re.Pattern
    tail: re.Pattern
    lookup: dict[str, tuple[str, str, str, str]]   # key -> (entity, entity_en, type, kind)
    rivals: dict[str, frozenset[str]]              # owner of a short form -> rival PERSON entities
    words: str = ""                                # polars pattern: whole words that may hold names
    glued: str = ""                                # polars pattern: a name directly followed by one
    keys: dict[str, str] = field(default_factory=dict)      # memo: matched text -> lookup key
    lam_keys: dict[str, str] = field(default_factory=dict)  # same for لل forms (alef elided)

    def key_of(self, matched: str, lam: bool = False) -> str:
        """Lookup key of a matched name (``lam``: a لل form whose alef was elided)."""
        memo = self.lam_keys if lam else self.keys
        key = memo.get(matched)
        if key is None:
            key = memo[matched] = ("ا" if lam else "") + _match_key(matched)
        return key


def _variant_forms(gaz: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Normalised variants (words joined by one space) and their لل forms (ال → ل)."""
    forms = sorted({" ".join(_match_words(v)) for v in gaz["variant"]})
    lam_forms = sorted({"ل" + f[2:] for f in forms if f.startswith("ال") and len(f) > 3})
    return forms, lam_forms


def _short_form_rivals(gaz: pd.DataFrame) -> dict[str, frozenset[str]]:
    """For each short form's owner: other PERSON entities whose names contain that short form."""
    rivals: dict[str, set[str]] = defaultdict(set)
    persons = gaz[gaz["type"] == "PERSON"]
    for _, short in gaz[gaz["kind"] == "short"].iterrows():
        word = _match_key(short["variant"])
        for _, row in persons.iterrows():
            if row["entity"] != short["entity"] and word in _match_words(row["variant"]):
                rivals[short["entity"]].add(row["entity"])
    return {k: frozenset(v) for k, v in rivals.items()}


def _clitic_regex(clitics) -> str:
    """Alternation of clitics (longest first), each letter as its fold class."""
    ordered = sorted(clitics, key=len, reverse=True)
    return "(?:" + "|".join("".join(_char_regex(ch) for ch in c) for c in ordered) + ")"


def compile_matcher(gaz: pd.DataFrame) -> Matcher:
    """Build the single regex over all variants, with clitic and glued-name handling.

    The regex runs on text whose letters are not folded yet: every letter of a variant is
    written as its fold class, so the match is the one normalised text would give.
    """
    forms, lam_forms = _variant_forms(gaz)
    core, core_l = _trie_regex(forms), _trie_regex(lam_forms)
    pfx, lam_pfx = _clitic_regex(CLITICS), _clitic_regex(LAM_CLITICS)
    name = (f"(?:(?P<pfx>{pfx})??(?P<v>{core})"
            + (f"|(?P<lpfx>{lam_pfx})(?P<lv>{core_l})" if lam_forms else "") + ")")
    glued = f"{pfx}?(?:{core})" + (f"|{lam_pfx}(?:{core_l})" if lam_forms else "")
    end = f"(?=(?!\\w)|(?P<glued>)(?:{glued}))"   # glued: another name follows, no space
    initials = {f[0] for f in forms + lam_forms} | {c[0] for c in CLITICS}
    letters = "".join(sorted({c for ch in initials for c in _FOLD_CLASSES.get(ch, ch)}))
    first = f"(?=[{re.escape(letters)}])"   # cheap pre-filter: a possible first letter
    lookup = {_match_key(r.variant): (r.entity, r.entity_en, r.type, r.kind)
              for r in gaz.itertuples(index=False)}
    return Matcher(head=re.compile(f"(?<!\\w){first}{name}{end}"), tail=re.compile(f"{name}{end}"),
                   lookup=lookup, rivals=_short_form_rivals(gaz), words=_words_pattern(name),
                   glued=_glued_pattern(name))


def _words_pattern(name: str) -> str:
    """The same names for polars' regex engine, which has no look-around: a run of names between
    two consumed non-word characters (the text's non-word characters are doubled first, so
    neighbouring words each keep one)."""
    plain = _without_group_names(name)
    return f"(?:^|\\W){plain}(?:{plain})*(?:\\W|$)"


def _without_group_names(pattern: str) -> str:
    """``pattern`` with its named groups made plain: only whole matches are used by polars."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _glued_pattern(name: str) -> str:
    """Two names with nothing between them (روسياوكوريا). Where this occurs, the scanner's choice
    between a longer glued reading and a shorter name is its own; such text is left to it."""
    plain = _without_group_names(name)
    return f"{plain}{plain}"


@lru_cache(maxsize=8)
def _cached_matcher(path: str) -> Matcher:
    """Compiled matcher of a gazetteer file (compiled once per process)."""
    return compile_matcher(load_gazetteer(path))


def _resolve_gazetteer(gazetteer) -> Matcher:
    """Matcher for a gazetteer given as None (default file), a path, or a DataFrame."""
    if gazetteer is None:
        return _cached_matcher(str(GAZETTEER_PATH))
    if isinstance(gazetteer, (str, Path)):
        return _cached_matcher(str(Path(gazetteer).resolve()))
    if isinstance(gazetteer, pd.DataFrame):
        return compile_matcher(_tidy_gazetteer(gazetteer, "gazetteer frame"))
    raise TypeError(f"gazetteer must be None, a path or a DataFrame, not {type(gazetteer).__name__}")


# --- scanning one text -------------------------------------------------------------------------
def _match_core(m: re.Match, matcher: Matcher) -> tuple[int, int, str]:
    """Span of the name inside a match (clitic excluded) and its lookup key."""
    name = m.group("v")
    if name is not None:
        key = matcher.keys.get(name) or matcher.key_of(name)
        return m.start("v"), m.end("v"), key
    return m.start("lv"), m.end("lv"), matcher.key_of(m.group("lv"), lam=True)


def _glued_chain(norm: str, m: re.Match, matcher: Matcher) -> list[tuple[int, int, str]]:
    """The names of a word made of several glued names (روسياوكوريا), or [] if one piece is not."""
    chain = [m]
    while chain[-1].group("glued") is not None:
        pos = chain[-1].end()
        t = matcher.tail.match(norm, pos)
        if t is None or t.end() == pos:
            return []
        chain.append(t)
    return [_match_core(x, matcher) for x in chain]


def scan_text(norm: str, matcher: Matcher) -> list[tuple[int, int, str]]:
    """All name matches in ``norm`` (normalised or ``_searchable_text``) as ``(start, end, key)``.

    A name glued to what follows counts only if the rest of the word is made of names too.
    (The hot loop of entity extraction: plain matches take the inlined path.)
    """
    found = []
    append, keys = found.append, matcher.keys
    g_glued, g_name = matcher.head.groupindex["glued"], matcher.head.groupindex["v"]
    for m in matcher.head.finditer(norm):
        glued, name = m.group(g_glued, g_name)
        if glued is not None:
            found += _glued_chain(norm, m, matcher)
        elif name is not None:
            start, end = m.span(g_name)
            append((start, end, keys.get(name) or matcher.key_of(name)))
        else:
            append(_match_core(m, matcher))
    return found


def _sentence_index(text: str, boundary_re: re.Pattern = SENTENCE_END_RE) -> list[int]:
    """Start positions of the sentences (or paragraphs) after the first one."""
    return [m.end() for m in boundary_re.finditer(text)]


def _article_mentions(text: str, matcher: Matcher, short_forms: str):
    """Mentions of one text as (kept, unresolved) lists of ``(info, surface, start, end)``.

    ``info`` is the gazetteer's ``(entity, entity_en, type, kind)``; offsets index ``text``.
    """
    norm, offmap = _searchable_text(text)
    lookup, shifts = matcher.lookup, offmap.shifts
    rows, shorts = [], []
    for start, end, key in scan_text(norm, matcher):
        if offmap.offsets is not None:
            start, end = offmap.span(start, end)
        elif shifts:  # inlined OffsetMap.span: deleted marks before each end move it right
            start, end = start + bisect_right(shifts, start), end + bisect_right(shifts, end - 1)
        info = lookup[key]
        if info[3] == "short":
            shorts.append(len(rows))
        rows.append((info, text[start:end], start, end))
    if not shorts or short_forms == "keep":
        return rows, []
    return _apply_short_form_rule(rows, shorts, text, matcher, short_forms)


def _apply_short_form_rule(rows: list[tuple], shorts: list[int], text: str, matcher: Matcher,
                           mode: str) -> tuple[list[tuple], list[tuple]]:
    """Keep a bare short form (كيم) only if the rule allows it; return (kept, unresolved).

    ``shorts`` are the indices of the short-form rows. Rule ``resolve``: the article names the
    owner in full somewhere, and no rival of the owner (another PERSON sharing the short form,
    e.g. كيم إيل سونغ) is mentioned in the same sentence. Unresolved rows get a reason appended.
    """
    named = {info[0] for info, _, _, _ in rows if info[3] == "name"}
    rivals_named = {rows[i][0][0]: matcher.rivals.get(rows[i][0][0], frozenset()) & named
                    for i in shorts}
    any_rival = set().union(*rivals_named.values())
    starts = _sentence_index(text) if any_rival else []
    rivals_by_sentence: dict[int, set[str]] = defaultdict(set)
    for info, _, start, _ in rows:
        if info[0] in any_rival:
            rivals_by_sentence[bisect_right(starts, start)].add(info[0])
    unresolved, dropped = [], set()
    for i in shorts:
        info, _, start, _ = rows[i]
        if mode == "drop":
            reason = "short forms not counted (short_forms='drop')"
        elif info[0] not in named:
            reason = "article never names the entity in full"
        elif rivals_by_sentence.get(bisect_right(starts, start), set()) & rivals_named[info[0]]:
            reason = "another entity with the same name in the sentence"
        else:
            continue
        dropped.add(i)
        unresolved.append((*rows[i], reason))
    kept = [row for i, row in enumerate(rows) if i not in dropped] if dropped else rows
    return kept, unresolved


# --- corpus-level API ----------------------------------------------------------------------------
def _check_corpus(corpus: pd.DataFrame, columns=("id", "outlet", "text")) -> None:
    """Clear error when ``corpus`` is not a corpus frame (see CONTRIBUTING.md)."""
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a pandas DataFrame from load_corpus(), "
                        f"not {type(corpus).__name__}")
    missing = [c for c in columns if c not in corpus.columns]
    if missing:
        raise ValueError(f"corpus is missing column(s) {missing}; expected a frame from load_corpus()")


def entity_mentions(corpus: pd.DataFrame, gazetteer=None, *, short_forms: str = "resolve",
                    backend: str = "gazetteer", model_path: str | Path | None = None,
                    n_jobs: int | None = None) -> pd.DataFrame:
    """One row per entity mention: ``id, outlet, entity, entity_en, type, surface, start, end``.

    ``start``/``end`` index the corpus ``text`` (``text[start:end] == surface``, clitic excluded).
    ``short_forms``: ``resolve`` (bare كيم only when the rule allows, see module doc), ``keep``,
    ``drop``. Short forms not counted are listed in ``result.attrs["unresolved"]`` with a reason.
    ``backend="transformers"`` uses a local token-classification model at ``model_path``.
    ``n_jobs``: worker processes (``-1``: one per core; default: one per core from
    PARALLEL_MIN_CHARS of text on, else 1). The result does not depend on it.
    """
    _check_corpus(corpus)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {BACKENDS}")
    if short_forms not in SHORT_FORM_MODES:
        raise ValueError(f"unknown short_forms {short_forms!r}; choose one of {SHORT_FORM_MODES}")
    if backend == "transformers":
        return _transformers_mentions(corpus, model_path, gazetteer)
    jobs, matcher = _plan_jobs(corpus, n_jobs), _resolve_gazetteer(gazetteer)
    columns = (corpus["id"].tolist(), corpus["outlet"].tolist(), corpus["text"].astype(str).tolist())
    if jobs == 1:
        kept, unresolved = _mention_records(*columns, matcher, short_forms)
    else:
        kept, unresolved = _parallel_mention_records(*columns, matcher, short_forms, jobs)
    mentions = pd.DataFrame.from_records(kept, columns=MENTION_COLUMNS)
    mentions.attrs["unresolved"] = pd.DataFrame.from_records(unresolved, columns=UNRESOLVED_COLUMNS)
    return mentions


def _mention_records(ids: list, outlets: list, texts: list[str], matcher: Matcher,
                     short_forms: str) -> tuple[list[tuple], list[tuple]]:
    """Mention rows and unresolved rows (as tuples in column order) for a batch of articles."""
    kept, unresolved = [], []
    for doc_id, outlet, text in zip(ids, outlets, texts):
        rows, skipped = _article_mentions(text, matcher, short_forms)
        kept += [(doc_id, outlet, info[0], info[1], info[2], surface, start, end)
                 for info, surface, start, end in rows]
        unresolved += [(doc_id, outlet, info[0], surface, start, end, reason)
                       for info, surface, start, end, reason in skipped]
    return kept, unresolved


# --- parallel extraction for large corpora ------------------------------------------------------
PARALLEL_MIN_CHARS = 40_000_000   # ~80 MB of Arabic text: below this, process start-up dominates
_WORKER: dict = {}


def _plan_jobs(corpus: pd.DataFrame, n_jobs: int | None) -> int:
    """Number of worker processes for ``n_jobs`` (see entity_mentions)."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        large = corpus["text"].astype(str).str.len().sum() >= PARALLEL_MIN_CHARS
        return cores if large and len(corpus) > 1 else 1
    if n_jobs == -1:
        return cores
    if isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and n_jobs >= 1:
        return n_jobs
    raise ValueError(f"n_jobs must be a positive int, -1 (all cores) or None (automatic), not {n_jobs!r}")


def _worker_records(bounds: tuple[int, int]) -> tuple[list[tuple], list[tuple]]:
    """``_mention_records`` of articles ``[start, stop)`` in a forked worker: the matcher and
    the corpus columns are inherited, so only two numbers go in."""
    start, stop = bounds
    ids, outlets, texts = (col[start:stop] for col in _WORKER["columns"])
    return _mention_records(ids, outlets, texts, _WORKER["matcher"], _WORKER["short_forms"])


def _batches(texts: list[str], n: int) -> list[tuple[int, int]]:
    """About ``n`` consecutive ``(start, stop)`` article ranges of similar text size (order kept)."""
    target = max(1, sum(map(len, texts)) // n)
    bounds, start, size = [], 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= target or i == len(texts) - 1:
            bounds.append((start, i + 1))
            start, size = i + 1, 0
    return bounds


def _parallel_mention_records(ids, outlets, texts, matcher: Matcher, short_forms: str, jobs: int):
    """``_mention_records`` spread over ``jobs`` forked processes; batches come back in order, so
    the result equals the serial one. Forked workers inherit the compiled matcher and the corpus
    and run only this module's pure-Python code (no re-import of the caller's script, unlike
    spawn). Where fork is unavailable the work is done serially."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return _mention_records(ids, outlets, texts, matcher, short_forms)
    _WORKER.update(matcher=matcher, columns=(ids, outlets, texts), short_forms=short_forms)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_worker_records, _batches(texts, jobs * 4)))
    finally:
        _WORKER.clear()
    kept = list(chain.from_iterable(part for part, _ in parts))
    unresolved = list(chain.from_iterable(part for _, part in parts))
    return kept, unresolved


# --- fast counting for entity_frequencies ----------------------------------------------------------
# polars (Rust regex, all cores) finds the whole words that may hold names; the Python matcher
# then reads each *distinct* word once, so the counts are exactly those of entity_mentions.
_DELETED_CHARS = sorted(set(_DELETED_RE.pattern[1:-1]) - {"\\"})
SENTENCE_MARK = "\x1f"
_SENTENCE_PUNCT = r"([.!?؟…])(\s)"   # as SENTENCE_END_RE: punctuation before a space ends one
# Non-word characters of the scripts and symbols news text uses: the word finder doubles them
# (a fast literal replacement) so that neighbouring words each keep a boundary to consume.
_NONWORD_RANGES = ((0x0000, 0x024F), (0x0600, 0x06FF), (0x2000, 0x214F), (0x2190, 0x21FF),
                   (0x25A0, 0x27BF), (0xFD3E, 0xFD3F), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF))
_NONWORD = [chr(c) for lo, hi in _NONWORD_RANGES for c in range(lo, hi + 1)
            if not re.match(r"\w", chr(c)) and chr(c) not in _DELETED_CHARS]
# Articles left to the Python scanner: ligatures and combining hamza (they need the reference
# normalisation); characters on which Python's and Rust's \w or \s disagree (marks, other
# numbers, connector punctuation, \x1c-\x1f), which would move word or sentence boundaries;
# non-word characters outside _NONWORD (emoji, rare symbols), which are not doubled; and glued
# names (see _glued_pattern).
_PYTHON_ONLY = (_SLOW_PATH_RE.pattern[:-1] + "\x1c-\x1f]"
                + r"|[\p{M}\p{No}\p{Pc}&&[^_" + "".join(_DELETED_CHARS) + "]]"
                + r"|[^\w" + "".join(f"\\x{{{ord(c):X}}}" for c in _NONWORD + _DELETED_CHARS) + "]")


def _searchable(texts: pl.Series) -> pl.Series:
    """The texts as the scanner searches them: marks, tatweel and invisibles deleted."""
    return texts.str.replace_many(_DELETED_CHARS, [""] * len(_DELETED_CHARS))


def _needs_python(searchable: pl.Series, matcher: Matcher) -> pl.Series:
    """True for the articles the polars word finder must leave to the Python scanner."""
    return searchable.str.contains(f"{_PYTHON_ONLY}|{matcher.glued}")


def _name_candidates(text: pl.Expr, pattern: str) -> pl.Expr:
    """All matches of ``pattern`` in searchable ``text``, with every non-word character doubled
    first so that neighbouring words each keep a boundary to consume."""
    return text.str.replace_many(_NONWORD, [c + c for c in _NONWORD]).str.extract_all(pattern)


def _word_table(searchable: pl.Series, matcher: Matcher) -> pl.DataFrame:
    """``article, word, n``: each word that may hold names, and how often it occurs per article."""
    return (pl.DataFrame({"text": searchable}).lazy().with_row_index("article")
            .select("article", _name_candidates(pl.col("text"), matcher.words).alias("word"))
            .explode("word").drop_nulls("word")
            .group_by("article", "word").len("n")
            .collect())


def _sentence_word_table(texts: pl.Series, matcher: Matcher) -> pl.DataFrame:
    """``article, sentence, word, n``: as ``_word_table``, per sentence (``texts`` as written).

    Sentence ends are marked in the text as written, then the text is made searchable and the
    ends are found in the same pass as the words (names first, so a mark may also serve as a
    name's boundary: doubled, one is always left). The sentence of a word is the number of marks
    before it; only the grouping matters.
    """
    marked = (pl.col("text").str.replace_all(_SENTENCE_PUNCT, f"${{1}}{SENTENCE_MARK}${{2}}")
              .str.replace_all("\n", "\n" + SENTENCE_MARK, literal=True)
              .str.replace_many(_DELETED_CHARS, [""] * len(_DELETED_CHARS)))
    item = pl.col("item")
    return (pl.DataFrame({"text": texts}).lazy().with_row_index("article")
            .select("article", _name_candidates(marked, f"{matcher.words}|{SENTENCE_MARK}").alias("item"))
            .explode("item").drop_nulls("item")
            .with_columns((item == SENTENCE_MARK).cum_sum().over("article").alias("sentence"))
            .filter(item != SENTENCE_MARK)
            .group_by("article", "sentence", item.alias("word")).len("n")
            .collect())


def _word_pieces(words: list[str], matcher: Matcher) -> pl.DataFrame:
    """``word, entity, kind``: the names the Python matcher reads in each distinct word."""
    rows = [(w, matcher.lookup[key][0], matcher.lookup[key][3])
            for w in words for _, _, key in scan_text(w, matcher)]
    return pl.DataFrame(rows, schema={"word": pl.String, "entity": pl.String, "kind": pl.String},
                        orient="row")


def _rivals_table(matcher: Matcher) -> pl.DataFrame:
    return pl.DataFrame([(o, r) for o, rs in matcher.rivals.items() for r in rs],
                        schema={"entity": pl.String, "rival": pl.String}, orient="row")


def _split_short_forms(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Name rows; short-form rows whose owner the article names in full; the (article, entity)
    pairs named in full."""
    names = rows.filter(pl.col("kind") == "name")
    named = names.select("article", "entity").unique()
    shorts = rows.filter(pl.col("kind") == "short").join(named, on=["article", "entity"], how="semi")
    return names, shorts, named


def _short_form_rows(rows: pl.DataFrame, matcher: Matcher, mode: str) -> tuple[pl.DataFrame, list]:
    """The short-form rule on per-article rows (article, entity, kind, n).

    Returns the counted rows and the articles where a rival of a short form's owner is named
    in full: there the rule needs sentences (``_sentence_rule_rows``).
    """
    if mode == "keep" or rows.filter(pl.col("kind") == "short").is_empty():
        return rows, []
    names, shorts, named = _split_short_forms(rows)
    if mode == "drop":
        return names, []
    contested = (shorts.select("article", "entity").unique().join(_rivals_table(matcher), on="entity")
                 .join(named.rename({"entity": "rival"}), on=["article", "rival"], how="semi"))
    return pl.concat([names, shorts]), sorted(set(contested["article"].to_list()))


def _sentence_rule_rows(texts: pl.Series, matcher: Matcher) -> pl.DataFrame:
    """Rows (article, entity, n) of ``texts`` under the full short-form rule, sentence by sentence:
    a bare short form is dropped where a rival named in the article shares its sentence."""
    table = _sentence_word_table(texts, matcher)
    rows = table.join(_word_pieces(table["word"].unique().to_list(), matcher), on="word")
    names, shorts, named = _split_short_forms(rows)
    in_sentence = rows.select("article", "sentence", pl.col("entity").alias("rival")).unique()
    blocked = (shorts.select("article", "sentence", "entity").unique()
               .join(_rivals_table(matcher), on="entity")
               .join(named.rename({"entity": "rival"}), on=["article", "rival"], how="semi")
               .join(in_sentence, on=["article", "sentence", "rival"], how="semi")
               .select("article", "sentence", "entity").unique())
    kept = shorts.join(blocked, on=["article", "sentence", "entity"], how="anti")
    return pl.concat([names, kept]).select("article", "entity", "n")


def _article_entity_counts(texts: pd.Series, matcher: Matcher, short_forms: str) -> pd.DataFrame:
    """Counted mentions per article and entity: ``article`` (row position), ``entity``, ``count``.

    Equal to counting ``entity_mentions`` rows. Articles with characters the word finder cannot
    judge (``_needs_python``) are read by the Python scanner directly.
    """
    series = pl.from_pandas(texts.astype(str)).rename("text")
    searchable = _searchable(series)
    slow = _needs_python(searchable, matcher)
    table = _word_table(searchable.zip_with(~slow, pl.Series([""] * len(series))), matcher)
    pieces = _word_pieces(table["word"].unique().to_list(), matcher)
    rows, contested = _short_form_rows(table.join(pieces, on="word"), matcher, short_forms)
    rows = rows.filter(~pl.col("article").is_in(contested)).select("article", "entity", "n")
    if contested:
        resolved = _sentence_rule_rows(series.gather(contested), matcher)
        position = pl.Series(contested, dtype=pl.UInt32)   # back to the corpus row positions
        rows = pl.concat([rows, resolved.with_columns(pl.col("article").map_batches(position.gather))])
    counts = rows.group_by("article", "entity").agg(pl.col("n").sum().alias("count")).to_pandas()
    extra = [(int(i), info[0]) for i in np.flatnonzero(slow.to_numpy())
             for info, *_ in _article_mentions(series[int(i)], matcher, short_forms)[0]]
    if extra:
        extra = pd.DataFrame(extra, columns=["article", "entity"]).value_counts().rename("count")
        counts = pd.concat([counts, extra.reset_index()], ignore_index=True)
    return counts.astype({"article": "int64", "count": "int64"})


def _entity_info(matcher: Matcher) -> pd.DataFrame:
    """``entity, entity_en, type`` for every entity of the gazetteer."""
    rows = {info[0]: info[:3] for info in matcher.lookup.values()}
    return pd.DataFrame(list(rows.values()), columns=["entity", "entity_en", "type"])


def _counts_from_mentions(corpus: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """``article, entity, entity_en, type, count`` from mention rows (matched to articles by id)."""
    position = {doc_id: i for i, doc_id in enumerate(corpus["id"])}
    return (mentions.assign(article=mentions["id"].map(position))
            .groupby(["article", "entity", "entity_en", "type"], sort=False).size()
            .rename("count").reset_index())


def entity_frequencies(corpus: pd.DataFrame, by: str = "outlet", mentions: pd.DataFrame | None = None,
                       **mention_options) -> pd.DataFrame:
    """Mentions per group: ``<by>, entity, entity_en, type, count, per_1k``.

    ``per_1k`` = mentions per 1,000 tokens of the group's text. Counts equal those of
    ``entity_mentions(corpus, **mention_options)`` (pass ``mentions`` to reuse one); with the
    gazetteer they are found by a fast path that does not build the mention rows.
    """
    _check_corpus(corpus)
    if by not in corpus.columns:
        raise ValueError(f"by={by!r} is not a corpus column; choose from {list(corpus.columns)}")
    options = {"short_forms": "resolve", "backend": "gazetteer", **mention_options}
    fast = mentions is None and options["backend"] == "gazetteer" and set(options) <= {
        "short_forms", "backend", "gazetteer", "n_jobs"}
    from arabnews.stats import count_tokens  # late: stats is not needed for mentions

    with ThreadPoolExecutor(1) as pool:   # token totals (polars) run beside the name counting
        tokens = pool.submit(count_tokens, corpus, by)
        if fast:
            if options["short_forms"] not in SHORT_FORM_MODES:
                raise ValueError(f"unknown short_forms {options['short_forms']!r}; "
                                 f"choose one of {SHORT_FORM_MODES}")
            matcher = _resolve_gazetteer(options.get("gazetteer"))
            counts = _article_entity_counts(corpus["text"], matcher, options["short_forms"])
            counts = counts.merge(_entity_info(matcher), on="entity")
        else:
            if mentions is None:
                mentions = entity_mentions(corpus, **mention_options)
            counts = _counts_from_mentions(corpus, mentions)
        tokens = tokens.result()
    counts[by] = corpus[by].to_numpy()[counts["article"].to_numpy()]
    freq = counts.groupby([by, "entity", "entity_en", "type"], sort=False)["count"].sum().reset_index()
    freq["per_1k"] = 1000 * freq["count"] / freq[by].map(tokens).astype(float)
    freq = freq.sort_values([by, "count", "entity"], ascending=[True, False, True])
    return freq.reset_index(drop=True)[[by, "entity", "entity_en", "type", "count", "per_1k"]]


def entity_cooccurrence(corpus: pd.DataFrame, window: str = "sentence", by: str = "outlet",
                        mentions: pd.DataFrame | None = None, **mention_options) -> pd.DataFrame:
    """Entity pairs named in the same window, counted per group.

    ``window``: ``sentence``, ``paragraph`` (line) or ``article``. Columns
    ``<by>, entity_1, entity_en_1, entity_2, entity_en_2, count`` (pairs sorted, count = windows).
    """
    _check_corpus(corpus)
    if window not in COOCCURRENCE_WINDOWS:
        raise ValueError(f"unknown window {window!r}; choose one of {COOCCURRENCE_WINDOWS}")
    if by not in corpus.columns:
        raise ValueError(f"by={by!r} is not a corpus column; choose from {list(corpus.columns)}")
    if mentions is None:
        mentions = entity_mentions(corpus, **mention_options)
    english = dict(zip(mentions["entity"], mentions["entity_en"]))
    boundary = {"sentence": SENTENCE_END_RE, "paragraph": PARAGRAPH_END_RE}.get(window)
    texts = dict(zip(corpus["id"], corpus["text"].astype(str)))
    group_of = dict(zip(corpus["id"], corpus[by]))
    pairs: Counter = Counter()
    for doc_id, doc in mentions.groupby("id", sort=False):
        starts = _sentence_index(texts[doc_id], boundary) if boundary else []
        units: dict[int, set[str]] = defaultdict(set)
        for entity, start in zip(doc["entity"], doc["start"]):
            units[bisect_right(starts, start)].add(entity)
        for entities in units.values():
            for a, b in combinations(sorted(entities), 2):
                pairs[(group_of[doc_id], a, b)] += 1
    rows = [{by: g, "entity_1": a, "entity_en_1": english[a], "entity_2": b,
             "entity_en_2": english[b], "count": n} for (g, a, b), n in pairs.items()]
    cols = [by, "entity_1", "entity_en_1", "entity_2", "entity_en_2", "count"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values([by, "count", "entity_1", "entity_2"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


# --- suggestions: names the gazetteer misses -----------------------------------------------------
def load_titles(path: str | Path | None = None) -> list[str]:
    """Titles that usually precede a name (الرئيس، وزير، المتحدث باسم ...), from a text file."""
    path = Path(path) if path is not None else TITLES_PATH
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def _suggestion_stopwords() -> frozenset[str]:
    """Function words that end a candidate name (the project's stopwords, matching folds)."""
    return frozenset(_text.normalize(w, **MATCH_FOLDS) for w in _text.stopwords())


def _titles_regex(titles: list[str]) -> re.Pattern:
    """Regex for any title at a word start, optionally behind و/ف, longest first."""
    forms = sorted({" ".join(_match_words(t)) for t in titles}, key=len, reverse=True)
    alternation = "|".join(re.escape(f).replace("\\ ", "[ \t]+") for f in forms)
    return re.compile(f"(?<!\\w)[وف]?(?P<title>{alternation})(?!\\w)")


_NEXT_WORD_RE = re.compile(r"[ \t]+(\w+)")
_CLITIC_ARTICLE_RE = re.compile(r"^(?:[وف][بكل]?ال|[بكل]ال|[وف]?لل)")   # وال، بال، لل ...: not a name start


def _title_words(titles: list[str]) -> frozenset[str]:
    """One-word titles, normalised, with and without a leading clitic (وزعيم، للزعيم)."""
    words = {ws[0] for ws in map(_match_words, titles) if len(ws) == 1 and len(ws[0]) > 2}
    with_clitics = {c + w for w in words for c in CLITICS}
    with_clitics |= {c + "ل" + w[2:] for w in words if w.startswith("ال") for c in ("", "و", "ف")}
    return frozenset(words | with_clitics)


def _name_words(norm: str, hits: list[tuple[int, int, str]],
                matcher: Matcher) -> dict[int, tuple[int, str]]:
    """For each word that is (part of) a known name: word start -> (end of the name, its type).

    The word holding a clitic counts too (لبوتين), so a name never becomes a candidate.
    """
    words = {}
    for start, end, key in hits:
        while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            start -= 1
        for w in re.finditer(r"\w+", norm[start:end]):
            words[start + w.start()] = (end, matcher.lookup[key][2])
    return words


def _candidate_words(norm: str, pos: int, taken: dict[int, tuple[int, str]], stop: frozenset[str],
                     max_words: int) -> list[tuple[int, int]]:
    """Word spans after a title, up to ``max_words``.

    Leading qualifiers are skipped: ال-words (الروسي، الكوري الشمالي) and known places or bodies
    (رئيس كوريا الجنوبية ...). Stops at a function word, another title, a clitic + article
    (والـ، للـ), a number or a known name.
    """
    spans, skipping = [], True
    while len(spans) < max_words:
        m = _NEXT_WORD_RE.match(norm, pos)
        if m is None:
            break
        word, (s, e) = m.group(1), m.span(1)
        pos = e
        if s in taken:                      # a word of a known name
            end, etype = taken[s]
            if skipping and etype != "PERSON":
                pos = end
                continue
            break
        if skipping and word.startswith("ال") and word not in stop:
            continue
        if (word in stop or not re.match(r"[\u0621-\u064a]", word)
                or _CLITIC_ARTICLE_RE.match(word)):
            break
        skipping = False
        spans.append((s, e))
    return spans


def suggest_entities(corpus: pd.DataFrame, gazetteer=None, titles: list[str] | None = None,
                     max_words: int = 3, min_count: int = 1) -> pd.DataFrame:
    """Candidate names missing from the gazetteer: word n-grams right after a title.

    Columns ``candidate, n_words, count, n_articles, title, example_id, example``; most frequent
    first. Words already covered by the gazetteer are not proposed.
    """
    _check_corpus(corpus)
    matcher = _resolve_gazetteer(gazetteer)
    titles = titles if titles is not None else load_titles()
    title_re = _titles_regex(titles)
    stop = _suggestion_stopwords() | _title_words(titles)
    counts: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    first: dict[str, tuple] = {}
    title_counts: dict[str, Counter] = defaultdict(Counter)
    for doc_id, text in zip(corpus["id"], corpus["text"].astype(str)):
        norm, offmap = normalize_for_matching(text)
        taken = _name_words(norm, scan_text(norm, matcher), matcher)
        for t in title_re.finditer(norm):
            spans = _candidate_words(norm, t.end(), taken, stop, max_words)
            title_start, title_end = offmap.span(*t.span("title"))
            for n in range(1, len(spans) + 1):
                key = norm[spans[0][0]:spans[n - 1][1]]
                counts[key] += 1
                docs[key].add(doc_id)
                title_counts[key][text[title_start:title_end]] += 1
                if key not in first:
                    start, end = offmap.span(spans[0][0], spans[n - 1][1])
                    first[key] = (doc_id, text[start:end], _context(text, start, end))
    rows = [{"candidate": first[k][1], "n_words": len(k.split()), "count": c,
             "n_articles": len(docs[k]), "title": title_counts[k].most_common(1)[0][0],
             "example_id": first[k][0], "example": first[k][2]}
            for k, c in counts.items() if c >= min_count]
    cols = ["candidate", "n_words", "count", "n_articles", "title", "example_id", "example"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["count", "n_words", "candidate"],
                           ascending=[False, False, True]).reset_index(drop=True)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    """The line around ``text[start:end]``, cut to ``width`` characters each side."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    return text[max(left, start - width):min(right, end + width)]


# --- optional model backend ---------------------------------------------------------------------
MODEL_LABELS = {"PER": "PERSON", "PERS": "PERSON", "PERSON": "PERSON", "LOC": "LOC", "GPE": "GPE",
                "ORG": "ORG", "FAC": "FAC", "MISC": "MISC", "EVENT": "EVENT", "NORP": "NORP"}


def _check_transformers_backend(model_path) -> Path:
    """Raise EntityBackendError saying what is missing; return the model directory otherwise."""
    missing = [p for p in ("transformers", "torch") if importlib.util.find_spec(p) is None]
    if missing:
        raise EntityBackendError(
            f"backend='transformers' needs the Python package(s) {missing}, which are not "
            f"installed. Install them with `pip install transformers torch`, or use the default "
            f"backend='gazetteer'.")
    if model_path is None:
        raise EntityBackendError(
            "backend='transformers' needs model_path= pointing to a local directory with a "
            "token-classification model (config.json, weights, tokenizer files). Models are never "
            "downloaded here; copy one onto this machine first.")
    model_dir = Path(model_path)
    if not (model_dir / "config.json").is_file():
        raise EntityBackendError(
            f"model_path {str(model_dir)!r} is not a model directory (no config.json there). "
            f"Give the folder of a saved Hugging Face token-classification model.")
    return model_dir


def _model_label(ent: dict) -> str | None:
    """Entity type of one pipeline result (``entity_group`` or ``entity``, B-/I- prefix dropped)."""
    label = str(ent.get("entity_group") or ent.get("entity") or "").upper()
    return MODEL_LABELS.get(re.sub(r"^[BI][-_]", "", label))


def _name_model_span(text: str, start: int, end: int, etype: str | None, matcher: Matcher):
    """Name a model span through the gazetteer when it holds one known name (clitics and all);
    otherwise keep the span's own text. Returns ``(entity, entity_en, type, start, end)``."""
    norm, offmap = _searchable_text(text[start:end])
    hits = scan_text(norm, matcher)
    if len(hits) == 1:
        info = matcher.lookup[hits[0][2]]
        a, b = offmap.span(hits[0][0], hits[0][1])
        return info[0], info[1], info[2], start + a, start + b
    return text[start:end].strip(), "", etype, start, end


def _transformers_mentions(corpus: pd.DataFrame, model_path, gazetteer) -> pd.DataFrame:
    """Mentions from a local token-classification model, named through the gazetteer if possible."""
    model_dir = _check_transformers_backend(model_path)
    os.environ["HF_HUB_OFFLINE"] = "1"          # never reach for the network
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from transformers import pipeline  # imported late: optional and heavy

    ner = pipeline("token-classification", model=str(model_dir), tokenizer=str(model_dir),
                   aggregation_strategy="simple", model_kwargs={"local_files_only": True})
    matcher = _resolve_gazetteer(gazetteer)
    rows, unmapped = [], []
    for doc_id, outlet, text in zip(corpus["id"], corpus["outlet"], corpus["text"].astype(str)):
        for ent in ner(text):
            etype = _model_label(ent)
            entity, entity_en, etype, start, end = _name_model_span(
                text, int(ent["start"]), int(ent["end"]), etype, matcher)
            if etype is None:
                unmapped.append((doc_id, outlet, entity, text[start:end], start, end,
                                 f"model label {ent.get('entity_group') or ent.get('entity')!r} "
                                 f"has no entity type"))
                continue
            rows.append((doc_id, outlet, entity, entity_en, etype, text[start:end], start, end))
    mentions = pd.DataFrame.from_records(rows, columns=MENTION_COLUMNS)
    mentions.attrs["unresolved"] = pd.DataFrame.from_records(unmapped, columns=UNRESOLVED_COLUMNS)
    return mentions
