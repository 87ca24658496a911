"""The week 3 checks reject the stubs and the common mistakes and accept other correct code;
the solution's L_model_backward agrees with a numerical gradient for several depths and hidden
activations, and so do the given activation helpers."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils import layer_activations
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_suite, hidden_tests, released_stubs, run_test_cell
from tests.helpers import test_cells as graded_cells

SOLUTION = solution_namespace("week3")

INIT_2 = """
def initialize_parameters(n_x, n_h, n_y):
    {body}
    return {{"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}}
"""

INIT_DEEP = """
def initialize_parameters_deep(layer_dims, *, init_scale=0.01):
    np.random.seed(3)
    parameters = {{}}
    for l in range({start}, {stop}):
        {seed}scale = {scale}
        parameters["W" + str(l)] = {draw}
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""


def init_deep_with(start="1", stop="len(layer_dims)", seed="",
                   scale='np.sqrt(1 / layer_dims[l - 1]) if init_scale == "xavier" else init_scale',
                   draw="np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale") -> str:
    return INIT_DEEP.format(start=start, stop=stop, seed=seed, scale=scale, draw=draw)


LINEAR_ACTIVATION_FORWARD = """
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    {body}
"""

L_FORWARD = """
def L_model_forward(X, parameters, *, activation="relu"):
    caches = []
    A = X
    L = {L}
    for l in range(1, L):
        A, cache = linear_activation_forward({a_in}, parameters["W" + str(l)],
                                             parameters["b" + str(l)], {hidden})
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)],
                                          {last})
    {append}
    return AL, caches
"""


def forward_with(L="len(parameters) // 2", a_in="A", hidden="activation", last='"sigmoid"',
                 append="caches.append(cache)") -> str:
    return L_FORWARD.format(L=L, a_in=a_in, hidden=hidden, last=last, append=append)


LINEAR_BACKWARD = """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = {dw}
    db = {db}
    dA_prev = {da}
    return dA_prev, dW, db
"""


def linear_backward_with(dw="np.dot(dZ, A_prev.T) / m",
                         db="np.sum(dZ, axis=1, keepdims=True) / m",
                         da="np.dot(W.T, dZ)") -> str:
    return LINEAR_BACKWARD.format(dw=dw, db=db, da=da)


LINEAR_ACTIVATION_BACKWARD = """
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = {dz}
    return linear_backward(dZ, {cache})
"""


def la_backward_with(dz="BACKWARD[activation](dA, activation_cache)", cache="linear_cache"):
    return LINEAR_ACTIVATION_BACKWARD.format(dz=dz, cache=cache)


L_BACKWARD = """
def L_model_backward(AL, Y, caches, *, activation="relu"):
    grads = {{}}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = {dal}
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], {last})
    grads["dA" + str(L - 1{shift})], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1{shift})],
                                                     caches[l], {hidden})
        grads["dA" + str(l{shift})], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = (
            dA_prev, dW, db)
    return grads
"""


def backward_with(dal="-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", last='"sigmoid"',
                  hidden="activation", shift="") -> str:
    return L_BACKWARD.format(dal=dal, last=last, hidden=hidden, shift=shift)


UPDATE = """
def update_parameters(params, grads, learning_rate):
    {body}
"""

TWO_LAYER = """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = {init}
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], {out})
        cost = compute_cost(A2, Y)
        dA2 = {da2}
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, {out})
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {{"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}}
        parameters = update_parameters(parameters, grads, {lr})
        if {when}:
            costs.append(cost)
    return parameters, costs
"""


def two_layer_with(init="initialize_parameters(n_x, n_h, n_y)", out='"sigmoid"',
                   da2="-(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))", lr="learning_rate",
                   when="i % 100 == 0") -> str:
    return TWO_LAYER.format(init=init, out=out, da2=da2, lr=lr, when=when)


L_LAYER = """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                  *, activation="relu", init_scale=0.01):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, {init})
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, {fwd})
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches, {bwd})
        parameters = update_parameters(parameters, grads, {lr})
        if {when}:
            costs.append(cost)
    return parameters, costs
"""


def l_layer_with(init="init_scale=init_scale", fwd="activation=activation",
                 bwd="activation=activation", lr="learning_rate", when="i % 100 == 0") -> str:
    return L_LAYER.format(init=init, fwd=fwd, bwd=bwd, lr=lr, when=when)


# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("initialize_parameters", "no seed", INIT_2.format(body="""
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01"""), "np.random.seed(1) at the start"),
    ("initialize_parameters", "seed after W1", INIT_2.format(body="""
    W1 = np.random.randn(n_h, n_x) * 0.01
    np.random.seed(1)
    W2 = np.random.randn(n_y, n_h) * 0.01"""), "before drawing W1"),
    ("initialize_parameters", "W2 drawn first", INIT_2.format(body="""
    np.random.seed(1)
    W2 = np.random.randn(n_y, n_h) * 0.01
    W1 = np.random.randn(n_h, n_x) * 0.01"""), "W1 first, then W2"),
    ("initialize_parameters", "transposed shape", INIT_2.format(body="""
    np.random.seed(1)
    W1 = np.random.randn(n_x, n_h) * 0.01
    W2 = np.random.randn(n_h, n_y) * 0.01"""), "(n[l], n[l-1])"),
    ("initialize_parameters", "transposed draw", INIT_2.format(body="""
    np.random.seed(1)
    W1 = np.random.randn(n_x, n_h).T * 0.01
    W2 = np.random.randn(n_h, n_y).T * 0.01"""), "transposed"),
    ("initialize_parameters", "no scale", INIT_2.format(body="""
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x)
    W2 = np.random.randn(n_y, n_h)"""), "scaled by 1 instead of 0.01"),
    ("initialize_parameters", "uniform", INIT_2.format(body="""
    np.random.seed(1)
    W1 = np.random.rand(n_h, n_x) * 0.01
    W2 = np.random.rand(n_y, n_h) * 0.01"""), "not uniform"),
    ("initialize_parameters", "wrong seed", INIT_2.format(body="""
    np.random.seed(3)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01"""),
     "holds the random numbers of np.random.seed(3), but initialize_parameters uses seed 1"),
    ("initialize_parameters_deep", "seed in the loop", init_deep_with(seed="np.random.seed(3); "),
     "not again inside the loop"),
    ("initialize_parameters_deep", "ignores init_scale", init_deep_with(scale="0.01"),
     "init_scale argument"),
    ("initialize_parameters_deep", "xavier of n[l]",
     init_deep_with(scale='np.sqrt(1 / layer_dims[l]) if init_scale == "xavier" else init_scale'),
     "sqrt(1 / layer_dims[l - 1])"),
    ("initialize_parameters_deep", "He instead of xavier",
     init_deep_with(scale='np.sqrt(2 / layer_dims[l - 1]) if init_scale == "xavier" '
                          'else init_scale'), "init_scale='xavier'"),
    ("initialize_parameters_deep", "last layer missing", init_deep_with(stop="len(layer_dims) - 1"),
     "missing the key(s)"),
    ("initialize_parameters_deep", "starts at 0", init_deep_with(start="0"), "extra key(s)"),
    ("initialize_parameters_deep", "transposed draw",
     init_deep_with(draw="np.random.randn(layer_dims[l - 1], layer_dims[l]).T * scale"),
     "transposed"),
    ("initialize_parameters_deep", "seed 1 instead of 3", init_deep_with().replace(
        "np.random.seed(3)", "np.random.seed(1)"),
     "np.random.seed(1), but initialize_parameters_deep uses seed 3"),
    ("initialize_parameters_deep", "'xavier' not handled", init_deep_with(scale="init_scale"),
     "init_scale may be the string 'xavier'"),
    ("initialize_parameters_deep", "no seed", """
def initialize_parameters_deep(layer_dims, *, init_scale=0.01):
    parameters = {}
    for l in range(1, len(layer_dims)):
        scale = np.sqrt(1 / layer_dims[l - 1]) if init_scale == "xavier" else init_scale
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""", "np.random.seed(3)"),
    ("linear_forward", "W transposed", """
def linear_forward(A, W, b):
    return np.dot(W.T, A) + b, (A, W, b)
""", "needs no transpose"),
    ("linear_forward", "W transposed with @", """
def linear_forward(A, W, b):
    return W.T @ A + b, (A, W, b)
""", "needs no transpose"),
    ("linear_forward", "W * A", """
def linear_forward(A, W, b):
    return W * A + b, (A, W, b)
""", "multiplies entry by entry"),
    ("linear_forward", "A times W", """
def linear_forward(A, W, b):
    return np.dot(A, W) + b, (A, W, b)
""", "W comes first"),
    ("linear_forward", "no bias", """
def linear_forward(A, W, b):
    return np.dot(W, A), (A, W, b)
""", "bias added once"),
    ("linear_forward", "cache order", """
def linear_forward(A, W, b):
    return np.dot(W, A) + b, (W, A, b)
""", "(A_prev, W, b) in this order"),
    ("linear_forward", "cache holds Z", """
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b, Z)
""", "triple (A_prev, W, b)"),
    ("linear_activation_forward", "always relu", LINEAR_ACTIVATION_FORWARD.format(body="""
    A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)"""), "is what 'relu' gives"),
    ("linear_activation_forward", "caches A", LINEAR_ACTIVATION_FORWARD.format(body="""
    A, _ = FORWARD[activation](Z)
    return A, (linear_cache, A)"""), "must be Z"),
    ("linear_activation_forward", "flat cache", LINEAR_ACTIVATION_FORWARD.format(body="""
    A, activation_cache = FORWARD[activation](Z)
    return A, (A_prev, W, b, activation_cache)"""), "((A_prev, W, b), Z)"),
    ("linear_activation_forward", "pair not unpacked", LINEAR_ACTIVATION_FORWARD.format(body="""
    A = FORWARD[activation](Z)
    return A, (linear_cache, Z)"""), "return a pair"),
    ("linear_activation_forward", "only the classic two", LINEAR_ACTIVATION_FORWARD.format(body="""
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)"""), "all four activations"),
    ("L_model_forward", "relu output", forward_with(last="activation"), "always uses 'sigmoid'"),
    ("L_model_forward", "sigmoid hidden", forward_with(hidden='"sigmoid"'),
     "hidden layers 1 .. L-1 use the activation argument"),
    ("L_model_forward", "activation not passed on", forward_with(hidden='"relu"'),
     "(here 'tanh')"),
    ("L_model_forward", "L = len(parameters)", forward_with(L="len(parameters)"),
     "len(parameters) // 2"),
    ("L_model_forward", "last cache missing", forward_with(append="pass"), "one per layer"),
    ("L_model_forward", "X into every layer", forward_with(a_in="X"), "A = X for layer 1 only"),
    ("compute_cost", "(1, 1) array", """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
