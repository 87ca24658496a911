"""Week 4's figures: what each one draws (read back from the figure: units, masks, errors,
paths, points), the layout checks of the lecture diagrams, and that figures leak nowhere."""

from __future__ import annotations

import gc
import re
import weakref
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from course_utils import diagrams_practical as practical
from course_utils import planar, surfaces
from course_utils.diagrams import CACHE, FORWARD
from tests import test_diagrams as layout
from tests.test_diagrams import overlap, patches, plain, strings, texts

FIGURES = {
    "dropout_picture": practical.dropout_picture,
    "dropout_picture(0.8)": lambda: practical.dropout_picture(keep_prob=0.8, seed=1),
    "bias_variance_quadrants": practical.bias_variance_quadrants,
    "ravine_descent": practical.ravine_descent,
    "ravine_descent(0.3)": lambda: practical.ravine_descent(steps=30, learning_rate=0.3),
    "batchnorm_step": practical.batchnorm_step,
}


@pytest.fixture(scope="module", params=sorted(FIGURES))
def drawn(request):
    fig = FIGURES[request.param]()
    fig.canvas.draw()
    return request.param, fig


def insets(fig) -> list:
    """The plot axes placed on the sketch (the sketch's own axes comes first)."""
    return fig.axes[1:]


def by_gid(ax, gid: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == gid]


# -- the lecture diagrams' layout checks, on every figure -----------------------------------
def test_a_figure_is_detached_at_notebook_width(drawn):
    layout.test_a_diagram_is_a_detached_figure_at_notebook_width(drawn)


def test_every_text_stays_inside_the_canvas(drawn):
    layout.test_every_text_and_shape_stays_inside_the_canvas(drawn)


def test_no_two_texts_overlap(drawn):
    layout.test_no_two_texts_overlap(drawn)


def test_it_renders_to_a_png_with_something_on_it(drawn):
    layout.test_it_renders_to_a_png_with_something_on_it(drawn)


def test_no_title_caption_or_number_runs_into_a_plot(drawn):
    name, fig = drawn
    renderer = fig.canvas.get_renderer()
    sketch_texts = [t for t in texts(fig) if t.axes is fig.axes[0]]
    clashes = [(t.get_text(), k) for t in sketch_texts for k, ax in enumerate(insets(fig))
               if overlap(t.get_window_extent(renderer), ax.get_tightbbox(renderer)) > 1]
    assert not clashes, f"{name}: texts on top of a plot: {clashes}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_is_freed_when_dropped_and_never_reaches_pyplot(name):
    before = plt.get_fignums()
    fig = FIGURES[name]()
    fig._repr_png_()
    assert fig.canvas.manager is None and plt.get_fignums() == before
    freed = weakref.ref(fig)
    del fig
    gc.collect()
    assert freed() is None, f"{name}: something still holds the figure"


# -- dropout --------------------------------------------------------------------------------
def dropout_units(fig):
    """(x, y, dropped) of every unit drawn, left to right."""
    units = []
    for node in patches(fig, "node"):
        x, y = node.center
        units.append((round(x, 2), round(y, 2), to_hex(node.get_facecolor()) == practical.DROPPED))
    return sorted(units)


@pytest.mark.parametrize(("keep_prob", "seed"), [(0.5, 8), (0.8, 1), (0.3, 4), (1.0, 0)])
def test_dropout_drops_only_hidden_units_as_drawn_by_keep_prob(keep_prob, seed):
    fig = practical.dropout_picture(keep_prob=keep_prob, seed=seed)
    rng = np.random.default_rng(seed)
    layers = practical.DROPOUT_LAYERS
    masks = [rng.random(n) < keep_prob for n in layers[1:-1]]
    for mask, drawn_mask in zip(masks, practical.dropout_masks(keep_prob, seed)):
        np.testing.assert_array_equal(mask, drawn_mask)
    units = dropout_units(fig)
    assert len(units) == 2 * sum(layers)
    columns = sorted({x for x, _, _ in units})
    assert len(columns) == 2 * len(layers)
    full, sample = columns[:len(layers)], columns[len(layers):]
    dropped = Counter(x for x, _, gone in units if gone)
    assert not set(dropped) & set(full), "the full network must drop nothing"
    assert not set(dropped) & {sample[0], sample[-1]}, "inputs and output are never dropped"
    for x, mask in zip(sample[1:-1], masks):
        assert dropped[x] == (~mask).sum()
        # top to bottom in the column, the dropped units are those the mask drops
        column = [gone for ux, _, gone in sorted(units, key=lambda u: -u[1]) if ux == x]
        assert column == list(~mask)
    assert len(by_gid(fig.axes[0], "cross")) == 2 * sum((~m).sum() for m in masks)
    kept = [int(m.sum()) for m in masks]
    edges = [a * b for a, b in zip(layers, layers[1:])]
    sample_edges = [layers[0] * kept[0], kept[0] * kept[1], kept[1] * layers[-1]]
    assert len(patches(fig, "arrow")) == sum(edges) + sum(sample_edges)
    shown = strings(fig)
    for mask in masks:
        assert plain(f"{mask.sum()} of {mask.size} kept") in shown


