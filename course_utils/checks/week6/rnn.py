"""Visible checks of week 6's rnn section: rnn_cell_forward, rnn_forward, rnn_cell_backward and
rnn_backward (the basic RNN, a = tanh(Waa a_prev + Wax xt + ba), softmax outputs by column).

The right answers are stored values only. A slip is named from the stored values (a
forward's stored a_next is tanh(z), so z = arctanh(a_next) tells a missing tanh; the stored
da_prev = Waa^T dz gives dz back) or by running the learner's function once more on changed
inputs (a bias or a0 changed, Waa and Wax swapped, one step's upstream gradient kept), where the
contract says what must or must not change. rnn_cell_forward's first case has n_x = n_a, where
Waa and Wax fit each other's places, so swapping them gives numbers to compare, not a crash.
"""

from __future__ import annotations

import numpy as np

from ...rnn_utils import column_softmax as softmax
from .. import diagnoses
from ..core import Upstream
from . import WEEK
from .recurrent import (
    accumulated,
    again,
    backward_flow,
    cache_order,
    close_at,
    draw_parameters,
    gives,
    matches,
    rnn_caches,
    sequence,
    sizes,
    slip,
    softmax_columns,
    state,
    tanh_derivative_slips,
    tensor,
)

CACHE_NAMES = ("a_next", "a_prev", "xt", "parameters")
CACHE = "cache = (a_next, a_prev, xt, parameters)"
A_RULE = "a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba), shape (n_a, m)."
Y_RULE = ("yt_pred = softmax(Wya @ a_next + by), the given column-wise softmax: each column (one "
          "example) sums to 1.")
PRODUCT_HINT = ("`*` multiplies entry by entry, but Waa a_prev and Wax xt are matrix products: "
                "Waa @ a_prev (or np.dot(Waa, a_prev)), Wax @ xt.")
ALIGN_HINT = ("Waa (n_a, n_a) multiplies a_prev (n_a, m) and Wax (n_a, n_x) multiplies xt "
              "(n_x, m); Wya (n_y, n_a) multiplies a_next.")
KEY_HINT = "parameters holds the keys Waa, Wax, Wya, ba, by."
FORWARD_HINTS = {"could not be broadcast": PRODUCT_HINT, "not aligned": ALIGN_HINT,
                 "KeyError": KEY_HINT}


