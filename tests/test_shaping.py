"""Arabic shaping per renderer, proved by pixels on real charts (runs on matplotlib 3.11 and 3.10).

The pixel reference (tests/pixelref.py) shapes with HarfBuzz and fills fontTools outlines; no
matplotlib text code is involved. Needs only tests/requirements-mpl310.txt.
"""
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ft2font  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.textpath import TextPath  # noqa: E402

import pixelref  # noqa: E402
from arabnews import CORPUS_DIR, shaping  # noqa: E402
from arabnews import plots  # noqa: E402
from arabnews.shaping import renderer_shapes, shape_for_display  # noqa: E402

MPL_VERSION = tuple(int(p) for p in re.findall(r"\d+", matplotlib.__version__)[:2])
PIXEL_DPI = 300          # tick labels ~40 px high: enough detail for the 64 px comparison
WORDS = ["بوتين", "موسكو", "الشمالية", "الكورية", "فلاديمير"]


@pytest.fixture(scope="module")
def freqs():
    return pixelref.corpus_term_counts(CORPUS_DIR)


@pytest.fixture
def fresh_capability():
    renderer_shapes.cache_clear()
    yield
    renderer_shapes.cache_clear()


def _draw(fig):
    fig.set_dpi(PIXEL_DPI)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


def _crop(image: np.ndarray, bbox, pad: int = 2) -> np.ndarray:
    """The pixels inside a display-space bbox (origin bottom-left), with a small margin."""
    height, width = image.shape[:2]
    top, bottom = max(0, int(height - bbox.y1) - pad), min(height, int(np.ceil(height - bbox.y0)) + pad)
    left, right = max(0, int(bbox.x0) - pad), min(width, int(np.ceil(bbox.x1)) + pad)
    return image[top:bottom, left:right]


def _tick_label_inks(ax):
    """(label text as drawn, ink) for every y tick label of a real chart, cropped by its extent."""
    image = _draw(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    return [(t.get_text(), pixelref.ink_from_rgba(_crop(image, t.get_window_extent(renderer))))
            for t in ax.get_yticklabels() if t.get_text()]


def _top_terms_labels(freqs, outlet="000", n=20):
    """Logical words shown by plot_top_terms for an outlet (3+ letters, as the chart orders them)."""
    rows = freqs[freqs["outlet"] == outlet].sort_values(["count", "term"], ascending=[False, True])
    return rows["display"].head(n).tolist()


# ---------------------------------------------------------------- capability decision

def test_matplotlib_capability_follows_the_version():
    assert renderer_shapes("matplotlib") is (MPL_VERSION >= (3, 11))


def test_measured_probe_agrees_with_libraqm_attribute():
    has_raqm = bool(getattr(ft2font, "__libraqm_version__", None))
    assert shaping._probe_matplotlib_joins() is has_raqm


def test_pillow_capability_is_raqm_feature():
    from PIL import features
    assert renderer_shapes("pillow") is bool(features.check("raqm"))


def test_capability_is_cached(fresh_capability):
    renderer_shapes("matplotlib")
    renderer_shapes("matplotlib")
    assert renderer_shapes.cache_info().hits >= 1


@pytest.mark.parametrize("bad", ["cairo", "", None])
def test_unknown_renderer_is_an_error(bad):
    with pytest.raises(ValueError, match="unknown renderer"):
        shape_for_display("بوتين", renderer=bad)


@pytest.mark.parametrize("bad", [None, 42, b"\xd8\xa8"])
def test_non_string_is_an_error(bad):
    with pytest.raises(TypeError, match="expects str"):
        shape_for_display(bad)


# ---------------------------------------------------------------- strings for each state

@pytest.mark.parametrize("shapes", [True, False])
@pytest.mark.parametrize("text", ["Putin", "KN-23", "2024", "", "North Korea (DPRK)"])
def test_text_without_arabic_is_untouched(monkeypatch, shapes, text):
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: shapes)
    assert shape_for_display(text) == text


