"""Week 5's convolution checks (zero_pad, conv_single_step, conv_forward, conv_backward) reject
the stubs and the common mistakes and accept other correct code; a crash is told the inputs'
shapes, a wrong size the formula with the case's numbers; the stored conv_backward values are
the numerical gradients of the solution's conv_forward."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week5 import CHECKS
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_suite

FUNCTIONS = ["zero_pad", "conv_single_step", "conv_forward", "conv_backward"]


def zero_pad_with(body: str) -> str:
    return f"def zero_pad(X, pad):\n    return {body}\n"


MANUAL_PAD = """
def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, {rows}, {cols}, :] = X
    return X_pad
"""

SINGLE_STEP = """
def conv_single_step(a_slice_prev, W, b):
    Z = {body}
    return np.float64(Z)
"""


def single_step_with(body: str) -> str:
    return SINGLE_STEP.format(body=body)


CONV_FORWARD = """
def conv_forward(A_prev, W, b, hparameters):
    check_conv_shapes(A_prev, W, hparameters)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = {n_H}
    n_W = {n_W}
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = {padded}
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = {vert_start}
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = {horiz_start}
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = {window}
                    Z[i, h, w, c] = {step}
    cache = (A_prev, W, b, hparameters)
    return Z, cache
"""


def forward_with(n_H="int((n_H_prev + 2 * pad - f) / stride) + 1",
                 n_W="int((n_W_prev + 2 * pad - f) / stride) + 1",
                 padded="zero_pad(A_prev, pad)", vert_start="h * stride",
                 horiz_start="w * stride",
                 window="a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]",
                 step="conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])") -> str:
    return CONV_FORWARD.format(n_H=n_H, n_W=n_W, padded=padded, vert_start=vert_start,
                               horiz_start=horiz_start, window=window, step=step)


CONV_BACKWARD = """
def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    dA_prev = np.zeros((m, n_H_prev, n_W_prev, n_C_prev))
    dW = np.zeros((f, f, n_C_prev, n_C))
    db = np.zeros((1, 1, 1, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = {vert_start}
                    vert_end = vert_start + f
                    horiz_start = {horiz_start}
                    horiz_end = horiz_start + f
                    a_slice = {a_slice}
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] {da} W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] {dw} a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] {db} dZ[i, h, w, c]{db_scale}
        dA_prev[i, :, :, :] = {crop}
    return {returned}
