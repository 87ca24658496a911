"""Week 4's given 3-layer network and gradient-checking helpers: the backward pass agrees with a
numerical gradient, the cache and gradient layouts are api.md's, and theta round-trips."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.gradcheck import (
    dictionary_to_vector,
    gradients_to_vector,
    numerical_gradient,
    relative_difference,
    vector_to_dictionary,
)
from course_utils.three_layer import (
    GRADIENT_KEYS,
    backward_propagation_n,
    cross_entropy_cost,
    forward_propagation_n,
    initialize_three_layer,
    predict_three_layer,
    three_layer_forward,
)


def _case(dims=(4, 5, 3, 1), m=7, seed=0):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(dims[0], m)), (rng.random((1, m)) > 0.5).astype(float)
    return X, Y, initialize_three_layer(list(dims))


@pytest.mark.parametrize("dims", [(4, 5, 3, 1), (2, 6, 4, 1)])
def test_backward_agrees_with_a_numerical_gradient(dims):
    X, Y, parameters = _case(dims)
    grads = backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1])
    assert tuple(grads) == GRADIENT_KEYS
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        numeric = numerical_gradient(lambda: forward_propagation_n(X, Y, parameters)[0],
                                     parameters[key], epsilon=1e-6)
        assert relative_difference(grads["d" + key], numeric) < 1e-7, key


def test_forward_cache_is_the_12_tuple_of_api_md():
    X, Y, p = _case()
    A3, cache = three_layer_forward(X, p)
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3c, W3, b3 = cache
    assert W1 is p["W1"] and b3 is p["b3"] and A3c is A3
    assert np.allclose(A1, np.maximum(0, W1 @ X + b1)) and np.allclose(Z3, W3 @ A2 + b3)
    assert np.allclose(A3, 1 / (1 + np.exp(-Z3)))
    assert np.array_equal(predict_three_layer(X, p), (A3 > 0.5).astype(float))


def test_cost_is_a_numpy_float_and_ignores_a_log_of_zero_whose_label_cancels_it():
    cost = cross_entropy_cost(np.array([[1.0, 0.5]]), np.array([[1.0, 0.0]]))
    assert type(cost) is np.float64 and np.isclose(cost, np.log(2) / 2)


def test_initialization_is_seeded_and_scaled_by_the_fan_in():
    p = initialize_three_layer([4, 5, 3, 1], seed=3)
    np.random.seed(3)
    assert np.allclose(p["W1"], np.random.randn(5, 4) / 2) and not p["b2"].any()


def test_theta_round_trips_and_lines_up_with_the_gradients():
    X, Y, p = _case()
    theta, keys = dictionary_to_vector(p)
    assert theta.shape == (47, 1) and keys[:20] == ["W1"] * 20 and keys[-1] == "b3"
    back = vector_to_dictionary(theta)
    assert all(np.array_equal(back[k], p[k]) for k in p)
    grads = {"d" + k: v * 2 for k, v in p.items()}
    assert np.array_equal(gradients_to_vector(grads), 2 * theta)
    other = initialize_three_layer([2, 6, 4, 1])
    assert vector_to_dictionary(dictionary_to_vector(other)[0], (2, 6, 4, 1))["W2"].shape == (4, 6)
    with pytest.raises(ValueError, match="pass its layers_dims"):
        vector_to_dictionary(dictionary_to_vector(other)[0])
