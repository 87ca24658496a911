"""Figures for week 6, sequence models, in the lecture's notation: the unrolled RNN and
backpropagation through time, the RNN, LSTM and GRU cells with their equations, the RNN types,
bidirectional and deep RNNs, sampling a name, attention (the idea and a map of the weights), and
why gradients vanish through time.

Like `diagrams`, every function returns a detached figure (no pyplot state) 10 inches wide at
dpi 90 that shows as a PNG when left as a cell's value; one drawing unit is one inch. Boxes,
nodes and straight arrows carry the gids of `diagrams._Sketch` ("box", "node", "arrow"); bent
arrows carry "bent" (or "feedback" for an output fed back as the next input) and a label
naming their two ends; bars, the chart frames and the cell frames carry "bar", "chart" and
"frame", so tests read them back. The numbers a figure prints are computed from what it draws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.path import Path

from course_utils.diagrams import BACKWARD, CACHE, FILLS, FORWARD, INK, _Box, _Node, _Sketch
from course_utils.diagrams_cnn import GREEN, ORANGE, PURPLE, _number, _whole

__all__ = [
    "attention_idea",
    "attention_map",
    "bidirectional_and_deep",
    "gradient_paths",
    "gru_cell",
    "lstm_cell",
    "rnn_cell",
    "rnn_types",
    "sampling",
    "unrolled_rnn",
]

WIDTH = 10  # inches, every figure of this module
REVERSE = PURPLE  # the backward-in-time activations of a bidirectional RNN (not backprop red)
EOS = "⏎"  # how the end-of-sequence character "\n" is drawn
SPACE = "␣"  # how a space is drawn in a heat map's labels
FRAME = "#9fb3c8"  # the outline of a cell drawn around its inner workings


def _at(name: str, t) -> str:
    """The lecture's time index as mathtext: _at("a", 1) -> a^<1>, angle brackets."""
    return f"{name}^{{\\langle {t}\\rangle}}"


def _ahead(t) -> str:
    """The forward activation of a bidirectional RNN, a->^<t>."""
    return f"a^{{\\langle {t}\\rangle}}_{{\\rightarrow}}"


def _behind(t) -> str:
    """The backward activation of a bidirectional RNN, a<-^<t>."""
    return f"a^{{\\langle {t}\\rangle}}_{{\\leftarrow}}"


def _m(*parts: str) -> str:
    """Mathtext from parts: _m("a", "=", "b") -> "$a = b$"."""
    return "$" + " ".join(parts) + "$"


A_PREV, X_T, A_T = _at("a", "t-1"), _at("x", "t"), _at("a", "t")
C_PREV, C_T, C_TILDE = _at("c", "t-1"), _at("c", "t"), _at("\\tilde{c}", "t")
CONCAT = f"[{A_PREV};\\ {X_T}]"
Y_HAT, LOSS = "\\hat{y}", "\\mathcal{L}"


def _dot(s: _Sketch, x, y, color=FORWARD) -> _Node:
    """A small filled junction where a line splits in two; arrows start and end at it."""
    return s.node(x, y, 0.045, [], color=color, fill=color, lw=1.0)


def _bent(s: _Sketch, points, color=FORWARD, gid="bent", label="", dashed=False, lw=1.5):
    """An arrow along a polyline of points (inches), its head at the last point."""
    path = Path(points, [Path.MOVETO] + [Path.LINETO] * (len(points) - 1))
    s.ax.add_patch(FancyArrowPatch(
        path=path, arrowstyle="-|>,head_length=0.55,head_width=0.3", mutation_scale=14,
        color=color, linewidth=lw, linestyle=(0, (4, 3)) if dashed else "-", zorder=1,
        gid=gid, label=label))


def _frame(s: _Sketch, left, bottom, right, top, label="cell"):
    """The cell's outline: a light rectangle behind the shapes inside it."""
    s.ax.add_patch(Rectangle((left, bottom), right - left, top - bottom, facecolor="#fafcff",
                             edgecolor=FRAME, linewidth=1.2, zorder=0.5, gid="frame",
                             label=label))
    return _Box((left + right) / 2, (bottom + top) / 2, right - left, top - bottom)


def _equations(s: _Sketch, x, top, lines, size=10, step=0.36):
    """Left-aligned lines from (x, top) down: a line is a string or (string, colour)."""
    for k, line in enumerate(lines):
        words, color = (line, INK) if isinstance(line, str) else line
        s.text(x, top - k * step, words, color=color, size=size, ha="left")


def _steps(name: str, value, low: int, high: int) -> int:
    return _whole(name, value, low, high, f"{name}={min(max(4, low), high)}")


