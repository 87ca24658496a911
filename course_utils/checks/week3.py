"""Visible checks for week 3 (a deep network built from layer blocks).

Every case is a fixed, tiny input; the expected outputs are stored values generated from the
solution notebook. Before each call the global random state is set to `OUTER_SEED`, so a
function that should seed itself ("seed 1 inside", "seed 3 inside") but does not comes out
different from the stored values.

A few diagnoses read the stored values more closely, never a reference implementation:
- the expected weights divided by their scale are the normal numbers that the seed produces, in
  drawing order, so a weight drawn in the wrong order, re-seeded, transposed or scaled wrongly can
  be named;
- cases that differ only in `activation` have each other's answers, so "this is what relu gives"
  can be said when the activation argument is ignored;
- the models' one-iteration cases start from parameters stored for the initialization checks,
  so a step that went uphill or used another learning rate can be named.
"""

from __future__ import annotations

import numpy as np

from .cases import grid, labels, stored_cases
from .core import Check, describe, show
from .expected import expected

WEEK = "week3"
OUTER_SEED = 0  # the random state a check sets before calling; never a seed of the contract
ACTIVATION_NAMES = ["relu", "tanh", "sigmoid", "leaky_relu"]
DERIVATIVES = {"sigmoid": "s * (1 - s) with s = sigmoid(Z)", "relu": "1 where Z > 0, else 0",
               "tanh": "1 - tanh(Z)**2", "leaky_relu": "1 where Z > 0, else 0.01"}


