"""The week 2 checks reject the stubs and the common mistakes and accept other correct code;
the solution's backward pass agrees with a numerical gradient for every activation."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.activations import ACTIVATIONS
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_suite

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
""", "do not call np.random.seed"),
    ("initialize_parameters", "zeros", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
""", "break the symmetry"),
    ("initialize_parameters", "transposed", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_x, n_h) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_h, n_y) * init_scale, "b2": np.zeros((n_y, 1))}
""", "(n[l], n[l-1])"),
    ("initialize_parameters", "ignores init_scale", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
""", "scaled by init_scale"),
    ("initialize_parameters", "uniform", """
def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.rand(n_h, n_x) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.rand(n_y, n_h) * init_scale, "b2": np.zeros((n_y, 1))}
""", "normal, not uniform"),
    ("forward_propagation", "always tanh", forward_with(a1="np.tanh(Z1)"), "`activation` argument"),
    ("forward_propagation", "W1 transposed", forward_with(z1="np.dot(W1.T, X) + b1"),
     "raised ValueError"),
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
    ("backward_propagation", "tanh derivative of Z",
     backward_with(dz1="np.dot(W2.T, dZ2) * (1 - Z1 ** 2)"), "g'(Z1)"),
    ("backward_propagation", "no W2 transpose",
     backward_with(dz1="np.dot(W2, dZ2) * g_prime(Z1, A1)"), "raised ValueError"),
    ("backward_propagation", "db1 rank-1", backward_with(db1="np.sum(dZ1, axis=1) / m"),
     "keepdims=True"),
    ("backward_propagation", "dW2 missing 1/m", backward_with(dw2="np.dot(dZ2, A1.T)"),
     "1/m is missing"),
    ("backward_propagation", "ignores activation",
     backward_with(dz1="np.dot(W2.T, dZ2) * (1 - A1 ** 2)"), "for relu g'(Z1)"),
    ("update_parameters", "ascent", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "b1", "W2", "b2"):
        parameters[k] = parameters[k] + learning_rate * grads["d" + k]
    return parameters"""), "W = W - learning_rate * dW"),
    ("update_parameters", "mutates", UPDATE.format(body="""for k in ("W1", "b1", "W2", "b2"):
        parameters[k] -= learning_rate * grads["d" + k]
    return parameters"""), "changed its input `parameters`"),
    ("update_parameters", "fixed rate", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "b1", "W2", "b2"):
        parameters[k] = parameters[k] - 1.2 * grads["d" + k]
    return parameters"""), "learning_rate=0.05"),
    ("update_parameters", "only weights", UPDATE.format(body="""parameters = dict(parameters)
    for k in ("W1", "W2"):
        parameters[k] = parameters[k] - learning_rate * grads["d" + k]
    return parameters"""), "for W1, b1, W2 and b2"),
    ("nn_model", "no seed", nn_model_with(seed="pass"), "np.random.seed(3)"),
    ("nn_model", "ignores init_scale", nn_model_with(init=""), "init_scale"),
    ("nn_model", "activation not passed", nn_model_with(act=""), "activation"),
    ("nn_model", "default learning rate", nn_model_with(lr="1.2"), "learning_rate"),
    ("predict", "probabilities", """
def predict(parameters, X, *, activation="tanh"):
    return forward_propagation(X, parameters, activation=activation)[0]
""", "booleans"),
    ("predict", "floats", """
def predict(parameters, X, *, activation="tanh"):
    return (forward_propagation(X, parameters, activation=activation)[0] > 0.5).astype(float)
""", "booleans"),
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
