"""Multiword compounds: gazetteer phrases joined with "_" into one token, at word boundaries only.

Gold counts were made by reading the seed files (``corpus/*.txt``) with ``grep -o``:
- كيم جونغ أون: 000 ×4, 001 ×3 (two written وكيم), 002 ×6 (one وكيم), 003 ×9 (one وكيم, one
  written with Persian letters کیم), 004 ×2.
  Every occurrence is separated by single spaces and followed by a space or punctuation.
- كوريا الشمالية: 000 ×10 (two وكوريا, one in brackets), 001 ×3 (لكوريا, وكوريا), 002 ×15
  (three لكوريا, two وكوريا), 003 ×3 (one بكوريا), 004 ×8 (two وكوريا, one لكوريا).
  The adjective الكوري الشمالي is not the country and is not a compound.
"""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from arabnews import CORPUS_DIR
from arabnews.compounds import (PHRASE_CLITICS, compound_count_changes, compound_phrases,
                                join_compounds, join_compounds_text)
from arabnews.text import TOKEN_RE, counting_text

KIM_GOLD = {"000": 4, "001": 3, "002": 6, "003": 9, "004": 2}
NORTH_KOREA_GOLD = {"000": 10, "001": 3, "002": 15, "003": 3, "004": 8}


def seed(prefix: str) -> str:
    (path,) = CORPUS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def joined_terms(text: str, phrases) -> list[str]:
    return TOKEN_RE.findall(join_compounds_text(counting_text(text), phrases))


def count_with_clitics(terms: list[str], term: str) -> int:
    return sum(t == term or (t.endswith(term) and t[:-len(term)] in PHRASE_CLITICS) for t in terms)


@pytest.fixture(scope="module")
def phrases():
    return compound_phrases()


def test_gazetteer_phrases_are_normalised_multiword_and_longest_first(phrases):
    assert "كيم جونغ اون" in phrases and "كوريا الشمالية" in phrases
    assert "كيم جونغ أون" not in phrases                      # stored normalised
    assert "بوتين" not in phrases                               # one word: not a compound
    assert all(len(p.split(" ")) >= 2 for p in phrases)
    assert not any("nk" in p for p in phrases)                  # Latin "NK News" is left out
    words = [p.count(" ") for p in phrases]
    assert words == sorted(words, reverse=True)
    assert compound_phrases(gazetteer=False) == ()


def test_user_phrases_are_added_and_checked():
    assert compound_phrases(["مجلس الأمن"], gazetteer=False) == ("مجلس الامن",)
    with pytest.raises(ValueError, match="بوتين"):
        compound_phrases(["بوتين"])
    with pytest.raises(TypeError, match="extra"):
        compound_phrases("مجلس الأمن")


@pytest.mark.parametrize("prefix", sorted(KIM_GOLD))
def test_kim_jong_un_and_north_korea_are_one_term_in_every_seed(prefix, phrases):
    terms = joined_terms(seed(prefix), phrases)
    assert count_with_clitics(terms, "كيم_جونغ_اون") == KIM_GOLD[prefix]
    assert count_with_clitics(terms, "كوريا_الشمالية") == NORTH_KOREA_GOLD[prefix]
    assert "الكوري_الشمالي" not in terms


def test_whole_words_only_and_clitics_allowed():
    ph = compound_phrases(["مجلس الأمن", "كوريا الشمالية"], gazetteer=False)
    s = counting_text("مجلس الأمنية وبمجلس الأمن، تحكيم كوريا الشمالية؛ بركوريا الشمالية للكوريا الشمالية")
    assert TOKEN_RE.findall(join_compounds_text(s, ph)) == [
        "مجلس", "الامنية", "وبمجلس_الامن", "تحكيم", "كوريا_الشمالية", "بركوريا", "الشمالية",
        "للكوريا", "الشمالية"]


def test_article_plus_lam_and_hyphen_and_line_break():
    ph = compound_phrases()
    s = counting_text("وللولايات المتحدة و كيم جونغ-أون\nكوريا\nالشمالية")
    assert TOKEN_RE.findall(join_compounds_text(s, ph)) == [
        "وللولايات_المتحدة", "و", "كيم_جونغ_اون", "كوريا", "الشمالية"]


def test_adjacent_occurrences_are_all_joined():
    ph = ("كوريا الشمالية",)
    s = " ".join(["كوريا الشمالية"] * 5)
    assert join_compounds_text(s, ph) == " ".join(["كوريا_الشمالية"] * 5)


