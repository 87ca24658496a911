"""Visible checks of week 6's gru section: gru_cell_forward, gru_forward, gru_cell_backward and
gru_backward (the lecture's full GRU, c = a, gates on [a_prev; xt]).

The right answers are stored values only; a slip is named by running the learner's own function
once more on changed inputs, where the contract says what must (not) change: weight columns
reordered as a learner who stacks [xt; a_prev] reads them, Wu and bu negated (so Γu becomes
1 - Γu), the gates of a backward cache replaced by 1 - Γ (σ' = Γ(1 - Γ) stays), cct by -cct
(tanh' = 1 - cct² stays), a sequence cut to its first step. A backward cache holds gates drawn
in (0, 1) and candidates in (-1, 1): a backward pass reads them from the cache, as week 3's
reads Z.
"""

from __future__ import annotations

import numpy as np

from ...rnn_utils import logistic as sigmoid
from .. import diagnoses
from ..core import Check, _join, alike, describe, layout
from ..week5.convolution import again, close_at, matches, tensor
from . import WEEK

GATE_KEYS = ("Wu", "bu", "Wr", "br", "Wc", "bc")
CACHE_NAMES = ("a_next", "a_prev", "xt", "gu", "gr", "cct", "parameters")
CACHE = "cache = (a_next, a_prev, xt, gu, gr, cct, parameters)"
CELL_KEYS = ["dxt", "da_prev", "dWu", "dbu", "dWr", "dbr", "dWc", "dbc"]
LOCAL_FIRST = ["dbc", "dbu", "dbr", "dWc", "dWu", "dWr", "da_prev", "dxt"]  # fewest factors first
SEQUENCE_KEYS = ["dx", "da0", "dWu", "dbu", "dWr", "dbr", "dWc", "dbc"]
FORWARD_RULE = ("Γu = σ(Wu [a_prev; xt] + bu), Γr = σ(Wr [a_prev; xt] + br), cct = tanh(Wc "
                "[Γr * a_prev; xt] + bc), a_next = Γu * cct + (1 - Γu) * a_prev, with [a_prev; xt] "
                "= np.concatenate([a_prev, xt], axis=0), a_prev's n_a rows first.")
SOFTMAX_RULE = ("yt_pred = softmax(Wy a_next + by), the column-wise softmax: each column (one "
                "example) sums to 1, np.sum(..., axis=0, keepdims=True).")
PRODUCT_HINT = ("`*` multiplies entry by entry, but Wu [a_prev; xt] is a matrix product: Wu @ "
                "concat or np.dot(Wu, concat), with concat (n_a + n_x, m).")
STACK_HINT = ("stack a_prev on top of xt along the rows: np.concatenate([a_prev, xt], axis=0) "
              "(or np.vstack), shape (n_a + n_x, m).")
UNPACK_HINT = f"the cache is gru_cell_forward's: ({', '.join(CACHE_NAMES)}) = cache."
KEY_HINT = "parameters holds the keys Wu bu Wr br Wc bc Wy by."
DZ = ("dzc = da_next * Γu * (1 - cct**2), dzu = da_next * (cct - a_prev) * Γu (1 - Γu), "
      "dzr = d(Γr * a_prev) * a_prev * Γr (1 - Γr), with d(Γr * a_prev) the top n_a rows of "
      "Wc^T dzc")
CELL_RULES = {
    "dxt": f"dxt is the bottom n_x rows of Wc^T dzc + Wu^T dzu + Wr^T dzr ({DZ}).",
    "da_prev": ("da_prev has four shares: da_next * (1 - Γu) (the memory's direct path) + "
                "d(Γr * a_prev) * Γr + the top n_a rows of Wu^T dzu and of Wr^T dzr "
                f"({DZ})."),
    "dWu": f"dWu = dzu [a_prev; xt]^T ({DZ}).",
    "dbu": f"dbu = np.sum(dzu, axis=1, keepdims=True) ({DZ}).",
    "dWr": f"dWr = dzr [a_prev; xt]^T ({DZ}).",
    "dbr": f"dbr = np.sum(dzr, axis=1, keepdims=True) ({DZ}).",
    "dWc": f"dWc = dzc [Γr * a_prev; xt]^T ({DZ}).",
    "dbc": f"dbc = np.sum(dzc, axis=1, keepdims=True) ({DZ}).",
}
SEQUENCE_RULE = ("for t in reversed(range(T_x)): call gru_cell_backward(da[:, :, t] + da_prevt, "
                 "caches[t]), store its dxt in dx[:, :, t], keep its da_prev as da_prevt for the "
                 "step before, and add its weight gradients to the totals (+=); da0 is the last "
                 "da_prevt.")
