"""The lecture pictures (a neuron, computation graphs, a network's notation, the layer blocks),
drawn by code with patches, arrows and text so they render the same live and as static images.

Every diagram returns a detached `matplotlib.figure.Figure` (no pyplot state) about 9 inches
wide at dpi 90; a figure left as the last expression of a cell shows as a PNG. One drawing unit
is one inch. Colours mean the same in every week: forward blue, backward red, caches and data
grey. New diagrams reuse `_Sketch` (a box, a node, an arrow with a label, a legend, a grid).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

FORWARD = "#1f5fa8"
BACKWARD = "#c0392b"
CACHE = "#6b6b6b"
INK = "#222222"
FILLS = {FORWARD: "#e4eefa", BACKWARD: "#fbe7e4", CACHE: "#efefef", INK: "#ffffff"}
MUTED = "#b8c7d9"  # edges that are drawn but not the point of the picture


class _Diagram(Figure):
    """A Figure that shows as a PNG in Jupyter even where no inline backend is active."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()


# -- shapes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Box:
    """A rounded box centred at (x, y), w wide and h high."""

    x: float
    y: float
    w: float
    h: float

    def contains(self, p) -> bool:
        return abs(p[0] - self.x) <= self.w / 2 and abs(p[1] - self.y) <= self.h / 2

    @property
    def top(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y - self.h / 2

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class _Node:
    """A circle centred at (x, y) of radius r."""

    x: float
    y: float
    r: float

    def contains(self, p) -> bool:
        return float(np.hypot(p[0] - self.x, p[1] - self.y)) <= self.r


def _exit(shape, inside, outside) -> np.ndarray:
    """Where the segment inside -> outside crosses the boundary of a convex shape."""
    p, q = np.asarray(inside, float), np.asarray(outside, float)
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if shape.contains(p + mid * (q - p)):
            lo = mid
        else:
            hi = mid
    return p + hi * (q - p)


# -- the drawing surface --------------------------------------------------------------------
class _Sketch:
    """A detached figure whose single axes spans it, measured in inches from the bottom left."""

    def __init__(self, width: float, height: float, title: str | None = None):
        self.fig = _Diagram(figsize=(width, height), dpi=90)
        FigureCanvasAgg(self.fig)  # a renderer to measure texts with, still no pyplot
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(0, height)
        self.ax.axis("off")
        self.width, self.height = width, height
        if title:
            self.text(0.15, height - 0.12, title, size=12, ha="left", va="top", weight="bold")

    def text(self, x, y, s, color=INK, size=10, ha="center", va="center", **kw):
        return self.ax.text(x, y, s, color=color, fontsize=size, ha=ha, va=va, zorder=4, **kw)

    def box(self, x, y, w, h, lines, color=INK, fill=None, size=11, lw=1.4) -> _Box:
        """A box with lines of text stacked in it; a line is a string or (string, colour)."""
        self.ax.add_patch(FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=FILLS.get(color, "white") if fill is None else fill, edgecolor=color,
            linewidth=lw, zorder=2, gid="box"))
        self._lines(x, y, lines, size)
        return _Box(x, y, w, h)

    def node(self, x, y, r, lines, color=INK, fill=None, size=11, lw=1.4) -> _Node:
        """A circle with lines of text stacked in it."""
        self.ax.add_patch(Circle(
            (x, y), r, facecolor=FILLS.get(color, "white") if fill is None else fill,
            edgecolor=color, linewidth=lw, zorder=2, gid="node"))
        self._lines(x, y, lines, size)
        return _Node(x, y, r)

    def _lines(self, x, y, lines, size):
        lines = [lines] if isinstance(lines, str) else list(lines)
        step = size * 1.75 / 72
        for k, line in enumerate(lines):
            s, color = (line, INK) if isinstance(line, str) else line
            self.text(x, y + ((len(lines) - 1) / 2 - k) * step, s, color=color, size=size)

    def arrow(self, start, end, color=FORWARD, label=None, label_color=None, side=1, at=0.5,
              offset=0.0, size=10, lw=1.5, head=14, gap=0.03, zorder=1) -> tuple:
        """An arrow from shape to shape, edge to edge, shifted `offset` to the left of its
        direction (negative: right); its label sits beside it, on the left if side=1."""
        p = np.array([start.x, start.y], float)
        q = np.array([end.x, end.y], float)
        along = (q - p) / np.linalg.norm(q - p)
        normal = np.array([-along[1], along[0]])
        p, q = p + offset * normal, q + offset * normal
        tail = _exit(start, p, q) + gap * along
        head_point = _exit(end, q, p) - gap * along
        self.ax.add_patch(FancyArrowPatch(
            tuple(tail), tuple(head_point), arrowstyle="-|>,head_length=0.55,head_width=0.3",
            mutation_scale=head, color=color, linewidth=lw, shrinkA=0, shrinkB=0,
            zorder=zorder, gid="arrow"))
        if label:
            self.beside(tail + at * (head_point - tail), side * normal, label,
                        color=label_color or color, size=size)
        return tuple(tail), tuple(head_point)

    def beside(self, point, direction, s, color=INK, size=10, distance=0.06):
        """Text centred just off `point` towards `direction`, clear of any line through it."""
        t = self.text(*point, s, color=color, size=size)
        w, h = self._extent(t)
        dx, dy = direction
        reach = distance + (abs(dx) * w + abs(dy) * h) / 2
        t.set_position(tuple(np.asarray(point) + reach * np.asarray(direction)))
        return t

    def legend(self, x, y, items, size=10, spacing=0.25):
        """Coloured words in a row from (x, y), right-aligned at x: [(word, colour), ...]."""
        for word, color in reversed(items):
            t = self.text(x, y, word, color=color, size=size, ha="right", weight="bold")
            x -= self._extent(t)[0] + spacing

    def _extent(self, text) -> tuple[float, float]:
        """Width and height of a text in inches."""
        box = text.get_window_extent(self.fig.canvas.get_renderer())
        return box.width / self.fig.dpi, box.height / self.fig.dpi

    def grid(self, x, y, rows, cols, cell, highlight_row=None, color=FORWARD):
        """A rows x cols matrix of cells, top-left corner at (x, y); one row may be lit."""
        for i in range(rows):
            lit = i == highlight_row
            for j in range(cols):
                self.ax.add_patch(Rectangle(
                    (x + j * cell, y - (i + 1) * cell), cell, cell,
                    facecolor=FILLS[color] if lit else "white",
                    edgecolor=color if lit else CACHE, linewidth=1.4 if lit else 0.8,
                    zorder=3 if lit else 2, gid="cell"))
        return _Box(x + cols * cell / 2, y - rows * cell / 2, cols * cell, rows * cell)


