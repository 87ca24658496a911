"""Figures for week 5, convolutional networks (channels last, the lecture's notation): a filter
sliding over a padded input, conv volumes, pooling, a residual block, an inception module, the
YOLO grid, IoU and non-max suppression, U-Net, siamese and triplet encodings, transpose conv.

Like `diagrams`, every function returns a detached figure (no pyplot state) 10 inches wide at
dpi 90 that shows as a PNG when left as a cell's value; one drawing unit is one inch. The
numbers a figure prints (an output size, a max, an IoU, a distance) are computed from what it
draws, never typed in. Grid cells carry the gid "cell" and the label "<grid> <row>,<col>", and
the other shapes gids of their own ("window", "front", "anchor", ...), so tests read them back.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle
from matplotlib.path import Path

from course_utils.diagrams import BACKWARD, CACHE, FILLS, FORWARD, INK, _Box, _Node, _Sketch

__all__ = [
    "INCEPTION_BRANCHES",
    "YOLO_CLASSES",
    "conv_volume",
    "inception_module",
    "iou_and_nms",
    "max_pooling",
    "residual_block",
    "sliding_filter",
    "siamese_triplet",
    "transpose_conv",
    "unet",
    "yolo_grid",
]

WIDTH = 10  # inches, every figure of this module
ORANGE = "#d35400"  # a second path: the shortcut, the transpose convolution
GREEN = "#1e8449"
PURPLE = "#7d3c98"
PALETTE = (FORWARD, ORANGE, GREEN, PURPLE)  # the windows of one figure, in order
PADDING = "#e3e3e3"  # the fill of a zero-padding cell
WINDOW_LW = 2.0  # points, the outline of a window


def _mix(color, other="white", t=0.5) -> str:
    """`color` moved a fraction t towards `other`."""
    a, b = np.array(to_rgb(color)), np.array(to_rgb(other))
    return to_hex((1 - t) * a + t * b)


def _light(color) -> str:
    return FILLS.get(color) or _mix(color, "white", 0.85)


def _whole(name: str, value, low: int, high: int, example: str) -> int:
    """`value` as an int in [low, high], or an error saying what to pass instead."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or \
            not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}: "
                         f"use e.g. {example}.")
    return int(value)


def _number(value) -> str:
    """A number as the figures print it: 9, 2.5, 0.33."""
    value = round(float(value), 2) + 0.0
    return f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")


def _out(n: int, f: int, pad: int, stride: int) -> int:
    """The lecture's output size, floor((n + 2p - f) / s) + 1."""
    return (n + 2 * pad - f) // stride + 1


# -- shared drawing -------------------------------------------------------------------------
def _grid(s: _Sketch, left, top, rows, cols, cell, name, fill=None, text=None, size=9,
          edge=CACHE, lw=0.8, weight=None, wide=None, gid="cell") -> _Box:
    """A rows x cols grid of cells `cell` high and `wide` (or `cell`) wide, top left at (left,
    top); fill(i, j) and text(i, j) give a cell's colour and its number (None: white, nothing);
    weight(i, j) its font weight."""
    wide = cell if wide is None else wide
    for i in range(rows):
        for j in range(cols):
            x, y = left + j * wide, top - (i + 1) * cell
            s.ax.add_patch(Rectangle(
                (x, y), wide, cell, facecolor=(fill(i, j) if fill else None) or "white",
                edgecolor=edge, linewidth=lw, zorder=2, gid=gid, label=f"{name} {i},{j}"))
            words = text(i, j) if text else None
            if words:
                s.text(x + wide / 2, y + cell / 2, words, size=size,
                       weight=weight(i, j) if weight else "normal")
    return _Box(left + cols * wide / 2, top - rows * cell / 2, cols * wide, rows * cell)


def _window(s: _Sketch, grid: _Box, row, col, rows, cols, cell, color, inset, label,
            lw=WINDOW_LW, gid="window"):
    """An outline over cells row.. and col.. of a grid, `inset` inside their outer edge."""
    s.ax.add_patch(Rectangle(
        (grid.left + col * cell + inset, grid.top - (row + rows) * cell + inset),
        cols * cell - 2 * inset, rows * cell - 2 * inset, fill=False, edgecolor=color,
        linewidth=lw, zorder=3, gid=gid, label=label))


def _window_lw(cell) -> float:
    """A window's line width in points: WINDOW_LW, at most a tenth of a cell."""
    return min(WINDOW_LW, 7.2 * cell)


def _insets(spans, cell) -> list[float]:
    """How far inside its cells each window (row, col, rows, cols) is drawn, in inches: a
    twentieth of a cell, one line width more for each earlier window whose outline would run
    along the same edge of the same cells (so every window still covers exactly its cells)."""
    def edges(row, col, rows, cols):  # (side, the grid line, from, to)
        return [("top", row, col, col + cols), ("bottom", row + rows, col, col + cols),
                ("left", col, row, row + rows), ("right", col + cols, row, row + rows)]

    def clash(a, b):
        return any(p[:2] == q[:2] and min(p[3], q[3]) > max(p[2], q[2])
                   for p in edges(*a) for q in edges(*b))

    levels = []
    for k, span in enumerate(spans):
        taken = {levels[j] for j in range(k) if clash(span, spans[j])}
        levels.append(min(set(range(len(spans))) - taken))
    step = max(0.08 * cell, _window_lw(cell) / 72)
    return [0.05 * cell + level * step for level in levels]


ANGLE = np.radians(35)  # the direction depth recedes in


def _volume(s: _Sketch, x, y, w, h, depth, name, slices=((1.0, FORWARD),), lw=1.0) -> _Box:
    """A box in perspective: its front face w x h with the bottom left corner at (x, y), its
    depth receding up and to the right; `slices` (fraction, colour) cut it front to back. Each
    slice's front face is a Polygon with gid "front" and label "<name> <slice>"."""
    along = depth * np.array([np.cos(ANGLE), np.sin(ANGLE)])
    starts = np.concatenate([[0.0], np.cumsum([part for part, _ in slices])])
    for k in reversed(range(len(slices))):  # back to front: the front slice hides the rest
        color = slices[k][1]
        fx, fy = (x, y) + starts[k] * along
        bx, by = along * slices[k][0]
        faces = [
            ("front", [(fx, fy), (fx + w, fy), (fx + w, fy + h), (fx, fy + h)], _light(color)),
            ("top", [(fx, fy + h), (fx + w, fy + h), (fx + w + bx, fy + h + by),
                     (fx + bx, fy + h + by)], _mix(_light(color), "white", 0.5)),
            ("side", [(fx + w, fy), (fx + w + bx, fy + by), (fx + w + bx, fy + h + by),
                      (fx + w, fy + h)], _mix(_light(color), color, 0.3)),
        ]
        for face, corners, fill in faces:
            s.ax.add_patch(Polygon(corners, closed=True, facecolor=fill, edgecolor=color,
                                   linewidth=lw, zorder=2, gid=face, label=f"{name} {k}"))
    return _Box(x + (w + along[0]) / 2, y + (h + along[1]) / 2, w + along[0], h + along[1])


def _point(x, y) -> _Node:
    """A point arrows can start or end at."""
    return _Node(x, y, 1e-3)


def _row(s: _Sketch, x, y, items, size=10, spacing=0.12):
    """Coloured words in a row from (x, y): [(word, colour), ...]; returns the end x."""
    for word, color in items:
        t = s.text(x, y, word, color=color, size=size, ha="left")
        x += s._extent(t)[0] + spacing
    return x


