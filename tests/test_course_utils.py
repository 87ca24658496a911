"""Unit tests of the helpers the notebooks import: check machinery, gradient check, explorer."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import Check, CheckFailed
from course_utils.checks.core import same_value
from course_utils.explore import LearningRateExplorer, divergence
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
    with pytest.raises(CheckFailed, match="transposed"):
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


# -- the week 1 explorer --------------------------------------------------------------------
def _explorer(model):
    rng = np.random.default_rng(1)
    X, Xt = rng.normal(size=(5, 40)), rng.normal(size=(5, 12))
    Y, Yt = (X[:1] > 0).astype(float), (Xt[:1] > 0).astype(float)
    return LearningRateExplorer(model, X, Y, Xt, Yt, learning_rate=0.05, num_iterations=300)


def test_explorer_reruns_the_learners_model_when_a_slider_moves(capsys):
    explorer = _explorer(SOLUTION["model"])
    explorer.redraw()
    assert "train accuracy" in explorer.status.value
    explorer.learning_rate.value = 0.5
    explorer.iterations.value = 500
    assert explorer.figure.updates == 3
    assert "diverged" not in explorer.status.value


def test_explorer_says_when_training_diverges_and_stays_usable(capsys):
    def exploding(X_train, Y_train, X_test, Y_test, num_iterations, learning_rate):
        return {"costs": [0.69, 50.0, float("nan")], "Y_prediction_train": Y_train * 0,
                "Y_prediction_test": Y_test * 0}

    explorer = _explorer(exploding)
    explorer.redraw()
    assert "diverged" in explorer.status.value and "nan" in explorer.status.value
    explorer.model = SOLUTION["model"]
    explorer.learning_rate.value = 0.01
    assert "diverged" not in explorer.status.value


def test_explorer_names_the_function_that_is_not_written_yet(capsys):
    def model(*args, **kwargs):
        raise NotImplementedError()

    explorer = _explorer(model)
    explorer.redraw()
    assert "<b>model</b> is not implemented yet" in explorer.status.value


def test_explorer_names_the_unwritten_function_that_the_model_calls(capsys):
    def propagate(w, b, X, Y):
        raise NotImplementedError()

    def model(X_train, Y_train, X_test, Y_test, **kwargs):
        return propagate(None, 0.0, X_train, Y_train)

    explorer = _explorer(model)
    explorer.redraw()
    assert "<b>propagate</b> is not implemented yet" in explorer.status.value


def test_explorer_reports_a_crash_in_the_learners_code(capsys):
    def model(*args, **kwargs):
        raise ValueError("shapes (1,5) and (4,40) not aligned")

    explorer = _explorer(model)
    explorer.redraw()
    assert "raised ValueError" in explorer.status.value


def test_divergence_wording():
    assert divergence([0.7, 0.6, 0.5]) is None
    assert "grew" in divergence([0.7, 3.0, 2.5])
    assert "iteration 200" in divergence([0.7, 0.6, float("inf")])
