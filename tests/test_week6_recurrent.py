"""The shared builders and diagnoses of week 6's recurrent checks: parameter shapes by api.md's
keys, a clear error for an unknown cell, swapped concat weights that undo a [xt; a_prev] stack,
and softmax diagnoses that name each wrong axis and stay silent on a right softmax."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks import Check, CheckFailed
from course_utils.checks.week6 import recurrent
from course_utils.rnn_utils import column_softmax as softmax
from course_utils.rnn_utils import logistic as sigmoid


def test_parameter_shapes_follow_the_contract():
    assert recurrent.parameter_shapes("rnn", 3, 5, 2) == {
        "Wax": (5, 3), "Waa": (5, 5), "Wya": (2, 5), "ba": (5, 1), "by": (2, 1)}
    lstm = recurrent.parameter_shapes("lstm", 3, 5, 2)
    assert list(lstm) == list(recurrent.LSTM_KEYS)
    assert all(lstm[k] == (5, 8) for k in ("Wf", "Wi", "Wc", "Wo")) and lstm["Wy"] == (2, 5)
    with pytest.raises(ValueError, match=r"kind must be one of \['gru', 'lstm', 'rnn'\]"):
        recurrent.parameter_shapes("transformer", 3, 5, 2)


def test_builders_are_fixed_and_leave_the_global_random_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    P = recurrent.draw_parameters("gru", 2, 3, 4, seed=7)
    assert np.array_equal(P["Wu"], recurrent.draw_parameters("gru", 2, 3, 4, seed=7)["Wu"])
    assert np.array_equal(np.random.get_state()[1], before)
    assert np.all(np.abs(recurrent.squashed((4, 4), 1)) < 1)
    gates = recurrent.gate_values((4, 4), 2)
    assert np.all((gates > 0) & (gates < 1))


def test_swapped_weights_undo_a_concat_in_the_wrong_order():
    n_x, n_a, m = 2, 3, 4
    W, xt, a_prev = recurrent.tensor((n_a, n_a + n_x), 1), recurrent.tensor((n_x, m), 2), \
        recurrent.tensor((n_a, m), 3)
    right = sigmoid(W @ np.concatenate([a_prev, xt]))
    wrong_on_swapped = sigmoid(recurrent.swap_columns(W, n_a) @ np.concatenate([xt, a_prev]))
    assert np.allclose(right, wrong_on_swapped)


def _softmax_message(y, want) -> str | None:
    try:
        recurrent.softmax_columns(Check("f"), "yt", y, want, "RULE")
    except CheckFailed as failure:
        return str(failure)
    return None


def test_softmax_diagnoses_name_the_axis_and_stay_silent_when_right():
    scores = recurrent.tensor((3, 4), 5)
    want = softmax(scores)
    e = np.exp(scores)
    assert _softmax_message(want, want) is None
    assert "each row sums to 1" in _softmax_message(e / e.sum(axis=1, keepdims=True), want)
    assert "the whole array sums to 1" in _softmax_message(e / e.sum(), want)
    assert "no softmax" in _softmax_message(scores, want)
    assert _softmax_message(softmax(scores + 1e-3 * np.arange(3)[:, None]), want).endswith(
        "Hint: RULE")
