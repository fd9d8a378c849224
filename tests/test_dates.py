"""Dates as printed on Arabic news sites -> pandas datetime (issue 11), and the ones left unknown."""
import warnings

import pandas as pd
import pytest

from arabnews.corpus import CorpusWarning, load_corpus, load_log
from arabnews.dates import parse_dates

ARTICLE = "عنوان تجريبي عن لقاء بوتين وكيم\nوقال بوتين إن روسيا ستدعم كوريا الشمالية دائما.\n"


def parse_one(text, **options):
    dates, problems = parse_dates(pd.Series([text]), **options)
    return dates.iloc[0], problems


@pytest.mark.parametrize("printed, expected", [
    ("2024-06-19", "2024-06-19"),
    ("2015-07-21 02:51:32", "2015-07-21 02:51:32"),            # SaudiNewsNet date_extracted
    ("2024-07-01T10:30:00Z", "2024-07-01 10:30:00"),           # UTC, tz dropped
    ("2024-07-01T10:30:00+03:00", "2024-07-01 07:30:00"),      # offset converted to UTC, tz dropped
    ("19 يونيو 2024", "2024-06-19"),
    ("19 يونيه 2024", "2024-06-19"),                           # Egyptian spelling
    ("3 حزيران 2024", "2024-06-03"),                           # Levantine month
    ("1 كانون الثاني 2024", "2024-01-01"),                     # two-word Levantine month
    ("5 تشرين الأول 2023", "2023-10-05"),
    ("19 يونيو/حزيران 2024", "2024-06-19"),                    # both names, as many sites print
    ("12 جويلية 2024", "2024-07-12"),                          # Maghrebi month
    ("١٢/٠٧/٢٠٢٤", "2024-07-12"),                              # Arabic-Indic digits, day first
    ("٣ حزيران ٢٠٢٤", "2024-06-03"),
    ("2024/7/20", "2024-07-20"),
    ("June 19, 2024", "2024-06-19"),
    ("19 June 2024", "2024-06-19"),
    ("الأحد 14 يوليو 2024", "2024-07-14"),                     # weekday in front
    ("الأربعاء، 19 يونيو 2024 - 10:30", "2024-06-19 10:30"),
    ("25/12/2023", "2023-12-25"),                              # day > 12: day first on its own evidence
    ("14th, September 2023 GMT", "2023-09-14"),                # seed 003's stated date (dateparser)
])
def test_each_printed_format(printed, expected):
    date, problems = parse_one(printed)
    assert date == pd.Timestamp(expected)
    assert problems.empty


@pytest.mark.parametrize("printed, problem", [
    ("أمس", "relative date"),
    ("منذ ساعتين", "relative date"),
    ("03/04/2024", "ambiguous day/month order"),
    ("2024-02-30", "not a real calendar date"),
    ("كلام ليس تاريخا", "not a date the loader can read"),
    ("12 رمضان 1445 هـ", "Hijri date"),
])
def test_unreadable_dates_are_nat_and_listed(printed, problem):
    date, problems = parse_one(printed)
    assert pd.isna(date)
    assert problems.problem.tolist() == [problems.problem.iloc[0]] and problem in problems.problem.iloc[0]
    assert problems.date_raw.tolist() == [printed] and problems["index"].tolist() == [0]


def test_unknown_is_nat_without_a_problem():
    dates, problems = parse_dates(pd.Series(["unknown", "", None, "غير معروف"]))
    assert dates.isna().all() and problems.empty


def test_relative_dates_with_a_reference_time():
    dates, problems = parse_dates(pd.Series(["أمس", "منذ ساعتين", "2024-06-19"]),
                                  reference=pd.Timestamp("2015-08-01 12:00"))
    assert dates.tolist() == [pd.Timestamp("2015-07-31 12:00"), pd.Timestamp("2015-08-01 10:00"),
                              pd.Timestamp("2024-06-19")]
    assert problems.empty


def test_corpus_evidence_resolves_ambiguous_numeric_dates():
    """03/04/2024 alone is ambiguous; beside 25/03/2024 the corpus writes day first."""
    dates, problems = parse_dates(pd.Series(["03/04/2024", "25/03/2024"]))
    assert dates.tolist() == [pd.Timestamp("2024-04-03"), pd.Timestamp("2024-03-25")] and problems.empty
    dates, _ = parse_dates(pd.Series(["03/04/2024", "12/25/2023"]))
    assert dates.tolist() == [pd.Timestamp("2024-03-04"), pd.Timestamp("2023-12-25")]
    dates, problems = parse_dates(pd.Series(["03/04/2024", "25/03/2024", "12/25/2023"]))
    assert pd.isna(dates[0]) and problems["index"].tolist() == [0]   # contradictory evidence


def test_column_is_datetime64_aligned_with_its_index():
    raw = pd.Series(["19 يونيو 2024", "unknown", "2024/7/20"], index=[10, 11, 12])
    dates, _ = parse_dates(raw)
    assert str(dates.dtype) == "datetime64[ns]" and dates.index.tolist() == [10, 11, 12]


def test_load_corpus_keeps_every_article_whatever_its_date(tmp_path):
    path = tmp_path / "dated.csv"
    printed = ["19 يونيو 2024", "3 حزيران 2024", "١٢/٠٧/٢٠٢٤", "أمس", "03/04/2024", "", "June 19, 2024"]
    pd.DataFrame({"text": [f"{ARTICLE}\nرقم {i}" for i in range(len(printed))], "outlet": "x",
                  "date": printed}).to_csv(path, index=False)
    with pytest.warns(CorpusWarning, match=r"dated\.csv: line 14 \(id dated\.csv:4\): date 'أمس': relative"):
        corpus = load_corpus(path)
    assert len(corpus) == len(printed)
    assert corpus.date_raw.tolist() == [*printed[:5], "unknown", printed[6]]
    assert corpus.date.tolist()[:3] == [pd.Timestamp("2024-06-19"), pd.Timestamp("2024-06-03"),
                                        pd.Timestamp("2024-07-12")]
    assert corpus.date[3:6].isna().all() and corpus.date[6] == pd.Timestamp("2024-06-19")
    log = load_log(corpus)
    dated = log[log.problem.str.startswith("date ")]
    assert dated.id.tolist() == ["dated.csv:4", "dated.csv:5"]
    assert dated.action.unique().tolist() == ["date left empty (NaT); article kept"]


def test_load_corpus_reference_date_dates_relative_dates(tmp_path):
    path = tmp_path / "rel.jsonl"
    path.write_text('{"text": "%s", "outlet": "x", "date": "أمس"}\n' % ARTICLE.replace("\n", "\\n"),
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus(path, reference_date="2015-08-01 12:00")
    assert corpus.date[0] == pd.Timestamp("2015-07-31 12:00")


def test_seed_dates_are_real_dates_and_keep_their_source():
    corpus = load_corpus().set_index("id")
    assert corpus.date.tolist() == [pd.Timestamp(d) for d in
                                    ("2024-06-19", "2025-09-03", "2024-06-19", "2023-09-14", "2024-06-19")]
    assert corpus.date_source.tolist() == ["inferred", "inferred", "inferred", "stated", "inferred"]


def test_reference_date_must_be_a_date():
    with pytest.raises(ValueError, match=r"reference_date must be a date and time .* got 'yesterday-ish'"):
        load_corpus(reference_date="yesterday-ish")
