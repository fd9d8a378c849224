"""Corpus loading: the bundled articles or a user's own, as one tidy frame, one row per article.

Input is untrusted. What the loader cannot use (a file in the wrong encoding, a malformed row, a
missing outlet, a repeated id, a path out of the corpus folder) stops loading with a
``CorpusError`` that names the file and line or row. What it can repair or must leave out (a
byte-order mark, line endings, HTML markup in a text field, outlet spellings folded, an empty
article excluded, a date it cannot read) is reported as a warning and recorded in
``corpus.attrs["load_log"]`` (see ``load_log``): nothing is dropped silently, and
``rows read = rows returned + rows logged as excluded``.

Formats (``readers``): a folder with ``metadata.csv`` and ``.txt``/``.html`` files; a folder or
``.zip`` of ``.json`` arrays (SaudiNewsNet as distributed; preset ``"saudinewsnet"`` detected from
its keys); a folder of ``.html`` pages; ``.csv``/``.jsonl``/``.json``/``.parquet`` tables.
Dates (``dates``) become ``datetime64`` with the printed text kept in ``date_raw``.
"""
from __future__ import annotations

import hashlib
import json
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from arabnews import CORPUS_DIR, DATA_DIR, PACKAGE_DIR, cache
from arabnews.checks import check_bool, check_choice, check_column, check_corpus, check_int
from arabnews.cleaning import clean_corpus
from arabnews.dates import parse_dates
from arabnews.readers import (HTML_SUFFIXES, JSON_SUFFIXES, METADATA_FILE, TABLE_SUFFIXES, CorpusError,
                              CorpusWarning, read_folder, read_html_folder, read_json_source, read_table,
                              record)
from arabnews.text import INVISIBLE, SPACES

__all__ = ["load_corpus", "load_log", "sample_corpus", "CorpusError", "CorpusWarning", "CORPUS_COLUMNS"]

METADATA_FIELDS = ["id", "file", "outlet", "outlet_name_ar", "outlet_name_en", "date", "date_raw",
                   "date_source", "title", "source_note"]
STATED_FIELDS = ["stated_source", "stated_date", "stated_byline"]
CORPUS_COLUMNS = [*METADATA_FIELDS, *STATED_FIELDS, "text", "raw_text", "n_removed_lines"]
TEXT_FIELDS = ["id", "outlet", "outlet_name_ar", "outlet_name_en", "date", "date_source", "title",
               "source_note", "text"]
LOG_COLUMNS = ["source", "problem", "action", "id"]
PRESETS = {
    "saudinewsnet": {"columns": {"source": "outlet", "content": "text", "date_extracted": "date"},
                     "detect": {"source", "content", "date_extracted"}, "date_source": "crawled"},
}
STATED_PATTERNS = {"stated_source": r"المصدر\s*:\s*", "stated_date": r"تاريخ النشر\s*:\s*",
                   "stated_byline": r"بواسطة\s+"}
HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|b|i|u|em|strong|script|style|img|ul|ol|li|h[1-6]|table|"
                      r"tr|td|th|iframe|html|body|head|meta|link|figure|figcaption|blockquote|section|"
                      r"article|header|footer|nav|font|center|hr|noscript|form|input|button)\b[^<>]*>",
                      re.IGNORECASE)
HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
INVISIBLE_RE = "[" + "".join(sorted(INVISIBLE)) + "\ufeff\u061c\u00ad\u2066-\u2069]"
SPACE_RE = "[\\s" + "".join(sorted(SPACES)) + "]+"
ARABIC_RE = "[\u0621-\u064A]"
NESTED = (dict, list, tuple, set, np.ndarray)


