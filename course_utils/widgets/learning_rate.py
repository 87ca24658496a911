"""Week 1's learning-rate explorer on the learner's logistic regression: the cost curve and the
accuracies, the weights w as a picture and the first test pictures' predictions, as it trains.

    learning_rate_explorer(initialize_with_zeros, optimize, predict,
                           X_train, Y_train, X_test, Y_test)   # trains in chunks, cancellable
    learning_rate_explorer(model, X_train, Y_train, X_test, Y_test)  # one call of model a run
    ... classes=[b"non-shirt", b"shirt"]  # optional: the names in the pictures' titles
"""

from __future__ import annotations

import numpy as np

from ..learner_code import Columns, Parts
from .base import Explorer, red
from .controls import log_slider, slider
from .frame import CostPanel
from .training import EXPLODED, accuracy, divergence, learning_rate_warning

STEP = 100  # iterations per optimize call: one recorded cost, exactly as in model's costs
PICTURES = 6  # test pictures shown with their predictions
RIGHT, WRONG = "#1a7f37", "#c0392b"


def picture_shape(n_x: int) -> tuple[int, ...]:
    """The picture a column of n_x pixel values unrolls: (p, p), (p, p, 3), or a (1, n_x) strip."""
    p, q = round(n_x ** 0.5), round((n_x / 3) ** 0.5)
    return (p, p) if p * p == n_x else (q, q, 3) if 3 * q * q == n_x else (1, n_x)


def weight_picture(w) -> np.ndarray:
    """w (n_x, 1) as the 2-D picture the weights panel shows (an RGB one averaged over channels)."""
    picture = np.asarray(w, dtype=float).reshape(picture_shape(np.size(w)))
    return picture.mean(axis=2) if picture.ndim == 3 else picture


def _one_cost(costs) -> str | None:
    return None if np.size(costs) == 1 else (f"returned {np.size(costs)} costs for {STEP} "
                                             "iterations: record one when i % 100 == 0.")


class LearningRateExplorer(Explorer):
    """The learner's functions, then X_train, Y_train, X_test, Y_test; settings: DEFAULTS."""

    NAME = "learning_rate_explorer"
    FUNCTIONS = ("initialize_with_zeros", "optimize", "predict")
    DEFAULTS = {"learning_rate": 0.005, "num_iterations": 1000}
    COLUMNS = (("learning_rate",), ("num_iterations",))
    EXPLODED = None  # logistic regression: judge the whole curve, stop only at nan or inf
    TIMED = False  # its status line as it always was
    SIZE = (10.5, 3.4)
    BOXES = ([0.065, 0.15, 0.38, 0.72], [0.50, 0.15, 0.19, 0.62]) + tuple(
        [0.735 + 0.088 * (k % 3), 0.47 - 0.39 * (k // 3), 0.075, 0.30] for k in range(PICTURES))

    def __init__(self, *args, classes=(b"0", b"1"), **values):
        args += tuple(values.pop(k) for k in ("X_train", "Y_train", "X_test", "Y_test")
                      if k in values)
        self.classes = [c.decode() if isinstance(c, bytes) else str(c) for c in classes]
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
        self.costs = CostPanel(frame, frame.axes[0], wrap=60, from_zero=False)
        X_test, Y_test = self.data[2], self.data[3]
        shape = picture_shape(X_test.shape[0])
        ax = frame.axes[1]
        self.weights = frame.animate(ax.imshow(np.zeros(shape[:2]), cmap="RdBu_r", vmin=-1,
                                               vmax=1, interpolation="nearest"))
        self.weights_title = frame.title(ax, 8)
        ax.set(xticks=[], yticks=[])
        ax.set_xlabel("red: a light pixel says 1, blue: 0", fontsize=7)
        self.shown, self.picture_titles = list(range(min(PICTURES, X_test.shape[1]))), []
        for ax, k in zip(frame.axes[2:], self.shown):
            column = np.clip(np.asarray(X_test[:, k], dtype=float), 0, 1)
            ax.imshow(column.reshape(shape), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set(xticks=[], yticks=[])
            ax.set_xlabel(f"is {self._label(Y_test[0, k])}", fontsize=7)
            self.picture_titles.append(frame.title(ax, 8))
        for ax in frame.axes[2 + len(self.shown):]:
            ax.axis("off")
        frame.figure.text(0.82, 0.93, "test pictures: the model says", ha="center", fontsize=8)

    def _label(self, y):
        return self.classes[int(y)] if len(self.classes) == 2 else y

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
            w = result.get("w")
            if w is not None and np.size(w) == X.shape[0]:
                run.work["parameters"] = {"w": np.asarray(w), "b": result.get("b", 0.0)}
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
        run.work["test_prediction"] = np.ravel(np.asarray(test, dtype=float))

    def end(self, run):
        self._accuracy(run)
        run.parameters = run.work.get("parameters")
        lr = run.settings["learning_rate"]
        # diverged: not finite (that halts) or ended EXPLODED times its start; less: a warning
        exploded = len(run.costs) > 1 and run.costs[-1] > EXPLODED * run.costs[0]
        grew = run.halt or (divergence(run.costs, STEP) if exploded else None)
        if grew:
            run.state, run.message = "diverged", red(f"Learning rate {lr:.4g} diverged: {grew}. "
                                                     "Try a smaller learning rate.")
        else:
            run.message = (f"Final cost {run.costs[-1]:.4f} &middot; train accuracy "
                           f"{run.train_accuracy:.1f}% &middot; test {run.test_accuracy:.1f}%")
            run.warning = learning_rate_warning(run.costs, run.iterations, lr)

    def draw(self, run):
        lr, n = run.settings["learning_rate"], run.settings["num_iterations"]
        title = f"learning rate {lr:.4g}, {n} iterations"
        if run.state == "running":
            self._accuracy(run)
            title = f"learning rate {lr:.4g}, iteration {run.iteration} of {n}"
        if run.train_accuracy is not None and run.state != "failed":
            title += f": train {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%"
        self.costs.show(run.iterations, (run.costs,), n, title, self.problem(run))
        p = run.work.get("parameters")
        if p is not None and np.size(p["w"]) == self.data[0].shape[0]:
            picture = weight_picture(p["w"])
            finite = picture[np.isfinite(picture)]
            scale = float(np.abs(finite).max()) if finite.size else 0.0
            self.weights.set_data(picture)
            self.weights.set_clim(-(scale or 1.0), scale or 1.0)
            self.weights_title.set_text(f"weights w (|w| up to {scale:.2g})")
        prediction = None if run.state == "failed" else run.work.get("test_prediction")
        for k, title in zip(self.shown, self.picture_titles):
            if prediction is None:
                title.set_text("")
                continue
            said, truth = int(prediction[k]), int(self.data[3][0, k])
            title.set_text(f"{self._label(said)} {'✓' if said == truth else '✗'}")
            title.set_color(RIGHT if said == truth else WRONG)


def learning_rate_explorer(*functions_and_data, **defaults) -> LearningRateExplorer:
    """Shows the explorer on the learner's functions and data (as above) and returns it."""
    return LearningRateExplorer(*functions_and_data, **defaults).show()
