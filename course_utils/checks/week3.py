"""Visible checks for week 3 (a deep network built from layer blocks). Draws follow OUTER_SEED, so
a missing seed is caught; the models' one-step cases start from the initializations' outputs."""

from __future__ import annotations

import numpy as np

from . import diagnoses
from .cases import grid, labels, parameters
from .core import Check, alike, describe, layout, plural
from .exercise import Week

WEEK = Week("week3")
OUTER_SEED = 0  # the random state a check sets before calling; never a seed of the contract
ACTIVATION_NAMES = ["relu", "tanh", "sigmoid", "leaky_relu"]
DERIVATIVES = {"sigmoid": "s * (1 - s) with s = sigmoid(Z)", "relu": "1 where Z > 0, else 0",
               "tanh": "1 - tanh(Z)**2", "leaky_relu": "1 where Z > 0, else 0.01"}


def _backward_case(dims: list[int], seed: int, activation: str = "relu") -> dict:
    """(AL, Y, caches) as a forward pass leaves them: random Z per layer, A_prev = the activation of
    the layer below (given helpers), AL = sigmoid(Z[L]); a backward pass reads Z, never W A + b."""
    from ..layer_activations import FORWARD, sigmoid

    caches, A, m = [], grid(dims[0], 3, seed), 3
    for l in range(1, len(dims)):
        W, b = grid(dims[l], dims[l - 1], seed + 3 * l), grid(dims[l], 1, seed + 3 * l + 1, 0.3)
        Z = grid(dims[l], m, seed + 3 * l + 2)
        caches.append(((A, W, b), Z))
        A = (sigmoid if l == len(dims) - 1 else FORWARD[activation])(Z)[0]
    return {"AL": A, "Y": labels(m, seed + 99), "caches": caches, "activation": activation}


def _gradients(dims: list[int], m: int, seed: int) -> dict:
    """A grads dict as L_model_backward returns it, dA0..dA{L-1} included."""
    grads = {}
    for l in range(1, len(dims)):
        grads[f"dW{l}"] = grid(dims[l], dims[l - 1], seed + 3 * l)
        grads[f"db{l}"] = grid(dims[l], 1, seed + 3 * l + 1)
        grads[f"dA{l - 1}"] = grid(dims[l - 1], m, seed + 3 * l + 2)
    return grads


X_FORWARD = grid(4, 3, 321)
P_FORWARD = parameters([4, 3, 2, 1], 324)
X_MODEL = grid(3, 10, 381)
Y_MODEL = (X_MODEL[0:1] + X_MODEL[1:2] * X_MODEL[2:3] > 0).astype(float)
MODEL = {"X": X_MODEL, "Y": Y_MODEL}
XAVIER = {**MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.3, "init_scale": "xavier"}


def _check_linear_cache(check: Check, what: str, cache, want: tuple, hint: str,
                        a_prev_hint: str | None = None, context: str = "") -> None:
    """A cache (A_prev, W, b) against the stored one; `context` goes in each name's parentheses."""
    check.true(isinstance(cache, tuple | list) and len(cache) == 3,
               f"{what} must be the triple (A_prev, W, b), but it is {layout(cache)}.", hint)
    for index, (name, got, ref) in enumerate(zip(("A_prev", "W", "b"), cache, want)):
        check.close(f"{what}[{index}] ({name}{context})", got, ref,
                    a_prev_hint if index == 0 and a_prev_hint else hint)


def _check_layer_cache(check: Check, what: str, cache, want: tuple, hint: str,
                       a_prev_hint: str | None = None, want_A_out=None, context: str = "") -> None:
    """A cache ((A_prev, W, b), Z) of one layer against the stored one."""
    check.true(isinstance(cache, tuple | list) and len(cache) == 2
               and isinstance(cache[0], tuple | list) and len(cache[0]) == 3,
               f"{what}{f' ({context[2:]})' if context else ''} must be the pair (linear_cache, "
               f"activation_cache) = ((A_prev, W, b), Z), but it is {layout(cache)}.",
               "keep the cache as linear_activation_forward builds it: "
               "cache = (linear_cache, activation_cache).")
    _check_linear_cache(check, f"{what}[0]", cache[0], want[0], hint, a_prev_hint, context)
    Z, want_Z = cache[1], want[1]
    if want_A_out is not None and not alike(want_Z, want_A_out) and alike(Z, want_A_out):
        check.fail(f"{what}[1] is the layer's output A, but the activation cache must be Z.",
                   "keep what the helper returns as its cache: A, activation_cache = "
                   "FORWARD[activation](Z), then cache = (linear_cache, activation_cache).")
    check.close(f"{what}[1] (Z{context})", Z, want_Z, "the activation cache is Z = W A_prev + b "
                f"(what the helper returns as its cache), not A. {hint}")