def _polars(values: pd.Series) -> pl.Series:
    """A text column as a polars Series: free for Arrow-backed text (``str``), one conversion for
    Python strings (object dtype)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return pl.from_pandas(values.reset_index(drop=True)).cast(pl.String).alias(str(values.name or ""))
    return pl.Series(str(values.name or ""), values.to_numpy(dtype=object), dtype=pl.String)


def _text_column(values: pl.Series):
    """A polars text Series as the corpus keeps long texts: pandas ``str`` backed by Arrow (no Python
    string per article; positional, to assign as a column)."""
    return values.to_pandas().array


# --- identity: name and fingerprint -----------------------------------------------------------------
def corpus_name(source: Path) -> str:
    """A human name for the corpus: the folder or file stem (never a path)."""
    return source.resolve().stem or source.resolve().name


def _input_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))


def input_fingerprint(source: Path, options: dict) -> str:
    """A short hex key for the corpus content and options: the input files' relative names, sizes
    and modification times, the loader options and the package's code and data files (so an edited
    cleaning rule gives a new key)."""
    digest = hashlib.blake2b(digest_size=8)
    base = source if source.is_dir() else source.parent
    for path in _input_files(source):
        stat = path.stat()
        digest.update(f"{path.relative_to(base)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in sorted([*DATA_DIR.glob("*"), *PACKAGE_DIR.rglob("*.py")]):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --- load_log rows ----------------------------------------------------------------------------------
def _log_rows(log: list[dict], sources, problems, action: str, ids=None, *, warn: bool = True) -> None:
    """One load_log row per article, and one warning that names the first and counts the rest."""
    sources = list(sources)
    problems = [problems] * len(sources) if isinstance(problems, str) else list(problems)
    ids = [""] * len(sources) if ids is None else [str(i) for i in ids]
    for source, problem, key in zip(sources, problems, ids):
        log.append({"source": source, "problem": problem, "action": action, "id": key})
    if warn and sources:
        more = f" (and {len(sources) - 1} more; see load_log)" if len(sources) > 1 else ""
        warnings.warn(f"{sources[0]}: {problems[0]}: {action}{more}", CorpusWarning, stacklevel=3)


def _examples(ids: pd.Series, k: int = 5) -> str:
    shown = ", ".join(map(str, ids.head(k)))
    return shown + (f" … ({len(ids)} in all)" if len(ids) > k else "")


# --- reading ------------------------------------------------------------------------------------------
def _read_source(source: Path, encoding: str | None, log: list[dict]) -> pd.DataFrame:
    """Whatever ``source`` is, as one raw frame (``_where``, ``_key``, ``file`` + input columns)."""
    if source.is_dir():
        if (source / METADATA_FILE).is_file():
            return read_folder(source, encoding, log)
        files = [p for p in sorted(source.iterdir()) if p.is_file() and not p.name.startswith(".")]
        json_files = [p for p in files if p.suffix.lower() in JSON_SUFFIXES]
        html_files = [p for p in files if p.suffix.lower() in HTML_SUFFIXES]
        if json_files:   # two threads: zip decompression releases the GIL
            with ThreadPoolExecutor(max_workers=2) as pool:
                frames = [f for part in pool.map(lambda p: read_json_source(p, encoding, log), json_files)
                          for f in part]
            ignored = [p.name for p in files if p not in json_files and p.name.lower() != "readme.md"]
            if ignored:
                record(log, str(source), f"file(s) that are not .json/.zip: {', '.join(ignored)}",
                       "ignored (not articles)")
            return _concat(frames, source)
        if html_files:
            pages = read_html_folder(html_files, encoding, log)
            record(log, str(source), f"{len(pages)} HTML page(s): main text extracted with trafilatura",
                   "markup kept in raw_html; outlet from og:site_name or the page domain", warn=False)
            return pages
        raise CorpusError(f"{source}: no {METADATA_FILE}. A corpus folder needs one row per text file "
                          f"with at least the columns id, file, outlet (see corpus/README.md), or "
                          f".json/.zip files of articles, or .html pages")
    suffix = source.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_table(source, encoding, log)
    if suffix in JSON_SUFFIXES:
        return _concat(read_json_source(source, encoding, log), source)
    if suffix in HTML_SUFFIXES:
        return read_html_folder([source], encoding, log)
    raise CorpusError(f"{source}: not a corpus: give a folder with {METADATA_FILE}, a folder or .zip "
                      f"of .json files, .html pages, or a {', '.join((*TABLE_SUFFIXES, '.json'))} file")


def _concat(frames: list[pd.DataFrame], source: Path) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        raise CorpusError(f"{source}: no articles (every JSON array is empty)")
    return pd.concat(frames, ignore_index=True, sort=False)


def _map_columns(frame: pd.DataFrame, columns: dict | None, preset: str | None, source: Path,
                 log: list[dict]) -> tuple[pd.DataFrame, str | None]:
    """Rename input columns to the corpus's (``columns=`` or a preset, detected from the keys)."""
    found = set(frame.columns)
    if preset is None and columns is None and "text" not in found:
        preset = next((name for name, p in PRESETS.items() if p["detect"] <= found), None)
        if preset:
            record(log, str(source), f"columns {', '.join(sorted(PRESETS[preset]['detect']))} found",
                   f"read with the preset {preset!r}", warn=False)
    mapping = dict(PRESETS[preset]["columns"]) if preset else {}
    mapping.update(columns or {})
    missing = [c for c in mapping if c not in found]
    if missing and columns:
        raise CorpusError(f"{source}: columns= names column(s) not in the input: {', '.join(missing)} "
                          f"(found: {', '.join(sorted(c for c in found if not c.startswith('_')))})")
    mapping = {k: v for k, v in mapping.items() if k in found}
    clash = [v for k, v in mapping.items() if v in found and v not in mapping]
    if clash:
        raise CorpusError(f"{source}: cannot rename to {', '.join(clash)}: the input already has that column")
    if mapping:
        record(log, str(source), "columns renamed", ", ".join(f"{k} -> {v}" for k, v in mapping.items()),
               warn=False)
    frame = frame.rename(columns=mapping)
    missing = [c for c in ("text", "outlet") if c not in frame.columns]
    if missing:
        found_names = ", ".join(c for c in frame.columns if not c.startswith("_"))
        raise CorpusError(f"{source}: missing column(s) {', '.join(missing)} (found: {found_names}); "
                          "rename with columns={'your_name': 'text', ...}")
    return frame, preset


