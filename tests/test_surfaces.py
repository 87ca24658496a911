"""The 2-D loss surfaces: each gradient agrees with two-sided differences, values and gradients
are vectorized over grids, each minimum is where it is said to be, and bad shapes are named."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import surfaces
from course_utils.surfaces import SURFACES

NAMES = sorted(SURFACES)


def numerical_gradient(loss, w, epsilon=1e-6) -> np.ndarray:
    """Two-sided differences of `loss` at the point w, one coordinate at a time."""
    grad = np.zeros(2)
    for k in range(2):
        step = np.zeros(2)
        step[k] = epsilon
        grad[k] = (loss(w + step) - loss(w - step)) / (2 * epsilon)
    return grad


@pytest.mark.parametrize("name", NAMES)
def test_the_gradient_agrees_with_two_sided_differences(name):
    surface = SURFACES[name]
    w1_min, w1_max, w2_min, w2_max = surface.extent
    rng = np.random.default_rng(0)
    points = rng.uniform([w1_min, w2_min], [w1_max, w2_max], size=(20, 2))
    for w in [*points, np.array(surface.start)]:
        exact, approx = surface.grad(w), numerical_gradient(surface.loss, w)
        difference = np.linalg.norm(exact - approx) / (np.linalg.norm(exact)
                                                       + np.linalg.norm(approx))
        assert difference < 1e-7, (name, w, exact, approx)


@pytest.mark.parametrize("name", NAMES)
def test_values_and_gradients_are_vectorized_over_a_grid(name):
    surface = SURFACES[name]
    W1, W2, J = surfaces.grid(surface, resolution=7)
    assert W1.shape == W2.shape == J.shape == (7, 7)
    grads = surface.grad(np.stack([W1, W2]))
    assert grads.shape == (2, 7, 7)
    for i, j in [(0, 0), (3, 5), (6, 6)]:
        point = np.array([W1[i, j], W2[i, j]])
        assert J[i, j] == pytest.approx(surface.loss(point), rel=1e-12)
        np.testing.assert_allclose(grads[:, i, j], surface.grad(point), rtol=1e-12)
    single = surface.loss(np.array(surface.start))
    assert np.ndim(single) == 0 and float(single) > 0


@pytest.mark.parametrize("name", NAMES)
def test_the_minimum_is_zero_with_a_zero_gradient_inside_the_extent(name):
    surface = SURFACES[name]
    minimum = np.array(surface.minimum)
    assert surface.loss(minimum) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(surface.grad(minimum), 0.0, atol=1e-12)
    w1_min, w1_max, w2_min, w2_max = surface.extent
    for w1, w2 in (surface.minimum, surface.start):
        assert w1_min < w1 < w1_max and w2_min < w2 < w2_max
    W1, W2, J = surfaces.grid(surface, resolution=201)
    assert J.min() >= -1e-12


def test_the_ravine_is_shallow_along_w1_and_steep_across():
    a, b = surfaces.RAVINE_CURVATURES
    assert b / a >= 20
    along, across = surfaces.ravine(np.array([1.0, 0.0])), surfaces.ravine(np.array([0.0, 1.0]))
    assert (along, across) == pytest.approx((a / 2, b / 2))


def test_the_rotated_ravine_is_the_ravine_turned_by_30_degrees():
    angle = np.pi / 6
    rng = np.random.default_rng(1)
    for point in rng.normal(size=(5, 2)) * 3:
        turned = np.array([np.cos(angle) * point[0] - np.sin(angle) * point[1],
                           np.sin(angle) * point[0] + np.cos(angle) * point[1]])
        assert surfaces.rotated_ravine(turned) == pytest.approx(surfaces.ravine(point))
    floor = np.array([np.cos(angle), np.sin(angle)])  # the shallow direction, turned
    assert surfaces.rotated_ravine(floor) == pytest.approx(surfaces.RAVINE_CURVATURES[0] / 2)
    # the steep direction mixes both coordinates: the Hessian is not diagonal
    hessian_mix = surfaces.rotated_ravine_grad(np.array([1.0, 0.0]))[1]
    assert abs(hessian_mix) > 0.5


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((3, 4)), np.float64(1.0)])
@pytest.mark.parametrize("function", [surfaces.ravine, surfaces.ravine_grad,
                                      surfaces.rotated_ravine, surfaces.curved_valley_grad])
def test_a_point_of_the_wrong_shape_is_named(function, bad):
    with pytest.raises(ValueError, match=rf"{function.__name__}: w must hold \(w1, w2\)"):
        function(bad)
