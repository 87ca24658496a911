"""A TensorFlow-Playground-like widget powered by the learner's own week 2 functions.

    pg = playground(initialize_parameters, forward_propagation, compute_cost,
                    backward_propagation, update_parameters, predict)

Each control change retrains a one-hidden-layer network with the learner's functions and
redraws the decision boundary (train and test points) next to the train and test cost curves,
while it trains. The figure is one PNG output updated in place (`LiveFigure`), so it also
renders statically in exported HTML and feedback.

Responsiveness. Widget callbacks run on the kernel's event loop, one at a time, and the
frontend's next control change is only read once the loop gets control back. So, inside a
kernel, a control change does not train in its callback: it bumps a generation counter and
starts an asyncio task that trains in chunks (at most `CHUNK_SECONDS` or a tenth of the
iterations) and awaits `asyncio.sleep(0)` between chunks. The next control change gets in at
that await, bumps the counter again, and the old run sees it at its next chunk boundary and
stops without drawing: no stale run ever queues behind a new one. Between chunks it redraws
when the last frame is old enough (`MIN_REDRAW_SECONDS`, `REDRAW_FACTOR`), so long runs
animate and short ones draw once. Outside a running event loop (tests, scripts) and for the
first run of `show()` (so that the cell's output, and therefore the exported notebook, holds
the trained picture) training is synchronous; `Playground.run(sync=True)` forces that.
"""

from __future__ import annotations

import asyncio
import inspect
import math
import re
import textwrap
import threading
import time
import warnings
from collections import deque
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
from .learner_code import StopRun, accepts_keyword, run_learner_code
from .planar import DATASETS, make_dataset, train_test_split
from .plots import LiveFigure, new_figure, plot_costs, probability_colors

__all__ = ["ACTIVATIONS", "LAMBDAS", "Playground", "Run", "playground"]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
LAMBDAS = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
CHUNK_SECONDS = 0.03  # longest stretch of training before control changes can get in
MIN_REDRAW_SECONDS = 0.1  # frames during a run come at most this often, and at most every
REDRAW_FACTOR = 2  # REDRAW_FACTOR times the last frame's cost: drawing stays <= 1/3 of the time
GRID = 100  # the decision boundary is evaluated on GRID x GRID points
FUNCTIONS = ("initialize_parameters", "forward_propagation", "compute_cost",
             "backward_propagation", "update_parameters", "predict")
CLASS_COLORS = ("#c0392b", "#2166ac")


@dataclass
class Run:
    """One training run: its settings, what it recorded and how it ended.

    `state` is "running", "done", "diverged", "failed" (a learner function is missing or
    crashed) or "cancelled" (a newer control change replaced it). Costs are recorded at
    iterations 0, every, 2 every, ... (`iterations`)."""

    generation: int
    settings: dict
    state: str = "running"
    iteration: int = 0
    every: int = 1
    iterations: list = field(default_factory=list)
    train_costs: list = field(default_factory=list)
    test_costs: list = field(default_factory=list)
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    message: str = ""
    warning: str = ""  # a finished run whose learning rate was visibly too large
    parameters: dict | None = None
    redraws: int = 0
    created: float = field(default_factory=time.perf_counter)
    finished: float | None = None
    train_seconds: float = 0.0
    draw_seconds: float = 0.0

    @property
    def seconds(self) -> float | None:
        """From the control change (or `run()` call) to the final frame (or to the moment a
        cancelled run stopped)."""
        return None if self.finished is None else self.finished - self.created


def _names_lambd(fn) -> bool:
    """Whether `fn` has a parameter literally named `lambd` (a **kwargs catch-all is no sign)."""
    try:
        return "lambd" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _shape(value):
    return getattr(value, "shape", None)


def _check_result(name: str, result, expect: dict) -> str | None:
    """A plain-words problem with what a learner function returned, or None."""
    if result is None:
        return f"<b>{name}</b> returned None: did you forget its <code>return</code>?"
    if name == "forward_propagation":
        if not (isinstance(result, tuple) and len(result) == 2):
            return "<b>forward_propagation</b> must return two things: <code>A2, cache</code>."
        result = result[0]
    if name == "compute_cost":
        try:
            float(np.squeeze(result))
        except (TypeError, ValueError):
            return f"<b>compute_cost</b> must return one number, got {type(result).__name__}."
        return None
    if isinstance(expect.get("shape"), tuple):
        if _shape(result) != expect["shape"]:
            return (f"<b>{name}</b> returned shape {_shape(result)}, but it must return "
                    f"{expect['shape']} (one column per example).")
        return None
    if not isinstance(result, dict):
        return f"<b>{name}</b> must return a dict, got {type(result).__name__}."
    for key, shape in expect.items():
        if key not in result:
            return f"<b>{name}</b> returned no <code>\"{key}\"</code> (found: {sorted(result)})."
        if _shape(result[key]) != shape:
            return (f"<b>{name}</b> returned <code>{key}</code> with shape "
                    f"{_shape(result[key])}, but it must be {shape}.")
    return None