def test_no_edge_touches_a_dropped_unit():
    fig = practical.dropout_picture()
    fig.canvas.draw()
    layout.test_every_arrow_starts_and_ends_at_a_shape_edge(("dropout", fig))
    layout.test_no_arrow_crosses_a_shape_or_a_text(("dropout", fig))
    layout.test_no_two_shapes_overlap(("dropout", fig))
    layout.test_a_text_is_inside_its_shape_or_clear_of_every_shape(("dropout", fig))
    renderer = fig.canvas.get_renderer()
    dropped = [node.get_window_extent(renderer) for node in patches(fig, "node")
               if to_hex(node.get_facecolor()) == practical.DROPPED]
    assert dropped
    for tail, tip in layout.arrow_ends(fig):
        for end in (tail, tip):
            for box in dropped:
                centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
                assert np.linalg.norm(end - centre) > box.width / 2 + 6, "an edge of a dropout"


def test_dropout_caption_names_keep_prob_and_the_scaling_of_survivors():
    for keep_prob, scale in [(0.5, "2"), (0.8, "1.25")]:
        fig = practical.dropout_picture(keep_prob=keep_prob)
        fig.canvas.draw()
        words = " ".join(t.get_text() for t in texts(fig))
        assert f"keep_prob = {keep_prob:g}" in words
        assert f"$\\times${scale})" in words and "/ keep_prob" in words
        assert "hidden layers only" in words


def test_dropout_refuses_a_keep_prob_outside_0_to_1():
    for bad in (0, 1.2, -0.5):
        with pytest.raises(ValueError, match="keep_prob must lie in"):
            practical.dropout_picture(keep_prob=bad)


# -- bias and variance ----------------------------------------------------------------------
def test_the_quadrants_print_the_lectures_errors_and_name_each_case():
    cases = {name: (train, dev) for name, train, dev, *_ in practical.BIAS_VARIANCE_CASES}
    assert cases == {"high bias": (15, 16), "high variance": (1, 11),
                     "high bias, high variance": (15, 30), "just right": (0.5, 1)}
    fig = practical.bias_variance_quadrants()
    fig.canvas.draw()
    shown = [t.get_text() for t in texts(fig)]
    for name, (train, dev) in cases.items():
        assert name in shown
        assert f"train error {train:g}%" in shown and f"dev error {dev:g}%" in shown
        # the name follows from the numbers, human error being about 0%
        high_bias, high_variance = train >= 5, dev - train >= 5
        expected = {(True, False): "high bias", (False, True): "high variance",
                    (True, True): "high bias, high variance", (False, False): "just right"}
        assert expected[(high_bias, high_variance)] == name
    assert sum("%" in s for s in shown) == 2 * len(cases) + 1  # and the caption's 0%


def boundary_segments(ax) -> list[np.ndarray]:
    (contour,) = by_gid(ax, "boundary")
    return [segment for path in contour.get_paths()
            for segment in path.to_polygons(closed_only=False)]


def length(segments) -> float:
    return sum(np.linalg.norm(np.diff(s, axis=0), axis=1).sum() for s in segments)


def test_each_quadrant_fits_its_boundary_to_the_same_seeded_points():
    fig = practical.bias_variance_quadrants()
    fig.canvas.draw()
    axes = insets(fig)
    assert len(axes) == 4
    X, _ = planar.make_moons(m=160, noise=0.28, seed=3)
    for ax in axes:
        (points,) = [c for c in ax.collections if c.get_offsets().shape == (160, 2)]
        np.testing.assert_allclose(points.get_offsets(), X.T)
    bias, variance, both, right = (boundary_segments(ax) for ax in axes)
    (line,) = bias
    fit = np.polyfit(line[:, 0], line[:, 1], 1)
    off = np.abs(np.polyval(fit, line[:, 0]) - line[:, 1]).max()
    assert off < 1e-6, f"the high-bias boundary must be a straight line: {off:.2g} off"
    assert length(variance) > 1.5 * length(right) > 1.5 * length(bias)
    assert length(bias) < length(both) < length(variance)


