"""One row per entity mention, with offsets into the corpus text (the reference road).

Each article is scanned by the compiled matcher (``matcher.scan_text``) on its searchable text;
the short-form rule (``shortforms.short_form_verdicts``) then judges every bare short form of the
corpus at once. Large corpora are split over forked worker processes (``n_jobs``).
"""
from __future__ import annotations

import os
from bisect import bisect_right
from itertools import chain
from pathlib import Path

import pandas as pd
import polars as pl

from arabnews.checks import check_choice, check_corpus
from arabnews.entities.cached import cached_frame, plain_corpus
from arabnews.entities.matcher import Matcher, mask_nisba, resolve_gazetteer, scan_text
from arabnews.entities.normal import searchable_text, sentence_index
from arabnews.entities.shortforms import SHORT_FORM_MODES, rivals_table, short_form_verdicts

__all__ = ["entity_mentions", "MENTION_COLUMNS", "UNRESOLVED_COLUMNS", "BACKENDS",
           "article_mentions", "check_entity_corpus"]

MENTION_COLUMNS = ["id", "outlet", "entity", "entity_en", "type", "surface", "start", "end", "match"]
UNRESOLVED_COLUMNS = ["id", "outlet", "entity", "surface", "start", "end", "reason"]
BACKENDS = ("gazetteer", "transformers")
PARALLEL_MIN_CHARS = 40_000_000   # ~80 MB of Arabic text: below this, process start-up dominates
_WORKER: dict = {}


def check_entity_corpus(corpus) -> pd.DataFrame:
    """The corpus frame, checked: a DataFrame with ``id, outlet, text`` and unique ids."""
    return check_corpus(corpus, ("id", "outlet", "text"))


def article_mentions(text: str, matcher: Matcher) -> list[tuple]:
    """Every name the matcher finds in one text, before the short-form rule, as
    ``(info, surface, start, end, sentence)``; ``info`` is the gazetteer's ``(entity, entity_en,
    type, kind, match)``, offsets index ``text``. ``sentence`` is numbered only in texts with a
    short form (the rule needs it nowhere else), else 0."""
    norm, offmap = searchable_text(text)
    norm = mask_nisba(norm, matcher)
    lookup, shifts = matcher.lookup, offmap.shifts
    rows, has_short = [], False
    for start, end, key in scan_text(norm, matcher):
        if offmap.offsets is not None:
            start, end = offmap.span(start, end)
        elif shifts:  # inlined OffsetMap.span: deleted marks before each end move it right
            start, end = start + bisect_right(shifts, start), end + bisect_right(shifts, end - 1)
        info = lookup[key]
        has_short = has_short or info[3] == "short"
        rows.append((info, text[start:end], start, end, 0))
    if has_short:
        starts = sentence_index(text)
        rows = [(*row[:4], bisect_right(starts, row[2])) for row in rows]
    return rows


def mention_records(texts: list[str], matcher: Matcher, first: int = 0) -> list[tuple]:
    """``(article, info, surface, start, end, sentence)`` for a batch of texts (article =
    position in the corpus, counting from ``first``)."""
    return [(first + i, *row) for i, text in enumerate(texts)
            for row in article_mentions(text, matcher)]


def judge_short_forms(records: list[tuple], matcher: Matcher, mode: str) -> list:
    """The reason each record does not count (None where it counts), by the one short-form rule."""
    if not any(r[1][3] == "short" for r in records):
        return [None] * len(records)
    rows = pl.DataFrame({"article": [r[0] for r in records], "sentence": [r[5] for r in records],
                         "entity": [r[1][0] for r in records], "kind": [r[1][3] for r in records]},
                        schema={"article": pl.Int64, "sentence": pl.Int64, "entity": pl.String,
                                "kind": pl.String}).with_row_index("row")
    judged = short_form_verdicts(rows, rivals_table(matcher.rivals), mode).sort("row")
    return judged["reason"].to_list()


