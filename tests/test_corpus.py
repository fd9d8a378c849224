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


def test_outlet_of_invisible_marks_only_is_missing(tmp_path):
    with pytest.raises(CorpusError, match=r"metadata\.csv: line 3 \(id a2\): outlet is missing"):
        load_corpus(two_articles(tmp_path, outlet="\u200f\u200b "))


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


# --- issue 13: every loader failure a CorpusError naming the file; every repair in load_log ----------
def write_table(path, rows):
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_header_only_metadata_is_a_corpus_error(tmp_path):
    folder = write_folder(tmp_path, {"a1.txt": ARTICLE}, meta="id,file,outlet\n")
    with pytest.raises(CorpusError, match=r"metadata\.csv: no rows \(only a header: id, file, outlet\)"):
        load_corpus(folder)


@pytest.mark.parametrize("content", [b"", b"PAR1 this is not parquet at all PAR1"])
def test_corrupt_or_empty_parquet_is_a_corpus_error(tmp_path, content):
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=r"broken\.parquet: not a readable Parquet file"):
        load_corpus(path)


def test_lone_surrogate_in_jsonl_names_the_line(tmp_path):
    path = tmp_path / "s.jsonl"
    good = json.dumps({"text": ARTICLE, "outlet": "x"}, ensure_ascii=False)
    path.write_text(good + "\n" + '{"text": "نص \\ud800 مكسور", "outlet": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"s\.jsonl: line 2: holds a lone surrogate"):
        load_corpus(path)


def test_csv_field_longer_than_the_csv_module_limit(tmp_path):
    long_text = ARTICLE + ("وقال بوتين إن العلاقات قوية. " * 6000)   # ~170,000 characters
    assert len(long_text) > 131072
    corpus = load_corpus(write_table(tmp_path / "long.csv", [{"text": long_text, "outlet": "x"}]), clean=False)
    assert corpus.raw_text[0] == long_text


def test_nested_json_in_an_extra_column_is_stored_as_json_and_logged(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "outlet": "x", "tags": ["بوتين", "كيم"],
                                "meta": {"page": 3}}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"column 'tags': 1 nested value"):
        corpus = load_corpus(path)
    assert json.loads(corpus.tags[0]) == ["بوتين", "كيم"] and json.loads(corpus.meta[0]) == {"page": 3}
    assert load_log(corpus).action.str.contains("stored as JSON text").sum() == 2


def test_nested_json_as_text_is_a_corpus_error(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"text": ["سطر", "آخر"], "outlet": "x"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"n\.jsonl: line 1: column 'text' holds a list"):
        load_corpus(path)


def test_list_and_binary_parquet_columns(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"text": [ARTICLE, OTHER], "outlet": ["x", "y"], "tags": [["a", "b"], ["c"]],
                  "blob": [b"\x89PNG\x00\xff", b"\x00\x01"]}).to_parquet(path)
    with pytest.warns(CorpusWarning):
        corpus = load_corpus(path)
    assert corpus.tags.tolist() == ['["a", "b"]', '["c"]']
    assert "blob" not in corpus.columns
    log = load_log(corpus)
    assert (log.problem == "column 'blob' holds binary data (not text)").sum() == 1
    assert log[log.problem.str.startswith("column 'blob'")].action.tolist() == ["column dropped"]


def test_generated_ids_carry_the_source_so_concatenated_corpora_stay_unique(tmp_path):
    first = load_corpus(write_table(tmp_path / "a.csv", [{"text": ARTICLE, "outlet": "x"}]))
    second = load_corpus(write_table(tmp_path / "b.csv", [{"text": OTHER, "outlet": "y"}]))
    both = pd.concat([first, second], ignore_index=True)
    assert both.id.tolist() == ["a.csv:1", "b.csv:1"] and both.id.is_unique


