"""kwic and dispersion (arabnews.concordance): clitic-aware, phrases and compounds, corpus or tokens.

Gold counts by reading the seed files as written, file by file
(``grep -o '[^ ]*بوتين[^ ]*' corpus/000_*.txt`` ...): بوتين as a word of its own (with punctuation
or ``#`` beside it) 000: 18, 001: 6, 002: 23, 003: 26, 004: 6, and as ``لبوتين`` (ل + بوتين)
002: 2, 003: 3, 004: 2. Some of the bare ones are the second word of ``فلاديمير بوتين`` (a
compound token): found all the same, with the whole name as the match; the one ``لفلاديمير بوتين``
in 001 counts as bare بوتين (the clitic belongs to فلاديمير).
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from arabnews import CORPUS_DIR
from arabnews.concordance import dispersion, kwic
from arabnews.corpus import load_corpus
from arabnews.text import normalize, terms, tokens

AR = "\u0621-\u063A\u0641-\u064A"
CLITICS = "وب|ول|وك|فب|فل|فك|و|ف|ب|ل|ك"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus()


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    files = sorted(CORPUS_DIR.glob("*.txt"))
    return pd.DataFrame({"id": [f.name[:3] for f in files], "outlet": [f.name[:3] for f in files],
                         "text": [f.read_text(encoding="utf-8") for f in files]})


def count_with_clitics(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` (optionally after a proclitic; ل + ال written لل) not glued to
    other Arabic letters."""
    phrase = normalize(phrase)
    forms = f"(?:{CLITICS})?{re.escape(phrase)}"
    if phrase.startswith("ال"):
        forms += f"|(?:و|ف)?لل{re.escape(phrase[2:])}"
    return len(re.findall(f"(?<![{AR}])(?:{forms})(?![{AR}])", normalize(text)))


def test_kwic_finds_clitic_forms_and_shows_the_clitic(seeds):
    hits = kwic(seeds, "بوتين")
    per_seed = hits.groupby(["id", "clitic"]).size().unstack(fill_value=0)
    assert per_seed[""].to_dict() == {"000": 18, "001": 6, "002": 23, "003": 26, "004": 6}
    assert per_seed["ل"].to_dict() == {"000": 0, "001": 0, "002": 2, "003": 3, "004": 2}
    assert set(hits.loc[hits["clitic"] == "ل", "match"]) == {"لبوتين"}
    assert {"فلاديمير بوتين", "لفلاديمير بوتين"} <= set(hits["match"])


def test_kwic_finds_every_occurrence_in_original_spelling(corpus):
    hits = kwic(corpus, "كوريا الشمالية", window=5)
    texts = dict(zip(corpus["id"], corpus["text"]))
    expected = {i: count_with_clitics(t, "كوريا الشمالية") for i, t in texts.items()}
    assert hits.groupby("id").size().reindex(list(expected), fill_value=0).to_dict() == expected
    for row in hits.itertuples():
        assert texts[row.id][row.start:row.end] == row.match
    assert list(hits.columns) == ["id", "outlet", "left", "match", "right", "start", "end", "clitic"]
    far = hits[hits["start"] > 200].iloc[0]
    assert len(terms(far["left"])) == 5                 # five words of context before the match


def test_phrase_matches_compound_tokens_and_plain_tokens_alike(corpus):
    compound = kwic(corpus, "كيم جونغ أون")
    plain = kwic(tokens(corpus, compounds=False), "كيم جونغ أون", corpus=corpus)
    same = ["id", "match", "start", "end", "clitic"]        # context windows count tokens: differ
    pd.testing.assert_frame_equal(compound[same], plain[same])
    texts = dict(zip(corpus["id"], corpus["text"]))
    assert len(compound) == sum(count_with_clitics(t, "كيم جونغ أون") for t in texts.values())
    assert set(compound.loc[compound["clitic"] == "و", "match"]) == {"وكيم جونغ أون"}


def test_kwic_matches_across_spellings_and_rejects_bad_arguments(corpus):
    hits = kwic(corpus, "أوكرانيا", window=0)
    assert {"أوكرانيا", "اوكرانيا"} <= set(hits["match"])
    assert (hits["left"] == "").all() and (hits["right"] == "").all()
    with pytest.raises(ValueError, match="no word"):
        kwic(corpus, "،")
    with pytest.raises(TypeError, match="window"):
        kwic(corpus, "بوتين", window="5")
    with pytest.raises(ValueError, match="window"):
        kwic(corpus, "بوتين", window=-1)
    with pytest.raises(ValueError, match="corpus="):
        kwic(tokens(corpus), "بوتين")
    washington = kwic(corpus, "واشنطن")                   # only لواشنطن occurs: ل + واشنطن
    assert set(washington["match"]) == {"لواشنطن"} and set(washington["clitic"]) == {"ل"}


