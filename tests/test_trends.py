"""term_trends / entity_trends against hand counts on a small dated corpus written here.

Every expected number below was counted by reading the texts of DATED (one comment per
judgement call); tokens per article are counted word by word (punctuation is not a token).
"""
from __future__ import annotations

import json
import math
import re
import warnings

import pandas as pd
import pytest

from arabnews.corpus import load_corpus
from arabnews.trends import article_dates, entity_trends, term_trends

DATED = [
    # id, outlet, date, text                                        plain word tokens
    ("A1", "A", "2024-06-03", "التقى بوتين وكيم جونغ أون في بيونغ يانغ. وقال بوتين إن روسيا تدعم كوريا."),  # 14
    ("A2", "A", "2024-06-20", "لبوتين رسالة واضحة من الكرملين."),                                       # 5
    ("A3", "A", "2024-08-05", "اجتماع في موسكو دون ذكر الرئيس."),                                      # 6
    ("A4", "A", "", "بوتين بوتين"),                                                                    # undated
    ("B1", "B", "2024-06-10", "قال الكرملين إن بوتين سيزور بكين."),                                      # 6
    ("B2", "B", "2024-07-15", "وبوتين وكيم جونغ أون اتفقا. والكرملين رحب بالاتفاق"),                     # 8
    ("B3", "B", "2024-07-16", "للكرملين موقف. كيم وحده"),                                              # 4
]
TERMS = ["بوتين", "كيم جونغ أون", "الكرملين"]


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("dated") / "dated.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, outlet, date, text in DATED:
            fh.write(json.dumps({"id": doc_id, "outlet": outlet, "date": date, "text": text},
                                ensure_ascii=False) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(path)


@pytest.fixture(scope="module")
def monthly(dated) -> pd.DataFrame:
    return term_trends(dated, TERMS).set_index(["outlet", "period", "term"])


def row(table, outlet, month, term):
    return table.loc[(outlet, pd.Timestamp(month), term)]


def test_layout_and_full_grid(monthly, dated):
    flat = monthly.reset_index()
    assert list(flat.columns) == ["outlet", "period", "term", "count", "per_1k", "articles", "share"]
    # 2 outlets x 3 months (June-August 2024, from the first to the last dated article) x 3 terms
    assert len(flat) == 2 * 3 * 3
    assert sorted(flat["period"].unique()) == list(pd.to_datetime(["2024-06-01", "2024-07-01", "2024-08-01"]))
    assert monthly.attrs["undated_articles"] == 1          # A4 has no date: left out, counted


def test_counts_articles_and_share_by_hand(monthly):
    # A, June: A1 + A2 (19 tokens). بوتين twice in A1, once as لبوتين in A2 (clitic counts).
    putin = row(monthly, "A", "2024-06-01", "بوتين")
    assert (putin["count"], putin["articles"], putin["share"]) == (3, 2, 1.0)
    assert putin["per_1k"] == pytest.approx(3 / 19 * 1000)
    # كيم جونغ أون: A1 writes وكيم جونغ أون (clitic on the first word) -> 1 article of 2
    kim = row(monthly, "A", "2024-06-01", "كيم جونغ أون")
    assert (kim["count"], kim["articles"], kim["share"]) == (1, 1, 0.5)
    kremlin = row(monthly, "A", "2024-06-01", "الكرملين")          # A2 only
    assert (kremlin["count"], kremlin["articles"], kremlin["share"]) == (1, 1, 0.5)
    # B, July: B2 + B3 (12 tokens). الكرملين as والكرملين (B2) and للكرملين = ل + الكرملين (B3)
    kremlin = row(monthly, "B", "2024-07-01", "الكرملين")
    assert (kremlin["count"], kremlin["articles"], kremlin["share"]) == (2, 2, 1.0)
    assert kremlin["per_1k"] == pytest.approx(2 / 12 * 1000)
    # bare كيم in B3 is not the phrase كيم جونغ أون; B2's وكيم جونغ أون is
    kim = row(monthly, "B", "2024-07-01", "كيم جونغ أون")
    assert (kim["count"], kim["articles"], kim["share"]) == (1, 1, 0.5)
    putin = row(monthly, "B", "2024-06-01", "بوتين")               # B1
    assert (putin["count"], putin["articles"], putin["share"]) == (1, 1, 1.0)


def test_periods_without_articles_are_gaps_not_zeros(monthly):
    gap = row(monthly, "A", "2024-07-01", "بوتين")                 # A published nothing in July
    assert gap["articles"] == 0 and gap["count"] == 0
    assert math.isnan(gap["share"]) and math.isnan(gap["per_1k"])
    assert math.isnan(row(monthly, "B", "2024-08-01", "الكرملين")["share"])
    quiet = row(monthly, "A", "2024-08-01", "بوتين")               # A3 published, no mention: a real 0
    assert (quiet["count"], quiet["articles"], quiet["share"], quiet["per_1k"]) == (0, 0, 0.0, 0.0)


def test_exact_tokens_without_clitics(dated):
    exact = term_trends(dated, TERMS, clitics=False).set_index(["outlet", "period", "term"])
    assert row(exact, "A", "2024-06-01", "بوتين")["count"] == 2          # لبوتين no longer counts
    assert row(exact, "B", "2024-07-01", "الكرملين")["count"] == 0       # والكرملين, للكرملين
    assert row(exact, "A", "2024-06-01", "كيم جونغ أون")["count"] == 0   # only وكيم جونغ أون there


def test_weeks_start_on_monday_and_years(dated):
    weekly = term_trends(dated, "بوتين", period="week")
    weeks = sorted(weekly["period"].unique())
    # 2024-06-03 (A1, a Monday) to the week of 2024-08-05 (A3, a Monday): 10 weeks
    assert len(weeks) == 10 and all(pd.Timestamp(w).day_of_week == 0 for w in weeks)
    mid_june = weekly[(weekly["outlet"] == "A") & (weekly["period"] == pd.Timestamp("2024-06-17"))]
    assert mid_june["count"].tolist() == [1] and mid_june["articles"].tolist() == [1]   # A2, 20 June
    yearly = term_trends(dated, "بوتين", period="year")
    assert yearly.set_index("outlet")["count"].to_dict() == {"A": 3, "B": 2}   # A4 undated: out


def test_bad_arguments_name_themselves(dated):
    with pytest.raises(ValueError, match="period"):
        term_trends(dated, "بوتين", period="quarter")
    with pytest.raises(ValueError, match="terms is empty"):
        term_trends(dated, [])
    with pytest.raises(ValueError, match="no word"):
        term_trends(dated, "،")
    with pytest.raises(ValueError, match="by='country'"):
        term_trends(dated, "بوتين", by="country")
    with pytest.raises(ValueError, match="corpus is empty"):
        term_trends(dated[dated["outlet"] == "Z"], "بوتين")
    with pytest.raises(ValueError, match="repeated ids"):
        term_trends(pd.concat([dated, dated]), "بوتين")
    with pytest.raises(ValueError, match="no article has a date"):
        term_trends(dated.assign(date=pd.NaT), "بوتين")


def test_dates_given_as_text_are_read():
    raw = pd.Series(["2024-06-19", "2024-07-01T10:30:00Z", "", None, "not a date"])
    dates = article_dates(pd.DataFrame({"date": raw}))
    assert dates.tolist()[:2] == [pd.Timestamp("2024-06-19"), pd.Timestamp("2024-07-01 10:30")]
    assert dates.isna().tolist() == [False, False, True, True, True]


def test_entity_trends_count_putin_by_hand(dated):
    # Vladimir Putin by reading: A1 2 (بوتين twice), A2 1 (لبوتين), B1 1, B2 1 (وبوتين); A4 undated
    trends = entity_trends(dated, entities=["Vladimir Putin"]).set_index(["outlet", "period"])
    assert list(trends.reset_index().columns) == ["outlet", "period", "entity", "entity_en", "count",
                                                  "per_1k", "articles", "share"]
    assert trends.loc[("A", pd.Timestamp("2024-06-01")), ["count", "articles"]].tolist() == [3, 2]
    assert trends.loc[("B", pd.Timestamp("2024-07-01")), ["count", "articles", "share"]].tolist() == [1, 1, 0.5]
    assert math.isnan(trends.loc[("A", pd.Timestamp("2024-07-01")), "share"])
    assert trends.attrs["undated_articles"] == 1


def test_daily_trends_on_saudinewsnet_match_an_independent_count(snn_sample_corpus):
    """On real dated articles: every dated article is in one (outlet, day) cell, and the counts
    equal a plain regex count of the word with an optional proclitic (not the polars path)."""
    from arabnews.text import PROCLITICS, normalize
    corpus = snn_sample_corpus
    daily = term_trends(corpus, "السعودية", period="day")
    totals = daily.attrs["totals"]
    assert totals["n_articles"].sum() + daily.attrs["undated_articles"] == len(corpus)
    days = sorted(daily["period"].unique())
    assert all((b - a) == pd.Timedelta(days=1) for a, b in zip(days, days[1:]))   # no day missing
    published = daily["share"].notna()
    assert daily.loc[published, "share"].between(0, 1).all()
    letters = "\u0621-\u063A\u0641-\u064A"
    # the word, a proclitic + the word, or ل + ال written لل (للسعودية = ل + السعودية)
    word = re.compile(f"(?<![{letters}])(?:(?:{'|'.join(PROCLITICS)})?السعودية|[وف]?للسعودية)(?![{letters}])")
    dated = corpus[article_dates(corpus).notna()]
    expected = {o: sum(len(word.findall(normalize(t))) for t in g["text"]) for o, g in dated.groupby("outlet")}
    assert daily.groupby("outlet")["count"].sum().to_dict() == expected
    assert sum(expected.values()) > 50
