"""Normalisation, tokens (polars table = reference tokenize), stopwords, display forms, clitic split.

Tokenizer cases come from the seed files as written (``corpus/*.txt``); statistics-style checks use
the clean corpus from ``load_corpus``. Expected values are counted independently (plain substring
or regex counts on the text), never taken from the code under test.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from arabnews import CORPUS_DIR, DATA_DIR
from arabnews.corpus import load_corpus
from arabnews.text import (TOKEN_RE, counting_text, display_forms, normalize,
                           normalize_with_offsets, split_clitics, stopwords, terms, tokenize, tokens)

AR = "\u0621-\u063A\u0641-\u064A"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus()


def seed(prefix: str) -> str:
    """A seed article exactly as written on disk."""
    (path,) = CORPUS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    files = sorted(CORPUS_DIR.glob("*.txt"))
    return pd.DataFrame({"id": [f.name[:3] for f in files], "outlet": [f.name[:3] for f in files],
                         "text": [f.read_text(encoding="utf-8") for f in files]})


def count_word(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` in normalised ``text`` not glued to other Arabic letters."""
    return len(re.findall(f"(?<![{AR}]){re.escape(phrase)}(?![{AR}])", normalize(text)))


# --- normalize -------------------------------------------------------------------------------------
ARABIC_NOISE = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويىةءآأإؤئٱکیھە") + ["\u064B", "\u064E", "\u0651", "\u0652",
    "\u0653", "\u0654", "\u0655", "\u0670", "\u0640", "\u200f", "\u00a0", "\ufefb", "\ufe8d", "٣",
    "۴", " ", "،", "\n", "A", "z", "5", "ـ", '"', "«"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(ARABIC_NOISE)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(ARABIC_NOISE, st.booleans(), st.booleans(), st.booleans())
def test_fast_normalize_equals_the_offset_version(text, ya, ta, keep):
    opts = dict(fold_ya=ya, fold_ta_marbuta=ta, keep_tatweel=keep)
    assert normalize(text, **opts) == normalize_with_offsets(text, **opts)[0]


def test_normalize_folds_noise_but_keeps_alef_maqsura_and_ta_marbuta():
    assert normalize("أُوكْرَانِيَا") == "اوكرانيا"
    assert normalize("الکوری") == "الكوري"
    assert normalize("٢٠٢٤") == "2024"
    assert normalize("على زميلة") == "على زميلة"            # kept by default
    assert normalize("على زميلة", fold_ya=True, fold_ta_marbuta=True) == "علي زميله"
    assert normalize("و\u0654") == "ؤ"                      # combining hamza composes
    with pytest.raises(TypeError):
        normalize(None)


# --- tokenize: cases from the seed articles ----------------------------------------------------------
def test_arabic_comma_is_not_glued_to_the_word(corpus):
    text = corpus.loc[corpus["id"] == "003", "text"].item()
    i = text.index("بوتين،")
    toks = tokenize(text[i:i + 12])
    assert [t.token for t in toks][:1] == ["بوتين"]
    every = tokens(corpus)
    assert not every["token"].str.contains("[،؛؟.,\"]").any()


def test_tatweel_clitic_before_quote_leaves_no_stray_letter():
    text = seed("000")
    i = text.index('لـ"العدوان')
    (word, *_rest) = tokenize(text[i:i + 20])
    assert (word.token, word.clitic, word.surface) == ("العدوان", "ل", "العدوان")
    assert text[i:].startswith('لـ"')


def test_tatweel_clitics_in_seed_003():
    toks = tokenize(seed("003"))
    by_surface = {(t.clitic, t.surface) for t in toks}
    assert ("ب", "الجارة") in by_surface          # بـ"الجارة
    assert ("ال", "80") in by_surface             # الذكرى الـ80
    assert ("ب", "0") in by_surface               # بـ0 أو 5
    assert ("ف", "3") in by_surface               # فـ3 أيام
    assert {"ل", "ب", "ال", "ف", "ك"}.isdisjoint(t.token for t in toks)


def test_clitic_with_nothing_after_it_is_recorded_not_counted(seeds):
    tok = tokens(seeds)
    strays = tok.attrs["stray_clitics"]
    assert set(strays["id"]) == {"002", "004"}       # "مشار إليها بـ *" in both
    assert set(strays["surface"]) == {"بـ"}
    assert not (tok["token"] == "ب").any()


