"""Week 2's Playground, like TensorFlow Playground on the learner's one-hidden-layer functions:
each control change retrains and redraws the boundary (train and test points) and the costs.

    pg = playground(initialize_parameters, forward_propagation, compute_cost,
                    backward_propagation, update_parameters, predict)
"""

from __future__ import annotations

from ..learner_code import Columns, Parts
from ..planar import DATASETS
from .base import Keyword, PlanarExplorer
from .controls import choice, log_slider, slider, steps
from .frame import CostPanel, MapPanel
from .training import accuracy, learning_rate_warning, planar_data

ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
LAMBDAS = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
GRID = 100  # the decision boundary is evaluated on GRID x GRID points
FUNCTIONS = ("initialize_parameters", "forward_propagation", "compute_cost",
             "backward_propagation", "update_parameters", "predict")


class Playground(PlanarExplorer):
    NAME = "playground"
    FUNCTIONS = FUNCTIONS
    DEFAULTS = {"dataset": "flower", "noise": 0.2, "test_ratio": 0.2, "seed": 1, "n_h": 4,
                "activation": "tanh", "init_scale": 0.01, "learning_rate": 1.2,
                "num_iterations": 1000, "lambd": 0.0, "m": 400}
    COLUMNS = (("dataset", "noise", "test_ratio", "seed"), ("n_h", "activation", "init_scale"),
               ("learning_rate", "num_iterations", "lambd"))
    KEYWORDS = (
        Keyword("activation", ("forward_propagation", "backward_propagation", "predict"), "tanh",
                "{give} to try other activations"),
        Keyword("init_scale", ("initialize_parameters",), 0.01, "{give} to move the init scale"),
        # L2 regularization is not taught in weeks 1-3: its slider appears, unannounced, only
        # for a backward_propagation that takes lambd (adding lambd / m * W to each dW)
        Keyword("lambd", ("backward_propagation",), 0.0, "", literal=True))
    SIZE = (8.4, 3.4)
    BOXES = ([0.02, 0.03, 0.40, 0.85], [0.53, 0.15, 0.44, 0.73])

    def make_controls(self, v):
        return {"dataset": choice("data set", DATASETS, v["dataset"]),
                "noise": slider("noise", v["noise"], 0.0, 0.6, 0.05),
                "test_ratio": slider("test ratio", v["test_ratio"], 0.1, 0.5, 0.05),
                "seed": slider("seed", v["seed"], 0, 99),
                "n_h": slider("hidden units", v["n_h"], 1, 50),
                "activation": choice("activation", ACTIVATIONS, v["activation"]),
                "init_scale": log_slider("init scale", v["init_scale"], -3, 1),
                "learning_rate": log_slider("learning rate", v["learning_rate"], -3, 1),
                "num_iterations": slider("iterations", v["num_iterations"], 100, 5000, 100),
                "lambd": steps("L2 λ (lambd)", LAMBDAS, float(v["lambd"]))}

    def build(self, frame):
        self.map = MapPanel(frame, frame.axes[0], GRID)
        self.costs = CostPanel(frame, frame.axes[1], ("train", "test"))

    def start(self, run):
        s = run.settings
        X, Y, _, _ = self.planar(run)
        n_x, n_h = X.shape[0], s["n_h"]
        shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)}
        columns = Columns((1, X.shape[1]))
        params = self.check(run, "initialize_parameters", shapes, n_x, n_h, 1)
        A2, cache = self.check(run, "forward_propagation", Parts("A2, cache", columns, None),
                               X, params)
        self.check(run, "compute_cost", float, A2, Y)
        grads = self.check(run, "backward_propagation", {"d" + k: v for k, v in shapes.items()},
                           params, cache, X, Y)
        self.check(run, "update_parameters", shapes, params, grads, s["learning_rate"])
        self.check(run, "predict", columns, params, X)
        run.work["parameters"] = params

    def backward(self, run, X, Y, parameters, A2, cache):
        return self.call(run, "backward_propagation", parameters, cache, X, Y)

    def end(self, run):
        s = run.settings
        if run.halt is None:
            self.record_costs(run, s["num_iterations"], run.work["parameters"])
        if self.diverged(run):
            return
        self._accuracy(run)
        run.message = self.progress(run)
        run.warning = learning_rate_warning(run.costs, run.iterations, s["learning_rate"])

    def _accuracy(self, run):
        X, Y, X_test, Y_test = planar_data(run.settings)
        run.train_accuracy = accuracy(self.call(run, "predict", run.parameters, X), Y)
        run.test_accuracy = accuracy(self.call(run, "predict", run.parameters, X_test), Y_test)

    @staticmethod
    def _advice(run) -> str:
        s = run.settings
        if run.iterations[-1] == 0 and s["init_scale"] <= 1:
            return ("That is before any update, with small weights: check compute_cost (a log "
                    "of 0?) and forward_propagation.")
        if run.iterations[-1] == 0:
            return (f"The very first forward pass already overflowed: init scale "
                    f"{s['init_scale']:.3g} is too large. Try an init scale of 1 or less (0.01 "
                    "is the lectures' choice).")
        return (f"Learning rate {s['learning_rate']:.3g} is too large for {s['activation']} with "
                f"init scale {s['init_scale']:.3g}: try {s['learning_rate'] / 10:.3g}"
                + (", or a smaller init scale." if s["init_scale"] > 1 else "."))

    def draw(self, run):
        s = run.settings
        probabilities = self.boundary(run, (("white", 14, 0.6), ("k", 16, 0.6)))
        if probabilities is not None:
            self._accuracy(run)
        title = f"{s['dataset']}: {s['n_h']} hidden {s['activation']} units"
        if run.train_accuracy is not None:
            title += (f"\ntrain {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}% "
                      "(test points ringed)")
        self.map.show(probabilities, title)
        self.costs.show(run.iterations, (run.costs, run.test_costs), s["num_iterations"],
                        f"cost, iteration {run.iteration} of {s['num_iterations']}, learning "
                        f"rate {s['learning_rate']:.3g}", self.problem(run))


def playground(*functions, **defaults) -> Playground:
    """Shows the playground on the learner's FUNCTIONS and returns it (settings: DEFAULTS)."""
    return Playground(*functions, **defaults).show()
