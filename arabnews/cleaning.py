"""Cleaning: remove site junk from a raw article, and record every removal.

Web news pages carry furniture that is not the article: theme notices, comment forms, photo
captions in English, tracking tokens, and sometimes a whole unrelated article appended after a
"read also" marker. Counting it would distort every statistic, so ``clean_article`` removes it by
named rules (``arabnews/data/cleaning_rules.csv``) and returns an audit table of what went where.
Nothing else is removed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from arabnews import DATA_DIR

__all__ = ["clean_article", "clean_corpus", "cleaning_report", "cleaning_rules", "furniture_lines",
           "stated_metadata"]

AUDIT_COLUMNS = ["line", "rule", "action", "text"]
HEADER_LINES = 3            # 'header' rules only look at the first three non-empty lines
CAPTION_MAX_WORDS = 15      # caption_after_credit: a caption is short ...
SENTENCE_END = tuple('.!؟:"”»')  # ... and does not end like a sentence
LATIN = re.compile(r"[A-Za-z]")
ARABIC = re.compile(r"[\u0621-\u064A]")


# --- rules ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    name: str
    action: str      # line | cut | fragment | builtin
    where: str       # any | header | headline
    pattern: re.Pattern | None
    description: str


@lru_cache(maxsize=None)
def _load_rules(path: str) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(Rule(r["rule"], r["action"], r["where"],
                      re.compile(r["pattern"]) if r["pattern"] else None, r["description"])
                 for r in rows)


def _rules() -> tuple[Rule, ...]:
    return _load_rules(str(DATA_DIR / "cleaning_rules.csv"))


def cleaning_rules() -> pd.DataFrame:
    """The cleaning rules as a table (name, action, where, pattern, description), in the order applied."""
    return pd.DataFrame([{"rule": r.name, "action": r.action, "where": r.where,
                          "pattern": r.pattern.pattern if r.pattern else "", "description": r.description}
                         for r in _rules()])


# --- line tests -------------------------------------------------------------------------------
def _mostly_latin(line: str) -> bool:
    latin, arabic = len(LATIN.findall(line)), len(ARABIC.findall(line))
    return latin >= 3 and latin > arabic


def _looks_like_caption(line: str) -> bool:
    return len(line.split()) <= CAPTION_MAX_WORDS and not line.endswith(SENTENCE_END)


def _line_rule(line: str, *, in_header: bool, after_credit: bool, seen: set[str]) -> str | None:
    """Name of the first line rule that removes ``line`` (None: keep it)."""
    for rule in _rules():
        if rule.where == "header" and not in_header:
            continue
        if rule.action == "line" and rule.pattern.search(line):
            return rule.name
        if rule.action == "builtin":
            if rule.name == "caption_after_credit" and after_credit and _looks_like_caption(line):
                return rule.name
            if rule.name == "latin_caption" and _mostly_latin(line):
                return rule.name
            if rule.name == "duplicate_line" and line in seen:
                return rule.name
    return None


def _cut_rule(line: str) -> str | None:
    return next((r.name for r in _rules() if r.action == "cut" and r.pattern.search(line)), None)


def _strip_fragments(line: str, *, is_headline: bool) -> tuple[str, list[tuple[str, str]]]:
    """Remove fragment-rule matches from a kept line; return the line and (rule, fragment) pairs."""
    removed = []
    for rule in _rules():
        if rule.action != "fragment" or (rule.where == "headline" and not is_headline):
            continue
        match = rule.pattern.search(line)
        if match and match.group(0):
            shorter = (line[:match.start()] + line[match.end():]).strip()
            if is_headline and len(shorter.split()) < 5:
                continue  # never shave a headline down to a stub
            removed.append((rule.name, match.group(0).strip()))
            line = shorter
    return line, removed


# --- public API -------------------------------------------------------------------------------
def clean_article(text: str) -> tuple[str, pd.DataFrame]:
    """Return ``(clean_text, removed)``: the article without site junk, and the audit of removals.

    ``removed`` has one row per removed line or fragment: ``line`` (1-based line number in the raw
    text), ``rule``, ``action`` (line, cut, fragment) and the removed ``text``. The clean text keeps
    the headline first and one paragraph per line.
    """
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    kept: list[str] = []
    audit: list[dict] = []
    seen: set[str] = set()
    non_empty = 0
    after_credit = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        non_empty += 1
        cut = _cut_rule(line)
        if cut:
            audit += [{"line": n, "rule": cut, "action": "cut", "text": rest.strip()}
                      for n, rest in enumerate(lines[number - 1:], start=number) if rest.strip()]
            break
        rule = _line_rule(line, in_header=non_empty <= HEADER_LINES,
                          after_credit=after_credit, seen=seen)
        after_credit = rule == "photo_credit"
        seen.add(line)
        if rule:
            audit.append({"line": number, "rule": rule, "action": "line", "text": line})
            continue
        line, fragments = _strip_fragments(line, is_headline=not kept)
        audit += [{"line": number, "rule": r, "action": "fragment", "text": frag} for r, frag in fragments]
        if line:
            kept.append(line)
    return "\n".join(kept), pd.DataFrame(audit, columns=AUDIT_COLUMNS)


def stated_metadata(text: str) -> dict[str, str]:
    """Source, date and byline as the raw article states them (the lines cleaning moves out of the body)."""
    found = {"stated_source": "", "stated_date": "", "stated_byline": ""}
    for line in (ln.strip() for ln in text.split("\n")):
        for key, prefix in (("stated_source", r"^المصدر\s*:\s*"), ("stated_date", r"^تاريخ النشر\s*:\s*"),
                            ("stated_byline", r"^بواسطة\s+")):
            if not found[key] and re.match(prefix, line):
                found[key] = re.sub(prefix, "", line)
    return found


def cleaning_report(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every removal across a corpus: ``id, outlet, line, rule, action, text`` (from ``raw_text``)."""
    frames = []
    for row in corpus.itertuples(index=False):
        removed = clean_article(row.raw_text)[1]
        removed.insert(0, "outlet", row.outlet)
        removed.insert(0, "id", row.id)
        frames.append(removed)
    if not frames:
        return pd.DataFrame(columns=["id", "outlet", *AUDIT_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def furniture_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """Lines repeated across articles of one outlet: ``outlet, line, n_articles`` (reducible: sum
    over partitions). Interface placeholder: the repeated-line rule is being built."""
    return pd.DataFrame({"outlet": pd.Series(dtype=str), "line": pd.Series(dtype=str),
                         "n_articles": pd.Series(dtype="int64")})


def clean_corpus(frame: pd.DataFrame, furniture: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of ``frame`` (id, outlet, raw_text) with ``text``, ``n_removed_lines`` and attrs
    ``cleaning_audit`` (id, outlet, line, rule, action, text) and ``captions`` (id, start, end, text)."""
    out = frame.copy()
    texts, counts, audits = [], [], []
    for row in frame[["id", "outlet", "raw_text"]].itertuples(index=False):
        text, removed = clean_article(row.raw_text)
        texts.append(text)
        counts.append(int((removed.action != "fragment").sum()))
        removed.insert(0, "outlet", row.outlet)
        removed.insert(0, "id", row.id)
        audits.append(removed)
    out["text"] = texts
    out["n_removed_lines"] = counts
    out.attrs["cleaning_audit"] = (pd.concat(audits, ignore_index=True) if audits
                                   else pd.DataFrame(columns=["id", "outlet", *AUDIT_COLUMNS]))
    out.attrs["captions"] = pd.DataFrame(columns=["id", "start", "end", "text"])
    return out