# -- fixed inputs -------------------------------------------------------------------------
def _deep_parameters(dims: list[int], seed: int, scale: float = 1.0) -> dict:
    """W1..WL, b1..bL of moderate size, so every activation is visibly different."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = grid(dims[l], dims[l - 1], seed + 2 * l, scale)
        params[f"b{l}"] = grid(dims[l], 1, seed + 2 * l + 1, 0.3)
    return params


def _layer_caches(dims: list[int], m: int, seed: int, activation: str):
    """(AL, Y, caches) as a forward pass leaves them: random Z of every layer, A_prev of a hidden
    layer = activation(Z) of the layer below (the given helpers), AL = sigmoid(Z[L]). A backward
    pass reads the caches only, so Z need not be recomputed from W A_prev + b."""
    from ..layer_activations import FORWARD, sigmoid

    caches, A = [], grid(dims[0], m, seed)
    for l in range(1, len(dims)):
        W, b = grid(dims[l], dims[l - 1], seed + 3 * l), grid(dims[l], 1, seed + 3 * l + 1, 0.3)
        Z = grid(dims[l], m, seed + 3 * l + 2)
        caches.append(((A, W, b), Z))
        A = (sigmoid if l == len(dims) - 1 else FORWARD[activation])(Z)[0]
    return A, labels(m, seed + 99), caches


def _backward_case(dims: list[int], seed: int, activation: str | None = None) -> dict:
    AL, Y, caches = _layer_caches(dims, 3, seed, activation or "relu")
    case = {"AL": AL, "Y": Y, "caches": caches}
    return {**case, "activation": activation} if activation else case


def _gradients(dims: list[int], m: int, seed: int) -> dict:
    """A grads dict as L_model_backward returns it, dA0..dA{L-1} included."""
    grads = {}
    for l in range(1, len(dims)):
        grads[f"dW{l}"] = grid(dims[l], dims[l - 1], seed + 3 * l)
        grads[f"db{l}"] = grid(dims[l], 1, seed + 3 * l + 1)
        grads[f"dA{l - 1}"] = grid(dims[l - 1], m, seed + 3 * l + 2)
    return grads


X_FORWARD = grid(4, 3, 321)
P_FORWARD = _deep_parameters([4, 3, 2, 1], 322)
X_MODEL = grid(3, 10, 381)
Y_MODEL = (X_MODEL[0:1] + X_MODEL[1:2] * X_MODEL[2:3] > 0).astype(float)

CASES: dict[str, list[dict]] = {
    "initialize_parameters": [
        {"n_x": 3, "n_h": 4, "n_y": 1},
        {"n_x": 4, "n_h": 3, "n_y": 2},
    ],
    "initialize_parameters_deep": [
        {"layer_dims": [3, 4, 1]},
        {"layer_dims": [5, 4, 3, 1]},
        {"layer_dims": [4, 3, 2, 1], "init_scale": 0.5},
        {"layer_dims": [3, 4, 3, 1], "init_scale": "xavier"},
        {"layer_dims": [2, 1], "init_scale": 1},
    ],
    "linear_forward": [
        {"A": grid(3, 2, 301), "W": grid(1, 3, 302), "b": grid(1, 1, 303)},
        {"A": grid(3, 4, 304), "W": grid(3, 3, 305), "b": grid(3, 1, 306)},
    ],
    "linear_activation_forward": [
        {"A_prev": grid(3, 4, 311), "W": grid(2, 3, 312), "b": grid(2, 1, 313), "activation": a}
        for a in ("sigmoid", "relu", "tanh", "leaky_relu")
    ],
    "L_model_forward": [
        {"X": X_FORWARD, "parameters": P_FORWARD},
        *({"X": X_FORWARD, "parameters": P_FORWARD, "activation": a}
          for a in ACTIVATION_NAMES[1:]),
        {"X": X_FORWARD, "parameters": _deep_parameters([4, 3, 1], 330)},
        {"X": X_FORWARD, "parameters": _deep_parameters([4, 1], 335)},
    ],
    "compute_cost": [
        {"AL": np.array([[0.8, 0.9, 0.4]]), "Y": np.array([[1.0, 1.0, 0.0]])},
        {"AL": np.abs(grid(1, 9, 341)) % 0.98 + 0.01, "Y": labels(9, 342)},
    ],
    "linear_backward": [
        {"dZ": grid(3, 4, 351), "cache": (grid(3, 4, 352), grid(3, 3, 353), grid(3, 1, 354))},
        {"dZ": grid(3, 4, 355), "cache": (grid(5, 4, 356), grid(3, 5, 357), grid(3, 1, 358))},
    ],
    "linear_activation_backward": [
        {"dA": grid(2, 5, 364),
         "cache": ((grid(3, 5, 361), grid(2, 3, 362), grid(2, 1, 363)), grid(2, 5, 365)),
         "activation": a}
        for a in ("sigmoid", "relu", "tanh", "leaky_relu")
    ],
    "L_model_backward": [
        _backward_case([3, 1], 400),
        _backward_case([3, 4, 1], 410),
        _backward_case([4, 3, 2, 1], 420),
        *(_backward_case([4, 3, 2, 1], 420, a) for a in ACTIVATION_NAMES[1:]),
        _backward_case([3, 4, 3, 2, 1], 440),
    ],
    "update_parameters": [
        {"params": _deep_parameters([3, 4, 1], 371), "grads": _gradients([3, 4, 1], 5, 372),
         "learning_rate": 0.1},
        {"params": _deep_parameters([4, 3, 2, 1], 375), "grads": _gradients([4, 3, 2, 1], 5, 376),
         "learning_rate": 0.05},
    ],
    "two_layer_model": [
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": (3, 4, 1), "learning_rate": 0.5,
         "num_iterations": 1},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": (3, 4, 1), "learning_rate": 0.5,
         "num_iterations": 301},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": (3, 5, 1), "num_iterations": 201},
    ],
    "L_layer_model": [
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 1], "learning_rate": 0.5,
         "num_iterations": 1},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.3,
         "num_iterations": 1, "activation": "tanh", "init_scale": "xavier"},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 1], "num_iterations": 101},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.3,
         "num_iterations": 201, "init_scale": "xavier"},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.3,
         "num_iterations": 201, "activation": "tanh", "init_scale": "xavier"},
        {"X": X_MODEL, "Y": Y_MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.5,
         "num_iterations": 101, "activation": "sigmoid", "init_scale": 1.0},
    ],
}


def _run(name: str):
    """(check, case, expected output) for every stored case of `name`."""
    return stored_cases(WEEK, name, CASES[name])


def call_case(fn, case: dict, check: Check | None = None, *, seed: int = OUTER_SEED):
    """Calls fn on a case after setting the global random state to `seed`."""
    np.random.seed(seed)
    return check.call(fn, **case) if check else fn(**case)


# -- shared pieces --------------------------------------------------------------------------
def _activation(case: dict) -> str:
    return case.get("activation", "relu")


def _layers(params: dict) -> int:
    return sum(1 for key in params if key.startswith("W"))


def _parameter_keys(L: int) -> list[str]:
    return [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def _layout(value) -> str:
    """The nesting of a cache in words, e.g. ((array (3, 4), array (2, 3)), array (2, 4))."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape}"
    if isinstance(value, list):
        return "[" + ", ".join(_layout(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_layout(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return describe(value)


def _pair(check: Check, out, names: str, size: int = 2) -> tuple:
    __tracebackhide__ = True
    check.true(isinstance(out, tuple | list) and len(out) == size,
               f"must return {names}, but returned {_layout(out)}.",
               f"end the function with `return {names}`.")
    return tuple(out)


def _check_linear_cache(check: Check, what: str, cache, want: tuple, hint: str) -> None:
    __tracebackhide__ = True
    check.true(isinstance(cache, tuple | list) and len(cache) == 3,
               f"{what} must be the triple (A_prev, W, b), but it is {_layout(cache)}.", hint)
    for index, (name, got, ref) in enumerate(zip(("A_prev", "W", "b"), cache, want)):
        check.close(f"{what}[{index}] ({name})", got, ref,
                    f"the linear cache is (A_prev, W, b) in this order. {hint}")


def _check_layer_cache(check: Check, what: str, cache, want: tuple, hint: str,
                       a_prev_hint: str | None = None, want_A_out=None, context: str = "") -> None:
    """A cache ((A_prev, W, b), Z) of one layer against the stored one; `context` (such as
    ", 3 layers, activation='relu'") goes inside the parentheses of each name."""
    __tracebackhide__ = True
    layout = "the pair (linear_cache, activation_cache) = ((A_prev, W, b), Z)"
    where = f" ({context[2:]})" if context else ""
    check.true(isinstance(cache, tuple | list) and len(cache) == 2
               and isinstance(cache[0], tuple | list) and len(cache[0]) == 3,
               f"{what}{where} must be {layout}, but it is {_layout(cache)}.",
               "keep the cache as linear_activation_forward builds it: "
               "cache = (linear_cache, activation_cache).")
    (A_prev, W, b), Z = cache
    (want_A, want_W, want_b), want_Z = want
    check.close(f"{what}[0][0] (A_prev{context})", A_prev, want_A, a_prev_hint or hint)
    check.close(f"{what}[0][1] (W{context})", W, want_W, hint)
    check.close(f"{what}[0][2] (b{context})", b, want_b, hint)
    if want_A_out is not None and np.shape(Z) == np.shape(want_A_out) and not np.allclose(
            want_Z, want_A_out) and np.allclose(np.asarray(Z, float), want_A_out):
        check.fail(f"{what}[1] is the layer's output A, but the activation cache must be Z.",
                   "keep what the helper returns as its cache: A, activation_cache = "
                   "FORWARD[activation](Z), then cache = (linear_cache, activation_cache).")
    check.close(f"{what}[1] (Z{context})", Z, want_Z,
                f"the activation cache is Z = W A_prev + b (what the helper returns as its "
                f"cache), not A. {hint}")


def _same_as(value, others: dict, exclude: str) -> str | None:
    """The name of another case whose stored answer `value` equals, if any."""
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    for name, other in others.items():
        if name != exclude and value.shape == np.shape(other) and np.allclose(value, other):
            return name
    return None


def _check_parameters(check: Check, what: str, params, want: dict, hint: str | None,
                      context: str = "") -> None:
    __tracebackhide__ = True
    keys = list(want)
    check.keys(what, params, keys, f"the keys are {', '.join(_parameter_keys(len(keys) // 2))}.")
    for key in _parameter_keys(len(keys) // 2):
        check.close(f"{what}['{key}']{context}", params[key], want[key], hint)


def _check_step(check: Check, what: str, params, start: dict, want: dict, lr: float) -> None:
    """After one step from a known start the update is exact, so a wrong step can be named."""
    __tracebackhide__ = True
    for key in _parameter_keys(len(want) // 2):
        got = np.asarray(params.get(key), dtype=float) if isinstance(params, dict) else None
        if got is None or got.shape != np.shape(want[key]) or np.allclose(got, want[key]):
            continue
        step, want_step = got - start[key], np.asarray(want[key]) - start[key]
        if not np.any(want_step):
            continue
        if not np.any(step):
            check.fail(f"{what}['{key}'] did not change: it is still {show(start[key])}.",
                       f"update every layer, l = 1 .. L, both W and b: "
                       f"{key} = {key} - learning_rate * d{key}.")
        if np.allclose(step, -want_step, rtol=1e-6):
            check.fail(f"{what}['{key}'] moved uphill, away from the minimum.",
                       "gradient descent subtracts: W = W - learning_rate * dW (and check the "
                       "sign of the gradients you pass in).")
        ratio = float(np.sum(step * want_step) / np.sum(want_step * want_step))
        if ratio > 0 and np.allclose(step, ratio * want_step, rtol=1e-6):
            check.fail(f"{what}['{key}'] moved {ratio:.4g} times as far as it should with "
                       f"learning_rate={lr}.",
                       "use the learning_rate argument in the update, not a fixed number.")
    check.ok()


# -- initialization -------------------------------------------------------------------------
def _check_seeded(check: Check, fn, case: dict, params: dict, seed: int, first: str) -> None:
    """The weights must not depend on the random state before the call."""
    __tracebackhide__ = True
    again = call_case(fn, case, check, seed=OUTER_SEED + 1)
    for key in sorted(params):
        if key.startswith("W") and isinstance(again, dict) and key in again and not np.allclose(
                np.asarray(again[key], float), np.asarray(params[key], float)):
            check.fail(f"parameters['{key}'] came out different when the caller had set another "
                       "random state (np.random.seed(...) before the call); it must be the same "
                       "every time.",
                       f"call np.random.seed({seed}) at the start of the function, before "
                       f"drawing {first}, and only there.")
    check.ok()


def _check_draws(check: Check, params: dict, want: dict, scales: list[float], seed: int,
                 scale_hint: str) -> None:
    """Names a wrong draw from the stored values alone: divided by their scales, the expected
    weights W1, W2, ... are the normal numbers np.random.seed(seed) produces, in drawing order."""
    __tracebackhide__ = True
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
    check.ok()


def check_initialize_parameters(initialize_parameters) -> None:
    __tracebackhide__ = True
    order_hint = ("call np.random.seed(1) first, then draw W1 = np.random.randn(n_h, n_x) * 0.01 "
                  "and W2 = np.random.randn(n_y, n_h) * 0.01, in this order (randn: normal "
                  "numbers, not uniform).")
    for check, case, want in _run("initialize_parameters"):
        n_x, n_h, n_y = case["n_x"], case["n_h"], case["n_y"]
        params = call_case(initialize_parameters, case, check)
        check.keys("parameters", params, ["W1", "b1", "W2", "b2"])
        shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
        for key, shape in shapes.items():
            check.shape(f"parameters['{key}'] (n_x={n_x}, n_h={n_h}, n_y={n_y})", params[key],
                        shape, "W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1).")
        for key in ("b1", "b2"):
            check.true(not np.any(params[key]),
                       f"parameters['{key}'] must start at zero, but it is {show(params[key])}.",
                       f"use np.zeros({shapes[key]}) and draw random numbers for W1 and W2 only.")
        _check_seeded(check, initialize_parameters, case, params, 1, "W1")
        _check_draws(check, params, want, [0.01, 0.01], 1, order_hint)
        _check_parameters(check, "parameters", params, want, order_hint)
    check.done()


def _scale_hint(init_scale, dims: list[int]) -> str:
    if init_scale == "xavier":
        return ("with init_scale='xavier', layer l uses sqrt(1 / layer_dims[l - 1]) (the number "
                "of inputs of the layer), here " + ", ".join(
                    f"{np.sqrt(1 / dims[l - 1]):.4g} for W{l}" for l in range(1, len(dims))) + ".")
    return (f"multiply by the init_scale argument (here {init_scale}); "
            "the default init_scale=0.01 is the classic scale.")


def check_initialize_parameters_deep(initialize_parameters_deep) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("initialize_parameters_deep"):
        dims, init_scale = case["layer_dims"], case.get("init_scale", 0.01)
        L = len(dims) - 1
        label = "parameters"
        context = f" (layer_dims={dims}, init_scale={init_scale!r})"
        params = call_case(initialize_parameters_deep, case, check)
        keys = _parameter_keys(L)
        check.keys(label + context, params, keys,
                   f"the network has L = len(layer_dims) - 1 = {L} layers: keys W1..W{L} and "
                   f"b1..b{L}, for l in range(1, len(layer_dims)).")
        extra = sorted(set(params) - set(keys))
        check.true(not extra,
                   f"{label}{context} has the extra key(s) {extra}; expected exactly {keys}.",
                   "l runs from 1 to L = len(layer_dims) - 1: for l in range(1, len(layer_dims)).")
        for l in range(1, L + 1):
            check.shape(f"{label}['W{l}']{context}", params[f"W{l}"], (dims[l], dims[l - 1]),
                        f"W{l} is (layer_dims[{l}], layer_dims[{l - 1}]).")
            check.shape(f"{label}['b{l}']{context}", params[f"b{l}"], (dims[l], 1),
                        f"b{l} is (layer_dims[{l}], 1).")
            check.true(not np.any(params[f"b{l}"]),
                       f"{label}['b{l}']{context} must start at zero, but it is "
                       f"{show(params[f'b{l}'])}.",
                       "use np.zeros((layer_dims[l], 1)); only the weights are random.")
        _check_seeded(check, initialize_parameters_deep, case, params, 3, "W1")
        scales = [np.sqrt(1 / dims[l - 1]) if init_scale == "xavier" else init_scale
                  for l in range(1, L + 1)]
        _check_draws(check, params, want, scales, 3, _scale_hint(init_scale, dims))
        _check_parameters(check, label, params, want,
                          "call np.random.seed(3) once, then for l = 1 .. L in order draw "
                          "W = np.random.randn(layer_dims[l], layer_dims[l-1]) * scale. "
                          + _scale_hint(init_scale, dims), context)
    check.done()


# -- forward --------------------------------------------------------------------------------
def check_linear_forward(linear_forward) -> None:
    __tracebackhide__ = True
    hints = {"not aligned": "Z = np.dot(W, A) + b: W (n[l], n[l-1]) times A (n[l-1], m) gives "
                            "(n[l], m); W comes first and needs no transpose."}
    for check, case, want in _run("linear_forward"):
        out = check.call(linear_forward, **case, exception_hints=hints)
        Z, cache = _pair(check, out, "Z, cache")
        shape = (case["W"].shape[0], case["A"].shape[1])
        check.shape("Z", Z, shape,
                    f"Z = np.dot(W, A) + b: W {case['W'].shape} times A {case['A'].shape} "
                    f"gives {shape}.")
        check.close(f"Z (W of shape {case['W'].shape}, A of shape {case['A'].shape})", Z, want[0],
                    "Z = np.dot(W, A) + b: W first, no transpose, and the bias added once.")
        _check_linear_cache(check, "cache", cache, want[1], "return cache = (A, W, b).")
    check.done()


def check_linear_activation_forward(linear_activation_forward) -> None:
    __tracebackhide__ = True
    answers = {case["activation"]: want[0] for case, want in
               zip(CASES["linear_activation_forward"], expected(WEEK, "linear_activation_forward"))}
    hints = {"UnboundLocalError": "support all four activations: 'sigmoid', 'relu', 'tanh' and "
                                  "'leaky_relu' (FORWARD[activation] is the helper of that name).",
             "KeyError": "FORWARD[activation] knows 'sigmoid', 'relu', 'tanh' and 'leaky_relu'."}
    for check, case, want in _run("linear_activation_forward"):
        name = case["activation"]
        out = check.call(linear_activation_forward, **case, exception_hints=hints)
        A, cache = _pair(check, out, "A, cache")
        check.true(not isinstance(A, tuple | list),
                   f"A must be an array, but it is {_layout(A)}.",
                   "the given helpers return a pair: A, activation_cache = relu(Z).")
        check.shape("A", A, np.shape(want[0]), "A has the shape of Z: one column per example.")
        other = _same_as(A, answers, name)
        check.true(other is None,
                   f"with activation={name!r}, A is what {other!r} gives.",
                   "use the activation argument: A, activation_cache = FORWARD[activation](Z) "
                   "(or one branch per name).")
        check.close(f"A (activation={name!r})", A, want[0],
                    f"A = {name}(Z) with Z = W A_prev + b: call your linear_forward, then "
                    "FORWARD[activation](Z).")
        _check_layer_cache(check, "cache", cache, want[1],
                           "return cache = (linear_cache, activation_cache).", want_A_out=want[0])
    check.done()


def check_L_model_forward(L_model_forward) -> None:
    __tracebackhide__ = True
    hints = {"KeyError": "L = len(parameters) // 2: parameters holds a W and a b per layer, "
                         "and the layers are numbered 1 .. L.",
             "not aligned": "layer l takes the output A of layer l - 1 (A = X for layer 1 only): "
                            "A, cache = linear_activation_forward(A, W, b, ...)."}
    for check, case, want in _run("L_model_forward"):
        name, m = _activation(case), case["X"].shape[1]
        L = _layers(case["parameters"])
        out = check.call(L_model_forward, **case, exception_hints=hints)
        AL, caches = _pair(check, out, "AL, caches")
        want_AL, want_caches = want
        label = f"({_plural(L, 'layer')}, activation={name!r})"
        check.true(isinstance(caches, list | tuple) and len(caches) == L,
                   f"caches must be a list of {L} caches, one per layer {label}, but it is "
                   + (f"a list of {len(caches)}." if isinstance(caches, list | tuple)
                      else f"{describe(caches)}."),
                   "append the cache of every layer, the last (sigmoid) one included: "
                   "layers 1 .. L-1 in the loop, then layer L.")
        for l in range(1, L + 1):
            hidden_hint = (f"A{l - 1} = {name}(Z{l - 1}): the hidden layers 1 .. L-1 use the "
                           f"activation argument (here {name!r}); only layer L uses 'sigmoid'.")
            _check_layer_cache(
                check, f"caches[{l - 1}]", caches[l - 1], want_caches[l - 1],
                f"caches[{l - 1}] belongs to layer {l}: linear_activation_forward(A, "
                f"parameters['W{l}'], parameters['b{l}'], ...), with A the output of layer "
                f"{l - 1}.", hidden_hint if l > 1 else None,
                want_caches[l][0][0] if l < L else want_AL, f", layer {l} of {label[1:-1]}")
        check.shape(f"AL {label}", AL, (1, m), "AL has one column per example: (1, m).")
        check.close(f"AL {label}", AL, want_AL,
                    "the output layer L always uses 'sigmoid': "
                    "linear_activation_forward(A, W[L], b[L], 'sigmoid').")
    check.done()


# -- cost -----------------------------------------------------------------------------------
def check_compute_cost(compute_cost) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("compute_cost"):
        cost = check.call(compute_cost, **case)
        check.scalar("cost", cost,
                     "np.dot gives a (1, 1) array: turn it into a single number with "
                     "cost = np.squeeze(cost).")
        check.close("cost", cost, want, m=case["Y"].shape[1],
                    hint="J = -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL)), both terms.")
    check.done()


# -- backward -------------------------------------------------------------------------------
def _check_db(check: Check, what: str, db, want, m: int, hint: str = "") -> None:
    __tracebackhide__ = True
    n = np.shape(want)[0]
    if np.shape(db) in ((m,), (1, m)) and m != n:
        check.fail(f"{what} has shape {np.shape(db)}, but it must have the shape of b, "
                   f"{np.shape(want)}.",
                   "it was summed over the units: sum over the examples instead, "
                   "np.sum(dZ, axis=1, keepdims=True) / m.")
    check.close(what, db, want, m=m,
                hint=("db = (1/m) np.sum(dZ, axis=1, keepdims=True): sum over the examples "
                      "(axis=1) and keep the column shape. " + hint).strip())


def check_linear_backward(linear_backward) -> None:
    __tracebackhide__ = True
    hints = {"not aligned": "dW = (1/m) np.dot(dZ, A_prev.T) and dA_prev = np.dot(W.T, dZ): "
                            "each product has exactly one transpose."}
    for check, case, want in _run("linear_backward"):
        A_prev, W, b = case["cache"]
        m = A_prev.shape[1]
        out = check.call(linear_backward, **case, exception_hints=hints)
        dA_prev, dW, db = _pair(check, out, "dA_prev, dW, db", 3)
        check.close(f"dA_prev (W of shape {W.shape})", dA_prev, want[0], m=m,
                    hint="dA_prev = np.dot(W.T, dZ): the transpose goes on W, and there is no "
                         "1/m in dA_prev.")
        check.close("dW", dW, want[1], m=m,
                    hint="dW = (1/m) np.dot(dZ, A_prev.T) has the shape of W.")
        _check_db(check, "db", db, want[2], m)
    check.done()


def check_linear_activation_backward(linear_activation_backward) -> None:
    __tracebackhide__ = True
    answers = {case["activation"]: want[1] for case, want in
               zip(CASES["linear_activation_backward"],
                   expected(WEEK, "linear_activation_backward"))}
    hints = {"unpack": "the cache is ((A_prev, W, b), Z): linear_cache, activation_cache = cache; "
                       "the activation's backward helper takes activation_cache, linear_backward "
                       "takes linear_cache.",
             "UnboundLocalError": "support all four activations: 'sigmoid', 'relu', 'tanh' and "
                                  "'leaky_relu' (BACKWARD[activation] is the helper of that name)."}
    for check, case, want in _run("linear_activation_backward"):
        name, m = case["activation"], case["dA"].shape[1]
        out = check.call(linear_activation_backward, **case, exception_hints=hints)
        dA_prev, dW, db = _pair(check, out, "dA_prev, dW, db", 3)
        derivative = (f"dZ = dA * g'(Z) with g = {name}, g'(Z) = {DERIVATIVES[name]}: "
                      "use BACKWARD[activation](dA, activation_cache), then your "
                      "linear_backward(dZ, linear_cache).")
        check.shape("dW", dW, np.shape(want[1]), "dW has the shape of W.")
        other = _same_as(dW, answers, name)
        check.true(other is None,
                   f"with activation={name!r}, dW is what {other!r} gives.",
                   f"use the activation argument for the derivative. {derivative}")
        check.close(f"dW (activation={name!r})", dW, want[1], m=m, hint=derivative)
        _check_db(check, f"db (activation={name!r})", db, want[2], m, derivative)
        check.close(f"dA_prev (activation={name!r})", dA_prev, want[0], m=m,
                    hint="dA_prev = W^T dZ, from linear_backward.")
    check.done()


def check_L_model_backward(L_model_backward) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("L_model_backward"):
        name, m, L = _activation(case), case["AL"].shape[1], len(case["caches"])
        label = f"({_plural(L, 'layer')}, activation={name!r})"
        grads = check.call(L_model_backward, **case)
        keys = ([f"dA{l}" for l in range(L)] + [f"dW{l}" for l in range(1, L + 1)]
                + [f"db{l}" for l in range(1, L + 1)])
        check.keys(f"grads {label}", grads, keys,
                   "layer l stores grads['dA' + str(l - 1)], grads['dW' + str(l)] and "
                   f"grads['db' + str(l)], so for L = {L} the keys are {', '.join(keys)}.")
        for l in range(L, 0, -1):
            if l == L:
                hint = ("layer L is the sigmoid layer: start from dAL = -(np.divide(Y, AL) - "
                        "np.divide(1 - Y, 1 - AL)) and go back through it with caches[L - 1] "
                        "and 'sigmoid'.")
            else:
                hint = (f"layer {l} is a hidden layer: linear_activation_backward(grads['dA{l}'], "
                        f"caches[{l - 1}], activation) with the activation argument (here "
                        f"{name!r}); only layer L uses 'sigmoid'.")
            check.close(f"grads['dW{l}'] {label}", grads[f"dW{l}"], want[f"dW{l}"], m=m,
                        hint=hint)
            _check_db(check, f"grads['db{l}'] {label}", grads[f"db{l}"], want[f"db{l}"], m, hint)
            check.close(f"grads['dA{l - 1}'] {label}", grads[f"dA{l - 1}"], want[f"dA{l - 1}"],
                        hint=f"dA{l - 1} = W{l}^T dZ{l} is the dA_prev of layer {l}: store it "
                             f"under 'dA' + str({l} - 1).")
    check.done()


# -- gradient descent -----------------------------------------------------------------------
def check_update_parameters(update_parameters) -> None:
    __tracebackhide__ = True
    hints = {"KeyError": "L = len(params) // 2: params holds a W and a b per layer, numbered "
                         "1 .. L; grads also holds dA0 .. dA{L-1}, which are not parameters."}
    for check, case, want in _run("update_parameters"):
        lr = case["learning_rate"]
        params = check.call(update_parameters, **case, exception_hints=hints)
        L = _layers(case["params"])
        check.keys("the new parameters", params, _parameter_keys(L))
        _check_step(check, "the new parameters", params, case["params"], want, lr)
        _check_parameters(check, "the new parameters", params, want,
                          f"W[l] = W[l] - learning_rate * dW[l] and b[l] = b[l] - learning_rate "
                          f"* db[l] for every layer l = 1 .. {L}, with learning_rate={lr}.")
    check.done()


# -- models ---------------------------------------------------------------------------------
def _stored_start(name: str, match: dict) -> dict | None:
    """The stored result of an initialization case with these arguments, if there is one."""
    for case, want in zip(CASES[name], expected(WEEK, name)):
        if all(case.get(k, d) == v for k, (v, d) in match.items()):
            return want
    return None


def _check_costs(check: Check, costs, want_costs: list, n: int, first_hint: str) -> None:
    __tracebackhide__ = True
    check.true(isinstance(costs, list),
               f"costs must be a list, but it is {describe(costs)}.", "start with costs = [].")
    check.true(len(costs) == len(want_costs),
               f"with num_iterations={n}, costs must hold {_plural(len(want_costs), 'entry')} "
               f"(iterations 0, 100, ...), but it holds {len(costs)}.",
               "append the cost when i % 100 == 0, starting at i = 0 (not every iteration).")
    got = np.ravel(np.asarray(costs, dtype=float))
    check.close("costs[0] (the cost of the initial parameters)", got[:1],
                np.ravel(np.asarray(want_costs, float))[:1], hint=first_hint)
    check.close("costs", got, np.ravel(np.asarray(want_costs, dtype=float)),
                hint="append the cost of iterations 0, 100, 200, ...: i % 100 == 0, computed "
                     "before the update of that iteration.")


def _check_model(check: Check, case: dict, out, want, start: dict | None, first_hint: str,
                 train_hint: str) -> None:
    __tracebackhide__ = True
    params, costs = _pair(check, out, "parameters, costs")
    want_params, want_costs = want
    n, lr = case["num_iterations"], case.get("learning_rate", 0.0075)
    _check_costs(check, costs, want_costs, n, first_hint)
    check.keys("the trained parameters", params, list(want_params))
    if n == 1 and start is not None:
        _check_step(check, "after one iteration, the parameters", params, start, want_params, lr)
    _check_parameters(check, "the trained parameters", params, want_params, train_hint,
                      f" (num_iterations={n}, learning_rate={lr})")


def check_two_layer_model(two_layer_model) -> None:
    __tracebackhide__ = True
    first_hint = ("the cost of iteration 0 comes from the initial parameters: initialize with "
                  "initialize_parameters(n_x, n_h, n_y) (seed 1 inside), then forward with "
                  "'relu' for layer 1 and 'sigmoid' for layer 2. Make the checks above pass "
                  "first.")
    train_hint = ("each iteration: forward ('relu' then 'sigmoid'), the cost, dA2 = -(Y/A2 - "
                  "(1-Y)/(1-A2)), backward through layer 2 ('sigmoid') then layer 1 ('relu'), "
                  "and update_parameters(parameters, grads, learning_rate) with the "
                  "learning_rate argument.")
    for check, case, want in _run("two_layer_model"):
        n_x, n_h, n_y = case["layers_dims"]
        start = _stored_start("initialize_parameters",
                              {"n_x": (n_x, None), "n_h": (n_h, None), "n_y": (n_y, None)})
        out = call_case(two_layer_model, case, check)
        _check_model(check, case, out, want, start, first_hint, train_hint)
    check.done()


def check_L_layer_model(L_layer_model) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("L_layer_model"):
        name, init_scale = _activation(case), case.get("init_scale", 0.01)
        start = _stored_start("initialize_parameters_deep",
                              {"layer_dims": (case["layers_dims"], None),
                               "init_scale": (init_scale, 0.01)})
        first_hint = ("the cost of iteration 0 comes from the initial parameters and the forward "
                      "pass: initialize_parameters_deep(layers_dims, init_scale=init_scale) and "
                      f"L_model_forward(X, parameters, activation=activation) (here "
                      f"activation={name!r}, init_scale={init_scale!r}).")
        train_hint = (f"each iteration: L_model_forward(X, parameters, activation=activation), "
                      "compute_cost, L_model_backward(AL, Y, caches, activation=activation) "
                      f"(here activation={name!r}) and update_parameters(parameters, grads, "
                      "learning_rate) with the learning_rate argument.")
        out = call_case(L_layer_model, case, check)
        _check_model(check, case, out, want, start, first_hint, train_hint)
    check.done()


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items()
          if name.startswith("check_")}
