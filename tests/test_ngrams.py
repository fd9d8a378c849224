"""N-grams and collocations (arabnews.ngrams): clause-bound, stopword edges, PMI and G2 by hand.

Expected counts come from the text (regex counts on normalised text), never from the code under
test; the hand-counted table is written out in the test.
"""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from arabnews.corpus import load_corpus
from arabnews.ngrams import collocations, ngrams
from arabnews.text import normalize, stopwords, tokens

AR = "\u0621-\u063A\u0641-\u064A"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus()


def count_word(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` in normalised ``text`` not glued to other Arabic letters."""
    return len(re.findall(f"(?<![{AR}]){re.escape(phrase)}(?![{AR}])", normalize(text)))


# --- n-grams and collocations ----------------------------------------------------------------------
def test_bigram_counts_match_the_text(corpus):
    bigrams = ngrams(corpus, 2)
    for outlet, text in zip(corpus["outlet"], corpus["text"]):
        expected = count_word(text, "كوريا الشمالية")
        got = bigrams.query("outlet == @outlet and ngram == 'كوريا الشمالية'")["count"].sum()
        assert got == expected


def test_ngrams_do_not_cross_punctuation(corpus):
    bigrams = set(ngrams(corpus, 2)["ngram"])
    text = corpus.loc[corpus["id"] == "000", "text"].item()
    assert "بيونغ يانغ، ووقع" in text
    assert "يانغ ووقع" not in bigrams
    assert "بيونغ يانغ" in bigrams


def test_ngrams_drop_stopword_edges_and_check_n(corpus):
    sw = stopwords()
    with_stop = set(ngrams(corpus, 2)["ngram"])
    without = set(ngrams(corpus, 2, stopwords=sw)["ngram"])
    assert "في بيونغ" in with_stop and "في بيونغ" not in without
    trigrams = ngrams(corpus, 3, stopwords=sw)
    assert "الزعيم الكوري الشمالي" in set(trigrams["ngram"])
    with pytest.raises(ValueError):
        ngrams(corpus, 4)


def test_pmi_and_g2_on_a_hand_counted_table():
    tiny = pd.DataFrame({"id": ["a"], "outlet": ["x"], "text": ["كيم بوتين كيم بوتين موسكو"]})
    col = collocations(tiny, min_count=1).set_index(["w1", "w2"])
    # bigrams: (كيم بوتين) x2, (بوتين كيم) x1, (بوتين موسكو) x1 -> N = 4
    row = col.loc[("كيم", "بوتين")]
    assert (row["count"], row["count_w1"], row["count_w2"]) == (2, 2, 2)
    assert row["pmi"] == pytest.approx(math.log2(2 * 4 / (2 * 2)))
    # 2x2 table a=2, b=0, c=0, d=2, every expected cell = 1
    assert row["g2"] == pytest.approx(2 * (2 * math.log(2) + 2 * math.log(2)))
    assert collocations(tiny, min_count=2).shape[0] == 1


def test_collocations_rank_names_first(corpus):
    col = collocations(corpus, min_count=3, stopwords=stopwords())
    top = set(zip(col["w1"].head(40), col["w2"].head(40)))
    assert ("بيونغ", "يانغ") in top
    assert (col["count"] >= 3).all()


def test_a_tokens_table_gives_the_same_counts_as_the_corpus(corpus):
    tok = tokens(corpus, compounds=False)
    pd.testing.assert_frame_equal(ngrams(tok, 2), ngrams(corpus, 2))
    pd.testing.assert_frame_equal(collocations(tok), collocations(corpus))
    by_article = ngrams(tok, 2, by="id")
    assert by_article["count"].sum() == ngrams(corpus, 2)["count"].sum()


def test_compound_tokens_make_compound_bigrams(corpus):
    grams = set(ngrams(tokens(corpus), 2)["ngram"])
    assert "كوريا الشمالية" not in grams                    # one token now
    assert any(g.startswith("كوريا_الشمالية ") for g in grams)


def test_arguments_are_checked(corpus):
    with pytest.raises(TypeError, match="stopwords"):
        ngrams(corpus, 2, stopwords="في من")
    with pytest.raises(TypeError, match="stopwords"):
        collocations(corpus, stopwords="في")
    with pytest.raises(ValueError, match="measure"):
        collocations(corpus, measure="dice")
    with pytest.raises(ValueError, match="by='date'"):
        ngrams(tokens(corpus), 2, by="date")
    assert len(ngrams(tokens(corpus), 2, by="file", corpus=corpus)) > 0


# --- the corpus is read batch by batch: the same counts as its whole tokens table -------------------
# Hostile texts: clause breaks of every kind (، ؛ . line break, brackets, dashes, a hyphen inside a
# Latin word), detached tatweel clitics (بـ"كوريا"), a stray clitic, diacritics and tatweel inside
# words, a presentation form (the reference tokenizer's texts), numbers, Latin, empty text.
HOSTILE = [
    "كوريا الشمالية، كوريا الشمالية؛ كوريا\nالشمالية (كوريا) الشمالية — كوريا-الشمالية",
    "بـ\"كوريا الشمالية\" وكُورِيا الشـمالية بـ * ثم NATO-2 summit in 2015 و3.5 مليون",
    "ﺑﻮﺗﻴﻦ قال ﻻ للحرب، كيم جونغ أون زار فلاديمير بوتين في موسكو",
    "",
    "كيم جونغ أون كيم جونغ أون. كيم جونغ أون",
]


def assert_batches_equal_the_table(corpus: pd.DataFrame, batch_rows: int | None = None, **opts) -> None:
    import arabnews.tokenstream as stream
    table_opts = {"compounds": False, **opts}
    tok = tokens(corpus, **table_opts)
    import arabnews.ngrams as ngrams_module
    saved, saved_merge = stream.STREAM_BATCH_ROWS, ngrams_module.MERGE_ROWS
    try:
        if batch_rows:                         # several batches and merges even on a small corpus
            stream.STREAM_BATCH_ROWS, ngrams_module.MERGE_ROWS = batch_rows, 50
        for n in (2, 3):
            for by in ("outlet", "id"):
                pd.testing.assert_frame_equal(ngrams(corpus, n, by=by, **opts), ngrams(tok, n, by=by))
        sw = stopwords()
        pd.testing.assert_frame_equal(ngrams(corpus, 2, stopwords=sw, min_count=2, **opts),
                                      ngrams(tok, 2, stopwords=sw, min_count=2))
        for measure in ("pmi", "g2"):
            fast, table = (collocations(x, min_count=1, measure=measure, stopwords=sw, **o)
                           for x, o in ((corpus, opts), (tok, {})))
            pd.testing.assert_frame_equal(fast, table)
            assert fast.attrs["n_bigrams"] == table.attrs["n_bigrams"]
    finally:
        stream.STREAM_BATCH_ROWS, ngrams_module.MERGE_ROWS = saved, saved_merge


def test_batches_equal_the_tokens_table_on_hostile_text():
    hostile = pd.DataFrame({"id": [f"h{i}" for i in range(len(HOSTILE))], "outlet": list("ababa"),
                            "text": HOSTILE})
    assert_batches_equal_the_table(hostile)
    assert_batches_equal_the_table(hostile, compounds=True)
    assert_batches_equal_the_table(hostile, scripts=("arabic",), fold_ta_marbuta=True)
    grams = ngrams(hostile, 2)
    # by reading: h0 has كوريا الشمالية twice inside clauses (، and ؛ end them; the line break, the
    # brackets and the dash cut the others); h1 once, in the quotes (the one with diacritics and
    # tatweel is وكوريا الشمالية: the attached و stays on the token)
    assert grams.query("ngram == 'كوريا الشمالية'").set_index("outlet")["count"].to_dict() == {"a": 2, "b": 1}
    assert grams.query("ngram == 'وكوريا الشمالية'")["count"].sum() == 1


def test_batches_equal_the_tokens_table_on_the_seeds(corpus):
    assert_batches_equal_the_table(corpus, batch_rows=2)
    assert_batches_equal_the_table(corpus, compounds=True)
    tok = tokens(corpus, compounds=False)
    pd.testing.assert_frame_equal(ngrams(corpus, 2, by="file"), ngrams(tok, 2, by="file", corpus=corpus))


def test_batches_equal_the_tokens_table_on_saudinewsnet(snn_sample_corpus):
    assert_batches_equal_the_table(snn_sample_corpus, batch_rows=100)