@WEEK.exercise("initialize_parameters(n_x, n_h, n_y)",
               [{"n_x": 3, "n_h": 4, "n_y": 1}, {"n_x": 4, "n_h": 3, "n_y": 2}], seed=OUTER_SEED)
def check_initialize_parameters(check, case, params, want):
    order_hint = ("call np.random.seed(1) first, then draw W1 = np.random.randn(n_h, n_x) * 0.01 "
                  "and W2 = np.random.randn(n_y, n_h) * 0.01, in this order (randn: normal "
                  "numbers, not uniform).")
    names = ["n_x", "n_h", "n_y"]
    dims, context = [case[n] for n in names], f" ({', '.join(f'{n}={case[n]}' for n in names)})"
    diagnoses.initial_parameters(check, "parameters", params, dims, context, names=names)
    diagnoses.seeds_itself(check, case, params, 1)
    diagnoses.draws(check, params, want, [0.01, 0.01], 1, order_hint, seed_hint=(
        "call np.random.seed(1) first. In week 2, nn_model set the seed (3) for its "
        "initialize_parameters; here each initialization seeds itself: initialize_parameters "
        "with 1, initialize_parameters_deep with 3."))
    diagnoses.parameters(check, "parameters", params, want, order_hint)


@WEEK.exercise("initialize_parameters_deep(layer_dims, *, init_scale=0.01)", [
    {"layer_dims": [3, 4, 1]}, {"layer_dims": [5, 4, 3, 1]},
    {"layer_dims": [4, 3, 2, 1], "init_scale": 0.5},
    {"layer_dims": [3, 4, 3, 1], "init_scale": "xavier"},
    {"layer_dims": [2, 1], "init_scale": 1}], seed=OUTER_SEED,
    hints={"dtype('<U": "init_scale may be the string 'xavier': then layer l uses scale = "
                        "np.sqrt(1 / layer_dims[l - 1]); otherwise scale = init_scale. Multiply "
                        "by scale, not by init_scale itself."})
def check_initialize_parameters_deep(check, case, params, want):
    dims, init_scale = case["layer_dims"], case.given("init_scale")
    L, context = len(dims) - 1, f" (layer_dims={dims}, init_scale={init_scale!r})"
    diagnoses.initial_parameters(
        check, "parameters", params, dims, context,
        f"the network has L = len(layer_dims) - 1 = {L} layers: keys W1..W{L} and b1..b{L}, "
        "for l in range(1, len(layer_dims)).")
    diagnoses.seeds_itself(check, case, params, 3)
    scales = [np.sqrt(1 / dims[l - 1]) if init_scale == "xavier" else init_scale
              for l in range(1, L + 1)]
    scale_hint = ("with init_scale='xavier', layer l uses sqrt(1 / layer_dims[l - 1]) (the number "
                  "of inputs of the layer), here " + ", ".join(
                      f"{scale:.4g} for W{l}" for l, scale in enumerate(scales, start=1)) + "."
                  if init_scale == "xavier" else f"multiply by the init_scale argument (here "
                  f"{init_scale}); the default init_scale=0.01 is the classic scale.")
    diagnoses.draws(check, params, want, scales, 3, scale_hint,
                    seed_hint="keep the given first line np.random.seed(3) and seed nothing "
                              "else: seed 1 belongs to initialize_parameters.")
    diagnoses.parameters(check, "parameters", params, want, "call np.random.seed(3) once, then for "
                         "l = 1 .. L in order draw W = np.random.randn(layer_dims[l], "
                         "layer_dims[l-1]) * scale. " + scale_hint, context)


@WEEK.exercise("linear_forward(A, W, b)", [
    {"A": grid(3, 2, 301), "W": grid(1, 3, 302), "b": grid(1, 1, 303)},
    {"A": grid(3, 4, 304), "W": grid(3, 3, 305), "b": grid(3, 1, 306)}],
    hints={"not aligned": "Z = np.dot(W, A) + b: W (n[l], n[l-1]) times A (n[l-1], m) gives "
                          "(n[l], m); W comes first and needs no transpose.",
           "broadcast": "two arrays of shapes that do not fit were combined entry by entry: "
                        "W * A multiplies entry by entry, whereas Z = np.dot(W, A) + b (or "
                        "W @ A + b) is a matrix product; b (n[l], 1) is added as it is, "
                        "without a transpose."})
