"""Week 6 (sequence models): the notebook's run time, the character model's training speed
against the given forward and backward passes alone, the explorers' redraw latency, the
long-memory experiment's time, and one batched forward+backward against a loop of single
sequences for the RNN, GRU and LSTM."""

from __future__ import annotations

import contextlib
import io
import statistics

import numpy as np

from .common import Row, call_times, figures_row, progress, seconds, timed, timing_row
from .explorer_latency import TARGET, default_moves, moves
from .notebooks import notebook_rows
from .week3 import blas

NOTEBOOK_TARGET = 60.0  # seconds, top to bottom, training included (as week 5's, the longest)
NOTEBOOK_ITERATIONS = 20_000  # the notebook's training run (section 4)
N_A = 50  # the notebook's hidden units
COMPARE_STEPS = {"the notebook": 400, "as the autograder": 40}  # 400 // SCALE
BATCH = {"m": 64, "T": 50, "n_x": 4, "n_a": 16}  # the long-memory experiment's batches
NAMES_TYPED = ["maria", "christopher", "bob", "zoe", "alexandrina", "li"]


def solution():
    from autograder.solution_code import solution_namespace

    return solution_namespace("week6")


def names():
    from course_utils.data import load_names

    return load_names()[0]


def train(ns, train_names, num_iterations):
    """The solution's `model` as the notebook calls it (3 names printed every 2,000 steps)."""
    from course_utils.sequences import char_to_ix, ix_to_char

    with contextlib.redirect_stdout(io.StringIO()):
        return ns["model"](train_names, ix_to_char, char_to_ix, num_iterations, N_A, 3)


def given_pass(train_names):
    """One pass over the names with the given code alone (char_rnn_forward, char_rnn_backward,
    update_char_parameters), no clip, no sampling: the reference the model's rate is set
    against."""
    from course_utils.char_model import (
        char_rnn_backward,
        char_rnn_forward,
        initialize_char_parameters,
        update_char_parameters,
    )
    from course_utils.sequences import char_to_ix

    parameters = initialize_char_parameters(N_A, 27, 27)
    a_prev = np.zeros((N_A, 1))
    for name in train_names:
        X = [None] + [char_to_ix[ch] for ch in name]
        Y = X[1:] + [char_to_ix["\n"]]
        _, cache = char_rnn_forward(X, Y, a_prev, parameters)
        gradients, a = char_rnn_backward(X, Y, parameters, cache)
        update_char_parameters(parameters, gradients, 0.01)
        a_prev = a[len(X) - 1]


def char_model_rows(repeat: int) -> tuple[list[Row], dict]:
    """Characters per second of the solution's `model` over one pass of the training names
    (exactly len(name) + 1 characters each), against the given passes alone, interleaved;
    returns the rows and the trained parameters (for the explorers)."""
    progress("week 6: character model training speed")
    ns, train_names = solution(), names()
    characters = sum(len(name.strip()) + 1 for name in train_names)
    model_times, given_times, parameters = [], [], None
    for _ in range(repeat):
        (parameters, _), took = timed(train, ns, train_names, len(train_names))
        model_times.append(took)
        given_times.append(timed(given_pass, train_names)[1])
    rate = characters / statistics.median(model_times)
    given = characters / statistics.median(given_times)
    notebook = NOTEBOOK_ITERATIONS * characters / len(train_names) / rate
    return [
        Row(f"character model training (model + optimize + clip + sample, n_a = {N_A})",
            f"{rate:,.0f} characters/s",
            details=f"one pass over the {len(train_names):,} training names ({characters:,} "
                    f"characters) in {seconds(statistics.median(model_times))}, median of "
                    f"{repeat}; the notebook's {NOTEBOOK_ITERATIONS:,} iterations ≈ "
                    f"{seconds(notebook)}; {blas()}"),
        Row("character model training against the given forward, backward and update alone",
            f"{rate / given:.0%} of their rate",
            details=f"given code alone {given:,.0f} characters/s "
                    f"({seconds(statistics.median(given_times))} per pass); the difference: clip, "
                    "the loop and sampling 3 names every 2,000 steps"),
    ], parameters


