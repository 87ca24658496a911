"""Visible checks for week 2 (a network with one hidden layer). `initialize_parameters` must not
seed itself (week 3's does); nn_model's case num_iterations=0 stores its one-step cases' start."""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS, logistic
from . import diagnoses
from .cases import grid, labels, parameters
from .core import show
from .exercise import Week

WEEK = Week("week2")
ACTIVATION_NAMES = ["tanh", "relu", "sigmoid", "leaky_relu"]
DERIVATIVES = {"tanh": "1 - A1**2 (or 1 - np.power(A1, 2))", "relu": "(Z1 > 0)",
               "sigmoid": "A1 * (1 - A1)", "leaky_relu": "1 where Z1 > 0, else 0.01"}
PARAMETERS = ["W1", "b1", "W2", "b2"]
INITIALIZE_SEED = 2
NN_SEED = 3  # the given first line of nn_model


def _cache(activation: str, n_h: int, m: int, seed: int) -> dict:
    """A cache from random Z1, Z2 and the given helpers: a backward that redoes forward fails."""
    Z1, Z2 = grid(n_h, m, seed), grid(1, m, seed + 1)
    return {"Z1": Z1, "A1": ACTIVATIONS[activation][0](Z1), "Z2": Z2, "A2": logistic(Z2)}


X_SMALL, Y_SMALL = grid(3, 7, 1), labels(7, 2)
P_SMALL = parameters([3, 4, 1], 10, 0.5, 0.1)
X_PLANE = grid(2, 30, 3, 1.5)
Y_PLANE = (X_PLANE[0:1] * X_PLANE[1:2] > 0).astype(float)  # XOR-like: needs a hidden layer
P_PREDICT, X_PREDICT = parameters([3, 4, 1], 54, 1.5, 0.1), grid(3, 9, 61, 1.5)
ONE_STEP = {"X": X_PLANE, "Y": Y_PLANE, "n_h": 3, "init_scale": 0.5, "learning_rate": 0.3}


@WEEK.exercise("layer_sizes(X, Y)", [{"X": grid(5, 3, 4), "Y": grid(2, 3, 5)},
                                     {"X": X_PLANE, "Y": Y_PLANE}])
def check_layer_sizes(check, case, sizes, want):
    sizes = diagnoses.returns(check, sizes, "n_x, n_h, n_y", tuple_only=True)
    check.true(tuple(int(s) for s in sizes) == tuple(want), f"for X of shape {case['X'].shape} and "
               f"Y of shape {case['Y'].shape}, expected {tuple(want)}, got {tuple(sizes)}.",
               "n_x = X.shape[0] (features, not examples), n_h = 4, n_y = Y.shape[0].")


@WEEK.exercise("initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01)",
               [{"n_x": 2, "n_h": 4, "n_y": 1}, {"n_x": 3, "n_h": 5, "n_y": 2, "init_scale": 0.5}],
               seed=INITIALIZE_SEED)
def check_initialize_parameters(check, case, params, want):
    dims, scale = [case["n_x"], case["n_h"], case["n_y"]], case.given("init_scale")
    diagnoses.initial_parameters(check, "parameters", params, dims, names=["n_x", "n_h", "n_y"])
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
    diagnoses.parameters(check, "parameters", params, want, "use np.random.randn (normal, not "
                         "uniform) scaled by init_scale, and draw W1 before W2.")


@WEEK.exercise("forward_propagation(X, parameters, *, activation='tanh')", [
    {"X": X_SMALL, "parameters": P_SMALL, "activation": a} for a in ACTIVATION_NAMES],
    hints={"not aligned": "Z1 = np.dot(W1, X) + b1, W1 (n_h, n_x) times X (n_x, m), and Z2 = "
                          "np.dot(W2, A1) + b2, W2 (n_y, n_h) times A1 (n_h, m): the weights "
                          "come first, with no transpose (W1 @ X is the same product)."})
def check_forward_propagation(check, case, out, want):
    name = case.given("activation")
    A2, cache = diagnoses.returns(check, out, "A2, cache")
    check.shape("A2", A2, (1, case["X"].shape[1]),
                "A2 = sigmoid(W2 A1 + b2) has one column per example.")
    check.keys("cache", cache, ["Z1", "A1", "Z2", "A2"])
    for key, hint in (("Z1", "Z1 = np.dot(W1, X) + b1."),
                      ("A1", f"A1 = g(Z1) with the hidden activation g = {name}: use the "
                             "`activation` argument, e.g. g, _ = ACTIVATIONS[activation].")):
        check.close(f"cache['{key}'] (activation={name!r})", cache[key], want[1][key], hint)
    check.close("A2", A2, want[0], "the output layer is always a sigmoid: A2 = sigmoid(Z2).")