# -- 1. a filter sliding over a padded input ------------------------------------------------
def sliding_filter(n: int = 5, f: int = 3, pad: int = 1, stride: int = 2,
                   positions=None) -> Figure:
    """An n x n input inside its ring of zero padding, the f x f filter, and the output grid of
    floor((n + 2p - f) / s) + 1 cells a side; the filter's window at a few output positions
    (row, col) is drawn over the input in a colour, and the output cell it makes in the same."""
    n = _whole("n", n, 1, 12, "n=5")
    f = _whole("f", f, 1, 12, "f=3")
    pad = _whole("pad", pad, 0, 3, "pad=1")
    stride = _whole("stride", stride, 1, 6, "stride=2")
    N = n + 2 * pad
    if f > N:
        raise ValueError(
            f"sliding_filter: the {f}x{f} filter is wider than the padded {N}x{N} input "
            f"(n + 2p = {n} + 2*{pad} = {N}): the output size floor((n + 2p - f) / s) + 1 "
            f"needs f <= n + 2p; use f <= {N} or pad >= {(f - n + 1) // 2}.")
    if N > 12:
        raise ValueError(f"sliding_filter draws at most 12 cells a side, and the padded input "
                         f"is n + 2p = {n} + 2*{pad} = {N}: use a smaller n or pad.")
    out = _out(n, f, pad, stride)
    if positions is None:
        positions = list(dict.fromkeys([(0, 0), (0, 1), (1, 0), (out - 1, out - 1)]))
        positions = [(i, j) for i, j in positions if i < out and j < out]
    positions = [tuple(int(v) for v in p) for p in positions]
    bad = [p for p in positions if len(p) != 2 or not all(0 <= v < out for v in p)]
    if bad or not 1 <= len(positions) <= 4:
        raise ValueError(f"positions are 1 to 4 output cells (row, col), each from 0 to "
                         f"{out - 1} for this {out}x{out} output, got {positions}: use e.g. "
                         "positions=[(0, 0), (0, 1)].")
    title = (f"Convolution: $n_{{out}} = \\lfloor (n + 2p - f)\\,/\\,s \\rfloor + 1 = "
             f"\\lfloor ({n} + 2 \\cdot {pad} - {f})\\,/\\,{stride} \\rfloor + 1 = {out}$")
    s = _Sketch(WIDTH, 3.9, title)
    cell = min(0.5, 2.6 / N)
    top, left = 3.3, 0.45
    mid = top - N * cell / 2

    def padding(i, j):
        return not (pad <= i < pad + n and pad <= j < pad + n)

    def input_name(i, j):
        return "padding" if padding(i, j) else "input"

    # the input, then its padding cells relabelled so a test can tell them apart
    grid = _grid(s, left, top, N, N, cell, "input",
                 fill=lambda i, j: PADDING if padding(i, j) else None,
                 text=lambda i, j: "0" if padding(i, j) and cell >= 0.3 else None, size=8)
    for patch in s.ax.patches:
        if patch.get_gid() == "cell":
            i, j = (int(v) for v in patch.get_label().split()[1].split(","))
            patch.set_label(f"{input_name(i, j)} {i},{j}")
    insets = _insets([(i * stride, j * stride, f, f) for i, j in positions], cell)
    for k, (i, j) in enumerate(positions):
        _window(s, grid, i * stride, j * stride, f, f, cell, PALETTE[k], insets[k],
                f"window {i},{j}", lw=_window_lw(cell))
    filter_left = grid.right + 0.6
    filt = _grid(s, filter_left, mid + f * cell / 2, f, f, cell, "filter",
                 fill=lambda i, j: FILLS[CACHE])
    out_left = filt.right + 0.6
    lit = {p: PALETTE[k] for k, p in enumerate(positions)}
    output = _grid(s, out_left, mid + out * cell / 2, out, out, cell, "output",
                   fill=lambda i, j: _light(lit[(i, j)]) if (i, j) in lit else None)
    for (i, j), color in lit.items():
        _window(s, output, i, j, 1, 1, cell, color, 0.03, f"lit {i},{j}", gid="lit")
    s.text((grid.right + filt.left) / 2, mid, "$\\ast$", size=18)
    s.text((filt.right + output.left) / 2, mid, "$=$", size=16)
    below = grid.bottom - 0.22
    s.text(grid.x, below, f"input {n}x{n}, padded by p = {pad}: {N}x{N}" if pad else
           f"input {n}x{n}, no padding (p = 0)", size=9)
    s.text(filt.x, filt.bottom - 0.22, f"filter {f}x{f}", size=9)
    s.text(output.x, output.bottom - 0.22, f"output {out}x{out}", size=9)
    x = max(output.right, filt.x + 0.6) + 0.45
    s.text(x, top - 0.05, f"stride s = {stride}: the window moves", size=10, ha="left")
    s.text(x, top - 0.32, f"{stride} cell{'s' if stride > 1 else ''} at a time", size=10,
           ha="left")
    for k, (i, j) in enumerate(positions):
        rows, cols = (f"{a * stride}–{a * stride + f - 1}" if f > 1 else f"{a * stride}"
                      for a in (i, j))
        s.text(x, top - 0.75 - 0.3 * k, f"rows {rows}, cols {cols} → ({i}, {j})",
               color=PALETTE[k], size=10, ha="left", weight="bold")
    if pad:
        s.text(x, top - 0.85 - 0.3 * len(positions), "grey: the zero padding", color=CACHE,
               size=9, ha="left")
    s.text(0.15, 0.2, "Each output cell: its window and the filter multiplied element by "
           "element, summed, plus $b$; with several filters, one output channel per filter.",
           size=10, ha="left")
    return s.fig


# -- 2. a convolution on volumes ------------------------------------------------------------
def conv_volume(n_H: int = 6, n_W: int = 6, n_C: int = 3, f: int = 3, n_filters: int = 2,
                stride: int = 1, pad: int = 0) -> Figure:
    """The input volume (m, n_H, n_W, n_C), n_filters filters of f x f x n_C, and the output
    volume with one slice per filter, in the lecture's shapes."""
    n_H = _whole("n_H", n_H, 1, 32, "n_H=6")
    n_W = _whole("n_W", n_W, 1, 32, "n_W=6")
    n_C = _whole("n_C", n_C, 1, 64, "n_C=3")
    f = _whole("f", f, 1, 32, "f=3")
    n_filters = _whole("n_filters", n_filters, 1, 4, "n_filters=2")
    stride = _whole("stride", stride, 1, 8, "stride=1")
    pad = _whole("pad", pad, 0, 8, "pad=0")
    if f > min(n_H, n_W) + 2 * pad:
        raise ValueError(
            f"conv_volume: the {f}x{f} filter is wider than the padded {n_H + 2 * pad}x"
            f"{n_W + 2 * pad} input: the output size floor((n + 2p - f) / s) + 1 needs "
            "f <= n + 2p; use a smaller f or more padding.")
    out_H, out_W = _out(n_H, f, pad, stride), _out(n_W, f, pad, stride)
    s = _Sketch(WIDTH, 3.9, f"A convolution layer: {n_filters} filter"
                f"{'s' if n_filters > 1 else ''} over {n_C} channel{'s' if n_C > 1 else ''}, "
                "one output channel per filter")
    unit = min(0.25, 1.9 / max(n_H, n_W))  # inches per pixel, height and width
    per_channel = min(0.2, 0.8 / max(n_C, n_filters))  # inches of depth per channel
    base, top = 1.2, 3.4
    rise = np.sin(ANGLE)
    # the input, with one filter's f x f x n_C window at its top left corner
    volume = _volume(s, 0.4, base, n_W * unit, n_H * unit, n_C * per_channel, "input",
                     slices=((1.0, CACHE),))
    if pad == 0:
        _volume(s, 0.4, base + (n_H - f) * unit, f * unit, f * unit, n_C * per_channel,
                "window", slices=((1.0, FORWARD),), lw=1.6)
    s.text(volume.x, base - 0.25, f"$a^{{[l-1]}}$: $(m, {n_H}, {n_W}, {n_C})$", size=11)
    s.text(volume.x, base - 0.55, "$(m, n_H^{[l-1]}, n_W^{[l-1]}, n_C^{[l-1]})$", size=10,
           color=CACHE)
    # the filters, stacked from the top down to the input's base
    gap = 0.3
    depth = n_C * per_channel
    scale = min(1.0, (top - base - (n_filters - 1) * gap)
                / (n_filters * (f * unit + depth * rise)))  # smaller filters if they must be
    side, depth = f * unit * scale, depth * scale
    column = volume.right + 0.7
    step = (top - base - side - depth * rise) / max(n_filters - 1, 1)
    labels_end = column
    for k in range(n_filters):
        fy = top - side - depth * rise - k * step
        box = _volume(s, column, fy, side, side, depth, f"filter {k}",
                      slices=((1.0, PALETTE[k]),))
        label = s.text(box.right + 0.08, fy + side / 2, f"$W_{{{k + 1}}}$: $({f}, {f}, {n_C})$",
                       size=10, ha="left", color=PALETTE[k])
        labels_end = max(labels_end, box.right + 0.08 + s._extent(label)[0])
    s.text((volume.right + column) / 2, base + n_H * unit / 2, "$\\ast$", size=18)
    filters_x = column + 0.75
    s.text(filters_x, base - 0.25, f"$W$: $({f}, {f}, {n_C}, {n_filters})$", size=11)
    s.text(filters_x, base - 0.55, f"$b$: $(1, 1, 1, {n_filters})$", size=10, color=CACHE)
    # the output: one slice per filter
    left = max(column + 2.35, labels_end + 0.6)
    output = _volume(s, left, base, out_W * unit, out_H * unit,
                     n_filters * max(per_channel, 0.12),
                     "output", slices=tuple((1 / n_filters, PALETTE[k])
                                            for k in range(n_filters)))
    s.text(left - 0.3, base + out_H * unit / 2, "$=$", size=16)
    s.text(output.x, base - 0.25, f"$z^{{[l]}}$: $(m, {out_H}, {out_W}, {n_filters})$",
           size=11)
    s.text(output.x, base - 0.55, "$(m, n_H^{[l]}, n_W^{[l]}, n_C^{[l]})$", size=10,
           color=CACHE)
    x = max(output.right + 0.3, 7.3)
    for k, (name, size) in enumerate((("H", n_H), ("W", n_W))):
        s.text(x, 3.1 - 0.4 * k, f"$n_{name}^{{[l]}} = \\lfloor ({size} + 2 \\cdot {pad} - "
               f"{f})\\,/\\,{stride} \\rfloor + 1 = {(out_H, out_W)[k]}$", size=10, ha="left")
    notes = ["a filter is as deep as its", f"input: $n_C^{{[l-1]}} = {n_C}$ channel"
             f"{'s' if n_C > 1 else ''}", f"the output: $n_C^{{[l]}} = {n_filters}$ channel"
             f"{'s,' if n_filters > 1 else ','}", "one per filter"]
    for k, line in enumerate(notes):
        s.text(x, 2.2 - 0.25 * k - 0.15 * (k > 1), line, size=10, ha="left", color=CACHE)
    s.text(0.15, 0.42, f"Each output number: one {f}x{f}x{n_C} window of $a^{{[l-1]}}$ times a "
           "filter, summed, plus its $b$; then $a^{[l]} = g(z^{[l]})$.", size=10, ha="left")
    s.text(0.15, 0.15, f"Parameters: ${f} \\cdot {f} \\cdot {n_C} \\cdot {n_filters} + "
           f"{n_filters} = {f * f * n_C * n_filters + n_filters}$, whatever the size of the "
           "input.", size=10, ha="left")
    return s.fig


