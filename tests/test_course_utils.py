"""Unit tests of the helpers the notebooks import: check machinery and gradient check (the
explorers: test_learning_rate_explorer.py, test_playground.py, test_depth_explorer.py)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import Check, CheckFailed
from course_utils.checks.core import same_value
from course_utils.gradcheck import numerical_gradient, relative_difference

SOLUTION = solution_namespace("week1")


# -- check machinery ----------------------------------------------------------------------
def test_check_reports_a_function_that_mutates_its_input():
    def scale(x):
        x *= 2
        return x

    with pytest.raises(CheckFailed, match="changed its input `x` in place"):
        Check("scale").call(scale, np.ones(3))


def test_check_names_a_missing_return_and_a_crash():
    with pytest.raises(CheckFailed, match="forget `return`"):
        Check("f").python_float("f(1)", None)
    with pytest.raises(CheckFailed, match="raised ZeroDivisionError"):
        Check("f").call(lambda x: 1 / x, 0)


def test_check_names_the_unfinished_function_that_a_finished_one_calls():
    def linear_forward(A, W, b):
        raise NotImplementedError()

    def layer(A):
        return linear_forward(A, None, None)

    with pytest.raises(CheckFailed) as failure:
        Check("layer").call(layer, np.ones(3))
    assert str(failure.value).startswith(
        "layer: calls linear_forward, which is not implemented yet.\nHint: finish linear_forward")
    with pytest.raises(CheckFailed, match="raise NotImplementedError"):
        Check("linear_forward").call(linear_forward, 1, 2, 3)


def test_check_points_to_the_broken_helper_a_model_calls():
    def backward(grads):
        return grads["dA0"]

    def model(grads):
        return backward(grads) + np.dot(np.ones(2), np.ones(2))

    with pytest.raises(CheckFailed) as failure:
        Check("model").call(model, {"dA1": 1.0})
    assert "model: raised KeyError: 'dA0'" in str(failure.value)
    assert "the error comes from backward, which model calls: make its check pass" in str(
        failure.value)
    with pytest.raises(CheckFailed) as failure:  # an error in numpy is not a learner helper
        Check("model").call(lambda g: np.dot(np.ones(2), np.ones(3)), {})
    assert "comes from" not in str(failure.value)


def test_check_rejects_something_that_is_not_a_function():
    with pytest.raises(CheckFailed, match="without parentheses"):
        Check("sigmoid").call(np.array([0.5]), 1.0)


def test_shape_and_value_hints_recognise_common_slips():
    check = Check("f")
    with pytest.raises(CheckFailed, match="rank-1"):
        check.shape("v", np.zeros(3), (3, 1))
    with pytest.raises(CheckFailed, match="a row of 3 where a column of 3 is expected"):
        check.shape("v", np.zeros((1, 3)), (3, 1))
    with pytest.raises(CheckFailed, match="1/m is missing"):
        check.close("dw", np.array([3.0, 6.0]), np.array([1.0, 2.0]), m=3)
    with pytest.raises(CheckFailed, match="sign is flipped"):
        check.close("cost", -0.5, 0.5)


def test_same_value_compares_nested_containers_exactly():
    a = {"w": np.array([[1.0], [2.0]]), "b": [1, (2.0, "x")]}
    b = {"w": np.array([[1.0], [2.0]]), "b": [1, (2.0, "x")]}
    assert same_value(a, b)
    b["w"][0, 0] = 1.5
    assert not same_value(a, b)
    assert not same_value(np.zeros(2), np.zeros(2, dtype=int))


# -- gradient check -----------------------------------------------------------------------
def test_numerical_gradient_of_a_quadratic_matches_the_analytic_one():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    numeric = numerical_gradient(lambda: np.sum(x ** 2), x)
    assert relative_difference(2 * x, numeric) < 1e-7
    assert np.array_equal(x, [[1.0, -2.0], [0.5, 3.0]]), "x must be restored"


def test_numerical_gradient_confirms_the_propagate_backward_pass():
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=(3, 1)), np.array([[0.2]])
    X, Y = rng.normal(size=(3, 6)), (rng.random((1, 6)) > 0.5).astype(float)
    propagate = SOLUTION["propagate"]
    grads, _ = propagate(w, b.item(), X, Y)
    cost = lambda: propagate(w, b.item(), X, Y)[1]  # noqa: E731
    assert relative_difference(grads["dw"], numerical_gradient(cost, w)) < 1e-7
    assert relative_difference(grads["db"], numerical_gradient(cost, b)) < 1e-7


def test_relative_difference_of_two_zero_gradients_is_zero():
    assert relative_difference(np.zeros(3), np.zeros(3)) == 0.0
