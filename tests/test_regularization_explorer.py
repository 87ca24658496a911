"""The week 4 regularization explorer on the solution's functions: what it draws (costs,
points, boundary, spreads), stubs and classic signatures, divergence, cancelling."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from course_utils.planar import make_dataset
from course_utils.three_layer import three_layer_backward, three_layer_forward
from course_utils.widgets.frame import CLASS_COLORS
from course_utils.widgets.regularization import (
    FUNCTIONS,
    NEAR,
    OPTIONAL,
    TEST_SEED,
    RegularizationExplorer,
    regularization_explorer,
)
from tests.explorer_checks import (
    assert_curve,
    assert_points_drawn,
    drawn_in_class_colours,
    second_move,
)

QUICK = {"num_iterations": 600}  # enough to overfit the default moons; quick to test


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week 4 solution's functions the explorer takes (FUNCTIONS, then OPTIONAL)."""
    from autograder.solution_code import solution_namespace

    namespace = solution_namespace("week4")
    return {name: namespace[name] for name in FUNCTIONS + OPTIONAL}


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def make(solution, functions=None, **settings) -> RegularizationExplorer:
    return RegularizationExplorer(**{**solution, **(functions or {})}, **(QUICK | settings))


def stub(name):
    def not_written(*args, **kwargs):
        raise NotImplementedError

    not_written.__name__ = name
    return not_written


def replay(solution, settings: dict, every: int):
    """The run of `settings` as a learner's own loop would train it with the same functions:
    (iterations, train costs, test costs), the cross-entropy of the network without dropout."""
    s = settings
    X, Y = make_dataset(s["dataset"], s["m"], s["noise"], s["seed"])
    X_test, Y_test = make_dataset(s["dataset"], s["m_test"], s["noise"], s["seed"] + TEST_SEED)
    cost = solution["compute_cost_with_regularization"]
    params = solution["initialize_parameters_he"]([2, s["n_h"], s["n_h"], 1])
    iterations, costs, test_costs = [], [], []
    for i in range(s["num_iterations"] + 1):
        if i % every == 0 or i == s["num_iterations"]:
            iterations.append(i)
            costs.append(cost(three_layer_forward(X, params)[0], Y, params, 0.0))
            test_costs.append(cost(three_layer_forward(X_test, params)[0], Y_test, params, 0.0))
        if i == s["num_iterations"]:
            break
        if s["keep_prob"] < 1:
            _, cache = solution["forward_propagation_with_dropout"](X, params, s["keep_prob"],
                                                                     seed=i)
            grads = solution["backward_propagation_with_dropout"](X, Y, cache, s["keep_prob"])
        else:
            _, cache = three_layer_forward(X, params)
            grads = (solution["backward_propagation_with_regularization"](X, Y, cache, s["lambd"])
                     if s["lambd"] else three_layer_backward(X, Y, cache))
        params = solution["update_parameters_with_gd"](params, grads, s["learning_rate"])
    return iterations, costs, test_costs


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def label_changes(rx) -> int:
    """How often the drawn class (blue or red) changes between neighbours along the map's rows
    and columns: a wiggly boundary with islands changes more often than a smooth one."""
    rgb = rx.map.image.get_array()
    label = rgb[..., 2] > rgb[..., 0]
    return int(np.sum(label[1:] != label[:-1]) + np.sum(label[:, 1:] != label[:, :-1]))


# -- training and what the frame shows ------------------------------------------------------
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 1.0), (0.0, 0.8)])
def test_the_curves_are_the_costs_of_the_learners_functions_on_the_same_run(
        solution, lambd, keep_prob):
    rx = make(solution, lambd=lambd, keep_prob=keep_prob)
    run = rx.run()
    assert run.state == "done", run.message
    iterations, costs, test_costs = replay(solution, run.settings, run.every)
    assert run.iterations == iterations
    np.testing.assert_allclose(run.costs, costs, rtol=1e-10)
    np.testing.assert_allclose(run.test_costs, test_costs, rtol=1e-10)
    train, test = rx.costs.lines
    assert_curve(train, iterations, costs)
    assert_curve(test, iterations, test_costs)
    assert rx.frame.updates == run.redraws >= 1
    assert rx.frame.png().startswith(b"\x89PNG"), "renders as a static PNG"


