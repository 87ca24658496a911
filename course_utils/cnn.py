"""Week 5's given CNN trainer: a small convolutional network on Fashion-MNIST, trained in numpy
with the learner's own fast layers (passed in as `Layers`), mini-batches and Adam.

conv 3x3 "same" 1 -> 8 channels, relu, max pool 2x2 stride 2, conv 3x3 "same" 8 -> 16, relu,
max pool 2, flatten (7*7*16 = 784), dense 10, softmax: 9,098 parameters for 28x28 pictures.
Pictures are channels last, (m, n_H, n_W, 1); labels are ints, (1, m).

The learner's functions are called through one gate: one that raises, returns the wrong shape
or returns NaN stops the run with a `TrainingStopped` whose message names it and says what was
wrong; so does a run whose cost diverges (it names the learning rate).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .learner_code import Parts, failing_callee, return_problem

__all__ = ["History", "Layers", "TrainingStopped", "cnn_forward", "count_parameters",
           "feature_maps", "init_cnn", "predict_cnn", "train_cnn"]

EXPLODED = 10  # a mini-batch cost this many times the first one: the run has diverged
SLOW_STEP = 2.0  # seconds: a first training step this slow is likely a loop version
CHUNK = 500  # pictures per forward pass when predicting (bounds the memory of the windows)


class TrainingStopped(RuntimeError):
    """The learner's function failed, or the cost diverged; the message says which and why."""


@dataclass(frozen=True)
class Layers:
    """The learner's four layer functions (the contracts of api.md, week 5; fast or loop
    versions): conv_forward(A_prev, W, b, hparameters) -> Z, cache; conv_backward(dZ, cache)
    -> dA_prev, dW, db; pool_forward(A_prev, hparameters) -> A, cache (max pooling);
    pool_backward(dA, cache) -> dA_prev. Caches are theirs and are passed back unchanged."""

    conv_forward: Callable
    conv_backward: Callable
    pool_forward: Callable
    pool_backward: Callable

    def __post_init__(self):
        for role in ("conv_forward", "conv_backward", "pool_forward", "pool_backward"):
            fn = getattr(self, role)
            if not callable(fn):
                raise TypeError(f"Layers: pass your function for {role} itself (without "
                                f"parentheses), got {type(fn).__name__}.")


@dataclass
class History:
    """What train_cnn returns. costs: one per mini-batch step; train_accuracy: per epoch, the
    share right among that epoch's mini-batches as they were trained (the weights moving);
    dev_accuracy: per epoch, on the dev set after it; seconds: the whole run, dev evaluations
    included; examples_per_second: training examples per second of training steps."""

    params: dict
    costs: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    dev_accuracy: list = field(default_factory=list)
    seconds: float = 0.0
    examples_per_second: float = 0.0
    learning_rate: float = 0.0
    batch_size: int = 0


class _Failed(Exception):
    """Raised deep inside a pass; the public functions re-raise it as TrainingStopped."""