SEQUENCE_FORWARD = ("a_next = a0, then for t in range(T_x): a_next, yt_pred, cache = "
                    "gru_cell_forward(x[:, :, t], a_next, parameters); a[:, :, t] = a_next; "
                    "y_pred[:, :, t] = yt_pred; caches.append(cache).")


# -- fixed inputs ------------------------------------------------------------------------------
def gru_parameters(n_x: int, n_a: int, n_y: int, seed: int, scale: float = 0.6) -> dict:
    """Wu bu Wr br Wc bc Wy by of the given sizes, from seeds seed, seed + 1, ... ."""
    shapes = {"W": (n_a, n_a + n_x), "b": (n_a, 1)}
    params = {key: tensor(shapes[key[0]], seed + i, scale) for i, key in enumerate(GATE_KEYS)}
    params["Wy"], params["by"] = tensor((n_y, n_a), seed + 6, scale), tensor((n_y, 1), seed + 7)
    return params


def _step_cache(a_prev, xt, parameters, seed: int) -> tuple:
    """A cache as gru_cell_forward leaves it: gates drawn in (0, 1), a candidate in (-1, 1)."""
    n_a, m = a_prev.shape
    gu, gr = (np.round(sigmoid(tensor((n_a, m), seed + k, 1.5)), 4) for k in (0, 1))
    cct = np.round(np.tanh(tensor((n_a, m), seed + 2, 1.2)), 4)
    return np.round(gu * cct + (1 - gu) * a_prev, 4), a_prev, xt, gu, gr, cct, parameters


def cell_backward_case(n_x: int, n_a: int, m: int, seed: int) -> dict:
    parameters = gru_parameters(n_x, n_a, 2, seed)
    a_prev = np.round(np.tanh(tensor((n_a, m), seed + 20)), 4)
    return {"da_next": tensor((n_a, m), seed + 21),
            "cache": _step_cache(a_prev, tensor((n_x, m), seed + 22), parameters, seed + 23)}


def backward_case(n_x: int, n_a: int, m: int, T_x: int, seed: int) -> dict:
    """da and the caches of a T_x-step pass: each step's a_prev is the step before's a_next."""
    parameters, x = gru_parameters(n_x, n_a, 2, seed), tensor((n_x, m, T_x), seed + 20)
    a_prev, caches = np.round(np.tanh(tensor((n_a, m), seed + 21)), 4), []
    for t in range(T_x):
        caches.append(_step_cache(a_prev, x[:, :, t], parameters, seed + 30 + 3 * t))
        a_prev = caches[-1][0]
    return {"da": tensor((n_a, m, T_x), seed + 22), "caches": (caches, x)}


# -- shared diagnoses --------------------------------------------------------------------------
def _swapped_columns(W: np.ndarray, n_a: int) -> np.ndarray:
    """W as a learner who stacks [xt; a_prev] must hold it to compute the same products."""
    return np.hstack([W[:, n_a:], W[:, :n_a]])


