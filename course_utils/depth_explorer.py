"""Week 3's depth explorer: vanishing and exploding gradients, powered by the learner's code.

    dx = depth_explorer(initialize_parameters_deep, L_model_forward, compute_cost,
                        L_model_backward, update_parameters)
    dx.set(init_scale=0.01, activation="sigmoid")   # controls can be moved from code too

It trains an L-layer network (`depth` hidden layers of `width` units and a sigmoid output,
L = depth + 1) made of the learner's five functions on a 2-D planar data set, and draws one
figure: the decision boundary, the cost curve, and per layer l = 1..L the spread (standard
deviation) of the activations A[l] and of the gradients dW[l] on a log scale, at
initialization (solid) and after training (dashed). One slider, the init scale, moves the
network from vanishing gradients (the lectures' 0.01 with several layers: the signal, or with
sigmoid the gradient, shrinks by orders of magnitude from layer to layer) through healthy ones
(about sqrt(1/width)) to exploding ones (the activations grow layer after layer until the
output sigmoid saturates). The status line says which, in plain words, with the final cost and
the accuracies; it names a learner function that is not written yet, raises or returns the
wrong thing. A control change never raises: the widget stays alive.

Every control change retrains and redraws synchronously (the default setting in about 0.2 s
with a one-thread BLAS). The figure is one PNG updated in place (`LiveFigure`), so it renders
statically too. `set(**values)` moves several controls and retrains once, `settings()` returns
the control values, `last_run` the last `DepthRun` (costs, per-layer spreads at init and at the
end, accuracies, diagnosis, message, seconds).

If `initialize_parameters_deep` has no `init_scale` keyword, or `L_model_forward` /
`L_model_backward` no `activation` keyword, that control is disabled and a note says which
keyword to add (the classic contract: randn * 0.01, relu hidden layers).
"""

from __future__ import annotations

import html
import math
import re
import textwrap
import threading
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from .explore import (
    EXPLODED,
    accuracy,
    divergence,
    grey_notes,
    learning_rate_warning,
    set_controls,
)
from .layer_activations import HIDDEN_ACTIVATIONS
from .learner_code import StopRun, accepts_keyword, failure_words, run_learner_code
from .planar import DATASETS, make_dataset, train_test_split
from .plots import LiveFigure, new_figure, plot_costs, probability_colors

__all__ = ["FUNCTIONS", "DepthExplorer", "DepthRun", "depth_explorer", "diagnose",
           "layer_spreads"]

FUNCTIONS = ("initialize_parameters_deep", "L_model_forward", "compute_cost",
             "L_model_backward", "update_parameters")
VANISHING = 0.05  # spread of dW[1] below this fraction of dW[L]'s: vanishing gradients,
EXPLODING = 20.0  # above this many times dW[L]'s: exploding gradients
SHRINK = 0.1  # the activations' spread shrinking (or growing) by this factor per hidden layer,
TOTAL = 0.01  # or by this factor from the first hidden layer to the last: vanishing (exploding)
GRID = 40  # the decision boundary is evaluated on GRID x GRID points
AXIS_RANGE = {"A": (1e-2, 1e1), "dW": (1e-4, 1e-1)}  # the least each log axis shows
POINTS = 100  # about this many costs are recorded per run
COLORS = {"A": "#2166ac", "dW": "#c0392b"}


@dataclass
class DepthRun:
    """One training run of the explorer.

    `state` is "done", "diverged" or "failed" (a learner function is missing, raises or
    returns the wrong thing). `costs[k]` is the training cost at iteration `iterations[k]`.
    `spreads["init"]` and `spreads["end"]` hold, per layer l = 1..L, the standard deviation of
    the activations A[l] (`"A"`) and of the gradients dW[l] (`"dW"`) at initialization and
    after training; `weight_change[l-1]` is |W[l] after - W[l] before| / |W[l] before|.
    `diagnosis` ("vanishing", "exploding", "dead" or None: healthy) judges the network at
    initialization; `message` is the status line's text."""

    settings: dict
    state: str = "done"
    iterations: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    spreads: dict = field(default_factory=dict)
    weight_change: list = field(default_factory=list)
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    diagnosis: str | None = None
    message: str = ""
    train_seconds: float = 0.0
    draw_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def final_cost(self) -> float | None:
        return self.costs[-1] if self.costs else None

    @property
    def gradient_ratio(self) -> float | None:
        """Spread of dW[1] over the spread of dW[L] at initialization."""
        dW = self.spreads.get("init", {}).get("dW")
        return dW[0] / dW[-1] if dW and dW[-1] else None