def test_latin_code_with_hyphen_is_one_token():
    toks = tokenize(seed("001"))
    kn = [t for t in toks if t.surface == "KN-23"]
    assert len(kn) == 1 and (kn[0].token, kn[0].script) == ("kn-23", "latin")
    assert "kn" not in {t.token for t in toks}


def test_persian_letters_are_folded():
    text = seed("003")
    i = text.index("الکوری الشمالی کیم")
    toks = tokenize(text[i:i + 18])
    assert [t.token for t in toks] == ["الكوري", "الشمالي", "كيم"]
    assert [t.surface for t in toks] == ["الکوری", "الشمالی", "کیم"]


def test_scripts_and_diacritics():
    toks = tokenize("عُقدت القمة في 19 يونيو 2024 with Putin.")
    assert [(t.token, t.script) for t in toks] == [
        ("عقدت", "arabic"), ("القمة", "arabic"), ("في", "arabic"), ("19", "number"),
        ("يونيو", "arabic"), ("2024", "number"), ("with", "latin"), ("putin", "latin")]
    assert toks[0].surface == "عُقدت"


def test_offsets_point_at_the_original_spelling(seeds):
    for text in seeds["text"]:
        for t in tokenize(text):
            assert text[t.start:t.end] == t.surface
            assert terms(t.surface) == [t.token]


def test_tokenize_and_counting_path_agree_on_every_seed(seeds):
    for text in seeds["text"]:
        assert [t.token for t in tokenize(text)] == TOKEN_RE.findall(counting_text(text))


def test_tokenize_rejects_non_text():
    with pytest.raises(TypeError):
        tokenize(b"bytes")
    with pytest.raises(ValueError, match="missing column"):
        tokens(pd.DataFrame({"id": [1]}))
    with pytest.raises(ValueError, match="unknown script"):
        tokens(pd.DataFrame({"id": [1], "text": ["x"]}), scripts=["greek"])


def test_tokens_table_layout_and_script_filter(corpus):
    tok = tokens(corpus)
    assert list(tok.columns)[:8] == ["id", "outlet", "position", "token", "surface", "start", "end", "script"]
    arabic = tokens(corpus, scripts=["arabic"])
    assert set(arabic["script"]) == {"arabic"}
    assert len(arabic) + sum(arabic.attrs["excluded_scripts"].values()) == len(tok)


# --- tokens(): the polars table equals the reference tokenize ------------------------------------------
HOSTILE = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويىةءآأإؤئٱکیھە") + list("وفبلكال") * 3 +
    ["\u064B", "\u064E", "\u0651", "\u0652", "\u0653", "\u0654", "\u0655", "\u0670", "\u0656",
     "\u0640", "\u0640", "\u200f", "\u200c", "\u00a0", "\ufeff", "\ufefb", "\ufef9", "\ufe8d",
     "\ufdf2", "\ufe71", "\ufe70", "٣", "۴", "٫", " ", " ", "،", "\n", "A", "z", "é", "5", "0", ".",
     ",", "-", "_", '"', "«", "»", "(", "*", "😀", "\ue000", "\ue001"]), max_size=60)
HOSTILE_SEEDS = ['لـ"العدوان" بـ0 الـ80 بـالنسبة لـــ«الوئام»', "اﻹطارات ﻻ ﷲ", "و\u0654 ا\u0653 بـ *",
                 "كيم جونغ-أون وكيم جونغ أون، للولايات المتحدة", "KN-23 5G 3.5 ٣٫٥ 😀بوتين"]
PHRASES = ("مجلس الامن", "كوريا الشمالية", "كيم جونغ اون", "الولايات المتحدة", "بو لل")


def reference_rows(texts, phrases):
    """Token and stray-clitic rows of the pure-Python reference, article by article."""
    from arabnews.text import _tokenize_with_strays
    rows, strays = [], []
    for i, text in enumerate(texts):
        toks, stray = _tokenize_with_strays(text, phrases=phrases)
        rows += [(str(i), p, *t[:5], t.clitic) for p, t in enumerate(toks)]
        strays += [(str(i), "x", *s) for s in stray]
    return rows, sorted(strays)


