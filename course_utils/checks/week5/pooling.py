"""Visible checks of week 5's pooling section: pool_forward, create_mask_from_window,
distribute_value and pool_backward (loop versions, channels last).

Max and average pooling run on the same inputs, so a function that ignores `mode` gives the
other mode's stored numbers and is named. The mask contract is `x == np.max(x)`: when several
entries of a window share the max, each of them is True and each gets the window's whole
gradient in pool_backward; a case with tied maxima holds the learner to it.
"""

from __future__ import annotations

import numpy as np

from .. import diagnoses
from ..core import Upstream, _join, describe, show
from . import WEEK
from .convolution import (
    check_cache,
    close_at,
    coverage,
    ignored_stride,
    ignored_stride_backward,
    matches,
    output_size,
    overlap_slip,
    size_hint,
    slip,
    tensor,
)

MODE_HINT = ("the mode argument is not used: mode == 'max' takes the largest entry of the "
             "window, mode == 'average' its mean.")
BACKWARD_MODE_HINT = ("the mode argument is not used: mode == 'max' sends dA[i, h, w, c] to the "
                      "window's max (the mask), mode == 'average' shares it out over the window "
                      "(distribute_value).")
WINDOW = ("the window of output position (h, w) is rows vert_start = h * stride to "
          "vert_start + f and columns horiz_start = w * stride to horiz_start + f, one channel c")


def pool_label(A_prev: np.ndarray, hp: dict, mode: str, tied: bool = False) -> str:
    return (f" (mode={mode!r}, A_prev of shape {np.shape(A_prev)}, f {hp['f']}, stride "
            f"{hp['stride']}{', windows with tied maxima' if tied else ''})")


def pooled(check, case, out, array_hint: str):
    """A pool_forward case's A_prev, hparameters, mode and label, and the learner's (A, cache)
    with A checked to be an array (loop and fast versions alike)."""
    A_prev, hp, mode = case["A_prev"], case["hparameters"], case.given("mode")
    label = pool_label(A_prev, hp, mode)
    A, cache = diagnoses.returns(check, out, "A, cache")
    check.is_array(f"A{label}", A, array_hint)
    return A_prev, hp, mode, label, A, cache


# -- pool_forward ----------------------------------------------------------------------------
FORWARD_RULE = (f"A[i, h, w, c] = np.max(a_prev_slice) or np.mean(a_prev_slice) of "
                f"a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]: "
                f"{WINDOW}.")
SQUARE = {"f": 2, "stride": 2}
A_SQUARE, A_WIDE, A_ODD = tensor((2, 4, 4, 3), 561), tensor((1, 5, 7, 2), 562), tensor(
    (2, 5, 6, 2), 563)


@WEEK.exercise('pool_forward(A_prev, hparameters, mode="max")', [
    {"A_prev": A_SQUARE, "hparameters": SQUARE},
    {"A_prev": A_SQUARE, "hparameters": SQUARE, "mode": "average"},
    {"A_prev": A_WIDE, "hparameters": {"f": 3, "stride": 2}, "mode": "max"},
    {"A_prev": A_WIDE, "hparameters": {"f": 3, "stride": 2}, "mode": "average"},
    {"A_prev": A_ODD, "hparameters": SQUARE, "mode": "max"},
    {"A_prev": A_ODD, "hparameters": {"f": 3, "stride": 1}, "mode": "average"}], hints={
    "setting an array element with a sequence": "A[i, h, w, c] is one number: pool one "
                                                "channel's window, A_prev[i, vert_start:"
                                                "vert_end, horiz_start:horiz_end, c].",
    "KeyError": "hparameters is a dict with the keys 'f' and 'stride'."})
def check_pool_forward(check, case, out, want):
    A_prev, hp, mode, label, A, cache = pooled(
        check, case, out, "A = np.zeros((m, n_H, n_W, n_C)), filled in the loops.")
    f, stride = hp["f"], hp["stride"]
    check.shape(f"A{label}", A, want[0].shape,
                size_hint(np.shape(A), want[0].shape, A_prev.shape[1:3], f, stride, None, "A"))
    got, reference = np.asarray(A, dtype=float), want[0]
    other = case.gives(A, "mode", part=0)
    hint = MODE_HINT if other is not None else None
    if not hint and got.shape == reference.shape and not np.allclose(got, reference):
        if mode == "average":
            hint = slip(got, reference, [
                (np.zeros_like(reference), "mode 'average' gave zeros: test mode == 'average', "
                                           "the word the contract uses."),
                (reference * f * f, "this is the window's sum: the average divides it by the "
                                    "f * f entries of the window (np.mean)."),
                (reference * f, f"this divides the window's sum by f = {f}, but a window has "
                                "f * f entries: np.mean(a_prev_slice).")])
        if not hint and np.allclose(got, got[..., :1]) and not np.allclose(reference,
                                                                           reference[..., :1]):
            hint = ("every channel came out the same: pool each channel on its own, "
                    "A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] with c the "
                    "channel (not :).")
        hint = hint or ignored_stride(case, A, reference, stride, part=0)
    close_at(check, "A", label, A, reference, hint or FORWARD_RULE)
    check_cache(check, cache, want[1], ("A_prev", "hparameters"))