def test_the_default_overfits_and_says_the_accuracies_in_the_status_and_the_title(solution):
    rx = make(solution, num_iterations=2000)
    run = rx.run()
    assert run.train_accuracy == 100 and run.test_accuracy < 95
    assert run.test_costs[-1] > 2 * min(run.test_costs), "the test cost rises again: overfitting"
    words = f"accuracy train {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%"
    assert words in rx.status.value
    assert f"train {run.train_accuracy:.1f}%, test {run.test_accuracy:.1f}%" in \
        rx.map.title.get_text()
    assert "no regularization" in rx.costs.title.get_text()


def test_the_points_drawn_are_the_data_sets_training_filled_and_test_hollow(solution):
    rx = make(solution, m=60)
    rx.run()
    X, Y = make_dataset("moons", 60, 0.3, 1)
    X_test, Y_test = make_dataset("moons", 200, 0.3, 1 + TEST_SEED)
    assert len(rx.map.points) == 2
    assert_points_drawn(rx.map, 0, X, Y)
    assert drawn_in_class_colours(rx.map, X, Y) > 0.5, "training points are in the picture"
    test = rx.map.points[1]
    np.testing.assert_array_equal(test.get_offsets(), X_test.T)
    assert len(test.get_facecolors()) == 0, "hollow"
    np.testing.assert_allclose(test.get_edgecolors()[:, :3],
                               [to_rgb(CLASS_COLORS[int(y)]) for y in Y_test[0]])


def test_a_large_lambda_changes_the_boundary_and_smooths_it(solution):
    rx = make(solution, num_iterations=2000)
    free = rx.run()
    image, changes = rx.map.image.get_array().copy(), label_changes(rx)
    strong = rx.set(lambd=1.0)
    assert strong.state == "done", strong.message
    assert np.abs(rx.map.image.get_array() - image).max() > 0.3, "the boundary image changed"
    assert label_changes(rx) < 0.9 * changes, "a smoother boundary"
    assert strong.test_costs[-1] < 0.5 * free.test_costs[-1], "and a lower test cost"
    assert "L2 λ = 1" in rx.costs.title.get_text()
    assert "J with the L2 term" in rx.status.value
    norms = [np.linalg.norm(run.parameters["W2"]) for run in (free, strong)]
    assert norms[1] < 0.5 * norms[0], "weight decay"


def test_the_spread_panel_shows_the_std_of_each_layers_activations(solution):
    rx = make(solution)
    run = rx.run()
    X, _ = make_dataset("moons", 80, 0.3, 1)
    params = solution["initialize_parameters_he"]([2, 50, 50, 1])
    cache = three_layer_forward(X, params)[1]
    expected = [np.std(cache[k]) for k in (1, 5, 9)]
    np.testing.assert_allclose(run.spreads["init"], expected)
    bottom = rx.bars[0].get_y()
    np.testing.assert_allclose([bottom + bar.get_height() for bar in rx.bars], expected)
    assert [label.get_text() for label in rx.bar_labels] == [f"{v:.2g}" for v in expected]
    end = three_layer_forward(X, run.parameters)[1]
    np.testing.assert_allclose(rx.after.get_ydata(), [np.std(end[k]) for k in (1, 5, 9)])


def test_the_initializations_show_their_spreads_and_say_what_they_do(solution):
    rx = make(solution)
    zeros = rx.set(initialization="zeros")
    assert zeros.state == "done" and zeros.spreads["init"] == [0.0, 0.0, 0.0]
    assert zeros.costs[-1] == pytest.approx(np.log(2), abs=1e-3)
    assert "only b3 learns" in rx.status.value and "symmetry" in rx.status.value
    assert [label.get_text() for label in rx.bar_labels] == ["0", "0", "0"]
    large = rx.set(initialization="random ×10")
    assert large.state == "diverged" and large.iteration == 0
    assert large.spreads["init"][1] > 100 * zeros.spreads["init"][1] + 100
    assert "initialize_parameters_random" in rx.status.value
    assert "sigmoid saturates" in rx.status.value and "choose He" in rx.status.value
    assert rx.costs.note.get_text().startswith("Training diverged"), "the figure says it too"
    assert rx.set(initialization="He").state == "done"
    assert "diverged" not in rx.status.value


