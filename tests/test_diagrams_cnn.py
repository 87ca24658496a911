"""Week 5's figures: what each one draws, read back from the figure (grid cells and the numbers
in them, windows, volumes, boxes, arrows, the numbers printed), checked against values worked
out by hand; the layout checks of the lecture diagrams; sizes, speed, and bad arguments."""

from __future__ import annotations

import gc
import itertools
import re
import weakref
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.path import Path

from course_utils import diagrams_cnn as cnn
from course_utils.diagrams import CACHE, FORWARD
from tests import test_diagrams as layout
from tests.test_diagrams import patches, plain, strings, texts

FIGURES = {
    "sliding_filter": cnn.sliding_filter,
    "sliding_filter(10, 3, 1, 1)": lambda: cnn.sliding_filter(n=10, f=3, pad=1, stride=1),
    "sliding_filter(3, 1, 0, 1)": lambda: cnn.sliding_filter(n=3, f=1, pad=0, stride=1),
    "conv_volume": cnn.conv_volume,
    "conv_volume(10, 8, 16, 5, 4)": lambda: cnn.conv_volume(10, 8, 16, 5, 4, stride=2, pad=1),
    "max_pooling": cnn.max_pooling,
    "max_pooling(average)": lambda: cnn.max_pooling(mode="average"),
    "max_pooling(6x8, f=3, s=1)": lambda: cnn.max_pooling(np.arange(48).reshape(6, 8) % 7,
                                                          f=3, stride=1),
    "residual_block": cnn.residual_block,
    "inception_module": cnn.inception_module,
    "yolo_grid": cnn.yolo_grid,
    "yolo_grid(5, anchors=3)": lambda: cnn.yolo_grid(grid=5, anchors=3),
    "yolo_grid(anchors=1)": lambda: cnn.yolo_grid(anchors=1),
    "iou_and_nms": cnn.iou_and_nms,
    "iou_and_nms(disjoint)": lambda: cnn.iou_and_nms(box1=(0, 0, 2, 2), box2=(3, 3, 5, 4),
                                                     iou_threshold=0.55),
    "unet": cnn.unet,
    "unet(1)": lambda: cnn.unet(depth=1),
    "unet(4)": lambda: cnn.unet(depth=4, size=256, channels=32, classes=2),
    "siamese_triplet": cnn.siamese_triplet,
    "siamese_triplet(hard)": lambda: cnn.siamese_triplet(negative=(0.5, -0.2)),
    "transpose_conv": cnn.transpose_conv,
    "transpose_conv(3, pad=1)": lambda: cnn.transpose_conv(n=3, pad=1),
}
DEFAULTS = [name for name in FIGURES if "(" not in name]


@pytest.fixture(scope="module", params=sorted(FIGURES))
def drawn(request):
    fig = FIGURES[request.param]()
    fig.canvas.draw()
    return request.param, fig


# -- reading a figure back ------------------------------------------------------------------
def sketch(fig):
    return fig.axes[0]


def by_gid(fig, gid: str) -> list:
    return [a for a in sketch(fig).get_children() if a.get_gid() == gid]


def cells(fig, grid: str, gid: str = "cell") -> dict:
    """{(row, col): Rectangle} of the grid cells labelled '<grid> <row>,<col>'."""
    found = {}
    for patch in by_gid(fig, gid):
        name, _, place = patch.get_label().rpartition(" ")
        if name == grid:
            row, col = (int(v) for v in place.split(","))
            found[(row, col)] = patch
    return found


def inside(patch, x, y) -> bool:
    x0, y0 = patch.get_xy()
    return x0 < x < x0 + patch.get_width() and y0 < y < y0 + patch.get_height()


def cell_texts(fig, grid: str) -> dict:
    """{(row, col): the text written in that cell} for a grid's cells that hold one."""
    found = {}
    for place, patch in cells(fig, grid).items():
        words = [t.get_text() for t in sketch(fig).texts if inside(patch, *t.get_position())]
        if words:
            (found[place],) = words
    return found


def as_grid(found: dict) -> np.ndarray:
    rows = 1 + max(i for i, _ in found)
    cols = 1 + max(j for _, j in found)
    return np.array([[float(found[(i, j)]) for j in range(cols)] for i in range(rows)])


def corners(patch) -> tuple:
    x, y = patch.get_xy()
    return x, y, x + patch.get_width(), y + patch.get_height()


def edge(patch) -> str:
    return to_hex(patch.get_edgecolor())


def face(patch) -> str:
    return to_hex(patch.get_facecolor())


def shown(fig) -> list[str]:
    fig.canvas.draw()
    return strings(fig)


def assert_shows(fig, *wanted):
    found = shown(fig)
    missing = [w for w in wanted if plain(w) not in found]
    assert not missing, f"missing texts {missing} among {found}"


def assert_says(fig, *parts):
    """Each part is in some text of the figure."""
    found = shown(fig)
    missing = [p for p in parts if not any(plain(p) in words for words in found)]
    assert not missing, f"no text holds {missing}: {found}"


def dashed(patch) -> bool:
    return patch.get_linestyle() not in ("-", "solid")