# --- values: types, surrogates, markup, line endings ----------------------------------------------------
def _as_text(frame: pd.DataFrame, column: str, encoding: str | None, log: list[dict], source: Path) -> None:
    """Make ``column`` plain text; nested values refused in corpus fields, stored as JSON elsewhere."""
    values = frame[column]
    if isinstance(values.dtype, pd.StringDtype):   # the article text stays Arrow-backed (see _polars)
        frame[column] = values.fillna("") if column == "text" else values.fillna("").astype(object)
        return
    if values.dtype.kind in "Mm":
        frame[column] = values.astype("string").fillna("")
        return
    if values.dtype.kind not in "OSU" and not isinstance(values.dtype, pd.StringDtype):
        record(log, str(source), f"column {column!r} holds {values.dtype} values", "read as text", warn=False)
        frame[column] = values.astype("string").fillna("")
        return
    kinds = values.map(type)
    if (kinds == str).all():
        return
    nested = values.map(lambda v: isinstance(v, NESTED))
    if nested.any():
        first = frame["_where"][nested].iloc[0]
        if column in TEXT_FIELDS:
            raise CorpusError(f"{first}: column {column!r} holds a {type(values[nested].iloc[0]).__name__} "
                              f"({str(values[nested].iloc[0])[:60]!r}), not text; flatten it first")
        values = values.where(~nested, values[nested].map(
            lambda v: json.dumps(v.tolist() if isinstance(v, np.ndarray) else v, ensure_ascii=False, default=str)))
        record(log, str(source), f"column {column!r}: {int(nested.sum())} nested value(s) (lists/objects)",
               "stored as JSON text")
    binary = kinds.isin([bytes, bytearray, memoryview])
    if binary.any():
        try:
            values = values.where(~binary, values[binary].map(lambda b: bytes(b).decode(encoding or "utf-8")))
        except UnicodeDecodeError:
            where = frame["_where"][binary].iloc[0]
            if column in TEXT_FIELDS:
                raise CorpusError(f"{where}: column {column!r} holds binary data that is not "
                                  f"{encoding or 'UTF-8'} text") from None
            del frame[column]
            record(log, str(source), f"column {column!r} holds binary data (not text)", "column dropped")
            return
        record(log, str(source), f"column {column!r}: {int(binary.sum())} binary value(s)",
               f"decoded as {encoding or 'UTF-8'} text", warn=False)
    other = ~kinds.isin([str, type(None), bytes, bytearray, memoryview]) & ~nested
    other &= ~values.map(lambda v: isinstance(v, float) and v != v)
    if other.any() and column != "id":
        record(log, str(source), f"column {column!r}: {int(other.sum())} non-text value(s) "
               f"({', '.join(sorted({t.__name__ for t in kinds[other]}))})", "read as text", warn=False)
    text = values.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    frame[column] = text.astype(object)