# -- week 1 ---------------------------------------------------------------------------------
def logistic_neuron() -> Figure:
    """Logistic regression as one neuron: x_1..x_nx, weights w_i, z = w^T x + b, a = sigma(z)."""
    s = _Sketch(9, 3.6, "Logistic regression is a single neuron")
    names = ["$x_1$", "$x_2$", None, "$x_{n_x}$"]
    weights = ["$w_1$", "$w_2$", None, "$w_{n_x}$"]
    neuron = s.node(4.7, 1.75, 0.95, ["$z = w^Tx + b$", "$a = \\sigma(z)$"], color=FORWARD,
                    size=12)
    for k, (name, weight) in enumerate(zip(names, weights)):
        y = 2.75 - 0.66 * k
        if name is None:
            s.text(1.1, y + 0.04, "$\\vdots$", size=14)
            continue
        x_k = s.node(1.1, y, 0.27, name, size=11)
        above = y >= neuron.y
        s.arrow(x_k, neuron, label=weight, side=1 if above else -1, at=0.42, size=11,
                label_color=INK)
    s.text(1.1, 0.25, "input features", color=CACHE, size=10)
    output = s.box(7.75, 1.75, 1.1, 0.5, "$\\hat{y} = a$", color=FORWARD, size=12)
    s.arrow(neuron, output)
    s.text(7.75, 1.2, "$= P(y = 1 \\mid x)$", size=11)
    s.text(4.7, 0.25, "parameters: $w$ of shape $(n_x, 1)$, $b$ a number", color=CACHE)
    s.text(7.75, 2.75, "$\\sigma(z) = \\dfrac{1}{1 + e^{-z}}$", size=12)
    return s.fig


