"""Week 4's regularization explorer: L2 (λ) and dropout (keep_prob) on the learner's own
functions, on a small noisy planar training set that a big 3-layer network learns by heart.

    rx = regularization_explorer(compute_cost_with_regularization,
                                 backward_propagation_with_regularization,
                                 forward_propagation_with_dropout,
                                 backward_propagation_with_dropout,
                                 update_parameters_with_gd, initialize_parameters_he,
                                 initialize_parameters_zeros=initialize_parameters_zeros,
                                 initialize_parameters_random=initialize_parameters_random)

The network is the given LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID of
`three_layer` with n_h units in both hidden layers, trained by full-batch gradient descent:
with keep_prob < 1 a step is the learner's dropout forward (fresh masks: `seed=` the
iteration) and dropout backward; otherwise the given forward and, for λ > 0, the learner's
L2 backward (for λ = 0 the given backward, as in the lectures' model). λ and keep_prob act one
at a time, as in the classic assignment: with keep_prob < 1 the run ignores λ (a note says so).
It draws the decision boundary with the training points (filled) and the test points
(hollow), the train and test cross-entropy (the learner's cost with λ = 0, so runs with
different λ compare; the network without dropout), and the spread of A1, A2, A3 at init
(bars) and after training (dots), which is where the initializations differ. `init_scale`
multiplies the weights the chosen initialization returns (its biases are left alone): with
relu layers and zero biases the spread of A[l] scales as init_scale**l, so 0.01 shows the
activations vanishing layer by layer and 10 shows them exploding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..learner_code import Columns, Parts, StopRun, accepts_keyword, failure_words, return_problem
from ..planar import DATASETS, make_dataset
from ..three_layer import three_layer_backward, three_layer_forward
from .base import Explorer, Run
from .controls import choice, log_slider, slider, steps
from .frame import CostPanel, MapPanel
from .training import accuracy, learning_rate_warning

COST = "compute_cost_with_regularization"
L2_BACKWARD = "backward_propagation_with_regularization"
DROPOUT_FORWARD = "forward_propagation_with_dropout"
DROPOUT_BACKWARD = "backward_propagation_with_dropout"
UPDATE = "update_parameters_with_gd"
FUNCTIONS = (COST, L2_BACKWARD, DROPOUT_FORWARD, DROPOUT_BACKWARD, UPDATE,
             "initialize_parameters_he")
OPTIONAL = ("initialize_parameters_zeros", "initialize_parameters_random")  # for the init menu
INITIALIZERS = {"He": "initialize_parameters_he", "random ×10": "initialize_parameters_random",
                "zeros": "initialize_parameters_zeros"}
RECIPES = {"He": "randn × sqrt(2 / n[l-1])", "random ×10": "randn ×10", "zeros": "zeros"}
SCALE_EXPONENTS = (-2, 1)  # the init scale slider runs over 10**-2 .. 10**1
LAMBDAS = (0.0, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 2.0, 3.0)
GRID = 100  # the decision boundary is evaluated on GRID x GRID points
POINTS = 100  # costs recorded per run
TEST_SEED = 1000  # the test set is drawn with seed + TEST_SEED: the same for every training size
BLOWN_UP = 100  # a hidden spread this many times its initial one (or 1, if larger) halts a run
SPREAD_FLOOR, SPREAD_CEILING = 1e-8, 1e6  # the spread panel's fixed log range
NEAR = 1e-3  # an output this close to 0 or 1 is saturated
SATURATED = 0.5  # a network with this fraction of its outputs saturated at init starts saturated
FLAT = 0.01  # an output spread below this at init: every example starts at about the same output
NOTE = "<div style='color:#666;font-size:90%'>{}.</div>"


@lru_cache(maxsize=16)
def regularization_data(dataset: str, m: int, m_test: int, noise: float, seed: int):
    """X, Y (m training points), X_test, Y_test (m_test points, drawn apart), the same arrays
    for the same arguments; bad values raise in words (`planar.make_dataset`)."""
    X, Y = make_dataset(dataset, m, noise, seed)
    X_test, Y_test = make_dataset(dataset, m_test, noise, seed + TEST_SEED)
    return X, Y, X_test, Y_test


def _data(settings: dict):
    return regularization_data(*(settings[k] for k in ("dataset", "m", "m_test", "noise", "seed")))


def spreads(cache) -> list[float]:
    """[std A1, std A2, std A3] from a 12-tuple cache of `three_layer_forward`."""
    return [float(np.std(cache[k])) for k in (1, 5, 9)]


def blown_up(initial, now, i: int) -> str | None:
    """Words for a network whose activations blew up (a spread BLOWN_UP times its initial
    one, or than 1 if that is larger, or not finite) or died (an output that no longer varies)
    by iteration i, or None. A network started at a small scale may grow its spreads to about
    1 while it learns: that is not blowing up."""
    for name, before, after in zip(("A1", "A2"), initial, now):
        if not math.isfinite(after) or before > 0 and after > BLOWN_UP * max(before, 1.0):
            return (f"the spread of {name} grew from {before:.3g} to {after:.3g} by iteration "
                    f"{i} (the weights blew up)")
    if initial[2] > 0 and now[2] == 0:
        return (f"by iteration {i} the output A3 is the same for every example (the relu units "
                "died)")
    return None


def scaled(parameters: dict, scale: float) -> dict:
    """A new dict: the weights W1, W2, ... times `scale`, the biases as they are."""
    return {key: scale * value if key.startswith("W") else value
            for key, value in parameters.items()}


def saturation(A3) -> tuple[float, bool]:
    """The fraction of outputs within NEAR of 0 or 1, and whether one is exactly 0 or 1."""
    A3 = np.asarray(A3, dtype=float)
    return float(np.mean((A3 < NEAR) | (A3 > 1 - NEAR))), bool(np.any((A3 == 0) | (A3 == 1)))


def confidently_wrong(A3, Y) -> bool:
    """Whether an output is exactly 0 on an example of class 1, or exactly 1 on one of class 0."""
    return bool(np.any((A3 == 0) & (Y == 1) | (A3 == 1) & (Y == 0)))


def _dropout_cache_problem(cache) -> str | None:
    if isinstance(cache, tuple) and len(cache) == 14:
        return None
    parts = f"{len(cache)} parts" if isinstance(cache, (tuple, list)) else type(cache).__name__
    return ("returned a cache of " + parts + ": it must be the 14-tuple <code>(Z1, D1, A1, W1, "
            "b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)</code>.")


@dataclass
class RegularizationRun(Run):
    """`spreads["init"]`, `spreads["end"]`: [std A1, std A2, std A3] of the network without
    dropout on the training set; `regularized_cost`: the final J with its L2 term (λ > 0)."""

    spreads: dict = field(default_factory=dict)
    regularized_cost: float | None = None


class RegularizationExplorer(Explorer):
    """Controls, status line and one live figure around the learner's week 4 regularization
    functions (FUNCTIONS, by position or by name; OPTIONAL by name or as the 7th and 8th)."""

    NAME = "regularization_explorer"
    FUNCTIONS = FUNCTIONS
    DEFAULTS = {"dataset": "moons", "m": 80, "n_h": 50, "lambd": 0.0, "keep_prob": 1.0,
                "initialization": "He", "init_scale": 1.0, "learning_rate": 0.3,
                "num_iterations": 2000, "noise": 0.3, "m_test": 200, "seed": 1}
    COLUMNS = (("dataset", "m", "n_h"), ("lambd", "keep_prob", "learning_rate"),
               ("initialization", "init_scale", "num_iterations"))
    SIZE = (11.0, 3.3)
    BOXES = ([0.005, 0.04, 0.27, 0.80], [0.33, 0.15, 0.36, 0.70], [0.78, 0.15, 0.2, 0.70])
    RUN = RegularizationRun

    def __init__(self, *functions, **values):
        if len(functions) > len(FUNCTIONS) + len(OPTIONAL):
            raise TypeError(f"{self.NAME}: takes at most {len(FUNCTIONS) + len(OPTIONAL)} "
                            f"functions, got {len(functions)}.")
        optional = dict(zip(OPTIONAL, functions[len(FUNCTIONS):]))
        optional |= {name: values.pop(name) for name in OPTIONAL if name in values}
        optional = {name: fn for name, fn in optional.items() if fn is not None}
        self.FUNCTIONS = FUNCTIONS + tuple(name for name in OPTIONAL if name in optional)
        self.schemes = tuple(s for s, name in INITIALIZERS.items()
                             if name in FUNCTIONS or name in optional)
        super().__init__(*functions[:len(FUNCTIONS)], **values, **optional)
        self.fresh_masks = accepts_keyword(self.functions[DROPOUT_FORWARD], "seed")
        self._notes(self.settings())

    def check_settings(self, values):
        _data(values)  # a bad data set name, m or noise, in words
        if not 0 < values["keep_prob"] <= 1:
            raise ValueError(f"keep_prob must be in (0, 1], got {values['keep_prob']!r}: 1 "
                             "keeps every unit (no dropout), 0.8 drops a fifth.")
        if values["lambd"] < 0:
            raise ValueError(f"lambd must be 0 or more, got {values['lambd']!r}.")
        scale = values["init_scale"]
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or \
                not 0 < scale < math.inf:
            raise ValueError(f"init_scale must be a positive number, got {scale!r}: it "
                             "multiplies the initial weights (1 keeps them, 0.01 shrinks them).")
        scheme = values["initialization"]
        if scheme in INITIALIZERS and scheme not in self.schemes:
            raise ValueError(f"initialization {scheme!r} needs your "
                             f"{INITIALIZERS[scheme]}: pass it to {self.NAME} by name.")

    def make_controls(self, v):
        return {"dataset": choice("data set", DATASETS, v["dataset"]),
                "m": slider("training points", v["m"], 20, 400, 10),
                "n_h": slider("hidden units", v["n_h"], 2, 100),
                "lambd": steps("L2 λ (lambd)", LAMBDAS, float(v["lambd"])),
                "keep_prob": slider("keep_prob", float(v["keep_prob"]), 0.5, 1.0, 0.05),
                "initialization": choice("initialization", self.schemes, v["initialization"]),
                "init_scale": log_slider("init scale ×", float(v["init_scale"]),
                                         *SCALE_EXPONENTS),
                "learning_rate": log_slider("learning rate", v["learning_rate"], -3, 1),
                "num_iterations": slider("iterations", v["num_iterations"], 100, 5000, 100)}

    def run(self, sync: bool = False) -> Run:
        self._notes(self.settings())
        return super().run(sync)

    def _notes(self, s: dict) -> None:
        """The notes under the controls: initializations not passed in, λ ignored by dropout."""
        notes = []
        missing = [name for name in OPTIONAL if name not in self.functions]
        if missing:
            names = " and ".join(f"<code>{name}</code>" for name in missing)
            notes.append(f"To compare initializations, pass {self.NAME} your {names} too (by "
                         "name)")
        if s["keep_prob"] < 1 and s["lambd"] > 0:
            notes.append(f"λ = {s['lambd']:g} is ignored while keep_prob is below 1: this "
                         "explorer uses one regularization at a time, as the classic assignment "
                         f"does, so with keep_prob {s['keep_prob']:.2f} it trains with dropout "
                         "only (set keep_prob to 1 to use λ)")
        self.note.value = "".join(NOTE.format(note) for note in notes)

    # -- training ------------------------------------------------------------------------------
    def dropout_forward(self, run: Run, X, parameters: dict, i: int):
        """The learner's dropout forward, with fresh masks (`seed=i`) if it takes `seed`."""
        fn = self.functions[DROPOUT_FORWARD]
        seed = {"seed": i} if self.fresh_masks else {}
        try:
            return fn(X, parameters, run.settings["keep_prob"], **seed)
        except Exception as error:  # the learner's code may raise anything
            raise StopRun("failed", failure_words(fn, error)) from None

    def start(self, run):
        s = run.settings
        X, Y, _, _ = run.work["data"] = _data(s)
        m, n_h = X.shape[1], s["n_h"]
        run.every = max(1, s["num_iterations"] // POINTS)
        shapes = {"W1": (n_h, X.shape[0]), "b1": (n_h, 1), "W2": (n_h, n_h), "b2": (n_h, 1),
                  "W3": (1, n_h), "b3": (1, 1)}
        gradients = {"d" + key: shape for key, shape in shapes.items()}
        np.random.seed(s["seed"])  # for an initialization that does not seed itself
        params = scaled(self.check(run, INITIALIZERS[s["initialization"]], shapes,
                                   [X.shape[0], n_h, n_h, 1]), s["init_scale"])
        A3, cache = three_layer_forward(X, params)
        run.spreads["init"] = spreads(cache)
        run.work["saturation"] = saturation(A3)
        self.check(run, COST, float, A3, Y, params, s["lambd"])
        grads = self.check(run, L2_BACKWARD, gradients, X, Y, cache, s["lambd"])
        result = self.dropout_forward(run, X, params, 0)
        problem = return_problem(DROPOUT_FORWARD, result, Parts(
            "A3, cache", Columns((1, m)), _dropout_cache_problem))
        if problem:
            raise StopRun("failed", problem)
        dropout_grads = self.check(run, DROPOUT_BACKWARD, gradients, X, Y, result[1],
                                   s["keep_prob"])
        copy = {key: np.array(value, copy=True) for key, value in params.items()}
        self.check(run, UPDATE, shapes, copy, dropout_grads if s["keep_prob"] < 1 else grads,
                   s["learning_rate"])
        run.work["parameters"] = params

    def step(self, run, i):
        s = run.settings
        X, Y, _, _ = run.work["data"]
        params = run.work["parameters"]
        dropout = s["keep_prob"] < 1
        if dropout:
            A3, cache = self.dropout_forward(run, X, params, i)
        else:
            A3, cache = three_layer_forward(X, params)
        if i % run.every == 0:  # the cost is that of the network without dropout
            self.record_costs(run, i, params, None if dropout else (A3, cache))
            if run.halt:
                return i
        if dropout:
            grads = self.call(run, DROPOUT_BACKWARD, X, Y, cache, s["keep_prob"])
        elif s["lambd"] > 0:
            grads = self.call(run, L2_BACKWARD, X, Y, cache, s["lambd"])
        else:
            grads = three_layer_backward(X, Y, cache)
        run.work["parameters"] = self.call(run, UPDATE, params, grads, s["learning_rate"])
        return i + 1

    def record_costs(self, run: Run, i: int, params: dict, clean=None) -> None:
        """Records the train and test cross-entropy of `params` (the learner's cost with
        λ = 0, on the network without dropout; clean: its (A3, cache) on X, if known); halts
        when the activations blew up or died (`blown_up`)."""
        X, Y, X_test, Y_test = run.work["data"]
        A3, cache = three_layer_forward(X, params) if clean is None else clean
        test_cost = self.call(run, COST, three_layer_forward(X_test, params)[0], Y_test, params,
                              0.0)
        blown = blown_up(run.spreads["init"], spreads(cache), i)
        self.record(run, i, self.call(run, COST, A3, Y, params, 0.0), test_cost,
                    None if blown else params)
        run.halt = run.halt or blown

    def end(self, run):
        s = run.settings
        X, Y, _, _ = run.work["data"]
        if run.halt is None:
            self.record_costs(run, s["num_iterations"], run.work["parameters"])
        params = run.parameters if run.parameters is not None else run.work["parameters"]
        A3, cache = three_layer_forward(X, params)
        run.spreads["end"] = spreads(cache)
        if self.diverged(run):
            return
        self._accuracy(run)
        if s["lambd"] > 0 and s["keep_prob"] == 1:
            run.regularized_cost = float(np.squeeze(self.call(run, COST, A3, Y, params,
                                                              s["lambd"])))
        run.message = self.progress(run)
        run.warning = " ".join(filter(None, (
            self._init_words(run), self._scale_words(run), self._mask_words(run),
            learning_rate_warning(run.costs, run.iterations, s["learning_rate"]),
            self._test_words(run))))

    def _accuracy(self, run):
        X, Y, X_test, Y_test = _data(run.settings)
        run.train_accuracy = accuracy(three_layer_forward(X, run.parameters)[0] > 0.5, Y)
        run.test_accuracy = accuracy(three_layer_forward(X_test, run.parameters)[0] > 0.5,
                                     Y_test)

    @staticmethod
    def _weights(s: dict) -> str:
        """"the weights of <initializer> (<recipe>)", and the init scale unless it is 1."""
        scheme = s["initialization"]
        times = f" times init scale {s['init_scale']:.3g}" if s["init_scale"] != 1 else ""
        return f"the weights of {INITIALIZERS[scheme]} ({RECIPES[scheme]}){times}"

    @staticmethod
    def _remedy(s: dict) -> str:
        if s["initialization"] != "He":
            return "choose He" + (" at init scale 1" if s["init_scale"] > 1 else "")
        return "set the init scale back to 1" if s["init_scale"] > 1 else \
            "try a smaller init scale"

    def _advice(self, run) -> str:
        """The likely cause of a diverged run, naming the learner's function, and the
        initialization with its scale when the network started saturated."""
        s, lr = run.settings, run.settings["learning_rate"]
        A1, A2, _ = run.spreads["init"]
        near, exact = run.work.get("saturation", (0.0, False))
        if run.iterations[-1] == 0 and exact:
            return (f"That is before any update: with {self._weights(s)} the spread of A1 is "
                    f"{A1:.3g} and of A2 {A2:.3g}, so the output sigmoid saturates at exactly 0 "
                    "or 1 and a confident wrong answer costs −log 0 = ∞. This is why the scale "
                    f"of the initialization matters: {self._remedy(s)}.")
        if run.iterations[-1] == 0:
            return (f"That is before any update: check {COST} (a log of 0?) and "
                    f"{INITIALIZERS[s['initialization']]}.")
        X, _, _, _ = run.work["data"]
        if not math.isfinite(run.costs[-1]) and near >= SATURATED and saturation(
                three_layer_forward(X, run.work["parameters"])[0])[1]:
            return (f"The network started saturated: with {self._weights(s)} the spread of A2 "
                    f"was {A2:.3g} and {near:.0%} of the outputs were within {NEAR:g} of 0 or "
                    "1; a few updates later one is exactly 0 or 1, where the log in the cost "
                    f"is −∞. To start unsaturated, {self._remedy(s)}.")
        return (f"The steps of {UPDATE} with learning rate {lr:.3g} are too large for this "
                f"network: try {lr / 10:.3g}.")

    @staticmethod
    def _init_words(run) -> str:
        A1, A2, _ = run.spreads["init"]
        if A1 == 0 and A2 == 0:
            scale = (f" (init scale {run.settings['init_scale']:.3g} times 0 is still 0)"
                     if run.settings["init_scale"] != 1 else "")
            return (f"With zeros{scale} every hidden unit computes the same thing and relu(0) "
                    "= 0: A1 and A2 have spread 0, no gradient reaches W1, W2 or W3 and only b3 "
                    "learns, so the boundary is flat. Random initialization breaks this "
                    "symmetry.")
        return ""

    def _scale_words(self, run) -> str:
        """What the spreads at init did to the cost: a flat start (vanishing) or a saturated
        one (exploding), measured on this run; "" for neither."""
        s, (A1, A2, A3) = run.settings, run.spreads["init"]
        near, _ = run.work.get("saturation", (0.0, False))
        if 0 < A3 < FLAT and A1 > A2 > A3:
            start = run.costs[0]
            left = next((i for i, cost in zip(run.iterations, run.costs)
                         if abs(cost - start) > 0.01 * start), None)
            stayed = (f"until iteration {left}" if left is not None else
                      f"for all {run.iterations[-1]} iterations")
            return (f"With {self._weights(s)} the spreads shrink layer by layer (A1 {A1:.2g}, "
                    f"A2 {A2:.2g}, A3 {A3:.2g}): every example starts at about the same output, "
                    f"so the cost stayed within 1% of its start, {start:.3g}, {stayed}.")
        if near >= SATURATED:
            return (f"With {self._weights(s)} the spread of A2 is {A2:.3g} at init and "
                    f"{near:.0%} of the outputs start within {NEAR:g} of 0 or 1, so the first "
                    f"cost is {run.costs[0]:.3g}.")
        return ""

    @staticmethod
    def _test_words(run) -> str:
        if not run.test_costs or math.isfinite(run.test_costs[-1]):
            return ""
        _, _, X_test, Y_test = run.work["data"]
        if not confidently_wrong(three_layer_forward(X_test, run.parameters)[0], Y_test):
            return ""
        return (f"The test cost is {run.test_costs[-1]}: on a test example the output is exactly "
                "0 or 1 for the wrong class, and −log 0 = ∞.")

    def _mask_words(self, run) -> str:
        if self.fresh_masks or run.settings["keep_prob"] == 1:
            return ""
        return (f"Your {DROPOUT_FORWARD} takes no <code>seed</code>, so it seeds 1 and draws "
                "the same masks at every step: this trains one fixed thinned network, not "
                "dropout. Give it the keyword <code>seed=1</code> and call "
                "<code>np.random.seed(seed)</code> for fresh masks.")

    def progress(self, run) -> str:
        if not run.costs:
            return ""
        text = (f"iteration {run.iteration} of {run.settings['num_iterations']} &middot; "
                f"cross-entropy train {run.costs[-1]:.4f}, test {run.test_costs[-1]:.4f}")
        if run.regularized_cost is not None:
            text += f" (J with the L2 term {run.regularized_cost:.4f})"
        if run.train_accuracy is not None:
            text += (f" &middot; accuracy train {run.train_accuracy:.1f}%, "
                     f"test {run.test_accuracy:.1f}%")
        return text

    # -- drawing -------------------------------------------------------------------------------
    def build(self, frame):
        """The map, the cost curves and the spread bars (a log axis with plain labels)."""
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

        self.map = MapPanel(frame, frame.axes[0], GRID)
        self.costs = CostPanel(frame, frame.axes[1], ("train", "test"), wrap=60)
        ax = self.spread_ax = frame.axes[2]
        ax.set_yscale("log")
        ax.set(ylim=(SPREAD_FLOOR, SPREAD_CEILING), xlim=(0.4, 3.6), xticks=[1, 2, 3],
               xticklabels=["A1", "A2", "A3"])
        ax.yaxis.set_major_locator(FixedLocator([1e-6, 1e-4, 1e-2, 1, 1e2, 1e4]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"1e{round(math.log10(value))}"
                                                   if value != 1 else "1"))
        ax.yaxis.set_minor_locator(NullLocator())
        # no legend: an animated one costs a few ms of text a frame, the title says it
        self.spread_title = frame.title(ax)
        self.bars = list(ax.bar([1, 2, 3], [0, 0, 0], bottom=SPREAD_FLOOR, width=0.6,
                                color="#9ecae1"))
        frame.animate(*self.bars)
        self.after = frame.animate(ax.plot([], [], "o", color="#08519c", markersize=4)[0])
        self.bar_labels = [frame.animate(ax.text(x, 1.5 * SPREAD_FLOOR, "", ha="center",
                                                 va="bottom", fontsize=7)) for x in (1, 2, 3)]

    def _show_points(self, data) -> None:
        """Training points filled, test points hollow (ringed in their class colour)."""
        if self.map.data is data:
            return
        self.map.show_data(data, (("k", 24, 0.6), ("none", 14, 0.9)))
        test = self.map.points[1]
        test.set_edgecolors(test.get_facecolors())
        test.set_facecolors("none")

    def draw(self, run):
        s = run.settings
        data = _data(s)
        self._show_points(data)
        probabilities = None
        if run.parameters is not None:
            probabilities = three_layer_forward(self.map.grid, run.parameters)[0]
            self._accuracy(run)
        title = {"failed": "not trained", "diverged": "training diverged"}.get(run.state) or (
            "training…" if run.train_accuracy is None else
            f"train {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%")
        self.map.show(probabilities, f"{s['dataset']}: {s['m']} training points (filled), "
                                     f"test hollow\n{title}")
        self.costs.show(run.iterations, (run.costs, run.test_costs), s["num_iterations"],
                        f"cross-entropy cost, {self._regularizer(s)}", self.problem(run))
        self._show_spreads(run)

    @staticmethod
    def _regularizer(s: dict) -> str:
        if s["keep_prob"] < 1:
            ignored = f" (λ {s['lambd']:g} ignored)" if s["lambd"] > 0 else ""
            return f"dropout keep_prob {s['keep_prob']:.2f}{ignored}"
        return f"L2 λ = {s['lambd']:g}" if s["lambd"] > 0 else "no regularization"

    def _show_spreads(self, run) -> None:
        s = run.settings
        self.spread_title.set_text(f"std of A[l], {s['initialization']}, init scale "
                                   f"{s['init_scale']:.3g}:\nbars at init, dots after training")
        init = run.spreads.get("init", [math.nan] * 3)
        for bar, label, value in zip(self.bars, self.bar_labels, init):
            shown = min(max(value, SPREAD_FLOOR), SPREAD_CEILING) if math.isfinite(value) \
                else SPREAD_FLOOR
            bar.set_height(shown - SPREAD_FLOOR)
            label.set_text("" if math.isnan(value) else f"{value:.2g}")
        end = np.asarray(run.spreads.get("end", [math.nan] * 3), dtype=float)
        self.after.set_data([1, 2, 3], np.where(end > 0, end, np.nan))


def regularization_explorer(*functions, **defaults) -> RegularizationExplorer:
    """Shows the regularization explorer on the learner's functions (FUNCTIONS, in that
    order; optionally initialize_parameters_zeros= and initialize_parameters_random=) and
    returns it; `defaults` as in RegularizationExplorer.DEFAULTS."""
    return RegularizationExplorer(*functions, **defaults).show()
