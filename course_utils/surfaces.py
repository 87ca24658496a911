"""Two-dimensional loss surfaces J(w1, w2) for the optimizer figures and the optimizer race.

Every surface is a pair of functions, the loss and its gradient, vectorized over points: `w` is
an array whose first axis holds (w1, w2), so one point is shape `(2,)` (the loss is then a
numpy float) and a grid is `(2, rows, cols)` (the loss is `(rows, cols)`, the gradient
`(2, rows, cols)`). `grid(surface, resolution)` evaluates a surface on its drawing extent for
contours. `SURFACES` lists each with a start that shows it off, its minimum and that extent.

- `ravine`: the lectures' elongated bowl, shallow along w1 and steep across it (w2), where plain
  gradient descent zig-zags across and momentum averages the zig-zag away;
- `rotated_ravine`: the same bowl turned by 30 degrees, so the steep direction mixes both
  coordinates: RMSprop and Adam, which rescale each coordinate, lose part of their edge;
- `curved_valley`: Rosenbrock's banana valley, a non-quadratic ravine that bends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "RAVINE_CURVATURES",
    "SURFACES",
    "Surface",
    "curved_valley",
    "curved_valley_grad",
    "grid",
    "ravine",
    "ravine_grad",
    "rotated_ravine",
    "rotated_ravine_grad",
]

RAVINE_CURVATURES = (0.04, 2.0)  # d2J/dw1^2 along the ravine, d2J/dw2^2 across it
ROTATION = np.pi / 6  # the rotated ravine's floor points 30 degrees above the w1 axis


def _points(w, name: str) -> np.ndarray:
    """`w` as a float array whose first axis is (w1, w2), or a ValueError naming `name`."""
    w = np.asarray(w, dtype=float)
    if w.ndim == 0 or w.shape[0] != 2:
        raise ValueError(f"{name}: w must hold (w1, w2) along its first axis, shape (2,) for a "
                         f"point or (2, rows, cols) for a grid; got shape {w.shape}.")
    return w


def ravine(w):
    """J(w) = (a w1^2 + b w2^2) / 2 with (a, b) = RAVINE_CURVATURES: minimum 0 at (0, 0).

    The steep direction (b = 2) limits gradient descent's learning rate to below 2 / b = 1;
    close to that limit w2 changes sign every step while w1 shrinks by only (1 - a * rate)."""
    w = _points(w, "ravine")
    a, b = RAVINE_CURVATURES
    return 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


def ravine_grad(w):
    """dJ/dw of `ravine`: (a w1, b w2), the shape of w."""
    w = _points(w, "ravine_grad")
    a, b = RAVINE_CURVATURES
    return np.stack([a * w[0], b * w[1]])


def _turn(w, angle: float) -> np.ndarray:
    """The points of w turned by `angle` (radians, counter-clockwise)."""
    cos, sin = np.cos(angle), np.sin(angle)
    return np.stack([cos * w[0] - sin * w[1], sin * w[0] + cos * w[1]])


def rotated_ravine(w):
    """`ravine` turned by 30 degrees about the origin: the same values along a slanted floor."""
    return ravine(_turn(_points(w, "rotated_ravine"), -ROTATION))


def rotated_ravine_grad(w):
    """dJ/dw of `rotated_ravine`: the ravine's gradient at the turned-back point, turned."""
    return _turn(ravine_grad(_turn(_points(w, "rotated_ravine_grad"), -ROTATION)), ROTATION)


def curved_valley(w):
    """Rosenbrock's valley, J(w) = (1 - w1)^2 + 10 (w2 - w1^2)^2: minimum 0 at (1, 1) at the end
    of a floor that bends along the parabola w2 = w1^2."""
    w = _points(w, "curved_valley")
    return (1.0 - w[0]) ** 2 + 10.0 * (w[1] - w[0] ** 2) ** 2


def curved_valley_grad(w):
    """dJ/dw of `curved_valley`."""
    w = _points(w, "curved_valley_grad")
    across = w[1] - w[0] ** 2
    return np.stack([-2.0 * (1.0 - w[0]) - 40.0 * w[0] * across, 20.0 * across])


@dataclass(frozen=True)
class Surface:
    """A loss, its gradient, a start that shows the surface off, its minimum, and the extent
    (w1_min, w1_max, w2_min, w2_max) a contour plot of it should cover."""

    name: str
    loss: Callable
    grad: Callable
    start: tuple[float, float]
    minimum: tuple[float, float]
    extent: tuple[float, float, float, float]


SURFACES = {
    "ravine": Surface("ravine", ravine, ravine_grad, start=(-9.0, 1.5), minimum=(0.0, 0.0),
                      extent=(-10.0, 2.0, -2.2, 2.2)),
    "rotated ravine": Surface("rotated ravine", rotated_ravine, rotated_ravine_grad,
                              start=(-8.5, -3.2), minimum=(0.0, 0.0),
                              extent=(-10.0, 3.0, -5.5, 3.0)),
    "curved valley": Surface("curved valley", curved_valley, curved_valley_grad,
                             start=(-1.5, 2.5), minimum=(1.0, 1.0),
                             extent=(-2.0, 2.0, -1.0, 3.5)),
}


def grid(surface: Surface, resolution: int = 200):
    """`W1, W2, J` on a `resolution` x `resolution` grid over the surface's extent."""
    w1_min, w1_max, w2_min, w2_max = surface.extent
    W1, W2 = np.meshgrid(np.linspace(w1_min, w1_max, resolution),
                         np.linspace(w2_min, w2_max, resolution))
    return W1, W2, surface.loss(np.stack([W1, W2]))