# -- 3. pooling -----------------------------------------------------------------------------
LECTURE_POOL = ((1, 3, 2, 1), (2, 9, 1, 1), (1, 4, 2, 3), (5, 6, 1, 2))


def max_pooling(values=None, f: int = 2, stride: int = 2, mode: str = "max") -> Figure:
    """A grid of numbers with each f x f pooling window coloured, and the output grid holding
    each window's max (mode "max") or mean (mode "average"), computed from the numbers drawn."""
    values = np.array(LECTURE_POOL if values is None else values, dtype=float)
    if values.ndim != 2 or not (2 <= values.shape[0] <= 8 and 2 <= values.shape[1] <= 8) \
            or not np.isfinite(values).all():
        raise ValueError(f"values must be a 2-D grid of 2 to 8 rows and columns of numbers, got "
                         f"shape {values.shape}: use e.g. values=[[1, 3], [2, 9]].")
    if mode not in ("max", "average"):
        raise ValueError(f"mode must be 'max' or 'average' (as in pool_forward), got {mode!r}.")
    n_H, n_W = values.shape
    f = _whole("f", f, 1, min(n_H, n_W), f"f=2 (at most the grid's {min(n_H, n_W)} cells)")
    stride = _whole("stride", stride, 1, 8, "stride=2")
    out_H, out_W = _out(n_H, f, 0, stride), _out(n_W, f, 0, stride)
    pool = np.max if mode == "max" else np.mean
    pooled = np.array([[pool(values[i * stride:i * stride + f, j * stride:j * stride + f])
                        for j in range(out_W)] for i in range(out_H)])
    overlapping = stride < f
    every = [(i, j) for i in range(out_H) for j in range(out_W)]
    if overlapping:  # a few windows, or they hide each other
        shown = list(dict.fromkeys([(0, 0), (0, 1), (1, 0), (out_H - 1, out_W - 1)]))
        shown = {p: PALETTE[k] for k, p in enumerate(p for p in shown if p in every)}
    elif len(every) > len(PALETTE):  # side by side: a checkerboard of two colours
        shown = {(i, j): PALETTE[(i + j) % 2] for i, j in every}
    else:
        shown = {p: PALETTE[k] for k, p in enumerate(every)}
    owner = {}
    if not overlapping:
        for i, j in every:
            for a in range(f):
                for b in range(f):
                    owner[(i * stride + a, j * stride + b)] = (i, j)
    biggest = set()
    if mode == "max":
        for i, j in shown:
            window = values[i * stride:i * stride + f, j * stride:j * stride + f]
            a, b = np.unravel_index(np.argmax(window), window.shape)
            biggest.add((i * stride + a, j * stride + b))
    word = "max" if mode == "max" else "average"
    cell = min(0.5, 2.6 / max(n_H, n_W))
    height = round(n_H * cell + 1.25 + (0.25 if overlapping else 0), 1)
    s = _Sketch(WIDTH, max(height, 3.0), f"{word.capitalize()} pooling: f = {f}, s = {stride}, "
                f"each output is its window's {'largest number' if mode == 'max' else 'mean'}")
    top = s.height - 0.5
    grid = _grid(s, 0.6, top, n_H, n_W, cell, "input",
                 fill=lambda i, j: _light(shown[owner[(i, j)]]) if (i, j) in owner else None,
                 text=lambda i, j: _number(values[i, j]), size=11 if cell >= 0.45 else 9,
                 weight=lambda i, j: "bold" if (i, j) in biggest else "normal")
    insets = _insets([(i * stride, j * stride, f, f) for i, j in shown], cell)
    for ((i, j), color), inset in zip(shown.items(), insets):
        _window(s, grid, i * stride, j * stride, f, f, cell, color, inset, f"window {i},{j}",
                lw=_window_lw(cell))
    out_cell = max(cell, 0.45) if out_H * out_W <= 16 else cell
    out_left = grid.right + 1.6
    output = _grid(s, out_left, grid.y + out_H * out_cell / 2, out_H, out_W, out_cell, "output",
                   fill=lambda i, j: _light(shown[(i, j)]) if (i, j) in shown else None,
                   text=lambda i, j: _number(pooled[i, j]),
                   size=11 if out_cell >= 0.45 else 9, weight=lambda i, j: "bold")
    for (i, j), color in shown.items():
        _window(s, output, i, j, 1, 1, out_cell, color, 0.03, f"lit {i},{j}", gid="lit")
    s.arrow(grid, output, color=FORWARD, label=f"{word} pool", size=10)
    s.text(grid.x, grid.bottom - 0.25, f"input {n_H}x{n_W}", size=10)
    s.text(output.x, output.bottom - 0.25, f"output {out_H}x{out_W}", size=10)
    x = max(output.right + 0.5, 5.9)
    sizes = [("H", n_H, out_H)] + ([("W", n_W, out_W)] if n_W != n_H else [])
    lines = [(f"$n_{name} = \\lfloor ({size} - {f})\\,/\\,{stride} \\rfloor + 1 = {out}$", INK)
             for name, size, out in sizes]
    lines += [("colour: a window and its output", CACHE),
              ("bold: the max of each drawn window" if mode == "max"
               else "each output: its window's mean", CACHE),
              ("no parameters to learn:", INK), ("f and s are hyperparameters", CACHE),
              ("channels are pooled one by one:", INK), ("$n_C$ stays the same", CACHE)]
    for k, (line, color) in enumerate(lines):
        s.text(x, top - 0.05 - 0.32 * k - (0.1 if k >= len(sizes) else 0), line, size=10,
               ha="left", color=color)
    if overlapping:
        s.text(0.15, 0.2, f"s = {stride} < f = {f}: the windows overlap, a number can be in "
               f"several; {len(shown)} of the {len(every)} windows drawn.", size=10, ha="left")
    return s.fig


