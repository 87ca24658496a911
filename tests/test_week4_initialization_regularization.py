"""Week 4's initialization and regularization checks reject the stubs and the common mistakes
(each named with its fix) and accept other correct code; the solution's L2 and dropout
backward passes agree with numerical gradients."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_suite

FUNCTIONS = ["initialize_parameters_zeros", "initialize_parameters_random",
             "initialize_parameters_he", "compute_cost_with_regularization",
             "backward_propagation_with_regularization", "forward_propagation_with_dropout",
             "backward_propagation_with_dropout"]

ZEROS = """
def initialize_parameters_zeros(layers_dims):
    parameters = {{}}
    L = len(layers_dims)
    for l in range({start}, {stop}):
        parameters["W" + str(l)] = {W}
        parameters["b" + str(l)] = {b}
    return parameters
"""


def zeros_with(start="1", stop="L", W="np.zeros((layers_dims[l], layers_dims[l - 1]))",
               b="np.zeros((layers_dims[l], 1))") -> str:
    return ZEROS.format(start=start, stop=stop, W=W, b=b)


INIT = """
def {name}(layers_dims):
    {first}
    parameters = {{}}
    L = len(layers_dims)
    for l in range(1, L):
        {seed}parameters["W" + str(l)] = {draw} * {scale}
        parameters["b" + str(l)] = {b}
    return parameters
"""
RANDOM_DRAW = "np.random.randn(layers_dims[l], layers_dims[l - 1])"
HE_SCALE = "np.sqrt(2 / layers_dims[l - 1])"


def random_with(first="np.random.seed(3)", seed="", draw=RANDOM_DRAW, scale="10",
                b="np.zeros((layers_dims[l], 1))", name="initialize_parameters_random") -> str:
    return INIT.format(name=name, first=first, seed=seed, draw=draw, scale=scale, b=b)


def he_with(**changes) -> str:
    return random_with(**{"name": "initialize_parameters_he", "scale": HE_SCALE, **changes})


COST = """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy = cross_entropy_cost(A3, Y)
    L2_cost = {factor} * ({squares})
    return {result}
