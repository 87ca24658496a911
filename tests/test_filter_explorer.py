"""Week 5's filter explorer on the solution's fast convolution and pooling: the maps it draws
are the picture convolved (and pooled) as computed here independently, the kernel and shapes
it shows, its linked controls, and plain words when the learner's code is missing or wrong."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import Normalize

from course_utils.pictures import load_picture
from course_utils.widgets.filters import (
    NUMBERS,
    PRESETS,
    FilterExplorer,
    filter_explorer,
    output_size,
)
from tests.explorer_checks import pixels, second_move


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week 5 solution's fast functions, as the notebook passes them."""
    from autograder.solution_code import solution_namespace

    namespace = solution_namespace("week5")
    return {"conv_forward": namespace["conv_forward_fast"],
            "pool_forward": namespace["pool_forward_fast"],
            "conv_forward_loop": namespace["conv_forward"]}


@pytest.fixture(scope="module")
def hopper() -> np.ndarray:
    return load_picture("hopper", grayscale=True)


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def make(solution, functions=None, **settings) -> FilterExplorer:
    given = {"conv_forward": solution["conv_forward"], "pool_forward": solution["pool_forward"]}
    return FilterExplorer(**(given | (functions or {})), **settings)


def correlate(picture, kernel, stride: int, pad: int) -> np.ndarray:
    """The lectures' convolution (a cross-correlation) of a 2-D picture, by shifted slices."""
    padded = np.pad(picture, pad)
    n_H, n_W = (output_size(n, 3, pad, stride) for n in picture.shape)
    return sum(kernel[r, c] * padded[r:r + stride * (n_H - 1) + 1:stride,
                                     c:c + stride * (n_W - 1) + 1:stride]
               for r in range(3) for c in range(3))


def pooled(Z, f: int, mode: str) -> np.ndarray:
    """f×f pooling at stride f of a 2-D map (the rows and columns left over are dropped)."""
    n_H, n_W = Z.shape[0] // f, Z.shape[1] // f
    windows = Z[:n_H * f, :n_W * f].reshape(n_H, f, n_W, f)
    return windows.max(axis=(1, 3)) if mode == "max" else windows.mean(axis=(1, 3))


def stub(name):
    def not_written(*args, **kwargs):
        raise NotImplementedError

    not_written.__name__ = name
    return not_written


def cell_colours(frame, image, rows, cols) -> np.ndarray:
    """The RGB the rendered frame shows at the centres of an image's cells (rows, cols)."""
    ax = image.axes
    x, y = ax.transData.transform(np.column_stack([cols, rows])).T
    height = ax.figure.bbox.height
    shown = pixels(frame)
    return shown[np.round(height - y).astype(int), np.round(x).astype(int)]


# -- what the frame shows ---------------------------------------------------------------------
@pytest.mark.parametrize("kernel, stride, pad", [
    ("vertical edge", 1, 0), ("Sobel horizontal", 2, 1), ("sharpen", 3, 2),
    ("blur (box 1/9)", 1, 1), ("Scharr vertical", 2, 0), ("identity", 1, 0)])
