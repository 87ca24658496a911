"""Visible checks for week 2 (a network with one hidden layer).

A case may hold "_seed": the check (and the expected-value generator) calls
`np.random.seed(_seed)` just before the learner's function, which must not seed itself.
"""

from __future__ import annotations

import numpy as np

from .cases import grid, labels, stored_cases
from .core import Check

WEEK = "week2"
ACTIVATION_NAMES = ["tanh", "relu", "sigmoid", "leaky_relu"]


def _parameters(n_x: int, n_h: int, n_y: int, seed: int, scale: float = 0.5) -> dict:
    return {"W1": grid(n_h, n_x, seed, scale), "b1": grid(n_h, 1, seed + 1, 0.1),
            "W2": grid(n_y, n_h, seed + 2, scale), "b2": grid(n_y, 1, seed + 3, 0.1)}


def _cache(activation: str, n_h: int, m: int, seed: int) -> dict:
    """A cache as forward propagation leaves it, built from random Z1, Z2 with the given
    activation helpers (backward_propagation must not recompute the forward pass)."""
    from ..activations import ACTIVATIONS, sigmoid

    Z1, Z2 = grid(n_h, m, seed), grid(1, m, seed + 1)
    return {"Z1": Z1, "A1": ACTIVATIONS[activation][0](Z1), "Z2": Z2, "A2": sigmoid(Z2)}


X_SMALL, Y_SMALL = grid(3, 7, 1), labels(7, 2)
P_SMALL = _parameters(3, 4, 1, 10)
X_PLANE = grid(2, 30, 3, 1.5)
Y_PLANE = (X_PLANE[0:1] * X_PLANE[1:2] > 0).astype(float)  # XOR-like: needs a hidden layer

CASES: dict[str, list[dict]] = {
    "layer_sizes": [{"X": grid(5, 3, 4), "Y": grid(2, 3, 5)}, {"X": X_PLANE, "Y": Y_PLANE}],
    "initialize_parameters": [
        {"n_x": 2, "n_h": 4, "n_y": 1, "_seed": 2},
        {"n_x": 3, "n_h": 5, "n_y": 2, "_seed": 7, "init_scale": 0.5},
    ],
    "forward_propagation": [
        {"X": X_SMALL, "parameters": P_SMALL},
        *({"X": X_SMALL, "parameters": P_SMALL, "activation": a} for a in ACTIVATION_NAMES[1:]),
    ],
    "compute_cost": [
        {"A2": np.array([[0.5002307, 0.49985831, 0.50023963]]), "Y": np.array([[1.0, 0.0, 0.0]])},
        {"A2": np.abs(grid(1, 9, 6)) % 0.98 + 0.01, "Y": labels(9, 7)},
    ],
    "backward_propagation": [
        {"parameters": P_SMALL, "cache": _cache(a, 4, 7, 40), "X": X_SMALL,
         "Y": Y_SMALL, **({} if a == "tanh" else {"activation": a})}
        for a in ACTIVATION_NAMES
    ],
    "update_parameters": [
        {"parameters": P_SMALL, "grads": {"d" + k: v for k, v in _parameters(3, 4, 1, 20).items()}},
        {"parameters": P_SMALL, "grads": {"d" + k: v for k, v in _parameters(3, 4, 1, 30).items()},
         "learning_rate": 0.05},
    ],
    "nn_model": [
        {"X": X_PLANE, "Y": Y_PLANE, "n_h": 4, "num_iterations": 300},
        {"X": X_PLANE, "Y": Y_PLANE, "n_h": 3, "num_iterations": 200, "activation": "relu",
         "init_scale": 0.5, "learning_rate": 0.3},
    ],
    "predict": [
        {"parameters": P_SMALL, "X": X_SMALL},
        {"parameters": _parameters(3, 4, 1, 54, 1.5), "X": grid(3, 9, 61, 1.5),
         "activation": "relu"},
        {"parameters": _parameters(3, 4, 1, 54, 1.5), "X": grid(3, 9, 61, 1.5),
         "activation": "sigmoid"},
    ],
}


def _run(name: str):
    """(check, case, expected output) for every stored case of `name`."""
    return stored_cases(WEEK, name, CASES[name])


def call_case(fn, case: dict, check: Check | None = None):
    """Calls fn on a case, seeding the global random state first when the case says so."""
    kwargs = {k: v for k, v in case.items() if k != "_seed"}
    if "_seed" in case:
        np.random.seed(case["_seed"])
    return check.call(fn, **kwargs) if check else fn(**kwargs)




def _activation(case: dict) -> str:
    return case.get("activation", "tanh")


def _check_parameters(check: Check, what: str, params, want: dict, hint: str | None = None):
    __tracebackhide__ = True
    check.keys(what, params, ["W1", "b1", "W2", "b2"])
    for key in ("W1", "b1", "W2", "b2"):
        check.close(f"{what}['{key}']", params[key], want[key], hint)


# -- checks -------------------------------------------------------------------------------
def check_layer_sizes(layer_sizes) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("layer_sizes"):
        sizes = check.call(layer_sizes, **case)
        check.true(isinstance(sizes, tuple) and len(sizes) == 3,
                   f"must return the tuple (n_x, n_h, n_y), but returned {sizes!r}.")
        check.true(tuple(int(s) for s in sizes) == tuple(want),
                   f"for X of shape {case['X'].shape} and Y of shape {case['Y'].shape}, "
                   f"expected {tuple(want)}, got {tuple(sizes)}.",
                   "n_x = X.shape[0] (features, not examples), n_h = 4, n_y = Y.shape[0].")
    check.done()


