"""Property test (issue 13): random awkward corpora through ``load_corpus``.

Each example writes a small corpus (CSV, JSONL, JSON array, Parquet or a metadata folder) whose
rows mix encodings, control and bidi characters, CR/U+2028 line breaks, HTML, empty and huge
fields, odd value types, outlet spellings and repeated ids. The loader must either refuse it with a
``CorpusError``/``ValueError`` whose message names the input, or return a frame whose accounting
reconciles with ``load_log``: rows written = rows returned + rows logged as excluded/dropped, ids
unique, and no excluded id returned. What loads then goes through the counting verbs, whose token
accounting must reconcile: every token of the tokens table is either counted in the term table or
counted as left out (by script), and the verbs that read text run or refuse by naming the argument.
"""
import json
import tempfile
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import matplotlib

matplotlib.use("Agg")
import helpers as h  # noqa: E402
from arabnews.corpus import CorpusError, load_corpus, load_log  # noqa: E402

WORDS = ["بوتين", "كيم", "موسكو", "وقال", "الرئيس", "كوريا", "الشمالية", "Putin", "NATO", "2024"]
AWKWARD = ["\u200f", "\u202e", "\u2066", "\ufeff", "\x00", "\x07", "\t", "\r", "\r\n", "\u2028", "\u2029",
           "<p>", "</div>", "&amp;", "<script>x</script>", "  ", "\n\n", "ـــ", "\u064b", "ﻹ"]

text_piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(AWKWARD),
                       st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8))
article = st.lists(text_piece, min_size=0, max_size=25).map(" ".join)
huge = st.just("وقال بوتين إن العلاقات قوية. " * 5000)
scalar = st.one_of(st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=False), st.none(), st.booleans())
odd_value = st.one_of(scalar, st.lists(st.sampled_from(WORDS), max_size=2))
text_value = st.one_of(*[article] * 8, st.just(""), st.just("   \n "), huge, scalar, odd_value)
outlet_value = st.one_of(st.sampled_from(["BBC", "bbc", "bbc\u200f", " bbc ", "الجزيرة", "unknown"] * 3 + ["", "\u200f"]),
                         st.integers(0, 3))
date_value = st.sampled_from(["2024-06-19", "19 يونيو 2024", "3 حزيران 2024", "١٢/٠٧/٢٠٢٤", "أمس", "03/04/2024",
                              "", "كلام", "2024-07-01T10:30:00Z", "June 19, 2024"])
row = st.fixed_dictionaries({"text": text_value, "outlet": outlet_value, "date": date_value},
                            optional={"author": st.one_of(article, odd_value)})