def hand_iou(a, b) -> float:
    """IoU worked out as in the lecture: overlap width x height over the two areas' union."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union else 0.0


# -- the lecture diagrams' layout checks, on every figure -----------------------------------
def test_a_figure_is_detached_at_notebook_width(drawn):
    name, fig = drawn
    assert fig.canvas.manager is None, f"{name} is registered with pyplot"
    width, height = fig.get_size_inches()
    assert fig.dpi == 90 and width == 10 and 3 <= height <= 4, (name, width, height)


def test_every_text_and_shape_stays_inside_the_canvas(drawn):
    layout.test_every_text_and_shape_stays_inside_the_canvas(drawn)
    name, fig = drawn
    inner = fig.bbox.padded(-2)
    renderer = fig.canvas.get_renderer()
    cut = [p.get_gid() for p in sketch(fig).patches
           if not layout.contains(inner, p.get_window_extent(renderer), 0)]
    assert not cut, f"{name}: shapes cut at the edge: {cut}"


def test_no_two_texts_overlap(drawn):
    layout.test_no_two_texts_overlap(drawn)


def test_a_text_is_inside_its_shape_or_clear_of_every_shape(drawn):
    layout.test_a_text_is_inside_its_shape_or_clear_of_every_shape(drawn)


def test_every_arrow_joins_two_shapes_edge_to_edge_and_crosses_nothing(drawn):
    name, fig = drawn
    if not patches(fig, "arrow"):
        return
    layout.test_no_arrow_crosses_a_shape_or_a_text(drawn)
    layout.test_no_two_shapes_overlap(drawn)
    outlines = layout.shapes(fig, ("box", "node", "cell", "block", "front", "side"))
    outlines = [("box" if kind != "node" else kind, box) for kind, box in outlines]
    for tail, tip in layout.arrow_ends(fig):
        for end, label in ((tail, "starts"), (tip, "ends")):
            nearest = min(layout.distance_to_edge(kind, box, end) for kind, box in outlines)
            assert nearest <= 6, f"{name}: an arrow {label} {nearest:.0f} px from any edge"


def test_it_renders_to_a_png_with_something_on_it(drawn):
    layout.test_it_renders_to_a_png_with_something_on_it(drawn)


@pytest.mark.parametrize("name", DEFAULTS)
def test_a_figure_is_freed_when_dropped_and_never_reaches_pyplot(name):
    before = plt.get_fignums()
    fig = FIGURES[name]()
    fig._repr_png_()
    assert fig.canvas.manager is None and plt.get_fignums() == before
    freed = weakref.ref(fig)
    del fig
    gc.collect()
    assert freed() is None, f"{name}: something still holds the figure"


def test_the_week_5_figures_ship_no_graded_name():
    graded = {"zero_pad", "conv_single_step", "conv_forward", "pool_forward", "iou",
              "non_max_suppression", "conv_transpose", "triplet_loss"}
    assert not graded & set(vars(cnn)), "a graded name in course_utils.diagrams_cnn"


# -- 1. the sliding filter ------------------------------------------------------------------
@pytest.mark.parametrize(("n", "f", "pad", "stride", "out"), [
    (5, 3, 1, 2, 3), (6, 3, 0, 1, 4), (7, 5, 2, 2, 4), (4, 4, 0, 1, 1), (5, 2, 1, 3, 2),
    (3, 1, 0, 1, 3)])
def test_the_output_grid_has_floor_of_n_plus_2p_minus_f_over_s_plus_1_cells(n, f, pad, stride,
                                                                             out):
    assert (n + 2 * pad - f) // stride + 1 == out
    fig = cnn.sliding_filter(n=n, f=f, pad=pad, stride=stride)
    assert set(cells(fig, "output")) == {(i, j) for i in range(out) for j in range(out)}
    N = n + 2 * pad
    ring, inner = cells(fig, "padding"), cells(fig, "input")
    assert len(ring) + len(inner) == N * N and len(inner) == n * n
    assert all(pad <= i < pad + n and pad <= j < pad + n for i, j in inner)
    assert {face(p) for p in ring.values()} <= {cnn.PADDING}
    assert {face(p) for p in inner.values()} == {"#ffffff"}
    assert len(cells(fig, "filter")) == f * f
    assert_shows(fig, f"output {out}x{out}", f"filter {f}x{f}")
    assert_says(fig, f"\\lfloor ({n} + 2 \\cdot {pad} - {f})\\,/\\,{stride} \\rfloor + 1 = {out}$")


@pytest.mark.parametrize(("positions", "stride"), [(None, 2), ([(0, 0), (2, 1)], 2),
                                                   ([(1, 1)], 1)])
def test_each_window_covers_the_cells_its_output_cell_reads(positions, stride):
    f, pad, n = 3, 1, 5
    fig = cnn.sliding_filter(n=n, f=f, pad=pad, stride=stride, positions=positions)
    grid = {**cells(fig, "input"), **cells(fig, "padding")}
    output = cells(fig, "output")
    windows = {w.get_label(): w for w in by_gid(fig, "window")}
    expected = positions or [(0, 0), (0, 1), (1, 0), (2, 2)]
    assert sorted(windows) == sorted(f"window {i},{j}" for i, j in expected)
    for i, j in expected:
        window = windows[f"window {i},{j}"]
        x0, y0, x1, y1 = corners(window)
        covered = {place for place, cell in grid.items()
                   if inside(cell, *(np.array(corners(cell)).reshape(2, 2).mean(0)))
                   and x0 < cell.get_x() + cell.get_width() / 2 < x1
                   and y0 < cell.get_y() + cell.get_height() / 2 < y1}
        rows, cols = range(i * stride, i * stride + f), range(j * stride, j * stride + f)
        assert covered == {(a, b) for a in rows for b in cols}
        assert face(output[(i, j)]) == to_hex(cnn._light(edge(window)))
    lit = [place for place, cell in output.items() if face(cell) != "#ffffff"]
    assert sorted(lit) == sorted(expected)


def assert_windows_sit_on_their_cells(fig, stride, f):
    """Each window's outline lies within a sixth of a cell inside its f x f block of cells, and
    two windows that run along the same edge of the same cells are a line width apart."""
    grid = {**cells(fig, "input"), **cells(fig, "padding")}
    size = grid[(0, 0)].get_width()
    left, top = grid[(0, 0)].get_x(), grid[(0, 0)].get_y() + size
    drawn = []
    for window in by_gid(fig, "window"):
        i, j = (int(v) for v in window.get_label().split()[1].split(","))
        x0, y0, x1, y1 = corners(window)
        # the inset of each side, in cells: left, right, top, bottom
        insets = np.array([x0 - left - j * stride * size, left + (j * stride + f) * size - x1,
                           top - i * stride * size - y1, y0 - (top - (i * stride + f) * size)])
        assert np.all(insets / size > 0) and np.all(insets / size <= 1 / 6), \
            f"window {i},{j} is drawn {np.round(insets / size, 2)} cells inside its cells"
        drawn.append((i * stride, j * stride, insets, window.get_linewidth() / 72))
    for (r, c, a, width), (r2, c2, b, _) in itertools.combinations(drawn, 2):
        same_columns = c == c2 and abs(r - r2) < f  # their left and right sides share cells
        same_rows = r == r2 and abs(c - c2) < f  # their top and bottom sides
        for side in np.flatnonzero([same_columns, same_columns, same_rows, same_rows]):
            assert abs(a[side] - b[side]) >= width - 1e-9, \
                f"windows at {(r, c)} and {(r2, c2)} draw one line along the same cells"


@pytest.mark.parametrize(("n", "f", "pad", "stride", "positions"), [
    (5, 3, 1, 2, None), (5, 3, 1, 1, None), (10, 3, 1, 1, [(0, 0), (0, 1), (1, 0), (1, 1)]),
    (7, 5, 2, 2, None), (4, 2, 0, 2, None)])
def test_a_window_covers_exactly_its_f_by_f_cells_however_many_are_drawn(n, f, pad, stride,
                                                                          positions):
    fig = cnn.sliding_filter(n=n, f=f, pad=pad, stride=stride, positions=positions)
    assert_windows_sit_on_their_cells(fig, stride, f)
    assert_shows(fig, "Each output cell: its window and the filter multiplied element by "
                 "element, summed, plus $b$; with several filters, one output channel per filter.")


def test_overlapping_pooling_windows_also_cover_exactly_their_cells():
    lecture = [[1, 3, 2, 1, 3], [2, 9, 1, 1, 5], [1, 3, 2, 3, 2], [8, 3, 5, 1, 0],
               [5, 6, 1, 2, 9]]
    fig = cnn.max_pooling(lecture, f=3, stride=1)
    np.testing.assert_array_equal(as_grid(cell_texts(fig, "output")),
                                  [[9, 9, 5], [9, 9, 5], [8, 6, 9]])
    assert_windows_sit_on_their_cells(fig, 1, 3)
    assert_windows_sit_on_their_cells(cnn.max_pooling(), 2, 2)


def test_a_filter_wider_than_the_padded_input_is_refused_with_the_formula():
    with pytest.raises(ValueError) as error:
        cnn.sliding_filter(n=3, f=6, pad=1, stride=1)
    message = str(error.value)
    assert "6x6 filter" in message and "padded 5x5 input" in message
    assert "floor((n + 2p - f) / s) + 1" in message and "f <= n + 2p" in message
    with pytest.raises(ValueError, match="positions are 1 to 4 output cells"):
        cnn.sliding_filter(positions=[(3, 0)])
    with pytest.raises(ValueError, match="stride must be a whole number"):
        cnn.sliding_filter(stride=0)


# -- 2. convolution on volumes --------------------------------------------------------------
def fronts(fig, name: str) -> list:
    """The front faces of a volume's slices, front slice first."""
    found = [p for p in by_gid(fig, "front") if p.get_label().rsplit(" ", 1)[0] == name]
    return sorted(found, key=lambda p: int(p.get_label().rsplit(" ", 1)[1]))


