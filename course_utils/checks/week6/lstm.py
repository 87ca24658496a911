"""Visible checks of week 6's lstm section: lstm_cell_forward, lstm_forward, lstm_cell_backward
and lstm_backward (gates on concat = [a_prev; xt], a_prev's rows first; c0 = 0).

The right answers are stored values only. A slip is named from the stored values (the stored
gates give the wrong c_next of gates in each other's places; the stored dc_prev = dc * ft gives
the cell's dc back, so a dc that lost a term or took the wrong tanh' is told) or by running the
learner's function once more where the contract says what must (not) change: a cached gate Γ
replaced by 1 - Γ leaves Γ (1 - Γ), so that gate's bias gradient, unchanged; cct replaced by
-cct leaves 1 - cct**2; a gate's weight doubled changes da_prev through its W^T dz; through
time, forget gates at zero leave only the path of da_prev, gate weights at zero only the path
of dc_prev. A backward case's cache is one lstm_cell_forward could have left.
"""

from __future__ import annotations

import numpy as np

from ...rnn_utils import column_softmax as softmax
from ...rnn_utils import logistic as sigmoid
from .. import diagnoses
from ..core import Upstream, layout
from . import WEEK
from .recurrent import (
    accumulated,
    again,
    backward_flow,
    cache_order,
    close_at,
    concat_order_hint,
    concat_weight_hint,
    draw_parameters,
    gives,
    matches,
    sequence,
    sizes,
    slip,
    softmax_columns,
    state,
    tensor,
)

GATES = ("Wf", "Wi", "Wc", "Wo")
CACHE_NAMES = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt",
               "parameters")
CACHE = "cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)"
KEY_HINT = "parameters holds the keys Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy and by."
UNPACK_HINT = f"the cache is lstm_cell_forward's: ({', '.join(CACHE_NAMES)}) = cache."
PRODUCT_HINT = ("`*` multiplies entry by entry, but Wf [a_prev; xt] is a matrix product: "
                "Wf @ concat (or np.dot(Wf, concat)), with concat (n_a + n_x, m), and so for "
                "Wi, Wc, Wo and Wy.")
STACK_HINT = ("stack a_prev on top of xt along the rows: concat = np.concatenate([a_prev, xt], "
              "axis=0) (or np.vstack), shape (n_a + n_x, m).")
GATE_RULE = ("ft = σ(Wf concat + bf), it = σ(Wi concat + bi), cct = tanh(Wc concat + bc), "
             "ot = σ(Wo concat + bo), with concat = np.concatenate([a_prev, xt], axis=0)")
C_RULE = f"c_next = ft * c_prev + it * cct, with {GATE_RULE}."
A_RULE = "a_next = ot * np.tanh(c_next), with ot = σ(Wo concat + bo)."
Y_RULE = ("yt_pred = softmax(Wy @ a_next + by), the given column-wise softmax: each column (one "
          "example) sums to 1.")
FORWARD_HINTS = {"could not be broadcast": PRODUCT_HINT, "concatenation axis": STACK_HINT,
                 "KeyError": KEY_HINT}


# -- fixed inputs ------------------------------------------------------------------------------
def step_cache(xt, a_prev, c_prev, parameters: dict) -> tuple:
    """The cache an LSTM step leaves by the notebook's equations, for the backward cases."""
    P, concat = parameters, np.concatenate([a_prev, xt], axis=0)
    ft, it, ot = (sigmoid(P[f"W{g}"] @ concat + P[f"b{g}"]) for g in "fio")
    cct = np.tanh(P["Wc"] @ concat + P["bc"])
    c_next = ft * c_prev + it * cct
    return ot * np.tanh(c_next), c_next, a_prev, c_prev, ft, it, cct, ot, xt, P