def test_repeated_ids_are_refused_not_mixed(corpus):
    doubled = pd.concat([corpus, corpus], ignore_index=True)
    with pytest.raises(ValueError, match="repeated ids"):
        kwic(doubled, "بوتين")
    with pytest.raises(ValueError, match="repeated ids"):
        dispersion(doubled, "بوتين")


def test_dispersion_positions(corpus):
    d = dispersion(corpus, "بوتين")
    texts = dict(zip(corpus["id"], corpus["text"]))
    assert d.groupby("id").size().to_dict() == {i: count_with_clitics(t, "بوتين") for i, t in texts.items()}
    assert d["relative_position"].between(0, 1, inclusive="left").all()
    assert (d["position"] < d["n_tokens"]).all()
    articles = d.attrs["articles"]
    assert articles["hits"].sum() == len(d) and len(articles) == len(corpus)
    some = dispersion(corpus, "الكرملين").attrs["articles"]
    assert (some["hits"] == 0).sum() == sum(count_with_clitics(t, "الكرملين") == 0 for t in texts.values())


def test_dispersion_from_a_tokens_table_equals_the_corpus_one(corpus):
    tok = tokens(corpus)
    from_table = dispersion(tok, "بوتين")
    pd.testing.assert_frame_equal(from_table, dispersion(corpus, "بوتين"))
    positions = tok.groupby("id").cumcount()
    clitic_forms = {c + "بوتين" for c in CLITICS.split("|")}
    hit_rows = tok[[("بوتين" in t.split("_")) or (t.split("_")[0] in clitic_forms) for t in tok["token"]]]
    assert sorted(from_table["position"]) == sorted(positions[hit_rows.index])


def test_snn_sample_kwic_and_dispersion_agree(snn_sample_corpus):
    tok = tokens(snn_sample_corpus)
    hits = kwic(tok, "السعودية", corpus=snn_sample_corpus, window=3)
    disp = dispersion(tok, "السعودية")
    assert len(hits) == len(disp) > 50
    texts = dict(zip(snn_sample_corpus["id"], snn_sample_corpus["text"]))
    assert len(hits) == sum(count_with_clitics(t, "السعودية") for t in texts.values())
    assert all(texts[r.id][r.start:r.end] == r.match for r in hits.itertuples())
    assert set(hits["clitic"]) >= {"", "ل"}
    assert set(hits.loc[hits["clitic"] == "ل", "match"].map(normalize)) == {"للسعودية"}


# --- the corpus path tokenises only the articles that may hold the term ---------------------------
# Hostile articles written for the prefilter: the term at the very start and end of a text, with
# attached and tatweel-detached clitics, ل + ال written لل, diacritics and tatweel inside the word,
# hamza and Persian spellings, a lam-alef ligature and a presentation form (the reference tokenizer's
# texts), compounds (بوتين inside فلاديمير بوتين), upper-case Latin, Arabic-Indic digits, empty text.
HOSTILE = [
    "بوتين قال للكرملين: إن بوتين",
    "وبوتين، لـ\"بوتين\" بُوتِين بـوتين فلاديمير بوتين؛ الكرملين فللكرملين والكرملين",
    "زار كيم جونغ أون، ثم كيم جونغ اون وكيم جونغ أون. كيم. جونغ أون",
    "أوكرانيا إوكرانيا اوكرانيا ﻻ بوتين ﺑﻮﺗﻴﻦ",
    "NATO and Nato met in ٢٠١٥ and 2015; nato-2015",
    "",
    "لا شيء هنا عن الموضوع",
    "كوريا\nالشمالية ثم كوريا الشمالية وكوريا الشماليه",
]
HOSTILE_TERMS = ["بوتين", "الكرملين", "كيم جونغ أون", "جونغ", "أوكرانيا", "ﻻ", "nato", "٢٠١٥",
                 "كوريا الشمالية", "كوريا", "الشمالية", "زززز", "بوتين الكرملين", "فلاديمير بوتين"]


@pytest.fixture(scope="module")
def hostile() -> pd.DataFrame:
    return pd.DataFrame({"id": [f"h{i}" for i in range(len(HOSTILE))], "outlet": ["a", "b"] * 4,
                         "text": HOSTILE})


def assert_same_as_the_tokens_table(corpus: pd.DataFrame, term: str, **token_opts) -> int:
    """kwic and dispersion of ``corpus`` equal those of its whole tokens table (today's path; the
    term folded as the table is: a table does not say how it was folded)."""
    tok = tokens(corpus, **token_opts)
    folded = normalize(term, **{k: v for k, v in token_opts.items() if k.startswith("fold")})
    fast, table = kwic(corpus, term, window=3, **token_opts), kwic(tok, folded, window=3, corpus=corpus)
    pd.testing.assert_frame_equal(fast, table)
    fast_d, table_d = dispersion(corpus, term, **token_opts), dispersion(tok, folded, corpus=corpus)
    pd.testing.assert_frame_equal(fast_d, table_d)
    pd.testing.assert_frame_equal(fast_d.attrs["articles"], table_d.attrs["articles"])
    return len(fast)


