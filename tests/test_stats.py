"""Term frequencies, keyness formulas, KWIC and dispersion.

Formulas are checked against arithmetic written out in the test (and scipy's independent G2);
corpus-level invariants are checked on the real articles from ``load_corpus``.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from arabnews.corpus import load_corpus
from arabnews.stats import (chi2_sf_1df, count_terms, dispersion, keyness, kwic, log_likelihood,
                            log_odds_z, log_ratio, term_frequencies)
from arabnews.text import normalize, stopwords, terms, tokenize, tokens

AR = "\u0621-\u063A\u0641-\u064A"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus()


@pytest.fixture(scope="module")
def freqs(corpus) -> pd.DataFrame:
    return term_frequencies(corpus)


def count_word(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` in normalised ``text`` not glued to other Arabic letters."""
    return len(re.findall(f"(?<![{AR}]){re.escape(phrase)}(?![{AR}])", normalize(text)))


TINY = pd.DataFrame({"id": ["a1", "b1", "c1"], "outlet": ["A", "B", "C"],
                     "text": ["كيم كيم كيم بوتين", "بوتين بوتين موسكو كيم", "موسكو موسكو"]})


# --- formulas against hand arithmetic ------------------------------------------------------------
def test_g2_full_two_by_two_form_by_hand():
    a, b, c, d = 10, 20, 990, 4980          # term: 10 of 1,000 vs 20 of 5,000 tokens
    n = a + b + c + d
    e_a, e_b = (a + c) * (a + b) / n, (b + d) * (a + b) / n      # 5, 25
    e_c, e_d = (a + c) * (c + d) / n, (b + d) * (c + d) / n      # 995, 4975
    assert (e_a, e_b, e_c, e_d) == (5, 25, 995, 4975)
    by_hand = 2 * (a * math.log(a / e_a) + b * math.log(b / e_b)
                   + c * math.log(c / e_c) + d * math.log(d / e_d))
    assert log_likelihood(a, b, c, d) == pytest.approx(by_hand)
    scipy_stats = pytest.importorskip("scipy.stats")
    g, *_ = scipy_stats.chi2_contingency([[a, b], [c, d]], correction=False, lambda_="log-likelihood")
    assert log_likelihood(a, b, c, d) == pytest.approx(g)
    assert log_likelihood(10, 50, 990, 4950) == pytest.approx(0)   # same relative frequency


def test_g2_with_a_zero_cell():
    # 4 of 100 vs 0 of 300: E_a = 1, E_b = 3, E_c = 99, E_d = 297; 0 ln 0 counts as 0
    by_hand = 2 * (4 * math.log(4 / 1) + 96 * math.log(96 / 99) + 300 * math.log(300 / 297))
    assert log_likelihood(4, 0, 96, 300) == pytest.approx(by_hand)


def test_p_values_at_the_classic_critical_values():
    p = chi2_sf_1df([3.84, 6.63, 10.83, 0.0])
    assert p[0] == pytest.approx(0.05, rel=0.01)
    assert p[1] == pytest.approx(0.01, rel=0.01)
    assert p[2] == pytest.approx(0.001, rel=0.01)
    assert p[3] == 1.0


def test_log_ratio_and_its_zero_adjustment():
    assert log_ratio(10, 20, 1000, 5000) == pytest.approx(math.log2((10 / 1000) / (20 / 5000)))
    assert log_ratio(20, 10, 1000, 2000) == pytest.approx(2.0)
    assert log_ratio(4, 0, 100, 300) == pytest.approx(math.log2((4 / 100) / (0.5 / 300)))


def test_log_odds_with_informative_prior_by_hand():
    a, b, n_i, n_j, alpha, alpha0 = 10, 20, 1000, 5000, 30, 6000
    delta = math.log((a + alpha) / (n_i + alpha0 - a - alpha)) - math.log((b + alpha) / (n_j + alpha0 - b - alpha))
    z = delta / math.sqrt(1 / (a + alpha) + 1 / (b + alpha))
    assert log_odds_z(a, b, n_i, n_j, alpha, alpha0) == pytest.approx(z)


def test_keyness_on_a_tiny_table_carries_its_counts():
    k = keyness(TINY, "A", min_count=1).set_index("term")
    kim = k.loc["كيم"]          # A: 3 of 4 tokens; B + C: 1 of 6
    assert (kim["count_target"], kim["count_reference"], kim["total_target"], kim["total_reference"]) == (3, 1, 4, 6)
    assert kim["g2"] == pytest.approx(log_likelihood(3, 1, 1, 5)) and kim["g2"] > 0
    assert kim["log_ratio"] == pytest.approx(math.log2((3 / 4) / (1 / 6)))
    # informative prior: alpha_w = pooled count (A + rest), alpha_0 = all 10 tokens
    delta = math.log((3 + 4) / (4 + 10 - 3 - 4)) - math.log((1 + 4) / (6 + 10 - 1 - 4))
    assert kim["log_odds_z"] == pytest.approx(delta / math.sqrt(1 / 7 + 1 / 5))
    moscow = k.loc["موسكو"]     # 0 in A, 3 of 6 in the rest: under-used, negative
    assert moscow["g2"] < 0 and moscow["log_ratio"] < 0 and moscow["log_odds_z"] < 0