def test_polars_and_python_join_the_seeds_identically(phrases):
    texts = [counting_text(seed(p)) for p in sorted(KIM_GOLD)]
    joined = pl.DataFrame({"t": texts}).select(join_compounds(pl.col("t"), phrases))["t"].to_list()
    assert joined == [join_compounds_text(t, phrases) for t in texts]
    assert [len(t) for t in joined] == [len(t) for t in texts]


WORDS = st.sampled_from(["كوريا", "الشمالية", "كيم", "جونغ", "اون", "و", "ل", "ب", "مجلس", "الامن",
                         "الامنية", "الولايات", "المتحدة", "للولايات", "x", "5"])
SEPARATORS = st.sampled_from([" ", " ", "-", "\n", "،", "", "  ", "_"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=14))
def test_join_is_length_preserving_and_engine_independent(pieces):
    ph = compound_phrases(["مجلس الأمن", "كوريا الشمالية"])
    text = counting_text("".join(w + s for w, s in pieces))
    joined = join_compounds_text(text, ph)
    assert len(joined) == len(text)
    assert "_" not in text                                   # an input "_" is a separator
    changed = [i for i, (a, b) in enumerate(zip(text, joined)) if a != b]
    assert all(joined[i] == "_" and text[i] in " -" for i in changed)
    assert pl.select(join_compounds(pl.lit(text), ph)).item() == joined


# --- compounds in counts: the regex passes on spans only, against the passes over the whole text -----
HOSTILE_WORDS = st.sampled_from(["كوريا", "الشمالية", "كيم", "جونغ", "اون", "وكيم", "لكوريا", "و",
                                 "مجلس", "الامن", "وبمجلس", "الولايات", "المتحدة", "للولايات",
                                 "الامريكية", "المملكة", "العربية", "السعودية", "ا", "ب", "ج", "x", "5"])
HOSTILE_SEPARATORS = st.sampled_from([" ", " ", " ", "-", "\n", "،", "", "  ", "_", "5", " - ", "x", ". "])
OVERLAPPING = ["مجلس الأمن", "كوريا الشمالية", "ا ب", "ب ج", "ب ج ا", "ج ا ب", "الشمالية كيم"]


def counts_of(texts: list[str]) -> dict:
    found = {}
    for doc, text in enumerate(texts):
        for term in TOKEN_RE.findall(text):
            found[(doc, term)] = found.get((doc, term), 0) + 1
    return found


def changed_counts(texts: list[str], phrases) -> dict:
    """Word counts of ``texts`` with ``compound_count_changes`` applied."""
    counts = counts_of(texts)
    changes = compound_count_changes(pl.DataFrame({"doc": range(len(texts)), "text": texts}), phrases)
    for doc, term, change in changes.iter_rows():
        counts[(doc, term)] = counts.get((doc, term), 0) + change
    assert min(counts.values(), default=0) >= 0
    return {k: v for k, v in counts.items() if v}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(HOSTILE_WORDS, HOSTILE_SEPARATORS), max_size=20), min_size=1, max_size=4))
def test_count_changes_equal_counting_the_joined_text_on_hostile_text(documents):
    ph = compound_phrases(OVERLAPPING)
    texts = [counting_text("".join(w + s for w, s in pieces)) for pieces in documents]
    assert changed_counts(texts, ph) == counts_of([join_compounds_text(t, ph) for t in texts])


@pytest.mark.parametrize("text", [
    "ا ب،ا ب ج",              # a one-character boundary the first match used: the next waits a pass
    "ا ب ج ا ب ج ا ب",        # overlapping three- and two-word phrases, longest rule first
    "ا ب\nا ب. ا ب",
    " ".join(["كوريا الشمالية"] * 7), "كوريا الشمالية كيم جونغ اون", "للولايات المتحدة الامريكية"])
def test_count_changes_equal_counting_the_joined_text_on_written_cases(text):
    ph = compound_phrases(OVERLAPPING)
    texts = [counting_text(text)]
    joined = [join_compounds_text(texts[0], ph)]
    assert "_" in joined[0]
    assert changed_counts(texts, ph) == counts_of(joined)


def test_count_changes_equal_counting_the_joined_text_on_saudinewsnet(snn_sample_records, phrases):
    texts = [counting_text(r["content"]) for r in snn_sample_records]
    joined = [join_compounds_text(t, phrases) for t in texts]
    assert sum(a != b for a, b in zip(texts, joined)) > 50          # the sample has compounds
    assert changed_counts(texts, phrases) == counts_of(joined)