# -- gradient descent and momentum in a ravine ----------------------------------------------
def paths_and_losses(fig):
    contour_ax, loss_ax = insets(fig)
    paths = {line.get_label(): line.get_xydata() for line in by_gid(contour_ax, "path")}
    losses = {line.get_label(): line.get_ydata() for line in by_gid(loss_ax, "loss")}
    return paths, losses


def course_momentum(start, learning_rate, beta, steps) -> np.ndarray:
    w, v, path = np.array(start, float), np.zeros(2), []
    path.append(w)
    for _ in range(steps):
        v = beta * v + (1 - beta) * surfaces.ravine_grad(w)
        w = w - learning_rate * v
        path.append(w)
    return np.array(path)


def flips(path) -> int:
    """How often a path crosses the ravine's floor, w2 = 0."""
    return int((np.diff(np.sign(path[:, 1])) != 0).sum())


def test_gradient_descent_zig_zags_and_momentum_ends_lower_from_the_same_start():
    steps, rate, beta = 60, 0.95, 0.9
    fig = practical.ravine_descent(steps=steps, learning_rate=rate, beta=beta)
    fig.canvas.draw()
    paths, losses = paths_and_losses(fig)
    plain_path, momentum = paths["gradient descent"], paths["momentum, $\\beta$ = 0.9"]
    start = surfaces.SURFACES["ravine"].start
    np.testing.assert_allclose(plain_path, course_momentum(start, rate, 0.0, steps))
    np.testing.assert_allclose(momentum, course_momentum(start, rate, beta, steps))
    assert flips(plain_path) == steps, "gradient descent crosses the ravine's floor every step"
    assert flips(momentum) <= steps // 5, "momentum sways slowly instead"
    for label, path in paths.items():
        np.testing.assert_allclose(losses[label], surfaces.ravine(path.T))
    assert losses["momentum, $\\beta$ = 0.9"][-1] < 0.5 * losses["gradient descent"][-1]
    assert momentum[-1, 0] > plain_path[-1, 0], "momentum gets further along the ravine"
    assert "zig-zags" in " ".join(t.get_text() for t in texts(fig))


def caption(fig) -> str:
    return " ".join(t.get_text() for t in texts(fig) if t.get_text().startswith(
        ("Momentum's loss", "from iteration", "After ")))


def test_the_ravine_caption_says_what_the_drawn_losses_do():
    fig = practical.ravine_descent()
    _, losses = paths_and_losses(fig)
    plain, momentum = losses["gradient descent"], losses["momentum, $\\beta$ = 0.9"]
    below = momentum < plain
    lead = next(k for k in range(1, len(below)) if not below[k]) - 1
    since = next(k for k in range(len(below)) if below[k:].all())
    above = int(np.sum(momentum[lead + 1:since] > plain[lead + 1:since]))
    assert (lead, since, above) == (4, 43, 36), "the figure of issue 11, measured"
    shown = caption(fig)
    assert f"below gradient descent's at iterations 1–{lead} and above it at {above} of the " \
        f"{since - lead - 1} iterations {lead + 1}–{since - 1};" in shown
    assert f"from iteration {since} on it stays below." in shown
    numbers = re.search(r"After 60 steps: gradient descent (\S+), momentum (\S+)\.", shown)
    assert numbers, shown
    assert numbers.groups() == (f"{plain[-1]:.3g}", f"{momentum[-1]:.3g}")
    assert float(numbers[1]) == pytest.approx(0.0155, abs=5e-5)
    assert float(numbers[2]) == pytest.approx(0.00193, abs=5e-6)
    assert "starts slower" not in shown, "the old words: momentum is lower at first"


def test_the_ravine_caption_when_momentum_never_gets_below():
    fig = practical.ravine_descent(steps=30, learning_rate=0.3)
    _, losses = paths_and_losses(fig)
    plain, momentum = losses["gradient descent"], losses["momentum, $\\beta$ = 0.9"]
    assert (momentum[1:] > plain[1:]).all()
    assert caption(fig) == ("Momentum's loss is above gradient descent's at iterations 1–30. "
                            f"After 30 steps: gradient descent {plain[-1]:.3g}, momentum "
                            f"{momentum[-1]:.3g}.")