def test_keyness_reference_and_sorting():
    vs_b = keyness(TINY, "A", reference="B").set_index("term")
    assert tuple(vs_b.loc["بوتين", ["count_target", "count_reference", "total_reference"]]) == (1, 2, 4)
    assert "موسكو" in vs_b.index                      # 0 in A, 1 in B: still listed
    ranked = keyness(TINY, "A", measure="g2")
    assert list(ranked["g2"]) == sorted(ranked["g2"], reverse=True)
    assert keyness(TINY, "A").equals(keyness(TINY, "A", reference=["B", "C"]))


def test_keyness_rejects_bad_arguments():
    with pytest.raises(ValueError, match="not a value"):
        keyness(TINY, "Z")
    with pytest.raises(ValueError, match="measure"):
        keyness(TINY, "A", measure="chi2")
    with pytest.raises(ValueError, match="bad reference"):
        keyness(TINY, "A", reference="A")
    with pytest.raises(ValueError, match="no reference"):
        keyness(TINY[TINY.outlet == "A"], "A")


# --- frequencies on the real corpus ----------------------------------------------------------------
def test_frequency_table_layout(freqs):
    assert list(freqs.columns) == ["outlet", "term", "count", "per_1k", "doc_freq", "tfidf", "display"]


def test_counts_sum_to_the_token_totals(corpus, freqs):
    per_outlet = tokens(corpus).groupby("outlet").size()
    assert freqs.groupby("outlet")["count"].sum().to_dict() == per_outlet.to_dict()
    assert freqs.attrs["totals"] == {k: int(v) for k, v in per_outlet.items()}


def test_per_1k_sums_to_1000_per_outlet(freqs):
    sums = freqs.groupby("outlet")["per_1k"].sum()
    assert np.allclose(sums, 1000)


def test_counts_match_the_text(corpus, freqs):
    for outlet, text in zip(corpus["outlet"], corpus["text"]):
        for word in ("بوتين", "روسيا", "الشمالية"):
            got = freqs.query("outlet == @outlet and term == @word")["count"].sum()
            assert got == count_word(text, word), (outlet, word)


def test_doc_freq_counts_articles(corpus):
    pooled = term_frequencies(corpus.assign(outlet="all"), display=False).set_index("term")
    for word in ("بوتين", "الكرملين", "بيونغ", "اوكرانيا"):
        expected = sum(count_word(t, word) > 0 for t in corpus["text"])
        assert pooled.loc[word, "doc_freq"] == expected
    assert pooled["doc_freq"].between(1, len(corpus)).all()


def test_tfidf_zero_for_shared_terms_positive_for_own_terms(freqs):
    putin = freqs[freqs["term"] == "بوتين"]
    assert len(putin) == 5 and (putin["tfidf"] == 0).all()
    kremlin = freqs[freqs["term"] == "الكرملين"]          # in two of the five articles
    assert len(kremlin) == 2 and np.allclose(kremlin["tfidf"], kremlin["per_1k"] * math.log(5 / 2))


def test_stopwords_are_removed_and_counted(corpus, freqs):
    sw = stopwords()
    filtered = term_frequencies(corpus, stopwords=sw, display=False)
    assert not filtered["term"].isin(sw).any()
    removed = freqs[freqs["term"].isin(sw)]
    assert filtered.attrs["removed"]["stopword_tokens"] == removed["count"].sum()
    keep = filtered.set_index(["outlet", "term"])["per_1k"]
    full = freqs.set_index(["outlet", "term"])["per_1k"]
    assert np.allclose(keep, full.loc[keep.index])         # per_1k keeps the full denominator


def test_scripts_filter_and_display(corpus, freqs):
    arabic = term_frequencies(corpus, scripts=["arabic"])
    assert not arabic["term"].str.contains("[a-z0-9]").any()
    assert sum(arabic.attrs["excluded_tokens"].values()) == (
        freqs[freqs["term"].str.contains("[a-z0-9]")]["count"].sum())
    shown = dict(zip(freqs["term"], freqs["display"]))
    assert shown["اوكرانيا"] in {"أوكرانيا", "اوكرانيا"}
    assert normalize(shown["ان"]) == "ان"


def test_split_clitics_merges_counts(corpus, freqs):
    merged = term_frequencies(corpus.assign(outlet="all"), split_clitics=True, display=False)
    plain = term_frequencies(corpus.assign(outlet="all"), display=False).set_index("term")["count"]
    merges = merged.attrs["clitic_merges"]
    into_qal = merges.loc[merges["base"] == "قال", "term"]
    assert "وقال" in set(into_qal)
    assert merged.set_index("term").loc["قال", "count"] == plain["قال"] + plain[list(into_qal)].sum()
    assert merged["count"].sum() == plain.sum()


def test_group_by_article_and_bad_input(corpus):
    by_id = term_frequencies(corpus, by="id", display=False)
    assert set(by_id["id"]) == set(corpus["id"])
    with pytest.raises(ValueError, match="missing column"):
        term_frequencies(corpus.drop(columns="text"))
    with pytest.raises(TypeError):
        term_frequencies(corpus["text"])


