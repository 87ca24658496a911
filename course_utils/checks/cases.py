"""Building blocks for the fixed inputs of the visible checks, shared by every week."""

from __future__ import annotations

import numpy as np


def grid(rows: int, cols: int, seed: int, scale: float = 1.0) -> np.ndarray:
    """Deterministic normal inputs (rounded) without touching the global random state."""
    return np.round(np.random.default_rng(seed).normal(size=(rows, cols)) * scale, 4)


def parameters(dims: list[int], seed: int, scale: float = 1.0, bias_scale: float = 0.3,
               prefix: str = "") -> dict:
    """W1..WL, b1..bL for layer sizes `dims` (keys after `prefix`, "d" for gradients): W[l]
    drawn from seed + 2(l - 1) times `scale`, b[l] from the next seed times `bias_scale`."""
    params = {}
    for l in range(1, len(dims)):
        params[f"{prefix}W{l}"] = grid(dims[l], dims[l - 1], seed + 2 * l - 2, scale)
        params[f"{prefix}b{l}"] = grid(dims[l], 1, seed + 2 * l - 1, bias_scale)
    return params


def labels(m: int, seed: int) -> np.ndarray:
    """A (1, m) row of deterministic 0./1. labels."""
    return (np.random.default_rng(seed).random((1, m)) > 0.5).astype(float)