# -- 4. a residual block --------------------------------------------------------------------
def residual_block() -> Figure:
    """a[l] -> linear -> ReLU -> linear -> (+) -> ReLU -> a[l+2], with the shortcut carrying
    a[l] around the main path into the (+), and the block's equations."""
    s = _Sketch(WIDTH, 3.6, "A residual block: the shortcut adds $a^{[l]}$ before the last ReLU")
    y = 1.75
    a_l = s.box(0.6, y, 0.8, 0.5, "$a^{[l]}$", color=CACHE, size=12)
    steps = [("linear", 2.05), ("ReLU", 3.75), ("linear", 5.45)]
    blocks = [s.box(x, y, 1.0, 0.55, name, color=FORWARD, size=11) for name, x in steps]
    plus = s.node(6.85, y, 0.24, "$+$", color=ORANGE, size=14)
    relu = s.box(8.0, y, 1.0, 0.55, "ReLU", color=FORWARD, size=11)
    a_out = s.box(9.4, y, 0.95, 0.5, "$a^{[l+2]}$", color=CACHE, size=12)
    labels = [None, "$z^{[l+1]}$", "$a^{[l+1]}$", "$z^{[l+2]}$", None, None]
    chain = [a_l, *blocks, plus, relu, a_out]
    for start, end, label in zip(chain, chain[1:], labels + [None]):
        s.arrow(start, end, label=label, size=11, label_color=INK)
    # the shortcut: up from a[l], across above the main path, down into the (+)
    high = y + 1.0
    path = Path([(a_l.x, a_l.top + 0.03), (a_l.x, high), (plus.x, high),
                 (plus.x, plus.y + plus.r + 0.03)],
                [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO])
    s.ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>,head_length=0.55,head_width=0.3",
                                   mutation_scale=14, color=ORANGE, linewidth=1.8, zorder=1,
                                   gid="shortcut"))
    s.text((a_l.x + plus.x) / 2, high + 0.2, "shortcut (skip connection): $a^{[l]}$ jumps two "
           "layers", color=ORANGE, size=11)
    equations = [(blocks[0].x, "$z^{[l+1]} = W^{[l+1]} a^{[l]} + b^{[l+1]}$"),
                 (blocks[1].x, "$a^{[l+1]} = g(z^{[l+1]})$"),
                 (blocks[2].x, "$z^{[l+2]} = W^{[l+2]} a^{[l+1]} + b^{[l+2]}$"),
                 (relu.x, "$a^{[l+2]} = g(z^{[l+2]} + a^{[l]})$")]
    for k, (x, equation) in enumerate(equations):
        s.text(x, y - 0.62 - 0.33 * (k % 2), equation, size=11,
               color=ORANGE if k == 3 else INK)
    s.text(0.15, 0.42, "$W^{[l+2]} = 0, b^{[l+2]} = 0$ give $a^{[l+2]} = g(a^{[l]}) = a^{[l]}$:"
           " the identity is easy to learn, so the block does not hurt.", size=10, ha="left")
    s.text(0.15, 0.15, "$z^{[l+2]}$ and $a^{[l]}$ need the same shape ('same' convolutions), "
           "or the shortcut carries $W_s a^{[l]}$.", size=10, ha="left")
    return s.fig


# -- 5. an inception module -----------------------------------------------------------------
# (the branch's convolutions, its output channels): the lecture's module on 28 x 28 x 192
INCEPTION_BRANCHES = (
    ((("1x1 CONV, 64",),), 64),
    ((("1x1 CONV, 96",), ("3x3 CONV, 128", "same")), 128),
    ((("1x1 CONV, 16",), ("5x5 CONV, 32", "same")), 32),
    ((("MAXPOOL 3x3", "s = 1, same"), ("1x1 CONV, 32",)), 32),
)


def _millions(count: int) -> str:
    return f"{count / 1e6:.1f} M"


def inception_module() -> Figure:
    """The lecture's inception module: 28 x 28 x 192 into four branches (1x1; 1x1 then 3x3;
    1x1 then 5x5; max pool then 1x1) whose outputs are stacked into one 28 x 28 x 256 volume,
    and what the 1x1 bottleneck saves on the 5x5 branch."""
    size, channels = 28, 192
    total = sum(c for _, c in INCEPTION_BRANCHES)
    s = _Sketch(WIDTH, 4.0, "An inception module: try every filter size, stack the outputs "
                "along the channels")
    per_channel = 1.0 / total  # inches of depth per channel
    volume = _volume(s, 0.25, 1.35, 1.0, 1.0, channels * per_channel, "previous",
                     slices=((1.0, CACHE),))
    s.text(volume.x, 1.13, f"{size}x{size}x{channels}", size=10)
    s.text(volume.x, 0.9, "previous activation", size=9, color=CACHE)
    source = _point(volume.right, 1.35 + (1.0 + channels * per_channel * np.sin(ANGLE)) / 2)
    base, face, stack_x = 1.15, 1.45, 7.4
    slices = tuple((c / total, PALETTE[k]) for k, (_, c) in enumerate(INCEPTION_BRANCHES))
    stacked = _volume(s, stack_x, base, face, face, total * per_channel, "concatenated",
                      slices=slices)
    for k, ((convs, out), y) in enumerate(zip(INCEPTION_BRANCHES, (3.2, 2.5, 1.8, 1.1))):
        color = PALETTE[k]
        if len(convs) == 1:  # one step: one box across both columns
            boxes = [s.box(4.325, y, 3.45, 0.55, convs[0], color=color, size=9)]
        else:
            boxes = [s.box(x, y, 1.5, 0.55, lines, color=color, size=9)
                     for x, lines in zip((3.35, 5.3), convs)]
            s.arrow(boxes[0], boxes[1], color=color, lw=1.2, head=10)
        s.arrow(source, _point(boxes[0].left, y), color=CACHE, lw=1.0, head=10)
        end = _point(stack_x, base + face * (0.85 - 0.7 * k / 3))
        s.arrow(_point(boxes[-1].right, y), end, color=color, lw=1.2, head=10,
                label=f"{size}x{size}x{out}", size=9, at=0.45)
    items = []
    for k, (_, c) in enumerate(INCEPTION_BRANCHES):
        items += [(f"{c}", PALETTE[k]), ("+" if k < 3 else f"= {total}", INK)]
    _row(s, stack_x - 0.45, base - 0.25, items, size=10, spacing=0.08)
    s.text(stacked.x, base - 0.5, f"{size}x{size}x{total}", size=10, weight="bold")
    naive = size * size * 32 * 5 * 5 * channels
    squeeze = size * size * 16 * channels
    then = size * size * 32 * 5 * 5 * 16
    s.text(0.15, 0.45, f"5x5 CONV, 32 straight on {size}x{size}x{channels}: {size}·{size}·32 "
           f"outputs × 5·5·{channels} multiplications each = {_millions(naive)}.", size=9,
           ha="left")
    s.text(0.15, 0.18, f"With the 1x1 CONV, 16 first (a bottleneck): {size}·{size}·16 × "
           f"{channels} + {size}·{size}·32 × 5·5·16 = {_millions(squeeze)} + {_millions(then)} "
           f"= {_millions(squeeze + then)}, {naive / (squeeze + then):.1f} times fewer.", size=9,
           ha="left")
    return s.fig


# -- 6. the YOLO grid -----------------------------------------------------------------------
YOLO_CLASSES = ("pedestrian", "car", "motorcycle")  # c1, c2, c3
CLASS_COLORS = (ORANGE, GREEN, PURPLE)
# (x, y, w, h, class): centre, width and height as fractions of the picture, y from its top
YOLO_OBJECTS = ((0.47, 0.56, 0.13, 0.5, 1), (0.56, 0.63, 0.42, 0.2, 2),
                (0.82, 0.22, 0.22, 0.2, 3))
ANCHORS = {1: ((1.0, 1.0),), 2: ((0.55, 1.6), (1.6, 0.55)),
           3: ((0.55, 1.6), (1.6, 0.55), (1.0, 1.0))}  # (w, h) in cell units
ANCHOR_NAMES = {(0.55, 1.6): "tall", (1.6, 0.55): "wide", (1.0, 1.0): "square"}


def _shape_overlap(a, b) -> float:
    """IoU of two boxes (w, h) that share their centre."""
    return _overlap((-a[0] / 2, -a[1] / 2, a[0] / 2, a[1] / 2),
                    (-b[0] / 2, -b[1] / 2, b[0] / 2, b[1] / 2))


