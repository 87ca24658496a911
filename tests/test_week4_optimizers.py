"""The week 4 optimization checks (gradient descent, mini-batches, momentum, RMSprop, Adam,
learning-rate decay) reject the stubs and the common mistakes and accept other correct code;
the checker compares every input dict, so an optimizer that changes one in place is caught."""

from __future__ import annotations

import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week4 import optimizers
from tests.helpers import check_suite

NAMES = ["update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
         "update_parameters_with_momentum", "initialize_rmsprop", "update_parameters_with_rmsprop",
         "initialize_adam", "update_parameters_with_adam", "update_lr", "schedule_lr_decay"]

GD = """
def update_parameters_with_gd(parameters, grads, learning_rate):
    parameters = parameters.copy()
    L = len(parameters) // 2
    for l in range(1, {stop}):
        {body}
    return parameters
"""


def gd_with(stop="L + 1", w='parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]',
            b='parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]') -> str:
    body = f'parameters["W" + str(l)] = {w}\n        parameters["b" + str(l)] = {b}'
    return GD.format(stop=stop, body=body)


MINI_BATCHES = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    {seed}
    m = X.shape[1]
    mini_batches = []
    permutation = list(np.random.permutation(m))
    shuffled_X = {x}
    shuffled_Y = {y}
    for start in range(0, {stop}, mini_batch_size):
        mini_batches.append(({bx}, shuffled_Y[:, start:start + mini_batch_size]))
    return mini_batches
"""


def batches_with(seed="np.random.seed(seed)", x="X[:, permutation]", y="Y[:, permutation]",
                 stop="m", bx="shuffled_X[:, start:start + mini_batch_size]") -> str:
    return MINI_BATCHES.format(seed=seed, x=x, y=y, stop=stop, bx=bx)


STATE = """
def {name}(parameters):
    L = len(parameters) // 2
    v = {{}}
    for l in range(1, L + 1):
        v[{key}W" + str(l)] = {fill}(parameters["W" + str(l)]{extra})
        v[{key}b" + str(l)] = {fill}(parameters["b" + str(l)]{extra})
    return v
"""


def state_with(name, key='"d', fill="np.zeros_like", extra="") -> str:
    return STATE.format(name=name, key=key, fill=fill, extra=extra)


WRONG_SHAPE = """
def {name}(parameters):
    L = len(parameters) // 2
    v = {{}}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros((parameters["W" + str(l)].shape[0], 1))
        v["db" + str(l)] = np.zeros((parameters["b" + str(l)].shape[0], 1))
    return v
"""

ADAM_INIT = """
def initialize_adam(parameters):
    L = len(parameters) // 2
    {start}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = {fill}(parameters[p + str(l)]{extra})
            s["d" + p + str(l)] = {fill}(parameters[p + str(l)]{extra})
    return v, s
"""


def adam_init_with(start="v, s = {}, {}", fill="np.zeros_like", extra="") -> str:
    return ADAM_INIT.format(start=start, fill=fill, extra=extra)


MOMENTUM = """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    {copy}
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = p + str(l)
            old = v["d" + key]
            v["d" + key] = {v}
            parameters[key] = {step}
    return {out}
"""


def momentum_with(copy="parameters, v = parameters.copy(), v.copy()",
                  v='beta * v["d" + key] + (1 - beta) * grads["d" + key]',
                  step='parameters[key] - learning_rate * v["d" + key]',
                  out="parameters, v") -> str:
    return MOMENTUM.format(copy=copy, v=v, step=step, out=out)


RMSPROP = """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999,
                                   epsilon=1e-8):
    parameters, s = parameters.copy(), s.copy()
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, g = p + str(l), grads["d" + p + str(l)]
            s["d" + key] = {s}
            parameters[key] = parameters[key] - learning_rate * g / ({denominator})
    return parameters, s
"""


def rmsprop_with(s='beta2 * s["d" + key] + (1 - beta2) * g ** 2',
                 denominator='np.sqrt(s["d" + key]) + epsilon') -> str:
    return RMSPROP.format(s=s, denominator=denominator)


ADAM = """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8):
    parameters, v, s = parameters.copy(), v.copy(), s.copy()
    L = len(parameters) // 2
    v_corrected, s_corrected = {{}}, {{}}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, g = "d" + p + str(l), grads["d" + p + str(l)]
            v[key] = beta1 * v[key] + (1 - beta1) * g
            s[key] = {s}
            v_corrected[key] = v[key] / (1 - beta1 ** {t})
            s_corrected[key] = s[key] / (1 - beta2 ** {t})
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * {step}
    return {out}
