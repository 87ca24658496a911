"""Week 1 (logistic regression): notebook run time, slider latency, loop vs vectorized."""

from __future__ import annotations

import math
import statistics

import numpy as np

from .common import Row, call_times, progress, seconds, timing_row
from .explorer_latency import default_moves, latency_rows, moves
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 20.0  # seconds, whole notebook top to bottom
DEFAULT = {"learning_rate": 0.1, "num_iterations": 1000}  # the explorer's, in the notebook
FACTOR = 2  # the notebook's explorer trains on 14x14 thumbnails of the 28x28 pictures
SLOWEST = {"learning_rate": 1e-4, "num_iterations": 3000}


# --- 2. slider moves of the learning-rate explorer ---------------------------------------


def load_data(factor: int = 1):
    """The notebook's train and test data (fashion_shirts.h5), flattened; `factor` 2 gives its
    14x14 thumbnails."""
    from course_utils.data import downsample_images, flatten_images, load_dataset

    train_x_orig, train_y, test_x_orig, test_y, _ = load_dataset(name="fashion_shirts.h5")
    if factor > 1:
        train_x_orig = downsample_images(train_x_orig, factor)
        test_x_orig = downsample_images(test_x_orig, factor)
    return flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y


def slider_rows(repeat: int) -> list[Row]:
    """The explorer on the solution's functions and the notebook's 14x14 thumbnails, called as
    the notebook does (the step functions: chunked, cancellable, the slider target applies), and
    with model (one call a run, so its first frame waits for the whole training: no target)."""
    from autograder.solution_code import solution_namespace
    from course_utils.explore import LearningRateExplorer

    solution = solution_namespace("week1")
    data = load_data(factor=FACTOR)
    rows = []
    for name, functions in (("steps", ["initialize_with_zeros", "optimize", "predict"]),
                            ("model", ["model"])):
        progress(f"learning-rate explorer with {name}")
        explorer = LearningRateExplorer(*(solution[f] for f in functions), *data, **DEFAULT)
        label = f"week 1 explorer ({', '.join(functions)})"
        if name == "steps":
            rows += latency_rows(label, explorer, repeat, slow={"num_iterations": 3000},
                                 fast={"num_iterations": 1100})
        else:
            moves(explorer, [{}])  # a first run: cold caches
            runs = default_moves(explorer, repeat)
            rows.append(timing_row(f"{label}, not the notebook's call: slider move at the "
                                   "default, to its one frame", [run.seconds for run in runs],
                                   details="model trains all its iterations before it returns"))
        slowest = moves(explorer, [SLOWEST] * repeat)
        rows.append(timing_row(f"week 1 explorer ({name}), slowest setting, to the final frame",
                               [run.seconds for run in slowest],
                               details=f"{SLOWEST}; first frame after "
                                       f"{seconds(slowest[-1].first_frame - slowest[-1].created)}"))
    return rows


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