def lstm_caches(n_x: int, n_a: int, m: int, T_x: int, seed: int) -> tuple:
    """(caches_list, x) as lstm_forward leaves them, from a0 and c0 = 0."""
    P = draw_parameters("lstm", n_x, n_a, 2, seed)
    x, a, c, caches = sequence(n_x, m, T_x, seed + 20), state(n_a, m, seed + 21), np.zeros(
        (n_a, m)), []
    for t in range(T_x):
        caches.append(step_cache(x[:, :, t], a, c, P))
        a, c = caches[-1][:2]
    return caches, x


def _label(n_x: int, n_a: int, m: int, **more) -> str:
    return sizes(n_x=n_x, n_a=n_a, m=m, **more)


# -- lstm_cell_forward -------------------------------------------------------------------------
def _cell_case(n_x: int, n_a: int, n_y: int, m: int, seed: int) -> dict:
    return {"xt": tensor((n_x, m), seed + 20), "a_prev": state(n_a, m, seed + 21),
            "c_prev": tensor((n_a, m), seed + 22),
            "parameters": draw_parameters("lstm", n_x, n_a, n_y, seed)}


def _gate_slip(cache, want: tuple) -> str | None:
    """A gate of the learner's cache that is the tanh of a gate's pre-activation, or cct that
    is the sigmoid of its own (told from the stored gates: z = logit(Γ), z = arctanh(cct))."""
    if not isinstance(cache, tuple | list) or len(cache) != 10:
        return None
    with np.errstate(all="ignore"):
        for index in (4, 5, 7):
            gate = np.asarray(want[index], dtype=float)
            if gives(cache[index], gate, np.tanh(np.log(gate / (1 - gate)))):
                name = CACHE_NAMES[index]
                return (f"{name} is a gate, a sigmoid: {name} = sigmoid(W{name[0]} @ concat + "
                        f"b{name[0]}), between 0 and 1 (np.tanh gives the candidate only).")
        if gives(cache[6], want[6], sigmoid(np.arctanh(want[6]))):
            return ("cct, the candidate, is a tanh: cct = np.tanh(Wc @ concat + bc), between -1 "
                    "and 1 (the gates are the sigmoids).")
    return None


def _memory_slip(case, c_next, want: tuple) -> str | None:
    """A wrong c_next: stacked [xt; a_prev], a gate a tanh, or the stored gates combined
    wrongly (gates swapped or missing, a_prev for c_prev, the GRU's 1 - ft)."""
    n_a = case["a_prev"].shape[0]
    hint = concat_order_hint(case, c_next, want[1], n_a, GATES, part=1)
    if hint:
        return hint
    out = again(case)
    if hint := _gate_slip(out[3] if isinstance(out, tuple | list) and len(out) == 4 else None,
                          want[3]):
        return hint
    ft, it, cct = want[3][4:7]
    c_prev, a_prev = case["c_prev"], case["a_prev"]
    return slip(c_next, want[1], [
        (it * c_prev + ft * cct, "ft and it trade places: the forget gate ft keeps the old "
                                 "memory, ft * c_prev, the update gate it admits the candidate, "
                                 "it * cct."),
        (ft * a_prev + it * cct, "the memory carried over is c_prev, not a_prev: c_next = ft * "
                                 "c_prev + it * cct."),
        (ft * c_prev + (1 - ft) * cct, "this is the GRU's update, (1 - Γ) for the second gate: "
                                       "the LSTM has its own update gate, c_next = ft * c_prev "
                                       "+ it * cct."),
        (c_prev + it * cct, "the forget gate is missing: c_next = ft * c_prev + it * cct."),
        (ft * c_prev + cct, "the update gate is missing: c_next = ft * c_prev + it * cct."),
        (ft * c_prev * it * cct, "the two terms are added, not multiplied: c_next = ft * c_prev "
                                 "+ it * cct.")])


