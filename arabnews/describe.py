"""Corpus-true prose for the notebooks: sentences computed from the corpus at hand.

A notebook that runs on any corpus must not print what was true of the starter corpus. These
helpers turn a corpus (and its cleaning audit) into short markdown sentences (``describe_*``),
show them (``say``), and say so when a result is empty (``say_empty``) instead of showing bare
headers. Every value that comes from the data (outlet codes, names, file names) is escaped, so
article metadata cannot inject markup or markdown into a report.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from arabnews import CORPUS_DIR
from arabnews.checks import check_frame, check_int, check_str

__all__ = ["corpus_name", "is_starter_corpus", "describe_corpus", "describe_cleaning",
           "describe_dates", "corpus_sizes", "most_frequent", "say", "say_empty", "md_text", "md_code",
           "Unavailable", "TREND_MIN_PERIODS", "overall_top_terms",
           "describe_left_out", "suggest_period"]

STARTER_NAME = "the starter corpus (five articles on the Putin–Kim meetings)"
TREND_MIN_PERIODS = 8  # fewer distinct dates than this are shown as dates, not as a trend
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")


# --- names and safe text ------------------------------------------------------------------------
def md_text(value) -> str:
    """``value`` as markdown-safe text: HTML escaped, markdown punctuation backslashed, Arabic
    wrapped in an RTL span so it reads right to left inside English prose."""
    text = html.escape(MARKDOWN_SPECIALS.sub(r"\\\1", str(value)), quote=False)
    if ARABIC.search(text):
        return f'<span dir="rtl" lang="ar">{text}</span>'
    return text


def md_code(value) -> str:
    """``value`` as an inline markdown code span (HTML escaped; backticks cannot close it)."""
    return "`" + html.escape(str(value).replace("`", "'"), quote=False) + "`"


def is_starter_corpus(corpus: pd.DataFrame) -> bool:
    """True when ``corpus`` was loaded from the bundled ``corpus/`` folder (the five seeds)."""
    source = corpus.attrs.get("source")
    if not source:
        return False
    try:
        return Path(source).resolve() == CORPUS_DIR.resolve()
    except (OSError, ValueError):
        return False


def corpus_name(corpus: pd.DataFrame) -> str:
    """A human name for the corpus, never a local path: ``attrs["name"]``, else the stem of the
    file or folder it was read from, else ``"the corpus"``."""
    name = corpus.attrs.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    source = corpus.attrs.get("source")
    if source:
        path = Path(str(source))
        return (path.stem if path.suffix else path.name) or "the corpus"
    return "the corpus"


# --- sentences ----------------------------------------------------------------------------------
def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _date(value) -> str:
    return pd.Timestamp(value).strftime("%-d %B %Y")


def corpus_sizes(corpus: pd.DataFrame, counted: pd.DataFrame | None = None,
                 by: str = "outlet") -> pd.DataFrame:
    """``<by>, articles[, words]`` per group, largest first: how much text each group holds.

    ``counted`` adds ``words``: either ``article_lengths(corpus)`` (its ``words`` summed) or a
    ``tokens(corpus)`` table (its rows counted).
    """
    check_frame(corpus, [by], "corpus")
    sizes = corpus.groupby(by, sort=False).size().rename("articles")
    if counted is None:
        return sizes.sort_values(ascending=False).rename_axis(by).reset_index()
    check_frame(counted, [by], "counted")
    grouped = counted.groupby(by, sort=False)
    words = (grouped["words"].sum() if "words" in counted.columns else grouped.size()).rename("words")
    sizes = pd.concat([sizes, words], axis=1).fillna(0).astype("int64")
    return sizes.sort_values(["words", "articles"], ascending=False).rename_axis(by).reset_index()


def describe_corpus(corpus: pd.DataFrame) -> str:
    """Markdown: the corpus's name, number of articles and outlets, how they spread, its dates."""
    check_frame(corpus, ["outlet"], "corpus")
    name = STARTER_NAME if is_starter_corpus(corpus) else f"**{md_text(corpus_name(corpus))}**"
    n, per_outlet = len(corpus), corpus.outlet.value_counts()
    if n == 0:
        return f"This corpus, {name}, holds no articles, so there is nothing to analyse."
    sentences = [f"This report runs on {name}: {_plural(n, 'article')} from "
                 f"{_plural(len(per_outlet), 'outlet')}."]
    if len(per_outlet) > 1 and per_outlet.min() == per_outlet.max():
        sentences.append(f"Each outlet is represented by {_plural(int(per_outlet.iloc[0]), 'article')}.")
    elif len(per_outlet) > 1:
        shown = ", ".join(f"{md_text(o)} ({c:,})" for o, c in per_outlet.head(3).items())
        sentences.append(f"Outlets range from {_plural(int(per_outlet.min()), 'article')} to "
                         f"{per_outlet.max():,}; the largest are {shown}.")
    if "unknown" in per_outlet.index:
        sentences.append(f"{_plural(int(per_outlet['unknown']), 'article')} "
                         f"{'does' if per_outlet['unknown'] == 1 else 'do'} not say who published "
                         "it (outlet `unknown`).")
    sentences.append(describe_dates(corpus, trend_note=False))
    return " ".join(sentences)


