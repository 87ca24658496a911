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


class DenseNetwork:
    """A trained dense_softmax_network: its parameters, the mini-batch costs, and the pixel
    statistics of its training set, which predict applies to new pictures as training did."""

    def __init__(self, params: dict, costs: list, pixel_mean: np.ndarray, pixel_std: float):
        self.params, self.costs = params, costs
        self.pixel_mean, self.pixel_std = pixel_mean, pixel_std

    def predict(self, X) -> np.ndarray:
        """The most probable class of every column of X (784, m), as int labels (m,)."""
        return _dense_forward(self.params, (X - self.pixel_mean) / self.pixel_std).argmax(axis=0)


def _dense_forward(params: dict, A):
    L = len(params) // 2
    for l in range(1, L):
        A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
    Z = params[f"W{L}"] @ A + params[f"b{L}"]
    exps = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def dense_softmax_network(X_train, Y_train, layers=(784, 128, 64, 10), epochs: int = 6,
                          batch_size: int = 128, learning_rate: float = 0.001,
                          seed: int = 1) -> DenseNetwork:
    """Week 4's Fashion-MNIST network without batch norm: relu hidden layers, a softmax output,
    He initialization, mini-batches and Adam, trained as week 4 trains it.

    X_train (784, m) in [0, 1] (`flatten_images`), Y_train (1, m) int labels. Inputs are
    normalized by `(X - pixel_mean) / pixel_std` with the training set's per-pixel mean and one
    standard deviation of all its pixels. The weights are He-initialized from
    `numpy.random.RandomState(seed)` (week 4's `np.random.seed(1)` stream, without touching
    numpy's global state); epoch e's mini-batches are `RandomState(e)`'s permutation, as week
    4's `random_mini_batches(X, Y, batch_size, seed=e)` makes them. Returns a DenseNetwork.
    """
    X_train, labels = np.asarray(X_train, dtype=float), np.asarray(Y_train).reshape(-1)
    if X_train.ndim != 2 or X_train.shape[0] != layers[0] or labels.size != X_train.shape[1]:
        raise ValueError(f"dense_softmax_network: X_train must be ({layers[0]}, m), one column "
                         f"per picture, with labels Y_train (1, m); got {X_train.shape} and "
                         f"{np.shape(Y_train)}.")
    pixel_mean, pixel_std = X_train.mean(axis=1, keepdims=True), float(X_train.std())
    X = (X_train - pixel_mean) / pixel_std
    Y = np.eye(layers[-1])[labels].T
    rng = np.random.RandomState(seed)
    params = {}
    for l in range(1, len(layers)):
        params[f"W{l}"] = rng.randn(layers[l], layers[l - 1]) * np.sqrt(2 / layers[l - 1])
        params[f"b{l}"] = np.zeros((layers[l], 1))
    moments = {key: (np.zeros_like(value), np.zeros_like(value)) for key, value in params.items()}
    L, m, costs, t = len(layers) - 1, X.shape[1], [], 0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for epoch in range(epochs):
        order = np.random.RandomState(epoch).permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            A, caches = X[:, batch], []
            for l in range(1, L):
                caches.append(A)
                A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
            caches.append(A)
            Z = params[f"W{L}"] @ A + params[f"b{L}"]
            exps = np.exp(Z - Z.max(axis=0, keepdims=True))
            AL = exps / exps.sum(axis=0, keepdims=True)
            costs.append(float(-np.sum(Y[:, batch] * np.log(AL)) / len(batch)))
            dZ, grads = AL - Y[:, batch], {}
            for l in range(L, 0, -1):
                A_prev = caches[l - 1]
                grads[f"W{l}"] = dZ @ A_prev.T / len(batch)
                grads[f"b{l}"] = np.sum(dZ, axis=1, keepdims=True) / len(batch)
                if l > 1:
                    dZ = (params[f"W{l}"].T @ dZ) * (A_prev > 0)
            t += 1
            for key, g in grads.items():
                v, s = moments[key]
                v, s = beta1 * v + (1 - beta1) * g, beta2 * s + (1 - beta2) * g ** 2
                moments[key] = v, s
                params[key] = params[key] - learning_rate * (v / (1 - beta1 ** t)) / (
                    np.sqrt(s / (1 - beta2 ** t)) + eps)
    return DenseNetwork(params, costs, pixel_mean, pixel_std)