def _forward_slip(case, got, want, n_a: int, part: int, run=lambda out: out) -> str | None:
    """A wrong a (or a_next, item `part` of the output) named by the learner's own function on
    reordered or negated weights, where a slip gives the stored value."""
    P = case["parameters"]
    if matches(got, want):
        return None

    def gives(changes: dict) -> bool:
        out = again(case, parameters={**P, **changes})
        return isinstance(out, tuple | list) and len(out) > part and matches(
            run(out)[part], want)
    for keys, where in ((("Wu", "Wr", "Wc"), "every product"), (("Wu", "Wr"), "the gates"),
                        (("Wc",), "the candidate")):
        if gives({k: _swapped_columns(P[k], n_a) for k in keys}):
            return (f"{where} stacked [xt; a_prev], but the contract stacks a_prev's n_a rows "
                    "first: concat = np.concatenate([a_prev, xt], axis=0), and [Γr * a_prev; xt] "
                    "for the candidate.")
    if gives({"Wu": -P["Wu"], "bu": -P["bu"]}):
        return ("Γu and 1 - Γu are swapped: a_next = Γu * cct + (1 - Γu) * a_prev (the update "
                "gate weighs the candidate).")
    if gives({"Wu": P["Wr"], "bu": P["br"], "Wr": P["Wu"], "br": P["bu"]}):
        return ("the update and relevance gates trade places: Γu (Wu, bu) weighs cct against "
                "a_prev, Γr (Wr, br) multiplies a_prev inside the candidate.")
    same = again(case, parameters={**P, "br": P["br"] + 3.0})
    if isinstance(same, tuple | list) and len(same) > part and matches(run(same)[part], got):
        return ("a_next does not change when br does: the relevance gate Γr = σ(Wr [a_prev; xt] "
                "+ br) must multiply a_prev in the candidate, cct = tanh(Wc [Γr * a_prev; xt] "
                "+ bc).")
    return None


def _gate_hint(cache) -> str | None:
    """A cache whose gates leave (0, 1) or whose candidate leaves [-1, 1] names the function."""
    if not isinstance(cache, tuple | list) or len(cache) != 7:
        return None
    for index, name, low, high, rule in ((3, "gu", 0, 1, "σ, sigmoid(...)"),
                                         (4, "gr", 0, 1, "σ, sigmoid(...)"),
                                         (5, "cct", -1, 1, "np.tanh(...)")):
        try:
            value = np.asarray(cache[index], dtype=float)
        except (TypeError, ValueError):
            return None
        if value.size and (np.min(value) < low or np.max(value) > high):
            return (f"cache's {name} has values outside [{low}, {high}]: it must be {rule} of "
                    "its pre-activation.")
    return None


def _check_cache(check: Check, cache, want: tuple, label: str) -> None:
    """A 7-tuple whose items are the stored ones; one in another's place is named."""
    check.true(isinstance(cache, tuple | list) and len(cache) == 7,
               f"cache{label} must be the 7-tuple ({', '.join(CACHE_NAMES)}), but it is "
               f"{layout(cache)}.", f"keep the given line {CACHE}.")
    for index, name in enumerate(CACHE_NAMES[:6]):
        if not alike(cache[index], want[index]):
            other = next((CACHE_NAMES[k] for k in range(6) if k != index and not alike(
                want[k], want[index]) and alike(cache[index], want[k])), None)
            check.fail(f"cache{label}[{index}] must be {name}, but it "
                       + (f"holds {other}." if other else "is wrong."),
                       f"the cache's order is fixed: {CACHE}.")
        check.ok()
    check.true(isinstance(cache[6], dict) and alike(cache[6], want[6]),
               f"cache{label}[6] must be the parameters dict given, but it is "
               f"{describe(cache[6])}.", f"keep the given line {CACHE}.")


def _gradient_shapes(check: Check, grads: dict, want: dict, keys: list, label: str) -> None:
    check.keys("the gradients", grads, keys, f"return the dict of the keys {' '.join(keys)}.")
    for key in keys:
        shape = np.shape(want[key])
        hint = ("sum dz over the examples and keep the column: np.sum(dz, axis=1, "
                f"keepdims=True), shape {shape}." if key[1] == "b" else
                f"{key} has the shape of its weight, {shape}: dz @ concat.T." if key[1] == "W"
                else None)
        check.shape(f"{key}{label}", grads[key], shape, hint)