# -- create_mask_from_window -----------------------------------------------------------------
MASK_RULE = "mask = x == np.max(x): True at every entry equal to the window's largest."
TIES = np.array([[2.0, 5.0, 5.0], [1.0, 5.0, 0.0], [3.0, 4.0, 2.0]])


@WEEK.exercise("create_mask_from_window(x)", [
    {"x": np.array([[1.0, 3.0], [4.0, 2.0]])},
    {"x": tensor((3, 3), 571) - 5.0},
    {"x": TIES},
    {"x": np.array([[0.5, -1.0, 2.5], [2.0, 0.0, 1.5]])}])
def check_create_mask_from_window(check, case, mask, want):
    x = case["x"]
    label = f"create_mask_from_window(x of shape {x.shape})" + (
        ", a window whose max 5 appears three times," if x is TIES else "")
    check.is_array(label, mask, "return the comparison itself, a boolean array: " + MASK_RULE)
    check.shape(label, mask, x.shape, "the mask has the shape of the window x. " + MASK_RULE)
    got = np.asarray(mask, dtype=float)
    slips = [(x == np.min(x), "this marks the smallest entry: the max, np.max(x)."),
             (x == np.max(x, axis=0), "this marks the max of each column: the mask marks the "
                                      "max of the whole window, np.max(x) without axis."),
             (x == np.max(x, axis=1, keepdims=True), "this marks the max of each row: the "
                                                     "mask marks the max of the whole window, "
                                                     "np.max(x) without axis.")]
    hint = slip(got, want, slips)
    if not hint and x is TIES and np.sum(got) == 1 and np.all(got <= want):
        hint = ("only one of the three tied maxima is marked: every entry equal to the max is "
                "True (x == np.max(x)), so each of them gets the gradient (np.argmax picks one).")
    check.true(matches(got, want), f"{label} is wrong.\n  expected: {show(want)}\n  got:      "
                                   f"{show(np.asarray(mask))}", hint or MASK_RULE)
    check.true(np.asarray(mask).dtype == bool, f"{label} must be a boolean array, but it is "
                                               f"{describe(mask)}.",
               "return the comparison itself, without .astype or a product: " + MASK_RULE)


# -- distribute_value ------------------------------------------------------------------------
SHARE_RULE = ("average = dz / (n_H * n_W), then a = np.ones(shape) * average: every entry of "
              "the window gets the same share of dz.")


@WEEK.exercise("distribute_value(dz, shape)", [
    {"dz": 2.0, "shape": (2, 2)}, {"dz": -3.0, "shape": (3, 3)}, {"dz": 1.5, "shape": (2, 3)},
    {"dz": 3, "shape": (2, 2)}])
