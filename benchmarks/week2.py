"""Week 2 (one hidden layer): notebook run time, Playground update latency, training speed."""

from __future__ import annotations

import contextlib
import io
import statistics

from .common import Row, progress, seconds, timing_row
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 20.0  # seconds, whole notebook top to bottom
DEFAULT_TARGET = 0.2  # seconds, retrain and redraw at the Playground's default setting
SETTINGS = [  # one control change each, from the default (flower, 4 tanh units, 1000 its)
    {"dataset": "spirals"},
    {"n_h": 20},
    {"activation": "relu"},
    {"learning_rate": 0.3},
    {"init_scale": 1.0},
    {"dataset": "circles", "noise": 0.4},
    {"num_iterations": 5000},
    {"n_h": 50, "num_iterations": 3000},
]


def reference_playground():
    """The Playground on the solution's functions (as a learner who finished week 2 has it)."""
    from autograder.solution_code import solution_namespace
    from course_utils.playground import FUNCTIONS, Playground

    solution = solution_namespace("week2")
    return Playground(*(solution[name] for name in FUNCTIONS))


def playground_rows(repeat: int) -> list[Row]:
    with contextlib.redirect_stdout(io.StringIO()):  # outside IPython, display() prints
        pg = reference_playground()
        pg.run()  # first draw: caches, fonts
        defaults = []
        for _ in range(max(repeat, 3)):
            defaults.append(pg.run())
        progress("Playground: several settings")
        moves = []
        for values in SETTINGS:
            pg.set(**values)
            moves.append((values, pg.last_run))
            pg.set(**{key: pg_default for key, pg_default in _defaults().items()
                      if key in values}, run=False)
    default_times = [run.seconds for run in defaults]
    rate = statistics.median(run.settings["num_iterations"] / run.train_seconds
                             for run in defaults)
    worst_values, worst = max(moves, key=lambda move: move[1].seconds)
    rows = [
        timing_row("Playground retrain + redraw, default setting", default_times, DEFAULT_TARGET,
                   f"{defaults[-1].redraws} frames per run"),
        timing_row("Playground retrain + redraw, other settings", [r.seconds for _, r in moves],
                   details=f"worst {seconds(worst.seconds)} at {worst_values}"),
        Row("training speed, default setting", f"{rate:,.0f} it/s",
            details="iterations per second of training alone (no drawing)"),
    ]
    return rows


def _defaults() -> dict:
    return {"dataset": "flower", "noise": 0.2, "n_h": 4, "activation": "tanh",
            "learning_rate": 1.2, "init_scale": 0.01, "num_iterations": 1000}


def run(repeat: int) -> list[Row]:
    return notebook_rows("week2", repeat, NOTEBOOK_TARGET) + playground_rows(repeat)
