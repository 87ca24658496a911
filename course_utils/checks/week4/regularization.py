"""Visible checks of week 4's regularization section: the L2 cost and its backward pass, and
inverted dropout forward and backward on the given 3-layer network.

Every L2 case has a twin with lambd = 0, whose stored value is the unregularized one, so the
L2 part of an answer (the answer minus its twin's) can be named when it is missing, halved,
m times too large or has the biases in it, without a reference formula. The dropout forward
pass seeds itself (seed 1 inside); its masks are compared with the uniform numbers that
np.random.seed(1) produces, so masks drawn in another order, transposed, compared the wrong
way or from another seed are named. The backward cases' caches are built from random Z and
masks (a backward pass reads the cache only), never by a forward pass of the solution.
"""

from __future__ import annotations

import numpy as np

from ...activations import logistic, relu
from ...three_layer import GRADIENT_KEYS, three_layer_forward
from .. import diagnoses
from ..cases import grid, labels
from ..core import Check, describe, layout, show
from . import WEEK

OUTER_SEED = 0  # the random state a check sets before calling; never a seed of the contract
DROPOUT_SEED = 1  # "seed 1 inside"
SEEDS_TRIED = range(11)  # a wrong seed among these is named
DROPOUT_CACHE_NAMES = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3",
                       "W3", "b3")


