"""The formulas behind keyness, collocations and dispersion, as plain vectorised functions.

Each takes counts (numbers or numpy arrays) and returns numpy arrays; none knows about corpora,
so ``stats`` (term tables, keyness), ``text`` (collocations) and ``trends`` share one definition
of each measure without importing one another.

- ``log_likelihood``: Dunning's G2 (1993), full 2x2 form; ``chi2_sf_1df`` its p-value.
- ``log_ratio``: Hardie's (2014) effect size, binary log of the ratio of relative frequencies.
- ``log_odds_z``: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008).
- ``pmi``: pointwise mutual information of a pair (Church & Hanks 1990), binary log.
- ``dp`` / ``dp_norm``: Gries' deviation of proportions (2008) and its normalised form
  (Lijffijt & Gries 2012); ``dp_from_parts`` computes both from sparse per-part counts.
"""
from __future__ import annotations

import math

import numpy as np

__all__: list[str] = []   # formulas are used by the verbs of stats/text/trends, not by notebooks

# Critical values of G2 (chi-squared, 1 d.f.) for p < 0.05, 0.01, 0.001.
G2_CRITICAL = {0.05: 3.84, 0.01: 6.63, 0.001: 10.83}


def _xlogx_over_e(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """O ln(O/E), with 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(observed > 0, observed * np.log(observed / expected), 0.0)


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's G2 for the 2x2 table [[a, b], [c, d]] (full form: 2 sum O ln(O/E) over 4 cells).

    a = term in target, b = term in reference, c = other tokens in target, d = other in reference.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    row1, row2, col1, col2 = a + b, c + d, a + c, b + d
    cells = ((a, row1 * col1), (b, row1 * col2), (c, row2 * col1), (d, row2 * col2))
    return 2 * sum(_xlogx_over_e(o, e / n) for o, e in cells)


def chi2_sf_1df(x) -> np.ndarray:
    """Upper tail p-value of a chi-squared statistic with 1 degree of freedom: erfc(sqrt(x/2))."""
    return np.array([math.erfc(math.sqrt(max(v, 0.0) / 2)) for v in np.atleast_1d(x)], dtype=float)


def log_ratio(a, b, total_a, total_b) -> np.ndarray:
    """Hardie's (2014) Log Ratio: log2 of the ratio of relative frequencies; a zero count -> 0.5."""
    a = np.where(np.asarray(a) == 0, 0.5, a).astype(float)
    b = np.where(np.asarray(b) == 0, 0.5, b).astype(float)
    return np.log2((a / total_a) / (b / total_b))


def log_odds_z(a, b, total_a, total_b, alpha, alpha0) -> np.ndarray:
    """Log-odds ratio with an informative Dirichlet prior, as a z-score (Monroe et al. 2008, eq. 16-22).

    ``alpha`` is the prior count of each term, ``alpha0`` their sum over the whole vocabulary.
    """
    a, b, alpha = (np.asarray(x, dtype=float) for x in (a, b, alpha))
    delta = (np.log((a + alpha) / (total_a + alpha0 - a - alpha))
             - np.log((b + alpha) / (total_b + alpha0 - b - alpha)))
    variance = 1 / (a + alpha) + 1 / (b + alpha)
    return delta / np.sqrt(variance)


def pmi(pair_count, count_w1, count_w2, total) -> np.ndarray:
    """Pointwise mutual information, log2(n(w1 w2) N / (n(w1 _) n(_ w2))), over N pairs."""
    pair_count, count_w1, count_w2 = (np.asarray(x, dtype=float) for x in (pair_count, count_w1, count_w2))
    return np.log2(pair_count * total / (count_w1 * count_w2))


# --- dispersion --------------------------------------------------------------------------------
def dp(counts, sizes) -> float:
    """Gries' (2008) DP of one word: half the summed |observed share - expected share| over parts.

    ``counts[i]`` = occurrences of the word in part i, ``sizes[i]`` = size of part i (tokens).
    0 = spread exactly as the part sizes predict; near 1 = all in one small part. NaN when the
    word never occurs.
    """
    counts, sizes = np.asarray(counts, dtype=float), np.asarray(sizes, dtype=float)
    if counts.shape != sizes.shape or sizes.sum() <= 0:
        raise ValueError(f"counts and sizes must be parts of the same positive corpus; got "
                         f"{counts.shape} counts, {sizes.shape} sizes summing to {sizes.sum()}")
    if counts.sum() == 0:
        return float("nan")
    return float(0.5 * np.abs(counts / counts.sum() - sizes / sizes.sum()).sum())


def dp_norm(counts, sizes) -> float:
    """DP divided by its maximum for these part sizes, 1 - smallest expected share (Lijffijt &
    Gries 2012), so 1 is reachable whatever the parts; NaN with a single part."""
    sizes = np.asarray(sizes, dtype=float)
    smallest = sizes.min() / sizes.sum()
    return dp(counts, sizes) / (1 - smallest) if smallest < 1 else float("nan")


def dp_from_parts(occurrence_share_gap_sum, occurring_size_share, smallest_size_share):
    """DP and DPnorm from sums over the parts where a word occurs (the sparse form).

    Over the parts where the word is absent |v - s| = s, so
    DP = 0.5 (sum_occurring |v_i - s_i| + 1 - sum_occurring s_i). Arguments are arrays, one value
    per word (and group); returns ``(dp, dp_norm)``.
    """
    gaps = np.asarray(occurrence_share_gap_sum, dtype=float)
    shares = np.asarray(occurring_size_share, dtype=float)
    value = np.clip(0.5 * (gaps + 1 - shares), 0.0, 1.0)
    smallest = np.asarray(smallest_size_share, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = np.where(smallest < 1, value / (1 - smallest), np.nan)
    return value, norm