def _near(value, wrong) -> bool:
    """`value` is `wrong`, a slip's answer derived from rounded stored values (looser)."""
    try:
        got, wrong = np.asarray(value, dtype=float), np.asarray(wrong, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == wrong.shape and bool(np.allclose(got, wrong, rtol=1e-4, atol=1e-6))


def _ignored(case, value, name: str, key: str | None = None, part: int = 0) -> bool:
    """The learner's output item `part`, `value`, came out the same with the input `name` (or
    its parameters[key]) changed: that input is not used."""
    given = case[name]
    def shift(v):  # not the same everywhere: a softmax ignores a shift of every score alike
        v = np.asarray(v, dtype=float)
        return v + 0.5 * np.arange(1, v.size + 1).reshape(v.shape)
    changed = {**given, key: shift(given[key])} if key else shift(given)
    out = again(case, **{name: changed})
    return isinstance(out, tuple | list) and len(out) > part and matches(out[part], value)


# -- rnn_cell_forward ------------------------------------------------------------------------
def _cell_case(n_x: int, n_a: int, n_y: int, m: int, seed: int) -> dict:
    return {"xt": tensor((n_x, m), seed + 20), "a_prev": state(n_a, m, seed + 21),
            "parameters": draw_parameters("rnn", n_x, n_a, n_y, seed)}


def _cell_label(case) -> str:
    (n_x, m), (n_y, n_a) = np.shape(case["xt"]), np.shape(case["parameters"]["Wya"])
    return sizes(n_x=n_x, n_a=n_a, n_y=n_y, m=m)


def _state_hint(case, got, want, name: str = "parameters") -> str | None:
    """Names a wrong a_next: no tanh, a sigmoid, ba unused, Waa and Wax swapped."""
    if matches(got, want):
        return None
    with np.errstate(all="ignore"):
        z = np.arctanh(np.clip(want, -1 + 1e-12, 1 - 1e-12))
        hint = slip(got, want, [(1 / (1 + np.exp(-z)), "this is a sigmoid: the RNN's state is "
                                                        "np.tanh(...)."),
                                (np.maximum(z, 0), "this is a ReLU: the RNN's state is "
                                                   "np.tanh(...).")])
        if hint is None and _near(got, z) and not _near(want, z):
            hint = "the tanh is missing: a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)."
    if hint is None and isinstance(case.get(name), dict):
        P = case[name]
        if _ignored(case, got, name, "ba"):
            hint = "ba is not used: add it inside the tanh."
        elif np.shape(P["Waa"]) == np.shape(P["Wax"]):
            out = again(case, **{name: {**P, "Waa": P["Wax"], "Wax": P["Waa"]}})
            if isinstance(out, tuple | list) and out and matches(out[0], want):
                hint = "Waa and Wax are swapped: Waa multiplies a_prev, Wax multiplies xt."
    return hint


@WEEK.exercise("rnn_cell_forward(xt, a_prev, parameters)", [
    _cell_case(4, 4, 3, 3, 621), _cell_case(3, 5, 2, 10, 601), _cell_case(2, 3, 4, 1, 611),
    _cell_case(1, 2, 2, 2, 631)], hints=FORWARD_HINTS)
def check_rnn_cell_forward(check, case, out, want):
    label = _cell_label(case)
    a_next, yt_pred, cache = diagnoses.returns(check, out, "a_next, yt_pred, cache")
    check.is_array(f"a_next{label}", a_next, A_RULE)
    check.close(f"a_next{label}", a_next, want[0], _state_hint(case, a_next, want[0]) or A_RULE)
    check.is_array(f"yt_pred{label}", yt_pred, Y_RULE)
    hint = None
    if not matches(yt_pred, want[1]):
        P = case["parameters"]
        hint = slip(yt_pred, want[1], [
            (softmax(P["Wya"] @ case["a_prev"] + P["by"]), "yt_pred is computed from a_prev: "
                                                            "the output reads the new state, "
                                                            "Wya @ a_next + by."),
            (np.tanh(P["Wya"] @ np.asarray(a_next, float) + P["by"]), "the output is a "
                                                                       "softmax, not a tanh.")])
        columns = np.sum(np.asarray(yt_pred, dtype=float), axis=0)
        if hint is None and np.allclose(columns, 1) and _ignored(case, yt_pred, "parameters",
                                                                 "by", part=1):
            hint = "by is not used: add it to the scores, softmax(Wya @ a_next + by)."
    check.shape(f"yt_pred{label}", yt_pred, want[1].shape, Y_RULE)
    softmax_columns(check, f"yt_pred{label}", yt_pred, want[1], hint or Y_RULE)
    cache_order(check, "cache", cache, want[2], CACHE_NAMES,
                f"keep the given line {CACHE}, in this order.")


# -- rnn_forward -----------------------------------------------------------------------------
FORWARD_RULE = ("a_next = a0, then for t in range(T_x): a_next, yt_pred, cache = "
                "rnn_cell_forward(x[:, :, t], a_next, parameters); a[:, :, t] = a_next; "
                "y_pred[:, :, t] = yt_pred; caches.append(cache).")


def _forward_case(n_x: int, n_a: int, n_y: int, m: int, T_x: int, seed: int) -> dict:
    return {"x": sequence(n_x, m, T_x, seed + 20), "a0": state(n_a, m, seed + 21),
            "parameters": draw_parameters("rnn", n_x, n_a, n_y, seed)}


def _steps_hint(case, got, want, what: str) -> str | None:
    """Names a loop's slip in `what` (a or y_pred) from its steps: the first one wrong, a
    shift by one step, a step left at zeros, the same start at every step, a0 unused."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if got.shape != np.shape(want) or matches(got, want):
        return None
    T_x = want.shape[2]
    wrong = [t for t in range(T_x) if not matches(got[:, :, t], want[:, :, t])]
    t = wrong[0]
    if T_x > 1 and _near(got[:, :, 1:], want[:, :, :-1]):
        return (f"{what}[:, :, t] holds step t - 1's value: store each step's output after "
                "computing it, in the same iteration.")
    if not np.any(got[:, :, t]):
        return (f"{what}[:, :, {t}] is still zeros: fill every step, for t in range(T_x), "
                f"{what}[:, :, t] = the step's output.")
    if t == 0:
        if what == "a" and _ignored(case, got, "a0"):
            return "a0 is not used: the first step starts from a_prev = a0."
        return Upstream("step 0 is already wrong: make rnn_cell_forward's check pass first, "
                        "and call it on x[:, :, 0] and a0.")
    return (f"{what}[:, :, 0] is right but {what}[:, :, {t}] is not: each step starts from the "
            "a_next of the step before (a0 only at t = 0), a_next, yt_pred, cache = "
            "rnn_cell_forward(x[:, :, t], a_next, parameters).")


@WEEK.exercise("rnn_forward(x, a0, parameters)", [
    _forward_case(3, 5, 2, 4, 6, 641), _forward_case(2, 3, 3, 1, 1, 651),
    _forward_case(4, 4, 3, 2, 5, 661), _forward_case(1, 2, 2, 3, 9, 671)], hints={
    **FORWARD_HINTS,
    "IndexError": "x[:, :, t] is step t of x (n_x, m, T_x), for t in range(T_x)."})
def check_rnn_forward(check, case, out, want):
    n_x, m, T_x = case["x"].shape
    n_y, n_a = case["parameters"]["Wya"].shape
    label = sizes(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T_x=T_x)
    a, y_pred, caches = diagnoses.returns(check, out, "a, y_pred, caches")
    for name, got, ref, rows in (("a", a, want[0], "n_a"), ("y_pred", y_pred, want[1], "n_y")):
        check.is_array(f"{name}{label}", got, f"{name} = np.zeros(({rows}, m, T_x)), filled "
                                              "step by step.")
        check.shape(f"{name}{label}", got, ref.shape, f"{name} is ({rows}, m, T_x): one "
                                                      f"({rows}, m) slice per step.")
        close_at(check, name, label, got, ref, _steps_hint(case, got, ref, name) or (
            _state_hint(case, got, ref) if name == "a" else None) or FORWARD_RULE)
    pair = "caches = (caches_list, x)"
    check.true(isinstance(caches, tuple | list) and len(caches) == 2
               and isinstance(caches[0], list),
               f"caches must be the pair (caches_list, x), the list of the {T_x} steps' caches "
               "and x.", f"keep the given line {pair}, with caches_list a list.")
    steps, x = caches
    check.true(len(steps) == T_x, f"caches[0] must hold the caches of the {T_x} steps, but it "
                                  f"holds {len(steps)}.", "append every step's cache, once, "
                                                          "in order: caches.append(cache).")
    for t, (got, ref) in enumerate(zip(steps, want[2][0])):
        cache_order(check, f"caches[0][{t}]", got, ref, CACHE_NAMES,
                    f"append each step's rnn_cell_forward cache, {CACHE}, in order.")
    check.close(f"caches[1] (x){label}", x, case["x"], f"{pair}: the input x itself.")


# -- rnn_cell_backward -----------------------------------------------------------------------
CELL_KEYS = ["dxt", "da_prev", "dWax", "dWaa", "dba"]
DZ = "dz = (1 - a_next**2) * da_next"
CELL_RULES = {
    "dxt": f"dxt = Wax.T @ dz, with {DZ}.",
    "da_prev": f"da_prev = Waa.T @ dz, with {DZ}.",
    "dWax": f"dWax = dz @ xt.T, with {DZ}.",
    "dWaa": f"dWaa = dz @ a_prev.T, with {DZ}.",
    "dba": f"dba = np.sum(dz, axis=1, keepdims=True): sum over the examples, with {DZ}.",
}
LIKE = {"dxt": "xt", "da_prev": "a_prev", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"}
UNPACK_HINT = "the cache is rnn_cell_forward's: (a_next, a_prev, xt, parameters) = cache."


def _backward_cell_case(n_x: int, n_a: int, m: int, seed: int) -> dict:
    (cache,), _ = rnn_caches(n_x, n_a, 2, m, 1, seed)
    return {"da_next": tensor((n_a, m), seed + 30), "cache": cache}


def _cell_slips(key: str, got, want: dict, da_next, cache, m: int) -> str | None:
    """The common slips of one cell gradient, from the stored gradients: dz comes back from the
    stored da_prev = Waa^T dz (Waa is square and, drawn at random, invertible)."""
    a_next, a_prev, xt, P = cache
    Waa, Wax = P["Waa"], P["Wax"]
    dz = np.linalg.solve(Waa.T, want["da_prev"])
    wrong = {
        "dxt": [], "da_prev": [(Waa @ dz, "da_prev = Waa.T @ dz: the transpose of Waa.")],
        "dWax": [((dz @ xt.T) / m, f"no 1/m here: {DZ} already carries it.")],
        "dWaa": [(dz @ a_next.T, "dWaa pairs dz with a_prev, the state that entered the step, "
                                 "not a_next."),
                 ((dz @ a_prev.T) / m, f"no 1/m here: {DZ} already carries it.")],
        "dba": [(np.sum(dz, axis=1, keepdims=True) / m, f"no 1/m here: {DZ} already carries "
                                                         "it.")]}
    combine = {"dxt": lambda d: Wax.T @ d, "da_prev": lambda d: Waa.T @ d,
               "dWax": lambda d: d @ xt.T, "dWaa": lambda d: d @ a_prev.T,
               "dba": lambda d: np.sum(d, axis=1, keepdims=True)}[key]
    slips = [*tanh_derivative_slips(a_next, da_next, combine), *wrong[key],
             (-want[key], "the sign is flipped.")]
    return next((hint for value, hint in slips if _near(got, value)
                 and not _near(want[key], value)), None)


@WEEK.exercise("rnn_cell_backward(da_next, cache)", [
    _backward_cell_case(3, 5, 10, 681), _backward_cell_case(1, 2, 1, 691),
    _backward_cell_case(4, 4, 2, 701), _backward_cell_case(2, 3, 3, 711)], hints={
    "could not be broadcast": "`*` is entry by entry: the products Wax.T dz, Waa.T dz, dz xt.T "
                              "and dz a_prev.T are matrix products (@ or np.dot).",
    "not aligned": "dxt = Wax.T @ dz (n_x, m), da_prev = Waa.T @ dz, dWax = dz @ xt.T "
                   "(n_a, n_x), dWaa = dz @ a_prev.T (n_a, n_a): check which factor carries "
                   "the .T.",
    "unpack": UNPACK_HINT, "KeyError": KEY_HINT})
def check_rnn_cell_backward(check, case, grads, want):
    da_next, cache = case["da_next"], case["cache"]
    (n_x, m), n_a = cache[2].shape, cache[1].shape[0]
    label = sizes(n_x=n_x, n_a=n_a, m=m)
    check.keys("the gradients", grads, CELL_KEYS, "return the given dict of dxt, da_prev, dWax, "
                                                  "dWaa and dba.")
    for key in ("dba", "dxt", "da_prev", "dWax", "dWaa"):  # dba has the fewest factors
        got, ref = grads[key], want[key]
        shape_hint = f"{key} has the shape of {LIKE[key]}, {ref.shape}."
        if key == "dba" and np.shape(got) in ((), (n_a,), (1, m), (m,)) and np.shape(got) != \
                ref.shape:
            shape_hint = ("sum dz over the examples only and keep the column: np.sum(dz, "
                          "axis=1, keepdims=True).")
        check.is_array(f"{key}{label}", got, "np.sum(dz) without axis adds up everything into "
                       "one number: " + CELL_RULES[key] if key == "dba" and np.ndim(got) == 0
                       else CELL_RULES[key])
        check.shape(f"{key}{label}", got, ref.shape, shape_hint)
        check.close(f"{key}{label}", got, ref,
                    _cell_slips(key, got, want, da_next, cache, m) or CELL_RULES[key])


# -- rnn_backward ----------------------------------------------------------------------------
SEQUENCE_KEYS = ["dx", "da0", "dWax", "dWaa", "dba"]
SEQUENCE_RULE = ("for t in reversed(range(T_x)): gradients = rnn_cell_backward(da[:, :, t] + "
                 "da_prevt, caches[t]), dx[:, :, t] = gradients['dxt'], da_prevt = "
                 "gradients['da_prev'], dWax += gradients['dWax'] (and dWaa, dba); da0 is the "
                 "last da_prevt.")
SEQUENCE_LIKE = {"dx": "x, (n_x, m, T_x)", "da0": "a0, (n_a, m)", "dWax": "Wax", "dWaa": "Waa",
                 "dba": "ba"}


def _sequence_case(n_x: int, n_a: int, m: int, T_x: int, seed: int) -> dict:
    return {"da": tensor((n_a, m, T_x), seed + 30), "caches": rnn_caches(n_x, n_a, 2, m, T_x,
                                                                         seed)}


@WEEK.exercise("rnn_backward(da, caches)", [
    _sequence_case(3, 4, 2, 5, 721), _sequence_case(2, 2, 1, 1, 731),
    _sequence_case(1, 3, 3, 3, 741), _sequence_case(4, 3, 2, 6, 751)], hints={
    "unpack": "caches is rnn_forward's pair (caches_list, x); each step's cache is "
              "(a_next, a_prev, xt, parameters).",
    "IndexError": "da[:, :, t] and caches_list[t] are step t, for t in reversed(range(T_x)).",
    "could not be broadcast": Upstream("the step's da_next is da[:, :, t] + da_prevt, both "
                                       "(n_a, m); dx[:, :, t] takes the step's dxt (n_x, m).")})
def check_rnn_backward(check, case, grads, want):
    n_a, m, T_x = case["da"].shape
    n_x = case["caches"][1].shape[0]
    label = sizes(n_x=n_x, n_a=n_a, m=m, T_x=T_x)
    check.keys("the gradients", grads, SEQUENCE_KEYS, "return the given dict of dx, da0, dWax, "
                                                      "dWaa and dba.")
    for key in SEQUENCE_KEYS:
        check.is_array(f"{key}{label}", grads[key], SEQUENCE_RULE)
        check.shape(f"{key}{label}", grads[key], want[key].shape,
                    f"{key} has the shape of {SEQUENCE_LIKE[key]}.")
    flow = backward_flow(case, grads, want, "rnn_cell_backward")
    close_at(check, "dx", label, grads["dx"], want["dx"], flow or SEQUENCE_RULE)
    check.close(f"da0{label}", grads["da0"], want["da0"], flow or (
        "da0 is the da_prev of the first step, t = 0, the last one the loop processes: da0 = "
        "da_prevt after the loop."))
    for key in SEQUENCE_KEYS[2:]:
        hint = accumulated(SEQUENCE_KEYS[2:], grads, want)
        if hint is None and T_x > 1 and gives(grads[key], want[key], want[key] / T_x):
            hint = "no division by T_x: the weight gradients are the plain sum over the steps."
        check.close(f"{key}{label}", grads[key], want[key], hint or SEQUENCE_RULE)
