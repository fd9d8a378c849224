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
from arabnews.cache import by_reference
from arabnews.checks import ARABIC_LETTER, LATIN_LETTER, check_frame
from arabnews.furniture import (MIN_ARTICLES, combine_furniture, furniture_counts, furniture_lines,
                                furniture_table, short_line_keys, split_lines)

__all__ = ["clean_article", "clean_corpus", "cleaning_report", "cleaning_rules", "combine_furniture",
           "furniture_lines", "caption_spans", "stated_metadata", "stated_metadata_frame",
           "without_captions"]

AUDIT_COLUMNS = ["line", "rule", "action", "text"]
CAPTION_COLUMNS = ["id", "start", "end", "text"]
RULE_FILES = ("cleaning_rules.csv", "furniture_patterns.csv")   # applied in this order
AGENCY_FILE = "news_agencies.txt"                                 # the {agency} placeholder
DASH = r"(?:\s*[-–—]\s*|\s+ـ\s*|\s*ـ\s+)"   # {dash}: a dash, or a tatweel standing apart as one
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
                pattern = row["pattern"].replace("{agency}", agency).replace("{dash}", DASH)
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


def _candidates(lines: pl.DataFrame, rules: list[Rule], column: str = "orig") -> pl.Series:
    """Lines where at least one of the pattern ``rules`` may apply (one regex pass per rule, over
    only the lines its ``where`` allows; one alternation of all patterns is far slower)."""
    mask = np.zeros(len(lines), dtype=bool)
    for where in WHERE:
        tests = [pl.col(column).str.contains(r.pattern) for r in rules if r.where == where and not r.builtin]
        if not tests:
            continue
        place = _where("any" if where == "headline" else where)
        hits = lines.filter(place).filter(pl.any_horizontal(tests))["i"].to_numpy()
        mask[hits] = True
    return pl.Series("m", mask)


def _on_subset(lines: pl.DataFrame, mask: pl.Series, work, columns: dict[str, pl.Expr]) -> pl.DataFrame:
    """Run ``work`` (which keeps rows and their order) on the lines where ``mask`` holds and write its
    ``columns`` back into those rows (the default expressions, evaluated on ``lines``, elsewhere)."""
    positions = pl.Series(np.flatnonzero(mask.to_numpy()), dtype=pl.UInt32)
    subset = work(lines.filter(mask))
    defaults = lines.select(pl.col("i"), *[default.alias(c) for c, default in columns.items()])
    return lines.with_columns(defaults[c].cast(subset[c].dtype).scatter(positions, subset[c])
                              for c in columns)