def size_of(polygon) -> np.ndarray:
    xy = polygon.get_xy()
    return xy.max(axis=0) - xy.min(axis=0)


@pytest.mark.parametrize(("args", "out"), [((6, 6, 3, 3, 2, 1, 0), (4, 4)),
                                           ((10, 8, 16, 5, 4, 2, 1), (4, 3)),
                                           ((7, 7, 1, 3, 1, 2, 1), (4, 4))])
def test_the_output_volume_has_one_slice_per_filter_and_the_conv_output_size(args, out):
    n_H, n_W, n_C, f, n_filters, stride, pad = args
    fig = cnn.conv_volume(n_H, n_W, n_C, f, n_filters, stride=stride, pad=pad)
    (front,) = fronts(fig, "input")
    slices = fronts(fig, "output")
    assert len(slices) == n_filters
    width, height = size_of(front)
    assert width / height == pytest.approx(n_W / n_H)
    out_w, out_h = size_of(slices[0])
    assert (out_h / height, out_w / width) == pytest.approx((out[0] / n_H, out[1] / n_W))
    filters = [fronts(fig, f"filter {k}")[0] for k in range(n_filters)]
    assert [edge(s) for s in slices] == [edge(p) for p in filters] == \
        list(cnn.PALETTE[:n_filters])
    for p in filters:  # f x f on the input's scale, or all shrunk alike
        assert size_of(p)[0] == pytest.approx(size_of(p)[1])
        assert size_of(p)[0] <= f * width / n_W + 1e-9
    assert_shows(fig, f"a^{{[l-1]}}: (m, {n_H}, {n_W}, {n_C})",
                 f"z^{{[l]}}: (m, {out[0]}, {out[1]}, {n_filters})",
                 f"W: ({f}, {f}, {n_C}, {n_filters})", f"b: (1, 1, 1, {n_filters})",
                 *[f"W_{{{k + 1}}}: ({f}, {f}, {n_C})" for k in range(n_filters)])
    assert_says(fig, f"{f} \\cdot {f} \\cdot {n_C} \\cdot {n_filters} + {n_filters} = "
                f"{f * f * n_C * n_filters + n_filters}$",
                f"n_H^{{[l]}} = \\lfloor ({n_H} + 2 \\cdot {pad} - {f})\\,/\\,{stride} \\rfloor "
                f"+ 1 = {out[0]}$")


