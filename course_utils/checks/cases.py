"""Building blocks for the fixed inputs of the visible checks, shared by every week."""

from __future__ import annotations

import numpy as np


def grid(rows: int, cols: int, seed: int, scale: float = 1.0) -> np.ndarray:
    """Deterministic normal inputs (rounded) without touching the global random state."""
    return np.round(np.random.default_rng(seed).normal(size=(rows, cols)) * scale, 4)


def labels(m: int, seed: int) -> np.ndarray:
    """A (1, m) row of deterministic 0./1. labels."""
    return (np.random.default_rng(seed).random((1, m)) > 0.5).astype(float)
