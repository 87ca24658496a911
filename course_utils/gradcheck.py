"""Numerical gradient checking: compare a backward pass with two-sided finite differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, epsilon: float = 1e-7) -> np.ndarray:
    """d f / d x by (f(x + eps) - f(x - eps)) / (2 eps), one entry at a time.

    `f` reads `x` itself (x is perturbed in place and restored), so it can be any cost that
    depends on the array, for example `lambda: propagate(w, b, X, Y)[1]` with x = w.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + epsilon
        plus = float(f())
        x[index] = original - epsilon
        minus = float(f())
        x[index] = original
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def relative_difference(analytic, numeric) -> float:
    """||g - g_approx|| / (||g|| + ||g_approx||): about 1e-7 or less means they agree."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / denominator)
