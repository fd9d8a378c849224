"""The short-form rule, written once: when does a bare كيم count as Kim Jong Un?

Rule ``resolve``: a short form (gazetteer ``kind=short``) counts for its owner only if the same
article names the owner in full (any ``name`` variant), and no *rival* of the owner (another
PERSON whose variants contain the short form as a word, e.g. كيم إيل سونغ) named in full in the
article is mentioned in the same sentence. ``keep`` counts every short form, ``drop`` none.

Both roads use this one table function: the mention rows of ``entity_mentions`` and the word
counts of ``entity_frequencies`` (rows carry a count ``n``; a mention row has n = 1).
"""
from __future__ import annotations

import polars as pl

__all__ = ["SHORT_FORM_MODES", "REASONS", "rivals_table", "contested_articles", "short_form_verdicts"]

SHORT_FORM_MODES = ("resolve", "keep", "drop")
REASONS = {"drop": "short forms not counted (short_forms='drop')",
           "unnamed": "article never names the entity in full",
           "rival": "another entity with the same name in the sentence"}


def rivals_table(rivals: dict[str, frozenset[str]]) -> pl.DataFrame:
    """``entity, rival``: each short form's owner beside every rival PERSON."""
    return pl.DataFrame([(o, r) for o, rs in rivals.items() for r in sorted(rs)],
                        schema={"entity": pl.String, "rival": pl.String}, orient="row")


def named_in_full(rows: pl.DataFrame) -> pl.DataFrame:
    """``article, entity``: the entities each article names in full (a ``name`` row)."""
    return rows.filter(pl.col("kind") == "name").select("article", "entity").unique()


def contested_articles(rows: pl.DataFrame, rivals: pl.DataFrame) -> list[int]:
    """Articles where the rule needs sentences: a short form whose owner is named in full, and a
    rival of that owner named in full too. Elsewhere the sentence plays no part."""
    named = named_in_full(rows)
    shorts = rows.filter(pl.col("kind") == "short").select("article", "entity").unique()
    found = (shorts.join(named, on=["article", "entity"], how="semi")
             .join(rivals, on="entity")
             .join(named.rename({"entity": "rival"}), on=["article", "rival"], how="semi"))
    return sorted(set(found["article"].to_list()))


def short_form_verdicts(rows: pl.DataFrame, rivals: pl.DataFrame, mode: str) -> pl.DataFrame:
    """``rows`` (columns ``article, sentence, entity, kind`` and any others) with a ``reason``
    column: null where the row counts, else why a short form does not.

    ``sentence`` only has to be right in the ``contested_articles``; elsewhere any constant.
    """
    short = pl.col("kind") == "short"
    if mode == "keep" or rows.filter(short).is_empty():
        return rows.with_columns(reason=pl.lit(None, dtype=pl.String))
    if mode == "drop":
        return rows.with_columns(reason=pl.when(short).then(pl.lit(REASONS["drop"]))
                                 .otherwise(pl.lit(None, dtype=pl.String)))
    named = named_in_full(rows).with_columns(owner_named=pl.lit(True))
    in_sentence = rows.select("article", "sentence", pl.col("entity").alias("rival")).unique()
    blocked = (rows.filter(short).select("article", "sentence", "entity").unique()
               .join(rivals, on="entity")
               .join(named.select("article", pl.col("entity").alias("rival")),
                     on=["article", "rival"], how="semi")
               .join(in_sentence, on=["article", "sentence", "rival"], how="semi")
               .select("article", "sentence", "entity").unique()
               .with_columns(rival_near=pl.lit(True)))
    judged = (rows.join(named, on=["article", "entity"], how="left")
              .join(blocked, on=["article", "sentence", "entity"], how="left"))
    reason = (pl.when(~short).then(pl.lit(None, dtype=pl.String))
              .when(pl.col("owner_named").is_null()).then(pl.lit(REASONS["unnamed"]))
              .when(pl.col("rival_near").is_not_null()).then(pl.lit(REASONS["rival"]))
              .otherwise(pl.lit(None, dtype=pl.String)))
    return judged.with_columns(reason=reason).drop("owner_named", "rival_near")
