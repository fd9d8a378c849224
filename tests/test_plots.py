"""Charts: house style, values drawn, errors, deterministic files, Pillow word cloud by pixels.

Frames are small tidy tables counted from the real articles with a plain regex (pixelref), so the
charts are tested independently of the suite's tokenizer.
"""
import os
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pixelref  # noqa: E402
from arabnews import CORPUS_DIR, PROJECT_DIR, plots, shaping  # noqa: E402
from arabnews.shaping import renderer_shapes, shape_for_display  # noqa: E402

# the matplotlib 3.10 interpreter: the project's .venv-mpl310, or $ARABNEWS_MPL310_PYTHON (a worktree)
MPL310_PYTHON = Path(os.environ.get("ARABNEWS_MPL310_PYTHON", PROJECT_DIR / ".venv-mpl310" / "bin" / "python"))


@pytest.fixture(scope="module")
def freqs():
    return pixelref.corpus_term_counts(CORPUS_DIR)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def entity_freqs():
    """Hand-counted mentions in the seeds: بوتين per article, كيم per article (regex, whole words)."""
    import re
    rows = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        for entity, en in [("بوتين", "Putin"), ("كيم", "Kim"), ("موسكو", "Moscow")]:
            rows.append((path.stem[:3], entity, en, "PER", len(re.findall(rf"\b{entity}\b", text)), 0.0))
    return pd.DataFrame(rows, columns=["outlet", "entity", "entity_en", "type", "count", "per_1k"])


def _top(freqs, outlet, n, value="count"):
    rows = freqs[freqs["outlet"] == outlet]
    return rows.sort_values([value, "term"], ascending=[False, True]).head(n)


# ---------------------------------------------------------------- plot_top_terms

