"""Week 6's GRU checks (gru_cell_forward, gru_forward, gru_cell_backward, gru_backward) reject the
stubs and the common mistakes with a hint that names them, accept other correct code, and name
no mistake on correct code; the invariances the backward hints rely on hold for the solution."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import Check
from course_utils.checks.exercise import Case
from course_utils.checks.week6 import CHECKS, gru
from course_utils.checks.week6.gru import CELL_KEYS, SEQUENCE_KEYS
from tests.helpers import check_message, check_suite, implemented

FUNCTIONS = ["gru_cell_forward", "gru_forward", "gru_cell_backward", "gru_backward"]

CELL_FORWARD = """
def gru_cell_forward(xt, a_prev, parameters):
    Wu, bu, Wr, br = parameters["Wu"], parameters["bu"], parameters["Wr"], parameters["br"]
    Wc, bc, Wy, by = parameters["Wc"], parameters["bc"], parameters["Wy"], parameters["by"]
    concat = {concat}
    gu = {gu}
    gr = sigmoid(Wr @ concat + br)
    cct = np.tanh(Wc @ {concat_r} + bc)
    a_next = {a_next}
    yt_pred = {yt}
    cache = {cache}
    return a_next, yt_pred, cache
"""


def cell_forward_with(concat="np.concatenate([a_prev, xt], axis=0)",
                      concat_r="np.concatenate([gr * a_prev, xt], axis=0)",
                      gu="sigmoid(Wu @ concat + bu)", a_next="gu * cct + (1 - gu) * a_prev",
                      yt="softmax(Wy @ a_next + by)",
                      cache="(a_next, a_prev, xt, gu, gr, cct, parameters)"):
    return CELL_FORWARD.format(concat=concat, concat_r=concat_r, gu=gu, a_next=a_next, yt=yt,
                               cache=cache)


FORWARD = """
def gru_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in {steps}:
        {a_store}a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], {a_in}, parameters)
        {a_after}
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = {caches}
    return a, y_pred, caches
"""


def forward_with(steps="range(T_x)", a_store="", a_in="a_next", a_after="a[:, :, t] = a_next",
                 caches="(caches, x)"):
    return FORWARD.format(steps=steps, a_store=a_store, a_in=a_in, a_after=a_after,
                          caches=caches)


CELL_BACKWARD = """
def gru_cell_backward(da_next, cache):
    (a_next, a_prev, xt, gu, gr, cct, parameters) = cache
    Wu, Wr, Wc = parameters["Wu"], parameters["Wr"], parameters["Wc"]
    n_a = a_prev.shape[0]
    concat = {concat}
    concat_r = np.concatenate([gr * a_prev, xt], axis=0)
    dzc = da_next * gu * {tanh_prime}
    dzu = da_next * {du} * {gu_prime}
    dconcat_r = Wc.T @ dzc
    d_gated = dconcat_r[:n_a]
    dzr = d_gated * a_prev * {gr_prime}
    dconcat = Wu.T @ dzu + Wr.T @ dzr
    da_prev = {da_prev}
    dxt = dconcat_r[n_a:] + dconcat[n_a:]
    dWu, dbu = dzu @ concat.T, {dbu}
    dWr, dbr = dzr @ concat.T, np.sum(dzr, axis=1, keepdims=True)
    dWc, dbc = dzc @ {concat_c}.T, np.sum(dzc, axis=1, keepdims=True)
    return {{"dxt": dxt, "da_prev": da_prev, "dWu": dWu, "dbu": dbu, "dWr": dWr, "dbr": dbr,
            "dWc": dWc, "dbc": dbc}}