# -- 1. the unrolled RNN --------------------------------------------------------------------
def unrolled_rnn(T_x: int = 4, backward: bool = False) -> Figure:
    """The RNN unrolled over T_x steps: a^<0> -> cell -> a^<1> -> ..., x^<t> below and y^<t>
    above each cell, the shared parameters Waa, Wax, Wya named once; backward=True adds the
    losses L^<t> and backpropagation through time, from each loss back along the chain."""
    T_x = _steps("T_x", T_x, 1, 8)
    height = 4.7 if backward else 3.7
    title = ("Backpropagation through time: the gradients run back along the chain"
             if backward else f"An RNN unrolled over $T_x = {T_x}$ time steps")
    s = _Sketch(WIDTH, height, title)
    s.legend(WIDTH - 0.15, height - 0.45, [("forward", FORWARD)] +
             ([("backward", BACKWARD)] if backward else []))
    left, right = 1.35, WIDTH - 0.45
    spacing = (right - left) / T_x
    w = min(0.75, spacing * 0.5)
    size = 10 if T_x <= 6 else 9
    rows = {"x": 0.75, "cell": 1.75, "y": 2.75, "loss": 3.75}
    a0 = s.box(0.55, rows["cell"], 0.62, 0.5, _m(_at("a", 0)), color=CACHE, size=size)
    previous, cells, outputs, losses = a0, [], [], []
    for t in range(1, T_x + 1):
        x = left + (t - 0.5) * spacing
        x_t = s.box(x, rows["x"], w, 0.45, _m(_at("x", t)), color=CACHE, size=size)
        cell = s.box(x, rows["cell"], w, 0.55, _m(_at("a", t)), color=FORWARD, size=size)
        y_t = s.box(x, rows["y"], w, 0.45, _m(_at(Y_HAT, t)), color=FORWARD, size=size)
        first = t == 1
        s.arrow(previous, cell, label=_m("W_{aa}") if first else None, label_color=INK,
                size=size)
        s.arrow(x_t, cell, label=_m("W_{ax}") if first else None, label_color=INK, size=size)
        s.arrow(cell, y_t, label=_m("W_{ya}") if first else None, label_color=INK, size=size)
        if backward:
            loss = s.box(x, rows["loss"], w, 0.45, _m(_at(LOSS, t)), color=BACKWARD,
                         size=size)
            s.arrow(y_t, loss, offset=0.1)
            s.arrow(loss, y_t, color=BACKWARD, offset=0.1)
            losses.append(loss)
        cells.append(cell)
        outputs.append(y_t)
        previous = cell
    if backward:
        for t in range(T_x, 0, -1):  # each cell's gradient goes down to the one before it
            s.arrow(outputs[t - 1], cells[t - 1], color=BACKWARD, offset=0.12)
            s.arrow(cells[t - 1], cells[t - 2] if t > 1 else a0, color=BACKWARD, offset=0.12)
    shared = ("the same $W_{aa}$, $W_{ax}$, $W_{ya}$, $b_a$, $b_y$ at every step"
              + (f", used {T_x} times" if T_x > 1 else ""))
    s.text(0.15, 0.22, shared, size=10, ha="left", color=CACHE)
    if backward:
        loss_t = f"{_at(LOSS, 't')}({_at(Y_HAT, 't')}, {_at('y', 't')})"
        total = _m(LOSS, "= \\sum_{t=1}^{T_x}", loss_t)
        s.text(WIDTH - 0.15, 0.3, total, size=10, ha="right", color=BACKWARD)
    return s.fig


# -- 2. the basic RNN cell ------------------------------------------------------------------
RNN_EQUATIONS = (
    _m(A_T, "= \\tanh(W_{aa}", A_PREV, "+ W_{ax}", X_T, "+ b_a)"),
    _m(_at(Y_HAT, "t"), "= \\mathrm{softmax}(W_{ya}", A_T, "+ b_y)"),
)


def rnn_cell() -> Figure:
    """One basic RNN cell: a^<t-1> and x^<t> weighted and summed with b_a, tanh, then a^<t>
    out to the next step and through softmax to y^<t>; its two equations beside it."""
    s = _Sketch(WIDTH, 4.0, "One RNN cell")
    y = 1.85
    frame = _frame(s, 1.45, 0.95, 5.45, 3.05, "RNN cell")
    a_prev = s.box(0.65, y, 0.8, 0.5, _m(A_PREV), color=CACHE)
    x_t = s.box(2.45, 0.42, 0.8, 0.45, _m(X_T), color=CACHE)
    total = s.node(2.45, y, 0.22, "$+$", color=FORWARD, size=13)
    bias = s.box(2.45, 2.7, 0.5, 0.36, "$b_a$", color=CACHE, size=10)
    tanh = s.box(3.5, y, 0.7, 0.45, "tanh", color=FORWARD)
    split = _dot(s, 4.55, y)
    softmax = s.box(4.55, 2.7, 1.0, 0.4, "softmax", color=FORWARD, size=10)
    a_t = s.box(6.35, y, 0.75, 0.5, _m(A_T), color=FORWARD)
    y_t = s.box(4.55, 3.55, 0.75, 0.45, _m(_at(Y_HAT, "t")), color=FORWARD)
    s.arrow(a_prev, total, label="$W_{aa}$", label_color=INK, at=0.45)
    s.arrow(x_t, total, label="$W_{ax}$", label_color=INK, side=-1)
    s.arrow(bias, total)
    s.arrow(total, tanh)
    s.arrow(tanh, split)
    s.arrow(split, a_t, label="to step $t+1$", label_color=CACHE, side=-1, size=9, at=0.6)
    s.arrow(split, softmax, label="$W_{ya}, b_y$", label_color=INK, side=-1, size=9)
    s.arrow(softmax, y_t)
    s.text(frame.right, frame.bottom - 0.15, "the same parameters at every step", size=9,
           color=CACHE, ha="right")
    _equations(s, 7.15, 2.3, RNN_EQUATIONS)
    s.text(7.15, 1.45, "$W_{aa}$: $(n_a, n_a)$,  $W_{ax}$: $(n_a, n_x)$", size=9, ha="left",
           color=CACHE)
    s.text(7.15, 1.15, "$W_{ya}$: $(n_y, n_a)$", size=9, ha="left", color=CACHE)
    return s.fig


# -- 3. the LSTM cell -----------------------------------------------------------------------
def _gate(s: _Sketch, x, y, function, name, color=FORWARD) -> _Box:
    """A gate's box: its function (sigma or tanh) over its name."""
    return s.box(x, y, 0.72, 0.62, [(function, CACHE), name], color=color, size=10)


def _times(s: _Sketch, x, y, color=FORWARD) -> _Node:
    return s.node(x, y, 0.17, "$\\times$", color=color, size=11)


def _plus(s: _Sketch, x, y, color=FORWARD) -> _Node:
    return s.node(x, y, 0.17, "$+$", color=color, size=11)


