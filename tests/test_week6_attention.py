"""Week 6's attention check (scaled_dot_product_attention) rejects the stub and the common
mistakes with a hint that names them, accepts other correct code, and names no mistake on
correct code; the cases hold what the hints rely on (distinct sizes, masked twins, a row of
large scores next to a row of small ones)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks.week6 import CHECKS
from course_utils.checks.week6.attention import keepdims_slip, scale_slip, weights_slip
from tests.helpers import check_message, check_suite, implemented

FUNCTIONS = ["scaled_dot_product_attention"]

ATTENTION = """
def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = {d_k}
    scores = {scores}
    if mask is not None:
        {masking}
    scores = {shift}
    weights = np.exp(scores)
    weights = {normalize}
    {after}
    output = {output}
    return output, weights
"""


def attention_with(d_k="Q.shape[-1]", scores="Q @ K.T / np.sqrt(d_k)",
                   masking="scores = scores + (1 - mask) * -1e9",
                   shift="scores - np.max(scores, axis=-1, keepdims=True)",
                   normalize="weights / np.sum(weights, axis=-1, keepdims=True)", after="pass",
                   output="weights @ V"):
    return ATTENTION.format(d_k=d_k, scores=scores, masking=masking, shift=shift,
                            normalize=normalize, after=after, output=output)


MISTAKES = [
    ("scaled_dot_product_attention", "softmax over columns", attention_with(
        shift="scores - np.max(scores, axis=0, keepdims=True)",
        normalize="weights / np.sum(weights, axis=0, keepdims=True)"), "each column sums to 1"),
    ("scaled_dot_product_attention", "no sqrt(d_k)", attention_with(scores="Q @ K.T"),
     "not divided by sqrt(d_k)"),
    ("scaled_dot_product_attention", "divided by d_k", attention_with(scores="Q @ K.T / d_k"),
     "divided by d_k = 4, but by its square root"),
    ("scaled_dot_product_attention", "d_k from K's rows", attention_with(d_k="K.shape[0]"),
     "T_k = 3, the number of keys"),
    ("scaled_dot_product_attention", "d_k from V", attention_with(d_k="V.shape[1]"),
     "d_v = 5, the width of V"),
    ("scaled_dot_product_attention", "mask ignored", attention_with(masking="pass"),
     "the mask argument is not used"),
    ("scaled_dot_product_attention", "mask multiplied after the softmax", attention_with(
        masking="pass", after="weights = weights if mask is None else weights * mask"),
     "multiplies the weights after the softmax"),
    ("scaled_dot_product_attention", "mask with the wrong sense", attention_with(
        masking="scores = scores + mask * -1e9"), "the mask's sense is reversed"),
    ("scaled_dot_product_attention", "scores times the mask", attention_with(
        masking="scores = scores * mask"), "still gets weight"),
    ("scaled_dot_product_attention", "no stability shift", attention_with(shift="scores"),
     "np.exp overflows"),
    ("scaled_dot_product_attention", "the whole matrix's max", attention_with(
        shift="scores - np.max(scores)"), "Subtract each row's own max"),
    ("scaled_dot_product_attention", "sum without keepdims", attention_with(
        normalize="weights / np.sum(weights, axis=-1)"), "keepdims=True"),
    ("scaled_dot_product_attention", "max without keepdims", attention_with(
        shift="(scores.T - np.max(scores, axis=-1)).T if scores.shape[0] != scores.shape[1] "
              "else scores - np.max(scores, axis=-1)"), "keepdims=True"),
    ("scaled_dot_product_attention", "weights times V entry by entry", attention_with(
        output="weights * V"), "output = weights @ V"),
    ("scaled_dot_product_attention", "K Q^T", attention_with(scores="K @ Q.T / np.sqrt(d_k)"),
     "scores = Q @ K.T is (T_q, d_k) times (d_k, T_k)"),
]

ALTERNATIVES = [
    ("scaled_dot_product_attention", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = np.dot(Q, K.T) / np.sqrt(K.shape[1])
    if mask is not None:
        scores = np.where(mask == 0, -np.inf, scores)
    e = np.exp(scores - scores.max(axis=1)[:, None])
    weights = e / e.sum(axis=1)[:, None]
    return np.dot(weights, V), weights
"""),
    ("scaled_dot_product_attention", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    T_q, T_k = Q.shape[0], K.shape[0]
    weights = np.zeros((T_q, T_k))
    for i in range(T_q):
        s = np.array([Q[i] @ K[j] for j in range(T_k)]) / Q.shape[1] ** 0.5
        if mask is not None:
            s = s - 1e9 * (1 - mask[i])
        e = np.exp(s - s.max())
        weights[i] = e / e.sum()
    return weights @ V, weights
"""),
    ("scaled_dot_product_attention", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = np.einsum("qd,kd->qk", Q, K) / np.sqrt(Q.shape[-1])
    weights = np.exp(scores - np.logaddexp.reduce(scores, axis=-1, keepdims=True))
    if mask is not None:  # multiply, then share out again: the same weights
        weights = weights * mask
        weights = weights / weights.sum(axis=-1, keepdims=True)
    return np.einsum("qk,kv->qv", weights, V), weights
"""),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week6")
EXERCISE = CHECKS["scaled_dot_product_attention"]