def _column_slip(got, want, n_a: int, key: str) -> str | None:
    """A weight gradient whose a_prev and xt columns changed places, or whose a_prev columns
    alone are wrong (dWc: the candidate saw Γr * a_prev)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    n_x = want.shape[1] - n_a
    if matches(got[:, :n_x], want[:, n_a:]) and matches(got[:, n_x:], want[:, :n_a]):
        return (f"{key}'s columns are in the order [xt; a_prev]: the contract stacks a_prev's "
                "n_a rows first, concat = np.concatenate([a_prev, xt], axis=0).")
    if key == "dWc" and matches(got[:, n_a:], want[:, n_a:]):
        return ("dWc's xt columns are right and its a_prev columns wrong: the candidate saw the "
                "gated a_prev, Γr * a_prev.")
    return None


def _changed(case, key: str, part: str, changes: dict, got) -> bool:
    """The learner's `key` gradient changes under `changes` (of the cache's items)."""
    cache = list(case["cache"])
    for index, change in changes.items():
        cache[index] = change(cache[index])
    out = again(case, cache=tuple(cache))
    return isinstance(out, dict) and part in out and not matches(out[part], got)


# -- gru_cell_forward --------------------------------------------------------------------------
def _forward_case(n_x: int, n_a: int, n_y: int, m: int, seed: int) -> dict:
    return {"xt": tensor((n_x, m), seed), "a_prev": np.round(np.tanh(tensor((n_a, m), seed + 1)),
                                                             4),
            "parameters": gru_parameters(n_x, n_a, n_y, seed + 2)}


FORWARD_HINTS = {"could not be broadcast": PRODUCT_HINT, "concatenation axis": STACK_HINT,
                 "KeyError": KEY_HINT}


@WEEK.exercise("gru_cell_forward(xt, a_prev, parameters)", [
    _forward_case(3, 5, 2, 4, 601), _forward_case(2, 3, 4, 1, 611),
    _forward_case(4, 2, 3, 3, 621)], hints=FORWARD_HINTS)
def check_gru_cell_forward(check, case, out, want):
    xt, a_prev = case["xt"], case["a_prev"]
    label = f" (xt of shape {xt.shape}, a_prev of shape {a_prev.shape})"
    a_next, yt_pred, cache = diagnoses.returns(check, out, "a_next, yt_pred, cache")
    check.is_array(f"a_next{label}", a_next)
    check.shape(f"a_next{label}", a_next, a_prev.shape, "a_next has the shape of a_prev, (n_a, m).")
    if not matches(a_next, want[0]):
        hint = _gate_hint(cache) or _forward_slip(case, a_next, want[0], a_prev.shape[0], 0)
        check.close(f"a_next{label}", a_next, want[0], hint or FORWARD_RULE)
    check.ok()
    _check_yt(check, f"yt_pred{label}", yt_pred, want[1])
    _check_cache(check, cache, want[2], "")


def _check_yt(check: Check, what: str, yt, want) -> None:
    """yt_pred: its shape, a distribution per column, then its values."""
    check.is_array(what, yt)
    check.shape(what, yt, want.shape, "yt_pred is (n_y, m): Wy a_next + by, then the softmax.")
    sums = np.sum(np.asarray(yt, dtype=float), axis=0)
    check.true(np.allclose(sums, 1), f"the columns of {what} must each sum to 1 (one "
               f"distribution per example), but they sum to {np.round(sums, 4).tolist()}.",
               "normalize over the n_y rows of each example, axis=0: " + SOFTMAX_RULE)
    check.close(what, yt, want, SOFTMAX_RULE + " a_next is right, so look at Wy, by and the "
                "softmax.")


# -- gru_forward -------------------------------------------------------------------------------
def _sequence_case(n_x: int, n_a: int, n_y: int, m: int, T_x: int, seed: int) -> dict:
    return {"x": tensor((n_x, m, T_x), seed),
            "a0": np.round(np.tanh(tensor((n_a, m), seed + 1)), 4),
            "parameters": gru_parameters(n_x, n_a, n_y, seed + 2)}


def _sequence_slip(case, a, want) -> str | None:
    """A loop that stores a_prev, skips the last step or restarts from a0 at every step."""
    got, a0, x = np.asarray(a, dtype=float), case["a0"], case["x"]
    T_x = x.shape[2]
    if matches(got, want):
        return None
    if not np.any(got[..., -1]) and np.any(want[..., -1]):
        return f"a[:, :, {T_x - 1}] is still zero: run every step, for t in range(T_x)."
    if T_x > 1 and matches(got[..., 0], a0) and matches(got[..., 1:], want[..., :-1]):
        return ("a[:, :, t] holds the activation before step t: store the new a_next, "
                "a[:, :, t] = a_next, after the cell.")
    if T_x > 1 and matches(got[..., 0], want[..., 0]):
        steps = [again(case, x=x[:, :, t:t + 1]) for t in range(T_x)]
        if all(isinstance(s, tuple | list) and s and matches(np.asarray(s[0])[..., 0],
                                                             got[..., t])
               for t, s in enumerate(steps)):
            return ("every step started from a0: pass each step's a_next on as the next step's "
                    "a_prev (a_next = a0 before the loop, then a_next, yt_pred, cache = "
                    "gru_cell_forward(x[:, :, t], a_next, parameters)).")
    return None


@WEEK.exercise("gru_forward(x, a0, parameters)", [
    _sequence_case(3, 4, 2, 3, 5, 631), _sequence_case(1, 2, 3, 1, 1, 641),
    _sequence_case(2, 3, 3, 2, 4, 651)], hints={
    **FORWARD_HINTS, "index": "x is (n_x, m, T_x): step t's input is x[:, :, t]."})
def check_gru_forward(check, case, out, want):
    x, a0 = case["x"], case["a0"]
    (_, m, T_x), n_a = x.shape, a0.shape[0]
    label = f" (x of shape {x.shape}, a0 of shape {a0.shape})"
    a, y_pred, caches = diagnoses.returns(check, out, "a, y_pred, caches")
    check.is_array(f"a{label}", a, "a = np.zeros((n_a, m, T_x)), filled step by step.")
    check.shape(f"a{label}", a, (n_a, m, T_x), "a is (n_a, m, T_x): a[:, :, t] = a_next.")
    if not matches(a, want[0]):
        hint = _sequence_slip(case, a, want[0]) or _forward_slip(case, a, want[0], n_a, 0)
        close_at(check, "a", label, a, want[0], hint or "make gru_cell_forward's check pass, "
                 "then: " + SEQUENCE_FORWARD)
    check.ok()
    check.is_array(f"y_pred{label}", y_pred, "y_pred = np.zeros((n_y, m, T_x)).")
    check.shape(f"y_pred{label}", y_pred, want[1].shape, "y_pred is (n_y, m, T_x).")
    close_at(check, "y_pred", label, y_pred, want[1], "y_pred[:, :, t] = yt_pred, the cell's "
             "second output at step t.")
    alone = isinstance(caches, list | tuple) and len(caches) == T_x != 2
    check.true(isinstance(caches, tuple | list) and len(caches) == 2
               and isinstance(caches[0], list | tuple), "caches must be the pair "
               "(list_of_caches, x), but it is "
               + (f"the list of the {T_x} caches alone." if alone else f"{layout(caches)}."),
               "keep the given line caches = (caches, x), with caches the list of the cells' "
               "caches.")
    check.true(len(caches[0]) == T_x, f"caches[0] must hold one cache per step, {T_x}, but it "
               f"holds {len(caches[0])}.", "append each step's cache: caches.append(cache).")
    for t, (cache, reference) in enumerate(zip(caches[0], want[2][0])):
        _check_cache(check, cache, reference, f" of step {t}")
    check.close(f"caches[1]{label}", caches[1], x, "caches[1] is the input x, as given.")



# -- gru_cell_backward -------------------------------------------------------------------------
def _cell_slip(case, grads: dict, want: dict, key: str) -> str | None:
    """The first wrong gradient `key` named: reordered columns, a derivative that does not keep
    the contract's invariance, the direct path missing, a sign."""
    da_next, cache = case["da_next"], case["cache"]
    n_a, got = cache[1].shape[0], np.asarray(grads[key], dtype=float)
    if matches(got, want[key]):
        return None
    if key[1] == "W" and (hint := _column_slip(got, want[key], n_a, key)):
        return hint
    flip = {3: lambda g: 1 - g} if key in ("dbu", "dWu") else {4: lambda g: 1 - g} if key in (
        "dbr", "dWr") else {5: lambda c: -c} if key in ("dbc",) else {}
    if flip and _changed(case, key, key, flip, got):
        gate = {3: "Γu (gu)", 4: "Γr (gr)", 5: "cct"}[next(iter(flip))]
        if 5 in flip:
            return ("tanh' is 1 - cct**2 with cct the cached tanh itself (it is unchanged when "
                    "cct changes sign, yours is not): dzc = da_next * Γu * (1 - cct**2), not "
                    "1 - cct.")
        return (f"the derivative of the gate {gate} is σ' = Γ (1 - Γ), written with the cached "
                f"gate (it is the same for Γ and 1 - Γ, yours is not): not Γ alone, and not "
                "sigmoid(Γ).")
    if key == "da_prev" and matches(got, want[key] - da_next * (1 - cache[3])):
        return ("the direct path is missing: a_next = Γu * cct + (1 - Γu) * a_prev, so da_prev "
                "gets da_next * (1 - Γu) besides the three shares through the weights.")
    if matches(got, -np.asarray(want[key])):
        return "in dzu the difference is cct - a_prev (a_next grows with Γu when cct > a_prev)."
    return None


