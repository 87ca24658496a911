"""Week 4's optimizer race: gradient descent, momentum, RMSprop and Adam, each stepped by the
learner's own functions, from the same start on a 2-D loss surface (`course_utils.surfaces`).

    race = optimizer_race(update_parameters_with_gd, update_parameters_with_momentum,
                          initialize_velocity, update_parameters_with_rmsprop,
                          initialize_rmsprop, update_parameters_with_adam, initialize_adam)

The point w = (w1, w2) is the parameters {"W1": w as (1, 2), "b1": zeros (1, 1)} of a
one-layer network, so the learner's `len(parameters) // 2` loops see one layer; the gradient
is {"dW1": dJ/dw plus the step's mini-batch noise, "db1": 0}. The noise is seeded and the same
for every racer at every step, so the race is fair. Each racer stops alone when its loss
becomes nan or inf or exceeds EXPLODED times its start (its words name the learner's function
and a learning rate too large); a function not written yet leaves its racer out, and says so.
The contours are drawn once per surface, into the frame's kept background.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np

from ..learner_code import Parts, StopRun, failure_words, return_problem
from ..surfaces import SURFACES, grid
from .base import Explorer, Run, red
from .controls import LOOK, choice, log_slider, slider, steps
from .frame import TITLE, plain
from .training import EXPLODED

FUNCTIONS = ("update_parameters_with_gd", "update_parameters_with_momentum",
             "initialize_velocity", "update_parameters_with_rmsprop", "initialize_rmsprop",
             "update_parameters_with_adam", "initialize_adam")
TOLERANCE = 0.1  # a racer has reached the minimum once its distance to it is at most this
LOSS_FLOOR = 1e-8  # the bottom of the loss panel's log axis
BETA2S = (0.9, 0.99, 0.995, 0.999, 0.9999)
CONTOUR_GRID = 120  # the surface is evaluated on CONTOUR_GRID x CONTOUR_GRID points
CONTOUR_LEVELS = 14  # log-spaced contour lines between the loss near the minimum and the largest
PARAMETERS = {"W1": (1, 2), "b1": (1, 1)}  # the contract of a returned parameters dict
STATE = {"dW1": (1, 2), "db1": (1, 1)}  # of a state dict (v or s), keyed like the gradients
KEY_HINT = (" Here <code>parameters</code> holds <code>W1</code> and <code>b1</code>, while "
            "<code>grads</code> and the state dicts <code>v</code> and <code>s</code> are keyed "
            "like the gradients: <code>v[\"dW1\"]</code>, <code>v[\"db1\"]</code>.")


@dataclass(frozen=True)
class Optimizer:
    """A racer's name, the learner's update and initialization (None: no state) and colour."""

    key: str
    label: str
    update: str
    initialize: str | None
    color: str


OPTIMIZERS = (
    Optimizer("gd", "GD", "update_parameters_with_gd", None, "#222222"),
    Optimizer("momentum", "momentum", "update_parameters_with_momentum", "initialize_velocity",
              "#1f77b4"),
    Optimizer("rmsprop", "RMSprop", "update_parameters_with_rmsprop", "initialize_rmsprop",
              "#e67e22"),
    Optimizer("adam", "Adam", "update_parameters_with_adam", "initialize_adam", "#c0392b"),
)


@dataclass
class Racer:
    """One optimizer in a run: its points w after 0, 1, 2, ... steps and their losses; `state`
    is "racing", "done", "diverged" or "out" (its function is missing or broke: `message`);
    `reached`, the first step within TOLERANCE of the minimum (None: not yet)."""

    optimizer: Optimizer
    points: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    state: str = "racing"
    message: str = ""
    reached: int | None = None
    parameters: dict | None = field(default=None, repr=False)
    v: dict | None = field(default=None, repr=False)
    s: dict | None = field(default=None, repr=False)


@dataclass
class RaceRun(Run):
    """A run of the race: `racers` holds the shown optimizers by key, in OPTIMIZERS' order."""

    racers: dict = field(default_factory=dict)