"""


def cell_backward_with(concat="np.concatenate([a_prev, xt], axis=0)", tanh_prime="(1 - cct ** 2)",
                       du="(cct - a_prev)", gu_prime="gu * (1 - gu)", gr_prime="gr * (1 - gr)",
                       da_prev="da_next * (1 - gu) + d_gated * gr + dconcat[:n_a]",
                       dbu="np.sum(dzu, axis=1, keepdims=True)", concat_c="concat_r"):
    return CELL_BACKWARD.format(concat=concat, tanh_prime=tanh_prime, du=du, gu_prime=gu_prime,
                                gr_prime=gr_prime, da_prev=da_prev, dbu=dbu, concat_c=concat_c)


BACKWARD = """
def gru_backward(da, caches):
    (caches, x) = caches
    (a1, a0, x1, gu1, gr1, cct1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    keys = ("dWu", "dbu", "dWr", "dbr", "dWc", "dbc")
    gradients = {{key: np.zeros_like(parameters[key[1:]]) for key in keys}}
    da_prevt = np.zeros((n_a, m))
    for t in {steps}:
        step = gru_cell_backward({da_next}, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prevt = step["da_prev"]
        for key in keys:
            gradients[key] {op} step[key]
    gradients["dx"], gradients["da0"] = dx, da_prevt
    return gradients
"""


def backward_with(steps="reversed(range(T_x))", da_next="da[:, :, t] + da_prevt", op="+="):
    return BACKWARD.format(steps=steps, da_next=da_next, op=op)


XT_FIRST = "np.concatenate([xt, a_prev], axis=0)"
# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("gru_cell_forward", "[xt; a_prev]", cell_forward_with(
        concat=XT_FIRST, concat_r="np.concatenate([xt, gr * a_prev], axis=0)"),
     "every product stacked [xt; a_prev]"),
    ("gru_cell_forward", "[xt; a_prev] in the gates", cell_forward_with(concat=XT_FIRST),
     "the gates stacked [xt; a_prev]"),
    ("gru_cell_forward", "* for the product", cell_forward_with(gu="sigmoid(Wu * concat + bu)"),
     "`*` multiplies entry by entry"),
    ("gru_cell_forward", "Γu and 1 - Γu swapped",
     cell_forward_with(a_next="(1 - gu) * cct + gu * a_prev"), "Γu and 1 - Γu are swapped"),
    ("gru_cell_forward", "no relevance gate",
     cell_forward_with(concat_r="np.concatenate([a_prev, xt], axis=0)"),
     "a_next does not change when br does"),
    ("gru_cell_forward", "tanh gate", cell_forward_with(gu="np.tanh(Wu @ concat + bu)"),
     "cache's gu has values outside [0, 1]"),
    ("gru_cell_forward", "softmax over axis 1", cell_forward_with(
        yt="np.exp(Wy @ a_next + by) / np.sum(np.exp(Wy @ a_next + by), axis=1, keepdims=True)"),
     "must each sum to 1"),
    ("gru_cell_forward", "gates swapped in the cache",
     cell_forward_with(cache="(a_next, a_prev, xt, gr, gu, cct, parameters)"),
     "cache[3] must be gu, but it holds gr"),
    ("gru_cell_forward", "concatenated along the examples",
     cell_forward_with(concat="np.concatenate([a_prev, xt], axis=1)"), "axis=0"),
    ("gru_forward", "a0 at every step", forward_with(a_in="a0"), "every step started from a0"),
    ("gru_forward", "a_prev stored", forward_with(a_store="a[:, :, t] = a_next\n        ",
                                                  a_after="pass"),
     "holds the activation before step t"),
    ("gru_forward", "last step skipped", forward_with(steps="range(T_x - 1)"), "is still zero"),
    ("gru_forward", "caches without x", forward_with(caches="caches"),
     "caches must be the pair (list_of_caches, x), but it is the list of the 5 caches alone"),
    ("gru_cell_backward", "tanh' = 1 - cct", cell_backward_with(tanh_prime="(1 - cct)"),
     "tanh' is 1 - cct**2"),
    ("gru_cell_backward", "σ' = Γu", cell_backward_with(gu_prime="gu"),
     "the derivative of the gate Γu (gu)"),
    ("gru_cell_backward", "σ' = Γr", cell_backward_with(gr_prime="gr"),
     "the derivative of the gate Γr (gr)"),
    ("gru_cell_backward", "no direct path",
     cell_backward_with(da_prev="d_gated * gr + dconcat[:n_a]"), "the direct path is missing"),
    ("gru_cell_backward", "a_prev - cct", cell_backward_with(du="(a_prev - cct)"),
     "the difference is cct - a_prev"),
    ("gru_cell_backward", "[xt; a_prev]", cell_backward_with(concat=XT_FIRST),
     "columns are in the order [xt; a_prev]"),
    ("gru_cell_backward", "ungated a_prev in dWc", cell_backward_with(concat_c="concat"),
     "the candidate saw the gated a_prev"),
    ("gru_cell_backward", "db without keepdims", cell_backward_with(dbu="np.sum(dzu, axis=1)"),
     "keepdims=True"),
    ("gru_backward", "no da_prev", backward_with(da_next="da[:, :, t]"),
     "no gradient flows back from the later steps"),
    ("gru_backward", "forwards", backward_with(steps="range(T_x)"), "the loop runs forwards"),
    ("gru_backward", "= for +=", backward_with(op="="), "add up the weight gradients"),
]

ALTERNATIVES = [
    ("gru_cell_forward", """
def gru_cell_forward(xt, a_prev, parameters):
    n_a = a_prev.shape[0]
    P = parameters
    def gate(W, b, top):  # the column blocks of W times a_prev (or Γr * a_prev) and xt
        return np.dot(W[:, :n_a], top) + np.dot(W[:, n_a:], xt) + b
    gu = 1 / (1 + np.exp(-gate(P["Wu"], P["bu"], a_prev)))
    gr = 1 / (1 + np.exp(-gate(P["Wr"], P["br"], a_prev)))
    cct = np.tanh(gate(P["Wc"], P["bc"], gr * a_prev))
    a_next = a_prev + gu * (cct - a_prev)
    z = P["Wy"] @ a_next + P["by"]
    yt_pred = np.exp(z) / np.exp(z).sum(axis=0)
    return a_next, yt_pred, (a_next, a_prev, xt, gu, gr, cct, parameters)
"""),
    ("gru_forward", """
def gru_forward(x, a0, parameters):
    steps, a_t = [], a0
    for xt in np.moveaxis(x, 2, 0):
        a_t, y_t, cache = gru_cell_forward(xt, a_t, parameters)
        steps.append((a_t, y_t, cache))
    a = np.stack([s[0] for s in steps], axis=2)
    y_pred = np.stack([s[1] for s in steps], axis=2)
    return a, y_pred, ([s[2] for s in steps], x)
"""),
    ("gru_cell_backward", """
def gru_cell_backward(da_next, cache):
    a_next, a_prev, xt, gu, gr, cct, parameters = cache
    n_a = len(a_prev)
    Wu, Wr, Wc = parameters["Wu"], parameters["Wr"], parameters["Wc"]
    dzc = da_next * gu * (1 - np.square(cct))
    dzu = da_next * (cct - a_prev) * gu * (1 - gu)
    d_gated = np.dot(Wc[:, :n_a].T, dzc)
    dzr = d_gated * a_prev * gr * (1 - gr)
    da_prev = (da_next - da_next * gu + d_gated * gr + np.dot(Wu[:, :n_a].T, dzu)
               + np.dot(Wr[:, :n_a].T, dzr))
    dxt = np.dot(Wc[:, n_a:].T, dzc) + np.dot(Wu[:, n_a:].T, dzu) + np.dot(Wr[:, n_a:].T, dzr)
    concat, concat_r = np.vstack([a_prev, xt]), np.vstack([gr * a_prev, xt])
    return {"dxt": dxt, "da_prev": da_prev,
            "dWu": np.dot(dzu, concat.T), "dbu": dzu.sum(axis=1, keepdims=True),
            "dWr": np.dot(dzr, concat.T), "dbr": dzr.sum(axis=1, keepdims=True),
            "dWc": np.dot(dzc, concat_r.T), "dbc": dzc.sum(axis=1, keepdims=True)}
"""),
    ("gru_backward", """
def gru_backward(da, caches):
    cell_caches, x = caches
    T_x = da.shape[2]
    dx = np.zeros(x.shape)
    totals, da_prevt = {}, 0
    for t in range(T_x - 1, -1, -1):
        g = gru_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for key in ("dWu", "dbu", "dWr", "dbr", "dWc", "dbc"):
            totals[key] = totals.get(key, 0) + g[key]
    return {"dx": dx, "da0": da_prevt, **totals}
"""),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week6")


def failure(name: str, source: str) -> str:
    return check_message(CHECKS[name], implemented(SOLUTION, source)[name])


def run_case(name: str, index: int, fn=None):
    """The exercise's case `index` as a check sees it, with `fn`'s output (the solution's)."""
    exercise = CHECKS[name]
    fn = fn or SOLUTION[name]
    case = Case(exercise.cases[index], exercise, fn, Check(name))
    return case, exercise.call(fn, case), exercise.expected()[index]


CASES = [(name, i) for name in FUNCTIONS for i in range(len(CHECKS[name].cases))]


# -- what a learner reads ----------------------------------------------------------------------
def test_a_wrong_stacking_order_is_told_with_the_values_and_the_fix():
    message = failure("gru_cell_forward", cell_forward_with(
        concat=XT_FIRST, concat_r="np.concatenate([xt, gr * a_prev], axis=0)"))
    lines = message.splitlines()
    assert lines[0] == ("gru_cell_forward: a_next (xt of shape (3, 4), a_prev of shape (5, 4)) "
                        "is wrong.")
    assert lines[1].startswith("  expected: [[") and "  got:      [[" in message
    assert lines[-1].startswith("Hint: every product stacked [xt; a_prev], but the contract "
                                "stacks a_prev's n_a rows first")


def test_a_wrong_gate_derivative_names_the_gradient_and_what_is_right():
    message = failure("gru_cell_backward", cell_backward_with(gu_prime="gu"))
    assert message.startswith("gru_cell_backward: dbu (xt of shape (3, 3), a_prev of shape "
                              "(4, 3)) is wrong.")
    assert "σ' = Γ (1 - Γ)" in message
    assert "(dWr, dbr, dWc, dbc are right.)" in message


def test_a_forward_loop_in_the_backward_pass_is_told_at_the_first_wrong_gradient():
    message = failure("gru_backward", backward_with(steps="range(T_x)"))
    first = message.splitlines()[0]
    assert first.startswith("gru_backward: dx (da of shape (3, 2, 4), x of shape (2, 2, 4)) is "
                            "wrong at ")
    assert "for t in reversed(range(T_x))" in message


def test_a_product_written_with_star_is_told_from_the_error():
    message = failure("gru_cell_forward", cell_forward_with(gu="sigmoid(Wu * concat + bu)"))
    assert message.startswith("gru_cell_forward: raised ValueError: operands could not be "
                              "broadcast together")
    assert "(called with xt shape (3, 4), a_prev shape (5, 4), parameters {'Wu': (5, 8)" in message
    assert "Wu @ concat or np.dot(Wu, concat)" in message


def test_every_check_passes_in_one_line(capsys):
    for name in FUNCTIONS:
        CHECKS[name](SOLUTION[name])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == FUNCTIONS
    assert all(line.endswith(" checks passed.") for line in lines)


# -- hints that must not fire on correct code -------------------------------------------------
@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_no_mistake_is_named_on_the_solution(name, index):
    case, out, want = run_case(name, index)
    if name == "gru_cell_forward":
        assert gru._gate_hint(out[2]) is None
        assert gru._forward_slip(case, out[0], want[0], case["a_prev"].shape[0], 0) is None
    elif name == "gru_forward":
        assert gru._sequence_slip(case, out[0], want[0]) is None
        assert gru._forward_slip(case, out[0], want[0], case["a0"].shape[0], 0) is None
    elif name == "gru_cell_backward":
        assert all(gru._cell_slip(case, out, want, key) is None for key in CELL_KEYS)
    else:
        assert all(gru._backward_slip(case, out, want, key) is None for key in SEQUENCE_KEYS)


@pytest.mark.parametrize("index", range(len(CHECKS["gru_cell_backward"].cases)))
def test_the_backward_invariances_hold_for_the_solution(index):
    """dbu, dWu stay when Γu becomes 1 - Γu, dbr, dWr when Γr does, dbc when cct changes sign;
    each slip the hints name breaks its invariance (the derivative written without it)."""
    case, out, _ = run_case("gru_cell_backward", index)
    for keys, changes in ((("dbu", "dWu"), {3: lambda g: 1 - g}),
                          (("dbr", "dWr"), {4: lambda g: 1 - g}), (("dbc",), {5: lambda c: -c})):
        assert not any(gru._changed(case, key, key, changes, out[key]) for key in keys)
    for source, key, changes in ((cell_backward_with(gu_prime="gu"), "dbu", {3: lambda g: 1 - g}),
                                 (cell_backward_with(gr_prime="gr"), "dbr", {4: lambda g: 1 - g}),
                                 (cell_backward_with(tanh_prime="(1 - cct)"), "dbc",
                                  {5: lambda c: -c})):
        namespace = dict(SOLUTION)
        exec(source, namespace)
        slipped, got, _ = run_case("gru_cell_backward", index, namespace["gru_cell_backward"])
        assert gru._changed(slipped, key, key, changes, got[key])


# -- the cases ---------------------------------------------------------------------------------
def test_backward_caches_hold_gates_in_range_and_chain_the_steps():
    for case in CHECKS["gru_cell_backward"].cases:
        a_next, a_prev, xt, gu, gr, cct, parameters = case["cache"]
        assert 0 < gu.min() and gu.max() < 1 and 0 < gr.min() and gr.max() < 1
        assert -1 < cct.min() and cct.max() < 1 and a_prev.shape == gu.shape == a_next.shape
        assert parameters["Wu"].shape == (a_prev.shape[0], a_prev.shape[0] + xt.shape[0])
    for case in CHECKS["gru_backward"].cases:
        caches, x = case["caches"]
        assert len(caches) == x.shape[2] == case["da"].shape[2]
        for t, cache in enumerate(caches):
            assert cache[2] is not None and np.array_equal(cache[2], x[:, :, t])
            if t:
                assert np.array_equal(cache[1], caches[t - 1][0])


def test_the_sequence_cases_hold_one_step_and_several():
    for name in ("gru_forward", "gru_backward"):
        lengths = sorted((c["x"] if "x" in c else c["caches"][1]).shape[2]
                         for c in CHECKS[name].cases)
        assert lengths[0] == 1 and lengths[-1] >= 4, (name, lengths)
