"""The faster roads of the entity functions give what the plain ones give, and the report cache.

Each rewritten path is compared with a reference on the seeds, on the SaudiNewsNet sample
(``snn_sample_corpus``; skips where ../shared/ is absent) and on hostile text written here:
the reference normalisation read only at rare characters, glued names found in the word pass,
co-occurrence as joins (against the former per-article loop, kept below), suggestions reading
only the lines that hold a title. Then the cache: a second call reads what the first saved.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import combinations

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabnews import entities as E
from arabnews import trends
from arabnews.corpus import load_corpus
from arabnews.entities import counts as C
from arabnews.entities import matcher as M
from arabnews.entities import mentions as EM
from arabnews.entities import normal as N
from arabnews.entities import suggest as SG
from arabnews.text import normalize_with_offsets


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return load_corpus()


RARE = list("ابتثوؤئءأإآىةي ـًٌٍَُِّْ\u0653\u0654\u0655\u200d\u200c\ufeffﻻﻷﷲﻼ\ufe8e\ufb50.؟\n٣۴ک")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(RARE + ["\u0648\u0654", "\u064a\u0654", "ﻻ\u0654", "ـ\u0654"]), max_size=16))
def test_rare_character_normalisation_equals_the_reference(pieces):
    text = "".join(pieces)
    assert N.normalize_rare(text) == normalize_with_offsets(text, **N.MATCH_FOLDS)


def test_rare_character_normalisation_on_real_text(snn_sample_corpus):
    texts = list(snn_sample_corpus["text"]) + ["ﻻ بد من ﷲ وبوتين\u0654 قال", "ا\u0654حمد ﻷن"]
    for text in texts:
        assert N.normalize_rare(text) == normalize_with_offsets(text, **N.MATCH_FOLDS)


# --- glued names found in the word pass ----------------------------------------------------------
def _words_and_glued(texts: list[str]):
    matcher = M.resolve_gazetteer(None)
    text = C.polars_text(C.searchable_series(pl.Series(texts)), matcher)
    return C.words_and_glued(text + "\n", matcher), C.word_table(text, matcher)


def test_glued_names_are_found_in_the_word_pass():
    (table, glued), _ = _words_and_glued(["بين روسياوكوريا الديمقراطية", "بين روسيا وكوريا",
                                          "كيم جونغ أونبوتينكلمة", "قال بوتين", "روسياوكوريا"])
    assert glued.to_list() == [True, False, True, False, True]
    assert set(table.filter(pl.col("article") == 3)["word"].to_list()) == {" بوتين\n"}


def test_the_word_pass_finds_the_words_of_the_former_pattern(seeds, snn_sample_corpus):
    texts = list(seeds["text"]) + list(snn_sample_corpus["text"])
    (table, glued), former = _words_and_glued(texts)
    keep = ~pl.col("article").is_in(glued.arg_true().implode())
    # the former pattern ended a word at the text end where the new pass reads the added "\n"
    new = table.filter(keep).with_columns(pl.col("word").str.replace("\n$", ""))
    old = former.filter(keep).with_columns(pl.col("word").str.replace("\n$", ""))
    key = ["article", "word"]
    assert new.group_by(key).agg(pl.col("n").sum()).sort(key).equals(
        old.group_by(key).agg(pl.col("n").sum()).sort(key))


def test_fast_counts_equal_mention_counts_on_the_saudinewsnet_sample(snn_sample_corpus):
    texts = list(snn_sample_corpus["text"]) + ["روسياوكوريا وبوتين", "قال كم جونغ أون لبوتين"]
    frame = pd.DataFrame({"id": range(len(texts)), "outlet": "x", "text": texts})
    fast = C.article_entity_counts(frame["text"], M.resolve_gazetteer(None), "resolve")
    slow = E.entity_mentions(frame, n_jobs=1).groupby(["id", "entity"]).size()
    assert len(slow) > 500
    assert fast.set_index(["article", "entity"])["count"].sort_index().to_dict() == slow.sort_index().to_dict()


# --- co-occurrence as joins ----------------------------------------------------------------------
def reference_cooccurrence(corpus, mentions, window, by="outlet") -> pd.DataFrame:
    """The former implementation: a Python loop over the articles' mention rows."""
    english = dict(zip(mentions["entity"], mentions["entity_en"]))
    boundary = {"sentence": N.SENTENCE_END_RE, "paragraph": N.PARAGRAPH_END_RE}.get(window)
    texts = dict(zip(corpus["id"], corpus["text"].astype(str)))
    group_of = dict(zip(corpus["id"], corpus[by]))
    pairs: Counter = Counter()
    for doc_id, doc in mentions.groupby("id", sort=False):
        starts = N.sentence_index(texts[doc_id], boundary) if boundary else []
        units: dict[int, set[str]] = defaultdict(set)
        for entity, start in zip(doc["entity"], doc["start"]):
            units[bisect_right(starts, start)].add(entity)
        for entities in units.values():
            for a, b in combinations(sorted(entities), 2):
                pairs[(group_of[doc_id], a, b)] += 1
    rows = [{by: g, "entity_1": a, "entity_en_1": english[a], "entity_2": b,
             "entity_en_2": english[b], "count": n} for (g, a, b), n in pairs.items()]
    out = pd.DataFrame(rows, columns=[by, "entity_1", "entity_en_1", "entity_2", "entity_en_2", "count"])
    return out.sort_values([by, "count", "entity_1", "entity_2"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article"])
def test_cooccurrence_equals_the_former_loop(seeds, snn_sample_corpus, window):
    hostile = pd.DataFrame({"id": ["h1", "h2", "h3"], "outlet": ["z", "z", "y"],
                            "text": ["بوتين وكيم جونغ أون. روسيا وبوتين؟ موسكو\nكيم جونغ أون وموسكو!",
                                     "بوتين… روسيا", "لا أحد هنا"]})
    for corpus in (seeds, snn_sample_corpus, hostile):
        mentions = E.entity_mentions(corpus)
        expected = reference_cooccurrence(corpus, mentions, window)
        got = E.entity_cooccurrence(corpus, window, mentions=mentions)
        assert len(expected) > 0
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


# --- suggestions read the lines with a title -----------------------------------------------------
def test_names_of_a_line_are_those_of_the_whole_text(snn_sample_corpus):
    matcher = M.resolve_gazetteer(None)
    texts = list(snn_sample_corpus["text"])[:120] + ["قال الرئيس بوتين\nالرئيس كيم جونغ أون وروسياوكوريا"]
    for text in texts:
        norm, _ = N.normalize_for_matching(text)
        whole = SG.name_words(norm, M.scan_text(norm, matcher), matcher)
        lines: dict = {}
        for at in [i for i, ch in enumerate(norm) if ch == "\n"] + [0, len(norm)]:
            start, stop = norm.rfind("\n", 0, at) + 1, norm.find("\n", at)
            stop = len(norm) if stop == -1 else stop
            local = SG.line_names(norm, at, matcher, lines)
            assert local == {w: v for w, v in whole.items() if start <= w < stop}


def whole_text_suggestions(monkeypatch, corpus) -> pd.DataFrame:
    """``suggest_entities`` as it was: every text scanned whole, normalised in Python."""
    def every_line(norm, at, matcher, lines):
        if "all" not in lines:
            lines["all"] = SG.name_words(norm, M.scan_text(norm, matcher), matcher)
        return lines["all"]

    def python_texts(texts):
        norms = [N.normalize_for_matching(t)[0] for t in texts]
        return norms, SG.corpus_vocabulary(norms)

    with monkeypatch.context() as patch:
        patch.setattr(SG, "line_names", every_line)
        patch.setattr(SG, "matching_texts", python_texts)
        return E.suggest_entities(corpus)


def test_suggestions_equal_those_of_whole_texts(monkeypatch, seeds, snn_sample_corpus):
    for corpus in (seeds, snn_sample_corpus):
        got = E.suggest_entities(corpus)
        assert len(got) > 5
        pd.testing.assert_frame_equal(got, whole_text_suggestions(monkeypatch, corpus))


# --- the report cache ----------------------------------------------------------------------------
def _refuse(*args, **kwargs):
    raise AssertionError("computed again instead of read from the cache")


def test_second_calls_read_the_cache(monkeypatch, tmp_path, seeds):
    monkeypatch.setenv("ARABNEWS_CACHE_DIR", str(tmp_path))
    assert seeds.attrs.get("fingerprint")
    freq = E.entity_frequencies(seeds)
    mentions = E.entity_mentions(seeds)
    assert len(list((tmp_path / "entity_counts").glob("*.parquet"))) == 1
    assert len(list((tmp_path / "entity_mentions").glob("*.parquet"))) == 1
    with monkeypatch.context() as patch:
        patch.setattr(C, "computed_counts", _refuse)
        patch.setattr(EM, "gazetteer_mentions", _refuse)
        again = E.entity_frequencies(seeds)
        read = E.entity_mentions(seeds)
        week = trends.entity_trends(seeds, period="week")   # notebook 06 reuses notebook 03's counts
    pd.testing.assert_frame_equal(again, freq)
    pd.testing.assert_frame_equal(read, mentions)
    pd.testing.assert_frame_equal(read.attrs["unresolved"], mentions.attrs["unresolved"], check_dtype=False)
    monkeypatch.delenv("ARABNEWS_CACHE_DIR")
    pd.testing.assert_frame_equal(week, trends.entity_trends(seeds, period="week"))


def test_the_cache_key_holds_the_options_and_the_gazetteer(monkeypatch, tmp_path, seeds):
    monkeypatch.setenv("ARABNEWS_CACHE_DIR", str(tmp_path))
    E.entity_frequencies(seeds)
    dropped = E.entity_frequencies(seeds, short_forms="drop")
    small = M.load_gazetteer().query("entity_en == 'Vladimir Putin'")
    only_putin = E.entity_frequencies(seeds, gazetteer=small)
    assert len(list((tmp_path / "entity_counts").glob("*.parquet"))) == 3
    assert set(only_putin["entity_en"]) == {"Vladimir Putin"}
    monkeypatch.delenv("ARABNEWS_CACHE_DIR")
    pd.testing.assert_frame_equal(dropped, E.entity_frequencies(seeds, short_forms="drop"))


def test_the_title_trie_finds_what_the_sorted_alternation_found(seeds, snn_sample_corpus):
    import re
    from arabnews.entities.gazetteer import load_titles
    titles = load_titles() + ["وزير", "وزير الخارجية", "وزير الخارجية الأمريكي", "رئيس"]
    forms = sorted({" ".join(N.match_words(t)) for t in titles}, key=len, reverse=True)
    alternation = "|".join(re.escape(f).replace("\\ ", "[ \t]+") for f in forms)
    former = re.compile(f"(?<!\\w)[وف]?(?P<title>{alternation})(?!\\w)")
    trie = SG.titles_regex(titles)
    texts = list(seeds["text"]) + list(snn_sample_corpus["text"]) + ["ووزير  الخارجية الأمريكيون وزير\tالخارجية"]
    found = 0
    for text in texts:
        norm, _ = N.normalize_for_matching(text)
        old = [m.span("title") for m in former.finditer(norm)]
        assert [m.span("title") for m in trie.finditer(norm)] == old
        found += len(old)
    assert found > 300
