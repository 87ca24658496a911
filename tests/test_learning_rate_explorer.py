"""The week 1 learning-rate explorer, on the solution's functions: its model in one call, or
its step functions (initialize_with_zeros, optimize, predict) chunk by chunk."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.explore import LearningRateExplorer, learning_rate_explorer
from course_utils.widgets.training import divergence
from tests.explorer_checks import assert_curve, pixel_positions, pixels, second_move

SOLUTION = solution_namespace("week1")
STEPS = [SOLUTION[name] for name in ("initialize_with_zeros", "optimize", "predict")]


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def data(n_x=5, m=40):
    rng = np.random.default_rng(1)
    X, Xt = rng.normal(size=(n_x, m)), rng.normal(size=(n_x, 12))
    return X, (X[:1] > 0).astype(float), Xt, (Xt[:1] > 0).astype(float)


def _explorer(*functions, **settings):
    return LearningRateExplorer(*functions, *data(),
                                **({"learning_rate": 0.05, "num_iterations": 300} | settings))


# -- with the learner's model ---------------------------------------------------------------
def test_explorer_reruns_the_learners_model_when_a_slider_moves():
    explorer = _explorer(SOLUTION["model"])
    explorer.run()
    assert "train accuracy" in explorer.status.value
    explorer.controls["learning_rate"].value = 0.5
    explorer.controls["num_iterations"].value = 500
    assert explorer.frame.updates == 3 and len(explorer.runs) == 3
    assert "diverged" not in explorer.status.value
    run = explorer.last_run
    assert run.settings == {"learning_rate": 0.5, "num_iterations": 500}
    assert_curve(explorer.costs.lines[0], run.iterations, run.costs)
    assert run.iterations == [0, 100, 200, 300, 400]


def test_explorer_says_when_training_diverges_and_stays_usable():
    def exploding(X_train, Y_train, X_test, Y_test, num_iterations, learning_rate):
        return {"costs": [0.69, 50.0, float("nan")], "Y_prediction_train": Y_train * 0,
                "Y_prediction_test": Y_test * 0}

    explorer = _explorer(exploding)
    explorer.run()
    assert "diverged" in explorer.status.value and "nan" in explorer.status.value
    assert explorer.costs.note.get_text().startswith("Learning rate 0.05 diverged")
    assert_curve(explorer.costs.lines[0], [0, 100, 200], [0.69, 50.0, np.nan])
    explorer.functions["model"] = SOLUTION["model"]
    explorer.controls["learning_rate"].value = 0.01
    assert "diverged" not in explorer.status.value
    assert explorer.costs.note.get_text() == ""


def test_explorer_names_the_function_that_is_not_written_yet():
    def model(*args, **kwargs):
        raise NotImplementedError()

    explorer = _explorer(model)
    explorer.run()
    assert "<b>model</b> is not implemented yet" in explorer.status.value
    assert explorer.costs.note.get_text().startswith("model is not implemented yet")


def test_explorer_names_the_unwritten_function_that_the_model_calls():
    def propagate(w, b, X, Y):
        raise NotImplementedError()

    def model(X_train, Y_train, X_test, Y_test, *args, **kwargs):
        return propagate(None, 0.0, X_train, Y_train)

    explorer = _explorer(model)
    explorer.run()
    assert "<b>propagate</b> is not implemented yet" in explorer.status.value


def test_explorer_reports_a_crash_in_the_learners_code():
    def model(*args, **kwargs):
        raise ValueError("shapes (1,5) and (4,40) not aligned")

    explorer = _explorer(model)
    explorer.run()
    assert "raised ValueError" in explorer.status.value


def test_explorer_says_what_is_wrong_with_what_model_returned():
    def model(X_train, Y_train, X_test, Y_test, num_iterations, learning_rate):
        return {"costs": [0.69], "Y_prediction_train": Y_train.T, "Y_prediction_test": Y_test}

    explorer = _explorer(model)
    explorer.run()
    assert ("<b>model</b> returned <code>Y_prediction_train</code> with shape (40, 1), but it "
            "must be (1, 40)") in explorer.status.value
    with pytest.raises(TypeError, match="pass your function model itself"):
        LearningRateExplorer(model(*data(), 100, 0.1), *data())


# -- with the step functions: the same curve, chunk by chunk --------------------------------
def test_the_step_functions_record_exactly_the_costs_of_model():
    X, Y, Xt, Yt = data()
    explorer = LearningRateExplorer(*STEPS, X, Y, Xt, Yt, learning_rate=0.05,
                                    num_iterations=700)
    run = explorer.run()
    expected = SOLUTION["model"](X, Y, Xt, Yt, 700, 0.05)
    assert run.state == "done" and run.costs == [float(c) for c in expected["costs"]]
    assert run.iterations == list(range(0, 700, 100))
    assert run.train_accuracy == 100 - np.mean(np.abs(expected["Y_prediction_train"] - Y)) * 100
    assert run.test_accuracy == 100 - np.mean(np.abs(expected["Y_prediction_test"] - Yt)) * 100
    assert_curve(explorer.costs.lines[0], run.iterations, run.costs)
    assert explorer.costs.title.get_text() == (
        f"learning rate 0.05, 700 iterations: train {run.train_accuracy:.1f}%, "
        f"test {run.test_accuracy:.1f}%")
    assert explorer.status.value == (f"Final cost {run.costs[-1]:.4f} &middot; train accuracy "
                                     f"{run.train_accuracy:.1f}% &middot; test "
                                     f"{run.test_accuracy:.1f}%")


def test_the_curve_is_in_the_picture():
    explorer = _explorer(*STEPS, num_iterations=1000)
    run = explorer.run()
    image = pixels(explorer.frame)
    rows, cols = pixel_positions(explorer.costs.ax, np.array([run.iterations[1:-1],
                                                              run.costs[1:-1]]))
    colour = np.array([0.12, 0.47, 0.71])  # the line's default colour, C0
    near = [np.abs(image[r - 1:r + 2, c - 1:c + 2] - colour).sum(axis=2).min()
            for r, c in zip(rows, cols)]
    assert max(near) < 0.3, "the cost curve is drawn where its costs are"


def test_a_second_move_while_the_first_trains_shows_only_the_second():
    explorer = LearningRateExplorer(*STEPS, *data(n_x=300, m=1000), num_iterations=3000)
    first, second = second_move(explorer, {"num_iterations": 2900}, {"num_iterations": 200})
    assert 0 < first.iteration < 2900 and second.iteration == 200
    assert_curve(explorer.costs.lines[0], second.iterations, second.costs)
    assert "200 iterations" in explorer.costs.title.get_text()


def test_with_model_a_second_move_during_its_call_cancels_its_frame():
    explorer = _explorer(SOLUTION["model"])
    first, second = second_move(explorer, {"num_iterations": 2000}, {"num_iterations": 200},
                                mid_training=False)
    assert first.redraws == 0
    assert_curve(explorer.costs.lines[0], second.iterations, second.costs)


def test_the_step_functions_are_named_when_unwritten_or_wrong():
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        raise NotImplementedError()

    explorer = _explorer(STEPS[0], optimize, STEPS[2])
    explorer.run()
    assert "<b>optimize</b> is not implemented yet" in explorer.status.value

    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        params, grads, costs = SOLUTION["optimize"](w, b, X, Y, num_iterations, learning_rate)
        return params, costs

    explorer = _explorer(STEPS[0], optimize, STEPS[2])
    explorer.run()
    assert ("<b>optimize</b> must return three things: <code>params, grads, costs</code>"
            in explorer.status.value)

    def initialize_with_zeros(dim):
        return np.zeros((1, dim)), 0.0

    explorer = _explorer(initialize_with_zeros, *STEPS[1:])
    explorer.run()
    assert ("<b>initialize_with_zeros</b> returned <code>w</code> with shape (1, 5), but it "
            "must be (5, 1)") in explorer.status.value


def test_a_nan_cost_stops_the_steps_and_says_where():
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        params, grads, costs = SOLUTION["optimize"](w, b, X, Y, num_iterations, learning_rate)
        return params, grads, [np.nan] if optimize.calls == 2 else costs

    def counting(*args):
        optimize.calls += 1
        return optimize(*args)

    optimize.calls = 0
    counting.__name__ = "optimize"
    explorer = _explorer(STEPS[0], counting, STEPS[2], num_iterations=1000)
    run = explorer.run()
    assert run.state == "diverged" and run.iterations == [0, 100]
    assert "Learning rate 0.05 diverged: the cost became nan at iteration 100" in \
        explorer.status.value


def test_learning_rate_explorer_shows_itself_and_takes_either_call():
    explorer = learning_rate_explorer(*STEPS, *data(), num_iterations=200)
    assert explorer.last_run.state == "done" and explorer.frame.updates >= 1
    explorer = learning_rate_explorer(SOLUTION["model"], *data(), learning_rate=0.005,
                                      num_iterations=200)
    assert explorer.last_run.state == "done" and list(explorer.functions) == ["model"]
    with pytest.raises(TypeError, match="pass the data after your functions"):
        LearningRateExplorer(*STEPS, *data()[:3])


def test_divergence_wording_counts_iterations_by_the_recording_interval():
    assert divergence([0.7, 0.6, 0.5], every=100) is None
    assert "grew" in divergence([0.7, 3.0, 2.5], every=100)
    assert "iteration 200" in divergence([0.7, 0.6, float("inf")], every=100)
    assert "iteration 20" in divergence([0.7, 0.6, float("inf")], every=10)


# -- what the model looks for, and what it says about a few test pictures --------------------
def picture_data(m=60):
    """4 x 4 gray pictures in [0, 1]: class 1 when the left half is lighter than the right."""
    rng = np.random.default_rng(2)
    X, Xt = rng.random((16, m)), rng.random((16, 10))

    def label(X):
        pictures = X.reshape(4, 4, -1)
        return (pictures[:, :2].sum(axis=(0, 1)) > pictures[:, 2:].sum(axis=(0, 1)))[None] * 1.0

    Yt = label(Xt)
    Yt[0, 0] = 1 - Yt[0, 0]  # a mislabelled test picture: a model that learned says it wrong
    return X, label(X), Xt, Yt


def assert_pictures_show(explorer, run, w, b):
    """The weights panel is w as a 4 x 4 picture on a scale centred on 0; each test picture's
    title is the prediction of predict(w, b, X_test), ticked when it equals the label."""
    X_test, Y_test = explorer.data[2], explorer.data[3]
    np.testing.assert_array_equal(explorer.weights.get_array(), w.reshape(4, 4))
    low, high = explorer.weights.get_clim()
    assert low == -high == -np.abs(w).max() > -np.inf
    said = STEPS[2](w, b, X_test)[0]
    assert explorer.shown == list(range(6))
    for k, title in zip(explorer.shown, explorer.picture_titles):
        right = said[k] == Y_test[0, k]
        assert title.get_text() == f"{['dark', 'light'][int(said[k])]} {'✓' if right else '✗'}"
        assert title.get_color() == ("#1a7f37" if right else "#c0392b")
    assert {title.get_text()[-1] for title in explorer.picture_titles} == {"✓", "✗"}


def test_the_weights_are_a_picture_and_the_test_pictures_carry_the_predictions():
    explorer = LearningRateExplorer(*STEPS, *picture_data(), classes=[b"dark", b"light"],
                                    learning_rate=0.5, num_iterations=100)
    run = explorer.run()
    w, b = run.parameters["w"], run.parameters["b"]
    assert_pictures_show(explorer, run, w, b)
    explorer.controls["num_iterations"].value = 2000  # a slider move redraws both panels
    run = explorer.last_run
    assert not np.array_equal(run.parameters["w"], w)
    assert_pictures_show(explorer, run, run.parameters["w"], run.parameters["b"])
    assert "weights w" in explorer.weights_title.get_text()


def test_with_model_the_pictures_use_the_returned_w_and_predictions():
    explorer = LearningRateExplorer(SOLUTION["model"], *picture_data(),
                                    classes=["dark", "light"], learning_rate=0.5,
                                    num_iterations=300)
    run = explorer.run()
    expected = SOLUTION["model"](*picture_data(), 300, 0.5)
    np.testing.assert_array_equal(run.parameters["w"], expected["w"])
    assert_pictures_show(explorer, run, expected["w"], expected["b"])


def test_picture_shapes():
    from course_utils.widgets.learning_rate import picture_shape, weight_picture

    assert picture_shape(196) == (14, 14) and picture_shape(49) == (7, 7)
    assert picture_shape(12) == (2, 2, 3) and picture_shape(5) == (1, 5)
    w = np.arange(12.0)[:, None]
    np.testing.assert_array_equal(weight_picture(w), w.reshape(2, 2, 3).mean(axis=2))


# -- diverged means inf, nan or exploded; a finite rise gets the shared warning -------------
def _costs_model(costs):
    def model(X_train, Y_train, X_test, Y_test, num_iterations, learning_rate):
        return {"costs": costs, "Y_prediction_train": Y_train * 0,
                "Y_prediction_test": Y_test * 0}
    return model


def test_a_cost_that_ends_higher_but_finite_is_warned_about_not_called_diverged():
    explorer = _explorer(_costs_model([0.69, 3.0, 2.0]))
    run = explorer.run()
    assert run.state == "done" and "diverged" not in explorer.status.value
    assert explorer.costs.note.get_text() == ""
    assert run.warning == ("The cost ended higher than it started (0.69 &rarr; 2): learning "
                           "rate 0.05 is too large, try 0.005.")
    assert run.warning in explorer.status.value
    run = _explorer(_costs_model([0.69, 2.0, 0.5])).run()
    assert run.state == "done" and run.warning.startswith("The cost jumped to 2 at iteration 100")
    run = _explorer(_costs_model([0.69, 0.5, 0.4])).run()
    assert run.state == "done" and run.warning == ""


def test_a_cost_that_explodes_still_diverges():
    explorer = _explorer(_costs_model([0.69, 3.0, 50.0]))
    run = explorer.run()
    assert run.state == "diverged"
    assert "Learning rate 0.05 diverged: the cost grew from 0.69 to 50" in explorer.status.value
