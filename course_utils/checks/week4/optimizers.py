"""Visible checks for week 4, section 5: gradient descent, mini-batches, momentum, RMSprop, Adam
and learning-rate decay.

The optimizers' state dicts are keyed like the gradients (v["dW1"]); the cases hold fixed
parameters, gradients and states of 2 and 3 layers. A wrong value is named by comparing it with
what a common wrong formula gives on the case's own inputs (the (1 - beta) forgotten, epsilon
inside the square root, the bias correction with t + 1, ...); the right values are the stored
ones. random_mini_batches is checked by what its batches hold (every example once, each with its
label) before their order, and the learning rates by the stored rates of the other cases (the
rate of the next epoch, of the default time_interval).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import diagnoses
from ..cases import grid, labels
from ..core import Check, layout, plural, show
from . import WEEK

OUTER_SEED = 7  # the random state a check sets before random_mini_batches; no case's seed
TWO, THREE = [3, 4, 1], [4, 3, 2, 1]
LAYERS_HINT = ("L = len(parameters) // 2 (given): parameters holds a W and a b for each layer "
               "1 .. L, and grads and the state dicts hold dW and db for the same layers.")


# -- fixed inputs -------------------------------------------------------------------------
def _parameters(dims: list[int], seed: int) -> dict:
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = grid(dims[l], dims[l - 1], seed + 2 * l)
        params[f"b{l}"] = grid(dims[l], 1, seed + 2 * l + 1, 0.5)
    return params


def _like_grads(dims: list[int], seed: int, scale: float = 1.0, square: bool = False) -> dict:
    """A dict keyed like the gradients, dW1, db1, ...: gradients or a velocity, or with
    `square` an average of squared gradients (non-negative)."""
    state = {}
    for l in range(1, len(dims)):
        for p, shape in (("W", (dims[l], dims[l - 1])), ("b", (dims[l], 1))):
            values = grid(*shape, seed + 2 * l + (p == "b"), scale)
            state[f"d{p}{l}"] = values ** 2 if square else values
    return state


def _zeros(dims: list[int]) -> dict:
    return {key: np.zeros_like(value) for key, value in _like_grads(dims, 0).items()}


P2, P3 = _parameters(TWO, 401), _parameters(THREE, 402)
G2, G3, G2B = _like_grads(TWO, 411), _like_grads(THREE, 412), _like_grads(TWO, 413, 0.3)
V2, V3 = _like_grads(TWO, 421, 0.5), _like_grads(THREE, 422, 0.5)
S2, S3 = _like_grads(TWO, 431, 0.5, square=True), _like_grads(THREE, 432, 0.5, square=True)


# -- shared pieces ------------------------------------------------------------------------
def _layers(params: dict) -> int:
    return len(params) // 2


def _matches(value, want) -> bool:
    """`value` has the numbers of `want` (arrays or numbers; inf matches inf)."""
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and bool(np.allclose(got, want, rtol=1e-6, atol=1e-8))


def _same_dict(value, want: dict) -> bool:
    return isinstance(value, dict) and value.keys() == want.keys() and all(
        _matches(value[k], want[k]) for k in want)


def _each(formula: Callable[[str], np.ndarray], keys) -> dict:
    """{key: formula(key)} for every key, a common wrong formula's values."""
    with np.errstate(all="ignore"):
        return {key: formula(key) for key in keys}


def _check_order(check: Check, out: tuple, want: tuple, names: list[str]) -> None:
    """Names the items returned in another order: each is right, but in another's place."""
    __tracebackhide__ = True
    places = [next((i for i, theirs in enumerate(want) if _same_dict(item, theirs)), None)
              for item in out]
    if None not in places and places != list(range(len(want))):
        place = next(p for p, i in enumerate(places) if p != i)
        check.fail(f"returned the right values in another order: the item in place {place + 1} "
                   f"is {names[places[place]]}, where {names[place]} belongs.",
                   f"return {', '.join(names)}, in this order.")
    check.ok()


def _stepped(parameters: dict, rate: float, step: Callable[[str], np.ndarray]) -> dict:
    """The parameters after W = W - rate * step("dW") for every W and b: a wrong formula's
    step, given by the key of its gradient."""
    return _each(lambda key: parameters[key] - rate * step("d" + key), parameters)


