"""Visible checks for week 2 (a network with one hidden layer).

`initialize_parameters` must not seed itself (week 3's does): its check sets the random state
before the call, and again to another one, and the weights must follow it.

A few diagnoses read the stored values more closely, never a reference implementation:
- the expected weights divided by their scale are the normal numbers of the check's seed, in
  drawing order, so a draw that is transposed, out of order or scaled wrongly can be named;
- nn_model's case with num_iterations=0 stores its initial parameters, so its one-iteration
  cases can name a step with another learning rate, and two of them differ only in
  `activation`, so an activation that is not passed on can be named.
"""

from __future__ import annotations

import numpy as np

from . import diagnoses
from .cases import grid, labels
from .core import Check, show
from .exercise import Week

WEEK = Week("week2")
ACTIVATION_NAMES = ["tanh", "relu", "sigmoid", "leaky_relu"]
PARAMETERS = ["W1", "b1", "W2", "b2"]


def _parameters(n_x: int, n_h: int, n_y: int, seed: int, scale: float = 0.5) -> dict:
    return {"W1": grid(n_h, n_x, seed, scale), "b1": grid(n_h, 1, seed + 1, 0.1),
            "W2": grid(n_y, n_h, seed + 2, scale), "b2": grid(n_y, 1, seed + 3, 0.1)}


def _cache(activation: str, n_h: int, m: int, seed: int) -> dict:
    """A cache as forward propagation leaves it, built from random Z1, Z2 with the given
    activation helpers (backward_propagation must not recompute the forward pass)."""
    from ..activations import ACTIVATIONS
    from ..activations import logistic as sigmoid

    Z1, Z2 = grid(n_h, m, seed), grid(1, m, seed + 1)
    return {"Z1": Z1, "A1": ACTIVATIONS[activation][0](Z1), "Z2": Z2, "A2": sigmoid(Z2)}


def _with(activation: str, case: dict) -> dict:
    """The case with the `activation` keyword, unless it is the default tanh."""
    return case if activation == "tanh" else {**case, "activation": activation}


def _hints(signature: str, product: str | None = None) -> dict:
    """Error hints: a signature without this week's keyword-only extras and, for a function with
    matrix products, a shape error of np.dot or @ ("not aligned" stands for both)."""
    hints = {"unexpected keyword argument":
             "this week's functions take keyword-only extras after the *, as given: keep the "
             f"signature def {signature}."}
    return {**hints, "not aligned": product} if product else hints


X_SMALL, Y_SMALL = grid(3, 7, 1), labels(7, 2)
P_SMALL = _parameters(3, 4, 1, 10)
X_PLANE = grid(2, 30, 3, 1.5)
Y_PLANE = (X_PLANE[0:1] * X_PLANE[1:2] > 0).astype(float)  # XOR-like: needs a hidden layer
P_PREDICT, X_PREDICT = _parameters(3, 4, 1, 54, 1.5), grid(3, 9, 61, 1.5)


@WEEK.exercise("layer_sizes(X, Y)", [{"X": grid(5, 3, 4), "Y": grid(2, 3, 5)},
                                     {"X": X_PLANE, "Y": Y_PLANE}])
def check_layer_sizes(check, case, sizes, want):
    sizes = diagnoses.returns(check, sizes, "n_x, n_h, n_y", tuple_only=True)
    check.true(tuple(int(s) for s in sizes) == tuple(want),
               f"for X of shape {case['X'].shape} and Y of shape {case['Y'].shape}, "
               f"expected {tuple(want)}, got {tuple(sizes)}.",
               "n_x = X.shape[0] (features, not examples), n_h = 4, n_y = Y.shape[0].")


def _check_layout(check: Check, params, n_x: int, n_h: int, n_y: int) -> None:
    """Names a weight drawn with the transposed shape and a rank-1 bias in this week's words,
    before the shared shape checks."""
    __tracebackhide__ = True
    if not isinstance(params, dict):
        return
    for key, shape, draw in (
            ("W1", (n_h, n_x), "np.random.randn(n_h, n_x): one row per hidden unit, one "
                               "column per input"),
            ("W2", (n_y, n_h), "np.random.randn(n_y, n_h): one row per output unit, one "
                               "column per hidden unit")):
        got = np.shape(params.get(key))
        if got == shape[::-1] != shape:
            check.fail(f"parameters['{key}'] has shape {got}, but it must have shape {shape}.",
                       f"draw {key} with {draw}.")
    for key, rows in (("b1", "n_h"), ("b2", "n_y")):
        if np.ndim(params.get(key)) == 1:
            check.fail(f"parameters['{key}'] has shape {np.shape(params[key])}, a rank-1 array.",
                       f"{key} is a column: np.zeros(({rows}, 1)), with two dimensions.")
    check.ok()