def check_linear_forward(check, case, out, want):
    Z, cache = diagnoses.returns(check, out, "Z, cache")
    W, A = case["W"].shape, case["A"].shape
    check.shape("Z", Z, (W[0], A[1]), f"Z = np.dot(W, A) + b: W {W} times A {A} gives "
                                      f"{(W[0], A[1])}.")
    check.close(f"Z (W of shape {W}, A of shape {A})", Z, want[0],
                "Z = np.dot(W, A) + b: W first, no transpose, and the bias added once.")
    _check_linear_cache(check, "cache", cache, want[1],
                        "the linear cache is (A_prev, W, b) in this order: return (A, W, b).")


@WEEK.exercise("linear_activation_forward(A_prev, W, b, activation)", [
    {"A_prev": grid(3, 4, 311), "W": grid(2, 3, 312), "b": grid(2, 1, 313), "activation": a}
    for a in ("sigmoid", "relu", "tanh", "leaky_relu")],
    hints={"UnboundLocalError": "support all four activations: 'sigmoid', 'relu', 'tanh' and "
                                "'leaky_relu' (FORWARD[activation] is the helper of that name).",
           "KeyError": "FORWARD[activation] knows 'sigmoid', 'relu', 'tanh' and 'leaky_relu'."})
def check_linear_activation_forward(check, case, out, want):
    name = case["activation"]
    A, cache = diagnoses.returns(check, out, "A, cache")
    check.true(not isinstance(A, tuple | list), f"A must be an array, but it is {layout(A)}.",
               "the given helpers return a pair: A, activation_cache = relu(Z).")
    other = case.gives(A, "activation", 0)
    check.true(other is None, f"with activation={name!r}, A is what {other!r} gives.",
               "use the activation argument: A, activation_cache = FORWARD[activation](Z) "
               "(or one branch per name).")
    check.close(f"A (activation={name!r})", A, want[0], f"A = {name}(Z) with Z = W A_prev + b: "
                "call your linear_forward, then FORWARD[activation](Z).")
    _check_layer_cache(check, "cache", cache, want[1],
                       "return cache = (linear_cache, activation_cache).", want_A_out=want[0])


@WEEK.exercise("L_model_forward(X, parameters, *, activation='relu')", [
    *({"X": X_FORWARD, "parameters": P_FORWARD, "activation": a} for a in ACTIVATION_NAMES),
    {"X": X_FORWARD, "parameters": parameters([4, 3, 1], 332)},
    {"X": X_FORWARD, "parameters": parameters([4, 1], 337)}],
    hints={"KeyError": "L = len(parameters) // 2: parameters holds a W and a b per layer, "
                       "and the layers are numbered 1 .. L.",
           "not aligned": "layer l takes the output A of layer l - 1 (A = X for layer 1 only): "
                          "A, cache = linear_activation_forward(A, W, b, ...)."})
def check_L_model_forward(check, case, out, want):
    name, m, L = case.given("activation"), case["X"].shape[1], len(case["parameters"]) // 2
    AL, caches = diagnoses.returns(check, out, "AL, caches")
    want_AL, want_caches = want
    label = f"({plural(L, 'layer')}, activation={name!r})"
    check.true(isinstance(caches, list | tuple) and len(caches) == L,
               f"caches must be a list of {L} caches, one per layer {label}, but it is "
               + (f"a list of {len(caches)}." if isinstance(caches, list | tuple)
                  else f"{describe(caches)}."),
               "append the cache of every layer, the last (sigmoid) one included: "
               "layers 1 .. L-1 in the loop, then layer L.")
    for l in range(1, L + 1):
        hidden_hint = (f"A{l - 1} = {name}(Z{l - 1}): the hidden layers 1 .. L-1 use the "
                       f"activation argument (here {name!r}); only layer L uses 'sigmoid'.")
        _check_layer_cache(
            check, f"caches[{l - 1}]", caches[l - 1], want_caches[l - 1],
            f"caches[{l - 1}] belongs to layer {l}: linear_activation_forward(A, "
            f"parameters['W{l}'], parameters['b{l}'], ...), with A the output of layer "
            f"{l - 1}.", hidden_hint if l > 1 else None,
            want_caches[l][0][0] if l < L else want_AL, f", layer {l} of {label[1:-1]}")
    check.shape(f"AL {label}", AL, (1, m), "AL has one column per example: (1, m).")
    check.close(f"AL {label}", AL, want_AL, "the output layer L always uses 'sigmoid': "
                "linear_activation_forward(A, W[L], b[L], 'sigmoid').")


