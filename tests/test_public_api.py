"""Every public function of ``helpers`` runs with its defaults on three real corpora.

The corpora: the five seeds (``h.load_corpus()``), a 300-article stratified sample of SaudiNewsNet
loaded through the real loader from ../shared, and a clean six-article CSV written here (three
outlets, plain Egypt / Saudi / Gaza news). Each call must return the documented type; the CSV also
checks that the eleven names it was written with are all found and that nothing needs cleaning.
The end of the file holds regression tests for the cases of issue 13 that had none elsewhere.
"""
from __future__ import annotations

import csv
import inspect
import json
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import polars as pl
import pytest
from IPython.display import HTML
from pandas.io.formats.style import Styler

import helpers as h

matplotlib.use("Agg")

PROJECT = Path(__file__).resolve().parent.parent

# --- the clean CSV: six plain news articles, three outlets, every one dated ------------------------
CLEAN_ARTICLES = [
    ("ahram-1", "ahram", "2024-03-01", "السيسي يستقبل وفدا في القاهرة",
     "استقبل الرئيس السيسي في القاهرة وفدا من رجال الأعمال لبحث الاستثمار في مصر.\n"
     "وقال المتحدث الرسمي إن اللقاء تناول مشروعات الطاقة والنقل في مصر."),
    ("ahram-2", "ahram", "2024-03-08", "مصر تدعو إلى وقف إطلاق النار في غزة",
     "دعت مصر إلى وقف فوري لإطلاق النار في غزة وإدخال المساعدات عبر معبر رفح.\n"
     "وأكدت القاهرة أن الحل السياسي هو الطريق الوحيد لإنهاء الحرب."),
    ("riyadh-1", "riyadh", "2024-03-02", "محمد بن سلمان يلتقي وزراء الطاقة",
     "التقى ولي العهد الأمير محمد بن سلمان في الرياض وزراء الطاقة في دول الخليج.\n"
     "وبحث الجانبان أسعار النفط وقرارات تحالف أوبك للإنتاج في الأشهر المقبلة."),
    ("riyadh-2", "riyadh", "2024-03-09", "السعودية تعلن خطة جديدة للإسكان",
     "أعلنت السعودية خطة جديدة لبناء المساكن في الرياض وجدة خلال خمس سنوات.\n"
     "وقال وزير الإسكان إن الخطة تستهدف الأسر ذات الدخل المحدود."),
    ("gaza-1", "gazanews", "2024-03-03", "قصف إسرائيلي على غزة",
     "قالت وزارة الصحة في غزة إن القصف أسفر عن سقوط ضحايا مدنيين.\n"
     "واتهم مسؤولون فلسطينيون إسرائيل بتعطيل دخول المساعدات الإنسانية."),
    ("gaza-2", "gazanews", "2024-03-10", "توتر على حدود لبنان",
     "تبادلت إسرائيل وجماعات مسلحة في لبنان القصف على الحدود الجنوبية.\n"
     "وحذرت سوريا من اتساع رقعة الصراع في المنطقة، ودعت إلى ضبط النفس."),
]

# The eleven names written into the CSV, and the gazetteer's English label of each (looked up by
# hand in arabnews/data/gazetteer.csv; السعودية and الرياض are separate entities there).
CSV_NAMES = {"القاهرة": "Cairo", "غزة": "Gaza", "مصر": "Egypt", "السعودية": "Saudi Arabia",
             "الرياض": "Riyadh", "السيسي": "Abdel Fattah el-Sisi", "محمد بن سلمان": "Mohammed bin Salman",
             "أوبك": "OPEC", "إسرائيل": "Israel", "لبنان": "Lebanon", "سوريا": "Syria"}


def write_clean_csv(folder: Path) -> Path:
    path = folder / "clean_news.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "outlet", "date", "title", "text"])
        writer.writerows(CLEAN_ARTICLES)
    return path


# --- the three corpora, and for each a word known (by reading) to occur in it -----------------------
# kwic / dispersion / term_trends need a term: a frequent word of each corpus, chosen by reading.
TERM = {"seeds": "بوتين", "snn": "المملكة", "clean_csv": "غزة"}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, snn_dir):
    folder = tmp_path_factory.mktemp("api")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snn = h.sample_corpus(h.load_corpus(snn_dir), n=300)    # ~11 s for the full load here
        return {"seeds": h.load_corpus(), "snn": snn, "clean_csv": h.load_corpus(write_clean_csv(folder))}


