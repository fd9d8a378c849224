"""Site furniture found by repetition: a short line that many articles of one outlet share.

A site prints the same bylines, datelines, sign-offs and share prompts under or above many of its
articles ("عين اليوم – متابعات", "// انتهى //", "00:00 ت م"), and no pattern list can know every
site. ``furniture_lines`` counts, per outlet, in how many articles each short line occurs
(digits folded, so "آخر تحديث: 05:51" and "آخر تحديث: 11:02" are one line); ``furniture_table``
keeps the lines that pass the thresholds below. The count table is reducible: the tables of the
partitions of a corpus, concatenated and summed, equal the table of the whole corpus, so a
partitioned corpus cleans exactly like the whole one.

Thresholds (and why):
- ``MIN_ARTICLES = 3``: two articles sharing a line can be chance or one story told twice; a site
  template shows up everywhere. So never on an outlet with fewer than 3 articles.
- ``MIN_SHARE = 0.01``: the line is in at least 1 % of the outlet's articles. Real sentences that an
  outlet repeats (a royal-decree formula "وقد أعد مرسوم ملكي بذلك.", an agency quote reused in
  follow-ups) occur in a handful of articles, well under 1 % of a real outlet (in SaudiNewsNet the
  most repeated real sentence is in 0.08 % of alriyadh); furniture is in 1 % to 98 %.
- ``MAX_WORDS = 12``: furniture lines are short (bylines, datelines, stamps); a long line shared
  by several articles is a quoted paragraph and stays.
- A line that ends like a sentence (. ! ؟ : or a closing quote) and has ``SENTENCE_WORDS`` words or
  more is never furniture: sign-offs such as "وعلى دروب الخير نلتقي." are the author's words.
- At the top (first three lines) or bottom (last line) of articles a lower bar holds
  (``repeated_edge_line``): a line of at most ``EDGE_WORDS = 4`` words not ending like a sentence,
  there in at least 3 articles and ``EDGE_SHARE = 0.2 %`` of the outlet. These are columnists'
  names and titles printed above or under their columns ("ناصر الجديع", 12 of 2,080 3alyoum
  articles; "* استشاري طب الأطفال"), which would otherwise count as entity mentions; a body line
  is rarely four unpunctuated words repeated at an article's edge.
"""
from __future__ import annotations

import polars as pl
import pandas as pd

from arabnews.checks import check_frame

__all__ = ["furniture_lines", "furniture_table", "furniture_counts", "short_line_keys", "MIN_ARTICLES", "MIN_SHARE",
           "MAX_WORDS"]

MIN_ARTICLES = 3
MIN_SHARE = 0.01
MAX_WORDS = 12
SENTENCE_WORDS = 4
EDGE_LINES = 3      # the top of an article: its first three non-empty lines (and the last line)
EDGE_SHARE = 0.002
EDGE_WORDS = 4
COLUMNS = ["outlet", "line", "n_articles", "n_edge"]
SHORT_CHARS = 160   # a line of MAX_WORDS words is shorter than this: longer lines are never compared
OUTLET_TOTAL = ""   # the row with an empty line holds the outlet's number of articles
LINE_BREAKS = r"\r\n|\r|\u2028|\u2029|\u0085"
SENTENCE_END = r"[.!؟:\"”»…]$"


def normalised_lines(raw_text: pl.Expr) -> pl.Expr:
    """Raw text -> list of lines, line endings normalised first (CRLF, CR, U+2028, U+2029, NEL)."""
    return raw_text.fill_null("").str.replace_all(LINE_BREAKS, "\n").str.split("\n")


def furniture_key(line: pl.Expr) -> pl.Expr:
    """The form in which lines are compared across articles: spaces collapsed, digits folded to 0."""
    return (line.str.replace_all(r"\s+", " ").str.strip_chars()
            .str.replace_all(r"[0-9\u0660-\u0669\u06F0-\u06F9]", "0"))


def split_lines(data: pl.DataFrame) -> pl.DataFrame:
    """One row per non-empty line of ``data`` (row, outlet, raw_text): row, outlet, line (1-based
    number in the raw text), orig (the stripped line), pos (rank among the non-empty lines), n_lines."""
    return (data.select("row", "outlet", normalised_lines(pl.col("raw_text")).alias("orig"))
            .with_columns(pl.int_ranges(1, pl.col("orig").list.len() + 1).alias("line"))
            .explode("orig", "line")
            .with_columns(pl.col("orig").str.strip_chars())
            .filter(pl.col("orig").fill_null("") != "")
            .with_columns(pl.int_range(1, pl.len() + 1).over("row").alias("pos"),
                          pl.len().over("row").alias("n_lines")))


def short_line_keys(lines: pl.DataFrame) -> pl.DataFrame:
    """The lines short enough to be furniture, with their comparison key: ``row, outlet, key, edge``
    (and ``i`` where ``lines`` has it); computed once for the counts and the flags."""
    edge = (pl.col("pos") <= EDGE_LINES) | (pl.col("pos") == pl.col("n_lines"))
    return lines.filter(pl.col("orig").str.len_chars() <= SHORT_CHARS).select(
        *(["i"] if "i" in lines.columns else []), "row", "outlet", furniture_key(pl.col("orig")).alias("key"),
        edge.alias("edge"))


