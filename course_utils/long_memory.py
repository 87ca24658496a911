"""Week 6's long-memory experiment: remember the first symbol of a long sequence, with the
learner's own RNN, GRU and LSTM forward and backward passes (api.md's contracts).

K = 4 symbols, one-hot; x is (K, m, T), every position a uniform random symbol; the target is
the symbol at position 1, predicted at the last step by softmax(Wy a<T> + by) with the
cross-entropy loss (chance: 1/K). The output layer, its gradient and da (zeros but at the last
step, Wy^T (ŷ - y) / m) are this module's; everything before a<T> is the learner's code.

    runs = compare({"rnn": (rnn_forward, rnn_backward), "gru": (gru_forward, gru_backward),
                    "lstm": (lstm_forward, lstm_backward)}, T=50)
    plot_runs(runs)                       # the loss curves and the gradient through time

The learner's functions are called through one gate: one that raises, returns the wrong shapes
or returns NaN stops with a `TrainingStopped` whose message names it and says what was wrong.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from .cnn import TrainingStopped, _adam_step
from .learner_code import Parts, failure_words, return_problem
from .rnn_utils import column_softmax as softmax

__all__ = ["KINDS", "LongMemoryRun", "compare", "first_symbol_task", "gradient_through_time",
           "initial_parameters", "plot_gradient_norms", "plot_runs", "train"]

K = 4  # symbols
KINDS = ("rnn", "gru", "lstm")
KIND_COLORS = {"rnn": "#c0392b", "gru": "#2166ac", "lstm": "#1a7f37"}
HELD_OUT_SEED = 10_000  # the held-out batch is the same for every run
CELL_KEYS = {"rnn": ("Wax", "Waa", "ba"), "gru": ("Wu", "bu", "Wr", "br", "Wc", "bc"),
             "lstm": ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}
OUTPUT_KEYS = {"rnn": ("Wya", "by"), "gru": ("Wy", "by"), "lstm": ("Wy", "by")}


def _check_kind(kind) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(map(repr, KINDS))}.")
    return kind


def _check_whole(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}.")
    return int(value)


def _check_length(T) -> int:
    if isinstance(T, (int, np.integer)) and not isinstance(T, bool) and T < 2:
        raise ValueError(f"T must be at least 2, got {T}: with T = 1 the first symbol is the "
                         "last one and nothing has to be remembered; try T = 50.")
    return _check_whole("T", T, 2)


def first_symbol_task(m: int, T: int, seed: int):
    """x (K, m, T), one-hot, every position a uniform random symbol, and the labels (m,): the
    symbol at position 1 of each sequence (the one to remember)."""
    m, T = _check_whole("m", m, 1), _check_length(T)
    symbols = np.random.default_rng(seed).integers(0, K, size=(m, T))
    return np.eye(K)[symbols].transpose(2, 0, 1), symbols[:, 0]


def initial_parameters(kind: str, n_a: int = 16, seed: int = 0, gate_bias: float = 3.0) -> dict:
    """A cell's parameters (api.md's keys) for K inputs and K outputs: weights ~ N(0, 1/fan_in),
    zero biases, the output weights 0.1 N(0, 1); "remember by default" with gate_bias: the
    LSTM's forget bias is +gate_bias, the GRU's update bias -gate_bias (σ(3) = 0.95)."""
    kind, n_a = _check_kind(kind), _check_whole("n_a", n_a, 1)
    rng = np.random.default_rng(seed)
    if kind == "rnn":
        P = {"Wax": rng.normal(size=(n_a, K)) / np.sqrt(K),
             "Waa": rng.normal(size=(n_a, n_a)) / np.sqrt(n_a), "ba": np.zeros((n_a, 1))}
    else:
        P = {}
        for key in CELL_KEYS[kind][::2]:
            P[key] = rng.normal(size=(n_a, n_a + K)) / np.sqrt(n_a + K)
            P["b" + key[1:]] = np.zeros((n_a, 1))
        P["bf" if kind == "lstm" else "bu"] += gate_bias if kind == "lstm" else -gate_bias
    Wy, by = OUTPUT_KEYS[kind]
    return P | {Wy: 0.1 * rng.normal(size=(K, n_a)), by: np.zeros((K, 1))}


def _plain(words: str) -> str:
    return re.sub(r"<[^>]+>", "", words)


def _call(fn, contract, *args):
    """fn(*args) held to `contract` and finite: a TrainingStopped in words if not."""
    name = getattr(fn, "__name__", "your function")
    try:
        with np.errstate(all="ignore"):
            result = fn(*args)
    except Exception as error:  # the learner's code may raise anything
        raise TrainingStopped(_plain(failure_words(fn, error)).replace(
            "move a slider again", "run this again")) from None
    if problem := return_problem(name, result, contract):
        raise TrainingStopped(_plain(problem))
    first = result["dx"] if isinstance(result, dict) else result[0]
    if not np.isfinite(first).all():
        part = "dx" if isinstance(result, dict) else "a"
        raise TrainingStopped(f"{name} returned {part} with {np.sum(~np.isfinite(first))} values "
                              "that are nan or inf for finite inputs: does it start from "
                              "np.empty instead of np.zeros?")
    return result


def _forward_contract(kind: str, n_a: int, m: int, T: int):
    if kind == "lstm":
        return Parts("a, y, c, caches", (n_a, m, T), (K, m, T), (n_a, m, T), None)
    return Parts("a, y_pred, caches", (n_a, m, T), (K, m, T), None)


def _backward_contract(kind: str, parameters: dict, m: int, T: int) -> dict:
    n_a = parameters["bc" if kind != "rnn" else "ba"].shape[0]
    return {"dx": (K, m, T), "da0": (n_a, m)} | {
        "d" + key: parameters[key].shape for key in CELL_KEYS[kind]}


def _pass(kind: str, forward, backward, parameters: dict, x, labels):
    """One forward and backward pass: the loss, the accuracy and the gradients of all keys."""
    m, T = x.shape[1], x.shape[2]
    n_a = parameters["Waa" if kind == "rnn" else "Wc"].shape[0]
    out = _call(forward, _forward_contract(kind, n_a, m, T), x, np.zeros((n_a, m)), parameters)
    a_last, caches = out[0][:, :, -1], out[-1]
    Wy, by = OUTPUT_KEYS[kind]
    p = softmax(parameters[Wy] @ a_last + parameters[by])
    loss = float(-np.mean(np.log(np.maximum(p[labels, np.arange(m)], 1e-300))))
    accuracy = float(np.mean(p.argmax(axis=0) == labels))
    dz = (p - np.eye(K)[:, labels]) / m
    da = np.zeros(out[0].shape)
    da[:, :, -1] = parameters[Wy].T @ dz
    grads = _call(backward, _backward_contract(kind, parameters, m, T), da, caches)
    grads = dict(grads) | {"d" + Wy: dz @ a_last.T, "d" + by: dz.sum(axis=1, keepdims=True)}
    return loss, accuracy, grads


def _check_inputs(kind, forward, backward, x, labels):
    kind = _check_kind(kind)
    for role, fn in (("forward", forward), ("backward", backward)):
        if not callable(fn):
            raise TypeError(f"pass your {kind}_{role} function itself (without parentheses), "
                            f"got {type(fn).__name__}.")
    x, labels = np.asarray(x, dtype=float), np.asarray(labels)
    if x.ndim != 3 or x.shape[0] != K or labels.shape != (x.shape[1],):
        raise ValueError(f"x must be ({K}, m, T) and labels (m,), as first_symbol_task returns, "
                         f"got {x.shape} and {labels.shape}.")
    _check_length(x.shape[2])
    return kind, x, labels.astype(int)


def gradient_through_time(kind: str, forward, backward, parameters: dict, x, labels):
    """The norm of dL/dx<t> for t = 1..T (the dx of the learner's backward), shape (T,): how
    much of the loss at the last step reaches each input."""
    kind, x, labels = _check_inputs(kind, forward, backward, x, labels)
    return np.linalg.norm(_pass(kind, forward, backward, parameters, x, labels)[2]["dx"],
                          axis=(0, 1))


@dataclass
class LongMemoryRun:
    """What `train` returns: the held-out accuracy (512 sequences), the loss per step, the
    gradient norms through time (T,) at the start and at the end, and the seconds it took."""

    kind: str
    T: int
    accuracy: float
    losses: list = field(default_factory=list)
    gradient_start: np.ndarray | None = None
    gradient_end: np.ndarray | None = None
    parameters: dict | None = None
    seconds: float = 0.0

    @property
    def ratio(self) -> float:
        """|dL/dx<1>| / |dL/dx<T>| at the start: the share of the gradient that reaches x<1>."""
        return float(self.gradient_start[0] / self.gradient_start[-1])


def train(kind: str, forward, backward, T: int = 50, steps: int = 400, seed: int = 0, *,
          n_a: int = 16, batch_size: int = 64, learning_rate: float = 0.01,
          gate_bias: float = 3.0, test_size: int = 512, progress: bool = False) -> LongMemoryRun:
    """Trains the cell `kind` on the first-symbol task with Adam, a new batch each step;
    returns a LongMemoryRun. Seeded: the same arguments give the same numbers."""
    began = time.perf_counter()
    steps = _check_whole("steps", steps, 1)
    kind, _, _ = _check_inputs(kind, forward, backward, *first_symbol_task(1, T, seed))
    parameters = initial_parameters(kind, n_a, seed, gate_bias)
    batches = np.random.default_rng([seed, 1])
    losses, moments, start = [], {}, None
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=steps, desc=f"{kind}, T = {T}", leave=False)
    for t in range(1, steps + 1):
        x, labels = first_symbol_task(batch_size, T, batches.integers(2 ** 32))
        loss, _, grads = _pass(kind, forward, backward, parameters, x, labels)
        if not np.isfinite(loss):
            raise TrainingStopped(f"{kind}: the loss became {loss} at step {t}: lower the "
                                  f"learning rate {learning_rate:g}.")
        start = np.linalg.norm(grads["dx"], axis=(0, 1)) if start is None else start
        losses.append(loss)
        parameters, moments = _adam_step(parameters, grads, moments, t, learning_rate)
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    x, labels = first_symbol_task(test_size, T, HELD_OUT_SEED)
    _, accuracy, grads = _pass(kind, forward, backward, parameters, x, labels)
    return LongMemoryRun(kind, T, accuracy, losses, start, np.linalg.norm(grads["dx"],
                         axis=(0, 1)), parameters, time.perf_counter() - began)


def compare(functions: dict, T: int = 50, steps: int = 400, seed: int = 0, **options) -> dict:
    """{kind: LongMemoryRun} for each kind of `functions` = {kind: (forward, backward)};
    `options` as in `train` (progress is on by default)."""
    if not isinstance(functions, dict) or not functions:
        raise TypeError('pass functions = {"rnn": (rnn_forward, rnn_backward), "gru": '
                        '(gru_forward, gru_backward), "lstm": (lstm_forward, lstm_backward)}.')
    options = {"progress": True} | options
    return {kind: train(kind, *functions[kind], T=T, steps=steps, seed=seed, **options)
            for kind in map(_check_kind, functions)}


def _norms_of(norms) -> dict:
    """{kind: (T,) array} from such a dict or from {kind: LongMemoryRun} (its start norms)."""
    if not isinstance(norms, dict) or not norms:
        raise TypeError("pass {kind: gradient norms} (arrays of gradient_through_time) or "
                        "{kind: LongMemoryRun} (what compare returns).")
    return {kind: np.asarray(value.gradient_start if isinstance(value, LongMemoryRun) else
                             value, dtype=float) for kind, value in norms.items()}


def draw_gradient_norms(ax, norms, title: str | None = None) -> None:
    """Draws |dL/dx<t>| against t, one line per kind, on a log scale, on the axes `ax`."""
    for kind, values in _norms_of(norms).items():
        ratio = values[0] / values[-1]
        ax.semilogy(np.arange(1, values.size + 1), values, color=KIND_COLORS.get(kind),
                    label=f"{kind.upper()}: x<1> gets {ratio:.2g} of x<T>'s")
    ax.set(xlabel="time step t of the input", ylabel="|dL/dx<t>|")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title or "the gradient through time, at initialization", fontsize=9)


def plot_gradient_norms(norms, title: str | None = None) -> Figure:
    """A figure of the gradient norms through time (draw_gradient_norms), off pyplot."""
    fig = Figure(figsize=(6.5, 3.4), dpi=90, layout="constrained")
    draw_gradient_norms(fig.subplots(), norms, title)
    return fig


def plot_runs(runs: dict) -> Figure:
    """The loss curves of {kind: LongMemoryRun} (with the held-out accuracy and chance) beside
    their gradient norms through time at the start."""
    fig = Figure(figsize=(11, 3.4), dpi=90, layout="constrained")
    losses, gradients = fig.subplots(1, 2)
    for kind, run in runs.items():
        losses.plot(np.arange(1, len(run.losses) + 1), run.losses, color=KIND_COLORS.get(kind),
                    label=f"{kind.upper()}: held-out accuracy {run.accuracy:.0%}")
    losses.axhline(np.log(K), color="#888", linestyle="--", linewidth=1,
                   label=f"chance: log {K} = {np.log(K):.2f}")
    T = next(iter(runs.values())).T
    losses.set(xlabel="training step (a batch of 64 each)", ylabel="loss (nats)", ylim=(0, None))
    losses.set_title(f"remembering the first of T = {T} symbols", fontsize=9)
    losses.legend(fontsize=8)
    draw_gradient_norms(gradients, runs)
    return fig
