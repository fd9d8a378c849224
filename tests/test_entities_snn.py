"""Entity counts on SaudiNewsNet against a hand count (tests/gold_entities_snn.csv).

The gold was made by reading 36 articles of the 14 outlets (politics, economy, sport, local
news) and counting every mention of 38 chosen entities, with a note per judgement call. It is
counted on each article's ``content`` as distributed (furniture included), so it does not move
when cleaning rules change. Skips where ../shared/ is absent.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from arabnews import entities as E
from conftest import snn_records  # noqa: E402 (tests/ is on the path under pytest)

GOLD_PATH = Path(__file__).with_name("gold_entities_snn.csv")


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    frame = pd.read_csv(GOLD_PATH, keep_default_na=False)
    return frame.assign(id=frame["file"] + ":" + frame["index"].astype(str))


@pytest.fixture(scope="module")
def gold_articles(gold) -> pd.DataFrame:
    """The gold's articles as a corpus frame: raw ``content``, id = file:index."""
    records = {(r["_file"], r["_index"]): r for r in snn_records()}
    keys = gold[["file", "index"]].drop_duplicates()
    return pd.DataFrame([{"id": f"{f}:{i}", "outlet": records[(f, i)]["source"],
                          "text": records[(f, i)]["content"]} for f, i in keys.itertuples(index=False)])


def agreement(pred: pd.Series, gold: pd.Series) -> float:
    """1 - sum|pred - gold| / sum gold over aligned (article, entity) cells (as for the seeds)."""
    both = pd.concat([pred.rename("pred"), gold.rename("gold")], axis=1).fillna(0)
    return 1 - (both["pred"] - both["gold"]).abs().sum() / both["gold"].sum()


def test_gold_is_spread_and_explained(gold, gold_articles):
    assert gold_articles["id"].nunique() >= 25
    assert gold_articles["outlet"].nunique() == 14
    assert gold["entity_en"].nunique() >= 15
    assert set(gold["entity_en"]) <= set(E.load_gazetteer()["entity_en"])
    assert not gold.duplicated(["id", "entity_en"]).any()
    assert (gold["note"] != "").all()
    assert gold["note"].str.contains("JUDGEMENT").sum() >= 10
    assert gold["count"].sum() >= 100


def test_agreement_with_the_hand_count(gold, gold_articles):
    mentions = E.entity_mentions(gold_articles)
    chosen = set(gold["entity_en"])   # every mention of these was counted in every gold article
    pred = mentions[mentions["entity_en"].isin(chosen)].groupby(["id", "entity_en"]).size()
    assert agreement(pred, gold.set_index(["id", "entity_en"])["count"]) >= 0.95


def test_fast_counts_equal_mention_counts_on_the_gold_articles(gold_articles):
    counts = E.entity_article_counts(gold_articles).set_index(["id", "entity"])["count"]
    mentions = E.entity_mentions(gold_articles).groupby(["id", "entity"]).size()
    assert counts.sort_index().to_dict() == mentions.sort_index().to_dict()


def test_frequencies_with_default_arguments_on_the_sample(snn_sample_corpus):
    freq = E.entity_frequencies(snn_sample_corpus)
    mentions = E.entity_mentions(snn_sample_corpus)
    expected = mentions.groupby(["outlet", "entity"]).size().sort_index()
    assert freq.set_index(["outlet", "entity"])["count"].sort_index().to_dict() == expected.to_dict()
    assert freq["outlet"].nunique() >= 10
    top = set(freq.sort_values("count", ascending=False)["entity_en"].head(15))
    assert {"Saudi Arabia", "Riyadh"} <= top