def table_rows(texts, phrases):
    corpus = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "outlet": "x", "text": texts})
    tok = tokens(corpus, compounds=False, phrases=phrases)
    rows = list(zip(tok.id, tok.position, tok.token, tok.surface, tok.start, tok.end, tok.script, tok.clitic))
    return rows, sorted(map(tuple, tok.attrs["stray_clitics"].itertuples(index=False)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(HOSTILE, st.sampled_from(HOSTILE_SEEDS)), min_size=1, max_size=4), st.booleans())
def test_polars_tokens_equal_the_reference_on_hostile_text(texts, compounds):
    phrases = PHRASES if compounds else ()
    assert table_rows(texts, phrases) == reference_rows(texts, phrases)


def test_polars_tokens_equal_the_reference_on_the_seeds_and_snn_sample(seeds, snn_sample_corpus):
    for frame in (seeds, snn_sample_corpus):
        texts = list(frame["text"])
        for phrases in ((), tuple(__import__("arabnews.compounds").compounds.compound_phrases())):
            assert table_rows(texts, phrases) == reference_rows(texts, phrases)


def test_hostile_seed_cases_read_as_expected():
    tok = tokens(pd.DataFrame({"id": ["a"], "text": [HOSTILE_SEEDS[0] + " " + HOSTILE_SEEDS[1]]}))
    assert list(zip(tok.clitic, tok.token)) == [
        ("ل", "العدوان"), ("ب", "0"), ("ال", "80"), ("ب", "النسبة"), ("ل", "الوئام"),
        ("", "الاطارات"), ("", "لا"), ("", "الله")]
    assert list(tok.surface[-3:]) == ["اﻹطارات", "ﻻ", "ﷲ"]
    assert tok.attrs["reference_articles"] == 1          # ﷲ has no stand-in: reference path


def test_tokens_have_display_forms_and_compounds(seeds):
    tok = tokens(seeds)
    kim = tok[tok["token"] == "كيم_جونغ_اون"]
    assert len(kim) > 10 and set(kim["display"]) == {"كيم جونغ أون"}
    assert set(kim["surface"]) <= {"كيم جونغ أون", "کیم جونغ أون"}
    for row in kim.itertuples():
        assert seeds.set_index("id").loc[row.id, "text"][row.start:row.end] == row.surface
    plain = tokens(seeds, compounds=False)
    assert len(plain) - len(tok) == sum(t.count("_") for t in tok["token"])
    with pytest.raises(ValueError, match="repeated ids"):
        tokens(pd.concat([seeds, seeds]))


# --- stopwords -------------------------------------------------------------------------------------
def test_stopwords_include_reporting_verbs_by_choice():
    sw = stopwords()
    assert {"في", "على", "وقال", "قال", "اضاف"} <= sw      # أضاف stored normalised
    assert "بوتين" not in sw and "روسيا" not in sw
    plain = stopwords(reporting_verbs=False)
    assert "وقال" not in plain and "في" in plain


def test_stopwords_extra_and_remove_are_normalised():
    sw = stopwords(extra=["أمس"], remove=["على"])
    assert "امس" in sw and "على" not in sw
    with pytest.raises(TypeError, match=r"extra must be a list of words, not one string"):
        stopwords(extra="أمس")
    with pytest.raises(TypeError, match="remove"):
        stopwords(remove="في من")


def test_compass_words_stay_content_words():
    from arabicstopwords.arabicstopwords import stopwords_list
    assert "الشمالي" in {normalize(w) for w in stopwords_list()}   # the package drops it ...
    assert "الشمالي" not in stopwords() and "شرقي" not in stopwords()  # ... we keep it
    assert "الشمالي" in stopwords(extra=["الشمالي"])


def test_stopwords_are_stored_normalised():
    assert all(normalize(w) == w for w in stopwords())