LSTM_EQUATIONS = (
    _m("\\Gamma_f = \\sigma(W_f", CONCAT, "+ b_f)"),
    _m("\\Gamma_i = \\sigma(W_i", CONCAT, "+ b_i)"),
    _m(C_TILDE, "= \\tanh(W_c", CONCAT, "+ b_c)"),
    _m("\\Gamma_o = \\sigma(W_o", CONCAT, "+ b_o)"),
    (_m(C_T, "= \\Gamma_f *", C_PREV, "+ \\Gamma_i *", C_TILDE), ORANGE),
    _m(A_T, "= \\Gamma_o * \\tanh(", C_T, ")"),
)


def lstm_cell() -> Figure:
    """The lecture's LSTM cell: the memory line c^<t-1> -> x forget gate -> + (update gate x
    c~) -> c^<t>; the gates as sigma boxes and c~ as a tanh box, all fed by [a^<t-1>; x^<t>];
    a^<t> = output gate x tanh(c^<t>); the equations beside it."""
    s = _Sketch(WIDTH, 4.6, "An LSTM cell: the memory $c$ runs along the top, the gates decide")
    line = 3.55
    _frame(s, 1.35, 0.35, 6.2, 3.95, "LSTM cell")
    c_prev = s.box(0.6, line, 0.8, 0.5, _m(C_PREV), color=ORANGE)
    forget = _times(s, 1.95, line, ORANGE)
    add = _plus(s, 3.45, line, ORANGE)
    split = _dot(s, 5.0, line, ORANGE)
    c_t = s.box(7.0, line, 0.75, 0.5, _m(C_T), color=ORANGE)
    s.arrow(c_prev, forget, color=ORANGE)
    s.arrow(forget, add, color=ORANGE)
    s.arrow(add, split, color=ORANGE)
    s.arrow(split, c_t, color=ORANGE)
    gates_y = 1.75
    gamma_f = _gate(s, 1.95, gates_y, "$\\sigma$", "$\\Gamma_f$")
    gamma_i = _gate(s, 2.85, gates_y, "$\\sigma$", "$\\Gamma_i$")
    c_tilde = _gate(s, 4.05, gates_y, "tanh", _m(C_TILDE))
    gamma_o = _gate(s, 5.0, gates_y - 0.35, "$\\sigma$", "$\\Gamma_o$")
    update = _times(s, 3.45, 2.65)
    concat = s.box(3.0, 0.72, 1.9, 0.45, _m(CONCAT), color=CACHE, size=10)
    a_prev = s.box(0.6, 1.0, 0.8, 0.45, _m(A_PREV), color=CACHE)
    x_t = s.box(0.6, 0.42, 0.8, 0.45, _m(X_T), color=CACHE)
    s.arrow(a_prev, concat, color=CACHE)
    s.arrow(x_t, concat, color=CACHE)
    for gate in (gamma_f, gamma_i, c_tilde, gamma_o):
        s.arrow(concat, gate, color=CACHE, lw=1.2)
    s.arrow(gamma_f, forget)
    s.arrow(gamma_i, update)
    s.arrow(c_tilde, update)
    s.arrow(update, add)
    squash = s.box(5.0, 2.75, 0.6, 0.36, "tanh", color=FORWARD, size=10)
    out = _times(s, 5.75, 2.1)
    a_t = s.box(7.0, 2.1, 0.75, 0.5, _m(A_T), color=FORWARD)
    s.arrow(split, squash, color=ORANGE)
    s.arrow(squash, out)
    s.arrow(gamma_o, out)
    s.arrow(out, a_t)
    s.text(1.85, 2.65, "forget", size=9, color=CACHE, ha="right")
    s.text(3.7, 2.65, "update", size=9, color=CACHE, ha="left")
    s.text(5.55, 1.0, "output", size=9, color=CACHE)
    _equations(s, 7.55, 3.0 - 0.36 * 0.5, LSTM_EQUATIONS, step=0.34)
    return s.fig


# -- 4. the GRU cell ------------------------------------------------------------------------
GRU_EQUATIONS = (
    _m("\\Gamma_u = \\sigma(W_u", CONCAT, "+ b_u)"),
    _m("\\Gamma_r = \\sigma(W_r", CONCAT, "+ b_r)"),
    _m(C_TILDE, "= \\tanh(W_c[\\Gamma_r *", A_PREV + ";\\ ", X_T + "] + b_c)"),
    (_m(A_T, "= \\Gamma_u *", C_TILDE, "+ (1 - \\Gamma_u) *", A_PREV), ORANGE),
    _m(_at(Y_HAT, "t"), "= \\mathrm{softmax}(W_y", A_T, "+ b_y)"),
)


