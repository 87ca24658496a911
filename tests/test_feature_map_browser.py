"""Week 5's feature-map browser on the solution's fast layers: the maps, filters, photo and
classes it draws are those computed here independently for the network's parameters, the
channel slider follows the layer, maps are computed once per photo, and the learner's missing
or wrong code is said in words."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.cnn import Layers, init_cnn
from course_utils.data import load_dataset
from course_utils.widgets.feature_maps import (
    STAGES,
    FeatureMapBrowser,
    feature_map_browser,
)
from tests.explorer_checks import second_move

PHOTOS = 6


@pytest.fixture(scope="module")
def solution() -> dict:
    from autograder.solution_code import solution_namespace

    namespace = solution_namespace("week5")
    return {name: namespace[name] for name in ("conv_forward_fast", "conv_backward_fast",
                                               "pool_forward_fast", "pool_backward_fast")}


@pytest.fixture(scope="module")
def data():
    """A few test photos in [0, 1], their labels (m,) and the class names."""
    _, _, X, Y, classes = load_dataset(name="fashion10.h5")
    return X[:PHOTOS] / 255, Y[0, :PHOTOS], [name.decode() for name in classes]


@pytest.fixture(scope="module")
def params() -> dict:
    """The network's initial parameters with biases that are not 0 (so b is seen to count)."""
    params = init_cnn(seed=1)
    rng = np.random.default_rng(5)
    for key in ("b1", "b2", "b3"):
        params[key] = 0.1 * rng.standard_normal(params[key].shape)
    return params


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def layers_of(solution, **replaced) -> Layers:
    functions = {"conv_forward": solution["conv_forward_fast"],
                 "conv_backward": solution["conv_backward_fast"],
                 "pool_forward": solution["pool_forward_fast"],
                 "pool_backward": solution["pool_backward_fast"]}
    return Layers(**(functions | replaced))


def make(solution, data, params, layers=None, **settings) -> FeatureMapBrowser:
    return FeatureMapBrowser(layers or layers_of(solution), params, *data, **settings)


def conv_same(A, W, b) -> np.ndarray:
    """A 'same' 3×3 convolution of one picture A (n_H, n_W, n_C_prev), by shifted slices."""
    padded = np.pad(A, ((1, 1), (1, 1), (0, 0)))
    n_H, n_W = A.shape[:2]
    return sum(padded[r:r + n_H, c:c + n_W] @ W[r, c] for r in range(3) for c in range(3)) + \
        b.reshape(-1)