""", "np.squeeze"),
    ("compute_cost", "missing 1/m", """
def compute_cost(AL, Y):
    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
""", "1/m is missing"),
    ("compute_cost", "sign", """
def compute_cost(AL, Y):
    return np.squeeze(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
""", "sign is flipped"),
    ("compute_cost", "one term only", """
def compute_cost(AL, Y):
    return np.squeeze(-np.mean(Y * np.log(AL)))
""", "the (1 - y) log(1 - a) term is missing"),
    ("compute_cost", "row @ row", """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return np.squeeze(-(Y @ np.log(AL) + (1 - Y) @ np.log(1 - AL)) / m)
""", "a row times a column"),
    ("linear_backward", "W dZ", linear_backward_with(da="np.dot(W, dZ)"),
     "the transpose goes on W"),
    ("linear_backward", "dW missing 1/m", linear_backward_with(dw="np.dot(dZ, A_prev.T)"),
     "1/m is missing"),
    ("linear_backward", "db without keepdims", linear_backward_with(db="np.sum(dZ, axis=1) / m"),
     "keepdims=True"),
    ("linear_backward", "db over axis 0",
     linear_backward_with(db="np.sum(dZ, axis=0, keepdims=True) / m"), "summed over the units"),
    ("linear_backward", "dW transposed", linear_backward_with(dw="np.dot(A_prev, dZ.T) / m"),
     "transpose"),
    ("linear_backward", "dA_prev divided by m", linear_backward_with(da="np.dot(W.T, dZ) / m"),
     "no 1/m in dA_prev"),
    ("linear_backward", "dW without the transpose, with @",
     linear_backward_with(dw="dZ @ A_prev / m"), "exactly one transpose"),
    ("linear_activation_backward", "always relu", la_backward_with(
        dz="relu_backward(dA, activation_cache)"), "is what 'relu' gives"),
    ("linear_activation_backward", "no activation step", la_backward_with(dz="dA"),
     "BACKWARD[activation]"),
    ("linear_activation_backward", "whole cache", la_backward_with(cache="cache"),
     "linear_cache, activation_cache = cache"),
    ("linear_activation_backward", "caches swapped", la_backward_with(
        dz="BACKWARD[activation](dA, linear_cache)", cache="activation_cache"),
     "the activation's backward helper takes activation_cache (Z)"),
    ("linear_activation_backward", "tanh derivative of Z", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "tanh":
        dZ = dA * (1 - Z ** 2)
    else:
        dZ = BACKWARD[activation](dA, Z)
    return linear_backward(dZ, linear_cache)
""", "1 - tanh(Z)**2"),
    ("L_model_backward", "keys off by one", backward_with(shift=" + 1"),
     "for L = 1 the keys are dA0, dW1, db1"),
    ("L_model_backward", "dAL sign",
     backward_with(dal="np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)"), "sign is flipped"),
    ("L_model_backward", "sigmoid hidden", backward_with(hidden='"sigmoid"'),
     "is a hidden layer"),
    ("L_model_backward", "activation not passed on", backward_with(hidden='"relu"'),
     "(here 'tanh')"),
    ("L_model_backward", "relu output", backward_with(last="activation"),
     "layer L is the sigmoid layer"),
    ("L_model_backward", "dZ instead of dA", backward_with(dal="AL - Y"),
     "AL - Y is already dZ[L]"),
    ("L_model_backward", "cache of the layer above", backward_with().replace(
        "caches[l], activation", "caches[l + 1], activation"),
     "must belong to the same layer"),
    ("update_parameters", "mutates", UPDATE.format(body="""L = len(params) // 2
    for l in range(1, L + 1):
        params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return params"""), "changed its input `params`"),
    ("update_parameters", "adds", UPDATE.format(body="""parameters = copy.deepcopy(params)
    for l in range(1, len(params) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return parameters"""), "moved uphill"),
    ("update_parameters", "skips the last layer", UPDATE.format(body="""parameters = dict(params)
    for l in range(1, len(params) // 2):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters"""), "did not change"),
    ("update_parameters", "weights only", UPDATE.format(body="""parameters = dict(params)
    for l in range(1, len(params) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters"""), "both W and b"),
    ("update_parameters", "L = len(params)", UPDATE.format(body="""parameters = dict(params)
    for l in range(1, len(params) + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters"""), "len(params) // 2"),
    ("update_parameters", "fixed rate", UPDATE.format(body="""parameters = dict(params)
    for l in range(1, len(params) // 2 + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - 0.0075 * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - 0.0075 * grads["db" + str(l)]
    return parameters"""), "learning_rate argument"),
    ("two_layer_model", "cost every iteration", two_layer_with(when="True"), "i % 100 == 0"),
    ("two_layer_model", "cost at 99, 199", two_layer_with(when="i % 100 == 99"), "i % 100 == 0"),
    ("two_layer_model", "fixed learning rate", two_layer_with(lr="0.0075"),
     "learning_rate argument"),
    ("two_layer_model", "dA2 sign",
     two_layer_with(da2="np.divide(Y, A2) - np.divide(1 - Y, 1 - A2)"), "moved uphill"),
    ("two_layer_model", "dA2 = A2 - Y", two_layer_with(da2="A2 - Y"), "slope was applied twice"),
    ("two_layer_model", "relu output", two_layer_with(out='"relu"'), "'sigmoid' for layer 2"),
    ("two_layer_model", "deep initialization", two_layer_with(init="initialize_parameters_deep("
                                                              "layers_dims)"),
     "initialize_parameters(n_x, n_h, n_y)"),
    ("L_layer_model", "init_scale not passed on", l_layer_with(init=""),
     "init_scale=init_scale"),
    ("L_layer_model", "activation not passed to forward", l_layer_with(fwd=""),
     "L_model_forward(X, parameters, activation=activation)"),
    ("L_layer_model", "activation not passed to backward", l_layer_with(bwd=""),
     "L_model_backward(AL, Y, caches, activation=activation)"),
    ("L_layer_model", "cost every iteration", l_layer_with(when="True"), "i % 100 == 0"),
    ("L_layer_model", "fixed learning rate", l_layer_with(lr="0.0075"), "learning_rate argument"),
]

