"""Week 1 (logistic regression): notebook run time, slider latency, loop vs vectorized."""

from __future__ import annotations

import contextlib
import io
import math
import statistics

import numpy as np

from .common import Row, call_times, progress, seconds, timed, timing_row
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 20.0  # seconds, whole notebook top to bottom
SLIDER_TARGET = 0.3  # seconds, one slider update at the default setting
DEFAULT = (0.005, 1000)  # the explorer's learning rate and iterations in the notebook
LEARNING_RATES = (1e-4, 1e-3, 0.005, 0.05, 1.0)
ITERATIONS = (100, 1000, 3000)


# --- 2. one slider update of the learning-rate explorer ---------------------------------


def load_data(factor: int = 1):
    """The notebook's train and test data, flattened; `factor` 4 gives its 16x16 thumbnails."""
    from course_utils.data import downsample_images, flatten_images, load_dataset

    train_x_orig, train_y, test_x_orig, test_y, _ = load_dataset()
    if factor > 1:
        train_x_orig = downsample_images(train_x_orig, factor)
        test_x_orig = downsample_images(test_x_orig, factor)
    return flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y


def slider_moves(explorer, repeat: int) -> list[tuple[tuple[float, int], float]]:
    """Walks the sliders over LEARNING_RATES x ITERATIONS `repeat` times, one slider move at a
    time (each redraws synchronously); returns ((learning rate, iterations), seconds) per move.
    Every sweep passes through the default setting once."""
    moves = []
    for _ in range(repeat):
        for lr in LEARNING_RATES:
            steps = [(explorer.learning_rate, lr)] + [(explorer.iterations, n) for n in ITERATIONS]
            for slider, value in steps:
                if slider.value == value:
                    continue  # an unchanged value would not redraw
                before = explorer.figure.updates
                _, elapsed = timed(setattr, slider, "value", value)
                assert explorer.figure.updates == before + 1, "the slider move did not redraw"
                moves.append(((explorer.learning_rate.value, explorer.iterations.value), elapsed))
    return moves


def slider_rows(repeat: int) -> list[Row]:
    from autograder.solution_code import solution_namespace
    from course_utils.explore import LearningRateExplorer

    progress("slider updates of the learning-rate explorer")
    model = solution_namespace("week1")["model"]
    lr, n = DEFAULT
    explorer = LearningRateExplorer(model, *load_data(factor=4), learning_rate=lr,
                                    num_iterations=n)
    # Outside IPython, display() prints the image's repr: keep it off the table.
    with contextlib.redirect_stdout(io.StringIO()):
        _, first = timed(explorer.redraw)  # what show() draws first (cold matplotlib)
        moves = slider_moves(explorer, repeat)

    by_setting: dict[tuple[float, int], list[float]] = {}
    for setting, elapsed in moves:
        by_setting.setdefault(setting, []).append(elapsed)
    slowest = max(by_setting, key=lambda s: statistics.median(by_setting[s]))
    worst_setting, worst_move = max(moves, key=lambda move: move[1])

    def name(setting):
        return f"lr {setting[0]:g}, {setting[1]} iterations"

    return [
        timing_row(f"slider update at the default ({name(DEFAULT)})", by_setting[DEFAULT],
                   SLIDER_TARGET),
        timing_row(f"slider update, any setting ({len(by_setting)} settings)",
                   [elapsed for _, elapsed in moves],
                   details=f"worst move {seconds(worst_move)} at {name(worst_setting)}; "
                           f"first draw {seconds(first)}"),
        timing_row(f"slider update, slowest setting ({name(slowest)})", by_setting[slowest]),
    ]


# --- 3. loop versus vectorized propagate -------------------------------------------------


def propagate_loop(w, b, X, Y):
    """propagate (same contract as the notebook's) computed one training example at a time."""
    n_x, m = X.shape
    dw = np.zeros((n_x, 1))
    db = 0.0
    cost = 0.0
    for i in range(m):
        x, y = X[:, i], Y[0, i]
        a = 1 / (1 + math.exp(-(np.dot(w[:, 0], x) + b)))
        cost -= y * math.log(a) + (1 - y) * math.log(1 - a)
        dw[:, 0] += (a - y) * x
        db += a - y
    return {"dw": dw / m, "db": db / m}, cost / m


def propagate_rows(repeat: int) -> list[Row]:
    from autograder.solution_code import solution_namespace

    progress("loop versus vectorized propagate")
    propagate = solution_namespace("week1")["propagate"]
    X, Y, _, _ = load_data()
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=(X.shape[0], 1)) * 0.01, 0.1

    (grads, cost), (loop_grads, loop_cost) = propagate(w, b, X, Y), propagate_loop(w, b, X, Y)
    np.testing.assert_allclose(loop_grads["dw"], grads["dw"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(loop_grads["db"], grads["db"], rtol=1e-9)
    np.testing.assert_allclose(loop_cost, cost, rtol=1e-9)

    loop = call_times(lambda: propagate_loop(w, b, X, Y), repeat)
    vectorized = call_times(lambda: propagate(w, b, X, Y), repeat)
    ratio = statistics.median(loop) / statistics.median(vectorized)
    shape = f"X {X.shape[0]} x {X.shape[1]}"
    return [
        timing_row("propagate, loop over examples", loop, details=shape),
        timing_row("propagate, vectorized (reference)", vectorized, details=shape),
        Row("propagate speed-up, loop / vectorized", f"{ratio:.1f}x",
            details="same data, same run; results agree"),
    ]


def run(repeat: int) -> list[Row]:
    return (notebook_rows("week1", repeat, NOTEBOOK_TARGET) + slider_rows(repeat)
            + propagate_rows(repeat))