INITIALIZE = "initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01)"
INITIALIZE_SEED = 2


@WEEK.exercise(INITIALIZE, [{"n_x": 2, "n_h": 4, "n_y": 1},
                            {"n_x": 3, "n_h": 5, "n_y": 2, "init_scale": 0.5}],
               seed=INITIALIZE_SEED, hints=_hints(INITIALIZE))
def check_initialize_parameters(check, case, params, want):
    dims, scale = [case["n_x"], case["n_h"], case["n_y"]], case.given("init_scale")
    _check_layout(check, params, *dims)
    diagnoses.initial_parameters(check, "parameters", params, dims)
    check.true(np.any(params["W1"]),
               "W1 is all zeros: every hidden unit would compute the same thing forever.",
               "break the symmetry: W1 = np.random.randn(n_h, n_x) * init_scale.")
    again = case.again(seed=INITIALIZE_SEED + 1)
    check.true(not np.allclose(again["W1"], params["W1"]),
               "the weights do not depend on the random state set before the call.",
               "do not call np.random.seed inside initialize_parameters this week: the caller "
               "seeds (nn_model with np.random.seed(3), the Playground from its slider). Next "
               "week's initialize_parameters is the one that seeds itself.")
    diagnoses.draws(check, params, want, [scale, scale], INITIALIZE_SEED,
                    f"multiply by the init_scale argument (here {scale}), not a fixed number.")
    diagnoses.parameters(check, "parameters", params, want,
                         "use np.random.randn (normal, not uniform) scaled by init_scale, and "
                         "draw W1 before W2.")


FORWARD = "forward_propagation(X, parameters, *, activation='tanh')"


@WEEK.exercise(FORWARD, [_with(a, {"X": X_SMALL, "parameters": P_SMALL})
                         for a in ACTIVATION_NAMES],
               hints=_hints(FORWARD, "Z1 = np.dot(W1, X) + b1, W1 (n_h, n_x) times X (n_x, m), "
                                     "and Z2 = np.dot(W2, A1) + b2, W2 (n_y, n_h) times A1 "
                                     "(n_h, m): the weights come first, with no transpose "
                                     "(W1 @ X is the same product)."))
def check_forward_propagation(check, case, out, want):
    name = case.given("activation")
    A2, cache = diagnoses.returns(check, out, "A2, cache")
    check.shape("A2", A2, (1, case["X"].shape[1]),
                "A2 = sigmoid(W2 A1 + b2) has one column per example.")
    check.keys("cache", cache, ["Z1", "A1", "Z2", "A2"])
    check.close(f"cache['Z1'] (activation={name!r})", cache["Z1"], want[1]["Z1"],
                "Z1 = np.dot(W1, X) + b1.")
    check.close(f"cache['A1'] (activation={name!r})", cache["A1"], want[1]["A1"],
                f"A1 = g(Z1) with the hidden activation g = {name}: use the `activation` "
                "argument, e.g. g, _ = ACTIVATIONS[activation].")
    check.close("A2", A2, want[0], "the output layer is always a sigmoid: A2 = sigmoid(Z2).")


@WEEK.exercise("compute_cost(A2, Y)", [
    {"A2": np.array([[0.5002307, 0.49985831, 0.50023963]]), "Y": np.array([[1.0, 0.0, 0.0]])},
    {"A2": np.abs(grid(1, 9, 6)) % 0.98 + 0.01, "Y": labels(9, 7)}],
    hints={"not aligned": "Y and np.log(A2) are both (1, m) rows, and two rows do not make a "
                          "matrix product: transpose the second factor, np.dot(Y, np.log(A2).T) "
                          "(a (1, 1) array), or multiply element-wise and sum, "
                          "np.sum(Y * np.log(A2))."})
def check_compute_cost(check, case, cost, want):
    check.python_float("cost", cost, "np.dot gives a (1, 1) array: return float(np.squeeze(cost)).")
    diagnoses.cross_entropy(check, "cost", cost, want, case["A2"], case["Y"])