"""  # noqa: E501 (the classic's long lines)


def backward_with(vert_start="h * stride", horiz_start="w * stride",
                  a_slice="a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]",
                  da="+=", dw="+=", db="+=", db_scale="",
                  crop="da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
                  returned="dA_prev, dW, db") -> str:
    return CONV_BACKWARD.format(vert_start=vert_start, horiz_start=horiz_start, a_slice=a_slice,
                                da=da, dw=dw, db=db, db_scale=db_scale, crop=crop,
                                returned=returned)


CEIL = "int(np.ceil((n_{}_prev + 2 * pad - f) / stride)) + 1"

# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("zero_pad", "every axis", zero_pad_with("np.pad(X, pad)"), "the examples (axis 0)"),
    ("zero_pad", "channels instead of width",
     zero_pad_with("np.pad(X, ((0, 0), (pad, pad), (0, 0), (pad, pad)))"), "the channels (axis 3)"),
    ("zero_pad", "one side", zero_pad_with("np.pad(X, ((0, 0), (pad, 0), (pad, 0), (0, 0)))"),
     "pad on both sides"),
    ("zero_pad", "fixed pad", zero_pad_with("np.pad(X, ((0, 0), (1, 1), (1, 1), (0, 0)))"),
     "use the pad argument"),
    ("zero_pad", "edge values",
     zero_pad_with("np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='edge')"),
     "the border must be zeros"),
    ("zero_pad", "pad:-pad", MANUAL_PAD.format(rows="pad:-pad", cols="pad:-pad"),
     "empty when pad = 0"),
    ("zero_pad", "three pairs", zero_pad_with("np.pad(X, ((pad, pad), (pad, pad), (0, 0)))"),
     "one (before, after) pair per axis"),
    ("conv_single_step", "no bias", single_step_with("np.sum(a_slice_prev * W)"),
     "the bias b is missing"),
    ("conv_single_step", "bias on every product", single_step_with("np.sum(a_slice_prev * W + b)"),
     "not to every product"),
    ("conv_single_step", "bias array", single_step_with("np.sum(a_slice_prev * W) + b"),
     "the shape of b"),
    ("conv_single_step", "mean", single_step_with("np.mean(a_slice_prev * W) + b.item()"),
     "a sum, not a mean"),
    ("conv_single_step", "matrix product",
     single_step_with("np.sum(np.dot(a_slice_prev, W)) + b.item()"), "multiply element-wise"),
    ("conv_single_step", "no sum", single_step_with("a_slice_prev * W + b.item()"),
     "sum the products"),
    ("conv_single_step", "float of an array", single_step_with("np.sum(a_slice_prev * W) + "
                                                               "float(b)"), "use b.item()"),
    ("conv_forward", "no stride", forward_with(vert_start="h", horiz_start="w"),
     "the stride is not used in vert_start and horiz_start"),
    ("conv_forward", "no stride in vert_start", forward_with(vert_start="h"),
     "the stride is not used in vert_start:"),
    ("conv_forward", "no bias", forward_with(step="np.sum(a_slice_prev * W[:, :, :, c])"),
     "the bias is missing"),
    ("conv_forward", "ceil", forward_with(n_H=CEIL.format("H"), n_W=CEIL.format("W")),
     "round down"),
    ("conv_forward", "no int", forward_with(n_H="(n_H_prev + 2 * pad - f) / stride + 1"),
     "must be whole numbers"),
    ("conv_forward", "size without the padding",
     forward_with(n_H="int((n_H_prev - f) / stride) + 1", n_W="int((n_W_prev - f) / stride) + 1"),
     "the padding is left out of the size"),
    ("conv_forward", "not padded", forward_with(padded="A_prev"), "from the padded input"),
    ("conv_forward", "every filter at once",
     forward_with(step="conv_single_step(a_slice_prev, W, b[:, :, :, c])"), "one filter"),
    ("conv_forward", "every bias at once",
     forward_with(step="conv_single_step(a_slice_prev, W[:, :, :, c], b)"), "one filter's bias"),
    ("conv_forward", "rows and columns swapped",
     forward_with(window="a_prev_pad[horiz_start:horiz_end, vert_start:vert_end, :]"),
     "rows are axis 1"),
    ("conv_backward", "= in dA_prev", backward_with(da="="), "dA_prev holds what the last window"),
    ("conv_backward", "= in dW", backward_with(dw="="), "dW holds what the last window"),
    ("conv_backward", "= in db", backward_with(db="="), "db holds what the last window"),
    ("conv_backward", "pad:-pad", backward_with(crop="da_prev_pad[pad:-pad, pad:-pad, :]"),
     "[pad:-pad, pad:-pad, :] is empty"),
    ("conv_backward", "not cropped", backward_with(crop="da_prev_pad[:n_H_prev, :n_W_prev, :]",
                                                   returned="dA_prev_pad, dW, db"),
     "crop the padding"),
    ("conv_backward", "shifted crop", backward_with(crop="da_prev_pad[:n_H_prev, :n_W_prev, :]"),
     "the crop is shifted"),
    ("conv_backward", "no stride", backward_with(vert_start="h", horiz_start="w"),
     "the stride is not used"),
    ("conv_backward", "dW from the unpadded input",
     backward_with(a_slice="A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]"),
     "slice the padded arrays"),
    ("conv_backward", "1/m in db", backward_with(db_scale=" / m"), "no 1/m here"),
    ("conv_backward", "dW transposed", backward_with(returned="dA_prev, dW.transpose(0, 1, 3, 2), "
                                                            "db"), "its last two axes are swapped"),
    ("conv_backward", "db flat", backward_with(returned="dA_prev, dW, db.ravel()"),
     "the shape of b"),
]

ALTERNATIVES = [
    ("zero_pad", zero_pad_with("np.pad(X, [(0, 0), (pad, pad), (pad, pad), (0, 0)], 'constant')")),
    ("zero_pad", MANUAL_PAD.format(rows="pad:pad + n_H", cols="pad:pad + n_W")),
    ("zero_pad", zero_pad_with("np.pad(X, ((0,), (pad,), (pad,), (0,)))")),
    ("conv_single_step", single_step_with("np.tensordot(a_slice_prev, W, axes=3) + b.item()")),
    ("conv_single_step", single_step_with("np.einsum('ijk,ijk->', a_slice_prev, W) + "
                                          "np.squeeze(b)")),
    ("conv_single_step", single_step_with("a_slice_prev.ravel() @ W.ravel() + b[0, 0, 0]")),
    ("conv_forward", forward_with(n_H="(n_H_prev + 2 * pad - f) // stride + 1",
                                  n_W="int(np.floor((n_W_prev + 2 * pad - f) / stride)) + 1",
                                  step="np.sum(a_slice_prev * W[..., c]) + b[0, 0, 0, c]")),
    ("conv_forward", """