class Playground:
    """Controls, status line and live figure around the learner's six week 2 functions."""

    def __init__(self, initialize_parameters, forward_propagation, compute_cost,
                 backward_propagation, update_parameters, predict, *, dataset="flower",
                 noise=0.2, test_ratio=0.2, n_h=4, activation="tanh", learning_rate=1.2,
                 init_scale=0.01, num_iterations=1000, seed=1, lambd=0.0, m=400):
        import ipywidgets as widgets

        functions = (initialize_parameters, forward_propagation, compute_cost,
                     backward_propagation, update_parameters, predict)
        for name, fn in zip(FUNCTIONS, functions):
            if not callable(fn):
                raise TypeError(f"playground: pass your function {name} itself (without "
                                f"parentheses), got {type(fn).__name__}.")
        self.functions = dict(zip(FUNCTIONS, functions))
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}: choose one of {ACTIVATIONS}.")
        self.m = m
        make_dataset(dataset, m, noise, seed)  # checks the name, m and noise, in words
        self.supports_activation = all(
            accepts_keyword(self.functions[name], "activation")
            for name in ("forward_propagation", "backward_propagation", "predict"))
        self.supports_init_scale = accepts_keyword(initialize_parameters, "init_scale")
        self.supports_lambd = _names_lambd(backward_propagation)

        def slider(kind, description, **kwargs):
            return kind(description=description, continuous_update=False,
                        style={"description_width": "95px"},
                        layout=widgets.Layout(width="290px"), **kwargs)

        def log_slider(description, value, low, high):
            low = min(low, math.floor(math.log10(value)))
            high = max(high, math.ceil(math.log10(value)))
            return slider(widgets.FloatLogSlider, description, value=value, base=10, min=low,
                          max=high, step=0.1, readout_format=".3g")

        self.dataset = widgets.Dropdown(options=list(DATASETS), value=dataset,
                                        description="data set",
                                        style={"description_width": "95px"},
                                        layout=widgets.Layout(width="290px"))
        self.noise = slider(widgets.FloatSlider, "noise", value=noise, min=0.0,
                            max=max(0.6, noise), step=0.05)
        self.test_ratio = slider(widgets.FloatSlider, "test ratio", value=test_ratio,
                                 min=min(0.1, test_ratio), max=max(0.5, test_ratio), step=0.05)
        self.seed = slider(widgets.IntSlider, "seed", value=seed, min=0, max=max(99, seed))
        self.hidden_units = slider(widgets.IntSlider, "hidden units", value=n_h, min=1,
                                   max=max(50, n_h))
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="activation",
                                           disabled=not self.supports_activation,
                                           style={"description_width": "95px"},
                                           layout=widgets.Layout(width="290px"))
        self.init_scale = log_slider("init scale", init_scale, -3, 1)
        self.init_scale.disabled = not self.supports_init_scale
        self.learning_rate = log_slider("learning rate", learning_rate, -3, 1)
        self.iterations = slider(widgets.IntSlider, "iterations", value=num_iterations,
                                 min=min(100, num_iterations), max=max(5000, num_iterations),
                                 step=100)
        self.lambd = None
        if self.supports_lambd:
            options = sorted(set(LAMBDAS) | {float(lambd)})
            self.lambd = slider(widgets.SelectionSlider, "L2 λ (lambd)", options=options,
                                value=float(lambd))
        self.status = widgets.HTML()
        self.note = widgets.HTML(self._missing_keywords_note())
        self.figure = LiveFigure()
        self.runs: deque[Run] = deque(maxlen=50)
        self.task = None

        columns = [[self.dataset, self.noise, self.test_ratio, self.seed],
                   [self.hidden_units, self.activation, self.init_scale],
                   [self.learning_rate, self.iterations] + ([self.lambd] if self.lambd else [])]
        self.controls = widgets.VBox([widgets.HBox([widgets.VBox(c) for c in columns]),
                                      self.status, self.note])
        for control in self._control_widgets():
            control.observe(self._control_changed, names="value")

        self._generation = 0
        self._lock = threading.Lock()  # callbacks may come from another kernel thread
        self._quiet = False
        # caches keyed by the data they belong to (one tuple each, so replacing one is atomic)
        self._data_cache = self._grid_cache = self._scene_cache = (None, None)
        self._fig, (self._ax_map, self._ax_cost) = new_figure(8.4, 3.4, ncols=2)
        # no layout engine: with one, every savefig draws the figure twice; fixed boxes instead
        self._fig.set_layout_engine(None)
        self._ax_map.set_position([0.02, 0.03, 0.40, 0.85])
        self._ax_cost.set_position([0.53, 0.15, 0.44, 0.73])
        self._load(self.settings())  # a bad test_ratio is refused now, in words

    # -- public ------------------------------------------------------------------------
    def show(self) -> Playground:
        """Displays the controls and trains once, synchronously, so the output holds a figure."""
        from IPython.display import display

        display(self.controls)
        self.run(sync=True)
        return self

    def settings(self) -> dict:
        """The current control values, under the api.md argument names."""
        return {"dataset": self.dataset.value, "noise": self.noise.value,
                "test_ratio": self.test_ratio.value, "seed": self.seed.value,
                "n_h": self.hidden_units.value, "activation": self.activation.value,
                "init_scale": self.init_scale.value, "learning_rate": self.learning_rate.value,
                "num_iterations": self.iterations.value,
                "lambd": self.lambd.value if self.lambd is not None else 0.0, "m": self.m}

    def set(self, run: bool = True, **values) -> Run | None:
        """Sets several controls at once (names as in `settings()`), then retrains once."""
        controls = {"dataset": self.dataset, "noise": self.noise, "test_ratio": self.test_ratio,
                    "seed": self.seed, "n_h": self.hidden_units, "activation": self.activation,
                    "init_scale": self.init_scale, "learning_rate": self.learning_rate,
                    "num_iterations": self.iterations, "lambd": self.lambd}
        set_controls(self, {k: c for k, c in controls.items() if c is not None}, values)
        return self.run() if run else None

    @property
    def _artists(self) -> dict | None:
        """The current frame's artists (for tests)."""
        return self._scene_cache[1]

    @property
    def last_run(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    def run(self, sync: bool = False) -> Run:
        """Starts a run with the current settings and cancels any run still going.

        Inside a running event loop (a kernel) it trains in an asyncio task (`self.task`) and
        returns at once; with `sync=True` or without a running loop it trains to the end."""
        with self._lock:
            self._generation += 1
            run = Run(self._generation, self.settings())
        self.runs.append(run)
        steps = self._train(run)
        loop = None if sync else _running_loop()
        if loop is None:
            for _ in steps:
                pass
        else:
            self.task = loop.create_task(self._drive(steps))
        return run

    # -- training ----------------------------------------------------------------------
    def _control_widgets(self):
        controls = [self.dataset, self.noise, self.test_ratio, self.seed, self.hidden_units,
                    self.activation, self.init_scale, self.learning_rate, self.iterations]
        return controls + ([self.lambd] if self.lambd is not None else [])

    def _control_changed(self, _change) -> None:
        if not self._quiet:
            self.run()

    async def _drive(self, steps) -> None:
        """Runs the training generator, letting the event loop in between chunks."""
        try:
            await asyncio.sleep(0)  # control changes already queued get in before any work
            for _ in steps:
                await asyncio.sleep(0)
        except Exception as error:  # a bug here must not vanish inside an unawaited task
            self.status.value = (f"<span style='color:#b00'>The playground itself failed "
                                 f"({type(error).__name__}: {error}). Move a control to try "
                                 "again.</span>")

    def _stale(self, run: Run) -> bool:
        """Whether a newer run started; if so `run` is marked cancelled (and when it stopped)."""
        if run.generation == self._generation:
            return False
        if run.state != "cancelled":
            run.state, run.finished = "cancelled", time.perf_counter()
        return True

    def _load(self, s: dict):
        key = (s["dataset"], s["m"], s["noise"], s["seed"], s["test_ratio"])
        if key != self._data_cache[0]:
            X, Y = make_dataset(s["dataset"], s["m"], s["noise"], s["seed"])
            self._data_cache = (key, train_test_split(X, Y, s["test_ratio"], seed=s["seed"]))
        return self._data_cache[1]

    def _train(self, run: Run):
        """Generator: trains `run` in chunks, yielding between them; redraws as it goes."""
        if self._stale(run):
            return
        s = run.settings
        X, Y, X_test, Y_test = data = self._load(s)
        n = s["num_iterations"]
        every, tenth = max(1, n // 100), max(1, n // 10)  # record costs / end a chunk
        run.every = every
        f = self.functions
        act = {"activation": s["activation"]} if self.supports_activation else {}
        scale = {"init_scale": s["init_scale"]} if self.supports_init_scale else {}
        lambd = {"lambd": s["lambd"]} if self.supports_lambd else {}
        n_h, lr = s["n_h"], s["learning_rate"]
        shapes = {"W1": (n_h, X.shape[0]), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)}
        try:
            np.random.seed(s["seed"])
            params = self._checked("initialize_parameters", shapes, X.shape[0], n_h, 1, **scale)
            A2, cache = self._checked("forward_propagation", {"shape": (1, X.shape[1])}, X,
                                      params, **act)
            self._checked("compute_cost", {}, A2, Y)
            grads = self._checked("backward_propagation", {"d" + k: v for k, v in shapes.items()},
                                  params, cache, X, Y, **act, **lambd)
            self._checked("update_parameters", shapes, params, grads, learning_rate=lr)
            self._checked("predict", {"shape": (1, X.shape[1])}, params, X, **act)
            last_draw, draw_gap = time.perf_counter(), MIN_REDRAW_SECONDS
            i = 0
            while i < n:
                deadline = time.perf_counter() + CHUNK_SECONDS
                chunk_start = time.perf_counter()
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    while i < n:  # at least one iteration per chunk
                        try:
                            A2, cache = f["forward_propagation"](X, params, **act)
                        except Exception:
                            self._fail("forward_propagation", X, params, **act)
                        if i % every == 0:
                            self._record(run, i, params, data, act, A2)
                        try:
                            grads = f["backward_propagation"](params, cache, X, Y, **act, **lambd)
                        except Exception:
                            self._fail("backward_propagation", params, cache, X, Y, **act,
                                       **lambd)
                        try:
                            params = f["update_parameters"](params, grads, learning_rate=lr)
                        except Exception:
                            self._fail("update_parameters", params, grads, learning_rate=lr)
                        i += 1
                        if i % tenth == 0 or time.perf_counter() >= deadline:
                            break
                run.iteration = i
                run.train_seconds += time.perf_counter() - chunk_start
                if i == n:
                    break
                if self._stale(run):
                    return
                now = time.perf_counter()
                if now - last_draw >= draw_gap:
                    draw_gap = max(MIN_REDRAW_SECONDS,
                                   REDRAW_FACTOR * self._draw(run, data, params))
                    last_draw = time.perf_counter()
                yield
            if self._stale(run):
                return
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                self._record(run, n, params, data, act)
            grew = divergence(run.train_costs)
            if grew:
                raise StopRun("diverged", self._diverged(run, grew))
        except StopRun as stop:
            run.state, run.message = stop.state, stop.message
            params = run.parameters
        else:
            run.state = "done"
        if self._stale(run):
            return
        self._draw(run, data, params)
        run.finished = time.perf_counter()
        if run.state == "done":
            run.message = self._summary(run)
            run.warning = learning_rate_warning(run.train_costs, run.iterations,
                                                run.settings["learning_rate"])
        self._say(run)

    def _checked(self, name, expect, *args, **kwargs):
        """First call of a learner function in a run: plain words if it fails or returns junk."""
        result, problem = run_learner_code(self.functions[name], *args, **kwargs)
        problem = problem or _check_result(name, result, expect)
        if problem:
            raise StopRun("failed", problem)
        return result

    def _fail(self, name, *args, **kwargs):
        """Turns an exception inside the fast loop into words naming the function."""
        _, problem = run_learner_code(self.functions[name], *args, **kwargs)
        raise StopRun("failed", problem or f"<b>{name}</b> failed during training: run its "
                                         "check above, then move a slider again.")

    def _record(self, run: Run, i: int, params, data, act, A2=None) -> None:
        """Records train and test cost at iteration i; stops the run if it diverged."""
        X, Y, X_test, Y_test = data
        f = self.functions
        try:
            A2 = f["forward_propagation"](X, params, **act)[0] if A2 is None else A2
            A2_test = f["forward_propagation"](X_test, params, **act)[0]
        except Exception:
            self._fail("forward_propagation", X_test, params, **act)
        try:
            train = float(np.squeeze(f["compute_cost"](A2, Y)))
            test = float(np.squeeze(f["compute_cost"](A2_test, Y_test)))
        except Exception:
            self._fail("compute_cost", A2_test, Y_test)
        run.iteration = i
        run.iterations.append(i)
        run.train_costs.append(train)
        run.test_costs.append(test)
        if not math.isfinite(train):
            raise StopRun("diverged", self._diverged(run, f"the cost became {train} at "
                                                        f"iteration {i}"))
        # a large learning rate may overshoot for a while and still converge (tanh, lr 10):
        # only a tenfold rise stops a run early; `divergence` judges the run when it ends
        if train > EXPLODED * run.train_costs[0]:
            grew = divergence([run.train_costs[0], train])
            raise StopRun("diverged", self._diverged(run, f"{grew} by iteration {i}"))
        run.parameters = params

    def _diverged(self, run: Run, what: str) -> str:
        s = run.settings
        if run.iterations[-1] == 0 and s["init_scale"] <= 1:
            advice = ("That is before any update, with small weights: check compute_cost "
                      "(a log of 0?) and forward_propagation.")
        elif run.iterations[-1] == 0:
            advice = (f"The very first forward pass already overflowed: init scale "
                      f"{s['init_scale']:.3g} is too large. Try an init scale of 1 or less "
                      "(0.01 is the lectures' choice).")
        else:
            advice = (f"Learning rate {s['learning_rate']:.3g} is too large for "
                      f"{s['activation']} with init scale {s['init_scale']:.3g}: try "
                      f"{s['learning_rate'] / 10:.3g}")
            advice += (", or a smaller init scale." if s["init_scale"] > 1 else ".")
        return f"Training diverged: {what}. {advice}"

    # -- drawing -----------------------------------------------------------------------
    def _grid(self, data):
        if self._grid_cache[0] is not data:
            X = np.hstack([data[0], data[2]])
            lo, hi = X.min(axis=1), X.max(axis=1)
            pad = 0.08 * (hi - lo) + 0.1
            lo, hi = lo - pad, hi + pad
            g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
            self._grid_cache = (data, (lo, hi, g1, g2, np.vstack([g1.ravel(), g2.ravel()])))
        return self._grid_cache[1]

    def _scene(self, data) -> dict:
        """The artists kept from frame to frame; rebuilt only when the data set changes
        (clearing axes and laying out ticks is most of a matplotlib frame)."""
        if self._scene_cache[0] is not data:
            X, Y, X_test, Y_test = data
            lo, hi, g1, g2, grid = self._grid(data)
            ax, bx = self._ax_map, self._ax_cost
            ax.clear()
            bx.clear()
            # an opaque RGB image drawn as is ("nearest") is the cheapest image for Agg to paint
            image = ax.imshow(probability_colors(None, g1.shape), origin="lower",
                              extent=(lo[0], hi[0], lo[1], hi[1]), interpolation="nearest")
            for points, labels, edge, size in ((X, Y, "white", 14), (X_test, Y_test, "k", 16)):
                colors = np.where(labels[0] > 0.5, CLASS_COLORS[1], CLASS_COLORS[0])
                ax.scatter(points[0], points[1], c=colors, s=size, edgecolors=edge,
                           linewidths=0.6)
            ax.set_xlim(lo[0], hi[0])
            ax.set_ylim(lo[1], hi[1])
            ax.set_xticks([])
            ax.set_yticks([])
            for label in ("train", "test"):
                plot_costs(bx, [], label)
            bx.legend(fontsize=8, loc="upper right")
            bx.locator_params(nbins=4)  # each tick label costs a few ms per frame
            self._scene_cache = (data, {
                "image": image, "contour": None, "lines": bx.lines[-2:],
                # a given y keeps matplotlib from re-placing the titles at every frame
                "map_title": ax.set_title("", fontsize=9, y=1.0, pad=4),
                "cost_title": bx.set_title("", fontsize=9, y=1.0, pad=4),
                # what went wrong, also for static copies of the figure (no status widget there)
                "problem": bx.text(0.5, 0.5, "", transform=bx.transAxes, ha="center",
                                   va="center", fontsize=9, color="#b00")})
        return self._scene_cache[1]

    def _draw(self, run: Run, data, params) -> float:
        """Redraws boundary and costs for `run` unless a newer run started; returns seconds."""
        start = time.perf_counter()
        with self._lock:
            if self._stale(run):
                return 0.0
            X, Y, X_test, Y_test = data
            lo, hi, g1, g2, grid = self._grid(data)
            art = self._scene(data)
            act = {"activation": run.settings["activation"]} if self.supports_activation else {}
            probabilities = None
            if params is not None:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    try:
                        probabilities = np.asarray(self.functions["forward_propagation"](
                            grid, params, **act)[0], dtype=float).reshape(g1.shape)
                        run.train_accuracy = accuracy(self.functions["predict"](
                            params, X, **act), Y)
                        run.test_accuracy = accuracy(self.functions["predict"](
                            params, X_test, **act), Y_test)
                    except Exception:
                        probabilities = None
            if art["contour"] is not None:
                art["contour"].remove()
                art["contour"] = None
            art["image"].set_data(probability_colors(probabilities, g1.shape))
            if probabilities is not None:
                finite = probabilities[np.isfinite(probabilities)]
                if finite.size and finite.min() < 0.5 < finite.max():
                    art["contour"] = self._ax_map.contour(g1, g2, probabilities, levels=[0.5],
                                                          colors="k", linewidths=1.0)
            s = run.settings
            title = f"{s['dataset']}: {s['n_h']} hidden {s['activation']} units"
            if run.train_accuracy is not None:
                title += (f"\ntrain {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}% "
                          "(test points ringed)")
            art["map_title"].set_text(title)
            top = 0.0
            for line, costs in zip(art["lines"], (run.train_costs, run.test_costs)):
                costs = np.asarray(costs, dtype=float)
                costs = np.where(np.isfinite(costs), costs, np.nan)
                line.set_data(run.iterations, costs)
                if np.isfinite(costs).any():
                    top = max(top, np.nanmax(costs))
            self._ax_cost.set_xlim(0, s["num_iterations"])
            self._ax_cost.set_ylim(0, 1.05 * top if top > 0 else 1.0)
            problem = run.message if run.state in ("failed", "diverged") else ""
            art["problem"].set_text(textwrap.fill(re.sub(r"<[^>]+>", "", problem), 48))
            art["cost_title"].set_text(f"cost, iteration {run.iteration} of "
                                       f"{s['num_iterations']}, learning rate "
                                       f"{s['learning_rate']:.3g}")
            self.figure.show(self._fig)
            run.redraws += 1
        if run.state == "running":
            self._say(run)
        seconds = time.perf_counter() - start
        run.draw_seconds += seconds
        return seconds

    def _summary(self, run: Run) -> str:
        text = (f"iteration {run.iteration} of {run.settings['num_iterations']} &middot; "
                f"cost train {run.train_costs[-1]:.4f}, test {run.test_costs[-1]:.4f}")
        if run.train_accuracy is not None:
            text += (f" &middot; accuracy train {run.train_accuracy:.1f}%, "
                     f"test {run.test_accuracy:.1f}%")
        return text

    def _say(self, run: Run) -> None:
        if run.state == "running":
            if run.train_costs:
                self.status.value = f"training&hellip; {self._summary(run)}"
        elif run.state == "done":
            self.status.value = f"{run.message} &middot; {run.seconds:.2f} s"
            if run.warning:
                self.status.value += f"<br><span style='color:#a60'>{run.warning}</span>"
        else:
            self.status.value = f"<span style='color:#b00'>{run.message}</span>"

    def _missing_keywords_note(self) -> str:
        notes = []
        if not self.supports_activation:
            notes.append("give <code>forward_propagation</code>, <code>backward_propagation"
                         "</code> and <code>predict</code> the keyword <code>activation="
                         "\"tanh\"</code> to try other activations")
        if not self.supports_init_scale:
            notes.append("give <code>initialize_parameters</code> the keyword "
                         "<code>init_scale=0.01</code> to move the init scale")
        if not self.supports_lambd:
            notes.append("L2 regularization: give <code>backward_propagation</code> a keyword "
                         "<code>lambd=0.0</code> (adding <code>lambd / m * W</code> to each "
                         "<code>dW</code>) to get a slider here")
        return grey_notes(notes)


def playground(initialize_parameters, forward_propagation, compute_cost, backward_propagation,
               update_parameters, predict, **defaults) -> Playground:
    """Shows the playground on the learner's functions; returns it (its controls can be set
    from code too). `defaults`: dataset, noise, test_ratio, n_h, activation, learning_rate,
    init_scale, num_iterations, seed, lambd, m."""
    return Playground(initialize_parameters, forward_propagation, compute_cost,
                      backward_propagation, update_parameters, predict, **defaults).show()
