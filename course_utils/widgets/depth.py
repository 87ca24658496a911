"""Week 3's depth explorer: vanishing and exploding gradients, on the learner's own functions.

    dx = depth_explorer(initialize_parameters_deep, L_model_forward, compute_cost,
                        L_model_backward, update_parameters)

trains `depth` hidden layers of `width` units on a planar data set and draws the boundary, the
cost, and per layer the spread of A[l] and dW[l] at init (solid) and after training (dashed);
the status line says what the init scale does to them (`depth_diagnosis`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..layer_activations import HIDDEN_ACTIVATIONS
from ..learner_code import Columns, Parts
from ..planar import DATASETS
from .base import Keyword, PlanarExplorer, Run
from .controls import choice, log_slider, slider
from .depth_diagnosis import dead_layer, diagnose, gradient_note, layer_spreads, smaller_scale
from .frame import TITLE, CostPanel, MapPanel
from .training import accuracy, learning_rate_warning

FUNCTIONS = ("initialize_parameters_deep", "L_model_forward", "compute_cost",
             "L_model_backward", "update_parameters")
GRID = 40  # the decision boundary is evaluated on GRID x GRID points
# per spread panel: what it shows, its colour and the least its log axis spans (the healthy range)
SPREADS = {"A": ("activations A", "#2166ac", (1e-2, 1e1)),
           "dW": ("gradients dW", "#c0392b", (1e-4, 1e-1))}
WHEN = (("init", "o-", 1.0, "at init"), ("end", "s--", 0.55, "after training"))  # the lines


@dataclass
class DepthRun(Run):
    """`spreads["init"]`, `spreads["end"]`: per layer l = 1..L the standard deviation of A[l]
    ("A") and of dW[l] ("dW"); `weight_change[l-1]`: |W[l] after - before| / |W[l] before|;
    `diagnosis` of the network at init: "vanishing", "exploding", "dead" or None (healthy)."""

    spreads: dict = field(default_factory=dict)
    weight_change: list = field(default_factory=list)
    diagnosis: str | None = None

    @property
    def gradient_ratio(self) -> float | None:
        dW = self.spreads.get("init", {}).get("dW")
        return dW[0] / dW[-1] if dW and dW[-1] else None


def _caches_problem(caches, L: int, m: int) -> str | None:
    """Words for a list of caches that is not L_model_forward's, or None."""
    if not isinstance(caches, (list, tuple)) or len(caches) != L:
        count = len(caches) if isinstance(caches, (list, tuple)) else "no list of"
        return (f"returned {count} caches for {L} layers: append one cache per layer to a "
                "list, the output layer's too.")
    try:
        columns = {np.shape(cache[0][0])[1] for cache in caches}
    except (TypeError, IndexError, KeyError):
        columns = None
    if columns != {m}:
        return ("returned caches of another layout: each must be <code>((A_prev, W, b), Z)"
                "</code>, as <code>linear_activation_forward</code> returns it.")
    return None


