"""Visible checks of week 6's attention section: scaled_dot_product_attention (rows are
positions: Q (T_q, d_k), K (T_k, d_k), V (T_k, d_v), mask (T_q, T_k) with 1 to keep, 0 to hide).

The weights are checked before the output they make. A wrong scale is named from the stored
weights alone: the log-ratios of a row's weights are its score differences, so scores divided
by x instead of sqrt(d_k) give log-ratios sqrt(d_k / x) times the right ones, and x tells the
slip (1: no sqrt, d_k: no sqrt taken, T_k: the wrong shape). Each masked case has an unmasked
twin with the same Q, K, V, whose stored weights show a mask that was ignored or applied after
the softmax. One case has a row of scores near 1000 and one near 0: no shift overflows np.exp,
and a shift by the largest score of the whole matrix leaves the small row 0 / 0.
"""

from __future__ import annotations

import numpy as np

from .. import diagnoses
from ..core import _join, show
from ..week5.convolution import matches, tensor
from . import WEEK

WEIGHTS_RULE = ("scores = Q @ K.T / np.sqrt(d_k) with d_k = Q.shape[-1]; if a mask is given, "
                "scores = scores + (1 - mask) * -1e9; then the softmax of each row: subtract "
                "np.max(scores, axis=-1, keepdims=True), np.exp, divide by np.sum(..., axis=-1, "
                "keepdims=True).")
OUTPUT_RULE = "output = weights @ V: each query's row of weights mixes the rows of V."
KEEPDIMS_HINT = ("a row's max or sum without keepdims=True lines up with the columns, not the "
                 "rows: np.max(scores, axis=-1, keepdims=True) and np.sum(e, axis=-1, "
                 "keepdims=True) have shape (T_q, 1).")


def _case(T_q: int, T_k: int, d_k: int, d_v: int, seed: int, **mask) -> dict:
    return {"Q": tensor((T_q, d_k), seed), "K": tensor((T_k, d_k), seed + 1),
            "V": tensor((T_k, d_v), seed + 2), **mask}


WIDE = _case(2, 3, 4, 5, 6201)
CAUSAL = _case(3, 3, 9, 2, 6204)
SINGLE = _case(1, 4, 3, 2, 6207)
LARGE = {"Q": np.array([[1500.0, 0.0], [0.1, 0.2]]), "K": np.array([[1.0, 0.0], [0.9, 0.1],
                                                                     [0.0, 1.0]]),
         "V": np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])}


def masked(case: dict, mask) -> dict:
    return {**case, "mask": np.array(mask, dtype=float)}


@WEEK.exercise("scaled_dot_product_attention(Q, K, V, mask=None)", [
    WIDE, masked(WIDE, [[1, 1, 0], [0, 1, 1]]),
    CAUSAL, masked(CAUSAL, np.tril(np.ones((3, 3)))),
    SINGLE, masked(SINGLE, [[0, 1, 0, 1]]),
    LARGE], hints={
    "not aligned": "scores = Q @ K.T is (T_q, d_k) times (d_k, T_k); output = weights @ V is "
                   "(T_q, T_k) times (T_k, d_v).",
    "broadcast": "two arrays did not line up: a row's max or sum needs keepdims=True "
                 "(np.max(scores, axis=-1, keepdims=True) and np.sum(e, axis=-1, keepdims=True) "
                 "have shape (T_q, 1)), and output = weights @ V is a matrix product, not "
                 "weights * V."})
def check_scaled_dot_product_attention(check, case, out, want):
    Q, K, V, mask = case["Q"], case["K"], case["V"], case.given("mask")
    T_q, T_k, d_v = Q.shape[0], K.shape[0], V.shape[1]
    label = (f"(Q {Q.shape}, K {K.shape}, V {V.shape}"
             + (", with a mask)" if mask is not None else ", no mask)"))
    output, weights = diagnoses.returns(check, out, "output, weights")
    check.is_array(f"weights {label}", weights, WEIGHTS_RULE)
    check.shape(f"weights {label}", weights, (T_q, T_k), "one row per query, one column per "
                "key: scores = Q @ K.T, (T_q, T_k). " + WEIGHTS_RULE)
    check.is_array(f"output {label}", output, OUTPUT_RULE)
    check.shape(f"output {label}", output, (T_q, d_v), OUTPUT_RULE)
    got = np.asarray(weights, dtype=float)
    hint = weights_slip(case, got, want[1])
    check.true(np.all(np.isfinite(got)), f"weights {label} contain nan or inf:\n  expected: "
               f"{show(want[1])}\n  got:      {show(got)}", _join(hint, WEIGHTS_RULE))
    check.close(f"weights {label}", got, want[1], _join(hint, WEIGHTS_RULE))
    check.close(f"output {label}", output, want[0], OUTPUT_RULE)