# -- fixed inputs -------------------------------------------------------------------------
def _parameters(dims: list[int], seed: int) -> dict:
    """W1..W3, b1..b3 of moderate size with nonzero biases (so a regularized bias shows)."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = grid(dims[l], dims[l - 1], seed + 2 * l, 0.8)
        params[f"b{l}"] = grid(dims[l], 1, seed + 2 * l + 1, 0.3)
    return params


def _dropout_cache(dims: list[int], m: int, keep_prob: float, seed: int) -> tuple:
    """A 14-tuple as a dropout forward pass leaves it: random Z of every layer, masks D1, D2,
    hidden A = relu(Z) * D / keep_prob and A3 = sigmoid(Z3) (a backward pass reads the cache
    only, so Z need not be recomputed from the weights)."""
    masks = np.random.default_rng(seed).random((dims[1] + dims[2], m)) < keep_prob
    D1, D2 = masks[:dims[1]], masks[dims[1]:]
    W = [grid(dims[l], dims[l - 1], seed + 2 * l, 0.8) for l in (1, 2, 3)]
    b = [grid(dims[l], 1, seed + 2 * l + 1, 0.3) for l in (1, 2, 3)]
    Z1, Z2, Z3 = (grid(dims[l], m, seed + 10 + l) for l in (1, 2, 3))
    A1, A2 = relu(Z1) * D1 / keep_prob, relu(Z2) * D2 / keep_prob
    return (Z1, D1, A1, W[0], b[0], Z2, D2, A2, W[1], b[1], Z3, logistic(Z3), W[2], b[2])


X_A, Y_A, P_A = grid(3, 5, 411), labels(5, 412), _parameters([3, 4, 2, 1], 413)
X_B, Y_B, P_B = grid(4, 4, 421), labels(4, 422), _parameters([4, 3, 3, 1], 423)
A3_A, CACHE_A = three_layer_forward(X_A, P_A)
A3_B, CACHE_B = three_layer_forward(X_B, P_B)


# -- L2 cost --------------------------------------------------------------------------------
def _check_numpy_float(check: Check, what: str, value) -> None:
    """A 0-d numpy float64 (np.float64, or a 0-d array of it), not a Python float or an array."""
    __tracebackhide__ = True
    check.scalar(what, value, "np.sum(...) of a whole matrix is a single number already; a "
                              "(1, 1) array from np.dot must be squeezed, np.squeeze(...).")
    check.true(type(value) is not float and np.asarray(value).dtype == np.float64,
               f"{what} must be a 0-d numpy float (np.float64), but it is {describe(value)}.",
               "return the sum as it comes, cross_entropy + L2_cost: the given "
               "cross_entropy_cost returns an np.float64, and so does np.sum, so their sum is "
               "one too; drop the float(...) or .item().")


L2_COST = "lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + " \
          "np.sum(np.square(W3)))"


def _l2_cost_hint(got: float, want: float, plain: float, parameters: dict, m: int) -> str | None:
    """Names a wrong L2 part (the answer minus the cross-entropy, `plain`) from the value alone,
    comparing it with the L2 parts that a known slip gives."""
    got_l2, want_l2 = got - plain, want - plain
    squares = {key: float(np.sum(np.square(value))) for key, value in parameters.items()}
    weights = sum(squares[f"W{l}"] for l in (1, 2, 3))
    unit = want_l2 / weights  # lambd / (2 m)
    wrong = [
        (0.0, "the L2 cost is missing (or lambd is not used): add it to the cross-entropy."),
        (want_l2 * m, "the L2 cost is m times too large: the 1/m is missing, lambd / (2 * m)."),
        (want_l2 * m * m, "lambd / 2 * m multiplies by m: write lambd / (2 * m), with the "
                          "parentheses."),
        (want_l2 * 2, "the L2 cost is twice as large: the factor is lambd / (2 * m), with the "
                      "2."),
        (-want_l2, "the L2 cost is subtracted: it is added to the cross-entropy."),
        (want_l2 + unit * sum(squares[f"b{l}"] for l in (1, 2, 3)),
         "the biases are in the L2 cost: only the weights W1, W2 and W3 are regularized."),
        (unit * sum(np.sqrt(squares[f"W{l}"]) for l in (1, 2, 3)),
         "np.linalg.norm(W) is the square root of the sum of squares: square it, or use "
         "np.sum(np.square(W)), the squared Frobenius norm."),
        *((want_l2 - unit * squares[f"W{l}"], f"W{l} is missing from the L2 cost: it sums the "
           "squares of all three weight matrices, W1, W2 and W3.") for l in (1, 2, 3)),
    ]
    for value, hint in wrong:
        if not np.isclose(value, want_l2, rtol=1e-6) and np.isclose(
                got_l2, value, rtol=1e-6, atol=1e-6 * abs(want)):  # the stored values keep 7 digits
            return hint
    return None


@WEEK.exercise("compute_cost_with_regularization(A3, Y, parameters, lambd)", [
    {"A3": A3_A, "Y": Y_A, "parameters": P_A, "lambd": 0.0},
    {"A3": A3_A, "Y": Y_A, "parameters": P_A, "lambd": 0.7},
    {"A3": A3_A, "Y": Y_A, "parameters": P_A, "lambd": 0.1},
    {"A3": A3_B, "Y": Y_B, "parameters": P_B, "lambd": 0.0},
    {"A3": A3_B, "Y": Y_B, "parameters": P_B, "lambd": 0.3}],
    hints={"KeyError": "parameters holds W1, b1, W2, b2, W3 and b3: read the weights as "
                       "parameters['W1'], parameters['W2'] and parameters['W3']."})
def check_compute_cost_with_regularization(check, case, cost, want):
    lambd, m = case["lambd"], case["Y"].shape[1]
    what = f"the cost (lambd={lambd})"
    _check_numpy_float(check, what, cost)
    if lambd == 0:
        diagnoses.cross_entropy(check, what, cost, want, case["A3"], case["Y"],
                                "with lambd=0 the cost is the cross-entropy alone: use the given "
                                "cross_entropy_cost(A3, Y), then add the L2 cost.")
        return
    plain = float(case.stored(lambd=0.0))
    check.close(what, cost, want, _l2_cost_hint(float(cost), float(want), plain,
                                                case["parameters"], m)
                or f"cost = cross_entropy_cost(A3, Y) + L2_cost with L2_cost = {L2_COST}.")


# -- L2 backward ----------------------------------------------------------------------------
def _gradient_hints(dropout: bool) -> dict:
    """What each gradient is, for the hints (dW with the L2 term, dA with the mask)."""
    def dA(l: int) -> str:
        mask = f" * D{l} / keep_prob" if dropout else ""
        return f"dA{l} = np.dot(W{l + 1}.T, dZ{l + 1}){mask}."

    def dW(l: int, A_prev: str) -> str:
        l2 = "" if dropout else f" + (lambd / m) * W{l}"
        return f"dW{l} = (1/m) np.dot(dZ{l}, {A_prev}.T){l2}."

    def dZ(l: int) -> str:
        return (f"dZ{l} = dA{l} * (A{l} > 0): the ReLU passes the gradient where its output is "
                "positive.")

    return {"dZ3": "dZ3 = A3 - Y.", "dW3": dW(3, "A2"), "dA2": dA(2), "dZ2": dZ(2),
            "dW2": dW(2, "A1"), "dA1": dA(1), "dZ1": dZ(1), "dW1": dW(1, "X")}


def _check_gradients(check: Check, grads, want: dict, m: int, hints: dict, label: str,
                     diagnose=None) -> None:
    """The 11 keys of three_layer_backward, each against the stored value, from the output
    back; `diagnose(key, got, want)` may name a mistake first (and fail)."""
    __tracebackhide__ = True
    check.keys(f"grads{label}", grads, list(GRADIENT_KEYS),
               "return the same 11 keys as three_layer_backward: "
               + ", ".join(GRADIENT_KEYS) + ".")
    for key in GRADIENT_KEYS:
        what = f"grads['{key}']{label}"
        if diagnose is not None:
            diagnose(key, grads[key], want[key])
        if key.startswith("db"):
            l = key[-1]
            diagnoses.bias_gradient(check, what, grads[key], want[key], m, dZ=f"dZ{l}", b=f"b{l}")
        else:
            check.close(what, grads[key], want[key], hints[key], m=m)


def _l2_term_hint(key: str, got, want, plain, m: int) -> str | None:
    """Names a wrong L2 term of dW from its twin without it (`plain`, lambd = 0): missing,
    halved, m times too large or subtracted."""
    got, want, plain = (np.asarray(v, dtype=float) for v in (got, want, plain))
    term, got_term = want - plain, got - plain
    if got.shape != want.shape or not np.any(term) or np.allclose(got, want):
        return None
    l = key[-1]
    named = [(0, f"{key} has no L2 term: add (lambd / m) * W{l} to it, in every layer."),
             (0.5, f"the L2 term of {key} is (lambd / m) * W{l}: the derivative of "
                   f"lambd / (2 m) * W{l}**2 is lambd / m * W{l}, the 2s cancel."),
             (m, f"the L2 term of {key} is m times too large: (lambd / m) * W{l}."),
             (-1, f"the L2 term of {key} is subtracted: dW{l} gets + (lambd / m) * W{l}.")]
    atol = 1e-6 * np.max(np.abs(want))  # the stored values keep 7 digits
    for ratio, hint in named:
        if np.allclose(got_term, ratio * term, rtol=1e-6, atol=atol):
            return hint
    return None


BACKWARD_L2_CASES = [{"X": X, "Y": Y, "cache": cache, "lambd": lambd}
                     for X, Y, cache, lambds in ((X_A, Y_A, CACHE_A, (0.0, 0.7)),
                                                 (X_B, Y_B, CACHE_B, (0.0, 0.1)))
                     for lambd in lambds]


@WEEK.exercise("backward_propagation_with_regularization(X, Y, cache, lambd)",
               BACKWARD_L2_CASES,
               hints={"unpack": "the cache is the 12-tuple (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, "
                                "A3, W3, b3): unpack it in this order.",
                      "not aligned": "dW = (1/m) np.dot(dZ, A_prev.T) and dA_prev = "
                                     "np.dot(W.T, dZ): each product has one transpose, and "
                                     "dZ = dA * (A > 0) is element-wise."})
def check_backward_propagation_with_regularization(check, case, grads, want):
    lambd, m = case["lambd"], case["X"].shape[1]
    plain = case.stored(lambd=0.0)
    hints = _gradient_hints(dropout=False)
    hints = {key: (hint + " With lambd=0 the gradients are three_layer_backward's."
                   if lambd == 0 else hint) for key, hint in hints.items()}

    def diagnose(key, got, ref):
        __tracebackhide__ = True
        if lambd == 0 or np.shape(got) != np.shape(ref):
            return
        if key.startswith("dW"):
            hint = _l2_term_hint(key, got, ref, plain[key], m)
            check.true(hint is None, f"grads['{key}'] (lambd={lambd}) is wrong in its L2 term.",
                       hint)
        elif not np.allclose(np.asarray(got, float), ref) and np.allclose(ref, plain[key]):
            check.fail(f"grads['{key}'] (lambd={lambd}) changed with lambd, but only the dW "
                       "get an L2 term.",
                       "the L2 cost has no biases and leaves dZ, dA and db as they are: "
                       f"{key} is what three_layer_backward gives, with no lambd in it.")

    _check_gradients(check, grads, want, m, hints, f" (lambd={lambd})", diagnose)


# -- dropout forward ------------------------------------------------------------------------
def _uniform_draws(sizes: list[int], seed: int) -> np.ndarray:
    """The uniform numbers np.random.rand draws after np.random.seed(seed), one after the
    other, enough for the masks of `sizes`."""
    return np.random.RandomState(seed).rand(sum(sizes))


def _mask_hint(got: np.ndarray, want: np.ndarray, layer: int, keep_prob: float,
               sizes: list[int]) -> tuple[str, str]:
    """What is wrong with a mask D[layer] of the right shape and type, and its fix: the mask
    compared the wrong way, drawn for another mask, transposed or from another seed."""
    n, m = want.shape
    start, size = sum(sizes[:layer - 1]), n * m
    draw = (f"D{layer} = np.random.rand(A{layer}.shape[0], A{layer}.shape[1]) < keep_prob, "
            f"drawn right after A{layer} = relu(Z{layer}).")
    if np.array_equal(got, ~want):
        return (f"D{layer} keeps the units whose random number is above keep_prob.",
                f"a unit is kept with probability keep_prob: D{layer} = np.random.rand(...) "
                "< keep_prob, not >.")
    stream = _uniform_draws(sizes, DROPOUT_SEED)
    for offset in range(stream.size - size + 1):
        numbers = stream[offset:offset + size]
        if offset == start and np.array_equal(got, numbers.reshape(m, n).T < keep_prob):
            return (f"D{layer} holds the right random numbers, but transposed.",
                    f"draw with the shape of A{layer}, np.random.rand(A{layer}.shape[0], "
                    f"A{layer}.shape[1]), not its transpose.")
        if offset != start and np.array_equal(got, numbers.reshape(n, m) < keep_prob):
            return (f"D{layer} got the random numbers meant for another mask.",
                    "draw D1 right after A1 and D2 right after A2, one np.random.rand call "
                    "each, in this order (D1 first), and draw nothing else in between.")
    for k in SEEDS_TRIED:
        numbers = _uniform_draws(sizes, k)[start:start + size]
        if k != DROPOUT_SEED and np.array_equal(got, numbers.reshape(n, m) < keep_prob):
            return (f"D{layer} holds the random numbers of np.random.seed({k}), but "
                    f"forward_propagation_with_dropout uses seed {DROPOUT_SEED}.",
                    "keep the given first line np.random.seed(1) and seed nothing else.")
    return (f"D{layer} is wrong.\n  expected: {show(want.astype(int))}\n  got:      "
            f"{show(got.astype(int))}", draw)


def _check_mask(check: Check, D, want: np.ndarray, layer: int, keep_prob: float,
                sizes: list[int], label: str) -> None:
    __tracebackhide__ = True
    what = f"D{layer}{label}"
    draw = f"D{layer} = np.random.rand(A{layer}.shape[0], A{layer}.shape[1]) < keep_prob."
    check.is_array(what, D, draw)
    check.shape(what, D, want.shape, f"D{layer} has the shape of A{layer}: {draw}")
    if D.dtype != bool:
        zeros_and_ones = np.isin(D, (0, 1)).all()
        check.fail(f"{what} must be a boolean mask, but it has dtype {D.dtype}"
                   + (" (0s and 1s)." if zeros_and_ones else f": {show(D)}."),
                   "keep the comparison itself, np.random.rand(...) < keep_prob, without "
                   ".astype(int): in this course the masks are booleans (the classic "
                   "assignment made them ints)." if zeros_and_ones else
                   f"D{layer} is the comparison of the random numbers with keep_prob: {draw}")
    if not np.array_equal(D, want):
        check.fail(*_mask_hint(D, want, layer, keep_prob, sizes))
    check.ok()


def _check_dropped(check: Check, A, want, Z, layer: int, keep_prob: float, label: str) -> None:
    """A hidden layer's A in the cache: relu(Z) * D / keep_prob, the one the next layer reads."""
    __tracebackhide__ = True
    what = f"A{layer}{label}"
    check.shape(what, A, np.shape(want), f"A{layer} has the shape of Z{layer}.")
    got = np.asarray(A, dtype=float)
    if not np.allclose(got, want) and np.any(want):
        if np.allclose(got / keep_prob, want):
            check.fail(f"{what} is keep_prob times what it should be: the division of "
                       "inverted dropout is missing.",
                       f"A{layer} = A{layer} * D{layer} / keep_prob: dividing by keep_prob "
                       "keeps the expected value of every activation as it was without "
                       "dropout.")
        if np.allclose(got / keep_prob ** 2, want):
            check.fail(f"{what} was multiplied by keep_prob instead of divided by it.",
                       f"A{layer} = A{layer} * D{layer} / keep_prob.")
        if np.allclose(got, relu(np.asarray(Z, dtype=float))):
            check.fail(f"the cache holds A{layer} before dropout, relu(Z{layer}).",
                       f"store the dropped and rescaled A{layer}, the one layer {layer + 1} "
                       f"reads: A{layer} = A{layer} * D{layer} / keep_prob, then put that "
                       f"A{layer} in the cache.")
    check.close(what, A, want, f"A{layer} = relu(Z{layer}) * D{layer} / keep_prob.")


