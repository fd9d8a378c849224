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

import pandas as pd
import polars as pl

from arabnews.checks import check_choice, check_column
from arabnews.entities.matcher import Matcher, find_slips, resolve_gazetteer, scan_text
from arabnews.entities.mentions import (article_mentions, check_entity_corpus, entity_mentions,
                                        judge_short_forms)
from arabnews.entities.normal import DELETED_RE, PARAGRAPH_END_RE, SENTENCE_END_RE, SLOW_PATH_RE, sentence_index
from arabnews.entities.shortforms import (SHORT_FORM_MODES, contested_articles, rivals_table,
                                          short_form_verdicts)

__all__ = ["entity_article_counts", "entity_frequencies", "entity_cooccurrence",
           "article_entity_counts", "searchable_series", "needs_python", "COOCCURRENCE_WINDOWS"]

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
# non-word characters outside NONWORD (emoji, rare symbols), which are not doubled; and glued
# names (see ``Matcher.glued``).
PYTHON_ONLY = (SLOW_PATH_RE.pattern[:-1] + "\x1c-\x1f]"
               + r"|[\p{M}\p{No}\p{Pc}&&[^_" + "".join(DELETED_CHARS) + "]]"
               + r"|[^\w" + "".join(f"\\x{{{ord(c):X}}}" for c in NONWORD + DELETED_CHARS) + "]")


# --- the fast road ------------------------------------------------------------------------------
def searchable_series(texts: pl.Series) -> pl.Series:
    """The texts as the scanner searches them: marks, tatweel and invisibles deleted."""
    return texts.str.replace_many(DELETED_CHARS, [""] * len(DELETED_CHARS))


def masked(searchable: pl.Series, matcher: Matcher) -> pl.Series:
    """``searchable`` with the adjective uses of country names masked (``matcher.mask_nisba``,
    the same patterns in polars' syntax)."""
    for pattern, replacement in matcher.nisba.polars_replacements():
        searchable = searchable.str.replace_all(pattern, replacement)
    return searchable


def needs_python(searchable: pl.Series, matcher: Matcher) -> pl.Series:
    """True for the articles the polars word finder must leave to the Python scanner."""
    return searchable.str.contains(f"{PYTHON_ONLY}|{matcher.glued}")


def has_slips(searchable: pl.Series, matcher: Matcher) -> pl.Series:
    """True for the articles holding a one-letter slip of a multiword name (rare): the Python
    scanner reads them, as it decides which reading of the span wins. Places a slip may be are
    found by polars; each distinct one is checked once by the matcher."""
    if not matcher.slip_words:
        return pl.Series([False] * len(searchable))
    places = (pl.DataFrame({"text": searchable}).lazy().with_row_index("article")
              .select("article", name_candidates(pl.col("text"), matcher.slip_words).alias("place"))
              .explode("place").drop_nulls("place").unique().collect())
    real = [p for p in places["place"].unique().to_list() if find_slips(p, matcher)]
    hit = set(places.filter(pl.col("place").is_in(real))["article"].to_list())
    return pl.Series([i in hit for i in range(len(searchable))])


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
    marked = (pl.col("text").str.replace_all(SENTENCE_PUNCT, f"${{1}}{SENTENCE_MARK}${{2}}")
              .str.replace_all("\n", "\n" + SENTENCE_MARK, literal=True)
              .str.replace_many(DELETED_CHARS, [""] * len(DELETED_CHARS)))
    for pattern, replacement in matcher.nisba.polars_replacements():
        marked = marked.str.replace_all(pattern, replacement)
    item = pl.col("item")
    return (pl.DataFrame({"text": texts}).lazy().with_row_index("article")
            .select("article", name_candidates(marked, f"{matcher.words}|{SENTENCE_MARK}").alias("item"))
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


def article_entity_counts(texts: pd.Series, matcher: Matcher, short_forms: str) -> pd.DataFrame:
    """Counted mentions per article and entity: ``article`` (row position), ``entity``, ``count``.

    Equal to counting ``entity_mentions`` rows. Articles with characters the word finder cannot
    judge (``needs_python``) are read by the Python scanner directly; articles where the
    short-form rule needs sentences are counted again sentence by sentence.
    """
    series = pl.from_pandas(texts.fillna("").astype(str).reset_index(drop=True)).rename("text")
    searchable = masked(searchable_series(series), matcher)
    slow = needs_python(searchable, matcher) | has_slips(searchable, matcher)
    rows = name_rows(word_table(searchable.zip_with(~slow, pl.Series([""] * len(series))), matcher),
                     matcher)
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
    (the gazetteer backend, no mention rows given), else from the mention rows."""
    options = {"short_forms": "resolve", "backend": "gazetteer", **options}
    if mentions is None and options["backend"] == "gazetteer" and set(options) <= FAST_OPTIONS:
        check_choice(options["short_forms"], SHORT_FORM_MODES, "short_forms")
        matcher = resolve_gazetteer(options.get("gazetteer"))
        counts = article_entity_counts(corpus["text"], matcher, options["short_forms"])
        return counts.merge(entity_info(matcher), on="entity")
    if mentions is None:
        mentions = entity_mentions(corpus, **options)
    return counts_from_mentions(corpus, mentions)


# --- public counts ------------------------------------------------------------------------------
def entity_article_counts(corpus: pd.DataFrame, mentions: pd.DataFrame | None = None,
                          **mention_options) -> pd.DataFrame:
    """Mentions per article: ``id, entity, entity_en, type, count`` (articles in corpus order,
    most mentioned entity first). The counts of ``entity_mentions(corpus, **mention_options)``
    (pass ``mentions`` to reuse rows), by the fast road with the gazetteer."""
    check_entity_corpus(corpus)
    counts = counts_per_article(corpus, mentions, mention_options)
    counts = counts.sort_values(["article", "count", "entity"], ascending=[True, False, True])
    counts.insert(0, "id", corpus["id"].to_numpy()[counts["article"].to_numpy()])
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

    with ThreadPoolExecutor(1) as pool:   # token totals (polars) run beside the name counting
        tokens = pool.submit(count_tokens, corpus, by)
        counts = counts_per_article(corpus, mentions, mention_options)
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
    check_entity_corpus(corpus)
    check_choice(window, COOCCURRENCE_WINDOWS, "window")
    check_column(corpus, by)
    if mentions is None:
        mentions = entity_mentions(corpus, **mention_options)
    english = dict(zip(mentions["entity"], mentions["entity_en"]))
    boundary = {"sentence": SENTENCE_END_RE, "paragraph": PARAGRAPH_END_RE}.get(window)
    texts = dict(zip(corpus["id"], corpus["text"].astype(str)))
    group_of = dict(zip(corpus["id"], corpus[by]))
    pairs: Counter = Counter()
    for doc_id, doc in mentions.groupby("id", sort=False):
        starts = sentence_index(texts[doc_id], boundary) if boundary else []
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
