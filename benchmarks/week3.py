"""Week 3 (deep network): notebook run time, depth explorer slider latency, training speed."""

from __future__ import annotations

import os
import statistics

from .common import Row, progress, timed, timing_row
from .explorer_latency import latency_rows, there_and_back
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 30.0  # seconds, whole notebook top to bottom
SETTINGS = [  # one move each from the default (flower, 5 relu layers of 10, scale 0.316)
    {"init_scale": 0.01},  # vanishing
    {"init_scale": 3.0},  # exploding: stops at iteration 0
    {"activation": "sigmoid"},
    {"activation": "tanh", "learning_rate": 10.0},  # diverges
    {"dataset": "spirals"},
    {"depth": 10},
    {"width": 50},
    {"num_iterations": 1000},
    {"depth": 10, "width": 50},  # the largest network
]
LAYERS = (20, 7, 5, 1)  # the 4-layer model of the notebook, after n_x
ITERATIONS = {4: 300, 1: 60}  # training iterations per downsampling factor (7x7, 28x28)
DATASET = "fashion_shirts.h5"  # the notebook's application: 2,000 training pictures, 28x28x1


def reference_explorer():
    """The depth explorer on the solution's functions (as a learner who finished week 3 has it)."""
    from autograder.solution_code import solution_namespace
    from course_utils.depth_explorer import FUNCTIONS, DepthExplorer

    solution = solution_namespace("week3")
    return DepthExplorer(*(solution[name] for name in FUNCTIONS))


def blas() -> str:
    return f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"


def explorer_rows(repeat: int) -> list[Row]:
    progress("depth explorer: slider moves at the default")
    dx = reference_explorer()
    rows = latency_rows("depth explorer", dx, repeat, slow={"num_iterations": 3000},
                        fast={"num_iterations": 500})
    rows[1].details += f"; {blas()}"
    progress("depth explorer: other settings")
    runs = there_and_back(dx, SETTINGS, repeat)
    by_setting: dict[str, list[float]] = {}
    for k, run in enumerate(runs):
        by_setting.setdefault(str(SETTINGS[k // repeat]), []).append(run.seconds)
    slowest = max(by_setting, key=lambda key: statistics.median(by_setting[key]))
    return rows + [
        timing_row("depth explorer, other settings, to the first new frame",
                   [run.first_frame - run.created for run in runs]),
        timing_row("depth explorer, other settings, to the final frame",
                   [run.seconds for run in runs], details=f"{len(SETTINGS)} settings"),
        timing_row(f"depth explorer, slowest setting {slowest}, to the final frame",
                   by_setting[slowest]),
    ]


def load_flat(factor: int):
    """Flattened training pictures of the notebook's data set, downsampled by `factor`
    (4: 7x7, n_x = 49, as in the notebook; 1: the full 28x28, n_x = 784)."""
    from course_utils.data import downsample_images, flatten_images, load_dataset

    train_x, train_y, _, _, _ = load_dataset(name=DATASET)
    if factor > 1:
        train_x = downsample_images(train_x, factor)
    return flatten_images(train_x), train_y


def training_rows(repeat: int) -> list[Row]:
    from autograder.solution_code import solution_namespace

    L_layer_model = solution_namespace("week3")["L_layer_model"]
    rows = []
    for factor, iterations in ITERATIONS.items():
        X, Y = load_flat(factor)
        side = 28 // factor
        progress(f"L_layer_model throughput, {side}x{side}")
        dims = [X.shape[0], *LAYERS]
        rates = []
        for _ in range(repeat):
            _, elapsed = timed(L_layer_model, X, Y, dims, num_iterations=iterations)
            rates.append(X.shape[1] * iterations / elapsed)
        rate = statistics.median(rates)
        rows.append(Row(f"L_layer_model {dims} training, {side}x{side} pictures",
                        f"{rate:,.0f} examples/s",
                        details=f"m {X.shape[1]} x {iterations} iterations / seconds, median of "
                                f"{repeat} ({min(rates):,.0f} .. {max(rates):,.0f}); {blas()}"))
    return rows


def run(repeat: int) -> list[Row]:
    return (notebook_rows("week3", repeat, NOTEBOOK_TARGET) + explorer_rows(repeat)
            + training_rows(repeat))