def _yolo_targets(objects, grid: int, anchors):
    """{(row, col): {anchor: (vector, object index)}} and the objects no anchor was free for:
    each object goes to the cell holding its centre and to that cell's free anchor whose shape
    has the highest IoU with its box (b_x, b_y in the cell, b_h, b_w in cell units)."""
    targets, left_out = {}, []
    for k, (x, y, w, h, c) in enumerate(objects):
        row, col = min(int(y * grid), grid - 1), min(int(x * grid), grid - 1)
        taken = targets.setdefault((row, col), {})
        shape = (w * grid, h * grid)
        order = sorted(range(len(anchors)), key=lambda a: -_shape_overlap(shape, anchors[a]))
        free = [a for a in order if a not in taken]
        if not free:
            left_out.append(k)
            continue
        vector = [1.0, x * grid - col, y * grid - row, h * grid, w * grid] + \
            [1.0 if c == j + 1 else 0.0 for j in range(len(YOLO_CLASSES))]
        taken[free[0]] = (vector, k)
    return targets, left_out


def yolo_grid(grid: int = 3, boxes=None, anchors: int = 2) -> Figure:
    """A picture split into grid x grid cells with two or three objects as boxes and their centres;
    the cell holding each centre is lit, the anchor boxes are drawn dashed in the first object's
    cell, and that cell's target vector [p_c, b_x, b_y, b_h, b_w, c1, c2, c3] is written out once
    per anchor (with an empty cell's, p_c = 0 and "?" don't cares, if none is free). `boxes`: (x, y,
    w, h, class) as fractions of the picture, y from the top, class 1 to 3 (pedestrian, car,
    motorcycle)."""
    grid = _whole("grid", grid, 2, 8, "grid=3")
    anchors = _whole("anchors", anchors, 1, 3, "anchors=2")
    objects = [tuple(float(v) for v in b) for b in (YOLO_OBJECTS if boxes is None else boxes)]
    good = 1 <= len(objects) <= 4 and all(
        len(b) == 5 and 0 <= b[0] < 1 and 0 <= b[1] < 1 and 0 < b[2] <= 1 and 0 < b[3] <= 1
        and b[4] in (1, 2, 3) for b in objects)
    if not good:
        raise ValueError(f"boxes are 1 to 4 objects (x, y, w, h, class), the centre x, y in "
                         f"[0, 1), w, h in (0, 1] of the picture, class 1, 2 or 3, got {boxes}: "
                         "use e.g. boxes=[(0.5, 0.5, 0.2, 0.4, 1)].")
    shapes = ANCHORS[anchors]
    targets, left_out = _yolo_targets(objects, grid, shapes)
    s = _Sketch(WIDTH, 4.0, f"YOLO: a {grid}x{grid} grid, each object belongs to the cell that "
                "holds its centre")
    side, left, bottom = 3.2, 0.35, 0.35
    top, cell = bottom + side, side / grid
    s.ax.add_patch(Rectangle((left, bottom), side, side, facecolor="white", edgecolor=INK,
                             linewidth=1.2, zorder=1, gid="picture"))
    owners = {}
    for x, y, _, _, c in objects:
        owners.setdefault((min(int(y * grid), grid - 1), min(int(x * grid), grid - 1)), c)
    for (row, col), c in owners.items():
        s.ax.add_patch(Rectangle((left + col * cell, top - (row + 1) * cell), cell, cell,
                                 facecolor=_light(CLASS_COLORS[int(c) - 1]), edgecolor="none",
                                 zorder=1.2, gid="cell", label=f"owner {row},{col}"))
    for k in range(1, grid):
        for xs, ys in (([left + k * cell] * 2, [bottom, top]), ([left, left + side],
                                                                 [bottom + k * cell] * 2)):
            s.ax.add_line(Line2D(xs, ys, color=CACHE, linewidth=0.9, zorder=1.5,
                                 gid="gridline"))
    for x, y, w, h, c in objects:
        color = CLASS_COLORS[int(c) - 1]
        s.ax.add_patch(Rectangle((left + (x - w / 2) * side, top - (y + h / 2) * side),
                                 w * side, h * side, fill=False, edgecolor=color, linewidth=2,
                                 zorder=3, gid="object", label=YOLO_CLASSES[int(c) - 1]))
        s.ax.add_patch(Circle((left + x * side, top - y * side), 0.05, color=color, zorder=3.5,
                              gid="centre", label=YOLO_CLASSES[int(c) - 1]))
    x0, y0 = objects[0][:2]
    shown = (min(int(y0 * grid), grid - 1), min(int(x0 * grid), grid - 1))
    cx, cy = left + (shown[1] + 0.5) * cell, top - (shown[0] + 0.5) * cell
    for a, (w, h) in enumerate(shapes):
        s.ax.add_patch(Rectangle((cx - w * cell / 2, cy - h * cell / 2), w * cell, h * cell,
                                 fill=False, edgecolor=INK, linestyle=(0, (4, 3)),
                                 linewidth=1.1, zorder=2.5, gid="anchor",
                                 label=f"anchor {a + 1}"))
    # the target vector of the shown cell, one column per anchor
    names = ["$p_c$", "$b_x$", "$b_y$", "$b_h$", "$b_w$", "$c_1$", "$c_2$", "$c_3$"]
    vx, vtop, vh, vw = 4.55, 3.05, 0.27, 0.5
    s.text(vx - 0.5, 3.45, f"target $y$ of cell (row {shown[0]}, column {shown[1]}), one block "
           "per anchor", size=10, ha="left")
    in_cell = targets.get(shown, {})
    for a, shape in enumerate(shapes):
        vector, k = in_cell.get(a, (None, None))
        color = CLASS_COLORS[int(objects[k][4]) - 1] if vector else CACHE
        left_a = vx + a * (vw + 0.22)

        def value(i, j, vector=vector):
            if vector is None:
                return "0" if i == 0 else "?"
            return _number(vector[i])

        _grid(s, left_a, vtop, 8, 1, vh, f"anchor {a + 1}", text=value, size=9, wide=vw,
              fill=lambda i, j, color=color: _light(color) if color != CACHE else None)
        s.text(left_a + vw / 2, vtop + 0.14, f"{a + 1}: {ANCHOR_NAMES[shape]}", size=9,
               color=color)
    for i, name in enumerate(names):
        s.text(vx - 0.1, vtop - (i + 0.5) * vh, name, size=10, ha="right")
    end = vx + anchors * (vw + 0.22)
    free = len(in_cell) < anchors  # an anchor of the shown cell already shows its "?"s
    empty = [(row, col) for row in reversed(range(grid)) for col in range(grid)
             if (row, col) not in targets]
    if not free and empty:  # the lecture's empty cell: p_c = 0, the rest don't care
        row, col = empty[0]
        s.ax.add_patch(Rectangle((left + col * cell, top - (row + 1) * cell), cell, cell,
                                 facecolor=PADDING, edgecolor="none", zorder=1.2, gid="cell",
                                 label=f"no object {row},{col}"))
        left_e = end + 0.45
        _grid(s, left_e, vtop, 8, 1, vh, "empty", text=lambda i, j: "0" if i == 0 else "?",
              size=9, wide=vw, fill=lambda i, j: PADDING)
        s.text(left_e + vw / 2, vtop + 0.14, f"({row}, {col}): empty", size=9, color=CACHE)
        end = left_e + vw + 0.22
    nx = end + 0.25
    lines = [(f"$y$: {grid}x{grid} cells x {anchors} anchor{'s' if anchors > 1 else ''} x 8"
              f" = {grid}x{grid}x{8 * anchors}", INK),
             ("$b_x, b_y$: the centre, 0 to 1 in its cell", INK),
             ("$b_h, b_w$: in cell units, can be > 1", INK)]
    if free or empty:
        lines.append(("?: don't care, no object ($p_c$ = 0)", CACHE))
    lines += [("an object takes its cell's anchor", CACHE),
              ("whose shape has the highest IoU", CACHE),
              ("dashed: the anchor boxes", CACHE)]
    for k, (line, color) in enumerate(lines):
        s.text(nx, 3.05 - 0.3 * k, line, size=9, ha="left", color=color)
    for j, name in enumerate(YOLO_CLASSES):
        s.text(nx, 0.95 - 0.25 * j, f"$c_{j + 1}$: {name}", size=9, ha="left",
               color=CLASS_COLORS[j], weight="bold")
    if left_out:
        names_out = ", ".join(YOLO_CLASSES[int(objects[k][4]) - 1] for k in left_out)
        s.text(vx - 0.5, 0.25, f"not encoded: {names_out} (its cell has no free anchor; more "
               "anchors, or a finer grid)", size=9, ha="left", color=BACKWARD)
    return s.fig