@WEEK.exercise("compute_cost(AL, Y)", [
    {"AL": np.array([[0.8, 0.9, 0.4]]), "Y": np.array([[1.0, 1.0, 0.0]])},
    {"AL": np.abs(grid(1, 9, 341)) % 0.98 + 0.01, "Y": labels(9, 342)}],
    hints=diagnoses.row_product_hints("AL"))
def check_compute_cost(check, case, cost, want):
    check.scalar("cost", cost, "np.dot gives a (1, 1) array: turn it into a single number with "
                               "cost = np.squeeze(cost).")
    diagnoses.cross_entropy(check, "cost", cost, want, case["AL"], case["Y"])


@WEEK.exercise("linear_backward(dZ, cache)", [
    {"dZ": grid(3, 4, 351), "cache": (grid(3, 4, 352), grid(3, 3, 353), grid(3, 1, 354))},
    {"dZ": grid(3, 4, 355), "cache": (grid(5, 4, 356), grid(3, 5, 357), grid(3, 1, 358))}],
    hints={"not aligned": "dW = (1/m) np.dot(dZ, A_prev.T) and dA_prev = np.dot(W.T, dZ): "
                          "each product has exactly one transpose."})
def check_linear_backward(check, case, out, want):
    A_prev, W, _ = case["cache"]
    m = A_prev.shape[1]
    dA_prev, dW, db = diagnoses.returns(check, out, "dA_prev, dW, db")
    check.close(f"dA_prev (W of shape {W.shape})", dA_prev, want[0], m=m,
                hint="dA_prev = np.dot(W.T, dZ): the transpose goes on W, and there is no "
                     "1/m in dA_prev.")
    check.close("dW", dW, want[1], m=m, hint="dW = (1/m) np.dot(dZ, A_prev.T) has the shape of W.")
    diagnoses.bias_gradient(check, "db", db, want[2], m)


@WEEK.exercise("linear_activation_backward(dA, cache, activation)", [
    {"dA": grid(2, 5, 364),
     "cache": ((grid(3, 5, 361), grid(2, 3, 362), grid(2, 1, 363)), grid(2, 5, 365)),
     "activation": a} for a in ("sigmoid", "relu", "tanh", "leaky_relu")],
    hints={**dict.fromkeys(("unpack", "'tuple'"),
                           "the cache is ((A_prev, W, b), Z): linear_cache, activation_cache = "
                           "cache; the activation's backward helper takes activation_cache (Z), "
                           "linear_backward takes linear_cache (A_prev, W, b)."),
           "UnboundLocalError": "support all four activations: 'sigmoid', 'relu', 'tanh' and "
                                "'leaky_relu' (BACKWARD[activation] is the helper of that name)."})
def check_linear_activation_backward(check, case, out, want):
    name, m = case["activation"], case["dA"].shape[1]
    dA_prev, dW, db = diagnoses.returns(check, out, "dA_prev, dW, db")
    derivative = (f"dZ = dA * g'(Z) with g = {name}, g'(Z) = {DERIVATIVES[name]}: "
                  "use BACKWARD[activation](dA, activation_cache), then your "
                  "linear_backward(dZ, linear_cache).")
    other = case.gives(dW, "activation", 1)
    check.true(other is None, f"with activation={name!r}, dW is what {other!r} gives.",
               f"use the activation argument for the derivative. {derivative}")
    check.close(f"dW (activation={name!r})", dW, want[1], m=m, hint=derivative)
    diagnoses.bias_gradient(check, f"db (activation={name!r})", db, want[2], m, derivative)
    check.close(f"dA_prev (activation={name!r})", dA_prev, want[0], m=m,
                hint="dA_prev = W^T dZ, from linear_backward.")