def _activation_slip(a_next, want: tuple) -> str | None:
    """A wrong a_next when c_next is right, from the stored c_next and ot."""
    c_next, c_prev, ot = want[1], want[3][3], want[3][7]
    return slip(a_next, want[0], [
        (ot * c_next, "the tanh is missing: a_next = ot * np.tanh(c_next)."),
        (np.tanh(c_next), "the output gate is missing: a_next = ot * np.tanh(c_next)."),
        (ot * np.tanh(c_prev), "a_next reads the new memory: a_next = ot * np.tanh(c_next), not "
                               "c_prev."),
        (ot + np.tanh(c_next), "the output gate multiplies: a_next = ot * np.tanh(c_next).")])


@WEEK.exercise("lstm_cell_forward(xt, a_prev, c_prev, parameters)", [
    _cell_case(3, 5, 2, 4, 801), _cell_case(1, 2, 3, 1, 821), _cell_case(4, 3, 3, 2, 841)],
    hints=FORWARD_HINTS)
def check_lstm_cell_forward(check, case, out, want):
    (n_x, m), n_a = case["xt"].shape, case["a_prev"].shape[0]
    label = _label(n_x, n_a, m)
    a_next, c_next, yt_pred, cache = diagnoses.returns(check, out, "a_next, c_next, yt_pred, "
                                                                   "cache")
    for name, got, like in (("c_next", c_next, "c_prev"), ("a_next", a_next, "a_prev")):
        check.is_array(f"{name}{label}", got, C_RULE if name == "c_next" else A_RULE)
        check.shape(f"{name}{label}", got, (n_a, m), f"{name} has the shape of {like}, (n_a, m).")
    check.close(f"c_next{label}", c_next, want[1], _memory_slip(case, c_next, want) or C_RULE)
    check.close(f"a_next{label}", a_next, want[0], _activation_slip(a_next, want) or A_RULE)
    check.is_array(f"yt_pred{label}", yt_pred, Y_RULE)
    check.shape(f"yt_pred{label}", yt_pred, want[2].shape, "yt_pred is (n_y, m): " + Y_RULE)
    Wy, by = case["parameters"]["Wy"], case["parameters"]["by"]
    hint = slip(yt_pred, want[2], [
        (np.tanh(Wy @ want[0] + by), "the output is a softmax, not a tanh."),
        (softmax(Wy @ want[1] + by), "yt_pred reads the output state a_next, not the memory "
                                     "c_next: softmax(Wy @ a_next + by).")])
    softmax_columns(check, f"yt_pred{label}", yt_pred, want[2], hint or Y_RULE)
    cache_order(check, "cache", cache, want[3], CACHE_NAMES,
                f"keep the given line {CACHE}, in this order.")


# -- lstm_forward ------------------------------------------------------------------------------
FORWARD_RULE = ("a_next, c_next = a0, zeros (n_a, m); then for t in range(T_x): a_next, c_next, "
                "yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters); store "
                "a[:, :, t] = a_next, c[:, :, t] = c_next, y[:, :, t] = yt; caches.append(cache).")


def _forward_case(n_x: int, n_a: int, n_y: int, m: int, T_x: int, seed: int) -> dict:
    return {"x": sequence(n_x, m, T_x, seed + 20), "a0": state(n_a, m, seed + 21),
            "parameters": draw_parameters("lstm", n_x, n_a, n_y, seed)}