def test_the_feature_map_is_the_picture_convolved_with_the_kernel(solution, hopper, kernel,
                                                                   stride, pad):
    fx = make(solution, kernel=kernel, stride=stride, pad=pad)
    run = fx.run()
    assert run.state == "done", run.message
    expected = correlate(hopper, PRESETS[kernel], stride, pad)
    np.testing.assert_allclose(fx.z_image.get_array(), expected, atol=1e-12)
    n_H, n_W = expected.shape
    assert (n_H, n_W) == ((150 + 2 * pad - 3) // stride + 1, (128 + 2 * pad - 3) // stride + 1)
    title = fx.z_title.get_text()
    assert f"{n_H} × {n_W}" in title and f"n_H = ⌊(150 + 2·{pad} − 3)/{stride}⌋ + 1 = {n_H}" \
        in title
    assert f"150 × 128 → {n_H} × {n_W}" in fx.status.value
    assert fx.z_image.get_clim() == pytest.approx((-np.abs(expected).max(),
                                                   np.abs(expected).max()))
    if kernel == "identity":
        np.testing.assert_array_equal(fx.z_image.get_array(), hopper[1:-1, 1:-1])


def test_the_frame_shows_the_map_in_its_diverging_colours_centred_on_zero(solution, hopper):
    fx = make(solution, kernel="Sobel vertical", stride=3, pooling="none")
    fx.run()
    Z = correlate(hopper, PRESETS["Sobel vertical"], 3, 0)
    rows, cols = np.meshgrid(np.arange(2, Z.shape[0] - 2, 5), np.arange(2, Z.shape[1] - 2, 5))
    rows, cols = rows.ravel(), cols.ravel()
    scale = np.abs(Z).max()
    expected = colormaps["RdBu_r"](Normalize(-scale, scale)(Z[rows, cols]))[:, :3]
    shown = cell_colours(fx.frame, fx.z_image, rows, cols)
    assert np.mean(np.abs(shown - expected).max(axis=1) < 0.03) > 0.95
    flat = np.abs(Z[rows, cols]) < 0.01 * scale
    assert flat.any() and (shown[flat] > 0.9).all(), "0 is white"


def test_the_picture_and_the_kernel_numbers_are_drawn(solution, hopper):
    fx = make(solution, kernel="blur (box 1/9)")
    fx.run()
    np.testing.assert_array_equal(fx.frame.axes[0].images[0].get_array(), hopper)
    np.testing.assert_array_equal(fx.kernel_image.get_array(), np.full((3, 3), 1 / 9))
    assert [t.get_text() for t in fx.kernel_texts] == ["0.111"] * 9
    fx.set(kernel="Scharr horizontal")
    assert [t.get_text() for t in fx.kernel_texts] == ["3", "10", "3", "0", "0", "0", "-3",
                                                       "-10", "-3"]
    assert [t.get_position() for t in fx.kernel_texts][:4] == [(0, 0), (1, 0), (2, 0), (0, 1)]
    assert "kernel W: Scharr horizontal" in fx.kernel_title.get_text()
    np.testing.assert_array_equal(fx.kernel_image.get_array(), PRESETS["Scharr horizontal"])


@pytest.mark.parametrize("mode, f, stride, pad", [("max", 2, 1, 0), ("average", 3, 1, 1),
                                                  ("max", 3, 2, 0), ("average", 2, 3, 2)])
def test_the_pooled_map_is_the_max_or_mean_of_each_window_of_z(solution, hopper, mode, f,
                                                               stride, pad):
    fx = make(solution, pooling=mode, pool_size=f, stride=stride, pad=pad)
    run = fx.run()
    assert run.state == "done", run.message
    Z = correlate(hopper, PRESETS["vertical edge"], stride, pad)
    expected = pooled(Z, f, mode)
    np.testing.assert_allclose(fx.pool_image.get_array(), expected, atol=1e-12)
    assert fx.pool_image.get_visible()
    title = fx.pool_title.get_text()
    assert f"{mode} pooling {f}×{f}, stride {f}: {expected.shape[0]} × {expected.shape[1]}" \
        in title
    assert f"n_H = ⌊({Z.shape[0]} − {f})/{f}⌋ + 1 = {expected.shape[0]}" in title
    assert fx.pool_image.get_clim() == fx.z_image.get_clim(), "one colour scale for both maps"


def test_without_pooling_the_pooled_panel_is_empty_and_says_so(solution):
    calls = []

    def pool_forward_fast(A_prev, hparameters, mode="max"):
        calls.append(mode)
        return solution["pool_forward"](A_prev, hparameters, mode)

    fx = make(solution, {"pool_forward": pool_forward_fast}, pooling="none")
    assert fx.run().state == "done" and calls == []
    assert not fx.pool_image.get_visible()
    assert fx.pool_note.get_text().startswith("pooling: none")
    assert "pooling" not in fx.status.value
    fx.set(pooling="average")
    assert calls == ["average"] and fx.pool_image.get_visible() and fx.pool_note.get_text() == ""


def test_a_stride_that_leaves_rows_out_says_so(solution):
    fx = make(solution, stride=2)
    fx.run()
    assert "the last 1 row and 1 column of the padded picture fall outside every window" in \
        fx.status.value
    fx.set(stride=3)  # 147 and 125: 0 rows and 2 columns left over
    assert "the last 2 columns of the padded picture" in fx.status.value
    fx.set(stride=1)
    assert "outside every window" not in fx.status.value


# -- linked controls ----------------------------------------------------------------------
def kernel_of_controls(fx) -> np.ndarray:
    return np.array([fx.controls[name].value for name in NUMBERS]).reshape(3, 3)


def test_a_preset_fills_the_nine_numbers_with_one_run(solution, hopper):
    fx = make(solution)
    fx.run()
    np.testing.assert_array_equal(kernel_of_controls(fx), PRESETS["vertical edge"])
    for name in ("Sobel vertical", "sharpen", "identity"):
        runs = len(fx.runs)
        fx.controls["kernel"].value = name  # as the browser sets it
        assert len(fx.runs) == runs + 1, "one run, not one per number"
        np.testing.assert_array_equal(kernel_of_controls(fx), PRESETS[name])
        np.testing.assert_allclose(fx.z_image.get_array(),
                                   correlate(hopper, PRESETS[name], 1, 0), atol=1e-12)


def test_editing_a_number_makes_the_kernel_custom_and_convolves_with_it(solution, hopper):
    fx = make(solution, kernel="Sobel vertical")
    fx.run()
    runs = len(fx.runs)
    fx.controls["w11"].value = 4.0
    assert fx.controls["kernel"].value == "custom" and len(fx.runs) == runs + 1
    kernel = PRESETS["Sobel vertical"].copy()
    kernel[1, 1] = 4.0
    np.testing.assert_allclose(fx.z_image.get_array(), correlate(hopper, kernel, 1, 0),
                               atol=1e-12)
    assert fx.kernel_texts[4].get_text() == "4" and "custom" in fx.kernel_title.get_text()
    fx.controls["kernel"].value = "custom"  # choosing custom keeps the numbers
    np.testing.assert_array_equal(kernel_of_controls(fx), kernel)
    fx.controls["w11"].value = 0.0  # the numbers are Sobel's again: the menu says so
    assert fx.controls["kernel"].value == "Sobel vertical"
    run = fx.set(w00=1.0, w01=2.0, w02=3.0)
    assert run.settings["kernel"] == "custom" and fx.last_run is run


def test_a_kernel_given_as_numbers_starts_custom(solution, hopper):
    kernel = np.arange(9.0).reshape(3, 3) - 4
    fx = make(solution, kernel=kernel)
    assert fx.controls["kernel"].value == "custom"
    fx.run()
    np.testing.assert_allclose(fx.z_image.get_array(), correlate(hopper, kernel, 1, 0),
                               atol=1e-12)
    assert make(solution, kernel=PRESETS["sharpen"]).controls["kernel"].value == "sharpen"


# -- plain words when the learner's code is missing or wrong -------------------------------
@pytest.mark.parametrize("role, name", [("conv_forward", "conv_forward_fast"),
                                        ("pool_forward", "pool_forward_fast")])
def test_a_function_not_written_yet_is_named_and_the_widget_keeps_working(solution, hopper,
                                                                          role, name):
    fx = make(solution, {role: stub(name)})
    run = fx.run()
    assert run.state == "failed"
    assert f"<b>{name}</b> is not implemented yet" in fx.status.value
    assert fx.frame.updates == 1, "the picture and kernel are still drawn"
    note = (fx.z_note if role == "conv_forward" else fx.pool_note).get_text().replace("\n", " ")
    assert note.startswith(f"{name} is not implemented yet"), "the figure says it too"
    if role == "pool_forward":  # Z is there
        assert fx.z_image.get_visible() and not fx.pool_image.get_visible()
        np.testing.assert_allclose(fx.z_image.get_array(),
                                   correlate(hopper, PRESETS["vertical edge"], 1, 0), atol=1e-12)
    else:
        assert not fx.z_image.get_visible()
    fx.functions[role] = solution[role]
    assert fx.set(stride=2).state == "done"
    assert fx.z_note.get_text() == "" and fx.pool_note.get_text() == ""


def test_a_wrong_shape_is_said_with_the_formula(solution):
    def conv_forward_fast(A_prev, W, b, hparameters):  # forgets the padding
        return solution["conv_forward"](A_prev, W, b, hparameters | {"pad": 0})

    fx = make(solution, {"conv_forward": conv_forward_fast}, pad=1)
    assert fx.run().state == "failed"
    assert ("<b>conv_forward_fast</b> returned <code>Z</code> with shape (1, 148, 126, 1), but "
            "it must be (1, 150, 128, 1). Here n_H = ⌊(150 + 2·1 − 3)/1⌋ + 1 = 150 and n_W = "
            "⌊(128 + 2·1 − 3)/1⌋ + 1 = 128.") in fx.status.value
    assert fx.z_note.get_text().startswith("conv_forward_fast returned Z with shape")
    assert fx.set(pad=0).state == "done", "right for pad 0"

    def pool_forward_fast(A_prev, hparameters, mode="max"):  # stride 1 instead of f
        return solution["pool_forward"](A_prev, hparameters | {"stride": 1}, mode)

    fx = make(solution, {"pool_forward": pool_forward_fast})
    fx.run()
    assert "<b>pool_forward_fast</b> returned <code>A</code> with shape (1, 147, 125, 1), but " \
        "it must be (1, 74, 63, 1). Here n_H = ⌊(148 − 2)/2⌋ + 1 = 74" in fx.status.value


def test_a_missing_cache_none_and_nan_are_said(solution):
    cases = {
        "must return two things: <code>Z, cache</code>":
            lambda A_prev, W, b, hparameters: solution["conv_forward"](A_prev, W, b,
                                                                        hparameters)[0],
        "returned None: did you forget its <code>return</code>?":
            lambda A_prev, W, b, hparameters: None,
        "returned <code>Z</code> with 1 values that are nan or inf":
            lambda A_prev, W, b, hparameters: (
                np.where(np.arange(18648).reshape(1, 148, 126, 1) == 5, np.nan, 0.0), None),
    }
    for words, conv_forward in cases.items():
        conv_forward.__name__ = "conv_forward_fast"
        fx = make(solution, {"conv_forward": conv_forward})
        assert fx.run().state == "failed"
        assert f"<b>conv_forward_fast</b> {words}" in fx.status.value


def test_the_names_in_the_words_are_those_of_the_functions_passed(solution, hopper):
    fx = FilterExplorer(solution["conv_forward_loop"], solution["pool_forward"], stride=3)
    assert fx.run().state == "done"
    assert "Z = <code>conv_forward</code>(picture" in fx.status.value
    np.testing.assert_allclose(fx.z_image.get_array(),
                               correlate(hopper, PRESETS["vertical edge"], 3, 0), atol=1e-12)


def test_the_picture_is_not_changed_by_a_learner_function_that_writes_into_its_input(solution,
                                                                                    hopper):
    def conv_forward_fast(A_prev, W, b, hparameters):
        Z = solution["conv_forward"](A_prev, W, b, hparameters)
        A_prev[...] = 0
        return Z

    fx = make(solution, {"conv_forward": conv_forward_fast})
    fx.run()
    fx.functions["conv_forward"] = solution["conv_forward"]
    fx.set(stride=2)
    np.testing.assert_allclose(fx.z_image.get_array(),
                               correlate(hopper, PRESETS["vertical edge"], 2, 0), atol=1e-12)


# -- settings, cancelling, entry point -----------------------------------------------------
def test_bad_settings_and_pictures_are_refused_in_words(solution, hopper):
    with pytest.raises(ValueError, match="stride must be a whole number of at least 1"):
        make(solution, stride=0)
    with pytest.raises(ValueError, match="pad must be a whole number of at least 0"):
        make(solution, pad=-1)
    with pytest.raises(ValueError, match=r"pool_size must be one of \(2, 3\)"):
        make(solution, pool_size=4)
    with pytest.raises(ValueError, match="unknown kernel 'edges'"):
        make(solution, kernel="edges")
    with pytest.raises(ValueError, match="kernel must be a preset's name or a 3×3 array"):
        make(solution, kernel=np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"grayscale=True"):
        make(solution, picture=load_picture("hopper"))
    with pytest.raises(TypeError, match="pass your function pool_forward itself"):
        FilterExplorer(solution["conv_forward"], 3)
    small = make(solution, picture=hopper[:4, :4], pool_size=3)
    assert small.run().state == "done" and "too small for 3×3 pooling" in small.status.value
    assert make(solution, picture=hopper[None, :, :, None]).picture.shape == (150, 128)


def test_a_second_move_before_the_first_frame_shows_only_the_second(solution, hopper):
    fx = make(solution)
    first, second = second_move(fx, {"stride": 2}, {"stride": 3, "pad": 1},
                                mid_training=False)
    assert first.state == "cancelled" and first.redraws == 0
    np.testing.assert_allclose(fx.z_image.get_array(),
                               correlate(hopper, PRESETS["vertical edge"], 3, 1), atol=1e-12)
    assert "stride 3, pad 1" in fx.status.value


def test_filter_explorer_shows_itself_computed_and_returns_the_object(solution):
    fx = filter_explorer(solution["conv_forward"], solution["pool_forward"])
    assert isinstance(fx, FilterExplorer)
    assert fx.last_run.state == "done" and fx.frame.updates == 1
    assert fx.frame.png().startswith(b"\x89PNG"), "renders as a static PNG"
    assert all(control.continuous_update is False for name, control in fx.controls.items()
               if name in ("stride", "pad"))


def test_a_pool_size_chosen_while_pooling_is_off_turns_max_pooling_on(solution, hopper):
    fx = make(solution, pooling="none")
    fx.run()
    runs = len(fx.runs)
    fx.controls["pool_size"].value = 3  # as the browser sets it: the move must show
    assert fx.controls["pooling"].value == "max" and len(fx.runs) == runs + 1
    assert fx.last_run.settings["pooling"] == "max" and fx.last_run.settings["pool_size"] == 3
    Z = correlate(hopper, PRESETS["vertical edge"], 1, 0)
    np.testing.assert_allclose(fx.pool_image.get_array(), pooled(Z, 3, "max"), atol=1e-12)
    fx.controls["pooling"].value = "average"
    fx.controls["pool_size"].value = 2  # pooling on: the mode stays as chosen
    assert fx.controls["pooling"].value == "average"