def html_to_text(markup: str) -> str:
    """Text of an HTML fragment: tags out (script/style with their content), entities decoded,
    one line per block element."""
    import html as html_lib
    from lxml import etree
    from lxml import html as lxml_html

    if not HTML_TAG.search(markup):
        return html_lib.unescape(markup)
    markup = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", markup)   # not allowed in XML/HTML trees
    marked = re.sub(r"(?i)<(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|/figcaption|/section|/article)\b[^<>]*>",
                    lambda m: m.group(0) + "\n", markup)
    try:
        root = lxml_html.fragment_fromstring(marked, create_parent="div")
    except (etree.ParserError, ValueError):
        return html_lib.unescape(HTML_TAG.sub("", markup))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _repair_text(frame: pd.DataFrame, log: list[dict], source: Path) -> tuple[pd.DataFrame, pd.Series, pl.Series]:
    """HTML markup in a text field converted (markup kept in ``raw_html``); line endings normalised.
    Returns the frame without ``text``, which articles are empty and the texts as polars (one pass;
    the Python strings of the input are let go here)."""
    texts = _polars(frame["text"])
    text = pl.col("text")
    maybe_markup = text.str.contains("<", literal=True) | text.str.contains("&", literal=True)
    flags = pl.DataFrame({"text": texts}).select(
        markup=pl.when(maybe_markup).then(text.str.contains("(?i)" + HTML_TAG.pattern)
                                          | text.str.contains(HTML_ENTITY.pattern)).otherwise(False),
        breaks=pl.col("text").str.contains("[\r\u2028\u2029]"),
        empty=~pl.col("text").str.contains("\\S"))
    markup = pd.Series(flags["markup"].to_numpy(), index=frame.index)
    empty = pd.Series(flags["empty"].to_numpy(), index=frame.index)
    if "raw_html" in frame.columns:
        markup &= (frame["raw_html"].isna() | (frame["raw_html"] == "")).to_numpy()
    if markup.any():   # a few articles: lxml per article
        at = np.flatnonzero(markup.to_numpy())
        if "raw_html" not in frame.columns:
            frame["raw_html"] = np.full(len(frame), "", dtype=object)
        frame.loc[markup, "raw_html"] = frame.text[markup]
        converted = [html_to_text(t) for t in texts.gather(at).to_list()]
        texts = texts.scatter(at, pl.Series(converted, dtype=pl.String))
        empty[markup] = [not t.strip() for t in converted]
        _log_rows(log, frame["_where"][markup], "HTML markup in the text field",
                  "converted to text (tags out, entities decoded); markup kept in raw_html",
                  frame.id[markup])
    breaks = pd.Series(flags["breaks"].to_numpy(), index=frame.index)
    if breaks.any():
        texts = pl.select(pl.when(pl.lit(flags["breaks"])).then(
            texts.str.replace_all("\r\n|[\r\u2028\u2029]", "\n")).otherwise(texts)).to_series()
        record(log, str(source), f"{int(breaks.sum())} article(s) with CR, CRLF or U+2028/U+2029 line "
               f"breaks (ids {_examples(frame.id[breaks])})", "normalised to \\n before cleaning", warn=False)
    return frame.drop(columns="text"), empty, texts