ALTERNATIVES = [
    ("initialize_parameters", """
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    params = {}
    for l, (n, n_prev) in enumerate([(n_h, n_x), (n_y, n_h)], start=1):
        params[f"W{l}"] = 0.01 * np.random.randn(n, n_prev)
        params[f"b{l}"] = np.zeros([n, 1])
    return params
"""),
    ("initialize_parameters_deep", """
def initialize_parameters_deep(layer_dims, *, init_scale=0.01):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        if init_scale == "xavier":
            W = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        else:
            W = np.random.randn(layer_dims[l], layer_dims[l - 1]) * init_scale
        parameters[f"W{l}"] = W
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
"""),
    ("linear_forward", "def linear_forward(A, W, b):\n    return W @ A + b, (A, W, b)"),
    ("linear_forward", """
def linear_forward(A, W, b):
    Z = np.zeros((W.shape[0], A.shape[1]))
    for i in range(W.shape[0]):
        for j in range(A.shape[1]):
            Z[i, j] = sum(W[i, k] * A[k, j] for k in range(W.shape[1])) + b[i, 0]
    return Z, (A, W, b)
"""),
    ("linear_activation_forward", LINEAR_ACTIVATION_FORWARD.format(body="""
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    elif activation == "tanh":
        A, activation_cache = np.tanh(Z), Z
    elif activation == "leaky_relu":
        A, activation_cache = np.where(Z > 0, Z, 0.01 * Z), Z
    return A, (linear_cache, activation_cache)""")),
    ("L_model_forward", """
def L_model_forward(X, parameters, *, activation="relu"):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             "sigmoid" if l == L else activation)
        caches.append(cache)
    return A, caches
"""),
    ("compute_cost", """
def compute_cost(AL, Y):
    return np.squeeze(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
"""),
    ("compute_cost", """
def compute_cost(AL, Y):
    m = Y.shape[1]
    return float(-(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T)[0, 0] / m)
"""),
    ("linear_backward", linear_backward_with(dw="dZ @ A_prev.T / m",
                                             db="np.mean(dZ, axis=1, keepdims=True)",
                                             da="W.T @ dZ")),
    ("linear_backward", linear_backward_with(db="dZ.sum(axis=1).reshape(-1, 1) / m")),
    ("linear_activation_backward", la_backward_with(dz="""{
        "sigmoid": lambda: dA * sigmoid(activation_cache)[0] * (1 - sigmoid(activation_cache)[0]),
        "relu": lambda: dA * (activation_cache > 0),
        "tanh": lambda: dA * (1 - np.tanh(activation_cache) ** 2),
        "leaky_relu": lambda: np.where(activation_cache > 0, dA, 0.01 * dA),
    }[activation]()""")),
    ("linear_activation_backward", """
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        dZ = BACKWARD[activation](dA, activation_cache)
    return linear_backward(dZ, linear_cache)
"""),
    ("L_model_backward", """
def L_model_backward(AL, Y, caches, *, activation="relu"):
    L = len(caches)
    grads = {}
    (A_prev, W, b), Z = caches[-1]
    m = AL.shape[1]
    dZ = AL - Y.reshape(AL.shape)          # the sigmoid and the cost together
    grads[f"dW{L}"] = dZ @ A_prev.T / m
    grads[f"db{L}"] = dZ.mean(axis=1, keepdims=True)
    grads[f"dA{L - 1}"] = W.T @ dZ
    for l in range(L - 1, 0, -1):
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            grads[f"dA{l}"], caches[l - 1], activation)
    return grads
"""),
    ("L_model_backward", backward_with()),
    ("update_parameters", UPDATE.format(body="""parameters = copy.deepcopy(params)
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters""")),
    ("update_parameters", UPDATE.format(
        body='return {k: v - learning_rate * grads["d" + k] for k, v in params.items()}')),
    ("two_layer_model", two_layer_with()),
    ("two_layer_model", """
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False):
    n_x, n_h, n_y = layers_dims
    parameters, costs = initialize_parameters(n_x, n_h, n_y), []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        if i % 100 == 0:
            costs.append(float(compute_cost(AL, Y)))
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
"""),
    ("L_layer_model", l_layer_with()),
    ("L_layer_model", l_layer_with().replace("learning_rate", "alpha")
     .replace("layers_dims", "dims").replace("num_iterations", "epochs")),
    ("L_layer_model", """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                  *, activation="relu", init_scale=0.01):
    parameters, costs = initialize_parameters_deep(layers_dims, init_scale=init_scale), []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, activation=activation)
        if not i % 100:
            costs.append(float(compute_cost(AL, Y)))
        parameters = update_parameters(
            parameters, L_model_backward(AL, Y, caches, activation=activation), learning_rate)
    return parameters, costs
"""),
]

