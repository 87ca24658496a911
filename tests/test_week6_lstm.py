"""Week 6's lstm checks (lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward)
reject the stubs and the common mistakes with a hint that names them, accept other correct
code, stay quiet on right code, and read what a learner would read; the backward cases' caches
are ones lstm_cell_forward leaves, and the stored gradients are the numerical ones."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import Check, CheckFailed
from course_utils.checks.exercise import Case
from course_utils.checks.week6 import CHECKS
from course_utils.checks.week6.lstm import CACHE_NAMES, _cell_slip, _paths_slip, _steps_slip
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_message, check_suite, implemented, solution_cells

FUNCTIONS = ["lstm_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward"]

CELL_FORWARD = """
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi = parameters["Wf"], parameters["bf"], parameters["Wi"], parameters["bi"]
    Wc, bc, Wo, bo = parameters["Wc"], parameters["bc"], parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    concat = {concat}
    ft = sigmoid({f_product} + bf)
    it = sigmoid(Wi @ concat + bi)
    cct = {candidate}(Wc @ concat + bc)
    c_next = {c_next}
    ot = sigmoid(Wo @ concat + bo)
    a_next = {a_next}
    yt_pred = {yt_pred}
    cache = {cache}
    return a_next, c_next, yt_pred, cache
"""


def cell_forward_with(concat="np.concatenate([a_prev, xt], axis=0)", f_product="Wf @ concat",
                      candidate="np.tanh", c_next="ft * c_prev + it * cct",
                      a_next="ot * np.tanh(c_next)", yt_pred="softmax(Wy @ a_next + by)",
                      cache="(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)"):
    return CELL_FORWARD.format(concat=concat, f_product=f_product, candidate=candidate,
                               c_next=c_next, a_next=a_next, yt_pred=yt_pred, cache=cache)


FORWARD = """
def lstm_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    c_next = {c0}
    for t in range({steps}):
        a_prev = a_next
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], {a_in}, {c_in}, parameters)
        a[:, :, t] = {a_store}
        c[:, :, t] = c_next
        y[:, :, {y_at}] = {y_store}
        caches.append(cache)
    caches = {caches}
    return {returned}
