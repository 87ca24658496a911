"""The week 1 checks reject the unmodified stubs and the common mistakes, accept the solution,
and accept other correct implementations (another formula, a loop, `@` instead of np.dot)."""

from __future__ import annotations

import textwrap

import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks import week1 as checks
from tests.helpers import check_suite

SOLUTION = solution_namespace("week1")

# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("basic_sigmoid", "sign", "def basic_sigmoid(x): return 1 / (1 + math.exp(x))", "minus sign"),
    ("basic_sigmoid", "no 1+", "def basic_sigmoid(x): return 1 / math.exp(-x)", "wrong"),
    ("basic_sigmoid", "array", "def basic_sigmoid(x): return np.array(1 / (1 + math.exp(-x)))",
     "Python float"),
    ("basic_sigmoid", "returns nothing", "def basic_sigmoid(x): s = 1 / (1 + math.exp(-x))",
     "forget `return`"),
    ("sigmoid", "math.exp", "def sigmoid(x): return 1 / (1 + math.exp(-x))", "np.exp"),
    ("sigmoid", "sign", "def sigmoid(x): return 1 / (1 + np.exp(x))", "wrong"),
    ("sigmoid", "1 - exp", "def sigmoid(x): return 1 / (1 - np.exp(-x))", "wrong"),
    ("sigmoid", "mutates", "def sigmoid(x):\n    x *= -1\n    return 1 / (1 + np.exp(x))",
     "changed its input"),
    ("sigmoid_derivative", "uses x", "def sigmoid_derivative(x): return x * (1 - x)",
     "s = sigmoid(x)"),
    ("sigmoid_derivative", "returns s", "def sigmoid_derivative(x): return sigmoid(x)", "wrong"),
    ("sigmoid_derivative", "1 + s",
     "def sigmoid_derivative(x):\n    s = sigmoid(x)\n    return s * (1 + s)", "wrong"),
    ("image2vector", "rank-1", "def image2vector(image): return image.reshape(-1)", "rank-1"),
    ("image2vector", "row", "def image2vector(image): return image.reshape(1, -1)",
     "this is a row of 18 where a column of 18 is expected"),
    ("image2vector", "one value short",
     "def image2vector(image): return image.reshape(-1, 1)[:-1]",
     "a column of 17 where a column of 18 is expected"),
    ("image2vector", "transposed first", "def image2vector(image): return image.T.reshape(-1, 1)",
     "C) order"),
    ("image2vector", "fortran", "def image2vector(image): return image.reshape(-1, 1, order='F')",
     "wrong"),
    ("normalize_rows", "columns",
     "def normalize_rows(x): return x / np.linalg.norm(x, axis=0, keepdims=True)", "ROW"),
    ("normalize_rows", "no keepdims",
     "def normalize_rows(x): return x / np.linalg.norm(x, axis=1)", "keepdims"),
    ("normalize_rows", "whole matrix", "def normalize_rows(x): return x / np.linalg.norm(x)",
     "every row was divided by the same number"),
    ("normalize_rows", "no square root",
     "def normalize_rows(x): return x / np.sum(x ** 2, axis=1, keepdims=True)",
     "the square root of its sum of squares"),
    ("normalize_rows", "in place",
     "def normalize_rows(x):\n    x /= np.linalg.norm(x, axis=1, keepdims=True)\n    return x",
     "changed its input"),
    ("softmax", "columns",
     "def softmax(x): return np.exp(x) / np.sum(np.exp(x), axis=0, keepdims=True)", "ROWS"),
    ("softmax", "no keepdims", "def softmax(x): return np.exp(x) / np.sum(np.exp(x), axis=1)",
     "keepdims"),
    ("softmax", "whole sum", "def softmax(x): return np.exp(x) / np.sum(np.exp(x))", "sum to 1"),
    ("softmax", "no exp", "def softmax(x): return x / np.sum(x, axis=1, keepdims=True)", "np.exp"),
    ("L1", "mean", "def L1(yhat, y): return float(np.mean(np.abs(y - yhat)))", "mean"),
    ("L1", "no abs", "def L1(yhat, y): return float(np.sum(y - yhat))", "np.abs"),
    ("L1", "array", "def L1(yhat, y): return np.abs(y - yhat)", "one number"),
    ("L2", "norm", "def L2(yhat, y): return float(np.linalg.norm(y - yhat))", "no square root"),
    ("L2", "mean", "def L2(yhat, y): return float(np.mean((y - yhat) ** 2))", "mean"),
    ("L2", "no square", "def L2(yhat, y): return float(np.sum(y - yhat))", "square"),
    ("initialize_with_zeros", "rank-1 w",
     "def initialize_with_zeros(dim): return np.zeros(dim), 0.0", "rank-1"),
    ("initialize_with_zeros", "int b",
     "def initialize_with_zeros(dim): return np.zeros((dim, 1)), 0", "but it is an int."),
    ("initialize_with_zeros", "int w",
     "def initialize_with_zeros(dim): return np.zeros((dim, 1), dtype=int), 0.0", "floats"),
    ("initialize_with_zeros", "row w",
     "def initialize_with_zeros(dim): return np.zeros((1, dim)), 0.0",
     "this is a row of 2 where a column of 2 is expected"),
]

