"""Figures for week 4, practical aspects: dropout, the bias/variance quadrants, gradient descent
and momentum in a ravine, and the batch-norm step, each computed by numpy and drawn by code.

Like `diagrams`, every function returns a detached figure (no pyplot state) 9 inches wide at
dpi 90 that shows as a PNG when left as a cell's value. Plots sit in axes placed in inches on a
`diagrams._Sketch`, whose own texts (titles, captions, the numbers beside a panel) never overlap
them. Random draws use `np.random.default_rng(seed)`, never the global random state.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from course_utils import planar, plots, surfaces
from course_utils.diagrams import CACHE, FORWARD, INK, _Sketch

__all__ = [
    "BIAS_VARIANCE_CASES",
    "DROPOUT_LAYERS",
    "batchnorm_step",
    "bias_variance_quadrants",
    "dropout_masks",
    "dropout_picture",
    "ravine_descent",
    "ravine_verdict",
]

GRADIENT_DESCENT = "#d35400"  # the zig-zagging path; momentum's is FORWARD blue
DROPPED = "#dcdcdc"  # the fill of a dropped unit
DROPOUT_LAYERS = (3, 4, 4, 1)  # units per layer of the dropout picture, input first


def _inset(sketch: _Sketch, left: float, bottom: float, width: float, height: float):
    """Plot axes on a sketch, placed and sized in inches from its bottom left corner."""
    return sketch.fig.add_axes((left / sketch.width, bottom / sketch.height,
                                width / sketch.width, height / sketch.height))


def _ticks_inside(ax) -> None:
    """Keeps only the ticks inside the axes' limits, so no tick label hides beyond them."""
    for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        low, high = sorted(limits)
        for minor in (False, True):
            ticks = axis.get_ticklocs(minor=minor)
            axis.set_ticks([tick for tick in ticks if low <= tick <= high], minor=minor)


def _check_number(name: str, value, low: float, high: float, low_open: bool, high_open: bool,
                  example: str) -> float:
    """`value` as a float inside the interval, or an error saying what to pass instead."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a number, got {value!r}: use e.g. {example}.")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}, got {value}: use e.g. {example}.")
    return float(value)


# -- dropout --------------------------------------------------------------------------------
def dropout_masks(keep_prob: float = 0.5, seed: int = 8, layers=DROPOUT_LAYERS) -> list:
    """One inverted-dropout draw for the hidden layers of `layers`: a boolean mask per hidden
    layer, `rng.random(n) < keep_prob` from `np.random.default_rng(seed)`, True = kept."""
    keep_prob = _check_number("keep_prob", keep_prob, 0, 1, True, False, "keep_prob=0.5")
    rng = np.random.default_rng(seed)
    return [rng.random(n) < keep_prob for n in layers[1:-1]]


def _unit_name(layer: int, k: int, last: int) -> str:
    if layer == 0:
        return f"$x_{k}$"
    if layer == last:
        return "$\\hat{y}$"
    return f"$a^{{[{layer}]}}_{k}$"


def _network(s: _Sketch, left: float, masks, label: str) -> None:
    """The dropout picture's net with its left column at x = left; masks None: all kept."""
    spacing, top, column_gap = 0.62, 3.3, 1.12
    last = len(DROPOUT_LAYERS) - 1
    columns = []
    for layer, count in enumerate(DROPOUT_LAYERS):
        kept = np.ones(count, bool) if masks is None or layer in (0, last) else masks[layer - 1]
        x = left + layer * column_gap
        units = []
        for k in range(count):
            y = top - (max(DROPOUT_LAYERS) - count) * spacing / 2 - k * spacing
            if kept[k]:
                color = INK if layer == 0 else FORWARD
                units.append(s.node(x, y, 0.25, _unit_name(layer, k + 1, last), color=color,
                                    size=9))
                continue
            s.node(x, y, 0.25, _unit_name(layer, k + 1, last), color=CACHE, fill=DROPPED, size=9)
            for sign in (1, -1):  # a cross over the dropped unit
                s.ax.add_line(Line2D([x - 0.17, x + 0.17], [y - 0.17 * sign, y + 0.17 * sign],
                                     color=CACHE, linewidth=1.6, zorder=5, gid="cross"))
            units.append(None)
        columns.append(units)
    for before, after in zip(columns, columns[1:]):
        for start in before:
            for end in after:
                if start is not None and end is not None:
                    s.arrow(start, end, color=FORWARD, lw=0.8, head=7, gap=0.02)
    s.text(left + last * column_gap / 2, 3.85, label, size=11, weight="bold")


