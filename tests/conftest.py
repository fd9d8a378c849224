"""Shared test data: SaudiNewsNet, read in place from ../shared/ (never copied into the project).

Tests that need it use the ``snn_*`` fixtures, which skip with a message where ``../shared/`` is
absent (a user's fresh clone). ``snn_records`` reads the distributed ZIP files directly, so the
raw articles a test sees are exactly the publisher's.
"""
from __future__ import annotations

import json
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SNN_DIR = PROJECT.parent / "shared" / "corpora" / "saudinewsnet"
SNN_MISSING = f"SaudiNewsNet not found at {SNN_DIR} (../shared/ is absent here); test skipped"


@lru_cache(maxsize=1)
def _all_snn_records() -> tuple[dict, ...]:
    records = []
    for path in sorted(SNN_DIR.glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for i, rec in enumerate(json.loads(z.read(name).decode("utf-8"))):
                    records.append({**rec, "_file": f"{path.name}/{name}", "_index": i})
    return tuple(records)


def snn_records(per_outlet: int | None = None) -> list[dict]:
    """Raw SaudiNewsNet articles (dicts as distributed), optionally the first N of each outlet
    in file order (a deterministic, stratified sample)."""
    if not SNN_DIR.is_dir():
        pytest.skip(SNN_MISSING)
    records = _all_snn_records()
    if per_outlet is None:
        return list(records)
    taken: dict[str, int] = {}
    out = []
    for rec in records:
        if taken.get(rec["source"], 0) < per_outlet:
            taken[rec["source"]] = taken.get(rec["source"], 0) + 1
            out.append(rec)
    return out


@pytest.fixture(scope="session")
def snn_dir() -> Path:
    """The SaudiNewsNet folder (skips where ../shared/ is absent)."""
    if not SNN_DIR.is_dir():
        pytest.skip(SNN_MISSING)
    return SNN_DIR


@pytest.fixture(scope="session")
def snn_sample_records() -> list[dict]:
    """25 raw articles of each of the 14 outlets (fewer where an outlet has fewer): ~350."""
    return snn_records(per_outlet=25)


@pytest.fixture(scope="session")
def snn_sample_corpus(snn_sample_records, tmp_path_factory):
    """The ~350-article sample loaded and cleaned by ``load_corpus`` (via a JSONL file; empty
    articles left out of this fixture, which the loader tests cover on their own)."""
    import warnings

    from arabnews.corpus import load_corpus

    path = tmp_path_factory.mktemp("snn") / "snn_sample.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for rec in snn_sample_records:
            if rec["content"].strip():
                f.write(json.dumps({"id": f"{rec['_file']}:{rec['_index']}", "outlet": rec["source"],
                                    "date": rec["date_extracted"], "title": rec["title"],
                                    "text": rec["content"]}, ensure_ascii=False) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(path)