# --- rows: ids, outlets, exclusions -------------------------------------------------------------------
def _ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Given ids (stripped; blank refused) or ids generated from the source (``news.jsonl:17``)."""
    if "id" not in frame.columns:
        frame["id"] = frame["_key"]
    frame["id"] = frame["id"].str.strip()
    blank = frame["id"] == ""
    if blank.any():
        raise CorpusError(f"{frame['_where'][blank].iloc[0]}: id is missing (give every row an id, "
                          "or leave the id column out to have ids generated from file and line)")
    repeated = frame["id"].duplicated(keep=False)
    if repeated.any():
        first_dup = frame[frame["id"].duplicated(keep="first")].iloc[0]
        first_at = frame["_where"][frame["id"] == first_dup["id"]].iloc[0]
        raise CorpusError(f"{first_dup['_where']}: duplicate id {first_dup['id']!r} (first at {first_at}); "
                          f"{int(frame['id'].duplicated().sum())} repeated id(s) in all")
    return frame


def _tidy_outlets(outlets: pd.Series) -> pd.Series:
    """Outlet names without invisible marks, with single spaces, stripped."""
    return outlets.str.replace(INVISIBLE_RE, "", regex=True).str.replace(SPACE_RE, " ", regex=True).str.strip()


def _check_outlets(frame: pd.DataFrame) -> None:
    blank = _tidy_outlets(frame["outlet"]) == ""
    if blank.any():
        row = frame[blank].iloc[0]
        raise CorpusError(f"{row['_where']} (id {row['id']}): outlet is missing; "
                          "write 'unknown' if the source is not known")


def _fold_outlets(frame: pd.DataFrame, log: list[dict], source: Path) -> pd.DataFrame:
    """Spellings of one outlet that differ only in case, invisible marks or spaces become one
    (the most frequent spelling), with a warning listing the merges."""
    tidy = _tidy_outlets(frame["outlet"])
    key = tidy.str.casefold()
    counts = pd.DataFrame({"key": key, "tidy": tidy}).value_counts(sort=False).reset_index(name="n")
    first_seen = {s: i for i, s in enumerate(pd.unique(tidy))}
    counts["order"] = counts.tidy.map(first_seen)
    canonical = counts.sort_values(["n", "order"], ascending=[False, True]).drop_duplicates("key") \
        .set_index("key").tidy
    folded = key.map(canonical)
    changed = folded != frame["outlet"]
    if changed.any():
        merges = []
        for target, originals in frame.outlet[changed].groupby(folded[changed]):
            spellings = sorted(set(originals) | ({target} if (frame.outlet == target).any() else set()))
            merges.append(f"{' / '.join(map(repr, spellings))} -> {target!r}")
            record(log, str(source), f"outlet spellings {', '.join(map(repr, spellings))} differ only in "
                   "case, invisible marks or spaces", f"folded to {target!r} ({len(originals)} article(s))",
                   warn=False)
        warnings.warn(f"{source}: outlet spellings folded: {'; '.join(merges)} (see load_log)",
                      CorpusWarning, stacklevel=3)
        frame["outlet"] = folded
    return frame


def _exclude_empty(frame: pd.DataFrame, texts: pl.Series, empty: pd.Series, log: list[dict],
                   source: Path) -> tuple[pd.DataFrame, pl.Series]:
    if empty.all():
        raise CorpusError(f"{source}: no article has any text ({len(frame)} row(s), all empty)")
    if not empty.any():
        return frame, texts
    _log_rows(log, frame["_where"][empty] + " (id " + frame.id[empty] + ", file " + frame.file[empty] + ")",
              "article text is empty", "excluded", frame.id[empty])
    return frame[~empty].reset_index(drop=True), texts.filter(pl.Series(~empty.to_numpy()))


def _flag_doubts(frame: pd.DataFrame, drop_duplicates: bool, log: list[dict]) -> pd.DataFrame:
    """Stated source/date/byline lines read; texts with no Arabic warned; exact duplicate texts
    warned, and dropped only if asked (one polars pass over the texts)."""
    raw = _polars(frame.raw_text)
    _stated_lines(frame, raw)
    label = frame.file + " (id " + frame.id + ")"
    no_arabic = pd.Series(~raw.str.contains(ARABIC_RE).to_numpy(), index=frame.index)
    _log_rows(log, label[no_arabic], "text has no Arabic letters", "kept; check the file", frame.id[no_arabic])
    repeat = pd.Series(~raw.is_first_distinct().to_numpy(), index=frame.index)
    if repeat.any():
        original = frame.id.groupby(raw.hash().to_numpy()).transform("first")
        action = ("dropped (drop_duplicates=True)" if drop_duplicates
                  else "kept (pass drop_duplicates=True to drop)")
        _log_rows(log, label[repeat], "exact duplicate of id " + original[repeat], action, frame.id[repeat])
    return frame[~repeat].reset_index(drop=True) if drop_duplicates else frame


def _stated_lines(frame: pd.DataFrame, raw: pl.Series) -> None:
    """``stated_source/date/byline``: the rest of the first line that starts with المصدر: etc."""
    for column, prefix in STATED_PATTERNS.items():
        keyword = prefix.split("\\")[0]
        candidates = raw.str.contains(keyword, literal=True).fill_null(False)
        found = pl.Series([""] * len(raw), dtype=pl.String).scatter(
            candidates.arg_true(),
            raw.filter(candidates).str.extract(f"(?m)^[ \\t]*{prefix}([^\\n]*?)[ \\t]*$", 1).fill_null(""))
        frame[column] = found.to_numpy().astype(object)


# --- columns: defaults, dates, cleaning --------------------------------------------------------------
def _fill_defaults(frame: pd.DataFrame, preset: str | None) -> pd.DataFrame:
    """Optional metadata: 'unknown' where not given (never guessed)."""
    for column in METADATA_FIELDS:
        if column not in frame.columns:
            frame[column] = np.full(len(frame), "", dtype=object)
        elif column != "id":
            frame[column] = frame[column].where(frame[column].notna(), "").astype(object).str.strip()
    if preset and PRESETS[preset].get("date_source"):
        frame.loc[frame.date_source == "", "date_source"] = PRESETS[preset]["date_source"]
    for column in ("date_source", "outlet_name_ar"):
        frame.loc[frame[column] == "", column] = "unknown"
    frame.loc[frame.outlet_name_en == "", "outlet_name_en"] = frame.outlet
    return frame


def _parse_date_column(frame: pd.DataFrame, reference, log: list[dict]) -> pd.DataFrame:
    frame["date_raw"] = frame["date"].where(frame["date"] != "", "unknown")
    refs = frame["date_reference"] if "date_reference" in frame.columns else reference
    dates, problems = parse_dates(frame["date_raw"], reference=refs)
    frame["date"] = dates
    if len(problems):
        rows = frame.loc[problems["index"]]
        _log_rows(log, rows["_where"] + " (id " + rows.id + ")",
                  [f"date {raw!r}: {why}" for raw, why in zip(problems.date_raw, problems.problem)],
                  "date left empty (NaT); article kept", rows.id)
    return frame


def _clean(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Cleaned ``text`` and ``n_removed_lines`` from ``raw_text`` (the one place cleaning is called:
    ``cleaning.clean_corpus``, one vectorised pass); returns the frame and the audit and captions
    (set as ``attrs`` last, so no pandas step on the way copies them)."""
    cleaned = clean_corpus(frame[["id", "outlet", "raw_text"]])
    frame["text"] = cleaned["text"].array
    frame["n_removed_lines"] = cleaned["n_removed_lines"].to_numpy()
    return frame, {name: cleaned.attrs[name] for name in ("cleaning_audit", "captions") if name in cleaned.attrs}