@pytest.fixture(scope="module")
def made(corpora):
    """Per corpus, the intermediate tables other functions take (made once)."""
    out = {}
    for name, corpus in corpora.items():
        term = TERM[name]
        out[name] = {
            "corpus": corpus, "term": term, "target": sorted(corpus["outlet"].unique())[0],
            "freqs": h.term_frequencies(corpus), "tokens": h.tokens(corpus),
            "keyness": h.keyness(corpus, target=sorted(corpus["outlet"].unique())[0]),
            "entities": h.entity_frequencies(corpus), "trends": h.term_trends(corpus, [term]),
            "dispersion": h.dispersion(corpus, term), "kwic": h.kwic(corpus, term),
            "text": corpus["text"].iloc[0],
        }
    return out


def _notebook():
    return nbformat.read(PROJECT / "notebooks" / "00_start_here.ipynb", as_version=4)


def _axes(c):
    return plt.subplots()[1]


# name -> (call given the made tables and tmp_path, expected result type). Functions without
# required arguments are called bare; the others get the arguments listed here.
AXES, FIGURE, FRAME = matplotlib.axes.Axes, matplotlib.figure.Figure, pd.DataFrame
NONE = type(None)
CALLS = {
    "arabic_font_files": (lambda c, t: h.arabic_font_files(), list),
    "article_lengths": (lambda c, t: h.article_lengths(c["corpus"]), FRAME),
    "build_classroom": (lambda c, t: h.build_classroom([PROJECT / "notebooks" / "00_start_here.ipynb"],
                                                       out_dir=t / "classroom"), dict),
    "caption_spans": (lambda c, t: h.caption_spans(c["corpus"]), FRAME),
    "check_answer": (lambda c, t: h.check_answer(1, 1, hint="count again"), NONE),
    "clean_article": (lambda c, t: h.clean_article(c["corpus"]["raw_text"].iloc[0]), tuple),
    "clean_corpus": (lambda c, t: h.clean_corpus(c["corpus"][["id", "outlet", "raw_text"]]), FRAME),
    "cleaning_report": (lambda c, t: h.cleaning_report(c["corpus"]), FRAME),
    "cleaning_rules": (lambda c, t: h.cleaning_rules(), FRAME),
    "collocations": (lambda c, t: h.collocations(c["corpus"]), FRAME),
    "combine_furniture": (lambda c, t: h.combine_furniture(h.furniture_lines(c["corpus"]),
                                                           h.furniture_lines(c["corpus"])), FRAME),
    "compound_phrases": (lambda c, t: h.compound_phrases(), tuple),
    "corpus_name": (lambda c, t: h.corpus_name(c["corpus"]), str),
    "corpus_sizes": (lambda c, t: h.corpus_sizes(c["corpus"]), FRAME),
    "count_terms": (lambda c, t: h.count_terms(c["corpus"]), pl.DataFrame),
    "count_tokens": (lambda c, t: h.count_tokens(c["corpus"]), pd.Series),
    "describe_cleaning": (lambda c, t: h.describe_cleaning(c["corpus"]), str),
    "describe_corpus": (lambda c, t: h.describe_corpus(c["corpus"]), str),
    "describe_dates": (lambda c, t: h.describe_dates(c["corpus"]), str),
    "describe_left_out": (lambda c, t: h.describe_left_out(c["freqs"]), str),
    "dispersion": (lambda c, t: h.dispersion(c["corpus"], c["term"]), FRAME),
    "display_forms": (lambda c, t: h.display_forms(c["corpus"]), FRAME),
    "entity_article_counts": (lambda c, t: h.entity_article_counts(c["corpus"]), FRAME),
    "entity_cooccurrence": (lambda c, t: h.entity_cooccurrence(c["corpus"]), FRAME),
    "entity_frequencies": (lambda c, t: h.entity_frequencies(c["corpus"]), FRAME),
    "entity_mentions": (lambda c, t: h.entity_mentions(c["corpus"]), FRAME),
    "entity_trends": (lambda c, t: h.entity_trends(c["corpus"]), FRAME),
    "explore": (lambda c, t: h.explore(lambda n: h.plot_top_terms(c["freqs"], n=n), n=[5, 10],
                                       save_as="explore", save_dir=t), NONE),
    "furniture_lines": (lambda c, t: h.furniture_lines(c["corpus"]), FRAME),
    "gazetteer_phrases": (lambda c, t: h.gazetteer_phrases(), list),
    "has_arabic": (lambda c, t: h.has_arabic(c["text"]), bool),
    "is_starter_corpus": (lambda c, t: h.is_starter_corpus(c["corpus"]), bool),
    "join_compounds": (lambda c, t: pl.select(h.join_compounds(pl.lit(h.normalize(c["text"])),
                                                               h.compound_phrases())), pl.DataFrame),
    "join_compounds_text": (lambda c, t: h.join_compounds_text(h.normalize(c["text"]), h.compound_phrases()), str),
    "keyness": (lambda c, t: h.keyness(c["corpus"], target=c["target"]), FRAME),
    "keyness_measure": (lambda c, t: h.keyness_measure(c["keyness"]), str),
    "kwic": (lambda c, t: h.kwic(c["corpus"], c["term"]), FRAME),
    "load_corpus": (lambda c, t: h.load_corpus(), FRAME),
    "load_gazetteer": (lambda c, t: h.load_gazetteer(), FRAME),
    "load_log": (lambda c, t: h.load_log(c["corpus"]), FRAME),
    "md_code": (lambda c, t: h.md_code(c["term"]), str),
    "md_text": (lambda c, t: h.md_text(c["term"]), str),
    "most_frequent": (lambda c, t: h.most_frequent(c["corpus"]["outlet"], "outlets"), str),
    "ngrams": (lambda c, t: h.ngrams(c["corpus"]), FRAME),
    "normalize": (lambda c, t: h.normalize(c["text"]), str),
    "normalize_with_offsets": (lambda c, t: h.normalize_with_offsets(c["text"]), tuple),
    "overall_top_terms": (lambda c, t: h.overall_top_terms(c["freqs"]), list),
    "plot_article_lengths": (lambda c, t: h.plot_article_lengths(c["corpus"]), AXES),
    "plot_dispersion": (lambda c, t: h.plot_dispersion(c["dispersion"]), AXES),
    "plot_entity_heatmap": (lambda c, t: h.plot_entity_heatmap(c["entities"]), AXES),
    "plot_keyness": (lambda c, t: h.plot_keyness(c["keyness"]), AXES),
    "plot_terms_by_outlet": (lambda c, t: h.plot_terms_by_outlet(c["freqs"]), FIGURE),
    "plot_top_terms": (lambda c, t: h.plot_top_terms(c["freqs"]), AXES),
    "plot_totals": (lambda c, t: h.plot_totals(c["corpus"]), AXES),
    "plot_trends": (lambda c, t: h.plot_trends(c["trends"]), AXES),
    "plot_trends_grid": (lambda c, t: h.plot_trends_grid(c["trends"]), FIGURE),
    "plot_wordcloud": (lambda c, t: h.plot_wordcloud(c["freqs"]), AXES),
    "rtl_text": (lambda c, t: h.rtl_text(c["text"]), HTML),
    "sample_corpus": (lambda c, t: h.sample_corpus(c["corpus"]), FRAME),
    "save_figure": (lambda c, t: h.save_figure(h.plot_top_terms(c["freqs"]), "api", directory=t), list),
    "say": (lambda c, t: h.say(h.describe_corpus(c["corpus"])), NONE),
    "say_empty": (lambda c, t: h.say_empty(c["freqs"], "no terms"), Styler),
    "set_digits": (lambda c, t: h.set_digits(), NONE),
    "setup_arabic_fonts": (lambda c, t: h.setup_arabic_fonts(), list),
    "shape_for_display": (lambda c, t: h.shape_for_display(c["term"]), str),
    "show_figure": (lambda c, t: h.show_figure(h.plot_top_terms(c["freqs"]), save_as="shown", save_dir=t), NONE),
    "show_kwic": (lambda c, t: h.show_kwic(c["kwic"]), Styler),
    "show_rtl": (lambda c, t: h.show_rtl(c["freqs"]), Styler),
    "split_clitics": (lambda c, t: h.split_clitics(c["tokens"]), tuple),
    "stated_metadata": (lambda c, t: h.stated_metadata(c["corpus"]["raw_text"].iloc[0]), dict),
    "stated_metadata_frame": (lambda c, t: h.stated_metadata_frame(c["corpus"]["raw_text"]), FRAME),
    "stopwords": (lambda c, t: h.stopwords(), frozenset),
    "student_copy": (lambda c, t: h.student_copy(_notebook(), t, "00_start_here"), nbformat.NotebookNode),
    "suggest_entities": (lambda c, t: h.suggest_entities(c["corpus"]), FRAME),
    "suggest_period": (lambda c, t: h.suggest_period(c["corpus"]), str),
    "teacher_copy": (lambda c, t: h.teacher_copy(_notebook(), t, "00_start_here"), nbformat.NotebookNode),
    "teaching_guide": (lambda c, t: h.teaching_guide("00_start_here"), str),
    "term_frequencies": (lambda c, t: h.term_frequencies(c["corpus"]), FRAME),
    "term_trends": (lambda c, t: h.term_trends(c["corpus"], c["term"]), FRAME),
    "tokenize": (lambda c, t: h.tokenize(c["text"]), list),
    "tokens": (lambda c, t: h.tokens(c["corpus"]), FRAME),
    "without_captions": (lambda c, t: h.without_captions(c["corpus"]), FRAME),
}

