"""Corpus-true prose: sentences computed from the corpus at hand (seeds and small corpora a test
writes), escaped so that metadata cannot inject markup."""
from __future__ import annotations

import pandas as pd
import pytest

from arabnews import describe
from arabnews.corpus import load_corpus
from arabnews.cleaning import cleaning_report


@pytest.fixture(scope="module")
def seeds():
    return load_corpus()


def small_corpus(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["id", "outlet", "date", "text"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame.attrs["name"] = "clean"
    return frame


def test_the_seeds_are_described_as_the_starter_corpus(seeds):
    text = describe.describe_corpus(seeds)
    assert text.startswith("This report runs on the starter corpus")
    assert "5 articles from 5 outlets" in text
    assert "Each outlet is represented by 1 article" in text
    assert "/" not in text.split("(")[0]  # no path before the parenthesis either
    assert describe.corpus_name(seeds) == "corpus"


def test_another_corpus_is_described_by_what_it_holds():
    corpus = small_corpus([("a", "masrawy", "2024-03-01", "نص"), ("b", "masrawy", "2024-03-02", "نص"),
                           ("c", "sabq", "2024-03-01", "نص"), ("d", "unknown", None, "نص")])
    text = describe.describe_corpus(corpus)
    assert "**clean**: 4 articles from 3 outlets" in text
    assert "Outlets range from 1 article to 2; the largest are masrawy (2)" in text
    assert "1 article does not say who published it" in text
    assert "The dates run from 1 March 2024 to 2 March 2024, on 2 distinct days" in text
    assert "1 article has no known date" in text
    assert "starter" not in text


def test_few_dates_are_not_a_trend():
    corpus = small_corpus([(str(i), "x", f"2024-03-0{1 + i % 3}", "نص") for i in range(5)])
    assert "3 dates are not a trend" in describe.describe_dates(corpus)
    many = small_corpus([(str(i), "x", pd.Timestamp("2024-03-01") + pd.Timedelta(days=i), "نص")
                         for i in range(describe.TREND_MIN_PERIODS)])
    assert "enough dates to follow a word over time" in describe.describe_dates(many)


def test_cleaning_is_described_from_the_audit(seeds):
    audit = cleaning_report(seeds)
    text = describe.describe_cleaning(seeds, audit)
    assert text.startswith(f"Cleaning removed {len(audit)} lines or fragments from 5 of the 5 articles")
    top = audit.rule.value_counts()
    assert f"`{top.index[0]}` ({top.iloc[0]})" in text
    assert describe.describe_cleaning(seeds, audit.iloc[:0]).startswith("Cleaning removed nothing")


def test_an_empty_result_says_so_and_the_most_frequent_of_nothing_is_unavailable():
    assert describe.most_frequent(pd.Series(["a", "b", "b"]), "rules") == "b"
    missing = describe.most_frequent(pd.Series([], dtype=object), "cleaning removals")
    assert isinstance(missing, describe.Unavailable) and "no cleaning removals" in missing.reason
    assert describe.say_empty(pd.DataFrame({"x": []}), "Nothing found.") is None


def test_metadata_cannot_inject_markup_or_markdown():
    assert describe.md_text("<script>x</script> *bold*") == "&lt;script&gt;x&lt;/script&gt; \\*bold\\*"
    assert describe.md_text("الجزيرة") == '<span dir="rtl" lang="ar">الجزيرة</span>'
    assert describe.md_code("a`b<i>") == "`a'b&lt;i&gt;`"


def test_sizes_and_top_terms_per_corpus():
    corpus = small_corpus([("a", "p", "2024-03-01", "x"), ("b", "p", "2024-03-01", "x"),
                           ("c", "q", "2024-03-01", "x")])
    lengths = pd.DataFrame({"id": ["a", "b", "c"], "outlet": ["p", "p", "q"], "words": [3, 4, 10]})
    sizes = describe.corpus_sizes(corpus, lengths)
    assert sizes.to_dict("records") == [{"outlet": "q", "articles": 1, "words": 10},
                                        {"outlet": "p", "articles": 2, "words": 7}]
    freqs = pd.DataFrame({"outlet": ["p", "p", "q", "q"], "term": ["b", "a", "a", "c"],
                          "count": [5, 2, 4, 6]})
    assert describe.overall_top_terms(freqs, n=2) == ["a", "c"]  # a: 6, c: 6 (tie in term order), b: 5


def test_the_period_keeps_about_ten_articles_per_outlet_and_period():
    days = pd.date_range("2015-07-21", "2015-08-11", freq="D")
    daily = small_corpus([(f"{o}{i}", o, d, "x") for o in "ab" for i, d in
                          enumerate(list(days) * 12)])
    assert describe.suggest_period(daily) == "day"  # 12 articles per outlet and day
    sparse = daily.groupby("outlet").head(len(days) * 2)  # about 2 a day: weekly has ~14
    assert describe.suggest_period(sparse) == "week"
    assert describe.suggest_period(daily.head(3)) == "year"
