"""Week 5's pooling checks (pool_forward, create_mask_from_window, distribute_value,
pool_backward) reject the stubs and the common mistakes and accept other correct code; the
tie contract (every entry equal to a window's max gets its whole gradient) is held; the stored
pool_backward values are the numerical gradients of the solution's pool_forward where no window
has a tie; the released notebook's check cells run in notebook order."""

from __future__ import annotations

import warnings

import nbformat
import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week5 import CHECKS
from course_utils.checks.week5.pooling import TIED, TIES
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests import helpers
from tests.helpers import check_suite, release_notebook, run_test_cell

FUNCTIONS = ["pool_forward", "create_mask_from_window", "distribute_value", "pool_backward"]
NOTEBOOK_ORDER = ["zero_pad", "conv_single_step", "conv_forward", "pool_forward",
                  "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward"]

POOL_FORWARD = """
def pool_forward(A_prev, hparameters, mode="max"):
    check_pool_shapes(A_prev, hparameters)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    n_C = n_C_prev
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert_start = {vert_start}
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = {horiz_start}
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_prev_slice = {window}
                    if {is_max}:
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == {average}:
                        A[i, h, w, c] = {mean}
    cache = (A_prev, hparameters)
    return A, cache
"""


def forward_with(vert_start="h * stride", horiz_start="w * stride",
                 window="A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]",
                 is_max='mode == "max"', average='"average"', mean="np.mean(a_prev_slice)"):
    return POOL_FORWARD.format(vert_start=vert_start, horiz_start=horiz_start, window=window,
                               is_max=is_max, average=average, mean=mean)


def mask_with(body: str) -> str:
    return f"def create_mask_from_window(x):\n    return {body}\n"


def share_with(body: str) -> str:
    return f"def distribute_value(dz, shape):\n    (n_H, n_W) = shape\n    return {body}\n"


POOL_BACKWARD = """
def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    stride = hparameters["stride"]
    f = hparameters["f"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        a_prev = A_prev[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = {vert_start}
                    vert_end = vert_start + f
                    horiz_start = {horiz_start}
                    horiz_end = horiz_start + f
                    if {is_max}:
                        a_prev_slice = a_prev[vert_start:vert_end, horiz_start:horiz_end, {channel}]
                        mask = {mask}
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] {op} mask * {da}
                    elif mode == "average":
                        da = dA[i, h, w, c]
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] {op} {share}
    return dA_prev
"""  # noqa: E501 (the classic's long lines)
ARGMAX_MASK = ("np.arange(a_prev_slice.size).reshape(a_prev_slice.shape) == "
               "np.argmax(a_prev_slice)")


def backward_with(vert_start="h * stride", horiz_start="w * stride", is_max='mode == "max"',
                  channel="c", mask="create_mask_from_window(a_prev_slice)", op="+=",
                  da="dA[i, h, w, c]", share="distribute_value(da, (f, f))"):
    return POOL_BACKWARD.format(vert_start=vert_start, horiz_start=horiz_start, is_max=is_max,
                                channel=channel, mask=mask, op=op, da=da, share=share)


# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("pool_forward", "mode ignored", forward_with(is_max="True"), "the mode argument is not used"),
    ("pool_forward", "avg", forward_with(average='"avg"'), "mode 'average' gave zeros"),
    ("pool_forward", "sum / f", forward_with(mean="np.sum(a_prev_slice) / f"),
     "divides the window's sum by f"),
    ("pool_forward", "sum", forward_with(mean="np.sum(a_prev_slice)"), "this is the window's sum"),
    ("pool_forward", "every channel at once",
     forward_with(window="A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]"),
     "every channel came out the same"),
    ("pool_forward", "no stride", forward_with(vert_start="h", horiz_start="w"),
     "the stride is not used in vert_start and horiz_start"),
    ("pool_forward", "no stride in horiz_start", forward_with(horiz_start="w"),
     "the stride is not used in horiz_start"),
    ("create_mask_from_window", "min", mask_with("x == np.min(x)"), "marks the smallest entry"),
    ("create_mask_from_window", "one of the ties", mask_with(
        "np.arange(x.size).reshape(x.shape) == np.argmax(x)"), "only one of the three tied"),
    ("create_mask_from_window", "column max", mask_with("x == np.max(x, axis=0)"),
     "the max of each column"),
    ("create_mask_from_window", "floats", mask_with("(x == np.max(x)).astype(float)"),
     "must be a boolean array"),
    ("create_mask_from_window", "argmax", mask_with("np.argmax(x)"), "must be a numpy array"),
    ("create_mask_from_window", "above zero", mask_with("x > 0"), "x == np.max(x)"),
    ("distribute_value", "no share", share_with("np.ones(shape) * dz"), "dz itself is copied"),
    ("distribute_value", "divided by f", share_with("np.ones(shape) * dz / n_H"),
     "this divides by n_H"),
    ("distribute_value", "n_H + n_W", share_with("np.ones(shape) * dz / (n_H + n_W)"),
     "not n_H + n_W"),
    ("distribute_value", "integer division", share_with("np.ones(shape) * (dz // (n_H * n_W))"),
     "// rounds down"),
    ("distribute_value", "flat", share_with("np.full(n_H * n_W, dz / (n_H * n_W))"),
     "np.ones(shape) takes the tuple itself"),
    ("pool_backward", "= for overlapping windows", backward_with(op="="),
     "wrong where windows overlap"),
    ("pool_backward", "mode ignored", backward_with(is_max="True"),
     "the mode argument is not used"),
    ("pool_backward", "one of the ties", backward_with(mask=ARGMAX_MASK),
     "each of them gets the whole"),
    ("pool_backward", "no stride", backward_with(vert_start="h", horiz_start="w"),
     "the stride is not used in vert_start and horiz_start"),
    ("pool_backward", "average over f", backward_with(share="np.ones((f, f)) * da / f"),
     "this divides by f"),
    ("pool_backward", "every channel at once", backward_with(channel=":"),
     "the mask and the window must match"),
    ("pool_backward", "dA at the input position", backward_with(da="dA[i, vert_start, "
                                                                   "horiz_start, c]"),
     "indexed by the output position"),
    ("pool_backward", "minus", backward_with(op="-="), "the sign is flipped"),
]

ALTERNATIVES = [
    ("pool_forward", """
def pool_forward(A_prev, hparameters, mode="max"):
    check_pool_shapes(A_prev, hparameters)
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    pool = {"max": np.max, "average": np.mean}[mode]
    A = np.empty((m, n_H, n_W, n_C))
    for h in range(n_H):  # every example and channel at once
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            A[:, h, w, :] = pool(window, axis=(1, 2))
    return A, (A_prev, hparameters)
"""),
    ("pool_forward", forward_with(mean="np.average(a_prev_slice)",
                                  is_max="mode != 'average'")),
    ("pool_forward", forward_with(mean="a_prev_slice.sum() / (f * f)")),
    ("create_mask_from_window", mask_with("x >= x.max()")),
    ("create_mask_from_window", mask_with("np.equal(x, np.amax(x))")),
    ("create_mask_from_window", mask_with("np.isclose(x, max(x.ravel()))")),
    ("distribute_value", share_with("np.full(shape, dz / np.prod(shape))")),
    ("distribute_value", share_with("dz / (n_H * n_W) + np.zeros((n_H, n_W))")),
    ("distribute_value", share_with("np.ones(shape) * dz / np.ones(shape).sum()")),
    ("pool_backward", backward_with(share="np.ones((f, f)) * da / (f * f)",
                                    mask="a_prev_slice == np.max(a_prev_slice)")),
    ("pool_backward", """
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros_like(A_prev, dtype=float)
    for h in range(dA.shape[1]):  # every example and channel at once
        for w in range(dA.shape[2]):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            grad = dA[:, h:h + 1, w:w + 1, :]
            if mode == "max":
                window = A_prev[:, rows, cols, :]
                dA_prev[:, rows, cols, :] += (window == window.max(axis=(1, 2), keepdims=True)) * grad
            else:
                dA_prev[:, rows, cols, :] += grad / (f * f)
    return dA_prev
"""),  # noqa: E501
]