globals().update(check_suite("week3", MISTAKES, ALTERNATIVES))


# -- numerical gradients --------------------------------------------------------------------
def _network(dims: list[int], m: int, seed: int):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(size=(dims[l], 1))
    return X, Y, params


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
@pytest.mark.parametrize("dims", [[3, 1], [3, 4, 1], [3, 4, 3, 1], [3, 5, 4, 3, 1]],
                         ids=lambda d: f"{len(d) - 1}-layers")
def test_solution_backward_pass_matches_the_numerical_gradient(dims, activation):
    forward, backward = SOLUTION["L_model_forward"], SOLUTION["L_model_backward"]
    cost = SOLUTION["compute_cost"]
    X, Y, params = _network(dims, 6, seed=len(dims))
    AL, caches = forward(X, params, activation=activation)
    grads = backward(AL, Y, caches, activation=activation)
    assert sorted(grads) == sorted([f"dA{l}" for l in range(len(dims) - 1)]
                                   + [f"d{k}" for k in params])
    for key in params:
        numeric = numerical_gradient(
            lambda: cost(forward(X, params, activation=activation)[0], Y), params[key])
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key
    # dA0 = W1^T dZ1 carries no 1/m: it is m times the gradient of the cost with respect to X
    numeric = numerical_gradient(lambda: cost(forward(X, params, activation=activation)[0], Y), X)
    assert relative_difference(grads["dA0"], X.shape[1] * numeric) < 1e-6


