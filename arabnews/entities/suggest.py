"""Names the gazetteer misses: word n-grams right after a title (الرئيس، وزير، المتحدث باسم ...).

A candidate loses a leading proclitic when what remains is a word of the corpus on its own
(لجامعة الدول العربية → جامعة الدول العربية), so one name is one candidate.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain

import pandas as pd
import polars as pl

from arabnews import text as arabic_text
from arabnews.checks import check_int
from arabnews.entities.cached import plain_corpus
from arabnews.entities.gazetteer import load_titles
from arabnews.entities.matcher import Matcher, resolve_gazetteer, scan_text
from arabnews.entities.mentions import check_entity_corpus
from arabnews.entities.counts import needs_python, searchable_series
from arabnews.entities.normal import (CLITICS, FAST_TABLE, MATCH_FOLDS, match_words,
                                      normalize_for_matching, searchable_text)

__all__ = ["suggest_entities", "strip_clitic"]

NEXT_WORD_RE = re.compile(r"[ \t]+(\w+)")
WORD_RE = re.compile(r"\w+")
CLITIC_ARTICLE_RE = re.compile(r"^(?:[وف][بكل]?ال|[بكل]ال|[وف]?لل)")   # وال، بال، لل ...: not a name start
MIN_STEM = 3   # letters left after a clitic is taken off


@lru_cache(maxsize=1)
def suggestion_stopwords() -> frozenset[str]:
    """Function words that end a candidate name (the project's stopwords, matching folds)."""
    return frozenset(arabic_text.normalize(w, **MATCH_FOLDS) for w in arabic_text.stopwords())


def titles_regex(titles: list[str]) -> re.Pattern:
    """Regex for any title at a word start, optionally behind و/ف, longest first. Shaped as a
    character trie (``title_trie``): Python's engine would otherwise try every title in turn at
    each word."""
    forms = sorted({" ".join(match_words(t)) for t in titles})
    return re.compile(f"(?<!\\w)[وف]?(?P<title>{title_trie(forms)})(?!\\w)")


def title_trie(forms: list[str]) -> str:
    """Alternation of ``forms`` as a character trie, a space standing for ``[ \\t]+``: greedy
    optional groups try the longer title first, as an alternation sorted longest first does."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def node_regex(node: dict) -> str:
        alts = [("[ \t]+" if ch == " " else re.escape(ch)) + node_regex(child)
                for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return node_regex(trie)


def title_words(titles: list[str]) -> frozenset[str]:
    """One-word titles, normalised, with and without a leading clitic (وزعيم، للزعيم)."""
    words = {ws[0] for ws in map(match_words, titles) if len(ws) == 1 and len(ws[0]) > 2}
    with_clitics = {c + w for w in words for c in CLITICS}
    with_clitics |= {c + "ل" + w[2:] for w in words if w.startswith("ال") for c in ("", "و", "ف")}
    return frozenset(words | with_clitics)


def strip_clitic(word: str, vocabulary: set[str] | frozenset[str]) -> int:
    """How many leading letters of ``word`` are a proclitic to drop: the longest of CLITICS
    that leaves a word of ``vocabulary`` (at least MIN_STEM letters; or its ال form), else 0. Names that merely
    start with such a letter (بوتين، كيم، لافروف) keep it: what would remain is not a word."""
    for c in CLITICS:
        stem = word[len(c):]
        if word.startswith(c) and len(stem) >= MIN_STEM and (stem in vocabulary
                                                             or "ال" + stem in vocabulary):
            return len(c)
    return 0


def name_words(norm: str, hits: list[tuple[int, int, str]],
               matcher: Matcher) -> dict[int, tuple[int, str]]:
    """For each word that is (part of) a known name: word start -> (end of the name, its type).

    The word holding a clitic counts too (لبوتين), so a name never becomes a candidate.
    """
    words = {}
    for start, end, key in hits:
        while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            start -= 1
        for w in WORD_RE.finditer(norm[start:end]):
            words[start + w.start()] = (end, matcher.lookup[key][2])
    return words


def candidate_words(norm: str, pos: int, taken: dict[int, tuple[int, str]], stop: frozenset[str],
                    max_words: int) -> list[tuple[int, int]]:
    """Word spans after a title, up to ``max_words``.

    Leading qualifiers are skipped: ال-words (الروسي، الكوري الشمالي) and known places or bodies
    (رئيس كوريا الجنوبية ...). Stops at a function word, another title, a clitic + article
    (والـ، للـ), a number or a known name.
    """
    spans, skipping = [], True
    while len(spans) < max_words:
        m = NEXT_WORD_RE.match(norm, pos)
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
                or CLITIC_ARTICLE_RE.match(word)):
            break
        skipping = False
        spans.append((s, e))
    return spans


def corpus_vocabulary(norms: list[str]) -> frozenset[str]:
    """Every word of the (normalised) texts: what a stripped clitic must leave."""
    return frozenset(chain.from_iterable(map(WORD_RE.findall, norms)))


# Letters and digits the matching normalisation folds one for one (its deletions are done by
# ``searchable_series``): the polars form of ``normalize_for_matching``'s str.translate.
ONE_FOR_ONE = sorted((chr(k), v) for k, v in FAST_TABLE.items() if v)


def matching_texts(texts: list[str]) -> tuple[list[str], frozenset[str]]:
    """``normalize_for_matching`` of every text (without offsets) and the words of them all,
    in polars; the articles with characters on which polars' regex and Python's judge words or
    normalise differently (``needs_python``: ligatures, marks, emoji ...) are done in Python."""
    series = pl.Series("text", texts, dtype=pl.String)
    searchable = searchable_series(series)
    python_only = needs_python(searchable)
    folded = searchable.str.replace_many([k for k, _ in ONE_FOR_ONE], [v for _, v in ONE_FOR_ONE])
    del series, searchable   # (each a copy of the corpus text: let go before the next one)
    fast = folded.filter(~python_only)
    vocabulary = set(fast.str.extract_all(r"\w+").explode().drop_nulls().unique().to_list())
    del fast
    norms = folded.to_list()
    del folded
    for i in python_only.arg_true().to_list():
        norms[i] = normalize_for_matching(texts[i])[0]
        vocabulary.update(WORD_RE.findall(norms[i]))
    return norms, frozenset(vocabulary)


def line_names(norm: str, at: int, matcher: Matcher,
               lines: dict[int, dict[int, tuple[int, str]]]) -> dict[int, tuple[int, str]]:
    """``name_words`` of the line of ``norm`` holding position ``at`` (memo ``lines``, by line
    start), in positions of ``norm``. No name and no candidate crosses a line end (separators
    hold no newline), and the scanner's boundaries at a line end are those of a text end, so the
    names of a line are those the whole text gives there: only lines with a title are read."""
    start = norm.rfind("\n", 0, at) + 1
    if start not in lines:
        stop = norm.find("\n", at)
        line = norm[start:] if stop == -1 else norm[start:stop]
        words = name_words(line, scan_text(line, matcher), matcher)
        lines[start] = {start + w: (start + end, kind) for w, (end, kind) in words.items()}
    return lines[start]


def suggest_entities(corpus: pd.DataFrame, gazetteer=None, titles: list[str] | None = None,
                     max_words: int = 3, min_count: int = 1) -> pd.DataFrame:
    """Candidate names missing from the gazetteer: word n-grams right after a title.

    Columns ``candidate, n_words, count, n_articles, title, example_id, example``; most frequent
    first. Words already covered by the gazetteer are not proposed; a leading clitic is taken
    off (see ``strip_clitic``).
    """
    check_entity_corpus(corpus)
    corpus = plain_corpus(corpus)
    check_int(max_words, "max_words", minimum=1)
    check_int(min_count, "min_count", minimum=1)
    matcher = resolve_gazetteer(gazetteer)
    titles = titles if titles is not None else load_titles()
    title_re = titles_regex(titles)
    stop = suggestion_stopwords() | title_words(titles)
    texts = corpus["text"].fillna("").astype(str).tolist()
    norms, vocabulary = matching_texts(texts)
    counts: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    first: dict[str, tuple] = {}
    title_counts: dict[str, Counter] = defaultdict(Counter)
    for doc_id, text, norm in zip(corpus["id"], texts, norms):
        lines: dict[int, dict[int, tuple[int, str]]] = {}
        offmap = None
        for t in title_re.finditer(norm):
            offmap = offmap or searchable_text(text)[1]   # back to the text: deletions only
            taken = line_names(norm, t.end(), matcher, lines)
            spans = candidate_words(norm, t.end(), taken, stop, max_words)
            if not spans:
                continue
            cut = strip_clitic(norm[spans[0][0]:spans[0][1]], vocabulary)
            spans[0] = (spans[0][0] + cut, spans[0][1])
            title_start, title_end = offmap.span(*t.span("title"))
            for n in range(1, len(spans) + 1):
                key = norm[spans[0][0]:spans[n - 1][1]]
                counts[key] += 1
                docs[key].add(doc_id)
                title_counts[key][text[title_start:title_end]] += 1
                if key not in first:
                    start, end = offmap.span(spans[0][0], spans[n - 1][1])
                    first[key] = (doc_id, text[start:end], context(text, start, end))
    rows = [{"candidate": first[k][1], "n_words": len(k.split()), "count": c,
             "n_articles": len(docs[k]), "title": title_counts[k].most_common(1)[0][0],
             "example_id": first[k][0], "example": first[k][2]}
            for k, c in counts.items() if c >= min_count]
    cols = ["candidate", "n_words", "count", "n_articles", "title", "example_id", "example"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["count", "n_words", "candidate"],
                           ascending=[False, False, True]).reset_index(drop=True)


def context(text: str, start: int, end: int, width: int = 60) -> str:
    """The line around ``text[start:end]``, cut to ``width`` characters each side."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    return text[max(left, start - width):min(right, end + width)]