corpus_spec = st.fixed_dictionaries({
    "rows": st.lists(row, min_size=1, max_size=6),
    "ids": st.one_of(st.none(), st.permutations(["a", "b", "c", "d", "e", " f"]),
                     st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", " a"]), min_size=6, max_size=6)),
    "format": st.sampled_from(["csv", "jsonl", "json", "parquet", "folder"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1256", "utf-16"]),
    "tell_encoding": st.sampled_from([True, True, True, False]),
})


def _plain(value):
    """A value as a CSV or text file can hold it."""
    return "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write_corpus(base: Path, spec: dict) -> tuple[Path, int]:
    rows = [dict(r) for r in spec["rows"]]
    if spec["ids"] is not None:
        for r, key in zip(rows, spec["ids"]):
            r["id"] = key
    encoding = spec["encoding"]
    fmt = spec["format"]
    if fmt == "csv":
        path = base / "news.csv"
        text = pd.DataFrame([{k: _plain(v) for k, v in r.items()} for r in rows]).to_csv(index=False)
        path.write_bytes(text.encode(encoding, errors="replace"))
    elif fmt == "jsonl":
        path = base / "news.jsonl"
        lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        path.write_bytes(lines.encode(encoding, errors="replace"))
    elif fmt == "json":
        path = base / "news.json"
        path.write_bytes(json.dumps(rows, ensure_ascii=False).encode(encoding, errors="replace"))
    elif fmt == "parquet":
        path = base / "news.parquet"
        frame = pd.DataFrame([{k: _plain(v) for k, v in r.items()} for r in rows])
        frame.to_parquet(path)
    else:
        path = base / "corpus"
        path.mkdir()
        meta = []
        for i, r in enumerate(rows):
            name = f"t{i}.txt"
            (path / name).write_bytes(_plain(r["text"]).encode(encoding, errors="replace"))
            meta.append({"id": r.get("id", f"id{i}"), "file": name, "outlet": _plain(r["outlet"]),
                         "date": r["date"]})
        (path / "metadata.csv").write_bytes(pd.DataFrame(meta).to_csv(index=False).encode(encoding, errors="replace"))
    return path, len(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=corpus_spec)
def test_awkward_corpora_are_refused_by_name_or_fully_accounted_for(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path, rows_in = write_corpus(Path(tmp), spec)
        encoding = spec["encoding"] if spec["tell_encoding"] and spec["format"] != "parquet" else None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                corpus = load_corpus(path, encoding=encoding)
        except (CorpusError, ValueError) as err:
            message = str(err)
            event(f"refused: {message.split(': ', 1)[-1][:40]}")
            assert path.name in message or str(path) in message, message
            return
        event("loaded")
        log = load_log(corpus)
        left_out = log[log.action.str.startswith(("excluded", "dropped"))]
        assert len(corpus) + len(left_out) == rows_in, (len(corpus), log.to_dict("records"))
        assert corpus.id.is_unique and not set(left_out.id) & set(corpus.id)
        assert str(corpus.date.dtype) == "datetime64[ns]"
        assert corpus.text.map(type).eq(str).all() and corpus.outlet.str.strip().ne("").all()
        if len(corpus):
            check_token_accounting(corpus)


def check_token_accounting(corpus: pd.DataFrame) -> None:
    """Tokens of the table = tokens counted by the term table + tokens it says it left out."""
    total = int(h.count_tokens(corpus).sum())
    assert len(h.tokens(corpus, compounds=False)) == total
    try:
        freqs = h.term_frequencies(corpus, compounds=False)
    except ValueError as err:          # nothing countable: refused, naming what is empty
        assert total == 0 or "token" in str(err) or "corpus" in str(err), err
        return
    left_out = sum(freqs.attrs["excluded_tokens"].values()) + freqs.attrs["removed"]["stopword_tokens"]
    assert int(freqs["count"].sum()) + left_out == total
    for verb in (lambda: h.kwic(corpus, "بوتين"), lambda: h.entity_frequencies(corpus),
                 lambda: h.term_frequencies(corpus), lambda: h.dispersion(corpus, "بوتين")):
        try:
            assert isinstance(verb(), pd.DataFrame)
        except ValueError as err:
            assert "corpus" in str(err) or "term" in str(err) or "token" in str(err), err


date_text = st.one_of(date_value, st.text(max_size=30),
                      st.lists(st.one_of(st.sampled_from(["19", "٣", "2024", "١٢/٠٧", "/", "-", ":", "حزيران",
                                                          "يونيو", "الأحد", "أمس", "GMT", "م", "10:30", "pm",
                                                          "هـ", ",", "June", "31", "00"]),
                                         st.integers(0, 3000).map(str)), max_size=6).map(" ".join))


@settings(max_examples=200, deadline=None)
@given(printed=st.lists(date_text, min_size=1, max_size=8))
def test_any_printed_dates_parse_or_are_listed(printed):
    """No printed date raises; each one is a date, known-unknown, or listed as a problem."""
    from arabnews.dates import UNKNOWN_DATES, parse_dates
    raw = pd.Series(printed, index=range(100, 100 + len(printed)))
    dates, problems = parse_dates(raw)
    assert str(dates.dtype) == "datetime64[ns]" and dates.index.equals(raw.index)
    unknown = raw.str.strip().str.casefold().isin(UNKNOWN_DATES)
    missing = dates.isna() & ~unknown
    assert sorted(problems["index"]) == sorted(raw.index[missing])
    assert dates[unknown].isna().all()
