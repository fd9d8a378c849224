"""The loader: the bundled corpus, user corpora in each format, and one test per kind of bad input."""
import csv
import json
import shutil
import warnings

import pandas as pd
import pytest

from arabnews import CORPUS_DIR
from arabnews.corpus import CORPUS_COLUMNS, CorpusError, CorpusWarning, load_corpus, load_log

ARTICLE = "عنوان تجريبي عن لقاء بوتين وكيم\nوقال بوتين إن روسيا ستدعم كوريا الشمالية دائما.\n"
OTHER = "خبر آخر عن موسكو وبيونغ يانغ\nوأضاف كيم أن العلاقات تدخل حقبة جديدة.\n"


def write_folder(tmp_path, files: dict[str, bytes | str], rows: list[dict] | None = None, meta: str | None = None):
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if meta is not None:
        (tmp_path / "metadata.csv").write_text(meta, encoding="utf-8")
    elif rows is not None:
        with open(tmp_path / "metadata.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


def two_articles(tmp_path, first=ARTICLE, second=OTHER, **row_overrides):
    rows = [{"id": "a1", "file": "a1.txt", "outlet": "one"}, {"id": "a2", "file": "a2.txt", "outlet": "two"}]
    rows[1].update(row_overrides)
    return write_folder(tmp_path, {"a1.txt": first, "a2.txt": second}, rows)


# --- the bundled corpus ---------------------------------------------------------------------
def test_bundled_corpus_has_five_articles_from_four_named_outlets():
    corpus = load_corpus()
    assert list(corpus.columns) == CORPUS_COLUMNS
    assert len(corpus) == 5
    named = set(corpus.outlet) - {"unknown"}
    assert len(named) >= 4
    assert corpus.id.tolist() == ["000", "001", "002", "003", "004"]


def test_bundled_corpus_raw_text_is_the_files_byte_for_byte():
    corpus = load_corpus()
    for row in corpus.itertuples():
        assert (CORPUS_DIR / row.file).read_bytes() == row.raw_text.encode("utf-8")


def test_bundled_metadata_is_honest_about_dates_and_sources():
    corpus = load_corpus().set_index("id")
    assert corpus.loc["003", "date"] == pd.Timestamp("2023-09-14") and corpus.loc["003", "date_source"] == "stated"
    assert corpus.loc["003", "date_raw"] == "2023-09-14" and corpus.date.dtype == "datetime64[ns]"
    assert corpus.date_source.value_counts().to_dict() == {"inferred": 4, "stated": 1}
    assert set(corpus.date_source) <= {"stated", "inferred", "unknown"}
    assert corpus.loc["001", "outlet"] == "unknown" and "No outlet" in corpus.loc["001", "source_note"]
    assert "الجزيرة" in corpus.loc["000", "stated_source"]
    assert (corpus.source_note.str.len() > 40).all()


def test_clean_false_keeps_the_raw_text():
    corpus = load_corpus(clean=False)
    assert "Jannah Theme License" in corpus.set_index("id").loc["002", "text"]
    assert (corpus.n_removed_lines == 0).all()


def test_cleaning_shrinks_the_appended_article_seed():
    corpus = load_corpus().set_index("id")
    assert corpus.loc["003", "text"].count("بوتين") < corpus.loc["003", "raw_text"].count("بوتين") / 1.5


def test_bundled_corpus_loads_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus()
    assert load_log(corpus).empty


# --- user corpora -------------------------------------------------------------------------------
def test_folder_corpus_with_minimal_metadata(tmp_path):
    corpus = load_corpus(two_articles(tmp_path))
    assert corpus.outlet.tolist() == ["one", "two"]
    assert corpus.date.isna().all() and corpus.date_raw.tolist() == ["unknown", "unknown"]
    assert corpus.title[0] == "عنوان تجريبي عن لقاء بوتين وكيم"


def test_csv_table_generates_ids(tmp_path):
    path = tmp_path / "articles.csv"
    pd.DataFrame({"text": [ARTICLE, OTHER], "outlet": ["x", "y"]}).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert corpus.id.tolist() == ["articles.csv:1", "articles.csv:2"]
    assert corpus.file.tolist() == ["articles.csv"] * 2


def test_jsonl_table(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": t, "outlet": "x"}, ensure_ascii=False)
                              for i, t in (("j1", ARTICLE), ("j2", OTHER))), encoding="utf-8")
    assert load_corpus(path).id.tolist() == ["j1", "j2"]


