"""Entity results kept for one report run: the mention rows and the per-article counts.

Notebook 03 computes them and notebook 06 (``entity_trends``) reads the same per-article counts,
through ``arabnews.cache`` (on only when ``ARABNEWS_CACHE_DIR`` is set and the corpus comes from
``load_corpus``). A key holds everything the result depends on: the corpus (``cache.corpus_key``),
the options, the gazetteer's content and ENTITY_CACHE_VERSION (raised when the counting changes).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from arabnews import cache
from arabnews.entities.gazetteer import load_gazetteer, tidy_gazetteer

__all__ = ["ENTITY_CACHE_VERSION", "gazetteer_identity", "cached_frame", "plain_corpus"]

ENTITY_CACHE_VERSION = 1


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a frame's columns and values."""
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return hashlib.sha1(repr(list(frame.columns)).encode("utf-8") + values).hexdigest()[:16]


@lru_cache(maxsize=16)
def file_gazetteer_identity(path: str | None, stamp: tuple) -> str:
    """Digest of the gazetteer read from ``path`` (None: the default files); ``stamp`` (sizes and
    modification times) makes an edited file a new identity within one process."""
    return frame_digest(load_gazetteer(path))


def gazetteer_identity(gazetteer) -> str:
    """What identifies a gazetteer in a cache key: the digest of its tidy rows, whether it was
    given as None (the default files), a path or a frame."""
    if isinstance(gazetteer, pd.DataFrame):
        return frame_digest(tidy_gazetteer(gazetteer, "gazetteer frame"))
    if gazetteer is None:
        from arabnews import DATA_DIR
        from arabnews.entities.gazetteer import DEFAULT_GAZETTEER_FILES
        files = [DATA_DIR / name for name in DEFAULT_GAZETTEER_FILES]
        path = None
    else:
        path = str(Path(gazetteer).resolve())
        files = [Path(path)]
    stamp = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists())
    return file_gazetteer_identity(path, stamp)


def plain_corpus(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus without its attrs, for reading columns (``cache.without_attrs``)."""
    return cache.without_attrs(corpus)


def cached_frame(kind: str, corpus: pd.DataFrame, parts: dict, gazetteer,
                 compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``, read from the report's cache when an equal result was saved there (keyed by
    the corpus, ``parts``, the gazetteer's identity and ENTITY_CACHE_VERSION), else computed and
    saved. With the cache off this is ``compute()``."""
    key = None
    if cache.enabled():
        key = cache.corpus_key(corpus, kind, ENTITY_CACHE_VERSION, sorted(parts.items()),
                               gazetteer_identity(gazetteer))
    if key is not None:
        found = cache.load(kind, key)
        if found is not None:
            return found
    result = compute()
    if key is not None:
        cache.save(kind, key, result)
    return result
