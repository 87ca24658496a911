"""What every explorer's training judges and needs: divergence words, accuracy, planar data."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..planar import make_dataset, train_test_split

EXPLODED = 10  # a cost this many times the first one stops a training run at once


def divergence(costs, every: int) -> str | None:
    """Where the cost blew up, in words, or None; costs are recorded at 0, every, 2 every, ..."""
    costs = np.ravel(np.asarray(costs, dtype=float))
    bad = np.flatnonzero(~np.isfinite(costs))
    if bad.size:
        return f"the cost became {costs[bad[0]]} at iteration {bad[0] * every}"
    if costs.size > 1 and costs[-1] > 2 * costs[0]:
        return f"the cost grew from {costs[0]:.3g} to {costs[-1]:.3g}"
    return None


def learning_rate_warning(costs, iterations, learning_rate: float) -> str:
    """Words for a finished run whose learning rate was visibly too large, or ""."""
    peak = int(np.argmax(costs))
    if costs[-1] > costs[0]:
        return (f"The cost ended higher than it started ({costs[0]:.3g} &rarr; {costs[-1]:.3g}): "
                f"learning rate {learning_rate:.3g} is too large, try {learning_rate / 10:.3g}.")
    if costs[peak] > 2 * costs[0]:
        return (f"The cost jumped to {costs[peak]:.3g} at iteration {iterations[peak]} before it "
                f"came down: learning rate {learning_rate:.3g} overshoots; a smaller one trains "
                "more smoothly.")
    return ""


def accuracy(predictions, Y) -> float:
    return float(100 - np.mean(np.abs(np.asarray(predictions, float) - Y)) * 100)


def planar_data(settings: dict):
    """X_train, Y_train, X_test, Y_test of an explorer's planar data set: the same arrays for
    the same settings (panels see at once whether the data changed); bad values raise in words."""
    return _split(*(settings[key] for key in ("dataset", "m", "noise", "seed", "test_ratio")))


@lru_cache(maxsize=16)
def _split(dataset: str, m: int, noise: float, seed: int, test_ratio: float):
    return train_test_split(*make_dataset(dataset, m, noise, seed), test_ratio, seed=seed)