def _plain_errors(fn):
    """Re-raise a failure of the learner's code as TrainingStopped from the public function
    itself, so the learner reads one message, not a deep traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _Failed as failure:
            message = str(failure)
        raise TrainingStopped(message)

    return wrapper


def _plain(words: str) -> str:
    return re.sub(r"<[^>]+>", "", words)


def _name(layers: Layers, role: str) -> str:
    name = getattr(getattr(layers, role), "__name__", "")
    return name if name and name != "<lambda>" else f"your {role}"


def _call(layers: Layers, role: str, where: str, contract, *args):
    """layers.<role>(*args), checked: it must not raise, must return `contract` and must not
    return NaN or infinity for finite inputs."""
    fn, name = getattr(layers, role), _name(layers, role)
    try:
        with np.errstate(all="ignore"):
            result = fn(*args)
    except Exception as error:  # the learner's code may raise anything
        inner = failing_callee(fn, error)
        if isinstance(error, NotImplementedError):
            who = f"{name} calls {inner}, which" if inner else name
            raise _Failed(f"{who} is not implemented yet: finish its exercise above, run its "
                          "cell and its check, then train again.") from None
        who = f"{inner} (called by {name})" if inner else name
        raise _Failed(f"In {where}: {who} raised {type(error).__name__}: {error}. Fix it and "
                      "make its check pass, then train again.") from None
    problem = return_problem(name, result, contract)
    if problem:
        raise _Failed(f"In {where}: {_plain(problem)}")
    # a Parts contract names the parts; the one other contract here is pool_backward's dA_prev
    parts = contract.names.split(", ") if isinstance(contract, Parts) else ["dA_prev"]
    for part, value in zip(parts, result if isinstance(result, tuple) else (result,)):
        if isinstance(value, np.ndarray) and not np.isfinite(value).all():
            inputs_finite = all(np.isfinite(a).all() for a in args if isinstance(a, np.ndarray))
            if not inputs_finite:
                raise _Failed(f"In {where}: the values reaching {name} are already NaN or "
                              "infinite: training diverged before it.")
            bad = "NaN" if np.isnan(value).any() else "infinity"
            raise _Failed(f"In {where}: {name} returned {bad} in {part} for finite inputs. Look "
                          "for a division by zero or an array made by np.empty and never filled, "
                          "and make its check pass.")
    return result


# -- the network ----------------------------------------------------------------------------


def init_cnn(seed: int = 1, channels=(8, 16), f: int = 3, n_classes: int = 10,
             size: int = 28) -> dict:
    """He-initialized parameters (numpy.random.default_rng(seed); zero biases): W1 (f, f, 1,
    c1), b1 (1, 1, 1, c1), W2 (f, f, c1, c2), b2, W3 (n_classes, (size/4)^2 c2), b3 (n_classes,
    1). `f` is odd (the convolutions keep the size), `size` a multiple of 4 (two 2x2 pools)."""
    if f < 1 or f % 2 == 0:
        raise ValueError(f"init_cnn: f must be odd (3, 5, ...) for a 'same' convolution, got {f}")
    if size < 4 or size % 4:
        raise ValueError(f"init_cnn: size must be a multiple of 4 (two 2x2 pools), got {size}")
    rng = np.random.default_rng(seed)
    c1, c2 = channels
    n_flat = (size // 4) ** 2 * c2
    params = {}
    for l, (c_prev, c) in enumerate(((1, c1), (c1, c2)), start=1):
        params[f"W{l}"] = rng.standard_normal((f, f, c_prev, c)) * np.sqrt(2 / (f * f * c_prev))
        params[f"b{l}"] = np.zeros((1, 1, 1, c))
    params["W3"] = rng.standard_normal((n_classes, n_flat)) * np.sqrt(2 / n_flat)
    params["b3"] = np.zeros((n_classes, 1))
    return params


def count_parameters(params: dict) -> int:
    """The number of weights and biases in `params`."""
    return int(sum(np.size(value) for value in params.values()))


def _column_softmax(Z):
    exps = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def _forward(layers: Layers, params: dict, X):
    """Probabilities (n_classes, m), the activations by name, and the caches."""
    m, f = X.shape[0], params["W1"].shape[0]
    conv = {"stride": 1, "pad": (f - 1) // 2}
    pool = {"f": 2, "stride": 2}
    maps, caches, A = {}, {"inputs": {}}, X
    for l in (1, 2):
        W, b = params[f"W{l}"], params[f"b{l}"]
        caches["inputs"][l] = A.shape
        shape = (m, A.shape[1], A.shape[2], W.shape[3])
        Z, caches[f"conv{l}"] = _call(
            layers, "conv_forward", f"convolution {l} (A_prev {A.shape}, W{l} {W.shape}, pad "
            f"{conv['pad']}, stride 1)", Parts("Z, cache", shape, None), A, W, b, conv)
        R = np.maximum(Z, 0)
        pooled = (m, shape[1] // 2, shape[2] // 2, shape[3])
        A, caches[f"pool{l}"] = _call(
            layers, "pool_forward", f"max pool {l} (A_prev {R.shape}, f 2, stride 2)",
            Parts("A, cache", pooled, None), R, pool)
        maps[f"conv{l}"], maps[f"relu{l}"], maps[f"pool{l}"] = Z, R, A
    flat = A.reshape(m, -1).T
    probabilities = _column_softmax(params["W3"] @ flat + params["b3"])
    return probabilities, maps, caches


def _backward(layers: Layers, params: dict, probabilities, labels, maps, caches) -> dict:
    """Gradients of the mean cross-entropy: dZ3 = (A3 - Y) / m at the output."""
    m = labels.size
    dZ3 = probabilities.copy()
    dZ3[labels, np.arange(m)] -= 1
    dZ3 /= m
    flat = maps["pool2"].reshape(m, -1).T
    grads = {"dW3": dZ3 @ flat.T, "db3": dZ3.sum(axis=1, keepdims=True)}
    dA = (params["W3"].T @ dZ3).T.reshape(maps["pool2"].shape)
    for l in (2, 1):
        R, W = maps[f"relu{l}"], params[f"W{l}"]
        dR = _call(layers, "pool_backward", f"the backward pass of max pool {l} (dA "
                   f"{dA.shape})", R.shape, dA, caches[f"pool{l}"])
        dZ = dR * (maps[f"conv{l}"] > 0)
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _call(
            layers, "conv_backward", f"the backward pass of convolution {l} (dZ {dZ.shape})",
            Parts("dA_prev, dW, db", caches["inputs"][l], W.shape, params[f"b{l}"].shape), dZ,
            caches[f"conv{l}"])
    return grads


def _picture_size(X, who: str) -> int:
    """The side of the square pictures X (m, size, size, 1), checked, with the fix in words."""
    shape = np.shape(X)
    if len(shape) == 4 and shape[1] == shape[2] and shape[1] >= 4 and shape[1] % 4 == 0 \
            and shape[3] == 1:
        return shape[1]
    hint = {3: " Add the channel axis: X[..., np.newaxis].",
            2: " Flattened columns go back with X.T.reshape(-1, 28, 28, 1)."}.get(len(shape), "")
    raise ValueError(f"{who}: X must be square grayscale pictures (m, n_H, n_W, 1), channels "
                     f"last, with a side that is a multiple of 4 (two 2x2 pools), such as "
                     f"(m, 28, 28, 1); got shape {shape}.{hint}")


def _check_pictures(X, params: dict, who: str) -> np.ndarray:
    size = _picture_size(X, who)
    expected = 4 * round(np.sqrt(params["W3"].shape[1] / params["W2"].shape[3]))
    if size != expected:
        raise ValueError(f"{who}: these parameters are for {expected}x{expected} pictures, X "
                         f"has {size}x{size}.")
    X = np.asarray(X, dtype=float)
    if not np.isfinite(X).all():
        raise ValueError(f"{who}: X holds NaN or infinite values.")
    return X


def _check_labels(Y, m: int, n_classes: int, who: str, what: str) -> np.ndarray:
    Y = np.asarray(Y)
    if Y.size != m or not (Y.ndim == 1 or Y.ndim == 2 and Y.shape[0] == 1):
        raise ValueError(f"{who}: {what} must be int labels (1, {m}), one per picture, not shape "
                         f"{Y.shape}.")
    if not np.issubdtype(Y.dtype, np.integer) or Y.min() < 0 or Y.max() >= n_classes:
        raise ValueError(f"{who}: {what} must be int labels from 0 to {n_classes - 1} (not "
                         f"one-hot), got {Y.dtype} values from {Y.min()} to {Y.max()}.")
    return Y.reshape(-1)


@_plain_errors
def cnn_forward(layers: Layers, params: dict, X):
    """The network on pictures X (m, n_H, n_W, 1): (probabilities (n_classes, m), caches)."""
    X = _check_pictures(X, params, "cnn_forward")
    probabilities, maps, caches = _forward(layers, params, X)
    return probabilities, {"maps": maps, "layers": caches}


@_plain_errors
def feature_maps(layers: Layers, params: dict, X) -> dict:
    """The activations of every stage by name, channels last, in order: for 28x28 pictures
    conv1 and relu1 (m, 28, 28, 8), pool1 (m, 14, 14, 8), conv2 and relu2 (m, 14, 14, 16),
    pool2 (m, 7, 7, 16)."""
    return _forward(layers, params, _check_pictures(X, params, "feature_maps"))[1]


def _predict(layers: Layers, params: dict, X) -> np.ndarray:
    labels = [_forward(layers, params, X[i:i + CHUNK])[0].argmax(axis=0)
              for i in range(0, len(X), CHUNK)]
    return np.concatenate(labels) if labels else np.zeros(0, dtype=int)


@_plain_errors
def predict_cnn(layers: Layers, params: dict, X) -> np.ndarray:
    """The most probable class of every picture: int labels (m,)."""
    return _predict(layers, params, _check_pictures(X, params, "predict_cnn"))


def _adam_step(params, grads, moments, t, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step with bias correction; returns new parameters and moments."""
    new_params, new_moments = {}, {}
    for key, value in params.items():
        g = grads["d" + key]
        m1, m2 = moments.get(key, (0.0, 0.0))
        m1, m2 = beta1 * m1 + (1 - beta1) * g, beta2 * m2 + (1 - beta2) * g * g
        new_moments[key] = (m1, m2)
        new_params[key] = value - learning_rate * (m1 / (1 - beta1 ** t)) / (
            np.sqrt(m2 / (1 - beta2 ** t)) + eps)
    return new_params, new_moments


