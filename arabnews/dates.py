"""Publication dates as printed on Arabic news sites, read into real dates (pandas datetime64).

Each distinct string is parsed once. ISO dates (``2024-06-19``, ``2015-07-21 02:51:32``,
``2024-07-01T10:30:00Z``) take a vectorised pandas path. Others are read with the month and
weekday table ``arabnews/data/date_words.csv`` (Egyptian/Gulf, Levantine/Iraqi, Maghrebi and
English month names, Arabic-Indic digits), then, for what that misses, by ``dateparser``
(offline). Time zones: a stated offset (``Z``, ``+03:00``) is converted to UTC and dropped, so the
column is tz-naive throughout; a date with no offset is kept as printed.

No date is guessed: a relative date (``أمس``, ``منذ ساعتين``) has no date unless a reference time
is given; ``03/04/2024`` is ambiguous unless the corpus writes other numeric dates day first (or
in Arabic-Indic digits, which Arab sites write day first). Every such string is returned as a
problem for the loader's ``load_log``; the article itself is always kept.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from arabnews import DATA_DIR
from arabnews.text import normalize

__all__ = ["parse_dates", "date_words", "UNKNOWN_DATES"]

UNKNOWN_DATES = frozenset({"", "unknown", "غير معروف", "nan", "none", "nat", "null", "n/a"})
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                    r"(?:Z|[+-]\d{2}:?\d{2})?$")
INDIC_DIGITS = re.compile("[\u0660-\u0669\u06F0-\u06F9]")
TIME = r"(?:\s*(?:[T ]|,|،|-)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|ص|م)?)?"
ORDINAL = r"(?:st|nd|rd|th)?"
NUMERIC_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})" + TIME + "$")
NUMERIC_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})" + TIME + "$")
NAMED_DMY = re.compile(r"^(\d{1,2})" + ORDINAL + r"\s+M(\d{1,2})\s+(\d{4})" + TIME + "$")
NAMED_MDY = re.compile(r"^M(\d{1,2})\s+(\d{1,2})" + ORDINAL + r"\s+(\d{4})" + TIME + "$")
NAMED_YMD = re.compile(r"^(\d{4})\s+M(\d{1,2})\s+(\d{1,2})" + TIME + "$")
HIJRI = re.compile(r"\d\s*هـ|هجري|(?:محرم|صفر|ربيع|جمادى|رجب|شعبان|رمضان|شوال|ذو القعدة|ذو الحجة)")
YEAR = re.compile(r"\b\d{4}\b")


# --- the word table ---------------------------------------------------------------------------------
def _fold(word: str) -> str:
    return normalize(word).casefold()


@lru_cache(maxsize=1)
def date_words() -> pd.DataFrame:
    """The month, weekday and relative-date words (``arabnews/data/date_words.csv``)."""
    with open(DATA_DIR / "date_words.csv", encoding="utf-8", newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


@lru_cache(maxsize=1)
def _word_patterns() -> tuple[re.Pattern, dict[str, int], re.Pattern, re.Pattern]:
    words = date_words()
    months = {_fold(w): int(v) for w, v in words.loc[words.kind == "month", ["word", "value"]].values}
    def alternation(items):
        return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True))
    month_re = re.compile(rf"(?<![^\W\d_])(?:[وب]?)({alternation(months)})(?:\s*/\s*(?:{alternation(months)}))?"
                          r"(?![^\W\d_])")
    weekday_re = re.compile(rf"(?<![^\W\d_])(?:يوم\s+)?({alternation(_fold(w) for w in words.word[words.kind == 'weekday'])})"
                            r"(?![^\W\d_])\.?")
    relative_re = re.compile(rf"(?<![^\W\d_])({alternation(_fold(w) for w in words.word[words.kind == 'relative'])})"
                             r"(?![^\W\d_])")
    return month_re, months, weekday_re, relative_re


def _prepare(text: str) -> str:
    """Fold letters and digits, drop weekdays, 'GMT', the 'م' after a year and stray punctuation;
    month names become ``M<number>``."""
    month_re, months, weekday_re, _ = _word_patterns()
    folded = _fold(text)
    folded = weekday_re.sub(" ", folded)
    folded = re.sub(r"\b(?:gmt|utc)\b|(?<=\d{4})\s*م(?![^\W\d_])", " ", folded)
    folded = month_re.sub(lambda m: f" M{months[m.group(1)]} ", folded)
    folded = re.sub(r"(?<=\D)[,،](?=\s|\d)|^\W+|[\W_]+$", " ", folded)
    return re.sub(r"\s+", " ", folded).strip(" ،,-")


# --- one string -----------------------------------------------------------------------------------
def _stamp(year, month, day, match: re.Match, first_time_group: int):
    hour, minute, second, ampm = match.groups()[first_time_group - 1:first_time_group + 3]
    hour = int(hour or 0)
    if ampm in ("pm", "م") and hour < 12:
        hour += 12
    elif ampm in ("am", "ص") and hour == 12:
        hour = 0
    try:
        return pd.Timestamp(int(year), int(month), int(day), hour, int(minute or 0), int(second or 0))
    except ValueError:
        return None


def _numeric_order(first: int, second: int, indic: bool) -> str:
    """'dmy', 'mdy' or 'ambiguous' for a ``dd/dd/yyyy`` date, on its own evidence."""
    if first > 12 >= second or first == second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    if first > 12 and second > 12:
        return "invalid"
    return "dmy" if indic else "ambiguous"


def _parse_one(text: str, day_first: bool | None):
    """``(Timestamp or None, problem or None)`` for one printed date."""
    if HIJRI.search(text):
        return None, "Hijri date (not converted)"
    prepared = _prepare(text)
    indic = bool(INDIC_DIGITS.search(text))
    if match := NUMERIC_YMD.match(prepared):
        stamp = _stamp(match[1], match[2], match[3], match, 4)
        return stamp, None if stamp is not None else "not a real calendar date"
    if match := NUMERIC_DMY.match(prepared):
        first, second = int(match[1]), int(match[2])
        order = _numeric_order(first, second, indic)
        if order == "ambiguous" and day_first is not None:
            order = "dmy" if day_first else "mdy"
        if order == "ambiguous":
            return None, "ambiguous day/month order (no day-first evidence in the corpus)"
        day, month = (first, second) if order == "dmy" else (second, first)
        stamp = None if order == "invalid" else _stamp(match[3], month, day, match, 4)
        return stamp, None if stamp is not None else "not a real calendar date"
    for pattern, order in ((NAMED_DMY, "dmy"), (NAMED_MDY, "mdy"), (NAMED_YMD, "ymd")):
        if match := pattern.match(prepared):
            parts = {"dmy": (3, 2, 1), "mdy": (3, 1, 2), "ymd": (1, 2, 3)}[order]
            stamp = _stamp(*(match[i] for i in parts), match, 4)
            return stamp, None if stamp is not None else "not a real calendar date"
    if _word_patterns()[3].search(_fold(text)) and not YEAR.search(prepared):
        return None, "relative date (no reference time given)"
    return _dateparser(text)


def _dateparser(text: str, reference: pd.Timestamp | None = None):
    import dateparser   # slow to import; only needed for the rare formats the table misses

    settings = {"RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC", "DATE_ORDER": "DMY",
                "PREFER_DATES_FROM": "past"}
    if reference is None:
        settings.update({"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    else:
        settings["RELATIVE_BASE"] = reference.to_pydatetime()
    try:
        found = dateparser.parse(text, languages=["ar", "en"], settings=settings)
    except Exception:   # dateparser raises assorted errors on odd input; treat as unreadable
        found = None
    if found is None:
        return None, "not a date the loader can read"
    return pd.Timestamp(found).tz_convert("UTC").tz_localize(None), None


def _day_first_evidence(strings) -> bool | None:
    """True/False when the corpus's unambiguous numeric dates all put the day (or month) first."""
    orders = set()
    for text in strings:
        match = NUMERIC_DMY.match(_prepare(text))
        if match:
            order = _numeric_order(int(match[1]), int(match[2]), indic=False)   # values only
            if order in ("dmy", "mdy") and int(match[1]) != int(match[2]):
                orders.add(order)
    return {frozenset({"dmy"}): True, frozenset({"mdy"}): False}.get(frozenset(orders))


