"""Render time of a 20-label bar chart: Arabic labels vs Latin labels, same run, same chart code.

Target: Arabic within 1.2x of Latin. Both label sets are real words of the seed articles (the
Latin ones come from the English photo captions). Run: .venv/bin/python benchmarks/bench_plot_labels.py
With ``--scale``: the article-length and totals charts of 200,000 articles (200 outlets), timed
beside the token count they rest on, with their figure sizes.
"""
import io
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from arabnews import CORPUS_DIR  # noqa: E402
from arabnews.plots import plot_top_terms  # noqa: E402
from arabnews.shaping import renderer_shapes  # noqa: E402

N_LABELS, REPEATS, TARGET = 20, 21, 1.2


def top_words(pattern: str) -> pd.DataFrame:
    """The N_LABELS most frequent corpus words matching `pattern`, as a tidy frequency frame."""
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in sorted(CORPUS_DIR.glob("*.txt")))
    counts = Counter(re.findall(pattern, text)).most_common(N_LABELS)
    return pd.DataFrame({"outlet": "all", "term": [w for w, _ in counts],
                         "count": [c for _, c in counts]})


def render_once(freqs: pd.DataFrame) -> float:
    """Wall time to build the chart and rasterise it to PNG in memory."""
    start = time.perf_counter()
    ax = plot_top_terms(freqs, outlet="all", n=len(freqs), rtl=True)
    ax.figure.savefig(io.BytesIO(), format="png", dpi=100)
    plt.close(ax.figure)
    return time.perf_counter() - start


def interleaved(a: pd.DataFrame, b: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Alternate the two charts so background load hits both alike."""
    times_a, times_b = [], []
    for _ in range(REPEATS):
        times_a.append(render_once(a))
        times_b.append(render_once(b))
    return times_a, times_b


def main() -> None:
    arabic, latin = top_words(r"[\u0621-\u064a]{3,}"), top_words(r"[A-Za-z]{3,}")
    assert len(arabic) == len(latin) == N_LABELS, (len(arabic), len(latin))
    interleaved(latin.head(3), arabic.head(3))   # warm font caches for both scripts
    latin_s, arabic_s = interleaved(latin, arabic)
    print(f"matplotlib {matplotlib.__version__} (shapes Arabic itself: {renderer_shapes()}), "
          f"{N_LABELS} labels, {REPEATS} interleaved runs each")
    print(f"{'':16}{'best':>10}{'median':>10}")
    for name, times in (("Latin labels", latin_s), ("Arabic labels", arabic_s)):
        print(f"  {name:14}{min(times) * 1000:8.1f}ms{statistics.median(times) * 1000:8.1f}ms")
    ratio = min(arabic_s) / min(latin_s)
    ratio_median = statistics.median(arabic_s) / statistics.median(latin_s)
    verdict = "OK" if ratio <= TARGET else "SLOW"
    print(f"  ratio (best)  {ratio:8.2f}x   (median {ratio_median:.2f}x)   target <= {TARGET}x -> {verdict}")


if __name__ == "__main__" and "--scale" not in sys.argv:
    main()


# ---------------------------------------------------------------- charts of a large corpus

SCALE_ARTICLES, SCALE_OUTLETS = 200_000, 200


def scale_corpus():
    """SCALE_ARTICLES short Arabic articles over SCALE_OUTLETS outlets of unequal size."""
    import numpy as np
    rng = np.random.default_rng(0)
    words = np.array(["بوتين", "كيم", "موسكو", "القمة", "الشمالية", "روسيا", "في", "من"])
    weights = np.arange(1, SCALE_OUTLETS + 1) / np.arange(1, SCALE_OUTLETS + 1).sum()
    lengths = rng.integers(5, 60, SCALE_ARTICLES)
    pool = " ".join(rng.choice(words, 200))
    return pd.DataFrame({"id": [f"a{k}" for k in range(SCALE_ARTICLES)],
                         "outlet": rng.choice([f"مصدر {k}" for k in range(SCALE_OUTLETS)],
                                              SCALE_ARTICLES, p=weights),
                         "text": [pool[: 6 * n] for n in lengths]})


def main_scale() -> None:
    """Article-length chart and totals chart on 200,000 articles beside the token count they need."""
    from arabnews.plots import MAX_FIGURE_PX, SAVED_DPI, plot_article_lengths, plot_totals
    from arabnews.stats import count_tokens

    corpus = scale_corpus()
    start = time.perf_counter()
    count_tokens(corpus, by="id")
    baseline = time.perf_counter() - start
    print(f"{SCALE_ARTICLES:,} articles, {SCALE_OUTLETS} outlets")
    print(f"  count_tokens(by='id') (baseline)   {baseline:7.2f}s")
    for name, draw in (("plot_article_lengths", lambda: plot_article_lengths(corpus)),
                       ("plot_totals(words)", lambda: plot_totals(corpus, value="words"))):
        start = time.perf_counter()
        ax = draw()
        ax.figure.savefig(io.BytesIO(), format="png", dpi=SAVED_DPI)
        took = time.perf_counter() - start
        size = [round(v * SAVED_DPI) for v in ax.figure.get_size_inches()]
        plt.close(ax.figure)
        print(f"  {name:34}{took:7.2f}s  ({took / baseline:.1f}x baseline), figure {size[0]}x{size[1]} px "
              f"(limit {MAX_FIGURE_PX})")


if __name__ == "__main__" and "--scale" in sys.argv:
    main_scale()