def _check_seeds_itself(check: Check, case, cache: tuple) -> None:
    """Masks that do not depend on the random state before the call."""
    __tracebackhide__ = True
    again = case.again(seed=OUTER_SEED + 7)
    for index, name in ((1, "D1"), (6, "D2")):
        theirs = again[1][index] if isinstance(again, tuple | list) and len(again) == 2 and len(
            again[1]) == len(cache) else None
        check.true(theirs is not None and np.array_equal(np.asarray(theirs), np.asarray(
            cache[index])),
                   f"the mask {name} came out different when the caller had set another random "
                   "state (np.random.seed(...) before the call); it must be the same every "
                   "time.",
                   f"keep the given first line np.random.seed({DROPOUT_SEED}): the function "
                   "seeds itself, before drawing D1.")


DROPOUT_FORWARD_CASES = [
    {"X": X_A, "parameters": P_A},
    {"X": X_A, "parameters": P_A, "keep_prob": 0.8},
    {"X": X_A, "parameters": P_A, "keep_prob": 1.0},
    {"X": X_B, "parameters": P_B, "keep_prob": 0.7},
    {"X": X_B, "parameters": P_B, "keep_prob": 0.7, "seed": 5}]


@WEEK.exercise("forward_propagation_with_dropout(X, parameters, keep_prob=0.5, *, seed=1)",
               DROPOUT_FORWARD_CASES, seed=OUTER_SEED,
               hints={"cannot be interpreted as an integer": "np.random.rand takes the sizes "
                      "as separate numbers: np.random.rand(A1.shape[0], A1.shape[1]) (or "
                      "np.random.rand(*A1.shape)).",
                      "not aligned": "Z1 = np.dot(W1, X) + b1, Z2 = np.dot(W2, A1) + b2, "
                                     "Z3 = np.dot(W3, A2) + b3: the weights come first."})