def gru_cell() -> Figure:
    """The full GRU (c = a): the relevance gate Gamma_r scales a^<t-1> inside c~'s input, and
    the update gate Gamma_u mixes c~ with the old a^<t-1>; the equations beside it."""
    s = _Sketch(WIDTH, 4.6, "A GRU cell (the full GRU, $c = a$): $\\Gamma_u$ mixes the new "
                "$\\tilde{c}$ with the old $a$")
    line = 3.55
    _frame(s, 1.3, 0.35, 6.0, 3.95, "GRU cell")
    a_prev = s.box(0.6, line, 0.8, 0.5, _m(A_PREV), color=ORANGE)
    split = _dot(s, 1.75, line, ORANGE)
    keep = _times(s, 4.2, line, ORANGE)
    add = _plus(s, 5.35, line, ORANGE)
    a_t = s.box(6.85, line, 0.75, 0.5, _m(A_T), color=ORANGE)
    s.arrow(a_prev, split, color=ORANGE)
    s.arrow(split, keep, color=ORANGE)
    s.arrow(keep, add, color=ORANGE)
    s.arrow(add, a_t, color=ORANGE)
    concat = s.box(2.6, 0.72, 1.9, 0.45, _m(CONCAT), color=CACHE, size=10)
    x_t = s.box(0.6, 0.72, 0.8, 0.45, _m(X_T), color=CACHE)
    s.arrow(x_t, concat, color=CACHE)
    s.text(concat.x, concat.bottom - 0.15, f"{_m(A_PREV)} from the top line", size=8,
           color=CACHE)
    gamma_r = _gate(s, 1.75, 1.75, "$\\sigma$", "$\\Gamma_r$")
    gamma_u = _gate(s, 4.2, 1.75, "$\\sigma$", "$\\Gamma_u$")
    s.arrow(concat, gamma_r, color=CACHE, lw=1.2)
    s.arrow(concat, gamma_u, color=CACHE, lw=1.2)
    relevance = _times(s, 1.75, 2.65)
    s.arrow(split, relevance, color=ORANGE)
    s.arrow(gamma_r, relevance)
    inner = s.box(2.95, 2.65, 0.95, 0.42, f"[ · ; {_m(X_T)}]", color=CACHE, size=9)
    s.arrow(relevance, inner)
    s.arrow(concat, inner, color=CACHE, lw=1.2, label=_m(X_T), label_color=CACHE, size=9,
            side=-1, at=0.35)
    c_tilde = _gate(s, 5.35, 1.75, "tanh", _m(C_TILDE))
    one_minus = s.node(4.2, 2.65, 0.24, "$1-$", color=FORWARD, size=10)
    mix = _times(s, 5.35, 2.65)
    s.arrow(gamma_u, one_minus)
    s.arrow(one_minus, keep)
    s.arrow(gamma_u, mix)
    s.arrow(inner, c_tilde)
    s.arrow(c_tilde, mix)
    s.arrow(mix, add)
    s.text(1.2, 2.65, "relevance", size=9, color=CACHE, ha="right")
    s.text(4.2, 1.2, "update", size=9, color=CACHE)
    _equations(s, 7.4, 2.85, GRU_EQUATIONS, step=0.36)
    s.text(7.4, 1.0, "$\\Gamma_u \\approx 0$: $a$ kept as it was", size=9, ha="left",
           color=CACHE)
    s.text(7.4, 0.7, "$\\Gamma_u \\approx 1$: replaced by $\\tilde{c}$", size=9, ha="left",
           color=CACHE)
    return s.fig


# -- 5. the RNN types -----------------------------------------------------------------------
def _chain(s: _Sketch, x0, inputs, outputs, spacing=0.52, w=0.34, y=1.75, size=8):
    """Cells in a row from x0 with a -> arrows between; inputs[k] / outputs[k] are the labels
    of the boxes below / above cell k (None: no box). Returns the cells, inputs and outputs."""
    cells, ins, outs = [], [], []
    for k, (below, above) in enumerate(zip(inputs, outputs)):
        x = x0 + k * spacing
        cell = s.box(x, y, w, w, [], color=FORWARD)
        if cells:
            s.arrow(cells[-1], cell, lw=1.2, head=10)
        cells.append(cell)
        ins.append(None if below is None else s.box(x, y - 0.75, w, 0.32, below, color=CACHE,
                                                     size=size))
        outs.append(None if above is None else s.box(x, y + 0.75, w, 0.32, above,
                                                     color=FORWARD, size=size))
        if below is not None:
            s.arrow(ins[-1], cell, lw=1.2, head=10)
        if above is not None:
            s.arrow(cell, outs[-1], lw=1.2, head=10)
    return cells, ins, outs


def rnn_types() -> Figure:
    """Four small panels: many-to-many with T_x = T_y, many-to-one (sentiment), one-to-many
    (generation: each output fed back as the next input) and many-to-many with T_x != T_y
    (an encoder, then a decoder: translation)."""
    s = _Sketch(WIDTH, 3.9, "The RNN types")
    n = 3
    xs = [_m(_at("x", t)) for t in range(1, n + 1)]
    ys = [_m(_at(Y_HAT, t)) for t in range(1, n + 1)]
    panels = []
    # (a) many-to-many, T_x = T_y
    cells, ins, outs = _chain(s, 0.5, xs, ys)
    panels.append(("many-to-many", f"$T_x = T_y = {len(cells)}$", "named entities",
                   cells))
    # (b) many-to-one
    cells, ins, outs = _chain(s, 2.65, xs, [None] * (n - 1) + [_m(Y_HAT)])
    panels.append(("many-to-one", f"$T_x = {len(cells)}$, one $\\hat{{y}}$",
                   "sentiment: review → stars", cells))
    # (c) one-to-many, each output fed back as the next input
    cells, ins, outs = _chain(s, 4.8, [_m("x")] + [None] * (n - 1), ys, spacing=0.75)
    for k in range(n - 1):
        out, nxt = outs[k], cells[k + 1]
        middle = (out.right + nxt.left) / 2
        _bent(s, [(out.right + 0.03, out.y), (middle, out.y), (middle, nxt.bottom - 0.22),
                  (nxt.x, nxt.bottom - 0.22), (nxt.x, nxt.bottom - 0.03)], color=FORWARD,
              gid="feedback", label=f"y{k + 1} -> cell {k + 2}", dashed=True, lw=1.1)
    panels.append(("one-to-many", f"$T_y = {len(cells)}$, each $\\hat{{y}}$ fed back",
                   "music, names", cells))
    # (d) many-to-many, T_x != T_y: an encoder reads everything, then a decoder writes
    T_x, T_y = 3, 2
    encoder = [_m(_at("x", t)) for t in range(1, T_x + 1)]
    decoder = [_m(_at(Y_HAT, t)) for t in range(1, T_y + 1)]
    cells, ins, outs = _chain(s, 7.55, encoder + [None] * T_y, [None] * T_x + decoder,
                              spacing=0.47)
    split = (cells[T_x - 1].right + cells[T_x].left) / 2
    s.ax.plot([split, split], [cells[0].bottom - 0.65, cells[0].top + 0.65], color=CACHE,
              linestyle=":", linewidth=1, gid="encoder|decoder")
    s.text(cells[0].x + 0.2, 0.6, "encoder", size=8, color=CACHE)
    s.text(cells[-1].x - 0.1, 0.6, "decoder", size=8, color=CACHE)
    panels.append(("many-to-many", f"$T_x = {T_x},\\ T_y = {T_y}$", "translation",
                   cells))
    for name, shape, example, row in panels:
        x = (row[0].left + row[-1].right) / 2
        s.text(x, 3.35, name, size=10, weight="bold")
        s.text(x, 3.05, shape, size=9)
        s.text(x, 0.3, example, size=9, color=CACHE)
    return s.fig