@pytest.mark.parametrize("name", sorted(layer_activations.FORWARD))
def test_given_helpers_backward_matches_the_numerical_derivative(name):
    forward, backward = layer_activations.FORWARD[name], layer_activations.BACKWARD[name]
    rng = np.random.default_rng(7)
    Z = rng.normal(size=(3, 4))
    Z[np.abs(Z) < 0.05] = 0.3   # keep clear of the kinks of relu and leaky_relu
    dA = rng.normal(size=Z.shape)
    A, cache = forward(Z)
    assert cache is Z and A.shape == Z.shape
    numeric = numerical_gradient(lambda: np.sum(dA * forward(Z)[0]), Z)
    assert relative_difference(backward(dA, cache), numeric) < 1e-6
    assert getattr(layer_activations, name) is forward
    assert getattr(layer_activations, f"{name}_backward") is backward


# -- the backward passes are graded on their own ----------------------------------------------
WRONG_FORWARD = {  # a wrong forward function and cost, each rejected by its own hidden tests
    "linear_forward": "def linear_forward(A, W, b):\n    return np.dot(W, A), (A, W, b)\n",
    "linear_activation_forward": LINEAR_ACTIVATION_FORWARD.format(body="""
    A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)"""),
    "L_model_forward": forward_with(last="activation"),
    "compute_cost": "def compute_cost(AL, Y):\n"
                    "    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))\n",
}
BACKWARD_NAMES = ["linear_backward", "linear_activation_backward", "L_model_backward"]