def _steps_slip(case, a, c, want: tuple) -> str | None:
    """A loop's slip, from a and c: a step skipped, the state before the step stored, c0 = a0,
    the memory or both states restarted at every step, [xt; a_prev]."""
    if matches(a, want[0]) and matches(c, want[2]):
        return None
    x, a0 = case["x"], case["a0"]
    T_x, n_a = x.shape[2], a0.shape[0]
    try:
        a, c = np.asarray(a, dtype=float), np.asarray(c, dtype=float)
    except (TypeError, ValueError):
        return None
    if a.shape != want[0].shape or c.shape != want[2].shape:
        return None
    if not np.any(a[:, :, -1]) and np.any(want[0][:, :, -1]):
        return f"a[:, :, {T_x - 1}] is still zeros: run every step, for t in range(T_x)."
    if T_x > 1 and matches(a[:, :, 0], a0) and matches(a[:, :, 1:], want[0][:, :, :-1]):
        return ("a[:, :, t] holds the state before step t: store the new a_next (and c_next) "
                "after the cell, in the same iteration.")
    ft0 = want[3][0][0][4]
    if gives(c[:, :, 0], want[2][:, :, 0], want[2][:, :, 0] + ft0 * a0):
        return ("the memory starts from a0: c0 is zeros, c_next = np.zeros((n_a, m)) before "
                "the loop (a_next = a0).")
    if T_x > 1 and matches(a[:, :, 0], want[0][:, :, 0]):
        def alone(t: int, a_prev) -> bool:  # step t on its own, from a_prev and c_prev = 0
            out = again(case, x=x[:, :, t:t + 1], a0=a_prev)
            return isinstance(out, tuple | list) and len(out) == 4 and matches(
                np.asarray(out[0], dtype=float)[:, :, 0], a[:, :, t])
        if all(alone(t, a0) for t in range(1, T_x)):
            return ("every step started from a0 and zeros: pass each step's a_next and c_next "
                    "on to the next step (a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, "
                    "t], a_next, c_next, parameters)).")
        if all(alone(t, a[:, :, t - 1]) for t in range(1, T_x)):
            return ("the memory restarts at zeros at every step: pass each step's c_next on as "
                    "the next step's c_prev, as you do with a_next.")
    if hint := concat_order_hint(case, a, want[0], n_a, GATES, part=0):
        return hint
    if matches(a[:, :, 0], want[0][:, :, 0]) and matches(c[:, :, 0], want[2][:, :, 0]):
        t = next(t for t in range(T_x) if not (matches(a[:, :, t], want[0][:, :, t])
                                               and matches(c[:, :, t], want[2][:, :, t])))
        return (f"step 0 is right, so the cell is, but step {t} is not: each step starts from "
                "the a_next and c_next of the step before (a0 and zeros only at t = 0), "
                "a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, "
                "parameters).")
    return None


@WEEK.exercise("lstm_forward(x, a0, parameters)", [
    _forward_case(3, 5, 2, 4, 5, 861), _forward_case(1, 2, 3, 1, 1, 881),
    _forward_case(2, 3, 4, 2, 4, 901)], hints={
    **FORWARD_HINTS, "IndexError": "x[:, :, t] is step t of x (n_x, m, T_x), for t in "
                                   "range(T_x).",
    "could not broadcast input array": "a[:, :, t] and c[:, :, t] take the cell's a_next and "
                                       "c_next, (n_a, m); y[:, :, t] takes its yt, (n_y, m)."})
def check_lstm_forward(check, case, out, want):
    n_x, m, T_x = case["x"].shape
    n_y, n_a = case["parameters"]["Wy"].shape
    label = _label(n_x, n_a, m, n_y=n_y, T_x=T_x)
    a, y, c, caches = diagnoses.returns(check, out, "a, y, c, caches")
    check.true(not (matches(y, want[2]) and matches(c, want[1])),
               "returns c where y belongs and y where c belongs.",
               "the order is fixed: return a, y, c, caches.")
    hint = _steps_slip(case, a, c, want)
    for name, got, ref, rows in (("a", a, want[0], "n_a"), ("c", c, want[2], "n_a"),
                                 ("y", y, want[1], "n_y")):
        check.is_array(f"{name}{label}", got, f"{name} = np.zeros(({rows}, m, T_x)), filled "
                                              "step by step.")
        check.shape(f"{name}{label}", got, ref.shape, f"{name} is ({rows}, m, T_x): one "
                                                      f"({rows}, m) slice per step.")
        close_at(check, name, label, got, ref, "a and c are right: y[:, :, t] = yt, the "
                 "cell's third output at step t." if name == "y" else hint or (
                     "make lstm_cell_forward's check pass first, then: " + FORWARD_RULE))
    pair = "caches = (caches, x)"
    check.true(isinstance(caches, tuple | list) and len(caches) == 2
               and isinstance(caches[0], list | tuple),
               "caches must be the pair (list_of_caches, x), but it is "
               + (f"the list of the {T_x} caches alone." if isinstance(caches, list | tuple)
                  and len(caches) == T_x != 2 else f"{layout(caches)}."),
               f"keep the given line {pair}, with caches the list of the steps' caches.")
    steps, x = caches
    check.true(len(steps) == T_x, f"caches[0] must hold the caches of the {T_x} steps, but it "
                                  f"holds {len(steps)}.", "append every step's cache, once, "
                                                          "in order: caches.append(cache).")
    for t, (got, ref) in enumerate(zip(steps, want[3][0])):
        cache_order(check, f"caches[0][{t}]", got, ref, CACHE_NAMES,
                    f"append each step's lstm_cell_forward cache, {CACHE}, in order.")
    check.close(f"caches[1] (x){label}", x, case["x"], f"{pair}: the input x itself.")


