"""Readers: each input format as a raw frame, one row per article, columns as the input names them.

Every reader adds ``_where`` (where the row came from, for messages: ``news.jsonl: line 17``),
``_key`` (the source part of a generated id: ``news.jsonl:17``, ``2015-07-21.zip/2015-07-21.json:17``
with the 0-based index into a JSON array) and ``file``. Every failure is a ``CorpusError`` naming
the file and line or row; repairs go to ``log`` (see ``corpus.record``). Column mapping, checks and
cleaning are the loader's (``arabnews.corpus``); readers only read.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from arabnews.checks import ARABIC_LETTER

__all__ = ["CorpusError", "CorpusWarning", "record", "decode", "read_table", "read_json_source",
           "read_html_file", "read_folder", "TABLE_SUFFIXES", "JSON_SUFFIXES", "HTML_SUFFIXES",
           "TEXT_SUFFIXES", "METADATA_FILE"]

METADATA_FILE = "metadata.csv"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
JSON_SUFFIXES = (".json", ".zip")
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", *HTML_SUFFIXES)
UTF8_BOM = b"\xef\xbb\xbf"
ARABIC_RE = re.compile(f"[{ARABIC_LETTER}]")


class CorpusError(ValueError):
    """Input the loader cannot use; the message names the file (and line/row) and the problem."""


class CorpusWarning(UserWarning):
    """A repair or a doubt about the input that loading reports but does not stop for."""


def record(log: list[dict], source: str, problem: str, action: str, *, warn: bool = True) -> None:
    """Note a repair or exclusion in ``log`` (a ``load_log`` row), and say it out loud."""
    log.append({"source": source, "problem": problem, "action": action})
    if warn:
        warnings.warn(f"{source}: {problem}: {action}", CorpusWarning, stacklevel=4)


# --- bytes to text ------------------------------------------------------------------------------
def _arabic_share(text: str) -> float:
    """Share of Arabic letters among the non-ASCII letters (metadata is mostly ASCII)."""
    letters = sum(ch.isalpha() and not ch.isascii() for ch in text)
    return len(ARABIC_RE.findall(text)) / letters if letters else 0.0


def decode(data: bytes, name: str, encoding: str | None, log: list[dict]) -> str:
    """Bytes to text: UTF-8 (BOM repaired and reported) unless ``encoding`` says otherwise."""
    if encoding:
        if data.startswith(UTF8_BOM) and encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
            data = data[len(UTF8_BOM):]
            record(log, name, "UTF-8 byte-order mark at the start", "removed (repair)")
        try:
            return data.decode(encoding)
        except LookupError:
            raise CorpusError(f"{name}: unknown encoding {encoding!r} (try 'utf-8', 'cp1256' or 'utf-16')") from None
        except UnicodeDecodeError as err:
            raise CorpusError(f"{name}: cannot be read as {encoding!r} (byte offset {err.start}): {err.reason}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(f"{name}: file is UTF-16 (byte-order mark found); pass encoding='utf-16' "
                          "or re-save it as UTF-8")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
        record(log, name, "UTF-8 byte-order mark at the start", "removed (repair)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        hint = ""
        if _arabic_share(data.decode("cp1256", errors="replace")) > 0.5:
            hint = " It looks like Windows-1256 Arabic: pass encoding='cp1256' or re-save it as UTF-8."
        raise CorpusError(f"{name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
                          f"{err.start}).{hint}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot be read ({err.strerror or err})") from None


# --- tables ---------------------------------------------------------------------------------------
@contextmanager
def _long_csv_fields():
    """Let the csv module read fields of any length (a long article is over 131,072 characters)."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_csv_rows(path: Path, encoding: str | None, log: list[dict], *, what: str = "table") -> pd.DataFrame:
    """CSV rows; a row with the wrong number of fields is an error naming its line."""
    text = decode(_read_bytes(path), str(path), encoding, log)
    if text.count("\x00") > len(text) // 10:   # UTF-16 without a byte-order mark, or binary
        raise CorpusError(f"{path}: contains NUL bytes: a binary file or the wrong encoding "
                          "(pass encoding='utf-16' if it was saved as UTF-16)")
    rows, wheres, numbers = [], [], []
    with _long_csv_fields():
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise CorpusError(f"{path}: file is empty (no header row)")
            header = [h.strip() for h in header]
            if len(set(header)) != len(header):
                repeated = sorted({h for h in header if header.count(h) > 1})
                raise CorpusError(f"{path}: line 1: column name(s) repeated: {', '.join(repeated)}")
            start = reader.line_num + 1
            for fields in reader:
                line, start = start, reader.line_num + 1   # a record may span lines: name its first
                if not fields:   # a blank line holds no record (a row of empty fields is a row)
                    continue
                if len(fields) != len(header):
                    raise CorpusError(f"{path}: line {line}: expected {len(header)} fields "
                                      f"({', '.join(header)}), found {len(fields)}")
                rows.append(fields)
                wheres.append(f"{path}: line {line}")
                numbers.append(len(rows))
        except csv.Error as err:
            raise CorpusError(f"{path}: line {reader.line_num}: not valid CSV ({err})") from None
    if not rows:
        raise CorpusError(f"{path}: no rows (only a header: {', '.join(header)}); "
                          f"a {what} needs one row per article")
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame["_where"] = wheres
    frame["_key"] = [f"{path.name}:{n}" for n in numbers]
    return frame


SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
SURROGATE_ESCAPE_BYTES = re.compile(SURROGATE_ESCAPE.pattern.encode())


def _plain_json(data: bytes, encoding: str | None, lines: bool) -> pd.DataFrame | None:
    """Plain input parsed in polars (no Python object per record): UTF-8 without a byte-order mark,
    no escaped surrogate, (JSON lines) one record on every line (so line numbers agree), every field
    text or null. None otherwise: the careful Python reader then repairs or names the problem."""
    import polars as pl

    if (encoding and encoding.lower().replace("-", "").replace("_", "") != "utf8") or data.startswith(UTF8_BOM):
        return None
    if SURROGATE_ESCAPE_BYTES.search(data):
        return None
    if lines:
        n_lines = data.count(b"\n") + (not data.endswith(b"\n"))
        if b"\r" in data:   # CR line breaks: the careful reader's numbering
            return None
    elif not data.lstrip().startswith(b"[") or data.strip() == b"[]":
        return None
    try:
        table = pl.read_ndjson(io.BytesIO(data), infer_schema_length=None) if lines else \
            pl.read_json(io.BytesIO(data), infer_schema_length=None)
    except Exception:   # any parse problem: the careful reader names it
        return None
    if table.height == 0 or not all(t in (pl.String, pl.Null) for t in table.schema.values()):
        return None
    if lines and table.height != n_lines:   # a blank line: numbered as the careful reader numbers it
        return None
    return table.with_columns(pl.col(pl.Null).cast(pl.String)).to_pandas()


def _refuse_surrogates(item, where: str) -> None:
    """A lone surrogate (a broken ``\\ud800`` escape) is not text: refuse it, naming the record."""
    try:
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise CorpusError(f"{where}: holds a lone surrogate (a broken UTF-16 escape such as \\ud800), "
                          "which is not valid Unicode text; fix or remove it in the source") from None


def _read_jsonl(path: Path, encoding: str | None, log: list[dict]) -> pd.DataFrame:
    data = _read_bytes(path)
    frame = _plain_json(data, encoding, lines=True)
    if frame is not None:
        numbers = range(1, len(frame) + 1)
        frame["_where"] = [f"{path}: line {n}" for n in numbers]
        frame["_key"] = [f"{path.name}:{n}" for n in numbers]
        return frame
    text = decode(data, str(path), encoding, log)
    del data
    records, wheres, keys = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}: line {number}: not valid JSON ({err.msg})") from None
        if not isinstance(item, dict):
            raise CorpusError(f"{path}: line {number}: expected a JSON object, found {type(item).__name__}")
        if SURROGATE_ESCAPE.search(line):
            _refuse_surrogates(item, f"{path}: line {number}")
        records.append(item)
        wheres.append(f"{path}: line {number}")
        keys.append(f"{path.name}:{number}")
    return _records_frame(records, wheres, keys, path)


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as err:
        size = path.stat().st_size if path.exists() else 0
        detail = "0 bytes" if size == 0 else str(err).splitlines()[0][:200]
        raise CorpusError(f"{path}: not a readable Parquet file ({detail})") from None
    frame = frame.reset_index(drop=True)
    frame = frame.astype({c: object for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)})
    frame["_where"] = [f"{path}: row {i}" for i in range(1, len(frame) + 1)]
    frame["_key"] = [f"{path.name}:{i}" for i in range(1, len(frame) + 1)]
    return frame