def furniture_counts(lines: pl.DataFrame, short: pl.DataFrame | None = None, *,
                     as_polars: bool = False) -> pd.DataFrame | pl.DataFrame:
    """``furniture_lines`` from lines already split by ``split_lines`` (``short``: their
    ``short_line_keys`` if already computed; ``as_polars``: the table as polars)."""
    short = (short if short is not None else short_line_keys(lines)) \
        .select("row", "outlet", pl.col("key").alias("line"), "edge") \
        .filter(pl.col("line").str.count_matches(r"\S+") <= MAX_WORDS)
    counts = short.group_by("outlet", "line").agg(
        pl.col("row").n_unique().alias("n_articles"), pl.col("row").filter("edge").n_unique().alias("n_edge"))
    totals = lines.group_by("outlet").agg(pl.col("row").n_unique().alias("n_articles")) \
        .with_columns(pl.lit(OUTLET_TOTAL).alias("line"), pl.col("n_articles").alias("n_edge"))
    table = pl.concat([totals.select(COLUMNS), counts.select(COLUMNS)], how="vertical_relaxed")
    table = table.with_columns(pl.col("n_articles", "n_edge").cast(pl.Int64)).sort("outlet", "line")
    return table if as_polars else table.to_pandas()


def furniture_lines(frame: pd.DataFrame | pl.DataFrame) -> pd.DataFrame:
    """Per outlet, the short lines and in how many articles each occurs: ``outlet, line, n_articles,
    n_edge`` (``n_edge``: articles where it is among the first three lines or the last line).

    The row whose ``line`` is empty holds the outlet's number of articles with text (the base of
    the share threshold). Sum the tables of several partitions with ``combine_furniture``.
    """
    return furniture_counts(split_lines(_as_polars(frame)))


def combine_furniture(*tables: pd.DataFrame) -> pd.DataFrame:
    """The furniture counts of several partitions summed into the table of their union."""
    merged = pd.concat(tables, ignore_index=True)
    return (merged.groupby(["outlet", "line"], as_index=False, sort=True)[["n_articles", "n_edge"]].sum()
            .astype({"n_articles": "int64", "n_edge": "int64"}))


def furniture_table(furniture: pd.DataFrame | pl.DataFrame) -> pl.DataFrame:
    """The lines judged site furniture: ``outlet, line, n_articles, n_edge, share, edge_only``
    (thresholds above; ``edge_only``: furniture only at the top or bottom of an article)."""
    if isinstance(furniture, pl.DataFrame):   # furniture_counts(..., as_polars=True)
        table = furniture.select(COLUMNS)
    else:
        check_frame(furniture, ("outlet", "line", "n_articles"), "furniture")
        if "n_edge" not in furniture.columns:
            furniture = furniture.assign(n_edge=0)
        table = pl.from_pandas(furniture[COLUMNS].astype(
            {"outlet": str, "line": str, "n_articles": "int64", "n_edge": "int64"}))
    table = table.group_by("outlet", "line").agg(pl.col("n_articles", "n_edge").sum())
    totals = table.filter(pl.col("line") == OUTLET_TOTAL).select("outlet", pl.col("n_articles").alias("total"))
    words = pl.col("line").str.count_matches(r"\S+")
    sentence = pl.col("line").str.contains(SENTENCE_END)
    anywhere = ((pl.col("n_articles") >= MIN_ARTICLES) & (pl.col("share") >= MIN_SHARE)
                & ~(sentence & (words >= SENTENCE_WORDS)))
    at_edges = ((pl.col("n_edge") >= MIN_ARTICLES) & (pl.col("n_edge") / pl.col("total") >= EDGE_SHARE)
                & (words <= EDGE_WORDS) & ~sentence)
    return (table.filter(pl.col("line") != OUTLET_TOTAL).join(totals, on="outlet", how="inner")
            .with_columns((pl.col("n_articles") / pl.col("total")).alias("share"))
            .filter((words <= MAX_WORDS) & (anywhere | at_edges))
            .with_columns((~anywhere).alias("edge_only"))
            .select("outlet", "line", "n_articles", "n_edge", "share", "edge_only"))


def _as_polars(frame: pd.DataFrame | pl.DataFrame) -> pl.DataFrame:
    """Articles as polars ``row, outlet, raw_text`` (a polars frame already in that shape passes)."""
    if isinstance(frame, pl.DataFrame):
        return frame.select("row", "outlet", "raw_text")
    check_frame(frame, ("outlet", "raw_text"), "frame")
    raw = frame["raw_text"]
    return pl.DataFrame({"row": range(len(frame)), "outlet": frame["outlet"].astype(str).tolist(),
                         "raw_text": raw.where(raw.notna(), "").astype(str).tolist()},
                        schema={"row": pl.UInt32, "outlet": pl.String, "raw_text": pl.String})
