"""The 2-D data sets of week 2 and their train/test split."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.planar import DATASETS, make_dataset, train_test_split

NAMES = sorted(DATASETS)


@pytest.mark.parametrize("name", NAMES)
def test_a_data_set_has_the_lecture_shapes_and_balanced_0_1_labels(name):
    for m in (400, 7, 2):
        X, Y = DATASETS[name](m=m)
        assert X.shape == (2, m) and Y.shape == (1, m)
        assert X.dtype == np.float64 and Y.dtype == np.float64
        assert set(np.unique(Y)) == {0.0, 1.0}
        assert abs(int(Y.sum()) - m / 2) <= 0.5
        assert np.isfinite(X).all()


@pytest.mark.parametrize("name", NAMES)
def test_a_seed_gives_the_same_set_and_another_seed_another(name):
    state = np.random.get_state()
    X1, Y1 = DATASETS[name](seed=5)
    X2, Y2 = DATASETS[name](seed=5)
    X3, _ = DATASETS[name](seed=6)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(state, after)), "global random state moved"


@pytest.mark.parametrize("name", NAMES)
def test_more_noise_moves_the_points_further_from_the_clean_set(name):
    clean, _ = DATASETS[name](noise=0.0)
    shifts = [np.mean(np.linalg.norm(DATASETS[name](noise=noise)[0] - clean, axis=0))
              for noise in (0.0, 0.1, 0.3, 0.6)]
    assert shifts[0] == 0.0
    assert shifts[1] < shifts[2] < shifts[3], shifts


def test_the_flower_is_the_lectures_petals_with_classes_alternating():
    X, Y = DATASETS["flower"](m=400, noise=0.0)
    r = np.linalg.norm(X, axis=0)
    assert r.max() <= 4.0 + 1e-9 and r.max() > 3.9, "petals reach radius 4"
    angle = np.arctan2(X[0], X[1]) % (2 * np.pi)  # x1 = r sin t, x2 = r cos t
    sector = (angle // (np.pi / 4)).astype(int)  # eight petals, pi/4 wide
    purity = [max(np.mean(Y[0, sector == k]), 1 - np.mean(Y[0, sector == k])) for k in range(8)]
    assert min(purity) > 0.95, "each petal holds one class"
    majority = [round(np.mean(Y[0, sector == k])) for k in range(8)]
    assert sorted(majority) == [0] * 4 + [1] * 4, "four petals per class"


def test_make_dataset_dispatches_by_name_and_lists_the_valid_names():
    X, Y = make_dataset("moons", 50, 0.1, 3)
    X2, Y2 = DATASETS["moons"](m=50, noise=0.1, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    with pytest.raises(ValueError, match="unknown data set 'petals'.*'flower'.*'spirals'"):
        make_dataset("petals")


def test_bad_arguments_say_what_is_wrong_and_what_to_pass():
    with pytest.raises(ValueError, match=r"m must be at least 2 .* got m=1: use e.g. m=400"):
        DATASETS["xor"](m=1)
    with pytest.raises(TypeError, match="whole number"):
        DATASETS["xor"](m=10.5)
    with pytest.raises(ValueError, match=r"noise must be 0 or more, got noise=-0.1: use noise=0"):
        make_dataset("circles", 10, -0.1)
    with pytest.raises(TypeError, match="noise must be a number"):
        make_dataset("circles", 10, float("nan"))


# -- train_test_split -------------------------------------------------------------------
def _labelled(m=101, ones=31):
    X = np.vstack([np.arange(m, dtype=float), -np.arange(m, dtype=float)])
    Y = np.zeros((1, m))
    Y[0, :ones] = 1
    return X, Y


def test_split_partitions_the_columns_and_keeps_each_class_ratio():
    X, Y = _labelled()
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_ratio=0.3, seed=4)
    ids = np.concatenate([X_train[0], X_test[0]])
    assert sorted(ids) == list(range(101)), "every example exactly once"
    assert np.array_equal(Y_train[0], (X_train[0] < 31).astype(float)), "columns stay paired"
    assert np.array_equal(X_test[1], -X_test[0])
    assert Y_test.sum() == round(0.3 * 31) and (1 - Y_test).sum() == round(0.3 * 70)
    assert not np.all(np.diff(X_train[0]) > 0), "the columns are shuffled"


def test_split_is_seeded():
    X, Y = _labelled()
    a = train_test_split(X, Y, 0.2, seed=1)
    b = train_test_split(X, Y, 0.2, seed=1)
    c = train_test_split(X, Y, 0.2, seed=2)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[2], c[2])


def test_split_of_a_tiny_set_keeps_a_point_on_each_side():
    X, Y = DATASETS["blobs"](m=2)
    for ratio in (0.01, 0.5, 0.99):
        X_train, _, X_test, _ = train_test_split(X, Y, ratio)
        assert X_train.shape == (2, 1) and X_test.shape == (2, 1)


def test_split_rejects_bad_ratios_and_shapes_in_words():
    X, Y = _labelled(10, 5)
    for ratio in (0, 1, -0.2, 1.5, True):
        with pytest.raises(ValueError, match="between 0 and 1 .* e.g. test_ratio=0.2"):
            train_test_split(X, Y, ratio)
    with pytest.raises(ValueError, match=r"X \(2, 10\) and Y \(10,\).*Y.reshape\(1, -1\)"):
        train_test_split(X, Y[0])
    with pytest.raises(ValueError, match="at least 2 examples"):
        train_test_split(X[:, :1], Y[:, :1])


# -- geometry: each set's labels follow the shape it is named after ---------------------------
def _linear_accuracy(X, Y) -> float:
    """Training accuracy of the best least-squares line: what logistic regression can reach."""
    A = np.vstack([X, np.ones((1, X.shape[1]))]).T
    w = np.linalg.lstsq(A, 2 * Y[0] - 1, rcond=None)[0]
    return float(np.mean((A @ w > 0) == (Y[0] > 0.5)))


def _neighbour_accuracy(X, Y, k: int = 5) -> float:
    """Leave-one-out k-nearest-neighbour accuracy: near 0.5 if the labels ignore the points."""
    distances = ((X[:, :, None] - X[:, None, :]) ** 2).sum(axis=0)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argsort(distances, axis=1)[:, :k]
    return float(np.mean((Y[0][nearest].mean(axis=1) > 0.5) == (Y[0] > 0.5)))


@pytest.fixture(scope="module")
def week2_network():
    from autograder.solution_code import solution_namespace

    ns = solution_namespace("week2")

    def accuracy(X, Y, n_h, num_iterations):
        parameters = ns["nn_model"](X, Y, n_h, num_iterations=num_iterations)
        return float(np.mean(ns["predict"](parameters, X) == (Y > 0.5)))
    return accuracy


# (least and most a straight line reaches, the hidden layer's size and iterations, the least
# the week 2 network reaches): a line fails where the set needs a hidden layer
GEOMETRY = {
    "blobs": (0.95, 1.0, 4, 1000, 0.95),
    "moons": (0.8, 0.93, 10, 2000, 0.95),
    "circles": (0.0, 0.6, 10, 2000, 0.95),
    "xor": (0.0, 0.6, 10, 2000, 0.95),
    "flower": (0.0, 0.6, 10, 2000, 0.88),
    "spirals": (0.0, 0.65, 20, 3000, 0.95),
}


def test_every_data_set_has_a_geometry_test():
    assert sorted(GEOMETRY) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_labels_follow_the_geometry_a_line_or_a_hidden_layer_separates(name, week2_network):
    low, high, n_h, iterations, network = GEOMETRY[name]
    X, Y = DATASETS[name](m=400, noise=0.2, seed=1)
    assert _neighbour_accuracy(X, Y) > 0.85, "the labels do not follow the points"
    assert low <= _linear_accuracy(X, Y) <= high
    assert week2_network(X, Y, n_h, iterations) >= network
    shuffled = np.random.default_rng(0).permutation(Y[0])[None]
    assert _neighbour_accuracy(X, shuffled) < 0.65, "the measure itself must see lost labels"


def test_circles_put_class_1_inside_and_xor_labels_opposite_signs():
    X, Y = DATASETS["circles"](m=400, noise=0.0)
    radius = np.linalg.norm(X, axis=0)
    assert np.allclose(radius[Y[0] == 0], 3.0) and np.allclose(radius[Y[0] == 1], 1.5)
    X, Y = DATASETS["xor"](m=400, noise=0.0)
    assert np.array_equal(Y[0] == 1, X[0] * X[1] < 0)
