"""Validation in one place (after scikit-learn): every public function checks its arguments here.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the argument, what was
given and what is allowed, so a user reads what to change. The script classes (which characters
are Arabic letters, Latin letters) and the word-list reader live here too, because every room
needs them and none should take them from another.
"""
from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from arabnews import DATA_DIR

__all__: list[str] = []   # internal room: helpers.py re-exports nothing from here

# --- script classes (one definition each) ------------------------------------------------------
# Arabic letters: hamza..ghain and feh..yeh, plus the extended (Persian/Urdu) letter block. The
# whole block U+0600-U+06FF is NOT used: it contains ، ؛ ؟ and would glue "بوتين،" into one token.
ARABIC_LETTER = "\u0621-\u063A\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF"
LATIN_LETTER = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF"
SCRIPTS = ("arabic", "latin", "number")


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


# --- arguments -----------------------------------------------------------------------------------
def check_choice(value: Any, choices: Iterable, name: str) -> Any:
    """``value`` if it is one of ``choices``; else a ValueError listing them."""
    choices = tuple(choices)
    try:
        ok = value in choices
    except TypeError:   # unhashable
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {_describe(value)}")
    return value


def check_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int (bools and strings refused) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {_describe(value)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = (f">= {minimum}" if maximum is None else
                  f"<= {maximum}" if minimum is None else f"from {minimum} to {maximum}")
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return value


def check_number(value: Any, name: str, *, minimum: float | None = None,
                 maximum: float | None = None) -> float:
    """``value`` as a float (bools and strings refused) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    value = float(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """``value`` if it is True or False (numpy bools accepted)."""
    if not isinstance(value, (bool,)) and type(value).__name__ != "bool_":
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_str(value: Any, name: str, *, empty: bool = False) -> str:
    """``value`` if it is a string (non-blank unless ``empty``)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_describe(value)}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_words(value: Any, name: str) -> tuple[str, ...]:
    """A list of words: None -> (), a list/set/tuple/Series of strings -> tuple.

    One string is refused (``stopwords="في من"`` would otherwise be read letter by letter, or
    not at all): the message says to pass a list.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of words, not one string: write "
                        f"{name}={value.split()!r} (or h.stopwords() for the standard list)")
    try:
        words = tuple(value)
    except TypeError:
        raise TypeError(f"{name} must be a list of words, got {_describe(value)}") from None
    bad = [w for w in words if not isinstance(w, str)]
    if bad:
        raise TypeError(f"{name} must contain only strings; found {_describe(bad[0])}")
    return words


def check_scripts(scripts: Any, name: str = "scripts") -> tuple[str, ...]:
    """Scripts to keep: one of or a list of ``SCRIPTS``."""
    scripts = (scripts,) if isinstance(scripts, str) else check_words(scripts, name)
    unknown = sorted(set(scripts) - set(SCRIPTS))
    if unknown:
        raise ValueError(f"unknown {name} {unknown}; choose from {SCRIPTS}")
    if not scripts:
        raise ValueError(f"{name} is empty; choose one or more of {SCRIPTS}")
    return scripts


# --- frames --------------------------------------------------------------------------------------
def check_frame(frame: Any, needed: Iterable[str] = (), name: str = "corpus") -> pd.DataFrame:
    """``frame`` if it is a pandas DataFrame with the ``needed`` columns; else a clear error."""
    if not isinstance(frame, pd.DataFrame):
        hint = ""
        if type(frame).__module__.startswith("dask"):
            hint = ("; this verb does not take a Dask corpus yet: use arabnews.cluster "
                    "(count_terms_dask, corpus_counts_dask) or a sample (ddf.sample(frac=0.01).compute())")
        raise TypeError(f"{name} must be a pandas DataFrame (from h.load_corpus()), got "
                        f"{type(frame).__name__}{hint}")
    return check_columns(frame, needed, name)


def check_columns(frame: Any, needed: Iterable[str], name: str = "corpus") -> Any:
    """``frame`` (pandas or Dask) if it has the ``needed`` columns; else a ValueError listing them."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(frame.columns)}")
    return frame


def check_column(frame: pd.DataFrame, column: Any, name: str = "by", frame_name: str = "corpus") -> str:
    """``column`` if it names a column of ``frame``; else a ValueError listing the columns."""
    if not isinstance(column, str) or column not in frame.columns:
        raise ValueError(f"{name}={column!r} is not a column of {frame_name}; choose from "
                         f"{[c for c in frame.columns if not str(c).startswith('_')]}")
    return column


def check_unique_ids(frame: pd.DataFrame, name: str = "corpus") -> pd.DataFrame:
    """Refuse a frame whose ``id`` values repeat (offsets and counts join on id)."""
    ids = frame["id"]
    if not ids.is_unique:
        repeated = ids[ids.duplicated()].astype(str).unique()[:5].tolist()
        raise ValueError(f"{name} has repeated ids {repeated}: each article needs its own id. "
                         f"After pd.concat of corpora, give new ids, e.g. "
                         f"{name}['id'] = {name}['file'] + ':' + {name}['id'].astype(str)")
    return frame


def check_corpus(corpus: Any, needed: Iterable[str] = ("id", "text"), name: str = "corpus",
                 unique_ids: bool = True) -> pd.DataFrame:
    """A corpus frame with the needed columns (and unique ids, when it has ids)."""
    frame = check_frame(corpus, needed, name)
    if unique_ids and "id" in frame.columns:
        check_unique_ids(frame, name)
    return frame


# --- data files ----------------------------------------------------------------------------------
def read_word_list(path: str | Path) -> list[str]:
    """Words of a plain data file, one per line; '#' comments and blank lines ignored.

    A bare file name is looked up in ``arabnews/data/``.
    """
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = DATA_DIR / path
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]