def explorer_row(name: str, runs, what: str, worst_of=None) -> Row:
    """A row of the runs' times from the change to the final frame, against TARGET; a run that
    did not end "done" (the explorer refused or failed) fails the target, however fast."""
    computing = statistics.median(r.train_seconds for r in runs)
    drawing = statistics.median(r.draw_seconds for r in runs)
    details = f"{len(runs)} {what}; computing {seconds(computing)}, drawing {seconds(drawing)}"
    if worst_of is not None:
        worst = max(range(len(runs)), key=lambda k: runs[k].seconds)
        details += f"; worst {seconds(runs[worst].seconds)} at {worst_of[worst]}"
    row = timing_row(name, [run.seconds for run in runs], TARGET, details)
    failed = [run for run in runs if run.state != "done"]
    if failed:
        row.met = False
        row.details = f"ERROR {len(failed)} runs {failed[0].state}: {failed[0].message}; " + \
            row.details
    return row


def explorer_rows(repeat: int, parameters: dict) -> list[Row]:
    """Each explorer on the solution's functions and the model trained above: each control one
    step from the default and back (a redraw each), and a few other settings there and back."""
    from course_utils import long_memory as lm
    from course_utils.widgets.hidden_state import HiddenStateViewer
    from course_utils.widgets.memory import GradientExplorer
    from course_utils.widgets.names import NamesGenerator

    progress("week 6: explorer redraws")
    ns, train_names = solution(), names()
    functions = [ns[f"{kind}_{role}"] for kind in lm.KINDS for role in ("forward", "backward")]
    rows = []

    generator = NamesGenerator(ns["sample"], parameters, train_names)
    moves(generator, [{}])  # a first run: cold matplotlib, fonts, caches
    rows.append(explorer_row("names generator: slider move at the default, to the new frame",
                             default_moves(generator, repeat),
                             "moves of temperature and seed, one step each way"))
    hot = [{"temperature": 3.0}, {"temperature": 0.1}, {"seed": 100}]
    rows.append(explorer_row("names generator, other settings, to the new frame",
                             back_and_forth(generator, hot, repeat)[::2], "moves",
                             [s for s in hot for _ in range(repeat)]))

    viewer = HiddenStateViewer(parameters)
    moves(viewer, [{}])
    typed = [{"name": name} for name in NAMES_TYPED]
    rows.append(explorer_row("hidden-state viewer: a name typed (Enter), to the new frame",
                             back_and_forth(viewer, typed, repeat),
                             f"names typed ({', '.join(NAMES_TYPED)} and back to anna)"))

    explorer = GradientExplorer(*functions)
    moves(explorer, [{}])
    rows.append(explorer_row("gradient explorer: slider move at the default (T = 50), to the "
                             "new frame", default_moves(explorer, repeat),
                             "moves of T, gate bias and seed, one step each way"))
    far = [{"T": 100}, {"T": 100, "gate_bias": 0.0}]
    rows.append(explorer_row("gradient explorer at T = 100 (the slider's end), to the new frame",
                             back_and_forth(explorer, far, repeat)[::2], "moves",
                             [s for s in far for _ in range(repeat)]))
    return rows


def back_and_forth(explorer, settings: list[dict], repeat: int):
    """Every run of each setting applied from the default and undone, `repeat` times."""
    default = explorer.settings()
    return moves(explorer, [change for values in settings for _ in range(repeat)
                            for change in (values, {key: default[key] for key in values})])


def compare_rows(repeat: int) -> list[Row]:
    """long_memory.compare on the solution's six functions, as section 7 calls it (T = 50)."""
    from course_utils import long_memory as lm

    ns = solution()
    functions = {kind: (ns[f"{kind}_forward"], ns[f"{kind}_backward"]) for kind in lm.KINDS}
    rows = []
    for where, steps in COMPARE_STEPS.items():
        progress(f"week 6: long_memory.compare, {steps} steps")
        totals, per_kind = [], {kind: [] for kind in lm.KINDS}
        for _ in range(repeat):
            runs, took = timed(lm.compare, functions, T=50, steps=steps, seed=0, progress=False)
            totals.append(took)
            for kind, run in runs.items():
                per_kind[kind].append(run.seconds)
        kinds = ", ".join(f"{kind.upper()} {seconds(statistics.median(t))} "
                          f"({seconds(statistics.median(t) / steps)} a step)"
                          for kind, t in per_kind.items())
        accuracy = ", ".join(f"{kind.upper()} {run.accuracy:.0%}" for kind, run in runs.items())
        rows.append(timing_row(f"long_memory.compare, T = 50, {steps} steps ({where})", totals,
                               details=f"{kinds}; held-out accuracy {accuracy}"))
    return rows