"""


def adam_with(s="beta2 * s[key] + (1 - beta2) * g ** 2", t="t",
              step="v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)",
              out="parameters, v, s, v_corrected, s_corrected") -> str:
    return ADAM.format(s=s, t=t, step=step, out=out)


UPDATE_LR = """
def update_lr(learning_rate0, epoch_num, decay_rate):
    return {rate}
"""

SCHEDULE = """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return {rate}
"""

# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("update_parameters_with_gd", "sign", gd_with(
        w='parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]',
        b='parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]'), "moved uphill"),
    ("update_parameters_with_gd", "b not updated", gd_with(b='parameters["b" + str(l)]'),
     "both W and b"),
    ("update_parameters_with_gd", "only layer 1", gd_with(stop="2"), "update every layer"),
    ("update_parameters_with_gd", "mutates", gd_with().replace(
        'parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate',
        'parameters["W" + str(l)] -= learning_rate'), "changed its input `parameters`"),
    ("update_parameters_with_gd", "fixed learning rate", gd_with(
        w='parameters["W" + str(l)] - 0.01 * grads["dW" + str(l)]',
        b='parameters["b" + str(l)] - 0.01 * grads["db" + str(l)]'), "learning_rate argument"),

    ("random_mini_batches", "two permutations",
     batches_with(y="Y[:, list(np.random.permutation(m))]"), "the same permutation"),
    ("random_mini_batches", "last partial batch dropped",
     batches_with(stop="m - m % mini_batch_size"), "do not drop the remainder"),
    ("random_mini_batches", "Y reshaped to (1, m)",
     batches_with(y="Y[:, permutation].reshape((1, m))"), "Y may be one-hot"),
    ("random_mini_batches", "Y reshaped to a row",
     batches_with(y="Y[:, permutation].reshape((1, -1))"), "Y may be one-hot"),
    ("random_mini_batches", "no shuffle", batches_with(x="X", y="Y"), "not shuffled"),
    ("random_mini_batches", "batches as rows",
     batches_with(bx="shuffled_X[start:start + mini_batch_size, :]"), "examples are columns"),
    ("random_mini_batches", "seed ignored", batches_with(seed="np.random.seed(0)"),
     "seed with the seed argument"),
    ("random_mini_batches", "no seed", batches_with(seed="pass"), "seeds itself"),
    ("random_mini_batches", "another generator",
     batches_with().replace("list(np.random.permutation(m))",
                            "list(np.random.default_rng(seed).permutation(m))"),
     "not in the order np.random.permutation(m) gives"),

    ("initialize_velocity", "keys W1", state_with("initialize_velocity", key='"'),
     "keyed like the gradients"),
    ("initialize_velocity", "ones", state_with("initialize_velocity", fill="np.ones_like"),
     "must start at zero"),
    ("initialize_velocity", "wrong shapes", WRONG_SHAPE.format(name="initialize_velocity"),
     "np.zeros_like(parameters['W1'])"),
    ("initialize_velocity", "only two layers",
     state_with("initialize_velocity").replace("L = len(parameters) // 2", "L = 2"),
     "for L = 3 the keys are"),

    ("initialize_rmsprop", "keys W1", state_with("initialize_rmsprop", key='"'),
     "keyed like the gradients"),
    ("initialize_rmsprop", "ones", state_with("initialize_rmsprop", fill="np.ones_like"),
     "must start at zero"),
    ("initialize_rmsprop", "wrong shapes", WRONG_SHAPE.format(name="initialize_rmsprop"),
     "np.zeros_like(parameters['W1'])"),

    ("initialize_adam", "keys W1", adam_init_with().replace('"d" + p', "p"),
     "keyed like the gradients"),
    ("initialize_adam", "ones", adam_init_with(fill="np.ones_like"), "must start at zero"),
    ("initialize_adam", "wrong shapes",
     adam_init_with(fill="np.zeros", extra=".shape[::-1]"), "np.zeros_like(parameters['W1'])"),
    ("initialize_adam", "v and s the same dict", adam_init_with(start="v = s = {}"),
     "v and s are the same dict"),

    ("update_parameters_with_momentum", "(1 - beta) missing",
     momentum_with(v='beta * old + grads["d" + key]'), "the (1 - beta) is missing"),
    ("update_parameters_with_momentum", "update with grads",
     momentum_with(step='parameters[key] - learning_rate * grads["d" + key]'),
     "with the gradient instead of the velocity"),
    ("update_parameters_with_momentum", "beta and 1 - beta swapped",
     momentum_with(v='(1 - beta) * old + beta * grads["d" + key]'), "swapped"),
    ("update_parameters_with_momentum", "step with the old velocity",
     momentum_with(step="parameters[key] - learning_rate * old"), "update every layer"),
    ("update_parameters_with_momentum", "no copies", momentum_with(copy="pass"),
     "changed its input"),
    ("update_parameters_with_momentum", "another order", momentum_with(out="v, parameters"),
     "return parameters, v, in this order"),

    ("update_parameters_with_rmsprop", "epsilon inside the sqrt",
     rmsprop_with(denominator='np.sqrt(s["d" + key] + epsilon)'),
     "epsilon inside the square root"),
    ("update_parameters_with_rmsprop", "gradient not squared",
     rmsprop_with(s='beta2 * s["d" + key] + (1 - beta2) * g'), "not of their squares"),
    ("update_parameters_with_rmsprop", "bias correction",
     rmsprop_with(denominator='np.sqrt(s["d" + key] / (1 - beta2)) + epsilon'),
     "no bias correction"),
    ("update_parameters_with_rmsprop", "bias correction with t",
     rmsprop_with(denominator='np.sqrt(s["d" + key] / (1 - beta2 ** t)) + epsilon'),
     "RMSprop takes no t"),
    ("update_parameters_with_rmsprop", "(1 - beta2) missing",
     rmsprop_with(s='beta2 * s["d" + key] + g ** 2'), "the (1 - beta2) is missing"),

    ("update_parameters_with_adam", "t + 1", adam_with(t="(t + 1)"), "1 - beta1**(t + 1)"),
    ("update_parameters_with_adam", "t - 1", adam_with(t="(t - 1)"), "t counts the steps from 1"),
    ("update_parameters_with_adam", "epsilon inside the sqrt",
     adam_with(step="v_corrected[key] / np.sqrt(s_corrected[key] + epsilon)"),
     "epsilon inside the square root"),
    ("update_parameters_with_adam", "uncorrected averages",
     adam_with(step="v[key] / (np.sqrt(s[key]) + epsilon)"), "not with their corrected values"),
    ("update_parameters_with_adam", "s from g",
     adam_with(s="beta2 * s[key] + (1 - beta2) * g"), "not of their squares"),
    ("update_parameters_with_adam", "t ignored", adam_with(t="1"), "use the t argument"),
    ("update_parameters_with_adam", "another order",
     adam_with(out="parameters, v_corrected, s_corrected, v, s"),
     "the item in place 2 is v_corrected"),

    ("update_lr", "precedence", UPDATE_LR.format(
        rate="learning_rate0 / (1 + decay_rate) * epoch_num"), "whole denominator in parentheses"),
    ("update_lr", "0.95 ** epoch", UPDATE_LR.format(rate="0.95 ** epoch_num * learning_rate0"),
     "exponential decay"),
    ("update_lr", "exp", UPDATE_LR.format(rate="learning_rate0 * np.exp(-decay_rate * epoch_num)"),
     "exponential decay"),
    ("update_lr", "next epoch", UPDATE_LR.format(
        rate="learning_rate0 / (1 + decay_rate * (epoch_num + 1))"), "is the one of epoch_num=3"),

    ("schedule_lr_decay", "no floor", SCHEDULE.format(
        rate="learning_rate0 / (1 + decay_rate * epoch_num / time_interval)"),
     "must be rounded down"),
    ("schedule_lr_decay", "time_interval ignored", SCHEDULE.format(
        rate="learning_rate0 / (1 + decay_rate * np.floor(epoch_num / 1000))"),
     "use the time_interval argument"),
    ("schedule_lr_decay", "every epoch", SCHEDULE.format(
        rate="learning_rate0 / (1 + decay_rate * epoch_num)"), "update_lr's rate"),
    ("schedule_lr_decay", "rounded up", SCHEDULE.format(
        rate="learning_rate0 / (1 + decay_rate * np.ceil(epoch_num / time_interval))"),
     "rounded up"),
]

ALTERNATIVES = [
    ("update_parameters_with_gd", """
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
"""),
    ("random_mini_batches", """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    order = np.arange(m)
    np.random.shuffle(order)
    count = int(np.ceil(m / mini_batch_size))
    return [(X[:, order[k * mini_batch_size:(k + 1) * mini_batch_size]],
             Y[:, order[k * mini_batch_size:(k + 1) * mini_batch_size]]) for k in range(count)]
