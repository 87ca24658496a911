"""Sliders that re-run the learner's own functions and redraw their results."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .learner_code import run_learner_code
from .plots import LiveFigure, new_figure, plot_costs

EXPLODED = 10  # a cost this many times the first one stops a training run at once


def set_controls(owner, controls: dict, values: dict) -> None:
    """Sets several of `owner`'s controls at once; `owner._quiet` keeps each single change from
    starting a run of its own. An unknown name is a TypeError that lists the controls."""
    unknown = sorted(set(values) - set(controls))
    if unknown:
        raise TypeError(f"{type(owner).__name__}.set: no control named {', '.join(unknown)}; "
                        f"the controls are {', '.join(controls)}.")
    owner._quiet = True
    try:
        for name, value in values.items():
            controls[name].value = value
    finally:
        owner._quiet = False


def grey_notes(notes: list[str]) -> str:
    """Small grey HTML lines under a widget's controls, one per note."""
    return "".join(f"<div style='color:#666;font-size:90%'>{note}.</div>" for note in notes)


def learning_rate_warning(costs, iterations, learning_rate: float) -> str:
    """Words for a finished run whose learning rate was visibly too large, or ""."""
    peak = int(np.argmax(costs))
    if costs[-1] > costs[0]:
        return (f"The cost ended higher than it started ({costs[0]:.3g} &rarr; "
                f"{costs[-1]:.3g}): learning rate {learning_rate:.3g} is too large, try "
                f"{learning_rate / 10:.3g}.")
    if costs[peak] > 2 * costs[0]:
        return (f"The cost jumped to {costs[peak]:.3g} at iteration {iterations[peak]} before it "
                f"came down: learning rate {learning_rate:.3g} overshoots; a smaller one trains "
                "more smoothly.")
    return ""


def divergence(costs) -> str | None:
    """A sentence saying where the cost blew up, or None if training stayed finite."""
    costs = np.ravel(np.asarray(costs, dtype=float))
    bad = np.flatnonzero(~np.isfinite(costs))
    if bad.size:
        return f"the cost became {costs[bad[0]]} at iteration {bad[0] * 100}"
    if costs.size > 1 and costs[-1] > 2 * costs[0]:
        return f"the cost grew from {costs[0]:.3g} to {costs[-1]:.3g}"
    return None


def accuracy(predictions, Y) -> float:
    return float(100 - np.mean(np.abs(np.asarray(predictions, float) - Y)) * 100)


class LearningRateExplorer:
    """Week 1: a log-scale learning-rate slider and an iterations slider on the learner's model."""

    def __init__(self, model: Callable, X_train, Y_train, X_test, Y_test,
                 learning_rate: float = 0.005, num_iterations: int = 1000):
        import ipywidgets as widgets

        self.model = model
        self.data = (X_train, Y_train, X_test, Y_test)
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate, base=10, min=-4, max=1, step=0.1, readout_format=".4f",
            description="learning rate", continuous_update=False,
            style={"description_width": "initial"})
        self.iterations = widgets.IntSlider(
            value=num_iterations, min=100, max=3000, step=100, description="iterations",
            continuous_update=False)
        self.status = widgets.HTML()
        self.figure = LiveFigure()
        self.controls = widgets.VBox([widgets.HBox([self.learning_rate, self.iterations]),
                                      self.status])
        self.learning_rate.observe(self.redraw, names="value")
        self.iterations.observe(self.redraw, names="value")

    def show(self) -> LearningRateExplorer:
        from IPython.display import display

        display(self.controls)
        self.redraw()
        return self

    def redraw(self, *_) -> None:
        lr, n = self.learning_rate.value, self.iterations.value
        X_train, Y_train, X_test, Y_test = self.data
        fig, ax = new_figure(7.5, 3.2)
        result, problem = run_learner_code(self.model, X_train, Y_train, X_test, Y_test,
                                           num_iterations=n, learning_rate=lr)
        if problem:
            self.status.value = f"<span style='color:#b00'>{problem}</span>"
            ax.text(0.5, 0.5, "nothing to show yet", ha="center", va="center",
                    transform=ax.transAxes, color="gray")
        else:
            costs = result["costs"]
            train = accuracy(result["Y_prediction_train"], Y_train)
            test = accuracy(result["Y_prediction_test"], Y_test)
            blew_up = divergence(costs)
            plot_costs(ax, np.where(np.isfinite(costs), costs, np.nan))
            ax.set_title(f"learning rate {lr:.4g}, {n} iterations: "
                         f"train {train:.1f}%, test {test:.1f}%")
            if blew_up:
                self.status.value = (f"<span style='color:#b00'>Learning rate {lr:.4g} diverged: "
                                     f"{blew_up}. Try a smaller learning rate.</span>")
            else:
                self.status.value = (f"Final cost {float(np.ravel(costs)[-1]):.4f} &middot; "
                                     f"train accuracy {train:.1f}% &middot; test {test:.1f}%")
        self.figure.show(fig)


def learning_rate_explorer(model, X_train, Y_train, X_test, Y_test, **defaults):
    """Shows the week 1 explorer; returns it so its sliders can also be set from code."""
    return LearningRateExplorer(model, X_train, Y_train, X_test, Y_test, **defaults).show()