def batch_inputs(kind: str, m: int, seed: int = 0):
    from course_utils import long_memory as lm

    T, n_x, n_a = BATCH["T"], BATCH["n_x"], BATCH["n_a"]
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_x, m, T))
    a0 = rng.normal(size=(n_a, m))
    da = rng.normal(size=(n_a, m, T))
    return x, a0, da, lm.initial_parameters(kind, n_a, seed)


def forward_backward(forward, backward, x, a0, da, parameters):
    out = forward(x, a0, parameters)
    return out[0], backward(da, out[-1])


def batched_against_loop(forward, backward, x, a0, da, parameters):
    """Two functions of no arguments, the batch in one call and one call per sequence, after
    checking that they agree (a stacked, gradients summed over the sequences)."""
    m = x.shape[1]

    def batched():
        return forward_backward(forward, backward, x, a0, da, parameters)

    def loop():
        return [forward_backward(forward, backward, x[:, i:i + 1], a0[:, i:i + 1],
                                 da[:, i:i + 1], parameters) for i in range(m)]

    a, grads = batched()
    singles = loop()
    assert np.allclose(a, np.concatenate([s[0] for s in singles], axis=1))
    for key in grads:
        if key in ("dx", "da0"):
            stacked = np.concatenate([s[1][key] for s in singles], axis=1)
            assert np.allclose(grads[key], stacked), key
        else:
            assert np.allclose(grads[key], sum(s[1][key] for s in singles)), key
    return batched, loop


def batch_rows(repeat: int) -> list[Row]:
    """Forward+backward of a batch of m sequences in one call against m single-sequence calls,
    for each cell, the kinds interleaved."""
    from course_utils import long_memory as lm

    progress("week 6: batched forward+backward against a loop over the sequences")
    ns, m = solution(), BATCH["m"]
    pairs = {kind: batched_against_loop(ns[f"{kind}_forward"], ns[f"{kind}_backward"],
                                        *batch_inputs(kind, m)) for kind in lm.KINDS}
    times = {kind: ([], []) for kind in lm.KINDS}
    for _ in range(repeat):
        for kind, (batched, loop) in pairs.items():
            times[kind][0].extend(call_times(batched, 1))
            times[kind][1].extend(call_times(loop, 1))
    rows = []
    for kind, (batched, loop) in times.items():
        one, many = statistics.median(batched), statistics.median(loop)
        rows.append(Row(f"{kind}_forward + {kind}_backward, a batch of {m} in one call against "
                        f"{m} single-sequence calls (T = {BATCH['T']}, n_a = {BATCH['n_a']})",
                        f"{many / one:.0f}x faster",
                        details=f"batch {seconds(one)}, loop {seconds(many)}; median of "
                                f"{repeat}; checked to agree first"))
    return rows


def figure_rows(repeat: int) -> list[Row]:
    """Drawing each of the week's figures that take no data (built and rendered to PNG)."""
    from course_utils import diagrams_rnn

    names = ["unrolled_rnn", "rnn_cell", "lstm_cell", "gru_cell", "rnn_types",
             "bidirectional_and_deep", "sampling", "attention_idea", "gradient_paths"]
    return [figures_row("week 6", diagrams_rnn, names, repeat)]

def run(repeat: int) -> list[Row]:
    training, parameters = char_model_rows(repeat)
    return (notebook_rows("week6", repeat, NOTEBOOK_TARGET) + training
            + explorer_rows(repeat, parameters) + compare_rows(repeat) + batch_rows(repeat)
            + figure_rows(repeat))