def _spread(value) -> float:
    try:
        return float(np.std(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        return math.nan


def layer_spreads(AL, caches, grads) -> dict:
    """{"A": [std A[1], ..., std A[L]], "dW": [std dW[1], ..., std dW[L]]} from what
    L_model_forward and L_model_backward returned (caches[l] = ((A[l], W, b), Z))."""
    L = len(caches)
    activations = [_spread(caches[l][0][0]) for l in range(1, L)] + [_spread(AL)]
    return {"A": activations, "dW": [_spread(grads["dW" + str(l)]) for l in range(1, L + 1)]}


def _times(ratio: float) -> str:
    """How a ratio reads before "those of": "0.67 times", "1/45 of", "10<sup>-7</sup> times"."""
    if not (math.isfinite(ratio) and ratio > 0):
        return f"{ratio} times"
    if 0.05 <= ratio <= 20:
        return f"{ratio:.2g} times"
    if 1e-3 <= ratio < 0.05:
        return f"1/{1 / ratio:.0f} of"
    if 20 < ratio <= 1e3:
        return f"{ratio:.0f} times"
    return f"10<sup>{round(math.log10(ratio))}</sup> times"


def _fix(settings: dict, larger: bool) -> str:
    """Advice on the init scale: towards sqrt(1/width) (He's sqrt(2/width) for relu)."""
    width, scale = settings["width"], settings.get("init_scale")
    good = math.sqrt((2 if settings["activation"] in ("relu", "leaky_relu") else 1) / width)
    near = f"sqrt(1/width) = sqrt(1/{width}) &asymp; {math.sqrt(1 / width):.2g}"
    if settings["activation"] in ("relu", "leaky_relu"):
        near += f" (or sqrt(2/width) &asymp; {good:.2g}, He's choice for relu)"
    direction = "larger" if larger else "smaller"
    if scale is None:
        return (f"Try a {direction} init scale, near {near}: give initialize_parameters_deep "
                "the keyword init_scale (see the note below).")
    if (scale < good / 1.5) if larger else (scale > good * 1.5):
        return f"Try a {direction} init scale, near {near}."
    return f"A {direction} init scale or fewer layers help."


def _dead_layer(hidden) -> int | None:
    """The first hidden layer whose activations do not vary at all (1-based), or None."""
    dead = np.flatnonzero(np.asarray(hidden, dtype=float) == 0)
    return int(dead[0]) + 1 if dead.size else None


def diagnose(spreads: dict, settings: dict) -> tuple[str | None, str]:
    """Judges a network at initialization from its per-layer spreads (`layer_spreads`):
    returns (kind, a sentence), kind "dead", "exploding", "vanishing" or None (healthy).
    `settings` needs width, activation and init_scale (None: fixed by the learner's code)."""
    A, dW = np.asarray(spreads["A"], float), np.asarray(spreads["dW"], float)
    L, hidden = len(dW), A[:-1]
    scale = settings.get("init_scale")
    scale = f"init scale {scale:.3g}" if scale is not None else "your init scale"
    layer = _dead_layer(hidden)
    if layer is not None:
        return "dead", (f"Dead layer: the activations of layer {layer} are the same for every "
                        f"example (with relu: all its units output 0), so no gradient reaches "
                        f"the layers up to {layer}: they cannot learn. Try another width, "
                        "leaky_relu or tanh.")
    finite = bool(np.all(np.isfinite(dW)))
    growth = hidden[-1] / hidden[0] if hidden.size > 1 else 1.0
    per_layer = growth ** (1 / (hidden.size - 1)) if hidden.size > 1 else 1.0
    ratio = dW[0] / dW[-1] if dW[-1] else math.inf
    gradients = f"the gradients of layer 1 are {_times(ratio)} those of layer {L}"
    signal = (f"the spread of the activations {{}} about &times;{per_layer:.2g} per layer "
              f"(layer 1: {hidden[0]:.2g}, layer {L - 1}: {hidden[-1]:.2g})")
    if not finite or ratio > EXPLODING or per_layer > 1 / SHRINK or growth > 1 / TOTAL:
        if growth > 10:
            what = signal.format("grows")
        elif finite:
            what = gradients
        else:
            what = "the weights are so large that the output saturates"
        if not finite:
            what += (", so the output sigmoid gives exactly 0 or 1 and the cost and the "
                     "gradients become infinite or nan")
        return "exploding", f"Exploding gradients with {scale}: {what}. {_fix(settings, False)}"
    if ratio < VANISHING:
        why = ""
        if settings["activation"] == "sigmoid":
            why = (" The slope of sigmoid is at most 1/4, so every sigmoid layer shrinks the "
                   "gradient on its way back: tanh or relu keep it alive.")
        return "vanishing", (f"Vanishing gradients with {scale}: {gradients}, so the first "
                             f"layers barely learn. {_fix(settings, True)}{why}")
    if per_layer < SHRINK or growth < TOTAL:
        return "vanishing", (f"Vanishing gradients with {scale}: {signal.format('shrinks')}, "
                             f"and the gradients shrink with it: every dW is below "
                             f"{dW.max():.0e}, so no layer learns much. {_fix(settings, True)}")
    healthy = f"Healthy gradients at init: those of layer 1 are {_times(ratio)} those of layer {L}"
    if hidden.size == 1:
        return None, f"{healthy}."
    return None, (f"{healthy}, and the activations keep their spread through the {hidden.size} "
                  f"hidden layers ({hidden[0]:.2g} &rarr; {hidden[-1]:.2g}).")


def _check(name: str, result, L: int, m: int) -> str | None:
    """A plain-words problem with what a learner function returned, or None."""
    if result is None:
        return f"<b>{name}</b> returned None: did you forget its <code>return</code>?"
    if name == "L_model_forward":
        if not (isinstance(result, tuple) and len(result) == 2):
            return "<b>L_model_forward</b> must return two things: <code>AL, caches</code>."
        AL, caches = result
        if np.shape(AL) != (1, m):
            return (f"<b>L_model_forward</b> returned AL with shape {np.shape(AL)}, but it must "
                    f"be (1, {m}) (one column per example).")
        if not isinstance(caches, (list, tuple)) or len(caches) != L:
            count = len(caches) if isinstance(caches, (list, tuple)) else "no list of"
            return (f"<b>L_model_forward</b> returned {count} caches for {L} layers: append "
                    "one cache per layer to a list, the output layer's too.")
        try:
            columns = {np.shape(cache[0][0])[1] for cache in caches}
        except (TypeError, IndexError, KeyError):
            columns = None
        if columns != {m}:
            return ("<b>L_model_forward</b>: each cache must be <code>((A_prev, W, b), Z)</code>, "
                    "as <code>linear_activation_forward</code> returns it.")
        return None
    if name == "compute_cost":
        try:
            float(np.squeeze(result))
        except (TypeError, ValueError):
            return f"<b>compute_cost</b> must return one number, got {type(result).__name__}."
        return None
    if not isinstance(result, dict):
        return f"<b>{name}</b> must return a dict, got {type(result).__name__}."
    prefix = "d" if name == "L_model_backward" else ""
    missing = [key for l in range(1, L + 1) for key in (f"{prefix}W{l}", f"{prefix}b{l}")
               if key not in result]
    if missing:
        return (f"<b>{name}</b> returned no <code>\"{missing[0]}\"</code> for a network of {L} "
                f"layers (found: {', '.join(sorted(map(str, result)))}).")
    return None


def _plain(message: str, width: int) -> str:
    """HTML words as wrapped plain text, for the static figure."""
    return textwrap.fill(html.unescape(re.sub(r"<[^>]+>", "", message)), width)


class DepthExplorer:
    """Controls, status line and one live figure around the learner's week 3 functions."""

    def __init__(self, initialize_parameters_deep, L_model_forward, compute_cost,
                 L_model_backward, update_parameters, *, dataset="flower", depth=5, width=10,
                 activation="relu", init_scale=10 ** -0.5, learning_rate=0.1,
                 num_iterations=400, noise=0.2, m=300, test_ratio=0.2, seed=1):
        import ipywidgets as widgets

        functions = (initialize_parameters_deep, L_model_forward, compute_cost,
                     L_model_backward, update_parameters)
        for name, fn in zip(FUNCTIONS, functions):
            if not callable(fn):
                raise TypeError(f"depth_explorer: pass your function {name} itself (without "
                                f"parentheses), got {type(fn).__name__}.")
        if activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}: choose one of "
                             f"{HIDDEN_ACTIVATIONS}.")
        self.functions = dict(zip(FUNCTIONS, functions))
        self.data_options = {"noise": noise, "m": m, "test_ratio": test_ratio, "seed": seed}
        make_dataset(dataset, m, noise, seed)  # refuses a bad name, m or noise in words
        self.supports_activation = all(accepts_keyword(self.functions[name], "activation")
                                       for name in ("L_model_forward", "L_model_backward"))
        self.supports_init_scale = accepts_keyword(initialize_parameters_deep, "init_scale")

        def look(**kwargs):  # every control its own Layout
            return {"style": {"description_width": "90px"},
                    "layout": widgets.Layout(width="280px"), **kwargs}

        def compact():  # sliders: retrain when released, not while dragging
            return look(continuous_update=False)

        def log_slider(description, value, low, high, step):
            exponent = math.log10(value)
            return widgets.FloatLogSlider(
                description=description, value=value, base=10, step=step, readout_format=".3g",
                min=min(low, math.floor(exponent)), max=max(high, math.ceil(exponent)), **compact())

        self.dataset = widgets.Dropdown(description="data set", options=list(DATASETS),
                                        value=dataset, **look())
        self.depth = widgets.IntSlider(description="hidden layers", value=depth, min=1,
                                       max=max(10, depth), **compact())
        self.width = widgets.IntSlider(description="units/layer", value=width,
                                       min=min(2, width), max=max(50, width), **compact())
        self.activation = widgets.Dropdown(
            description="activation", options=list(HIDDEN_ACTIVATIONS),
            value=activation if self.supports_activation else "relu",
            disabled=not self.supports_activation, **look())
        # steps of 10^0.05 reach both sqrt(1/10) = 10^-0.5 and sqrt(2/10) = 10^-0.35
        self.init_scale = log_slider("init scale", init_scale if self.supports_init_scale
                                     else 0.01, -2, 1, 0.05)
        self.init_scale.disabled = not self.supports_init_scale
        self.learning_rate = log_slider("learning rate", learning_rate, -3, 1, 0.1)
        self.iterations = widgets.IntSlider(description="iterations", value=num_iterations,
                                            min=min(100, num_iterations),
                                            max=max(3000, num_iterations), step=100, **compact())
        self.status = widgets.HTML()
        self.note = widgets.HTML(self._missing_keywords_note())
        self.figure = LiveFigure()
        self.runs: list[DepthRun] = []
        columns = [[self.dataset, self.depth, self.width], [self.activation, self.init_scale],
                   [self.learning_rate, self.iterations]]
        self.controls = widgets.VBox([widgets.HBox([widgets.VBox(c) for c in columns]),
                                      self.status, self.note])
        self._quiet = False
        for control in self._named_controls().values():
            control.observe(self._control_changed, names="value")
        self._lock = threading.Lock()  # a callback may come from another kernel thread
        self._data = (None, None)  # (key, train/test split) of the data set last loaded
        self._shown_data = None  # the split whose points the figure shows
        self._build_figure()

    # -- public ------------------------------------------------------------------------
    def show(self) -> DepthExplorer:
        """Displays the controls and trains once, so the cell's output holds a figure."""
        from IPython.display import display

        display(self.controls)
        self.run()
        return self

    def settings(self) -> dict:
        """The control values, then the fixed data options, under their argument names."""
        values = {name: control.value for name, control in self._named_controls().items()}
        return values | self.data_options

    def set(self, run: bool = True, **values) -> DepthRun | None:
        """Sets several controls at once (names as in `settings()`), then retrains once."""
        set_controls(self, self._named_controls(), values)
        return self.run() if run else None

    @property
    def last_run(self) -> DepthRun | None:
        return self.runs[-1] if self.runs else None

    def run(self) -> DepthRun:
        """Trains with the current settings and redraws figure and status. Never raises: a
        failure of the explorer itself is reported in the status line too."""
        with self._lock:
            start = time.perf_counter()
            run = DepthRun(self.settings())
            self.runs = self.runs[-49:] + [run]
            try:
                probabilities = self._train(run)
                drawing = time.perf_counter()
                self._draw(run, probabilities)
                run.draw_seconds = time.perf_counter() - drawing
            except Exception as error:  # a bug here must not kill the widget
                run.state = "failed"
                run.message = (f"The depth explorer itself failed ({type(error).__name__}: "
                               f"{error}). Move a control to try again.")
            run.seconds = time.perf_counter() - start
        if run.state == "failed":
            self.status.value = f"<span style='color:#b00'>{run.message}</span>"
        else:
            self.status.value = f"{run.message} &middot; {run.seconds:.2f} s"
        return run

    # -- training ----------------------------------------------------------------------
    def _named_controls(self) -> dict:
        return {"dataset": self.dataset, "depth": self.depth, "width": self.width,
                "activation": self.activation, "init_scale": self.init_scale,
                "learning_rate": self.learning_rate, "num_iterations": self.iterations}

    def _control_changed(self, _change) -> None:
        if not self._quiet:
            self.run()

    def _load(self, s: dict):
        key = (s["dataset"], s["m"], s["noise"], s["seed"], s["test_ratio"])
        if key != self._data[0]:
            X, Y = make_dataset(s["dataset"], s["m"], s["noise"], s["seed"])
            self._data = (key, train_test_split(X, Y, s["test_ratio"], seed=s["seed"]))
        return self._data[1]

    def _effective(self, s: dict) -> dict:
        """The settings the network really has (a disabled control does not count)."""
        return s | {"init_scale": s["init_scale"] if self.supports_init_scale else None,
                    "activation": s["activation"] if self.supports_activation else "relu"}

    def _checked(self, name: str, L: int, m: int, *args, **kwargs):
        """First call of a learner function in a run: plain words if it fails or returns junk."""
        result, problem = run_learner_code(self.functions[name], *args, **kwargs)
        problem = problem or _check(name, result, L, m)
        if problem:
            raise StopRun("failed", problem)
        return result

    def _train(self, run: DepthRun):
        """Trains `run` and fills it in; returns P(class 1) on the map's grid, or None."""
        s = run.settings
        X, Y, X_test, Y_test = self._load(s)
        m, L = X.shape[1], s["depth"] + 1
        act = {"activation": s["activation"]} if self.supports_activation else {}
        scale = {"init_scale": s["init_scale"]} if self.supports_init_scale else {}
        started = time.perf_counter()
        try:
            np.random.seed(s["seed"])  # for a learner's initialization that does not seed
            params = self._checked("initialize_parameters_deep", L, m,
                                   [X.shape[0]] + [s["width"]] * s["depth"] + [1], **scale)
            AL, caches = self._checked("L_model_forward", L, m, X, params, **act)
            self._checked("compute_cost", L, m, AL, Y)
            grads = self._checked("L_model_backward", L, m, AL, Y, caches, **act)
            copy = {key: np.array(value, copy=True) for key, value in params.items()}
            self._checked("update_parameters", L, m, copy, grads, s["learning_rate"])
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                run.spreads["init"] = layer_spreads(AL, caches, grads)
                run.diagnosis, sentence = diagnose(run.spreads["init"], self._effective(s))
                probabilities = self._loop(run, params, (X, Y, X_test, Y_test), act)
            run.train_seconds = time.perf_counter() - started
            blew_up = self._blew_up(run)
            run.state = "diverged" if blew_up else "done"
            run.message = self._words(run, sentence, blew_up)
            return probabilities if np.isfinite(probabilities).all() else None
        except StopRun as stop:
            run.state, run.message = stop.state, stop.message
            run.train_seconds = time.perf_counter() - started
            return None

    def _loop(self, run: DepthRun, params, data, act):
        """Gradient descent with the learner's functions; records costs and end spreads.
        Stops early once the cost is not finite or EXPLODED times the first one."""
        X, Y, X_test, Y_test = data
        f = self.functions
        forward, cost_of = f["L_model_forward"], f["compute_cost"]
        backward, update = f["L_model_backward"], f["update_parameters"]
        n, lr = run.settings["num_iterations"], run.settings["learning_rate"]
        every = max(1, n // POINTS)
        initial = [np.array(params[f"W{l}"], dtype=float)
                   for l in range(1, run.settings["depth"] + 2)]
        name = "L_model_forward"
        try:
            for i in range(n + 1):
                name = "L_model_forward"
                AL, caches = forward(X, params, **act)
                if i % every == 0 or i == n:
                    name = "compute_cost"
                    run.iterations.append(i)
                    run.costs.append(float(np.squeeze(cost_of(AL, Y))))
                    if not math.isfinite(run.costs[-1]) or \
                            run.costs[-1] > EXPLODED * run.costs[0]:
                        break
                if i == n:
                    break
                name = "L_model_backward"
                grads = backward(AL, Y, caches, **act)
                name = "update_parameters"
                params = update(params, grads, lr)
            name = "L_model_backward"
            run.spreads["end"] = layer_spreads(AL, caches, backward(AL, Y, caches, **act))
            name = "L_model_forward"
            run.train_accuracy = accuracy(AL > 0.5, Y)
            run.test_accuracy = accuracy(forward(X_test, params, **act)[0] > 0.5, Y_test)
            probabilities = forward(self._grid(X), params, **act)[0]
        except Exception as error:  # the learner's code may raise anything
            raise StopRun("failed", failure_words(f[name], error)) from None
        run.weight_change = [float(np.linalg.norm(params[f"W{l}"] - W) / (np.linalg.norm(W) or 1))
                             for l, W in enumerate(initial, start=1)]
        return probabilities

    @staticmethod
    def _grid(X):
        lo, hi = X.min(axis=1) - 0.5, X.max(axis=1) + 0.5
        g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
        return np.vstack([g1.ravel(), g2.ravel()])

    def _blew_up(self, run: DepthRun) -> str | None:
        """Words for a run whose cost became infinite, grew or ended higher, or None."""
        first, last = run.costs[0], run.costs[-1]
        if not math.isfinite(last):
            grew = f"the cost became {last} at iteration {run.iterations[-1]}"
        else:
            grew = divergence(run.costs)  # None, or how the cost grew
            if not grew and last > 1.01 * first:
                grew = f"the cost ended higher than it started ({first:.3g} &rarr; {last:.3g})"
        if not grew:
            return None
        lr = run.settings["learning_rate"]
        if run.diagnosis == "exploding":
            advice = "The init scale is too large, see below."
        elif len(run.costs) == 1:
            advice = ("That is before any update, with moderate weights: check compute_cost (a "
                      "log of 0?) and L_model_forward.")
        else:
            advice = f"Learning rate {lr:.3g} is too large: try {lr / 10:.3g}."
        return f"Training diverged: {grew}. {advice}"

    # -- words -------------------------------------------------------------------------
    def _words(self, run: DepthRun, sentence: str, blew_up: str | None) -> str:
        """The status of a trained run: how it ended, the diagnosis at init, what went wrong
        on the way (lines of HTML)."""
        if blew_up:
            lines = [f"<span style='color:#b00'>{blew_up}</span>"]
        else:
            lines = [f"Final cost {run.final_cost:.4f} &middot; accuracy train "
                     f"{run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%"]
        if run.diagnosis or not blew_up:
            color = "#a60" if run.diagnosis else "#262"
            lines.append(f"<span style='color:{color}'>{sentence}</span>")
        later = ""
        if not blew_up and max(run.costs) > 2 * run.costs[0]:  # it overshot, then came down
            later = learning_rate_warning(run.costs, run.iterations,
                                          run.settings["learning_rate"])
        end = run.spreads.get("end", {}).get("A", [])
        layer = _dead_layer(end[:-1]) if run.diagnosis != "dead" else None
        if layer is not None:
            later += (f" After training, layer {layer} gives the same output for every example "
                      f"(its relu units died): nothing below it learns any more.")
            if not blew_up:
                lr = run.settings["learning_rate"]
                later += f" Steps this large kill units: try a learning rate of {lr / 10:.3g}."
        if later:
            lines.append(f"<span style='color:#a60'>{later.strip()}</span>")
        return "<br>".join(lines)

    def _missing_keywords_note(self) -> str:
        notes = []
        if not self.supports_activation:
            notes.append("The activation is fixed to relu: give <code>L_model_forward</code> "
                         "and <code>L_model_backward</code> the keyword <code>activation="
                         "\"relu\"</code> to try tanh, sigmoid and leaky_relu")
        if not self.supports_init_scale:
            notes.append("The init scale is fixed by your function (the lectures' 0.01): give "
                         "<code>initialize_parameters_deep</code> the keyword <code>init_scale="
                         "0.01</code> to move it")
        return grey_notes(notes)

    # -- drawing -----------------------------------------------------------------------
    def _build_figure(self) -> None:
        """The figure and the artists kept from frame to frame (clearing axes and laying out
        their ticks again is most of a matplotlib frame); titles get a fixed y for the same
        reason, log axes plain "1e-5" labels (mathtext labels cost milliseconds each)."""
        from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

        self._fig, axes = new_figure(10.0, 2.9, ncols=4)
        self._fig.set_layout_engine(None)  # fixed boxes: a layout engine draws twice per frame
        boxes = ([0.005, 0.04, 0.19, 0.8], [0.28, 0.17, 0.19, 0.67], [0.54, 0.17, 0.195, 0.67],
                 [0.795, 0.17, 0.195, 0.67])
        for ax, box in zip(axes, boxes):
            ax.set_position(box)
        self._ax_map, self._ax_cost, self._ax_act, self._ax_grad = axes
        self._titles = {ax: ax.set_title("", fontsize=9, y=1.0, pad=4) for ax in axes}
        self._image = self._ax_map.imshow(np.ones((GRID, GRID, 3)), origin="lower",
                                          interpolation="bilinear")
        self._points = None
        self._ax_map.set_xticks([])
        self._ax_map.set_yticks([])
        plot_costs(self._ax_cost, [], every=1)
        self._cost_line = self._ax_cost.lines[-1]
        self._ax_cost.locator_params(nbins=4)
        self._ax_cost.yaxis.set_major_formatter("{x:.2g}")
        self._notes = {ax: ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center",
                                   va="center", fontsize=7, color=color, zorder=5,
                                   bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0})
                       for ax, color in ((self._ax_cost, "#b00"), (self._ax_grad, "#a60"))}
        self._spread_lines = {}
        for ax, key in ((self._ax_act, "A"), (self._ax_grad, "dW")):
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
            ax.yaxis.set_major_formatter(FuncFormatter(
                lambda value, _: f"1e{round(math.log10(value))}" if value > 0 else ""))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("layer l", labelpad=1)
            for when, style, alpha in (("init", "o-", 1.0), ("end", "s--", 0.55)):
                self._spread_lines[key, when] = ax.plot(
                    [], [], style, color=COLORS[key], alpha=alpha, markersize=3.5,
                    label="at init" if when == "init" else "after training")[0]
        self._ax_grad.legend(fontsize=7, loc="upper left")

    def _show_data(self, X, Y) -> None:
        """Points and map extent of a new data set."""
        lo, hi = X.min(axis=1) - 0.5, X.max(axis=1) + 0.5  # as in _grid
        self._image.set_extent((lo[0], hi[0], lo[1], hi[1]))
        if self._points is not None:
            self._points.remove()
        self._points = self._ax_map.scatter(X[0], X[1], c=Y[0], cmap="RdBu", vmin=0, vmax=1,
                                            s=9, edgecolors="k", linewidths=0.3)
        self._ax_map.set_xlim(lo[0], hi[0])
        self._ax_map.set_ylim(lo[1], hi[1])

    def _draw(self, run: DepthRun, probabilities) -> None:
        s = run.settings
        X, Y, _, _ = data = self._load(s)
        if self._shown_data is not data:
            self._show_data(X, Y)
            self._shown_data = data
        if probabilities is not None:
            probabilities = np.asarray(probabilities, dtype=float).reshape(GRID, GRID)
        self._image.set_data(probability_colors(probabilities, (GRID, GRID)))
        if run.state == "failed":
            title = f"{s['dataset']}: not trained"
        elif run.state == "diverged":
            title = f"{s['dataset']}: training diverged"
        else:
            title = (f"{s['dataset']}: train {run.train_accuracy:.0f}%, "
                     f"test {run.test_accuracy:.0f}%")
        self._titles[self._ax_map].set_text(title)

        costs = np.asarray(run.costs, dtype=float)
        costs = np.where(np.isfinite(costs), costs, np.nan)
        self._cost_line.set_data(run.iterations, costs)
        self._ax_cost.set_xlim(0, s["num_iterations"])
        self._ax_cost.set_ylim(0, 1.05 * np.nanmax(costs) if np.isfinite(costs).any() else 1.0)
        self._titles[self._ax_cost].set_text(f"cost, learning rate {s['learning_rate']:.3g}")
        problem = run.message.split("<br>")[0] if run.state != "done" else ""  # the red line
        self._notes[self._ax_cost].set_text(_plain(problem, 32))

        layers = np.arange(1, s["depth"] + 2)
        for ax, key, title in ((self._ax_act, "A", "spread of the activations A[l]"),
                               (self._ax_grad, "dW", "spread of the gradients dW[l]")):
            floor, ceiling = AXIS_RANGE[key]
            shown = []
            for when in ("init", "end"):
                values = np.asarray(run.spreads.get(when, {}).get(key, [np.nan] * layers.size),
                                    dtype=float)
                values = np.where(np.isfinite(values) & (values > 0), values, np.nan)
                self._spread_lines[key, when].set_data(layers, values)
                shown.append(values)
            shown = np.concatenate(shown)
            shown = shown[np.isfinite(shown)]
            # the axis always spans the healthy range, so tiny values fall visibly below it
            low = min(shown.min(), floor) if shown.size else floor
            high = max(shown.max(), ceiling) if shown.size else ceiling
            ax.set_ylim(10 ** math.floor(math.log10(low) - 0.1),
                        10 ** math.ceil(math.log10(high) + 0.1))
            ax.set_xlim(0.6, layers.size + 0.4)
            ax.set_xticks(layers if layers.size <= 6 else layers[::2])
            self._titles[ax].set_text(title)
        self._notes[self._ax_grad].set_text(self._gradient_note(run))
        self.figure.show(self._fig)


    @staticmethod
    def _gradient_note(run: DepthRun) -> str:
        """The diagnosis in a few words on the gradient panel (static copies have no status)."""
        if run.diagnosis is None:
            return ""
        if run.diagnosis == "dead":
            return "dead layer: no gradient\nreaches the first layers"
        dW = np.asarray(run.spreads["init"]["dW"], dtype=float)
        ratio = run.gradient_ratio
        if not np.isfinite(dW).all():
            return f"{run.diagnosis}: gradients\nare nan or infinite"
        if ratio is not None and not VANISHING <= ratio <= EXPLODING:
            return f"{run.diagnosis}\ndW[1] / dW[{dW.size}] = {ratio:.0e} at init"
        if run.diagnosis == "vanishing":
            return f"vanishing\nevery dW < {dW.max():.0e} at init"
        return "exploding\nthe activations grow\nlayer after layer"


def depth_explorer(initialize_parameters_deep, L_model_forward, compute_cost, L_model_backward,
                   update_parameters, **defaults) -> DepthExplorer:
    """Shows the depth explorer on the learner's functions and returns it (its controls can
    also be set from code). `defaults`: dataset, depth, width, activation, init_scale,
    learning_rate, num_iterations, noise, m, test_ratio, seed."""
    return DepthExplorer(initialize_parameters_deep, L_model_forward, compute_cost,
                         L_model_backward, update_parameters, **defaults).show()