def describe_dates(corpus: pd.DataFrame, *, trend_note: bool = True) -> str:
    """Markdown: the date range, the number of distinct days, articles without a date; with
    ``trend_note``, whether there are enough dates to speak of a trend at all."""
    check_frame(corpus, (), "corpus")
    if "date" not in corpus.columns or len(corpus) == 0:
        return "The articles carry no dates."
    dates = pd.to_datetime(corpus["date"], errors="coerce")
    known = dates.dropna()
    missing = len(dates) - len(known)
    if known.empty:
        return f"None of the {_plural(len(dates), 'article')} has a known date."
    days = known.dt.normalize().nunique()
    if days == 1:
        text = f"All dated articles are from {_date(known.min())}."
    else:
        text = (f"The dates run from {_date(known.min())} to {_date(known.max())}, "
                f"on {_plural(days, 'distinct day')}.")
    if missing:
        text += f" {_plural(missing, 'article')} {'has' if missing == 1 else 'have'} no known date."
    if trend_note:
        if days < TREND_MIN_PERIODS:
            text += (f" {_plural(days, 'date').capitalize()} {'is' if days == 1 else 'are'} not a "
                     "trend: the counts below are shown date by date, and no line is drawn "
                     "through them.")
        else:
            text += " That is enough dates to follow a word over time."
    return text


def describe_cleaning(corpus: pd.DataFrame, audit: pd.DataFrame | None = None) -> str:
    """Markdown: what cleaning removed (lines, articles touched, the rules that did most), or that
    it removed nothing. ``audit`` is ``cleaning_report(corpus)``."""
    check_frame(corpus, (), "corpus")
    if audit is None:
        from arabnews.cleaning import cleaning_report

        audit = cleaning_report(corpus)
    if len(audit) == 0:
        return ("Cleaning removed nothing from this corpus: no line matched a rule, so the "
                "analysis sees the text as it was loaded.")
    rules = audit["rule"].value_counts()
    touched = audit["id"].nunique() if "id" in audit.columns else None
    shown = ", ".join(f"{md_code(r)} ({c:,})" for r, c in rules.head(3).items())
    text = f"Cleaning removed {_plural(len(audit), 'line or fragment', 'lines or fragments')}"
    if touched is not None:
        text += f" from {int(touched):,} of the {_plural(len(corpus), 'article')}"
    return text + f", by {_plural(len(rules), 'rule')}; the most frequent: {shown}."


