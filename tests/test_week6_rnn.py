"""Week 6's rnn checks (rnn_cell_forward, rnn_forward, rnn_cell_backward, rnn_backward) reject
the stubs and the common slips, each with the hint that names it, and accept other correct
code; the stored backward values are the numerical gradients of the stored forward; hints meant
for a slip stay silent on correct code."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks.week6 import CHECKS
from course_utils.checks.week6.recurrent import rnn_caches
from tests.helpers import check_message, check_suite, implemented

FUNCTIONS = ["rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward"]

CELL_FORWARD = """
def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = {a_next}
    yt_pred = {yt_pred}
    cache = {cache}
    return a_next, yt_pred, cache
"""


def cell_forward(a_next="np.tanh(Waa @ a_prev + Wax @ xt + ba)",
                 yt_pred="softmax(Wya @ a_next + by)", cache="(a_next, a_prev, xt, parameters)"):
    return CELL_FORWARD.format(a_next=a_next, yt_pred=yt_pred, cache=cache)


FORWARD = """
def rnn_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range({steps}):
        {step}
        a[:, :, t] = {store}
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = {caches}
    return a, y_pred, caches
"""


def forward(steps="T_x", step="a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, "
            "parameters)", store="a_next", caches="(caches, x)"):
    return FORWARD.format(steps=steps, step=step, store=store, caches=caches)


CELL_BACKWARD = """
def rnn_cell_backward(da_next, cache):
    (a_next, a_prev, xt, parameters) = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dz = {dz}
    dxt = Wax.T @ dz
    dWax = dz @ xt.T
    da_prev = {da_prev}
    dWaa = {dWaa}
    dba = {dba}
    return {{"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}}
"""


def cell_backward(dz="(1 - a_next ** 2) * da_next", da_prev="Waa.T @ dz", dWaa="dz @ a_prev.T",
                  dba="np.sum(dz, axis=1, keepdims=True)"):
    return CELL_BACKWARD.format(dz=dz, da_prev=da_prev, dWaa=dWaa, dba=dba)


BACKWARD = """
def rnn_backward(da, caches):
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in {order}:
        gradients = rnn_cell_backward({da_next}, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax {op} gradients["dWax"]
        dWaa {op} gradients["dWaa"]
        dba {op} gradients["dba"]
    da0 = {da0}
    return {{"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}}
"""


def backward(order="reversed(range(T_x))", da_next="da[:, :, t] + da_prevt", op="+=",
             da0="da_prevt"):
    return BACKWARD.format(order=order, da_next=da_next, op=op, da0=da0)


# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("rnn_cell_forward", "elementwise products", cell_forward(
        a_next="np.tanh(Waa * a_prev + Wax * xt + ba)"), "`*` multiplies entry by entry"),
    ("rnn_cell_forward", "no tanh", cell_forward(a_next="Waa @ a_prev + Wax @ xt + ba"),
     "the tanh is missing"),
    ("rnn_cell_forward", "sigmoid state", cell_forward(
        a_next="sigmoid(Waa @ a_prev + Wax @ xt + ba)"), "this is a sigmoid"),
    ("rnn_cell_forward", "no ba", cell_forward(a_next="np.tanh(Waa @ a_prev + Wax @ xt)"),
     "ba is not used"),
    ("rnn_cell_forward", "Waa and Wax swapped", cell_forward(
        a_next="np.tanh(Wax @ a_prev + Waa @ xt + ba)"), "Waa and Wax are swapped"),
    ("rnn_cell_forward", "output from a_prev", cell_forward(yt_pred="softmax(Wya @ a_prev + by)"),
     "computed from a_prev"),
    ("rnn_cell_forward", "softmax over rows", cell_forward(
        yt_pred="np.exp(Wya @ a_next + by) / np.sum(np.exp(Wya @ a_next + by), axis=1, "
                "keepdims=True)"), "over the wrong axis"),
    ("rnn_cell_forward", "softmax over everything", cell_forward(
        yt_pred="np.exp(Wya @ a_next + by) / np.sum(np.exp(Wya @ a_next + by))"),
     "the whole array sums to 1"),
    ("rnn_cell_forward", "no softmax", cell_forward(yt_pred="Wya @ a_next + by"),
     "its columns do not sum to 1"),
    ("rnn_cell_forward", "no by", cell_forward(yt_pred="softmax(Wya @ a_next)"),
     "by is not used"),
    ("rnn_cell_forward", "cache order", cell_forward(cache="(a_prev, a_next, xt, parameters)"),
     "cache[0] holds a_prev where a_next belongs"),
    ("rnn_cell_forward", "mutates parameters", cell_forward(
        a_next="np.tanh(Waa @ a_prev + Wax @ xt + ba)\n    parameters['a'] = a_next"),
     "changed its input `parameters` in place"),
    ("rnn_forward", "always from a0", forward(
        step="a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)"),
     "each step starts from the a_next of the step before"),
    ("rnn_forward", "last step skipped", forward(steps="T_x - 1"), "is still zeros"),
    ("rnn_forward", "stores a_prev", forward(
        step="a_prev = a_next\n        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], "
             "a_next, parameters)", store="a_prev"), "holds step t - 1's value"),
    ("rnn_forward", "caches without x", forward(caches="caches"), "the pair (caches_list, x)"),
    ("rnn_forward", "a0 unused", forward(
        step="a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next if t else "
             "np.zeros_like(a0), parameters)"), "a0 is not used"),
    ("rnn_cell_backward", "tanh of a_next", cell_backward(
        dz="(1 - np.tanh(a_next) ** 2) * da_next"), "not 1 - np.tanh(a_next)**2"),
    ("rnn_cell_backward", "no square", cell_backward(dz="(1 - a_next) * da_next"),
     "the square is missing"),
    ("rnn_cell_backward", "no derivative", cell_backward(dz="da_next"),
     "the derivative of the tanh is missing"),
    ("rnn_cell_backward", "sum without axis", cell_backward(dba="np.sum(dz)"),
     "np.sum(dz, axis=1, keepdims=True)"),
    ("rnn_cell_backward", "sum over units", cell_backward(dba="np.sum(dz, axis=0, keepdims=True)"),
     "sum dz over the examples only"),
    ("rnn_cell_backward", "no keepdims", cell_backward(dba="np.sum(dz, axis=1)"),
     "keep the column"),
    ("rnn_cell_backward", "Waa not transposed", cell_backward(da_prev="Waa @ dz"),
     "the transpose of Waa"),
    ("rnn_cell_backward", "dWaa with a_next", cell_backward(dWaa="dz @ a_next.T"),
     "not a_next"),
    ("rnn_cell_backward", "dWaa transposed", cell_backward(dWaa="a_prev @ dz.T"), "transpose"),
    ("rnn_cell_backward", "1/m", cell_backward(dba="np.sum(dz, axis=1, keepdims=True) / "
                                                   "dz.shape[1]"), "no 1/m here"),
    ("rnn_backward", "da_prev not passed on", backward(da_next="da[:, :, t]"),
     "does not flow back"),
    ("rnn_backward", "forward loop", backward(order="range(T_x)"), "the loop runs forwards"),
    ("rnn_backward", "overwritten weight gradients", backward(op="="),
     "their gradients add up"),
    ("rnn_backward", "first step skipped", backward(order="range(T_x - 1, 0, -1)"),
     "skips step t = 0"),
    ("rnn_backward", "da[:, :, t] left out", backward(da_next="da_prevt"), "are all zeros"),
    ("rnn_backward", "da0 from the last step", backward(
        da0="gradients['da_prev'] if T_x == 1 else np.zeros((n_a, m))"),
     "da0 is the da_prev of the first step"),
]

ALTERNATIVES = [
    ("rnn_cell_forward", """
def rnn_cell_forward(xt, a_prev, parameters):
    stacked = np.concatenate([parameters["Waa"], parameters["Wax"]], axis=1)
    z = np.dot(stacked, np.vstack([a_prev, xt])) + parameters["ba"]
    a_next = np.tanh(z)
    scores = np.dot(parameters["Wya"], a_next) + parameters["by"]
    e = np.exp(scores - scores.max(axis=0))
    return a_next, e / e.sum(axis=0), (a_next, a_prev, xt, parameters)
"""),
    ("rnn_forward", """
def rnn_forward(x, a0, parameters):
    states, outputs, caches, a_t = [], [], [], a0
    for xt in np.moveaxis(x, 2, 0):
        a_t, y_t, c = rnn_cell_forward(xt, a_t, parameters)
        states.append(a_t); outputs.append(y_t); caches.append(c)
    return np.stack(states, axis=2), np.stack(outputs, axis=2), (caches, x)
"""),
    ("rnn_cell_backward", """
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    z = p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"]
    dz = da_next / np.cosh(z) ** 2
    return {"dxt": np.dot(p["Wax"].T, dz), "da_prev": np.dot(p["Waa"].T, dz),
            "dWax": np.einsum("im,jm->ij", dz, xt), "dWaa": np.einsum("im,jm->ij", dz, a_prev),
            "dba": dz.sum(axis=1).reshape(-1, 1)}
"""),
    ("rnn_backward", """
def rnn_backward(da, caches):
    steps, x = caches
    grads = {"dx": np.zeros_like(x, dtype=float)}
    carried = np.zeros_like(da[:, :, 0])
    for t in range(da.shape[2] - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + carried, steps[t])
        grads["dx"][:, :, t], carried = g["dxt"], g["da_prev"]
        for k in ("dWax", "dWaa", "dba"):
            grads[k] = grads.get(k, 0) + g[k]
    grads["da0"] = carried
    return grads
"""),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))


@pytest.fixture(scope="module")
def solution():
    return solution_namespace("week6")


def failure(name: str, source: str, solution: dict) -> str:
    return check_message(CHECKS[name], implemented(solution, source)[name])


def test_solution_passes_with_one_line_each(solution, capsys):
    for name in FUNCTIONS:
        CHECKS[name](solution[name])
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == FUNCTIONS
    assert all(line.endswith("checks passed.") for line in lines), lines


def test_a_wrong_state_message_names_sizes_expected_and_got(solution):
    """The learner reads which output, on which sizes, what was expected and what came back."""
    message = failure("rnn_cell_forward", cell_forward(a_next="Waa @ a_prev + Wax @ xt + ba"),
                      solution)
    lines = message.splitlines()
    assert lines[0] == "rnn_cell_forward: a_next (n_x=4, n_a=4, n_y=3, m=3) is wrong."
    assert lines[1].strip().startswith("expected: [[") and "got:" in message
    assert lines[-1] == ("Hint: the tanh is missing: a_next = np.tanh(Waa @ a_prev + Wax @ xt + "
                         "ba).")


def test_right_state_and_wrong_output_names_the_output_only(solution):
    message = failure("rnn_cell_forward", cell_forward(yt_pred="softmax(Wya @ a_next)"), solution)
    assert message.startswith("rnn_cell_forward: yt_pred (n_x=4, n_a=4, n_y=3, m=3) is wrong.")
    assert "by is not used" in message and "wrong axis" not in message


def test_loop_message_says_where_the_sequence_goes_wrong(solution):
    message = failure("rnn_forward", forward(
        step="a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)"), solution)
    assert message.startswith("rnn_forward: a (n_x=3, n_a=5, n_y=2, m=4, T_x=6) is wrong at ")
    assert "a[:, :, 0] is right but a[:, :, 1] is not" in message


def test_backward_flow_hints_stay_silent_on_correct_code(solution):
    """The loop diagnoses and the accumulation hint return None for the solution's gradients."""
    from course_utils.checks.exercise import Case
    from course_utils.checks.week6.recurrent import accumulated, backward_flow

    exercise = CHECKS["rnn_backward"]
    for values, want in zip(exercise.cases, exercise.expected()):
        case = Case(values, exercise, solution["rnn_backward"], None)
        grads = exercise.call(solution["rnn_backward"], values)
        assert backward_flow(case, grads, want, "rnn_cell_backward") is None
        assert accumulated(["dWax", "dWaa", "dba"], grads, want) is None


def test_cell_slips_stay_silent_on_correct_gradients():
    from course_utils.checks.week6.rnn import _cell_slips

    exercise = CHECKS["rnn_cell_backward"]
    for values, want in zip(exercise.cases, exercise.expected()):
        m = values["da_next"].shape[1]
        for key in want:
            assert _cell_slips(key, want[key], want, values["da_next"], values["cache"], m) is None


def test_cases_caches_follow_the_recurrence():
    """A backward case's caches are what rnn_forward leaves: a_prev of step t is a_next of step
    t - 1, xt is x[:, :, t], and a_next is tanh(Waa a_prev + Wax xt + ba)."""
    steps, x = rnn_caches(3, 4, 2, 2, 5, 1)
    for t, (a_next, a_prev, xt, P) in enumerate(steps):
        assert np.array_equal(xt, x[:, :, t])
        if t:
            assert a_prev is steps[t - 1][0]
        assert np.allclose(a_next, np.tanh(P["Waa"] @ a_prev + P["Wax"] @ xt + P["ba"]))


def test_stored_backward_values_are_numerical_gradients(solution):
    """rnn_backward's stored gradients are those of J = sum(da * a) through the stored caches."""
    exercise = CHECKS["rnn_backward"]
    for values, want in zip(exercise.cases, exercise.expected()):
        da, (steps, x) = values["da"], values["caches"]
        P, a0 = steps[0][3], steps[0][1]

        def J(Wax=P["Wax"], x=x, a0=a0, P=P, da=da):
            a, total = a0, 0.0
            for t in range(x.shape[2]):
                a = np.tanh(P["Waa"] @ a + Wax @ x[:, :, t] + P["ba"])
                total += np.sum(da[:, :, t] * a)
            return total

        for name, value, key in (("dWax", P["Wax"], "Wax"), ("dx", x, "x"), ("da0", a0, "a0")):
            num = np.zeros_like(value)
            for i in np.ndindex(value.shape):
                plus, minus = value.copy(), value.copy()
                plus[i] += 1e-6
                minus[i] -= 1e-6
                num[i] = (J(**{key: plus}) - J(**{key: minus})) / 2e-6
            assert np.allclose(want[name], num, atol=1e-6), name