def checkbox(description: str, value: bool):
    """A tick box in the controls' look, narrower than a slider."""
    import ipywidgets

    layout = LOOK["layout"] | {"width": "160px"}
    return ipywidgets.Checkbox(description=description, value=value, indent=False,
                               layout=layout)


def _forget_background(frame) -> None:
    """Makes the frame draw its kept background again at the next frame (here: new contours
    whose axes limits may be those of the old ones)."""
    frame._limits = None


def _log_ticks(ax) -> None:
    """Plain "1e-5" labels on a log axis (mathtext labels cost milliseconds each)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda value, _: f"1e{round(math.log10(value))}" if value > 0 else ""))
    ax.yaxis.set_minor_locator(NullLocator())


def _listed(names) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)


def _capital(words: str) -> str:
    """`words` starting a sentence: "momentum" -> "Momentum" ("RMSprop" stays)."""
    return words[:1].upper() + words[1:]


def _gist(message: str) -> str:
    """The first sentence of a message as plain text, without "finish its exercise ..."."""
    sentence = plain(message, 10_000).split(". ")[0]
    return sentence.split(": finish")[0]


class OptimizerRace(Explorer):
    """Controls, status line and one live figure around the learner's seven week 4 optimizer
    functions (FUNCTIONS, by position or by name); settings as keywords, see DEFAULTS."""

    NAME = "optimizer_race"
    FUNCTIONS = FUNCTIONS
    DEFAULTS = {"surface": "ravine", "learning_rate": 0.1, "beta": 0.9, "beta1": 0.9,
                "beta2": 0.999, "num_iterations": 200, "noise": 0.0, "seed": 0,
                "gd": True, "momentum": True, "rmsprop": True, "adam": True}
    COLUMNS = (("surface", "learning_rate", "num_iterations"), ("beta", "beta1", "beta2", "noise"),
               tuple(optimizer.key for optimizer in OPTIMIZERS))
    EXPLODED = None  # the run goes on: each racer stops alone (`_advance`)
    SIZE = (10.0, 3.5)
    BOXES = ([0.06, 0.14, 0.47, 0.76], [0.6, 0.14, 0.26, 0.76])
    RUN = RaceRun

    def check_settings(self, values):
        if values["learning_rate"] <= 0:
            raise ValueError(f"learning_rate must be above 0, got {values['learning_rate']}.")
        for name in ("beta", "beta1", "beta2"):
            if not 0 <= values[name] < 1:
                raise ValueError(f"{name} must be at least 0 and below 1, got {values[name]}.")
        if values["noise"] < 0:
            raise ValueError(f"noise must be 0 or more, got {values['noise']}.")

    def make_controls(self, v):
        controls = {"surface": choice("surface", SURFACES, v["surface"]),
                    "learning_rate": log_slider("learning rate α", v["learning_rate"], -3, 1),
                    "num_iterations": slider("steps", v["num_iterations"], 10, 1000, 10),
                    "beta": slider("β (momentum)", v["beta"], 0.0, 0.99, 0.01),
                    "beta1": slider("β1 (Adam)", v["beta1"], 0.0, 0.99, 0.01),
                    "beta2": steps("β2 (RMSprop, Adam)", BETA2S, v["beta2"]),
                    "noise": slider("mini-batch noise", v["noise"], 0.0, 2.0, 0.05)}
        return controls | {o.key: checkbox(f"show {o.label}", v[o.key]) for o in OPTIMIZERS}

    # -- training ------------------------------------------------------------------------------
    def start(self, run):
        s = run.settings
        surface = SURFACES[s["surface"]]
        run.racers = {o.key: Racer(o) for o in OPTIMIZERS if s[o.key]}
        if not run.racers:
            raise StopRun("failed", "Tick at least one optimizer to race.")
        rng = np.random.default_rng(s["seed"])
        run.work["noise"] = s["noise"] * rng.standard_normal((s["num_iterations"], 2))
        start = np.array(surface.start, dtype=float)
        for racer in run.racers.values():
            racer.points, racer.losses = [start], [float(surface.loss(start))]
            racer.parameters = {"W1": start.reshape(1, 2).copy(), "b1": np.zeros((1, 1))}
            try:
                self._initialize(racer)
            except StopRun as words:
                racer.state, racer.message = "out", words.message
                racer.points, racer.losses = [], []

    def _learner(self, name: str, contract, *args):
        """The learner's `name` called with args, its result held to `contract`: words if it
        raises or returns something else (a wrong dict key named, with the keys it needs)."""
        try:
            result = self.functions[name](*args)
        except Exception as error:  # the learner's code may raise anything
            hint = KEY_HINT if isinstance(error, KeyError) else ""
            raise StopRun("failed", failure_words(self.functions[name], error) + hint) from None
        problem = return_problem(name, result, contract)
        if problem:
            raise StopRun("failed", problem + (KEY_HINT if "returned no" in problem else ""))
        return result

    def _initialize(self, racer: Racer) -> None:
        name, params = racer.optimizer.initialize, racer.parameters
        if racer.optimizer.key == "adam":
            racer.v, racer.s = self._learner(name, Parts("v, s", STATE, STATE), params)
        elif racer.optimizer.key == "momentum":
            racer.v = self._learner(name, STATE, params)
        elif racer.optimizer.key == "rmsprop":
            racer.s = self._learner(name, STATE, params)

    def _update(self, racer: Racer, grads: dict, t: int, s: dict) -> dict:
        """One step of the racer's optimizer by the learner's update; returns new parameters."""
        name, params, lr = racer.optimizer.update, racer.parameters, s["learning_rate"]
        key = racer.optimizer.key
        if key == "gd":
            return self._learner(name, PARAMETERS, params, grads, lr)
        if key == "momentum":
            params, racer.v = self._learner(name, Parts("parameters, v", PARAMETERS, STATE),
                                            params, grads, racer.v, s["beta"], lr)
        elif key == "rmsprop":
            params, racer.s = self._learner(name, Parts("parameters, s", PARAMETERS, STATE),
                                            params, grads, racer.s, lr, s["beta2"])
        else:
            params, racer.v, racer.s, _, _ = self._learner(
                name, Parts("parameters, v, s, v_corrected, s_corrected", PARAMETERS, STATE,
                            STATE, None, None),
                params, grads, racer.v, racer.s, t, lr, s["beta1"], s["beta2"])
        return params

    def step(self, run, i):
        s = run.settings
        surface = SURFACES[s["surface"]]
        noise = run.work["noise"][i]
        racing = [racer for racer in run.racers.values() if racer.state == "racing"]
        for racer in racing:
            self._advance(run, racer, surface, noise, i + 1)
        if not any(racer.state == "racing" for racer in run.racers.values()):
            return s["num_iterations"]  # nobody left: the run is over
        return i + 1

    def _advance(self, run, racer: Racer, surface, noise, t: int) -> None:
        """Step t of one racer; it stops alone when its loss blows up or its function fails."""
        w = racer.points[-1]
        grads = {"dW1": (surface.grad(w) + noise).reshape(1, 2), "db1": np.zeros((1, 1))}
        try:
            racer.parameters = self._update(racer, grads, t, run.settings)
        except StopRun as words:
            racer.state, racer.message = "out", words.message
            if t == 1:  # not one step made: no path, left out
                racer.points, racer.losses = [], []
            return
        w = np.array(racer.parameters["W1"], dtype=float).reshape(2)
        loss = float(surface.loss(w))
        racer.points.append(w)
        racer.losses.append(loss)
        if racer.reached is None and np.linalg.norm(w - surface.minimum) <= TOLERANCE:
            racer.reached = t
        if not math.isfinite(loss) or loss > EXPLODED * racer.losses[0]:
            racer.state, racer.message = "diverged", self._divergence(run, racer, t)

    def _divergence(self, run, racer: Racer, t: int) -> str:
        """Words for a racer whose loss blew up at step t: the learner's function, the cause."""
        s, optimizer = run.settings, racer.optimizer
        first, loss, lr = racer.losses[0], racer.losses[-1], s["learning_rate"]
        how = (f"became {loss}" if not math.isfinite(loss) else
               f"grew from {first:.3g} to {loss:.3g}, more than {EXPLODED} times its start")
        words = (f"{_capital(optimizer.label)} diverged at step {t}: with "
                 f"<b>{optimizer.update}</b> the loss {how}. The learning rate {lr:.3g} is "
                 f"likely too large for {optimizer.label}: try {lr / 10:.3g}.")
        if optimizer.key == "rmsprop":
            words += (f" (Without bias correction its first steps are about 1/sqrt(1 - β2) = "
                      f"{1 / math.sqrt(1 - s['beta2']):.0f} times the learning rate.)")
        return words

    def end(self, run):
        for racer in run.racers.values():
            racer.state = "done" if racer.state == "racing" else racer.state
        states = {racer.state for racer in run.racers.values()}
        if "done" not in states:
            run.state = "diverged" if "diverged" in states else "failed"
        run.message = self._words(run)

    def _words(self, run) -> str:
        """The status line: each racer's final loss, the order they reached the minimum, and
        each problem in words."""
        racers = list(run.racers.values())
        done = [r for r in racers if r.state == "done"]
        lines = []
        if done:
            lines.append("Final loss: " + " &middot; ".join(
                f"{r.optimizer.label} {r.losses[-1]:.3g}" for r in done) + ".")
            lines.append(self._standings(run, racers))
        for racer in racers:
            if racer.state == "out":
                lines.append(red(f"{_capital(racer.optimizer.label)} is left out: {racer.message}"))
            elif racer.state == "diverged":
                lines.append(red(racer.message))
        return "<br>".join(lines)

    @staticmethod
    def _standings(run, racers) -> str:
        """Who came within TOLERANCE of the minimum first, and who finished without."""
        arrived = sorted((r for r in racers if r.reached is not None), key=lambda r: r.reached)
        missing = [r.optimizer.label for r in racers if r.state == "done" and r.reached is None]
        n = run.settings["num_iterations"]
        if not arrived:
            return f"None came within {TOLERANCE} of the minimum in {n} steps."
        words = f"Within {TOLERANCE} of the minimum first: " + ", then ".join(
            f"{r.optimizer.label} at step {r.reached}" for r in arrived)
        if missing:
            words += f"; {_listed(missing)} not within {n} steps"
        return words + "."

    def progress(self, run):
        return f"step {run.iteration} of {run.settings['num_iterations']}"

    # -- drawing -------------------------------------------------------------------------------
    def build(self, frame):
        """The contour panel with a path and a current point per optimizer, and the loss panel
        with a curve per optimizer on a log axis; both titled, the loss panel with a note."""
        contour_ax, loss_ax = frame.axes
        self.contour_ax, self.loss_ax = contour_ax, loss_ax
        self.contours, self.surface = [], None
        self.paths, self.heads, self.curves = {}, {}, {}
        for o in OPTIMIZERS:
            self.paths[o.key] = frame.animate(contour_ax.plot(
                [], [], "-o", color=o.color, lw=1.2, ms=2.2, label=o.label)[0])
            self.heads[o.key] = frame.animate(contour_ax.plot(
                [], [], "o", color=o.color, ms=7, mec="white", mew=1.0, zorder=4)[0])
            self.curves[o.key] = frame.animate(loss_ax.plot([], [], color=o.color, lw=1.4,
                                                            label=o.label)[0])
        (self.start_marker,) = contour_ax.plot([], [], "s", color="k", ms=5)
        (self.minimum_marker,) = contour_ax.plot([], [], "*", color="k", ms=11)
        contour_ax.set(xlabel="w1", ylabel="w2")
        contour_ax.xaxis.labelpad = contour_ax.yaxis.labelpad = 1
        self.contour_title = frame.title(contour_ax)
        _log_ticks(loss_ax)
        loss_ax.set(xlabel="step")
        loss_ax.xaxis.labelpad = 1
        loss_ax.locator_params(axis="x", nbins=4)
        contour_ax.locator_params(nbins=5)
        loss_ax.set_title("loss J(w), log scale", **TITLE)
        self.threshold = loss_ax.axhline(np.nan, color="#b00", lw=0.8, ls=":",
                                         label=f"{EXPLODED} x start:\ndiverged")
        # outside the axes, so it is drawn once into the background (text is slow to draw)
        loss_ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        self.note = frame.note(loss_ax, "#b00", 7)

    def _show_surface(self, name: str) -> None:
        """Contours of the surface (once per surface: the frame keeps them in its background),
        its start and minimum, and the axes' limits."""
        if name == self.surface:
            return
        surface = SURFACES[name]
        for contour in self.contours:
            contour.remove()
        W1, W2, J = grid(surface, CONTOUR_GRID)
        low, high = max(float(J.min()), 1e-3 * float(J.max())), float(J.max())
        levels = np.geomspace(low, high, CONTOUR_LEVELS)
        self.contours = [self.contour_ax.contourf(W1, W2, J, levels=levels, cmap="Greys",
                                                  alpha=0.3, extend="both"),
                         self.contour_ax.contour(W1, W2, J, levels=levels, colors="#999999",
                                                 linewidths=0.6)]
        self.start_marker.set_data([surface.start[0]], [surface.start[1]])
        self.minimum_marker.set_data([surface.minimum[0]], [surface.minimum[1]])
        w1_min, w1_max, w2_min, w2_max = surface.extent
        self.contour_ax.set(xlim=(w1_min, w1_max), ylim=(w2_min, w2_max))
        self.surface = name
        _forget_background(self.frame)

    def draw(self, run):
        s = run.settings
        self._show_surface(s["surface"])
        surface = SURFACES[s["surface"]]
        start_loss = float(surface.loss(np.array(surface.start)))
        self.loss_ax.set(xlim=(0, s["num_iterations"]),
                         ylim=(LOSS_FLOOR, 3 * EXPLODED * start_loss))
        self.threshold.set_ydata([EXPLODED * start_loss] * 2)
        for o in OPTIMIZERS:
            racer = run.racers.get(o.key)
            points = np.array(racer.points if racer else []).reshape(-1, 2)
            losses = racer.losses if racer else []
            self.paths[o.key].set_data(points[:, 0], points[:, 1])
            self.heads[o.key].set_data(points[-1:, 0], points[-1:, 1])
            self.curves[o.key].set_data(np.arange(len(losses)), losses)
        self.contour_title.set_text(
            f"{s['surface']}: step {run.iteration} of {s['num_iterations']}, learning rate "
            f"{s['learning_rate']:.3g}" + (f", noise {s['noise']:g}" if s["noise"] else ""))
        self.note.set_text(self._problems(run))

    @staticmethod
    def _problems(run) -> str:
        """What went wrong, in a few words per racer, for the figure (static copies have no
        status line)."""
        if run.state == "failed" and not run.racers:
            return plain(run.message, 40)
        lines = []
        for racer in run.racers.values():
            label = _capital(racer.optimizer.label)
            if racer.state == "diverged":
                lines.append(f"{label} diverged at step {len(racer.losses) - 1}")
            elif racer.state == "out":
                lines.append(textwrap.fill(f"{label} left out: {_gist(racer.message)}", 44))
        return "\n".join(lines)


def optimizer_race(*functions, **defaults) -> OptimizerRace:
    """Shows the optimizer race on the learner's seven functions (FUNCTIONS, in that order)
    and returns it; `defaults` as in OptimizerRace.DEFAULTS."""
    return OptimizerRace(*functions, **defaults).show()