@WEEK.exercise("L_model_backward(AL, Y, caches, *, activation='relu')", [
    _backward_case([3, 1], 400), _backward_case([3, 4, 1], 410), _backward_case([4, 3, 2, 1], 420),
    *(_backward_case([4, 3, 2, 1], 420, a) for a in ACTIVATION_NAMES[1:]),
    _backward_case([3, 4, 3, 2, 1], 440)],
    hints=dict.fromkeys(("broadcast", "not aligned"), "each layer's dA and cache must belong to "
                        "the same layer: caches[l - 1] belongs to layer l, so hidden layer l = "
                        "L-1 .. 1 uses linear_activation_backward(grads['dA' + str(l)], "
                        "caches[l - 1], activation)."))
def check_L_model_backward(check, case, grads, want):
    name, m, L = case.given("activation"), case["AL"].shape[1], len(case["caches"])
    label = f"({plural(L, 'layer')}, activation={name!r})"
    keys = [f"dA{l}" for l in range(L)] + [f"{p}{l}" for p in ("dW", "db") for l in range(1, L + 1)]
    check.keys(f"grads {label}", grads, keys,
               "layer l stores grads['dA' + str(l - 1)], grads['dW' + str(l)] and "
               f"grads['db' + str(l)], so for L = {L} the keys are {', '.join(keys)}.")
    top, AL = f"dA{L - 1}", case["AL"]  # dAL = AL - Y (dZ[L] already) applies sigma' twice
    check.true(alike(grads[top], want[top]) or not alike(grads[top], want[top] * AL * (1 - AL)),
               f"grads['{top}'] {label} is the expected one times AL * (1 - AL), the sigmoid's "
               "slope: it was applied twice.",
               "AL - Y is already dZ[L] = dA[L] * sigma'(Z[L]), not dA[L], and "
               "linear_activation_backward(..., 'sigmoid') multiplies by sigma'(Z[L]) itself. "
               "Start from dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)).")
    for l in range(L, 0, -1):
        hint = ("layer L is the sigmoid layer: start from dAL = -(np.divide(Y, AL) - "
                "np.divide(1 - Y, 1 - AL)) and go back through it with caches[L - 1] and "
                "'sigmoid'." if l == L else f"layer {l} is a hidden layer: "
                f"linear_activation_backward(grads['dA{l}'], caches[{l - 1}], activation) with "
                f"the activation argument (here {name!r}); only layer L uses 'sigmoid'.")
        check.close(f"grads['dW{l}'] {label}", grads[f"dW{l}"], want[f"dW{l}"], m=m, hint=hint)
        diagnoses.bias_gradient(check, f"grads['db{l}'] {label}", grads[f"db{l}"],
                                want[f"db{l}"], m, hint)
        check.close(f"grads['dA{l - 1}'] {label}", grads[f"dA{l - 1}"], want[f"dA{l - 1}"],
                    hint=f"dA{l - 1} = W{l}^T dZ{l} is the dA_prev of layer {l}: store it "
                         f"under 'dA' + str({l} - 1).")


@WEEK.exercise("update_parameters(params, grads, learning_rate)", [
    {"params": parameters([3, 4, 1], 373), "grads": _gradients([3, 4, 1], 5, 372),
     "learning_rate": 0.1},
    {"params": parameters([4, 3, 2, 1], 377), "grads": _gradients([4, 3, 2, 1], 5, 376),
     "learning_rate": 0.05}],
    hints={"KeyError": "L = len(params) // 2: params holds a W and a b per layer, numbered "
                       "1 .. L; grads also holds dA0 .. dA{L-1}, which are not parameters."})
def check_update_parameters(check, case, params, want):
    lr, L = case["learning_rate"], len(case["params"]) // 2
    diagnoses.step(check, "the new parameters", params, case["params"], want, lr,
                   diagnoses.parameter_keys(L), "update every layer, l = 1 .. L, both W and b: ")
    diagnoses.parameters(check, "the new parameters", params, want,
                         f"W[l] = W[l] - learning_rate * dW[l] and b[l] = b[l] - learning_rate "
                         f"* db[l] for every layer l = 1 .. {L}, with learning_rate={lr}.")