def computation_graph() -> Figure:
    """The graph of J = 3(a + bc): forward values in blue, backward derivatives in red."""
    s = _Sketch(9, 4.5, "Computation graph of $J = 3(a + bc)$")
    s.legend(8.85, 4.33, [("forward: values", FORWARD), ("backward: derivatives", BACKWARD)])

    def value_box(x, y, w, definition, value):
        return s.box(x, y, w, 0.72, [definition, (value, FORWARD)], size=12)

    a = value_box(0.75, 3.4, 0.7, "$a$", "$= 5$")
    b = value_box(0.75, 2.15, 0.7, "$b$", "$= 3$")
    c = value_box(0.75, 0.9, 0.7, "$c$", "$= 2$")
    u = value_box(3.4, 1.55, 1.1, "$u = bc$", "$= 6$")
    v = value_box(5.75, 2.6, 1.25, "$v = a + u$", "$= 11$")
    J = value_box(8.1, 2.6, 1.0, "$J = 3v$", "$= 33$")
    for start, end in [(a, v), (b, u), (c, u), (u, v), (v, J)]:
        s.arrow(start, end)
    backward = [
        (J, v, "$\\dfrac{dJ}{dv} = 3$", 0.5),
        (v, a, "$\\dfrac{dJ}{da} = 3$", 0.45),
        (v, u, "$\\dfrac{dJ}{du} = 3$", 0.5),
        (u, b, "$\\dfrac{dJ}{db} = 3c = 6$", 0.5),
        (u, c, "$\\dfrac{dJ}{dc} = 3b = 9$", 0.5),
    ]
    for start, end, label, at in backward:
        # a backward arrow runs below its forward one, except b's, kept clear of c's
        side = -1 if start is u and end is b else 1
        s.arrow(start, end, color=BACKWARD, label=label, offset=0.15 * side, side=side, at=at,
                size=12)
    s.text(0.15, 0.25, "chain rule: $\\dfrac{dJ}{db} = \\dfrac{dJ}{du}\\,\\dfrac{du}{db}"
           " = 3 \\cdot c = 6$;   in code, $dv$ stands for $\\dfrac{dJ}{dv}$",
           color=BACKWARD, size=11, ha="left")
    return s.fig


def logistic_regression_graph() -> Figure:
    """Logistic regression on one example as a computation graph, with da, dz, dw, db."""
    s = _Sketch(9, 4.4, "Logistic regression on one example")
    s.legend(8.85, 4.23, [("forward", FORWARD), ("backward", BACKWARD)])
    x = s.box(0.6, 3.3, 0.55, 0.5, "$x$", color=CACHE, size=12)
    w = s.box(0.6, 2.3, 0.55, 0.5, "$w$", size=12)
    b = s.box(0.6, 1.3, 0.55, 0.5, "$b$", size=12)
    z = s.box(3.3, 2.3, 1.45, 0.55, "$z = w^Tx + b$", color=FORWARD, size=12)
    a = s.box(5.6, 2.3, 1.2, 0.55, "$a = \\sigma(z)$", color=FORWARD, size=12)
    loss = s.box(7.95, 2.3, 1.1, 0.55, "$\\mathcal{L}(a, y)$", color=FORWARD, size=12)
    y = s.box(7.95, 3.3, 0.55, 0.5, "$y$", color=CACHE, size=12)
    for start, end in [(x, z), (w, z), (b, z), (z, a), (a, loss), (y, loss)]:
        s.arrow(start, end)
    for start, end, label in [(loss, a, "$da$"), (a, z, "$dz = a - y$"),
                              (z, w, "$dw = x\\,dz$"), (z, b, "$db = dz$")]:
        s.arrow(start, end, color=BACKWARD, label=label, offset=0.14, size=12)
    s.text(0.15, 0.7, "$\\mathcal{L}(a, y) = -(y\\log a + (1 - y)\\log(1 - a))$,   "
           "$x$ and $y$ are data: no derivative needed", ha="left", size=11)
    s.text(0.15, 0.25, "$da = \\dfrac{d\\mathcal{L}}{da} = -\\dfrac{y}{a}"
           " + \\dfrac{1 - y}{1 - a}$,   $dz = da \\cdot a(1 - a) = a - y$,   then"
           " $w \\leftarrow w - \\alpha\\,dw$,  $b \\leftarrow b - \\alpha\\,db$",
           color=BACKWARD, ha="left", size=11)
    return s.fig


