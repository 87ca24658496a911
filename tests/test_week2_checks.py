"""The week 2 checks reject the stubs and the common mistakes and accept other correct code;
the solution's backward pass agrees with a numerical gradient for every activation."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.activations import ACTIVATIONS
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests import helpers
from tests.helpers import check_suite, hidden_tests, run_test_cell

SOLUTION = solution_namespace("week2")

FORWARD = """
def forward_propagation(X, parameters, *, activation="tanh"):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    g, _ = ACTIVATIONS[activation]
    Z1 = {z1}
    A1 = {a1}
    Z2 = np.dot(W2, A1) + b2
    A2 = {a2}
    return A2, {{"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}}
"""


def forward_with(z1="np.dot(W1, X) + b1", a1="g(Z1)", a2="sigmoid(Z2)") -> str:
    return FORWARD.format(z1=z1, a1=a1, a2=a2)


BACKWARD = """
def backward_propagation(parameters, cache, X, Y, *, activation="tanh"):
    m = X.shape[1]
    W2, A1, A2, Z1 = parameters["W2"], cache["A1"], cache["A2"], cache["Z1"]
    _, g_prime = ACTIVATIONS[activation]
    dZ2 = A2 - Y
    dW2 = {dw2}
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = {dz1}
    dW1 = np.dot(dZ1, X.T) / m
    db1 = {db1}
    return {{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}}
"""


def backward_with(dw2="np.dot(dZ2, A1.T) / m", dz1="np.dot(W2.T, dZ2) * g_prime(Z1, A1)",
                  db1="np.sum(dZ1, axis=1, keepdims=True) / m") -> str:
    return BACKWARD.format(dw2=dw2, dz1=dz1, db1=db1)


NN_MODEL = """
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, *, activation="tanh",
             init_scale=0.01, learning_rate=1.2):
    {seed}
    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0], {init})
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters, {act})
        grads = backward_propagation(parameters, cache, X, Y, {act})
        parameters = update_parameters(parameters, grads, {lr})
    return parameters
"""


def nn_model_with(seed="np.random.seed(3)", init="init_scale=init_scale",
                  act="activation=activation", lr="learning_rate") -> str:
    return NN_MODEL.format(seed=seed, init=init, act=act, lr=lr)


UPDATE = """
def update_parameters(parameters, grads, learning_rate=1.2):
    {body}
"""

MISTAKES = [
    ("layer_sizes", "examples", "def layer_sizes(X, Y): return (X.shape[1], 4, Y.shape[0])",
     "features, not examples"),
    ("layer_sizes", "list", "def layer_sizes(X, Y): return [X.shape[0], 4, Y.shape[0]]",
     "tuple"),
    ("layer_sizes", "n_h", "def layer_sizes(X, Y): return (X.shape[0], 5, Y.shape[0])", "n_h = 4"),
    ("initialize_parameters", "seeds inside", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    np.random.seed(2)
    return {"W1": np.random.randn(n_h, n_x) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * init_scale, "b2": np.zeros((n_y, 1))}
""", "Next week's initialize_parameters is the one that seeds itself"),
    ("initialize_parameters", "zeros", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
""", "break the symmetry"),
    ("initialize_parameters", "transposed", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_x, n_h) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_h, n_y) * init_scale, "b2": np.zeros((n_y, 1))}
""", "draw W1 with np.random.randn(n_h, n_x): one row per hidden unit"),
    ("initialize_parameters", "transposed with .T", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_x, n_h).T * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_h, n_y).T * init_scale, "b2": np.zeros((n_y, 1))}
""", "holds the right random numbers, but transposed"),
    ("initialize_parameters", "rank-1 biases", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_h, n_x) * init_scale, "b1": np.zeros(n_h),
            "W2": np.random.randn(n_y, n_h) * init_scale, "b2": np.zeros(n_y)}
""", "b1 is a column: np.zeros((n_h, 1))"),
    ("initialize_parameters", "W2 drawn first", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    W2 = np.random.randn(n_y, n_h) * init_scale
    W1 = np.random.randn(n_h, n_x) * init_scale
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
""", "random numbers meant for another layer"),
    ("initialize_parameters", "classic signature", """
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
""", "def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01)"),
    ("initialize_parameters", "ignores init_scale", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
""", "scaled by 0.01 instead of 0.5.\nHint: multiply by the init_scale argument"),
    ("initialize_parameters", "uniform", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.rand(n_h, n_x) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.rand(n_y, n_h) * init_scale, "b2": np.zeros((n_y, 1))}
