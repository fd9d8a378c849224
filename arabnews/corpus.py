"""Corpus loading: the bundled articles or a user's own, as one tidy frame, one row per article.

Input is untrusted: a file in the wrong encoding, an empty file, a missing outlet or a duplicate id
stops loading with a ``CorpusError`` that names the file (and line or row) and the problem. Repairs
(a UTF-8 byte-order mark) and exclusions (duplicates dropped on request) are reported as warnings
and recorded in ``corpus.attrs["load_log"]`` (see ``load_log``): nothing is dropped silently.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import warnings
from pathlib import Path

import pandas as pd

from arabnews import CORPUS_DIR, DATA_DIR, PACKAGE_DIR
from arabnews.cleaning import clean_article, stated_metadata

__all__ = ["load_corpus", "load_log", "CorpusError", "CorpusWarning", "CORPUS_COLUMNS"]

METADATA_FILE = "metadata.csv"
METADATA_FIELDS = ["id", "file", "outlet", "outlet_name_ar", "outlet_name_en", "date", "date_source",
                   "title", "source_note"]
CORPUS_COLUMNS = [*METADATA_FIELDS, "stated_source", "stated_date", "stated_byline",
                  "text", "raw_text", "n_removed_lines"]
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
UTF8_BOM = b"\xef\xbb\xbf"


class CorpusError(ValueError):
    """Input the loader cannot use; the message names the file (and line/row) and the problem."""


class CorpusWarning(UserWarning):
    """A repair or a doubt about the input that loading reports but does not stop for."""


# --- reading one text file --------------------------------------------------------------------
def _arabic_share(text: str) -> float:
    letters = sum(ch.isalpha() for ch in text)
    return len(ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def _decode(data: bytes, name: str, encoding: str | None, log: list[dict]) -> str:
    """Bytes to text: UTF-8 (BOM repaired and reported) unless ``encoding`` says otherwise."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise CorpusError(f"{name}: cannot be read as {encoding!r}: {err}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(f"{name}: file is UTF-16 (byte-order mark found); pass encoding='utf-16' "
                          "or re-save it as UTF-8")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
        _record(log, name, "UTF-8 byte-order mark at the start", "removed (repair)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        hint = ""
        if _arabic_share(data.decode("cp1256", errors="replace")) > 0.5:
            hint = " It looks like Windows-1256 Arabic: pass encoding='cp1256' or re-save it as UTF-8."
        raise CorpusError(f"{name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
                          f"{err.start}).{hint}") from None


def _read_text_file(path: Path, encoding: str | None, log: list[dict]) -> str:
    data = path.read_bytes()
    text = _decode(data, str(path), encoding, log)
    if not text.strip():
        raise CorpusError(f"{path}: file is empty")
    return text


def _record(log: list[dict], source: str, problem: str, action: str) -> None:
    """Note a repair or exclusion, and say it out loud."""
    log.append({"source": source, "problem": problem, "action": action})
    warnings.warn(f"{source}: {problem}: {action}", CorpusWarning, stacklevel=4)


# --- reading tables -----------------------------------------------------------------------------
def _read_csv_rows(path: Path, encoding: str | None, log: list[dict]) -> list[dict]:
    """CSV rows as dicts; a row with the wrong number of fields is an error naming its line."""
    text = _decode(path.read_bytes(), str(path), encoding, log)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise CorpusError(f"{path}: file is empty (no header row)")
    header = [h.strip() for h in header]
    rows = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise CorpusError(f"{path}: line {reader.line_num}: expected {len(header)} fields "
                              f"({', '.join(header)}), found {len(fields)}")
        rows.append({**dict(zip(header, fields)), "_where": f"{path}: line {reader.line_num}"})
    return rows


def _read_jsonl_rows(path: Path, encoding: str | None, log: list[dict]) -> list[dict]:
    text = _decode(path.read_bytes(), str(path), encoding, log)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}: line {number}: not valid JSON ({err.msg})") from None
        if not isinstance(record, dict):
            raise CorpusError(f"{path}: line {number}: expected a JSON object, found {type(record).__name__}")
        rows.append({**record, "_where": f"{path}: line {number}"})
    return rows


def _read_table_rows(path: Path, encoding: str | None, log: list[dict]) -> list[dict]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv_rows(path, encoding, log)
    elif suffix == ".jsonl":
        rows = _read_jsonl_rows(path, encoding, log)
    else:
        frame = pd.read_parquet(path)
        rows = [{**r, "_where": f"{path}: row {i + 1}"} for i, r in enumerate(frame.to_dict("records"))]
    if not rows:
        raise CorpusError(f"{path}: no articles (the table has no rows)")
    missing = [c for c in ("text", "outlet") if c not in rows[0]]
    if missing:
        found = ", ".join(k for k in rows[0] if k != "_where")
        raise CorpusError(f"{path}: missing column(s) {', '.join(missing)} (found: {found})")
    for i, row in enumerate(rows, start=1):
        row.setdefault("id", f"{i:04d}")
        row["file"] = path.name
        row["raw_text"] = "" if _blank(row.get("text")) else str(row["text"])
        if not row["raw_text"].strip():
            raise CorpusError(f"{row['_where']}: text is empty")
    return rows


