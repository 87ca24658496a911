"""Diagnoses every week uses, each checked and worded the same way: the return form, a parameters
dict (keys, initialization, seeding, draws), one gradient step, a bias gradient and the costs."""

from __future__ import annotations

import numpy as np

from .core import Check, _join, describe, layout, plural, show


def returns(check: Check, out, names: str, tuple_only: bool = False) -> tuple:
    """The pair, triple or tuple `names` ("A, cache") unpacked; a list passes unless tuple_only."""
    size = names.count(",") + 1
    form = {2: "pair", 3: "triple"}.get(size, "tuple")
    check.true(isinstance(out, tuple if tuple_only else tuple | list) and len(out) == size,
               f"must return the {form} ({names}), but returned {layout(out)}.",
               f"end the function with `return {names}`"
               + (", a tuple, not a list." if tuple_only and isinstance(out, list) else "."))
    return tuple(out)


def parameter_keys(L: int) -> list[str]:
    return [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]


def parameters(check: Check, what: str, params, want: dict, hint: str | None = None,
               context: str = "") -> None:
    """A parameters dict W1, b1, ..., WL, bL: its keys, then every value."""
    keys = parameter_keys(len(want) // 2)
    check.keys(what, params, keys, f"the keys are {', '.join(keys)}.")
    for key in keys:
        check.close(f"{what}['{key}']{context}", params[key], want[key], hint)


def initial_parameters(check: Check, what: str, params, dims: list[int], context: str = "",
                       keys_hint: str | None = None, names: list[str] | None = None) -> None:
    """Fresh parameters for layer sizes `dims` (called `names` in the hints, n[l] by default):
    exactly the keys W1, b1, ..., WL, bL, W[l] of shape (n[l], n[l-1]), b[l] zeros (n[l], 1)."""
    L, names = len(dims) - 1, names or [f"n[{l}]" for l in range(len(dims))]
    hidden = ["hidden unit"] if L == 2 else [f"unit of layer {l}" for l in range(1, L)]
    units = ["input", *hidden, "output unit"]
    keys = parameter_keys(L)
    check.keys(what + context, params, keys, keys_hint)
    check.true(not set(params) - set(keys), f"{what}{context} has the extra key(s) "
               f"{sorted(set(params) - set(keys))}; expected exactly {keys}.", keys_hint)
    for l in range(1, L + 1):
        W_label, b_label = f"{what}['W{l}']{context}", f"{what}['b{l}']{context}"
        draw = (f"draw W{l} with np.random.randn({names[l]}, {names[l - 1]}): one row per "
                f"{units[l]}, one column per {units[l - 1]} (W[l] is (n[l], n[l-1])).")
        shape = (dims[l], dims[l - 1])
        if np.shape(params[f"W{l}"]) == shape[::-1] != shape:  # a draw, not a product's .T
            check.fail(f"{W_label} has shape {shape[::-1]}, but it must have shape {shape}.", draw)
        check.shape(W_label, params[f"W{l}"], shape, draw)
        check.shape(b_label, params[f"b{l}"], (dims[l], 1),
                    f"b{l} is a column: np.zeros(({names[l]}, 1)) (b[l] is (n[l], 1)).")
        check.true(not np.any(params[f"b{l}"]),
                   f"{b_label} must start at zero, but it is {show(params[f'b{l}'])}.",
                   f"use np.zeros({(dims[l], 1)}); only the weights are random.")


def seeds_itself(check: Check, case, params: dict, seed: int) -> None:
    """A function that seeds itself: its weights ignore the random state before the call."""
    again = case.again(seed=(case.exercise.seed or 0) + 1)
    for key in sorted(params):
        if key.startswith("W") and isinstance(again, dict) and key in again and not np.allclose(
                np.asarray(again[key], float), np.asarray(params[key], float)):
            check.fail(f"parameters['{key}'] came out different when the caller had set another "
                       "random state (np.random.seed(...) before the call); it must be the same "
                       "every time.",
                       f"call np.random.seed({seed}) at the start of the function, before "
                       "drawing W1, and only there.")
    check.ok()


def draws(check: Check, params: dict, want: dict, scales: list[float], seed: int,
          scale_hint: str, *, seed_hint: str | None = None, tried=range(11)) -> None:
    """Names a wrong draw from the stored values alone: divided by their scales, the expected
    weights W1, W2, ... are the normal numbers np.random.seed(seed) produces, in drawing order.
    With `seed_hint`, the draws of another seed in `tried` (another function's) are named."""
    L = len(scales)
    stream = np.concatenate([np.ravel(want[f"W{l}"]) / scales[l - 1] for l in range(1, L + 1)])
    offsets = np.cumsum([0] + [np.size(want[f"W{l}"]) for l in range(1, L + 1)])
    for l in range(1, L + 1):
        key, ref = f"W{l}", np.asarray(want[f"W{l}"])
        got = np.asarray(params[key], dtype=float)
        if got.shape != ref.shape or np.allclose(got, ref):
            continue
        unit, size, start = got / scales[l - 1], ref.size, offsets[l - 1]
        if np.allclose(unit.T.ravel(), stream[start:start + size]):
            check.fail(f"parameters['{key}'] holds the right random numbers, but transposed.",
                       f"draw it with its own shape, np.random.randn(n[{l}], n[{l - 1}]), "
                       "rather than drawing the transposed shape and adding .T.")
        for offset in range(stream.size - size + 1):
            if offset != start and np.allclose(unit.ravel(), stream[offset:offset + size]):
                if offset == 0:
                    check.fail(f"parameters['{key}'] starts with the same random numbers as W1.",
                               f"call np.random.seed({seed}) once, before the first draw, not "
                               "again inside the loop: every layer continues the sequence.")
                check.fail(f"parameters['{key}'] got random numbers meant for another layer.",
                           "draw the weights in order, W1 first, then W2, ..., one "
                           "np.random.randn call per layer, and draw nothing else in between.")
        ratios = got[ref != 0] / ref[ref != 0]
        if ratios.size and np.allclose(ratios, ratios[0]):
            check.fail(f"parameters['{key}'] holds the right random numbers, but scaled by "
                       f"{ratios[0] * scales[l - 1]:.4g} instead of {scales[l - 1]:.4g}.",
                       scale_hint)
        for k in tried if seed_hint else ():
            if k != seed and np.allclose(unit.ravel(),
                                         np.random.RandomState(k).randn(start + size)[start:]):
                check.fail(f"parameters['{key}'] holds the random numbers of np.random.seed({k}), "
                           f"but {check.name} uses seed {seed}.", seed_hint)
    check.ok()


def step(check: Check, what: str, params, start: dict, want: dict, learning_rate,
         keys: list[str], unchanged_hint: str = "") -> None:
    """After one step from a known start the update is exact, so a step that stayed, went
    uphill or used another learning rate can be named (`what` names the dict)."""
    for key in keys:
        got = np.asarray(params.get(key), dtype=float) if isinstance(params, dict) else None
        if got is None or got.shape != np.shape(want[key]) or np.allclose(got, want[key]):
            continue
        step, want_step = got - start[key], np.asarray(want[key]) - start[key]
        if not np.any(want_step):
            continue
        p = key.rstrip("0123456789")
        rule = f"{key} = {key} - learning_rate * d{key}."
        if not np.any(step):
            check.fail(f"{what}['{key}'] did not change: it is still {show(start[key])}.",
                       unchanged_hint + rule)
        if np.allclose(step, -want_step, rtol=1e-4):
            check.fail(f"{what}['{key}'] moved uphill, away from the minimum.",
                       f"gradient descent subtracts: {p} = {p} - learning_rate * d{p} (and check "
                       "the sign of the gradients you pass in).")
        ratio = float(np.sum(step * want_step) / np.sum(want_step * want_step))
        if ratio > 0 and np.allclose(step, ratio * want_step, rtol=1e-4):
            check.fail(f"{what}['{key}'] moved {ratio:.4g} times as far as it should with "
                       f"learning_rate={learning_rate}.",
                       "use the learning_rate argument in the update, not a fixed number.")
    check.ok()


def bias_gradient(check: Check, what: str, db, want, m: int, hint: str | None = None,
                  dZ: str = "dZ", b: str = "b") -> None:
    """A bias gradient: one summed over the units instead of the examples is named (`dZ` and
    `b` are the layer's names in the hints), then its value."""
    check.true(np.shape(db) not in ((m,), (1, m)) or m == np.shape(want)[0],
               f"{what} has shape {np.shape(db)}, but it must have the shape of {b}, "
               f"{np.shape(want)}.",
               "it was summed over the units and has one number per example, not one per unit: "
               f"sum over the examples instead, np.sum({dZ}, axis=1, keepdims=True) / m.")
    check.close(what, db, want, _join(f"d{b} = (1/m) np.sum({dZ}, axis=1, keepdims=True): sum "
                                      "over the examples (axis=1) and keep the column shape.",
                                      hint), m=m)


def costs(check: Check, got, want: list, num_iterations: int, hint: str,
          first_hint: str | None = None, every: int = 100) -> None:
    """A list with the cost of iterations 0, `every`, 2 `every`, ..."""
    check.true(isinstance(got, list), f"costs must be a list, but it is {describe(got)}.",
               "start with costs = [].")
    n, last = len(want), every * (len(want) - 1)
    recorded = ("iteration 0" if n <= 1 else f"iterations 0, {every}, ..., {last}" if n > 3 else
                f"iterations {', '.join(str(every * k) for k in range(n - 1))} and {last}")
    check.true(len(got) == n, f"with num_iterations={num_iterations}, costs must hold "
               f"{plural(n, 'entry')} ({recorded}), but it holds {len(got)}.",
               f"append the cost when i % {every} == 0, starting at i = 0 (not every iteration).")
    values, want = np.ravel(np.asarray(got, dtype=float)), np.ravel(np.asarray(want, float))
    if first_hint:
        check.close("costs[0] (the cost of the initial parameters)", values[:1], want[:1],
                    first_hint)
    check.close("costs", values, want, hint)


def row_product_hints(A: str) -> dict:
    """Exception hints for a cost that multiplies the rows Y and np.log(A) with np.dot or @."""
    return {"not aligned": f"Y and np.log({A}) are both (1, m) rows, and two rows do not make a "
                           f"matrix product: transpose the second factor, np.dot(Y, np.log({A}).T) "
                           "(a row times a column, a (1, 1) array), or multiply element-wise and "
                           f"sum, np.sum(Y * np.log({A}))."}


CROSS_ENTROPY = "J = -(1/m) sum(y log(a) + (1 - y) log(1 - a))"


def cross_entropy_hint(cost, A, Y) -> str | None:
    """Names a cross-entropy that lost or changed a term, from the value alone: the learner's
    cost is compared with the one-term and other wrong costs of the case's own A and Y."""
    A, Y = np.asarray(A, dtype=float), np.asarray(Y, dtype=float)
    try:
        got = float(np.squeeze(np.asarray(cost, dtype=float)))
    except (TypeError, ValueError):
        return None
    with np.errstate(all="ignore"):
        m = Y.shape[-1] if Y.ndim else 1
        pos, neg = Y * np.log(A), (1 - Y) * np.log(1 - A)
        right = -np.sum(pos + neg) / m
        wrong = [
            (-np.sum(pos) / m, "only the y log(a) term is there: the (1 - y) log(1 - a) term "
             "is missing. It is the one that counts the examples with y = 0."),
            (-np.sum(neg) / m, "only the (1 - y) log(1 - a) term is there: the y log(a) term "
             "is missing. It is the one that counts the examples with y = 1."),
            (-np.sum(pos + Y * np.log(1 - A)) / m, "the second term multiplies log(1 - a) by "
             "y; it must be (1 - y) log(1 - a), so that it counts the examples with y = 0."),
            (-np.sum((1 - Y) * np.log(A) + Y * np.log(1 - A)) / m, "the labels are swapped: "
             "y goes with log(a) and (1 - y) with log(1 - a)."),
            (right / np.log(10), "use np.log, the natural logarithm, not np.log10."),
            *((np.sum((A - Y) ** 2) / (k * m), "this is the squared error; the cost of a "
               "sigmoid output, a probability, is the cross-entropy.") for k in (1, 2)),
        ]
    if not np.isfinite(got) or np.isclose(got, right, rtol=1e-6):
        return None
    return next((f"{hint} {CROSS_ENTROPY}." for value, hint in wrong if np.isfinite(value) and not
                 np.isclose(value, right, rtol=1e-6) and np.isclose(got, value, rtol=1e-6)), None)


def cross_entropy(check: Check, what: str, cost, want, A, Y, hint: str | None = None) -> None:
    """The cost matches `want`; a cross-entropy that lost or changed a term is named."""
    check.close(what, cost, want, _join(cross_entropy_hint(cost, A, Y) or CROSS_ENTROPY + ", "
                                        "with both terms.", hint), m=np.shape(Y)[-1])