""", "normal, not uniform"),
    ("forward_propagation", "always tanh", forward_with(a1="np.tanh(Z1)"), "`activation` argument"),
    ("forward_propagation", "W1 transposed", forward_with(z1="np.dot(W1.T, X) + b1"),
     "W1 (n_h, n_x) times X (n_x, m)"),
    ("forward_propagation", "X first with @", forward_with(z1="X.T @ W1 + b1"),
     "the weights come first, with no transpose"),
    ("forward_propagation", "classic signature", """
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""", "keep the signature def forward_propagation(X, parameters, *, activation='tanh')"),
    ("forward_propagation", "tanh output", forward_with(a2="np.tanh(Z2)"), "always a sigmoid"),
    ("forward_propagation", "no bias", forward_with(z1="np.dot(W1, X)"), "Z1 = np.dot(W1, X) + b1"),
    ("compute_cost", "(1, 1) array", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
""", "float(np.squeeze"),
    ("compute_cost", "missing 1/m", """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
""", "1/m is missing"),
    ("compute_cost", "sign", """
def compute_cost(A2, Y):
    return float(np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
""", "sign is flipped"),
    ("compute_cost", "no (1 - y) term", """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2)) / Y.shape[1])
""", "the (1 - y) log(1 - a) term is missing"),
    ("compute_cost", "logs swapped", """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(1 - A2) + (1 - Y) * np.log(A2)) / Y.shape[1])
""", "the labels are swapped"),
    ("compute_cost", "rows multiplied with @", """
def compute_cost(A2, Y):
    return float(-(Y @ np.log(A2) + (1 - Y) @ np.log(1 - A2)) / Y.shape[1])
""", "transpose the second factor, np.dot(Y, np.log(A2).T)"),
    ("compute_cost", "rows multiplied with np.dot", """
def compute_cost(A2, Y):
    return float(-(np.dot(Y, np.log(A2)) + np.dot(1 - Y, np.log(1 - A2))) / Y.shape[1])
""", "two rows do not make a matrix product"),
    ("backward_propagation", "tanh derivative of Z",
     backward_with(dz1="np.dot(W2.T, dZ2) * (1 - Z1 ** 2)"), "g'(Z1)"),
    ("backward_propagation", "no W2 transpose",
     backward_with(dz1="np.dot(W2, dZ2) * g_prime(Z1, A1)"), "W2.T (n_h, n_y) times dZ2"),
    ("backward_propagation", "no W2 transpose with @",
     backward_with(dz1="(W2 @ dZ2) * g_prime(Z1, A1)"), "dZ1 = np.dot(W2.T, dZ2) * g'(Z1)"),
    ("backward_propagation", "np.dot with g'",
     backward_with(dz1="np.dot(W2.T @ dZ2, g_prime(Z1, A1).T)"), "element-wise (*), not np.dot"),
    ("backward_propagation", "db1 over the units",
     backward_with(db1="np.sum(dZ1, axis=0, keepdims=True) / m"),
     "one number per example, not one per unit: sum over the examples instead, "
     "np.sum(dZ1, axis=1, keepdims=True) / m."),
    ("backward_propagation", "classic signature", """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - cache["A1"] ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ cache["A1"].T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
""", "keep the signature def backward_propagation(parameters, cache, X, Y, *, activation="),
    ("backward_propagation", "db1 rank-1", backward_with(db1="np.sum(dZ1, axis=1) / m"),
     "keepdims=True"),
    ("backward_propagation", "dW2 missing 1/m", backward_with(dw2="np.dot(dZ2, A1.T)"),
     "1/m is missing"),
    ("backward_propagation", "ignores activation",
     backward_with(dz1="np.dot(W2.T, dZ2) * (1 - A1 ** 2)"), "for relu g'(Z1)"),
    ("update_parameters", "ascent", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "b1", "W2", "b2"):
        parameters[k] = parameters[k] + learning_rate * grads["d" + k]
    return parameters"""), "moved uphill"),
    ("update_parameters", "mutates", UPDATE.format(body="""for k in ("W1", "b1", "W2", "b2"):
        parameters[k] -= learning_rate * grads["d" + k]
    return parameters"""), "changed its input `parameters`"),
    ("update_parameters", "fixed rate", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "b1", "W2", "b2"):
        parameters[k] = parameters[k] - 1.2 * grads["d" + k]
    return parameters"""), "moved 24 times as far as it should with learning_rate=0.05"),
    ("update_parameters", "only weights", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "W2"):
        parameters[k] = parameters[k] - learning_rate * grads["d" + k]
    return parameters"""), "did not change"),
    ("nn_model", "no seed", nn_model_with(seed="pass"),
     "with num_iterations=0, the parameters['W1'] is wrong"),
    ("nn_model", "ignores init_scale", nn_model_with(init=""),
     "scaled by 0.01 instead of 0.5.\nHint: pass init_scale on"),
    ("nn_model", "activation not passed", nn_model_with(act=""),
     "the parameters after one iteration are what activation='tanh' gives"),
    ("nn_model", "default learning rate", nn_model_with(lr="1.2"),
     "moved 4 times as far as it should with learning_rate=0.3"),
    ("nn_model", "n_h from layer_sizes", nn_model_with().replace(
        "X.shape[0], n_h, Y.shape[0]", "*layer_sizes(X, Y)"),
     "layer_sizes always says n_h = 4"),
    ("predict", "probabilities", """