# -- 6. bidirectional and deep RNNs ---------------------------------------------------------
def bidirectional_and_deep(T_x: int = 3, layers: int = 3) -> Figure:
    """(a) A bidirectional RNN: forward activations left to right, backward ones right to left,
    each y^<t> computed from both; (b) a deep RNN of `layers` layers a^[l]<t>."""
    T_x = _steps("T_x", T_x, 1, 4)
    layers = _steps("layers", layers, 1, 3)
    s = _Sketch(WIDTH, 4.4, "(a) A bidirectional RNN")
    s.text(5.55, 4.28, f"(b) A deep RNN of {layers} layer{'s' if layers > 1 else ''}",
           size=12, ha="left", va="top", weight="bold")
    spacing, shift, w = 1.3, 0.27, 0.5
    forward, backward = [], []
    for t in range(1, T_x + 1):
        x = 0.75 + (t - 1) * spacing
        x_t = s.box(x, 0.75, w, 0.38, _m(_at("x", t)), color=CACHE, size=9)
        ahead = s.box(x - shift, 2.45, w, 0.45, _m(_ahead(t)),
                      color=FORWARD, size=9)
        behind = s.box(x + shift, 1.6, w, 0.45, _m(_behind(t)),
                       color=REVERSE, size=9)
        y_t = s.box(x, 3.35, w, 0.38, _m(_at(Y_HAT, t)), color=FORWARD, size=9)
        for cell in (ahead, behind):
            s.arrow(x_t, cell, color=CACHE, lw=1.1, head=10)
            s.arrow(cell, y_t, color=cell is ahead and FORWARD or REVERSE, lw=1.1, head=10)
        if forward:
            s.arrow(forward[-1], ahead, lw=1.3, head=11)
            s.arrow(behind, backward[-1], color=REVERSE, lw=1.3, head=11)
        forward.append(ahead)
        backward.append(behind)
    s.text(0.15, 0.25, _m(_at(Y_HAT, "t"), "= g(W_y[", _ahead("t") + ";\\ ",
                          _behind("t") + "] + b_y)"), size=10, ha="left")
    # (b) the deep RNN: layer l at step t reads a^[l]<t-1> and a^[l-1]<t>
    left = 6.0
    step = min(1.25, (WIDTH - 0.55 - left) / max(T_x - 1, 1))
    rows = [1.45 + 0.8 * l for l in range(layers)]
    grid = {}
    for t in range(1, T_x + 1):
        x = left + (t - 1) * step
        x_t = s.box(x, 0.7, 0.55, 0.38, _m(_at("x", t)), color=CACHE, size=9)
        below = x_t
        for l in range(1, layers + 1):
            cell = s.box(x, rows[l - 1], 0.78, 0.42, _m(f"a^{{[{l}]\\langle {t}\\rangle}}"),
                         color=FORWARD, size=9)
            s.arrow(below, cell, lw=1.1, head=10)
            if (l, t - 1) in grid:
                s.arrow(grid[(l, t - 1)], cell, lw=1.1, head=10)
            grid[(l, t)] = below = cell
        y_t = s.box(x, rows[-1] + 0.78, 0.55, 0.38, _m(_at(Y_HAT, t)), color=FORWARD, size=9)
        s.arrow(below, y_t, lw=1.1, head=10)
    l, t = min(2, layers), T_x
    s.text(5.55, 0.25, _m(f"a^{{[{l}]\\langle {t}\\rangle}} = g(W_a^{{[{l}]}}"
                          f"[a^{{[{l}]\\langle {t - 1}\\rangle}};\\ "
                          f"a^{{[{l - 1}]\\langle {t}\\rangle}}] + b_a^{{[{l}]}})"),
           size=10, ha="left")
    return s.fig


# -- 7. sampling a name ---------------------------------------------------------------------
def _shown(char: str) -> str:
    """A character as a figure draws it: the end of a name as EOS, a space as a visible mark."""
    return {"\n": EOS, " ": SPACE}.get(char, char)


def _characters(chars) -> list[str]:
    chars = list(chars)
    if not 1 <= len(chars) <= 7 or not all(isinstance(c, str) and len(c) == 1 for c in chars):
        raise ValueError(f"chars must be 1 to 7 single characters, got {chars!r}: use e.g. "
                         "chars=('a', 'n', 'n', 'a', '\\n').")
    if "\n" in chars[:-1]:
        raise ValueError("sampling stops at the first '\\n': put '\\n' only as the last of "
                         f"chars, got {chars!r}.")
    return chars


def _distributions(probabilities, vocabulary, chars) -> np.ndarray:
    """The (T, vocab) softmax outputs, checked against chars and the vocabulary."""
    if vocabulary is None:
        raise ValueError("probabilities need their vocabulary: pass vocabulary, a string of "
                         "the characters the columns stand for, e.g. vocabulary='\\nabc...z'.")
    vocabulary = list(vocabulary)
    p = np.asarray(probabilities, dtype=float)
    T, V = len(chars), len(vocabulary)
    if p.shape != (T, V):
        raise ValueError(f"probabilities must have shape (len(chars), len(vocabulary)) = "
                         f"({T}, {V}): one row per sampled character, one column per "
                         f"character of the vocabulary; got shape {p.shape}.")
    if len(set(vocabulary)) != V:
        raise ValueError("vocabulary repeats a character: each column needs its own.")
    missing = [c for c in chars if c not in vocabulary]
    if missing:
        raise ValueError(f"the sampled characters {missing!r} are not in the vocabulary "
                         f"{''.join(vocabulary)!r}: add them, or sample from that vocabulary.")
    _rows_sum_to_one(p, "probabilities", "each step's softmax output")
    return p