def _strip(rule: Rule, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(removed fragment or '', text without it) for a fragment or credit rule."""
    groups = re.compile(rule.pattern).groupindex
    if "drop" in groups:
        removed = text.str.extract(rule.pattern, groups["drop"])
        kept = text.str.replace(rule.pattern, "${keep}" if "keep" in groups else "")
    else:
        removed = text.str.extract_all(rule.pattern).list.eval(pl.element().str.strip_chars()) \
            .list.join(" | ")
        kept = text.str.replace_all(rule.pattern, "")
    return removed.fill_null(""), kept.str.replace_all(r"\s{2,}", " ").str.strip_chars()


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


def _apply_fragments(lines: pl.DataFrame, rules: list[Rule], columns: list[str]) -> pl.DataFrame:
    """Apply fragment rules in order to ``text``, each removal in its own column."""
    plan = lines.lazy()   # one query for all rules: each rule sees the text the previous one left
    for rule, column in zip(rules, columns):
        removed, kept = _strip(rule, pl.col("text"))
        applies = _where(rule.where) & pl.col("cut").is_null()
        plan = plan.with_columns(pl.when(applies).then(removed).otherwise(pl.lit("")).alias(column)) \
            .with_columns(pl.when(pl.col(column) != "").then(kept).otherwise(pl.col("text")).alias("text"))
    return plan.collect()


def _strip_fragments(lines: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, list[str]]:
    """Fragment and credit rules on the lines that may hold one; ``text`` is the line without them."""
    columns = [f"frag_{i}" for i in range(len(rules))]
    lines = lines.with_columns(pl.col("orig").alias("text"))
    merged = _on_subset(lines, _candidates(lines, rules), lambda sub: _apply_fragments(sub, rules, columns),
                        {"text": pl.col("orig"), **{c: pl.lit("") for c in columns}})
    return merged, columns


def _builtins(lines: pl.DataFrame) -> pl.DataFrame:
    """Columns for the builtin line rules: latin_line, duplicate_line (repeated_line: ``furniture``)."""
    no_arabic = lines.filter(~pl.col("text").str.contains(ARABIC))
    latin = no_arabic.filter(pl.col("text").str.count_matches(LATIN) >= LATIN_MIN)["i"].to_numpy()
    is_latin = np.zeros(len(lines), dtype=bool)
    is_latin[latin] = True
    repeat = ~pl.struct(pl.col("row"), pl.col("orig").hash()).is_first_distinct()   # an earlier line of the article
    return lines.with_columns(pl.Series("latin_line", is_latin), repeat.alias("duplicate_line"))


def _builtin(name: str) -> pl.Expr:
    if name in ("latin_line", "duplicate_line"):
        return pl.col(name)
    if name == "repeated_line":
        return pl.col("furniture")
    if name == "repeated_edge_line":
        return pl.col("edge_furniture")
    raise ValueError(f"cleaning rule {name!r} has no pattern and is not a builtin "
                     f"(latin_line, duplicate_line, repeated_line, repeated_edge_line, caption_after_credit)")


def _first_pattern(lines: pl.DataFrame, rules: list[Rule], order: dict[str, int]) -> pl.DataFrame:
    """``pattern_hit``: order number of the first pattern rule matching ``text``. One regex pass per
    rule, over only the lines its ``where`` allows (the first hit of each place, then the least)."""
    first = np.full(len(lines), len(order), dtype=np.int64)   # len(order): no rule
    for where in WHERE:
        group = [r for r in rules if not r.builtin and r.where == where]
        if not group:
            continue
        hit = pl.lit(None, dtype=pl.Int64)
        for rule in reversed(group):
            hit = pl.when(pl.col("text").str.contains(rule.pattern)).then(pl.lit(order[rule.name])).otherwise(hit)
        found = lines.filter(_where("any" if where == "headline" else where)).select("i", hit.alias("hit")) \
            .drop_nulls("hit")
        at = found["i"].to_numpy()
        first[at] = np.minimum(first[at], found["hit"].to_numpy())
    return lines.with_columns(pl.Series("pattern_hit", first).replace(len(order), None))


def _line_rules(lines: pl.DataFrame, rules: list[Rule], frag_rules: list[Rule],
                frag_columns: list[str]) -> pl.DataFrame:
    """``rule``/``action`` of the removal of each line (null: the line stays)."""
    order = {r.name: i for i, r in enumerate(rules)}
    lines = _builtins(_first_pattern(lines, rules, order))
    hit = pl.lit(None, dtype=pl.String)
    for rule in reversed(rules):
        test = _builtin(rule.name) if rule.builtin else pl.col("pattern_hit") == order[rule.name]
        hit = pl.when(_where(rule.where) & test).then(pl.lit(rule.name)).otherwise(hit)
    emptied = pl.lit(None, dtype=pl.String)   # a line that fragments emptied goes under their rule
    for rule, column in zip(frag_rules, frag_columns):
        emptied = pl.when(pl.col(column) != "").then(pl.lit(rule.name)).otherwise(emptied)
    rule = (pl.when(pl.col("cut").is_not_null()).then(pl.col("cut"))
            .when(pl.col("text") == "").then(emptied).otherwise(hit))
    action = pl.when(pl.col("cut").is_not_null()).then(pl.lit("cut")) \
        .when(rule.is_not_null()).then(pl.lit("line"))
    return lines.with_columns(rule.alias("rule"), action.alias("action")).drop(
        "pattern_hit", "latin_line", "duplicate_line")


def _mark_captions(lines: pl.DataFrame, rules: list[Rule], frag_rules: list[Rule],
                   frag_columns: list[str]) -> pl.DataFrame:
    """``caption``: a kept line that is a photo caption (its credit stripped, or right after one)."""
    credit = [pl.col(c) != "" for r, c in zip(frag_rules, frag_columns) if r.action == "credit"]
    kept = pl.col("rule").is_null()
    caption = (pl.any_horizontal(credit) if credit else pl.lit(False)) & kept
    lines = lines.with_columns(caption.alias("caption"))
    if any(r.name == "caption_after_credit" for r in rules):
        by_rule = [pl.col(c) != "" for r, c in zip(frag_rules, frag_columns) if r.name == CREDIT_RULE]
        credited = pl.any_horizontal(by_rule) if by_rule else pl.lit(False)
        after = lines.select(credited.shift(1).over("row").fill_null(False).alias("m"))["m"]
        short = (pl.col("text").str.count_matches(r"\S+") <= CAPTION_MAX_WORDS) \
            & ~pl.col("text").str.contains(SENTENCE_END)
        lines = _on_subset(lines, after, lambda sub: sub.with_columns(
            (pl.col("caption") | (short & pl.col("rule").is_null())).alias("caption")),
            {"caption": pl.col("caption")})
    return lines


def _strip_headline(lines: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, list[str]]:
    """Headline fragment rules, on the first kept line of each article only (never to a stub)."""
    columns = [f"head_{i}" for i in range(len(rules))]
    kept = pl.col("rule").is_null()
    first = kept & (pl.col("pos") == pl.col("pos").filter(kept).min().over("row"))
    mask = lines.select(first.alias("m"))["m"]

    def work(sub):
        plan = sub.lazy()
        for rule, column in zip(rules, columns):
            removed, shorter = _strip(rule, pl.col("text"))
            ok = (removed != "") & (shorter.str.count_matches(r"\S+") >= HEADLINE_MIN_WORDS)
            plan = plan.with_columns(pl.when(ok).then(removed).otherwise(pl.lit("")).alias(column)) \
                .with_columns(pl.when(pl.col(column) != "").then(shorter).otherwise(pl.col("text")).alias("text"))
        return plan.collect()

    return _on_subset(lines, mask, work, {"text": pl.col("text"), **{c: pl.lit("") for c in columns}}), columns


def _furniture_flags(lines: pl.DataFrame, furniture: pd.DataFrame | None) -> pl.DataFrame:
    """``furniture`` / ``edge_furniture``: the line is a repeated line of its outlet (anywhere / at an edge)."""
    short = short_line_keys(lines)
    table = furniture_table(furniture if furniture is not None else furniture_counts(lines, short, as_polars=True))
    keys = table.select("outlet", pl.col("line").alias("key"), "edge_only")
    flagged = short.select("i", "outlet", "key").join(keys, on=["outlet", "key"], how="inner").select(
        "i", (~pl.col("edge_only")).alias("furniture"), pl.col("edge_only").alias("edge_furniture"))
    return lines.join(flagged, on="i", how="left", maintain_order="left") \
        .with_columns(pl.col("furniture", "edge_furniture").fill_null(False))


def _clean_lines(data: pl.DataFrame, furniture: pd.DataFrame | None) -> tuple[pl.DataFrame, list, list]:
    rules = list(_rules())
    cut_rules = [r for r in rules if r.action == "cut"]
    frag_rules = [r for r in rules if r.action in ("fragment", "credit") and r.where != "headline"]
    line_rules = [r for r in rules if r.action == "line"]
    head_rules = [r for r in rules if r.action == "fragment" and r.where == "headline"]
    lines = split_lines(data).with_row_index("i")
    repeated = any(r.name.startswith("repeated_") for r in line_rules)
    if repeated and (furniture is not None or len(data) >= MIN_ARTICLES):
        lines = _furniture_flags(lines, furniture)
    else:   # fewer articles than the rule needs: it cannot fire
        lines = lines.with_columns(pl.lit(False).alias("furniture"), pl.lit(False).alias("edge_furniture"))
    lines = _mark_cuts(lines, cut_rules)
    lines, frag_columns = _strip_fragments(lines, frag_rules)
    lines = _line_rules(lines, line_rules, frag_rules, frag_columns)
    lines = _mark_captions(lines, rules, frag_rules, frag_columns)
    lines, head_columns = _strip_headline(lines, head_rules)
    fragments = list(zip(frag_rules, frag_columns)) + list(zip(head_rules, head_columns))
    return lines, fragments, rules


def _audit(lines: pl.DataFrame, fragments: list, rules: list[Rule]) -> pl.DataFrame:
    """Every removal: row, line, rule, action, text (sorted by article, line, rule order)."""
    order = {r.name: i for i, r in enumerate(rules)}
    parts = [lines.filter(pl.col("rule").is_not_null()).select(
        "row", "line", "rule", "action", pl.col("orig").alias("text"))]
    kept = lines.select("row", "line", "rule", *[c for _, c in fragments]).filter(pl.col("rule").is_null())
    # (only the columns needed: a filter copies every column it keeps)
    for rule, column in fragments:
        parts.append(kept.filter(pl.col(column) != "").select(
            "row", "line", pl.lit(rule.name).alias("rule"), pl.lit("fragment").alias("action"),
            pl.col(column).alias("text")))
    audit = pl.concat(parts)
    return (audit.with_columns(pl.col("rule").replace_strict(order, default=len(order)).alias("_order"))
            .sort("row", "line", "_order").drop("_order"))


def _texts(lines: pl.DataFrame, n_rows: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Clean text per row (kept lines joined by newlines) and the caption spans in it."""
    kept = (lines.select("row", "text", "caption", "rule").filter(pl.col("rule").is_null())
            .with_columns(pl.col("text").str.len_chars().alias("length"))
            .with_columns((pl.col("length") + 1).cum_sum().over("row").alias("after")))
    kept = kept.with_columns((pl.col("after") - pl.col("length") - 1).alias("start"))
    texts = kept.group_by("row", maintain_order=True).agg(pl.col("text").str.join("\n"))
    if texts.height == n_rows:   # every article kept a line: rows 0..n-1 in order already
        texts = texts.with_columns(pl.col("row").cast(pl.UInt32))
    else:
        texts = pl.DataFrame({"row": pl.int_range(n_rows, eager=True).cast(pl.UInt32)}) \
            .join(texts, on="row", how="left", maintain_order="left").with_columns(pl.col("text").fill_null(""))
    captions = kept.filter(pl.col("caption")).select(
        "row", "start", (pl.col("start") + pl.col("length")).alias("end"), "text")
    return texts, captions


def _text_series(values: pd.Series, name: str) -> pl.Series:
    """A pandas text column as polars (Arrow-backed ``str``: no copy; Python strings: one pass)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return pl.from_pandas(values.reset_index(drop=True)).cast(pl.String).alias(name)
    if values.dtype != object:
        values = values.astype(object).where(values.notna(), None)
    return pl.Series(name, values.to_numpy(dtype=object), dtype=pl.String, strict=False)


def _input(frame: pd.DataFrame) -> pl.DataFrame:
    """The articles as polars ``row, outlet, raw_text`` (raw_text must be text or missing)."""
    check_frame(frame, ("id", "outlet", "raw_text"), "frame")
    raw = frame["raw_text"]
    if raw.dtype == object:
        bad = raw[~raw.map(lambda v: isinstance(v, str) or v is None or v != v)]
        if len(bad):
            raise TypeError(f"frame['raw_text'] must hold text; row {bad.index[0]!r} holds "
                            f"{type(bad.iloc[0]).__name__}")
        raw = raw.where(raw.notna(), None)
    return pl.DataFrame([_text_series(frame["outlet"].astype(str), "outlet"), _text_series(raw, "raw_text")]) \
        .with_row_index("row").with_columns(pl.col("raw_text").fill_null(""))


# --- public API -------------------------------------------------------------------------------
def clean_corpus(frame: pd.DataFrame, furniture: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of ``frame`` (needs ``id, outlet, raw_text``) with the clean ``text`` and
    ``n_removed_lines`` (whole lines removed), and attrs:

    The attrs are plain columns (dicts of lists, JSON-able, so the frame still saves to Parquet);
    read them as frames with ``cleaning_report(corpus)`` and ``caption_spans(corpus)``.

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
    del data
    audit = _audit(lines, fragments, rules)
    had_lines = lines["row"].unique()
    lines = lines.select("row", "text", "caption", "rule")   # the rest is let go before the texts are joined
    texts, captions = _texts(lines, len(frame))
    del lines
    ids = frame["id"].reset_index(drop=True)
    outlets = frame["outlet"].reset_index(drop=True)
    emptied = texts.filter((pl.col("text") == "") & pl.col("row").is_in(had_lines.implode()))["row"].to_list()
    out = frame.copy()
    out["text"] = texts["text"].to_pandas().array   # Arrow-backed ``str``: no Python string per article
    del texts
    removed = audit.filter(pl.col("action") != "fragment").group_by("row").len()
    counts = np.zeros(len(frame), dtype="int64")
    counts[removed["row"].to_numpy()] = removed["len"].to_numpy()
    out["n_removed_lines"] = counts
    id_list = ids.tolist()
    audit_rows = audit["row"].to_list()
    out.attrs["cleaning_audit"] = by_reference({"id": [id_list[r] for r in audit_rows],
                                                "outlet": [outlets.iat[r] for r in audit_rows],
                                                **{c: audit[c].to_list() for c in AUDIT_COLUMNS}})
    out.attrs["captions"] = by_reference({"id": [id_list[r] for r in captions["row"].to_list()],
                                          **{c: captions[c].to_list() for c in CAPTION_COLUMNS[1:]}})
    out.attrs["cleaning_emptied"] = by_reference([id_list[r] for r in emptied])
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
    return out["text"].iloc[0], cleaning_report(out)[AUDIT_COLUMNS]


def without_captions(corpus: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cleaned corpus whose ``text`` leaves out its caption lines (``caption_spans``)."""
    captions = caption_spans(corpus)
    out = corpus.copy()
    if captions.empty:
        return out
    spans = {key: sorted(zip(g.start, g.end), reverse=True) for key, g in captions.groupby("id")}

    def drop(key, text: str) -> str:
        for start, end in spans.get(key, ()):
            text = text[:start] + text[end + 1:]   # the caption line and its line break
        return text.rstrip("\n")

    out["text"] = [drop(key, text) for key, text in zip(out["id"], out["text"])]
    return out


STATED_PREFIXES = {"stated_source": r"^المصدر\s*:\s*", "stated_date": r"^تاريخ النشر\s*:\s*",
                   "stated_byline": r"^بواسطة\s+"}


def stated_metadata(text: str) -> dict[str, str]:
    """Source, date and byline as the raw article states them (the lines cleaning moves out of the body)."""
    row = stated_metadata_frame(pd.Series([text])).iloc[0]
    return {key: row[key] for key in STATED_PREFIXES}


def stated_metadata_frame(raw_text: pd.Series) -> pd.DataFrame:
    """``stated_metadata`` of every article at once: one row per element of ``raw_text`` (same
    index), columns ``stated_source, stated_date, stated_byline`` ('' where the article states none)."""
    data = pl.DataFrame({"raw_text": raw_text.astype("string").fillna("").to_numpy().tolist()},
                        schema={"raw_text": pl.String}).with_row_index("row").with_columns(
        pl.lit("").alias("outlet"))
    lines = split_lines(data)
    out = pl.DataFrame({"row": pl.int_range(len(data), eager=True).cast(pl.UInt32)})
    for key, prefix in STATED_PREFIXES.items():
        first = (lines.filter(pl.col("orig").str.contains(prefix)).group_by("row").agg(pl.col("orig").first())
                 .select("row", pl.col("orig").str.replace(prefix, "").alias(key)))
        out = out.join(first, on="row", how="left", maintain_order="left").with_columns(pl.col(key).fill_null(""))
    return out.drop("row").to_pandas().set_index(raw_text.index)


def cleaning_report(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every removal across a corpus: ``id, outlet, line, rule, action, text``.

    Read from ``corpus.attrs["cleaning_audit"]`` when the corpus carries it (restricted to the
    corpus's ids, so a subset reports its own removals), else computed from ``raw_text``.
    """
    check_frame(corpus, ("id", "outlet"))
    audit = corpus.attrs.get("cleaning_audit")
    if audit is None:
        check_frame(corpus, ("id", "outlet", "raw_text"))
        audit = clean_corpus(corpus[["id", "outlet", "raw_text"]]).attrs["cleaning_audit"]
    table = pd.DataFrame(audit, columns=["id", "outlet", *AUDIT_COLUMNS]).astype({"line": "int64"})
    return table[table["id"].isin(corpus["id"])].reset_index(drop=True)


def caption_spans(corpus: pd.DataFrame) -> pd.DataFrame:
    """The photo captions kept in a cleaned corpus: ``id, start, end, text`` (offsets into ``text``)."""
    check_frame(corpus, ("id", "text"))
    spans = corpus.attrs.get("captions") or {c: [] for c in CAPTION_COLUMNS}
    table = pd.DataFrame(spans, columns=CAPTION_COLUMNS).astype({"start": "int64", "end": "int64"})
    return table[table["id"].isin(corpus["id"])].reset_index(drop=True)