# -- 7. IoU and non-max suppression ---------------------------------------------------------
def _overlap(a, b) -> float:
    """Intersection over union of two boxes given by corners (x1, y1, x2, y2); 0 for disjoint
    boxes or an empty union."""
    inter = _intersection(a, b)
    area = (inter[2] - inter[0]) * (inter[3] - inter[1]) if inter else 0.0
    union = _area(a) + _area(b) - area
    return area / union if union > 0 else 0.0


def _intersection(a, b):
    """The corners of the box two boxes share, or None."""
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None


def _area(box) -> float:
    return max(box[2] - box[0], 0) * max(box[3] - box[1], 0)


def _suppress(boxes, scores, threshold):
    """Greedy non-max suppression: [(index, None)] for a kept box, [(index, (kept, IoU))] for a
    dropped one, highest score first (ties: lower index first). A box is dropped by the first
    kept box it overlaps by more than the threshold: the round that removes it."""
    order = sorted(range(len(boxes)), key=lambda k: (-scores[k], k))
    kept, verdicts = [], []
    for k in order:
        by = next((j for j in kept if _overlap(boxes[k], boxes[j]) > threshold), None)
        if by is None:
            kept.append(k)
            verdicts.append((k, None))
        else:
            verdicts.append((k, (by, _overlap(boxes[k], boxes[by]))))
    return verdicts


# two objects: four boxes around the first, two around the second (IoU 0.60 with each other)
NMS_BOXES = ((2.0, 1.0, 5.0, 4.2), (1.4, 1.5, 4.4, 4.6), (2.5, 0.5, 5.7, 3.8),
             (1.7, 1.8, 5.2, 4.9), (6.5, 2.0, 8.5, 4.8), (6.3, 1.6, 8.3, 4.3))
NMS_SCORES = (0.9, 0.6, 0.7, 0.8, 0.75, 0.65)
NMS_COLORS = (*PALETTE, BACKWARD, "#9a7d0a")


def _frame(boxes, left, top, width, height):
    """Maps box coordinates (y down, as in a picture) into a panel: (x, y) -> inches."""
    corners = np.array(boxes, float)
    x0, y0 = corners[:, 0].min(), corners[:, 1].min()
    x1, y1 = corners[:, 2].max(), corners[:, 3].max()
    scale = min(width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9))
    return lambda x, y: (left + (x - x0) * scale, top - (y - y0) * scale)


def _rectangle(s, to_inches, box, **style):
    (xa, ya), (xb, yb) = to_inches(box[0], box[1]), to_inches(box[2], box[3])
    patch = Rectangle((xa, yb), xb - xa, ya - yb, zorder=3, **style)
    s.ax.add_patch(patch)
    return patch


def _corners(box) -> tuple:
    x1, y1, x2, y2 = (float(v) for v in box)
    if not x2 > x1 or not y2 > y1:
        raise ValueError(f"a box is its corners (x1, y1, x2, y2) with x2 > x1 and y2 > y1, got "
                         f"{tuple(box)}: use e.g. (1, 1, 4, 4).")
    return x1, y1, x2, y2


def iou_and_nms(box1=(1, 1, 4, 4), box2=(2, 2, 6, 5), boxes=None, scores=None,
                iou_threshold: float = 0.5) -> Figure:
    """(a) Two boxes, corners (x1, y1, x2, y2), their intersection shaded and their IoU worked
    out; (b) non-max suppression on boxes with scores: the kept boxes solid, the boxes dropped
    for an IoU above iou_threshold with a kept one dashed, the verdicts written out round by
    round (the default: two objects, so two rounds)."""
    box1, box2 = _corners(box1), _corners(box2)
    boxes = [_corners(b) for b in (NMS_BOXES if boxes is None else boxes)]
    scores = [float(v) for v in (NMS_SCORES if scores is None else scores)]
    if not 2 <= len(boxes) <= 6 or len(scores) != len(boxes):
        raise ValueError(f"non-max suppression draws 2 to 6 boxes with one score each, got "
                         f"{len(boxes)} boxes and {len(scores)} scores.")
    if not 0 <= iou_threshold < 1:
        raise ValueError(f"iou_threshold must lie in [0, 1), got {iou_threshold}: use e.g. 0.5.")
    s = _Sketch(WIDTH, 4.0, "(a) Intersection over union")
    s.text(4.3, 3.88, "(b) Non-max suppression", size=12,
           ha="left", va="top", weight="bold")
    # (a) IoU
    to_a = _frame([box1, box2], 0.6, 3.3, 3.2, 1.9)
    inter = _intersection(box1, box2)
    if inter:
        shared = _rectangle(s, to_a, inter, facecolor=FILLS[CACHE], edgecolor="none",
                            hatch="///", gid="intersection")
        if min(shared.get_width(), shared.get_height()) > 0.3:
            s.text(shared.get_x() + shared.get_width() / 2, shared.get_y() + shared.get_height()
                   / 2, "overlap", size=9, bbox={"facecolor": "white", "edgecolor": "none",
                                                 "pad": 0.6})
    for box, color, name in ((box1, FORWARD, "box 1"), (box2, ORANGE, "box 2")):
        _rectangle(s, to_a, box, fill=False, edgecolor=color, linewidth=2, gid="iou box",
                   label=name)
    overlap = _area(inter) if inter else 0.0
    union = _area(box1) + _area(box2) - overlap
    value = _overlap(box1, box2)
    corners = ", ".join
    s.text(0.3, 1.1, f"box 1 ({corners(_number(v) for v in box1)}), area "
           f"{_number(_area(box1))}", size=10, ha="left", color=FORWARD)
    s.text(0.3, 0.85, f"box 2 ({corners(_number(v) for v in box2)}), area "
           f"{_number(_area(box2))}", size=10, ha="left", color=ORANGE)
    s.text(0.3, 0.5, "IoU = area of overlap / area of union", size=10, ha="left")
    s.text(0.3, 0.22, f"= {_number(overlap)} / ({_number(_area(box1))} + "
           f"{_number(_area(box2))} − {_number(overlap)}) = {_number(overlap)} / "
           f"{_number(union)} = {value:.3f}", size=10, ha="left", weight="bold")
    # (b) non-max suppression
    to_b = _frame(boxes, 4.45, 3.3, 2.85, 2.6)
    verdicts = _suppress(boxes, scores, iou_threshold)
    dropped = {k: why for k, why in verdicts}
    tags = []
    for k, box in enumerate(boxes):
        color = NMS_COLORS[k]
        kept = dropped[k] is None
        _rectangle(s, to_b, box, fill=False, edgecolor=color, linewidth=2.2 if kept else 1.3,
                   linestyle="-" if kept else (0, (4, 3)), gid="nms box",
                   label=f"{'kept' if kept else 'dropped'} {k}")
        (xa, ya), (xb, yb) = to_b(box[0], box[1]), to_b(box[2], box[3])
        for x, y, ha, va in ((xa + 0.04, ya - 0.03, "left", "top"),
                             (xb - 0.04, ya - 0.03, "right", "top"),
                             (xa + 0.04, yb + 0.03, "left", "bottom"),
                             (xb - 0.04, yb + 0.03, "right", "bottom")):
            tag = s.ax.text(x, y, _number(scores[k]), color=color, fontsize=9, ha=ha, va=va,
                            zorder=4, weight="bold", gid="score",
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
            extent = tag.get_window_extent(s.fig.canvas.get_renderer())
            if not any(extent.overlaps(other) for other in tags):
                tags.append(extent)
                break
            tag.remove()
        else:
            s.ax.text(xa + 0.04, ya - 0.03, _number(scores[k]), color=color, fontsize=9,
                      ha="left", va="top", zorder=4, weight="bold", gid="score",
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    x = 7.5
    s.text(x, 3.25, f"by score, threshold {_number(iou_threshold)}:", size=10, ha="left")
    rounds = [k for k, why in verdicts if why is None]  # one round per kept box, in order
    listed = [(r, k, why) for r, best in enumerate(rounds)
              for k, why in verdicts if k == best or (why and why[0] == best)]
    for row, (r, k, why) in enumerate(listed):
        if why is None:
            words = f"round {r + 1}: {_number(scores[k])} kept"
        else:
            words = (f"{_number(scores[k])}: IoU {why[1]:.2f} with {_number(scores[why[0]])}, "
                     "dropped")
        s.text(x + (0 if why is None else 0.15), 2.9 - 0.3 * row, words, size=9, ha="left",
               color=NMS_COLORS[k], weight="bold" if why is None else "normal")
    s.text(4.3, 0.45, "Each round keeps the best box left and drops the boxes whose IoU with it "
           f"is > {_number(iou_threshold)}.", size=9, ha="left")
    s.text(4.3, 0.2, "Solid: kept;  dashed: suppressed. Per class, in YOLO.", size=9, ha="left",
           color=CACHE)
    return s.fig


# -- 8. U-Net -------------------------------------------------------------------------------
def _block(s: _Sketch, x, y, w, h, color, label) -> _Box:
    """A U-Net feature map: a bar centred at (x, y), as wide as its channels, as high as its
    height and width."""
    s.ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, facecolor=_light(color),
                             edgecolor=color, linewidth=1.2, zorder=2, gid="block", label=label))
    return _Box(x, y, w, h)


