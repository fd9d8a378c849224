"""The HTML reports: built on a small injected corpus, offline, with hostile article text kept inert.

One report build (all notebooks, on a three-article corpus whose third article carries HTML and
script) is shared by the tests of this module; the browser tests open it in headless Chromium.
"""
from __future__ import annotations

import csv
import html
import html.parser
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest

from arabnews import CORPUS_DIR, PROJECT_DIR
from arabnews import report
from arabnews.display import show_kwic, show_rtl

SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
ARABIC_TITLE = "اختبار الأمان في التقارير"
HOSTILE_TEXT = "\n".join([
    f"{ARABIC_TITLE} {SCRIPT_PAYLOAD}",
    f"قال المتحدث باسم الكرملين {SCRIPT_PAYLOAD} إن روسيا وكوريا الشمالية ستعززان التعاون "
    "العسكري والاقتصادي بين البلدين خلال الأعوام المقبلة بعد لقاء بوتين وكيم جونغ أون.",
    f"وأضاف أن الرئيس الروسي فلاديمير بوتين {IMG_PAYLOAD} سيزور بيونغ يانغ مرة أخرى قريبا "
    "لبحث الاتفاقيات الجديدة مع الزعيم الكوري الشمالي.",
    "وأكدت موسكو أن العلاقات بين روسيا وكوريا الشمالية تدخل مرحلة جديدة من التعاون.",
])
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PROBE = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
         "document.body.setAttribute('data-pwned', window.__pwned === 1 ? 'yes' : 'no');"
         "}, 200); });</script>")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                    "(Debian package 'chromium'); the browser checks cannot run")


# --- fixtures: one small corpus, one report build ---------------------------------------------------
@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory) -> Path:
    """Two seed articles plus one whose title and text carry <script> and <img onerror>."""
    folder = tmp_path_factory.mktemp("hostile_corpus")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    rows = [{"id": "h01", "file": "hostile.txt", "outlet": "test_wire",
             "title": f"{ARABIC_TITLE} {SCRIPT_PAYLOAD}"}]
    for seed, outlet in (("000_a858b1da649fe47d.txt", "aljazeera"), ("002_8cffb8be076c88e1.txt", "bbc")):
        shutil.copy(CORPUS_DIR / seed, folder / seed)
        rows.append({"id": seed[:3], "file": seed, "outlet": outlet, "title": ""})
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "file", "outlet", "title"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory, hostile_corpus):
    """All notebooks executed on the hostile corpus, with the teaching copy: (out_dir, runs)."""
    out = tmp_path_factory.mktemp("reports")
    runs = report.build_reports(report.find_notebooks(), out, corpus=hostile_corpus,
                                figures_dir=out / "figures", with_code=True, progress=lambda _: None)
    return out, runs