def _check_model(check: Check, case, out, want, start: dict | None, first_hint: str,
                 train_hint: str) -> None:
    params, costs = diagnoses.returns(check, out, "parameters, costs")
    want_params, want_costs = want
    n, lr = case["num_iterations"], case.given("learning_rate")
    diagnoses.costs(check, costs, want_costs, n, "append the cost of iterations 0, 100, 200, ...: "
                    "i % 100 == 0, computed before the update of that iteration.", first_hint)
    check.keys("the trained parameters", params, list(want_params))
    if n == 1 and start is not None:  # the outputs start at about sigma(0) = 0.5, sigma' = 1/4
        moved = {k: np.asarray(params[k], float) - v for k, v in start.items()
                 if np.shape(params[k]) == np.shape(v)}
        quarter = {k: (want_params[k] - v) / 4 for k, v in start.items()}
        check.true(alike(params, want_params) or not alike(moved, quarter, rtol=1e-3, atol=1e-12),
                   "after one iteration, every parameter moved a quarter as far as it should: "
                   "the initial outputs are about sigma(0) = 0.5, where the sigmoid's slope is "
                   "1/4, so that slope was applied twice.",
                   "A2 - Y (or AL - Y) is already dZ, not dA: linear_activation_backward(..., "
                   "'sigmoid') multiplies by sigma'(Z) itself. Start from dA2 = -(np.divide(Y, "
                   "A2) - np.divide(1 - Y, 1 - A2)).")
        diagnoses.step(check, "after one iteration, the parameters", params, start, want_params,
                       lr, diagnoses.parameter_keys(len(want_params) // 2),
                       "update every layer, l = 1 .. L, both W and b: ")
    diagnoses.parameters(check, "the trained parameters", params, want_params, train_hint,
                         f" (num_iterations={n}, learning_rate={lr})")


@WEEK.exercise("two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, "
               "print_cost=False)", [
    {**MODEL, "layers_dims": (3, 4, 1), "learning_rate": 0.5, "num_iterations": 1},
    {**MODEL, "layers_dims": (3, 4, 1), "learning_rate": 0.5, "num_iterations": 301},
    {**MODEL, "layers_dims": (3, 5, 1), "num_iterations": 201}], seed=OUTER_SEED)
def check_two_layer_model(check, case, out, want):
    n_x, n_h, n_y = case["layers_dims"]
    start = WEEK.exercises["initialize_parameters"].stored(n_x=n_x, n_h=n_h, n_y=n_y)
    _check_model(check, case, out, want, start,
                 "the cost of iteration 0 comes from the initial parameters: initialize with "
                 "initialize_parameters(n_x, n_h, n_y) (seed 1 inside), then forward with "
                 "'relu' for layer 1 and 'sigmoid' for layer 2. Make the checks above pass first.",
                 "each iteration: forward ('relu' then 'sigmoid'), the cost, dA2 = -(Y/A2 - "
                 "(1-Y)/(1-A2)), backward through layer 2 ('sigmoid') then layer 1 ('relu'), "
                 "and update_parameters(parameters, grads, learning_rate) with the "
                 "learning_rate argument.")


@WEEK.exercise("L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, "
               "print_cost=False, *, activation='relu', init_scale=0.01)", [
    {**MODEL, "layers_dims": [3, 4, 1], "learning_rate": 0.5, "num_iterations": 1},
    {**XAVIER, "num_iterations": 1, "activation": "tanh"},
    {**MODEL, "layers_dims": [3, 4, 1], "num_iterations": 101}, {**XAVIER, "num_iterations": 201},
    {**XAVIER, "num_iterations": 201, "activation": "tanh"},
    {**MODEL, "layers_dims": [3, 4, 3, 1], "learning_rate": 0.5, "num_iterations": 101,
     "activation": "sigmoid", "init_scale": 1.0}], seed=OUTER_SEED)
def check_L_layer_model(check, case, out, want):
    name, init_scale = case.given("activation"), case.given("init_scale")
    start = WEEK.exercises["initialize_parameters_deep"].stored(
        layer_dims=case["layers_dims"], init_scale=init_scale)
    _check_model(check, case, out, want, start, "the cost of iteration 0 comes from the initial "
                 "parameters and the forward pass: initialize_parameters_deep(layers_dims, "
                 "init_scale=init_scale) and L_model_forward(X, parameters, activation=activation) "
                 f"(here activation={name!r}, init_scale={init_scale!r}).",
                 "each iteration: L_model_forward(X, parameters, activation=activation), "
                 "compute_cost, L_model_backward(AL, Y, caches, activation=activation) (here "
                 f"activation={name!r}) and update_parameters(parameters, grads, learning_rate) "
                 "with the learning_rate argument.")


CHECKS = WEEK.exercises