@pytest.mark.parametrize(("n_C", "n_filters"), [(3, 2), (16, 4), (1, 1)])
def test_the_input_and_the_output_channels_carry_their_layer_so_they_cannot_be_confused(
        n_C, n_filters):
    fig = cnn.conv_volume(n_C=n_C, n_filters=n_filters)
    found = shown(fig)
    assert not [w for w in found if "n_C=" in w or "n_H=" in w or "n_W=" in w], \
        "a size without its layer: [l-1] (input) or [l] (output)"
    assert_shows(fig, "$(m, n_H^{[l-1]}, n_W^{[l-1]}, n_C^{[l-1]})$",
                 "$(m, n_H^{[l]}, n_W^{[l]}, n_C^{[l]})$")
    assert_says(fig, f"$n_C^{{[l-1]}} = {n_C}$ channel", f"$n_C^{{[l]}} = {n_filters}$ channel",
                "one per filter")
    # under the output volume: its shape, whose last number is the number of filters
    (label,) = [t for t in texts(fig) if t.get_text().startswith("$z^{[l]}$")]
    assert label.get_text().endswith(f", {n_filters})$")
    xs = np.concatenate([p.get_xy()[:, 0] for gid in ("front", "side")
                         for p in by_gid(fig, gid) if p.get_label().startswith("output")])
    assert xs.min() < label.get_position()[0] < xs.max()


def test_the_window_on_the_input_is_one_filter_deep_through_every_channel():
    fig = cnn.conv_volume(n_H=6, n_W=6, n_C=3, f=3)
    (window,) = fronts(fig, "window")
    (front,) = fronts(fig, "input")
    assert size_of(window) == pytest.approx(size_of(front) / 2)
    sides = [p for p in by_gid(fig, "side") if p.get_label().startswith(("window", "input"))]
    depths = {p.get_label(): size_of(p)[0] for p in sides}
    assert depths["window 0"] == pytest.approx(depths["input 0"])
    with pytest.raises(ValueError, match="wider than the padded 2x2 input"):
        cnn.conv_volume(n_H=2, n_W=2, f=3)


# -- 3. pooling -----------------------------------------------------------------------------
def test_max_pooling_shows_the_lectures_maxima_9_2_6_3():
    fig = cnn.max_pooling()
    values = as_grid(cell_texts(fig, "input"))
    np.testing.assert_array_equal(values, cnn.LECTURE_POOL)
    np.testing.assert_array_equal(as_grid(cell_texts(fig, "output")), [[9, 2], [6, 3]])
    bold = {t.get_text() for t in sketch(fig).texts if t.get_weight() == "bold"
            and any(inside(c, *t.get_position()) for c in cells(fig, "input").values())}
    assert bold == {"9", "2", "6", "3"}


def test_average_pooling_shows_the_windows_means():
    fig = cnn.max_pooling(mode="average")
    np.testing.assert_allclose(as_grid(cell_texts(fig, "output")), [[3.75, 1.25], [4, 2]])
    assert_shows(fig, "Average pooling: f = 2, s = 2, each output is its window's mean")


@pytest.mark.parametrize(("shape", "f", "stride", "mode"), [
    ((4, 4), 2, 2, "max"), ((5, 5), 2, 2, "max"), ((6, 8), 3, 1, "max"), ((5, 7), 3, 2, "average"),
    ((3, 3), 3, 1, "average")])
def test_pooling_prints_each_windows_real_max_or_mean_read_from_the_drawn_numbers(shape, f,
                                                                                  stride, mode):
    values = np.random.default_rng(sum(shape)).integers(0, 10, shape)
    fig = cnn.max_pooling(values, f=f, stride=stride, mode=mode)
    drawn = as_grid(cell_texts(fig, "input"))
    np.testing.assert_array_equal(drawn, values)
    out_H, out_W = (shape[0] - f) // stride + 1, (shape[1] - f) // stride + 1
    pool = np.max if mode == "max" else np.mean
    expected = [[pool(drawn[i * stride:i * stride + f, j * stride:j * stride + f])
                 for j in range(out_W)] for i in range(out_H)]
    np.testing.assert_allclose(as_grid(cell_texts(fig, "output")), expected, atol=0.005)
    grid = cells(fig, "input")
    size = grid[(0, 0)].get_width()
    left, top = grid[(0, 0)].get_x(), grid[(0, 0)].get_y() + size
    for window in by_gid(fig, "window"):
        i, j = (int(v) for v in window.get_label().split()[1].split(","))
        x0, y0, x1, y1 = corners(window)  # overlapping windows sit inset, one inside the next
        assert ((x0 + x1) / 2 - left, top - (y0 + y1) / 2) == pytest.approx(
            ((j * stride + f / 2) * size, (i * stride + f / 2) * size))
        assert (f - 1) * size < x1 - x0 <= f * size and (f - 1) * size < y1 - y0 <= f * size


def test_pooling_refuses_an_unknown_mode_and_a_window_wider_than_the_grid():
    with pytest.raises(ValueError, match="mode must be 'max' or 'average'"):
        cnn.max_pooling(mode="mean")
    with pytest.raises(ValueError, match="f must be a whole number from 1 to 4"):
        cnn.max_pooling(f=5)
    with pytest.raises(ValueError, match="2-D grid"):
        cnn.max_pooling(values=[1, 2, 3])


# -- 4. the residual block ------------------------------------------------------------------
def test_the_residual_block_has_its_main_path_and_a_shortcut_around_it():
    fig = cnn.residual_block()
    fig.canvas.draw()
    boxes = sorted(patches(fig, "box") + patches(fig, "node"),
                   key=lambda p: p.get_window_extent().x0)
    words = [[t.get_text() for t in sketch(fig).texts
              if p.contains_point(sketch(fig).transData.transform(t.get_position()))]
             for p in boxes]
    assert words == [["$a^{[l]}$"], ["linear"], ["ReLU"], ["linear"], ["$+$"], ["ReLU"],
                     ["$a^{[l+2]}$"]]
    assert Counter(layout.colour(a) for a in patches(fig, "arrow")) == {FORWARD: 6}
    (shortcut,) = by_gid(fig, "shortcut")
    path = shortcut.get_path()
    path = sketch(fig).transData.transform(path.vertices[path.codes != Path.CLOSEPOLY])
    start, plus = boxes[0].get_window_extent(), boxes[4].get_window_extent()
    first, last = path[0], path[np.argmin(path[:, 1] + 1e3 * (path[:, 0] < start.x1))]
    assert abs(first[0] - (start.x0 + start.x1) / 2) < 1 and 0 < first[1] - start.y1 < 6
    assert abs(last[0] - (plus.x0 + plus.x1) / 2) < 1 and 0 < last[1] - plus.y1 < 6
    highest = max(p.get_window_extent().y1 for p in boxes)
    assert path[:, 1].max() > highest + 20, "it goes around the main path"
    assert_shows(fig, "a^{[l+2]} = g(z^{[l+2]} + a^{[l]})", "z^{[l+1]} = W^{[l+1]} a^{[l]} + "
                 "b^{[l+1]}", "a^{[l+1]} = g(z^{[l+1]})", "z^{[l+1]}", "a^{[l+1]}", "z^{[l+2]}")