def conv_forward(A_prev, W, b, hparameters):
    check_conv_shapes(A_prev, W, hparameters)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    s, p = hparameters["stride"], hparameters["pad"]
    n_H, n_W = (n_H_prev + 2 * p - f) // s + 1, (n_W_prev + 2 * p - f) // s + 1
    padded = zero_pad(A_prev, p)
    Z = np.empty((m, n_H, n_W, n_C))
    for c in range(n_C):  # another loop order, every example at once
        for w in range(n_W):
            for h in range(n_H):
                window = padded[:, h * s:h * s + f, w * s:w * s + f, :]
                Z[:, h, w, c] = np.sum(window * W[:, :, :, c], axis=(1, 2, 3)) + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)
"""),
    ("conv_forward", """
def conv_forward(A_prev, W, b, hparameters):
    check_conv_shapes(A_prev, W, hparameters)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):  # every filter at once
                a = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                Z[i, h, w, :] = np.tensordot(a, W, axes=3) + b.ravel()
    return Z, (A_prev, W, b, hparameters)
"""),
    ("conv_backward", """
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    A_pad = zero_pad(A_prev, pad)
    dA_pad = np.zeros(A_pad.shape)
    dW = np.zeros(W.shape)
    for h in range(n_H):  # every example and every filter at once
        for w in range(n_W):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            dA_pad[:, rows, cols, :] += np.tensordot(dZ[:, h, w, :], W, axes=([1], [3]))
            dW += np.tensordot(A_pad[:, rows, cols, :], dZ[:, h, w, :], axes=([0], [0]))
    db = np.sum(dZ, axis=(0, 1, 2), keepdims=True)
    dA_prev = dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db