@pytest.mark.parametrize("momentum, words", [
    ([3, 1, 0.5], "Momentum's loss is below gradient descent's at every iteration from 1 to 2."),
    ([3, 3, 0.5], "Momentum's loss is above gradient descent's at iteration 1;"),
    ([3, 1, 3], "Momentum's loss is below gradient descent's at iteration 1 and above it at "
                "iteration 2."),
])
def test_the_ravine_verdict_on_short_paths(momentum, words):
    lines = practical.ravine_verdict([3, 2, 1], momentum)
    assert lines[0] == words
    assert lines[-1].endswith(f"After 2 steps: gradient descent 1, momentum {momentum[-1]:g}.")


def test_below_its_zig_zag_rate_gradient_descent_is_not_said_to_zig_zag():
    fig = practical.ravine_descent(steps=30, learning_rate=0.3)
    fig.canvas.draw()
    paths, _ = paths_and_losses(fig)
    assert (paths["gradient descent"][:, 1] > 0).all()
    assert "zig-zags" not in " ".join(t.get_text() for t in texts(fig))


def test_the_ravine_figure_refuses_a_rate_where_gradient_descent_diverges():
    with pytest.raises(ValueError, match="diverges on this ravine"):
        practical.ravine_descent(learning_rate=1.0)
    with pytest.raises(ValueError, match="beta must lie in"):
        practical.ravine_descent(beta=1.0)
    with pytest.raises(ValueError, match="steps must be a whole number"):
        practical.ravine_descent(steps=2.5)


# -- batch normalization --------------------------------------------------------------------
@pytest.mark.parametrize(("gamma", "beta"), [((1.5, 0.5), (1.0, -2.0)), ((0.3, 2.0), (-1, 0))])
def test_batch_norm_panels_normalize_then_scale_by_gamma_and_shift_by_beta(gamma, beta):
    fig = practical.batchnorm_step(seed=2, gamma=gamma, beta=beta, m=50)
    fig.canvas.draw()
    axes = insets(fig)
    assert len(axes) == 3
    raw, normalized, scaled = (by_gid(ax, "batch")[0].get_offsets().T for ax in axes)
    assert raw.shape == (2, 50)
    assert not np.allclose(raw.var(axis=1), 1, atol=0.05)
    np.testing.assert_allclose(normalized.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(normalized.var(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(scaled.mean(axis=1), beta, atol=1e-12)
    np.testing.assert_allclose(scaled.var(axis=1), np.square(gamma), rtol=1e-6)
    np.testing.assert_allclose(normalized, (raw - raw.mean(1, keepdims=True))
                               / np.sqrt(raw.var(1, keepdims=True) + 1e-8))
    shown = [t.get_text() for t in texts(fig)]
    for values in (raw, normalized, scaled):
        mean = [round(v, 2) + 0.0 for v in values.mean(axis=1)]
        variance = [round(v, 2) + 0.0 for v in values.var(axis=1)]
        assert f"mean ({mean[0]:.2f}, {mean[1]:.2f})" in shown
        assert f"variance ({variance[0]:.2f}, {variance[1]:.2f})" in shown
    titles = " ".join(ax.get_title() for ax in axes)
    for symbol in ("\\mu", "\\sigma^2 + \\varepsilon", "\\gamma", "\\beta", "z_{norm}"):
        assert symbol in titles
    colours = [to_hex(by_gid(ax, "batch")[0].get_facecolor()[0]) for ax in axes]
    assert colours == [CACHE, FORWARD, FORWARD]


def test_batch_norm_draws_one_standard_deviation_around_each_mean():
    fig = practical.batchnorm_step()
    for ax in insets(fig):
        values = by_gid(ax, "batch")[0].get_offsets().T
        (box,) = by_gid(ax, "spread")
        np.testing.assert_allclose(box.get_xy(), values.mean(1) - values.std(1))
        np.testing.assert_allclose((box.get_width(), box.get_height()), 2 * values.std(1))


def test_batch_norm_refuses_gamma_and_beta_of_the_wrong_size():
    with pytest.raises(ValueError, match="two each"):
        practical.batchnorm_step(gamma=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="m must be a whole number"):
        practical.batchnorm_step(m=1)

