"""A Parquet cache shared by one report run: the cleaned corpus (and other rooms' tables) written
once and read by every notebook.

Off unless the environment variable ``ARABNEWS_CACHE_DIR`` names a folder. Entries are
``<dir>/<kind>/<key>.parquet``; ``key`` is a fingerprint of everything the result depends on, so a
stale entry is never read (a changed input gives a new key). A frame's ``attrs`` travel with it
when they are JSON-able (lists of dicts, strings, numbers; a DataFrame in ``attrs`` is stored as a
table too); other attrs are left out. A corrupt or unreadable entry is ignored (and removed) so
the caller rebuilds it: the cache can make a run faster, never make it fail.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["enabled", "load", "save", "cache_dir", "corpus_key", "CACHE_ENV", "without_attrs", "by_reference", "SharedDict",
           "SharedList"]

CACHE_ENV = "ARABNEWS_CACHE_DIR"
ATTRS_KEY = b"arabnews_attrs"
FRAME_MARK = "__arabnews_frame__"
LONG_TEXT_BYTES = 256   # string columns longer than this on average are stored without a dictionary
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


def enabled() -> bool:
    """True when ``ARABNEWS_CACHE_DIR`` is set (to a non-blank value)."""
    return bool(os.environ.get(CACHE_ENV, "").strip())


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    return Path(os.environ[CACHE_ENV].strip()).expanduser() if enabled() else None


def _entry(kind: str, key: str) -> Path | None:
    for value, name in ((kind, "kind"), (key, "key")):
        if not isinstance(value, str) or not SAFE_NAME.match(value) or value.startswith("."):
            raise ValueError(f"cache {name} must be 1-128 letters, digits, '_', '-' or '.', got {value!r}")
    folder = cache_dir()
    return None if folder is None else folder / kind / f"{key}.parquet"


# --- attrs that pandas copies by reference ------------------------------------------------------------
class SharedDict(dict):
    """A dict in ``attrs`` (e.g. a table as a dict of lists) that ``copy.deepcopy`` copies one level
    deep, sharing its values. pandas deep-copies ``attrs`` after nearly every operation, which on a
    cleaning audit of 100,000 rows costs a second per ``corpus[...]``; treat the values as read-only."""

    def __deepcopy__(self, memo):
        return SharedDict(self)


class SharedList(list):
    """A list in ``attrs`` (e.g. the load_log rows) that ``copy.deepcopy`` copies one level deep,
    sharing its items (see ``SharedDict``); treat the items as read-only."""

    def __deepcopy__(self, memo):
        return SharedList(self)


def without_attrs(frame, keep=()):
    """``frame`` as a view sharing its data but not its ``attrs`` (only the names in ``keep``):
    pandas deep-copies attrs on every column read, and a loaded corpus carries its load log and
    cleaning audit there. Anything that is not a DataFrame is returned as it is."""
    if not isinstance(frame, pd.DataFrame) or not frame.attrs:
        return frame
    plain = pd.DataFrame(frame, copy=False)   # the constructor does not carry attrs
    plain.attrs = {name: frame.attrs[name] for name in keep if name in frame.attrs}
    return plain


def by_reference(value):
    """``value`` as a ``SharedDict``/``SharedList`` when it is a dict or list (else unchanged), so an
    attrs entry is not deep-copied by every pandas operation. Still a dict/list (JSON-able, ==)."""
    if isinstance(value, dict) and not isinstance(value, SharedDict):
        return SharedDict(value)
    if isinstance(value, list) and not isinstance(value, SharedList):
        return SharedList(value)
    return value


# --- attrs <-> JSON -------------------------------------------------------------------------------
def _attr_to_json(value):
    """A JSON-able stand-in for one attrs value (a DataFrame becomes a marked table), or raise."""
    if isinstance(value, pd.DataFrame):
        return {FRAME_MARK: json.loads(value.to_json(orient="table", index=False, date_format="iso"))}
    json.dumps(value, ensure_ascii=False, allow_nan=True)
    return value


def _attr_from_json(value):
    if isinstance(value, dict) and set(value) == {FRAME_MARK}:
        return pd.read_json(io.StringIO(json.dumps(value[FRAME_MARK])), orient="table")
    return value


def _attrs_json(attrs: dict) -> str:
    kept = {}
    for name, value in attrs.items():
        try:
            kept[str(name)] = _attr_to_json(value)
        except (TypeError, ValueError, OverflowError):
            continue   # not JSON-able: left out of the cache (documented above)
    return json.dumps(kept, ensure_ascii=False)


def _restore_object_columns(frame: pd.DataFrame, metadata: dict) -> pd.DataFrame:
    """Text columns saved from object dtype come back as object (Arrow would make them ``str``)."""
    described = json.loads(metadata.get(b"pandas", b"{}").decode("utf-8")).get("columns", [])
    objects = [c["name"] for c in described if c.get("numpy_type") == "object" and c.get("name") in frame.columns]
    return frame.astype({name: object for name in objects}) if objects else frame


def _dictionary_columns(table: pa.Table) -> list[str]:
    """Columns worth dictionary encoding: all but long texts (an article per value repeats nothing,
    and its dictionary pages only slow the read down)."""
    import pyarrow.compute as pc

    keep = []
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            lengths = pc.binary_length(column)
            mean = pc.mean(lengths).as_py()
            if mean is not None and mean > LONG_TEXT_BYTES:
                continue
        keep.append(name)
    return keep


# --- public API -------------------------------------------------------------------------------------
def load(kind: str, key: str) -> pd.DataFrame | None:
    """The cached frame for ``(kind, key)`` with its attrs, or None (cache off, missing or corrupt)."""
    path = _entry(kind, key)
    if path is None or not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        frame = _restore_object_columns(table.to_pandas(), table.schema.metadata or {})
        raw = (table.schema.metadata or {}).get(ATTRS_KEY)
        attrs = json.loads(raw.decode("utf-8")) if raw else {}
        frame.attrs = {name: by_reference(_attr_from_json(value)) for name, value in attrs.items()}
    except Exception:   # any unreadable entry: drop it and let the caller rebuild (never an error)
        try:
            path.unlink()
        except OSError:
            pass
        return None
    return frame


def save(kind: str, key: str, frame: pd.DataFrame) -> None:
    """Write ``frame`` (and its JSON-able attrs) as ``(kind, key)``; a no-op when the cache is off.

    The file is written under a temporary name and renamed, so a reader never sees half a file. A
    write that fails (full disk, read-only folder, a column Arrow cannot store) leaves no entry and
    raises nothing: the cache is an optimisation.
    """
    path = _entry(kind, key)
    if path is None:
        return
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        plain = frame.copy()
        plain.attrs = {}
        table = pa.Table.from_pandas(plain, preserve_index=False)
        metadata = {**(table.schema.metadata or {}), ATTRS_KEY: _attrs_json(frame.attrs).encode("utf-8")}
        table = table.replace_schema_metadata(metadata)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
        os.close(fd)
        pq.write_table(table, tmp, compression="lz4", use_dictionary=_dictionary_columns(table))
        os.replace(tmp, path)
        tmp = None
    except (OSError, pa.ArrowException, TypeError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def corpus_key(corpus: pd.DataFrame, *parts) -> str | None:
    """The cache key of a result computed from ``corpus`` with options ``parts`` (JSON-able): the
    corpus fingerprint from ``load_corpus``, its rows (ids and text lengths, so a slice or an edited
    copy that kept the attrs gets its own key) and the parts; None when the cache is off or the
    corpus has no fingerprint (then nothing is cached)."""
    fingerprint = corpus.attrs.get("fingerprint") if isinstance(corpus, pd.DataFrame) else None
    if not fingerprint or not enabled() or "id" not in corpus.columns or "text" not in corpus.columns:
        return None
    rows = pd.util.hash_pandas_object(
        pd.DataFrame({"id": corpus["id"].astype(str), "n": corpus["text"].str.len().fillna(-1)}), index=False)
    payload = json.dumps([str(fingerprint), int(rows.sum() % (1 << 63)), len(corpus), list(parts)],
                         ensure_ascii=False, default=lambda v: list(v) if isinstance(v, (tuple, set, frozenset)) else str(v))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:20]