DERIVATIVES = {"tanh": "1 - A1**2 (or 1 - np.power(A1, 2))", "relu": "(Z1 > 0)",
               "sigmoid": "A1 * (1 - A1)", "leaky_relu": "1 where Z1 > 0, else 0.01"}
BACKWARD = "backward_propagation(parameters, cache, X, Y, *, activation='tanh')"


@WEEK.exercise(BACKWARD, [
    _with(a, {"parameters": P_SMALL, "cache": _cache(a, 4, 7, 40), "X": X_SMALL, "Y": Y_SMALL})
    for a in ACTIVATION_NAMES],
    hints=_hints(BACKWARD, "dZ1 = np.dot(W2.T, dZ2) * g'(Z1): W2.T (n_h, n_y) times dZ2 "
                           "(n_y, m) is (n_h, m), and the product with g'(Z1) is element-wise "
                           "(*), not np.dot. dW2 = np.dot(dZ2, A1.T) / m and dW1 = "
                           "np.dot(dZ1, X.T) / m."))
def check_backward_propagation(check, case, grads, want):
    name, m = case.given("activation"), case["X"].shape[1]
    check.keys("grads", grads, ["dW1", "db1", "dW2", "db2"])
    for key in ("db2", "db1"):
        n = case["parameters"]["b" + key[-1]].shape[0]
        check.true(np.shape(grads[key]) not in ((m,), (1, m)) or m == n,
                   f"grads['{key}'] has shape {np.shape(grads[key])}, but it must have the "
                   f"shape of b{key[-1]}, ({n}, 1).",
                   f"it has one number per example, not one per unit: sum over the examples "
                   f"instead, np.sum(dZ{key[-1]}, axis=1, keepdims=True) / m.")
    for key, ref in (("dW2", "W2"), ("db2", "b2"), ("dW1", "W1"), ("db1", "b1")):
        check.shape(f"grads['{key}']", grads[key], case["parameters"][ref].shape,
                    f"{key} has the shape of {ref}: " + (
                        f"sum dZ{key[-1]} over the examples with axis=1, keepdims=True."
                        if key.startswith("db") else
                        f"{key} = (1/m) np.dot(dZ{key[-1]}, {'A1' if key == 'dW2' else 'X'}.T)."))
    check.close("grads['dW2']", grads["dW2"], want["dW2"], m=m,
                hint="dZ2 = A2 - Y; dW2 = (1/m) dZ2 A1^T.")
    check.close("grads['db2']", grads["db2"], want["db2"], m=m)
    check.close(f"grads['dW1'] (activation={name!r})", grads["dW1"], want["dW1"], m=m,
                hint=f"dZ1 = W2^T dZ2 * g'(Z1), and for {name} g'(Z1) = {DERIVATIVES[name]}.")
    check.close(f"grads['db1'] (activation={name!r})", grads["db1"], want["db1"], m=m)


def _grads(seed: int) -> dict:
    return {"d" + k: v for k, v in _parameters(3, 4, 1, seed).items()}


@WEEK.exercise("update_parameters(parameters, grads, learning_rate=1.2)", [
    {"parameters": P_SMALL, "grads": _grads(20)},
    {"parameters": P_SMALL, "grads": _grads(30), "learning_rate": 0.05}])
def check_update_parameters(check, case, params, want):
    check.keys("the new parameters", params, PARAMETERS)
    diagnoses.step(check, "the new parameters", params, case["parameters"], want,
                   case.given("learning_rate"), PARAMETERS, "update all four, W1, b1, W2 and b2: ")
    diagnoses.parameters(check, "the new parameters", params, want,
                         f"W = W - learning_rate * dW with learning_rate="
                         f"{case.given('learning_rate')} (the default is 1.2), for W1, b1, W2 "
                         "and b2.")


NN_MODEL = ("nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, *, activation='tanh', "
            "init_scale=0.01, learning_rate=1.2)")
NN_SEED = 3  # the given first line of nn_model
ONE_STEP = {"X": X_PLANE, "Y": Y_PLANE, "n_h": 3, "init_scale": 0.5, "learning_rate": 0.3}


def _stored(case, **changes) -> dict | None:
    """The stored result of the nn_model case with this case's inputs but `changes` (a change
    to None drops the input, so the default holds)."""
    wanted = {k: v for k, v in {**case, **changes}.items() if v is not None}
    exercise = case.exercise
    for other, want in zip(exercise.cases, exercise.expected()):
        if set(other) == set(wanted) and all(
                other[k] is wanted[k] if isinstance(other[k], np.ndarray) else
                other[k] == wanted[k] for k in other):
            return want
    return None