def dropout_picture(keep_prob: float = 0.5, seed: int = 8) -> Figure:
    """A small net drawn whole, then as one inverted-dropout sample: each hidden unit is kept
    with probability keep_prob (the draw of `dropout_masks`), a dropped unit is greyed and
    crossed out and its edges removed, and the survivors are scaled by 1 / keep_prob."""
    masks = dropout_masks(keep_prob, seed)
    s = _Sketch(9, 4.5, "Inverted dropout: every example, every iteration, trains a thinned "
                "network")
    _network(s, 0.55, None, "the full network")
    _network(s, 5.15, masks, f"one sample with keep_prob = {keep_prob:g}")
    for layer, mask in enumerate(masks, start=1):
        x = 5.15 + layer * 1.12
        s.text(x, 1.02, f"{mask.sum()} of {mask.size} kept", size=9, color=CACHE)
    s.ax.plot([4.58, 4.58], [1.0, 3.95], color=CACHE, linewidth=0.8, linestyle=":")
    scale = 1 / keep_prob
    s.text(0.15, 0.6, "Masks $d^{[l]} = $ (rand $<$ keep_prob), new per example and "
           "iteration, in the hidden layers only: $x$ and $\\hat{y}$ are never dropped.",
           size=10, ha="left")
    s.text(0.15, 0.25, f"Survivors are scaled: $a^{{[l]}} = a^{{[l]}} \\ast d^{{[l]}}$ / keep_prob"
           f" (here $\\times${scale:.3g}), so the expected $z^{{[l+1]}}$ stays what it was.",
           size=10, ha="left")
    return s.fig


# -- bias and variance ----------------------------------------------------------------------
# (name, train error %, dev error %, what the boundary does, the recipe): the lecture's numbers
BIAS_VARIANCE_CASES = (
    ("high bias", 15, 16, "a line: misses the curve", "bigger network, train longer"),
    ("high variance", 1, 11, "wraps around every point", "more data, regularization"),
    ("high bias, high variance", 15, 30, "a line bent to a few points", "fix the bias first"),
    ("just right", 0.5, 1, "the curve, not the noise", "nothing to fix"),
)


def _linear_scores(X, Y):
    """A least-squares line separating the classes: score(points) > 0 means class 1."""
    design = np.vstack([X, np.ones(X.shape[1])]).T
    weights, *_ = np.linalg.lstsq(design, 2 * Y.ravel() - 1, rcond=None)
    return lambda points: weights[:2] @ points + weights[2]


def _nearest_label(X, Y):
    """1-nearest neighbour: each point takes the label of the closest training point."""
    def predict(points):
        squared = ((points[:, :, None] - X[:, None, :]) ** 2).sum(axis=0)
        return Y.ravel()[np.argmin(squared, axis=1)]
    return predict


def _kernel_vote(X, Y, width):
    """A Gaussian-kernel vote of the training labels: the fraction of class 1 nearby."""
    def predict(points):
        squared = ((points[:, :, None] - X[:, None, :]) ** 2).sum(axis=0)
        weights = np.exp(-squared / (2 * width**2))
        return weights @ Y.ravel() / weights.sum(axis=1)
    return predict


def _bent_line(X, Y, every, width):
    """The least-squares line, bent by a bump around every `every`-th training point it gets
    wrong (in order of distance): still a line (bias), now fitted to single points (variance)."""
    line = _linear_scores(X, Y)
    scores, labels = line(X), Y.ravel()
    wrong = np.flatnonzero((scores > 0) != (labels > 0.5))
    chosen = wrong[np.argsort(np.abs(scores[wrong]))][::every]
    centres, heights = X[:, chosen], (2 * labels[chosen] - 1) * (np.abs(scores[chosen]) + 0.4)

    def predict(points):
        squared = ((points[:, :, None] - centres[:, None, :]) ** 2).sum(axis=0)
        return np.clip(0.5 + line(points) + np.exp(-squared / (2 * width**2)) @ heights, 0, 1)
    return predict


