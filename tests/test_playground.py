"""The week 2 playground, driven by a small reference implementation of the six functions."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from course_utils.playground import FUNCTIONS, Playground, playground
from course_utils.widgets.frame import probability_colors
from tests.explorer_checks import (
    assert_curve,
    assert_points_drawn,
    drawn_in_class_colours,
    pixel_positions,
    pixels,
    second_move,
)


# -- a reference week 2 implementation (api.md), as a learner would write it ----------------
def _g(Z, activation):
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "relu":
        return np.maximum(0, Z)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-Z))
    return np.where(Z > 0, Z, 0.01 * Z)  # leaky_relu


def _g_prime(Z, A, activation):
    if activation == "tanh":
        return 1 - A ** 2
    if activation == "relu":
        return (Z > 0).astype(float)
    if activation == "sigmoid":
        return A * (1 - A)
    return np.where(Z > 0, 1.0, 0.01)


def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
    return {"W1": np.random.randn(n_h, n_x) * init_scale, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * init_scale, "b2": np.zeros((n_y, 1))}


def forward_propagation(X, parameters, *, activation="tanh"):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = _g(Z1, activation)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def backward_propagation(parameters, cache, X, Y, *, activation="tanh"):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * _g_prime(cache["Z1"], cache["A1"], activation)
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m,
            "dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}


def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


def predict(parameters, X, *, activation="tanh"):
    return forward_propagation(X, parameters, activation=activation)[0] > 0.5


REFERENCE = {"initialize_parameters": initialize_parameters,
             "forward_propagation": forward_propagation, "compute_cost": compute_cost,
             "backward_propagation": backward_propagation,
             "update_parameters": update_parameters, "predict": predict}


def make(functions=None, **defaults) -> Playground:
    return Playground(**{**REFERENCE, **(functions or {})}, **defaults)


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def probabilities(pg, run):
    """P(class 1) of the run's network on the map's grid, by the reference functions."""
    A2, _ = forward_propagation(pg.map.grid, run.parameters, activation=run.settings["activation"])
    return A2.reshape(pg.map.mesh[0].shape)


# -- training and what the frame shows ------------------------------------------------------
def test_training_on_the_flower_lowers_train_and_test_cost_and_draws_the_boundary():
    pg = make()
    run = pg.run(sync=True)
    assert run.state == "done", run.message
    assert run.iterations[0] == 0 and run.iterations[-1] == 1000
    assert len(run.costs) == len(run.test_costs) == len(run.iterations) == 101
    assert run.costs[0] == pytest.approx(np.log(2), abs=1e-3)
    assert run.costs[-1] < 0.35 and run.test_costs[-1] < 0.35
    assert run.train_accuracy > 85 and run.test_accuracy > 85
    assert pg.frame.updates == run.redraws >= 1
    assert "accuracy train" in pg.status.value and "test" in pg.status.value
    assert pg.map.contour is not None, "the 0.5 boundary is drawn"
    colours = pg.map.image.get_array()
    assert colours.shape == (100, 100, 3) and colours.std() > 0.05, "the map is coloured"
    assert pg.frame.png().startswith(b"\x89PNG"), "renders as a static PNG"


def test_the_frame_shows_the_runs_costs_and_the_data_sets_points():
    pg = make(num_iterations=300)
    run = pg.run(sync=True)
    train, test = pg.costs.lines
    assert_curve(train, run.iterations, run.costs)
    assert_curve(test, run.iterations, run.test_costs)
    X, Y, X_test, Y_test = pg.map.data
    assert X.shape == (2, 320) and X_test.shape == (2, 80)
    assert len(pg.map.points) == 2
    assert_points_drawn(pg.map, 0, X, Y)
    assert_points_drawn(pg.map, 1, X_test, Y_test)
    assert drawn_in_class_colours(pg.map, X, Y) > 0.5, "points are in the picture"
    assert drawn_in_class_colours(pg.map, X_test, Y_test) > 0.5


def test_the_boundary_image_is_p_of_class_1_blue_where_the_network_says_1():
    pg = make()
    run = pg.run(sync=True)
    p = probabilities(pg, run)
    np.testing.assert_allclose(pg.map.image.get_array(), probability_colors(p, p.shape))
    image = pixels(pg.frame)
    rows, cols = pixel_positions(pg.map.ax, pg.map.grid)
    seen = image[rows.clip(0, image.shape[0] - 1), cols.clip(0, image.shape[1] - 1)]
    blue, red = (p.ravel() > 0.9), (p.ravel() < 0.1)
    assert blue.sum() > 500 and red.sum() > 500
    assert np.mean(seen[blue, 2] > seen[blue, 0]) > 0.9, "class 1 regions are blue"
    assert np.mean(seen[red, 0] > seen[red, 2]) > 0.9, "class 0 regions are red"


def test_training_on_the_spirals_needs_more_units_and_gets_there():
    pg = make(dataset="spirals", n_h=30, init_scale=0.3, num_iterations=1500)
    run = pg.run(sync=True)
    assert run.state == "done", run.message
    assert run.costs[-1] < 0.5 * run.costs[0]
    assert run.train_accuracy > 75


def test_a_long_run_redraws_while_it_trains(monkeypatch):
    for name in ("MIN_REDRAW_SECONDS", "REDRAW_FACTOR", "FRAME_WORTH"):  # a frame a chunk
        monkeypatch.setattr(f"course_utils.widgets.base.{name}", 0)
    pg = make(num_iterations=200)
    run = pg.run(sync=True)
    assert run.redraws == 10, "a chunk ends at least every 10% of the iterations"
    assert pg.frame.updates == run.redraws


def test_the_playground_seeds_numpy_itself_so_a_setting_always_gives_the_same_run():
    pg = make()
    a = pg.run(sync=True)
    np.random.seed(123)
    b = pg.run(sync=True)
    assert a.costs == b.costs


def test_moving_a_control_retrains_with_the_new_value():
    pg = make()
    pg.run(sync=True)
    pg.controls["n_h"].value = 6
    pg.controls["activation"].value = "leaky_relu"
    pg.controls["dataset"].value = "moons"
    run = pg.last_run
    assert len(pg.runs) == 4 and run.state == "done", run.message
    assert run.settings["n_h"] == 6 and run.settings["activation"] == "leaky_relu"
    assert run.parameters["W1"].shape == (6, 2)
    assert "moons: 6 hidden leaky_relu units" in pg.map.title.get_text()
    assert_points_drawn(pg.map, 0, *pg.map.data[:2])


def test_set_changes_several_controls_with_one_run_and_rejects_unknown_names():
    pg = make()
    run = pg.set(dataset="xor", n_h=3, learning_rate=0.5, num_iterations=300)
    assert len(pg.runs) == 1 and run.settings["dataset"] == "xor"
    with pytest.raises(TypeError, match="no control named hidden.*n_h"):
        pg.set(hidden=3)


def test_every_control_updates_only_when_released():
    pg = make()
    sliders = [pg.controls[name] for name in ("noise", "test_ratio", "seed", "n_h",
                                              "init_scale", "learning_rate", "num_iterations")]
    assert all(slider.continuous_update is False for slider in sliders)


def test_playground_shows_itself_trained_and_returns_the_object():
    pg = playground(**REFERENCE, num_iterations=200)
    assert isinstance(pg, Playground)
    assert pg.last_run.state == "done" and pg.frame.updates >= 1


# -- cancellation (what a kernel does: callbacks on a running asyncio loop) -------------
def test_a_control_change_cancels_the_run_in_progress():
    pg = make(num_iterations=5000)
    first, second = second_move(pg, {"num_iterations": 4900}, {"num_iterations": 500})
    assert 0 < first.iteration < 4900
    assert second.iteration == 500
    assert "iteration 500 of 500" in pg.costs.title.get_text()
    assert "500 of 500" in pg.status.value
    assert_curve(pg.costs.lines[0], second.iterations, second.costs)


def test_a_burst_of_control_changes_trains_only_the_last():
    async def scenario():
        pg = make(num_iterations=300)
        for seed in (2, 3, 4):
            pg.controls["seed"].value = seed
        runs = list(pg.runs)
        await pg.task
        await asyncio.sleep(0)
        return runs

    runs = asyncio.run(scenario())
    assert [run.state for run in runs] == ["cancelled", "cancelled", "done"]
    assert [run.iteration for run in runs[:2]] == [0, 0] and runs[0].redraws == 0


# -- plain words when the learner's code is missing, crashes or diverges -----------------
@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_function_not_written_yet_is_named_and_the_widget_keeps_working(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    stub.__name__ = name
    pg = make({name: stub})
    run = pg.run(sync=True)
    assert run.state == "failed"
    assert f"<b>{name}</b> is not implemented yet" in pg.status.value
    assert pg.frame.updates == 1, "the data is still drawn"
    assert_points_drawn(pg.map, 0, *pg.map.data[:2])
    assert pg.costs.note.get_text().startswith(f"{name} is not implemented yet"), \
        "the figure says it too, for static copies"
    pg.functions[name] = REFERENCE[name]
    pg.controls["seed"].value = 2
    assert pg.last_run.state == "done"
    assert pg.costs.note.get_text() == ""


def test_a_crashing_function_or_a_missing_return_is_named():
    def backward_propagation(parameters, cache, X, Y, *, activation="tanh"):
        return {"dW1": cache["dZ1"]}

    pg = make({"backward_propagation": backward_propagation})
    pg.run(sync=True)
    assert "<b>backward_propagation</b> raised KeyError" in pg.status.value

    def forward_propagation(X, parameters, *, activation="tanh"):
        A2, cache = REFERENCE["forward_propagation"](X, parameters, activation=activation)

    pg = make({"forward_propagation": forward_propagation})
    pg.run(sync=True)
    assert "<b>forward_propagation</b> returned None" in pg.status.value


def test_a_wrong_shape_is_named():
    def initialize_parameters(n_x, n_h, n_y, *, init_scale=0.01):
        params = REFERENCE["initialize_parameters"](n_x, n_h, n_y, init_scale=init_scale)
        return {**params, "W1": params["W1"].T}

    pg = make({"initialize_parameters": initialize_parameters})
    pg.run(sync=True)
    assert "<b>initialize_parameters</b> returned <code>W1</code> with shape (2, 4)" \
        in pg.status.value

    def predict(parameters, X, *, activation="tanh"):
        return REFERENCE["predict"](parameters, X, activation=activation).T

    pg = make({"predict": predict})
    pg.run(sync=True)
    assert "<b>predict</b> returned shape (320, 1), but it must be (1, 320)" in pg.status.value


def test_a_failure_deep_in_training_is_named_too():
    calls = []

    def update_parameters(parameters, grads, learning_rate=1.2):
        calls.append(1)
        if len(calls) > 50:
            raise FloatingPointError("boom")
        return REFERENCE["update_parameters"](parameters, grads, learning_rate)

    pg = make({"update_parameters": update_parameters})
    run = pg.run(sync=True)
    assert run.state == "failed" and "<b>update_parameters</b> raised FloatingPointError" \
        in run.message


def test_a_bug_of_the_playground_itself_is_said_in_the_status_line(monkeypatch):
    def broken(self, run):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Playground, "draw", broken)
    pg = make(num_iterations=100)
    run = pg.run(sync=True)  # never raises
    assert run.state == "failed"
    assert "The playground itself failed (ZeroDivisionError: a bug)" in pg.status.value


def test_a_diverging_setting_is_stopped_with_advice_and_a_good_one_works_after():
    pg = make()
    run = pg.set(activation="relu", learning_rate=10.0, init_scale=10.0)
    assert run.state == "diverged" and run.iteration == 0
    assert "diverged" in pg.status.value and "init scale 10 is too large" in pg.status.value
    run = pg.set(init_scale=1.0)
    assert run.state == "diverged" and 0 < run.iteration < 1000, "stopped early"
    assert "Learning rate 10 is too large for relu" in pg.status.value
    assert pg.costs.note.get_text().startswith("Training diverged")
    run = pg.set(activation="tanh", learning_rate=1.2, init_scale=0.01)
    assert run.state == "done" and run.train_accuracy > 85
    assert "diverged" not in pg.status.value and pg.costs.note.get_text() == ""


def test_a_large_learning_rate_that_overshoots_then_converges_is_not_stopped_but_named():
    pg = make(learning_rate=10.0)
    run = pg.run(sync=True)  # tanh on the flower: the cost jumps, then falls
    assert run.state == "done" and max(run.costs) > 2 * run.costs[0]
    assert run.train_accuracy > 85
    assert "learning rate 10 overshoots" in pg.status.value
    run = pg.set(dataset="spirals")  # here it ends worse than it started
    assert run.state == "done" and "ended higher than it started" in pg.status.value
    pg.set(learning_rate=1.2, dataset="flower")
    assert pg.last_run.warning == "" and "overshoots" not in pg.status.value


# -- optional keywords: lambd, activation, init_scale -----------------------------------
def backward_with_lambd(parameters, cache, X, Y, *, activation="tanh", lambd=0.0):
    grads = backward_propagation(parameters, cache, X, Y, activation=activation)
    m = X.shape[1]
    return {**grads, "dW1": grads["dW1"] + lambd / m * parameters["W1"],
            "dW2": grads["dW2"] + lambd / m * parameters["W2"]}


backward_with_lambd.__name__ = "backward_propagation"


def test_the_regularization_control_appears_only_if_backward_propagation_takes_lambd():
    pg = make()
    assert "lambd" not in pg.controls and "lambd" not in pg.note.value  # not taught yet
    assert pg.settings()["lambd"] == 0.0
    pg = make({"backward_propagation": backward_with_lambd}, num_iterations=500)
    assert "lambd" in pg.controls and "lambd" not in pg.note.value
    assert any(pg.controls["lambd"] in box.children for box in pg.view.children[0].children)
    free = pg.run(sync=True)
    pg.controls["lambd"].value = 10.0
    strong = pg.last_run
    assert strong.settings["lambd"] == 10.0 and strong.state == "done"
    assert np.linalg.norm(strong.parameters["W1"]) < 0.8 * np.linalg.norm(free.parameters["W1"])


def test_classic_signatures_without_the_extensions_still_train():
    def forward_propagation(X, parameters):
        return REFERENCE["forward_propagation"](X, parameters)

    def initialize_parameters(n_x, n_h, n_y):
        return REFERENCE["initialize_parameters"](n_x, n_h, n_y)

    pg = make({"forward_propagation": forward_propagation,
               "initialize_parameters": initialize_parameters})
    assert pg.controls["activation"].disabled and pg.controls["init_scale"].disabled
    assert "activation" in pg.note.value and "init_scale" in pg.note.value
    assert pg.run(sync=True).state == "done"


def test_bad_defaults_are_refused_in_words():
    with pytest.raises(ValueError, match="unknown data set 'petals'"):
        make(dataset="petals")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        make(activation="swish")
    with pytest.raises(ValueError, match="noise must be 0 or more"):
        make(noise=-1)
    with pytest.raises(ValueError, match="test_ratio must be between 0 and 1"):
        make(test_ratio=1.0)
    with pytest.raises(TypeError, match="pass your function predict itself"):
        make({"predict": predict(REFERENCE["initialize_parameters"](2, 4, 1), np.zeros((2, 3)))})
    with pytest.raises(TypeError, match="no setting named hidden_units"):
        make(hidden_units=3)
