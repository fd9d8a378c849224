"""Entity counts per article and per group, and co-occurrence.

``entity_frequencies`` does not need offsets, so it takes a faster road to the same counts as
``entity_mentions``: polars (Rust regex, all cores) extracts the whole words that may hold names,
the Python matcher reads each *distinct* word once, and the short-form rule (the one in
``shortforms``) runs as table joins. Text where the two regex engines could judge a boundary
differently (emoji, rare marks, glued names) goes through the Python scanner; tests check both
roads give identical counts (benchmarks/bench_entities.py measures them).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations

import numpy as np
import pandas as pd
import polars as pl

from arabnews.checks import check_choice, check_column
from arabnews.entities.cached import cached_frame, plain_corpus
from arabnews.entities.matcher import (SLIP_LETTERS, Matcher, find_slips, resolve_gazetteer,
                                       scan_text)
from arabnews.entities.mentions import (article_mentions, check_entity_corpus, entity_mentions,
                                        judge_short_forms)
from arabnews.entities.normal import (DELETED_RE, FOLD_CLASSES, PARAGRAPH_END_RE, SENTENCE_END_RE,
                                      SLOW_PATH_RE, sentence_index)
from arabnews.entities.shortforms import (SHORT_FORM_MODES, contested_articles, rivals_table,
                                          short_form_verdicts)

__all__ = ["entity_article_counts", "entity_frequencies", "entity_cooccurrence",
           "article_entity_counts", "searchable_series", "needs_python", "polars_text",
           "COOCCURRENCE_WINDOWS"]

COOCCURRENCE_WINDOWS = ("sentence", "paragraph", "article")
FAST_OPTIONS = {"short_forms", "backend", "gazetteer", "n_jobs"}
DELETED_CHARS = sorted(set(DELETED_RE.pattern[1:-1]) - {"\\"})
SENTENCE_MARK = "\x1f"
SENTENCE_PUNCT = r"([.!?؟…])(\s)"   # as SENTENCE_END_RE: punctuation before a space ends one
# Non-word characters of the scripts and symbols news text uses: the word finder doubles them
# (a fast literal replacement) so that neighbouring words each keep a boundary to consume.
NONWORD_RANGES = ((0x0000, 0x024F), (0x0600, 0x06FF), (0x2000, 0x214F), (0x2190, 0x21FF),
                  (0x25A0, 0x27BF), (0xFD3E, 0xFD3F), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF))
NONWORD = [chr(c) for lo, hi in NONWORD_RANGES for c in range(lo, hi + 1)
           if not re.match(r"\w", chr(c)) and chr(c) not in DELETED_CHARS]
# Articles left to the Python scanner: ligatures and combining hamza (they need the reference
# normalisation); characters on which Python's and Rust's \w or \s disagree (marks, other
# numbers, connector punctuation, \x1c-\x1f), which would move word or sentence boundaries;
# non-word characters outside NONWORD (emoji, rare symbols), which are not doubled. (Glued
# names and slips go to the scanner too: ``has_glued``, ``has_slips``.)
PYTHON_ONLY = (SLOW_PATH_RE.pattern[:-1] + "\x1c-\x1f]"
               + r"|[\p{M}\p{No}\p{Pc}&&[^_" + "".join(DELETED_CHARS) + "]]"
               + r"|[^\w" + "".join(f"\\x{{{ord(c):X}}}" for c in NONWORD + DELETED_CHARS) + "]")


# --- the fast road ------------------------------------------------------------------------------
def searchable_series(texts: pl.Series) -> pl.Series:
    """The texts as the scanner searches them: marks, tatweel and invisibles deleted."""
    return texts.str.replace_many(DELETED_CHARS, [""] * len(DELETED_CHARS))


# Letters folded for the polars road (أ إ آ → ا, ى → ي, ة → ه, ک → ك ...): one character for
# one, so words keep their boundaries, and its patterns need no fold classes (a regex of plain
# letters is several times faster in Rust than one of classes).
LETTER_FOLDS = sorted((k, v) for v, ks in FOLD_CLASSES.items() for k in ks if k != v)


def polars_text(searchable: pl.Series, matcher: Matcher) -> pl.Series:
    """Searchable texts with the adjective uses of country names masked (the patterns of
    ``matcher.mask_nisba``, on the letters as written: إلى is not a definite word) and then
    their letters folded: what the polars patterns read."""
    for pattern, replacement in matcher.nisba.polars_replacements():
        searchable = searchable.str.replace_all(pattern, replacement)
    return searchable.str.replace_many([k for k, _ in LETTER_FOLDS], [v for _, v in LETTER_FOLDS])


def needs_python(searchable: pl.Series) -> pl.Series:
    """True for the articles with characters the polars word finder cannot judge as the
    Python scanner does (they are left to it)."""
    return searchable.str.contains(PYTHON_ONLY)


def has_glued(text: pl.Series, matcher: Matcher) -> pl.Series:
    """True for the articles holding a name glued to another by a lost space (روسياوكوريا):
    where this occurs, the scanner's choice between a longer glued reading and a shorter name
    is its own, so such text is left to it (``text``: as ``polars_text`` gives it)."""
    return text.str.contains(matcher.glued)


def has_slips(searchable: pl.Series, matcher: Matcher, pattern: str | None = None) -> pl.Series:
    """True for the articles holding a one-letter slip of a multiword name (rare): the Python
    scanner reads them, as it decides which reading of the span wins. Places a slip may be are
    found by polars (``pattern``: ``matcher.slip_words`` unless given); each distinct one is
    checked once by the matcher."""
    if not matcher.slip_words:
        return pl.Series([False] * len(searchable), dtype=pl.Boolean)
    places = (pl.DataFrame({"text": searchable}).lazy().with_row_index("article")
              .select("article", name_candidates(pl.col("text"), pattern or matcher.slip_words).alias("place"))
              .explode("place").drop_nulls("place").unique().collect())
    real = [p for p in places["place"].unique().to_list() if find_slips(p, matcher)]
    hit = places.filter(pl.col("place").is_in(pl.Series(real, dtype=pl.String).implode()))["article"]
    return pl.Series(range(len(searchable)), dtype=pl.UInt32).is_in(hit.implode())


def name_candidates(text: pl.Expr, pattern: str) -> pl.Expr:
    """All matches of ``pattern`` in searchable ``text``, with every non-word character doubled
    first so that neighbouring words each keep a boundary to consume."""
    return text.str.replace_many(NONWORD, [c + c for c in NONWORD]).str.extract_all(pattern)


def word_table(searchable: pl.Series, matcher: Matcher) -> pl.DataFrame:
    """``article, sentence, word, n``: each word that may hold names and how often it occurs per
    article (sentence 0: not needed, see ``shortforms.contested_articles``)."""
    return (pl.DataFrame({"text": searchable}).lazy().with_row_index("article")
            .select("article", name_candidates(pl.col("text"), matcher.words).alias("word"))
            .explode("word").drop_nulls("word")
            .group_by("article", "word").len("n")
            .with_columns(sentence=pl.lit(0, dtype=pl.Int64))
            .collect())


def sentence_word_table(texts: pl.Series, matcher: Matcher) -> pl.DataFrame:
    """``article, sentence, word, n``: as ``word_table``, per sentence (``texts`` as written).

    Sentence ends are marked in the text as written, then the text is made searchable and the
    ends are found in the same pass as the words (names first, so a mark may also serve as a
    name's boundary: doubled, one is always left). The sentence of a word is the number of marks
    before it; only the grouping matters.
    """
    marked = polars_text(texts.str.replace_all(SENTENCE_PUNCT, f"${{1}}{SENTENCE_MARK}${{2}}")
                         .str.replace_all("\n", "\n" + SENTENCE_MARK, literal=True)
                         .str.replace_many(DELETED_CHARS, [""] * len(DELETED_CHARS)), matcher)
    item = pl.col("item")
    return (pl.DataFrame({"text": marked}).lazy().with_row_index("article")
            .select("article", name_candidates(pl.col("text"), f"{matcher.words}|{SENTENCE_MARK}").alias("item"))
            .explode("item").drop_nulls("item")
            .with_columns((item == SENTENCE_MARK).cum_sum().over("article").cast(pl.Int64).alias("sentence"))
            .filter(item != SENTENCE_MARK)
            .group_by("article", "sentence", item.alias("word")).len("n")
            .collect())


def word_pieces(words: list[str], matcher: Matcher) -> pl.DataFrame:
    """``word, entity, kind``: the names the Python matcher reads in each distinct word."""
    rows = [(w, matcher.lookup[key][0], matcher.lookup[key][3])
            for w in words for _, _, key in scan_text(w, matcher)]
    return pl.DataFrame(rows, schema={"word": pl.String, "entity": pl.String, "kind": pl.String},
                        orient="row")


def name_rows(table: pl.DataFrame, matcher: Matcher) -> pl.DataFrame:
    """``article, sentence, entity, kind, n`` from a word table: the names in each word."""
    pieces = word_pieces(table["word"].unique().to_list(), matcher)
    return (table.join(pieces, on="word")
            .select(pl.col("article").cast(pl.Int64), "sentence", "entity", "kind", "n"))


def boundary_class() -> str:
    """A regex class of the non-word characters the polars road meets (NONWORD, those that Rust's
    regex also reads as non-word): several times faster than ``\\W`` in a large pattern, and
    the same on the fast road's text (any other non-word character sends an article to the
    scanner, see PYTHON_ONLY)."""
    chars = pl.Series(NONWORD).filter(pl.Series(NONWORD).str.contains(r"^\W$")).to_list()
    codes, ranges = sorted(map(ord, chars)), []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\x{{{lo:X}}}" + (f"-\\x{{{hi:X}}}" if hi > lo else "")
                         for lo, hi in ranges) + "]"


BOUNDARY = boundary_class()


def word_and_glue_pattern(matcher: Matcher) -> str:
    """``matcher.words`` (a name between two non-word characters) with a second way to end: a
    name directly followed by another (روسياوكوريا). The alternatives are tried in the order of
    the scanner's end test (a boundary first, then a glued name), so up to the first glued name
    of an article the words found are those of ``matcher.words``; an item ending in a letter
    marks an article for the scanner. Run on text ending in a non-word character."""
    plain = matcher.words[len("(?:^|\\W)"):-len("(?:\\W|$)")]
    return f"(?:^|{BOUNDARY}){plain}(?:{BOUNDARY}|{plain})"


def words_and_glued(text: pl.Series, matcher: Matcher) -> tuple[pl.DataFrame, pl.Series]:
    """``word_table`` of ``text`` (as ``polars_text`` gives it) and, in the same regex pass, the
    articles holding a name glued to another at a word start (where the scanner's reading of the
    word is its own: they go to it)."""
    items = (pl.DataFrame({"text": text}).lazy().with_row_index("article")
             .select("article", name_candidates(pl.col("text"), word_and_glue_pattern(matcher))
                     .alias("word"))
             .explode("word").drop_nulls("word")
             .group_by("article", "word").len("n")
             .collect())
    glued = ~items["word"].str.contains(BOUNDARY + "$")
    glued_articles = items.filter(glued)["article"].unique()
    table = items.filter(~glued).with_columns(sentence=pl.lit(0, dtype=pl.Int64))
    return table, pl.Series(range(len(text)), dtype=pl.UInt32).is_in(glued_articles.implode())


# The letters a slip word is made of, less those the polars text no longer holds (folded away:
# ٱ ک ی): a smaller class, a faster slip pattern, the same matches.
def folded_slip_letters() -> str:
    """SLIP_LETTERS (ranges and single letters) without the single letters LETTER_FOLDS folds
    away."""
    folded = {k for k, _ in LETTER_FOLDS}
    items = re.findall(r".-.|.", SLIP_LETTERS[1:-1])
    return "[" + "".join(i for i in items if len(i) > 1 or i not in folded) + "]"


FOLDED_SLIP_LETTERS = folded_slip_letters()


def slips_in(text: pl.Series, matcher: Matcher) -> pl.Series:
    """``has_slips`` with the word boundaries of its pattern written as BOUNDARY and its letter
    runs as FOLDED_SLIP_LETTERS (the same on the fast road's text, and faster)."""
    pattern = matcher.slip_words.replace("\\W", BOUNDARY).replace(SLIP_LETTERS, FOLDED_SLIP_LETTERS)
    return has_slips(text, matcher, pattern)


def article_entity_counts(texts: pd.Series, matcher: Matcher, short_forms: str) -> pd.DataFrame:
    """Counted mentions per article and entity: ``article`` (row position), ``entity``, ``count``.

    Equal to counting ``entity_mentions`` rows. Articles with characters the word finder cannot
    judge (``needs_python``), glued names or slips are read by the Python scanner directly;
    articles where the short-form rule needs sentences are counted again sentence by sentence.
    """
    if len(texts) == 0:
        return pd.DataFrame({"article": pd.Series(dtype="int64"), "entity": pd.Series(dtype=str),
                             "count": pd.Series(dtype="int64")})
    series = pl.from_pandas(texts.fillna("").astype(str).reset_index(drop=True)).rename("text")
    searchable = searchable_series(series)
    text = polars_text(searchable, matcher)
    python_only = needs_python(searchable)
    table, glued = words_and_glued(text.zip_with(~python_only, pl.Series([""] * len(series))) + "\n",
                                   matcher)
    slow = python_only | glued | slips_in(text, matcher)
    rows = name_rows(table.filter(~pl.col("article").is_in(slow.arg_true().implode())), matcher)
    rivals = rivals_table(matcher.rivals)
    contested = contested_articles(rows, rivals) if short_forms == "resolve" else []
    if contested:
        local = name_rows(sentence_word_table(series.gather(contested), matcher), matcher)
        back = pl.DataFrame({"local": range(len(contested)), "corpus": contested},
                            schema={"local": pl.Int64, "corpus": pl.Int64})
        local = (local.join(back, left_on="article", right_on="local")
                 .with_columns(article=pl.col("corpus")).drop("corpus"))
        rows = pl.concat([rows.filter(~pl.col("article").is_in(contested)), local.select(rows.columns)])
    counted = short_form_verdicts(rows, rivals, short_forms).filter(pl.col("reason").is_null())
    counts = counted.group_by("article", "entity").agg(pl.col("n").sum().alias("count")).to_pandas()
    slow_rows = [int(i) for i in slow.arg_true().to_list()]
    if slow_rows:
        records = [(a, *row) for a in slow_rows for row in article_mentions(series[a], matcher)]
        reasons = judge_short_forms(records, matcher, short_forms)
        extra = [(r[0], r[1][0]) for r, why in zip(records, reasons) if why is None]
        if extra:
            extra = pd.DataFrame(extra, columns=["article", "entity"]).value_counts().rename("count")
            counts = pd.concat([counts, extra.reset_index()], ignore_index=True)
    return counts.astype({"article": "int64", "count": "int64"})


def entity_info(matcher: Matcher) -> pd.DataFrame:
    """``entity, entity_en, type`` for every entity of the gazetteer."""
    rows = {info[0]: info[:3] for info in matcher.lookup.values()}
    return pd.DataFrame(list(rows.values()), columns=["entity", "entity_en", "type"])


def counts_from_mentions(corpus: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """``article, entity, entity_en, type, count`` from mention rows (matched to articles by id)."""
    position = {doc_id: i for i, doc_id in enumerate(corpus["id"])}
    return (mentions.assign(article=mentions["id"].map(position))
            .groupby(["article", "entity", "entity_en", "type"], sort=False).size()
            .rename("count").reset_index())


def counts_per_article(corpus: pd.DataFrame, mentions: pd.DataFrame | None,
                       options: dict) -> pd.DataFrame:
    """``article, entity, entity_en, type, count`` by the fast road where the options allow it
    (the gazetteer backend, no mention rows given), else from the mention rows. Without mention
    rows the result is kept in the report's cache (``cached``): entity_frequencies and
    entity_trends share it."""
    options = {"short_forms": "resolve", "backend": "gazetteer", **options}
    if mentions is not None:
        return counts_from_mentions(plain_corpus(corpus), mentions)
    parts = {k: v for k, v in options.items() if k not in ("gazetteer", "n_jobs")}
    return cached_frame("entity_counts", corpus, parts, options.get("gazetteer"),
                        lambda: computed_counts(plain_corpus(corpus), options))


def computed_counts(corpus: pd.DataFrame, options: dict) -> pd.DataFrame:
    """``counts_per_article`` without mention rows, computed."""
    if options["backend"] == "gazetteer" and set(options) <= FAST_OPTIONS:
        check_choice(options["short_forms"], SHORT_FORM_MODES, "short_forms")
        matcher = resolve_gazetteer(options.get("gazetteer"))
        counts = article_entity_counts(corpus["text"], matcher, options["short_forms"])
        return counts.merge(entity_info(matcher), on="entity")
    return counts_from_mentions(corpus, entity_mentions(corpus, **options))


# --- public counts ------------------------------------------------------------------------------
def entity_article_counts(corpus: pd.DataFrame, mentions: pd.DataFrame | None = None,
                          **mention_options) -> pd.DataFrame:
    """Mentions per article: ``id, entity, entity_en, type, count`` (articles in corpus order,
    most mentioned entity first). The counts of ``entity_mentions(corpus, **mention_options)``
    (pass ``mentions`` to reuse rows), by the fast road with the gazetteer."""
    check_entity_corpus(corpus)
    counts = counts_per_article(corpus, mentions, mention_options)
    counts = counts.sort_values(["article", "count", "entity"], ascending=[True, False, True])
    counts.insert(0, "id", plain_corpus(corpus)["id"].to_numpy()[counts["article"].to_numpy()])
    return counts.reset_index(drop=True)[["id", "entity", "entity_en", "type", "count"]]


def entity_frequencies(corpus: pd.DataFrame, by: str = "outlet", mentions: pd.DataFrame | None = None,
                       **mention_options) -> pd.DataFrame:
    """Mentions per group: ``<by>, entity, entity_en, type, count, per_1k``.

    ``per_1k`` = mentions per 1,000 tokens of the group's text. Counts equal those of
    ``entity_mentions(corpus, **mention_options)`` (pass ``mentions`` to reuse one); with the
    gazetteer they are found by a fast road that does not build the mention rows.
    """
    check_entity_corpus(corpus)
    check_column(corpus, by)
    from arabnews.stats import count_tokens  # late: stats is not needed for mentions

    frame = plain_corpus(corpus)
    with ThreadPoolExecutor(1) as pool:   # token totals (polars) run beside the name counting
        tokens = pool.submit(count_tokens, frame, by)
        counts = counts_per_article(corpus, mentions, mention_options)
        tokens = tokens.result()
    counts[by] = frame[by].to_numpy()[counts["article"].to_numpy()]
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
    check_entity_corpus(corpus)
    check_choice(window, COOCCURRENCE_WINDOWS, "window")
    check_column(corpus, by)
    if mentions is None:
        mentions = entity_mentions(corpus, **mention_options)
    frame = plain_corpus(corpus)
    units = mention_units(frame, mentions, window)
    pairs = (units.join(units, on=["article", "unit"], suffix="_2")
             .filter(pl.col("entity") < pl.col("entity_2"))
             .group_by("article", "entity", "entity_2").len("windows")   # windows per article
             .with_columns(pl.col("article").cast(pl.Int64)))
    groups = pl.DataFrame({"article": range(len(frame)), by: pl.from_pandas(frame[by].reset_index(drop=True))},
                          schema_overrides={"article": pl.Int64}, strict=False)
    english = pl.DataFrame({"entity": mentions["entity"].astype(str).tolist(),
                            "entity_en": mentions["entity_en"].astype(str).tolist()}).unique("entity")
    out = (pairs.join(groups, on="article")
           .group_by(by, "entity", "entity_2").agg(pl.col("windows").sum().alias("count"))
           .join(english.rename({"entity_en": "entity_en_1"}), on="entity")
           .join(english.rename({"entity": "entity_2", "entity_en": "entity_en_2"}), on="entity_2")
           .select(by, pl.col("entity").alias("entity_1"), "entity_en_1", "entity_2", "entity_en_2",
                   pl.col("count").cast(pl.Int64))
           .to_pandas())
    if out.empty:
        out = out.astype({by: frame[by].dtype}) if len(frame) else out
    return out.sort_values([by, "count", "entity_1", "entity_2"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


def mention_units(corpus: pd.DataFrame, mentions: pd.DataFrame, window: str) -> pl.DataFrame:
    """``article, unit, entity``: each entity once per window (sentence, line or article) it is
    named in. Windows are numbered only in the articles naming two entities or more (the others
    hold no pair); the boundaries are those of ``sentence_index``."""
    position = pd.Series(np.arange(len(corpus)), index=corpus["id"].to_numpy())
    rows = pl.DataFrame({"article": position.reindex(mentions["id"].to_numpy()).to_numpy(),
                         "start": mentions["start"].to_numpy(),
                         "entity": mentions["entity"].astype(str).tolist()},
                        schema_overrides={"article": pl.Int64, "start": pl.Int64})
    boundary = {"sentence": SENTENCE_END_RE, "paragraph": PARAGRAPH_END_RE}.get(window)
    if boundary is None or rows.is_empty():
        return rows.select("article", pl.lit(0, dtype=pl.Int64).alias("unit"), "entity").unique()
    several = (rows.group_by("article").agg(pl.col("entity").n_unique().alias("k"))
               .filter(pl.col("k") > 1)["article"].sort().to_list())
    rows = rows.filter(pl.col("article").is_in(pl.Series(several, dtype=pl.Int64).implode())).sort("article", "start")
    texts = corpus["text"].fillna("").astype(str).to_numpy()
    ends = pl.DataFrame({"article": several,
                         "end": [sentence_index(texts[a], boundary) for a in several]},
                        schema={"article": pl.Int64, "end": pl.List(pl.Int64)})
    # a mention's window: how many window starts lie at or before its start (bisect_right)
    ends = (ends.explode("end").drop_nulls("end")
            .with_columns(unit=pl.int_range(1, pl.len() + 1).over("article").cast(pl.Int64))
            .sort("end"))
    return (rows.sort("start").join_asof(ends, left_on="start", right_on="end", by="article",
                                         strategy="backward", check_sortedness=False)
            .select("article", pl.col("unit").fill_null(0), "entity").unique())