class DepthExplorer(PlanarExplorer):
    NAME = "depth_explorer"
    FUNCTIONS = FUNCTIONS
    FORWARD = "L_model_forward"
    TEST_COST = False
    DEFAULTS = {"dataset": "flower", "depth": 5, "width": 10, "activation": "relu",
                "init_scale": 10 ** -0.5, "learning_rate": 0.1, "num_iterations": 400,
                "noise": 0.2, "m": 300, "test_ratio": 0.2, "seed": 1}
    COLUMNS = (("dataset", "depth", "width"), ("activation", "init_scale"),
               ("learning_rate", "num_iterations"))
    KEYWORDS = (
        Keyword("activation", ("L_model_forward", "L_model_backward"), "relu",
                "The activation is fixed to relu: {give} to try tanh, sigmoid and leaky_relu"),
        Keyword("init_scale", ("initialize_parameters_deep",), 0.01,
                "The init scale is fixed by your function (the lectures' 0.01): {give} to move it"))
    SIZE = (10.0, 2.9)
    BOXES = ([0.005, 0.04, 0.19, 0.8], [0.28, 0.17, 0.19, 0.67], [0.54, 0.17, 0.195, 0.67],
             [0.795, 0.17, 0.195, 0.67])
    RUN = DepthRun

    def make_controls(self, v):
        return {"dataset": choice("data set", DATASETS, v["dataset"]),
                "depth": slider("hidden layers", v["depth"], 1, 10),
                "width": slider("units/layer", v["width"], 2, 50),
                "activation": choice("activation", HIDDEN_ACTIVATIONS, v["activation"]),
                # steps of 10^0.05 reach both sqrt(1/10) = 10^-0.5 and sqrt(2/10) = 10^-0.35
                "init_scale": log_slider("init scale", v["init_scale"], -2, 1, 0.05),
                "learning_rate": log_slider("learning rate", v["learning_rate"], -3, 1),
                "num_iterations": slider("iterations", v["num_iterations"], 100, 3000, 100)}

    def _effective(self, s: dict) -> dict:
        """The settings as the diagnosis reads them (init_scale None: fixed by the learner)."""
        return s | {"init_scale": s["init_scale"] if self.supports["init_scale"] else None}

    def start(self, run):
        s = run.settings
        X, Y, _, _ = self.planar(run)
        m, L = X.shape[1], s["depth"] + 1
        keys = dict.fromkeys(f"{kind}{l}" for l in range(1, L + 1) for kind in "Wb")
        params = self.check(run, "initialize_parameters_deep", keys,
                            [X.shape[0]] + [s["width"]] * s["depth"] + [1])
        AL, caches = self.check(run, "L_model_forward", Parts(
            "AL, caches", Columns((1, m)), lambda caches: _caches_problem(caches, L, m)),
            X, params)
        self.check(run, "compute_cost", float, AL, Y)
        grads = self.check(run, "L_model_backward", {f"d{k}": None for k in keys}, AL, Y, caches)
        copy = {key: np.array(value, copy=True) for key, value in params.items()}
        self.check(run, "update_parameters", keys, copy, grads, s["learning_rate"])
        run.spreads["init"] = layer_spreads(AL, caches, grads)
        run.diagnosis, run.work["sentence"] = diagnose(run.spreads["init"], self._effective(s))
        run.work["parameters"] = params
        run.work["initial"] = [np.array(params[f"W{l}"], dtype=float) for l in range(1, L + 1)]

    def backward(self, run, X, Y, parameters, AL, caches):
        return self.call(run, "L_model_backward", AL, Y, caches)

    def end(self, run):
        """Final cost, spreads and accuracies (after a halt too: the diagnosis still holds)."""
        (X, Y, X_test, Y_test), params = run.work["data"], run.work["parameters"]
        AL, caches = self.call(run, "L_model_forward", X, params)
        if run.halt is None:
            self.record_costs(run, run.settings["num_iterations"], params, AL)
        run.spreads["end"] = layer_spreads(AL, caches, self.backward(run, X, Y, params, AL, caches))
        run.train_accuracy = accuracy(AL > 0.5, Y)
        run.test_accuracy = accuracy(self.call(run, "L_model_forward", X_test, params)[0] > 0.5,
                                     Y_test)
        run.weight_change = [float(np.linalg.norm(params[f"W{l}"] - W) / (np.linalg.norm(W) or 1))
                             for l, W in enumerate(run.work["initial"], start=1)]
        first, last = run.costs[0], run.costs[-1]
        blew_up = self.diverged(run, last > 1.01 * first and "the cost ended higher than it "
                                f"started ({first:.3g} &rarr; {last:.3g})")
        self._words(run, blew_up)

    def _advice(self, run) -> str:
        if run.diagnosis == "exploding":
            return "The init scale is too large, see below."
        if len(run.costs) == 1:
            return ("That is before any update, with moderate weights: check compute_cost (a log "
                    "of 0?) and L_model_forward.")
        lr = run.settings["learning_rate"]
        return (f"Learning rate {lr:.3g} is too large: try {lr / 10:.3g}"
                f"{smaller_scale(self._effective(run.settings))}.")

    def _words(self, run, blew_up: bool) -> None:
        """The message (how it ended, the diagnosis at init) and warning (what went wrong)."""
        lr = run.settings["learning_rate"]
        if not blew_up:
            run.message = (f"Final cost {run.costs[-1]:.4f} &middot; accuracy train "
                           f"{run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%")
        if run.diagnosis or not blew_up:
            run.message += (f"<br><span style='color:{'#a60' if run.diagnosis else '#262'}'>"
                            f"{run.work['sentence']}</span>")
        overshot = not blew_up and max(run.costs) > 2 * run.costs[0]  # and came down
        later = learning_rate_warning(run.costs, run.iterations, lr) if overshot else ""
        layer = dead_layer(run.spreads["end"]["A"][:-1]) if run.diagnosis != "dead" else None
        if layer is not None:
            later += (f" After training, layer {layer} gives the same output for every example "
                      f"(its relu units died): nothing below it learns any more.")
            if not blew_up:
                later += f" Steps this large kill units: try a learning rate of {lr / 10:.3g}."
        run.warning = later.strip()

    def build(self, frame):
        """The map, cost and two spread panels; plain "1e-5" log labels (mathtext ones cost ms)."""
        from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

        axes = frame.axes
        self.map = MapPanel(frame, axes[0], GRID, interpolation="bilinear", line=False,
                            colors=("#67001f", "#053061"))  # the ends of RdBu
        self.costs = CostPanel(frame, axes[1], wrap=32)
        axes[1].yaxis.set_major_formatter("{x:.2g}")
        self.spread_axes, self.spread_lines = dict(zip(SPREADS, axes[2:])), {}
        for (key, (what, color, _)), ax in zip(SPREADS.items(), axes[2:]):
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
            ax.yaxis.set_major_formatter(FuncFormatter(
                lambda value, _: f"1e{round(math.log10(value))}" if value > 0 else ""))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("layer l", labelpad=1)
            ax.set_title(f"spread of the {what}[l]", **TITLE)
            for when, style, alpha, label in WHEN:
                self.spread_lines[key, when] = frame.animate(ax.plot(
                    [], [], style, color=color, alpha=alpha, markersize=3.5, label=label)[0])
        frame.animate(axes[3].legend(fontsize=7, loc="upper left"))
        self.gradient_note = frame.note(axes[3], "#a60", 7)

    def draw(self, run):
        s = run.settings
        probabilities = self.boundary(run, (("k", 9, 0.3),))
        title = {"failed": "not trained", "diverged": "training diverged"}.get(run.state) or (
            "training…" if run.train_accuracy is None else
            f"train {run.train_accuracy:.0f}%, test {run.test_accuracy:.0f}%")
        self.map.show(probabilities, f"{s['dataset']}: {title}")
        self.costs.show(run.iterations, (run.costs,), s["num_iterations"],
                        f"cost, learning rate {s['learning_rate']:.3g}", self.problem(run))
        layers = np.arange(1, s["depth"] + 2)
        for key, ax in self.spread_axes.items():
            low, high = SPREADS[key][2]  # at least: tiny values fall visibly below the range
            for when, *_ in WHEN:
                values = np.asarray(run.spreads.get(when, {}).get(key, [np.nan] * layers.size),
                                    dtype=float)
                values = np.where(np.isfinite(values) & (values > 0), values, np.nan)
                self.spread_lines[key, when].set_data(layers, values)
                low, high = np.nanmin([low, *values]), np.nanmax([high, *values])
            ax.set_ylim(10 ** math.floor(math.log10(low) - 0.1),
                        10 ** math.ceil(math.log10(high) + 0.1))
            ax.set(xlim=(0.6, layers.size + 0.4), xticks=layers[::1 if layers.size <= 6 else 2])
        self.gradient_note.set_text(gradient_note(run.diagnosis, run.spreads.get("init")))


def depth_explorer(*functions, **defaults) -> DepthExplorer:
    """Shows the depth explorer on the learner's FUNCTIONS and returns it (settings: DEFAULTS)."""
    return DepthExplorer(*functions, **defaults).show()
