"""Visible checks for week 1 (numpy warm-up and logistic regression)."""

from __future__ import annotations

import numpy as np

from ..activations import logistic
from . import diagnoses
from .cases import grid, labels
from .core import Check, Upstream
from .exercise import Week

WEEK = Week("week1")


def _training_set(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A linearly separable-ish set, so gradient descent has something to learn."""
    X = grid(n, m, seed)
    return X, (X[:1] + 0.5 * X[1:2] > 0).astype(float)


SMALL = {"w": np.array([[1.0], [2.0]]), "b": 1.5,
         "X": np.array([[1.0, -2.0, -1.0], [3.0, 0.5, -3.2]]), "Y": np.array([[1.0, 1.0, 0.0]])}
X_LEARN, Y_LEARN = _training_set(4, 12, 16)
(X_TRAIN, Y_TRAIN), (X_TEST, Y_TEST) = _training_set(4, 30, 20), _training_set(4, 10, 21)
MATH_EXP = "math.exp works on one number only: use np.exp for arrays."
N_MODEL = X_TRAIN.shape[0]
SQUARE_W = (f"w reached predict as a {(N_MODEL, N_MODEL)} matrix ({N_MODEL * N_MODEL} entries): "
            f"a rank-1 w, shape {(N_MODEL,)}, minus the column learning_rate * dw, "
            f"{(N_MODEL, 1)}, broadcasts to {(N_MODEL, N_MODEL)}. initialize_with_zeros must "
            "return w as a column, np.zeros((dim, 1)): run its check.")


@WEEK.exercise("basic_sigmoid(x)", [{"x": 1.0}, {"x": 0.0}, {"x": -2.5}, {"x": 3.7}])
def check_basic_sigmoid(check, case, s, want):
    check.python_float(f"basic_sigmoid({case['x']})", s,
                       "math.exp returns a Python float; do not wrap it in an array.")
    check.close(f"basic_sigmoid({case['x']})", s, want,
                "sigmoid(x) = 1 / (1 + exp(-x)): check the minus sign and the 1 +.")


@WEEK.exercise("sigmoid(x)", [{"x": np.array([1, 2, 3])}, {"x": grid(3, 4, 1, 3.0)},
                              {"x": np.array([[0.0]])}],
               hints={"only length-1 arrays": MATH_EXP, "only 0-dimensional": MATH_EXP})
def check_sigmoid(check, case, s, want):
    check.is_array("sigmoid(x)", s, "use np.exp so the function works element-wise.")
    check.close(f"sigmoid of an array of shape {case['x'].shape}", s, want,
                "sigmoid(x) = 1 / (1 + np.exp(-x)), element by element.")


@WEEK.exercise("sigmoid_derivative(x)", [{"x": np.array([1, 2, 3])}, {"x": grid(3, 4, 2, 2.0)}])
def check_sigmoid_derivative(check, case, ds, want):
    x = case["x"]
    if np.shape(ds) == want.shape:
        check.true(not np.allclose(np.asarray(ds, dtype=float), x * (1 - x)),
                   "sigmoid_derivative returned x * (1 - x).",
                   "the formula s * (1 - s) uses s = sigmoid(x), not x itself.")
    check.close(f"sigmoid_derivative of an array of shape {x.shape}", ds, want,
                "compute s = sigmoid(x) first, then return s * (1 - s).")


@WEEK.exercise("image2vector(image)", [{"image": np.arange(18, dtype=float).reshape(3, 3, 2) / 17},
                                       {"image": grid(4, 15, 3).reshape(4, 5, 3)}])
def check_image2vector(check, case, v, want):
    a, b, c = case["image"].shape
    check.is_array("image2vector(image)", v)
    check.shape(f"image2vector of an image of shape {(a, b, c)}", v, (a * b * c, 1),
                f"image.reshape(a * b * c, 1) gives the column ({a * b * c}, 1).")
    check.close(f"image2vector of an image of shape {(a, b, c)}", v, want,
                "use image.reshape(a * b * c, 1) without transposing first, so the values "
                "keep numpy's default (C) order.")


@WEEK.exercise("normalize_rows(x)", [{"x": np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])},
                                     {"x": grid(4, 3, 4)}, {"x": grid(3, 3, 5)}])
def check_normalize_rows(check, case, out, want):
    x = case["x"]
    check.shape(f"normalize_rows of a {x.shape} matrix", out, x.shape,
                "divide x by its row norms; keep x's shape (use keepdims=True).")
    got = np.asarray(out, dtype=float)
    if np.allclose(np.linalg.norm(got, axis=0), 1) and not np.allclose(
            np.linalg.norm(got, axis=1), 1):
        check.fail("every column has length 1, but every ROW should.",
                   "compute the norm with axis=1 (across each row), keepdims=True.")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    slips = [(x / norms ** 2, "each row was divided by its sum of squares, not by its length.",
              "a row's length is the square root of its sum of squares: "
              "np.linalg.norm(x, axis=1, keepdims=True)."),
             (x / np.linalg.norm(x), "every row was divided by the same number, the length of "
              "the whole matrix.", "pass axis=1 (and keepdims=True) for one norm per row.")]
    if x.shape[0] == x.shape[1]:  # only a square x lets rank-1 norms broadcast
        slips.append((x / norms.T, "each column was divided by the norm of a row: the norms "
                      "broadcast along the wrong axis.", "keep them a column with "
                      "keepdims=True: np.linalg.norm(x, axis=1, keepdims=True)."))
    for wrong, message, hint in slips:
        if not np.allclose(wrong, want) and np.allclose(got, wrong):
            check.fail(message, hint)
    check.close(f"normalize_rows of a {x.shape} matrix", out, want,
                "x_normalized = x / np.linalg.norm(x, axis=1, keepdims=True).")


@WEEK.exercise("softmax(x)", [{"x": np.array([[9., 2., 5., 0., 0.], [7., 5., 0., 0., 0.]])},
                              {"x": grid(3, 4, 6)}, {"x": grid(3, 3, 7)}])
def check_softmax(check, case, out, want):
    x = case["x"]
    check.shape(f"softmax of a {x.shape} matrix", out, x.shape)
    got = np.asarray(out, dtype=float)
    if np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=1), 1):
        check.fail("every column sums to 1, but softmax here works on ROWS.",
                   "sum the exponentials with axis=1 and keepdims=True.")
    check.true(np.allclose(got.sum(axis=1), 1), "the rows of softmax(x) must each sum to 1; they "
               f"sum to {np.round(got.sum(axis=1), 4).tolist()}.",
               "divide x_exp by np.sum(x_exp, axis=1, keepdims=True), the sum of its own row.")
    check.close(f"softmax of a {x.shape} matrix", out, want,
                "apply np.exp to x first, then divide each row by its sum.")


def _loss(name: str, seed: int, formula: str):
    """The check of a loss summed over all entries; `formula` is its hint."""
    cases = [{"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1., 0., 0., 1., 1.])},
             {"yhat": np.abs(grid(1, 7, seed)[0]) % 1, "y": labels(7, seed + 1)[0]}]

    def check_loss(check, case, loss, want):
        check.scalar(f"{name}(yhat, y)", loss, "the loss is one number: sum over all entries.")
        m = case["y"].size
        hint = (f"{formula}. A mean instead of a sum is {m} times too small."
                if np.isclose(float(loss) * m, want) else formula)
        check.close(f"{name}(yhat, y)", loss, want, hint)
    return WEEK.exercise(f"{name}(yhat, y)", cases)(check_loss)


check_L1 = _loss("L1", 8, "L1 = sum over i of |y(i) - yhat(i)|: take np.abs before np.sum")
check_L2 = _loss("L2", 10, "L2 = sum over i of (y(i) - yhat(i))^2: square, sum, no square root")


@WEEK.exercise("initialize_with_zeros(dim)", [{"dim": 2}, {"dim": 7}])
def check_initialize_with_zeros(check, case, out, _):
    w, b = diagnoses.returns(check, out, "w, b")
    check.is_array("w", w)
    check.shape("w", w, (case["dim"], 1), "w is a column vector: np.zeros((dim, 1)).")
    check.true(np.issubdtype(w.dtype, np.floating),
               f"w has dtype {w.dtype}, but it must hold floats.",
               "np.zeros gives floats by default; do not pass dtype=int.")
    check.true(not np.any(w), "w must be all zeros.")
    check.python_float("b", b, "write b = 0.0 (a float), not b = 0 (an int).")
    check.true(b == 0.0, f"b must be 0.0, but it is {b}.")


def _check_grads(check: Check, grads, w, want, m) -> None:
    check.keys("grads", grads, ["dw", "db"])
    square = np.shape(grads["dw"]) == (w.shape[0],) * 2
    check.shape("grads['dw']", grads["dw"], w.shape,
                None if square else f"dw must have the shape of w, {w.shape}. In "
                "dw = (1/m) X (A - Y)^T the transpose belongs on (A - Y).")
    check.close("grads['dw']", grads["dw"], want["dw"], m=m)
    check.scalar("grads['db']", grads["db"],
                 "db = (1/m) * np.sum(A - Y) is one number; do not use keepdims here.")
    check.close("grads['db']", grads["db"], want["db"], m=m)


@WEEK.exercise("propagate(w, b, X, Y)", [
    SMALL, {"w": grid(4, 1, 12, 0.5), "b": -0.3, "X": grid(4, 7, 13), "Y": labels(7, 14)}],
    hints={"not aligned": "a matrix product got shapes that do not fit. w is (n_x, 1) and X is "
                          "(n_x, m), so z = np.dot(w.T, X) + b (or w.T @ X + b), and "
                          "dw = np.dot(X, (A - Y).T) / m."})
def check_propagate(check, case, out, want):
    grads, cost = diagnoses.returns(check, out, "grads, cost")
    w, b, X, Y = case["w"], case["b"], case["X"], case["Y"]
    n, m = X.shape
    if isinstance(grads, dict) and np.shape(grads.get("dw")) == (n, n):
        entrywise = X @ (logistic(w * X + b) - Y).T / m  # A from w * X: (n_x, m)
        check.true(not np.allclose(np.asarray(grads["dw"], dtype=float), entrywise),
                   f"grads['dw'] has shape {(n, n)}, because A came out {(n, m)} instead of "
                   f"(1, m) = {(1, m)}.",
                   "w * X multiplies entry by entry and sums nothing; the sum over the features "
                   "is the matrix product: z = np.dot(w.T, X) + b (or w.T @ X + b).")
    _check_grads(check, grads, w, want[0], m)
    check.scalar("cost", cost, "squeeze the cost: cost = np.squeeze(np.array(cost)).")
    diagnoses.cross_entropy(check, "cost", cost, want[1], logistic(w.T @ X + b), Y)


@WEEK.exercise(
    "optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False)", [
        {**SMALL, "num_iterations": 1, "learning_rate": 0.05},
        {**SMALL, "num_iterations": 201, "learning_rate": 0.009},
        {"w": grid(4, 1, 15, 0.1), "b": 0.0, "X": X_LEARN, "Y": Y_LEARN, "num_iterations": 150,
         "learning_rate": 0.3}])
def check_optimize(check, case, out, want):
    params, grads, costs = diagnoses.returns(check, out, "params, grads, costs")
    want_params, want_grads, want_costs = want
    check.keys("params", params, ["w", "b"])
    check.shape("params['w']", params["w"], case["w"].shape,
                f"w keeps the shape of the w it was given, {case['w'].shape}.")
    if case["num_iterations"] == 1:
        diagnoses.step(check, "after one iteration, params", params, case, want_params,
                       case["learning_rate"], ["w"])
    check.close("params['w']", params["w"], want_params["w"], "update w = w - learning_rate * dw "
                "on every iteration, with the learning_rate argument (not a fixed number). "
                "optimize calls your propagate, so make check_propagate pass first.")
    check.true(not (np.isclose(float(np.asarray(params["b"])), case["b"])
                    and not np.isclose(want_params["b"], case["b"])),
               "params['b'] never changed.", "update b = b - learning_rate * db as well.")
    check.close("params['b']", params["b"], want_params["b"],
                "update b = b - learning_rate * db on every iteration.")
    _check_grads(check, grads, case["w"], want_grads, case["X"].shape[1])
    diagnoses.costs(check, costs, want_costs, case["num_iterations"],
                    "append the cost returned by propagate at iterations 0, 100, 200, ...")


@WEEK.exercise("predict(w, b, X)", [
    {"w": np.array([[0.1124579], [0.23106775]]), "b": -0.3,
     "X": np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])},
    {"w": np.zeros((3, 1)), "b": 0.0, "X": grid(3, 4, 17)},
    {"w": grid(5, 1, 18), "b": 0.2, "X": grid(5, 9, 19)}])
def check_predict(check, case, pred, want):
    check.is_array("predictions", pred)
    check.shape("predictions", pred, (1, case["X"].shape[1]),
                "Y_prediction has one column per example: shape (1, m).")
    got = np.asarray(pred, dtype=float)
    odd = np.unique(got[(got != 0) & (got != 1)])
    check.true(not odd.size, "predictions must be 0 or 1, but they include "
               f"{', '.join(f'{v:.3g}' for v in odd[:3])}.",
               "convert probabilities to labels: 1 where A > 0.5, else 0.")
    z = case["w"].T @ case["X"] + case["b"]
    wrong = got != want
    if np.any(wrong) and np.all(np.isclose(z[wrong], 0)):
        check.fail("predicted 1 where A = 0.5 exactly.",
                   "the threshold is strict: A = 0.5 is predicted as 0 (use A > 0.5).")
    if np.any(wrong) and np.all(wrong):
        check.fail("every prediction is flipped.", "predict 1 when A > 0.5, not below it.")
    check.close("predictions", pred, want)


@WEEK.exercise("model(X_train, Y_train, X_test, Y_test, num_iterations=2000, "
               "learning_rate=0.5, print_cost=False)", [
    {"X_train": X_TRAIN, "Y_train": Y_TRAIN, "X_test": X_TEST, "Y_test": Y_TEST,
     "num_iterations": 250, "learning_rate": 0.05}],
    hints={f"array of size {N_MODEL * N_MODEL} into shape ({N_MODEL},1)": Upstream(SQUARE_W)})
def check_model(check, case, d, want):
    check.keys("the returned dict", d, ["costs", "Y_prediction_test", "Y_prediction_train", "w",
                                        "b", "learning_rate", "num_iterations"])
    check.true(all(d[k] == case[k] for k in ("learning_rate", "num_iterations")),
               "the dict must record the learning_rate and num_iterations it was given.")
    n = case["X_train"].shape[0]
    check.shape("w", d["w"], (n, 1), None if np.shape(d["w"]) == (n, n) else
                "initialize w with X_train.shape[0] rows.")
    check.shape("Y_prediction_train", d["Y_prediction_train"], case["Y_train"].shape)
    check.shape("Y_prediction_test", d["Y_prediction_test"], case["Y_test"].shape,
                "predict the test set with X_test.")
    check.close("costs", np.ravel(np.asarray(d["costs"], dtype=float)), want["costs"],
                "pass num_iterations and learning_rate on to optimize; do not rely on "
                "its defaults.")
    for key in ("w", "b", "Y_prediction_train"):
        check.close(key, d[key], want[key])
    check.close("Y_prediction_test", d["Y_prediction_test"], want["Y_prediction_test"],
                "predict the test set with the trained w and b.")


CHECKS = WEEK.exercises