def _with_wrong_forward() -> dict:
    namespace = dict(SOLUTION)
    for source in WRONG_FORWARD.values():
        exec(source, namespace)
    return namespace


@pytest.mark.parametrize("name", sorted(WRONG_FORWARD))
def test_the_wrong_forward_functions_fail_their_own_hidden_tests(name):
    namespace = {**SOLUTION, name: _with_wrong_forward()[name]}
    with pytest.raises(AssertionError), np.errstate(all="ignore"):
        run_test_cell(namespace, hidden_tests(graded_cells("week3")[name]))


def test_a_correct_L_model_backward_passes_its_hidden_tests_when_L_model_forward_is_wrong():
    namespace = dict(SOLUTION)
    exec(WRONG_FORWARD["L_model_forward"], namespace)
    run_test_cell(namespace, hidden_tests(graded_cells("week3")["L_model_backward"]))


@pytest.mark.parametrize("others", ["wrong", "not implemented"])
@pytest.mark.parametrize("name", BACKWARD_NAMES)
def test_backward_hidden_tests_do_not_use_the_forward_functions(name, others):
    """Numerical gradients of a loss the hidden test writes itself, on caches it builds itself:
    a correct backward pass keeps its points whatever the learner's forward functions and cost
    do, wrong or unfinished."""
    if others == "wrong":
        namespace = _with_wrong_forward()
    else:
        stubs = released_stubs("week3")
        namespace = {**SOLUTION, **{k: stubs[k] for k in WRONG_FORWARD}}
    run_test_cell(namespace, hidden_tests(graded_cells("week3")[name]))