def init_spreads(solution, scale: float, scheme="initialize_parameters_he", n_h=50) -> list:
    """[std A1, std A2, std A3] of the default moons at init, the scheme's weights times scale."""
    X, _ = make_dataset("moons", 80, 0.3, 1)
    params = {key: scale * value if key.startswith("W") else value
              for key, value in solution[scheme]([2, n_h, n_h, 1]).items()}
    cache = three_layer_forward(X, params)[1]
    return [float(np.std(cache[k])) for k in (1, 5, 9)]


def drawn_spreads(rx) -> list:
    return [bar.get_y() + bar.get_height() for bar in rx.bars]


def test_the_init_scale_multiplies_the_weights_and_the_bars_show_the_spreads_it_gives(solution):
    returned = []

    def initialize_parameters_he(layers_dims):
        returned.append(solution["initialize_parameters_he"](layers_dims))
        return returned[-1]

    rx = make(solution, {"initialize_parameters_he": initialize_parameters_he})
    control = rx.controls["init_scale"]
    assert type(control).__name__ == "FloatLogSlider"
    assert (control.value, control.base ** control.min, control.base ** control.max) == \
        (1.0, 0.01, 10.0)
    drawn = {}
    for scale in (1.0, 0.01, 0.1, 2.0):
        run = rx.set(init_scale=scale)
        expected = init_spreads(solution, scale)
        np.testing.assert_allclose(run.spreads["init"], expected, rtol=1e-12)
        np.testing.assert_allclose(drawn_spreads(rx), expected, rtol=1e-12)
        assert [label.get_text() for label in rx.bar_labels] == [f"{v:.2g}" for v in expected]
        assert f"He, init scale {scale:.3g}:" in rx.spread_title.get_text()
        drawn[scale] = np.array(drawn_spreads(rx))
    np.testing.assert_array_equal(returned[-1]["W1"], solution["initialize_parameters_he"](
        [2, 50, 50, 1])["W1"]), "the scheme's own weights are not changed in place"
    # relu layers with zero biases: A[l] scales as scale**l; the sigmoid output only roughly
    ratio = drawn[1.0] / drawn[0.01]
    np.testing.assert_allclose(ratio[:2], [100, 100 ** 2], rtol=1e-9)
    assert 1e5 < ratio[2] < 1e7
    assert (drawn[0.01] < drawn[0.1]).all() and (drawn[0.1] < drawn[1.0]).all()
    assert (drawn[1.0][:2] < drawn[2.0][:2]).all()


def test_a_small_init_scale_starts_flat_and_the_status_says_until_when(solution):
    rx = make(solution, num_iterations=2000)
    run = rx.set(init_scale=0.01)
    assert run.state == "done", "spreads that grow from 0.0001 to about 1 are not a blow-up"
    A1, A2, A3 = run.spreads["init"]
    assert A1 > A2 > A3 and A3 < 1e-6
    start = run.costs[0]
    assert start == pytest.approx(np.log(2), abs=1e-6)
    left = next(i for i, cost in zip(run.iterations, run.costs) if abs(cost - start) > 0.01 * start)
    assert 200 <= left <= 600, "a long plateau at log 2, then learning"
    assert_curve(rx.costs.lines[0], run.iterations, run.costs)
    status = rx.status.value
    assert "times init scale 0.01 the spreads shrink layer by layer" in status
    assert f"A1 {A1:.2g}, A2 {A2:.2g}, A3 {A3:.2g}" in status
    assert f"within 1% of its start, {start:.3g}, until iteration {left}." in status
    assert "diverged" not in status and "shrink" not in rx.set(init_scale=1.0).message