def object_frame(records: list[dict]) -> pd.DataFrame:
    """Records as a frame of plain Python objects (object dtype: row selection on long texts is
    fast, and odd values stay visible to the loader's checks)."""
    names = list(dict.fromkeys(key for item in records for key in item))
    columns = {}
    for name in names:
        values = np.empty(len(records), dtype=object)
        values[:] = [item.get(name) for item in records]
        columns[str(name)] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(len(records)), dtype=object)


def _records_frame(records: list, wheres: list[str], keys: list[str], path: Path) -> pd.DataFrame:
    if not records:
        raise CorpusError(f"{path}: no articles (the file has no records)")
    frame = object_frame(records)
    frame["_where"] = wheres
    frame["_key"] = keys
    return frame


def read_table(path: Path, encoding: str | None, log: list[dict]) -> pd.DataFrame:
    """A ``.csv``, ``.jsonl`` or ``.parquet`` table of articles."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = read_csv_rows(path, encoding, log)
    elif suffix == ".jsonl":
        frame = _read_jsonl(path, encoding, log)
    else:
        frame = _read_parquet(path)
    if frame.empty:
        raise CorpusError(f"{path}: no articles (the table has no rows)")
    frame["file"] = path.name
    return frame


# --- JSON arrays (SaudiNewsNet as distributed) ----------------------------------------------------
def _json_array(data: bytes, name: str, encoding: str | None, log: list[dict]) -> pd.DataFrame:
    frame = _plain_json(data, encoding, lines=False)
    if frame is not None:
        frame["_where"] = [f"{name}: item {i}" for i in range(len(frame))]
        frame["_key"] = [f"{name}:{i}" for i in range(len(frame))]
        frame["file"] = name
        return frame
    text = decode(data, name, encoding, log)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as err:
        raise CorpusError(f"{name}: line {err.lineno}: not valid JSON ({err.msg})") from None
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise CorpusError(f"{name}: expected a JSON array of article objects, found {type(items).__name__}")
    bad = next((i for i, item in enumerate(items) if not isinstance(item, dict)), None)
    if bad is not None:
        raise CorpusError(f"{name}: item {bad}: expected a JSON object, found {type(items[bad]).__name__}")
    if not items:
        return pd.DataFrame()
    if SURROGATE_ESCAPE.search(text):
        for i, item in enumerate(items):
            _refuse_surrogates(item, f"{name}: item {i}")
    frame = object_frame(items)
    frame["_where"] = [f"{name}: item {i}" for i in range(len(frame))]
    frame["_key"] = [f"{name}:{i}" for i in range(len(frame))]
    frame["file"] = name
    return frame


def read_json_source(path: Path, encoding: str | None, log: list[dict]) -> list[pd.DataFrame]:
    """A ``.json`` file (an array of articles) or a ``.zip`` of such files: one frame per JSON file."""
    if path.suffix.lower() == ".json":
        return [_json_array(_read_bytes(path), path.name, encoding, log)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(m for m in archive.namelist()
                             if m.lower().endswith(".json") and not m.startswith(("__MACOSX/", "."))
                             and "/." not in m)
            if not members:
                raise CorpusError(f"{path}: the .zip holds no .json file")
            return [_json_array(archive.read(m), f"{path.name}/{m}", encoding, log) for m in members]
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise CorpusError(f"{path}: not a readable .zip file ({err})") from None


# --- HTML pages -----------------------------------------------------------------------------------
def html_outlet(meta) -> tuple[str, str]:
    """``(outlet, how)`` of a page from its trafilatura metadata: ``og:site_name``, else the
    domain of its URL, else 'unknown'."""
    site = (meta.sitename or "").strip() if meta else ""
    if site:
        return site, "og:site_name"
    url = (meta.url or "") if meta else ""
    domain = urlparse(url).netloc.lower().removeprefix("www.")
    return (domain, "domain of the page URL") if domain else ("unknown", "not stated in the page")


def read_html_file(path: Path, encoding: str | None, log: list[dict]) -> dict:
    """One HTML page: main text (trafilatura), title, date, outlet, and the markup as read."""
    from trafilatura import extract, extract_metadata

    html = decode(_read_bytes(path), str(path), encoding, log)
    text = extract(html, include_comments=False, include_tables=True, favor_precision=False) or ""
    meta = extract_metadata(html, extensive=False)   # stated dates only: no guess from a footer year
    outlet, how = html_outlet(meta)
    return {"text": text, "raw_html": html, "title": (meta.title or "") if meta else "",
            "date": (meta.date or "") if meta else "", "html_outlet": outlet, "html_outlet_from": how,
            "url": (meta.url or "") if meta else ""}


# --- folders --------------------------------------------------------------------------------------
def _inside(folder: Path, listed: str, where: str) -> Path:
    """The listed file's path, refused if it is absolute or leads out of the corpus folder."""
    if not listed or Path(listed).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", listed):
        raise CorpusError(f"{where}: file {listed!r} must be a name inside the corpus folder "
                          "(absolute paths are refused)")
    if ".." in Path(listed.replace("\\", "/")).parts:
        raise CorpusError(f"{where}: file {listed!r} leads out of the corpus folder ('..' is refused)")
    path = folder / listed
    root = folder.resolve()
    if not path.resolve().is_relative_to(root):
        raise CorpusError(f"{where}: file {listed!r} is a link that leads out of the corpus folder "
                          f"({path.resolve()})")
    return path


