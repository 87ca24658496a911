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


# -- week 4's given helpers for gradient_check_n (the names and orders of api.md) -----------
PARAMETER_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def dictionary_to_vector(parameters: dict) -> tuple[np.ndarray, list[str]]:
    """All of W1, b1, W2, b2, W3, b3 as one column theta (n, 1), and the key of every entry."""
    pieces = [np.reshape(parameters[key], (-1, 1)) for key in PARAMETER_KEYS]
    keys = [key for key, piece in zip(PARAMETER_KEYS, pieces) for _ in range(len(piece))]
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta: np.ndarray, layers_dims=(4, 5, 3, 1)) -> dict:
    """The parameters of a 3-layer network of `layers_dims` back from the column theta."""
    parameters, start = {}, 0
    for l in range(1, 4):
        for key, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])),
                           (f"b{l}", (layers_dims[l], 1))):
            size = shape[0] * shape[1]
            parameters[key] = np.reshape(theta[start:start + size], shape)
            start += size
    if start != np.size(theta):
        raise ValueError(f"theta has {np.size(theta)} numbers, but a network of layers_dims="
                         f"{tuple(layers_dims)} has {start}: pass its layers_dims")
    return parameters


def gradients_to_vector(gradients: dict) -> np.ndarray:
    """dW1, db1, dW2, db2, dW3, db3 as one column, in dictionary_to_vector's order."""
    return np.concatenate([np.reshape(gradients["d" + key], (-1, 1)) for key in PARAMETER_KEYS])