class Elements(html.parser.HTMLParser):
    """Collects tags with attributes, and text together with the dir of its nearest ancestor."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, list[str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in self.VOID:
            self.stack.append((tag, attributes.get("dir")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, [d for _, d in self.stack if d]))


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


def read(out: Path, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


# --- the build ----------------------------------------------------------------------------------
def test_every_notebook_runs_on_a_users_corpus(built):
    _, runs = built
    assert len(runs) == len(report.find_notebooks()) == 7
    failures = [r.describe_failure() for r in runs if not r.ok]
    assert not failures, failures


def test_corpus_and_figures_parameters_are_injected(built, hostile_corpus):
    out, runs = built
    injected = [c for c in runs[1].notebook.cells
                if report.INJECTED_TAG in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert repr(str(hostile_corpus.resolve())) in injected[0].source
    assert "3 articles from 3 outlets" in read(out, "01_corpus.html")
    assert (out / "figures" / "01_article_lengths.png").exists()


def test_index_lists_every_report_with_titles_and_arabic_rtl(built):
    out, runs = built
    page = read(out, "index.html")
    tree = parse(page)
    hrefs = {a.get("href") for tag, a in tree.tags if tag == "a"}
    for run in runs:
        assert f"{run.path.stem}.html" in hrefs
        assert f"with-code/{run.path.stem}.html" in hrefs
        assert (out / f"{run.path.stem}.html").exists()
        assert (out / "with-code" / f"{run.path.stem}.html").exists()
    assert "01 · The corpus" in page
    subtitle = report.notebook_header(runs[1].notebook, "")["subtitle_ar"]
    assert any(subtitle in text and "rtl" in dirs for text, dirs in tree.texts)
    assert "all ran without error" in page


def test_hostile_article_html_is_shown_as_text(built):
    out, _ = built
    page = read(out, "01_corpus.html")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page  # the title, shown as text
    tree = parse(page)
    assert not [t for t, _ in tree.tags if t == "script"]
    assert not [a for t, a in tree.tags if t == "img" and ("onerror" in a or a.get("src") == "x")]
    assert any(SCRIPT_PAYLOAD in text for text, _ in tree.texts)  # the reader sees the characters


def test_reports_are_offline_and_images_embedded(built):
    out, _ = built
    for page_path in sorted(out.glob("*.html")) + sorted((out / "with-code").glob("*.html")):
        tree = parse(page_path.read_text(encoding="utf-8"))
        assert not [t for t, _ in tree.tags if t == "script"], page_path.name
        assert not [a for t, a in tree.tags if t == "link" and "href" in a], page_path.name
        images = [a.get("src", "") for t, a in tree.tags if t == "img"]
        assert all(src.startswith("data:image/png;base64,") for src in images), page_path.name
    assert [a for t, a in parse(read(out, "02_term_frequencies.html")).tags if t == "img"]


def test_code_hidden_by_default_kept_in_the_teaching_copy(built):
    out, _ = built
    plain, teaching = read(out, "00_start_here.html"), read(out / "with-code", "00_start_here.html")
    code_block = 'class="highlight hl-ipython3"'  # a highlighted code cell
    assert code_block not in plain and code_block in teaching
    assert '<span class="nn">helpers</span>' in teaching
    assert "answer_1 = None" not in plain and "answer_1" in teaching  # answer cells: live notebooks only


class Details(html.parser.HTMLParser):
    """The ``<details>`` blocks of a page: (summary text, full text inside)."""

    def __init__(self):
        super().__init__()
        self.blocks: list[list[str]] = []
        self.depth = 0
        self.in_summary = False

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.depth += 1
            self.blocks.append(["", ""])
        elif tag == "summary":
            self.in_summary = True

    def handle_endtag(self, tag):
        if tag == "details":
            self.depth -= 1
        elif tag == "summary":
            self.in_summary = False

    def handle_data(self, data):
        if self.depth:
            self.blocks[-1][0 if self.in_summary else 1] += data


def details_of(page: str) -> list[tuple[str, str]]:
    parser = Details()
    parser.feed(page)
    return [(summary.strip(), inner) for summary, inner in parser.blocks]


def test_every_exercise_reads_as_a_question_with_its_solution_in_details(built):
    """Issue 14: the report of each notebook holds each exercise's solution inside <details>,
    a hint with its markdown rendered, and never asks to use "the cell above"."""
    out, runs = built
    for run in runs:
        solutions = [c for c in run.notebook.cells if "solution" in c.metadata.get("tags", [])]
        page = read(out, f"{run.path.stem}.html")
        blocks = details_of(page)
        shown = [inner for summary, inner in blocks if summary == "Show the solution"]
        assert len(shown) == len(solutions) >= 2, run.path.name
        for cell, inner in zip(solutions, shown):
            first_line = cell.source.splitlines()[1]  # the line after the "# Solution" comment
            assert first_line.split("=")[0].strip() in inner, (run.path.name, first_line)
        hints = len([s for s, _ in blocks if s == "Show a hint"])
        unavailable = page.count("cannot be checked on this corpus")  # the corpus lacks what it needs
        assert hints + unavailable == len(solutions), run.path.name
        assert "cell above" not in page, run.path.name
        assert "# Solution: try the exercise first" not in page
    hints = read(out, "02_term_frequencies.html")
    assert "<code>in</code>" in hints and "`in`" not in hints  # markdown in hints is rendered


def test_reports_name_the_corpus_and_never_show_its_local_path(built, hostile_corpus):
    out, _ = built
    index = read(out, "index.html")
    assert f'<strong class="corpus-name">{hostile_corpus.name}</strong>' in index
    for page_path in [out / "index.html", *out.glob("*.html"), *(out / "with-code").glob("*.html")]:
        page = page_path.read_text(encoding="utf-8")
        assert str(hostile_corpus.resolve()) not in page, page_path.name
        assert str(hostile_corpus.parent) not in page, page_path.name


def test_report_folders_are_unique_per_corpus_path(tmp_path):
    """Issue 13: /a/news.jsonl and /b/news.jsonl no longer share reports-news-jsonl/."""
    first, second = tmp_path / "a" / "news.jsonl", tmp_path / "b" / "news.jsonl"
    a, b = report.default_out_dir(first), report.default_out_dir(second)
    assert a != b
    assert a.name.startswith("reports-news-jsonl-") and b.name.startswith("reports-news-jsonl-")
    assert report.default_out_dir(first) == a  # the same corpus always gets the same folder
    assert report.default_out_dir(first, sample=1000).name == a.name + "-sample1000"
    assert report.default_out_dir(None) == report.REPORTS_DIR
    assert report.corpus_label(first) == "news"
    assert report.corpus_label(None).startswith("the starter corpus")
    assert report.corpus_label(first, sample=500) == "news, a stratified sample of 500 articles"


def test_kernels_share_one_cache_folder_per_run(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name in ("01_one", "02_two"):
        nbformat.write(_notebook(["import os; print(os.environ['ARABNEWS_CACHE_DIR'])"]),
                       nbs / f"{name}.ipynb")
    out = tmp_path / "out"
    runs = report.build_reports(report.find_notebooks(nbs), out, progress=lambda _: None, jobs=2)
    printed = {r.notebook.cells[2].outputs[0]["text"].strip() for r in runs}
    assert printed == {str((out / ".cache").resolve())}


def test_a_report_page_over_the_size_limit_fails_loudly(tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nbformat.write(_notebook([f"print('x' * {report.MAX_HTML_BYTES + 1000})"]), nbs / "01_huge.ipynb")
    status = report.main(["--notebooks", str(nbs), "--out", str(tmp_path / "out")])
    assert status == 1
    assert "over the 5 MB limit" in capsys.readouterr().err


def test_a_clean_corpus_with_nothing_to_clean_builds_its_report(tmp_path, capsys):
    """Issue 9: `make report CORPUS=clean.csv` exited 2 (idxmax of an empty cleaning audit)."""
    rows = [("c1", "masrawy", "2024-03-01", "الاقتصاد المصري ينمو",
             "قال وزير المالية المصري إن الاقتصاد نما بنسبة أربعة في المئة خلال العام الماضي."),
            ("c2", "masrawy", "2024-03-02", "مشروعات جديدة في القاهرة",
             "افتتحت الحكومة المصرية مشروعات جديدة للطرق والإسكان في العاصمة القاهرة."),
            ("c3", "sabq", "2024-03-01", "الرياض تستضيف مؤتمرا",
             "تستضيف مدينة الرياض مؤتمرا دوليا عن الطاقة المتجددة بمشاركة خبراء من عدة دول."),
            ("c4", "sabq", "2024-03-03", "موسم الحج",
             "أعلنت السلطات السعودية عن استعدادات موسم الحج وتوسعة الخدمات للحجاج."),
            ("c5", "maan", "2024-03-02", "الأوضاع في غزة",
             "تواصل المنظمات الإنسانية إيصال المساعدات إلى سكان قطاع غزة وسط ظروف صعبة."),
            ("c6", "maan", "2024-03-04", "اجتماع في الأمم المتحدة",
             "ناقش مجلس الأمن التابع للأمم المتحدة الأوضاع الإنسانية في غزة خلال جلسة طارئة.")]
    path = tmp_path / "clean.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "outlet", "date", "title", "text"])
        writer.writerows(rows)
    out = tmp_path / "out"
    status = report.main(["--corpus", str(path), "--out", str(out), "--only", "01", "--only", "06"])
    assert status == 0, capsys.readouterr().err
    page = read(out, "01_corpus.html")
    assert "Cleaning removed nothing from this corpus" in page
    assert "cannot be checked on this corpus" in page  # exercise 1 says why, instead of failing
    assert "6 articles from 3 outlets" in page
    assert "Each outlet is represented by 2 articles" in page


def test_a_one_outlet_corpus_builds_every_report(tmp_path, capsys):
    """Keyness needs a reference outlet: on a one-outlet corpus notebook 04 says so (and its
    exercise says why it cannot be checked) instead of failing; the others run as usual."""
    texts = ["قال وزير المالية إن الاقتصاد نما بنسبة أربعة في المئة خلال العام الماضي في الرياض.",
             "افتتحت الحكومة مشروعات جديدة للطرق والإسكان في العاصمة الرياض هذا الأسبوع.",
             "تستضيف مدينة الرياض مؤتمرا دوليا عن الطاقة المتجددة بمشاركة خبراء من عدة دول.",
             "أعلنت السلطات السعودية عن استعدادات موسم الحج وتوسعة الخدمات للحجاج في مكة."]
    path = tmp_path / "one.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "outlet", "date", "title", "text"])
        writer.writerows([(f"o{i}", "sabq", f"2024-03-0{i + 1}", "خبر", t) for i, t in enumerate(texts)])
    out = tmp_path / "out"
    status = report.main(["--corpus", str(path), "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    page = read(out, "04_comparing_outlets.html")
    assert "This corpus has one outlet" in page and "no keyness chart" in page
    assert "cannot be checked on this corpus" in page


# --- failures are loud --------------------------------------------------------------------------
def _notebook(cells: list[str], *, tagged: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 · Broken\n\n- **Purpose:** fail on purpose")]
    params = nbformat.v4.new_code_cell("CORPUS = None")
    if tagged:
        params.metadata["tags"] = ["parameters"]
    nb.cells.append(params)
    nb.cells += [nbformat.v4.new_code_cell(src) for src in cells]
    return nb


def test_failing_notebook_exits_non_zero_naming_notebook_and_cell(tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nbformat.write(_notebook(["x = 1", "import warnings; warnings.warn('careful')", "1 / 0"]),
                   nbs / "01_broken.ipynb")
    status = report.main(["--notebooks", str(nbs), "--out", str(tmp_path / "out"),
                          "--corpus", str(CORPUS_DIR)])
    captured = capsys.readouterr()
    assert status == 1
    assert "01_broken.ipynb: cell 5: ZeroDivisionError" in captured.err
    assert "warning output in cell 4" in captured.out
    assert "FAILED" in read(tmp_path / "out", "index.html")


def test_runner_records_warnings_and_a_clean_notebook_passes(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nbformat.write(_notebook(["print(CORPUS)"]), nbs / "02_fine.ipynb")
    run = report.execute_notebook(nbs / "02_fine.ipynb", {"CORPUS": "/some/where"})
    assert run.ok and run.warnings == []
    assert run.notebook.cells[3].outputs[0]["text"].strip() == "/some/where"
    nbformat.write(_notebook(["import sys; print('noise', file=sys.stderr)"]), nbs / "03_noisy.ipynb")
    noisy = report.execute_notebook(nbs / "03_noisy.ipynb")
    assert noisy.ok and noisy.warnings == [(3, "noise\n")]


def test_bad_input_is_a_clear_error(tmp_path, capsys):
    assert report.main(["--sample", "0"]) == 2
    assert "--sample must be a positive number" in capsys.readouterr().err
    assert report.main(["--only", "99"]) == 2
    assert "no notebook numbered 99" in capsys.readouterr().err
    assert report.main(["--corpus", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(report.ReportError, match="tagged 'parameters'"):
        report.inject_parameters(_notebook([], tagged=False), {"CORPUS": "x"})


def test_sanitizer_keeps_layout_and_neutralises_markup():
    cleaned = report.sanitize_fragment(
        '<h2 id="a">T</h2><div dir="rtl" style="text-align: right">نص</div>'
        f'{SCRIPT_PAYLOAD}{IMG_PAYLOAD}<a href="javascript:alert(1)">x</a>')
    tree = parse(cleaned)
    assert ("h2", {"id": "a"}) in tree.tags
    assert any(t == "div" and a.get("dir") == "rtl" for t, a in tree.tags)
    assert not [t for t, _ in tree.tags if t == "script"]
    assert not [a for t, a in tree.tags if "onerror" in a]
    assert not [a for t, a in tree.tags if t == "a" and "javascript" in a.get("href", "")]


# --- display helpers the reports rely on ------------------------------------------------------------
def test_show_rtl_escapes_cells_labels_and_caption():
    import pandas as pd

    frame = pd.DataFrame({f"<i>{SCRIPT_PAYLOAD}</i>": [SCRIPT_PAYLOAD], "n": [1]},
                         index=[IMG_PAYLOAD])
    page = show_rtl(frame, caption=SCRIPT_PAYLOAD, index=True).to_html()
    assert "<script>" not in page and "<img" not in page and "<i>" not in page
    assert 'dir="rtl"' in page
    with pytest.raises(TypeError):
        show_rtl(["not", "a", "frame"])
    with pytest.raises(KeyError, match="nope"):
        show_rtl(frame, text_columns=["nope"])
    with pytest.raises(KeyError, match="left"):
        show_kwic(frame)


def test_explore_draws_a_static_chart_and_redraws_when_a_control_changes(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    draw = ("import matplotlib.pyplot as plt\n"
            "from arabnews.display import explore\n"
            "def bars(n=2):\n"
            "    fig, ax = plt.subplots(figsize=(3, 2)); ax.bar(range(n), range(n)); return ax\n"
            "explore(bars, n=(1, 9), save_as='bars', save_dir=FIGURES)")
    change = ("from ipywidgets.widgets.widget import _instances\n"
              "[w for w in _instances.values() if hasattr(w, 'max') and w.max == 9][0].value = 7")
    nbformat.write(_notebook([f"import sys; sys.path.insert(0, {str(PROJECT_DIR)!r})",
                              draw, change]), nbs / "04_live.ipynb")
    run = report.execute_notebook(nbs / "04_live.ipynb", {"FIGURES": str(tmp_path / "figs")})
    assert run.ok and run.warnings == [], (run.error, run.warnings)
    outputs = run.notebook.cells[4].outputs
    assert "application/vnd.jupyter.widget-view+json" in outputs[0]["data"]
    image = outputs[1]["data"]["image/png"]
    saved = (tmp_path / "figs" / "bars.png").read_bytes()
    import base64

    assert base64.b64decode(image) != saved  # the second drawing (n=7) replaced the first (n=2)
    assert len(outputs) == 2  # redrawn in place, not appended


# --- in a real browser -------------------------------------------------------------------------
def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def with_probe(page: str) -> str:
    return page.replace("</body>", PROBE + "</body>", 1)


def dumped_body_flag(page_path: Path, profile: Path) -> str | None:
    dom = chromium("--virtual-time-budget=3000", "--dump-dom", page_path.as_uri(), profile=profile).stdout
    body = next((a for t, a in parse(dom).tags if t == "body"), {})
    return body.get("data-pwned")


@pytest.mark.browser
@needs_chromium
def test_browser_screenshot_is_not_blank(built, tmp_path):
    out, _ = built
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1200,1600", (out / "01_corpus.html").as_uri(),
             profile=tmp_path / "profile")
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (1600, 1200)
    assert float(np.std(pixels)) > 0.05  # text, tables and a chart, not an empty page
    assert float((pixels.mean(axis=2) < 0.5).mean()) > 0.005  # some dark ink


@pytest.mark.browser
@needs_chromium
def test_browser_dom_has_arabic_title_in_logical_order_inside_rtl(built, tmp_path):
    out, _ = built
    dom = chromium("--dump-dom", (out / "01_corpus.html").as_uri(), profile=tmp_path / "p").stdout
    texts = parse(dom).texts
    holders = [dirs for text, dirs in texts if ARABIC_TITLE in text]
    assert holders, "the Arabic title is missing from the rendered DOM"
    assert all(dirs and dirs[-1] == "rtl" for dirs in holders)
    assert not any(ARABIC_TITLE[::-1] in text for text, _ in texts)
    assert not any("\ufb50" <= ch <= "\ufeff" for text, _ in texts for ch in text)  # not pre-shaped


@pytest.mark.browser
@needs_chromium
def test_browser_injected_script_does_not_run(built, tmp_path):
    out, _ = built
    probed = tmp_path / "probed.html"
    probed.write_text(with_probe(read(out, "01_corpus.html")), encoding="utf-8")
    assert dumped_body_flag(probed, tmp_path / "p1") == "no"
    control = tmp_path / "control.html"  # the same probe does see a payload that is not escaped
    control.write_text(with_probe(f"<html><body>{SCRIPT_PAYLOAD}<p>x</p></body></html>"),
                       encoding="utf-8")
    assert dumped_body_flag(control, tmp_path / "p2") == "yes"
    onerror = tmp_path / "onerror.html"
    onerror.write_text(with_probe(f"<html><body>{IMG_PAYLOAD}<p>x</p></body></html>"), encoding="utf-8")
    assert dumped_body_flag(onerror, tmp_path / "p3") == "yes"


# --- a real corpus it has never seen ------------------------------------------------------------
@pytest.mark.slow
def test_report_on_a_saudinewsnet_sample_is_bounded_and_names_the_corpus(snn_dir, tmp_path):
    """Issue 9/10: `make report CORPUS=../shared/corpora/saudinewsnet SAMPLE=1000` (what CI runs)
    builds every notebook, each page <= 5 MB, the index names the corpus, no page shows a path."""
    out = tmp_path / "reports"
    status = report.main(["--corpus", str(snn_dir), "--sample", "1000", "--out", str(out)])
    assert status == 0
    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(report.find_notebooks()) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size <= report.MAX_HTML_BYTES, page.name
        assert str(snn_dir) not in text and str(snn_dir.resolve()) not in text, page.name
    index = read(out, "index.html")
    assert "saudinewsnet, a stratified sample of 1,000 articles" in index
    assert "1,000 articles from 14 outlets" in read(out, "00_start_here.html")
    over_time = read(out, "06_over_time.html")
    assert "21 July 2015" in over_time and "11 August 2015" in over_time
    assert "too few for a trend" not in over_time  # daily over three weeks: the trend is drawn


def test_warnings_in_reports_show_the_message_not_a_local_path():
    text = ("/home/someone/project/arabnews/corpus.py:496: CorpusWarning: news.jsonl: line 3: "
            "HTML markup in the text field: converted to text\n"
            "  frame, entry = _repair_text(frame, log, source)\n"
            "an ordinary line\n")
    assert report.tidy_warnings(text) == ("CorpusWarning: news.jsonl: line 3: HTML markup in the "
                                          "text field: converted to text\nan ordinary line\n")


def test_a_message_printing_the_corpus_path_shows_its_name_instead(tmp_path):
    corpus = tmp_path / "my news" / "news.jsonl"
    page = f"<pre>CorpusWarning: {corpus.resolve()}: loaded from the cache</pre><p>{html.escape(str(corpus))}</p>"
    cleaned = report.hide_corpus_path(page, corpus)
    assert str(tmp_path) not in cleaned
    assert cleaned == "<pre>CorpusWarning: news: loaded from the cache</pre><p>news</p>"
