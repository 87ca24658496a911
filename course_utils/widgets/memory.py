"""Week 6's gradient explorer: how much of the loss at the last step reaches each input x<t>,
at initialization, through the learner's own RNN, GRU and LSTM backward passes.

    gradient_explorer(rnn_forward, rnn_backward, gru_forward, gru_backward,
                      lstm_forward, lstm_backward)

Controls: the sequence length T (2..100), the gate bias (0..4: the LSTM's forget bias +b, the
GRU's update bias -b, "remember by default") and the seed. Panel: |dL/dx<t>| for t = 1..T on a
log scale, one line per cell (`long_memory.gradient_through_time` on a batch of m = 16
first-symbol sequences), and each cell's share |dL/dx<1>| / |dL/dx<T>|. A run is one step per
cell (num_iterations 3); a cell whose code fails is said, and the others are still drawn.
"""

from __future__ import annotations

import math

import numpy as np

from .. import long_memory as lm
from ..cnn import TrainingStopped
from ..learner_code import StopRun
from .base import Explorer
from .controls import slider
from .frame import plain

FLOOR = 1e-30  # a norm of exactly 0 (no gradient at all) is drawn at the bottom of the panel


def decades(values) -> tuple[float, float]:
    """Log-scale limits: the powers of ten around the finite values above 0 (one decade of room)."""
    values = np.asarray([v for v in np.ravel(values) if np.isfinite(v) and v > 0])
    if values.size == 0:
        return 1e-3, 1.0
    return 10.0 ** math.floor(math.log10(values.min())), 10.0 ** math.ceil(
        math.log10(values.max()) + 1e-9)


class GradientExplorer(Explorer):
    """The learner's six forward and backward functions (rnn, gru, lstm); settings: DEFAULTS."""

    NAME = "gradient_explorer"
    FUNCTIONS = tuple(f"{kind}_{role}" for kind in lm.KINDS for role in ("forward", "backward"))
    DEFAULTS = {"T": 50, "gate_bias": 3.0, "seed": 0, "m": 16, "n_a": 16,
                "num_iterations": len(lm.KINDS)}  # one step per cell
    COLUMNS = (("T", "gate_bias"), ("seed",))
    EXPLODED = None
    SIZE = (9.0, 3.6)
    BOXES = ([0.085, 0.14, 0.62, 0.74], [0.74, 0.14, 0.25, 0.74])

    def check_settings(self, values):
        lm.first_symbol_task(values["m"], values["T"], 0)  # T >= 2 and m >= 1, in words
        bias = values["gate_bias"]
        if isinstance(bias, bool) or not isinstance(bias, (int, float)) or not \
                math.isfinite(bias):
            raise ValueError(f"gate_bias must be a number (0 to 4), got {bias!r}.")

    def make_controls(self, v):
        return {"T": slider("length T", v["T"], 2, 100),
                "gate_bias": slider("gate bias", float(v["gate_bias"]), 0.0, 4.0, 0.25),
                "seed": slider("seed", v["seed"], 0, 20)}

    def start(self, run):
        s = run.settings
        run.work["data"] = lm.first_symbol_task(s["m"], s["T"], s["seed"])
        run.work["norms"], run.work["problems"] = {}, {}

    def step(self, run, i):
        s, kind = run.settings, lm.KINDS[i]
        parameters = lm.initial_parameters(kind, s["n_a"], s["seed"], s["gate_bias"])
        forward, backward = (self.functions[f"{kind}_{role}"] for role in ("forward", "backward"))
        try:
            run.work["norms"][kind] = lm.gradient_through_time(kind, forward, backward,
                                                               parameters, *run.work["data"])
        except TrainingStopped as stopped:
            run.work["problems"][kind] = str(stopped).replace("run this again",
                                                              "move a slider again")
        return i + 1

    def end(self, run):
        s, norms, problems = run.settings, run.work["norms"], run.work["problems"]
        shares = " &middot; ".join(f"{kind.upper()} {values[0] / values[-1]:.2g}"
                                   for kind, values in norms.items())
        said = f"T = {s['T']}, gate bias {s['gate_bias']:g}: |dL/dx<sub>1</sub>| / " \
               f"|dL/dx<sub>T</sub>| {shares}" if norms else ""
        if problems:
            raise StopRun("failed", "<br>".join([*problems.values()] + [said] * bool(said)))
        run.message = said

    def build(self, frame):
        ax, shares = frame.axes
        ax.set_yscale("log")
        ax.set(xlabel="time step t of the input", ylabel="|dL/dx<t>|")
        self.lines = {kind: frame.animate(ax.plot([], [], color=lm.KIND_COLORS[kind],
                                                  label=kind.upper())[0]) for kind in lm.KINDS}
        frame.animate(ax.legend(fontsize=8, loc="lower right"))
        self.title, self.panel_note = frame.title(ax), frame.note(ax, "#b00", 8)
        shares.set_axis_off()
        shares.set(xlim=(0, 1), ylim=(0, 1))
        shares.text(0, 0.97, "x<1> gets this share\nof x<T>'s gradient:", fontsize=9, va="top")
        self.shares = {kind: frame.animate(shares.text(0.05, 0.68 - 0.2 * k, "", fontsize=10,
                                                       color=lm.KIND_COLORS[kind]))
                       for k, kind in enumerate(lm.KINDS)}

    def draw(self, run):
        s, norms = run.settings, run.work.get("norms", {})
        for kind, line in self.lines.items():
            values = norms.get(kind)
            line.set_visible(values is not None)
            if values is not None:
                line.set_data(np.arange(1, values.size + 1), np.maximum(values, FLOOR))
            share = "not computed" if values is None else f"{values[0] / values[-1]:.2g}"
            self.shares[kind].set_text(f"{kind.upper()}: {share}")
        ax = self.frame.axes[0]
        ax.set(xlim=(1, s["T"]), ylim=decades(list(norms.values())))
        self.title.set_text(f"the gradient through time at initialization: T = {s['T']}, "
                            f"gate bias {s['gate_bias']:g}, m = {s['m']}, seed {s['seed']}")
        problems = run.work.get("problems", {})
        self.panel_note.set_text(plain(next(iter(problems.values()), "") if problems else
                                 self.problem(run), 60))


def gradient_explorer(rnn_forward, rnn_backward, gru_forward, gru_backward, lstm_forward,
                      lstm_backward, **defaults) -> GradientExplorer:
    """Shows the gradient explorer on the learner's six functions and returns it; `defaults`
    as in GradientExplorer.DEFAULTS (T, gate_bias, seed, m, n_a)."""
    return GradientExplorer(rnn_forward, rnn_backward, gru_forward, gru_backward, lstm_forward,
                            lstm_backward, **defaults).show()


__all__ = ["GradientExplorer", "gradient_explorer"]
