"""Given code of week 6, as the classic rnn_utils (the notebook names them sigmoid, softmax)."""

from __future__ import annotations

import numpy as np


def logistic(x):
    """1 / (1 + exp(-x)), element-wise, without overflow warnings for large |x|."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def column_softmax(x):
    """Column-wise softmax of (n, m) scores (each column sums to 1), stable for large scores."""
    e_x = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e_x / e_x.sum(axis=0, keepdims=True)