def max_pool_2(A) -> np.ndarray:
    n_H, n_W, n_C = A.shape
    return A.reshape(n_H // 2, 2, n_W // 2, 2, n_C).max(axis=(1, 3))


def expected_maps(params, picture) -> tuple[dict, int]:
    """The six stages of the network on one picture (n_H, n_W, 1), and its predicted class."""
    maps, A = {}, picture
    for l in (1, 2):
        maps[f"conv{l}"] = conv_same(A, params[f"W{l}"], params[f"b{l}"])
        maps[f"relu{l}"] = np.maximum(maps[f"conv{l}"], 0)
        maps[f"pool{l}"] = A = max_pool_2(maps[f"relu{l}"])
    scores = params["W3"] @ A.reshape(-1) + params["b3"].reshape(-1)
    return maps, int(np.argmax(scores))


def counted(fn, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)

    wrapper.__name__ = fn.__name__
    return wrapper


def stub(name):
    def not_written(*args, **kwargs):
        raise NotImplementedError

    not_written.__name__ = name
    return not_written


# -- what the frame shows ---------------------------------------------------------------------
@pytest.mark.parametrize("index, layer, channel", [(0, "conv1", 0), (1, "relu1", 5),
                                                   (2, "pool1", 7), (3, "conv2", 0),
                                                   (4, "relu2", 11), (5, "pool2", 15)])
def test_the_map_shown_is_that_channel_of_that_layer_computed_independently(
        solution, data, params, index, layer, channel):
    fb = make(solution, data, params)
    run = fb.set(index=index, layer=layer, channel=channel)
    assert run.state == "done", run.message
    maps, _ = expected_maps(params, data[0][index])
    np.testing.assert_allclose(fb.map_image.get_array(), maps[layer][..., channel], atol=1e-10)
    n_H, n_W, n_C = maps[layer].shape
    assert f"{layer}, channel {channel} of {n_C}: {n_H} × {n_W} each" in fb.map_title.get_text()
    scale = np.abs(maps[layer]).max()
    assert fb.map_image.get_clim() == pytest.approx((-scale, scale)), "one scale per layer"
    assert f"{layer} channel {channel} of {n_C}, {n_H} × {n_W}" in fb.status.value


def test_all_channels_are_shown_as_a_grid_of_tiles(solution, data, params):
    fb = make(solution, data, params, all_channels=True)
    fb.run()
    maps, _ = expected_maps(params, data[0][0])
    for layer, (rows, cols) in (("conv1", (2, 4)), ("pool2", (4, 4)), ("pool1", (2, 4))):
        fb.set(layer=layer)
        grid = np.ma.getdata(fb.map_image.get_array())  # the gaps, nan, are masked
        n_H, n_W, n_C = maps[layer].shape
        assert grid.shape == (rows * (n_H + 1) - 1, cols * (n_W + 1) - 1)
        for c in range(n_C):
            r, k = divmod(c, cols)
            np.testing.assert_allclose(grid[r * (n_H + 1):r * (n_H + 1) + n_H,
                                            k * (n_W + 1):k * (n_W + 1) + n_W],
                                       maps[layer][..., c], atol=1e-10)
        assert np.isnan(grid[n_H, :]).all() and np.isnan(grid[:, n_W]).all(), "gaps between"
        assert f"all {n_C} channels" in fb.map_title.get_text()


def test_the_photo_is_drawn_with_its_true_and_predicted_class(solution, data, params):
    X, labels, names = data
    predictions = [expected_maps(params, X[i])[1] for i in range(PHOTOS)]
    fb = make(solution, data, params)
    for index in range(PHOTOS):
        fb.set(index=index)
        np.testing.assert_array_equal(fb.photo.get_array(), X[index, :, :, 0])
        said, truth = predictions[index], labels[index]
        mark = "✓" if said == truth else "✗"
        assert fb.photo_title.get_text() == (f"photo {index}: {names[truth]}\n"
                                             f"predicted {names[said]} {mark}")
        assert fb.photo_title.get_color() == ("#1a7f37" if said == truth else "#c0392b")
        assert f"photo {index}: {names[truth]}, predicted {names[said]}" in fb.status.value
    # labels chosen so that one photo is predicted right and one wrong
    right = (np.arange(PHOTOS) + predictions[0]) % 10
    right[0] = predictions[0]
    fb = make(solution, (X, right, names), params)
    fb.run()
    assert fb.photo_title.get_text().endswith("✓") and fb.photo_title.get_color() == "#1a7f37"
    fb.set(index=1)
    wrong = right[1] != predictions[1]
    assert fb.photo_title.get_text().endswith("✗" if wrong else "✓")


def test_the_filter_panel_shows_the_layers_filter_and_its_numbers(solution, data, params):
    fb = make(solution, data, params)
    fb.set(layer="conv1", channel=3)
    np.testing.assert_allclose(fb.filter_image.get_array(), params["W1"][:, :, 0, 3])
    assert [t.get_text() for t in fb.filter_texts] == \
        [f"{v:.2f}" for v in params["W1"][:, :, 0, 3].ravel()]
    assert fb.filter_title.get_text().startswith("W1[:, :, 0, 3]")
    for layer in ("conv2", "relu2", "pool2"):
        fb.set(layer=layer, channel=9)
        summed = params["W2"][:, :, :, 9].sum(axis=2)
        np.testing.assert_allclose(fb.filter_image.get_array(), summed)
        assert [t.get_text() for t in fb.filter_texts] == [f"{v:.2f}" for v in summed.ravel()]
        assert fb.filter_title.get_text() == "W2[:, :, :, 9]\nsummed over 8 input channels"
    fb.set(layer="pool1", all_channels=True)
    grid = np.ma.getdata(fb.filter_image.get_array())
    assert grid.shape == (2 * 4 - 1, 4 * 4 - 1)
    np.testing.assert_allclose(grid[4:7, 8:11], params["W1"][:, :, 0, 6])
    assert all(t.get_text() == "" for t in fb.filter_texts)


# -- controls -------------------------------------------------------------------------------
def test_the_channel_slider_follows_the_layer_with_one_run_a_change(solution, data, params):
    fb = make(solution, data, params)
    fb.run()
    channel = fb.controls["channel"]
    assert (channel.min, channel.max) == (0, 7)
    runs = len(fb.runs)
    fb.controls["layer"].value = "conv2"  # as the browser sets it
    assert channel.max == 15 and len(fb.runs) == runs + 1
    channel.value = 12
    fb.controls["layer"].value = "pool1"
    assert channel.max == 7 and channel.value == 7, "clamped into pool1's channels"
    assert len(fb.runs) == runs + 3 and fb.last_run.settings["channel"] == 7
    maps, _ = expected_maps(params, data[0][0])
    np.testing.assert_allclose(fb.map_image.get_array(), maps["pool1"][..., 7], atol=1e-10)
    fb.controls["all_channels"].value = True
    assert channel.disabled
    fb.controls["all_channels"].value = False
    assert not channel.disabled


def test_the_maps_of_a_photo_are_computed_once_not_per_channel_or_layer(solution, data, params):
    calls = []
    layers = layers_of(solution, conv_forward=counted(solution["conv_forward_fast"], calls),
                       pool_forward=counted(solution["pool_forward_fast"], calls))
    fb = make(solution, data, params, layers)
    fb.run()
    first = len(calls)
    assert first > 0
    for change in ({"channel": 4}, {"layer": "conv2"}, {"all_channels": True},
                   {"layer": "pool2"}, {"channel": 2, "all_channels": False}):
        assert fb.set(**change).state == "done"
    assert len(calls) == first, "no learner call for a channel or layer change"
    fb.set(index=1)
    assert len(calls) == 2 * first
    fb.set(index=0)
    assert len(calls) == 2 * first, "photo 0's maps are kept"


# -- plain words when the learner's code is missing or wrong -------------------------------
@pytest.mark.parametrize("role, name", [("conv_forward", "conv_forward_fast"),
                                        ("pool_forward", "pool_forward_fast")])
def test_a_function_not_written_yet_is_named_and_the_widget_keeps_working(solution, data,
                                                                          params, role, name):
    fb = make(solution, data, params, layers_of(solution, **{role: stub(name)}))
    run = fb.run()
    assert run.state == "failed"
    assert f"<b>{name}</b> is not implemented yet" in fb.status.value
    assert fb.frame.updates == 1 and not fb.map_image.get_visible()
    np.testing.assert_array_equal(fb.photo.get_array(), data[0][0, :, :, 0]), "the photo is drawn"
    assert fb.map_note.get_text().replace("\n", " ").startswith(f"{name} is not implemented yet")
    assert "\npredicted" not in fb.photo_title.get_text()
    fb.functions[role] = solution[name]
    assert fb.set(channel=1).state == "done" and fb.map_image.get_visible()
    assert fb.map_note.get_text() == ""


def test_a_wrong_shape_is_said_in_words(solution, data, params):
    def conv_forward_fast(A_prev, W, b, hparameters):  # forgets the padding
        return solution["conv_forward_fast"](A_prev, W, b, hparameters | {"pad": 0})

    fb = make(solution, data, params, layers_of(solution, conv_forward=conv_forward_fast))
    assert fb.run().state == "failed"
    assert ("<b>conv_forward_fast</b> returned <code>Z</code> with shape (1, 26, 26, 8), but it "
            "must be (1, 28, 28, 8). Here n_H = ⌊(28 + 2·1 − 3)/1⌋ + 1 = 28") in fb.status.value

    def one_channel_only(A_prev, W, b, hparameters):  # right for conv1 only
        return solution["conv_forward_fast"](A_prev[..., :1], W[:, :, :1], b, hparameters)[0], \
            None if A_prev.shape[3] == 1 else np.zeros(3)

    def conv_forward_fast(A_prev, W, b, hparameters):
        Z, cache = one_channel_only(A_prev, W, b, hparameters)
        return (Z, cache) if cache is None else (Z[:, :-1], cache)

    fb = make(solution, data, params, layers_of(solution, conv_forward=conv_forward_fast))
    assert fb.run().state == "failed"
    assert "conv_forward_fast returned Z with shape (1, 13, 14, 16), but it must be (1, 14, 14, " \
        "16)" in fb.status.value and "convolution 2" in fb.status.value


def test_bad_inputs_are_refused_in_words(solution, data, params):
    X, labels, names = data
    with pytest.raises(ValueError, match=r"Add the channel axis: X\[\.\.\., np.newaxis\]"):
        make(solution, (X[..., 0], labels, names), params)
    with pytest.raises(ValueError, match="labels must be 6 int labels"):
        make(solution, (X, labels[:3], names), params)
    with pytest.raises(ValueError, match="missing W3, b3"):
        make(solution, data, {k: v for k, v in params.items() if k not in ("W3", "b3")})
    with pytest.raises(TypeError, match=r"pass layers = Layers\(conv_forward_fast"):
        FeatureMapBrowser(solution["conv_forward_fast"], params, X, labels, names)
    with pytest.raises(ValueError, match="index must be a whole number from 0 to 5"):
        make(solution, data, params, index=6)
    with pytest.raises(ValueError, match=r"channel must be a whole number from 0 to 7 \(conv1 "
                                         "has 8 channels\\)"):
        make(solution, data, params, channel=8)
    with pytest.raises(ValueError, match="unknown layer 'conv3'"):
        make(solution, data, params, layer="conv3")
    assert make(solution, data, params, layer="conv2", channel=15).controls["channel"].max == 15


def test_a_second_move_before_the_first_frame_shows_only_the_second(solution, data, params):
    fb = make(solution, data, params)
    first, second = second_move(fb, {"index": 1}, {"index": 2, "layer": "relu2", "channel": 3},
                                mid_training=False)
    assert first.state == "cancelled" and first.redraws == 0
    maps, _ = expected_maps(params, data[0][2])
    np.testing.assert_allclose(fb.map_image.get_array(), maps["relu2"][..., 3], atol=1e-10)
    np.testing.assert_array_equal(fb.photo.get_array(), data[0][2, :, :, 0])


def test_feature_map_browser_shows_itself_and_returns_the_object(solution, data, params):
    fb = feature_map_browser(layers_of(solution), params, *data)
    assert isinstance(fb, FeatureMapBrowser) and fb.last_run.state == "done"
    assert fb.frame.updates == 1 and fb.frame.png().startswith(b"\x89PNG")
    assert fb.controls["layer"].options == STAGES
    assert fb.controls["index"].max == PHOTOS - 1
