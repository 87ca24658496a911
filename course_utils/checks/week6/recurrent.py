"""What the checks of week 6's recurrent cells (rnn, gru, lstm sections) share: case builders
(parameter dicts, sequences, states, caches as the forward passes leave them) and the
diagnoses of the slips every cell and every loop through time invites.

Builders never touch the global random state. A backward case's cache is one the forward pass
could have left (its states follow the cell's equation as printed in the notebook), so a
backward pass that recomputes a forward value from the cache instead of reading it passes too.

The loop diagnoses run the learner's backward pass once more on the same caches with the
upstream gradient `da` kept at one step only: a backward pass through time sends a gradient
at step t back to the steps before it and never forward, whatever the cell.
"""

from __future__ import annotations

import numpy as np

from ...rnn_utils import logistic as sigmoid
from ..core import Check, layout
from ..week5.convolution import again, close_at, gives, matches, slip, tensor

__all__ = [
    "CONCAT_RULE", "GRU_KEYS", "LOOP_RULE", "LSTM_KEYS", "RNN_KEYS", "accumulated", "again",
    "backward_flow", "cache_order", "close_at", "concat_order_hint", "concat_swapped",
    "concat_weight_hint", "draw_parameters", "gate_values", "gives", "loop_states", "matches",
    "parameter_shapes", "rnn_caches", "sequence", "sigmoid_derivative_slips", "sizes", "slip",
    "softmax_columns", "squashed", "state", "swap_columns", "tanh_derivative_slips", "tensor"]

RNN_KEYS = ("Wax", "Waa", "Wya", "ba", "by")
GRU_KEYS = ("Wu", "bu", "Wr", "br", "Wc", "bc", "Wy", "by")
LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
KEYS = {"rnn": RNN_KEYS, "gru": GRU_KEYS, "lstm": LSTM_KEYS}
CONCAT_RULE = ("concat = np.concatenate([a_prev, xt], axis=0): a_prev's n_a rows first, then "
               "xt's n_x rows, as the weights' columns are ordered")


# -- case builders ---------------------------------------------------------------------------
def parameter_shapes(kind: str, n_x: int, n_a: int, n_y: int) -> dict:
    """The shape of every key of an "rnn", "gru" or "lstm" parameters dict (api.md's keys): the
    gates' weights are (n_a, n_a + n_x) on concat = [a_prev; xt], the output's (n_y, n_a)."""
    if kind not in KEYS:
        raise ValueError(f"kind must be one of {sorted(KEYS)}, not {kind!r}")
    shapes = {}
    for key in KEYS[kind]:
        out = n_y if key in ("Wya", "Wy", "by") else n_a
        shapes[key] = ((out, 1) if key.startswith("b") else
                       (out, {"Wax": n_x, "Waa": n_a}.get(key, n_a if key in ("Wya", "Wy")
                                                           else n_a + n_x)))
    return shapes


def draw_parameters(kind: str, n_x: int, n_a: int, n_y: int, seed: int,
                    scale: float = 0.6) -> dict:
    """A parameters dict of fixed numbers: key k of KEYS[kind] drawn from seed + k, weights
    times `scale`, biases times 0.3 (so tanh and the gates stay away from saturation)."""
    return {key: tensor(shape, seed + k, 0.3 if key.startswith("b") else scale)
            for k, (key, shape) in enumerate(parameter_shapes(kind, n_x, n_a, n_y).items())}


def sequence(n_x: int, m: int, T_x: int, seed: int) -> np.ndarray:
    """An input batch x of shape (n_x, m, T_x)."""
    return tensor((n_x, m, T_x), seed)


def state(n_a: int, m: int, seed: int) -> np.ndarray:
    """An initial activation a0 (or c0) of shape (n_a, m), inside tanh's range."""
    return squashed((n_a, m), seed)


def squashed(shape: tuple, seed: int) -> np.ndarray:
    """Values in (-1, 1) as a tanh leaves them (rounded)."""
    return np.round(np.tanh(tensor(shape, seed)), 4)


def gate_values(shape: tuple, seed: int) -> np.ndarray:
    """Values in (0, 1) as a sigmoid gate leaves them (rounded)."""
    return np.round(sigmoid(tensor(shape, seed, 1.5)), 4)


def loop_states(x: np.ndarray, a0: np.ndarray, step) -> list:
    """The caches of a forward loop: `step(xt, a_prev)` returns one step's cache, whose first
    item is its a_next, fed to the next step (a0 first)."""
    caches, a_prev = [], a0
    for t in range(x.shape[2]):
        caches.append(step(x[:, :, t], a_prev))
        a_prev = caches[-1][0]
    return caches


def rnn_caches(n_x: int, n_a: int, n_y: int, m: int, T_x: int, seed: int) -> tuple:
    """(caches_list, x) as rnn_forward leaves them: step t's cache (a_next, a_prev, xt,
    parameters), a_next = tanh(Waa a_prev + Wax xt + ba) (the notebook's equation)."""
    P = draw_parameters("rnn", n_x, n_a, n_y, seed)
    x, a0 = sequence(n_x, m, T_x, seed + 10), state(n_a, m, seed + 11)
    return loop_states(x, a0, lambda xt, a_prev: (
        np.tanh(P["Waa"] @ a_prev + P["Wax"] @ xt + P["ba"]), a_prev, xt, P)), x