# --- a column -------------------------------------------------------------------------------------
def parse_dates(raw: pd.Series, *, reference=None) -> tuple[pd.Series, pd.DataFrame]:
    """Parse a column of printed dates: ``(dates, problems)``.

    ``dates`` is ``datetime64[ns]`` (tz-naive; NaT where unknown or unreadable), aligned with
    ``raw``. ``problems`` has one row per unreadable or ambiguous value: ``index`` (of ``raw``),
    ``date_raw``, ``problem``. Blank and 'unknown' values are NaT without a problem (the date is
    known to be unknown). ``reference`` (a timestamp, or a Series aligned with ``raw``) is the
    time relative dates are counted from (a crawl time); without it they stay NaT.
    """
    text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip()
    codes, uniques = pd.factorize(text)            # each distinct string is parsed once
    uniques = pd.Index(uniques, dtype=object)
    blank = uniques.str.casefold().isin(UNKNOWN_DATES)
    stamps = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    problems: dict[str, str] = {}
    iso = ~blank & uniques.str.match(ISO_RE.pattern)
    if iso.any():
        parsed = pd.to_datetime(uniques[iso], format="ISO8601", utc=True, errors="coerce").tz_localize(None)
        stamps[iso] = parsed.to_numpy()
        problems.update(dict.fromkeys(uniques[iso][parsed.isna()], "not a real calendar date"))
    rest = np.flatnonzero(~blank & ~iso)
    day_first = _day_first_evidence(uniques[rest])
    for position in rest:
        stamp, problem = _parse_one(uniques[position], day_first)
        if stamp is not None:
            stamps[position] = stamp.to_datetime64()
        if problem:
            problems[uniques[position]] = problem
    dates = pd.Series(stamps[codes] if len(uniques) else np.full(len(text), np.datetime64("NaT"), "datetime64[ns]"),
                      index=text.index, dtype="datetime64[ns]")
    if reference is not None:
        dates = _resolve_relative(text, dates, problems, reference)
    bad = text.isin(list(problems)) & dates.isna()
    table = pd.DataFrame({"index": text.index[bad], "date_raw": text[bad].to_numpy(),
                          "problem": text[bad].map(problems).to_numpy()})
    return dates, table


def _resolve_relative(text: pd.Series, dates: pd.Series, problems: dict, reference) -> pd.Series:
    """Relative dates counted from ``reference`` (one time, or one per row)."""
    relative = text.map(lambda s: problems.get(s, "").startswith("relative"))
    refs = reference if isinstance(reference, pd.Series) else pd.Series(reference, index=text.index)
    refs = pd.to_datetime(refs, errors="coerce")
    dates = dates.copy()
    for index in text.index[relative & refs.notna()]:
        stamp, _ = _dateparser(text[index], pd.Timestamp(refs[index]))
        dates[index] = stamp if stamp is not None else pd.NaT
    return dates
