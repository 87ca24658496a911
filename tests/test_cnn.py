"""course_utils.cnn (week 5's given CNN trainer) and baselines.dense_softmax_network: the
backward pass against numerical gradients, training, the feature maps, and the plain words
for a failing learner function or a diverging run."""

from __future__ import annotations

import importlib.util
import traceback
from pathlib import Path

import numpy as np
import pytest

from autograder.solution_code import solution_namespace, source_notebook
from course_utils import cnn
from course_utils.baselines import dense_softmax_network
from course_utils.cnn import Layers, TrainingStopped
from course_utils.data import flatten_images, load_dataset
from course_utils.gradcheck import numerical_gradient, relative_difference

FAST = ("conv_forward_fast", "conv_backward_fast", "pool_forward_fast", "pool_backward_fast")
REFERENCE = Path("/tmp/w5/ref.py")  # week 5's reference layers, until its notebook exists


@pytest.fixture(scope="module")
def layers() -> Layers:
    """The week 5 solution's fast layers (or, before the notebook exists, the reference's)."""
    if source_notebook("week5").is_file():
        namespace = solution_namespace("week5")
    elif REFERENCE.is_file():
        spec = importlib.util.spec_from_file_location("week5_reference", REFERENCE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        namespace = vars(module)
    else:
        pytest.skip("needs week 5's fast layers: solutions/week5/week5.ipynb")
    return Layers(*(namespace[name] for name in FAST))


@pytest.fixture(scope="module")
def fashion():
    """Week 4's split of fashion10.h5: 10,000 train, 2,000 dev (order = default_rng(0))."""
    train_x, train_y, test_x, test_y, _ = load_dataset(name="fashion10.h5")
    order = np.random.default_rng(0).permutation(12000)
    X = train_x / 255.0
    return (X[order[2000:]], train_y[:, order[2000:]], X[order[:2000]], train_y[:, order[:2000]],
            test_x / 255.0, test_y)


def replaced(layers: Layers, **functions) -> Layers:
    return Layers(**{role: functions.get(role, getattr(layers, role))
                     for role in ("conv_forward", "conv_backward", "pool_forward",
                                  "pool_backward")})


# ---------------------------------------------------------------- the network


def test_init_cnn_shapes_count_and_he_scale():
    params = cnn.init_cnn()
    shapes = {key: value.shape for key, value in params.items()}
    assert shapes == {"W1": (3, 3, 1, 8), "b1": (1, 1, 1, 8), "W2": (3, 3, 8, 16),
                      "b2": (1, 1, 1, 16), "W3": (10, 784), "b3": (10, 1)}
    assert cnn.count_parameters(params) == 9098
    assert not any(params[b].any() for b in ("b1", "b2", "b3"))
    assert params["W2"].std() == pytest.approx(np.sqrt(2 / 72), rel=0.1)
    assert params["W3"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    again, other = cnn.init_cnn(seed=1), cnn.init_cnn(seed=2)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    assert not np.array_equal(params["W2"], other["W2"])
    with pytest.raises(ValueError, match="multiple of 4"):
        cnn.init_cnn(size=30)


def _tiny():
    rng = np.random.default_rng(5)
    params = cnn.init_cnn(seed=3, channels=(2, 3), n_classes=3, size=8)
    for key in ("b1", "b2", "b3"):  # biases away from 0, so their gradients are general
        params[key] = rng.normal(0, 0.1, params[key].shape)
    return params, rng.normal(size=(4, 8, 8, 1)), rng.integers(0, 3, size=(1, 4))


def test_backward_pass_matches_numerical_gradients(layers):
    params, X, Y = _tiny()
    probabilities, caches = cnn.cnn_forward(layers, params, X)
    grads = cnn._backward(layers, params, probabilities, Y[0], caches["maps"], caches["layers"])
    assert set(grads) == {"d" + key for key in params}

    def cost():
        return cnn._cost(cnn.cnn_forward(layers, params, X)[0], Y[0])

    for key in params:
        numeric = numerical_gradient(cost, params[key], 1e-6)
        assert np.abs(numeric).max() > 1e-4, f"{key}: a flat gradient checks nothing"
        assert relative_difference(grads["d" + key], numeric) < 1e-7, key


def test_forward_gives_probabilities_and_predict_their_argmax(layers, fashion):
    X = fashion[0][:7]
    params = cnn.init_cnn()
    probabilities, _ = cnn.cnn_forward(layers, params, X)
    assert probabilities.shape == (10, 7)
    assert np.allclose(probabilities.sum(axis=0), 1) and (probabilities > 0).all()
    labels = cnn.predict_cnn(layers, params, X)
    assert labels.shape == (7,) and np.issubdtype(labels.dtype, np.integer)
    assert np.array_equal(labels, probabilities.argmax(axis=0))


def test_feature_maps_are_each_stage_in_order(layers, fashion):
    X = fashion[0][:3]
    params = cnn.init_cnn()
    maps = cnn.feature_maps(layers, params, X)
    assert list(maps) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2"]
    assert {k: v.shape for k, v in maps.items()} == {
        "conv1": (3, 28, 28, 8), "relu1": (3, 28, 28, 8), "pool1": (3, 14, 14, 8),
        "conv2": (3, 14, 14, 16), "relu2": (3, 14, 14, 16), "pool2": (3, 7, 7, 16)}
    # conv1 at an inner pixel is the 3x3 window times W1, plus b1
    window = X[1, 9:12, 4:7, 0]
    assert maps["conv1"][1, 10, 5] == pytest.approx(
        np.einsum("ij,ijc->c", window, params["W1"][:, :, 0]) + params["b1"].ravel())
    assert np.array_equal(maps["relu1"], np.maximum(maps["conv1"], 0))
    blocks = maps["relu2"].reshape(3, 7, 2, 7, 2, 16).max(axis=(2, 4))
    assert np.array_equal(maps["pool2"], blocks)
    assert (maps["relu1"] > 0).mean() > 0.2  # a live network: the maps are not all zero


# ---------------------------------------------------------------- training


def test_training_on_a_subset_lowers_the_cost(layers, fashion, capsys):
    X, Y = fashion[0][:640], fashion[1][:, :640]
    X_dev, Y_dev = fashion[2][:300], fashion[3][:, :300]
    history = cnn.train_cnn(layers, X, Y, X_dev, Y_dev, epochs=2, batch_size=32, progress=False)
    assert len(history.costs) == 40
    assert history.costs[0] == pytest.approx(np.log(10), abs=0.5)
    assert np.mean(history.costs[-10:]) < 0.6 * history.costs[0]
    assert len(history.train_accuracy) == len(history.dev_accuracy) == 2
    assert 0.3 < history.train_accuracy[0] < history.train_accuracy[1]  # running, while training
    assert history.dev_accuracy[-1] > 0.5  # chance is 0.1
    dev = np.mean(cnn.predict_cnn(layers, history.params, X_dev) == Y_dev[0])
    assert history.dev_accuracy[-1] == pytest.approx(dev)
    assert history.seconds > 0 and history.examples_per_second > 0
    assert capsys.readouterr().err == ""  # progress=False: no bar


def test_the_same_seed_trains_the_same_network_and_a_bar_shows_progress(layers, fashion, capsys):
    X, Y = fashion[0][:96], fashion[1][:, :96]
    runs = [cnn.train_cnn(layers, X, Y, X[:10], Y[:, :10], epochs=1, batch_size=32, seed=4,
                          progress=True) for _ in range(2)]
    assert runs[0].costs == runs[1].costs
    assert "mini-batches" in capsys.readouterr().err


def test_bad_inputs_are_said_with_the_fix(layers, fashion):
    X, Y = fashion[0][:8], fashion[1][:, :8]
    with pytest.raises(ValueError, match=r"channel axis: X\[\.\.\., np.newaxis\]"):
        cnn.train_cnn(layers, X[..., 0], Y, X, Y)
    with pytest.raises(ValueError, match=r"go back with X.T.reshape\(-1, 28, 28, 1\)"):
        cnn.predict_cnn(layers, cnn.init_cnn(), flatten_images(X))
    with pytest.raises(ValueError, match="not one-hot"):
        cnn.train_cnn(layers, X, np.eye(10)[Y[0]].T[:1], X, Y)
    with pytest.raises(ValueError, match=r"\(1, 8\), one per picture"):
        cnn.train_cnn(layers, X, Y[:, :5], X, Y)
    with pytest.raises(ValueError, match="positive number"):
        cnn.train_cnn(layers, X, Y, X, Y, learning_rate=-0.1)
    with pytest.raises(TypeError, match="conv_forward itself .without parentheses., got tuple"):
        Layers(layers.conv_forward(X, cnn.init_cnn()["W1"], cnn.init_cnn()["b1"],
                                   {"stride": 1, "pad": 1}), *list(vars(layers).values())[1:])


# ---------------------------------------------------------------- the learner's functions fail


def zero_pad(X, pad):
    raise NotImplementedError()


def conv_forward_fast(A_prev, W, b, hparameters):
    zero_pad(A_prev, hparameters["pad"])


def stopped(layers, fashion, **functions) -> str:
    """The message of a short training run with some functions replaced; the traceback under it
    is the test's frame and train_cnn's only."""
    X, Y = fashion[0][:64], fashion[1][:, :64]
    with pytest.raises(TrainingStopped) as info:
        cnn.train_cnn(replaced(layers, **functions), X, Y, X[:8], Y[:, :8], epochs=1,
                      batch_size=32, progress=False)
    assert info.value.__context__ is None and info.value.__cause__ is None
    assert len(traceback.extract_tb(info.tb)) <= 2, traceback.format_tb(info.tb)
    return str(info.value)


def test_an_unfinished_helper_is_named(layers, fashion):
    message = stopped(layers, fashion, conv_forward=conv_forward_fast)
    assert message.startswith("conv_forward_fast calls zero_pad, which is not implemented yet")
    assert "<" not in message  # plain words, no HTML


def test_a_function_that_raises_is_named_with_its_error(layers, fashion):
    def pool_backward_fast(dA, cache, mode="max"):
        return dA @ np.ones((3, 3))

    message = stopped(layers, fashion, pool_backward=pool_backward_fast)
    assert message.startswith("In the backward pass of max pool 2 (dA (32, 7, 7, 16)): "
                              "pool_backward_fast raised ValueError: matmul")
    assert message.endswith("Fix it and make its check pass, then train again.")


def test_a_wrong_shape_is_said_with_the_expected_one(layers, fashion):
    def pool_forward_fast(A_prev, hparameters, mode="max"):  # forgets the stride
        return layers.pool_forward(A_prev, {"f": 2, "stride": 1})

    message = stopped(layers, fashion, pool_forward=pool_forward_fast)
    assert message == ("In max pool 1 (A_prev (32, 28, 28, 8), f 2, stride 2): pool_forward_fast "
                       "returned A with shape (32, 27, 27, 8), but it must be (32, 14, 14, 8).")


def test_a_missing_return_is_said(layers, fashion):
    def conv_backward_fast(dZ, cache):
        layers.conv_backward(dZ, cache)

    message = stopped(layers, fashion, conv_backward=conv_backward_fast)
    assert message.endswith("conv_backward_fast returned None: did you forget its return?")


def test_nan_from_finite_inputs_names_the_function_and_the_part(layers, fashion):
    def conv_backward_fast(dZ, cache):
        dA_prev, dW, db = layers.conv_backward(dZ, cache)
        return dA_prev, dW / 0 * 0, db

    message = stopped(layers, fashion, conv_backward=conv_backward_fast)
    assert message.startswith("In the backward pass of convolution 2 (dZ (32, 14, 14, 16)): "
                              "conv_backward_fast returned NaN in dW for finite inputs.")


def test_a_diverging_run_says_so_and_names_the_learning_rate(layers, fashion):
    X, Y = fashion[0][:320], fashion[1][:, :320]
    with pytest.raises(TrainingStopped) as info:
        cnn.train_cnn(layers, X, Y, X[:8], Y[:, :8], epochs=1, batch_size=32,
                      learning_rate=100.0, progress=False)
    message = str(info.value)
    assert message.startswith("train_cnn: training diverged at mini-batch step ")
    assert "The learning rate 100 is likely too large: try 10" in message


def test_a_slow_first_step_asks_about_the_loop_versions(layers, fashion, monkeypatch, capsys):
    monkeypatch.setattr(cnn, "SLOW_STEP", 0.0)
    X, Y = fashion[0][:64], fashion[1][:, :64]
    cnn.train_cnn(layers, X, Y, X[:8], Y[:, :8], epochs=1, batch_size=4, progress=False)
    assert "Are these the loop versions? Layers needs your fast ones." in capsys.readouterr().out


# ---------------------------------------------------------------- the dense baseline


def test_dense_baseline_beats_chance_by_far_on_a_subset(fashion):
    state = np.random.get_state()[1].copy()
    X, Y = flatten_images(fashion[0][:2000]), fashion[1][:, :2000]
    X_dev, Y_dev = flatten_images(fashion[2][:1000]), fashion[3][:, :1000]
    network = dense_softmax_network(X, Y, epochs=2)
    assert len(network.costs) == 32  # ceil(2000 / 128) mini-batches per epoch
    assert network.costs[-1] < 0.5 * network.costs[0]
    assert np.mean(network.predict(X_dev) == Y_dev[0]) > 0.7  # chance is 0.1
    assert network.pixel_mean.shape == (784, 1) and network.pixel_std == pytest.approx(X.std())
    assert np.array_equal(np.random.get_state()[1], state), "the global random state moved"
    with pytest.raises(ValueError, match=r"\(784, m\), one column per picture"):
        dense_softmax_network(X.T, Y)


def test_dense_baseline_is_week_4s_network_without_batch_norm():
    """The same costs and weights, to the bit, as the week 4 notebook's own train_network
    (batch_norm=False), run on a subset of its training photos."""
    from benchmarks.week4 import notebook_network

    nb = notebook_network()
    X, Y = nb["X_train_f"][:, :1500], nb["Y_train_f"][:, :1500]
    nb.update(X_train_f=X, Y_train_f=Y, pixel_mean=X.mean(axis=1, keepdims=True),
              pixel_std=X.std(), INTERACTIVE=False)
    parameters, _, _, costs = nb["train_network"]([784, 128, 64, 10], 2, batch_norm=False)
    network = dense_softmax_network(X, Y, epochs=2)
    assert network.costs == costs
    assert all(np.array_equal(network.params[key], parameters[key]) for key in parameters)