# -- 5. the inception module ----------------------------------------------------------------
def test_the_inception_module_has_the_lectures_branches_and_channel_counts():
    fig = cnn.inception_module()
    assert_shows(fig, "28x28x192", "28x28x256", "1x1 CONV, 64", "1x1 CONV, 96",
                 "3x3 CONV, 128", "1x1 CONV, 16", "5x5 CONV, 32", "MAXPOOL 3x3", "s = 1, same",
                 "1x1 CONV, 32", "28x28x64", "28x28x128", "= 256")
    found = Counter(shown(fig))
    assert found["28x28x32"] == 2 and found["same"] == 2
    assert [c for _, c in cnn.INCEPTION_BRANCHES] == [64, 128, 32, 32]
    # the stacked volume: one slice per branch, as deep as its channels
    slices = fronts(fig, "concatenated")
    assert len(slices) == 4
    sides = [p for p in by_gid(fig, "side") if p.get_label().startswith("concatenated")]
    depths = [size_of(p)[0] for p in sorted(sides, key=lambda p: p.get_label())]
    assert np.array(depths) / depths[1] == pytest.approx([0.5, 1, 0.25, 0.25])
    assert [edge(s) for s in slices] == list(cnn.PALETTE)
    previous = [p for p in by_gid(fig, "side") if p.get_label() == "previous 0"]
    assert size_of(previous[0])[0] / sum(depths) == pytest.approx(192 / 256)


def test_the_inception_costs_are_the_lectures_120_and_12_million_multiplications():
    naive = 28 * 28 * 32 * 5 * 5 * 192
    bottleneck = 28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16
    assert (naive, bottleneck) == (120_422_400, 12_443_648)
    words = " ".join(t.get_text() for t in texts(cnn.inception_module()))
    assert "= 120.4 M." in words and "= 2.4 M + 10.0 M = 12.4 M" in words
    # the ratio printed is the one computed, 9.68, never a round "ten times"
    assert f"12.4 M, {naive / bottleneck:.1f} times fewer." in words
    assert f"{naive / bottleneck:.1f}" == "9.7" and "ten times" not in words


# -- 6. the YOLO grid -----------------------------------------------------------------------
def test_yolo_lights_the_cell_holding_each_centre_and_writes_its_target_vectors():
    fig = cnn.yolo_grid()
    (picture,) = by_gid(fig, "picture")
    left, bottom, right, top = corners(picture)
    side = right - left
    assert len(by_gid(fig, "gridline")) == 4
    owners = set()
    for centre in by_gid(fig, "centre"):
        x, y = centre.center
        owners.add((int((top - y) / side * 3), int((x - left) / side * 3)))
    assert owners == {(1, 1), (0, 2)}  # pedestrian and car share the middle cell
    assert set(cells(fig, "owner")) == {(1, 1), (0, 2)}
    # by hand: pedestrian at (0.47, 0.56), 0.13 x 0.5; car at (0.56, 0.63), 0.42 x 0.2
    tall = [1, 0.41, 0.68, 1.5, 0.39, 1, 0, 0]
    wide = [1, 0.68, 0.89, 0.6, 1.26, 0, 1, 0]
    for anchor, expected in ((1, tall), (2, wide)):
        found = cell_texts(fig, f"anchor {anchor}")
        np.testing.assert_allclose([float(found[(i, 0)]) for i in range(8)], expected)
    anchors = by_gid(fig, "anchor")
    assert len(anchors) == 2 and all(dashed(a) for a in anchors)
    cell = side / 3
    for a in anchors:  # centred in the middle cell
        x0, y0, x1, y1 = corners(a)
        assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(
            (left + 1.5 * cell, top - 1.5 * cell))
    assert size_of_rect(anchors[0])[1] > size_of_rect(anchors[0])[0]  # tall
    assert_shows(fig, "y: 3x3 cells x 2 anchors x 8 = 3x3x16", "1: tall", "2: wide",
                 "p_c", "b_x", "b_y", "b_h", "b_w", "c_1", "c_2", "c_3")


def size_of_rect(patch) -> tuple:
    return patch.get_width(), patch.get_height()


def test_yolo_with_more_anchors_than_objects_marks_the_free_ones_dont_care():
    fig = cnn.yolo_grid(grid=5, anchors=3)
    found = cell_texts(fig, "anchor 3")
    assert [found[(i, 0)] for i in range(8)] == ["0"] + ["?"] * 7
    assert cell_texts(fig, "anchor 1")[(0, 0)] == "1"
    assert len(by_gid(fig, "gridline")) == 8
    assert_shows(fig, "y: 5x5 cells x 3 anchors x 8 = 5x5x24",
                 "target y of cell (row 2, column 2), one block per anchor")


def test_yolo_shows_an_empty_cells_target_with_its_dont_care_entries():
    fig = cnn.yolo_grid()
    found = cell_texts(fig, "empty")
    assert [found[(i, 0)] for i in range(8)] == ["0"] + ["?"] * 7
    (grey,) = cells(fig, "no object").items()
    (place, patch), (picture,) = grey, by_gid(fig, "picture")
    left, bottom, right, top = corners(picture)
    side = (right - left) / 3
    x0, y0, _, _ = corners(patch)
    assert place == (2, 0) == (round((top - y0) / side) - 1, round((x0 - left) / side))
    assert not any(inside(patch, *c.center) for c in by_gid(fig, "centre"))
    assert_shows(fig, "(2, 0): empty", "?: don't care, no object (p_c = 0)")