def _add_text_columns(frame: pd.DataFrame, clean: bool, log: list[dict]) -> tuple[pd.DataFrame, dict]:
    attrs = {}
    if clean:
        frame, attrs = _clean(frame)
    else:
        frame["text"] = frame.raw_text.astype(object).str.strip()   # Python's idea of whitespace, as before
        frame["n_removed_lines"] = 0
    emptied = frame.text == ""
    _log_rows(log, frame.file[emptied] + " (id " + frame.id[emptied] + ")",
              "cleaning removed every line of the article", "kept with empty text; see cleaning_report",
              frame.id[emptied])
    no_title = frame.title == ""
    if no_title.any():   # the first line of the text (polars: no copy of the rest of each text)
        first = _polars(frame.text[no_title]).str.extract(r"^([^\n]*)", 1).fill_null("")
        frame.loc[no_title, "title"] = first.to_numpy().astype(object)
    return frame, attrs


def _order_columns(frame: pd.DataFrame) -> pd.DataFrame:
    extra = [c for c in frame.columns if c not in CORPUS_COLUMNS and not c.startswith("_")]
    return frame[[*CORPUS_COLUMNS, *extra]].reset_index(drop=True)


# --- public API -----------------------------------------------------------------------------------------
def load_corpus(path: str | Path | None = None, *, clean: bool = True, encoding: str | None = None,
                drop_duplicates: bool = False, columns: dict[str, str] | None = None,
                preset: str | None = None, reference_date=None, engine: str = "pandas"):
    """Load articles into a frame, one row per article (``CORPUS_COLUMNS``, then extra input columns).

    ``path``: None (the bundled corpus), a folder with ``metadata.csv``, a folder or ``.zip`` of
    ``.json`` arrays (SaudiNewsNet), a folder of ``.html`` pages, or a ``.csv``/``.jsonl``/
    ``.json``/``.parquet`` table with ``text`` and ``outlet`` columns (or ``columns=`` mapping
    input names to them, e.g. ``{"content": "text"}``; ``preset="saudinewsnet"``). ``text`` is the
    cleaned article (``clean=False``: not cleaned); ``raw_text`` the article as read (line endings
    normalised, HTML converted to text; markup in ``raw_html``). ``date`` is datetime64 (NaT where
    unknown), ``date_raw`` as printed; ``reference_date`` dates relative dates such as ``أمس``.
    ``encoding`` applies to every file, ``metadata.csv`` included. With ``ARABNEWS_CACHE_DIR`` set
    the result is cached (keyed by ``attrs["fingerprint"]``). ``engine="dask"``: a lazy Dask corpus
    of Parquet shards (a path, glob or Dask DataFrame), cleaned per partition
    (``arabnews.cluster.load_corpus_dask``; needs ``requirements-dask.txt``).
    """
    check_choice(engine, ("pandas", "dask"), "engine")
    if engine == "dask":
        from arabnews.cluster import load_corpus_dask   # optional extra: imported only when asked
        if columns is not None:
            raise ValueError("columns= renames input columns with engine='pandas'; for a Dask corpus "
                             "rename first: load_corpus(ddf.rename(columns={...}), engine='dask')")
        return load_corpus_dask(path, clean=clean)
    check_bool(clean, "clean")
    check_bool(drop_duplicates, "drop_duplicates")
    if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
        raise TypeError(f"encoding must be a codec name such as 'utf-8' or 'cp1256', got {encoding!r}")
    if preset is not None:
        check_choice(preset, PRESETS, "preset")
    if columns is not None and (not isinstance(columns, dict) or
                                not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())):
        raise TypeError(f"columns must map input column names to corpus names, e.g. "
                        f"{{'content': 'text', 'source': 'outlet'}}; got {columns!r}")
    if reference_date is not None:
        try:
            reference_date = pd.Timestamp(reference_date)
        except (TypeError, ValueError):
            raise ValueError(f"reference_date must be a date and time such as '2015-08-01 12:00' (the "
                             f"time relative dates count from), got {reference_date!r}") from None
        if pd.isna(reference_date):
            raise ValueError("reference_date must be a date and time, got NaT")
        reference_date = reference_date.tz_convert("UTC").tz_localize(None) if reference_date.tz else reference_date
    source = Path(path) if path is not None else CORPUS_DIR
    if not source.exists():
        raise CorpusError(f"{source}: no such file or folder")
    options = {"clean": clean, "encoding": encoding, "drop_duplicates": drop_duplicates, "columns": columns,
               "preset": preset, "reference_date": str(reference_date)}
    fingerprint = input_fingerprint(source, options)
    cached = cache.load("corpus", fingerprint) if cache.enabled() else None
    if cached is not None:
        # a plain fact, not a warning: the first load of this run warned about each load_log row
        cached.attrs.update({"source": str(source), "name": corpus_name(source),
                             "cache": {"entry": f"corpus/{fingerprint}.parquet", "load_log_rows":
                                       len(cached.attrs.get("load_log", []))}})
        return cached
    log: list[dict] = []
    frame = _read_source(source, encoding, log)
    frame, preset = _map_columns(frame, columns, preset, source, log)
    frame["_where"] = frame["_where"].astype(str)
    for column in [c for c in frame.columns if not c.startswith("_") and c not in ("raw_html",)]:
        _as_text(frame, column, encoding, log, source)
    frame = _ids(frame)
    frame, empty, texts = _repair_text(frame, log, source)
    frame, texts = _exclude_empty(frame, texts, empty, log, source)
    _check_outlets(frame)
    frame = _fold_outlets(frame, log, source)
    frame["raw_text"] = _text_column(texts)
    del texts
    frame = _fill_defaults(frame, preset)
    frame = _parse_date_column(frame, reference_date, log)
    frame = _flag_doubts(frame, drop_duplicates, log)
    frame, cleaning_attrs = _add_text_columns(frame, clean, log)
    frame = _order_columns(frame)
    frame.attrs.update({**cleaning_attrs, "source": str(source), "name": corpus_name(source),
                        "fingerprint": fingerprint, "preset": preset or "", "load_log": cache.by_reference(log)})
    if cache.enabled():
        cache.save("corpus", fingerprint, frame)
    return frame