def weights_slip(case, got: np.ndarray, want: np.ndarray) -> str | None:
    """The name of the slip that gives the weights `got`, or None (also when they are right)."""
    if matches(got, want):
        return None
    mask = case.given("mask")
    if not np.all(np.isfinite(got)):
        if np.all(np.isfinite(got[0])) and not np.all(np.isfinite(got[1:])):
            return ("row 0's scores are near 1000 and row 1's near 0: subtracting the largest "
                    "score of the whole matrix, np.max(scores), leaves row 1 at exp(-1000) = 0 "
                    "and 0 / 0. Subtract each row's own max, np.max(scores, axis=-1, "
                    "keepdims=True).")
        return ("np.exp overflows on scores near 1000 (inf / inf is nan): subtract each row's "
                "max before np.exp, scores - np.max(scores, axis=-1, keepdims=True).")
    if got.shape[0] > 1 and np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=1),
                                                                                 1):
        return ("each column sums to 1: the softmax is taken over the keys of each query, "
                "along the rows, axis=-1 (or axis=1), with keepdims=True.")
    if mask is not None:
        unmasked = case.stored(mask=None)[1]
        if matches(got, unmasked):
            return ("the weights are those of no mask: the mask argument is not used; add "
                    "(1 - mask) * -1e9 to the scores before the softmax.")
        if matches(got, unmasked * mask):
            return ("the mask multiplies the weights after the softmax, so a row no longer sums "
                    "to 1: add (1 - mask) * -1e9 to the scores before the softmax.")
        mixed = (mask.min(axis=1) == 0) & (mask.max(axis=1) == 1)
        if np.all(got[mixed][mask[mixed] == 1] < 1e-6):
            return ("the mask's sense is reversed: the kept positions (mask 1) got weight 0. "
                    "1 keeps and 0 hides: add -1e9 where mask == 0, (1 - mask) * -1e9.")
        if np.any(got[mask == 0] > 1e-6):
            return ("a hidden position (mask 0) still gets weight: its score must become "
                    "-1e9, scores + (1 - mask) * -1e9 (a score multiplied by the mask is 0, "
                    "which still counts in the softmax).")
    return scale_slip(case, got, want) or keepdims_slip(case, got, want)


def scale_slip(case, got: np.ndarray, want: np.ndarray) -> str | None:
    """Scores divided by x instead of sqrt(d_k): each row's log-ratios are sqrt(d_k / x) times
    the right ones; names x."""
    (T_q, d_k), T_k, d_v = case["Q"].shape, case["K"].shape[0], case["V"].shape[1]
    keep = (want > 1e-12) & (got > 0)
    if not np.all(keep == (want > 1e-12)):
        return None
    top = np.argmax(want, axis=1)
    right = np.log(np.where(keep, want, 1)) - np.log(want[np.arange(T_q), top])[:, None]
    theirs = np.log(np.where(keep, got, 1)) - np.log(got[np.arange(T_q), top])[:, None]
    if not np.any(right[keep]):  # one-hot rows show no scale
        return None
    right, theirs = right[keep], theirs[keep]
    factor = float(np.sum(theirs * right) / np.sum(right * right))
    if factor <= 0 or np.isclose(factor, 1, rtol=1e-4) or not np.allclose(
            theirs, factor * right, rtol=1e-4, atol=1e-6):
        return None
    divisor = d_k / factor ** 2
    named = [(1, "the scores are not divided by sqrt(d_k): scores = Q @ K.T / np.sqrt(d_k)."),
             (d_k ** 2, f"the scores are divided by d_k = {d_k}, but by its square root, "
                        f"np.sqrt(d_k) = {np.sqrt(d_k):.4g}."),
             (T_k, f"this divides by the square root of T_k = {T_k}, the number of keys: d_k is "
                   f"the width of the queries and keys, Q.shape[-1] = {d_k}."),
             (T_q, f"this divides by the square root of T_q = {T_q}, the number of queries: d_k "
                   f"is the width of the queries and keys, Q.shape[-1] = {d_k}."),
             (d_v, f"this divides by the square root of d_v = {d_v}, the width of V: d_k is the "
                   f"width of the queries and keys, Q.shape[-1] = {d_k}.")]
    for x, words in named:
        if np.isclose(divisor, x, rtol=1e-3) and not np.isclose(x, d_k):
            return words
    return (f"the scores are scaled by the wrong factor (as if divided by sqrt({divisor:.4g})): "
            f"divide Q @ K.T by np.sqrt(d_k), with d_k = Q.shape[-1] = {d_k}.")


def keepdims_slip(case, got: np.ndarray, want: np.ndarray) -> str | None:
    """A square case's max or sum without keepdims: got / want is r_i / r_j, a product of a row
    factor and a column factor (a per-row shift or sum of the right kind would be r_i only)."""
    if (case.given("mask") is not None or got.shape[0] != got.shape[1] or np.any(want <= 0)
            or matches(got, want)):
        return None
    ratio = got / want
    if np.allclose(ratio, np.outer(ratio[:, 0], ratio[0, :]) / ratio[0, 0], rtol=1e-5):
        return KEEPDIMS_HINT
    return None