FULL = [(0.2, 0.2, 0.2, 0.2, 1), (0.7, 0.2, 0.2, 0.2, 2), (0.2, 0.7, 0.2, 0.2, 3),
        (0.7, 0.7, 0.2, 0.2, 1)]


@pytest.mark.parametrize(("args", "marks"), [
    ({}, True), ({"grid": 5, "anchors": 3}, True), ({"anchors": 1}, True),
    ({"grid": 2, "anchors": 1, "boxes": FULL}, False)])
def test_the_dont_care_line_is_shown_exactly_when_a_question_mark_is(args, marks):
    fig = cnn.yolo_grid(**args)
    words = [t.get_text() for t in texts(fig)]
    assert ("?" in words) == marks
    assert ("?: don't care, no object ($p_c$ = 0)" in words) == marks
    if "anchors" in args and args["anchors"] == 3:  # a free anchor shows them: no extra block
        assert not cells(fig, "empty")


def test_yolo_with_one_anchor_says_which_object_it_cannot_encode():
    fig = cnn.yolo_grid(anchors=1)
    words = " ".join(t.get_text() for t in texts(fig))
    assert "not encoded: car" in words
    found = cell_texts(fig, "anchor 1")  # the pedestrian, class 1, came first
    assert [found[(i, 0)] for i in (0, 5, 6, 7)] == ["1", "1", "0", "0"]
    with pytest.raises(ValueError, match=r"boxes are 1 to 4 objects \(x, y, w, h, class\)"):
        cnn.yolo_grid(boxes=[(0.5, 0.5, 0.2, 0.2, 4)])


# -- 7. IoU and non-max suppression ---------------------------------------------------------
@pytest.mark.parametrize(("a", "b", "value"), [
    ((1, 1, 4, 4), (2, 2, 6, 5), 4 / 17), ((0, 0, 2, 2), (1, 1, 3, 3), 1 / 7),
    ((0, 0, 2, 2), (2, 0, 4, 2), 0.0), ((0, 0, 1, 1), (5, 5, 6, 6), 0.0),
    ((0, 0, 4, 4), (1, 1, 2, 2), 1 / 16), ((1, 1, 3, 3), (1, 1, 3, 3), 1.0),
    ((0, 0, 0, 0), (0, 0, 0, 0), 0.0)])
def test_the_private_overlap_is_the_lectures_iou(a, b, value):
    assert cnn._overlap(a, b) == pytest.approx(value) == pytest.approx(hand_iou(a, b))


@pytest.mark.parametrize(("box1", "box2"), [((1, 1, 4, 4), (2, 2, 6, 5)),
                                            ((0, 0, 3, 2), (1, 1, 4, 3)),
                                            ((0, 0, 2, 2), (3, 3, 5, 4))])
def test_the_iou_shown_is_the_overlap_worked_out_by_hand(box1, box2):
    fig = cnn.iou_and_nms(box1=box1, box2=box2)
    value = hand_iou(box1, box2)
    words = [t.get_text() for t in texts(fig)]
    (line,) = [w for w in words if w.startswith("= ")]
    assert line.endswith(f"= {value:.3f}")
    assert "IoU = area of overlap / area of union" in words
    drawn = {p.get_label(): p for p in by_gid(fig, "iou box")}
    scale = drawn["box 1"].get_width() / (box1[2] - box1[0])
    shared = by_gid(fig, "intersection")
    if value == 0:
        assert not shared
        return
    (shared,) = shared
    w = min(box1[2], box2[2]) - max(box1[0], box2[0])
    h = min(box1[3], box2[3]) - max(box1[1], box2[1])
    assert (shared.get_width(), shared.get_height()) == pytest.approx((w * scale, h * scale))
    area = shared.get_width() * shared.get_height()
    areas = [p.get_width() * p.get_height() for p in drawn.values()]
    assert area / (sum(areas) - area) == pytest.approx(value)


def test_non_max_suppression_repeats_until_each_object_keeps_one_box():
    fig = cnn.iou_and_nms()
    boxes, scores = cnn.NMS_BOXES, cnn.NMS_SCORES
    # by hand: boxes 0-3 cover one object, 4-5 another, and no box of one touches the other
    assert all(hand_iou(boxes[a], boxes[b]) == 0 for a in range(4) for b in (4, 5))
    # round 1 keeps the 0.9 box and drops the rest of its object; round 2 keeps the 0.75 box
    assert (scores[0], scores[4]) == (0.9, 0.75)
    dropped = {1: 0, 2: 0, 3: 0, 5: 4}  # box: the kept box that drops it
    assert all(hand_iou(boxes[k], boxes[by]) > 0.5 for k, by in dropped.items())
    drawn = {int(p.get_label().split()[1]): p for p in by_gid(fig, "nms box")}
    assert {k: p.get_label() for k, p in drawn.items()} == {
        k: f"{'dropped' if k in dropped else 'kept'} {k}" for k in range(6)}
    assert [k for k, p in drawn.items() if not dashed(p)] == [0, 4]
    verdicts = sorted((t for t in texts(fig) if t.get_text().startswith("round ")
                       or t.get_text().endswith(", dropped")), key=lambda t: -t.get_position()[1])
    def line(k):
        return f"{scores[k]:g}: IoU {hand_iou(boxes[k], boxes[dropped[k]]):.2f} with " \
            f"{scores[dropped[k]]:g}, dropped"
    assert [t.get_text() for t in verdicts] == [
        "round 1: 0.9 kept", line(3), line(2), line(1), "round 2: 0.75 kept", line(5)]
    assert [t.get_weight() for t in verdicts].count("bold") == 2
    assert sorted(t.get_text() for t in by_gid(fig, "score")) == sorted(f"{v:g}" for v in scores)