def test_top_terms_draws_the_counts_with_shaped_labels(freqs):
    ax = plots.plot_top_terms(freqs, outlet="002", n=12)
    expected = _top(freqs, "002", 12)
    widths = [p.get_width() for p in ax.patches]
    assert widths == expected["count"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == \
        [shape_for_display(w) for w in expected["display"]]
    assert widths[0] == freqs.loc[freqs["outlet"] == "002", "count"].max()


def test_arabic_labels_get_the_rtl_house_style(freqs):
    ax = plots.plot_top_terms(freqs, outlet="000", n=5)
    assert ax.xaxis_inverted()                                 # bars grow leftwards
    assert ax.yaxis.get_ticks_position() == "right"            # labels on the right
    assert ax.get_title(loc="right") and not ax.get_title(loc="left")
    assert all(t.get_text().isascii() for t in ax.texts)      # counts in ASCII digits
    assert [t.get_text() for t in ax.texts] == [str(c) for c in _top(freqs, "000", 5)["count"]]


def test_latin_labels_stay_left_to_right():
    latin = pd.DataFrame({"outlet": "x", "term": ["Putin", "Kim", "Moscow"], "count": [5, 3, 2]})
    ax = plots.plot_top_terms(latin, outlet="x", n=3)
    assert not ax.xaxis_inverted()
    assert ax.get_title(loc="left") and not ax.get_title(loc="right")
    assert plots.plot_top_terms(latin, n=3, rtl=True).xaxis_inverted()


def test_given_axes_are_used_and_returned(freqs):
    fig, (a, b) = plt.subplots(1, 2)
    assert plots.plot_top_terms(freqs, outlet="001", n=4, ax=b) is b
    assert len(a.patches) == 0 and len(b.patches) == 4


def test_all_outlets_are_summed_when_no_outlet_is_given(freqs):
    ax = plots.plot_top_terms(freqs, n=1)
    putin = freqs.loc[freqs["term"] == "بوتين", "count"].sum()
    assert ax.patches[0].get_width() == putin


def test_summed_chart_title_names_all_outlets_not_a_term(freqs):
    ax = plots.plot_top_terms(freqs, n=3)
    title = ax.get_title(loc="right")
    assert title == shape_for_display(f"{plots.TITLES['top_terms']}: {plots.TITLES['all']}")
    one = plots.plot_top_terms(freqs, outlet="002", n=3)
    assert one.get_title(loc="right") == shape_for_display(f"{plots.TITLES['top_terms']}: 002")


@pytest.mark.parametrize("kwargs, message", [
    ({"outlet": "bbc"}, "no rows for outlet='bbc'"),
    ({"n": 0}, "n must be at least 1"),
    ({"value": "per_1k"}, "cannot be summed"),
])
def test_top_terms_bad_input_is_a_clear_error(freqs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_top_terms(freqs, **kwargs)


def test_missing_columns_are_named(freqs):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['count'\]"):
        plots.plot_top_terms(freqs.drop(columns="count"), outlet="000")
    with pytest.raises(TypeError, match="DataFrame"):
        plots.plot_top_terms({"بوتين": 3})


# ---------------------------------------------------------------- other charts

def test_terms_by_outlet_small_multiples_share_one_scale(freqs):
    fig = plots.plot_terms_by_outlet(freqs, n=5)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title(loc="right") for ax in panels) == sorted(freqs["outlet"].unique())
    assert len({ax.get_xlim() for ax in panels}) == 1
    assert all(ax.xaxis_inverted() for ax in panels)
    assert max(max(p.get_width() for p in ax.patches) for ax in panels) == freqs["count"].max()


def test_entity_heatmap_annotates_every_cell_with_its_count(entity_freqs):
    ax = plots.plot_entity_heatmap(entity_freqs)
    table = entity_freqs.pivot_table(index="entity", columns="outlet", values="count", aggfunc="sum")
    cells = ax.images[0].get_array()
    # 5 outlets, 3 entities: the outlets take the long (vertical) axis
    assert cells.shape == table.T.shape == (5, 3)
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted(table.to_numpy().ravel().tolist())
    by_size = (entity_freqs.groupby("outlet")["count"].sum().reset_index()
               .sort_values(["count", "outlet"], ascending=[False, True])["outlet"].tolist())
    assert [t.get_text() for t in ax.get_yticklabels()] == by_size   # most mentions first
    # RTL: the most mentioned entity is the rightmost column
    assert ax.get_xticklabels()[-1].get_text() == shape_for_display(table.sum(axis=1).idxmax())
    few = plots.plot_entity_heatmap(entity_freqs[entity_freqs["outlet"].isin(["000", "001"])])
    assert few.images[0].get_array().shape == (3, 2)    # entities outnumber outlets: entities as rows


def test_keyness_diverges_target_against_reference(freqs):
    target = freqs[freqs["outlet"] == "003"].set_index("term")["count"]
    rest = freqs[freqs["outlet"] != "003"].groupby("term")["count"].sum()
    both = pd.concat([target.rename("a"), rest.rename("b")], axis=1).fillna(0)
    ratio = np.log2(((both.a + 0.5) / both.a.sum()) / ((both.b + 0.5) / both.b.sum()))
    key = pd.DataFrame({"term": both.index, "target": "003", "g2": np.abs(ratio) * (both.a + both.b),
                        "log_ratio": ratio}).reset_index(drop=True)
    ax = plots.plot_keyness(key, n=5)
    widths = [p.get_width() for p in ax.patches]
    assert sum(w > 0 for w in widths) == 5 and sum(w < 0 for w in widths) == 5
    best = key[key.log_ratio > 0].nlargest(1, "g2")["term"].iloc[0]
    assert shape_for_display(best) in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match="targets"):
        plots.plot_keyness(pd.concat([key, key.assign(target="000")]))


def test_dispersion_marks_every_occurrence_right_to_left():
    import re
    rows = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        words = re.findall(pixelref.ARABIC_WORD, path.read_text(encoding="utf-8-sig"))
        rows += [(path.stem, path.stem[:3], w, i, len(words), i / len(words))
                 for i, w in enumerate(words) if w == "موسكو"]
    disp = pd.DataFrame(rows, columns=["id", "outlet", "term", "position", "n_tokens",
                                       "relative_position"])
    ax = plots.plot_dispersion(disp)
    marks = sum(len(c.get_segments()) for c in ax.collections)
    assert marks == len(disp) > 0
    assert ax.xaxis_inverted()
    with pytest.raises(ValueError, match="empty"):
        plots.plot_dispersion(disp.iloc[0:0])


