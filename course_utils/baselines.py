"""Reference models the notebooks compare against (given tools, not exercises)."""

from __future__ import annotations

import numpy as np

from .activations import logistic as sigmoid


def logistic_regression(X, Y, learning_rate: float = 0.5, num_iterations: int = 2000):
    """Fits a linear classifier by gradient descent (week 1's model); returns predict(X)."""
    n, m = X.shape
    w, b = np.zeros((n, 1)), 0.0
    for _ in range(num_iterations):
        dZ = sigmoid(w.T @ X + b) - Y
        w = w - learning_rate * (X @ dZ.T) / m
        b = b - learning_rate * float(np.mean(dZ))
    return lambda X_new: sigmoid(w.T @ X_new + b) > 0.5