# --- reading a folder ---------------------------------------------------------------------------
def _read_folder_rows(folder: Path, encoding: str | None, log: list[dict]) -> list[dict]:
    meta = folder / METADATA_FILE
    if not meta.exists():
        raise CorpusError(f"{folder}: no {METADATA_FILE}. A corpus folder needs one row per text file "
                          f"with at least the columns id, file, outlet (see corpus/README.md)")
    rows = _read_csv_rows(meta, None, log)
    missing = [c for c in ("id", "file", "outlet") if c not in rows[0]]
    if missing:
        raise CorpusError(f"{meta}: missing column(s) {', '.join(missing)}")
    listed = {row["file"] for row in rows}
    unlisted = sorted(p.name for p in folder.glob("*.txt") if p.name not in listed)
    if unlisted:
        raise CorpusError(f"{folder}: text file(s) not listed in {METADATA_FILE}: {', '.join(unlisted)}. "
                          "Add a row for each (id, file, outlet) or move them out of the folder")
    for row in rows:
        path = folder / row["file"]
        if not path.is_file():
            raise CorpusError(f"{row['_where']}: lists {row['file']!r}, which is not in {folder}")
        row["raw_text"] = _read_text_file(path, encoding, log)
    return rows


# --- checks and assembly --------------------------------------------------------------------------
def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def _check_rows(rows: list[dict]) -> None:
    """Outlet present, ids unique: errors that name the row."""
    first_seen: dict[str, str] = {}
    for row in rows:
        if _blank(row.get("outlet")):
            raise CorpusError(f"{row['_where']} (id {row.get('id')}): outlet is missing; "
                              "write 'unknown' if the source is not known")
        if _blank(row.get("id")):
            raise CorpusError(f"{row['_where']}: id is missing")
        key = str(row["id"]).strip()
        if key in first_seen:
            raise CorpusError(f"{row['_where']}: duplicate id {key!r} (first at {first_seen[key]})")
        first_seen[key] = row["_where"]


def _flag_doubts(frame: pd.DataFrame, drop_duplicates: bool, log: list[dict]) -> pd.DataFrame:
    """Warn on texts with no Arabic; warn on exact duplicate texts and drop them only if asked."""
    for row in frame.itertuples():
        if not ARABIC_LETTER.search(row.raw_text):
            _record(log, f"{row.file} (id {row.id})", "text has no Arabic letters", "kept; check the file")
    repeats = frame[frame.duplicated("raw_text", keep="first")]
    for row in repeats.itertuples():
        original = frame.loc[frame.raw_text == row.raw_text, "id"].iloc[0]
        action = "dropped (drop_duplicates=True)" if drop_duplicates else "kept (pass drop_duplicates=True to drop)"
        _record(log, f"{row.file} (id {row.id})", f"exact duplicate of id {original}", action)
    return frame.drop(repeats.index).reset_index(drop=True) if drop_duplicates else frame


def _fill_defaults(row: dict) -> dict:
    """Optional metadata: 'unknown' where not given (never guessed)."""
    out = {k: ("" if _blank(row.get(k)) else str(row[k]).strip()) for k in METADATA_FIELDS}
    for key in ("date", "date_source", "outlet_name_ar"):
        out[key] = out[key] or "unknown"
    out["outlet_name_en"] = out["outlet_name_en"] or out["outlet"]
    out["raw_text"] = row["raw_text"]
    return out


def _add_text_columns(frame: pd.DataFrame, clean: bool) -> pd.DataFrame:
    cleaned = [clean_article(t) if clean else (t.strip(), None) for t in frame.raw_text]
    frame["text"] = [text for text, _ in cleaned]
    frame["n_removed_lines"] = [0 if audit is None else int((audit.action != "fragment").sum())
                                for _, audit in cleaned]
    stated = pd.DataFrame([stated_metadata(t) for t in frame.raw_text], index=frame.index)
    frame[stated.columns] = stated
    no_title = frame.title == ""
    frame.loc[no_title, "title"] = [t.split("\n", 1)[0] for t in frame.text[no_title]]
    return frame[CORPUS_COLUMNS]


def load_corpus(path: str | Path | None = None, *, clean: bool = True, encoding: str | None = None,
                drop_duplicates: bool = False) -> pd.DataFrame:
    """Load articles into a frame, one row per article (columns: ``CORPUS_COLUMNS``).

    ``path`` is None (the bundled corpus), a folder with ``metadata.csv`` and text files, or a
    ``.csv``/``.jsonl``/``.parquet`` table with at least ``text`` and ``outlet`` columns. ``text``
    is the cleaned article (``clean=False`` keeps the raw text); ``raw_text`` is the file as read.
    """
    source = Path(path) if path is not None else CORPUS_DIR
    log: list[dict] = []
    if source.is_dir():
        rows = _read_folder_rows(source, encoding, log)
    elif source.is_file() and source.suffix.lower() in TABLE_SUFFIXES:
        rows = _read_table_rows(source, encoding, log)
    elif source.exists():
        raise CorpusError(f"{source}: not a corpus: give a folder with {METADATA_FILE}, "
                          f"or a {', '.join(TABLE_SUFFIXES)} file")
    else:
        raise CorpusError(f"{source}: no such file or folder")
    _check_rows(rows)
    frame = pd.DataFrame([{**_fill_defaults(r), "file": r["file"]} for r in rows])
    frame = _flag_doubts(frame, drop_duplicates, log)
    frame = _add_text_columns(frame, clean)
    frame.attrs["source"] = str(source)
    frame.attrs["name"] = corpus_name(source)
    frame.attrs["fingerprint"] = input_fingerprint(source, {"clean": clean, "encoding": encoding,
                                                            "drop_duplicates": drop_duplicates})
    frame.attrs["load_log"] = log
    return frame


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
    for path in sorted([*DATA_DIR.glob("*"), *PACKAGE_DIR.glob("*.py")]):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_log(corpus: pd.DataFrame) -> pd.DataFrame:
    """Repairs and exclusions made while loading ``corpus``: ``source, problem, action``."""
    return pd.DataFrame(corpus.attrs.get("load_log", []), columns=["source", "problem", "action"])