"""),
    ("conv_backward", backward_with(
        crop="da_prev_pad[pad:-pad, pad:-pad, :] if pad else da_prev_pad")),
]

globals().update(check_suite("week5", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week5")


def _namespace(*sources: str) -> dict:
    namespace = dict(SOLUTION)
    for source in sources:
        exec(source, namespace)
    return namespace


# -- what a learner reads ---------------------------------------------------------------------
def test_a_crash_is_told_the_shapes_of_the_inputs():
    broken = forward_with(step="conv_single_step(a_slice_prev, W, b[:, :, :, c])")
    with pytest.raises(CheckFailed) as failure:
        CHECKS["conv_forward"](_namespace(broken)["conv_forward"])
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("conv_forward: raised ValueError: operands could not be broadcast")
    assert lines[1] == ("  (called with A_prev shape (2, 5, 5, 3), W shape (3, 3, 3, 2), "
                        "b shape (1, 1, 1, 2), hparameters {'stride': 1, 'pad': 1})")
    assert lines[2].startswith("Hint: conv_single_step got a slice and a filter")


def test_a_cache_that_crashes_is_shown_by_its_shapes():
    broken = backward_with(crop="da_prev_pad[pad:-pad, pad:-pad, :]")
    with pytest.raises(CheckFailed) as failure:
        CHECKS["conv_backward"](_namespace(broken)["conv_backward"])
    assert ("(called with dZ shape (1, 3, 4, 3), cache ((1, 5, 6, 2), (3, 3, 2, 3), (1, 1, 1, 3), "
            "{'stride': 1, 'pad': 0}))") in str(failure.value)


def test_a_not_implemented_helper_is_named_without_shapes():
    namespace = _namespace(forward_with(), "def conv_single_step(a_slice_prev, W, b):\n"
                                           "    raise NotImplementedError()\n")
    with pytest.raises(CheckFailed) as failure:
        CHECKS["conv_forward"](namespace["conv_forward"])
    assert str(failure.value).startswith("conv_forward: calls conv_single_step, which is not "
                                         "implemented yet.")
    assert "called with" not in str(failure.value)


def test_a_wrong_size_is_told_the_formula_with_the_cases_numbers():
    ceil = forward_with(n_H=CEIL.format("H"), n_W=CEIL.format("W"))
    with pytest.raises(CheckFailed) as failure:
        CHECKS["conv_forward"](_namespace(ceil)["conv_forward"])
    assert str(failure.value) == (
        "conv_forward: Z (A_prev of shape (1, 6, 5, 2), W of shape (2, 2, 2, 3), stride 2, pad 0) "
        "has shape (1, 3, 3, 3), but it must have shape (1, 3, 2, 3).\n"
        "Hint: round down, not up or to the nearest (int(...) or //): n_H = floor((n_H_prev + "
        "2*pad - f) / stride) + 1: floor((6 - 2) / 2) + 1 = 3, and n_W = 2 the same way from "
        "n_W_prev = 5.")


def test_the_values_a_learner_sees_are_shown():
    with pytest.raises(CheckFailed) as failure:
        CHECKS["conv_single_step"](_namespace(single_step_with(
            "np.sum(a_slice_prev * W)"))["conv_single_step"])
    message = str(failure.value)
    assert message.startswith("conv_single_step: conv_single_step (a slice of shape (3, 3, 2), "
                              "b = 0.7) is wrong.\n  expected: ")
    want = CHECKS["conv_single_step"].expected()[0]
    assert f"{float(want):.6f}"[:6] in message and f"{float(want) - 0.7:.6f}"[:6] in message


# -- the stored values ------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(len(CHECKS["conv_backward"].cases)))
def test_stored_conv_backward_is_the_numerical_gradient_of_conv_forward(index):
    case, want = CHECKS["conv_backward"].cases[index], CHECKS["conv_backward"].expected()[index]
    dZ, (A_prev, W, b, hp) = case["dZ"], case["cache"]
    A_prev, W, b = (np.array(x, dtype=float) for x in (A_prev, W, b))

    def cost():
        return np.sum(dZ * SOLUTION["conv_forward"](A_prev, W, b, hp)[0])

    with warnings.catch_warnings():  # a size the stride does not divide warns: meant here
        warnings.simplefilter("ignore", UserWarning)
        for stored, x in zip(want, (A_prev, W, b)):  # stored to 1e-7: a wrong one is off by 0.1
            assert relative_difference(stored, numerical_gradient(cost, x, 1e-5)) < 1e-6


def test_the_backward_cases_cover_stride_2_pad_2_pad_0_and_overlapping_windows():
    settings = [(case["cache"][1].shape[0], case["cache"][3]["stride"], case["cache"][3]["pad"])
                for case in CHECKS["conv_backward"].cases]
    assert (3, 2, 2) in settings and any(pad == 0 for _, _, pad in settings)
    assert any(stride < f for f, stride, _ in settings)


def test_the_forward_cases_include_a_size_the_stride_does_not_divide():
    """Only there does int(...) differ from a rounding up or to the nearest."""
    rests = [(case["A_prev"].shape[1 + k] + 2 * case["hparameters"]["pad"] - case["W"].shape[0])
             % case["hparameters"]["stride"] for case in CHECKS["conv_forward"].cases
             for k in (0, 1)]
    assert any(rests)