def read_folder(folder: Path, encoding: str | None, log: list[dict]) -> pd.DataFrame:
    """A folder with ``metadata.csv`` (one row per text or HTML file; ``encoding`` applies to it too)."""
    meta = folder / METADATA_FILE
    frame = read_csv_rows(meta, encoding, log, what=METADATA_FILE)
    missing = [c for c in ("id", "file", "outlet") if c not in frame.columns]
    if missing:
        raise CorpusError(f"{meta}: missing column(s) {', '.join(missing)} (found: "
                          f"{', '.join(c for c in frame.columns if not c.startswith('_'))})")
    listed = {Path(str(f).strip().replace("\\", "/")).name.casefold() for f in frame.file}
    unlisted = sorted(p.name for p in folder.iterdir() if p.is_file()
                      and p.suffix.lower() in TEXT_SUFFIXES and p.name.casefold() not in listed)
    if unlisted:
        raise CorpusError(f"{folder}: text file(s) not listed in {METADATA_FILE}: {', '.join(unlisted)}. "
                          "Add a row for each (id, file, outlet) or move them out of the folder")
    texts, extra = [], []
    for where, listed_name in zip(frame["_where"], frame.file):
        path = _inside(folder, str(listed_name).strip(), where)
        if not path.is_file():
            raise CorpusError(f"{where}: lists {listed_name!r}, which is not in {folder}")
        if path.suffix.lower() in HTML_SUFFIXES:
            page = read_html_file(path, encoding, log)
            texts.append(page.pop("text"))
            extra.append(page)
        else:
            texts.append(decode(_read_bytes(path), str(path), encoding, log))
            extra.append({})
    frame["text"] = texts
    if any(extra):
        pages = pd.DataFrame(extra, index=frame.index)
        frame["raw_html"] = pages["raw_html"].where(pages["raw_html"].notna(), "").astype(object)
        record(log, str(meta), f"{int(pages['raw_html'].notna().sum())} HTML file(s): main text extracted "
               "with trafilatura", "markup kept in raw_html; outlet, date and title from metadata.csv",
               warn=False)
    frame["file"] = [str(f).strip() for f in frame.file]
    frame["_key"] = frame["file"]
    return frame


def read_html_folder(paths: list[Path], encoding: str | None, log: list[dict]) -> pd.DataFrame:
    """HTML pages without metadata: outlet from each page (site name or domain), else 'unknown'."""
    rows = []
    for path in paths:
        page = read_html_file(path, encoding, log)
        outlet = page.pop("html_outlet")
        rows.append({**page, "outlet": outlet, "date_source": "page metadata" if page["date"] else "",
                     "file": path.name, "_key": path.name, "_where": str(path)})
    return pd.DataFrame(rows)