def test_parquet_table(tmp_path):
    path = tmp_path / "articles.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": [ARTICLE, OTHER], "outlet": ["x", "y"]}).to_parquet(path)
    assert load_corpus(path).outlet.tolist() == ["x", "y"]


def test_explicit_encoding_escape_hatch(tmp_path):
    folder = two_articles(tmp_path, second=OTHER.encode("cp1256"))
    corpus = load_corpus(folder, encoding="cp1256")
    assert corpus.text[1].startswith("خبر آخر عن موسكو")


# --- bad input: a clear error naming the file and the problem, or a reported repair --------------
def test_windows_1256_file_is_named_and_diagnosed(tmp_path):
    folder = two_articles(tmp_path, second=OTHER.encode("cp1256"))
    with pytest.raises(CorpusError, match=r"a2\.txt: not valid UTF-8.*Windows-1256.*encoding='cp1256'"):
        load_corpus(folder)


def test_utf8_bom_is_repaired_and_reported(tmp_path):
    folder = two_articles(tmp_path, second=b"\xef\xbb\xbf" + OTHER.encode("utf-8"))
    with pytest.warns(CorpusWarning, match="a2.txt: UTF-8 byte-order mark"):
        corpus = load_corpus(folder)
    assert not corpus.raw_text[1].startswith("\ufeff")
    assert load_log(corpus).action.tolist() == ["removed (repair)"]


def test_empty_file_is_excluded_and_logged(tmp_path):
    with pytest.warns(CorpusWarning, match=r"metadata\.csv: line 3 \(id a2, file a2\.txt\): article text is empty"):
        corpus = load_corpus(two_articles(tmp_path, second="  \n\n"))
    assert corpus.id.tolist() == ["a1"]
    assert load_log(corpus)[["id", "action"]].values.tolist() == [["a2", "excluded"]]


def test_all_files_empty_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match=r"no article has any text \(2 row\(s\), all empty\)"):
        load_corpus(two_articles(tmp_path, first="", second="  \n\n"))


def test_file_listed_but_missing(tmp_path):
    folder = two_articles(tmp_path)
    (folder / "a2.txt").unlink()
    with pytest.raises(CorpusError, match=r"metadata\.csv: line 3: lists 'a2\.txt', which is not in"):
        load_corpus(folder)