def check_distribute_value(check, case, a, want):
    dz, shape = case["dz"], case["shape"]
    label = f"distribute_value({dz!r}, {shape})"
    check.is_array(label, a, "build the window with np.ones(shape) (or np.full). " + SHARE_RULE)
    check.shape(label, a, shape, f"the result has the window's shape, {shape}: np.ones(shape) "
                                 "takes the tuple itself.")
    n_H, n_W = shape
    slips = [(np.full(shape, float(dz)), "dz itself is copied into every entry: divide it by "
                                         "the number of entries, n_H * n_W."),
             (np.full(shape, dz / n_H), f"this divides by n_H = {n_H}, but the window has "
                                        f"n_H * n_W = {n_H * n_W} entries (for a square f x f "
                                        "window, f * f, not f)."),
             (np.full(shape, dz / n_W), f"this divides by n_W = {n_W}, but the window has "
                                        f"n_H * n_W = {n_H * n_W} entries."),
             (np.full(shape, dz / (n_H + n_W)), "the window has n_H * n_W entries, not "
                                                "n_H + n_W."),
             (np.full(shape, dz // (n_H * n_W)), "// rounds down to a whole number: divide with "
                                                 "/.")]
    check.close(label, a, want, _join(slip(a, want, slips), SHARE_RULE))


# -- pool_backward ---------------------------------------------------------------------------
BACKWARD_RULES = {
    "max": ("dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += mask * dA[i, h, w, c] "
            "with mask = create_mask_from_window(a_prev_slice) of the input window a_prev_slice "
            f"= a_prev[vert_start:vert_end, horiz_start:horiz_end, c]: {WINDOW}."),
    "average": ("dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += "
                f"distribute_value(dA[i, h, w, c], (f, f)): {WINDOW}."),
}
TIED = np.array([[1.0, 1.0, 0.0, 2.0], [1.0, 0.0, 2.0, 2.0], [3.0, 3.0, 3.0, 3.0],
                 [3.0, 3.0, 3.0, 3.0]]).reshape(1, 4, 4, 1)


def _pool_case(shape: tuple, f: int, stride: int, seed: int, **mode) -> dict:
    n_H, n_W = (output_size(n, f, stride) for n in shape[1:3])
    return {"dA": tensor((shape[0], n_H, n_W, shape[3]), seed + 1),
            "cache": (tensor(shape, seed), {"f": f, "stride": stride}), **mode}


SQUARE_CASE = _pool_case((2, 4, 4, 2), 2, 2, 581)
STRIDED_CASE = _pool_case((1, 5, 5, 2), 3, 2, 587)


@WEEK.exercise('pool_backward(dA, cache, mode="max")', [
    SQUARE_CASE, {**SQUARE_CASE, "mode": "average"},
    _pool_case((1, 5, 5, 2), 3, 1, 583, mode="max"),
    _pool_case((1, 4, 5, 2), 2, 1, 585, mode="average"),
    {"dA": np.array([[[[0.5], [-1.0]], [[2.0], [0.25]]]]), "cache": (TIED, SQUARE)},
    STRIDED_CASE, {**STRIDED_CASE, "mode": "average"}], hints={
    "could not be broadcast": "the mask and the window must match: a_prev_slice = a_prev["
                              "vert_start:vert_end, horiz_start:horiz_end, c], one channel, and "
                              "dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += "
                              "mask * dA[i, h, w, c].",
    "non-broadcastable output": "the mask and the window must match: a_prev_slice = a_prev["
                                "vert_start:vert_end, horiz_start:horiz_end, c], one channel.",
    "IndexError": Upstream("dA[i, h, w, c] is indexed by the output position (h, w) for h in "
                           "range(n_H), w in range(n_W); the window in A_prev starts at "
                           "h * stride, w * stride."),
    "unpack": "the cache is pool_forward's (A_prev, hparameters)."})
def check_pool_backward(check, case, dA_prev, want):
    dA, (A_prev, hp), mode = case["dA"], case["cache"], case.given("mode")
    f, stride = hp["f"], hp["stride"]
    tied = A_prev is TIED
    label = pool_label(A_prev, hp, mode, tied)
    check.is_array(f"dA_prev{label}", dA_prev, "dA_prev = np.zeros(A_prev.shape), filled in "
                                               "the loops.")
    check.shape(f"dA_prev{label}", dA_prev, A_prev.shape,
                f"dA_prev has the shape of A_prev, {A_prev.shape}.")
    got = np.asarray(dA_prev, dtype=float)
    counts = np.multiply.outer(*(coverage(n, f, stride, k) for n, k in
                                 zip(A_prev.shape[1:3], dA.shape[1:3])))
    hint = (BACKWARD_MODE_HINT if case.gives(got, "mode") is not None else None) or overlap_slip(
        got, want, counts, "dA_prev") or slip(got, want, [
            (-want, "the sign is flipped: add the gradient, do not subtract it."),
            (want * f, f"the average's share is dA / (f * f): this divides by f = {f} only "
                       "(make distribute_value's check pass first).")])
    if not hint and tied and mode == "max" and not np.allclose(got, want):
        hint = ("in a window where several entries share the max, each of them gets the whole "
                "dA[i, h, w, c]: mask = create_mask_from_window(a_prev_slice), x == np.max(x), "
                "not one entry picked by np.argmax.")
    hint = hint or ignored_stride_backward(case, got, want, stride, "dA_prev")
    close_at(check, "dA_prev", label, dA_prev, want, hint or BACKWARD_RULES[mode])