# -- week 2 ---------------------------------------------------------------------------------
def two_layer_network(n_x: int = 3, n_h: int = 4) -> Figure:
    """A 2-layer network with its layers, units and parameter shapes, and one unit's row."""
    if not (1 <= n_x <= 6 and 1 <= n_h <= 6):
        raise ValueError("two_layer_network draws 1 to 6 inputs and 1 to 6 hidden units")
    spacing, low = 0.66, 1.05
    span = (max(4, n_x, n_h) - 1) * spacing  # taller figures for more than 4 units
    s = _Sketch(9, round(4.2 + span - 3 * spacing, 1),
                "A 2-layer network: the input layer is not counted")
    mid = low + span / 2

    def column(x, count, label, names, color=INK):
        ys = [mid + ((count - 1) / 2 - k) * spacing for k in range(count)]
        s.text(x, low + span + 0.55, label, size=10, color=CACHE)
        return [s.node(x, y, 0.27, name, color=color, size=11) for y, name in zip(ys, names)]

    xs = column(0.95, n_x, "layer 0 (input)", [f"$x_{k}$" for k in range(1, n_x + 1)])
    hidden = column(2.95, n_h, "layer 1 (hidden)",
                    [f"$a^{{[1]}}_{k}$" for k in range(1, n_h + 1)], color=FORWARD)
    (out,) = column(4.85, 1, "layer 2 (output)", ["$a^{[2]}$"], color=FORWARD)
    for k, unit in enumerate(hidden):
        for x_i in xs:
            lit = k == 0
            s.arrow(x_i, unit, color=FORWARD if lit else MUTED, lw=1.5 if lit else 0.9,
                    head=14 if lit else 9, zorder=1.5 if lit else 1)
        s.arrow(unit, out)
    y_hat = s.box(6.05, out.y, 0.95, 0.5, "$\\hat{y} = a^{[2]}$", color=FORWARD)
    s.arrow(out, y_hat)
    s.text(0.95, 0.5, "$x = a^{[0]}$", size=11)
    s.text(2.95, 0.55, f"$W^{{[1]}}$: $({n_h}, {n_x})$\n$b^{{[1]}}$: $({n_h}, 1)$", size=10)
    s.text(4.85, 0.55, f"$W^{{[2]}}$: $(1, {n_h})$\n$b^{{[2]}}$: $(1, 1)$", size=10)

    cell = min(0.3, 1.35 / max(n_x, n_h))
    matrix = s.grid(7.7 - n_x * cell / 2, mid + 1.0, n_h, n_x, cell, highlight_row=0)
    s.text(matrix.x, matrix.top + 0.3, "$z^{[1]} = W^{[1]}x + b^{[1]}$", size=11)
    s.text(matrix.left - 0.08, matrix.y, "$W^{[1]} =$", size=11, ha="right")
    s.text(matrix.right + 0.08, matrix.top - cell / 2, "$w^{[1]T}_1$", size=11, ha="left",
           color=FORWARD)
    s.text(matrix.x, matrix.bottom - 0.2, f"shape $({n_h}, {n_x})$: one row per unit",
           size=10, color=CACHE)
    s.text(matrix.x, matrix.bottom - 0.62, "$z^{[1]}_1 = w^{[1]T}_1 x + b^{[1]}_1$", size=11,
           color=FORWARD)
    s.text(matrix.x, matrix.bottom - 1.0, "the first row of $W^{[1]}$ is unit 1", size=10,
           color=FORWARD)
    return s.fig


