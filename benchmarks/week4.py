"""Week 4 (practical aspects): regularization explorer slider latency on the solution's code."""

from __future__ import annotations

from .common import Row, progress, seconds, timing_row
from .explorer_latency import latency_rows, moves

SETTINGS = [  # one move each from the default (moons, 80 points, 50 units, 2000 iterations)
    {"lambd": 1.0},
    {"keep_prob": 0.7},  # the learner's dropout forward and backward at every step
    {"initialization": "zeros"},
    {"initialization": "random ×10"},  # stops at iteration 0
    {"learning_rate": 10.0},  # diverges
    {"dataset": "flower"},
    {"m": 400},
    {"n_h": 100, "num_iterations": 5000},  # the largest network, the longest run
]


def reference_explorer():
    """The explorer on the solution's functions (as a learner who finished section 3 has it)."""
    from autograder.solution_code import solution_namespace
    from course_utils.widgets.regularization import (
        FUNCTIONS,
        OPTIONAL,
        RegularizationExplorer,
    )

    solution = solution_namespace("week4")
    return RegularizationExplorer(*(solution[name] for name in FUNCTIONS + OPTIONAL))


def explorer_rows(repeat: int) -> list[Row]:
    progress("regularization explorer: slider moves at the default")
    rx = reference_explorer()
    rows = latency_rows("regularization explorer", rx, repeat, slow={"num_iterations": 5000},
                        fast={"num_iterations": 500})
    progress("regularization explorer: other settings")
    default = rx.settings()
    runs = moves(rx, [change for values in SETTINGS for _ in range(repeat)
                      for change in (values, {key: default[key] for key in values})])[::2]
    worst = max(range(len(runs)), key=lambda k: runs[k].seconds)
    return rows + [
        timing_row("regularization explorer, other settings, to the first new frame",
                   [run.first_frame - run.created for run in runs], 0.2),
        timing_row("regularization explorer, other settings, to the final frame",
                   [run.seconds for run in runs],
                   details=f"worst {seconds(runs[worst].seconds)} at "
                           f"{SETTINGS[worst // repeat]}"),
    ]


def run(repeat: int) -> list[Row]:
    return explorer_rows(repeat)