def test_a_large_init_scale_stops_with_words_naming_the_initialization_and_the_scale(solution):
    rx = make(solution)
    run = rx.set(init_scale=10.0)
    assert run.state == "diverged" and run.iteration == 0
    status = rx.status.value
    assert "with the weights of initialize_parameters_he (randn × sqrt(2 / n[l-1])) times " \
        "init scale 10 the spread of A1 is" in status
    assert "sigmoid saturates" in status and "set the init scale back to 1" in status
    assert "check compute_cost_with_regularization" not in status, "not the learner's cost"
    assert rx.costs.note.get_text().startswith("Training diverged")
    np.testing.assert_allclose(drawn_spreads(rx), init_spreads(solution, 10.0), rtol=1e-12)
    run = rx.set(initialization="random ×10", init_scale=10.0)
    assert "initialize_parameters_random (randn ×10) times init scale 10" in rx.status.value
    assert "choose He at init scale 1" in rx.status.value
    assert rx.set(initialization="random ×10", init_scale=0.01).state == "done", "randn × 0.1"


def test_a_saturated_start_is_named_not_the_learning_rate(solution):
    rx = make(solution)
    X, Y = make_dataset("moons", 80, 0.3, 1)
    params = {key: 3.0 * value if key.startswith("W") else value for key, value in
              solution["initialize_parameters_he"]([2, 50, 50, 1]).items()}
    A3 = three_layer_forward(X, params)[0]
    saturated = np.mean((A3 < NEAR) | (A3 > 1 - NEAR))
    assert saturated > 0.5
    for rate in (0.03, 0.003):  # a smaller learning rate does not help
        run = rx.set(init_scale=3.0, learning_rate=rate)
        assert run.state == "diverged" and run.iteration > 0
        status = rx.status.value
        assert f"The network started saturated: with the weights of initialize_parameters_he " \
            f"(randn × sqrt(2 / n[l-1])) times init scale 3 the spread of A2 was " \
            f"{run.spreads['init'][1]:.3g} and {saturated:.0%} of the outputs" in status
        assert "set the init scale back to 1" in status and "are too large" not in status
    assert rx.set(init_scale=1.0, learning_rate=0.03).state == "done"
    run = rx.set(init_scale=3.0, learning_rate=0.3, num_iterations=2000)  # starts saturated
    assert run.state == "done"
    assert f"{saturated:.0%} of the outputs start within 0.001 of 0 or 1, so the first cost is " \
        f"{run.costs[0]:.3g}." in rx.status.value
    assert not np.isfinite(run.test_costs[-1])
    assert "The test cost is inf: on a test example the output is exactly 0 or 1 for the wrong " \
        "class" in rx.status.value


def test_zeros_stay_zeros_at_any_init_scale(solution):
    rx = make(solution, initialization="zeros")
    run = rx.set(init_scale=0.1)
    assert run.spreads["init"] == [0.0, 0.0, 0.0]
    assert "With zeros (init scale 0.1 times 0 is still 0)" in rx.status.value


def test_without_the_optional_initializations_the_menu_has_he_only_and_a_note(solution):
    functions = {name: solution[name] for name in FUNCTIONS}
    rx = RegularizationExplorer(*functions.values(), **QUICK)
    assert rx.controls["initialization"].options == ("He",)
    assert "initialize_parameters_zeros" in rx.note.value
    assert rx.run().state == "done"
    with pytest.raises(ValueError, match="needs your initialize_parameters_zeros"):
        RegularizationExplorer(*functions.values(), initialization="zeros")
    rx = RegularizationExplorer(*functions.values(), solution["initialize_parameters_zeros"])
    assert rx.controls["initialization"].options == ("He", "zeros")


def test_lambda_and_dropout_act_one_at_a_time_and_a_note_says_so(solution):
    rx = make(solution, keep_prob=0.8)
    dropout = rx.run()
    assert "one regularization at a time" not in rx.note.value
    both = rx.set(lambd=0.7)
    assert "λ = 0.7 is ignored while keep_prob is below 1" in rx.note.value
    assert "one regularization at a time" in rx.note.value
    assert "with keep_prob 0.80 it trains with dropout only" in rx.note.value
    assert both.costs == dropout.costs, "λ is ignored while dropout is on"
    assert "λ 0.7 ignored" in rx.costs.title.get_text()
    rx.set(keep_prob=1.0)
    assert "one regularization at a time" not in rx.note.value