def test_file_present_but_not_listed(tmp_path):
    folder = two_articles(tmp_path)
    (folder / "stray.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"not listed in metadata\.csv: stray\.txt"):
        load_corpus(folder)


def test_blank_outlet(tmp_path):
    with pytest.raises(CorpusError, match=r"metadata\.csv: line 3 \(id a2\): outlet is missing"):
        load_corpus(two_articles(tmp_path, outlet="  "))


def test_missing_outlet_column_in_table(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [ARTICLE]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"t\.csv: missing column\(s\) outlet"):
        load_corpus(path)


def test_duplicate_ids(tmp_path):
    with pytest.raises(CorpusError, match=r"line 3: duplicate id 'a1' \(first at .*line 2\)"):
        load_corpus(two_articles(tmp_path, id="a1"))


def test_exact_duplicate_texts_warn_and_are_kept(tmp_path):
    with pytest.warns(CorpusWarning, match=r"a2\.txt \(id a2\): exact duplicate of id a1"):
        corpus = load_corpus(two_articles(tmp_path, second=ARTICLE))
    assert len(corpus) == 2


def test_exact_duplicate_texts_dropped_on_request_and_recorded(tmp_path):
    with pytest.warns(CorpusWarning):
        corpus = load_corpus(two_articles(tmp_path, second=ARTICLE), drop_duplicates=True)
    assert corpus.id.tolist() == ["a1"]
    assert load_log(corpus).action.str.startswith("dropped").tolist() == [True]


def test_text_without_arabic_warns(tmp_path):
    with pytest.warns(CorpusWarning, match=r"a2\.txt \(id a2\): text has no Arabic letters"):
        load_corpus(two_articles(tmp_path, second="Only English text here.\n"))


def test_malformed_csv_row(tmp_path):
    meta = "id,file,outlet\na1,a1.txt,one\na2,a2.txt,two,extra\n"
    folder = write_folder(tmp_path, {"a1.txt": ARTICLE, "a2.txt": OTHER}, meta=meta)
    with pytest.raises(CorpusError, match=r"metadata\.csv: line 3: expected 3 fields .* found 4"):
        load_corpus(folder)


def test_malformed_jsonl_row(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "outlet": "x"}) + "\n{\"text\": \"unterminated\n",
                    encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl: line 2: not valid JSON"):
        load_corpus(path)


def test_folder_without_metadata(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CorpusError, match="no metadata.csv"):
        load_corpus(tmp_path)


def test_unknown_path_and_wrong_kind(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(CorpusError, match="not a corpus"):
        load_corpus(tmp_path / "x.docx")


def test_copy_of_bundled_corpus_loads_the_same(tmp_path):
    shutil.copytree(CORPUS_DIR, tmp_path / "c")
    pd.testing.assert_frame_equal(load_corpus(tmp_path / "c"), load_corpus())


# --- identity and the cache ---------------------------------------------------------------------
def test_corpus_has_a_name_and_a_fingerprint(tmp_path):
    corpus = load_corpus()
    assert corpus.attrs["name"] == "corpus" and "/" not in corpus.attrs["name"]
    fingerprint = corpus.attrs["fingerprint"]
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert load_corpus().attrs["fingerprint"] == fingerprint
    assert load_corpus(clean=False).attrs["fingerprint"] != fingerprint
    shutil.copytree(CORPUS_DIR, tmp_path / "c")
    (tmp_path / "c" / "000_a858b1da649fe47d.txt").write_text(ARTICLE, encoding="utf-8")
    assert load_corpus(tmp_path / "c").attrs["fingerprint"] != fingerprint


def test_cache_round_trip_keeps_frame_and_json_attrs(tmp_path, monkeypatch):
    from arabnews import cache
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    assert not cache.enabled() and cache.load("corpus", "k1") is None
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    assert cache.enabled()
    frame = pd.DataFrame({"id": ["a", "b"], "n": [1, 2], "when": pd.to_datetime(["2024-06-19", None])})
    frame.attrs = {"load_log": [{"source": "x", "problem": "p", "action": "a"}], "name": "demo",
                   "audit": pd.DataFrame({"id": ["a"], "line": [3]}), "opaque": object()}
    cache.save("corpus", "k1", frame)
    back = cache.load("corpus", "k1")
    pd.testing.assert_frame_equal(back, frame)
    assert back.attrs["load_log"] == frame.attrs["load_log"] and back.attrs["name"] == "demo"
    assert back.attrs["audit"].to_dict("list") == {"id": ["a"], "line": [3]}
    assert "opaque" not in back.attrs


def test_corrupt_cache_entry_is_ignored_and_removed(tmp_path, monkeypatch):
    from arabnews import cache
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    (tmp_path / "corpus").mkdir()
    entry = tmp_path / "corpus" / "bad.parquet"
    entry.write_bytes(b"PAR1 not really")
    assert cache.load("corpus", "bad") is None and not entry.exists()
    with pytest.raises(ValueError, match="cache key"):
        cache.load("corpus", "../escape")