def _rows_sum_to_one(p: np.ndarray, name: str, what: str, tol: float = 1e-3) -> None:
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{name} must be finite and non-negative: {what} is a probability "
                         "distribution (a softmax output).")
    sums = p.sum(axis=-1).reshape(-1)
    worst = int(np.argmax(np.abs(sums - 1)))
    if abs(sums[worst] - 1) > tol:
        raise ValueError(f"row {worst} of {name} sums to {sums[worst]:.4g}, not 1: {what} must "
                         "sum to 1; pass softmax outputs, or divide each row by its sum.")


def _top(row: np.ndarray, sampled: int, k: int) -> list[int]:
    """The k most likely indices, the sampled one among them, most likely first."""
    best = [int(i) for i in np.argsort(-row, kind="stable")[:k]]
    if sampled not in best:
        best[-1] = sampled
    return sorted(best, key=lambda i: (-row[i], i))


def sampling(chars=("a", "n", "n", "a", "\n"), probabilities=None, vocabulary=None,
             top: int = 4) -> Figure:
    """Sampling a name one character at a time: each step's softmax output y^<t> (the `top`
    most likely characters as bars when `probabilities` (T, vocab) and `vocabulary` are given,
    else a box), the sampled character, fed back as x^<t+1>, until "\\n" (drawn as EOS)."""
    chars = _characters(chars)
    top = _whole("top", top, 1, 6, "top=4")
    p = None if probabilities is None else _distributions(probabilities, vocabulary, chars)
    T = len(chars)
    name = "".join(c for c in chars if c != "\n")
    stops = chars[-1] == "\n"
    s = _Sketch(WIDTH, 4.5, f"Sampling a name one character at a time: '{name}'"
                + (f", then {EOS} (EOS): stop" if stops else ""))
    column = (WIDTH - 0.3) / T
    rows = {"x": 0.6, "cell": 1.5, "chart": 2.65, "char": 3.7}
    chart_w, chart_h = min(1.25, column - 0.55), 0.95
    scale = None if p is None else max(p[t, _top(p[t], vocabulary.index(c), top)].max()
                                       for t, c in enumerate(chars))
    boxes = []
    previous = None
    for t, char in enumerate(chars, start=1):
        x = 0.15 + (t - 0.5) * column
        fed = "$\\vec{0}$" if t == 1 else f"'{_shown(chars[t - 2])}'"
        x_t = s.box(x, rows["x"], 0.62, 0.62, [_m(_at("x", t)), (fed, FORWARD)], color=CACHE,
                    size=9)
        cell = s.box(x, rows["cell"], 0.62, 0.48, _m(_at("a", t)), color=FORWARD, size=9)
        s.arrow(x_t, cell, lw=1.2, head=11)
        if previous is not None:
            s.arrow(previous, cell, lw=1.2, head=11)
        if p is None:
            output = s.box(x, rows["chart"], 0.9, 0.6, ["softmax", _m(_at(Y_HAT, t))],
                           color=FORWARD, size=9)
        else:
            output = _bars(s, x, rows["chart"], chart_w, chart_h, p[t - 1],
                           _top(p[t - 1], vocabulary.index(char), top), vocabulary, char, t,
                           scale)
        s.arrow(cell, output, lw=1.2, head=11)
        picked = s.box(x, rows["char"], 0.62 if char != "\n" else 0.9, 0.4,
                       f"'{char}'" if char != "\n" else f"{EOS} EOS", color=FORWARD, size=10)
        s.arrow(output, picked, lw=1.2, head=11, label="sample" if t == 1 else None,
                label_color=CACHE, size=8, side=-1)
        boxes.append((x_t, picked))
        previous = cell
    for t in range(1, T):
        picked, x_next = boxes[t - 1][1], boxes[t][0]
        middle = (picked.right + x_next.left) / 2
        _bent(s, [(picked.right + 0.03, picked.y), (middle, picked.y), (middle, x_next.y),
                  (x_next.left - 0.03, x_next.y)], color=FORWARD, gid="feedback",
              label=f"char {t} -> x {t + 1}", dashed=True, lw=1.1)
    s.text(0.15, 0.12, "$x^{\\langle 1\\rangle} = a^{\\langle 0\\rangle} = \\vec{0}$; dashed: "
           "the sampled character is the next input"
           + ("" if p is None else f"; bars: the {top} likeliest characters, or the "
              f"{top - 1} likeliest and the drawn one (blue)")
           + ("" if stops else "; no EOS sampled yet"),
           size=9, ha="left", color=CACHE)
    return s.fig


def _bars(s: _Sketch, x, y, w, h, row, shown, vocabulary, char, t, scale) -> _Box:
    """A small bar chart centred at (x, y): the probabilities row[shown], the sampled
    character's bar filled blue, each labelled below and its value above."""
    s.ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, facecolor="white",
                             edgecolor=FRAME, linewidth=0.8, zorder=1.5, gid="chart",
                             label=f"step {t}"))
    base, tallest = y - h / 2 + 0.2, h - 0.38
    slot = w / len(shown)
    for k, i in enumerate(shown):
        left = x - w / 2 + k * slot + 0.15 * slot
        sampled = vocabulary[i] == char
        s.ax.add_patch(Rectangle((left, base), 0.7 * slot, tallest * row[i] / scale,
                                 facecolor=FORWARD if sampled else FILLS[CACHE],
                                 edgecolor=FORWARD if sampled else CACHE, linewidth=0.8,
                                 zorder=2, gid="bar", label=f"step {t} {vocabulary[i]}"))
        s.text(left + 0.35 * slot, base - 0.1, _shown(vocabulary[i]), size=8,
               color=FORWARD if sampled else INK, weight="bold" if sampled else "normal")
        s.text(left + 0.35 * slot, base + tallest * row[i] / scale + 0.07,
               f"{row[i]:.2f}".lstrip("0") if row[i] < 1 else "1", size=6.5, color=CACHE)
    s.text(x - w / 2 - 0.05, y + h / 2 - 0.1, _m(_at(Y_HAT, t)), size=9, ha="right")
    return _Box(x, y, w, h)


