"""Week 3's given activation helpers, in the layer style of the deep network.

Each forward helper returns `(A, cache)` with `cache = Z`; each backward helper takes
`(dA, cache)` and returns dZ = dA * g'(Z). `sigmoid`, `relu` and their backward helpers are the
classic four; `tanh` and `leaky_relu` (slope 0.01) are there for the depth explorer.
`FORWARD[name]` and `BACKWARD[name]` look them up by the activation's name.
"""

from __future__ import annotations

from .activations import ACTIVATIONS


def _forward(name: str):
    g, _ = ACTIVATIONS[name]

    def forward(Z):
        return g(Z), Z

    forward.__name__ = name
    forward.__doc__ = f"{name}(Z): returns (A, cache) with A = {name}(Z) and cache = Z."
    return forward


def _backward(name: str):
    g, g_prime = ACTIVATIONS[name]

    def backward(dA, cache):
        Z = cache
        return dA * g_prime(Z, g(Z))

    backward.__name__ = f"{name}_backward"
    backward.__doc__ = f"{name}_backward(dA, cache=Z): returns dZ = dA * {name}'(Z)."
    return backward


FORWARD = {name: _forward(name) for name in ("sigmoid", "relu", "tanh", "leaky_relu")}
BACKWARD = {name: _backward(name) for name in FORWARD}

sigmoid, relu, tanh, leaky_relu = (FORWARD[n] for n in ("sigmoid", "relu", "tanh", "leaky_relu"))
sigmoid_backward, relu_backward, tanh_backward, leaky_relu_backward = (
    BACKWARD[n] for n in ("sigmoid", "relu", "tanh", "leaky_relu"))
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu")