def load_log(corpus: pd.DataFrame) -> pd.DataFrame:
    """Repairs and exclusions made while loading ``corpus``: ``source, problem, action, id``
    (``id`` is the article's where the row is about one article, else blank)."""
    rows = [{**{c: "" for c in LOG_COLUMNS}, **row} for row in corpus.attrs.get("load_log", [])]
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def _allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Articles per group: proportional to size (largest remainder), at least 1, at most all."""
    quota = sizes / sizes.sum() * n
    take = np.minimum(np.maximum(np.floor(quota), 1), sizes).astype(int)
    spare = n - int(take.sum())
    if spare > 0:
        room = (sizes - take) > 0
        order = (quota - np.floor(quota))[room].sort_values(ascending=False, kind="stable").index
        for group in list(order)[:spare]:
            take[group] += 1
    return take


def sample_corpus(corpus: pd.DataFrame, n: int = 1000, by: str = "outlet", seed: int = 0) -> pd.DataFrame:
    """A deterministic stratified sample of about ``n`` articles: each ``by`` group in proportion to
    its size, at least one article each (so more than ``n`` when groups outnumber ``n``), in corpus
    order. The sample is recorded in ``load_log`` and ``attrs["sample"]``; the fingerprint changes."""
    corpus = check_corpus(corpus, ("id",))
    check_column(corpus, by, "by")
    check_int(n, "n", minimum=1)
    check_int(seed, "seed", minimum=0)
    sizes = corpus[by].value_counts(sort=False)
    if n >= len(corpus):
        out = corpus.copy()
        action = f"all {len(corpus)} articles kept (n={n} is not smaller than the corpus)"
    else:
        take = _allocate(sizes, n)
        rank = pd.Series(np.random.default_rng(seed).random(len(corpus)), index=corpus.index) \
            .groupby(corpus[by].to_numpy()).rank(method="first")
        out = corpus[rank <= corpus[by].map(take).to_numpy()].copy()
        action = (f"kept {len(out)} of {len(corpus)} articles, {by} groups in proportion, at least 1 each "
                  f"({len(sizes)} groups; seed={seed})")
    name = corpus.attrs.get("name", "corpus")
    out.attrs = {**corpus.attrs, "load_log": [*corpus.attrs.get("load_log", []),
                 {"source": name, "problem": f"stratified sample (n={n}, by={by!r})", "action": action, "id": ""}],
                 "sample": {"n": n, "by": by, "seed": seed, "rows": len(out), "of": len(corpus)}}
    digest = hashlib.blake2b(f"{corpus.attrs.get('fingerprint', '')}|{n}|{by}|{seed}".encode(), digest_size=8)
    out.attrs["fingerprint"] = digest.hexdigest()
    return out.reset_index(drop=True)