def sizes(**dims) -> str:
    """The sizes of a case in a label: ' (n_x=3, n_a=5, m=4)'."""
    return " (" + ", ".join(f"{k}={v}" for k, v in dims.items()) + ")"


# -- diagnoses of a cell ---------------------------------------------------------------------
def softmax_columns(check: Check, what: str, y, want, rule: str) -> None:
    """y is a column-wise softmax like `want`: columns that do not sum to 1 are named (rows
    summing to 1, everything summing to 1, no softmax at all), else `rule` is the hint."""
    got = np.asarray(y, dtype=float)
    if got.shape == np.shape(want) and got.ndim == 2 and not matches(got, want):
        columns = got.sum(axis=0)
        hint = None
        if got.shape[1] > 1 and np.allclose(got.sum(axis=1), 1) and not np.allclose(columns, 1):
            hint = ("the softmax is taken over the wrong axis: each row sums to 1, but each "
                    "column (one example) must. Use the given softmax, or divide by "
                    "np.sum(e, axis=0, keepdims=True).")
        elif got.size > 1 and np.isclose(got.sum(), 1) and not np.allclose(columns, 1):
            hint = ("the whole array sums to 1: np.sum without axis adds every example's "
                    "scores; each column must sum to 1 on its own, np.sum(e, axis=0, "
                    "keepdims=True) (or the given softmax).")
        elif np.all(got > 0) and np.allclose(columns, 1):
            hint = None  # a softmax of the wrong scores: the rule says which
        elif not np.allclose(columns, 1):
            hint = ("its columns do not sum to 1, so it is no softmax: apply the given "
                    "softmax to the scores.")
        check.close(what, y, want, hint or rule)
    check.close(what, y, want, rule)


def swap_columns(W, n_a: int) -> np.ndarray | None:
    """W (n, n_a + n_x) with its columns for xt first, as [xt; a_prev] would pair them."""
    try:
        W = np.asarray(W, dtype=float)
    except (TypeError, ValueError):
        return None
    return np.concatenate([W[:, n_a:], W[:, :n_a]], axis=1) if W.ndim == 2 else None


def concat_swapped(parameters: dict, n_a: int, keys: tuple) -> dict:
    """The parameters with the weights `keys` swapped by swap_columns: a forward pass that
    stacks [xt; a_prev] gives on them exactly what the right one gives on `parameters`."""
    return {k: (swap_columns(v, n_a) if k in keys else v) for k, v in parameters.items()}


def concat_order_hint(case, got, want, n_a: int, keys: tuple, part: int = 0,
                      name: str = "parameters") -> str | None:
    """A forward cell that stacks [xt; a_prev]: on the weights with swapped columns it returns
    the stored answer. None unless so."""
    if not isinstance(case.get(name), dict) or matches(got, want):
        return None
    out = again(case, **{name: concat_swapped(case[name], n_a, keys)})
    value = out[part] if isinstance(out, tuple | list) and len(out) > part else None
    if matches(value, want):
        return f"concat is stacked in the wrong order: {CONCAT_RULE}."
    return None


def concat_weight_hint(got, want, n_a: int, name: str) -> str | None:
    """A weight gradient dz @ concat.T whose concat was stacked [xt; a_prev]."""
    return (f"{name}'s columns come out in the order [xt; a_prev]: {CONCAT_RULE}, so that "
            f"{name} = dz @ concat.T matches the weight's columns."
            if gives(got, want, swap_columns(want, n_a)) else None)


