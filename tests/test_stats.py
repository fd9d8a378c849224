"""Term frequencies (with dispersion), keyness and the counting core, on real and hand-made text.

Formulas live in test_measures.py; here every count is checked against the text itself (a regex
count of the word, the pure-Python tokenizer) or against a tiny corpus whose numbers are worked
out by hand in the comments.
"""
from __future__ import annotations

import math
import re
import sys
import types
from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from arabnews.checks import SCRIPTS
from arabnews.corpus import load_corpus
from arabnews.measures import log_likelihood
from arabnews.stats import count_terms, count_tokens, grouped_terms, keyness, term_frequencies
from arabnews.text import display_forms, normalize, stopwords, terms, tokenize, tokens

AR = "\u0621-\u063A\u0641-\u064A"
PLAIN = dict(compounds=False)        # word tokens, as tokenize() gives them


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus()


@pytest.fixture(scope="module")
def freqs(corpus) -> pd.DataFrame:
    return term_frequencies(corpus, scripts=SCRIPTS, **PLAIN)


def count_word(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` in normalised ``text`` not glued to other Arabic letters."""
    return len(re.findall(f"(?<![{AR}]){re.escape(phrase)}(?![{AR}])", normalize(text)))


TINY = pd.DataFrame({"id": ["a1", "b1", "c1"], "outlet": ["A", "B", "C"],
                     "text": ["كيم كيم كيم بوتين", "بوتين بوتين موسكو كيم", "موسكو موسكو"]})
# Two outlets, several articles each: DP and article-based keyness are worked out on it by hand.
SPREAD = pd.DataFrame({"id": ["a1", "a2", "b1", "b2", "b3"], "outlet": ["A", "A", "B", "B", "B"],
                       "text": ["كيم كيم كيم بوتين", "بوتين موسكو",
                                "بوتين بوتين بوتين بوتين", "موسكو", "كيم موسكو"]})


# --- keyness -------------------------------------------------------------------------------------
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


def test_article_keyness_counts_articles_not_tokens():
    """Text dispersion keyness (Egbert & Biber 2019) on SPREAD, target A (2 articles) vs B (3).

    بوتين: tokens A 2 of 6, B 4 of 7 -> under-used in A by tokens (2/6 < 4/7);
           articles A 2 of 2, B 1 of 3 -> over-used in A by articles (the 4 in B are one article).
    G2 of [[2, 1], [0, 2]]: N = 5, E = 3x2/5 = 1.2, 3x3/5 = 1.8, 2x2/5 = 0.8, 2x3/5 = 1.2
           = 2 (2 ln(2/1.2) + 1 ln(1/1.8) + 0 + 2 ln(2/1.2)).
    """
    by_token = keyness(SPREAD, "A").set_index("term").loc["بوتين"]
    assert (by_token["count_target"], by_token["total_target"], by_token["count_reference"],
            by_token["total_reference"]) == (2, 6, 4, 7)
    assert by_token["log_ratio"] < 0 and by_token["g2"] < 0
    by_article = keyness(SPREAD, "A", unit="article").set_index("term")
    putin = by_article.loc["بوتين"]
    assert (putin["count_target"], putin["total_target"], putin["count_reference"],
            putin["total_reference"]) == (2, 2, 1, 3)
    g2 = 2 * (2 * math.log(2 / 1.2) + math.log(1 / 1.8) + 2 * math.log(2 / 1.2))
    assert putin["g2"] == pytest.approx(g2)
    assert putin["log_ratio"] == pytest.approx(math.log2((2 / 2) / (1 / 3)))
    assert np.isfinite(by_article["log_odds_z"]).all()           # a term in every article: finite
    assert by_article.attrs["unit"] == "article"


def test_keyness_rejects_bad_arguments():
    with pytest.raises(ValueError, match="not a value"):
        keyness(TINY, "Z")
    with pytest.raises(ValueError, match="measure"):
        keyness(TINY, "A", measure="chi2")
    with pytest.raises(ValueError, match="unit"):
        keyness(TINY, "A", unit="sentence")
    with pytest.raises(ValueError, match="bad reference"):
        keyness(TINY, "A", reference="A")
    with pytest.raises(ValueError, match="no reference"):
        keyness(TINY[TINY.outlet == "A"], "A")


def test_keyness_target_without_tokens_is_an_error_not_inf():
    numbers_only = pd.concat([TINY, pd.DataFrame({"id": ["d1"], "outlet": ["D"], "text": ["2015 ، 2016"]})])
    with pytest.raises(ValueError, match="target 'D' has no tokens"):
        keyness(numbers_only, "D")                       # its only tokens are numbers, left out
    kept = keyness(numbers_only, "D", scripts=SCRIPTS)    # keeping numbers: a real comparison
    assert np.isfinite(kept[["g2", "log_ratio", "log_odds_z"]]).all().all()


def test_keyness_shows_the_original_spelling(corpus):
    """Charts of keyness need the spelling readers know: امام is written أمام in the BBC text."""
    key = keyness(corpus, "bbc").set_index("term")
    assert key.loc["امام", "display"] == "أمام"
    assert key.loc["بالاسلحة", "display"] == "بالأسلحة"
    assert keyness(corpus, "bbc", display=False).columns.tolist()[-1] == "log_odds_z"


# --- frequencies on the real corpus ----------------------------------------------------------------
def test_frequency_table_layout(freqs):
    assert list(freqs.columns) == ["outlet", "term", "count", "per_1k", "doc_freq", "tfidf", "dp",
                                   "dp_norm", "display"]


def test_counts_sum_to_the_token_totals(corpus, freqs):
    per_outlet = tokens(corpus, compounds=False).groupby("outlet").size()
    assert freqs.groupby("outlet")["count"].sum().to_dict() == per_outlet.to_dict()
    assert freqs.attrs["totals"] == {k: int(v) for k, v in per_outlet.items()}
    assert count_tokens(corpus).to_dict() == per_outlet.to_dict()


def test_per_1k_sums_to_1000_per_outlet(freqs):
    sums = freqs.groupby("outlet")["per_1k"].sum()
    assert np.allclose(sums, 1000)


def test_counts_match_the_text(corpus, freqs):
    for outlet, text in zip(corpus["outlet"], corpus["text"]):
        for word in ("بوتين", "روسيا", "الشمالية"):
            got = freqs.query("outlet == @outlet and term == @word")["count"].sum()
            assert got == count_word(text, word), (outlet, word)


def test_doc_freq_counts_articles(corpus):
    pooled = term_frequencies(corpus.assign(outlet="all"), display=False, **PLAIN).set_index("term")
    for word in ("بوتين", "الكرملين", "بيونغ", "اوكرانيا"):
        expected = sum(count_word(t, word) > 0 for t in corpus["text"])
        assert pooled.loc[word, "doc_freq"] == expected
    assert pooled["doc_freq"].between(1, len(corpus)).all()


def test_tfidf_zero_for_shared_terms_positive_for_own_terms(freqs):
    putin = freqs[freqs["term"] == "بوتين"]
    assert len(putin) == 5 and (putin["tfidf"] == 0).all()
    kremlin = freqs[freqs["term"] == "الكرملين"]          # in two of the five articles
    assert len(kremlin) == 2 and np.allclose(kremlin["tfidf"], kremlin["per_1k"] * math.log(5 / 2))


def test_stopwords_are_removed_counted_and_normalised(corpus, freqs):
    sw = stopwords()
    filtered = term_frequencies(corpus, stopwords=sw, scripts=SCRIPTS, display=False, **PLAIN)
    assert not filtered["term"].isin(sw).any()
    removed = freqs[freqs["term"].isin(sw)]
    assert filtered.attrs["removed"]["stopword_tokens"] == removed["count"].sum()
    keep = filtered.set_index(["outlet", "term"])["per_1k"]
    full = freqs.set_index(["outlet", "term"])["per_1k"]
    assert np.allclose(keep, full.loc[keep.index])         # per_1k keeps the full denominator
    as_typed = term_frequencies(corpus, stopwords=["أمام"], display=False, **PLAIN)   # hamza as typed
    assert "امام" not in set(as_typed["term"]) and "امام" in set(freqs["term"])


def test_stopwords_as_one_string_is_refused(corpus):
    """Issue 13: stopwords="في من" removed nothing; now it says to pass a list."""
    with pytest.raises(TypeError, match=r"stopwords must be a list of words.*\['في', 'من'\]"):
        term_frequencies(corpus, stopwords="في من")
    with pytest.raises(TypeError, match="stopwords"):
        keyness(corpus, "bbc", stopwords="في من")


def test_numbers_and_latin_are_out_by_default_and_counted(corpus, freqs):
    default = term_frequencies(corpus, **PLAIN)
    assert not default["term"].str.contains("[a-z0-9]").any()
    tok = tokens(corpus, compounds=False)
    assert default.attrs["excluded_tokens"] == tok.loc[tok["script"] != "arabic", "script"].value_counts().to_dict()
    assert set(default.attrs["excluded_tokens"]) == {"latin", "number"}   # the seeds have both
    assert set(freqs["term"]) - set(default["term"]) == set(tok.loc[tok["script"] != "arabic", "token"])
    assert default.groupby("outlet")["count"].sum().to_dict() == default.attrs["totals"]


def test_display_equals_the_reference_display_forms(corpus, freqs):
    """The polars display spellings equal text.display_forms (pure Python over tokenize())."""
    reference = display_forms(tokens(corpus, compounds=False)).set_index("term")["display"]
    shown = freqs.drop_duplicates("term").set_index("term")["display"]
    assert (shown == reference.loc[shown.index]).all(), (shown[shown != reference.loc[shown.index]])
    assert shown["امام"] == "أمام" and normalize(shown["ان"]) == "ان"
    folded = term_frequencies(corpus, fold_ya=True, **PLAIN)       # على -> علي: still a spelling
    assert folded.set_index(["outlet", "term"]).loc[("bbc", "علي"), "display"] == "على"


def test_dp_by_hand_on_a_tiny_corpus():
    """SPREAD, outlet A: a1 has 4 tokens, a2 has 2 -> expected shares s = 4/6, 2/6.

    كيم   3, 0 -> v = 1, 0     -> DP = .5 (|1 - 2/3| + |0 - 1/3|)     = 1/3; DPnorm = (1/3)/(1 - 1/3) = 1/2
    بوتين 1, 1 -> v = .5, .5   -> DP = .5 (|.5 - 2/3| + |.5 - 1/3|)   = 1/6; DPnorm = (1/6)/(2/3)   = 1/4
    موسكو 0, 1 -> v = 0, 1     -> DP = .5 (|0 - 2/3| + |1 - 1/3|)     = 2/3; DPnorm = (2/3)/(2/3)   = 1
    Outlet B: b1 4 tokens, b2 1, b3 2 (s = 4/7, 1/7, 2/7); موسكو 0, 1, 1 -> v = 0, .5, .5
          -> DP = .5 (4/7 + |.5 - 1/7| + |.5 - 2/7|) = .5 (8 + 5 + 3)/14 = 4/7; DPnorm = (4/7)/(1 - 1/7) = 2/3
    """
    f = term_frequencies(SPREAD, display=False).set_index(["outlet", "term"])
    assert f.loc[("A", "كيم"), ["dp", "dp_norm"]].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert f.loc[("A", "بوتين"), ["dp", "dp_norm"]].tolist() == pytest.approx([1 / 6, 1 / 4])
    assert f.loc[("A", "موسكو"), ["dp", "dp_norm"]].tolist() == pytest.approx([2 / 3, 1.0])
    assert f.loc[("B", "موسكو"), ["dp", "dp_norm"]].tolist() == pytest.approx([4 / 7, 2 / 3])
    one_article = term_frequencies(TINY, display=False)          # one article per outlet
    assert (one_article["dp"] == 0).all() and one_article["dp_norm"].isna().all()


def test_multiword_names_are_one_term_by_default(corpus, freqs):
    """Issue 9: كيم / جونغ / أون were three top terms; now كيم جونغ أون is one (gazetteer names)."""
    joined = term_frequencies(corpus, scripts=SCRIPTS)
    total = joined.groupby("term")["count"].sum()
    assert total["كيم_جونغ_اون"] == sum(count_word(t, "كيم جونغ اون") for t in corpus["text"])
    shown = dict(zip(joined["term"], joined["display"]))
    assert shown["كيم_جونغ_اون"] == "كيم جونغ أون"
    # every جونغ of the word table is either still a word or inside a compound: none lost
    plain = freqs.groupby("term")["count"].sum()
    inside = sum(n * t.split("_").count("جونغ") for t, n in total.items() if "_" in t)
    assert total.get("جونغ", 0) + inside == plain["جونغ"]
    assert joined.attrs["compounds"] > 0
    compound_rows = total[total.index.str.contains("_")]
    assert joined.attrs["compound_tokens"] == {
        "tokens": compound_rows.sum(),
        "words": sum(n * (t.count("_") + 1) for t, n in compound_rows.items())}
    assert plain.sum() - total.sum() == joined.attrs["compound_tokens"]["words"] - compound_rows.sum()
    key = keyness(corpus, "aljadeed_press").set_index("term")          # keyness counts names too
    assert key.loc["كيم_جونغ_اون", "display"] == "كيم جونغ أون"
    assert not freqs["term"].str.contains("_").any()                    # compounds=False


def test_user_phrases_join_without_the_gazetteer(corpus):
    mine = term_frequencies(corpus, compounds=False, phrases=["الحرب العالمية الثانية"], display=False)
    joined = set(mine.loc[mine["term"].str.contains("_"), "term"])
    assert joined == {"الحرب_العالمية_الثانية"}
    assert mine.loc[mine["term"] == "الحرب_العالمية_الثانية", "count"].sum() == sum(
        count_word(t, "الحرب العالمية الثانية") for t in corpus["text"])
    with pytest.raises(TypeError, match="phrases"):
        term_frequencies(corpus, phrases="كوريا الشمالية")


def test_split_clitics_merges_counts(corpus):
    merged = term_frequencies(corpus.assign(outlet="all"), split_clitics=True, display=False, **PLAIN)
    plain = term_frequencies(corpus.assign(outlet="all"), display=False, **PLAIN).set_index("term")["count"]
    merges = merged.attrs["clitic_merges"]
    into_qal = merges.loc[merges["base"] == "قال", "term"]
    assert "وقال" in set(into_qal)
    assert merged.set_index("term").loc["قال", "count"] == plain["قال"] + plain[list(into_qal)].sum()
    assert merged["count"].sum() == plain.sum()


def test_a_tokens_table_gives_the_same_table(corpus, freqs):
    plain = term_frequencies(tokens(corpus, compounds=False), scripts=SCRIPTS)
    pd.testing.assert_frame_equal(plain.drop(columns="display"), freqs.drop(columns="display"))
    assert (plain["display"] == freqs["display"]).all()
    joined_tok = tokens(corpus)                              # compounds on, as by default here
    from_tokens, from_corpus = term_frequencies(joined_tok), term_frequencies(corpus)
    pd.testing.assert_frame_equal(from_tokens.drop(columns="display"), from_corpus.drop(columns="display"))
    key_tok = keyness(joined_tok, "bbc", display=False)
    pd.testing.assert_frame_equal(key_tok, keyness(corpus, "bbc", display=False), check_like=True)


def test_term_tables_in_slices_equal_the_whole(corpus, monkeypatch):
    """Counted 2 articles at a time (new terms coded as they come), the table is the same."""
    import arabnews.stats as stats
    whole = term_frequencies(corpus, split_clitics=True)
    monkeypatch.setattr(stats, "PANDAS_BATCH_ROWS", 2)
    sliced = term_frequencies(corpus, split_clitics=True)
    pd.testing.assert_frame_equal(sliced, whole)
    assert sliced.attrs["excluded_tokens"] == whole.attrs["excluded_tokens"]


def test_articles_without_words_give_an_empty_table():
    blank = pd.DataFrame({"id": ["a", "b"], "outlet": ["A", "B"], "text": ["", "2015 ، !"]})
    table = term_frequencies(blank)
    assert table.empty and table.attrs["excluded_tokens"] == {"number": 1}


def test_group_by_article_and_bad_input(corpus):
    by_id = term_frequencies(corpus, by="id", display=False)
    assert set(by_id["id"]) == set(corpus["id"])
    with pytest.raises(ValueError, match="missing column"):
        term_frequencies(corpus.drop(columns="text"))
    with pytest.raises(TypeError):
        term_frequencies(corpus["text"])
    with pytest.raises(ValueError, match="by='country' is not a column of corpus"):
        term_frequencies(corpus, by="country")
    with pytest.raises(ValueError, match="min_count"):
        term_frequencies(corpus, min_count=0)
    with pytest.raises(ValueError, match="unknown scripts"):
        term_frequencies(corpus, scripts=["greek"])


def test_empty_selection_is_a_value_error_naming_the_corpus(corpus):
    """Issue 13: an empty selection raised TypeError: operation 'rtruediv'."""
    nothing = corpus[corpus["outlet"] == "no_such_outlet"]
    for call in (lambda: term_frequencies(nothing), lambda: keyness(nothing, "bbc")):
        with pytest.raises(ValueError, match="corpus is empty"):
            call()


def test_repeated_ids_are_refused(corpus):
    """Issue 13: two id-less corpora concatenated give both articles id 0001."""
    twice = pd.concat([corpus, corpus], ignore_index=True)
    with pytest.raises(ValueError, match="repeated ids"):
        term_frequencies(twice)
    with pytest.raises(ValueError, match="repeated ids"):
        keyness(twice, "bbc")


def test_saudinewsnet_top_terms_are_arabic_words(snn_sample_corpus):
    freqs = term_frequencies(snn_sample_corpus, stopwords=stopwords())
    top = freqs.groupby("outlet").head(20)
    assert not top["term"].str.contains("[0-9a-z]").any()
    assert top["display"].notna().all()
    excluded = freqs.attrs["excluded_tokens"]
    assert excluded["number"] > 0 and excluded["latin"] > 0


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


def test_a_dask_frame_is_counted_by_the_cluster_room(monkeypatch):
    """count_terms hands a dask DataFrame, with its options, to arabnews.cluster.count_terms_dask."""
    calls = []
    cluster = types.ModuleType("arabnews.cluster")
    cluster.count_terms_dask = lambda ddf, by, **options: calls.append((ddf, by, options)) or "counted"
    monkeypatch.setitem(sys.modules, "arabnews.cluster", cluster)
    fake_ddf = type("DataFrame", (), {"__module__": "dask.dataframe.core"})()
    assert count_terms(fake_ddf, "outlet", fold_ya=True) == "counted"
    assert calls[0][0] is fake_ddf and calls[0][1] == "outlet" and calls[0][2]["fold_ya"] is True
    cluster.count_tokens_dask = lambda ddf, by: ("totals", ddf, by)
    assert count_tokens(fake_ddf, "id") == ("totals", fake_ddf, "id")


def test_compound_counts_equal_counting_the_regex_joined_text_on_saudinewsnet(snn_sample_corpus):
    """term_frequencies counts words once and changes them for compounds (one pass); count_terms
    still joins the text with the regex passes: the two must give the same table."""
    all_scripts = ("arabic", "latin", "number")
    mine = term_frequencies(snn_sample_corpus, scripts=all_scripts, display=False)
    reference = count_terms(snn_sample_corpus, compounds=True).to_pandas()
    assert mine["term"].str.contains("_").sum() > 20
    pd.testing.assert_frame_equal(mine, mine.sort_values(["outlet", "count", "term"], ascending=[True, False, True],
                                                         ignore_index=True))     # the table's order
    key = ["outlet", "term"]
    pd.testing.assert_frame_equal(
        mine[key + ["count", "doc_freq"]].sort_values(key, ignore_index=True),
        reference[key + ["count", "doc_freq"]].sort_values(key, ignore_index=True))


def test_grouped_terms_are_read_from_the_report_cache(snn_sample_corpus, tmp_path, monkeypatch):
    """With ARABNEWS_CACHE_DIR set, a second call reads the entry the first wrote (the counting
    pass is not run again) and gives the uncached table, attrs included; a table with display
    spellings serves a request without them; a slice and another option get their own entries."""
    from arabnews import cache, stats
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    uncached = grouped_terms(snn_sample_corpus)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    first = grouped_terms(snn_sample_corpus)
    entries = lambda: sorted(p.name for p in (tmp_path / "grouped_terms").glob("*.parquet"))  # noqa: E731
    assert len(entries()) == 1
    calls = []
    counting = stats._corpus_article_counts
    monkeypatch.setattr(stats, "_corpus_article_counts", lambda *a, **k: calls.append(a) or counting(*a, **k))
    second = grouped_terms(snn_sample_corpus)
    assert calls == []
    in_order = lambda t: t.sort_values(["outlet", "term"], ignore_index=True)  # noqa: E731 (unsorted table)
    for table in (first, second):
        pd.testing.assert_frame_equal(in_order(table), in_order(uncached))
        assert table.attrs == uncached.attrs
    plain = grouped_terms(snn_sample_corpus, display=False)
    assert calls == []
    pd.testing.assert_frame_equal(in_order(plain), in_order(uncached.drop(columns="display")))
    assert plain.attrs == uncached.attrs
    stop = stopwords()
    monkeypatch.delenv(cache.CACHE_ENV)
    expected = term_frequencies(snn_sample_corpus, stopwords=stop)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    n_calls = len(calls)
    pd.testing.assert_frame_equal(term_frequencies(snn_sample_corpus, stopwords=stop), expected)
    target = sorted(snn_sample_corpus["outlet"].unique())[0]
    keyed = keyness(snn_sample_corpus, target, stopwords=stop)
    assert len(calls) == n_calls                                      # both read the cached counts
    assert keyed["count_target"].sum() > 0
    part = snn_sample_corpus.iloc[:100]
    sliced = grouped_terms(part)
    assert len(calls) == n_calls + 1 and len(entries()) == 2
    assert sum(sliced.attrs["articles"].values()) <= 100 < sum(uncached.attrs["articles"].values())
    grouped_terms(snn_sample_corpus, fold_ya=True, display=False)
    assert len(calls) == n_calls + 2 and len(entries()) == 3
    pooled = grouped_terms(snn_sample_corpus.assign(outlet="all"))    # same texts, regrouped
    assert len(calls) == n_calls + 3 and len(entries()) == 4
    assert set(pooled["outlet"]) == {"all"}