CELL_BACKWARD_HINTS = {"unpack": UNPACK_HINT, "KeyError": KEY_HINT,
                       "could not be broadcast": PRODUCT_HINT}


@WEEK.exercise("gru_cell_backward(da_next, cache)", [
    cell_backward_case(3, 4, 3, 661), cell_backward_case(1, 2, 1, 671),
    cell_backward_case(2, 3, 2, 681)], hints=CELL_BACKWARD_HINTS)
def check_gru_cell_backward(check, case, grads, want):
    cache = case["cache"]
    label = f" (xt of shape {cache[2].shape}, a_prev of shape {cache[1].shape})"
    _gradient_shapes(check, grads, want, CELL_KEYS, label)
    wrong = [k for k in LOCAL_FIRST if not matches(grads[k], want[k])]
    named = next(((k, h) for k in wrong if (h := _cell_slip(case, grads, want, k))), None)
    if wrong:
        key, hint = named or (wrong[0], None)
        right = [k for k in CELL_KEYS if k not in wrong]
        verb = "is" if len(right) == 1 else "are"
        where = f" ({', '.join(right)} {verb} right.)" if right else ""
        check.close(f"{key}{label}", grads[key], want[key], _join(hint, CELL_RULES[key] + where))
    check.ok()


# -- gru_backward ------------------------------------------------------------------------------
def _backward_slip(case, grads: dict, want: dict, key: str) -> str | None:
    """A loop that never adds da_prev to da[:, :, t], runs forwards, or keeps only one step's
    weight gradients."""
    da, (caches, x) = case["da"], case["caches"]
    T_x = da.shape[2]
    if T_x == 1 or matches(grads[key], want[key]):
        return None
    first = again(case, da=da[:, :, :1], caches=([caches[0]], x[:, :, :1]))
    if isinstance(first, dict) and "dx" in first and matches(
            np.asarray(grads["dx"])[..., 0], np.asarray(first["dx"])[..., 0]):
        if matches(grads["da0"], first.get("da0")):
            return ("no gradient flows back from the later steps: each step's da_next is "
                    "da[:, :, t] + da_prevt, the da_prev of the step after it.")
        return ("the loop runs forwards: the backward pass starts at the last step, for t in "
                "reversed(range(T_x)) (range(T_x - 1, -1, -1)).")
    if key[1] in "Wb" and matches(grads["dx"], want["dx"]) and matches(grads["da0"], want["da0"]):
        return (f"dx and da0 are right but {key} is not: add up the weight gradients of every "
                f"step, gradients['{key}'] += step['{key}'] (starting from zeros), rather than "
                "keeping one step's.")
    return None


@WEEK.exercise("gru_backward(da, caches)", [
    backward_case(2, 3, 2, 4, 691), backward_case(1, 2, 1, 1, 701),
    backward_case(3, 2, 3, 3, 711)], hints={
    **CELL_BACKWARD_HINTS, "index": "da is (n_a, m, T_x) and dx (n_x, m, T_x): step t is "
                                    "[:, :, t]; caches[0] is the list of T_x cell caches."})
def check_gru_backward(check, case, grads, want):
    da, x = case["da"], case["caches"][1]
    label = f" (da of shape {da.shape}, x of shape {x.shape})"
    _gradient_shapes(check, grads, want, SEQUENCE_KEYS, label)
    wrong = [k for k in SEQUENCE_KEYS if not matches(grads[k], want[k])]
    if wrong:
        key = wrong[0]
        hint = next((h for k in wrong if (h := _backward_slip(case, grads, want, k))), None)
        close_at(check, key, label, grads[key], want[key],
                 hint or "make gru_cell_backward's check pass, then: " + SEQUENCE_RULE)
    check.ok()
