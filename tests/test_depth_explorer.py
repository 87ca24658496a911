"""The week 3 depth explorer, driven by the solution's functions (and by stubs and classic
signatures, as a learner's notebook may hold them)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.depth_explorer import (
    FUNCTIONS,
    DepthExplorer,
    depth_explorer,
    diagnose,
)
from course_utils.widgets.frame import probability_colors
from tests.explorer_checks import (
    assert_curve,
    assert_points_drawn,
    drawn_in_class_colours,
    second_move,
)


@pytest.fixture(scope="module")
def solution() -> dict:
    """The five functions of the week 3 solution notebook."""
    from autograder.solution_code import solution_namespace

    namespace = solution_namespace("week3")
    return {name: namespace[name] for name in FUNCTIONS}


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def make(solution, functions=None, **defaults) -> DepthExplorer:
    return DepthExplorer(**{**solution, **(functions or {})}, **defaults)


def stub(name):
    def not_written(*args, **kwargs):
        raise NotImplementedError

    not_written.__name__ = name
    return not_written


# -- training and the figure ---------------------------------------------------------------
def test_the_default_setting_trains_and_draws_one_figure(solution):
    dx = make(solution)
    run = dx.run()
    assert run.state == "done", run.message
    assert run.settings["dataset"] == "flower" and run.settings["depth"] == 5
    assert run.iterations[0] == 0 and run.iterations[-1] == run.settings["num_iterations"]
    assert run.costs[0] == pytest.approx(np.log(2), abs=0.05)
    assert run.costs[-1] < 0.5 * run.costs[0], "the cost falls"
    assert run.train_accuracy > 85 and run.test_accuracy > 80
    for when in ("init", "end"):
        assert len(run.spreads[when]["A"]) == len(run.spreads[when]["dW"]) == 6
    assert run.diagnosis is None
    assert "Final cost" in dx.status.value and "Healthy gradients" in dx.status.value
    assert "vanishing" not in dx.status.value.lower()
    assert dx.frame.updates == run.redraws >= 1
    assert dx.frame.png().startswith(b"\x89PNG"), "renders as a static PNG"


def test_the_frame_shows_the_cost_the_points_the_spreads_and_the_boundary(solution):
    dx = make(solution)
    run = dx.run()
    assert_curve(dx.costs.lines[0], run.iterations, run.costs)
    X, Y, _, _ = dx.map.data
    assert len(dx.map.points) == 1, "the training points"
    assert_points_drawn(dx.map, 0, X, Y)
    assert drawn_in_class_colours(dx.map, X, Y) > 0.5, "points are in the picture"
    for key in ("A", "dW"):
        for when in ("init", "end"):
            line = dx.spread_lines[key, when]
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 7))
            np.testing.assert_allclose(line.get_ydata(), run.spreads[when][key])
    AL, _ = solution["L_model_forward"](dx.map.grid, run.parameters, activation="relu")
    p = AL.reshape(dx.map.mesh[0].shape)
    assert 0.2 < np.mean(p > 0.5) < 0.8, "both classes have their region"
    np.testing.assert_allclose(dx.map.image.get_array(), probability_colors(p, p.shape))
    assert "train" in dx.map.title.get_text() and dx.costs.note.get_text() == ""


def test_every_control_change_retrains_once_and_updates_the_figure_in_place(solution):
    dx = make(solution, num_iterations=100)
    dx.run()
    dx.controls["width"].value = 8
    dx.controls["depth"].value = 3
    assert len(dx.runs) == 3 and dx.frame.updates == sum(r.redraws for r in dx.runs) >= 3
    run = dx.set(dataset="moons", activation="tanh", learning_rate=0.3)
    assert len(dx.runs) == 4, "set() trains once"
    assert dx.frame.updates == sum(r.redraws for r in dx.runs)
    assert run.settings["dataset"] == "moons" and run.settings["depth"] == 3
    assert len(run.spreads["init"]["dW"]) == 4 and run.state == "done"
    assert dx.settings()["activation"] == "tanh"
    with pytest.raises(TypeError, match="no control named layers.*depth"):
        dx.set(layers=3)


def test_the_controls_update_only_when_released(solution):
    dx = make(solution)
    c = dx.controls
    sliders = [c[name] for name in ("depth", "width", "init_scale", "learning_rate",
                                    "num_iterations")]
    assert all(slider.continuous_update is False for slider in sliders)
    assert (c["depth"].min, c["depth"].max) == (1, 10)
    assert (c["width"].min, c["width"].max) == (2, 50)
    assert c["init_scale"].base == 10 and c["init_scale"].min <= -2 and c["init_scale"].max >= 1


def test_depth_explorer_shows_itself_trained_and_returns_the_object(solution):
    dx = depth_explorer(**solution, num_iterations=100)
    assert isinstance(dx, DepthExplorer)
    assert dx.last_run.state == "done" and dx.frame.updates == dx.last_run.redraws >= 1


def test_a_second_move_while_the_first_trains_shows_only_the_second(solution):
    dx = make(solution, num_iterations=3000)
    first, second = second_move(dx, {"num_iterations": 2900}, {"num_iterations": 100})
    assert 0 < first.iteration < 2900 and second.iteration == 100
    assert_curve(dx.costs.lines[0], second.iterations, second.costs)
    assert "Final cost" in dx.status.value


# -- vanishing and exploding gradients -------------------------------------------------------
def test_a_tiny_init_scale_with_sigmoid_makes_the_first_layers_gradients_vanish(solution):
    dx = make(solution)
    run = dx.set(activation="sigmoid", init_scale=0.01, depth=5)
    dW = run.spreads["init"]["dW"]
    assert dW[0] < 1e-4 * dW[-1], "orders of magnitude between layer 1 and layer L"
    assert dW[1] < dW[2] < dW[3] < dW[4] < dW[5], "shrinking layer after layer"
    assert run.diagnosis == "vanishing" and run.gradient_ratio < 1e-4
    assert "Vanishing gradients" in dx.status.value and "layer 1 are 10<sup>-" in dx.status.value
    assert "larger init scale" in dx.status.value
    assert run.weight_change[0] < 1e-3 * run.weight_change[-1], "the first layer barely moved"


def test_a_tiny_init_scale_with_relu_makes_the_signal_and_every_gradient_vanish(solution):
    dx = make(solution)
    run = dx.set(activation="relu", init_scale=0.01, depth=6)
    A, dW = run.spreads["init"]["A"], run.spreads["init"]["dW"]
    assert A[5] < 1e-6 * A[0], "the activations shrink layer after layer"
    assert max(dW) < 1e-6 * max(make(solution).run().spreads["init"]["dW"])
    assert run.diagnosis == "vanishing" and "Vanishing gradients" in dx.status.value
    assert run.costs[-1] == pytest.approx(run.costs[0], abs=1e-3), "nothing learns"


@pytest.mark.parametrize("activation", ["relu", "tanh", "leaky_relu"])
def test_a_scale_near_sqrt_one_over_width_is_healthy(solution, activation):
    dx = make(solution, init_scale=0.01, activation=activation, num_iterations=200)
    assert dx.run().diagnosis == "vanishing"
    run = dx.set(init_scale=math.sqrt(1 / dx.controls["width"].value))
    assert run.diagnosis is None and run.state == "done"
    assert 0.1 < run.gradient_ratio < 10
    assert "vanishing" not in dx.status.value.lower()
    assert "exploding" not in dx.status.value.lower()


def test_a_large_init_scale_with_relu_explodes_and_a_good_one_trains_after(solution):
    dx = make(solution)
    run = dx.set(init_scale=3.0)
    A = run.spreads["init"]["A"]
    assert A[4] > 100 * A[0], "the activations grow layer after layer"
    assert run.diagnosis == "exploding" and run.state == "diverged"
    assert "Exploding gradients" in dx.status.value and "smaller init scale" in dx.status.value
    assert "diverged" in dx.status.value
    assert dx.frame.updates == run.redraws == 1, "it stops at iteration 0"
    assert dx.costs.note.get_text().startswith("Training diverged")
    assert dx.gradient_note.get_text().startswith("exploding")
    run = dx.set(init_scale=0.3)
    assert run.state == "done" and run.diagnosis is None
    assert dx.frame.updates == 1 + run.redraws and dx.gradient_note.get_text() == ""


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_huge_learning_rate_diverges_and_the_widget_stays_usable(solution, activation):
    dx = make(solution, activation=activation)
    run = dx.set(learning_rate=10.0)
    assert run.state == "diverged"
    assert "Training diverged" in dx.status.value
    assert "Learning rate 10 is too large: try 1." in dx.status.value
    assert "smaller init scale" not in dx.status.value, "the default scale 0.32 is not to blame"
    if activation == "relu":  # the cost ends above where it started: its units died
        assert "relu units died" in dx.status.value
    assert dx.frame.updates == run.redraws >= 1
    run = dx.set(learning_rate=0.1)
    assert run.state == "done" and "diverged" not in dx.status.value
    assert run.costs[-1] < 0.5 * run.costs[0]
    assert dx.frame.updates == sum(r.redraws for r in dx.runs)


def test_one_hidden_layer_at_init_scale_5_diverges_and_the_advice_names_the_init_scale(solution):
    dx = make(solution, depth=1, init_scale=5.0)
    run = dx.run()
    assert run.state == "diverged" and run.diagnosis is None, "no exploding diagnosis at depth 1"
    assert run.spreads["init"]["A"][0] > 5, "the hidden activations are large"
    assert ("Learning rate 0.1 is too large: try 0.01, or a smaller init scale than 5 (near "
            "sqrt(1/width) = sqrt(1/10) &asymp; 0.32)." in dx.status.value)
    run = dx.set(init_scale=0.32)
    assert run.state == "done", "the scale the advice names trains at the same learning rate"


def test_the_default_spreads_are_described_as_they_are(solution):
    dx = make(solution)
    run = dx.run()
    hidden = run.spreads["init"]["A"][:-1]
    assert max(hidden) <= 2 * min(hidden)
    assert ("the spreads of the activations stay within a factor of 2 through the 5 hidden layers"
            in dx.status.value)
    assert "keep their spread" not in dx.status.value


def test_diagnose_judges_spreads_in_words():
    settings = {"width": 10, "activation": "relu", "init_scale": 0.3}
    healthy = {"A": [0.5, 0.4, 0.4, 0.1], "dW": [1e-2, 5e-3, 4e-3, 8e-3]}
    kind, words = diagnose(healthy, settings)
    assert kind is None and "stay within a factor of 2 through the 3 hidden layers" in words
    spread_out = {"A": [0.5, 0.2, 0.1, 0.1], "dW": [1e-2, 5e-3, 4e-3, 8e-3]}
    kind, words = diagnose(spread_out, settings)
    assert kind is None and "vary by a factor of 5 through the 3 hidden layers" in words
    assert "within a factor of 2" not in words
    vanishing = {"A": [0.5, 0.4, 0.4, 0.1], "dW": [1e-9, 1e-7, 1e-5, 1e-3]}
    kind, words = diagnose(vanishing, settings | {"init_scale": 0.01})
    assert kind == "vanishing" and "10<sup>-6</sup> times those of layer 4" in words
    assert "1/46 of those" in diagnose({"A": healthy["A"], "dW": [1e-3, 1e-2, 2e-2, 4.6e-2]},
                                       settings)[1]
    assert "sqrt(1/10)" in words
    faded = {"A": [1e-2, 1e-5, 1e-8, 1e-11], "dW": [1e-10, 1e-10, 1e-10, 1e-10]}
    assert diagnose(faded, settings)[0] == "vanishing"
    growing = {"A": [1.0, 30.0, 900.0, 0.4], "dW": [np.nan] * 4}
    kind, words = diagnose(growing, settings | {"init_scale": 3.0})
    assert kind == "exploding" and "grows about &times;30 per layer" in words
    dead = {"A": [0.5, 0.0, 0.0, 0.1], "dW": [0.0, 0.0, 0.0, 1e-2]}
    assert diagnose(dead, settings)[0] == "dead"


# -- plain words when the learner's code is missing or wrong ---------------------------------
@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_function_not_written_yet_is_named_and_the_widget_keeps_working(solution, name):
    dx = make(solution, {name: stub(name)}, num_iterations=100)
    run = dx.run()
    assert run.state == "failed"
    assert f"<b>{name}</b> is not implemented yet" in dx.status.value
    assert dx.frame.updates == 1, "the data is still drawn"
    assert_points_drawn(dx.map, 0, *dx.map.data[:2])
    assert dx.map.title.get_text() == "flower: not trained"
    dx.functions[name] = solution[name]
    dx.controls["depth"].value = 3
    assert dx.last_run.state == "done" and dx.frame.updates == 1 + dx.last_run.redraws


def test_a_failure_deep_in_training_or_a_wrong_return_is_named(solution):
    calls = []

    def update_parameters(params, grads, learning_rate):
        calls.append(1)
        if len(calls) > 50:
            raise FloatingPointError("boom")
        return solution["update_parameters"](params, grads, learning_rate)

    dx = make(solution, {"update_parameters": update_parameters}, num_iterations=100)
    assert dx.run().state == "failed"
    assert "<b>update_parameters</b> raised FloatingPointError: boom" in dx.status.value

    def L_model_forward(X, parameters, *, activation="relu"):
        return solution["L_model_forward"](X, parameters, activation=activation)[0]

    dx = make(solution, {"L_model_forward": L_model_forward})
    dx.run()
    assert "<b>L_model_forward</b> must return two things" in dx.status.value

    def L_model_backward(AL, Y, caches, *, activation="relu"):
        grads = solution["L_model_backward"](AL, Y, caches, activation=activation)
        return {key: value for key, value in grads.items() if key != "dW1"}

    dx = make(solution, {"L_model_backward": L_model_backward})
    dx.run()
    assert "<b>L_model_backward</b> returned no <code>\"dW1\"</code>" in dx.status.value


def test_classic_signatures_disable_their_controls_with_a_note_and_still_train(solution):
    def initialize_parameters_deep(layer_dims):
        return solution["initialize_parameters_deep"](layer_dims)

    def L_model_forward(X, parameters):
        return solution["L_model_forward"](X, parameters)

    dx = make(solution, {"initialize_parameters_deep": initialize_parameters_deep,
                         "L_model_forward": L_model_forward}, num_iterations=100)
    c = dx.controls
    assert c["init_scale"].disabled and c["activation"].disabled
    assert c["activation"].value == "relu" and c["init_scale"].value == pytest.approx(0.01)
    assert "init_scale=0.01" in dx.note.value and "activation=" in dx.note.value
    run = dx.run()
    assert run.state == "done" and run.diagnosis == "vanishing", "the lectures' 0.01, 5 layers"
    assert "your init scale" in dx.status.value and "keyword init_scale" in dx.status.value
    assert run.diagnosis == dx.set(depth=6).diagnosis

    dx = make(solution)
    assert not dx.controls["init_scale"].disabled and not dx.controls["activation"].disabled
    assert dx.note.value == ""


def test_bad_arguments_are_refused_in_words(solution):
    with pytest.raises(ValueError, match="unknown data set 'petals'"):
        make(solution, dataset="petals")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        make(solution, activation="swish")
    with pytest.raises(TypeError, match="pass your function compute_cost itself"):
        make(solution, {"compute_cost": 0.69})