def test_shaping_renderer_gets_the_logical_string(monkeypatch):
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: True)
    for word in WORDS + ["قمة 2024 في بيونغ يانغ"]:
        assert shape_for_display(word) == word


def test_non_shaping_renderer_gets_joined_forms_in_visual_order(monkeypatch):
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: False)
    # بوتين: final noon, medial yeh, initial teh (waw does not join left), final waw, initial beh
    assert shape_for_display("بوتين") == "\ufee6\ufef4\ufe97\ufeee\ufe91"
    # كيم: final meem, medial yeh, initial kaf
    assert shape_for_display("كيم") == "\ufee2\ufef4\ufedb"


def test_mixed_strings_keep_digits_and_latin_in_order(monkeypatch):
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: False)
    summit = shape_for_display("قمة 2024 في بيونغ يانغ")
    assert "2024" in summit and "4202" not in summit
    # Arabic paragraph: first word (قمة, final teh marbuta ... initial qaf) ends the visual line
    assert summit.endswith("\ufe94\ufee4\ufed7")
    missiles = shape_for_display("KN-23 صواريخ")
    assert missiles.startswith("KN-23 ")
    two_lines = shape_for_display("بوتين\nKN-23")
    assert two_lines.split("\n") == [shape_for_display("بوتين"), "KN-23"]


# ---------------------------------------------------------------- pixels on a real chart

def test_every_tick_label_of_a_real_chart_is_drawn_correctly(freqs):
    ax = plots.plot_top_terms(freqs, outlet="000", n=20)
    words = _top_terms_labels(freqs)
    inks = _tick_label_inks(ax)
    assert [shape_for_display(w) for w in words] == [text for text, _ in inks]
    results = {w: pixelref.compare(ink, w) for w, (_, ink) in zip(words, inks)}
    plt.close(ax.figure)
    failures = {w: r for w, r in results.items() if not pixelref.verdict(r)}
    assert not failures, f"matplotlib {matplotlib.__version__}: {failures}"
    assert len(results) == 20


@pytest.mark.parametrize("control", ["reversed", "unjoined"])
def test_negative_controls_fail_the_same_check(freqs, control):
    ax = plots.plot_top_terms(freqs, outlet="000", n=20)
    words = _top_terms_labels(freqs)
    bad = [pixelref.negative_controls(w, renderer_shapes())[control] for w in words]
    ax.set_yticks(ax.get_yticks(), labels=bad)   # bypass the shaping on purpose
    inks = _tick_label_inks(ax)
    plt.close(ax.figure)
    long_words = [(w, ink) for w, (_, ink) in zip(words, inks) if len(w) >= 3]
    passed = [w for w, ink in long_words if pixelref.verdict(pixelref.compare(ink, w))]
    assert len(long_words) >= 15 and passed == []


def test_classic_recipe_is_right_only_where_the_renderer_does_not_shape():
    fig = plt.figure(figsize=(3, 1))
    text = fig.text(0.5, 0.5, pixelref.visual_reversed("الشمالية"), fontsize=14, ha="center")
    image = _draw(fig)
    ink = pixelref.ink_from_rgba(_crop(image, text.get_window_extent(fig.canvas.get_renderer())))
    plt.close(fig)
    assert pixelref.verdict(pixelref.compare(ink, "الشمالية")) is (not renderer_shapes())


