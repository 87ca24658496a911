"""The lecture diagrams: what each one draws (its texts, nodes and arrows, in the course's
colours), that nothing leaves the canvas or overlaps, that arrows join shape edges without
crossing other shapes or texts, and that each renders to a non-blank PNG, also in a kernel."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text
from PIL import Image

from course_utils import diagrams
from course_utils.diagrams import BACKWARD, CACHE, FORWARD

DIAGRAMS = {
    "logistic_neuron": diagrams.logistic_neuron,
    "computation_graph": diagrams.computation_graph,
    "logistic_regression_graph": diagrams.logistic_regression_graph,
    "two_layer_network": diagrams.two_layer_network,
    "two_layer_network(2, 6)": lambda: diagrams.two_layer_network(n_x=2, n_h=6),
    "two_layer_network(6, 1)": lambda: diagrams.two_layer_network(n_x=6, n_h=1),
    "layer_blocks": diagrams.layer_blocks,
    "layer_blocks(1)": lambda: diagrams.layer_blocks(L=1),
    "layer_blocks(5)": lambda: diagrams.layer_blocks(L=5),
}
PX = 1.0  # tolerance in pixels for touching edges


@pytest.fixture(scope="module", params=sorted(DIAGRAMS))
def drawn(request):
    fig = DIAGRAMS[request.param]()
    fig.canvas.draw()
    return request.param, fig


# -- reading what a figure draws ------------------------------------------------------------
def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def plain(s: str) -> str:
    """A text without mathtext markup or spaces: '$dw = x\\,dz$' -> 'dw=xdz'."""
    return re.sub(r"\\[,;! ]|[\s${}\\]", "", s)


def strings(fig) -> list[str]:
    return [plain(t.get_text()) for t in texts(fig)]


def patches(fig, gid: str) -> list:
    return [p for p in fig.findobj() if hasattr(p, "get_gid") and p.get_gid() == gid]


def colour(artist) -> str:
    return to_hex(artist.get_edgecolor() if hasattr(artist, "get_edgecolor")
                  else artist.get_color())


def text_boxes(fig) -> list:
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in texts(fig)]


def shapes(fig, gids=("box", "node")) -> list:
    """(kind, window extent) of every box, node (and matrix cell, if asked) in pixels."""
    renderer = fig.canvas.get_renderer()
    return [(p.get_gid(), p.get_window_extent(renderer))
            for gid in gids for p in patches(fig, gid)]


def arrow_ends(fig) -> list[tuple[np.ndarray, np.ndarray]]:
    """(tail, tip) of every arrow in pixels: the path's first vertex and the one farthest."""
    ends = []
    for arrow in patches(fig, "arrow"):
        path = arrow.get_path()
        points = arrow.axes.transData.transform(path.vertices[path.codes != Path.CLOSEPOLY])
        tail = points[0]
        ends.append((tail, points[np.argmax(np.linalg.norm(points - tail, axis=1))]))
    return ends


def distance_to_edge(kind: str, box, point) -> float:
    """How far a point is from a box's or a node's outline (negative never: absolute)."""
    (x0, y0), (x1, y1) = box.get_points()
    x, y = point
    if kind == "node":
        r = (x1 - x0) / 2
        return abs(np.hypot(x - (x0 + x1) / 2, y - (y0 + y1) / 2) - r)
    inside = x0 <= x <= x1 and y0 <= y <= y1
    dx = max(x0 - x, 0, x - x1)
    dy = max(y0 - y, 0, y - y1)
    return min(x - x0, x1 - x, y - y0, y1 - y) if inside else float(np.hypot(dx, dy))


def strictly_inside(kind: str, box, point, margin: float = 2.0) -> bool:
    (x0, y0), (x1, y1) = box.get_points()
    if kind == "node":
        r = (x1 - x0) / 2
        return np.hypot(point[0] - (x0 + x1) / 2, point[1] - (y0 + y1) / 2) < r - margin
    return x0 + margin < point[0] < x1 - margin and y0 + margin < point[1] < y1 - margin