@WEEK.exercise("compute_cost(A2, Y)", [
    {"A2": np.array([[0.5002307, 0.49985831, 0.50023963]]), "Y": np.array([[1.0, 0.0, 0.0]])},
    {"A2": np.abs(grid(1, 9, 6)) % 0.98 + 0.01, "Y": labels(9, 7)}],
    hints=diagnoses.row_product_hints("A2"))
def check_compute_cost(check, case, cost, want):
    check.python_float("cost", cost, "np.dot gives a (1, 1) array: return float(np.squeeze(cost)).")
    diagnoses.cross_entropy(check, "cost", cost, want, case["A2"], case["Y"])


@WEEK.exercise("backward_propagation(parameters, cache, X, Y, *, activation='tanh')", [
    {"parameters": P_SMALL, "cache": _cache(a, 4, 7, 40), "X": X_SMALL, "Y": Y_SMALL,
     "activation": a} for a in ACTIVATION_NAMES],
    hints={"not aligned": "dZ1 = np.dot(W2.T, dZ2) * g'(Z1): W2.T (n_h, n_y) times dZ2 "
                          "(n_y, m) is (n_h, m), and the product with g'(Z1) is element-wise "
                          "(*), not np.dot. dW2 = np.dot(dZ2, A1.T) / m and dW1 = "
                          "np.dot(dZ1, X.T) / m."})
def check_backward_propagation(check, case, grads, want):
    name, m = case.given("activation"), case["X"].shape[1]
    check.keys("grads", grads, ["dW1", "db1", "dW2", "db2"])
    for l, dZ, A in ((2, "dZ2 = A2 - Y", "A1"),
                     (1, f"dZ1 = W2^T dZ2 * g'(Z1), and for {name} g'(Z1) = {DERIVATIVES[name]}",
                      "X")):
        label = f" (activation={name!r})" if l == 1 else ""
        check.close(f"grads['dW{l}']{label}", grads[f"dW{l}"], want[f"dW{l}"], m=m,
                    hint=f"{dZ}; dW{l} = (1/m) np.dot(dZ{l}, {A}.T) has the shape of W{l}.")
        diagnoses.bias_gradient(check, f"grads['db{l}']{label}", grads[f"db{l}"], want[f"db{l}"],
                                m, dZ=f"dZ{l}", b=f"b{l}")


@WEEK.exercise("update_parameters(parameters, grads, learning_rate=1.2)", [
    {"parameters": P_SMALL, "grads": parameters([3, 4, 1], 20, 0.5, 0.1, "d")},
    {"parameters": P_SMALL, "grads": parameters([3, 4, 1], 30, 0.5, 0.1, "d"),
     "learning_rate": 0.05}])
def check_update_parameters(check, case, params, want):
    lr = case.given("learning_rate")
    diagnoses.step(check, "the new parameters", params, case["parameters"], want, lr, PARAMETERS,
                   "update all four, W1, b1, W2 and b2: ")
    diagnoses.parameters(check, "the new parameters", params, want, "W = W - learning_rate * dW "
                         f"with learning_rate={lr} (the default is 1.2), for W1, b1, W2 and b2.")


@WEEK.exercise("nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, *, "
               "activation='tanh', init_scale=0.01, learning_rate=1.2)", [
    {**ONE_STEP, "num_iterations": 0}, {**ONE_STEP, "num_iterations": 1},
    {**ONE_STEP, "num_iterations": 1, "activation": "relu"},
    {"X": X_PLANE, "Y": Y_PLANE, "n_h": 4, "num_iterations": 300},
    {**ONE_STEP, "num_iterations": 200, "activation": "relu"}], seed=0)  # nn_model's seed wins
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
        twin = case.gives(params, "activation")
        check.true(twin is None, f"with activation={name!r}, the parameters after one iteration "
                                 f"are what activation={twin!r} gives.",
                   "pass activation on: forward_propagation(X, parameters, activation=activation) "
                   "and backward_propagation(..., activation=activation).")
        diagnoses.step(check, "after one iteration, the parameters", params,
                       case.stored(num_iterations=0, activation="tanh"), want, rate, PARAMETERS)
    diagnoses.parameters(check, "the trained parameters", params, want,
                         f"nn_model calls np.random.seed({NN_SEED}), then your "
                         "initialize_parameters with init_scale, and loops forward, cost, "
                         "backward, update with the given activation and learning_rate. Make the "
                         "checks above pass first.", context)


@WEEK.exercise("predict(parameters, X, *, activation='tanh')", [
    {"parameters": P_SMALL, "X": X_SMALL},
    *({"parameters": P_PREDICT, "X": X_PREDICT, "activation": a} for a in ("relu", "sigmoid"))])
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
