"""The week 2 playground, driven by a small reference implementation of the six functions."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import numpy as np
import pytest

from course_utils.playground import FUNCTIONS, Playground, playground
from course_utils.plots import figure_png


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


# -- training --------------------------------------------------------------------------
def test_training_on_the_flower_lowers_train_and_test_cost_and_draws_the_boundary():
    pg = make()
    run = pg.run(sync=True)
    assert run.state == "done", run.message
    assert run.iterations[0] == 0 and run.iterations[-1] == 1000
    assert len(run.train_costs) == len(run.test_costs) == len(run.iterations) == 101
    assert run.train_costs[0] == pytest.approx(np.log(2), abs=1e-3)
    assert run.train_costs[-1] < 0.35 and run.test_costs[-1] < 0.35
    assert run.train_accuracy > 85 and run.test_accuracy > 85
    assert pg.figure.updates == run.redraws >= 1
    assert "accuracy train" in pg.status.value and "test" in pg.status.value
    art = pg._artists
    assert art["contour"] is not None, "the 0.5 boundary is drawn"
    colours = art["image"].get_array()
    assert colours.shape == (100, 100, 3) and colours.std() > 0.05, "the map is coloured"
    assert art["lines"][1].get_ydata()[-1] == pytest.approx(run.test_costs[-1])
    assert figure_png(pg._fig).startswith(b"\x89PNG"), "renders as a static PNG"


def test_training_on_the_spirals_needs_more_units_and_gets_there():
    pg = make(dataset="spirals", n_h=30, init_scale=0.3, num_iterations=1500)
    run = pg.run(sync=True)
    assert run.state == "done", run.message
    assert run.train_costs[-1] < 0.5 * run.train_costs[0]
    assert run.train_accuracy > 75


def test_a_long_run_redraws_while_it_trains(monkeypatch):
    for name in ("MIN_REDRAW_SECONDS", "REDRAW_FACTOR"):  # a frame after every chunk
        monkeypatch.setattr(f"course_utils.playground.{name}", 0)
    pg = make(num_iterations=200)
    run = pg.run(sync=True)
    assert run.redraws == 10, "a chunk ends at least every 10% of the iterations"
    assert pg.figure.updates == run.redraws


def test_the_playground_seeds_numpy_itself_so_a_setting_always_gives_the_same_run():
    pg = make()
    a = pg.run(sync=True)
    np.random.seed(123)
    b = pg.run(sync=True)
    assert a.train_costs == b.train_costs


def test_moving_a_control_retrains_with_the_new_value():
    pg = make()
    pg.run(sync=True)
    pg.hidden_units.value = 6
    pg.activation.value = "leaky_relu"
    pg.dataset.value = "moons"
    run = pg.last_run
    assert len(pg.runs) == 4 and run.state == "done", run.message
    assert run.settings["n_h"] == 6 and run.settings["activation"] == "leaky_relu"
    assert run.parameters["W1"].shape == (6, 2)
    assert "moons: 6 hidden leaky_relu units" in pg._artists["map_title"].get_text()


def test_set_changes_several_controls_with_one_run_and_rejects_unknown_names():
    pg = make()
    run = pg.set(dataset="xor", n_h=3, learning_rate=0.5, num_iterations=300)
    assert len(pg.runs) == 1 and run.settings["dataset"] == "xor"
    with pytest.raises(TypeError, match="no control named hidden.*n_h"):
        pg.set(hidden=3)


def test_every_control_updates_only_when_released():
    pg = make()
    sliders = [pg.noise, pg.test_ratio, pg.seed, pg.hidden_units, pg.init_scale,
               pg.learning_rate, pg.iterations]
    assert all(slider.continuous_update is False for slider in sliders)


def test_playground_shows_itself_trained_and_returns_the_object():
    pg = playground(**REFERENCE, num_iterations=200)
    assert isinstance(pg, Playground)
    assert pg.last_run.state == "done" and pg.figure.updates >= 1


# -- cancellation (what a kernel does: callbacks on a running asyncio loop) -------------
def test_a_control_change_cancels_the_run_in_progress():
    async def scenario():
        pg = make(num_iterations=5000)
        pg.iterations.value = 4900  # on a running loop this starts a task and returns
        first, first_task = pg.last_run, pg.task
        assert first.state == "running"
        while first.iteration < 300:
            await asyncio.sleep(0.01)
        pg.iterations.value = 500
        second = pg.last_run
        await pg.task
        await first_task
        return pg, first, second

    pg, first, second = asyncio.run(scenario())
    assert first.state == "cancelled" and 300 <= first.iteration < 4900
    assert second.state == "done" and second.iteration == 500
    assert "iteration 500 of 500" in pg._artists["cost_title"].get_text()
    assert "500 of 500" in pg.status.value


def test_a_burst_of_control_changes_trains_only_the_last():
    async def scenario():
        pg = make(num_iterations=300)
        for seed in (2, 3, 4):
            pg.seed.value = seed
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
    assert pg.figure.updates == 1, "the data is still drawn"
    assert pg._artists["problem"].get_text().startswith(f"{name} is not implemented yet"), \
        "the figure says it too, for static copies"
    pg.functions[name] = REFERENCE[name]
    pg.seed.value = 2
    assert pg.last_run.state == "done"


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


def test_a_diverging_setting_is_stopped_with_advice_and_a_good_one_works_after():
    pg = make()
    run = pg.set(activation="relu", learning_rate=10.0, init_scale=10.0)
    assert run.state == "diverged" and run.iteration == 0
    assert "diverged" in pg.status.value and "init scale 10 is too large" in pg.status.value
    run = pg.set(init_scale=1.0)
    assert run.state == "diverged" and 0 < run.iteration < 1000, "stopped early"
    assert "Learning rate 10 is too large for relu" in pg.status.value
    run = pg.set(activation="tanh", learning_rate=1.2, init_scale=0.01)
    assert run.state == "done" and run.train_accuracy > 85
    assert "diverged" not in pg.status.value and pg._artists["problem"].get_text() == ""


def test_a_large_learning_rate_that_overshoots_then_converges_is_not_stopped_but_named():
    pg = make(learning_rate=10.0)
    run = pg.run(sync=True)  # tanh on the flower: the cost jumps, then falls
    assert run.state == "done" and max(run.train_costs) > 2 * run.train_costs[0]
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
    assert pg.lambd is None and "lambd=0.0" in pg.note.value
    pg = make({"backward_propagation": backward_with_lambd}, num_iterations=500)
    assert pg.lambd is not None and "lambd" not in pg.note.value
    assert any(pg.lambd in box.children for box in pg.controls.children[0].children)
    free = pg.run(sync=True)
    pg.lambd.value = 10.0
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
    assert pg.activation.disabled and pg.init_scale.disabled
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


# -- a real kernel: comm messages get in between training chunks -------------------------
SETUP = """
import json
from tests.test_playground import REFERENCE
from course_utils.playground import Playground
pg = Playground(**REFERENCE, n_h=30, num_iterations=50_000)  # seconds of training
pg.run()  # a cell runs on the kernel's event loop: this starts the task and returns
print(json.dumps(pg.iterations.comm.comm_id))
"""


def test_in_a_kernel_a_control_change_from_the_browser_cancels_the_run_in_progress():
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3", startup_timeout=60,
                                      cwd=str(Path(__file__).resolve().parents[1]))
    try:
        def execute(code):
            reply = kc.execute_interactive(code, timeout=60, output_hook=outputs.append)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(m["content"].get("text", "") for m in outputs
                           if m["msg_type"] == "stream")

        outputs = []
        comm_id = json.loads(execute(SETUP))
        outputs.clear()
        time.sleep(0.2)  # the first run is training now
        kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": {"value": 500}, "buffer_paths": []}}))
        for _ in range(300):
            outputs.clear()
            states = json.loads(execute("print(json.dumps([r.state for r in pg.runs]))"))
            if states[-1] != "running" and len(states) == 2:
                break
            time.sleep(0.1)
        outputs.clear()
        first, second = json.loads(execute(
            "print(json.dumps([(r.state, r.iteration, r.settings['num_iterations'], r.created, "
            "r.finished) for r in pg.runs]))"))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert first[0] == "cancelled" and 0 < first[1] < 50_000
    assert second[0] == "done" and second[1] == second[2] == 500
    assert first[4] - second[3] < 0.5, "the stale run stopped within a chunk or a frame"
