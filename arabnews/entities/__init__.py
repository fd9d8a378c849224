"""Who and where each outlet talks about: entity counting with a transparent gazetteer.

Names are looked up in the gazetteer CSVs of ``arabnews/data/`` (one row per spelling variant)
on normalised text, longest match first, with one compiled trie-shaped regex (no per-variant
loop). The package, one concern a module:

- ``normal``: the matching normalisation and the offset map back to the text;
- ``gazetteer``: reading and checking the CSVs (``load_gazetteer``, ``gazetteer_phrases``);
- ``matcher``: the compiled regex (clitics, glued names, one-letter slips) and the scanner;
- ``shortforms``: the short-form rule (a bare كيم), written once for both roads below;
- ``mentions``: ``entity_mentions``, one row per mention with offsets;
- ``counts``: ``entity_article_counts``, ``entity_frequencies`` (a fast polars road to the same
  counts), ``entity_cooccurrence``;
- ``suggest``: ``suggest_entities``, names after titles that the gazetteer misses;
- ``cached``: the mention rows and per-article counts kept in the report cache (``arabnews.cache``);
- ``model``: the optional local Hugging Face backend (``backend="transformers"``).
"""
from arabnews.entities.counts import entity_article_counts, entity_cooccurrence, entity_frequencies
from arabnews.entities.gazetteer import (EntityBackendError, GazetteerError, gazetteer_phrases,
                                         load_gazetteer)
from arabnews.entities.mentions import entity_mentions
from arabnews.entities.suggest import suggest_entities

__all__ = ["load_gazetteer", "gazetteer_phrases", "entity_mentions", "entity_article_counts",
           "entity_frequencies", "entity_cooccurrence", "suggest_entities", "EntityBackendError",
           "GazetteerError"]