def predict(parameters, X, *, activation="tanh"):
    return forward_propagation(X, parameters, activation=activation)[0]
""", "not the probabilities A2"),
    ("predict", "floats", """
def predict(parameters, X, *, activation="tanh"):
    return (forward_propagation(X, parameters, activation=activation)[0] > 0.5).astype(float)
""", "unlike week 1's predict, this week's returns the booleans of A2 > 0.5: drop .astype"),
    ("predict", "activation not passed", """
def predict(parameters, X, *, activation="tanh"):
    return forward_propagation(X, parameters)[0] > 0.5
""", "same activation"),
]

ALTERNATIVES = [
    ("layer_sizes", "def layer_sizes(X, Y):\n    return X.shape[0], 4, len(Y)"),
    ("initialize_parameters", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    W1 = init_scale * np.random.randn(n_h, n_x)
    W2 = init_scale * np.random.randn(n_y, n_h)
    return dict(W1=W1, b1=np.zeros([n_h, 1]), W2=W2, b2=np.zeros([n_y, 1]))
"""),
    ("forward_propagation", forward_with(z1="W1 @ X + b1")),
    ("compute_cost", """
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T))[0, 0] / m)
"""),
    ("backward_propagation", backward_with(dw2="dZ2 @ A1.T / m",
                                           dz1="(W2.T @ dZ2) * g_prime(Z1, A1)")),
    ("backward_propagation", """
def backward_propagation(parameters, cache, X, Y, *, activation="tanh"):
    m = X.shape[1]
    A1, A2, Z1 = cache["A1"], cache["A2"], cache["Z1"]
    derivative = {"tanh": 1 - np.tanh(Z1) ** 2, "relu": (Z1 > 0) * 1.0,
                  "sigmoid": A1 * (1 - A1), "leaky_relu": np.where(Z1 > 0, 1, 0.01)}
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * derivative[activation]
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True),
            "dW2": dZ2 @ A1.T / m, "db2": dZ2.mean(axis=1, keepdims=True)}
"""),
    ("update_parameters", UPDATE.format(
        body='return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}')),
    ("update_parameters", """
def update_parameters(params, gradients, rate=1.2):
    return {k: v - rate * gradients["d" + k] for k, v in params.items()}
"""),
    ("nn_model", nn_model_with()),
    ("predict", """
def predict(parameters, X, *, activation="tanh"):
    A2, _ = forward_propagation(X, parameters, activation=activation)
    return np.round(A2) == 1
"""),
]

globals().update(check_suite("week2", MISTAKES, ALTERNATIVES))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_solution_backward_pass_matches_the_numerical_gradient(activation):
    rng = np.random.default_rng(11)
    X, Y = rng.normal(size=(2, 6)), (rng.random((1, 6)) > 0.5).astype(float)
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1)),
              "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=(1, 1))}
    forward, cost = SOLUTION["forward_propagation"], SOLUTION["compute_cost"]
    _, cache = forward(X, params, activation=activation)
    grads = SOLUTION["backward_propagation"](params, cache, X, Y, activation=activation)
    for key in params:
        numeric = numerical_gradient(
            lambda: cost(forward(X, params, activation=activation)[0], Y), params[key])
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key


CELLS = helpers.test_cells("week2")
WRONG_FORWARD_AND_COST = {
    "a tanh output": forward_with(a2="np.tanh(Z2)"),
    "no bias and no 1/m": forward_with(z1="np.dot(W1, X)") + """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
""",
    "unfinished": """
def forward_propagation(X, parameters, *, activation="tanh"):
    raise NotImplementedError()

def compute_cost(A2, Y):
    raise NotImplementedError()
""",
}


@pytest.mark.parametrize("wrong", sorted(WRONG_FORWARD_AND_COST))
def test_a_correct_backward_pass_keeps_its_hidden_points_when_the_forward_pass_is_wrong(wrong):
    """The backward hidden test grades backward_propagation alone: its numerical gradient comes
    from a forward pass and a cost written in the test, not from the learner's."""
    namespace = dict(SOLUTION)
    exec(WRONG_FORWARD_AND_COST[wrong], namespace)
    with pytest.raises((AssertionError, NotImplementedError)):  # the forward pass is wrong...
        run_test_cell(namespace, hidden_tests(CELLS["forward_propagation"]))
    run_test_cell(namespace, hidden_tests(CELLS["backward_propagation"]))  # ...backward is not