def test_dropout_draws_fresh_masks_or_says_that_a_classic_forward_cannot(solution):
    seeds = []

    def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, *, seed=1):
        seeds.append(seed)
        return solution["forward_propagation_with_dropout"](X, parameters, keep_prob, seed=seed)

    run = make(solution, {"forward_propagation_with_dropout": forward_propagation_with_dropout},
               keep_prob=0.8).run()
    assert seeds == [0] + list(range(run.settings["num_iterations"])), "one seed per step"

    def classic(X, parameters, keep_prob=0.5):
        return solution["forward_propagation_with_dropout"](X, parameters, keep_prob)

    classic.__name__ = "forward_propagation_with_dropout"
    rx = make(solution, {"forward_propagation_with_dropout": classic}, keep_prob=0.8)
    assert rx.run().state == "done"
    assert "takes no <code>seed</code>" in rx.status.value
    assert "the same masks at every step" in rx.status.value
    rx.set(keep_prob=1.0)
    assert "masks" not in rx.status.value


# -- plain words when the learner's code is missing, crashes or diverges -----------------
@pytest.mark.parametrize("name", FUNCTIONS + OPTIONAL)
def test_a_function_not_written_yet_is_named_and_the_widget_keeps_working(solution, name):
    scheme = {"initialize_parameters_zeros": "zeros",
              "initialize_parameters_random": "random ×10"}.get(name, "He")
    rx = make(solution, {name: stub(name)}, initialization=scheme)
    run = rx.run()
    assert run.state == "failed"
    assert f"<b>{name}</b> is not implemented yet" in rx.status.value
    assert rx.frame.updates == 1, "the data is still drawn"
    assert_points_drawn(rx.map, 0, *make_dataset("moons", 80, 0.3, 1))
    assert rx.costs.note.get_text().replace("\n", " ").startswith(
        f"{name} is not implemented yet"), "the figure says it too, for static copies"
    rx.functions[name] = solution[name]
    assert rx.set(initialization="He").state == "done"
    assert rx.costs.note.get_text() == ""


def test_a_wrong_return_is_named(solution):
    def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, *, seed=1):
        A3, cache = solution["forward_propagation_with_dropout"](X, parameters, keep_prob,
                                                                 seed=seed)
        return A3, cache[:12]

    rx = make(solution, {"forward_propagation_with_dropout": forward_propagation_with_dropout})
    assert rx.run().state == "failed"
    assert "<b>forward_propagation_with_dropout</b> returned a cache of 12 parts" \
        in rx.status.value

    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {key: value.T for key, value in parameters.items()}

    rx = make(solution, {"update_parameters_with_gd": update_parameters_with_gd})
    rx.run()
    assert "<b>update_parameters_with_gd</b> returned <code>W1</code> with shape (2, 50)" \
        in rx.status.value


def test_a_diverging_learning_rate_stops_the_run_with_words_and_a_good_one_works_after(solution):
    rx = make(solution)
    run = rx.set(learning_rate=10.0)
    assert run.state == "diverged" and run.iteration < 100, "stopped early"
    assert "Training diverged" in rx.status.value
    assert "update_parameters_with_gd with learning rate 10 are too large" in rx.status.value
    assert "try 1" in rx.status.value
    assert rx.costs.note.get_text().startswith("Training diverged")
    run = rx.set(learning_rate=3.0, num_iterations=2000)  # a finite cost: A1 explodes
    assert run.state == "diverged" and np.isfinite(run.costs).all()
    assert "the spread of A1 grew from 1.29 to" in rx.status.value
    assert "(the weights blew up)" in rx.status.value and "try 0.3" in rx.status.value
    run = rx.set(learning_rate=0.3, num_iterations=600)
    assert run.state == "done" and "diverged" not in rx.status.value
    assert rx.costs.note.get_text() == ""