# Functions that cannot run in a unit test, each with its reason. None here: entity_mentions runs
# with its default backend (the gazetteer); its backend="transformers" needs a model on disk and is
# covered by tests/test_entities.py; build_classroom writes into tmp_path like save_figure.
SKIPPED: dict[str, str] = {}


def public_functions() -> list[str]:
    return sorted(n for n in dir(h) if not n.startswith("_") and inspect.isfunction(getattr(h, n))
                  and (getattr(h, n).__module__ or "").startswith("arabnews"))


def test_every_public_function_is_called_or_skipped_with_a_reason():
    names = set(public_functions())
    assert names == set(CALLS) | set(SKIPPED), (
        f"not covered: {sorted(names - set(CALLS) - set(SKIPPED))}; "
        f"no longer public: {sorted(set(CALLS) | set(SKIPPED) - names)}")


# Tables that are rightly empty on a corpus (each found empty by a run, the reason checked by reading).
MAY_BE_EMPTY = {
    "seeds": {"load_log": "the seeds load with nothing to repair"},
    "snn": {"caption_spans": "no photo caption is kept in this sample's articles"},
    "clean_csv": {"caption_spans": "no captions written", "cleaning_report": "nothing to clean",
                  "load_log": "nothing to repair",
                  "collocations": "six short articles: no word pair reaches min_count=3",
                  "suggest_entities": "every name written is in the gazetteer"},
}


