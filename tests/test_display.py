"""The one table style (show_rtl): read in the HTML it writes and, where a browser is installed,
in headless Chromium (where a cell's text really lands on the screen)."""
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from arabnews.display import EMPTY_MESSAGE, show_kwic, show_rtl

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
MIXED = "تاريخ النشر: 14th, September 2023 GMT"   # the scrambled cell of issue 9


def css_of(page: str) -> dict[str, str]:
    """Cell id -> its CSS declarations, from the <style> block pandas writes."""
    rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", page.split("</style>")[0]):
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.startswith("#"):
                rules[selector[1:]] = rules.get(selector[1:], "") + body
    return rules


def cells(page: str) -> list[tuple[str, str]]:
    """(cell id, text) of every data cell."""
    return re.findall(r'<td id="([^"]+)" class="data[^"]*" >(.*?)</td>', page, re.S)


def style_of(page: str, text: str) -> str:
    rules = css_of(page)
    return " ".join(rules.get(cid, "") for cid, t in cells(page) if t == text)


@pytest.fixture
def table():
    return pd.DataFrame({
        "id": ["a1", "a2", "a3"], "outlet": ["aljazeera", "bbc", "okaz"],
        "title": ["قمة بوتين وكيم", MIXED, "لقاء في موسكو"],
        "date": pd.to_datetime(["2024-06-19", "2023-09-14", None]),
        "count": [1234, -5, 7],
    }, index=[11, 4, 10])


def test_no_index_dates_as_iso_and_numbers_unwrapped(table):
    page = show_rtl(table).to_html()
    texts = [t for _, t in cells(page)]
    assert "11" not in texts and "row_heading" not in page        # no stray index
    assert "2024-06-19" in texts and "2023-09-14" in texts         # dates as YYYY-MM-DD
    assert not any("00:00" in t for t in texts)
    assert "white-space: nowrap" in style_of(page, "2024-06-19")
    assert "white-space: nowrap" in style_of(page, "-5") and "direction: ltr" in style_of(page, "-5")
    assert 'dir="rtl"' in page
    as_text = show_rtl(table.assign(date=["2024-06-19", "2023-09-14", ""])).to_html()
    assert "white-space: nowrap" in style_of(as_text, "2024-06-19")   # a date kept as text too
    assert "white-space: nowrap" not in style_of(page, MIXED)          # long text wraps


def test_arabic_columns_rtl_latin_columns_ltr_each_cell_isolated(table):
    page = show_rtl(table).to_html()
    arabic, latin = style_of(page, MIXED), style_of(page, "aljazeera")
    assert "direction: rtl" in arabic and "unicode-bidi: plaintext" in arabic
    assert "direction: ltr" in latin and "unicode-bidi: plaintext" in latin


def test_long_tables_are_cut_with_a_count_of_hidden_rows():
    frame = pd.DataFrame({"term": [f"كلمة{i}" for i in range(1254)], "count": range(1254)})
    page = show_rtl(frame, max_rows=20).to_html()
    assert len(cells(page)) == 20 * 2
    assert "… 1,234 more rows" in page and "1,234 صفوف أخرى غير معروضة" in page
    whole = show_rtl(frame.head(20)).to_html()
    assert "more rows" not in whole
    assert len(cells(show_rtl(frame, max_rows=None).to_html())) == 1254 * 2
    with pytest.raises(ValueError, match="max_rows"):
        show_rtl(frame, max_rows=0)


def test_empty_frames_say_nothing_found(table):
    page = show_rtl(table.iloc[0:0]).to_html()
    assert EMPTY_MESSAGE in page and "لا نتائج" in page and "nothing found" in page
    assert "<th" in page and "outlet" in page          # the headers say what was searched
    assert EMPTY_MESSAGE in show_rtl(pd.DataFrame()).to_html()
    kwic = pd.DataFrame(columns=["id", "left", "match", "right"])
    assert EMPTY_MESSAGE in show_kwic(kwic).to_html()


def test_caption_and_hidden_count_together_are_escaped():
    frame = pd.DataFrame({"term": ["<b>x</b>"] * 30})
    page = show_rtl(frame, caption="<i>top</i>", max_rows=5).to_html()
    assert "<i>" not in page and "<b>" not in page
    assert "&lt;i&gt;top&lt;/i&gt;<br>… 25 more rows" in page


# ---------------------------------------------------------------- in a real browser

PROBE = """<script>
window.addEventListener('load', function () {
  function left(cell, needle) {
    var node = cell.firstChild, i = node.data.indexOf(needle), r = document.createRange();
    r.setStart(node, i); r.setEnd(node, i + needle.length);
    return r.getBoundingClientRect().left;
  }
  function lines(cell) {
    var r = document.createRange(); r.selectNodeContents(cell);
    var tops = {}; Array.from(r.getClientRects()).forEach(function (b) { tops[Math.round(b.top)] = 1; });
    return Object.keys(tops).length;
  }
  var cells = Array.from(document.querySelectorAll('td'));
  var mixed = cells.find(function (c) { return c.textContent.indexOf('14th') >= 0; });
  var date = cells.find(function (c) { return c.textContent === '2024-06-19'; });
  var out = [left(mixed, '14'), left(mixed, 'th,'), left(mixed, 'تاريخ'), lines(date)];
  document.body.setAttribute('data-probe', out.join(' '));
});
</script>"""


def _browser_probe(page: str, tmp_path: Path, name: str) -> list[float]:
    path = tmp_path / f"{name}.html"
    path.write_text(f'<html><head><meta charset="utf-8"></head><body style="width: 420px">{page}'
                    f"{PROBE}</body></html>", encoding="utf-8")
    run = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / name}",
                          "--virtual-time-budget=3000", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    found = re.search(r'data-probe="([^"]+)"', run.stdout)
    assert found, run.stderr[-2000:]
    return [float(v) for v in found.group(1).split()]


@pytest.mark.browser
@needs_chromium
def test_mixed_cell_reads_right_to_left_in_chromium(table, tmp_path):
    x14, xth, xarabic, date_lines = _browser_probe(show_rtl(table).to_html(), tmp_path, "styled")
    # Arabic label on the right, the English date to its left, in its own order: "14th, ..."
    assert x14 < xth < xarabic
    assert date_lines == 1                          # the date does not wrap in a narrow table
    # negative control: the same cell forced into one left-to-right paragraph is scrambled
    # ("14 :تاريخ النشرth, ..."), and the same test sees it
    plain = (f'<table><tr><td style="direction: ltr">{MIXED}</td>'
             '<td style="width: 1px">2024-06-19</td></tr></table>')
    x14, xth, xarabic, date_lines = _browser_probe(plain, tmp_path, "control")
    assert x14 < xarabic < xth
    assert date_lines == 2                          # unstyled, the date wraps at the hyphen