def _floats(state: dict) -> dict:
    """A checked state dict as float arrays: the exact base of the wrong formulas that follow
    (the stored values are rounded)."""
    return {key: np.asarray(value, dtype=float) for key, value in state.items()}


def _check_entries(check: Check, what: str, got, want: dict, start: dict | None,
                   wrong: list[tuple], hint: str, context: str = "") -> None:
    """Every entry of the dict `got` against `want`: one that did not move from `start` (if
    given), then one that has the values of a common wrong formula in `wrong` ((values, words,
    fix) each), is named before it is compared."""
    __tracebackhide__ = True
    check.keys(what, got, list(want), f"the keys are {', '.join(want)}.")
    for key in want:
        name, value = f"{what}['{key}']{context}", got[key]
        check.shape(name, value, np.shape(want[key]),
                    f"{key} keeps its shape: every operation here is entry by entry (*, /, "
                    "**, np.sqrt), with no np.dot.")
        if _matches(value, want[key]):
            check.ok()
            continue
        if start is not None and _matches(value, start[key]):
            check.fail(f"{name} did not change: it is still {show(start[key])}.",
                       f"update every layer l = 1 .. L, both W and b. {hint}")
        for values, words, fix in wrong:
            if _matches(value, values[key]) and not _matches(values[key], want[key]):
                check.fail(f"{name} {words}", fix)
        check.close(name, value, want[key], hint)


# -- gradient descent and mini-batches ------------------------------------------------------
@WEEK.exercise("update_parameters_with_gd(parameters, grads, learning_rate)", [
    {"parameters": P2, "grads": G2, "learning_rate": 0.1},
    {"parameters": P3, "grads": G3, "learning_rate": 0.05}],
    hints={"KeyError": LAYERS_HINT})
def check_update_parameters_with_gd(check, case, params, want):
    L, lr = _layers(case["parameters"]), case["learning_rate"]
    keys = diagnoses.parameter_keys(L)
    check.keys("the new parameters", params, keys)
    diagnoses.step(check, "the new parameters", params, case["parameters"], want, lr, keys,
                   f"update every layer l = 1 .. L (here L = {L}), both W and b: ")
    diagnoses.parameters(check, "the new parameters", params, want,
                         f"W[l] = W[l] - learning_rate * dW[l] and b[l] = b[l] - learning_rate "
                         f"* db[l] for every layer l = 1 .. {L}.",
                         f" ({plural(L, 'layer')}, learning_rate={lr})")


COLUMNS_HINT = ("examples are columns: mini-batch k is shuffled_X[:, k * mini_batch_size:(k + 1) "
                "* mini_batch_size], all the rows and a slice of the columns (and the same for "
                "Y).")
ONE_HOT_HINT = ("Y may be one-hot, (C, m): keep its rows as they are, shuffled_Y = Y[:, "
                "permutation], without .reshape((1, m)).")
SHUFFLE_HINT = ("shuffle X and Y with the same permutation: permutation = "
                "list(np.random.permutation(m)) once, then X[:, permutation] and Y[:, "
                "permutation].")


def _one_hot(classes: np.ndarray, C: int) -> np.ndarray:
    return np.eye(C)[classes].T


X_BATCHES, Y_BATCHES = grid(3, 10, 441), labels(10, 442)
X_WIDE = grid(2, 70, 445)


def _sizes(sizes: list[int]) -> str:
    """The mini-batch sizes in words: 2 of 4 examples and a last one of 2."""
    full = f"{plural(sizes.count(sizes[0]), 'mini-batch')} of {sizes[0]} examples"
    return full if len(set(sizes)) == 1 else f"{full} and a last one of {sizes[-1]}"


def _columns(batch_X: np.ndarray, X: np.ndarray) -> list[int] | None:
    """The index in X of every column of batch_X, or None when one is not a column of X."""
    found = []
    for column in batch_X.T:
        hits = np.flatnonzero(np.all(np.isclose(X, column[:, None]), axis=0))
        if hits.size != 1:
            return None
        found.append(int(hits[0]))
    return found