def test_mixed_title_keeps_numbers_in_place(freqs):
    ax = plots.plot_top_terms(freqs, outlet="000", n=5, title="قمة 2024 في بيونغ يانغ")
    title = ax._right_title   # Arabic titles use the right-aligned title slot
    assert title.get_text() == shape_for_display("قمة 2024 في بيونغ يانغ")
    image = _draw(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    box = title.get_window_extent(renderer)
    # the title's box reaches down into the axes (tall Arabic line metrics): keep what is above
    box.y0 = max(box.y0, ax.get_window_extent(renderer).y1 + 4)   # clear of the spine end
    ink = pixelref.ink_from_rgba(_crop(image, box, pad=0))
    plt.close(ax.figure)
    visual_runs = [("في بيونغ يانغ", "rtl"), (" 2024 ", "ltr"), ("قمة", "rtl")]
    assert pixelref.verdict(pixelref.compare(ink, visual_runs))
    wrong_digits = [("في بيونغ يانغ", "rtl"), (" 4202 ", "ltr"), ("قمة", "rtl")]
    assert pixelref.compare(ink, visual_runs)["mad"] < pixelref.compare(ink, wrong_digits)["mad"]


@pytest.mark.parametrize("word", WORDS)
def test_text_paths_for_svg_and_pdf_are_shaped(word):
    """SVG text is drawn as glyph paths (TextPath): the same string must come out right there too."""
    path = TextPath((0, 0), shape_for_display(word), prop=FontProperties(family=["sans-serif"]), size=60)
    fig = plt.figure(figsize=(4, 1.5))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.add_patch(PathPatch(path, color="black", linewidth=0))
    extent = path.get_extents()
    ax.set_xlim(extent.x0 - 5, extent.x1 + 5)
    ax.set_ylim(extent.y0 - 5, extent.y1 + 5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ink = pixelref.ink_from_rgba(_draw(fig))
    plt.close(fig)
    assert pixelref.verdict(pixelref.compare(ink, word))


# ---------------------------------------------------------------- plot_trends legend labels

TREND_OUTLETS = ["الرياض", "عكاظ", "الوطن", "المدينة"]


def _hand_trends():
    """A trends frame typed by hand: four outlets, five days, one day without articles."""
    import pandas as pd
    rows = []
    for k, outlet in enumerate(TREND_OUTLETS):
        for day in range(5):
            published = 0 if day == 2 else 10
            mentioning = (day + k) % 4 if published else 0
            rows.append((outlet, pd.Timestamp("2015-07-21") + pd.Timedelta(days=day), "بوتين",
                         mentioning, float("nan") if not published else mentioning * 3.0,
                         mentioning, float("nan") if not published else mentioning / published))
    return pd.DataFrame(rows, columns=["outlet", "period", "term", "count", "per_1k", "articles",
                                       "share"])


def _legend_inks(ax):
    image = _draw(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    return [(t.get_text(), pixelref.ink_from_rgba(_crop(image, t.get_window_extent(renderer))))
            for t in ax.get_legend().get_texts()]


def test_trends_legend_labels_are_drawn_correctly():
    ax = plots.plot_trends(_hand_trends())
    inks = _legend_inks(ax)
    plt.close(ax.figure)
    # most mentions first (by hand: المدينة 8, الوطن 8, الرياض 4, عكاظ 4; ties by name)
    order = ["المدينة", "الوطن", "الرياض", "عكاظ"]
    assert [text for text, _ in inks] == [shape_for_display(o) for o in order]
    results = {o: pixelref.compare(ink, o) for o, (_, ink) in zip(order, inks)}
    failures = {o: r for o, r in results.items() if not pixelref.verdict(r)}
    assert not failures, f"matplotlib {matplotlib.__version__}: {failures}"


@pytest.mark.parametrize("control", ["reversed", "unjoined"])
def test_trends_legend_negative_controls_fail(control):
    ax = plots.plot_trends(_hand_trends())
    order = ["المدينة", "الوطن", "الرياض", "عكاظ"]
    for text, outlet in zip(ax.get_legend().get_texts(), order):
        text.set_text(pixelref.negative_controls(outlet, renderer_shapes())[control])
    inks = _legend_inks(ax)
    plt.close(ax.figure)
    passed = [o for o, (_, ink) in zip(order, inks) if pixelref.verdict(pixelref.compare(ink, o))]
    assert passed == []