def check_initialize_parameters(initialize_parameters) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("initialize_parameters"):
        n_x, n_h, n_y = case["n_x"], case["n_h"], case["n_y"]
        params = call_case(initialize_parameters, case, check)
        check.keys("parameters", params, ["W1", "b1", "W2", "b2"])
        shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
        for key, shape in shapes.items():
            check.shape(f"parameters['{key}']", params[key], shape,
                        "W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1).")
        check.true(not np.any(params["b1"]) and not np.any(params["b2"]),
                   "the biases must start at zero.",
                   "use np.zeros((n_h, 1)) and np.zeros((n_y, 1)).")
        check.true(np.any(params["W1"]),
                   "W1 is all zeros: every hidden unit would compute the same thing forever.",
                   "break the symmetry: W1 = np.random.randn(n_h, n_x) * init_scale.")
        again = call_case(initialize_parameters, {**case, "_seed": case["_seed"] + 1}, check)
        check.true(not np.allclose(again["W1"], params["W1"]),
                   "the weights do not depend on the random state set before the call.",
                   "do not call np.random.seed inside initialize_parameters: the caller seeds.")
        _check_parameters(check, "parameters", params, want,
                          "use np.random.randn (normal, not uniform) scaled by init_scale, and "
                          "draw W1 before W2.")
    check.done()


def check_forward_propagation(forward_propagation) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("forward_propagation"):
        name = _activation(case)
        out = check.call(forward_propagation, **case)
        check.true(isinstance(out, tuple) and len(out) == 2, "must return the pair (A2, cache).")
        A2, cache = out
        m = case["X"].shape[1]
        check.shape("A2", A2, (1, m), "A2 = sigmoid(W2 A1 + b2) has one column per example.")
        check.keys("cache", cache, ["Z1", "A1", "Z2", "A2"])
        check.close(f"cache['Z1'] (activation={name!r})", cache["Z1"], want[1]["Z1"],
                    "Z1 = np.dot(W1, X) + b1.")
        check.close(f"cache['A1'] (activation={name!r})", cache["A1"], want[1]["A1"],
                    f"A1 = g(Z1) with the hidden activation g = {name}: use the `activation` "
                    "argument, e.g. g, _ = ACTIVATIONS[activation].")
        check.close("A2", A2, want[0], "the output layer is always a sigmoid: A2 = sigmoid(Z2).")
    check.done()


def check_compute_cost(compute_cost) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("compute_cost"):
        cost = check.call(compute_cost, **case)
        check.python_float("cost", cost,
                           "np.dot gives a (1, 1) array: return float(np.squeeze(cost)).")
        check.close("cost", cost, want, m=case["Y"].shape[1])
    check.done()


def check_backward_propagation(backward_propagation) -> None:
    __tracebackhide__ = True
    derivative = {"tanh": "1 - A1**2 (or 1 - np.power(A1, 2))", "relu": "(Z1 > 0)",
                  "sigmoid": "A1 * (1 - A1)", "leaky_relu": "1 where Z1 > 0, else 0.01"}
    for check, case, want in _run("backward_propagation"):
        name = _activation(case)
        m = case["X"].shape[1]
        grads = check.call(backward_propagation, **case)
        check.keys("grads", grads, ["dW1", "db1", "dW2", "db2"])
        for key, ref in (("dW2", "W2"), ("db2", "b2"), ("dW1", "W1"), ("db1", "b1")):
            check.shape(f"grads['{key}']", grads[key], case["parameters"][ref].shape,
                        f"{key} has the shape of {ref}; sum over examples with axis=1, "
                        "keepdims=True.")
        check.close("grads['dW2']", grads["dW2"], want["dW2"], m=m,
                    hint="dZ2 = A2 - Y; dW2 = (1/m) dZ2 A1^T.")
        check.close("grads['db2']", grads["db2"], want["db2"], m=m)
        check.close(f"grads['dW1'] (activation={name!r})", grads["dW1"], want["dW1"], m=m,
                    hint=f"dZ1 = W2^T dZ2 * g'(Z1), and for {name} g'(Z1) = {derivative[name]}.")
        check.close(f"grads['db1'] (activation={name!r})", grads["db1"], want["db1"], m=m)
    check.done()


def check_update_parameters(update_parameters) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("update_parameters"):
        params = check.call(update_parameters, **case)
        lr = case.get("learning_rate", 1.2)
        _check_parameters(check, "the new parameters", params, want,
                          f"W = W - learning_rate * dW with learning_rate={lr} (the default is "
                          "1.2), for W1, b1, W2 and b2.")
    check.done()


def check_nn_model(nn_model) -> None:
    __tracebackhide__ = True
    hint = ("nn_model calls np.random.seed(3), then your initialize_parameters with init_scale, "
            "and loops forward, cost, backward, update with the given activation and "
            "learning_rate. Make the checks above pass first.")
    for check, case, want in _run("nn_model"):
        np.random.seed(0)  # a seed inside nn_model must win over this one
        params = check.call(nn_model, **case)
        _check_parameters(check, "the trained parameters", params, want, hint)
    check.done()


def check_predict(predict) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("predict"):
        m = case["X"].shape[1]
        pred = check.call(predict, **case)
        check.is_array("predictions", pred)
        check.shape("predictions", pred, (1, m))
        check.true(pred.dtype == bool,
                   f"predictions must be booleans (True/False), but have dtype {pred.dtype}.",
                   "return A2 > 0.5 directly.")
        check.true(np.array_equal(pred, want),
                   f"predictions (activation={_activation(case)!r}) are wrong: expected "
                   f"{want.astype(int).tolist()}, got {np.asarray(pred).astype(int).tolist()}.",
                   "run forward_propagation with the same activation and threshold A2 > 0.5.")
    check.done()


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items()
          if name.startswith("check_")}