def test_reporting_verb_file_is_documented_and_normalises_into_the_set():
    lines = (DATA_DIR / "reporting_verbs.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    words = [w.strip() for w in lines if w.strip() and not w.startswith("#")]
    assert len(words) > 40
    assert {normalize(w) for w in words} <= stopwords()
    assert not {normalize(w) for w in words} <= stopwords(reporting_verbs=False)


# --- display forms and the clitic split ---------------------------------------------------------------
def test_display_form_is_the_most_frequent_spelling(corpus):
    forms = display_forms(corpus).set_index("term")
    texts = "\n".join(corpus["text"])

    def spelled(word):  # whole-word occurrences of this exact spelling
        return len(re.findall(f"(?<![{AR}]){word}(?![{AR}])", texts))

    with_hamza, without = spelled("أوكرانيا"), spelled("اوكرانيا")
    assert with_hamza > 0 and without > 0
    assert forms.loc["اوكرانيا", "display"] == ("أوكرانيا" if with_hamza > without else "اوكرانيا")
    assert forms.loc["اوكرانيا", "n_forms"] >= 2
    assert forms.loc["اوكرانيا", "count"] == with_hamza + without


def test_split_clitics_merges_only_attested_bases(corpus):
    tok = tokens(corpus)
    split, merges = split_clitics(tok)
    merged = dict(zip(merges["term"], merges["base"]))
    assert merged["وقال"] == "قال"
    assert merged["لبوتين"] == "بوتين"
    vocabulary = set(tok["token"])
    assert "لواشنطن" in vocabulary and "واشنطن" not in vocabulary
    assert "لواشنطن" not in merged                     # remainder not attested: left alone
    assert "بوتين" not in merged                       # ب + وتين: not a word of the corpus
    assert all(base in vocabulary for base in merges["base"])
    assert len(split) == len(tok)
    assert merges["count"].sum() == (split["split_clitic"] != "").sum()


def test_clitic_map_needs_a_long_enough_attested_base():
    from arabnews.text import clitic_map
    mapping = clitic_map({"الله": 3, "له": 5, "وقال": 2, "قال": 4, "والد": 1})
    assert mapping == {"وقال": ("و", "قال")}          # not ال + له, not و + الد (unattested)


def test_tokens_table_is_cached_per_corpus_rows_and_options(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("ARABNEWS_CACHE_DIR", str(tmp_path))
    first = tokens(corpus)
    assert list((tmp_path / "tokens").glob("*.parquet"))
    again = tokens(corpus)
    pd.testing.assert_frame_equal(again, first, check_dtype=False)
    assert again.attrs["excluded_scripts"] == first.attrs["excluded_scripts"]
    head = corpus.iloc[:2]                                   # keeps attrs["fingerprint"]
    assert head.attrs.get("fingerprint") == corpus.attrs.get("fingerprint")
    assert set(tokens(head)["id"]) == set(head["id"])        # not the whole corpus's entry
    assert len(tokens(corpus, compounds=False)) > len(first)
    assert len(list((tmp_path / "tokens").glob("*.parquet"))) == 3


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(HOSTILE, st.sampled_from(HOSTILE_SEEDS)), min_size=1, max_size=4), st.booleans(),
       st.sampled_from([("arabic", "latin", "number"), ("arabic",)]))
def test_token_batches_and_counts_equal_the_tokens_table_on_hostile_text(texts, compounds, scripts):
    """What n-grams and dispersion read instead of the table: the same tokens, clause breaks
    at the same places, the same number of rows per article, and the prefilter never misses."""
    import polars as pl
    from arabnews.tokenstream import may_contain, token_batches, token_counts, tokenisation
    corpus = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "outlet": "x", "text": texts})
    user = PHRASES if compounds else ()
    tok = tokens(corpus, compounds=False, phrases=user, scripts=scripts)
    options = tokenisation(compounds=False, phrases=user, scripts=scripts)
    stream = pl.concat(list(token_batches(corpus, batch_rows=2, **options)))
    assert stream["token"].to_list() == tok["token"].tolist()
    assert stream["row"].to_list() == tok["id"].astype(int).tolist()
    new_clause = lambda rows, clause: [a != b or c != d for a, b, c, d in   # noqa: E731
                                       zip(rows[1:], rows[:-1], clause[1:], clause[:-1])]
    assert (new_clause(stream["row"].to_list(), stream["clause"].to_list())
            == new_clause(tok["id"].tolist(), tok["clause"].tolist()))
    sizes = tok.groupby("id").size().reindex(corpus["id"], fill_value=0).tolist()
    assert token_counts(corpus, **options).tolist() == sizes
    for word in set(tok["token"]) - {""}:
        parts = word.split("_")
        held = may_contain(corpus, parts[:1], first_clitics=False)
        assert all(held[int(i)] for i in tok.loc[tok["token"] == word, "id"])