def _cost(probabilities, labels) -> float:
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probabilities[labels, np.arange(labels.size)])))


def _diverged(cost: float, first: float, step: int, epoch: int, learning_rate: float) -> str:
    return (f"train_cnn: training diverged at mini-batch step {step} (epoch {epoch}): the cost "
            f"went from {first:.3g} to {cost:.3g}. The learning rate {learning_rate:g} is likely "
            f"too large: try {learning_rate / 10:g} (or a backward function returns gradients "
            "of the wrong sign or size: make the gradient checks pass).")


@_plain_errors
def train_cnn(layers: Layers, X, Y, X_dev, Y_dev, epochs: int = 3, batch_size: int = 64,
              learning_rate: float = 0.01, seed: int = 0, progress: bool = True) -> History:
    """Train the network from init_cnn(seed=seed) with mini-batches and Adam.

    X (m, n_H, n_W, 1) pictures (for example `train_x_orig / 255`), Y (1, m) int labels; the
    dev set the same way. Epoch e's mini-batches are numpy.random.default_rng([seed, e])'s
    permutation of the pictures, `batch_size` at a time (the last one smaller). The learning
    rate decays linearly, from `learning_rate` at the first step to nearly 0 at the last.
    `progress` shows a bar over the mini-batches. Returns a History.
    """
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"train_cnn: learning_rate must be a positive number, got {learning_rate}")
    if int(epochs) != epochs or epochs < 1 or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"train_cnn: epochs and batch_size must be positive integers, got "
                         f"{epochs} and {batch_size}")
    params = init_cnn(seed=seed, size=_picture_size(X, "train_cnn"))
    n_classes = params["W3"].shape[0]
    X, X_dev = (_check_pictures(A, params, "train_cnn") for A in (X, X_dev))
    labels = _check_labels(Y, len(X), n_classes, "train_cnn", "Y")
    dev_labels = _check_labels(Y_dev, len(X_dev), n_classes, "train_cnn", "Y_dev")
    m, epochs, batch_size = len(X), int(epochs), int(batch_size)
    history = History(params, learning_rate=learning_rate, batch_size=batch_size)
    moments, t, training = {}, 0, 0.0
    steps = -(-m // batch_size)
    start = time.perf_counter()
    with tqdm(total=epochs * steps, desc="mini-batches", leave=False, disable=not progress) as bar:
        for epoch in range(epochs):
            order = np.random.default_rng([seed, epoch]).permutation(m)
            right = 0
            for first in range(0, m, batch_size):
                batch = order[first:first + batch_size]
                step_start = time.perf_counter()
                probabilities, maps, caches = _forward(layers, params, X[batch])
                cost = _cost(probabilities, labels[batch])
                history.costs.append(cost)
                if not np.isfinite(cost) or cost > EXPLODED * history.costs[0]:
                    raise _Failed(_diverged(cost, history.costs[0], t + 1, epoch + 1,
                                            learning_rate))
                right += int(np.sum(probabilities.argmax(axis=0) == labels[batch]))
                grads = _backward(layers, params, probabilities, labels[batch], maps, caches)
                t += 1
                rate = learning_rate * (1 - (t - 1) / (epochs * steps))
                params, moments = _adam_step(params, grads, moments, t, rate)
                seconds = time.perf_counter() - step_start
                training += seconds
                if t == 1 and seconds > SLOW_STEP and epochs * steps > 10:
                    bar.write(f"train_cnn: the first mini-batch step took {seconds:.1f} s, so "
                              f"this run needs about {seconds * epochs * steps / 60:.0f} minutes. "
                              "Are these the loop versions? Layers needs your fast ones.")
                bar.update()
                if t % 10 == 0:
                    bar.set_postfix(epoch=epoch + 1, cost=f"{cost:.3f}")
            history.train_accuracy.append(right / m)
            history.dev_accuracy.append(float(np.mean(
                _predict(layers, params, X_dev) == dev_labels)))
    history.params = params
    history.seconds = time.perf_counter() - start
    history.examples_per_second = epochs * m / training if training else 0.0
    return history