PROPAGATE = """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = {cost}
    dw = {dw}
    db = {db}
    return {{"dw": dw, "db": db}}, np.squeeze(np.array(cost))
"""
LOG_LIKELIHOOD = "Y * np.log(A) + (1 - Y) * np.log(1 - A)"
GOOD_COST = f"-np.sum({LOG_LIKELIHOOD}) / m"
GOOD_DW, GOOD_DB = "np.dot(X, (A - Y).T) / m", "np.sum(A - Y) / m"


def propagate_with(cost=GOOD_COST, dw=GOOD_DW, db=GOOD_DB) -> str:
    return PROPAGATE.format(cost=cost, dw=dw, db=db)


MISTAKES += [
    ("propagate", "dw transposed", propagate_with(dw="np.dot(A - Y, X.T) / m"),
     "transpose belongs on (A - Y)"),
    ("propagate", "dw missing 1/m", propagate_with(dw="np.dot(X, (A - Y).T)"), "1/m is missing"),
    ("propagate", "cost missing 1/m",
     propagate_with(cost=f"-np.sum({LOG_LIKELIHOOD})"), "1/m is missing"),
    ("propagate", "cost sign", propagate_with(cost=f"np.sum({LOG_LIKELIHOOD}) / m"),
     "sign is flipped"),
    ("propagate", "db keepdims", propagate_with(db="np.sum(A - Y, axis=1, keepdims=True) / m"),
     "one number"),
    ("propagate", "dw with sigmoid derivative", propagate_with(dw="np.dot(X, (A * (1 - A)).T) / m"),
     "wrong"),
    # an exercise's hint keyed "not aligned" answers np.dot's and @'s shape errors alike
    ("propagate", "np.dot without .T", propagate_with().replace("np.dot(w.T, X)", "np.dot(w, X)"),
     "w is (n_x, 1) and X is (n_x, m)"),
    ("propagate", "matmul without .T", propagate_with().replace("np.dot(w.T, X)", "w @ X"),
     "w is (n_x, 1) and X is (n_x, m)"),
    ("propagate", "dw matmul without .T", propagate_with(dw="X @ (A - Y) / m"),
     "dw = np.dot(X, (A - Y).T) / m"),
    ("propagate", "cost without the (1 - y) term",
     propagate_with(cost="-np.sum(Y * np.log(A)) / m"),
     "the (1 - y) log(1 - a) term is missing"),
    ("propagate", "cost without the y term",
     propagate_with(cost="-np.sum((1 - Y) * np.log(1 - A)) / m"), "the y log(a) term is missing"),
    ("propagate", "cost with y log(1 - a)",
     propagate_with(cost="-np.sum(Y * np.log(A) + Y * np.log(1 - A)) / m"), "(1 - y) log(1 - a)"),
    ("propagate", "squared-error cost", propagate_with(cost="np.mean((A - Y) ** 2)"),
     "squared error"),
    ("propagate", "w * X", propagate_with().replace("np.dot(w.T, X)", "w * X"),
     "w * X multiplies entry by entry"),
    ("propagate", "cost (1,1)",
     PROPAGATE.format(cost="-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m",
                      dw=GOOD_DW, db=GOOD_DB).replace("np.squeeze(np.array(cost))", "cost"),
     "squeeze"),
]

OPTIMIZE = """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    {copy}
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw, db = grads["dw"], grads["db"]
        {update}
        if {record}:
            costs.append(cost)
    return {{"w": w, "b": b}}, {{"dw": dw, "db": db}}, costs
"""


def step(w: str, b: str) -> str:
    """Two update lines, indented for the loop body of OPTIMIZE."""
    return f"{w}\n        {b}"