def failure(source: str) -> str:
    return check_message(EXERCISE, implemented(SOLUTION, source)["scaled_dot_product_attention"])


# -- what a learner reads ---------------------------------------------------------------------
def test_a_missing_sqrt_is_told_on_the_weights_with_their_numbers():
    lines = failure(attention_with(scores="Q @ K.T")).splitlines()
    assert lines[0] == ("scaled_dot_product_attention: weights (Q (2, 4), K (3, 4), V (3, 5), "
                        "no mask) is wrong.")
    assert lines[1].startswith("  expected: [[") and "\n  got:      [[" in "\n".join(lines)
    assert lines[-1].startswith("Hint: the scores are not divided by sqrt(d_k): scores = Q @ "
                                "K.T / np.sqrt(d_k).")


def test_a_masked_failure_says_there_is_a_mask():
    assert failure(attention_with(masking="pass")).startswith(
        "scaled_dot_product_attention: weights (Q (2, 4), K (3, 4), V (3, 5), with a mask) is "
        "wrong.")


def test_a_wrong_output_with_right_weights_is_told_on_the_output():
    text = failure(attention_with(output="weights @ V * 2"))
    assert text.startswith("scaled_dot_product_attention: output (Q (2, 4), K (3, 4), V (3, 5), "
                           "no mask) is wrong.")
    assert text.endswith("Hint: output = weights @ V: each query's row of weights mixes the rows "
                         "of V.")


def test_an_overflow_names_the_shift_and_not_the_global_max():
    text = failure(attention_with(shift="scores"))
    assert "np.exp overflows" in text and "np.max(scores), leaves" not in text


# -- hints stay quiet on correct code ---------------------------------------------------------
@pytest.mark.parametrize("index", range(len(EXERCISE.cases)))
def test_no_slip_is_named_on_the_right_weights(index):
    case, want = EXERCISE.cases[index], EXERCISE.expected()[index]
    from course_utils.checks.exercise import Case
    bound = Case(case, EXERCISE, SOLUTION["scaled_dot_product_attention"], None)
    weights = np.array(want[1])
    assert weights_slip(bound, weights, want[1]) is None
    assert scale_slip(bound, weights, want[1]) is None
    assert keepdims_slip(bound, weights, want[1]) is None


@pytest.mark.parametrize("index", range(len(EXERCISE.cases)))
def test_other_scales_are_named_by_their_divisor(index):
    """Scores divided by x (here 7) instead of sqrt(d_k) are told as such, in every case whose
    weights are not one-hot."""
    case = EXERCISE.cases[index]
    from course_utils.checks.exercise import Case
    bound = Case(case, EXERCISE, SOLUTION["scaled_dot_product_attention"], None)
    want = EXERCISE.expected()[index][1]
    d_k = case["Q"].shape[1]
    scaled = dict(case, Q=case["Q"] * np.sqrt(d_k) / np.sqrt(7))
    got = SOLUTION["scaled_dot_product_attention"](*(scaled[k] for k in ("Q", "K", "V")),
                                                   case.get("mask"))[1]
    words = scale_slip(bound, got, want)
    if np.all(np.max(want, axis=1) > 1 - 1e-9):  # one-hot rows: no scale can be seen
        assert words is None
    else:
        assert words is not None and "sqrt(7)" in words, words


# -- the cases --------------------------------------------------------------------------------
def test_the_sizes_differ_so_each_wrong_divisor_is_told_apart():
    case = EXERCISE.cases[0]
    (T_q, d_k), T_k, d_v = case["Q"].shape, case["K"].shape[0], case["V"].shape[1]
    assert len({1, d_k, d_k ** 2, T_k, T_q, d_v}) == 6


def test_every_masked_case_has_an_unmasked_twin_and_keeps_a_key_per_query():
    for case in EXERCISE.cases:
        if "mask" in case:
            twin = [c for c in EXERCISE.cases if "mask" not in c and c["Q"] is case["Q"]]
            assert len(twin) == 1
            assert np.all(case["mask"].max(axis=1) == 1) and np.any(case["mask"] == 0)


def test_the_large_case_overflows_without_a_shift_and_underflows_with_the_global_max():
    case = next(c for c in EXERCISE.cases if np.abs(c["Q"]).max() > 100)
    scores = case["Q"] @ case["K"].T / np.sqrt(case["Q"].shape[1])
    assert scores.max() > 710 > scores[1].max()  # np.exp(710) is inf
    assert np.all(np.exp(scores[1] - scores.max()) == 0)


def test_a_square_case_without_a_mask_exists_for_the_keepdims_slips():
    assert any(c["Q"].shape[0] == c["K"].shape[0] > 1 and "mask" not in c
               for c in EXERCISE.cases)
