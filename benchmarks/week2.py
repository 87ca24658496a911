"""Week 2 (one hidden layer): notebook run time, Playground slider latency, training speed."""

from __future__ import annotations

import statistics

from .common import Row, progress, seconds, timing_row
from .explorer_latency import latency_rows, moves, there_and_back
from .notebooks import notebook_rows

NOTEBOOK_TARGET = 20.0  # seconds, whole notebook top to bottom
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
    progress("Playground: slider moves at the default")
    pg = reference_playground()
    rows = latency_rows("Playground", pg, repeat, slow={"num_iterations": 5000},
                        fast={"num_iterations": 1100})
    progress("Playground: other settings")
    runs = there_and_back(pg, SETTINGS)
    default = pg.settings()
    worst = max(range(len(runs)), key=lambda k: runs[k].seconds)
    defaults = moves(pg, [{"seed": default["seed"]}] * max(repeat, 3))
    rate = statistics.median(r.settings["num_iterations"] / r.train_seconds for r in defaults)
    return rows + [
        timing_row("Playground, other settings, to the first new frame",
                   [run.first_frame - run.created for run in runs]),
        timing_row("Playground, other settings, to the final frame", [r.seconds for r in runs],
                   details=f"worst {seconds(runs[worst].seconds)} at {SETTINGS[worst]}"),
        Row("training speed, default setting", f"{rate:,.0f} it/s",
            details="iterations per second of training alone (no drawing)"),
    ]


def run(repeat: int) -> list[Row]:
    return notebook_rows("week2", repeat, NOTEBOOK_TARGET) + playground_rows(repeat)