# --- the counting core agrees with the tokenizer -----------------------------------------------------
TRICKY = st.text(alphabet=st.sampled_from(
    list("ابتكلمنويىةأإآؤئکیە") + ["\u0640", "\u064E", "\u0651", "\u0654", "\ufefb", " ", "\n", "،", ".",
    '"', "«", "”", "-", ",", "A", "B", "k", "Z", "É", "0", "7", "٣", "*", "\u200f"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=4))
def test_polars_counter_equals_the_tokenizer(texts):
    frame = pd.DataFrame({"id": range(len(texts)), "outlet": "x", "text": texts})
    got = {t: (c, d) for _, t, c, d in count_terms(frame).iter_rows()}
    per_doc = [Counter(t.token for t in tokenize(text)) for text in texts]
    expected_counts = sum(per_doc, Counter())
    assert {t: c for t, (c, _) in got.items()} == dict(expected_counts)
    assert {t: d for t, (_, d) in got.items()} == {t: sum(t in doc for doc in per_doc) for t in expected_counts}


def test_counter_accepts_polars_and_lazy_frames(corpus):
    frame = corpus[["outlet", "text"]]
    as_pandas = count_terms(frame).sort(["outlet", "term"])
    assert count_terms(pl.from_pandas(frame)).sort(["outlet", "term"]).equals(as_pandas)
    assert count_terms(pl.from_pandas(frame).lazy()).sort(["outlet", "term"]).equals(as_pandas)
    with pytest.raises(ValueError, match="missing"):
        count_terms(pl.DataFrame({"outlet": ["x"]}))
    with pytest.raises(TypeError):
        count_terms("corpus/000.txt")


def test_counter_batches_add_up_to_the_whole(corpus, monkeypatch):
    import arabnews.stats as stats
    whole = count_terms(corpus).sort(["outlet", "term"])
    one_article_each = (pl.from_pandas(corpus.iloc[[i]][["outlet", "text"]]) for i in range(len(corpus)))
    assert count_terms(one_article_each).sort(["outlet", "term"]).equals(whole)
    monkeypatch.setattr(stats, "PANDAS_BATCH_ROWS", 2)       # 5 articles -> 3 pandas slices
    pooled = {t: (c, d) for _, t, c, d in count_terms(corpus.assign(outlet="all")).iter_rows()}
    for word in ("بوتين", "الكرملين"):
        expected_docs = sum(count_word(t, word) > 0 for t in corpus["text"])
        assert pooled[word] == (sum(count_word(t, word) for t in corpus["text"]), expected_docs)
    assert count_terms(iter([])).is_empty()


# --- KWIC and dispersion ----------------------------------------------------------------------------
def test_kwic_finds_every_occurrence_in_original_spelling(corpus):
    hits = kwic(corpus, "كوريا الشمالية", window=5)
    texts = dict(zip(corpus["id"], corpus["text"]))
    expected = {i: count_word(t, "كوريا الشمالية") for i, t in texts.items()}
    assert hits.groupby("id").size().reindex(list(expected), fill_value=0).to_dict() == expected
    for row in hits.itertuples():
        assert texts[row.id][row.start:row.end] == row.match
    assert list(hits.columns) == ["id", "outlet", "left", "match", "right", "start", "end"]
    far = hits[hits["start"] > 200].iloc[0]
    assert len(terms(far["left"])) == 5                 # five words of context before the match


def test_kwic_matches_across_spellings_and_rejects_empty(corpus):
    hits = kwic(corpus, "أوكرانيا", window=0)
    assert {"أوكرانيا", "اوكرانيا"} <= set(hits["match"])
    assert (hits["left"] == "").all() and (hits["right"] == "").all()
    with pytest.raises(ValueError):
        kwic(corpus, "،")
    assert kwic(corpus, "واشنطن").empty                  # only لواشنطن occurs: not the same word


def test_dispersion_positions(corpus):
    d = dispersion(corpus, "بوتين")
    texts = dict(zip(corpus["id"], corpus["text"]))
    assert d.groupby("id").size().to_dict() == {i: count_word(t, "بوتين") for i, t in texts.items()}
    assert d["relative_position"].between(0, 1, inclusive="left").all()
    assert (d["position"] < d["n_tokens"]).all()
    articles = d.attrs["articles"]
    assert articles["hits"].sum() == len(d) and len(articles) == len(corpus)
    some = dispersion(corpus, "الكرملين").attrs["articles"]
    assert (some["hits"] == 0).sum() == sum(count_word(t, "الكرملين") == 0 for t in texts.values()) == 3


def test_keyness_shows_the_original_spelling(corpus):
    """Charts of keyness need the spelling readers know: امام is written أمام in the BBC text."""
    key = keyness(corpus, "bbc").set_index("term")
    assert key.loc["امام", "display"] == "أمام"
    assert key.loc["بالاسلحة", "display"] == "بالأسلحة"
    assert keyness(corpus, "bbc", display=False).columns.tolist()[-1] == "log_odds_z"