def test_jsonl_ids_are_file_and_line(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("\n" + json.dumps({"text": ARTICLE, "outlet": "x"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert load_corpus(path).id.tolist() == ["news.jsonl:2"]


def test_duplicate_ids_in_a_table_are_named(tmp_path):
    path = write_table(tmp_path / "d.csv", [{"id": "7", "text": ARTICLE, "outlet": "x"},
                                            {"id": "7", "text": OTHER, "outlet": "x"}])
    with pytest.raises(CorpusError, match=r"d\.csv: line 5: duplicate id '7' \(first at .*d\.csv: line 2\)"):
        load_corpus(path)


def test_outlet_spellings_are_folded_with_a_warning_and_a_log_row(tmp_path):
    texts = [f"{ARTICLE}\nرقم {i}" for i in range(5)]
    path = write_table(tmp_path / "o.csv", [{"text": t, "outlet": o} for t, o in
                                            zip(texts, ["BBC", "bbc", "bbc\u200f", " bbc ", "Al  Jazeera"])])
    with pytest.warns(CorpusWarning, match=r"outlet spellings folded: .*'BBC'.*'bbc'.*-> 'bbc'"):
        corpus = load_corpus(path)
    assert corpus.outlet.tolist() == ["bbc", "bbc", "bbc", "bbc", "Al Jazeera"]
    folded = load_log(corpus)[lambda t: t.action.str.startswith("folded to")]
    assert folded.action.tolist() == ["folded to 'Al Jazeera' (1 article(s))", "folded to 'bbc' (3 article(s))"]


def test_extra_columns_are_kept(tmp_path):
    path = write_table(tmp_path / "e.csv", [{"text": ARTICLE, "outlet": "x", "author": "سارة", "url": "https://a.example/1"}])
    corpus = load_corpus(path)
    assert corpus.columns[-2:].tolist() == ["author", "url"]
    assert corpus.author[0] == "سارة" and corpus.url[0] == "https://a.example/1"


def test_unlisted_file_of_any_case_is_reported(tmp_path):
    folder = two_articles(tmp_path)
    (folder / "B.TXT").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"not listed in metadata\.csv: B\.TXT"):
        load_corpus(folder)


def test_encoding_applies_to_metadata_too(tmp_path):
    meta = "id,file,outlet,outlet_name_ar\na1,a1.txt,one,الأولى\na2,a2.txt,two,الثانية\n"
    (tmp_path / "metadata.csv").write_bytes(meta.encode("cp1256"))
    for name, text in (("a1.txt", ARTICLE), ("a2.txt", OTHER)):
        (tmp_path / name).write_bytes(text.encode("cp1256"))
    with pytest.raises(CorpusError, match=r"metadata\.csv: not valid UTF-8.*encoding='cp1256'"):
        load_corpus(tmp_path)
    corpus = load_corpus(tmp_path, encoding="cp1256")
    assert corpus.outlet_name_ar.tolist() == ["الأولى", "الثانية"]


def test_utf16_advice_works(tmp_path):
    meta = "id,file,outlet,outlet_name_ar\na1,a1.txt,one,الأولى\n"
    (tmp_path / "metadata.csv").write_bytes(meta.encode("utf-16"))
    (tmp_path / "a1.txt").write_bytes(ARTICLE.encode("utf-16"))
    with pytest.raises(CorpusError, match=r"pass encoding='utf-16'") as err:
        load_corpus(tmp_path)
    assert "metadata.csv" in str(err.value)
    corpus = load_corpus(tmp_path, encoding="utf-16")
    assert corpus.outlet_name_ar[0] == "الأولى" and corpus.text[0].startswith("عنوان تجريبي")


@pytest.mark.parametrize("listed, message", [
    ("../outside.txt", r"leads out of the corpus folder \('\.\.' is refused\)"),
    ("/etc/hostname", r"absolute paths are refused"),
    ("link.txt", r"is a link that leads out of the corpus folder"),
])
def test_metadata_paths_must_stay_inside_the_folder(tmp_path, listed, message):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text(OTHER, encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")
    rows = [{"id": "a1", "file": "a1.txt", "outlet": "one"}, {"id": "a2", "file": listed, "outlet": "two"}]
    if listed != "link.txt":
        (folder / "link.txt").unlink()
    write_folder(folder, {"a1.txt": ARTICLE}, rows)
    with pytest.raises(CorpusError, match=r"metadata\.csv: line 3: file .*" + message):
        load_corpus(folder)


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028", "\u2029"])
def test_line_endings_are_normalised_before_cleaning(tmp_path, newline):
    raw = ARTICLE.replace("\n", newline)
    corpus = load_corpus(two_articles(tmp_path, second=raw))
    assert corpus.title[1] == "عنوان تجريبي عن لقاء بوتين وكيم"
    assert corpus.text[1] == corpus.text[0] and "\r" not in corpus.raw_text[1]
    log = load_log(corpus)
    assert log[log.problem.str.contains("line breaks")].action.tolist() == ["normalised to \\n before cleaning"]


def test_html_markup_in_a_text_field_is_converted_and_recorded(tmp_path):
    html = ("<div class='post'><p>عنوان تجريبي عن لقاء بوتين وكيم</p><script>alert('x')</script>"
            "<p>وقال بوتين إن روسيا &amp; كوريا الشمالية حليفتان.<br>وأضاف كيم&nbsp;كلاما.</p></div>")
    path = write_table(tmp_path / "h.csv", [{"text": html, "outlet": "x"}])
    with pytest.warns(CorpusWarning, match=r"h\.csv: line 2: HTML markup in the text field"):
        corpus = load_corpus(path)
    assert corpus.text[0].split("\n") == ["عنوان تجريبي عن لقاء بوتين وكيم",
                                          "وقال بوتين إن روسيا & كوريا الشمالية حليفتان.", "وأضاف كيم كلاما."]
    assert "alert" not in corpus.text[0] and "div" not in corpus.text[0]
    assert corpus.raw_html[0] == html
    assert load_log(corpus).id.tolist() == ["h.csv:1"]


def test_article_emptied_by_cleaning_is_logged_and_warned(tmp_path):
    junk = "Only English text here, nothing else at all.\n"
    with pytest.warns(CorpusWarning, match=r"a2\.txt \(id a2\): cleaning removed every line"):
        corpus = load_corpus(two_articles(tmp_path, second=junk))
    assert corpus.text[1] == "" and len(corpus) == 2
    log = load_log(corpus)
    assert log[log.problem.str.startswith("cleaning removed")].id.tolist() == ["a2"]


# --- HTML pages (trafilatura) -----------------------------------------------------------------------
BODY = ("<p>وقال الرئيس الروسي فلاديمير بوتين إن بلاده ستواصل دعم كوريا الشمالية في مواجهة العقوبات الغربية.</p>"
        "<p>وأضاف الزعيم الكوري الشمالي كيم جونغ أون أن العلاقات بين البلدين تدخل حقبة جديدة من التعاون.</p>"
        "<p>وجرت المحادثات في بيونغ يانغ بحضور وفدين رفيعي المستوى من البلدين واستمرت عدة ساعات.</p>")


def page(title, head=""):
    return (f"<html><head><title>{title}</title>{head}</head><body><nav><a href='/'>الرئيسية</a> | "
            f"<a href='/world'>عالم</a></nav><article><h1>{title}</h1>{BODY}</article>"
            "<footer>جميع الحقوق محفوظة 2024</footer></body></html>")


def test_folder_of_html_pages_without_metadata(tmp_path):
    (tmp_path / "a.html").write_text(page("لقاء بوتين وكيم", "<meta property='og:site_name' content='الجزيرة نت'>"),
                                     encoding="utf-8")
    (tmp_path / "b.htm").write_text(page("قمة في بيونغ يانغ", "<link rel='canonical' href='https://www.bbc.com/arabic/1'>"),
                                    encoding="utf-8")
    (tmp_path / "c.html").write_text(page("خبر بلا مصدر", "<meta property='article:published_time' "
                                          "content='2024-06-19T08:00:00+03:00'>"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.id.tolist() == ["a.html", "b.htm", "c.html"]
    assert corpus.outlet.tolist() == ["الجزيرة نت", "bbc.com", "unknown"]
    assert all("وقال الرئيس الروسي فلاديمير بوتين" in t for t in corpus.text)
    assert not any("جميع الحقوق محفوظة" in t or "الرئيسية" in t for t in corpus.raw_text)
    assert corpus.raw_html[0].startswith("<html>") and corpus.title[1] == "قمة في بيونغ يانغ"
    assert load_log(corpus).problem.str.contains("HTML page").sum() == 1
    assert corpus.date[2] == pd.Timestamp("2024-06-19") and corpus.date_source.tolist() == ["unknown", "unknown", "page metadata"]


def test_html_files_listed_in_metadata(tmp_path):
    (tmp_path / "p1.html").write_text(page("لقاء بوتين وكيم"), encoding="utf-8")
    (tmp_path / "t1.txt").write_text(ARTICLE, encoding="utf-8")
    rows = [{"id": "h1", "file": "p1.html", "outlet": "aljazeera"}, {"id": "t1", "file": "t1.txt", "outlet": "bbc"}]
    corpus = load_corpus(write_folder(tmp_path, {}, rows))
    assert corpus.outlet.tolist() == ["aljazeera", "bbc"]
    assert "كيم جونغ أون" in corpus.text[0] and "<p>" in corpus.raw_html[0] and corpus.raw_html[1] == ""
    assert load_log(corpus).problem.tolist() == ["1 HTML file(s): main text extracted with trafilatura"]


# --- SaudiNewsNet as distributed ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def snn_raw(snn_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(snn_dir, clean=False)


def test_saudinewsnet_folder_loads_with_its_preset(snn_raw):
    """31,030 articles as distributed: 354 empty ones excluded and listed, the rest kept."""
    log = load_log(snn_raw)
    assert len(snn_raw) == 31030 - 354
    empty = log[log.problem == "article text is empty"]
    assert len(empty) == 354 and empty.action.unique().tolist() == ["excluded"]
    assert not set(empty.id) & set(snn_raw.id)
    assert (log.action == "read with the preset 'saudinewsnet'").sum() == 1
    assert snn_raw.attrs["preset"] == "saudinewsnet" and snn_raw.attrs["name"] == "saudinewsnet"
    assert snn_raw.outlet.nunique() == 14 and snn_raw.id.is_unique
    assert {"author", "url"} <= set(snn_raw.columns)


def test_saudinewsnet_ids_dates_and_text(snn_raw):
    first = snn_raw.iloc[0]
    assert first.id == "2015-07-21.zip/2015-07-21.json:0" and first.file == "2015-07-21.zip/2015-07-21.json"
    assert first.outlet == "aawsat" and first.date == pd.Timestamp("2015-07-21 02:51:32")
    assert first.date_raw == "2015-07-21 02:51:32" and first.date_source == "crawled"
    assert first.title.startswith("بريطانيا: أربعة محاور لاستراتيجية جديدة")
    assert str(snn_raw.date.dtype) == "datetime64[ns]" and snn_raw.date.notna().all()
    assert snn_raw.date.min().date() == pd.Timestamp("2015-07-21").date()
    assert snn_raw.date.max().date() == pd.Timestamp("2015-08-11").date()


def test_one_saudinewsnet_zip_and_json(snn_dir, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_zip = load_corpus(snn_dir / "2015-07-21.zip", clean=False)
    import zipfile
    with zipfile.ZipFile(snn_dir / "2015-07-21.zip") as z:
        (tmp_path / "2015-07-21.json").write_bytes(z.read("2015-07-21.json"))
        records = json.loads(z.read("2015-07-21.json"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_json = load_corpus(tmp_path / "2015-07-21.json", clean=False)
    kept = [r for r in records if r["content"].strip()]
    assert len(from_zip) == len(from_json) == len(kept)
    assert from_json.id[0] == "2015-07-21.json:0" and from_json.raw_text.tolist() == from_zip.raw_text.tolist()


def test_columns_mapping_for_any_json(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"site": "okaz", "body": ARTICLE, "when": "2015-07-21"}, ensure_ascii=False),
                    encoding="utf-8")
    corpus = load_corpus(path, columns={"site": "outlet", "body": "text", "when": "date"})
    assert corpus.outlet[0] == "okaz" and corpus.date[0] == pd.Timestamp("2015-07-21")
    with pytest.raises(CorpusError, match=r"columns= names column\(s\) not in the input: nope"):
        load_corpus(path, columns={"nope": "text"})


# --- sample_corpus --------------------------------------------------------------------------------------
def test_sample_is_stratified_deterministic_and_recorded(snn_raw):
    from arabnews.corpus import sample_corpus
    sample = sample_corpus(snn_raw, n=1000)
    assert sample.equals(sample_corpus(snn_raw, n=1000)) and not sample.equals(sample_corpus(snn_raw, n=1000, seed=1))
    counts = sample.outlet.value_counts()
    assert counts.sum() == 1000 and len(counts) == 14
    assert counts["alriyadh"] == round(4815 / len(snn_raw) * 1000) and counts["arriyadiyah"] == 2
    assert sample.id.is_unique and set(sample.id) <= set(snn_raw.id)
    assert load_log(sample).problem.iloc[-1] == "stratified sample (n=1000, by='outlet')"
    assert sample.attrs["fingerprint"] != snn_raw.attrs["fingerprint"]


def test_sample_keeps_one_per_group_even_when_groups_outnumber_n():
    from arabnews.corpus import sample_corpus
    corpus = load_corpus()
    sample = sample_corpus(corpus, n=2)
    assert sorted(sample.outlet) == sorted(corpus.outlet.unique())
    assert "at least 1 each" in load_log(sample).action.iloc[-1]
    assert len(sample_corpus(corpus, n=50)) == 5
    with pytest.raises(ValueError, match="by='country' is not a column"):
        sample_corpus(corpus, by="country")


# --- load_corpus and the cache --------------------------------------------------------------------------
def test_load_corpus_uses_the_cache_and_rebuilds_a_corrupt_entry(tmp_path, monkeypatch):
    from arabnews import cache
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = load_corpus()
    entries = list((tmp_path / "cache" / "corpus").glob("*.parquet"))
    assert [e.stem for e in entries] == [first.attrs["fingerprint"]]
    again = load_corpus()
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs["load_log"] == first.attrs["load_log"] and again.attrs["name"] == "corpus"
    entries[0].write_bytes(b"not parquet")
    rebuilt = load_corpus()
    pd.testing.assert_frame_equal(rebuilt, first)
    assert entries[0].read_bytes()[:4] == b"PAR1"


def test_stated_lines_match_the_cleaning_rooms_definition(snn_sample_corpus):
    """The loader reads stated source/date/byline vectorised; same answers as cleaning.stated_metadata."""
    from arabnews.cleaning import stated_metadata
    for corpus in (load_corpus(), snn_sample_corpus):
        expected = pd.DataFrame([stated_metadata(t) for t in corpus.raw_text])
        pd.testing.assert_frame_equal(corpus[expected.columns].reset_index(drop=True), expected,
                                      check_dtype=False)
    assert load_corpus().set_index("id").loc["003", "stated_date"] == "14th, September 2023 GMT"


def test_html_with_control_characters_converts(tmp_path):
    """Found by the property test: lxml refuses control characters inside markup."""
    from arabnews.corpus import html_to_text
    assert html_to_text("<p>وقال\x1f بوتين</p><script>x</script>") == "وقال بوتين"


# --- the fast JSON reader equals the careful one -----------------------------------------------
FAST_JSON_RECORDS = [
    {"id": "j1", "outlet": "sabq", "date": "2015-08-01", "title": "عنوان \"مقتبس\"",
     "text": "قال الوزير: \u0627\u0644\u0631\u064a\u0627\u0636 تستضيف القمة.\nسطر ثان\tمع جدولة"},
    {"id": "j2", "outlet": "okaz", "date": None, "title": "", "text": "نص قصير عن جدة و NATO", "extra": "x"},
    {"id": "j3", "outlet": "Sabq", "date": "2015-08-02", "title": None,
     "text": "  مسافات في البداية والنهاية  \n\nفقرة بعد سطر فارغ"},
]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_plain_json_read_in_polars_equals_the_careful_reader(tmp_path, monkeypatch, suffix):
    """Plain UTF-8 JSON (lines or an array) is parsed by polars; the corpus, its load log and the
    cleaning attrs are those the careful Python reader gives (forced here by turning the fast
    path off)."""
    from arabnews import readers
    path = tmp_path / f"news{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in FAST_JSON_RECORDS) + "\n",
                        encoding="utf-8")
    else:
        path.write_text(json.dumps(FAST_JSON_RECORDS, ensure_ascii=False, indent=1), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = load_corpus(path)
        monkeypatch.setattr(readers, "_plain_json", lambda *args, **kwargs: None)
        careful = load_corpus(path)
    pd.testing.assert_frame_equal(fast, careful)
    assert load_log(fast).equals(load_log(careful))
    assert fast.attrs["cleaning_audit"] == careful.attrs["cleaning_audit"]
    assert list(fast.id) == ["j1", "j2", "j3"] and fast.text.iloc[0].startswith("قال الوزير: الرياض")


def test_saudinewsnet_files_read_in_polars_equal_the_careful_reader(snn_dir, tmp_path, monkeypatch):
    """Two of SaudiNewsNet's zipped JSON arrays, as distributed: the same corpus both ways."""
    import shutil
    from arabnews import readers
    for name in sorted(p.name for p in snn_dir.glob("*.zip"))[:2]:
        shutil.copy(snn_dir / name, tmp_path / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = load_corpus(tmp_path)
        monkeypatch.setattr(readers, "_plain_json", lambda *args, **kwargs: None)
        careful = load_corpus(tmp_path)
    assert len(fast) > 1000
    pd.testing.assert_frame_equal(fast, careful)
    assert load_log(fast).equals(load_log(careful))


def test_the_fingerprint_follows_the_code_of_every_room(tmp_path, monkeypatch):
    """A cached corpus (and what is cached from it) must not outlive the code that made it:
    an edit in a sub-package (entities/, plots/) gives a new fingerprint, as one in corpus.py does."""
    from arabnews import corpus as corpus_module
    package = tmp_path / "arabnews"
    (package / "entities").mkdir(parents=True)
    (package / "corpus.py").write_text("x = 1\n")
    (package / "entities" / "mentions.py").write_text("y = 1\n")
    monkeypatch.setattr(corpus_module, "PACKAGE_DIR", package)
    before = corpus_module.input_fingerprint(CORPUS_DIR, {})
    assert corpus_module.input_fingerprint(CORPUS_DIR, {}) == before
    (package / "entities" / "mentions.py").write_text("y = 2\n")
    after_room = corpus_module.input_fingerprint(CORPUS_DIR, {})
    (package / "corpus.py").write_text("x = 2\n")
    assert len({before, after_room, corpus_module.input_fingerprint(CORPUS_DIR, {})}) == 3