# ---------------------------------------------------------------- word cloud (Pillow)

WORDCLOUD_WORDS = ["بوتين", "موسكو", "الشمالية"]


def _cloud_ink(word):
    ax = plots.plot_wordcloud({word: 1}, width=400, height=200, color_func=lambda *a, **k: "black")
    return pixelref.ink_from_rgba(ax.images[0].get_array())


@pytest.mark.parametrize("word", WORDCLOUD_WORDS)
def test_wordcloud_words_are_shaped_in_this_machines_pillow(word):
    assert pixelref.verdict(pixelref.compare(_cloud_ink(word), word))


@pytest.mark.parametrize("word", WORDCLOUD_WORDS)
def test_wordcloud_with_the_wrong_decision_fails_the_check(monkeypatch, word):
    machine = renderer_shapes("pillow")
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: not machine)
    assert not pixelref.verdict(pixelref.compare(_cloud_ink(word), word))


@pytest.fixture
def pillow_without_raqm(monkeypatch):
    """Pillow as on a machine without libraqm/FriBiDi: basic layout, feature check False."""
    from PIL import ImageFont, features
    monkeypatch.setattr(ImageFont.core, "HAVE_RAQM", False)
    real_check = features.check
    monkeypatch.setattr(features, "check", lambda f: False if f == "raqm" else real_check(f))
    renderer_shapes.cache_clear()
    yield
    renderer_shapes.cache_clear()


@pytest.mark.parametrize("word", WORDCLOUD_WORDS)
def test_wordcloud_without_raqm_gets_visual_order_and_is_correct(pillow_without_raqm, word):
    assert renderer_shapes("pillow") is False
    assert shape_for_display(word, "pillow") == pixelref.visual_reversed(word)
    assert pixelref.verdict(pixelref.compare(_cloud_ink(word), word))


def test_wordcloud_without_raqm_draws_logical_text_wrongly(pillow_without_raqm, monkeypatch):
    monkeypatch.setattr(shaping, "renderer_shapes", lambda renderer: True)
    assert not pixelref.verdict(pixelref.compare(_cloud_ink("الشمالية"), "الشمالية"))


def test_wordcloud_rejects_empty_weights():
    with pytest.raises(ValueError, match="positive weight"):
        plots.plot_wordcloud({"بوتين": 0})


# ---------------------------------------------------------------- save_figure

def _chart(freqs):
    return plots.plot_top_terms(freqs, outlet="004", n=8).figure