def check_forward_propagation_with_dropout(check, case, out, want):
    keep_prob = case.given("keep_prob")
    label = f" (keep_prob={keep_prob})"
    A3, cache = diagnoses.returns(check, out, "A3, cache")
    check.true(isinstance(cache, tuple | list) and len(cache) == 14,
               f"the cache must be the 14-tuple ({', '.join(DROPOUT_CACHE_NAMES)}), but it is "
               f"{layout(cache)}.",
               "return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3): the cache "
               "of three_layer_forward with the masks D1 and D2 after Z1 and Z2.")
    _check_seeds_itself(check, case, cache)
    other = case.gives(A3, "keep_prob", part=0)
    check.true(other is None, f"with keep_prob={keep_prob}, A3 is what keep_prob={other} gives.",
               "use the keep_prob argument, in the masks and in the division, not a fixed "
               "number.")
    other = case.gives(A3, "seed", part=0)
    check.true(other is None, f"with seed={case.given('seed')}, A3 is what seed={other} gives.",
               "seed with the seed argument, np.random.seed(seed), so a training loop can draw "
               "fresh masks at every step.")
    want_A3, want_cache = want
    got = dict(zip(DROPOUT_CACHE_NAMES, cache))
    ref = dict(zip(DROPOUT_CACHE_NAMES, want_cache))
    sizes = [np.size(ref["D1"]), np.size(ref["D2"])]
    for l, A_prev in ((1, "X"), (2, "A1"), (3, "A2")):
        check.close(f"Z{l}{label}", got[f"Z{l}"], ref[f"Z{l}"],
                    f"Z{l} = np.dot(W{l}, {A_prev}) + b{l}"
                    + (": the input X is never dropped." if l == 1 else
                       f", with the dropped and rescaled {A_prev}."))
        if l < 3:
            _check_mask(check, got[f"D{l}"], ref[f"D{l}"], l, keep_prob, sizes, label)
            _check_dropped(check, got[f"A{l}"], ref[f"A{l}"], got[f"Z{l}"], l, keep_prob, label)
    A3_cached = np.asarray(got["A3"], dtype=float)
    dropped = A3_cached.shape == np.shape(ref["A3"]) and (np.any(A3_cached <= 0)
                                                          or np.any(A3_cached >= 1))
    check.true(not dropped, f"A3 in the cache{label} has entries of 0 or above 1: "
                            f"{show(A3_cached)}.",
               "the output layer is never dropped: A3 = sigmoid(Z3), with no mask and no "
               "division.")
    check.close(f"A3 in the cache{label}", got["A3"], ref["A3"], "A3 = sigmoid(Z3).")
    for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
        check.close(f"{name} in the cache", got[name], ref[name],
                    "the cache holds the parameters as they were given, in the order (Z1, D1, "
                    "A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3).")
    check.close(f"A3{label}", A3, want_A3, "return the A3 of the cache, sigmoid(Z3).")


