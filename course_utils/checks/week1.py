"""Visible checks for week 1 (numpy warm-up and logistic regression).

Each `check_<name>(fn)` runs the learner's function on fixed inputs (`CASES`) and compares the
results with the stored expected values; it prints one line when all is well and raises
`CheckFailed` with a hint otherwise.
"""

from __future__ import annotations

import numpy as np

from .cases import grid, labels, stored_cases
from .core import Check

WEEK = "week1"


def _training_set(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A linearly separable-ish set, so gradient descent has something to learn."""
    X = grid(n, m, seed)
    Y = (X[:1] + 0.5 * X[1:2] > 0).astype(float)
    return X, Y


CASES: dict[str, list[dict]] = {
    "basic_sigmoid": [{"x": 1.0}, {"x": 0.0}, {"x": -2.5}, {"x": 3.7}],
    "sigmoid": [{"x": np.array([1, 2, 3])}, {"x": grid(3, 4, 1, 3.0)}, {"x": np.array([[0.0]])}],
    "sigmoid_derivative": [{"x": np.array([1, 2, 3])}, {"x": grid(3, 4, 2, 2.0)}],
    "image2vector": [
        {"image": np.arange(18, dtype=float).reshape(3, 3, 2) / 17},
        {"image": grid(4, 15, 3).reshape(4, 5, 3)},
    ],
    "normalize_rows": [
        {"x": np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])},
        {"x": grid(4, 3, 4)},
        {"x": grid(3, 3, 5)},
    ],
    "softmax": [
        {"x": np.array([[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]])},
        {"x": grid(3, 4, 6)},
        {"x": grid(3, 3, 7)},
    ],
    "L1": [
        {"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])},
        {"yhat": np.abs(grid(1, 7, 8)[0]) % 1, "y": labels(7, 9)[0]},
    ],
    "L2": [
        {"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])},
        {"yhat": np.abs(grid(1, 7, 10)[0]) % 1, "y": labels(7, 11)[0]},
    ],
    "initialize_with_zeros": [{"dim": 2}, {"dim": 7}],
    "propagate": [
        {"w": np.array([[1.0], [2.0]]), "b": 1.5,
         "X": np.array([[1.0, -2.0, -1.0], [3.0, 0.5, -3.2]]), "Y": np.array([[1.0, 1.0, 0.0]])},
        {"w": grid(4, 1, 12, 0.5), "b": -0.3, "X": grid(4, 7, 13), "Y": labels(7, 14)},
    ],
    "optimize": [
        {"w": np.array([[1.0], [2.0]]), "b": 1.5,
         "X": np.array([[1.0, -2.0, -1.0], [3.0, 0.5, -3.2]]), "Y": np.array([[1.0, 1.0, 0.0]]),
         "num_iterations": 1, "learning_rate": 0.05},
        {"w": np.array([[1.0], [2.0]]), "b": 1.5,
         "X": np.array([[1.0, -2.0, -1.0], [3.0, 0.5, -3.2]]), "Y": np.array([[1.0, 1.0, 0.0]]),
         "num_iterations": 201, "learning_rate": 0.009},
        {"w": grid(4, 1, 15, 0.1), "b": 0.0, "X": _training_set(4, 12, 16)[0],
         "Y": _training_set(4, 12, 16)[1], "num_iterations": 150, "learning_rate": 0.3},
    ],
    "predict": [
        {"w": np.array([[0.1124579], [0.23106775]]), "b": -0.3,
         "X": np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])},
        {"w": np.zeros((3, 1)), "b": 0.0, "X": grid(3, 4, 17)},
        {"w": grid(5, 1, 18), "b": 0.2, "X": grid(5, 9, 19)},
    ],
    "model": [
        {"X_train": _training_set(4, 30, 20)[0], "Y_train": _training_set(4, 30, 20)[1],
         "X_test": _training_set(4, 10, 21)[0], "Y_test": _training_set(4, 10, 21)[1],
         "num_iterations": 250, "learning_rate": 0.05},
    ],
}


def _run(name: str):
    """(check, case, expected output) for every stored case of `name`."""
    return stored_cases(WEEK, name, CASES[name])




# -- warm-up ------------------------------------------------------------------------------
def check_basic_sigmoid(basic_sigmoid) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("basic_sigmoid"):
        s = check.call(basic_sigmoid, **case)
        check.python_float(f"basic_sigmoid({case['x']})", s,
                           "math.exp returns a Python float; do not wrap it in an array.")
        check.close(f"basic_sigmoid({case['x']})", s, want,
                    "sigmoid(x) = 1 / (1 + exp(-x)): check the minus sign and the 1 +.")
    check.done()


def check_sigmoid(sigmoid) -> None:
    __tracebackhide__ = True
    hints = {"only length-1 arrays": "math.exp works on one number only: use np.exp for arrays.",
             "only 0-dimensional": "math.exp works on one number only: use np.exp for arrays."}
    for check, case, want in _run("sigmoid"):
        s = check.call(sigmoid, exception_hints=hints, **case)
        check.is_array("sigmoid(x)", s, "use np.exp so the function works element-wise.")
        check.close(f"sigmoid of an array of shape {case['x'].shape}", s, want,
                    "sigmoid(x) = 1 / (1 + np.exp(-x)), element by element.")
    check.done()


def check_sigmoid_derivative(sigmoid_derivative) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("sigmoid_derivative"):
        ds = check.call(sigmoid_derivative, **case)
        got = np.asarray(ds, dtype=float)
        if got.shape == want.shape:
            x = case["x"]
            check.true(not np.allclose(got, x * (1 - x)),
                       "sigmoid_derivative returned x * (1 - x).",
                       "the formula s * (1 - s) uses s = sigmoid(x), not x itself.")
        check.close(f"sigmoid_derivative of an array of shape {case['x'].shape}", ds, want,
                    "compute s = sigmoid(x) first, then return s * (1 - s).")
    check.done()


def check_image2vector(image2vector) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("image2vector"):
        a, b, c = case["image"].shape
        v = check.call(image2vector, **case)
        check.is_array("image2vector(image)", v)
        check.shape(f"image2vector of an image of shape {(a, b, c)}", v, (a * b * c, 1),
                    f"reshape to (a*b*c, 1) = ({a * b * c}, 1): a column vector, not a rank-1 "
                    "array or a row.")
        check.close(f"image2vector of an image of shape {(a, b, c)}", v, want,
                    "use image.reshape(a * b * c, 1) without transposing first, so the values "
                    "keep numpy's default (C) order.")
    check.done()


def check_normalize_rows(normalize_rows) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("normalize_rows"):
        x = case["x"]
        out = check.call(normalize_rows, **case)
        check.shape(f"normalize_rows of a {x.shape} matrix", out, x.shape,
                    "divide x by its row norms; keep x's shape (use keepdims=True).")
        got = np.asarray(out, dtype=float)
        col_norms = np.linalg.norm(got, axis=0)
        if np.allclose(col_norms, 1) and not np.allclose(np.linalg.norm(got, axis=1), 1):
            check.fail("every column has length 1, but every ROW should.",
                       "compute the norm with axis=1 (across each row), keepdims=True.")
        check.close(f"normalize_rows of a {x.shape} matrix", out, want,
                    "x_normalized = x / np.linalg.norm(x, axis=1, keepdims=True): without "
                    "keepdims the norms broadcast along the wrong axis.")
    check.done()


def check_softmax(softmax) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("softmax"):
        x = case["x"]
        out = check.call(softmax, **case)
        check.shape(f"softmax of a {x.shape} matrix", out, x.shape)
        got = np.asarray(out, dtype=float)
        if np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=1), 1):
            check.fail("every column sums to 1, but softmax here works on ROWS.",
                       "sum the exponentials with axis=1 and keepdims=True.")
        check.true(np.allclose(got.sum(axis=1), 1),
                   f"the rows of softmax(x) must each sum to 1; they sum to "
                   f"{np.round(got.sum(axis=1), 4).tolist()}.",
                   "divide x_exp by np.sum(x_exp, axis=1, keepdims=True), the sum of its own row.")
        check.close(f"softmax of a {x.shape} matrix", out, want,
                    "apply np.exp to x first, then divide each row by its sum.")
    check.done()


def _check_loss(name: str, fn, formula: str) -> None:
    __tracebackhide__ = True
    for check, case, want in _run(name):
        loss = check.call(fn, **case)
        check.scalar(f"{name}(yhat, y)", loss, "the loss is one number: sum over all entries.")
        m = case["y"].size
        hint = (f"{formula}. A mean instead of a sum is {m} times too small."
                if np.isclose(float(loss) * m, want) else formula)
        check.close(f"{name}(yhat, y)", loss, want, hint)
    check.done()


def check_L1(L1) -> None:
    __tracebackhide__ = True
    _check_loss("L1", L1, "L1 = sum over i of |y(i) - yhat(i)|: take np.abs before np.sum")


def check_L2(L2) -> None:
    __tracebackhide__ = True
    _check_loss("L2", L2, "L2 = sum over i of (y(i) - yhat(i))^2: square, sum, no square root")


# -- logistic regression ------------------------------------------------------------------
def check_initialize_with_zeros(initialize_with_zeros) -> None:
    __tracebackhide__ = True
    for check, case, _ in _run("initialize_with_zeros"):
        dim = case["dim"]
        out = check.call(initialize_with_zeros, **case)
        check.true(isinstance(out, tuple) and len(out) == 2,
                   f"must return the pair (w, b), but returned {type(out).__name__}.")
        w, b = out
        check.is_array("w", w)
        check.shape("w", w, (dim, 1), "w is a column vector: np.zeros((dim, 1)).")
        check.true(np.issubdtype(w.dtype, np.floating),
                   f"w has dtype {w.dtype}, but it must hold floats.",
                   "np.zeros gives floats by default; do not pass dtype=int.")
        check.true(not np.any(w), "w must be all zeros.")
        check.python_float("b", b, "write b = 0.0 (a float), not b = 0 (an int).")
        check.true(b == 0.0, f"b must be 0.0, but it is {b}.")
    check.done()


def _check_grads(check: Check, grads, w, want, m) -> None:
    __tracebackhide__ = True
    check.keys("grads", grads, ["dw", "db"])
    check.shape("grads['dw']", grads["dw"], w.shape,
                f"dw must have the shape of w, {w.shape}. In dw = (1/m) X (A - Y)^T the "
                "transpose belongs on (A - Y).")
    check.close("grads['dw']", grads["dw"], want["dw"], m=m)
    check.scalar("grads['db']", grads["db"],
                 "db = (1/m) * np.sum(A - Y) is one number; do not use keepdims here.")
    check.close("grads['db']", grads["db"], want["db"], m=m)


def check_propagate(propagate) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("propagate"):
        m = case["X"].shape[1]
        out = check.call(propagate, **case)
        check.true(isinstance(out, tuple) and len(out) == 2,
                   "must return the pair (grads, cost).")
        grads, cost = out
        _check_grads(check, grads, case["w"], want[0], m)
        check.scalar("cost", cost, "squeeze the cost: cost = np.squeeze(np.array(cost)).")
        check.close("cost", cost, want[1], m=m)
    check.done()


def check_optimize(optimize) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("optimize"):
        m = case["X"].shape[1]
        out = check.call(optimize, **case)
        check.true(isinstance(out, tuple) and len(out) == 3,
                   "must return the triple (params, grads, costs).")
        params, grads, costs = out
        want_params, want_grads, want_costs = want
        n = case["num_iterations"]
        check.keys("params", params, ["w", "b"])
        if n == 1:
            _diagnose_one_step(check, case, params, want_params)
        check.close("params['w']", params["w"], want_params["w"],
                    "update w = w - learning_rate * dw on every iteration, with the "
                    "learning_rate argument (not a fixed number). optimize calls your "
                    "propagate, so make check_propagate pass first.")
        check.true(not (np.isclose(float(np.asarray(params["b"])), case["b"])
                        and not np.isclose(want_params["b"], case["b"])),
                   "params['b'] never changed.", "update b = b - learning_rate * db as well.")
        check.close("params['b']", params["b"], want_params["b"],
                    "update b = b - learning_rate * db on every iteration.")
        _check_grads(check, grads, case["w"], want_grads, m)
        check.true(isinstance(costs, list),
                   f"costs must be a list, but it is {type(costs).__name__}.")
        check.true(len(costs) == len(want_costs),
                   f"with num_iterations={n}, costs must hold {len(want_costs)} entries "
                   f"(iterations 0, 100, ...), but it holds {len(costs)}.",
                   "record the cost when i % 100 == 0, starting at i = 0.")
        check.close("costs", np.ravel(np.asarray(costs, dtype=float)), want_costs,
                    "append the cost returned by propagate at iterations 0, 100, 200, ...")
    check.done()


def _diagnose_one_step(check: Check, case, params, want_params) -> None:
    """After one iteration the update is exact, so a wrong step can be named."""
    __tracebackhide__ = True
    step = np.asarray(params["w"], float) - case["w"]
    want_step = np.asarray(want_params["w"]) - case["w"]
    if np.shape(step) != np.shape(want_step) or np.allclose(step, want_step):
        return
    if np.allclose(step, -want_step):
        check.fail("w moved uphill, away from the minimum.",
                   "gradient descent subtracts: w = w - learning_rate * dw.")
    ratio = float(np.sum(step * want_step) / np.sum(want_step * want_step))
    if np.allclose(step, ratio * want_step) and ratio > 0:
        check.fail(f"after one iteration, w moved {ratio:.3g} times as far as it should "
                   f"with learning_rate={case['learning_rate']}.",
                   "use the learning_rate argument in the update, not a fixed number.")
    check.ok()


def check_predict(predict) -> None:
    __tracebackhide__ = True
    for check, case, want in _run("predict"):
        m = case["X"].shape[1]
        pred = check.call(predict, **case)
        check.is_array("predictions", pred)
        check.shape("predictions", pred, (1, m),
                    "Y_prediction has one column per example: shape (1, m).")
        got = np.asarray(pred, dtype=float)
        check.true(np.all((got == 0) | (got == 1)),
                   f"predictions must be 0 or 1, but they include {show_some(got)}.",
                   "convert probabilities to labels: 1 where A > 0.5, else 0.")
        z = case["w"].T @ case["X"] + case["b"]
        wrong = got != want
        if np.any(wrong) and np.all(np.isclose(z[wrong], 0)):
            check.fail("predicted 1 where A = 0.5 exactly.",
                       "the threshold is strict: A = 0.5 is predicted as 0 (use A > 0.5).")
        if np.any(wrong) and np.all(wrong):
            check.fail("every prediction is flipped.", "predict 1 when A > 0.5, not below it.")
        check.close("predictions", pred, want)
    check.done()


def check_model(model) -> None:
    __tracebackhide__ = True
    keys = ["costs", "Y_prediction_test", "Y_prediction_train", "w", "b", "learning_rate",
            "num_iterations"]
    for check, case, want in _run("model"):
        d = check.call(model, **case)
        check.keys("the returned dict", d, keys)
        check.true(d["learning_rate"] == case["learning_rate"]
                   and d["num_iterations"] == case["num_iterations"],
                   "the dict must record the learning_rate and num_iterations it was given.")
        check.shape("w", d["w"], (case["X_train"].shape[0], 1),
                    "initialize w with X_train.shape[0] rows.")
        check.shape("Y_prediction_train", d["Y_prediction_train"], case["Y_train"].shape)
        check.shape("Y_prediction_test", d["Y_prediction_test"], case["Y_test"].shape,
                    "predict the test set with X_test.")
        check.close("costs", np.ravel(np.asarray(d["costs"], dtype=float)), want["costs"],
                    "pass num_iterations and learning_rate on to optimize; do not rely on "
                    "its defaults.")
        check.close("w", d["w"], want["w"])
        check.close("b", d["b"], want["b"])
        check.close("Y_prediction_train", d["Y_prediction_train"], want["Y_prediction_train"])
        check.close("Y_prediction_test", d["Y_prediction_test"], want["Y_prediction_test"],
                    "predict the test set with the trained w and b.")
    check.done()


def show_some(values: np.ndarray) -> str:
    odd = np.unique(values[(values != 0) & (values != 1)])
    return ", ".join(f"{v:.3g}" for v in odd[:3])


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items()
          if name.startswith("check_")}