def _boundary_line(ax, model, resolution: int = 160) -> None:
    """The line where `model` crosses 0.5, over the axes' limits, in ink."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    values = np.asarray(model(np.vstack([xx.ravel(), yy.ravel()])), float).reshape(xx.shape)
    ax.contour(xx, yy, values, levels=[0.5], colors=INK, linewidths=1.0).set_gid("boundary")


def bias_variance_quadrants(seed: int = 3) -> Figure:
    """The four cases of the lecture, each a decision boundary fitted by numpy to the same
    seeded 2-D moons and its train and dev error (the lecture's cat-classifier numbers)."""
    X, Y = planar.make_moons(m=160, noise=0.28, seed=seed)
    line = _linear_scores(X, Y)
    models = [lambda points: np.clip(0.5 + line(points), 0, 1), _nearest_label(X, Y),
              _bent_line(X, Y, every=3, width=0.35), _kernel_vote(X, Y, width=0.5)]
    s = _Sketch(9, 5.6, "Bias and variance: read them from the train and the dev error")
    panel_w, panel_h = 2.1, 1.95
    for k, ((name, train, dev, shape, recipe), model) in enumerate(zip(BIAS_VARIANCE_CASES,
                                                                       models)):
        left = 0.2 + (k % 2) * 4.5
        bottom = 2.95 if k < 2 else 0.65
        ax = _inset(s, left, bottom, panel_w, panel_h)
        plots.decision_boundary(ax, model, X, Y, resolution=160, margin=0.4)
        _boundary_line(ax, model)
        x, top = left + panel_w + 0.12, bottom + panel_h
        s.text(x, top - 0.1, name, size=11, ha="left", weight="bold")
        s.text(x, top - 0.47, f"train error {train:g}%", size=11, ha="left")
        s.text(x, top - 0.77, f"dev error {dev:g}%", size=11, ha="left")
        s.text(x, top - 1.25, shape, size=9, ha="left", color=CACHE)
        s.text(x, top - 1.55, f"→ {recipe}", size=9, ha="left", color=FORWARD)
    s.text(0.15, 0.34, "Errors: the lecture's cat classifier's, not these boundaries' own (human "
           "error about 0%). Boundaries, fitted to the same 160 points:", size=9, ha="left")
    s.text(0.15, 0.12, "a least-squares line, 1-nearest neighbour, the line bent around every "
           "third point it gets wrong, a Gaussian-kernel vote.", size=9, ha="left")
    return s.fig


# -- gradient descent and momentum in a ravine ----------------------------------------------
def _descend(grad, start, learning_rate: float, beta: float, steps: int) -> np.ndarray:
    """The points visited by the course's momentum, v = beta v + (1 - beta) dw, w = w - alpha v,
    from `start` (beta = 0 is plain gradient descent): shape (steps + 1, 2)."""
    w = np.asarray(start, dtype=float)
    velocity = np.zeros_like(w)
    path = [w]
    for _ in range(steps):
        velocity = beta * velocity + (1 - beta) * grad(w)
        w = w - learning_rate * velocity
        path.append(w)
    return np.array(path)


def _overtakes(behind, ahead) -> int | None:
    """The first iteration from which `ahead` stays strictly below `behind`, or None."""
    below = ahead < behind
    if below.all():
        return 0
    last_not_below = len(below) - 1 - int(np.argmin(below[::-1]))
    return last_not_below + 1 if last_not_below + 1 < len(below) else None


def _iterations(first: int, last: int) -> str:
    return f"iteration {first}" if first == last else f"iterations {first}–{last}"


def ravine_verdict(plain, momentum) -> list[str]:
    """The caption's two lines, from the losses of gradient descent and of momentum per
    iteration (0 first, the same start): the iterations at the start where momentum's loss is
    below, how often it is above until it stays below, from when on it stays below, and both
    final losses."""
    plain, momentum = np.asarray(plain, dtype=float), np.asarray(momentum, dtype=float)
    steps = len(plain) - 1
    below = momentum[1:] < plain[1:]  # iterations 1 .. steps
    lead = steps if below.all() else int(np.argmin(below))  # below at iterations 1 .. lead
    after = f"After {steps} steps" if steps > 1 else "After 1 step"
    finals = f"{after}: gradient descent {plain[-1]:.3g}, momentum {momentum[-1]:.3g}."
    if lead == steps:
        every = f"every iteration from 1 to {steps}" if steps > 1 else "iteration 1"
        return [f"Momentum's loss is below gradient descent's at {every}.", finals]
    stays = _overtakes(plain[1:], momentum[1:])
    since = None if stays is None else stays + 1  # below from iteration `since` on
    parts = [f"below gradient descent's at {_iterations(1, lead)}"] if lead else []
    first, last = lead + 1, steps if since is None else since - 1
    above = int(np.sum(momentum[first:last + 1] > plain[first:last + 1]))
    count = last - first + 1
    at = _iterations(first, last) if above == count else \
        f"{above} of the {count} {_iterations(first, last)}"
    subject = "it" if parts else "gradient descent's"
    parts.append(f"above {subject} at {at}")
    if since is None:
        return [f"Momentum's loss is {' and '.join(parts)}.", finals]
    return [f"Momentum's loss is {' and '.join(parts)};",
            f"from iteration {since} on it stays below. {finals}"]


def ravine_descent(steps: int = 60, learning_rate: float = 0.95, beta: float = 0.9) -> Figure:
    """Contours of `surfaces.ravine` with the paths of gradient descent and of momentum from the
    same start with the same learning rate, both losses per iteration, and from which
    iteration on momentum's loss stays below gradient descent's."""
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not \
            1 <= steps <= 500:
        raise ValueError(f"steps must be a whole number from 1 to 500, got {steps!r}: use e.g. "
                         "steps=60.")
    across = surfaces.RAVINE_CURVATURES[1]
    learning_rate = _check_number("learning_rate", learning_rate, 0, 2 / across, True, True,
                                  "learning_rate=0.95 (gradient descent diverges on this ravine "
                                  f"from 2 / {across:g} = {2 / across:g} on)")
    beta = _check_number("beta", beta, 0, 1, False, True, "beta=0.9")
    surface = surfaces.SURFACES["ravine"]
    plain = _descend(surface.grad, surface.start, learning_rate, 0.0, steps)
    momentum = _descend(surface.grad, surface.start, learning_rate, beta, steps)
    losses = [surface.loss(path.T) for path in (plain, momentum)]
    zigzags = learning_rate * across > 1  # each step overshoots the floor of the ravine
    s = _Sketch(9, 4.9, "A ravine: gradient descent zig-zags across it, momentum averages the "
                "zig-zag out" if zigzags else "A ravine: gradient descent and momentum from the "
                "same start")
    contour_ax = _inset(s, 0.55, 1.6, 5.6, 2.65)
    W1, W2, J = surfaces.grid(surface, resolution=200)
    contour_ax.contour(W1, W2, J, levels=np.geomspace(0.02, J.max(), 12), colors=CACHE,
                       linewidths=0.7)
    contour_ax.plot(*surface.minimum, marker="*", markersize=11, color=INK, linestyle="none")
    loss_ax = _inset(s, 7.0, 1.6, 1.85, 2.65)
    lines = [(plain, losses[0], GRADIENT_DESCENT, "gradient descent"),
             (momentum, losses[1], FORWARD, f"momentum, $\\beta$ = {beta:g}")]
    for path, loss, color, label in lines:
        contour_ax.plot(path[:, 0], path[:, 1], color=color, linewidth=1.4, marker="o",
                        markersize=2.5, label=label, gid="path")
        loss_ax.semilogy(np.arange(steps + 1), loss, color=color, linewidth=1.4, label=label,
                         gid="loss")
    w1_min, w1_max, w2_min, w2_max = surface.extent
    contour_ax.set_xlim(w1_min, w1_max)
    contour_ax.set_ylim(w2_min, w2_max)
    contour_ax.set_xlabel("$w_1$ (along the ravine)", fontsize=9, labelpad=1)
    contour_ax.set_ylabel("$w_2$ (across)", fontsize=9, labelpad=1)
    contour_ax.legend(loc="upper right", fontsize=9, framealpha=0.9)
    loss_ax.set_title("loss $J(w)$", fontsize=10)
    loss_ax.set_xlabel("iteration", fontsize=9, labelpad=1)
    for ax in (contour_ax, loss_ax):
        ax.tick_params(labelsize=8)
        _ticks_inside(ax)
    a, b = surfaces.RAVINE_CURVATURES
    s.text(0.15, 0.85, f"$J = ({a:g}\\,w_1^2 + {b:g}\\,w_2^2)\\,/\\,2$ from {surface.start}, "
           f"{steps} steps of $\\alpha$ = {learning_rate:g} each;  momentum: "
           "$v = \\beta v + (1 - \\beta)\\,dw$,  $w = w - \\alpha v$,  $v$ starts at 0",
           size=10, ha="left")
    for y, line in zip((0.5, 0.2), ravine_verdict(*losses)):
        s.text(0.15, y, line, size=10, ha="left")
    return s.fig


# -- batch normalization --------------------------------------------------------------------
def _spread(ax, values, color) -> None:
    """A cross at the mean of (2, m) values and a dashed box of one standard deviation."""
    mean, std = values.mean(axis=1), values.std(axis=1)
    ax.add_patch(Rectangle(tuple(mean - std), *(2 * std), fill=False, edgecolor=color,
                           linestyle="--", linewidth=1.0, gid="spread"))
    ax.plot(*mean, marker="+", markersize=12, markeredgewidth=1.8, color=INK, gid="mean")


def _pair(values) -> str:
    """Two numbers as '(1.00, -2.00)', with no '-0.00'."""
    first, second = (round(float(v), 2) + 0.0 for v in values)
    return f"({first:.2f}, {second:.2f})"


def batchnorm_step(seed: int = 0, gamma=(1.5, 0.5), beta=(1.0, -2.0), m: int = 64) -> Figure:
    """The batch-norm step on two units' Z over a mini-batch of m examples, drawn as 2-D points:
    as computed, normalized to mean 0 and variance 1 per unit, then scaled by gamma and shifted
    by beta. The numbers under each panel are measured on the points drawn."""
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or not 2 <= m <= 1000:
        raise ValueError(f"m must be a whole number of examples from 2 to 1000, got {m!r}: use "
                         "e.g. m=64.")
    gamma, beta = (np.asarray(v, dtype=float) for v in (gamma, beta))
    if gamma.size != 2 or beta.size != 2:
        raise ValueError(f"gamma and beta hold one number per unit, two each, got gamma "
                         f"{gamma.tolist()} and beta {beta.tolist()}: use e.g. gamma=(1.5, 0.5), "
                         "beta=(1.0, -2.0).")
    gamma, beta = gamma.reshape(2, 1), beta.reshape(2, 1)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((2, m))
    Z = np.array([[3.5], [1.0]]) + np.array([[1.6, 0.0], [0.2, 0.35]]) @ noise
    mu = Z.mean(axis=1, keepdims=True)
    var = Z.var(axis=1, keepdims=True)  # the biased variance, 1/m, as in the lecture
    Z_norm = (Z - mu) / np.sqrt(var + 1e-8)
    Z_tilde = gamma * Z_norm + beta
    stages = [
        (Z, "$z^{(i)}$, $i = 1 \\ldots m$, as computed", CACHE),
        (Z_norm, "$z_{norm}^{(i)} = \\dfrac{z^{(i)} - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}}$",
         FORWARD),
        (Z_tilde, "$\\tilde{z}^{(i)} = \\gamma\\, z_{norm}^{(i)} + \\beta$", FORWARD),
    ]
    everything = np.hstack([Z, Z_norm, Z_tilde])
    low, high = everything.min(axis=1) - 0.6, everything.max(axis=1) + 0.6
    width = 2.45
    # as tall as the points need for about equal scales, in tenths of an inch (whole pixels)
    height = round(float(np.clip(width * (high[1] - low[1]) / (high[0] - low[0]), 1.4, 2.4)), 1)
    s = _Sketch(9, 2.6 + height, f"Batch norm on a mini-batch of {m}: normalize each unit, "
                "then scale and shift")
    for k, (values, title, color) in enumerate(stages):
        left = 0.5 + k * 2.95
        ax = _inset(s, left, 1.55, width, height)
        ax.scatter(values[0], values[1], s=10, color=color, alpha=0.8, gid="batch")
        _spread(ax, values, color)
        ax.set_xlim(low[0], high[0])
        ax.set_ylim(low[1], high[1])
        ax.axhline(0, color=CACHE, linewidth=0.5, zorder=0)
        ax.axvline(0, color=CACHE, linewidth=0.5, zorder=0)
        ax.set_title(title, fontsize=10, pad=4)
        ax.set_xlabel("$z_1$", fontsize=9, labelpad=1)
        ax.set_ylabel("$z_2$", fontsize=9, labelpad=0)
        ax.tick_params(labelsize=8)
        _ticks_inside(ax)
        mean, variance = _pair(values.mean(axis=1)), _pair(values.var(axis=1))
        s.text(left + width / 2, 0.84, f"mean {mean}", size=9)
        s.text(left + width / 2, 0.6, f"variance {variance}", size=9)
    s.text(0.15, 0.42, "+: the mean;  dashed box: one standard deviation either side", size=9,
           ha="left", color=CACHE)
    g, b = gamma.ravel(), beta.ravel()
    s.text(0.15, 0.2, f"$\\mu$, $\\sigma^2$: the mini-batch's mean and variance per unit;  "
           f"$\\gamma$ = ({g[0]:g}, {g[1]:g}), $\\beta$ = ({b[0]:g}, {b[1]:g}) are learned: "
           "$\\gamma = \\sqrt{\\sigma^2 + \\varepsilon}$, $\\beta = \\mu$ would undo the step",
           size=9, ha="left")
    return s.fig