def test_non_max_suppression_keeps_a_box_below_the_threshold():
    boxes = [(0, 0, 4, 4), (0.5, 0.5, 4.5, 4.5), (5, 0, 8, 3)]
    fig = cnn.iou_and_nms(boxes=boxes, scores=[0.6, 0.9, 0.7], iou_threshold=0.5)
    labels = sorted(p.get_label() for p in by_gid(fig, "nms box"))
    assert labels == ["dropped 0", "kept 1", "kept 2"]
    assert cnn._suppress(boxes, [0.6, 0.9, 0.7], 0.5) == [
        (1, None), (2, None), (0, (1, pytest.approx(hand_iou(boxes[0], boxes[1]))))]
    with pytest.raises(ValueError, match="x2 > x1 and y2 > y1"):
        cnn.iou_and_nms(box1=(4, 4, 1, 1))
    with pytest.raises(ValueError, match="one score each"):
        cnn.iou_and_nms(boxes=boxes, scores=[0.5])


# -- 8. U-Net -------------------------------------------------------------------------------
@pytest.mark.parametrize(("depth", "size", "channels", "classes"), [(3, 128, 64, 3),
                                                                    (1, 128, 64, 3),
                                                                    (4, 256, 32, 2)])
def test_unet_halves_down_doubles_up_and_skips_across_every_level(depth, size, channels,
                                                                   classes):
    fig = cnn.unet(depth=depth, size=size, channels=channels, classes=classes)
    blocks = {p.get_label(): p for p in by_gid(fig, "block")}
    assert set(blocks) == {f"down {k}" for k in range(depth)} | {"bottom", "picture"} | \
        {f"{kind} {k}" for kind in ("up", "copied") for k in range(depth)}
    heights = [blocks[f"down {k}"].get_height() for k in range(depth)] + \
        [blocks["bottom"].get_height()]
    assert all(a > b for a, b in zip(heights, heights[1:])), "height and width shrink going down"
    widths = [blocks[f"down {k}"].get_width() for k in range(depth)]
    assert all(a < b for a, b in zip(widths, widths[1:])), "channels grow going down"
    for k in range(depth):
        assert blocks[f"up {k}"].get_y() == pytest.approx(blocks[f"down {k}"].get_y())
    fig.canvas.draw()
    skips = [(tail, tip) for (tail, tip), arrow in zip(layout.arrow_ends(fig),
                                                        patches(fig, "arrow"))
             if layout.colour(arrow) == CACHE]
    assert len(skips) == depth and all(abs(tail[1] - tip[1]) < 1 for tail, tip in skips)
    levels = [f"{size >> k}x{size >> k}x{channels << k}" for k in range(depth + 1)]
    assert_shows(fig, *levels, "1x1 conv")
    assert len(cells(fig, "segmentation")) == 16
    colours = Counter(layout.colour(a) for a in patches(fig, "arrow"))
    assert colours == {FORWARD: depth + 1, cnn.ORANGE: depth, CACHE: depth, cnn.GREEN: 1}


@pytest.mark.parametrize(("depth", "size", "classes"), [(3, 128, 3), (4, 256, 2), (1, 64, 1)])
def test_unet_starts_from_the_picture_and_ends_in_a_score_per_class(depth, size, classes):
    fig = cnn.unet(depth=depth, size=size, classes=classes)
    blocks = {p.get_label(): p for p in by_gid(fig, "block")}
    picture, first = blocks["picture"], blocks["down 0"]
    # the picture is as high as the first level (the same height and width), but 3 channels
    assert (picture.get_height(), picture.get_y()) == pytest.approx(
        (first.get_height(), first.get_y()))
    assert picture.get_width() < first.get_width()
    assert picture.get_x() + picture.get_width() < first.get_x()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    a, b = picture.get_window_extent(renderer), first.get_window_extent(renderer)
    into = [layout.colour(arrow) for (tail, tip), arrow in zip(layout.arrow_ends(fig),
                                                               patches(fig, "arrow"))
            if abs(tail[0] - a.x1) < 6 and abs(tip[0] - b.x0) < 6
            and a.y0 < tail[1] < a.y1 and b.y0 < tip[1] < b.y1]
    assert into == [FORWARD], "one arrow from the picture into the first level"
    named = "class" if classes == 1 else "classes"
    assert_shows(fig, "picture", f"{size}x{size}x3", "3x3 convs",
                 f"{size}x{size}x{classes}: {classes} {named}", "a class per pixel")
    grid = cells(fig, "segmentation").values()
    x0, x1 = min(c.get_x() for c in grid), max(c.get_x() + c.get_width() for c in grid)
    under = [t.get_text() for t in texts(fig) if x0 < t.get_position()[0] < x1
             and t.get_text().startswith(f"{size}x{size}x")]
    assert under == [f"{size}x{size}x{classes}: {classes} {named}"], \
        "the output's shape says it holds classes, not a picture"


def test_unet_refuses_a_size_that_does_not_halve_depth_times():
    with pytest.raises(ValueError, match="not a multiple of 2\\*\\*3 = 8"):
        cnn.unet(depth=3, size=100)
    with pytest.raises(ValueError, match="depth must be a whole number from 1 to 4"):
        cnn.unet(depth=5)


# -- 9. siamese network and triplet loss ----------------------------------------------------
@pytest.mark.parametrize(("anchor", "positive", "negative", "alpha"), [
    ((0.0, 0.0), (0.45, 0.35), (1.3, -0.45), 0.2), ((0, 0), (0.45, 0.35), (0.5, -0.2), 0.2),
    ((1, 1), (1.2, 0.9), (2, 2), 0.5),
    ((0, 0), (0.45, 0.35), (0.35, -1.5), 0.2)])  # 2.3725: rounding it first changes the sum