"""),
    ("random_mini_batches", """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((Y.shape[0], m))
    mini_batches = []
    for k in range(m // mini_batch_size):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        start = mini_batch_size * (m // mini_batch_size)
        mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))
    return mini_batches
"""),
    ("initialize_velocity", """
def initialize_velocity(parameters):
    return {"d" + key: np.zeros(value.shape) for key, value in parameters.items()}
"""),
    ("initialize_rmsprop", """
def initialize_rmsprop(parameters):
    return {"d" + key: 0 * value for key, value in parameters.items()}
"""),
    ("initialize_adam", """
def initialize_adam(parameters):
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {key: np.zeros_like(value) for key, value in v.items()}
    return v, s
"""),
    ("initialize_adam", """
def initialize_adam(parameters):
    zeros = {"d" + key: np.zeros(value.shape) for key, value in parameters.items()}
    return zeros, dict(zeros)
"""),
    ("update_parameters_with_momentum", """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    new_parameters = {key: parameters[key] - learning_rate * new_v["d" + key] for key in parameters}
    return new_parameters, new_v
"""),
    ("update_parameters_with_momentum", """
import copy


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    parameters, v = copy.deepcopy(parameters), copy.deepcopy(v)
    for key in parameters:
        v["d" + key] = v["d" + key] + (1 - beta) * (grads["d" + key] - v["d" + key])
        parameters[key] = parameters[key] - learning_rate * v["d" + key]
    return parameters, v
