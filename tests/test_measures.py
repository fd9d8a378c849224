"""The formulas of arabnews.measures against arithmetic written out here and published examples.

Every expected value is a literal or a hand computation shown in the test (scipy is used only as
an independent second opinion on G2), never a value produced by the code under test.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from arabnews.measures import (chi2_sf_1df, dp, dp_from_parts, dp_norm, log_likelihood, log_odds_z,
                               log_ratio, pmi)


# --- G2, p-values, Log Ratio, log-odds, PMI --------------------------------------------------------
def test_g2_full_two_by_two_form_by_hand():
    a, b, c, d = 10, 20, 990, 4980          # term: 10 of 1,000 vs 20 of 5,000 tokens
    n = a + b + c + d
    e_a, e_b = (a + c) * (a + b) / n, (b + d) * (a + b) / n      # 5, 25
    e_c, e_d = (a + c) * (c + d) / n, (b + d) * (c + d) / n      # 995, 4975
    assert (e_a, e_b, e_c, e_d) == (5, 25, 995, 4975)
    by_hand = 2 * (a * math.log(a / e_a) + b * math.log(b / e_b)
                   + c * math.log(c / e_c) + d * math.log(d / e_d))
    assert log_likelihood(a, b, c, d) == pytest.approx(by_hand)
    scipy_stats = pytest.importorskip("scipy.stats")
    g, *_ = scipy_stats.chi2_contingency([[a, b], [c, d]], correction=False, lambda_="log-likelihood")
    assert log_likelihood(a, b, c, d) == pytest.approx(g)
    assert log_likelihood(10, 50, 990, 4950) == pytest.approx(0)   # same relative frequency


def test_g2_with_a_zero_cell():
    # 4 of 100 vs 0 of 300: E_a = 1, E_b = 3, E_c = 99, E_d = 297; 0 ln 0 counts as 0
    by_hand = 2 * (4 * math.log(4 / 1) + 96 * math.log(96 / 99) + 300 * math.log(300 / 297))
    assert log_likelihood(4, 0, 96, 300) == pytest.approx(by_hand)


def test_p_values_at_the_classic_critical_values():
    p = chi2_sf_1df([3.84, 6.63, 10.83, 0.0])
    assert p[0] == pytest.approx(0.05, rel=0.01)
    assert p[1] == pytest.approx(0.01, rel=0.01)
    assert p[2] == pytest.approx(0.001, rel=0.01)
    assert p[3] == 1.0


def test_log_ratio_and_its_zero_adjustment():
    assert log_ratio(10, 20, 1000, 5000) == pytest.approx(math.log2((10 / 1000) / (20 / 5000)))
    assert log_ratio(20, 10, 1000, 2000) == pytest.approx(2.0)
    assert log_ratio(4, 0, 100, 300) == pytest.approx(math.log2((4 / 100) / (0.5 / 300)))


def test_log_odds_with_informative_prior_by_hand():
    a, b, n_i, n_j, alpha, alpha0 = 10, 20, 1000, 5000, 30, 6000
    delta = math.log((a + alpha) / (n_i + alpha0 - a - alpha)) - math.log((b + alpha) / (n_j + alpha0 - b - alpha))
    z = delta / math.sqrt(1 / (a + alpha) + 1 / (b + alpha))
    assert log_odds_z(a, b, n_i, n_j, alpha, alpha0) == pytest.approx(z)


def test_pmi_by_hand():
    # pair seen 4 times in 1,000 pairs; w1 first in 10, w2 second in 20: log2(4 * 1000 / 200) = log2(20)
    assert pmi(4, 10, 20, 1000) == pytest.approx(math.log2(20))
    assert pmi(2, 10, 20, 100) == pytest.approx(0.0)       # 2 = 10 x 20 / 100: independent


# --- dispersion: Gries' DP and DPnorm -----------------------------------------------------------------
def test_dp_on_gries_2008_worked_example():
    """Gries (2008, sec. 3): a corpus of 50 words in five parts of 9, 10, 10, 10 and 11 words; the
    word 'a' occurs 1, 2, 3, 4 and 5 times (15 in all).

    expected shares s = 9/50, 10/50, 10/50, 10/50, 11/50 = .18 .20 .20 .20 .22
    observed shares v = 1/15, 2/15, 3/15, 4/15, 5/15
    |v - s| in 150ths: |10-27| = 17, |20-30| = 10, |30-30| = 0, |40-30| = 10, |50-33| = 17 -> 54/150
    DP = 0.5 x 54/150 = 0.18 (the published value); DPnorm = 0.18 / (1 - .18) = 0.18/0.82
    """
    sizes, counts = [9, 10, 10, 10, 11], [1, 2, 3, 4, 5]
    assert dp(counts, sizes) == pytest.approx(0.18)
    assert dp_norm(counts, sizes) == pytest.approx(0.18 / 0.82)          # 0.2195...
    # the word 'b' of the same corpus: twice in every part (10 in all), v = .2 each:
    # |.2-.18| + 0 + 0 + 0 + |.2-.22| = .04 -> DP = 0.02
    assert dp([2, 2, 2, 2, 2], sizes) == pytest.approx(0.02)


def test_dp_norm_on_lijffijt_gries_2012_example():
    """Lijffijt & Gries (2012, Table 1): three equal parts; 2/3 of the word in one, 1/3 in another.
    DP = 0.5 (|2/3 - 1/3| + |1/3 - 1/3| + |0 - 1/3|) = 1/3; the most uneven spread possible with
    three equal parts is 1 - 1/3 = 2/3, so DPnorm = (1/3) / (2/3) = 0.5."""
    assert dp([2, 1, 0], [100, 100, 100]) == pytest.approx(1 / 3)
    assert dp_norm([2, 1, 0], [100, 100, 100]) == pytest.approx(0.5)
    assert dp_norm([6, 0, 0], [100, 100, 100]) == pytest.approx(1.0)     # all in one part: maximum


def test_dp_extremes_and_errors():
    assert dp([3, 3, 3], [10, 10, 10]) == pytest.approx(0.0)              # exactly as expected
    assert math.isnan(dp([0, 0], [5, 5]))                                 # word absent
    assert math.isnan(dp_norm([4], [10]))                                 # one part: undefined
    with pytest.raises(ValueError, match="same positive corpus"):
        dp([1, 2], [3])


def test_sparse_form_equals_the_definition():
    # Gries' example again, with the absent parts left out: a word in parts 1 and 5 only, 3 and 1 times.
    sizes = np.array([9, 10, 10, 10, 11]) / 50
    v = np.array([3, 1]) / 4
    gaps = abs(v[0] - sizes[0]) + abs(v[1] - sizes[4])      # |.75 - .18| + |.25 - .22| = .60
    value, norm = dp_from_parts([gaps], [sizes[0] + sizes[4]], [sizes.min()])
    # full form: .5 (.57 + .2 + .2 + .2 + .03) = .5 x 1.2 = .6
    assert value[0] == pytest.approx(0.6) == pytest.approx(dp([3, 0, 0, 0, 1], [9, 10, 10, 10, 11]))
    assert norm[0] == pytest.approx(0.6 / 0.82)