def entity_mentions(corpus: pd.DataFrame, gazetteer=None, *, short_forms: str = "resolve",
                    backend: str = "gazetteer", model_path: str | Path | None = None,
                    n_jobs: int | None = None) -> pd.DataFrame:
    """One row per entity mention: ``id, outlet, entity, entity_en, type, surface, start, end, match``.

    ``start``/``end`` index the corpus ``text`` (``text[start:end] == surface``, clitic excluded);
    ``match`` is ``exact`` or ``typo`` (a multiword name read with one slip, e.g. كم جونغ أون).
    ``short_forms``: ``resolve`` (bare كيم only when the rule allows, see ``shortforms``), ``keep``,
    ``drop``. Short forms not counted are listed in ``result.attrs["unresolved"]`` with a reason.
    ``backend="transformers"`` uses a local token-classification model at ``model_path``.
    ``n_jobs``: worker processes (``-1``: one per core; default: one per core from
    PARALLEL_MIN_CHARS of text on, else 1). The result does not depend on it.
    """
    check_entity_corpus(corpus)
    check_choice(backend, BACKENDS, "backend")
    check_choice(short_forms, SHORT_FORM_MODES, "short_forms")
    if backend == "transformers":
        from arabnews.entities.model import transformers_mentions  # optional and heavy
        return transformers_mentions(corpus, model_path, gazetteer)
    frame = plain_corpus(corpus)
    return cached_frame("entity_mentions", corpus, {"short_forms": short_forms}, gazetteer,
                        lambda: gazetteer_mentions(frame, gazetteer, short_forms, n_jobs))


def gazetteer_mentions(corpus: pd.DataFrame, gazetteer, short_forms: str,
                       n_jobs: int | None) -> pd.DataFrame:
    """``entity_mentions`` with the gazetteer backend (arguments checked)."""
    jobs, matcher = plan_jobs(corpus, n_jobs), resolve_gazetteer(gazetteer)
    texts = corpus["text"].fillna("").astype(str).tolist()
    records = (mention_records(texts, matcher) if jobs == 1
               else parallel_mention_records(texts, matcher, jobs))
    del texts   # (on a large corpus each copy held here is hundreds of MB: let go as soon as done)
    reasons = judge_short_forms(records, matcher, short_forms)
    ids, outlets = corpus["id"].tolist(), corpus["outlet"].tolist()
    kept = [(ids[a], outlets[a], info[0], info[1], info[2], surface, start, end, info[4])
            for (a, info, surface, start, end, _), why in zip(records, reasons) if why is None]
    unresolved = [(ids[a], outlets[a], info[0], surface, start, end, why)
                  for (a, info, surface, start, end, _), why in zip(records, reasons) if why is not None]
    del records, reasons, ids, outlets
    mentions = pd.DataFrame.from_records(kept, columns=MENTION_COLUMNS)
    del kept
    mentions.attrs["unresolved"] = pd.DataFrame.from_records(unresolved, columns=UNRESOLVED_COLUMNS)
    return mentions


# --- parallel extraction for large corpora ------------------------------------------------------
def plan_jobs(corpus: pd.DataFrame, n_jobs: int | None) -> int:
    """Number of worker processes for ``n_jobs`` (see entity_mentions)."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        large = corpus["text"].astype(str).str.len().sum() >= PARALLEL_MIN_CHARS
        return cores if large and len(corpus) > 1 else 1
    if n_jobs == -1:
        return cores
    if isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and n_jobs >= 1:
        return n_jobs
    raise ValueError(f"n_jobs must be a positive int, -1 (all cores) or None (automatic), not {n_jobs!r}")


def worker_records(bounds: tuple[int, int]) -> list[tuple]:
    """``mention_records`` of articles ``[start, stop)`` in a forked worker: the matcher and
    the texts are inherited, so only two numbers go in."""
    start, stop = bounds
    return mention_records(_WORKER["texts"][start:stop], _WORKER["matcher"], first=start)


def batches(texts: list[str], n: int) -> list[tuple[int, int]]:
    """About ``n`` consecutive ``(start, stop)`` article ranges of similar text size (order kept)."""
    target = max(1, sum(map(len, texts)) // n)
    bounds, start, size = [], 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= target or i == len(texts) - 1:
            bounds.append((start, i + 1))
            start, size = i + 1, 0
    return bounds


def parallel_mention_records(texts: list[str], matcher: Matcher, jobs: int) -> list[tuple]:
    """``mention_records`` spread over ``jobs`` forked processes; batches come back in order, so
    the result equals the serial one. Forked workers inherit the compiled matcher and the texts
    and run only this package's pure-Python code (no re-import of the caller's script, unlike
    spawn). Where fork is unavailable the work is done serially."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return mention_records(texts, matcher)
    _WORKER.update(matcher=matcher, texts=texts)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(worker_records, batches(texts, jobs * 4)))
    finally:
        _WORKER.clear()
    return list(chain.from_iterable(parts))
