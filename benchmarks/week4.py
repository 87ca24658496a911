"""Week 4 (practical aspects): notebook run time, the regularization explorer's and the
optimizer race's slider latency, and mini-batch training throughput on fashion10.h5."""

from __future__ import annotations

import ast
import contextlib
import io
import statistics

from .common import Row, call_times, progress, seconds, timing_row
from .explorer_latency import latency_rows, there_and_back
from .notebooks import notebook_rows
from .week3 import blas

NOTEBOOK_TARGET = 45.0  # seconds, whole notebook top to bottom (issue 11)

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
LAYERS = [784, 128, 64, 10]  # the notebook's softmax network (section 7)
BATCH_SIZES = (32, 64, 128, 512)  # against the full batch: the notebook's 10,000 training photos
LEARNING_RATE = 0.001  # the notebook's Adam learning rate


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
    runs = there_and_back(rx, SETTINGS, repeat)
    worst = max(range(len(runs)), key=lambda k: runs[k].seconds)
    return rows + [
        timing_row("regularization explorer, other settings, to the first new frame",
                   [run.first_frame - run.created for run in runs], 0.2),
        timing_row("regularization explorer, other settings, to the final frame",
                   [run.seconds for run in runs],
                   details=f"worst {seconds(runs[worst].seconds)} at "
                           f"{SETTINGS[worst // repeat]}"),
    ]


def race_rows(repeat: int) -> list[Row]:
    """Slider moves of the optimizer race on the solution's seven optimizer functions."""
    from autograder.solution_code import solution_namespace
    from course_utils.widgets.optimizer_race import FUNCTIONS, OPTIMIZERS, OptimizerRace

    progress("optimizer race: slider moves at the default")
    solution = solution_namespace("week4")
    race = OptimizerRace(*(solution[name] for name in FUNCTIONS))
    sliders = [name for name in race.controls if name not in {o.key for o in OPTIMIZERS}]
    return latency_rows("optimizer race", race, repeat, slow={"num_iterations": 1000},
                        fast={"num_iterations": 100, "learning_rate": 0.05}, names=sliders)


def section7_cells() -> list[str]:
    """The code cells of the week 4 source notebook's section 7 (softmax, Fashion-MNIST)."""
    import nbformat

    from autograder.solution_code import source_notebook

    cells = nbformat.read(source_notebook("week4"), as_version=4).cells
    headings = [i for i, cell in enumerate(cells)
                if cell.cell_type == "markdown" and cell.source.startswith("## ")]
    first = next(i for i in headings if cells[i].source.startswith("## 7"))
    last = next((i for i in headings if i > first), len(cells))
    return [cell.source for cell in cells[first:last] if cell.cell_type == "code"]


def top_level_names(tree: ast.Module) -> set[str]:
    """The names that a cell's top-level statements define or assign."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        for target in getattr(node, "targets", []):
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def notebook_network() -> dict:
    """The solution's functions plus section 7's data and network code, taken from the notebook:
    the cell that loads fashion10.h5 and splits it (X_train_f, normalize) runs as it is; of the
    cell that defines the network only its function definitions run (not its 6-epoch training)."""
    import matplotlib.pyplot as plt

    from autograder.solution_code import solution_namespace

    namespace = solution_namespace("week4")
    trees = [ast.parse(source) for source in section7_cells()]
    data = next(tree for tree in trees if {"X_train_f", "normalize"} <= top_level_names(tree))
    network = next(tree for tree in trees if "network_forward" in top_level_names(tree))
    definitions = ast.Module([node for node in network.body if isinstance(node, ast.FunctionDef)],
                             type_ignores=[])
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(data, "<week4 section 7: data>", "exec"), namespace)
        exec(compile(definitions, "<week4 section 7: network>", "exec"), namespace)
    plt.close("all")  # the data cell's picture grid
    return namespace


def training_step(nb: dict, X, Y):
    """One step of the notebook's training loop (`train_network`) as a function of no arguments:
    batch-norm forward with batch statistics, softmax cost, backward, Adam for the weights and
    for gamma and beta, from the notebook's initial network; nothing it starts from changes."""
    parameters, norm_parameters = nb["initialize_network"](LAYERS)
    v, s = nb["initialize_adam"](parameters)
    norm_v, norm_s = nb["initialize_adam"](norm_parameters)

    def step():
        AL, caches = nb["network_forward"](X, parameters, norm_parameters, True, {})
        nb["compute_cost_softmax"](AL, Y)
        grads, norm_grads = nb["network_backward"](AL, Y, parameters, caches)
        nb["update_parameters_with_adam"](parameters, grads, v, s, 1, LEARNING_RATE)
        nb["update_parameters_with_adam"](norm_parameters, norm_grads, norm_v, norm_s, 1,
                                          LEARNING_RATE)

    return step


def throughput_rows(repeat: int) -> list[Row]:
    """Examples per second of one training step at each mini-batch size, as ratios against the
    full batch measured in the same run (sizes interleaved, so load changes hit all alike)."""
    progress("softmax network: mini-batch throughput on fashion10.h5")
    nb = notebook_network()
    X, Y = nb["normalize"](nb["X_train_f"]), nb["one_hot"](nb["Y_train_f"], LAYERS[-1])
    m = X.shape[1]
    steps = {size: training_step(nb, *nb["random_mini_batches"](X, Y, size, seed=0)[0])
             for size in BATCH_SIZES}
    steps[m] = training_step(nb, X, Y)
    times = {size: [] for size in steps}
    for _ in range(repeat):
        for size, step in steps.items():
            times[size] += call_times(step, 1)
    rates = {size: size / statistics.median(times[size]) for size in steps}
    rows = []
    for size in steps:
        name = "full batch" if size == m else f"mini-batch {size}"
        epoch = m / rates[size]
        rows.append(Row(f"softmax {'-'.join(map(str, LAYERS))} training step, {name}",
                        f"{rates[size] / rates[m]:.2f}x full batch",
                        details=f"{rates[size]:,.0f} examples/s; step "
                                f"{seconds(statistics.median(times[size]))} (median of "
                                f"{repeat}), epoch of {m:,} ≈ {seconds(epoch)}; {blas()}"))
    return rows


def run(repeat: int) -> list[Row]:
    return (notebook_rows("week4", repeat, NOTEBOOK_TARGET) + explorer_rows(repeat)
            + race_rows(repeat) + throughput_rows(repeat))