"""),
    ("update_parameters_with_rmsprop", """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999,
                                   epsilon=1e-8):
    new_s = {key: beta2 * s[key] + (1 - beta2) * np.square(grads[key]) for key in s}
    new_parameters = {key: parameters[key] - learning_rate * grads["d" + key]
                      / (np.sqrt(new_s["d" + key]) + epsilon) for key in parameters}
    return new_parameters, new_s
"""),
    ("update_parameters_with_adam", """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8):
    v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in v}
    s = {key: beta2 * s[key] + (1 - beta2) * grads[key] * grads[key] for key in s}
    v_corrected = {key: value / (1 - np.power(beta1, t)) for key, value in v.items()}
    s_corrected = {key: value / (1 - np.power(beta2, t)) for key, value in s.items()}
    parameters = {key: value - learning_rate * v_corrected["d" + key]
                  / (np.sqrt(s_corrected["d" + key]) + epsilon)
                  for key, value in parameters.items()}
    return parameters, v, s, v_corrected, s_corrected
"""),
    ("update_lr", UPDATE_LR.format(rate="1 / (1 + decay_rate * epoch_num) * learning_rate0")),
    ("update_lr", UPDATE_LR.format(
        rate="float(np.divide(learning_rate0, 1 + decay_rate * epoch_num))")),
    ("schedule_lr_decay", SCHEDULE.format(
        rate="learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))")),
    ("schedule_lr_decay", SCHEDULE.format(
        rate="1 / (1 + decay_rate * int(epoch_num / time_interval)) * learning_rate0")),
]

globals().update(check_suite("week4", MISTAKES, ALTERNATIVES, only=NAMES))


@pytest.mark.parametrize("name", ["update_parameters_with_momentum",
                                  "update_parameters_with_rmsprop", "update_parameters_with_adam"])
def test_a_state_dict_changed_in_place_is_caught(name):
    """An optimizer that writes into the state dict it was given (argument 3: v or s) changes an
    entry of an input dict: the checker compares dicts of arrays entry by entry."""
    solution = solution_namespace("week4")[name]

    def in_place(parameters, grads, state, *args, **kwargs):
        state["dW1"] += 1.0
        return solution(parameters, grads, state, *args, **kwargs)

    with pytest.raises(CheckFailed, match="changed its input `state` in place"):
        optimizers.WEEK.exercises[name](in_place)


def test_every_update_has_cases_of_two_and_three_layers():
    """L = len(parameters) // 2 must not be assumed 2."""
    for name in NAMES:
        cases = optimizers.WEEK.exercises[name].cases
        layers = {len(case["parameters"]) // 2 for case in cases if "parameters" in case}
        assert not layers or layers == {2, 3}, (name, layers)