@WEEK.exercise(NN_MODEL, [
    {**ONE_STEP, "num_iterations": 0},
    {**ONE_STEP, "num_iterations": 1},
    {**ONE_STEP, "num_iterations": 1, "activation": "relu"},
    {"X": X_PLANE, "Y": Y_PLANE, "n_h": 4, "num_iterations": 300},
    {"X": X_PLANE, "Y": Y_PLANE, "n_h": 3, "num_iterations": 200, "activation": "relu",
     "init_scale": 0.5, "learning_rate": 0.3}],
    seed=0, hints=_hints(NN_MODEL))  # a seed inside nn_model must win over this one
def check_nn_model(check, case, params, want):
    n, n_h, n_x = case["num_iterations"], case["n_h"], case["X"].shape[0]
    name, scale, rate = (case.given(k) for k in ("activation", "init_scale", "learning_rate"))
    context = f" (n_h={n_h}, num_iterations={n}, activation={name!r}, learning_rate={rate})"
    check.keys("the trained parameters", params, PARAMETERS)
    check.true(n_h == 4 or np.shape(params["W1"]) != (4, n_x),
               f"parameters['W1'] has 4 rows, but n_h={n_h} was asked for.",
               "initialize with the n_h argument: layer_sizes always says n_h = 4.")
    if n == 0:
        diagnoses.draws(check, params, want, [scale, scale], NN_SEED,
                        "pass init_scale on: initialize_parameters(n_x, n_h, n_y, "
                        "init_scale=init_scale).")
        diagnoses.parameters(check, "with num_iterations=0, the parameters", params, want,
                             f"before any iteration, nn_model returns the parameters of "
                             f"np.random.seed({NN_SEED}) (the given first line) followed by "
                             f"initialize_parameters(n_x, n_h, n_y, init_scale=init_scale), "
                             f"here init_scale={scale}.")
    if n == 1:
        twin = "relu" if name == "tanh" else "tanh"
        other = _stored(case, activation=None if twin == "tanh" else twin)
        check.true(other is None or not all(
            np.allclose(np.asarray(params[k], float), other[k]) for k in PARAMETERS),
            f"with activation={name!r}, the parameters after one iteration are what "
            f"activation={twin!r} gives.",
            "pass activation on: forward_propagation(X, parameters, activation=activation) and "
            "backward_propagation(..., activation=activation).")
        diagnoses.step(check, "after one iteration, the parameters", params,
                       _stored(case, num_iterations=0, activation=None), want, rate, PARAMETERS)
    diagnoses.parameters(check, "the trained parameters", params, want,
                         f"nn_model calls np.random.seed({NN_SEED}), then your "
                         "initialize_parameters with init_scale, and loops forward, cost, "
                         "backward, update with the given activation and learning_rate. Make the "
                         "checks above pass first.", context)


PREDICT = "predict(parameters, X, *, activation='tanh')"


@WEEK.exercise(PREDICT, [
    {"parameters": P_SMALL, "X": X_SMALL},
    {"parameters": P_PREDICT, "X": X_PREDICT, "activation": "relu"},
    {"parameters": P_PREDICT, "X": X_PREDICT, "activation": "sigmoid"}], hints=_hints(PREDICT))
def check_predict(check, case, pred, want):
    check.is_array("predictions", pred)
    check.shape("predictions", pred, (1, case["X"].shape[1]))
    zeros_and_ones = pred.dtype != bool and np.isin(pred, (0, 1)).all()
    check.true(pred.dtype == bool,
               f"predictions must be booleans (True/False), but have dtype {pred.dtype}"
               + (" (0s and 1s)." if zeros_and_ones else f": {show(pred)}."),
               "unlike week 1's predict, this week's returns the booleans of A2 > 0.5: drop "
               ".astype(float)." if zeros_and_ones else
               "return the comparison A2 > 0.5 itself, not the probabilities A2.")
    check.true(np.array_equal(pred, want),
               f"predictions (activation={case.given('activation')!r}) are wrong: expected "
               f"{want.astype(int).tolist()}, got {np.asarray(pred).astype(int).tolist()}.",
               "run forward_propagation with the same activation and threshold A2 > 0.5.")


CHECKS = WEEK.exercises