# -- lstm_cell_backward ------------------------------------------------------------------------
CELL_KEYS = ["dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
LOCAL_FIRST = ["dbo", "dc_prev", "dbc", "dbi", "dbf", "dWo", "dWc", "dWi", "dWf", "da_prev",
               "dxt"]  # the fewest factors first
DC = "dc = dc_next + da_next * ot * (1 - np.tanh(c_next)**2)"
DZ = ("dot = da_next * np.tanh(c_next) * ot * (1 - ot), dcct = dc * it * (1 - cct**2), dit = dc "
      f"* cct * it * (1 - it), dft = dc * c_prev * ft * (1 - ft), with {DC}")
CONCAT = "concat = np.concatenate([a_prev, xt], axis=0)"
DCONCAT = "dconcat = Wf.T @ dft + Wi.T @ dit + Wc.T @ dcct + Wo.T @ dot"
CELL_RULES = {
    **{f"dW{g}": f"dW{g} = d{g}t @ concat.T, {CONCAT} ({DZ})." for g in "fio"},
    **{f"db{g}": f"db{g} = np.sum(d{g}t, axis=1, keepdims=True) ({DZ})." for g in "fio"},
    "dWc": f"dWc = dcct @ concat.T, {CONCAT} ({DZ}).",
    "dbc": f"dbc = np.sum(dcct, axis=1, keepdims=True) ({DZ}).",
    "dc_prev": f"dc_prev = dc * ft, with {DC}.",
    "da_prev": f"da_prev = dconcat[:n_a], the top n_a rows of {DCONCAT} ({DZ}).",
    "dxt": f"dxt = dconcat[n_a:], the bottom n_x rows of {DCONCAT} ({DZ}).",
}
GATE_INDEX = {"f": 4, "i": 5, "c": 6, "o": 7}
GATE_NAMES = {"f": "ft", "i": "it", "c": "cct", "o": "ot"}
LIKE = {"dxt": "xt", "da_prev": "a_prev", "dc_prev": "c_prev",
        **{f"d{k}": k for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}}


def _backward_cell_case(n_x: int, n_a: int, m: int, seed: int) -> dict:
    """A step inside a sequence: c_prev is not zeros, so every gate gets a gradient."""
    cache = step_cache(tensor((n_x, m), seed + 20), state(n_a, m, seed + 21),
                       tensor((n_a, m), seed + 22), draw_parameters("lstm", n_x, n_a, 2, seed))
    return {"da_next": tensor((n_a, m), seed + 30), "dc_next": tensor((n_a, m), seed + 31),
            "cache": cache}


def _changes(case, key: str, got, *, cache: dict | None = None,
             parameters: dict | None = None) -> bool:
    """The learner's gradient `key` changes when cache items (index -> new value) or weights
    change."""
    items = list(case["cache"])
    for index, value in (cache or {}).items():
        items[index] = value
    if parameters:
        items[9] = {**items[9], **parameters}
    out = again(case, cache=tuple(items))
    return isinstance(out, dict) and key in out and not matches(out[key], got)


def _memory_gradient_slip(case, grads: dict, want: dict) -> str | None:
    """A wrong dc_prev, from the stored one: dc = dc_prev / ft is the right dc, and dc minus
    dc_next is da_next's path, da_next * ot * (1 - tanh(c_next)**2)."""
    dc_next, cache, got = case["dc_next"], case["cache"], grads["dc_prev"]
    c_next, ft, it, ot = cache[1], cache[4], cache[5], cache[7]
    dc = want["dc_prev"] / ft
    through_a = (dc - dc_next) / (1 - np.tanh(c_next) ** 2)  # da_next * ot
    hint = slip(got, want["dc_prev"], [
        ((dc - dc_next) * ft, "dc_next is missing: the memory's gradient from the step after "
                              f"adds to da_next's path, {DC}."),
        (dc_next * ft, f"dc_prev = dc * ft, with {DC}, the dc of dcct, dit and dft, not "
                       "dc_next * ft." if all(matches(grads[k], want[k]) for k in (
                           "dbc", "dbi", "dbf")) else "da_next's path is missing: a_next = ot "
                       f"* tanh(c_next) depends on c_next too, so {DC}."),
        ((dc_next + through_a * (1 - np.tanh(c_next))) * ft, "tanh'(c_next) = 1 - "
                                                             "np.tanh(c_next)**2: the square "
                                                             "is missing."),
        ((dc_next + through_a * (1 - c_next ** 2)) * ft, "c_next is not a tanh, a_next = ot * "
                                                         "np.tanh(c_next) is: the derivative is "
                                                         "1 - np.tanh(c_next)**2, not 1 - "
                                                         "c_next**2."),
        ((dc_next + through_a / ot) * ft, f"ot is missing in da_next's path: {DC}."),
        (dc * it, "dc_prev = dc * ft, the forget gate (c_next = ft * c_prev + it * cct)."),
        (dc, "dc_prev = dc * ft: c_prev reaches c_next through the forget gate.")])
    if hint is None and _changes(case, "dc_prev", got, cache={1: -c_next}):
        hint = ("tanh'(c_next) = 1 - np.tanh(c_next)**2 is the same for c_next and -c_next, and "
                f"yours is not: {DC}.")
    return hint


def _cell_slip(case, grads: dict, want: dict, key: str) -> str | None:
    """The slip behind the wrong gradient `key`: the concat order, a gate's or the candidate's
    derivative, c_next for c_prev, a dropped W^T dz, dconcat cut at n_x."""
    cache, got = case["cache"], grads[key]
    n_a, n_x = cache[2].shape[0], cache[8].shape[0]
    if key == "dc_prev":
        return _memory_gradient_slip(case, grads, want)
    if key[1] == "W" and (hint := concat_weight_hint(got, want[key], n_a, key)):
        return hint
    if key[1] in "Wb":
        g = key[2]
        index, name = GATE_INDEX[g], GATE_NAMES[g]
        if g == "c" and _changes(case, key, got, cache={6: -cache[6]}):
            return ("cct is already the tanh: its derivative is 1 - cct**2 (the same for cct "
                    "and -cct, yours is not), dcct = dc * it * (1 - cct**2).")
        if g != "c" and _changes(case, key, got, cache={index: 1 - cache[index]}):
            return (f"a gate's derivative is {name} * (1 - {name}), written with the cached "
                    f"gate (the same for {name} and 1 - {name}, yours is not): not {name} "
                    f"alone, and not sigmoid({name}).")
        if g == "f" and not _changes(case, key, got, cache={3: cache[3] + 1.0}):
            return ("dft does not change with c_prev: c_next = ft * c_prev + it * cct, so "
                    "dft = dc * c_prev * ft * (1 - ft), with c_prev, not c_next.")
    if key in ("da_prev", "dxt"):
        dconcat = np.concatenate([want["da_prev"], want["dxt"]], axis=0)
        if gives(got, want[key], dconcat[n_x:] if key == "da_prev" else dconcat[:n_x]):
            return (f"dconcat is stacked as concat is, [a_prev; xt]: da_prev = dconcat[:n_a], "
                    f"dxt = dconcat[n_a:] (n_a = {n_a} rows first).")
        for W in GATES:
            if not _changes(case, key, got, parameters={W: 2 * cache[9][W]}):
                dz = {"Wf": "dft", "Wi": "dit", "Wc": "dcct", "Wo": "dot"}[W]
                return (f"{key} does not change with {W}: {W}.T @ {dz} is missing from "
                        f"{DCONCAT}.")
    return None


CELL_BACKWARD_HINTS = {
    "unpack": UNPACK_HINT, "KeyError": KEY_HINT,
    "could not be broadcast": "`*` is entry by entry: dz @ concat.T and W.T @ dz are matrix "
                              "products (@ or np.dot).",
    "not aligned": f"dWf = dft @ concat.T is (n_a, n_a + n_x) like Wf; {DCONCAT} is "
                   "(n_a + n_x, m): check which factor carries the .T."}


@WEEK.exercise("lstm_cell_backward(da_next, dc_next, cache)", [
    _backward_cell_case(3, 5, 4, 921), _backward_cell_case(1, 2, 1, 941),
    _backward_cell_case(4, 3, 2, 961)], hints=CELL_BACKWARD_HINTS)
def check_lstm_cell_backward(check, case, grads, want):
    cache = case["cache"]
    (n_x, m), n_a = cache[8].shape, cache[2].shape[0]
    label = _label(n_x, n_a, m)
    check.keys("the gradients", grads, CELL_KEYS, "return the given dict of "
                                                  + ", ".join(CELL_KEYS) + ".")
    for key in LOCAL_FIRST:
        got, ref = grads[key], want[key]
        shape = (f"sum over the examples only and keep the column: np.sum(d{key[2]}t, axis=1, "
                 f"keepdims=True), shape {ref.shape}." if key[1] == "b" else
                 f"{key} has the shape of {LIKE[key]}, {ref.shape}.")
        check.is_array(f"{key}{label}", got, CELL_RULES[key])
        check.shape(f"{key}{label}", got, ref.shape, shape)
    wrong = [k for k in LOCAL_FIRST if not matches(grads[k], want[k])]
    named = next(((k, h) for k in wrong if (h := _cell_slip(case, grads, want, k))), None)
    if wrong:
        key, hint = named or (wrong[0], None)
        right = [k for k in CELL_KEYS if k not in wrong]
        note = (f" ({', '.join(right)} {'is' if len(right) == 1 else 'are'} right.)"
                if right else "")
        check.close(f"{key}{label}", grads[key], want[key], (hint or CELL_RULES[key]) + note)
    check.ok()


# -- lstm_backward -----------------------------------------------------------------------------
SEQUENCE_KEYS = ["dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
SEQUENCE_RULE = ("da_prevt and dc_prevt start at zeros; for t in reversed(range(T_x)): "
                 "gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t]), "
                 "dx[:, :, t] = gradients['dxt'], da_prevt = gradients['da_prev'], dc_prevt = "
                 "gradients['dc_prev'], and the eight weight and bias gradients add up (+=); "
                 "da0 is the last da_prevt.")
SEQUENCE_LIKE = {"dx": "x, (n_x, m, T_x)", "da0": "a0, (n_a, m)",
                 **{f"d{k}": k for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}}


def _sequence_case(n_x: int, n_a: int, m: int, T_x: int, seed: int) -> dict:
    return {"da": tensor((n_a, m, T_x), seed + 30), "caches": lstm_caches(n_x, n_a, m, T_x,
                                                                          seed)}


def _last_step_only(case, steps: list, x) -> dict | None:
    """The learner's pass on `steps` (the case's last ones) with da kept at the last step."""
    only = np.zeros_like(case["da"][:, :, -len(steps):])
    only[:, :, -1] = case["da"][:, :, -1]
    out = again(case, da=only, caches=(steps, x))
    return out if isinstance(out, dict) else None


def _paths_slip(case) -> str | None:
    """A loop that passes one of the two gradients through time but not the other."""
    steps, x = case["caches"]
    if len(steps) < 2:
        return None
    no_memory = [(*s[:4], np.zeros_like(s[4]), *s[5:]) for s in steps]  # ft = 0: dc_prev = 0
    out = _last_step_only(case, no_memory, x)
    if out is not None and not np.any(np.asarray(out.get("dx"), dtype=float)[:, :, :-1]):
        return ("da_prev is not passed on: call lstm_cell_backward with da_next = da[:, :, t] "
                "+ da_prevt, the da_prev of the step after it.")
    P = {**steps[0][9], **{W: np.zeros_like(steps[0][9][W]) for W in GATES}}
    no_state = [(*s[:9], P) for s in steps]  # W = 0: da_prev = 0, only dc_prev flows back
    both = _last_step_only(case, no_state, x)
    last = _last_step_only(case, no_state[-1:], x[:, :, -1:])
    if both is not None and last is not None and all(
            matches(both.get(k), last.get(k)) for k in ("dWf", "dbf", "dWi", "dbi")):
        return ("dc_prev is not passed on: call lstm_cell_backward with dc_next = dc_prevt, "
                "the dc_prev of the step after it (zeros at the last step).")
    return None


def _skipped_last(dx, want) -> str | None:
    """A loop that starts one step early (reversed(range(T_x - 1))) leaves dx's last step zero;
    then no gradient reaches the steps before from da[:, :, -1] either."""
    T_x = want.shape[2]
    if not np.any(np.asarray(dx, dtype=float)[:, :, -1]) and np.any(want[:, :, -1]):
        return (f"dx[:, :, {T_x - 1}] is zeros: the loop skips the last step. "
                "reversed(range(T_x)) goes T_x - 1, ..., 1, 0.")
    return None


@WEEK.exercise("lstm_backward(da, caches)", [
    _sequence_case(3, 4, 2, 5, 981), _sequence_case(2, 2, 1, 1, 1001),
    _sequence_case(1, 3, 3, 3, 1021)], hints={
    "unpack": "caches is lstm_forward's pair (caches_list, x); each step's cache is "
              f"({', '.join(CACHE_NAMES)}).",
    "IndexError": "da[:, :, t] and caches_list[t] are step t, for t in reversed(range(T_x)).",
    "could not be broadcast": Upstream("the step's da_next is da[:, :, t] + da_prevt, both "
                                       "(n_a, m); dx[:, :, t] takes the step's dxt (n_x, m).")})
def check_lstm_backward(check, case, grads, want):
    n_a, m, T_x = case["da"].shape
    n_x = case["caches"][1].shape[0]
    label = _label(n_x, n_a, m, T_x=T_x)
    check.keys("the gradients", grads, SEQUENCE_KEYS, "return the given dict of "
                                                      + ", ".join(SEQUENCE_KEYS) + ".")
    for key in SEQUENCE_KEYS:
        check.is_array(f"{key}{label}", grads[key], SEQUENCE_RULE)
        check.shape(f"{key}{label}", grads[key], want[key].shape,
                    f"{key} has the shape of {SEQUENCE_LIKE[key]}.")
    wrong = [k for k in SEQUENCE_KEYS if not matches(grads[k], want[k])]
    if wrong:
        hint = (_skipped_last(grads["dx"], want["dx"])
                or backward_flow(case, grads, want, "lstm_cell_backward") or _paths_slip(case)
                or accumulated(SEQUENCE_KEYS[2:], grads, want))
        close_at(check, wrong[0], label, grads[wrong[0]], want[wrong[0]], hint or (
            "make lstm_cell_backward's check pass, then: " + SEQUENCE_RULE))
    check.ok()