"""
SQUARES = "np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))"


def cost_with(factor="lambd / (2 * m)", squares=SQUARES, result="cross_entropy + L2_cost"):
    return COST.format(factor=factor, squares=squares, result=result)


GRADIENTS = """
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
"""
L2_BACKWARD = """
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1 / m * np.dot(dZ3, A2.T) + lambd / m * W3
    db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (A2 > 0)
    dW2 = 1 / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (A1 > 0)
    dW1 = 1 / m * np.dot(dZ1, X.T) + lambd / m * W1
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
""" + GRADIENTS

DROPOUT_FORWARD = """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, *, seed=1):
    np.random.seed(seed)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = logistic(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
"""

DROPOUT_BACKWARD = """
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1 / m * np.dot(dZ3, A2.T)
    db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3) * D2 / keep_prob
    dZ2 = dA2 * (A2 > 0)
    dW2 = 1 / m * np.dot(dZ2, A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2) * D1 / keep_prob
    dZ1 = dA1 * (A1 > 0)
    dW1 = 1 / m * np.dot(dZ1, X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
""" + GRADIENTS


def changed(source: str, *replacements: tuple[str, str]) -> str:
    """The source with each (old, new) replaced; every old must be there."""
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


MISTAKES = [
    ("initialize_parameters_zeros", "b rank-1", zeros_with(b="np.zeros(layers_dims[l])"),
     "b1 is a column"),
    ("initialize_parameters_zeros", "b a row", zeros_with(b="np.zeros((1, layers_dims[l]))"),
     "b1 is a column"),
    ("initialize_parameters_zeros", "W transposed",
     zeros_with(W="np.zeros((layers_dims[l - 1], layers_dims[l]))"),
     "one row per unit of layer 1, one column per unit of layer 0"),
    ("initialize_parameters_zeros", "last layer missing", zeros_with(stop="L - 1"),
     "the last layer included"),
    ("initialize_parameters_zeros", "starts at layer 0", zeros_with(start="0"),
     "layer 0 is the input and has no parameters"),
    ("initialize_parameters_zeros", "ones", zeros_with(W="np.ones((layers_dims[l], "
                                                         "layers_dims[l - 1]))"),
     "must be all zeros"),
    ("initialize_parameters_random", "no * 10", random_with(scale="1"),
     "scaled by 1 instead of 10"),
    ("initialize_parameters_random", "* 0.01", random_with(scale="0.01"),
     "scaled by 0.01 instead of 10"),
    ("initialize_parameters_random", "transposed draw",
     random_with(draw="np.random.randn(layers_dims[l - 1], layers_dims[l]).T"),
     "right random numbers, but transposed"),
    ("initialize_parameters_random", "transposed shape",
     random_with(draw="np.random.randn(layers_dims[l - 1], layers_dims[l])"),
     "np.random.randn(layers_dims[1], layers_dims[0])"),
    ("initialize_parameters_random", "re-seeded per layer",
     random_with(seed="np.random.seed(3)\n        "), "not again inside the loop"),
    ("initialize_parameters_random", "random biases",
     random_with(b="np.random.randn(layers_dims[l], 1)"), "only the weights are random"),
    ("initialize_parameters_random", "no seed", random_with(first="pass"),
     "call np.random.seed(3) at the start"),
    ("initialize_parameters_random", "seed 1", random_with(first="np.random.seed(1)"),
     "holds the random numbers of np.random.seed(1), but initialize_parameters_random uses "
     "seed 3"),
    ("initialize_parameters_random", "uniform",
     random_with(draw="np.random.rand(layers_dims[l], layers_dims[l - 1])"), "not uniform"),
    ("initialize_parameters_he", "sqrt(2 / n[l])", he_with(scale="np.sqrt(2 / layers_dims[l])"),
     "the size of the layer itself"),
    ("initialize_parameters_he", "Xavier", he_with(scale="np.sqrt(1 / layers_dims[l - 1])"),
     "this is Xavier initialization"),
    ("initialize_parameters_he", "no sqrt", he_with(scale="2 / layers_dims[l - 1]"),
     "the square root is missing"),
    ("initialize_parameters_he", "* 10 of the previous exercise", he_with(scale="10"),
     "the scale of initialize_parameters_random"),
    ("initialize_parameters_he", "re-seeded per layer",
     he_with(seed="np.random.seed(3)\n        "), "not again inside the loop"),
    ("initialize_parameters_he", "transposed draw",
     he_with(draw="np.random.randn(layers_dims[l - 1], layers_dims[l]).T"),
     "right random numbers, but transposed"),
    ("compute_cost_with_regularization", "no 1/m", cost_with(factor="lambd / 2"),
     "the 1/m is missing"),
    ("compute_cost_with_regularization", "lambd / m", cost_with(factor="lambd / m"),
     "with the 2"),
    ("compute_cost_with_regularization", "lambd / 2 * m", cost_with(factor="lambd / 2 * m"),
     "with the parentheses"),
    ("compute_cost_with_regularization", "biases included",
     cost_with(squares=SQUARES + " + sum(np.sum(np.square(parameters['b' + str(l)])) "
                                 "for l in (1, 2, 3))"),
     "the biases are in the L2 cost"),
    ("compute_cost_with_regularization", "W3 forgotten",
     cost_with(squares="np.sum(np.square(W1)) + np.sum(np.square(W2))"), "W3 is missing"),
    ("compute_cost_with_regularization", "norm not squared",
     cost_with(squares="np.linalg.norm(W1) + np.linalg.norm(W2) + np.linalg.norm(W3)"),
     "square it"),
    ("compute_cost_with_regularization", "Python float",
     cost_with(result="float(cross_entropy + L2_cost)"), "must be a 0-d numpy float"),
    ("compute_cost_with_regularization", "(1, 1) array",
     cost_with(result="np.array([[cross_entropy + L2_cost]])"), "must be a single number"),
    ("backward_propagation_with_regularization", "no L2 term in dW1",
     changed(L2_BACKWARD, (" + lambd / m * W1", "")), "dW1 has no L2 term"),
    ("backward_propagation_with_regularization", "lambd / (2 m)",
     changed(L2_BACKWARD, ("lambd / m", "lambd / (2 * m)")), "the 2s cancel"),
    ("backward_propagation_with_regularization", "no 1/m in the L2 term",
     changed(L2_BACKWARD, ("lambd / m", "lambd")), "m times too large"),
    ("backward_propagation_with_regularization", "L2 term on db",
     changed(L2_BACKWARD, ("db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True)",
                           "db3 = 1 / m * np.sum(dZ3, axis=1, keepdims=True) + lambd / m * b3")),
     "only the dW get an L2 term"),
    ("forward_propagation_with_dropout", "no / keep_prob",
     changed(DROPOUT_FORWARD, ("A1 * D1 / keep_prob", "A1 * D1"), ("A2 * D2 / keep_prob",
                                                                    "A2 * D2")),
     "the division of inverted dropout is missing"),
    ("forward_propagation_with_dropout", "rand > keep_prob",
     changed(DROPOUT_FORWARD, ("< keep_prob", "> keep_prob")),
     "keeps the units whose random number is above keep_prob"),
    ("forward_propagation_with_dropout", "output dropped",
     changed(DROPOUT_FORWARD, ("A3 = logistic(Z3)", "A3 = logistic(Z3)\n"
                               "    D3 = np.random.rand(A3.shape[0], A3.shape[1]) < keep_prob\n"
                               "    A3 = A3 * D3 / keep_prob")),
     "the output layer is never dropped"),
    ("forward_propagation_with_dropout", "input dropped",
     changed(DROPOUT_FORWARD, ("    Z1 = np.dot(W1, X) + b1",
                               "    D0 = np.random.rand(X.shape[0], X.shape[1]) < keep_prob\n"
                               "    Z1 = np.dot(W1, X * D0 / keep_prob) + b1")),
     "the input X is never dropped"),
    ("forward_propagation_with_dropout", "D2 drawn before D1",
     changed(DROPOUT_FORWARD,
             ("    Z1 = np.dot", "    D2 = np.random.rand(W2.shape[0], X.shape[1]) < keep_prob\n"
                               "    Z1 = np.dot"),
             ("    D2 = np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob\n", "")),
     "got the random numbers meant for another mask"),
    ("forward_propagation_with_dropout", "transposed draw",
     changed(DROPOUT_FORWARD, ("np.random.rand(A1.shape[0], A1.shape[1])",
                               "np.random.rand(A1.shape[1], A1.shape[0]).T")),
     "right random numbers, but transposed"),
    ("forward_propagation_with_dropout", "rand(shape)",
     changed(DROPOUT_FORWARD, ("np.random.rand(A1.shape[0], A1.shape[1])",
                               "np.random.rand(A1.shape)")),
     "takes the sizes as separate numbers"),
    ("forward_propagation_with_dropout", "int masks",
     changed(DROPOUT_FORWARD, ("D1 = np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob",
                               "D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob)"
                               ".astype(int)")),
     "without .astype(int)"),
    ("forward_propagation_with_dropout", "A1 before dropout in the cache",
     changed(DROPOUT_FORWARD, ("A1 = A1 * D1 / keep_prob", "A1_dropped = A1 * D1 / keep_prob"),
             ("np.dot(W2, A1)", "np.dot(W2, A1_dropped)")),
     "the cache holds A1 before dropout"),
    ("forward_propagation_with_dropout", "keep_prob fixed at 0.5",
     changed(DROPOUT_FORWARD, ("keep_prob\n", "0.5\n")),
     "A3 is what keep_prob=0.5 gives"),
    ("forward_propagation_with_dropout", "no seed",
     changed(DROPOUT_FORWARD, ("np.random.seed(seed)", "pass")),
     "came out different when the caller had set another random state"),
    ("forward_propagation_with_dropout", "seed argument ignored",
     changed(DROPOUT_FORWARD, ("np.random.seed(seed)", "np.random.seed(1)")),
     "seed with the seed argument"),
    ("forward_propagation_with_dropout", "seed 3",
     changed(DROPOUT_FORWARD, ("np.random.seed(seed)", "np.random.seed(3)")),
     "holds the random numbers of np.random.seed(3)"),
    ("backward_propagation_with_dropout", "no / keep_prob",
     changed(DROPOUT_BACKWARD, ("* D2 / keep_prob", "* D2"), ("* D1 / keep_prob", "* D1")),
     "the division by keep_prob is missing"),
    ("backward_propagation_with_dropout", "D1 forgotten",
     changed(DROPOUT_BACKWARD, ("np.dot(W2.T, dZ2) * D1 / keep_prob", "np.dot(W2.T, dZ2)")),
     "grads['dA1'] (keep_prob=0.5): dA1 is not masked"),
    ("backward_propagation_with_dropout", "mask on dZ2 instead of dA2",
     changed(DROPOUT_BACKWARD, ("np.dot(W3.T, dZ3) * D2 / keep_prob", "np.dot(W3.T, dZ3)"),
             ("dZ2 = dA2 * (A2 > 0)", "dZ2 = dA2 * (A2 > 0) * D2 / keep_prob")),
     "not to dZ or dW"),
    ("backward_propagation_with_dropout", "mask without the division kept",
     changed(DROPOUT_BACKWARD, ("np.dot(W3.T, dZ3) * D2 / keep_prob",
                                "np.dot(W3.T, dZ3) / keep_prob")),
     "dA2 is not zero where D2 dropped a unit"),
    ("backward_propagation_with_dropout", "masks swapped",
     changed(DROPOUT_BACKWARD, ("* D2 /", "* DX /"), ("* D1 /", "* D2 /"), ("* DX /", "* D1 /")),
     "each dA gets the mask of its own layer"),
    ("backward_propagation_with_dropout", "times keep_prob",
     changed(DROPOUT_BACKWARD, ("D2 / keep_prob", "D2 * keep_prob"),
             ("D1 / keep_prob", "D1 * keep_prob")),
     "multiplied by keep_prob instead of divided"),
]

ALTERNATIVES = [
    ("initialize_parameters_zeros", """
def initialize_parameters_zeros(layers_dims):
    pairs = list(zip(layers_dims[1:], layers_dims[:-1]))
    parameters = {f"W{l}": np.zeros([n, n_prev]) for l, (n, n_prev) in enumerate(pairs, 1)}
    parameters.update({f"b{l}": np.zeros([n, 1]) for l, (n, _) in enumerate(pairs, 1)})
    return parameters
"""),
    ("initialize_parameters_random", """
def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l, (n, n_prev) in enumerate(zip(layers_dims[1:], layers_dims[:-1]), start=1):
        parameters[f"W{l}"] = 10 * np.random.randn(n, n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
"""),
    ("initialize_parameters_he", he_with(scale="1 / np.sqrt(layers_dims[l - 1] / 2)")),
    ("initialize_parameters_he", he_with(draw="np.random.normal(size=(layers_dims[l], "
                                              "layers_dims[l - 1]))")),
    ("compute_cost_with_regularization", """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    cross_entropy = -np.mean(Y * np.log(A3) + (1 - Y) * np.log(1 - A3))
    return cross_entropy + lambd / (2 * m) * sum(np.linalg.norm(parameters[f"W{l}"]) ** 2
                                                 for l in (1, 2, 3))
"""),
    ("compute_cost_with_regularization",
     cost_with(squares="np.sum(W1 ** 2) + np.sum(W2 ** 2) + np.sum(W3 ** 2)")),
    ("backward_propagation_with_regularization", """
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    grads = three_layer_backward(X, Y, cache)
    for l, W in ((1, cache[2]), (2, cache[6]), (3, cache[10])):
        grads["dW" + str(l)] = grads["dW" + str(l)] + lambd / m * W
    return grads
"""),
    ("backward_propagation_with_regularization",
     changed(L2_BACKWARD, ("(A2 > 0)", "(Z2 > 0)"), ("(A1 > 0)", "np.int64(Z1 > 0)"),
             ("np.dot(dZ1, X.T)", "dZ1 @ X.T"))),
    ("forward_propagation_with_dropout",
     changed(DROPOUT_FORWARD, ("np.random.rand(A1.shape[0], A1.shape[1])",
                               "np.random.rand(*A1.shape)"),
             ("np.random.rand(A2.shape[0], A2.shape[1])", "np.random.random_sample(A2.shape)"),
             ("A1 = A1 * D1 / keep_prob", "A1 = np.where(D1, A1 / keep_prob, 0)"))),
    ("forward_propagation_with_dropout",
     changed(DROPOUT_FORWARD, ("relu(Z1)", "np.maximum(Z1, 0)"), ("np.dot(W2, A1)", "W2 @ A1"),
             ("logistic(Z3)", "1 / (1 + np.exp(-Z3))"))),
    ("backward_propagation_with_dropout",
     changed(DROPOUT_BACKWARD, ("(A2 > 0)", "(Z2 > 0)"), ("(A1 > 0)", "(Z1 > 0)"),
             ("np.dot(W3.T, dZ3) * D2 / keep_prob", "np.where(D2, W3.T @ dZ3 / keep_prob, 0)"))),
    ("backward_propagation_with_dropout",
     changed(DROPOUT_BACKWARD, ("np.dot(W2.T, dZ2) * D1 / keep_prob",
                                "np.dot(W2.T, dZ2) * D1.astype(float) / keep_prob"))),
]

globals().update(check_suite("week4", MISTAKES, ALTERNATIVES, only=FUNCTIONS))


# -- the solution against numerical gradients --------------------------------------------
SOLUTION = solution_namespace("week4")


def _network(seed: int, dims=(3, 4, 3, 1), m=6):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(scale=0.5, size=(dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(scale=0.3, size=(dims[l], 1))
    return X, Y, params


def test_l2_backward_is_the_gradient_of_the_l2_cost():
    """The solution's two L2 functions agree: backward is the gradient of the cost."""
    X, Y, params = _network(501)
    forward, cost = SOLUTION["three_layer_forward"], SOLUTION["compute_cost_with_regularization"]
    grads = SOLUTION["backward_propagation_with_regularization"](X, Y, forward(X, params)[1], 0.9)
    for key in params:
        numeric = numerical_gradient(lambda: cost(forward(X, params)[0], Y, params, 0.9),
                                     params[key])
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key


def test_dropout_backward_is_the_gradient_through_the_forward_masks():
    """forward_propagation_with_dropout seeds itself, so its masks stay fixed while a
    parameter is nudged: the cost through them is the function dropout backward derives."""
    X, Y, params = _network(502)
    forward = SOLUTION["forward_propagation_with_dropout"]
    backward = SOLUTION["backward_propagation_with_dropout"]
    cost = SOLUTION["cross_entropy_cost"]
    grads = backward(X, Y, forward(X, params, 0.7)[1], 0.7)
    for key in params:
        numeric = numerical_gradient(lambda: cost(forward(X, params, 0.7)[0], Y), params[key])
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key


def test_he_keeps_the_activations_of_a_deep_relu_network_the_same_size():
    """The reason for He's scale: through 20 ReLU layers of 200 units the activations' spread
    stays within a factor of 2, while Xavier's, sqrt(1/2) times He's, halves it every other
    layer (2^-10 after 20)."""
    params = SOLUTION["initialize_parameters_he"]([200] * 21)
    spreads = {}
    for name, factor in (("he", 1.0), ("xavier", np.sqrt(1 / 2))):
        A = np.random.default_rng(503).normal(size=(200, 500))
        for l in range(1, 21):
            A = np.maximum(factor * params[f"W{l}"] @ A, 0)
        spreads[name] = np.sqrt(np.mean(A ** 2))
    assert 0.5 < spreads["he"] < 2, spreads
    assert spreads["xavier"] < 4e-3 * spreads["he"], spreads


def test_a_function_that_changes_a_dict_or_a_cache_of_arrays_in_place_is_named():
    """The checks' call copies every input, dicts and tuples of arrays included, and names an
    input changed in place."""
    from course_utils.checks import CheckFailed, week4

    namespace = dict(SOLUTION)
    exec(changed(DROPOUT_FORWARD, ("    Z1 = np.dot", "    W1 *= 2\n    Z1 = np.dot"),
                 ("np.dot(W1, X)", "np.dot(W1 / 2, X)")), namespace)
    exec(changed(L2_BACKWARD, ("    dZ3 = A3 - Y", "    A3 -= Y\n    dZ3 = A3")), namespace)
    for name, argument in (("forward_propagation_with_dropout", "parameters"),
                           ("backward_propagation_with_regularization", "cache")):
        with pytest.raises(CheckFailed, match=f"changed its input `{argument}` in place"):
            week4.CHECKS[name](namespace[name])