GOOD_STEP = step("w = w - learning_rate * dw", "b = b - learning_rate * db")


def optimize_with(copy="w = w.copy()", update=GOOD_STEP, record="i % 100 == 0") -> str:
    return OPTIMIZE.format(copy=copy, update=update, record=record)


MISTAKES += [
    ("optimize", "ascent",
     optimize_with(update=step("w = w + learning_rate * dw", "b = b + learning_rate * db")),
     "uphill"),
    ("optimize", "fixed rate",
     optimize_with(update=step("w = w - 0.009 * dw", "b = b - 0.009 * db")),
     "use the learning_rate argument"),
    ("optimize", "every iteration", optimize_with(record="True"), "i % 100 == 0"),
    ("optimize", "skips iteration 0", optimize_with(record="i % 100 == 99"), "i % 100 == 0"),
    ("optimize", "never records", optimize_with(record="False"), "hold 1 entry (iteration 0)"),
    ("optimize", "mutates w",
     optimize_with(copy="pass",
                   update=step("w -= learning_rate * dw", "b = b - learning_rate * db")),
     "changed its input `w`"),
    ("optimize", "no b update", optimize_with(update="w = w - learning_rate * dw"),
     "never changed"),
    ("optimize", "rank-1 dw",
     optimize_with(update=step("w = w - learning_rate * dw.ravel()", "b = b - learning_rate * db")),
     "is what broadcasting makes of a column and a row, or of a column and a rank-1 array"),
    ("predict", "probabilities",
     "def predict(w, b, X): return sigmoid(np.dot(w.T, X) + b)", "0 or 1"),
    ("predict", ">= threshold",
     "def predict(w, b, X): return (sigmoid(np.dot(w.T, X) + b) >= 0.5).astype(float)", "strict"),
    ("predict", "flipped",
     "def predict(w, b, X): return (sigmoid(np.dot(w.T, X) + b) < 0.5).astype(float)", "flipped"),
    ("predict", "rank-1",
     "def predict(w, b, X): return (sigmoid(np.dot(w.T, X) + b) > 0.5).astype(float).ravel()",
     "(1, m)"),
]

MODEL = """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
          print_cost=False):
    w, b = initialize_with_zeros({dim})
    params, grads, costs = optimize(w, b, X_train, Y_train, {passed})
    w, b = params["w"], params["b"]
    return {{"costs": costs, "Y_prediction_test": predict(w, b, {test_x}),
            "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}}
"""
GOOD_PASSED = "num_iterations, learning_rate, print_cost"


def model_with(dim="X_train.shape[0]", passed=GOOD_PASSED, test_x="X_test") -> str:
    return MODEL.format(dim=dim, passed=passed, test_x=test_x)


MISTAKES += [
    ("model", "optimize defaults", model_with(passed=""), "pass num_iterations"),
    ("model", "ignores learning rate", model_with(passed="num_iterations"), "pass num_iterations"),
    ("model", "predicts test on train", model_with(test_x="X_train"), "X_test"),
    ("model", "wrong dim", model_with(dim="X_train.shape[1]"), "raised ValueError"),
    ("model", "missing key", model_with().replace('"b": b,', ""), "missing the key"),
    ("model", "rank-1 w from initialize_with_zeros",
     "def initialize_with_zeros(dim): return np.zeros(dim), 0.0\n" + model_with(),
     "a rank-1 w, shape (4,), minus the column learning_rate * dw, (4, 1), broadcasts"),
]

# Advice a message must not give for these mistakes (it would send the learner elsewhere).
NOT_SAID = [
    ("initialize_with_zeros", "rank-1 w", "keepdims"),
    ("image2vector", "rank-1", "keepdims"),
    ("image2vector", "row", "order of the factors"),
    ("image2vector", "one value short", "np.dot"),
    ("initialize_with_zeros", "row w", "order of the factors"),
    ("model", "predicts test on train", "np.dot"),
    ("model", "rank-1 w from initialize_with_zeros", "make its check pass first"),
    ("normalize_rows", "no square root", "keepdims the norms"),
    ("normalize_rows", "whole matrix", "keepdims the norms"),
    ("propagate", "w * X", "transpose belongs on (A - Y)"),
    ("optimize", "rank-1 dw", "learning_rate argument"),
]

