"""Seeded two-class 2-D data sets for the one-hidden-layer week and its playground.

Every generator is `make_<name>(m=400, noise=0.2, seed=1)` and returns `X` of shape `(2, m)`
(float64, examples are columns) and `Y` of shape `(1, m)` (0./1.), the first `m // 2` examples
of class 0. Each draws from its own `np.random.default_rng(seed)`, never the global random state,
so the learner's `np.random.seed` calls and these sets do not disturb each other. `noise` is a
relative amount: 0 gives clean sets, 0.2 the lectures' look, 1 a heavy overlap; each set maps it
to its own scale.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "DATASETS",
    "make_blobs",
    "make_circles",
    "make_dataset",
    "make_flower",
    "make_moons",
    "make_spirals",
    "make_xor",
    "train_test_split",
]


def _start(m, noise, seed, name):
    """Checks the common arguments; returns (rng, labels as 0/1 ints of shape (m,))."""
    if isinstance(m, bool) or not isinstance(m, numbers.Integral):
        raise TypeError(f"{name}: m must be a whole number of points, got {m!r}: use e.g. m=400.")
    if m < 2:
        raise ValueError(f"{name}: m must be at least 2 (one point per class), got m={m}: "
                         "use e.g. m=400.")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not np.isfinite(noise):
        raise TypeError(f"{name}: noise must be a number, got {noise!r}: use e.g. noise=0.2.")
    if noise < 0:
        raise ValueError(f"{name}: noise must be 0 or more, got noise={noise}: use noise=0 for "
                         "clean points, 0.2 for the usual amount.")
    labels = (np.arange(int(m)) >= m // 2).astype(int)
    return np.random.default_rng(seed), labels


def _pack(x1, x2, labels):
    return np.vstack([x1, x2]).astype(np.float64), labels.astype(np.float64).reshape(1, -1)


def make_flower(m=400, noise=0.2, seed=1):
    """The lectures' "planar" flower: petals r = 4 sin(4t), class 0 on angles [0, pi), 1 on
    [pi, 2 pi), so the two classes alternate petal by petal. Noise jitters angle and radius."""
    rng, y = _start(m, noise, seed, "make_flower")
    t = (y + rng.random(y.size)) * np.pi + rng.normal(0.0, noise, y.size)
    r = 4.0 * np.sin(4.0 * t) + rng.normal(0.0, noise, y.size)
    return _pack(r * np.sin(t), r * np.cos(t), y)


def make_moons(m=400, noise=0.2, seed=1):
    """Two interleaving half circles (radius 2), Gaussian noise of std 2 * noise."""
    rng, y = _start(m, noise, seed, "make_moons")
    t = rng.random(y.size) * np.pi
    x1 = np.where(y == 0, np.cos(t), 1.0 - np.cos(t)) - 0.5
    x2 = np.where(y == 0, np.sin(t), 0.5 - np.sin(t)) - 0.25
    x1, x2 = (2.0 * v + rng.normal(0.0, 2.0 * noise, y.size) for v in (x1, x2))
    return _pack(x1, x2, y)


def make_circles(m=400, noise=0.2, seed=1):
    """Class 0 on a ring of radius 3, class 1 on a ring of radius 1.5; noise std 1.5 * noise."""
    rng, y = _start(m, noise, seed, "make_circles")
    t = rng.random(y.size) * 2.0 * np.pi
    r = np.where(y == 0, 3.0, 1.5)
    x1, x2 = (r * f(t) + rng.normal(0.0, 1.5 * noise, y.size) for f in (np.cos, np.sin))
    return _pack(x1, x2, y)


def make_xor(m=400, noise=0.2, seed=1):
    """Points in the four quadrants of [-3, 3]^2, away from the axes: class 1 where x1 and x2
    have opposite signs. Noise (std 1.5 * noise) is added after labelling."""
    rng, y = _start(m, noise, seed, "make_xor")
    s1 = rng.choice([-1.0, 1.0], size=y.size)
    s2 = np.where(y == 0, s1, -s1)
    x1, x2 = (s * (0.3 + 2.7 * rng.random(y.size)) + rng.normal(0.0, 1.5 * noise, y.size)
              for s in (s1, s2))
    return _pack(x1, x2, y)


def make_blobs(m=400, noise=0.2, seed=1):
    """Two Gaussian blobs centred at (-1.5, -1.5) and (1.5, 1.5), std 0.3 + 3 * noise."""
    rng, y = _start(m, noise, seed, "make_blobs")
    centre = np.where(y == 0, -1.5, 1.5)
    x1, x2 = (centre + rng.normal(0.0, 0.3 + 3.0 * noise, y.size) for _ in range(2))
    return _pack(x1, x2, y)


def make_spirals(m=400, noise=0.2, seed=1):
    """Two interleaved spirals of 1.75 turns out to radius 4 (the second turned by pi);
    noise std 0.75 * noise."""
    rng, y = _start(m, noise, seed, "make_spirals")
    u = rng.random(y.size)
    r = 0.3 + 3.7 * u
    t = 1.75 * 2.0 * np.pi * u + np.pi * y
    x1, x2 = (r * f(t) + rng.normal(0.0, 0.75 * noise, y.size) for f in (np.cos, np.sin))
    return _pack(x1, x2, y)


DATASETS = {
    "flower": make_flower,
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "blobs": make_blobs,
    "spirals": make_spirals,
}


def make_dataset(name="flower", m=400, noise=0.2, seed=1):
    """`DATASETS[name](m, noise, seed)`, or a ValueError that lists the valid names."""
    if name not in DATASETS:
        valid = ", ".join(repr(key) for key in DATASETS)
        raise ValueError(f"unknown data set {name!r}: choose one of {valid}.")
    return DATASETS[name](m=m, noise=noise, seed=seed)


def train_test_split(X, Y, test_ratio=0.2, seed=0):
    """Splits the columns of X, Y into `X_train, Y_train, X_test, Y_test`, seeded and stratified:
    each class keeps about `test_ratio` of its points for testing (at least one point in each
    part). The columns of each part are shuffled."""
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or Y.shape[0] != 1 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"train_test_split: X must be (n_x, m) and Y (1, m) with the same m, got "
                         f"X {X.shape} and Y {Y.shape}: examples are columns, so pass Y as "
                         "Y.reshape(1, -1).")
    m = X.shape[1]
    if m < 2:
        raise ValueError(f"train_test_split: needs at least 2 examples to have both a training "
                         f"and a test part, got m={m}.")
    if isinstance(test_ratio, bool) or not isinstance(test_ratio, numbers.Real) \
            or not 0 < test_ratio < 1:
        raise ValueError(f"train_test_split: test_ratio must be between 0 and 1 (both excluded), "
                         f"got {test_ratio!r}: e.g. test_ratio=0.2 keeps 20% of the points for "
                         "testing.")
    rng = np.random.default_rng(seed)
    labels = Y[0]
    in_test = np.zeros(m, dtype=bool)
    for value in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == value))
        in_test[members[:int(round(test_ratio * members.size))]] = True
    if in_test.all() or not in_test.any():  # tiny sets: keep one point on each side
        flip = rng.integers(m)
        in_test[:] = in_test.all()
        in_test[flip] = not in_test[flip]
    train = rng.permutation(np.flatnonzero(~in_test))
    test = rng.permutation(np.flatnonzero(in_test))
    return X[:, train], Y[:, train], X[:, test], Y[:, test]
