"""Optional model backend: a local Hugging Face token-classification model instead of the gazetteer.

Never downloads anything: the model must be a directory on this machine. Spans the model finds
are named through the gazetteer when they hold one known name (clitics and all).
"""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pandas as pd

from arabnews.entities.gazetteer import EntityBackendError
from arabnews.entities.matcher import Matcher, resolve_gazetteer, scan_text
from arabnews.entities.mentions import MENTION_COLUMNS, UNRESOLVED_COLUMNS
from arabnews.entities.normal import searchable_text

__all__ = ["transformers_mentions", "MODEL_LABELS"]

MODEL_LABELS = {"PER": "PERSON", "PERS": "PERSON", "PERSON": "PERSON", "LOC": "LOC", "GPE": "GPE",
                "ORG": "ORG", "FAC": "FAC", "MISC": "MISC", "EVENT": "EVENT", "NORP": "NORP"}


def check_transformers_backend(model_path) -> Path:
    """Raise EntityBackendError saying what is missing; return the model directory otherwise."""
    missing = [p for p in ("transformers", "torch") if importlib.util.find_spec(p) is None]
    if missing:
        raise EntityBackendError(
            f"backend='transformers' needs the Python package(s) {missing}, which are not "
            f"installed. Install them with `pip install transformers torch`, or use the default "
            f"backend='gazetteer'.")
    if model_path is None:
        raise EntityBackendError(
            "backend='transformers' needs model_path= pointing to a local directory with a "
            "token-classification model (config.json, weights, tokenizer files). Models are never "
            "downloaded here; copy one onto this machine first.")
    model_dir = Path(model_path)
    if not (model_dir / "config.json").is_file():
        raise EntityBackendError(
            f"model_path {str(model_dir)!r} is not a model directory (no config.json there). "
            f"Give the folder of a saved Hugging Face token-classification model.")
    return model_dir


def model_label(ent: dict) -> str | None:
    """Entity type of one pipeline result (``entity_group`` or ``entity``, B-/I- prefix dropped)."""
    label = str(ent.get("entity_group") or ent.get("entity") or "").upper()
    return MODEL_LABELS.get(re.sub(r"^[BI][-_]", "", label))


def name_model_span(text: str, start: int, end: int, etype: str | None, matcher: Matcher):
    """Name a model span through the gazetteer when it holds one known name (clitics and all);
    otherwise keep the span's own text. Returns ``(entity, entity_en, type, start, end, match)``."""
    norm, offmap = searchable_text(text[start:end])
    hits = scan_text(norm, matcher)
    if len(hits) == 1:
        info = matcher.lookup[hits[0][2]]
        a, b = offmap.span(hits[0][0], hits[0][1])
        return info[0], info[1], info[2], start + a, start + b, info[4]
    return text[start:end].strip(), "", etype, start, end, "model"


def transformers_mentions(corpus: pd.DataFrame, model_path, gazetteer) -> pd.DataFrame:
    """Mentions from a local token-classification model, named through the gazetteer if possible
    (``match`` = ``model`` for a span the gazetteer does not name)."""
    model_dir = check_transformers_backend(model_path)
    os.environ["HF_HUB_OFFLINE"] = "1"          # never reach for the network
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from transformers import pipeline  # imported late: optional and heavy

    ner = pipeline("token-classification", model=str(model_dir), tokenizer=str(model_dir),
                   aggregation_strategy="simple", model_kwargs={"local_files_only": True})
    matcher = resolve_gazetteer(gazetteer)
    rows, unmapped = [], []
    for doc_id, outlet, text in zip(corpus["id"], corpus["outlet"], corpus["text"].astype(str)):
        for ent in ner(text):
            etype = model_label(ent)
            entity, entity_en, etype, start, end, match = name_model_span(
                text, int(ent["start"]), int(ent["end"]), etype, matcher)
            if etype is None:
                unmapped.append((doc_id, outlet, entity, text[start:end], start, end,
                                 f"model label {ent.get('entity_group') or ent.get('entity')!r} "
                                 f"has no entity type"))
                continue
            rows.append((doc_id, outlet, entity, entity_en, etype, text[start:end], start, end, match))
    mentions = pd.DataFrame.from_records(rows, columns=MENTION_COLUMNS)
    mentions.attrs["unresolved"] = pd.DataFrame.from_records(unmapped, columns=UNRESOLVED_COLUMNS)
    return mentions