# Correct implementations that differ from the solution: every one must pass.
ALTERNATIVES = [
    ("basic_sigmoid", "def basic_sigmoid(x): return math.exp(x) / (1 + math.exp(x))"),
    ("sigmoid", "def sigmoid(x): return np.exp(x) / (1 + np.exp(x))"),
    ("sigmoid", "def sigmoid(z): return 1 / (1 + np.exp(-z))"),  # api.md's name for x
    ("sigmoid", "def sigmoid(x): return 0.5 * (1 + np.tanh(x / 2))"),
    ("sigmoid_derivative", "def sigmoid_derivative(x): return np.exp(-x) / (1 + np.exp(-x)) ** 2"),
    ("image2vector", "def image2vector(image): return image.flatten()[:, None]"),
    ("normalize_rows", "def normalize_rows(x): return x / np.sqrt((x * x).sum(1))[:, None]"),
    ("softmax", "def softmax(x):\n    e = np.exp(x - x.max(axis=1, keepdims=True))\n"
                "    return e / e.sum(axis=1, keepdims=True)"),
    ("L1", "def L1(yhat, y): return np.sum(np.abs(yhat - y))"),
    ("L2", "def L2(yhat, y): return sum((a - b) ** 2 for a, b in zip(y, yhat))"),
    ("L2", "def L2(yhat, y): return float((y - yhat) @ (y - yhat))"),
    ("initialize_with_zeros",
     "def initialize_with_zeros(dim): return np.zeros([dim, 1]), float(0)"),
    ("propagate", propagate_with(cost=f"-np.mean({LOG_LIKELIHOOD})",
                                 dw="X @ (A - Y).T / m", db="float(np.mean(A - Y))")),
    ("propagate", """
def propagate(w, b, X, Y):
    m = X.shape[1]
    dw, db, cost = np.zeros_like(w), 0.0, 0.0
    for i in range(m):
        a = 1 / (1 + np.exp(-(np.dot(w[:, 0], X[:, i]) + b)))
        cost -= (Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)) / m
        dw[:, 0] += X[:, i] * (a - Y[0, i]) / m
        db += (a - Y[0, i]) / m
    return {"dw": dw, "db": db}, cost
"""),
    ("optimize", optimize_with(copy="import copy; w = copy.deepcopy(w); b = copy.deepcopy(b)")),
    ("optimize", optimize_with().replace("num_iterations", "steps").replace("learning_rate", "lr")),
    ("predict", """
def predict(w, b, X):
    A = sigmoid(w.T @ X + b)
    out = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        out[0, i] = 1 if A[0, i] > 0.5 else 0
    return out
"""),
    ("predict", "def predict(w, b, X): return sigmoid(w.T @ X + b) > 0.5"),
    ("model", model_with()),
]


globals().update(check_suite("week1", MISTAKES, ALTERNATIVES))


@pytest.mark.parametrize(("name", "mistake", "phrase"), NOT_SAID,
                         ids=[f"{n}-{m}" for n, m, _ in NOT_SAID])
def test_a_hint_does_not_send_the_learner_to_the_wrong_place(name, mistake, phrase):
    source = next(m[2] for m in MISTAKES if m[:2] == (name, mistake))
    namespace = dict(SOLUTION)
    exec(textwrap.dedent(source), namespace)
    with pytest.raises(CheckFailed) as failure:
        checks.CHECKS[name](namespace[name])
    assert phrase not in str(failure.value), str(failure.value)


def test_a_check_passes_on_a_function_given_twice():
    """Checks are pure: running one twice gives the same answer (no hidden state)."""
    checks.check_propagate(SOLUTION["propagate"])
    checks.check_propagate(SOLUTION["propagate"])


def test_counts_and_articles_are_worded_as_english():
    """Shared wording: "1 entry", "3 entries", "2 keys", "an int", not "1 entries" or "a int"."""
    from course_utils.checks.core import article, describe, plural

    assert [plural(1, "entry"), plural(3, "entry"), plural(2, "key"), plural(2, "check")] == [
        "1 entry", "3 entries", "2 keys", "2 checks"]
    assert (describe(0), describe(0.5), article("array")) == ("an int", "a float", "an array")


def test_a_matrix_product_error_gets_the_same_general_hint_from_np_dot_and_matmul():
    import numpy as np

    from course_utils.checks.core import MATRIX_PRODUCT_HINT, _exception_hint

    errors = []
    for product in (np.dot, np.matmul):
        try:
            product(np.ones((2, 1)), np.ones((2, 3)))
        except ValueError as error:
            errors.append(error)
    assert [_exception_hint(e, None) for e in errors] == [MATRIX_PRODUCT_HINT] * 2