def _same_batches(batches, want: list) -> bool:
    return isinstance(batches, list | tuple) and len(batches) == len(want) and all(
        isinstance(pair, tuple | list) and len(pair) == 2 and _matches(pair[0], wx)
        and _matches(pair[1], wy) for pair, (wx, wy) in zip(batches, want))


@WEEK.exercise("random_mini_batches(X, Y, mini_batch_size=64, seed=0)", [
    {"X": X_BATCHES, "Y": Y_BATCHES, "mini_batch_size": 4},
    {"X": X_BATCHES, "Y": Y_BATCHES, "mini_batch_size": 4, "seed": 1},
    {"X": grid(2, 12, 443), "Y": _one_hot(np.arange(12) * 7 % 3, 3), "mini_batch_size": 4,
     "seed": 2},
    {"X": X_WIDE, "Y": labels(70, 446)}], seed=OUTER_SEED,
    hints={"cannot reshape array": ONE_HOT_HINT})
def check_random_mini_batches(check, case, batches, want):
    X, Y = case["X"], case["Y"]
    size, seed, m = case.given("mini_batch_size"), case.given("seed"), X.shape[1]
    context = f" (m={m}, mini_batch_size={size}, seed={seed})"
    sizes = [len(range(m)[start:start + size]) for start in range(0, m, size)]
    check.true(isinstance(batches, list | tuple),
               f"must return a list of (mini_batch_X, mini_batch_Y) pairs, but returned "
               f"{layout(batches)}.", "start with mini_batches = [] and append one pair per "
                                      "mini-batch.")
    check.true(not (len(batches) == m // size < len(sizes)),
               f"returned {plural(len(batches), 'mini-batch')}{context}, but the last "
               f"{sizes[-1]} examples need a mini-batch of their own: {_sizes(sizes)}.",
               "do not drop the remainder: the last mini-batch holds the m - mini_batch_size * "
               "floor(m / mini_batch_size) examples left over.")
    check.true(not (len(batches) == len(sizes) + 1 and np.size(batches[-1][0]) == 0),
               f"the last mini-batch{context} is empty.",
               "when m is a multiple of mini_batch_size there is no smaller last mini-batch: "
               "range(0, m, mini_batch_size) gives the start of every mini-batch.")
    check.true(len(batches) == len(sizes),
               f"returned {plural(len(batches), 'mini-batch')}{context}, but it must return "
               f"{_sizes(sizes)}.",
               "mini-batch k holds the shuffled columns k * mini_batch_size up to (k + 1) * "
               "mini_batch_size; the last one holds the rest.")
    for k, (batch, n_k) in enumerate(zip(batches, sizes)):
        check.true(isinstance(batch, tuple | list) and len(batch) == 2,
                   f"mini_batches[{k}] must be the pair (mini_batch_X, mini_batch_Y), but it is "
                   f"{layout(batch)}.", "append (mini_batch_X, mini_batch_Y), a tuple.")
        check.shape(f"mini_batches[{k}][0] (mini_batch_X){context}", batch[0],
                    (X.shape[0], n_k), COLUMNS_HINT)
        one_hot_lost = Y.shape[0] > 1 and np.shape(batch[1])[:1] == (1,)
        check.shape(f"mini_batches[{k}][1] (mini_batch_Y){context}", batch[1],
                    (Y.shape[0], n_k),
                    f"here Y is {Y.shape}. {ONE_HOT_HINT}" if one_hot_lost else COLUMNS_HINT)
    order = [_columns(np.asarray(bx, dtype=float), X) for bx, _ in batches]
    check.true(None not in order, f"a mini_batch_X{context} holds columns that are not examples "
                                  "(columns) of X.",
               "shuffle whole columns, X[:, permutation], not rows or single entries.")
    index = sum(order, [])
    check.true(sorted(index) == list(range(m)),
               f"the mini-batches{context} hold some examples twice and miss others.",
               "draw one permutation of all m columns and cut the shuffled X into consecutive "
               "slices: every example goes into exactly one mini-batch.")
    for k, ((_, by), columns) in enumerate(zip(batches, order)):
        check.true(np.allclose(np.asarray(by, dtype=float), Y[:, columns]),
                   f"in mini_batches[{k}]{context} the labels do not belong to their examples: "
                   "column i of mini_batch_Y must be the label of column i of mini_batch_X.",
                   SHUFFLE_HINT)
    check.true(index != list(range(m)),
               f"the examples{context} are in their original order: they were not shuffled.",
               "shuffle before cutting: permutation = list(np.random.permutation(m)), then "
               "X[:, permutation] and Y[:, permutation].")
    check.true(_same_batches(case.again(seed=OUTER_SEED + 1), batches),
               f"the mini-batches{context} came out different when the caller had set another "
               "random state (np.random.seed(...) before the call); with the same seed argument "
               "they must be the same every time.",
               "keep the given first line np.random.seed(seed): the function seeds itself.")
    for other in sorted({c.get("seed", 0) for c in case.exercise.cases} - {seed}):
        twin = case.stored(seed=other)
        check.true(twin is None or not _same_batches(batches, twin),
                   f"with seed={seed}, the mini-batches are those of seed={other}.",
                   "seed with the seed argument, np.random.seed(seed), not a fixed number.")
    check.true(index == sum((_columns(wx, X) for wx, _ in want), []),
               f"the examples{context} are shuffled, each with its label, but not in the order "
               "np.random.permutation(m) gives after np.random.seed(seed).",
               "call np.random.permutation(m) once, right after np.random.seed(seed), with no "
               "other random draw in between, and use it for the columns: X[:, permutation].")
    for k, ((bx, by), (wx, wy)) in enumerate(zip(batches, want)):
        check.close(f"mini_batches[{k}][0]{context}", bx, wx, SHUFFLE_HINT)
        check.close(f"mini_batches[{k}][1]{context}", by, wy, SHUFFLE_HINT)


# -- momentum, RMSprop and Adam -------------------------------------------------------------
def _check_zero_state(check: Check, what: str, state, parameters: dict) -> None:
    """A fresh optimizer state: keyed like the gradients, zeros of each parameter's shape."""
    __tracebackhide__ = True
    keys, L = [f"d{key}" for key in parameters], _layers(parameters)
    context = f" ({plural(L, 'layer')})"
    fill = (f"{what}['dW' + str(l)] = np.zeros_like(parameters['W' + str(l)]), and the same for "
            "db, for l = 1 .. L.")
    if isinstance(state, dict) and state and set(state) <= set(parameters):
        check.fail(f"{what}{context} is keyed like the parameters, {', '.join(state)}; it must "
                   f"be keyed like the gradients: {', '.join(keys)}.", fill)
    check.keys(what + context, state, keys, f"for L = {L} the keys are {', '.join(keys)}: {fill}")
    extra = sorted(set(state) - set(keys))
    check.true(not extra, f"{what}{context} has the extra key(s) {extra}; expected exactly "
                          f"{keys}.", fill)
    for key in keys:
        name, shape = f"{what}['{key}']{context}", np.shape(parameters[key[1:]])
        check.is_array(name, state[key], fill)
        check.true(np.shape(state[key]) == shape,
                   f"{name} has shape {np.shape(state[key])}, but it must have the shape of "
                   f"{key[1:]}, {shape}.", f"np.zeros_like(parameters['{key[1:]}']) has the "
                                          "right shape.")
        check.true(not np.any(state[key]),
                   f"{name} must start at zero, but it is {show(state[key])}.",
                   "the averages start at 0: np.zeros_like(...), not np.ones_like.")


INIT_CASES = [{"parameters": P2}, {"parameters": P3}]


@WEEK.exercise("initialize_velocity(parameters)", INIT_CASES)
def check_initialize_velocity(check, case, v, want):
    _check_zero_state(check, "v", v, case["parameters"])


MOMENTUM_RULE = ("v['dW' + str(l)] = beta * v['dW' + str(l)] + (1 - beta) * grads['dW' + "
                 "str(l)], and the same for db")
MOMENTUM_STEP = ("W = W - learning_rate * v['dW'] with the new v (and b with v['db'])")


@WEEK.exercise("update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)", [
    {"parameters": P2, "grads": G2, "v": _zeros(TWO), "beta": 0.9, "learning_rate": 0.1},
    {"parameters": P3, "grads": G3, "v": V3, "beta": 0.8, "learning_rate": 0.05}],
    hints={"KeyError": LAYERS_HINT})
def check_update_parameters_with_momentum(check, case, out, want):
    P, G, V = case["parameters"], case["grads"], case["v"]
    beta, lr = case["beta"], case["learning_rate"]
    context = f" ({plural(_layers(P), 'layer')}, beta={beta}, learning_rate={lr})"
    params, v = diagnoses.returns(check, out, "parameters, v")
    _check_order(check, (params, v), want, ["parameters", "v"])
    _check_entries(check, "v", v, want[1], V, [
        (_each(lambda k: beta * V[k] + G[k], V), "is beta * v + dW: the (1 - beta) is missing.",
         f"{MOMENTUM_RULE}: the new gradient weighs 1 - beta."),
        (_each(lambda k: (1 - beta) * V[k] + beta * G[k], V),
         "has beta and 1 - beta swapped.",
         f"{MOMENTUM_RULE}: the old velocity keeps the larger weight beta (0.9 keeps 90%)."),
        (G, "is the gradient itself, not its average.", MOMENTUM_RULE + ".")],
        MOMENTUM_RULE + ".", context)
    new_v = _floats(v)  # checked: the candidates below are exact
    _check_entries(check, "the new parameters", params, want[0], P, [
        (_stepped(P, lr, lambda k: G[k]),
         "took a step with the gradient instead of the velocity.",
         f"momentum steps along the average: {MOMENTUM_STEP}."),
        (_stepped(P, lr, lambda k: V[k]), "took a step with the velocity from before this step.",
         f"update v first, then step with it: {MOMENTUM_STEP}."),
        (_stepped(P, -lr, lambda k: new_v[k]), "moved uphill, away from the minimum.",
         f"subtract the step: {MOMENTUM_STEP}.")], MOMENTUM_STEP + ".", context)


@WEEK.exercise("initialize_rmsprop(parameters)", INIT_CASES)
def check_initialize_rmsprop(check, case, s, want):
    _check_zero_state(check, "s", s, case["parameters"])


RMSPROP_RULE = "s['dW'] = beta2 * s['dW'] + (1 - beta2) * dW**2, and the same for db"
RMSPROP_STEP = ("W = W - learning_rate * dW / (np.sqrt(s['dW']) + epsilon) with the new s, "
                "epsilon outside the square root and no bias correction")


@WEEK.exercise("update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, "
               "beta2=0.999, epsilon=1e-8)", [
                   {"parameters": P2, "grads": G2, "s": _zeros(TWO)},
                   {"parameters": P3, "grads": G3, "s": S3, "learning_rate": 0.05, "beta2": 0.9},
                   {"parameters": P2, "grads": G2B, "s": S2, "learning_rate": 0.02,
                    "beta2": 0.99, "epsilon": 0.01}],
               hints={"KeyError": LAYERS_HINT,
                      "name 't' is not defined": "RMSprop takes no t: it has no bias correction. "
                                                 + RMSPROP_STEP + "."})
def check_update_parameters_with_rmsprop(check, case, out, want):
    P, G, S = case["parameters"], case["grads"], case["s"]
    lr, beta2, eps = (case.given(k) for k in ("learning_rate", "beta2", "epsilon"))
    context = (f" ({plural(_layers(P), 'layer')}, learning_rate={lr}, beta2={beta2}, "
               f"epsilon={eps})")
    params, s = diagnoses.returns(check, out, "parameters, s")
    _check_order(check, (params, s), want, ["parameters", "s"])
    _check_entries(check, "s", s, want[1], S, [
        (_each(lambda k: beta2 * S[k] + (1 - beta2) * G[k], S),
         "is an average of the gradients, not of their squares.",
         f"square the gradient, entry by entry: {RMSPROP_RULE}."),
        (_each(lambda k: beta2 * S[k] + G[k] ** 2, S),
         "is beta2 * s + dW**2: the (1 - beta2) is missing.", RMSPROP_RULE + "."),
        (_each(lambda k: (1 - beta2) * S[k] + beta2 * G[k] ** 2, S),
         "has beta2 and 1 - beta2 swapped.", RMSPROP_RULE + "."),
        (_each(lambda k: (beta2 * S[k] + (1 - beta2) * G[k] ** 2) / (1 - beta2), S),
         "is divided by 1 - beta2: a bias correction, which RMSprop does not have here.",
         RMSPROP_RULE + ", returned as it is.")], RMSPROP_RULE + ".", context)
    new_s = _floats(s)
    _check_entries(check, "the new parameters", params, want[0], P, [
        (_stepped(P, lr, lambda k: G[k] / np.sqrt(new_s[k] + eps)),
         "has epsilon inside the square root.",
         f"add epsilon after the square root, as in Adam: {RMSPROP_STEP}."),
        (_stepped(P, lr, lambda k: G[k] / (np.sqrt(new_s[k] / (1 - beta2)) + eps)),
         "used s divided by 1 - beta2, a bias correction.",
         f"RMSprop here has no bias correction: {RMSPROP_STEP}."),
        (_stepped(P, lr, lambda k: G[k] / (new_s[k] + eps)),
         "was divided by s, not by its square root.", RMSPROP_STEP + "."),
        (_stepped(P, lr, lambda k: G[k] / (np.sqrt(S[k]) + eps)),
         "used s from before this step.", f"update s first: {RMSPROP_STEP}."),
        (_stepped(P, -lr, lambda k: G[k] / (np.sqrt(new_s[k]) + eps)),
         "moved uphill, away from the minimum.", f"subtract the step: {RMSPROP_STEP}.")],
        RMSPROP_STEP + ".", context)


@WEEK.exercise("initialize_adam(parameters)", INIT_CASES)
def check_initialize_adam(check, case, out, want):
    v, s = diagnoses.returns(check, out, "v, s")
    check.true(v is not s, "v and s are the same dict: updating one would change the other.",
               "make two dicts, v, s = {}, {} (not v = s = {}), and fill each with its own "
               "np.zeros_like arrays.")
    _check_zero_state(check, "v", v, case["parameters"])
    _check_zero_state(check, "s", s, case["parameters"])


ADAM_RETURNS = ["parameters", "v", "s", "v_corrected", "s_corrected"]
ADAM_STEP = ("W = W - learning_rate * v_corrected['dW'] / (np.sqrt(s_corrected['dW']) + "
             "epsilon), epsilon outside the square root")


def _correction(name: str, beta: str, moment: str) -> str:
    return (f"{name}['dW'] = {moment}['dW'] / (1 - {beta}**t) with the t given: t counts the "
            "steps from 1, so the first step divides by 1 - " + beta + ".")


@WEEK.exercise("update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, "
               "beta1=0.9, beta2=0.999, epsilon=1e-8)", [
                   {"parameters": P2, "grads": G2, "v": _zeros(TWO), "s": _zeros(TWO), "t": 1},
                   {"parameters": P3, "grads": G3, "v": V3, "s": S3, "t": 3,
                    "learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99},
                   {"parameters": P2, "grads": G2B, "v": V2, "s": S2, "t": 2,
                    "learning_rate": 0.02, "epsilon": 0.01}],
               hints={"KeyError": LAYERS_HINT})
def check_update_parameters_with_adam(check, case, out, want):
    P, G, V, S, t = (case[k] for k in ("parameters", "grads", "v", "s", "t"))
    lr, b1, b2, eps = (case.given(k) for k in ("learning_rate", "beta1", "beta2", "epsilon"))
    context = (f" ({plural(_layers(P), 'layer')}, t={t}, learning_rate={lr}, beta1={b1}, "
               f"beta2={b2}, epsilon={eps})")
    out = diagnoses.returns(check, out, ", ".join(ADAM_RETURNS))
    _check_order(check, out, want, ADAM_RETURNS)
    params, v, s, v_corrected, s_corrected = out
    v_rule = "v['dW'] = beta1 * v['dW'] + (1 - beta1) * dW, and the same for db."
    s_rule = "s['dW'] = beta2 * s['dW'] + (1 - beta2) * dW**2, and the same for db."
    _check_entries(check, "v", v, want[1], V, [
        (_each(lambda k: b1 * V[k] + G[k], V), "is beta1 * v + dW: the (1 - beta1) is missing.",
         v_rule),
        (_each(lambda k: (1 - b1) * V[k] + b1 * G[k], V), "has beta1 and 1 - beta1 swapped.",
         v_rule)], v_rule, context)
    _check_entries(check, "s", s, want[2], S, [
        (_each(lambda k: b2 * S[k] + (1 - b2) * G[k], S),
         "is an average of the gradients dW, not of their squares.",
         f"s averages the squared gradients: {s_rule}"),
        (_each(lambda k: b2 * S[k] + G[k] ** 2, S),
         "is beta2 * s + dW**2: the (1 - beta2) is missing.", s_rule),
        (_each(lambda k: (1 - b2) * S[k] + b2 * G[k] ** 2, S),
         "has beta2 and 1 - beta2 swapped.", s_rule)], s_rule, context)
    new_v, new_s = _floats(v), _floats(s)
    for name, got, moment, corrected, beta, word in (
            ("v_corrected", v_corrected, new_v, want[3], b1, "beta1"),
            ("s_corrected", s_corrected, new_s, want[4], b2, "beta2")):
        rule = _correction(name, word, name[0])
        _check_entries(check, name, got, corrected, None, [
            (moment, f"is the uncorrected average {name[0]}: the bias correction is missing.",
             rule),
            (_each(lambda k, m=moment, b=beta: m[k] / (1 - b ** (t + 1)), moment),
             f"is divided by 1 - {word}**(t + 1).", rule),
            (_each(lambda k, m=moment, b=beta: m[k] / (1 - b ** (t - 1)), moment),
             f"is divided by 1 - {word}**(t - 1).", rule),
            (_each(lambda k, m=moment, b=beta: m[k] / (1 - b), moment),
             f"is corrected as for t = 1, but t={t}.", f"use the t argument: {rule}"),
            (_each(lambda k, m=moment, b=(b2 if beta == b1 else b1): m[k] / (1 - b ** t),
                   moment), f"is corrected with the other beta: {name} uses {word}.", rule)],
            rule, context)
    vc, sc = _floats(v_corrected), _floats(s_corrected)
    root = {key: np.sqrt(value) + eps for key, value in sc.items()}
    _check_entries(check, "the new parameters", params, want[0], P, [
        (_stepped(P, lr, lambda k: new_v[k] / (np.sqrt(new_s[k]) + eps)),
         "took the step with v and s, not with their corrected values.",
         f"use the bias-corrected averages: {ADAM_STEP}."),
        (_stepped(P, lr, lambda k: vc[k] / np.sqrt(sc[k] + eps)),
         "has epsilon inside the square root.", f"add epsilon after the square root: "
                                                f"{ADAM_STEP}."),
        (_stepped(P, lr, lambda k: vc[k] / (sc[k] + eps)),
         "was divided by s_corrected, not by its square root.", ADAM_STEP + "."),
        (_stepped(P, lr, lambda k: vc[k] / (np.sqrt(new_s[k]) + eps)),
         "used v_corrected but the uncorrected s.", ADAM_STEP + "."),
        (_stepped(P, lr, lambda k: new_v[k] / root[k]),
         "used s_corrected but the uncorrected v.", ADAM_STEP + "."),
        (_stepped(P, lr, lambda k: G[k] / root[k]),
         "took the step with the gradient instead of v_corrected.", ADAM_STEP + "."),
        (_stepped(P, -lr, lambda k: vc[k] / root[k]), "moved uphill, away from the minimum.",
         f"subtract the step: {ADAM_STEP}.")], ADAM_STEP + ".", context)


# -- learning-rate decay ----------------------------------------------------------------------
def _check_rate(check: Check, case, rate, want, wrong: list[tuple], twins: list[str],
                hint: str) -> None:
    """A learning rate: a single number; one of a common wrong formula (`wrong`: (value, fix)
    each) or a rate stored for the same inputs but one of `twins` is named."""
    __tracebackhide__ = True
    context = "(" + ", ".join(f"{k}={case.given(k)}" for k in case.exercise.classic) + ")"
    check.scalar(f"the learning rate {context}", rate,
                 "return the number itself: learning_rate0 divided by the decay factor.")
    if not _matches(rate, want):
        for value, fix in wrong:
            if _matches(rate, value) and not _matches(value, want):
                check.fail(f"the learning rate {context} is {float(rate):.6g}, expected "
                           f"{want:.6g}.", fix)
        for name in twins:
            other = case.gives(rate, name)
            check.true(other is None, f"with {name}={case.given(name)}, the learning rate "
                                      f"{float(rate):.6g} is the one of {name}={other}.",
                       f"use the {name} argument as it is. {hint}")
    check.close(f"the learning rate {context}", rate, want, hint)


DECAY_HINT = "learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)."


@WEEK.exercise("update_lr(learning_rate0, epoch_num, decay_rate)", [
    {"learning_rate0": 0.5, "epoch_num": 2, "decay_rate": 0.5},
    {"learning_rate0": 0.5, "epoch_num": 3, "decay_rate": 0.5},
    {"learning_rate0": 0.5, "epoch_num": 0, "decay_rate": 0.5},
    {"learning_rate0": 0.1, "epoch_num": 10, "decay_rate": 0.3}])
def check_update_lr(check, case, rate, want):
    lr0, epoch, decay = (case[k] for k in ("learning_rate0", "epoch_num", "decay_rate"))
    exponential = ("that is an exponential decay (another schedule of the lecture); this one "
                   f"divides: {DECAY_HINT}")
    _check_rate(check, case, rate, want, [
        (lr0 / (1 + decay) * epoch, "the epoch_num multiplies the whole quotient: put the whole "
                                    f"denominator in parentheses, {DECAY_HINT}"),
        (lr0 / 1 + decay * epoch, f"the denominator needs its parentheses: {DECAY_HINT}"),
        (0.95 ** epoch * lr0, exponential),
        (decay ** epoch * lr0, exponential),
        (lr0 * np.exp(-decay * epoch), exponential),
        (lr0 / (1 + decay) ** epoch, exponential)], ["epoch_num", "decay_rate"], DECAY_HINT)


SCHEDULE_HINT = ("learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / "
                 "time_interval)): the rate drops once every time_interval epochs.")


@WEEK.exercise("schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000)", [
    {"learning_rate0": 0.5, "epoch_num": 100, "decay_rate": 0.3},
    {"learning_rate0": 0.5, "epoch_num": 2500, "decay_rate": 0.3},
    {"learning_rate0": 0.1, "epoch_num": 18, "decay_rate": 0.5},
    {"learning_rate0": 0.1, "epoch_num": 18, "decay_rate": 0.5, "time_interval": 5},
    {"learning_rate0": 0.1, "epoch_num": 15, "decay_rate": 0.5, "time_interval": 5},
    {"learning_rate0": 0.1, "epoch_num": 14, "decay_rate": 0.5, "time_interval": 5}])
def check_schedule_lr_decay(check, case, rate, want):
    lr0, epoch, decay = (case[k] for k in ("learning_rate0", "epoch_num", "decay_rate"))
    interval = case.given("time_interval")
    floor = "np.floor(epoch_num / time_interval), or epoch_num // time_interval. " + SCHEDULE_HINT
    _check_rate(check, case, rate, want, [
        (lr0 / (1 + decay * epoch / interval),
         f"epoch_num / time_interval must be rounded down: {floor}"),
        (lr0 / (1 + decay * np.ceil(epoch / interval)),
         f"epoch_num / time_interval was rounded up; round it down: {floor}"),
        (lr0 / (1 + decay * np.round(epoch / interval)),
         f"epoch_num / time_interval was rounded to the nearest; round it down: {floor}"),
        (lr0 / (1 + decay * np.floor(decay * epoch / interval)),
         f"the floor belongs to epoch_num / time_interval alone: {SCHEDULE_HINT}"),
        (lr0 / (1 + decay * epoch), "that is update_lr's rate, which drops every epoch; this "
                                    f"one drops every time_interval epochs: {SCHEDULE_HINT}"),
        (lr0 / (1 + decay * np.floor(epoch / 1000)),
         f"that is the rate of time_interval=1000, the default: use the time_interval argument. "
         f"{SCHEDULE_HINT}")], ["time_interval", "epoch_num", "decay_rate"], SCHEDULE_HINT)
