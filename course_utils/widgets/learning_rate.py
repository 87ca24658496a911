"""Week 1's learning-rate explorer: learning rate and iterations sliders on the learner's
logistic regression, with its cost curve and train and test accuracy.

    learning_rate_explorer(initialize_with_zeros, optimize, predict,
                           X_train, Y_train, X_test, Y_test)   # trains in chunks, cancellable
    learning_rate_explorer(model, X_train, Y_train, X_test, Y_test)  # one call of model a run

A chunk is one `optimize(w, b, X, Y, 100, learning_rate)`, which records exactly the cost that
`model` would (one every 100 iterations), so the curve is the same, growing while it trains.
"""

from __future__ import annotations

import numpy as np

from ..learner_code import Columns, Parts
from .base import Explorer, red
from .controls import log_slider, slider
from .frame import CostPanel
from .training import accuracy, divergence

STEP = 100  # iterations per optimize call: one recorded cost, as in model's costs list


def _one_cost(costs) -> str | None:
    return None if np.size(costs) == 1 else (f"returned {np.size(costs)} costs for {STEP} "
                                             "iterations: record one when i % 100 == 0.")


class LearningRateExplorer(Explorer):
    """The learner's (initialize_with_zeros, optimize, predict), or (model), then the data
    X_train, Y_train, X_test, Y_test; settings as keywords, see DEFAULTS."""

    NAME = "learning_rate_explorer"
    FUNCTIONS = ("initialize_with_zeros", "optimize", "predict")
    DEFAULTS = {"learning_rate": 0.005, "num_iterations": 1000}
    COLUMNS = (("learning_rate",), ("num_iterations",))
    EXPLODED = None  # logistic regression: judge the whole curve, stop only at nan or inf
    TIMED = False  # its status line as it always was
    SIZE, BOXES = (7.5, 3.2), ([0.11, 0.15, 0.85, 0.74],)

    def __init__(self, *args, **values):
        args += tuple(values.pop(k) for k in ("X_train", "Y_train", "X_test", "Y_test")
                      if k in values)
        if not (len(args) > 3 and all(map(callable, args[:3]))):
            self.FUNCTIONS = ("model",)
        self.data = args[len(self.FUNCTIONS):]
        if len(self.data) != 4:
            raise TypeError(f"{self.NAME}: pass the data after your functions: X_train, "
                            "Y_train, X_test, Y_test.")
        super().__init__(*args[:len(self.FUNCTIONS)], **values)

    def make_controls(self, v):
        return {"learning_rate": log_slider("learning rate", v["learning_rate"], -4, 1,
                                            readout=".4f"),
                "num_iterations": slider("iterations", v["num_iterations"], 100, 3000, 100)}

    def build(self, frame):
        self.costs = CostPanel(frame, frame.axes[0], wrap=90, title_size=12, from_zero=False)

    def start(self, run):
        X = self.data[0]
        run.every = STEP
        if "model" not in self.functions:
            w, b = self.check(run, "initialize_with_zeros", Parts("w, b", (X.shape[0], 1), float),
                              X.shape[0])
            self.check(run, "predict", Columns((1, X.shape[1])), w, b, X)
            run.work["parameters"] = {"w": w, "b": b}

    def step(self, run, i):
        X, Y, X_test, Y_test = self.data
        lr, n = run.settings["learning_rate"], run.settings["num_iterations"]
        if "model" in self.functions:
            result = self.check(run, "model", {
                "costs": None, "Y_prediction_train": Columns(Y.shape),
                "Y_prediction_test": Columns(Y_test.shape)}, X, Y, X_test, Y_test, n, lr)
            for k, cost in enumerate(np.ravel(np.asarray(result["costs"], dtype=float))):
                self.record(run, k * STEP, cost)
                if run.halt:
                    break
            run.work["predictions"] = result["Y_prediction_train"], result["Y_prediction_test"]
            return n
        w, b = run.work["parameters"]["w"], run.work["parameters"]["b"]
        params, _, costs = self.check(run, "optimize", Parts(
            "params, grads, costs", {"w": w.shape, "b": float}, None, _one_cost),
            w, b, X, Y, STEP, lr)
        run.work["parameters"] = params
        self.record(run, i, np.ravel(np.asarray(costs, dtype=float))[0])
        return i + STEP

    def _accuracy(self, run):
        X, Y, X_test, Y_test = self.data
        p = run.work.get("parameters")
        train, test = run.work.get("predictions") or [
            self.call(run, "predict", p["w"], p["b"], X) for X in (X, X_test)]
        run.train_accuracy, run.test_accuracy = accuracy(train, Y), accuracy(test, Y_test)

    def end(self, run):
        self._accuracy(run)
        run.parameters = run.work.get("parameters")
        lr, grew = run.settings["learning_rate"], run.halt or divergence(run.costs, STEP)
        if grew:
            run.state = "diverged"
            run.message = red(f"Learning rate {lr:.4g} diverged: {grew}. Try a smaller "
                              "learning rate.")
        else:
            run.message = (f"Final cost {run.costs[-1]:.4f} &middot; train accuracy "
                           f"{run.train_accuracy:.1f}% &middot; test {run.test_accuracy:.1f}%")

    def draw(self, run):
        lr, n = run.settings["learning_rate"], run.settings["num_iterations"]
        title = f"learning rate {lr:.4g}, {n} iterations"
        if run.state == "running":
            self._accuracy(run)
            title = f"learning rate {lr:.4g}, iteration {run.iteration} of {n}"
        if run.train_accuracy is not None and run.state != "failed":
            title += f": train {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%"
        self.costs.show(run.iterations, (run.costs,), n, title, self.problem(run))


def learning_rate_explorer(*functions_and_data, **defaults) -> LearningRateExplorer:
    """Shows the week 1 explorer and returns it: (initialize_with_zeros, optimize, predict) or
    (model), then X_train, Y_train, X_test, Y_test; `defaults`: learning_rate, num_iterations."""
    return LearningRateExplorer(*functions_and_data, **defaults).show()
