"""Means and rates with confidence intervals, and the small-sample flag.

- A **mean** gets Student's t-interval: ``mean ± t(1 - α/2, n - 1) · s / √n`` with ``s`` the
  sample standard deviation (``n - 1`` in the denominator). One value has a mean and no interval.
- A **rate** (k of n) gets the Wilson score interval, from ``scipy.stats.binomtest``: it stays
  inside [0, 1] and behaves at 0 of n and n of n, where the textbook ``p ± z·√(p(1-p)/n)`` fails.
- ``small`` marks a group with fewer than ``min_n`` observations (default ``MIN_N``): the figures
  are shown but greyed, and not read as a difference between people.

Bounds are clipped to the values' scale when it is given (0-100 for scores, 0-1 for CSAT).
Missing stays missing: an empty group has ``None`` for the mean, the rate and the bounds, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import fmean, stdev

from scipy import stats

MIN_N = 30  # fewer observations than this: "small sample" (the usual rule of thumb for a t-mean)
CONFIDENCE = 0.95
SCORE_SCALE = (0.0, 100.0)


@dataclass(frozen=True, slots=True)
class Mean:
    """The mean of ``n`` values with its confidence interval (``low``, ``high``)."""

    n: int
    mean: float | None
    low: float | None
    high: float | None
    small: bool


@dataclass(frozen=True, slots=True)
class Rate:
    """``k`` of ``n`` with its Wilson interval; ``rate`` is None when ``n`` is 0."""

    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    small: bool


def check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), not {confidence!r}")
    return confidence


@lru_cache(maxsize=4096)
def _t_quantile(confidence: float, df: int) -> float:
    return float(stats.t.ppf((1 + confidence) / 2, df))


def mean_ci(
    values: Sequence[float],
    *,
    confidence: float = CONFIDENCE,
    min_n: int = MIN_N,
    scale: tuple[float, float] | None = None,
) -> Mean:
    """The mean of ``values`` with its t-interval at ``confidence``.

    With ``scale`` (the values' possible range, e.g. 0 to 100), the bounds are clipped to it: a
    mean score cannot be above 100, whatever the symmetric interval says.
    """
    n = len(values)
    if n == 0:
        return Mean(0, None, None, None, True)
    mean = fmean(values)
    if n == 1:
        return Mean(1, mean, None, None, n < min_n)
    half = _t_quantile(confidence, n - 1) * stdev(values) / math.sqrt(n)
    low, high = mean - half, mean + half
    if scale is not None:
        low, high = max(low, scale[0]), min(high, scale[1])
    return Mean(n, mean, low, high, n < min_n)


@lru_cache(maxsize=65536)
def _wilson(k: int, n: int, confidence: float) -> tuple[float, float]:
    interval = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(interval.low), float(interval.high)


def wilson(k: int, n: int, *, confidence: float = CONFIDENCE, min_n: int = MIN_N) -> Rate:
    """``k`` of ``n`` as a rate with its Wilson interval at ``confidence``."""
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Rate(0, 0, None, None, None, True)
    low, high = _wilson(k, n, confidence)
    return Rate(k, n, k / n, low, high, n < min_n)


def histogram(scores: Sequence[int], *, width: int = 10) -> tuple[int, ...]:
    """Counts of scores in bins ``[0, 10), [10, 20), ..., [90, 100]`` (100 joins the last bin)."""
    bins = [0] * (100 // width)
    for score in scores:
        bins[min(max(score, 0) // width, len(bins) - 1)] += 1
    return tuple(bins)