globals().update(check_suite("week5", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week5")


# -- the tie contract -------------------------------------------------------------------------
def test_the_tie_cases_hold_ties():
    assert np.sum(TIES == TIES.max()) == 3
    case = next(c for c in CHECKS["pool_backward"].cases if c["cache"][0] is TIED)
    windows = TIED[0, :, :, 0].reshape(2, 2, 2, 2).swapaxes(1, 2).reshape(4, 4)
    assert [int(np.sum(w == w.max())) for w in windows] == [3, 3, 4, 4]
    assert case.get("mode", "max") == "max"


def test_the_stored_tie_gradient_is_the_contracts():
    """Every entry equal to its window's max gets the window's whole dA (x == max(x))."""
    exercise = CHECKS["pool_backward"]
    index = next(i for i, c in enumerate(exercise.cases) if c["cache"][0] is TIED)
    assert np.allclose(exercise.expected()[index][0, :, :, 0], [
        [0.5, 0.5, 0.0, -1.0], [0.5, 0.0, -1.0, -1.0], [2.0, 2.0, 0.25, 0.25],
        [2.0, 2.0, 0.25, 0.25]])


def test_the_random_cases_have_no_ties():
    """Elsewhere each window has one max, so max pooling is differentiable there."""
    for case in CHECKS["pool_backward"].cases + CHECKS["pool_forward"].cases:
        A_prev, hp = case["cache"] if "cache" in case else (case["A_prev"], case["hparameters"])
        if A_prev is TIED:
            continue
        f, s = hp["f"], hp["stride"]
        for h in range((A_prev.shape[1] - f) // s + 1):
            for w in range((A_prev.shape[2] - f) // s + 1):
                window = A_prev[:, h * s:h * s + f, w * s:w * s + f, :]
                assert np.all(np.sum(window == window.max(axis=(1, 2), keepdims=True),
                                     axis=(1, 2)) == 1)


# -- the stored values ------------------------------------------------------------------------
@pytest.mark.parametrize("index", [i for i, case in enumerate(CHECKS["pool_backward"].cases)
                                   if case["cache"][0] is not TIED])  # a tie has no gradient
def test_stored_pool_backward_is_the_numerical_gradient_of_pool_forward(index):
    case, want = CHECKS["pool_backward"].cases[index], CHECKS["pool_backward"].expected()[index]
    (A_prev, hp), mode = case["cache"], case.get("mode", "max")
    A_prev = np.array(A_prev)
    with warnings.catch_warnings():  # a size the stride does not divide warns: meant here
        warnings.simplefilter("ignore", UserWarning)
        numeric = numerical_gradient(
            lambda: np.sum(case["dA"] * SOLUTION["pool_forward"](A_prev, hp, mode)[0]), A_prev,
            1e-6)
    assert relative_difference(want, numeric) < 1e-6


def test_pool_cases_cover_stride_2_overlaps_and_both_modes():
    settings = {(c["cache"][1]["f"], c["cache"][1]["stride"], c.get("mode", "max"))
                for c in CHECKS["pool_backward"].cases}
    assert {(3, 2, "max"), (3, 2, "average"), (3, 1, "max"), (2, 2, "average")} <= settings


# -- what a learner reads ---------------------------------------------------------------------
def test_a_wrong_map_is_told_by_its_first_wrong_entry():
    namespace = dict(SOLUTION)
    exec(backward_with(op="="), namespace)
    with pytest.raises(CheckFailed) as failure:
        CHECKS["pool_backward"](namespace["pool_backward"])
    first = str(failure.value).splitlines()[0]
    assert first.startswith("pool_backward: dA_prev (mode='max', A_prev of shape (1, 5, 5, 2), "
                            "f 3, stride 1) is wrong at ")
    index = first.split("dA_prev[")[1].split("]")[0]
    assert [int(i) for i in index.split(", ")][1:3] not in ([0, 0], [0, 4], [4, 0], [4, 4])


# -- the notebook -----------------------------------------------------------------------------
def test_the_released_check_cells_run_in_notebook_order():
    """The package declares convolution then pooling; the notebook interleaves them (pool_forward
    before conv_backward): each released check cell works where it stands."""
    cells = [cell.source for cell in nbformat.read(release_notebook("week5"), as_version=4).cells
             if cell.cell_type == "code" and cell.source.startswith("checks.check_")]
    names = [source.split("(")[0][len("checks.check_"):] for source in cells]
    assert [n for n in names if n in NOTEBOOK_ORDER] == NOTEBOOK_ORDER
    assert list(helpers.test_cells("week5"))[:len(NOTEBOOK_ORDER)] == NOTEBOOK_ORDER
    namespace = dict(SOLUTION)
    exec("from course_utils.checks import week5 as checks", namespace)
    for name, source in zip(names, cells):
        if name in NOTEBOOK_ORDER:
            assert "BEGIN HIDDEN" not in source
            assert run_test_cell(namespace, source).startswith(f"{name}: all "), name
