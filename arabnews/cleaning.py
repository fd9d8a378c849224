"""Cleaning: remove site furniture from raw articles, and record every removal.

Web news pages carry furniture that is not the article: theme notices, comment forms, share and
follow prompts, bylines and datelines, agency end marks, ad placeholders, English photo captions,
and sometimes a whole unrelated article appended after a "read also" marker. Counting it would
distort every statistic, so ``clean_corpus`` removes it by named rules and returns an audit table
of what went where. The rules are data: the per-site rules of ``data/cleaning_rules.csv``, the
furniture common to Arabic news sites in ``data/furniture_patterns.csv``, and lines repeated
across many articles of one outlet (``arabnews/furniture.py``). Arabic photo captions are the
outlet's own words: their credit goes, the caption stays, listed in ``attrs["captions"]``.

The whole corpus is cleaned at once in polars: the text is split into lines once and each rule
is applied to all lines of all articles in one vectorised pass.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import polars as pl

from arabnews import DATA_DIR
from arabnews.checks import ARABIC_LETTER, LATIN_LETTER, check_frame
from arabnews.furniture import (combine_furniture, furniture_key, furniture_lines, furniture_table,
                                normalised_lines)

__all__ = ["clean_article", "clean_corpus", "cleaning_report", "cleaning_rules", "combine_furniture",
           "furniture_lines", "stated_metadata", "without_captions"]

AUDIT_COLUMNS = ["line", "rule", "action", "text"]
CAPTION_COLUMNS = ["id", "start", "end", "text"]
RULE_FILES = ("cleaning_rules.csv", "furniture_patterns.csv")   # applied in this order
AGENCY_FILE = "news_agencies.txt"                                 # the {agency} placeholder
ACTIONS = ("line", "cut", "fragment", "credit", "caption")
WHERE = ("any", "header", "last", "edges", "headline")
HEADER_LINES = 3            # 'header' rules only look at the first three non-empty lines
HEADLINE_MIN_WORDS = 5      # never shave a headline down to a stub
CAPTION_MAX_WORDS = 15      # caption_after_credit: a caption is short ...
SENTENCE_END = r'[.!؟:"”»]$'  # ... and does not end like a sentence
CREDIT_RULE = "photo_credit"  # caption_after_credit follows a line this rule credited
LATIN_MIN = 3               # latin_line: a line with no Arabic letter and >= 3 Latin letters
ARABIC = f"[{ARABIC_LETTER}\\uFB50-\\uFDFF\\uFE70-\\uFEFF]"   # presentation forms count as Arabic
LATIN = f"[{LATIN_LETTER}]"


# --- rules ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    name: str
    action: str      # line | cut | fragment | credit | caption
    where: str       # any | header | last | edges | headline
    pattern: str     # '' = builtin (implemented here by name)
    description: str
    source: str      # the data file the rule comes from

    @property
    def builtin(self) -> bool:
        return not self.pattern


def _agency_alternation() -> str:
    with open(DATA_DIR / AGENCY_FILE, encoding="utf-8") as f:
        names = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    return "|".join(re.escape(n).replace("\\ ", " ") for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=None)
def _load_rules(folder: str) -> tuple[Rule, ...]:
    agency = _agency_alternation()
    rules = []
    for name in RULE_FILES:
        with open(f"{folder}/{name}", encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.DictReader(f), start=2):
                pattern = row["pattern"].replace("{agency}", agency)
                where = f"{name} line {number} ({row['rule']})"
                if row["action"] not in ACTIONS or row["where"] not in WHERE:
                    raise ValueError(f"{where}: action must be one of {ACTIONS} and where one of "
                                     f"{WHERE}, got {row['action']!r}, {row['where']!r}")
                try:
                    re.compile(pattern)
                    pl.Series([""]).str.contains(pattern)
                except Exception as error:  # both engines must accept the pattern
                    raise ValueError(f"{where}: bad pattern {row['pattern']!r}: {error}") from None
                rules.append(Rule(row["rule"], row["action"], row["where"], pattern,
                                  row["description"], name))
    return tuple(rules)


def _rules() -> tuple[Rule, ...]:
    return _load_rules(str(DATA_DIR))


def cleaning_rules() -> pd.DataFrame:
    """The cleaning rules as a table (rule, action, where, pattern, description, file), in the order applied."""
    return pd.DataFrame([{"rule": r.name, "action": r.action, "where": r.where, "pattern": r.pattern,
                          "description": r.description, "file": r.source} for r in _rules()])


# --- the vectorised pass ----------------------------------------------------------------------
def _where(where: str) -> pl.Expr:
    """Which lines a rule looks at (``pos``: rank among the article's non-empty lines)."""
    header, last = pl.col("pos") <= HEADER_LINES, pl.col("pos") == pl.col("n_lines")
    return {"any": pl.lit(True), "header": header, "last": last, "edges": header | last}[where]


def _groups(pattern: str) -> dict[str, int]:
    return re.compile(pattern).groupindex


def _strip(rule: Rule, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(removed fragment or '', text without it) for a fragment or credit rule."""
    groups = _groups(rule.pattern)
    if "drop" in groups:
        removed = text.str.extract(rule.pattern, groups["drop"]).fill_null("")
        kept = text.str.replace(rule.pattern, "${keep}" if "keep" in groups else "")
    else:
        removed = text.str.extract_all(rule.pattern).list.eval(pl.element().str.strip_chars()) \
            .list.join(" | ")
        kept = text.str.replace_all(rule.pattern, "")
    return removed.fill_null(""), kept.str.replace_all(r"\s{2,}", " ").str.strip_chars()


def _split_lines(data: pl.DataFrame) -> pl.DataFrame:
    """One row per non-empty line: row, outlet, line (1-based number in the raw text), orig, pos, n_lines."""
    return (data.select("row", "outlet", normalised_lines(pl.col("raw_text")).alias("orig"))
            .with_columns(pl.int_ranges(1, pl.col("orig").list.len() + 1).alias("line"))
            .explode("orig", "line")
            .with_columns(pl.col("orig").str.strip_chars())
            .filter(pl.col("orig").fill_null("") != "")
            .with_columns(pl.int_range(1, pl.len() + 1).over("row").alias("pos"),
                          pl.len().over("row").alias("n_lines")))


def _mark_cuts(lines: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """``cut``: the name of the cut rule that removes this line (it or an earlier line matched)."""
    hit = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules):
        hit = pl.when(_where(rule.where) & pl.col("orig").str.contains(rule.pattern)).then(
            pl.lit(rule.name)).otherwise(hit)
    lines = lines.with_columns(hit.alias("cut_hit"))
    first = pl.col("line").filter(pl.col("cut_hit").is_not_null()).min().over("row")
    name = pl.col("cut_hit").drop_nulls().first().over("row")
    return lines.with_columns(pl.when(pl.col("line") >= first).then(name).alias("cut")).drop("cut_hit")


def _strip_fragments(lines: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, list[str]]:
    """Apply fragment and credit rules in order to ``text``; one column of removed text per rule."""
    lines = lines.with_columns(pl.col("orig").alias("text"))
    columns = []
    for i, rule in enumerate(rules):
        column = f"frag_{i}"
        removed, kept = _strip(rule, pl.col("text"))
        applies = _where(rule.where) & pl.col("cut").is_null()
        lines = lines.with_columns(pl.when(applies).then(removed).otherwise(pl.lit("")).alias(column)) \
            .with_columns(pl.when(pl.col(column) != "").then(kept).otherwise(pl.col("text")).alias("text"))
        columns.append(column)
    return lines, columns


def _builtin(name: str, furniture: pl.DataFrame) -> pl.Expr:
    text = pl.col("text")
    if name == "latin_line":
        return ~text.str.contains(ARABIC) & (text.str.count_matches(LATIN) >= LATIN_MIN)
    if name == "duplicate_line":
        return pl.int_range(pl.len()).over("row", "orig") > 0
    if name == "repeated_line":
        return pl.col("furniture")
    raise ValueError(f"cleaning rule {name!r} has no pattern and is not a builtin "
                     f"(latin_line, duplicate_line, repeated_line, caption_after_credit)")


def _line_rules(lines: pl.DataFrame, rules: list[Rule], frag_rules: list[Rule], frag_columns: list[str],
                furniture: pl.DataFrame) -> pl.DataFrame:
    """``rule``/``action`` of the removal of each line (null: the line stays)."""
    hit = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules):
        test = _builtin(rule.name, furniture) if rule.builtin else pl.col("text").str.contains(rule.pattern)
        hit = pl.when(_where(rule.where) & test).then(pl.lit(rule.name)).otherwise(hit)
    emptied = pl.lit(None, dtype=pl.String)   # a line that fragments emptied goes under their rule
    for rule, column in zip(frag_rules, frag_columns):
        emptied = pl.when(pl.col(column) != "").then(pl.lit(rule.name)).otherwise(emptied)
    rule = (pl.when(pl.col("cut").is_not_null()).then(pl.col("cut"))
            .when(pl.col("text") == "").then(emptied).otherwise(hit))
    action = pl.when(pl.col("cut").is_not_null()).then(pl.lit("cut")) \
        .when(rule.is_not_null()).then(pl.lit("line"))
    return lines.with_columns(rule.alias("rule"), action.alias("action"))


def _mark_captions(lines: pl.DataFrame, rules: list[Rule], frag_rules: list[Rule],
                   frag_columns: list[str]) -> pl.DataFrame:
    """``caption``: a kept line that is a photo caption (its credit stripped, or right after one)."""
    credited = pl.lit(False)
    for rule, column in zip(frag_rules, frag_columns):
        if rule.action == "credit":
            credited = credited | (pl.col(column) != "")
    lines = lines.with_columns(credited.alias("credited"))
    kept = pl.col("rule").is_null()
    caption = pl.col("credited") & kept
    if any(r.name == "caption_after_credit" for r in rules):
        after = pl.col("credit_rule_hit").shift(1).over("row").fill_null(False)
        short = (pl.col("text").str.count_matches(r"\S+") <= CAPTION_MAX_WORDS) \
            & ~pl.col("text").str.contains(SENTENCE_END)
        credit_cols = [c for r, c in zip(frag_rules, frag_columns) if r.name == CREDIT_RULE]
        hit = pl.any_horizontal([pl.col(c) != "" for c in credit_cols]) if credit_cols else pl.lit(False)
        lines = lines.with_columns(hit.alias("credit_rule_hit"))
        caption = caption | (after & short & kept)
    return lines.with_columns(caption.alias("caption"))


def _strip_headline(lines: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Headline fragment rules, on the first kept line of each article only."""
    kept = pl.col("rule").is_null()
    first = kept & (pl.col("pos") == pl.col("pos").filter(kept).min().over("row"))
    lines = lines.with_columns(first.alias("headline"))
    for i, rule in enumerate(rules):
        column = f"head_{i}"
        removed, shorter = _strip(rule, pl.col("text"))
        ok = pl.col("headline") & (removed != "") & (shorter.str.count_matches(r"\S+") >= HEADLINE_MIN_WORDS)
        lines = lines.with_columns(pl.when(ok).then(removed).otherwise(pl.lit("")).alias(column)) \
            .with_columns(pl.when(pl.col(column) != "").then(shorter).otherwise(pl.col("text")).alias("text"))
    return lines


def _furniture_flags(lines: pl.DataFrame, furniture: pd.DataFrame | None, data: pl.DataFrame) -> pl.DataFrame:
    table = furniture_table(furniture if furniture is not None else furniture_lines(data))
    keys = table.select("outlet", "line", pl.lit(True).alias("furniture"))
    return (lines.with_columns(furniture_key(pl.col("orig")).alias("key"))
            .join(keys.rename({"line": "key"}), on=["outlet", "key"], how="left", maintain_order="left")
            .with_columns(pl.col("furniture").fill_null(False)).drop("key"))


def _clean_lines(data: pl.DataFrame, furniture: pd.DataFrame | None) -> tuple[pl.DataFrame, list, list]:
    rules = list(_rules())
    cut_rules = [r for r in rules if r.action == "cut"]
    frag_rules = [r for r in rules if r.action in ("fragment", "credit") and r.where != "headline"]
    line_rules = [r for r in rules if r.action == "line"]
    head_rules = [r for r in rules if r.action == "fragment" and r.where == "headline"]
    lines = _split_lines(data)
    if any(r.name == "repeated_line" for r in line_rules):
        lines = _furniture_flags(lines, furniture, data)
    lines = _mark_cuts(lines, cut_rules)
    lines, frag_columns = _strip_fragments(lines, frag_rules)
    lines = _line_rules(lines, line_rules, frag_rules, frag_columns, furniture)
    lines = _mark_captions(lines, rules, frag_rules, frag_columns)
    lines = _strip_headline(lines, head_rules)
    fragments = list(zip(frag_rules, frag_columns)) + [(r, f"head_{i}") for i, r in enumerate(head_rules)]
    return lines, fragments, rules


def _audit(lines: pl.DataFrame, fragments: list, rules: list[Rule]) -> pl.DataFrame:
    """Every removal: row, line, rule, action, text (whole lines first in line order, then fragments)."""
    order = {r.name: i for i, r in enumerate(rules)}
    whole = lines.filter(pl.col("rule").is_not_null()).select(
        "row", "line", "rule", "action", pl.col("orig").alias("text"))
    parts = [whole]
    kept = lines.filter(pl.col("rule").is_null())
    for rule, column in fragments:
        parts.append(kept.filter(pl.col(column) != "").select(
            "row", "line", pl.lit(rule.name).alias("rule"), pl.lit("fragment").alias("action"),
            pl.col(column).alias("text")))
    audit = pl.concat(parts)
    return (audit.with_columns(pl.col("rule").replace_strict(order, default=len(order)).alias("_order"))
            .sort("row", "line", "_order").drop("_order"))


def _texts(lines: pl.DataFrame, n_rows: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Clean text per row (kept lines joined by newlines) and the caption spans in it."""
    kept = (lines.filter(pl.col("rule").is_null())
            .with_columns(pl.col("text").str.len_chars().alias("length"))
            .with_columns((pl.col("length") + 1).cum_sum().over("row").alias("after")))
    kept = kept.with_columns((pl.col("after") - pl.col("length") - 1).alias("start"))
    texts = kept.group_by("row", maintain_order=True).agg(pl.col("text").str.join("\n"))
    texts = pl.DataFrame({"row": pl.int_range(n_rows, eager=True).cast(pl.UInt32)}) \
        .join(texts.with_columns(pl.col("row").cast(pl.UInt32)), on="row", how="left",
              maintain_order="left").with_columns(pl.col("text").fill_null(""))
    captions = kept.filter(pl.col("caption")).select(
        "row", "start", (pl.col("start") + pl.col("length")).alias("end"), "text")
    return texts, captions


def _input(frame: pd.DataFrame) -> pl.DataFrame:
    check_frame(frame, ("id", "outlet", "raw_text"), "frame")
    raw = frame["raw_text"]
    bad = raw[~raw.map(lambda v: isinstance(v, str) or v is None or v != v)]
    if len(bad):
        raise TypeError(f"frame['raw_text'] must hold text; row {bad.index[0]!r} holds "
                        f"{type(bad.iloc[0]).__name__}")
    return pl.DataFrame({"row": range(len(frame)),
                         "outlet": frame["outlet"].astype(str).tolist(),
                         "raw_text": raw.where(raw.notna(), "").tolist()},
                        schema={"row": pl.UInt32, "outlet": pl.String, "raw_text": pl.String})


# --- public API -------------------------------------------------------------------------------
def clean_corpus(frame: pd.DataFrame, furniture: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of ``frame`` (needs ``id, outlet, raw_text``) with the clean ``text`` and
    ``n_removed_lines`` (whole lines removed), and attrs:

    - ``cleaning_audit``: every removal, ``id, outlet, line, rule, action, text`` (``line`` is the
      1-based line number in the raw text; ``action`` is line, cut or fragment);
    - ``captions``: ``id, start, end, text`` of the photo captions kept in ``text`` (offsets into
      ``text``), so an analysis can leave them out (``without_captions``);
    - ``cleaning_emptied``: ids of articles that had text and lost all of it to cleaning.

    ``furniture`` is ``furniture_lines`` of the whole corpus (or ``combine_furniture`` of its
    partitions); by default it is computed from ``frame``, so a partition cleaned alone can
    differ in its repeated-line removals from the same articles cleaned in the whole corpus.
    """
    data = _input(frame)
    lines, fragments, rules = _clean_lines(data, furniture)
    texts, captions = _texts(lines, len(frame))
    audit = _audit(lines, fragments, rules)
    ids = frame["id"].reset_index(drop=True)
    outlets = frame["outlet"].reset_index(drop=True)
    out = frame.copy()
    out["text"] = texts["text"].to_list()
    removed = audit.filter(pl.col("action") != "fragment").group_by("row").len()
    counts = np.zeros(len(frame), dtype="int64")
    counts[removed["row"].to_numpy()] = removed["len"].to_numpy()
    out["n_removed_lines"] = counts
    audit_pd = audit.to_pandas()
    rows = audit_pd.pop("row").to_numpy()
    audit_pd.insert(0, "outlet", outlets.to_numpy()[rows] if len(rows) else [])
    audit_pd.insert(0, "id", ids.to_numpy()[rows] if len(rows) else [])
    out.attrs["cleaning_audit"] = audit_pd.astype({"line": "int64"})
    caps = captions.to_pandas()
    cap_rows = caps.pop("row").to_numpy()
    caps.insert(0, "id", ids.to_numpy()[cap_rows] if len(cap_rows) else [])
    out.attrs["captions"] = caps.astype({"start": "int64", "end": "int64"})[CAPTION_COLUMNS]
    had_text = set(lines["row"].unique().to_list())
    emptied = [ids[r] for r, t in zip(texts["row"].to_list(), texts["text"].to_list()) if t == "" and r in had_text]
    out.attrs["cleaning_emptied"] = emptied
    return out


def clean_article(text: str) -> tuple[str, pd.DataFrame]:
    """Return ``(clean_text, removed)``: one article without site furniture, and the audit of removals.

    Same rules and audit as ``clean_corpus`` (the repeated-line rule never fires on one article).
    ``removed`` has one row per removed line or fragment: ``line`` (1-based line number in the raw
    text), ``rule``, ``action`` (line, cut, fragment) and the removed ``text``. The clean text keeps
    the headline first and one paragraph per line.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    out = clean_corpus(pd.DataFrame({"id": [0], "outlet": [""], "raw_text": [text]}))
    audit = out.attrs["cleaning_audit"][AUDIT_COLUMNS].reset_index(drop=True)
    return out["text"].iloc[0], audit


def without_captions(corpus: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cleaned corpus whose ``text`` leaves out the caption lines of ``attrs["captions"]``."""
    check_frame(corpus, ("id", "text"))
    captions = corpus.attrs.get("captions")
    out = corpus.copy()
    if captions is None or captions.empty:
        return out
    spans = captions.groupby("id")[["start", "end"]].apply(lambda g: list(zip(g.start, g.end))).to_dict()

    def drop(row_id, text):
        for start, end in sorted(spans.get(row_id, ()), reverse=True):
            text = text[:start] + text[end + 1:] if text[end:end + 1] == "\n" else text[:start] + text[end:]
        return text.rstrip("\n")

    out["text"] = [drop(i, t) for i, t in zip(out["id"], out["text"])]
    return out


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
    """Every removal across a corpus: ``id, outlet, line, rule, action, text``.

    Read from ``corpus.attrs["cleaning_audit"]`` when the corpus carries it (restricted to the
    corpus's ids, so a subset reports its own removals), else computed from ``raw_text``.
    """
    check_frame(corpus, ("id", "outlet"))
    audit = corpus.attrs.get("cleaning_audit")
    if isinstance(audit, pd.DataFrame):
        return audit[audit["id"].isin(corpus["id"])].reset_index(drop=True)
    check_frame(corpus, ("id", "outlet", "raw_text"))
    return clean_corpus(corpus[["id", "outlet", "raw_text"]]).attrs["cleaning_audit"]