# -- dropout backward -----------------------------------------------------------------------
def _dA_hint(key: str, got, want, mask, keep_prob: float) -> tuple[str, str] | None:
    """Names a dA of a dropped layer that lost its mask or its division by keep_prob, or took
    the mask of another layer, from where its mask keeps and drops units."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    l = key[-1]
    fix = (f"{key} = np.dot(W{int(l) + 1}.T, dZ{int(l) + 1}) * D{l} / keep_prob; dZ{l} follows "
           "from it.")
    if got.shape != want.shape or np.allclose(got, want):
        return None
    kept = got[mask]
    if np.any(got[~mask]):
        if np.allclose(kept, want[mask]):
            return (f"{key} is not zero where D{l} dropped a unit.",
                    f"apply the mask D{l} to {key} itself, not only the division. {fix}")
        if np.allclose(kept / keep_prob, want[mask]):
            return (f"{key} is not masked: a dropped unit gets no gradient.",
                    f"apply the mask to {key} itself, right after computing it (not to dZ or "
                    f"dW): {fix}")
        return (f"{key} is not zero where D{l} dropped a unit.",
                f"use this layer's mask: D{l} belongs to A{l}. {fix}")
    if np.allclose(kept / keep_prob, want[mask]):
        return (f"{key} is keep_prob times what it should be: the division by keep_prob is "
                "missing.",
                f"the forward pass divided A{l} by keep_prob, so its gradient is divided too. "
                + fix)
    if np.allclose(kept / keep_prob ** 2, want[mask]):
        return f"{key} was multiplied by keep_prob instead of divided by it.", fix
    return None


DROPOUT_BACKWARD_CASES = [
    {"X": X_A, "Y": Y_A, "cache": _dropout_cache([3, 4, 2, 1], 5, 0.5, 431), "keep_prob": 0.5},
    {"X": X_A, "Y": Y_A, "cache": _dropout_cache([3, 4, 2, 1], 5, 0.8, 432), "keep_prob": 0.8},
    {"X": X_B, "Y": Y_B, "cache": _dropout_cache([4, 3, 3, 1], 4, 0.7, 433), "keep_prob": 0.7}]


@WEEK.exercise("backward_propagation_with_dropout(X, Y, cache, keep_prob)",
               DROPOUT_BACKWARD_CASES,
               hints={"unpack": "the cache is the 14-tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, "
                                "b2, Z3, A3, W3, b3): unpack it in this order.",
                      "broadcast": "each dA gets the mask of its own layer: dA2 * D2 and "
                                   "dA1 * D1 (D2 has the shape of A2, D1 that of A1).",
                      "not aligned": "dW = (1/m) np.dot(dZ, A_prev.T) and dA_prev = "
                                     "np.dot(W.T, dZ): each product has one transpose."})
def check_backward_propagation_with_dropout(check, case, grads, want):
    keep_prob, m = case["keep_prob"], case["X"].shape[1]
    cache = dict(zip(DROPOUT_CACHE_NAMES, case["cache"]))

    def diagnose(key, got, ref):
        __tracebackhide__ = True
        if key in ("dA2", "dA1"):
            l = int(key[-1])
            named = _dA_hint(key, got, ref, cache[f"D{l}"], keep_prob)
            if named:
                check.fail(f"grads['{key}'] (keep_prob={keep_prob}): {named[0]}", named[1])

    _check_gradients(check, grads, want, m, _gradient_hints(dropout=True),
                     f" (keep_prob={keep_prob})", diagnose)