def tanh_derivative_slips(a, upstream, combine, name: str = "a_next") -> list:
    """(wrong gradient, hint) for the wrong derivatives of `name` = tanh(z): `combine(factor *
    upstream)` turns a derivative factor into the gradient being checked."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        wrong = [(1 - np.tanh(a) ** 2, f"{name} is already tanh(z): its derivative is "
                                       f"1 - {name}**2, not 1 - np.tanh({name})**2."),
                 (1 - a, f"tanh'(z) = 1 - tanh(z)**2 = 1 - {name}**2: the square is missing."),
                 (1 - np.tanh(a), f"tanh'(z) = 1 - tanh(z)**2 = 1 - {name}**2 ({name} is "
                                  "already the tanh)."),
                 (np.ones_like(a), f"the derivative of the tanh is missing: multiply by "
                                   f"(1 - {name}**2)."),
                 (a ** 2 - 1, f"the sign of tanh' is flipped: 1 - {name}**2, not "
                              f"{name}**2 - 1.")]
    return [(combine(factor * upstream), hint) for factor, hint in wrong]


def sigmoid_derivative_slips(s, upstream, combine, name: str) -> list:
    """(wrong gradient, hint) for the wrong derivatives of the gate `name` = sigmoid(z)."""
    s = np.asarray(s, dtype=float)
    wrong = [(s, f"a gate's derivative is {name} * (1 - {name}), not {name} itself."),
             (1 - s, f"a gate's derivative is {name} * (1 - {name}), not 1 - {name}."),
             (1 - s ** 2, f"{name} is a sigmoid, not a tanh: its derivative is "
                          f"{name} * (1 - {name})."),
             (np.ones_like(s), f"the gate's derivative is missing: multiply by "
                               f"{name} * (1 - {name}).")]
    return [(combine(factor * upstream), hint) for factor, hint in wrong]


def cache_order(check: Check, what: str, cache, want: tuple, names: tuple, hint: str) -> None:
    """A cache tuple against the stored one, item by item; items in another order are named."""
    shown = "(" + ", ".join(names) + ")"
    check.true(isinstance(cache, tuple | list) and len(cache) == len(names),
               f"{what} must be the {len(names)}-tuple {shown}, but it is {layout(cache)}.", hint)
    for i, (name, got, ref) in enumerate(zip(names, cache, want)):
        if isinstance(ref, dict):
            check.true(isinstance(got, dict), f"{what}[{i}] must be {name}, the dict given, "
                                              f"but it is {layout(got)}.",
                       f"keep the order {shown}.")
            continue
        if not matches(got, ref):
            other = next((names[j] for j, r in enumerate(want) if j != i
                          and not isinstance(r, dict) and matches(got, r)), None)
            if other:
                check.fail(f"{what}[{i}] holds {other} where {name} belongs.",
                           f"the cache is {shown}, in this order.")
        check.close(f"{what}[{i}] ({name})", got, ref, hint)


# -- diagnoses of a loop through time --------------------------------------------------------
LOOP_RULE = ("for t in reversed(range(T_x)): the step's da_next is da[:, :, t] + da_prevt (the "
             "da_prev the step after it returned, zeros at first); dx[:, :, t] is its dxt and the "
             "weight gradients add up over the steps")


def _at_one_step(case, t: int, name: str = "da"):
    """The learner's backward pass on the case's caches with `da` zero except at step t."""
    da = np.asarray(case[name], dtype=float)
    only = np.zeros_like(da)
    only[:, :, t] = da[:, :, t]
    out = again(case, **{name: only})
    return out if isinstance(out, dict) else None


def _nonzero(value) -> bool:
    try:
        return bool(np.any(np.abs(np.asarray(value, dtype=float)) > 1e-12))
    except (TypeError, ValueError):
        return False


def backward_flow(case, grads: dict, wants: dict, cell: str, name: str = "da") -> str | None:
    """Names the loop's slip from what the learner's pass does with one step's gradient (every
    cell alike): a loop that runs forwards, a da_prev that is not passed on, a skipped first
    step, da[:, :, t] left out. `cell` names the cell's backward function. None if none is seen."""
    got, want = grads.get("dx"), wants["dx"]
    if matches(got, want) and matches(grads.get("da0"), wants["da0"]):
        return None
    T_x = np.shape(case[name])[2]
    if want is not None and not _nonzero(got) and not _nonzero(grads.get("da0")):
        return ("dx and da0 are all zeros: da[:, :, t] never reaches the cell. Call "
                f"{cell} with da_next = da[:, :, t] + da_prevt.")
    if T_x > 1:
        first = _at_one_step(case, 0, name)
        if first is not None and _nonzero(np.asarray(first.get("dx"), float)[:, :, 1:]):
            return ("a gradient at step 0 reached later steps: the loop runs forwards. Go from "
                    "the last step to the first, for t in reversed(range(T_x)), so that each "
                    "step gets the da_prev of the step after it.")
        last = _at_one_step(case, T_x - 1, name)
        if last is not None and not _nonzero(np.asarray(last.get("dx"), float)[:, :, :-1]):
            return ("the gradient of a step does not flow back to the steps before it: pass "
                    f"each step's da_prev on, calling {cell} with da_next = da[:, :, t] + "
                    "da_prevt (da_prevt = the da_prev the step after it returned).")
    try:
        dx = np.asarray(got, dtype=float)
        if dx.shape == np.shape(want) and not _nonzero(dx[:, :, 0]) and _nonzero(want[:, :, 0]):
            return ("dx[:, :, 0] is zero: the loop skips step t = 0. reversed(range(T_x)) "
                    "goes T_x - 1, ..., 1, 0.")
    except (TypeError, ValueError):
        pass
    return None


def accumulated(keys: list[str], grads: dict, wants: dict) -> str | None:
    """dx and da0 right but a weight gradient wrong: each step is right, the sum over the steps
    is not (overwritten with = instead of added with +=, or not started from zeros)."""
    if not (matches(grads.get("dx"), wants["dx"]) and matches(grads.get("da0"), wants["da0"])):
        return None
    wrong = [k for k in keys if not matches(grads.get(k), wants[k])]
    if not wrong:
        return None
    return (f"dx and da0 are right, so every step is, but {', '.join(wrong)} "
            f"{'is' if len(wrong) == 1 else 'are'} not: the "
            "weights are the same at every step, so their gradients add up, "
            f"{wrong[0]} += gradients['{wrong[0]}'] inside the loop from np.zeros of the "
            f"weight's shape (with = only the last step processed, t = 0, is kept).")