def test_a_cost_that_becomes_nan_stops_the_run_and_names_the_cost(solution):
    def compute_cost_with_regularization(A3, Y, parameters, lambd):
        return np.float64(np.nan)

    rx = make(solution, {"compute_cost_with_regularization": compute_cost_with_regularization})
    run = rx.run()
    assert run.state == "diverged" and run.iteration == 0
    assert "the cost became nan at iteration 0" in rx.status.value
    assert "check compute_cost_with_regularization" in rx.status.value


def test_a_bug_of_the_explorer_itself_is_said_in_the_status_line(solution, monkeypatch):
    def broken(self, run):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(RegularizationExplorer, "draw", broken)
    rx = make(solution)
    assert rx.run().state == "failed"  # never raises
    assert "The regularization_explorer itself failed (ZeroDivisionError: a bug)" in \
        rx.status.value


# -- controls, cancelling, entry point ------------------------------------------------------
def test_a_second_move_while_the_first_trains_shows_only_the_second(solution):
    rx = make(solution, num_iterations=5000)
    first, second = second_move(rx, {"num_iterations": 4900}, {"num_iterations": 500})
    assert 0 < first.iteration < 4900 and second.iteration == 500
    assert_curve(rx.costs.lines[0], second.iterations, second.costs)
    assert "iteration 500 of 500" in rx.status.value


def sent_frames(rx) -> list:
    """The PNG bytes of every frame `rx` sends from now on, in order (the last is shown)."""
    sent, show = [], rx.frame.show
    rx.frame.show = lambda png: sent.append(png) or show(png)
    return sent


def without_duration(status: str) -> str:
    return re.sub(r"&middot; \d+\.\d\d s", "&middot; _ s", status)


@pytest.mark.parametrize("start, first, second", [
    ({}, {"m": 90}, {"m": 100}),  # a new training set: its points, limits and boundary
    ({"initialization": "zeros"}, {"initialization": "He"}, {"initialization": "zeros"}),
])
def test_two_quick_moves_end_on_the_frame_and_status_of_the_second_alone(solution, start, first,
                                                                        second):
    """Nothing of the cancelled run (points, boundary, bars, titles, the kept background) is
    left in the final frame: it is, pixel for pixel, the one the second setting shows when
    reached by single moves, and so is the status line, but for the seconds it took."""
    quick, single = make(solution, **start), make(solution, **start)
    quick_frames, single_frames = sent_frames(quick), sent_frames(single)
    cancelled, _ = second_move(quick, first, second)
    assert cancelled.iteration < QUICK["num_iterations"]
    single.set(**first)
    single.set(**second)
    np.testing.assert_array_equal(decoded(quick_frames[-1]), decoded(single_frames[-1]))
    assert without_duration(quick.status.value) == without_duration(single.status.value)


def test_every_slider_updates_only_when_released_and_bad_settings_are_refused(solution):
    rx = make(solution)
    assert all(control.continuous_update is False for name, control in rx.controls.items()
               if name not in ("dataset", "initialization"))
    with pytest.raises(ValueError, match="unknown data set 'petals'"):
        make(solution, dataset="petals")
    with pytest.raises(ValueError, match="keep_prob must be in"):
        make(solution, keep_prob=0.0)
    for scale in (0, -1.0, float("nan"), "big"):
        with pytest.raises(ValueError, match="init_scale must be a positive number"):
            make(solution, init_scale=scale)
    with pytest.raises(TypeError, match="pass your function update_parameters_with_gd itself"):
        make(solution, {"update_parameters_with_gd": 0.5})
    with pytest.raises(TypeError, match="no setting named lambda"):
        make(solution, **{"lambda": 0.1})


def test_regularization_explorer_shows_itself_trained_and_returns_the_object(solution):
    rx = regularization_explorer(*(solution[name] for name in FUNCTIONS + OPTIONAL), **QUICK)
    assert isinstance(rx, RegularizationExplorer)
    assert rx.last_run.state == "done" and rx.frame.updates >= 1
    assert rx.controls["initialization"].options == ("He", "random ×10", "zeros")