"""


def forward_with(c0="np.zeros((n_a, m))", steps="T_x", a_in="a_next", c_in="c_next",
                 a_store="a_next", y_at="t", y_store="yt", caches="(caches, x)",
                 returned="a, y, c, caches"):
    return FORWARD.format(c0=c0, steps=steps, a_in=a_in, c_in=c_in, a_store=a_store, y_at=y_at,
                          y_store=y_store, caches=caches, returned=returned)


CELL_BACKWARD = """
def lstm_cell_backward(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_x, m = xt.shape
    n_a, m = a_next.shape
    tanh_c = np.tanh(c_next)
    dc = {dc}
    dot = {dot}
    dcct = {dcct}
    dit = dc * cct * it * (1 - it)
    dft = {dft}
    concat = {concat}
    dWf, dbf = dft @ concat.T, {dbf}
    dWi, dbi = dit @ concat.T, np.sum(dit, axis=1, keepdims=True)
    dWc, dbc = dcct @ concat.T, np.sum(dcct, axis=1, keepdims=True)
    dWo, dbo = dot @ concat.T, np.sum(dot, axis=1, keepdims=True)
    dconcat = {dconcat}
    da_prev, dxt = {split}
    dc_prev = {dc_prev}
    return {{"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
             "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}}
"""
ALL_FOUR = ('parameters["Wf"].T @ dft + parameters["Wi"].T @ dit + parameters["Wc"].T @ dcct '
            '+ parameters["Wo"].T @ dot')


def cell_backward_with(dc="dc_next + da_next * ot * (1 - tanh_c ** 2)",
                       dot="da_next * tanh_c * ot * (1 - ot)", dcct="dc * it * (1 - cct ** 2)",
                       dft="dc * c_prev * ft * (1 - ft)",
                       concat="np.concatenate([a_prev, xt], axis=0)",
                       dbf="np.sum(dft, axis=1, keepdims=True)", dconcat=ALL_FOUR,
                       split="dconcat[:n_a], dconcat[n_a:]", dc_prev="dc * ft"):
    return CELL_BACKWARD.format(dc=dc, dot=dot, dcct=dcct, dft=dft, concat=concat, dbf=dbf,
                                dconcat=dconcat, split=split, dc_prev=dc_prev)


BACKWARD = """
def lstm_backward(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    keys = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
    gradients = {{key: np.zeros_like(parameters[key[1:]]) for key in keys}}
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in {order}:
        {da_next}
        step = lstm_cell_backward(da_next, dc_prevt, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prevt = step["da_prev"]
        {dc_carry}
        for key in keys:
            gradients[key] {op} step[key]
    gradients["dx"], gradients["da0"] = dx, da_prevt
    return gradients
"""


def backward_with(order="reversed(range(T_x))", da_next="da_next = da[:, :, t] + da_prevt",
                  dc_carry='dc_prevt = step["dc_prev"]', op="+="):
    return BACKWARD.format(order=order, da_next=da_next, dc_carry=dc_carry, op=op)


# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("lstm_cell_forward", "[xt; a_prev]",
     cell_forward_with(concat="np.concatenate([xt, a_prev], axis=0)"),
     "concat is stacked in the wrong order"),
    ("lstm_cell_forward", "* for the product", cell_forward_with(f_product="Wf * concat"),
     "`*` multiplies entry by entry"),
    ("lstm_cell_forward", "stacked along axis 1",
     cell_forward_with(concat="np.concatenate([a_prev, xt], axis=1)"),
     "stack a_prev on top of xt along the rows"),
    ("lstm_cell_forward", "candidate a sigmoid", cell_forward_with(candidate="sigmoid"),
     "cct, the candidate, is a tanh"),
    ("lstm_cell_forward", "gates swapped", cell_forward_with(c_next="it * c_prev + ft * cct"),
     "ft and it trade places"),
    ("lstm_cell_forward", "a_prev for c_prev", cell_forward_with(c_next="ft * a_prev + it * cct"),
     "the memory carried over is c_prev"),
    ("lstm_cell_forward", "GRU's 1 - ft", cell_forward_with(c_next="ft * c_prev + (1 - ft) * cct"),
     "this is the GRU's update"),
    ("lstm_cell_forward", "no tanh on c_next", cell_forward_with(a_next="ot * c_next"),
     "the tanh is missing"),
    ("lstm_cell_forward", "tanh of c_prev", cell_forward_with(a_next="ot * np.tanh(c_prev)"),
     "a_next reads the new memory"),
    ("lstm_cell_forward", "softmax over the rows", cell_forward_with(
        yt_pred="np.exp(Wy @ a_next + by) / np.sum(np.exp(Wy @ a_next + by), axis=1, "
                "keepdims=True)"), "the softmax is taken over the wrong axis"),
    ("lstm_cell_forward", "output from the memory",
     cell_forward_with(yt_pred="softmax(Wy @ c_next + by)"), "not the memory c_next"),
    ("lstm_cell_forward", "cache order", cell_forward_with(
        cache="(a_next, c_next, a_prev, c_prev, it, ft, cct, ot, xt, parameters)"),
     "cache[4] holds it where ft belongs"),
    ("lstm_forward", "y and c swapped", forward_with(returned="a, c, y, caches"),
     "returns c where y belongs"),
    ("lstm_forward", "c0 = a0", forward_with(c0="a0"), "the memory starts from a0"),
    ("lstm_forward", "a_prev stored", forward_with(a_store="a_prev"),
     "holds the state before step t"),
    ("lstm_forward", "last step skipped", forward_with(steps="T_x - 1"), "is still zeros"),
    ("lstm_forward", "memory restarted", forward_with(c_in="np.zeros((n_a, m))"),
     "the memory restarts at zeros at every step"),
    ("lstm_forward", "every step from a0", forward_with(a_in="a0", c_in="np.zeros((n_a, m))"),
     "every step started from a0 and zeros"),
    ("lstm_forward", "a restarted, c carried", forward_with(a_in="a0"),
     "step 0 is right, so the cell is, but step 1 is not"),
    ("lstm_forward", "y one step late", forward_with(y_at="t - 1"),
     "a and c are right: y[:, :, t] = yt"),
    ("lstm_forward", "a_next into y", forward_with(y_store="a_next"),
     "y[:, :, t] takes its yt, (n_y, m)"),
    ("lstm_forward", "caches alone", forward_with(caches="caches"),
     "the list of the 5 caches alone"),
    ("lstm_cell_backward", "no dc_next", cell_backward_with(dc="da_next * ot * (1 - tanh_c ** 2)"),
     "dc_next is missing"),
    ("lstm_cell_backward", "dc_prev = dc_next * ft", cell_backward_with(dc_prev="dc_next * ft"),
     "the dc of dcct, dit and dft, not dc_next * ft"),
    ("lstm_cell_backward", "no da_next path in dc", cell_backward_with(dc="dc_next"),
     "da_next's path is missing"),
    ("lstm_cell_backward", "tanh' without the square",
     cell_backward_with(dc="dc_next + da_next * ot * (1 - tanh_c)"), "the square is missing"),
    ("lstm_cell_backward", "1 - c_next**2",
     cell_backward_with(dc="dc_next + da_next * ot * (1 - c_next ** 2)"),
     "c_next is not a tanh"),
    ("lstm_cell_backward", "sigma' as the gate", cell_backward_with(dot="da_next * tanh_c * ot"),
     "a gate's derivative is ot * (1 - ot)"),
    ("lstm_cell_backward", "sigma' of the forget gate",
     cell_backward_with(dft="dc * c_prev * sigmoid(ft) * (1 - sigmoid(ft))"),
     "a gate's derivative is ft * (1 - ft)"),
    ("lstm_cell_backward", "tanh' of cct as 1 - cct",
     cell_backward_with(dcct="dc * it * (1 - cct)"), "its derivative is 1 - cct**2"),
    ("lstm_cell_backward", "c_next in dft", cell_backward_with(dft="dc * c_next * ft * (1 - ft)"),
     "dft does not change with c_prev"),
    ("lstm_cell_backward", "[xt; a_prev] in the weights",
     cell_backward_with(concat="np.concatenate([xt, a_prev], axis=0)",
                        split="dconcat[n_x:], dconcat[:n_x]"),
     "columns come out in the order [xt; a_prev]"),
    ("lstm_cell_backward", "Wo.T @ dot forgotten", cell_backward_with(
        dconcat='parameters["Wf"].T @ dft + parameters["Wi"].T @ dit + parameters["Wc"].T @ '
                'dcct'), "Wo.T @ dot is missing"),
    ("lstm_cell_backward", "dconcat cut at n_x", cell_backward_with(
        split="dconcat[n_x:], dconcat[:n_x]"), "dconcat is stacked as concat is"),
    ("lstm_cell_backward", "dc_next changed in place", cell_backward_with(
        dc="dc_next\n    dc += da_next * ot * (1 - tanh_c ** 2)"),
     "changed its input `dc_next` in place"),
    ("lstm_cell_backward", "sum without keepdims", cell_backward_with(dbf="np.sum(dft, axis=1)"),
     "keep the column"),
    ("lstm_backward", "da_prev not passed on", backward_with(da_next="da_next = da[:, :, t]"),
     "da_prev is not passed on"),
    ("lstm_backward", "dc_prev not passed on", backward_with(dc_carry="pass"),
     "dc_prev is not passed on"),
    ("lstm_backward", "last step skipped", backward_with(order="reversed(range(T_x - 1))"),
     "the loop skips the last step"),
    ("lstm_backward", "loop forwards", backward_with(order="range(T_x)"), "the loop runs forwards"),
    ("lstm_backward", "gradients overwritten", backward_with(op="="),
     "their gradients add up"),
    ("lstm_backward", "da changed in place", backward_with(
        da_next="da[:, :, t] += da_prevt\n        da_next = da[:, :, t]"),
     "changed its input `da` in place"),
]

ALTERNATIVES = [
    ("lstm_cell_forward", """
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_a = a_prev.shape[0]
    def gate(name):  # each weight split into its a_prev and xt columns
        W = parameters["W" + name]
        return np.dot(W[:, :n_a], a_prev) + np.dot(W[:, n_a:], xt) + parameters["b" + name]
    ft, it, ot = (1 / (1 + np.exp(-gate(k))) for k in "fio")
    cct = np.tanh(gate("c"))
    c_next = np.multiply(ft, c_prev) + np.multiply(it, cct)
    a_next = ot * np.tanh(c_next)
    z = np.dot(parameters["Wy"], a_next) + parameters["by"]
    e = np.exp(z - z.max(axis=0))
    yt_pred = e / e.sum(axis=0)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)
"""),
    ("lstm_cell_forward", cell_forward_with(concat="np.vstack((a_prev, xt))")),
    ("lstm_forward", """
def lstm_forward(x, a0, parameters):
    T_x = x.shape[2]
    a_next, c_next = a0, np.zeros_like(a0)
    steps = [None] * T_x
    for t in range(T_x):
        steps[t] = lstm_cell_forward(x[..., t], a_next, c_next, parameters)
        a_next, c_next = steps[t][0], steps[t][1]
    a, c, y = (np.stack([s[k] for s in steps], axis=-1) for k in (0, 1, 2))
    return a, y, c, ([s[3] for s in steps], x)
"""),
    ("lstm_cell_backward", """
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    concat = np.vstack([a_prev, xt])
    dc = dc_next + da_next * ot * (1 - np.square(np.tanh(c_next)))
    dz = {"o": da_next * np.tanh(c_next) * ot * (1 - ot), "c": dc * it * (1 - np.square(cct)),
          "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    grads = {}
    dconcat = 0
    for g, d in dz.items():
        grads["dW" + g] = np.dot(d, concat.T)
        grads["db" + g] = d.sum(axis=1).reshape(-1, 1)
        dconcat = dconcat + np.dot(parameters["W" + g].T, d)
    grads.update(da_prev=dconcat[:n_a], dxt=dconcat[n_a:], dc_prev=dc * ft)
    return grads
"""),
    ("lstm_cell_backward", cell_backward_with(
        dc="dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)",
        dft="dc * c_prev * ft * (1 - ft)", concat="np.vstack((a_prev, xt))")),
    ("lstm_backward", """
def lstm_backward(da, caches):
    steps, x = caches
    T_x = da.shape[2]
    total = None
    dx = np.zeros_like(x, dtype=float)
    da_prev = np.zeros_like(da[:, :, 0])
    dc_prev = np.zeros_like(da_prev)
    for t in range(T_x - 1, -1, -1):
        g = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, steps[t])
        dx[:, :, t], da_prev, dc_prev = g["dxt"], g["da_prev"], g["dc_prev"]
        step = {k: v for k, v in g.items() if k.startswith(("dW", "db"))}
        total = step if total is None else {k: total[k] + step[k] for k in step}
    return {"dx": dx, "da0": da_prev, **total}
"""),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week6")


def implement(source: str) -> dict:
    return implemented(SOLUTION, source)


def failure(name: str, source: str) -> str:
    return check_message(CHECKS[name], implement(source)[name])


# -- what a learner reads ----------------------------------------------------------------------
def test_a_wrong_memory_says_which_value_what_was_expected_and_the_slip():
    message = failure("lstm_cell_forward", cell_forward_with(c_next="it * c_prev + ft * cct"))
    lines = message.splitlines()
    assert lines[0] == "lstm_cell_forward: c_next (n_x=3, n_a=5, m=4) is wrong."
    case, want = CHECKS["lstm_cell_forward"].cases[0], CHECKS["lstm_cell_forward"].expected()[0]
    ft, it, cct = want[3][4:7]
    expected = next(line for line in lines if line.strip().startswith("expected:"))
    got = next(line for line in lines if line.strip().startswith("got:"))
    assert f"{want[1][0, 0]:.6f}".rstrip("0") in expected
    assert f"{(it * case['c_prev'] + ft * cct)[0, 0]:.6f}".rstrip("0") in got
    assert lines[-1].startswith("Hint: ft and it trade places")


def test_a_backward_failure_names_the_first_wrong_gradient_and_the_right_ones():
    message = failure("lstm_cell_backward", cell_backward_with(dot="da_next * tanh_c * ot"))
    first = message.splitlines()[0]
    assert first == "lstm_cell_backward: dbo (n_x=3, n_a=5, m=4) is wrong."
    assert "(dc_prev, dWf, dbf, dWi, dbi, dWc, dbc are right.)" in message


def test_a_wrong_sequence_gradient_is_told_by_its_first_wrong_entry():
    message = failure("lstm_backward", backward_with(op="="))
    assert message.splitlines()[0].startswith(
        "lstm_backward: dWf (n_x=3, n_a=4, m=2, T_x=5) is wrong at ")
    assert "dx and da0 are right, so every step is, but dWf, dbf, dWi" in message


def test_a_forward_check_that_passes_prints_one_line(capsys):
    CHECKS["lstm_forward"](SOLUTION["lstm_forward"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("lstm_forward: all ") and out.endswith(
        " checks passed.\n")


def test_a_forward_that_calls_an_unwritten_cell_says_to_finish_the_cell():
    namespace = implement(solution_cells("week6")["lstm_forward"])  # the stub as released
    exec("def lstm_cell_forward(xt, a_prev, c_prev, parameters):\n    raise "
         "NotImplementedError('replace this line with your code')\n", namespace)
    with pytest.raises(CheckFailed, match="calls lstm_cell_forward, which is not implemented"):
        CHECKS["lstm_forward"](namespace["lstm_forward"])


# -- hints that must stay quiet on right code ----------------------------------------------------
@pytest.mark.parametrize("index", range(3))
def test_the_diagnoses_are_silent_on_the_solution(index):
    exercise = CHECKS["lstm_cell_backward"]
    case = exercise.cases[index]
    want = exercise.expected()[index]
    bound = Case(case, exercise, SOLUTION["lstm_cell_backward"], Check("lstm_cell_backward"))
    for key in want:
        assert _cell_slip(bound, want, want, key) is None, key
    sequence = CHECKS["lstm_backward"]
    bound = Case(sequence.cases[index], sequence, SOLUTION["lstm_backward"], Check("x"))
    assert _paths_slip(bound) is None
    forward = CHECKS["lstm_forward"]
    want = forward.expected()[index]
    bound = Case(forward.cases[index], forward, SOLUTION["lstm_forward"], Check("x"))
    assert _steps_slip(bound, want[0], want[2], want) is None


def test_a_correct_cell_behind_a_wrong_loop_is_not_blamed():
    """The 'memory restarted' loop calls a right cell: its message names the loop, not a gate."""
    message = failure("lstm_forward", forward_with(c_in="np.zeros((n_a, m))"))
    assert "sigmoid" not in message and "concat" not in message.split("Hint:")[1]


# -- the cases -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["lstm_cell_backward", "lstm_backward"])
def test_the_backward_caches_are_what_lstm_cell_forward_leaves(name):
    for case in CHECKS[name].cases:
        steps = [case["cache"]] if "cache" in case else case["caches"][0]
        a_prev, c_prev = steps[0][2], steps[0][3]
        for t, cache in enumerate(steps):
            assert np.allclose(cache[2], a_prev) and np.allclose(cache[3], c_prev)
            if "caches" in case:
                assert np.allclose(cache[8], case["caches"][1][:, :, t])
            out = SOLUTION["lstm_cell_forward"](cache[8], cache[2], cache[3], cache[9])
            for k in range(9):
                assert np.allclose(out[3][k], cache[k]), (name, t, CACHE_NAMES[k])
            assert 0 < cache[4].min() and cache[4].max() < 1
            a_prev, c_prev = cache[0], cache[1]
        if "caches" in case:
            assert not np.any(steps[0][3]), "c0 = 0"


def test_the_cases_cover_one_example_one_step_and_unequal_sizes():
    examples = {"lstm_cell_forward": [c["xt"].shape[1] for c in CHECKS["lstm_cell_forward"].cases],
                "lstm_forward": [c["x"].shape[1] for c in CHECKS["lstm_forward"].cases],
                "lstm_cell_backward": [c["cache"][8].shape[1]
                                       for c in CHECKS["lstm_cell_backward"].cases],
                "lstm_backward": [c["da"].shape[1] for c in CHECKS["lstm_backward"].cases]}
    assert all(1 in m and max(m) > 1 for m in examples.values()), examples
    assert any(c["x"].shape[2] == 1 for c in CHECKS["lstm_forward"].cases)
    assert any(c["da"].shape[2] == 1 for c in CHECKS["lstm_backward"].cases)
    for case in CHECKS["lstm_cell_forward"].cases:  # [xt; a_prev] gives numbers, not a crash
        assert case["xt"].shape[0] != case["a_prev"].shape[0]
    for case in CHECKS["lstm_cell_backward"].cases:  # every gate gets a gradient
        assert np.all(case["cache"][3] != 0)
        assert all(np.all(v != 0) for v in CHECKS["lstm_cell_backward"].stored(**case).values())


# -- the stored values ---------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(3))
def test_stored_cell_gradients_are_the_numerical_ones(index):
    case, want = CHECKS["lstm_cell_backward"].cases[index], CHECKS[
        "lstm_cell_backward"].expected()[index]
    cache = case["cache"]
    xt, a_prev, c_prev, P = (np.array(cache[8]), np.array(cache[2]), np.array(cache[3]),
                             {k: np.array(v) for k, v in cache[9].items()})

    def J():
        a, c, _, _ = SOLUTION["lstm_cell_forward"](xt, a_prev, c_prev, P)
        return np.sum(case["da_next"] * a + case["dc_next"] * c)
    for key, value in (("dxt", xt), ("da_prev", a_prev), ("dc_prev", c_prev),
                       *((f"d{k}", P[k]) for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo",
                                                   "bo"))):
        assert relative_difference(want[key], numerical_gradient(J, value, 1e-6)) < 1e-6, key


@pytest.mark.parametrize("index", range(3))
def test_stored_sequence_gradients_are_the_numerical_ones(index):
    case, want = CHECKS["lstm_backward"].cases[index], CHECKS["lstm_backward"].expected()[index]
    steps, x = case["caches"]
    x, a0, P = np.array(x), np.array(steps[0][2]), {k: np.array(v) for k, v in
                                                    steps[0][9].items()}

    def J():
        return np.sum(case["da"] * SOLUTION["lstm_forward"](x, a0, P)[0])
    for key, value in (("dx", x), ("da0", a0), ("dWf", P["Wf"]), ("dbo", P["bo"])):
        assert relative_difference(want[key], numerical_gradient(J, value, 1e-6)) < 1e-6, key
