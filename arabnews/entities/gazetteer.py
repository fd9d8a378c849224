"""The gazetteer: people, places and organisations with their spelling variants, from plain CSVs.

The default gazetteer is the union of the files in ``DEFAULT_GAZETTEER_FILES`` (see
``arabnews/data/README.md``): hand-curated names of the news (``gazetteer.csv``), every country,
territory and capital generated from CLDR by ``scripts/make_gazetteer.py``
(``gazetteer_world.csv``), international organisations (``gazetteer_orgs.csv``) and heads of
state and government (``gazetteer_leaders.csv``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from arabnews import DATA_DIR
from arabnews.checks import read_word_list
from arabnews.entities.normal import match_key

__all__ = ["GazetteerError", "EntityBackendError", "load_gazetteer", "gazetteer_phrases",
           "tidy_gazetteer", "load_titles", "GAZETTEER_COLUMNS", "DEFAULT_GAZETTEER_FILES"]

GAZETTEER_PATH = DATA_DIR / "gazetteer.csv"
DEFAULT_GAZETTEER_FILES = ("gazetteer.csv", "gazetteer_world.csv", "gazetteer_orgs.csv",
                           "gazetteer_leaders.csv")
TITLES_PATH = DATA_DIR / "entity_titles.txt"
GAZETTEER_COLUMNS = ["entity", "entity_en", "type", "variant", "kind", "note"]
REQUIRED_GAZETTEER_COLUMNS = ["entity", "entity_en", "type", "variant"]
ENTITY_TYPES = {"PERSON", "GPE", "LOC", "FAC", "ORG", "EVENT", "NORP", "MISC"}
VARIANT_KINDS = {"name", "short", "nisba"}


class GazetteerError(ValueError):
    """The gazetteer file is malformed (missing columns, unknown type, conflicting variants)."""


class EntityBackendError(RuntimeError):
    """The requested entity backend cannot run here; the message says what to install or provide."""


def read_gazetteer_file(path: Path) -> pd.DataFrame:
    """One gazetteer CSV as read (strings, empty cells kept as ''); a clear error if absent."""
    if not path.is_file():
        raise GazetteerError(f"gazetteer file not found: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the gazetteer: one row per spelling variant of an entity.

    Columns ``entity, entity_en, type, variant, kind, note`` (``kind``: ``name`` or ``short``,
    default ``name``). ``path=None`` reads the default files together (DEFAULT_GAZETTEER_FILES);
    a path reads that one file. Raises GazetteerError on a malformed file instead of matching
    garbage (a variant owned by two entities, in one file or across the default files).
    """
    if path is not None:
        path = Path(path)
        return tidy_gazetteer(read_gazetteer_file(path), path.name)
    frames = [tidy_gazetteer(read_gazetteer_file(DATA_DIR / name), name)
              for name in DEFAULT_GAZETTEER_FILES]
    gaz = pd.concat(frames, ignore_index=True)
    return tidy_gazetteer(gaz, " + ".join(DEFAULT_GAZETTEER_FILES))


def tidy_gazetteer(gaz: pd.DataFrame, name: str) -> pd.DataFrame:
    """Gazetteer frame with every column (defaults filled, cells stripped), checked.

    A variant listed twice for the same entity is kept once (the first row, with its note).
    """
    missing = [c for c in REQUIRED_GAZETTEER_COLUMNS if c not in gaz.columns]
    if missing:
        raise GazetteerError(f"{name}: missing column(s) {missing}; "
                             f"need {REQUIRED_GAZETTEER_COLUMNS}")
    gaz = gaz.copy()
    for col, default in (("kind", "name"), ("note", "")):
        if col not in gaz.columns:
            gaz[col] = default
    gaz = gaz[GAZETTEER_COLUMNS].fillna("").astype(str).apply(lambda s: s.str.strip())
    gaz["kind"] = gaz["kind"].replace("", "name")
    check_gazetteer(gaz, name)
    keys = gaz["variant"].map(match_key)
    gaz = gaz[~pd.DataFrame({"e": gaz["entity"], "k": keys}).duplicated()]
    return gaz.reset_index(drop=True)


def check_gazetteer(gaz: pd.DataFrame, name: str) -> None:
    """Raise GazetteerError for empty cells, unknown types/kinds, one variant with two owners,
    or one entity given two English names or types."""
    for col in REQUIRED_GAZETTEER_COLUMNS:
        empty = gaz.index[gaz[col] == ""].tolist()
        if empty:
            raise GazetteerError(f"{name}: empty '{col}' in data row(s) {[i + 2 for i in empty]}")
    bad_type = sorted(set(gaz["type"]) - ENTITY_TYPES)
    if bad_type:
        raise GazetteerError(f"{name}: unknown type(s) {bad_type}; allowed {sorted(ENTITY_TYPES)}")
    bad_kind = sorted(set(gaz["kind"]) - VARIANT_KINDS)
    if bad_kind:
        raise GazetteerError(f"{name}: unknown kind(s) {bad_kind}; allowed {sorted(VARIANT_KINDS)}")
    keys = gaz["variant"].map(match_key)
    owners = gaz.assign(key=keys).groupby("key")["entity"].nunique()
    clashes = owners[owners > 1].index.tolist()
    if clashes:
        rows = gaz[keys.isin(clashes)][["entity", "variant"]].to_dict("records")
        raise GazetteerError(f"{name}: the same variant belongs to two entities: {rows[:10]}")
    labels = gaz.groupby("entity")[["entity_en", "type"]].nunique()
    mixed = labels[(labels > 1).any(axis=1)].index.tolist()
    if mixed:
        raise GazetteerError(f"{name}: entity given two English names or types: {mixed[:10]}")


def gazetteer_phrases(gazetteer: str | Path | pd.DataFrame | None = None) -> list[str]:
    """Every variant spelling of every entity, as written in the gazetteer (sorted, unique).

    For the tokens room: multiword variants become one token (``compounds``).
    """
    gaz = gazetteer if isinstance(gazetteer, pd.DataFrame) else load_gazetteer(gazetteer)
    return sorted(set(gaz["variant"]))


def load_titles(path: str | Path | None = None) -> list[str]:
    """Titles that usually precede a name (الرئيس، وزير، المتحدث باسم ...), from a text file."""
    return read_word_list(Path(path) if path is not None else TITLES_PATH)
