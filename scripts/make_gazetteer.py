"""Write arabnews/data/gazetteer_world.csv: every country and territory, the continents, and the
capitals, with their Arabic names, generated rather than typed.

Sources:
- Country, territory and continent names in Arabic and English: Unicode CLDR, as shipped with
  the pinned ``babel`` (``babel.Locale("ar").territories``; the CLDR version is written in each
  row's note). Two-letter region codes, plus the continents (002 Africa, 009 Oceania, 019 the
  Americas, 142 Asia, 150 Europe); pseudo-regions (EU, EZ, UN, QO, XA, XB, ZZ) are left out
  (the European Union and the United Nations are organisations, in gazetteer_orgs.csv).
- Capitals (CLDR has none): ``arabnews/data/gazetteer_source_capitals.csv``, one row per state
  (list of national capitals as on Wikipedia, 2024; Arabic spellings as in the Arabic press),
  with a note where a capital is left out (same name as its country, or an ordinary word).
- Common variants (أمريكا/أميركا, السعودية/المملكة, ...): ``gazetteer_source_variants.csv``.

Entities the hand-made ``gazetteer.csv`` already has (same English name) keep its Arabic label,
and variants it already lists are not repeated. A generated variant that another entity already
owns is not written, and the script says so. Run from the project folder:

    python scripts/make_gazetteer.py
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import babel
from babel import Locale

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from arabnews import DATA_DIR  # noqa: E402
from arabnews.entities.gazetteer import GAZETTEER_COLUMNS, read_gazetteer_file  # noqa: E402
from arabnews.entities.normal import match_key  # noqa: E402

OUT = DATA_DIR / "gazetteer_world.csv"
CONTINENTS = {"002", "009", "019", "142", "150"}
PSEUDO = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# CLDR names that are ordinary words in running text: the country is found by its other variants.
AMBIGUOUS = {"ML": "مالي", "BJ": "بنين", "OM": "عُمان"}
CLDR = f"CLDR via babel {babel.__version__}"


def cldr_names() -> list[tuple[str, str, str]]:
    """``(code, Arabic, English)`` of every region kept, CLDR's standard names."""
    ar, en = Locale("ar").territories, Locale("en").territories
    codes = [c for c in ar if (len(c) == 2 and c.isalpha() and c not in PSEUDO) or c in CONTINENTS]
    return [(c, ar[c], en[c]) for c in sorted(codes)]


def spellings(name: str) -> list[str]:
    """A CLDR name as variants: the name without its parenthesised part (ميانمار (بورما);
    the variants file lists what the brackets held where it is a name). ``A - B`` stays one
    name: the matcher reads a hyphen as a separator."""
    return [re.sub(r"\s*\(.*?\)\s*", " ", name).strip()]


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main() -> None:
    hand = read_gazetteer_file(DATA_DIR / "gazetteer.csv")
    hand_label = dict(zip(hand["entity_en"], hand["entity"]))
    owner = {match_key(v): e for v, e in zip(hand["variant"], hand["entity"])}
    rows: list[dict] = []
    skipped: list[str] = []

    def add(entity: str, entity_en: str, etype: str, variant: str, note: str, kind: str = "name"):
        key = match_key(variant)
        if owner.get(key, entity) != entity:
            skipped.append(f"{variant} ({entity_en}): already {owner[key]}")
            return
        if key in owner:   # already listed for this entity
            return
        owner[key] = entity
        rows.append({"entity": entity, "entity_en": entity_en, "type": etype, "variant": variant,
                     "kind": kind, "note": note})

    labels = {}
    for code, arabic, english in cldr_names():
        entity = hand_label.get(english, spellings(arabic)[0])
        labels[code] = (entity, english)
        etype = "LOC" if code in CONTINENTS else "GPE"
        for variant in spellings(arabic):
            if AMBIGUOUS.get(code) == arabic:
                skipped.append(f"{arabic} ({english}): an ordinary word, see the variants file")
                continue
            add(entity, english, etype, variant, f"{CLDR}, region {code}")
    for row in read_csv("gazetteer_source_variants.csv"):
        entity, english = labels[row["iso2"]]
        add(entity, english, "GPE", row["variant"], row["note"] or "common variant",
            row["kind"] or "name")
    for row in read_csv("gazetteer_source_capitals.csv"):
        if not row["capital_ar"]:
            continue
        english = row["capital_en"]
        entity = hand_label.get(english, row["capital_ar"])
        add(entity, english, "GPE", row["capital_ar"],
            f"capital of {labels[row['iso2']][1]} (gazetteer_source_capitals.csv)"
            + (f"; {row['note']}" if row["note"] else ""))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=GAZETTEER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT.relative_to(PROJECT)}: {len(rows)} variants of "
          f"{len({r['entity'] for r in rows})} entities")
    for line in skipped:
        print("  not written:", line)


if __name__ == "__main__":
    main()