def test_save_figure_writes_png_and_svg_reproducibly(freqs, tmp_path):
    first = plots.save_figure(_chart(freqs), "top", directory=tmp_path / "a")
    second = plots.save_figure(_chart(freqs), "top", directory=tmp_path / "b")
    assert [p.name for p in first] == ["top.png", "top.svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_save_figure_pdf_embeds_truetype(freqs, tmp_path):
    (pdf,) = plots.save_figure(_chart(freqs), "top", formats=("pdf",), directory=tmp_path)
    data = pdf.read_bytes()
    assert b"/FontFile2" in data and b"/Type3" not in data and b"/CreationDate" not in data


def test_save_figure_honours_the_environment_folder(freqs, tmp_path, monkeypatch):
    monkeypatch.setenv(plots.FIGURES_ENV, str(tmp_path / "env"))
    (png,) = plots.save_figure(_chart(freqs), "x", formats=("png",))
    assert png == tmp_path / "env" / "x.png" and png.stat().st_size > 0


@pytest.mark.parametrize("name", ["", "../escape", "sub/name"])
def test_save_figure_rejects_paths_as_names(freqs, tmp_path, name):
    with pytest.raises(ValueError, match="bare file name"):
        plots.save_figure(_chart(freqs), name, directory=tmp_path)


def test_save_figure_too_long_a_name_is_a_value_error_naming_it(freqs, tmp_path):
    """Issue 13: a 300-character name raised a raw OSError (File name too long)."""
    with pytest.raises(ValueError, match="name is 300 characters.*shorten name"):
        plots.save_figure(_chart(freqs), "x" * 300, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []
    (png,) = plots.save_figure(_chart(freqs), "x" * 251, formats=("png",), directory=tmp_path)
    assert png.stat().st_size > 0                                   # 251 + ".png" = 255 bytes: allowed


def test_save_figure_rejects_unknown_format(freqs, tmp_path):
    with pytest.raises(ValueError, match="unsupported format"):
        plots.save_figure(_chart(freqs), "x", formats=("gif",), directory=tmp_path)


# ---------------------------------------------------------------- the same proof on matplotlib 3.10

@pytest.mark.skipif(not MPL310_PYTHON.exists(),
                    reason=".venv-mpl310 missing: create it from tests/requirements-mpl310.txt")
def test_shaping_suite_passes_on_matplotlib_310():
    version = subprocess.run([str(MPL310_PYTHON), "-c", "import matplotlib; print(matplotlib.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version.startswith("3.10.")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([str(MPL310_PYTHON), "-m", "pytest", "tests/test_shaping.py", "-q",
                          "-p", "no:cacheprovider"], cwd=PROJECT_DIR, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout


@pytest.fixture
def arabic_digits():
    plots.set_digits("arabic")
    yield
    plots.set_digits("ascii")


def test_numbers_are_ascii_unless_arabic_digits_are_asked(freqs, arabic_digits):
    ax = plots.plot_top_terms(freqs, outlet="000", n=3)
    ax.figure.canvas.draw()
    bar_labels = [t.get_text() for t in ax.texts]
    tick_labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert bar_labels and all(set(s) <= set("٠١٢٣٤٥٦٧٨٩٫") for s in bar_labels)
    assert tick_labels and all(set(s) <= set("٠١٢٣٤٥٦٧٨٩٫") for s in tick_labels)
    plots.set_digits("ascii")
    ax = plots.plot_top_terms(freqs, outlet="000", n=3)
    assert all(s.isdigit() and s.isascii() for s in (t.get_text() for t in ax.texts))


def test_unknown_digit_style_is_a_clear_error():
    with pytest.raises(ValueError, match="digits must be one of"):
        plots.set_digits("roman")


# ---------------------------------------------------------------- charts at any size

N_OUTLETS = 200


def _px(fig):
    return [round(v * plots.SAVED_DPI) for v in fig.get_size_inches()]


@pytest.fixture(scope="module")
def many():
    """A synthetic 200-outlet world: entity counts, term counts, a 5,000-article corpus and a
    daily trends table, every outlet of a different size (outlet k has k + 1 articles a day...)."""
    rng = np.random.default_rng(7)
    outlets = [f"مصدر {k:03d}" for k in range(N_OUTLETS)]
    entities = [f"كيان{k}" for k in range(80)]
    weight = {o: k + 1 for k, o in enumerate(outlets)}   # outlet 199 is the largest
    ent = pd.DataFrame([(o, e, e, "PER", weight[o] * (80 - j), 0.0)
                        for o in outlets for j, e in enumerate(entities)],
                       columns=["outlet", "entity", "entity_en", "type", "count", "per_1k"])
    terms = pd.DataFrame([(o, f"كلمة{t}", weight[o] + t) for o in outlets for t in range(30)],
                         columns=["outlet", "term", "count"])
    n_words = rng.integers(20, 400, 5_000)
    articles = pd.DataFrame({"id": [f"a{k}" for k in range(5_000)],
                             "outlet": rng.choice(outlets, 5_000,
                                                  p=np.array(list(weight.values())) / sum(weight.values())),
                             "text": ["كلمة " * int(k) for k in n_words], "n_words": n_words})
    articles["country"] = articles["outlet"].map(lambda o: ["مصر", "السعودية", "لبنان"][int(o[-3:]) % 3])
    days = pd.date_range("2015-07-21", "2015-08-11", freq="D")
    trends = pd.DataFrame([(o, d, "بوتين", weight[o], 1.0, weight[o], weight[o] / 400)
                           for o in outlets for d in days],
                          columns=["outlet", "period", "term", "count", "per_1k", "articles", "share"])
    return {"outlets": outlets, "entities": ent, "terms": terms, "corpus": articles, "trends": trends}


def test_heatmap_of_200_outlets_is_bounded_with_a_note(many):
    ax = plots.plot_entity_heatmap(many["entities"])
    assert max(_px(ax.figure)) <= plots.MAX_FIGURE_PX
    rows, cols = ax.images[0].get_array().shape
    assert (rows, cols) == (40, 25)          # outlets on the long (vertical) axis
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert shown[0] == shape_for_display("مصدر 199") and len(set(shown)) == 40
    note = ax.get_xlabel()
    assert shape_for_display("كيانات غير معروضة: 55") in note
    assert shape_for_display("مصادر غير معروضة: 160") in note
    assert not ax.texts                      # 1,000 cells: too many to number


def test_small_multiples_of_200_outlets_are_capped(many):
    fig = plots.plot_terms_by_outlet(many["terms"], n=8)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 12 and max(_px(fig)) <= plots.MAX_FIGURE_PX
    titles = sorted(ax.get_title(loc="right") for ax in panels)
    assert titles == sorted(f"مصدر {k}" for k in range(188, 200))   # the 12 largest outlets
    assert shape_for_display("مصادر غير معروضة: 188") in fig.get_supxlabel()


def test_totals_keep_the_top_n_and_sum_the_rest(many):
    corpus = many["corpus"]
    ax = plots.plot_totals(corpus, n=20)
    sizes = corpus.groupby("outlet").size()
    order = sizes.reset_index(name="n").sort_values(["n", "outlet"], ascending=[False, True])
    widths = [p.get_width() for p in ax.patches]
    assert widths[:20] == order["n"].head(20).tolist()
    assert widths[20] == order["n"].iloc[20:].sum() and sum(widths) == len(corpus)
    assert ax.get_yticklabels()[-1].get_text() == shape_for_display("بقية المصادر")
    assert max(_px(ax.figure)) <= plots.MAX_FIGURE_PX
    words = plots.plot_totals(corpus, by="country", value="words")
    by_country = corpus.groupby("country")["n_words"].sum().sort_values(ascending=False)
    assert [p.get_width() for p in words.patches] == by_country.tolist()
    assert [t.get_text() for t in words.get_yticklabels()] == [shape_for_display(c) for c in by_country.index]


def test_article_lengths_of_5000_articles_are_boxes_per_outlet(many):
    corpus = many["corpus"]
    ax = plots.plot_article_lengths(corpus)
    assert len(ax.patches) == 21 and max(_px(ax.figure)) <= plots.MAX_FIGURE_PX   # 20 boxes + rest
    labels = [t.get_text() for t in ax.get_yticklabels()]
    biggest = corpus["outlet"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    assert labels[0] == shape_for_display(f"{biggest.index[0]} ({biggest.iloc[0]:,})")
    rest = len(corpus) - biggest.head(20).sum()
    assert labels[-1] == shape_for_display(f"بقية المصادر ({rest:,})")
    countries = plots.plot_article_lengths(corpus, by="country")
    medians = corpus.groupby("country")["n_words"].median()
    drawn = {t.get_text(): line for t, line in zip(countries.get_yticklabels(),
                                                  [l for l in countries.lines if l.get_color() == "white"])}
    for country, median in medians.items():
        label = shape_for_display(f"{country} ({(corpus.country == country).sum():,})")
        assert drawn[label].get_xdata()[0] == median


def test_article_lengths_of_the_seeds_are_one_bar_per_article():
    from arabnews.corpus import load_corpus
    from arabnews.text import tokenize
    seeds = load_corpus()
    ax = plots.plot_article_lengths(seeds)
    expected = {i: len(tokenize(t)) for i, t in zip(seeds["id"], seeds["text"])}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == len(seeds)
    for label, width in zip(labels, widths):
        article = next(i for i in expected if label.endswith(str(i)))
        assert width == expected[article]
    assert ax.xaxis_inverted() and ax.get_title(loc="right")    # the RTL house style


def test_trends_of_200_outlets_are_capped_and_small_multiples_bounded(many):
    ax = plots.plot_trends(many["trends"], n=8)
    assert len(ax.lines) == 8 and max(_px(ax.figure)) <= plots.MAX_FIGURE_PX
    assert ax.get_legend().get_texts()[0].get_text() == shape_for_display("مصدر 199")
    assert shape_for_display("مصادر غير معروضة: 192") in ax.get_xlabel()   # shares are not summed
    counts = plots.plot_trends(many["trends"], value="count", n=8)
    assert len(counts.lines) == 9                                        # 8 + the rest summed
    rest = many["trends"][~many["trends"].outlet.isin([f"مصدر {k}" for k in range(192, 200)])]
    assert counts.lines[-1].get_ydata()[0] == rest.groupby("period")["count"].sum().iloc[0]
    fig = plots.plot_trends_grid(many["trends"])
    assert len([a for a in fig.axes if a.get_visible()]) == 12
    assert max(_px(fig)) <= plots.MAX_FIGURE_PX


def test_dispersion_of_many_articles_is_capped():
    rows = [(f"a{k:03d}", "x", "بوتين", p / (k % 7 + 2)) for k in range(500) for p in range(k % 7 + 1)]
    disp = pd.DataFrame(rows, columns=["id", "outlet", "term", "relative_position"])
    ax = plots.plot_dispersion(disp, n=30)
    assert len(ax.get_yticklabels()) == 30 and max(_px(ax.figure)) <= plots.MAX_FIGURE_PX
    assert shape_for_display("مقالات غير معروضة: 470") in ax.get_xlabel()
    marks = sum(len(c.get_segments()) for c in ax.collections)
    assert marks == 30 * 7                  # the 30 articles shown are those with 7 occurrences


# ---------------------------------------------------------------- plot_trends

def _trends(share_gap=True):
    """Two outlets, four months typed by hand; outlet B published nothing in March."""
    periods = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"])
    rows = [("A", p, "غزة", c, c * 1.0, a, a / 10) for p, c, a in zip(periods, [3, 0, 5, 2], [2, 0, 4, 1])]
    rows += [("B", p, "غزة", c, c * 2.0, a, s) for p, c, a, s in
             zip(periods, [1, 4, 0, 2], [1, 3, 0, 2], [0.5, 0.75, np.nan, 1.0])]
    return pd.DataFrame(rows, columns=["outlet", "period", "term", "count", "per_1k", "articles", "share"])


def test_trends_draw_one_line_per_outlet_with_gaps_not_zeros():
    ax = plots.plot_trends(_trends())
    lines = {l.get_label(): l.get_ydata() for l in ax.lines}
    assert set(lines) == {"A", "B"}
    assert lines["A"].tolist() == [0.2, 0.0, 0.4, 0.1]          # a real zero stays a zero
    assert np.isnan(lines["B"][2]) and lines["B"][[0, 1, 3]].tolist() == [0.5, 0.75, 1.0]
    count = plots.plot_trends(_trends(), value="count")
    assert np.isnan({l.get_label(): l.get_ydata() for l in count.lines}["B"][2])   # no articles: gap
    assert ax.get_title(loc="right") == shape_for_display("التغطية عبر الزمن: غزة")
    assert ax.yaxis.get_major_formatter()(0.25, 0) == "25%"


def test_trends_time_direction():
    ltr = plots.plot_trends(_trends())
    assert not ltr.xaxis_inverted() and ltr.yaxis.get_ticks_position() == "left"
    rtl = plots.plot_trends(_trends(), time_direction="rtl")
    assert rtl.xaxis_inverted() and rtl.yaxis.get_ticks_position() == "right"
    with pytest.raises(ValueError, match="time_direction"):
        plots.plot_trends(_trends(), time_direction="up")


def test_trends_bad_input_is_a_clear_error():
    two = pd.concat([_trends(), _trends().assign(term="مصر")])
    with pytest.raises(ValueError, match="pass term"):
        plots.plot_trends(two)
    assert len(plots.plot_trends(two, term="مصر").lines) == 2
    with pytest.raises(ValueError, match="no rows for term='x'"):
        plots.plot_trends(two, term="x")
    with pytest.raises(TypeError, match="Timestamps"):
        plots.plot_trends(_trends().assign(period="2024-01"))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['share'\]"):
        plots.plot_trends(_trends().drop(columns="share"))
    entity = _trends().rename(columns={"term": "entity"}).assign(entity_en="Gaza")
    assert len(plots.plot_trends(entity).lines) == 2
    fig, ax = plt.subplots()
    assert plots.plot_trends(_trends(), ax=ax) is ax


# ---------------------------------------------------------------- keyness shows its ranking

def _keyness_table(freqs):
    target = freqs[freqs["outlet"] == "003"].set_index("term")["count"]
    rest = freqs[freqs["outlet"] != "003"].groupby("term")["count"].sum()
    both = pd.concat([target.rename("a"), rest.rename("b")], axis=1).fillna(0)
    ratio = np.log2(((both.a + 0.5) / both.a.sum()) / ((both.b + 0.5) / both.b.sum()))
    return pd.DataFrame({"term": both.index, "target": "003", "g2": np.sign(ratio) * both.a,
                         "log_ratio": ratio, "log_odds_z": ratio * 2}).reset_index(drop=True)


def test_keyness_plot_shows_the_measure_the_table_was_ranked_by(freqs):
    key = _keyness_table(freqs)
    by_ratio = key.sort_values("log_ratio", ascending=False, ignore_index=True)
    assert plots.keyness_measure(by_ratio) == "log_ratio"
    ax = plots.plot_keyness(by_ratio, n=3)
    assert ax.get_xlabel() == shape_for_display(plots.AXIS_LABELS["log_ratio"])
    assert max(p.get_width() for p in ax.patches) == pytest.approx(key["log_ratio"].max())
    stated = key.copy()
    stated.attrs["measure"] = "log_odds_z"
    assert plots.plot_keyness(stated, n=3).get_xlabel() == shape_for_display("log-odds z")
    by_g2 = key.sort_values("g2", ascending=False)
    assert plots.keyness_measure(by_g2) == "g2"
    told = plots.plot_keyness(by_ratio, n=3, measure="g2")
    assert told.get_xlabel() == shape_for_display(plots.AXIS_LABELS["g2"])


def test_by_names_any_group_column(freqs, many):
    country = {"000": "قطر", "001": "مصر", "002": "بريطانيا", "003": "لبنان", "004": "مصر"}
    by_country = (freqs.assign(country=freqs["outlet"].map(country))
                  .groupby(["country", "term"], as_index=False)["count"].sum())
    fig = plots.plot_terms_by_outlet(by_country, n=3)
    titles = sorted(ax.get_title(loc="right") for ax in fig.axes if ax.get_visible())
    assert titles == sorted({"قطر", "مصر", "بريطانيا", "لبنان"})
    egypt = plots.plot_top_terms(freqs.assign(country=freqs["outlet"].map(country)), outlet="مصر",
                                 by="country", n=1)
    summed = freqs[freqs["outlet"].isin(["001", "004"])].groupby("term")["count"].sum()
    assert egypt.patches[0].get_width() == summed.max()          # the two Egyptian outlets summed
    assert egypt.get_yticklabels()[0].get_text() == shape_for_display(summed.idxmax())
    trends = many["trends"].assign(country=many["trends"]["outlet"].str[-1].map(
        lambda d: "مصر" if int(d) % 2 else "لبنان"))
    ax = plots.plot_trends(trends.groupby(["country", "period", "term"], as_index=False)
                           [["count", "articles"]].sum().assign(share=0.1, per_1k=1.0), by="country")
    assert sorted(l.get_label() for l in ax.lines) == sorted(shape_for_display(c) for c in ["مصر", "لبنان"])
    with pytest.raises(ValueError, match="by='region' is not a column"):
        plots.plot_top_terms(freqs, by="region")


def test_new_charts_save_byte_for_byte(tmp_path):
    from arabnews.corpus import load_corpus
    seeds = load_corpus()
    for name, draw in (("trends", lambda: plots.plot_trends(_trends())),
                       ("lengths", lambda: plots.plot_article_lengths(seeds))):
        first = plots.save_figure(draw().figure, name, directory=tmp_path / "a")
        second = plots.save_figure(draw().figure, name, directory=tmp_path / "b")
        assert [a.read_bytes() for a in first] == [b.read_bytes() for b in second]
