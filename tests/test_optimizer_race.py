"""Week 4's optimizer race, driven by the week 4 solution's own optimizer functions: what the
frame draws is what those functions produce step by step, recomputed here independently."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from autograder.solution_code import solution_namespace
from course_utils.surfaces import SURFACES
from course_utils.widgets.optimizer_race import (
    FUNCTIONS,
    OPTIMIZERS,
    TOLERANCE,
    OptimizerRace,
    optimizer_race,
)
from tests.explorer_checks import pixel_positions, pixels, second_move

KEYS = [optimizer.key for optimizer in OPTIMIZERS]
STARTING_A_SENTENCE = {"gd": "GD", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam"}
OWNER = {"update_parameters_with_gd": "gd", "update_parameters_with_momentum": "momentum",
         "initialize_velocity": "momentum", "update_parameters_with_rmsprop": "rmsprop",
         "initialize_rmsprop": "rmsprop", "update_parameters_with_adam": "adam",
         "initialize_adam": "adam"}


@pytest.fixture(scope="module")
def solution() -> dict:
    namespace = solution_namespace("week4")
    return {name: namespace[name] for name in FUNCTIONS}


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def make(solution, functions=None, **settings) -> OptimizerRace:
    return OptimizerRace(**{**solution, **(functions or {})}, **settings)


def race_by_hand(solution, settings: dict, key: str) -> np.ndarray:
    """The points (steps + 1, 2) of one optimizer without noise, stepped here by the solution's
    functions on {"W1": w, "b1": 0}, until the loss leaves EXPLODED (10) times its start."""
    surface = SURFACES[settings["surface"]]
    lr, n = settings["learning_rate"], settings["num_iterations"]
    params = {"W1": np.array([surface.start], dtype=float), "b1": np.zeros((1, 1))}
    if key == "momentum":
        v = solution["initialize_velocity"](params)
    elif key == "rmsprop":
        s = solution["initialize_rmsprop"](params)
    elif key == "adam":
        v, s = solution["initialize_adam"](params)
    points = [params["W1"].ravel()]
    for t in range(1, n + 1):
        grads = {"dW1": surface.grad(points[-1]).reshape(1, 2), "db1": np.zeros((1, 1))}
        if key == "gd":
            params = solution["update_parameters_with_gd"](params, grads, lr)
        elif key == "momentum":
            params, v = solution["update_parameters_with_momentum"](params, grads, v,
                                                                   settings["beta"], lr)
        elif key == "rmsprop":
            params, s = solution["update_parameters_with_rmsprop"](params, grads, s, lr,
                                                                  settings["beta2"])
        else:
            params, v, s, _, _ = solution["update_parameters_with_adam"](
                params, grads, v, s, t, lr, settings["beta1"], settings["beta2"])
        points.append(params["W1"].ravel())
        loss = surface.loss(points[-1])
        if not np.isfinite(loss) or loss > 10 * surface.loss(points[0]):
            break
    return np.array(points)


def drawn_path(race, key) -> np.ndarray:
    line = race.paths[key]
    return np.column_stack([line.get_xdata(), line.get_ydata()])


def sign_changes(values) -> int:
    return int(np.sum(np.diff(np.sign(values)) != 0))


# -- what is drawn is what the learner's functions produced ----------------------------------
@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_each_path_is_the_points_the_learners_functions_produced_step_by_step(solution, surface):
    race = make(solution, surface=surface, learning_rate=0.01, num_iterations=120)
    run = race.run()
    assert run.state == "done", run.message
    settings = run.settings
    for key in KEYS:
        expected = race_by_hand(solution, settings, key)
        assert expected.shape == (121, 2), (key, "no racer diverges at this rate")
        np.testing.assert_allclose(drawn_path(race, key), expected, rtol=1e-12, atol=1e-14)
        head = race.heads[key]
        np.testing.assert_allclose([head.get_xdata()[0], head.get_ydata()[0]], expected[-1])
    assert {tuple(drawn_path(race, key)[0]) for key in KEYS} == {SURFACES[surface].start}


def test_the_loss_curves_are_the_surface_at_the_drawn_points(solution):
    race = make(solution, surface="rotated ravine", noise=0.5)
    race.run()
    surface = SURFACES["rotated ravine"]
    for key in KEYS:
        points, curve = drawn_path(race, key), race.curves[key]
        np.testing.assert_array_equal(curve.get_xdata(), np.arange(len(points)))
        np.testing.assert_allclose(curve.get_ydata(), surface.loss(points.T), rtol=1e-12)


def test_the_status_line_gives_final_losses_and_who_reached_the_minimum_first(solution):
    race = make(solution)
    run = race.run()
    settings = run.settings
    reached = {}
    for key in KEYS:
        points = race_by_hand(solution, settings, key)
        label = next(o.label for o in OPTIMIZERS if o.key == key)
        loss = SURFACES["ravine"].loss(points[-1])
        assert f"{label} {loss:.3g}" in race.status.value
        close = np.flatnonzero(np.linalg.norm(points, axis=1) <= TOLERANCE)
        reached[label] = int(close[0]) if close.size else None
    arrived = sorted((step, label) for label, step in reached.items() if step is not None)
    assert len(arrived) >= 2, "at the default some reach the minimum, some do not"
    order = ", then ".join(f"{label} at step {step}" for step, label in arrived)
    assert f"Within {TOLERANCE} of the minimum first: {order}" in race.status.value
    for label in (label for label, step in reached.items() if step is None):
        assert label in race.status.value.split("first:")[1].split("not within")[0]


def test_momentum_zigzags_across_the_ravine_less_than_gradient_descent(solution):
    race = make(solution, learning_rate=0.9)  # near 2 / curvature across: GD zig-zags
    race.run()
    minimum = SURFACES["ravine"].minimum[1]
    gd = sign_changes(drawn_path(race, "gd")[:, 1] - minimum)
    momentum = sign_changes(drawn_path(race, "momentum")[:, 1] - minimum)
    assert gd > 100, "gradient descent crosses the floor of the ravine at almost every step"
    assert momentum < gd / 3


def test_the_noise_is_seeded_and_the_same_for_every_racer(solution):
    race = make(solution, noise=0.8, learning_rate=0.05, num_iterations=50)
    run = race.run()
    lr, beta, surface = 0.05, run.settings["beta"], SURFACES["ravine"]
    gd, momentum = drawn_path(race, "gd"), drawn_path(race, "momentum")
    # what each was stepped with, recovered from its path: gradient = dJ/dw + noise
    gd_noise = (gd[:-1] - gd[1:]) / lr - surface.grad(gd[:-1].T).T
    velocity = (momentum[:-1] - momentum[1:]) / lr
    previous = np.vstack([np.zeros(2), velocity[:-1]])
    momentum_noise = (velocity - beta * previous) / (1 - beta) - surface.grad(momentum[:-1].T).T
    np.testing.assert_allclose(momentum_noise, gd_noise, atol=1e-8)
    assert 0.5 < gd_noise.std() < 1.2, "noise of the chosen scale"
    again = make(solution, noise=0.8, learning_rate=0.05, num_iterations=50)
    again.run()
    np.testing.assert_array_equal(drawn_path(again, "adam"), drawn_path(race, "adam"))


def test_the_contours_are_drawn_once_per_surface_into_the_background(solution, monkeypatch):
    race = make(solution, num_iterations=50)
    race.run()
    contours = race.contours
    assert len(contours) == 2 and not any(c.get_animated() for c in contours)
    draws = []
    draw = race.frame.canvas.draw
    monkeypatch.setattr(race.frame.canvas, "draw", lambda: draws.append(1) or draw())
    race.set(learning_rate=0.2)
    race.set(beta=0.5, noise=0.3)
    assert race.contours is contours and draws == [], "the same surface: only the paths"
    race.set(surface="curved valley")
    assert race.contours is not contours and len(draws) == 1
    assert race.contour_ax.get_xlim() == SURFACES["curved valley"].extent[:2]


def test_the_frame_shows_each_path_in_its_colour(solution):
    for optimizer in OPTIMIZERS:
        race = make(solution, **{key: key == optimizer.key for key in KEYS})
        run = race.run()
        assert list(run.racers) == [optimizer.key]
        assert all(len(drawn_path(race, key)) == 0 for key in KEYS if key != optimizer.key)
        image = pixels(race.frame)
        head = drawn_path(race, optimizer.key)[-1:]
        rows, cols = pixel_positions(race.contour_ax, head.T)
        assert np.abs(image[rows[0], cols[0]] - to_rgb(optimizer.color)).max() < 0.1


def test_unticked_optimizers_are_left_out_and_none_ticked_is_said(solution):
    race = make(solution, momentum=False, rmsprop=False)
    run = race.run()
    assert list(run.racers) == ["gd", "adam"] and run.state == "done"
    assert "RMSprop" not in race.status.value and len(drawn_path(race, "momentum")) == 0
    run = race.set(gd=False, adam=False)
    assert run.state == "failed" and "Tick at least one optimizer" in race.status.value
    assert "Tick at least one optimizer" in race.note.get_text()
    assert race.set(adam=True).state == "done"


# -- the learner's mistakes, in words -------------------------------------------------------
@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_function_not_written_yet_leaves_its_racer_out_and_says_which(solution, name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    stub.__name__ = name
    race = make(solution, {name: stub})
    run = race.run()
    out = OWNER[name]
    assert run.state == "done" and run.racers[out].state == "out"
    label = STARTING_A_SENTENCE[out]
    assert f"{label} is left out: <b>{name}</b> is not implemented yet" in race.status.value
    note = " ".join(race.note.get_text().split())  # wrapped in the figure
    assert f"{label} left out: {name} is not implemented yet" in note
    assert len(drawn_path(race, out)) == 0
    for key in KEYS:
        if key != out:
            assert run.racers[key].state == "done" and len(drawn_path(race, key)) == 201
    race.functions[name] = solution[name]
    assert race.set(noise=0.1).racers[out].state == "done" and race.note.get_text() == ""


def test_a_state_dict_keyed_like_the_parameters_is_named(solution):
    def initialize_velocity(parameters):
        return {key: np.zeros_like(value) for key, value in parameters.items()}

    race = make(solution, {"initialize_velocity": initialize_velocity})
    race.run()
    assert ('<b>initialize_velocity</b> returned no <code>"dW1"</code> (found: W1, b1)'
            in race.status.value)
    assert 'v["dW1"]' in race.status.value

    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        v = {"W1": v["W1"]}
        return parameters, v

    race = make(solution, {"update_parameters_with_momentum": update_parameters_with_momentum})
    run = race.run()
    assert run.racers["momentum"].state == "out"
    assert "<b>update_parameters_with_momentum</b> raised KeyError: 'W1'" in race.status.value
    assert "keyed like the gradients" in race.status.value


def test_a_wrong_return_is_named(solution):
    def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                    beta2=0.999, epsilon=1e-8):
        return solution["update_parameters_with_adam"](parameters, grads, v, s, t)[:3]

    race = make(solution, {"update_parameters_with_adam": update_parameters_with_adam})
    race.run()
    assert ("<b>update_parameters_with_adam</b> must return 5 things: <code>parameters, v, s, "
            "v_corrected, s_corrected</code>") in race.status.value

    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {"W1": parameters["W1"].T, "b1": parameters["b1"]}

    race = make(solution, {"update_parameters_with_gd": update_parameters_with_gd})
    race.run()
    assert "<b>update_parameters_with_gd</b> returned <code>W1</code> with shape (2, 1)" \
        in race.status.value


def test_a_diverging_learning_rate_stops_that_racer_in_words_and_the_others_go_on(solution):
    race = make(solution, learning_rate=0.9)  # RMSprop's first steps are ~32 times that
    run = race.run()
    assert run.state == "done" and run.racers["rmsprop"].state == "diverged"
    assert ("RMSprop diverged at step 1: with <b>update_parameters_with_rmsprop</b> the loss "
            "grew from 3.87 to") in race.status.value
    assert "The learning rate 0.9 is likely too large for RMSprop: try 0.09" in race.status.value
    assert race.note.get_text() == "RMSprop diverged at step 1"
    np.testing.assert_allclose(drawn_path(race, "rmsprop"),
                               race_by_hand(solution, run.settings, "rmsprop"))
    assert len(drawn_path(race, "rmsprop")) == 2
    for key in ("gd", "momentum", "adam"):
        assert run.racers[key].state == "done"
        np.testing.assert_allclose(drawn_path(race, key),
                                   race_by_hand(solution, run.settings, key))
    run = race.set(learning_rate=1.5, rmsprop=False)  # beyond 2 / curvature: GD too
    assert run.racers["gd"].state == "diverged"
    assert "GD diverged at step" in race.status.value and "<b>update_parameters_with_gd</b>" \
        in race.status.value


def test_a_nan_from_the_learner_is_a_divergence_of_that_racer_only(solution):
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {"W1": parameters["W1"] * np.nan, "b1": parameters["b1"]}

    race = make(solution, {"update_parameters_with_gd": update_parameters_with_gd})
    run = race.run()
    assert run.racers["gd"].state == "diverged" and run.state == "done"
    assert "GD diverged at step 1: with <b>update_parameters_with_gd</b> the loss became nan" \
        in race.status.value
    run = race.set(momentum=False, rmsprop=False, adam=False)
    assert run.state == "diverged" and "GD diverged" in race.status.value


def test_bad_settings_are_refused_in_words(solution):
    with pytest.raises(ValueError, match="unknown surface 'bowl'"):
        make(solution, surface="bowl")
    with pytest.raises(ValueError, match="beta1 must be at least 0 and below 1"):
        make(solution, beta1=1.0)
    with pytest.raises(ValueError, match="learning_rate must be above 0"):
        make(solution, learning_rate=0.0)
    with pytest.raises(TypeError, match="optimizer_race: pass your function initialize_adam"):
        OptimizerRace(*list(solution.values())[:6])


# -- the run loop ---------------------------------------------------------------------------
def test_a_second_move_while_the_first_races_shows_only_the_second(solution):
    race = make(solution)
    first, second = second_move(race, {"num_iterations": 1000},
                                {"num_iterations": 100, "learning_rate": 0.05})
    assert 0 < first.iteration < 1000 and second.iteration == 100
    for key in KEYS:
        np.testing.assert_allclose(drawn_path(race, key),
                                   race_by_hand(solution, second.settings, key))
    assert "step 100 of 100" in race.contour_title.get_text()


def test_optimizer_race_shows_itself_raced_and_returns_the_object(solution):
    race = optimizer_race(*solution.values(), num_iterations=50)
    assert isinstance(race, OptimizerRace)
    assert race.last_run.state == "done" and race.frame.updates >= 1
    assert all(control.continuous_update is False for name, control in race.controls.items()
               if name not in KEYS + ["surface"])