def most_frequent(values: pd.Series, what: str):
    """The most frequent value of ``values``, or an ``Unavailable`` saying the corpus has no
    ``what`` (so an exercise can say so instead of failing on an empty table)."""
    check_str(what, "what")
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series, got {type(values).__name__}")
    counts = values.dropna().value_counts()
    if counts.empty:
        return Unavailable(f"this corpus has no {what}")
    return counts.idxmax()


class Unavailable:
    """An exercise's expected answer when the corpus at hand lacks what the exercise needs."""

    def __init__(self, reason: str):
        self.reason = check_str(reason, "reason")

    def __repr__(self) -> str:
        return f"Unavailable({self.reason!r})"

    def __bool__(self) -> bool:
        return False


# --- showing ------------------------------------------------------------------------------------
def say(markdown: str) -> None:
    """Show ``markdown`` (a sentence from a ``describe_*`` helper) as rendered text, wherever the
    call is in a cell (it displays itself and returns nothing)."""
    from IPython.display import Markdown, display

    display(Markdown(check_str(markdown, "markdown")))


def say_empty(frame: pd.DataFrame, message: str, *, max_rows: int | None = 20, **show_options):
    """``frame`` as an RTL table (at most ``max_rows`` rows shown), or ``message`` when it is empty.

    An empty result then reads "nothing found" rather than a bare header.
    """
    check_frame(frame, (), "frame")
    check_str(message, "message")
    if len(frame) == 0:
        say(f"*{md_text(message)}*")
        return None
    from arabnews.display import show_rtl

    if max_rows is not None:
        check_int(max_rows, "max_rows", minimum=1)
        show_options["max_rows"] = max_rows
    return show_rtl(frame, **show_options)


def overall_top_terms(freqs: pd.DataFrame, n: int = 20, value: str = "count") -> list[str]:
    """The ``n`` terms with the largest ``value`` summed over all groups of a ``term_frequencies``
    table, largest first (ties in term order, so the list is the same on every run)."""
    check_frame(freqs, ["term", value], "freqs")
    n = check_int(n, "n", minimum=1)
    totals = freqs.groupby("term")[value].sum().reset_index()
    return totals.sort_values([value, "term"], ascending=[False, True]).term.head(n).tolist()


def describe_left_out(freqs: pd.DataFrame) -> str:
    """Markdown: what a ``term_frequencies`` table left out and how much (stopwords, rare terms,
    numbers, Latin words ...), from its attrs; or that nothing was left out."""
    check_frame(freqs, (), "freqs")
    parts = []
    removed = freqs.attrs.get("removed") or {}
    for key, label in (("stopword_tokens", "stopword"), ("below_min_count_tokens", "rare-term")):
        if removed.get(key):
            parts.append(f"{removed[key]:,} {label} tokens")
    for kind, n in (freqs.attrs.get("excluded_tokens") or {}).items():
        if n:
            parts.append(f"{int(n):,} {md_text(str(kind).replace('_', ' '))} tokens")
    if not parts:
        return "Nothing was left out of these counts."
    return "Left out of these counts (and counted here, not hidden): " + ", ".join(parts) + "."


PERIOD_FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}  # weeks from Monday


def suggest_period(corpus: pd.DataFrame, by: str = "outlet", min_articles: int = 10) -> str:
    """The finest period ("day", "week", "month", "year") at which a typical group has at least
    ``min_articles`` articles per period (the median over its dated periods), so a share of
    articles is not the noise of two or three articles; "year" when none qualifies."""
    check_frame(corpus, ["date", by], "corpus")
    min_articles = check_int(min_articles, "min_articles", minimum=1)
    dates = pd.to_datetime(corpus["date"], errors="coerce")
    dated = corpus.loc[dates.notna(), [by]].assign(date=dates[dates.notna()])
    for period, frequency in PERIOD_FREQUENCIES.items():
        if dated.empty:
            break
        per_cell = dated.groupby([by, dated["date"].dt.to_period(frequency)]).size()
        if per_cell.groupby(level=0).median().median() >= min_articles:
            return period
    return "year"
