"""Week 4's given 3-layer network, LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

The learner writes its regularized and dropout variants; this module gives the plain pieces
they start from, with the cache layout and gradient keys of ../shared/api.md: the cache is the
12-tuple `(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)` and the gradients are
`dZ3 dW3 db3 dA2 dZ2 dW2 db2 dA1 dZ1 dW1 db1`. `forward_propagation_n` and
`backward_propagation_n` are the names api.md gives them for gradient checking.
"""

from __future__ import annotations

import numpy as np

from .activations import logistic, relu

GRADIENT_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")


def initialize_three_layer(layers_dims, seed: int = 3) -> dict:
    """W1..W3 drawn as randn / sqrt(n[l-1]) after np.random.seed(seed), zero biases."""
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = (np.random.randn(layers_dims[l], layers_dims[l - 1])
                               / np.sqrt(layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def three_layer_forward(X, parameters) -> tuple[np.ndarray, tuple]:
    """A3 (1, m) and the 12-tuple cache."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = logistic(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def cross_entropy_cost(A3, Y) -> np.float64:
    """-(1/m) sum(y log a + (1 - y) log(1 - a)) as a numpy float; a log(0) term counts as 0
    where its label makes it vanish."""
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = np.where(Y == 1, -np.log(A3), 0.0) + np.where(Y == 0, -np.log(1 - A3), 0.0)
    return np.float64(np.sum(losses) / m)


def three_layer_backward(X, Y, cache) -> dict:
    """The gradients of the cross-entropy cost, from the 12-tuple cache."""
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    grads = {"dZ3": A3 - Y}
    for l, A_prev, W_next, A in ((3, A2, None, A3), (2, A1, W3, A2), (1, X, W2, A1)):
        if W_next is not None:
            grads[f"dA{l}"] = W_next.T @ grads[f"dZ{l + 1}"]
            grads[f"dZ{l}"] = grads[f"dA{l}"] * (A > 0)
        grads[f"dW{l}"] = grads[f"dZ{l}"] @ A_prev.T / m
        grads[f"db{l}"] = np.sum(grads[f"dZ{l}"], axis=1, keepdims=True) / m
    return {key: grads[key] for key in GRADIENT_KEYS}


def forward_propagation_n(X, Y, parameters) -> tuple[np.float64, tuple]:
    """The cost and the cache of the 3-layer network (api.md's name for gradient checking)."""
    A3, cache = three_layer_forward(X, parameters)
    return cross_entropy_cost(A3, Y), cache


def backward_propagation_n(X, Y, cache) -> dict:
    """The gradients of forward_propagation_n's cost (api.md's name for gradient checking)."""
    return three_layer_backward(X, Y, cache)


def predict_three_layer(X, parameters, forward=three_layer_forward) -> np.ndarray:
    """Labels (1, m) of 0. and 1.: the output of `forward` above 0.5."""
    return (forward(X, parameters)[0] > 0.5).astype(float)