def unet(depth: int = 3, size: int = 128, channels: int = 64, classes: int = 3) -> Figure:
    """The U-Net from its input picture: a contracting path (convolutions, then 2x2 max pooling:
    height and width halve, channels double), an expanding path (transpose convolutions: height and
    width double, channels halve) whose every level concatenates the contracting path's map of its
    size (the skip connections), and a 1x1 convolution to one score per class and pixel."""
    depth = _whole("depth", depth, 1, 4, "depth=3")
    size = _whole("size", size, 8, 1024, "size=128")
    channels = _whole("channels", channels, 1, 512, "channels=64")
    classes = _whole("classes", classes, 1, 99, "classes=3")
    if size % 2**depth:
        raise ValueError(f"size must halve {depth} times into whole numbers: {size} is not a "
                         f"multiple of 2**{depth} = {2**depth}; use e.g. size={2**depth * 16}.")
    s = _Sketch(WIDTH, 3.9, f"U-Net: {depth} halving{'s' if depth > 1 else ''} down, "
                f"{depth} transpose convolution{'s' if depth > 1 else ''} up, a skip "
                "connection at every level")
    spacing, row, top = min(0.77, 4.6 / (2 * depth)), min(0.73, 2.2 / depth), 2.85
    x0 = 2.25
    # the input picture: as high as the first level (the same height and width), 3 channels
    picture = _block(s, 0.5, top, 0.12, 0.85, CACHE, "picture")
    s.text(picture.x, picture.bottom - 0.15, "picture", size=9)
    s.text(picture.x, picture.bottom - 0.37, f"{size}x{size}x3", size=9, color=CACHE)
    down, up = [], {}
    for k in range(depth + 1):
        y, w, h = top - k * row, 0.2 + 0.1 * k, 0.85 * 0.72**k
        down.append(_block(s, x0 + k * spacing, y, w, h, FORWARD,
                           "bottom" if k == depth else f"down {k}"))
        side = size >> k
        words = f"{side}x{side}x{channels << k}"
        if k == 0:  # under the arrow from the picture
            s.text((picture.right + down[0].left) / 2, y - 0.17, words, size=9, color=CACHE)
        elif k < depth:
            s.text(x0 - 0.35, y, words, size=9, ha="right", color=CACHE)
        else:
            s.text(down[k].x, down[k].bottom - 0.15, words, size=9, color=CACHE)
    s.arrow(picture, down[0], color=FORWARD, lw=1.3, head=11, label="3x3 convs", size=9)
    for k in range(depth):
        s.arrow(down[k], down[k + 1], color=FORWARD, lw=1.3, head=11)
    previous = down[depth]
    for k in reversed(range(depth)):
        y, w, h = top - k * row, 0.2 + 0.1 * k, 0.85 * 0.72**k
        x = x0 + (2 * depth - k) * spacing
        copied = _block(s, x - w / 4, y, w / 2, h, CACHE, f"copied {k}")
        up[k] = _block(s, x + w / 4, y, w / 2, h, ORANGE, f"up {k}")
        s.arrow(previous, up[k], color=ORANGE, lw=1.3, head=11)
        s.arrow(down[k], copied, color=CACHE, lw=1.1, head=10)
        previous = up[k]
    cell = 0.2
    output = _grid(s, up[0].right + 0.95, top + 2 * cell, 4, 4, cell, "segmentation",
                   fill=lambda i, j: _light(CLASS_COLORS[(i // 2 + (j > i)) % classes]))
    s.arrow(up[0], output, color=GREEN, lw=1.3, head=11, label="1x1 conv", size=9)
    s.text(output.x, output.bottom - 0.17, f"{size}x{size}x{classes}: {classes} class"
           f"{'es' if classes > 1 else ''}", size=9, color=CACHE)
    s.text(output.x, output.bottom - 0.4, "a class per pixel", size=9)
    legend = [("down: 2x2 max pool, 3x3 convs", FORWARD),
              ("height, width halve; channels double", FORWARD),
              ("up: 2x2 transpose conv, s = 2", ORANGE),
              ("across: skip, copy and stack", CACHE),
              ("(the level's detail comes back)", CACHE)]
    for k, (words, color) in enumerate(legend):
        s.text(up[0].right + 0.45, 1.5 - 0.25 * k, words, size=9, ha="left", color=color)
    return s.fig


# -- 9. siamese network and the triplet loss ------------------------------------------------
def _squared(a, b) -> float:
    return float(np.sum((np.asarray(a, float) - np.asarray(b, float)) ** 2))


def siamese_triplet(anchor=(0.0, 0.0), positive=(0.45, 0.35), negative=(1.3, -0.45),
                    alpha: float = 0.2) -> Figure:
    """(a) A siamese network: the same network maps two pictures to encodings f(x1), f(x2),
    compared by d = ||f(x1) - f(x2)||^2; (b) an anchor, a positive and a negative as 2-D
    encodings, their squared distances, the margin alpha and the triplet loss's inequality."""
    points = [np.asarray(p, float).ravel() for p in (anchor, positive, negative)]
    if any(p.shape != (2,) or not np.isfinite(p).all() for p in points):
        raise ValueError("anchor, positive and negative are 2-D encodings (x, y) here, got "
                         f"{[p.tolist() for p in points]}: use e.g. anchor=(0, 0).")
    if not 0 <= alpha <= 2:
        raise ValueError(f"alpha must lie in [0, 2], got {alpha}: use e.g. alpha=0.2.")
    A, P, N = points
    d_ap, d_an = _squared(A, P), _squared(A, N)
    s = _Sketch(WIDTH, 4.0, "(a) A siamese network")
    s.text(4.45, 3.88, "(b) The triplet loss", size=12, ha="left", va="top", weight="bold")
    # (a)
    ys = (2.75, 1.35)
    nets = []
    for k, y in enumerate(ys):
        picture = s.box(0.6, y, 0.75, 0.75, f"$x^{{({k + 1})}}$", color=CACHE, size=12)
        net = s.box(2.0, y, 1.2, 0.6, "ConvNet", color=FORWARD, size=10)
        code = _grid(s, 3.15, y + 0.45, 6, 1, 0.15, f"encoding {k + 1}",
                     fill=lambda i, j: FILLS[FORWARD])
        s.arrow(picture, net)
        s.arrow(net, code)
        s.text(code.right + 0.1, y + 0.2, f"$f(x^{{({k + 1})}})$", size=11, ha="left")
        s.text(code.right + 0.1, y - 0.15, "128 numbers", size=8, ha="left", color=CACHE)
        nets.append(net)
    s.ax.add_line(Line2D([2.0, 2.0], [nets[1].top + 0.05, nets[0].bottom - 0.05], color=CACHE,
                         linestyle=":", linewidth=1.2))
    s.text(2.1, (ys[0] + ys[1]) / 2, "same\nparameters", size=9, ha="left", color=CACHE)
    s.text(0.3, 0.6, "$d(x^{(1)}, x^{(2)}) = \\|f(x^{(1)}) - f(x^{(2)})\\|^2$", size=11,
           ha="left")
    s.text(0.3, 0.25, "small: the same person;  large: two people", size=9, ha="left",
           color=CACHE)
    # (b) the encodings as points, and the circle N must stay out of
    reach = np.sqrt(d_ap + alpha)
    low = np.minimum(np.min(points, axis=0), A - reach)
    high = np.maximum(np.max(points, axis=0), A + reach)
    scale = min(2.5 / (high[0] - low[0]), 2.45 / (high[1] - low[1]))
    middle = (low + high) / 2

    def inches(p):
        return np.array([5.8, 2.1]) + (np.asarray(p) - middle) * scale

    s.ax.add_patch(Circle(tuple(inches(A)), reach * scale, fill=False, edgecolor=CACHE,
                          linestyle=(0, (4, 3)), linewidth=1.0, zorder=1, gid="margin"))
    nodes = {}
    for name, p, color in (("A", A, FORWARD), ("P", P, GREEN), ("N", N, BACKWARD)):
        nodes[name] = s.node(*inches(p), 0.16, name, color=color, size=10)
    s.arrow(nodes["A"], nodes["P"], color=GREEN, lw=1.3, head=10)
    s.arrow(nodes["A"], nodes["N"], color=BACKWARD, lw=1.3, head=10)
    # three digits, and the sum of the numbers as printed, so the line adds up as read
    shown_ap, shown_an, shown_alpha = (round(v, 3) + 0.0 for v in (d_ap, d_an, alpha))
    total = round(shown_ap - shown_an + shown_alpha, 3) + 0.0
    loss = f"{total:.3f}" if total > 0 else "0"
    lines = [(f"$\\|f(A) - f(P)\\|^2$ = {shown_ap:.3f}", GREEN, "normal"),
             (f"$\\|f(A) - f(N)\\|^2$ = {shown_an:.3f}", BACKWARD, "normal"),
             (f"$\\alpha$ = {shown_alpha:g}", INK, "normal"),
             (f"{shown_ap:.3f} − {shown_an:.3f} + {shown_alpha:g} = {total:.3f}", INK, "normal"),
             (f"loss = max({total:.3f}, 0) = {loss}", INK, "bold")]
    for k, (words, color, weight) in enumerate(lines):
        s.text(7.4, 3.2 - 0.42 * k, words, size=10, ha="left", color=color, weight=weight)
    s.text(4.45, 0.5, "want:  $\\|f(A) - f(P)\\|^2 - \\|f(A) - f(N)\\|^2 + \\alpha \\leq 0$",
           size=11, ha="left")
    s.text(4.45, 0.18, "A, P: one person, N: another.  Dashed: where $\\|f(A) - f(N)\\|^2 = "
           "\\|f(A) - f(P)\\|^2 + \\alpha$", size=9, ha="left", color=CACHE)
    return s.fig


# -- 10. transpose convolution --------------------------------------------------------------
def transpose_conv(n: int = 2, f: int = 3, stride: int = 2, pad: int = 0, values=None,
                   weights=None) -> Figure:
    """Each input pixel's f x f contribution (its value times the filter) placed into the
    output at stride steps, one small panel per pixel, and their sum, where the cells that
    several pixels reach are shaded darker; then p is cropped from each side, which leaves
    s(n - 1) + f - 2p cells a side."""
    n = _whole("n", n, 1, 3, "n=2")
    f = _whole("f", f, 1, 4, "f=3")
    stride = _whole("stride", stride, 1, 3, "stride=2")
    pad = _whole("pad", pad, 0, 3, "pad=0")
    full = stride * (n - 1) + f
    size = full - 2 * pad
    if size < 1:
        raise ValueError(f"transpose_conv: cropping p = {pad} from each side of the {full}x{full} "
                         f"sum leaves s(n - 1) + f - 2p = {stride}({n} - 1) + {f} - 2*{pad} = "
                         f"{size} cells: use pad <= {(full - 1) // 2}.")
    values = np.array([[2, 1], [3, 2]] if values is None and n == 2 else
                      (np.arange(n * n) % 3 + 1).reshape(n, n) if values is None else values,
                      dtype=float)
    weights = np.ones((f, f)) if weights is None else np.array(weights, dtype=float)
    if values.shape != (n, n) or weights.shape != (f, f):
        raise ValueError(f"values must be {n}x{n} and weights {f}x{f} (n = {n}, f = {f}), got "
                         f"{values.shape} and {weights.shape}.")
    total = np.zeros((full, full))
    count = np.zeros((full, full), int)
    for i in range(n):
        for j in range(n):
            total[i * stride:i * stride + f, j * stride:j * stride + f] += values[i, j] * weights
            count[i * stride:i * stride + f, j * stride:j * stride + f] += 1
    colors = [PALETTE[(i * n + j) % len(PALETTE)] for i in range(n) for j in range(n)]
    s = _Sketch(WIDTH, 4.0, f"Transpose convolution: $n_{{out}} = s(n - 1) + f - 2p = "
                f"{stride}({n} - 1) + {f} - 2 \\cdot {pad} = {size}$")
    top = 3.3
    grid = _grid(s, 0.4, top - 0.4, n, n, min(0.45, 1.2 / n), "input",
                 fill=lambda i, j: _light(colors[i * n + j]),
                 text=lambda i, j: _number(values[i, j]), size=11)
    s.text(grid.x, grid.bottom - 0.22, f"input {n}x{n}", size=9)
    filt = _grid(s, 0.4, grid.bottom - 0.6, f, f, min(0.3, (grid.bottom - 0.95) / f), "filter",
                 fill=lambda i, j: FILLS[CACHE], text=lambda i, j: _number(weights[i, j]),
                 size=8)
    s.text(filt.x, filt.bottom - 0.2, f"filter W {f}x{f}", size=9)
    # one panel per input pixel, arranged as the input is: the pixel's value times W
    area, gap = 2.9, 0.18
    mini = (area - (n - 1) * gap) / (n * full)
    panels_left = 2.2
    for i in range(n):
        for j in range(n):
            color = colors[i * n + j]
            rows, cols = range(i * stride, i * stride + f), range(j * stride, j * stride + f)
            left, panel_top = panels_left + j * (full * mini + gap), top - i * (full * mini + gap)
            _grid(s, left, panel_top, full, full, mini, f"pixel {i},{j}", lw=0.5, gid="mini",
                  fill=lambda a, b, color=color, rows=rows, cols=cols:
                  _light(color) if a in rows and b in cols else None)
            s.text(left + (j * stride + f / 2) * mini, panel_top - (i * stride + f / 2) * mini,
                   f"{_number(values[i, j])}W", size=9 if mini * f >= 0.5 else 7, color=color,
                   weight="bold")
    panels_right = panels_left + n * full * mini + (n - 1) * gap
    s.text((panels_left + panels_right) / 2, top - area - 0.2,
           f"each pixel times W, placed {stride} cell{'s' if stride > 1 else ''} apart", size=9)
    s.text(panels_right + 0.35, top - area / 2, "$\\Sigma$", size=16)
    # the sum, shaded by how many pixels reach each cell
    cell = min(0.42, 2.6 / full)
    sum_left = panels_right + 0.7
    darkest = count.max()

    def shade(a, b):
        return _mix("white", FORWARD, 0.12 + 0.5 * (count[a, b] - 1) / max(darkest - 1, 1))

    result = _grid(s, sum_left, top, full, full, cell, "sum", fill=shade,
                   text=lambda a, b: _number(total[a, b]), size=9 if cell >= 0.3 else 7)
    if pad:
        s.ax.add_patch(Rectangle((result.left + pad * cell, result.bottom + pad * cell),
                                 size * cell, size * cell, fill=False, edgecolor=BACKWARD,
                                 linewidth=2, zorder=3, gid="crop"))
    s.text(result.x, result.bottom - 0.22, f"sum {full}x{full}" + (
        f", cropped by p = {pad}: {size}x{size}" if pad else f" = output {size}x{size}"), size=9)
    x = result.right + 0.3
    notes = ["darker: more pixels", "reach the cell, and", "their parts add up"]
    for k, line in enumerate(notes):
        s.text(x, top - 0.1 - 0.27 * k, line, size=9, ha="left", color=CACHE)
    return s.fig