# -- week 3 ---------------------------------------------------------------------------------
def layer_blocks(L: int = 3) -> Figure:
    """The forward and backward functions of an L-layer network, with the caches between."""
    if not 1 <= L <= 5:
        raise ValueError("layer_blocks draws 1 to 5 layers")
    width = 9 + 1.9 * max(L - 3, 0)  # wider, not cramped, past 3 layers
    s = _Sketch(width, 4.7, "Forward and backward functions, with their caches")
    s.legend(width - 0.15, 4.52, [("forward", FORWARD), ("caches", CACHE),
                                  ("backward", BACKWARD)])
    rows = {"forward": 3.65, "cache": 2.55, "backward": 1.45, "grads": 0.45}
    X = s.box(0.62, rows["forward"], 1.0, 0.55, "$A^{[0]} = X$", color=FORWARD)
    cost = s.box(width - 0.57, rows["forward"], 0.85, 0.55, "cost $J$", color=FORWARD)
    dA_L = s.box(cost.x, rows["backward"], 0.85, 0.55, f"$dA^{{[{L}]}}$", color=BACKWARD)
    dA_0 = s.box(X.x, rows["backward"], 1.0, 0.55, "$dA^{[0]}$", color=BACKWARD)
    s.text(X.x, rows["cache"], "caches", color=CACHE, size=10)
    s.text(X.x, rows["grads"], "gradients", color=BACKWARD, size=10)

    w = min(1.9, (cost.left - X.right - (L + 1) * 0.62) / L)
    gap = (cost.left - X.right - L * w) / (L + 1)
    previous_f, previous_b = X, None
    for l in range(1, L + 1):
        x = X.right + gap + w / 2 + (l - 1) * (w + gap)
        g = "SIGMOID" if l == L else "RELU"
        f = s.box(x, rows["forward"], w, 0.62,
                  [(f"layer {l}", CACHE), f"LINEAR→{g}"], color=FORWARD, size=10)
        cache = s.box(x, rows["cache"], w, 0.62,
                      [f"$A^{{[{l - 1}]}}, W^{{[{l}]}}, b^{{[{l}]}}$", f"$Z^{{[{l}]}}$"],
                      color=CACHE, size=10)
        back = s.box(x, rows["backward"], w, 0.62,
                     [(f"layer {l}", CACHE), f"LINEAR←{g}"], color=BACKWARD, size=10)
        grads = s.box(x, rows["grads"], w, 0.42, f"$dW^{{[{l}]}}, db^{{[{l}]}}$",
                      color=BACKWARD, size=10)
        s.arrow(previous_f, f, label=None if l == 1 else f"$A^{{[{l - 1}]}}$", size=10)
        s.arrow(f, cache, color=CACHE)
        s.arrow(cache, back, color=CACHE)
        s.arrow(back, grads, color=BACKWARD)
        if previous_b is not None:
            s.arrow(back, previous_b, color=BACKWARD, label=f"$dA^{{[{l - 1}]}}$", side=-1)
        else:
            s.arrow(back, dA_0, color=BACKWARD)
        previous_f, previous_b = f, back
    s.arrow(previous_f, cost, label=f"$A^{{[{L}]}}$")
    s.arrow(cost, dA_L, color=BACKWARD)
    s.arrow(dA_L, previous_b, color=BACKWARD)
    return s.fig
