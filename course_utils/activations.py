"""Hidden-layer activation functions and their derivatives, as the lectures write them.

`ACTIVATIONS[name]` is a pair `(g, g_prime)`: `A = g(Z)` and `g_prime(Z, A)` = dA/dZ, given both
Z and A so that each derivative can use whichever is cheaper (tanh: 1 - A^2).
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.01


def logistic(Z):
    """sigma(Z) = 1 / (1 + e^-Z): week 1's graded `sigmoid`, given from week 2 on under a name
    of its own (course_utils never ships a graded function under its graded name). A very
    negative Z gives exactly 0 without an overflow warning."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


def leaky_relu(Z):
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z)


ACTIVATIONS = {
    "tanh": (np.tanh, lambda Z, A: 1 - A ** 2),
    "relu": (relu, lambda Z, A: (Z > 0).astype(float)),
    "sigmoid": (logistic, lambda Z, A: A * (1 - A)),
    "leaky_relu": (leaky_relu, lambda Z, A: np.where(Z > 0, 1.0, LEAKY_SLOPE)),
}


def activation_pair(name: str):
    """(g, g_prime) for `name`, or a ValueError that lists the valid names."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: use one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]