def test_the_triplet_panel_prints_the_squared_distances_and_the_loss(anchor, positive,
                                                                     negative, alpha):
    fig = cnn.siamese_triplet(anchor, positive, negative, alpha)
    d_ap = (anchor[0] - positive[0]) ** 2 + (anchor[1] - positive[1]) ** 2
    d_an = (anchor[0] - negative[0]) ** 2 + (anchor[1] - negative[1]) ** 2
    loss = max(d_ap - d_an + alpha, 0)
    words = [t.get_text() for t in texts(fig)]
    assert f"$\\|f(A) - f(P)\\|^2$ = {d_ap:.3f}" in words
    assert f"$\\|f(A) - f(N)\\|^2$ = {d_an:.3f}" in words
    (sum_line,) = [w for w in words if " − " in w and "$" not in w]
    ap, an, margin, total = (float(v) for v in re.fullmatch(
        r"(\S+) − (\S+) \+ (\S+) = (\S+)", sum_line).groups())
    assert (ap, an, margin) == pytest.approx((d_ap, d_an, alpha), abs=5e-4 + 1e-9)
    assert ap - an + margin == pytest.approx(total, abs=1e-9), "the printed numbers add up"
    assert total == pytest.approx(d_ap - d_an + alpha, abs=1.5e-3)
    assert f"loss = max({total:.3f}, 0) = {f'{total:.3f}' if loss > 0 else '0'}" in words
    assert any("\\|f(A) - f(P)\\|^2 - \\|f(A) - f(N)\\|^2 + \\alpha \\leq 0" in w for w in words)
    nodes = {t.get_text(): np.array(p.center) for p in patches(fig, "node")
             for t in sketch(fig).texts if np.allclose(t.get_position(), p.center)}
    scale = np.linalg.norm(nodes["P"] - nodes["A"]) / np.sqrt(d_ap)
    assert np.linalg.norm(nodes["N"] - nodes["A"]) == pytest.approx(np.sqrt(d_an) * scale)
    (margin,) = by_gid(fig, "margin")
    assert margin.radius == pytest.approx(np.sqrt(d_ap + alpha) * scale)
    assert (np.linalg.norm(nodes["N"] - nodes["A"]) < margin.radius) == (loss > 0)


def test_the_siamese_panel_runs_two_pictures_through_the_same_network():
    fig = cnn.siamese_triplet()
    assert Counter(shown(fig))["ConvNet"] == 2
    assert_shows(fig, "x^{(1)}", "x^{(2)}", "f(x^{(1)})", "f(x^{(2)})", "same\nparameters",
                 "d(x^{(1)}, x^{(2)}) = \\|f(x^{(1)}) - f(x^{(2)})\\|^2")
    assert len(cells(fig, "encoding 1")) == len(cells(fig, "encoding 2")) == 6
    with pytest.raises(ValueError, match="2-D encodings"):
        cnn.siamese_triplet(anchor=(0, 0, 0))


# -- 10. transpose convolution --------------------------------------------------------------
def by_hand(values, weights, stride) -> tuple[np.ndarray, np.ndarray]:
    """The sum and the count of contributions of a transpose convolution before cropping."""
    n, f = len(values), len(weights)
    full = stride * (n - 1) + f
    total, count = np.zeros((full, full)), np.zeros((full, full), int)
    for i in range(n):
        for j in range(n):
            for a in range(f):
                for b in range(f):
                    total[i * stride + a, j * stride + b] += values[i][j] * weights[a][b]
                    count[i * stride + a, j * stride + b] += 1
    return total, count


@pytest.mark.parametrize(("n", "f", "stride", "pad", "weights"), [
    (2, 3, 2, 0, None), (3, 3, 2, 1, None), (2, 4, 1, 1, [[1, 2, 1, 0], [2, 0, 1, 1],
                                                          [0, 2, 1, 1], [1, 1, 1, 1]]),
    (2, 2, 2, 0, [[1, -1], [0, 2]]), (1, 3, 3, 1, None)])
def test_transpose_conv_adds_each_pixels_contribution_at_stride_steps(n, f, stride, pad,
                                                                      weights):
    fig = cnn.transpose_conv(n=n, f=f, stride=stride, pad=pad, weights=weights)
    values = as_grid(cell_texts(fig, "input"))
    drawn_weights = as_grid(cell_texts(fig, "filter"))
    np.testing.assert_array_equal(drawn_weights, np.ones((f, f)) if weights is None else weights)
    total, count = by_hand(values, drawn_weights, stride)
    full = stride * (n - 1) + f
    assert total.shape == (full, full)
    np.testing.assert_allclose(as_grid(cell_texts(fig, "sum")), total)
    # darker where more pixels add up
    darkness = {}
    for place, cell in cells(fig, "sum").items():
        darkness.setdefault(count[place], set()).add(sum(cell.get_facecolor()[:3]))
    shades = [darkness[c] for c in sorted(darkness)]
    assert all(len(s) == 1 for s in shades)
    assert all(a.pop() > b.pop() for a, b in zip(shades, [s.copy() for s in shades[1:]]))
    # one panel per pixel, lit where that pixel's f x f window lands
    for i in range(n):
        for j in range(n):
            panel = cells(fig, f"pixel {i},{j}", gid="mini")
            lit = {p for p, c in panel.items() if face(c) != "#ffffff"}
            assert lit == {(i * stride + a, j * stride + b) for a in range(f) for b in range(f)}
    size = stride * (n - 1) + f - 2 * pad
    crop = by_gid(fig, "crop")
    if pad:
        (crop,) = crop
        width = cells(fig, "sum")[(0, 0)].get_width()
        assert crop.get_width() / width == pytest.approx(size)
    else:
        assert not crop
    assert_says(fig, f"= {stride}({n} - 1) + {f} - 2 \\cdot {pad} = {size}$")


def test_transpose_conv_of_the_default_puts_2_1_3_2_together_at_the_centre():
    fig = cnn.transpose_conv()
    found = as_grid(cell_texts(fig, "sum"))
    assert found[2, 2] == 8 and found[0, 0] == 2 and found[0, 2] == 3 and found[4, 4] == 2
    with pytest.raises(ValueError, match="s\\(n - 1\\) \\+ f - 2p = 2\\(2 - 1\\) \\+ 3 - 2\\*3"):
        cnn.transpose_conv(pad=3)
    with pytest.raises(ValueError, match="weights 3x3"):
        cnn.transpose_conv(weights=[[1, 2], [3, 4]])