@pytest.mark.parametrize("corpus_name", ["seeds", "snn", "clean_csv"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_public_function_runs_with_defaults(name, corpus_name, made, tmp_path):
    call, expected = CALLS[name]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(made[corpus_name], tmp_path)
        assert isinstance(result, expected), f"{name} returned {type(result).__name__}"
        if isinstance(result, (pd.DataFrame, pl.DataFrame)) and name not in MAY_BE_EMPTY.get(corpus_name, ()):
            assert len(result) > 0, f"{name} returned an empty table on {corpus_name}"
        if name == "save_figure":
            assert all(p.is_file() and p.stat().st_size > 0 for p in result)
        if name == "build_classroom":
            assert all(p.is_file() for paths in result.values() for p in paths) and len(result["teacher"]) == 1
    finally:
        plt.close("all")
        h.set_digits("ascii")


# --- the clean CSV: the names written are found, nothing is cleaned --------------------------------
def test_clean_csv_entities_are_the_eleven_names_written(made):
    ents = made["clean_csv"]["entities"]
    found = set(ents["entity_en"])
    assert set(CSV_NAMES.values()) <= found, f"missed: {set(CSV_NAMES.values()) - found}"
    by_outlet = {(o, e) for o, e in zip(ents["outlet"], ents["entity_en"])}
    # where each name was written (by reading CLEAN_ARTICLES above)
    written = {("ahram", "Cairo"), ("ahram", "Gaza"), ("ahram", "Egypt"), ("ahram", "Abdel Fattah el-Sisi"),
               ("riyadh", "Saudi Arabia"), ("riyadh", "Riyadh"), ("riyadh", "Mohammed bin Salman"),
               ("riyadh", "OPEC"), ("gazanews", "Gaza"), ("gazanews", "Israel"), ("gazanews", "Lebanon"),
               ("gazanews", "Syria")}
    assert written <= by_outlet, f"missed: {sorted(written - by_outlet)}"


def test_clean_csv_needs_no_cleaning(corpora):
    corpus = corpora["clean_csv"]
    assert len(corpus) == 6 and corpus["outlet"].nunique() == 3
    assert h.cleaning_report(corpus).empty and h.load_log(corpus).empty
    assert corpus.attrs.get("cleaning_emptied", []) == []
    assert (corpus["text"] == corpus["raw_text"].str.strip()).all()
    assert corpus["date"].notna().all()


# --- SaudiNewsNet: the top terms of every outlet are words of the news, not of the site -----------------
# Furniture words, made by reading the raw text of SaudiNewsNet articles (the first few of each
# outlet, and the short lines repeated across an outlet's articles): the words of read-more links,
# agency end marks, SMS-subscription and advertisement notices, share / follow prompts and comment
# counters. Written in the normalised spelling the frequency table uses (ا for أ/إ).
FURNITURE_WORDS = {"المزيد", "اقرا", "انتهى", "يتبع", "sms", "اعلان", "اعلانات", "مشاركة", "شارك",
                   "تابعونا", "تابعنا", "تعليقات", "التعليقات", "تعليق", "اضف", "طباعة", "ارسال",
                   "الرئيسية", "الوسوم", "twitter", "facebook"}


def test_saudinewsnet_top_terms_are_news_words(corpora):
    freqs = h.term_frequencies(corpora["snn"], stopwords=h.stopwords())
    top = freqs.sort_values(["outlet", "count"], ascending=[True, False]).groupby("outlet").head(20)
    assert top["outlet"].nunique() >= 13          # every outlet with a non-empty article in the sample
    assert not top["term"].str.contains(r"[0-9٠-٩]").any(), top[top["term"].str.contains(r"[0-9٠-٩]")]
    assert not top["term"].str.contains(r"[A-Za-z]").any(), top[top["term"].str.contains(r"[A-Za-z]")]
    furniture = top[top["term"].isin(FURNITURE_WORDS)]
    assert furniture.empty, furniture[["outlet", "term", "count"]]


def test_a_comment_counter_alone_is_cleaned_away():
    """SaudiNewsNet (arriyadiyah) has articles whose whole text is the comment counter
    'تعليقات ()'; it was kept as the outlet's only word."""
    text, audit = h.clean_article(" \n تعليقات () ")
    assert text == "" and audit["rule"].tolist() == ["comment_prompt"]
    kept = "وقال الوزير إن التعليقات على القرار كثيرة."
    assert h.clean_article(kept + "\nتعليقات (3)")[0] == kept


# --- issue 13 cases without a regression test elsewhere --------------------------------------------
def _idless_jsonl(path: Path, outlet: str, text: str) -> Path:
    path.write_text(json.dumps({"outlet": outlet, "date": "2024-03-01", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def test_two_idless_corpora_concatenated_keep_each_article_apart(tmp_path):
    """Issue 13: both got id 0001, so kwic cut one text with the other's offsets, dispersion
    merged their counts and entity counts went to the wrong outlet."""
    a = h.load_corpus(_idless_jsonl(tmp_path / "a.jsonl", "ahram", "زار السيسي القاهرة اليوم."))
    b = h.load_corpus(_idless_jsonl(tmp_path / "b.jsonl", "riyadh",
                                    "قال مسؤول في الرياض إن السيسي سيزور الرياض ثم يعود إلى القاهرة مرة أخرى."))
    both = pd.concat([a, b], ignore_index=True)
    assert both["id"].is_unique
    hits = h.kwic(both, "القاهرة")
    assert sorted(zip(hits["outlet"], hits["left"])) == [("ahram", "زار السيسي"),
                                                        ("riyadh", "سيزور الرياض ثم يعود إلى")]
    disp = h.dispersion(both, "السيسي")
    assert disp.groupby("outlet").size().to_dict() == {"ahram": 1, "riyadh": 1}
    ents = h.entity_frequencies(both)
    counts = {(o, e): n for o, e, n in zip(ents["outlet"], ents["entity_en"], ents["count"])}
    assert counts[("ahram", "Cairo")] == 1 and counts[("riyadh", "Riyadh")] == 2
    assert counts[("riyadh", "Abdel Fattah el-Sisi")] == 1 and ("ahram", "Riyadh") not in counts


def test_entity_counts_refuse_repeated_ids(corpora):
    """Issue 13: with repeated ids entity counts went to the wrong outlet; now refused, as kwic,
    dispersion and the frequency tables refuse them."""
    seeds = corpora["seeds"]
    twice = pd.concat([seeds, seeds.assign(outlet="copy")], ignore_index=True)
    for call in (h.entity_mentions, h.entity_frequencies):
        with pytest.raises(ValueError, match="repeated ids"):
            call(twice)
