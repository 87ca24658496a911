"""Week 3 (deep network): notebook run time, depth explorer update latency, training speed."""

from __future__ import annotations

import contextlib
import io
import os
import statistics

from .common import Row, progress, seconds, timed, timing_row
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 30.0  # seconds, whole notebook top to bottom
DEFAULT_TARGET = 0.3  # seconds, retrain and redraw at the explorer's default setting
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
ITERATIONS = {4: 300, 1: 60}  # training iterations per downsampling factor (16x16, 64x64)


def reference_explorer():
    """The depth explorer on the solution's functions (as a learner who finished week 3 has it)."""
    from autograder.solution_code import solution_namespace
    from course_utils.depth_explorer import FUNCTIONS, DepthExplorer

    solution = solution_namespace("week3")
    return DepthExplorer(*(solution[name] for name in FUNCTIONS))


def blas() -> str:
    return f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"


def explorer_rows(repeat: int) -> list[Row]:
    progress("depth explorer: default setting")
    with contextlib.redirect_stdout(io.StringIO()):  # outside IPython, display() prints
        dx = reference_explorer()
        first = dx.run()  # cold matplotlib: fonts, caches
        defaults = [dx.run() for _ in range(max(repeat, 5))]
        progress("depth explorer: other settings")
        default = dx.settings()
        moves = []
        for values in SETTINGS:
            for _ in range(repeat):
                moves.append((values, dx.set(**values)))
                dx.set(run=False, **{key: default[key] for key in values})
    times = [run.seconds for run in defaults]
    by_setting: dict[str, list[float]] = {}
    for values, run in moves:
        by_setting.setdefault(str(values), []).append(run.seconds)
    slowest = max(by_setting, key=lambda key: statistics.median(by_setting[key]))
    worst_values, worst = max(moves, key=lambda move: move[1].seconds)
    split = (f"training {seconds(statistics.median(r.train_seconds for r in defaults))}, "
             f"drawing {seconds(statistics.median(r.draw_seconds for r in defaults))}")
    return [
        timing_row("depth explorer retrain + redraw, default setting", times, DEFAULT_TARGET,
                   f"{split}; {defaults[-1].settings['num_iterations']} iterations; first draw "
                   f"{seconds(first.seconds)}; {blas()}"),
        timing_row("depth explorer retrain + redraw, other settings",
                   [run.seconds for _, run in moves],
                   details=f"{len(SETTINGS)} settings; worst {seconds(worst.seconds)} at "
                           f"{worst_values}"),
        timing_row(f"depth explorer retrain + redraw, slowest setting {slowest}",
                   by_setting[slowest]),
    ]


def load_flat(factor: int):
    """Flattened training pictures, downsampled by `factor` (4: 16x16, 1: 64x64)."""
    from course_utils.data import downsample_images, flatten_images, load_dataset

    train_x, train_y, _, _, _ = load_dataset()
    if factor > 1:
        train_x = downsample_images(train_x, factor)
    return flatten_images(train_x), train_y


def training_rows(repeat: int) -> list[Row]:
    from autograder.solution_code import solution_namespace

    L_layer_model = solution_namespace("week3")["L_layer_model"]
    rows = []
    for factor, iterations in ITERATIONS.items():
        X, Y = load_flat(factor)
        side = 64 // factor
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