def test_the_corpus_path_equals_the_tokens_table_on_hostile_text(hostile):
    found = {term: assert_same_as_the_tokens_table(hostile, term) for term in HOSTILE_TERMS}
    # by reading HOSTILE: بوتين 2 + 5 + 1 (the ligature text: ﻻ بوتين and ﺑﻮﺗﻴﻦ folds to بوتين) = 9
    # with the presentation-form one; الكرملين: للكرملين, الكرملين, فللكرملين, والكرملين
    assert found["بوتين"] == 9 and found["الكرملين"] == 4
    assert found["كيم جونغ أون"] == 3          # not across the full stops of the last one
    # nato-2015 is one Latin token (hyphens join Latin words), so neither nato nor 2015 there
    assert found["أوكرانيا"] == 3 and found["nato"] == 2 and found["٢٠١٥"] == 2
    # the line break cuts the first one; the third is spelled with ه (only fold_ta_marbuta finds it)
    assert found["كوريا الشمالية"] == 1
    assert found["زززز"] == 0 and found["بوتين الكرملين"] == 0
    for term in ("بوتين", "كوريا الشمالية"):
        assert_same_as_the_tokens_table(hostile, term, compounds=False)
        folded = assert_same_as_the_tokens_table(hostile, term, fold_ta_marbuta=True, scripts=("arabic",))
        assert folded == {"بوتين": 9, "كوريا الشمالية": 2}[term]


def test_the_corpus_path_equals_the_tokens_table_on_the_seeds(corpus):
    for term in ("بوتين", "كوريا الشمالية", "كيم جونغ أون", "الكرملين", "واشنطن", "زززز"):
        assert_same_as_the_tokens_table(corpus, term)


def test_the_corpus_path_equals_the_tokens_table_on_saudinewsnet(snn_sample_corpus):
    for term in ("السعودية", "الرياض", "خادم الحرمين الشريفين", "ولي العهد", "داعش"):
        assert_same_as_the_tokens_table(snn_sample_corpus, term)


@pytest.mark.parametrize("chunk", [1, 3])
def test_the_corpus_path_in_small_chunks_equals_the_tokens_table(hostile, corpus, snn_sample_corpus,
                                                                 monkeypatch, chunk):
    """The candidate articles are tokenised CHUNK_ARTICLES at a time (memory bounded by the chunk);
    chunks of 1 and 3 articles give the rows of the whole table."""
    import arabnews.concordance as concordance
    monkeypatch.setattr(concordance, "CHUNK_ARTICLES", chunk)
    found = {term: assert_same_as_the_tokens_table(hostile, term) for term in ("بوتين", "كيم جونغ أون", "زززز")}
    assert found == {"بوتين": 9, "كيم جونغ أون": 3, "زززز": 0}   # as read above
    assert_same_as_the_tokens_table(corpus, "بوتين")
    assert_same_as_the_tokens_table(snn_sample_corpus.head(60), "السعودية")


def test_dispersion_of_a_loaded_corpus_is_cached_within_a_report_run(tmp_path, monkeypatch):
    """With ARABNEWS_CACHE_DIR set, a second dispersion of the same term reads the entry (the
    counting is not run again) and equals the first, its article list included; another term or
    a slice of the corpus gets its own entry."""
    import arabnews.concordance as concordance
    from arabnews.corpus import load_corpus
    monkeypatch.setenv("ARABNEWS_CACHE_DIR", str(tmp_path))
    seeds = load_corpus()
    first = dispersion(seeds, "بوتين")
    assert len(list((tmp_path / "dispersion").glob("*.parquet"))) == 1

    def not_again(*args, **kwargs):
        raise AssertionError("the cached dispersion was recomputed")

    monkeypatch.setattr(concordance, "_dispersion_rows", not_again)
    again = dispersion(seeds, "بوتين")
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again.attrs["articles"], first.attrs["articles"])
    monkeypatch.undo()
    monkeypatch.setenv("ARABNEWS_CACHE_DIR", str(tmp_path))
    other, part = dispersion(seeds, "الكرملين"), dispersion(seeds.head(2), "بوتين")
    assert len(list((tmp_path / "dispersion").glob("*.parquet"))) == 3
    assert len(part.attrs["articles"]) == 2 and other["term"].unique().tolist() == ["الكرملين"]