def overlap(a, b) -> float:
    """Area shared by two pixel boxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


def contains(outer, inner, slack: float = PX) -> bool:
    return (outer.x0 - slack <= inner.x0 and inner.x1 <= outer.x1 + slack
            and outer.y0 - slack <= inner.y0 and inner.y1 <= outer.y1 + slack)


# -- every diagram --------------------------------------------------------------------------
def test_a_diagram_is_a_detached_figure_at_notebook_width(drawn):
    name, fig = drawn
    assert isinstance(fig, Figure)
    assert fig.canvas.manager is None, f"{name} is registered with pyplot"
    width, height = fig.get_size_inches()
    assert fig.dpi == 90 and 2.5 <= height <= 6
    assert width == 9 or name == "layer_blocks(5)"


def test_every_text_and_shape_stays_inside_the_canvas(drawn):
    name, fig = drawn
    canvas = fig.bbox
    inner = canvas.padded(-3)  # a few pixels of margin, so nothing touches the edge
    outside = [t.get_text() for t, box in text_boxes(fig) if not contains(inner, box, 0)]
    assert not outside, f"{name}: texts cut off at the edge: {outside}"
    renderer = fig.canvas.get_renderer()
    for gid in ("box", "node", "cell", "arrow"):
        for p in patches(fig, gid):
            assert contains(inner, p.get_window_extent(renderer), 0), f"{name}: a {gid} is cut"


def test_no_two_shapes_overlap(drawn):
    name, fig = drawn
    clashes = []
    for (kind_a, a), (kind_b, b) in itertools.combinations(shapes(fig, ("box", "node", "cell")), 2):
        if kind_a == kind_b == "cell":
            continue  # a matrix's cells share their sides
        if kind_a == kind_b == "node":
            apart = np.hypot(*(np.asarray(a.get_points()).mean(0) - b.get_points().mean(0)))
            if apart < (a.width + b.width) / 2 + 2 * PX:
                clashes.append((kind_a, kind_b))
        elif overlap(a, b) > 0:
            clashes.append((kind_a, kind_b))
    assert not clashes, f"{name}: shapes drawn on top of each other: {clashes}"


def test_no_two_texts_overlap(drawn):
    name, fig = drawn
    clashes = [(a.get_text(), b.get_text())
               for (a, box_a), (b, box_b) in itertools.combinations(text_boxes(fig), 2)
               if overlap(box_a, box_b) > PX]
    assert not clashes, f"{name}: overlapping texts {clashes}"


def test_a_text_is_inside_its_shape_or_clear_of_every_shape(drawn):
    name, fig = drawn
    bad, outlines = [], shapes(fig, ("box", "node", "cell"))
    for t, box in text_boxes(fig):
        for kind, shape in outlines:
            if overlap(box, shape) <= PX:
                continue
            if kind == "node":  # all four corners inside the circle
                (x0, y0), (x1, y1) = shape.get_points()
                centre, r = np.array([(x0 + x1) / 2, (y0 + y1) / 2]), (x1 - x0) / 2
                corners = np.array(list(itertools.product([box.x0, box.x1], [box.y0, box.y1])))
                inside = np.all(np.linalg.norm(corners - centre, axis=1) <= r + PX)
            else:
                inside = contains(shape, box)
            if not inside:
                bad.append((t.get_text(), kind))
    assert not bad, f"{name}: texts straddling a shape's outline: {bad}"


def test_every_arrow_starts_and_ends_at_a_shape_edge(drawn):
    name, fig = drawn
    outlines = shapes(fig)
    assert patches(fig, "arrow"), f"{name} draws no arrows"
    for tail, tip in arrow_ends(fig):
        for end, label in ((tail, "starts"), (tip, "ends")):
            nearest = min(distance_to_edge(kind, box, end) for kind, box in outlines)
            # a 0.03 inch gap, and the head's tip drawn a stroke short of the path's end
            assert nearest <= 6, f"{name}: an arrow {label} {nearest:.0f} px from any edge"
            assert not any(strictly_inside(kind, box, end) for kind, box in outlines), (
                f"{name}: an arrow {label} inside a shape")


def test_no_arrow_crosses_a_shape_or_a_text(drawn):
    name, fig = drawn
    outlines = shapes(fig, ("box", "node", "cell"))
    words = text_boxes(fig)
    for tail, tip in arrow_ends(fig):
        for s in np.linspace(0.02, 0.98, 120):
            point = tail + s * (tip - tail)
            assert not any(strictly_inside(kind, box, point) for kind, box in outlines), (
                f"{name}: an arrow runs through a shape at {point.round()}")
            hit = [t.get_text() for t, box in words
                   if box.x0 + PX < point[0] < box.x1 - PX and box.y0 + PX < point[1] < box.y1 - PX]
            assert not hit, f"{name}: an arrow runs through the text {hit}"


def test_it_renders_to_a_png_with_something_on_it(drawn):
    name, fig = drawn
    image = np.asarray(Image.open(io.BytesIO(fig._repr_png_())).convert("L"), dtype=float)
    width, height = fig.get_size_inches() * fig.dpi
    assert image.shape == (round(height), round(width))
    inked = (image < 200).mean()
    assert 0.01 < inked < 0.3, f"{name}: {inked:.1%} of the pixels are drawn"


def test_colours_mean_the_same_everywhere(drawn):
    name, fig = drawn
    allowed = {FORWARD, BACKWARD, CACHE, diagrams.MUTED}
    used = {colour(a) for a in patches(fig, "arrow")}
    assert used <= allowed, f"{name} draws arrows in {used - allowed}"


# -- what each diagram must show ------------------------------------------------------------
def drawn_strings(fig) -> list[str]:
    fig.canvas.draw()
    return strings(fig)


def assert_shows(fig, *wanted):
    shown = drawn_strings(fig)
    missing = [w for w in wanted if plain(w) not in shown]
    assert not missing, f"missing texts {missing} among {shown}"


def test_logistic_neuron_shows_inputs_weights_the_unit_and_its_output():
    fig = diagrams.logistic_neuron()
    assert_shows(fig, "x_1", "x_2", "x_{n_x}", "w_1", "w_2", "w_{n_x}", "\\vdots",
                 "z = w^Tx + b", "a = \\sigma(z)", "\\hat{y} = a")
    assert len(patches(fig, "node")) == 4  # three drawn inputs and the unit
    assert len(patches(fig, "arrow")) == 4  # three weights and the output
    assert len(patches(fig, "box")) == 1


def test_computation_graph_shows_forward_values_in_blue_and_derivatives_in_red():
    fig = diagrams.computation_graph()
    fig.canvas.draw()
    by_colour: dict[str, list[str]] = {}
    for t in texts(fig):
        by_colour.setdefault(colour(t), []).append(plain(t.get_text()))
    assert {"=5", "=3", "=2", "=6", "=11", "=33"} <= set(by_colour[FORWARD])
    derivatives = set(by_colour[BACKWARD])
    assert {"dfracdJdv=3", "dfracdJda=3", "dfracdJdu=3", "dfracdJdb=3c=6",
            "dfracdJdc=3b=9"} <= derivatives
    assert_shows(fig, "a", "b", "c", "u = bc", "v = a + u", "J = 3v")
    assert len(patches(fig, "box")) == 6
    arrows = Counter(colour(a) for a in patches(fig, "arrow"))
    assert arrows == {FORWARD: 5, BACKWARD: 5}


def test_logistic_regression_graph_shows_the_forward_formulas_and_backward_derivatives():
    fig = diagrams.logistic_regression_graph()
    assert_shows(fig, "x", "w", "b", "y", "z = w^Tx + b", "a = \\sigma(z)", "\\mathcal{L}(a, y)",
                 "da", "dz = a - y", "dw = x\\,dz", "db = dz")
    assert len(patches(fig, "box")) == 7
    arrows = Counter(colour(a) for a in patches(fig, "arrow"))
    assert arrows == {FORWARD: 6, BACKWARD: 4}  # x and y get no derivative


@pytest.mark.parametrize(("n_x", "n_h"), [(3, 4), (2, 5)])
def test_two_layer_network_names_its_layers_units_and_shapes(n_x, n_h):
    fig = diagrams.two_layer_network(n_x=n_x, n_h=n_h)
    assert_shows(fig, "layer 0 (input)", "layer 1 (hidden)", "layer 2 (output)",
                 "A 2-layer network: the input layer is not counted",
                 *[f"x_{i}" for i in range(1, n_x + 1)],
                 *[f"a^{{[1]}}_{k}" for k in range(1, n_h + 1)], "a^{[2]}", "\\hat{y} = a^{[2]}",
                 f"W^{{[1]}}: ({n_h}, {n_x})\nb^{{[1]}}: ({n_h}, 1)",
                 f"W^{{[2]}}: (1, {n_h})\nb^{{[2]}}: (1, 1)",
                 "z^{[1]}_1 = w^{[1]T}_1 x + b^{[1]}_1", "w^{[1]T}_1", "x = a^{[0]}")
    assert len(patches(fig, "node")) == n_x + n_h + 1
    assert len(patches(fig, "arrow")) == n_x * n_h + n_h + 1
    cells = patches(fig, "cell")
    assert len(cells) == n_h * n_x
    assert Counter(colour(c) for c in cells)[FORWARD] == n_x  # the first row is lit
    lit = Counter(colour(a) for a in patches(fig, "arrow"))
    assert lit[FORWARD] == n_x + n_h + 1 and lit[diagrams.MUTED] == n_x * (n_h - 1)


@pytest.mark.parametrize("L", [1, 3, 4])
def test_layer_blocks_show_the_chain_its_caches_and_the_gradients(L):
    fig = diagrams.layer_blocks(L)
    wanted = ["A^{[0]} = X", "cost J", f"dA^{{[{L}]}}", "dA^{[0]}", "LINEAR→SIGMOID",
              "LINEAR←SIGMOID", f"A^{{[{L}]}}"]
    for l in range(1, L + 1):
        wanted += [f"layer {l}", f"A^{{[{l - 1}]}}, W^{{[{l}]}}, b^{{[{l}]}}", f"Z^{{[{l}]}}",
                   f"dW^{{[{l}]}}, db^{{[{l}]}}"]
    wanted += [f"dA^{{[{l}]}}" for l in range(1, L)]
    assert_shows(fig, *wanted)
    shown = Counter(drawn_strings(fig))
    assert shown["LINEAR→RELU"] == shown["LINEAR←RELU"] == L - 1
    assert shown["layer1"] == 2  # a forward and a backward block per layer
    boxes = Counter(colour(b) for b in patches(fig, "box"))
    assert boxes == {FORWARD: L + 2, CACHE: L, BACKWARD: 2 * L + 2}
    arrows = Counter(colour(a) for a in patches(fig, "arrow"))
    assert arrows == {FORWARD: L + 1, CACHE: 2 * L, BACKWARD: 2 * L + 2}


def test_sizes_a_diagram_cannot_draw_are_refused():
    with pytest.raises(ValueError, match="hidden units"):
        diagrams.two_layer_network(n_h=9)
    with pytest.raises(ValueError, match="layers"):
        diagrams.layer_blocks(L=0)


@pytest.mark.notebook
def test_a_diagram_left_as_a_cells_value_shows_as_a_png_in_a_kernel():
    """Exported HTML shows what the notebook stored: a PNG, with or without the inline backend."""
    import nbformat
    from nbclient import NotebookClient

    sources = ["from course_utils.diagrams import logistic_neuron\nlogistic_neuron()",
               "%matplotlib inline\nfrom course_utils.diagrams import layer_blocks\nlayer_blocks()"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    for cell in nb.cells:
        (output,) = cell.outputs
        assert "image/png" in output["data"], (cell.source, sorted(output["data"]))
