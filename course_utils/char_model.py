"""Given code of week 6's character-level language model (the classic dinosaur-names
assignment's utilities, for first names): parameters, the model's own forward and backward
loops over one name (named `char_rnn_*` so they do not clash with the step-by-step
`rnn_forward`/`rnn_backward` of the notebook), the update, the smoothed loss and printing."""

from __future__ import annotations

import numbers

import numpy as np

from .rnn_utils import column_softmax as softmax

KEYS = ("Wax", "Waa", "Wya", "b", "by")
GRADIENT_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")


class ExplodingGradient(FloatingPointError):
    """The loss or the parameters stopped being finite numbers while training."""


def initialize_char_parameters(n_a, n_x, n_y):
    """Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a) of randn * 0.01, zero biases b (n_a, 1)
    and by (n_y, 1); seed 1 inside, as the classic."""
    np.random.seed(1)
    Wax = np.random.randn(n_a, n_x) * 0.01
    Waa = np.random.randn(n_a, n_a) * 0.01
    Wya = np.random.randn(n_y, n_a) * 0.01
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": np.zeros((n_a, 1)), "by": np.zeros((n_y, 1))}


def check_temperature(temperature) -> float:
    """The temperature as a float, or a ValueError that gives the valid range."""
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or \
            not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a number above 0 (for example 0.5, 1.0 or 2.0), "
                         f"got {temperature!r}: the logits are divided by it, so 0 would divide "
                         "by zero; small values (0.1) make sampling nearly greedy, large ones "
                         "(3) nearly uniform.")
    return float(temperature)


def rnn_step_forward(parameters, a_prev, x):
    """One step: a_next = tanh(Wax x + Waa a_prev + b), p = softmax(Wya a_next + by)."""
    a_next = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
    return a_next, softmax(parameters["Wya"] @ a_next + parameters["by"])


def _check_name_pair(X, Y, a0, parameters, vocab_size) -> None:
    """A ValueError that says what is wrong with one name's X, Y or a0, and how to build them."""
    build = ('build them as X = [None] + [char_to_ix[ch] for ch in name] and Y = X[1:] + '
             '[char_to_ix["\\n"]]')
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have the same length, one target per input, but X has "
                         f"{len(X)} entries and Y {len(Y)}: Y is X shifted by one with the end "
                         f"of the name at the end; {build}.")
    if len(X) == 0:
        raise ValueError(f"X and Y are empty: a name gives at least one step; {build}.")
    for what, seq in (("X", X), ("Y", Y)):
        for t, ix in enumerate(seq):
            if ix is None and what == "X" and t == 0:
                continue
            if isinstance(ix, bool) or not isinstance(ix, numbers.Integral) or \
                    not 0 <= ix < vocab_size:
                first = " (X[0] alone may be None, the empty first input)" if what == "X" else ""
                raise ValueError(f"{what}[{t}] is {ix!r}, but it must be a character index 0 to "
                                 f"{vocab_size - 1}{first}; {build}.")
    shapes = {k: np.shape(parameters[k]) for k in KEYS if k in parameters}
    if len(shapes) < len(KEYS):
        raise ValueError(f"parameters must hold the keys {list(KEYS)}, but they have "
                         f"{sorted(parameters)}.")
    n_a = shapes["Waa"][0]
    if shapes["Wax"][1:] != (vocab_size,) or np.shape(a0) != (n_a, 1):
        raise ValueError(f"a0 must be a column ({n_a}, 1) and Wax ({n_a}, {vocab_size}), but a0 "
                         f"has shape {np.shape(a0)} and Wax {shapes['Wax']}: pass the a_prev "
                         "that the previous name ended with, or np.zeros((n_a, 1)) for the "
                         "first.")


def char_rnn_forward(X, Y, a0, parameters, vocab_size=27):
    """The loss -sum log p(Y[t]) of one name and the cache (y_hat, a, x), dicts by time step;
    X[0] is None (the empty first input), X[t] and Y[t] are character indices."""
    _check_name_pair(X, Y, a0, parameters, vocab_size)
    x, a, y_hat = {}, {}, {}
    a[-1] = np.copy(a0)
    loss = 0.0
    for t in range(len(X)):
        x[t] = np.zeros((vocab_size, 1))
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t], y_hat[t] = rnn_step_forward(parameters, a[t - 1], x[t])
        with np.errstate(divide="ignore", invalid="ignore"):  # refused below, in words
            loss -= np.log(y_hat[t][Y[t], 0])
    if not np.isfinite(loss):
        raise ExplodingGradient(
            f"the loss of this name is {loss}: the parameters have exploded (largest |entry| "
            f"{max(np.max(np.abs(parameters[k])) for k in KEYS):.3g}). Gradient clipping stops "
            "that: optimize must call clip(gradients, 5) before update_parameters.")
    return loss, (y_hat, a, x)


def char_rnn_backward(X, Y, parameters, cache):
    """The gradients (keys dWax dWaa dWya db dby) of one name's loss, and the activations a."""
    y_hat, a, x = cache
    gradients = {f"d{k}": np.zeros_like(parameters[k]) for k in KEYS}
    da_next = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])
        dy[Y[t]] -= 1
        gradients["dWya"] += dy @ a[t].T
        gradients["dby"] += dy
        da = parameters["Wya"].T @ dy + da_next
        daraw = (1 - a[t] * a[t]) * da
        gradients["db"] += daraw
        gradients["dWax"] += daraw @ x[t].T
        gradients["dWaa"] += daraw @ a[t - 1].T
        da_next = parameters["Waa"].T @ daraw
    return gradients, a


def update_char_parameters(parameters, gradients, lr):
    """Gradient descent in place, as the classic: parameters[k] += -lr * gradients["d" + k]."""
    missing = [k for k in GRADIENT_KEYS if not isinstance(gradients, dict) or k not in gradients]
    if missing:
        have = sorted(gradients) if isinstance(gradients, dict) else type(gradients).__name__
        raise ValueError(f"update_parameters: the gradients lack {missing} (they have {have}): "
                         f"clip must return all five keys {list(GRADIENT_KEYS)}.")
    for k in KEYS:
        parameters[k] += -lr * gradients["d" + k]
    return parameters


def get_initial_loss(vocab_size, seq_length):
    """The loss of uniform guesses over seq_length characters, where smoothing starts."""
    return -np.log(1.0 / vocab_size) * seq_length


def smooth(loss, cur_loss):
    """An exponentially weighted average of the loss (0.999 of the old value)."""
    return loss * 0.999 + cur_loss * 0.001


def get_sample(sample_ix, ix_to_char):
    """The name of a list of indices, first letter capitalized (the classic's print_sample)."""
    if len(sample_ix) == 0:
        raise ValueError("get_sample: the list of indices is empty; sample returns at least "
                         "the index of \"\\n\", the end of the name.")
    unknown = [ix for ix in sample_ix if ix not in ix_to_char]
    if unknown:
        raise ValueError(f"get_sample: {unknown[0]!r} is not an index of ix_to_char (0 to "
                         f"{len(ix_to_char) - 1}): sample must return character indices.")
    txt = "".join(ix_to_char[ix] for ix in sample_ix)
    return txt[0].upper() + txt[1:]