# -- 8. attention ---------------------------------------------------------------------------
def _labels(name: str, value) -> list[str]:
    """A string (one label per character) or a sequence of labels, as the figure shows them."""
    items = list(value) if isinstance(value, str) else [str(v) for v in value]
    if not items:
        raise ValueError(f"{name} is empty: pass one label per position, e.g. a string.")
    return [_shown(v) if len(v) == 1 else v for v in items]


def attention_map(weights, inputs, outputs, title: str | None = None) -> Figure:
    """A heat map of attention weights: one row per output position t, one column per input
    position t', each row summing to 1; the labels are the characters (or words)."""
    cols, rows = _labels("inputs", inputs), _labels("outputs", outputs)
    w = np.asarray(weights, dtype=float)
    if w.shape != (len(rows), len(cols)):
        raise ValueError(f"weights must have shape (len(outputs), len(inputs)) = ({len(rows)}, "
                         f"{len(cols)}): row t holds output t's weights over the inputs; got "
                         f"shape {w.shape}" + (" (transposed?)" if w.shape == (len(cols),
                                                                               len(rows)) else
                                               "") + ".")
    if len(cols) > 40 or len(rows) > 20:
        raise ValueError(f"attention_map draws at most 40 inputs and 20 outputs, got "
                         f"{len(cols)} and {len(rows)}: pass a slice of the weights.")
    _rows_sum_to_one(w, "weights", "each output's attention over the inputs")
    cell = min(0.32, 7.6 / len(cols), 3.6 / len(rows))
    words = max(len(c) for c in cols) > 1
    bottom = 0.95 if not words else 0.5 + 0.08 * max(len(c) for c in cols)
    height = min(6.0, max(3.0, bottom + len(rows) * cell + 0.65))
    s = _Sketch(WIDTH, height, title or "Attention weights $\\alpha^{\\langle t,t'\\rangle}$: "
                "each row sums to 1")
    left = max(1.2, (WIDTH - len(cols) * cell - 1.2) / 2)  # centred, with its colour bar
    ax = s.fig.add_axes((left / WIDTH, bottom / height, len(cols) * cell / WIDTH,
                         len(rows) * cell / height))
    image = ax.imshow(w, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    image.set_gid("attention")
    ax.set_xticks(range(len(cols)), cols, fontsize=9, rotation=90 if words else 0)
    ax.set_yticks(range(len(rows)), rows, fontsize=9)
    ax.tick_params(length=0)
    ax.set_xlabel("input $t'$", fontsize=9)
    ax.set_ylabel("output $t$", fontsize=9)
    bar = s.fig.add_axes(((left + len(cols) * cell + 0.25) / WIDTH, bottom / height,
                          0.15 / WIDTH, len(rows) * cell / height))
    s.fig.colorbar(image, cax=bar).ax.tick_params(labelsize=8)
    bar.set_ylabel("$\\alpha^{\\langle t,t'\\rangle}$", fontsize=9)
    return s.fig


def attention_idea(alphas=(0.1, 0.6, 0.25, 0.05)) -> Figure:
    """The attention model: the encoder's activations a^<t'>, the weights alpha^<t,t'> (one
    per input, summing to 1) and the context c^<t> = sum alpha a^<t'> feeding the decoder state
    s^<t>, with s^<t-1> before it and y^<t> after."""
    alpha = np.asarray(alphas, dtype=float).reshape(-1)
    if not 2 <= alpha.size <= 6:
        raise ValueError(f"alphas are 2 to 6 weights, one per input position, got "
                         f"{alpha.size}: use e.g. alphas=(0.1, 0.6, 0.25, 0.05).")
    _rows_sum_to_one(alpha[None], "alphas", "the weights of one output over the inputs")
    s = _Sketch(WIDTH, 4.4, "Attention: the decoder reads a weighted sum of the encoder's "
                "activations")
    T_x = alpha.size
    spacing = min(1.15, 4.9 / T_x)
    xs = [0.7 + k * spacing for k in range(T_x)]
    centre = (xs[0] + xs[-1]) / 2
    encoder = []
    for k, x in enumerate(xs, start=1):
        x_k = s.box(x, 0.55, 0.55, 0.38, _m(_at("x", k)), color=CACHE, size=9)
        a_k = s.box(x, 1.4, 0.62, 0.56, [_m(_at("a", k)), (f"{alpha[k - 1]:.2f}", ORANGE)],
                    color=FORWARD, size=9)
        s.arrow(x_k, a_k, lw=1.1, head=10)
        if encoder:
            s.arrow(encoder[-1], a_k, lw=1.1, head=10, offset=0.06)
            s.arrow(a_k, encoder[-1], color=REVERSE, lw=1.1, head=10, offset=0.06)
        encoder.append(a_k)
    context = s.node(centre, 2.65, 0.3, _m(_at("c", "t")), color=ORANGE, size=10)
    for a_k, weight in zip(encoder, alpha):
        s.arrow(a_k, context, color=ORANGE, lw=0.8 + 2.5 * weight, head=10)
    state = s.box(centre, 3.6, 0.7, 0.45, _m(_at("s", "t")), color=GREEN, size=10)
    before = s.box(centre - 1.7, 3.6, 0.8, 0.45, _m(_at("s", "t-1")), color=GREEN, size=10)
    y_t = s.box(centre + 1.5, 3.6, 0.7, 0.45, _m(_at(Y_HAT, "t")), color=FORWARD, size=10)
    s.arrow(context, state, color=ORANGE)
    s.arrow(before, state, color=GREEN)
    s.arrow(state, y_t)
    terms = " + ".join(f"{weight:.2f}\\,{_at('a', k)}" for k, weight in enumerate(alpha, 1))
    x = max(xs[-1] + 0.9, 6.0)
    lines = [_m(_at("c", "t"), "= \\sum_{t'}", _at("\\alpha", "t,t'"), _at("a", "t'")),
             _m("=", terms if T_x <= 4 else " + ".join(terms.split(" + ")[:2]) + " + \\dots"),
             _m(_at("\\alpha", "t,t'"), "= \\dfrac{\\exp(e^{\\langle t,t'\\rangle})}"
                "{\\sum_{t''} \\exp(e^{\\langle t,t''\\rangle})}"),
             ("$e^{\\langle t,t'\\rangle}$: a small network of", CACHE),
             (_m(_at("s", "t-1")) + " and " + _m(_at("a", "t'")), CACHE),
             (f"the weights add up to {_number(alpha.sum())}", CACHE)]
    steps = [0.0, 0.4, 0.85, 1.45, 1.75, 2.15]
    for (line, top) in zip(lines, steps):
        words, color = (line, INK) if isinstance(line, str) else line
        s.text(x, 3.1 - top, words, color=color, size=10, ha="left")
    s.text(x, 0.55, "orange: the weights $\\alpha^{\\langle t,t'\\rangle}$, the thicker the "
           "larger", size=9, ha="left", color=ORANGE)
    s.text(centre, 0.12, "encoder: a bidirectional RNN, $a^{\\langle t'\\rangle} = "
           "[a^{\\langle t'\\rangle}_{\\rightarrow};\\ a^{\\langle t'\\rangle}_{\\leftarrow}]$",
           size=9, color=CACHE)
    return s.fig


# -- 9. why gradients vanish through time ---------------------------------------------------
def gradient_paths(T: int = 5, factor: float = 0.6, forget: float = 0.95) -> Figure:
    """The gradient through a plain RNN is a product of T - 1 Jacobians, each about `factor`
    in size, so it shrinks like factor^(T-1); the LSTM's memory line multiplies by Gamma_f at
    each step instead (additive updates), which stays near 1 when the forget gate is open."""
    T = _steps("T", T, 2, 8)
    for name, value in (("factor", factor), ("forget", forget)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not 0 < value <= 2:
            raise ValueError(f"{name} must be a number in (0, 2], got {value!r}: use e.g. "
                             f"{name}=0.6.")
    s = _Sketch(WIDTH, 4.2, "Why gradients vanish through time, and the LSTM's way around")
    spacing = min(1.2, 7.6 / (T - 1))
    xs = [1.6 + k * spacing for k in range(T)]
    rows = {"rnn": 2.85, "lstm": 1.2}
    s.text(0.15, rows["rnn"] + 0.55, "plain RNN", size=10, ha="left", weight="bold")
    s.text(0.15, rows["lstm"] + 0.55, "LSTM memory", size=10, ha="left", weight="bold")
    chains = {}
    for row, name, color in (("rnn", "a", FORWARD), ("lstm", "c", ORANGE)):
        boxes = [s.box(x, rows[row], 0.6, 0.42, _m(_at(name, t)), color=color, size=9)
                 for t, x in enumerate(xs, start=1)]
        for t in range(1, T):
            s.arrow(boxes[t - 1], boxes[t], color=color, lw=1.1, head=10, offset=0.07)
            label = (_m("\\dfrac{\\partial", _at("a", t + 1), "}{\\partial", _at("a", t), "}")
                     if row == "rnn" and T <= 6 and t == 1 else
                     _m("\\Gamma_f") if row == "lstm" else None)
            s.arrow(boxes[t], boxes[t - 1], color=BACKWARD, lw=1.1, head=10, offset=0.07,
                    label=label, label_color=BACKWARD, size=9)
        chains[row] = boxes
    shrink, kept = factor ** (T - 1), forget ** (T - 1)
    s.text(xs[0] - 0.35, rows["rnn"] - 0.75,
           _m("\\dfrac{\\partial", _at("a", T), "}{\\partial", _at("a", 1),
              "} = \\prod_{t=2}^{", str(T), "} \\dfrac{\\partial", _at("a", "t"),
              "}{\\partial", _at("a", "t-1"), "}"), size=10, ha="left")
    s.text(xs[0] + 3.2, rows["rnn"] - 0.75,
           f"each about {_number(factor)}: {_number(factor)}$^{{{T - 1}}}$ = {shrink:.3g}",
           size=10, ha="left", color=BACKWARD)
    s.text(xs[0] - 0.35, rows["lstm"] - 0.6,
           _m(_at("c", "t"), "= \\Gamma_f *", _at("c", "t-1"), "+ \\Gamma_i *", C_TILDE,
              ":\\ \\dfrac{\\partial", _at("c", "t"), "}{\\partial", _at("c", "t-1"),
              "} = \\Gamma_f"), size=10, ha="left")
    s.text(xs[0] + 4.4, rows["lstm"] - 0.6,
           f"$\\Gamma_f$ = {_number(forget)}: {_number(forget)}$^{{{T - 1}}}$ = {kept:.3g}",
           size=10, ha="left", color=BACKWARD)
    s.text(0.15, 0.15, "red: the gradient going back in time; through $\\tanh$ and $W_{aa}$ "
           "it shrinks (or explodes: clip it), along the memory line it can pass unchanged",
           size=9, ha="left", color=CACHE)
    return s.fig
