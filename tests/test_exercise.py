"""The exercise declaration: cases named as the contract names its parameters are passed by
position (a skipped one takes the contract's default), extensions by keyword, so a learner's
own parameter names work, and a failure still names the learner's parameter."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks import CheckFailed, week1, week2, week3
from course_utils.checks.core import shown
from course_utils.checks.exercise import Week


def test_classic_parameters_go_by_position_and_extensions_by_keyword():
    L_layer_model = week3.CHECKS["L_layer_model"]
    case = {"X": 1, "Y": 2, "layers_dims": [3], "num_iterations": 201, "activation": "tanh"}
    assert L_layer_model.arguments(case) == ((1, 2, [3], 0.0075, 201), {"activation": "tanh"})
    assert L_layer_model.defaults == {"learning_rate": 0.0075, "num_iterations": 3000,
                                      "print_cost": False, "activation": "relu",
                                      "init_scale": 0.01}
    relu = {**case, "activation": "relu", "init_scale": 0.5}
    assert L_layer_model.arguments(relu)[1] == {"init_scale": 0.5}, "a default is left out"


def test_a_case_with_a_name_the_signature_lacks_is_refused():
    with pytest.raises(TypeError, match=r"has \['z'\]"):
        Week("week0").exercise("sigmoid(x)", [{"z": 1.0}])(lambda *_: None)


def test_the_seed_is_set_before_every_call_and_again_takes_another():
    drawn = []

    @Week("week0").exercise("draw(n)", [{"n": 1}], seed=4)
    def check_draw(check, case, out, want):
        drawn.extend([out, case.again(seed=5)])

    check_draw.expected = lambda: [None]
    check_draw(lambda n: float(np.random.rand()))
    np.random.seed(4)
    first = np.random.rand()
    np.random.seed(5)
    assert drawn == [first, np.random.rand()]


def test_a_renamed_parameter_works_and_a_mutation_names_it(capsys):
    week1.check_sigmoid(lambda z: 1 / (1 + np.exp(-z)))
    assert "sigmoid: all" in capsys.readouterr().out

    def normalize_rows(rows):
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        return rows

    with pytest.raises(CheckFailed, match="changed its input `rows` in place"):
        week1.check_normalize_rows(normalize_rows)


def test_a_crash_is_told_the_inputs_of_the_call_in_any_week():
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        return W.T @ dZ, dZ @ A_prev, dZ.sum(axis=1, keepdims=True)  # A_prev.T forgotten

    with pytest.raises(CheckFailed) as failure:
        week3.check_linear_backward(linear_backward)
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("linear_backward: raised ValueError: matmul")
    assert lines[1] == "  (called with dZ shape (3, 4), cache ((3, 4), (3, 3), (3, 1)))"
    assert lines[2].startswith("Hint: dW = (1/m) np.dot(dZ, A_prev.T)")

    with pytest.raises(CheckFailed) as failure:
        week2.check_forward_propagation(lambda X, params: np.dot(params["W1"], X.T))
    assert str(failure.value).splitlines()[1] == (
        "  (called with X shape (3, 7), params {'W1': (4, 3), 'b1': (4, 1), 'W2': (1, 4), "
        "'b2': (1, 1)})")


def test_a_not_implemented_function_is_not_told_its_inputs():
    def sigmoid(z):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as failure:
        week1.check_sigmoid(sigmoid)
    assert "called with" not in str(failure.value)


@pytest.mark.parametrize(("value", "words"), [
    (np.zeros((2, 3)), "shape (2, 3)"),
    (np.float64(0.25), "0.25"),
    ({"stride": 2, "W": np.ones((3, 1))}, "{'stride': 2, 'W': (3, 1)}"),
    ([np.ones(2), 3], "[(2,), 3]"),
    (tuple(range(9)), "a tuple of 9"),
    ("x" * 50, "a str"),
])
def test_an_input_is_shown_by_shape_value_or_length(value, words):
    assert shown(value) == words
