"""Week 6's figures: what each one draws, read back from the figure (boxes and the texts in
them, which box each arrow leaves and reaches, bars, the heat map's pixels, the numbers
printed), the layout checks of the lecture diagrams, speed, and the messages for bad input."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from matplotlib.colors import to_hex

from course_utils import diagrams_rnn as rnn
from course_utils.diagrams import BACKWARD, CACHE, FORWARD
from tests import test_diagrams as layout
from tests.test_diagrams import patches, plain, strings, texts

VOCABULARY = "\nabcdefghijklmnopqrstuvwxyz"


def name_distributions(seed=0, chars="anna\n"):
    """Softmax-like rows over VOCABULARY, one per character of chars."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(len(VOCABULARY), 0.3), size=len(chars))


def date_weights(seed=1, inputs="9 may 2018", outputs="2018-05-09"):
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(len(inputs), 0.2), size=len(outputs))


FIGURES = {
    "unrolled_rnn": rnn.unrolled_rnn,
    "unrolled_rnn(1)": lambda: rnn.unrolled_rnn(1),
    "unrolled_rnn(7, backward)": lambda: rnn.unrolled_rnn(7, backward=True),
    "unrolled_rnn(3, backward)": lambda: rnn.unrolled_rnn(3, backward=True),
    "rnn_cell": rnn.rnn_cell,
    "lstm_cell": rnn.lstm_cell,
    "gru_cell": rnn.gru_cell,
    "rnn_types": rnn.rnn_types,
    "bidirectional_and_deep": rnn.bidirectional_and_deep,
    "bidirectional_and_deep(4, 2)": lambda: rnn.bidirectional_and_deep(4, 2),
    "sampling": rnn.sampling,
    "sampling(probabilities)": lambda: rnn.sampling(probabilities=name_distributions(),
                                                    vocabulary=VOCABULARY),
    "sampling(7, no EOS)": lambda: rnn.sampling("jessica"),
    "attention_map": lambda: rnn.attention_map(date_weights(), "9 may 2018", "2018-05-09"),
    "attention_map(words)": lambda: rnn.attention_map(
        np.full((2, 3), 1 / 3), ["the", "black", "cat"], ["le", "chat"]),
    "attention_idea": rnn.attention_idea,
    "attention_idea(6)": lambda: rnn.attention_idea(np.full(6, 1 / 6)),
    "gradient_paths": rnn.gradient_paths,
    "gradient_paths(8)": lambda: rnn.gradient_paths(8, factor=1.3, forget=0.9),
}
DEFAULTS = [name for name in FIGURES if "(" not in name]
SHAPES = ("box", "node", "chart")  # what arrows join


@pytest.fixture(scope="module", params=sorted(FIGURES))
def drawn(request):
    fig = FIGURES[request.param]()
    fig.canvas.draw()
    return request.param, fig


# -- reading a figure back ------------------------------------------------------------------
def sketch(fig):
    return fig.axes[0]


def colour(artist) -> str:
    return to_hex(artist.get_edgecolor())


def named_shapes(fig) -> list[tuple[str, str, object]]:
    """(name, kind, pixel box) of each box, node and chart: its name is the plain text of what
    is written inside it ("|" between lines), "dot" for a junction, a chart's label for one."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for kind in SHAPES:
        for patch in patches(fig, kind):
            box = patch.get_window_extent(renderer)
            if kind == "chart":
                found.append((patch.get_label(), kind, box))
                continue
            inside = [t for t in sketch(fig).texts
                      if box.contains(*sketch(fig).transData.transform(t.get_position()))]
            inside.sort(key=lambda t: -t.get_position()[1])
            found.append(("|".join(plain(t.get_text()) for t in inside) or "dot", kind, box))
    return found


def nearest(shapes, point) -> str:
    return min(shapes, key=lambda s: layout.distance_to_edge(s[1], s[2], point))[0]


def arrow_ends(fig, gids=("arrow",)) -> list:
    """(tail, tip, arrow) in pixels of every arrow with one of the gids: the path's first
    vertex and, for straight arrows, the farthest one; for bent ones, the last before the
    head."""
    ends = []
    for gid in gids:
        if gid == "arrow":  # the lecture diagrams' reading of a straight arrow
            ends += [(tail, tip, arrow) for (tail, tip), arrow in
                     zip(layout.arrow_ends(fig), patches(fig, "arrow"))]
            continue
        for arrow in patches(fig, gid):  # the polyline it was drawn along, in inches
            line = arrow.axes.transData.transform(arrow._path_original.vertices)
            ends.append((line[0], line[-1], arrow))
    return ends


def edges(fig, gids=("arrow",)) -> Counter:
    """Counter of (from, to, colour) over the arrows, from and to named by named_shapes."""
    shapes = named_shapes(fig)
    return Counter((nearest(shapes, tail), nearest(shapes, tip), colour(arrow))
                   for tail, tip, arrow in arrow_ends(fig, gids))


def pairs(fig, gids=("arrow",)) -> Counter:
    """Like edges, without the colours."""
    return Counter((a, b) for a, b, _ in edges(fig, gids).elements())


def t_(name, t) -> str:
    return plain(rnn._at(name, t))


def shown(fig) -> list[str]:
    fig.canvas.draw()
    return strings(fig)


def assert_shows(fig, *wanted):
    found = shown(fig)
    missing = [w for w in wanted if plain(w) not in found]
    assert not missing, f"missing texts {missing} among {found}"


# -- the lecture diagrams' layout checks, on every figure -----------------------------------
def test_a_figure_is_detached_at_notebook_width(drawn):
    name, fig = drawn
    assert fig.canvas.manager is None, f"{name} is registered with pyplot"
    width, height = fig.get_size_inches()
    assert fig.dpi == 90 and width == 10 and 3 <= height <= 6, (name, width, height)


def test_every_text_and_shape_stays_inside_the_canvas(drawn):
    layout.test_every_text_and_shape_stays_inside_the_canvas(drawn)
    name, fig = drawn
    inner = fig.bbox.padded(-2)
    renderer = fig.canvas.get_renderer()
    cut = [p.get_gid() for p in sketch(fig).patches
           if not layout.contains(inner, p.get_window_extent(renderer), 0)]
    assert not cut, f"{name}: shapes cut at the edge: {cut}"
    for ax in fig.axes[1:]:  # a heat map and its colour bar
        assert layout.contains(inner, ax.get_tightbbox(renderer), 0), f"{name}: axes cut"


def test_no_two_texts_overlap(drawn):
    layout.test_no_two_texts_overlap(drawn)


def test_a_text_is_inside_its_shape_or_clear_of_every_shape(drawn):
    layout.test_a_text_is_inside_its_shape_or_clear_of_every_shape(drawn)


def test_no_two_shapes_overlap(drawn):
    layout.test_no_two_shapes_overlap(drawn)


def test_every_arrow_joins_two_shapes_edge_to_edge_and_crosses_nothing(drawn):
    name, fig = drawn
    if not patches(fig, "arrow"):
        assert name.startswith("attention_map"), f"{name} draws no arrows"
        return
    layout.test_no_arrow_crosses_a_shape_or_a_text(drawn)
    shapes = named_shapes(fig)
    for tail, tip, _ in arrow_ends(fig, ("arrow", "bent", "feedback")):
        for end, label in ((tail, "starts"), (tip, "ends")):
            gap = min(layout.distance_to_edge(kind, box, end) for _, kind, box in shapes)
            assert gap <= 6, f"{name}: an arrow {label} {gap:.0f} px from any edge"


def test_it_renders_to_a_png_with_something_on_it(drawn):
    layout.test_it_renders_to_a_png_with_something_on_it(drawn)


def test_the_week_6_figures_ship_no_graded_name():
    graded = {"rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
              "gru_cell_forward", "scaled_dot_product_attention", "clip", "sample", "optimize",
              "model", "cosine_similarity", "softmax_rows"}
    assert not graded & set(vars(rnn)), "a graded name in course_utils.diagrams_rnn"


# -- 1. the unrolled RNN --------------------------------------------------------------------
@pytest.mark.parametrize("T_x", [1, 4, 7])
def test_the_unrolled_rnn_has_T_x_cells_chained_from_a0_with_x_below_and_y_above(T_x):
    fig = rnn.unrolled_rnn(T_x)
    names = Counter(name for name, _, _ in named_shapes(fig))
    for t in range(1, T_x + 1):
        assert names[t_("a", t)] == names[t_("x", t)] == names[t_("\\hat{y}", t)] == 1, t
    assert names[t_("a", 0)] == 1 and t_("a", T_x + 1) not in names
    assert len(patches(fig, "box")) == 3 * T_x + 1
    chain = [t_("a", t) for t in range(T_x + 1)]
    expected = Counter({(a, b): 1 for a, b in zip(chain, chain[1:])})
    for t in range(1, T_x + 1):
        expected[(t_("x", t), t_("a", t))] += 1
        expected[(t_("a", t), t_("\\hat{y}", t))] += 1
    assert pairs(fig) == expected
    assert {colour(a) for a in patches(fig, "arrow")} == {FORWARD}
    found = shown(fig)
    # the shared parameters are named once on the arrows (then in the caption)
    assert [found.count(w) for w in ("W_aa", "W_ax", "W_ya")] == [1, 1, 1]
    assert_shows(fig, f"An RNN unrolled over $T_x = {T_x}$ time steps", "forward")
    caption = "the same $W_{aa}$, $W_{ax}$, $W_{ya}$, $b_a$, $b_y$ at every step"
    assert_shows(fig, caption + (f", used {T_x} times" if T_x > 1 else ""))


@pytest.mark.parametrize("T_x", [1, 3, 7])
def test_backpropagation_through_time_runs_from_each_loss_back_along_the_chain(T_x):
    fig = rnn.unrolled_rnn(T_x, backward=True)
    found = edges(fig)
    back = Counter({(a, b): n for (a, b, c), n in found.items() if c == BACKWARD})
    expected = Counter()
    for t in range(1, T_x + 1):
        loss, y_hat, a_t = t_("\\mathcal{L}", t), t_("\\hat{y}", t), t_("a", t)
        expected[(loss, y_hat)] += 1
        expected[(y_hat, a_t)] += 1
        expected[(a_t, t_("a", t - 1))] += 1
        assert found[(y_hat, loss, FORWARD)] == 1
    assert back == expected
    assert sum(n for (_, _, c), n in found.items() if c == FORWARD) == 4 * T_x
    assert_shows(fig, "backward", "\\mathcal{L} = \\sum_{t=1}^{T_x} \\mathcal{L}^{\\langle t"
                 "\\rangle}(\\hat{y}^{\\langle t\\rangle}, y^{\\langle t\\rangle})")


# -- 2.-4. the cells ------------------------------------------------------------------------
def test_the_rnn_cell_shows_its_two_equations_and_the_path_from_inputs_to_outputs():
    fig = rnn.rnn_cell()
    assert_shows(fig, "a^{\\langle t\\rangle} = \\tanh(W_{aa} a^{\\langle t-1\\rangle} + W_{ax}"
                 " x^{\\langle t\\rangle} + b_a)",
                 "\\hat{y}^{\\langle t\\rangle} = \\mathrm{softmax}(W_{ya} a^{\\langle t\\rangle}"
                 " + b_y)", "W_{aa}", "W_{ax}", "W_{ya}, b_y")
    a_prev, x_t, a_t, y_t = (t_("a", "t-1"), t_("x", "t"), t_("a", "t"),
                             t_("\\hat{y}", "t"))
    assert pairs(fig) == Counter({(a_prev, "+"): 1, (x_t, "+"): 1, ("b_a", "+"): 1,
                                  ("+", "tanh"): 1, ("tanh", "dot"): 1, ("dot", a_t): 1,
                                  ("dot", "softmax"): 1, ("softmax", y_t): 1})


def test_the_lstm_cell_has_its_memory_line_gates_and_equations():
    fig = rnn.lstm_cell()
    concat = plain(rnn.CONCAT)
    assert_shows(fig, *rnn.LSTM_EQUATIONS[:4], rnn.LSTM_EQUATIONS[4][0], rnn.LSTM_EQUATIONS[5],
                 rnn.CONCAT, "forget", "update", "output")
    assert "Gamma_i=sigma(W_i" in plain(rnn.LSTM_EQUATIONS[1])
    c_prev, c_t, a_t = t_("c", "t-1"), t_("c", "t"), t_("a", "t")
    gates = {"sigma|Gamma_f", "sigma|Gamma_i", "sigma|Gamma_o", "tanh|" + t_("\\tilde{c}", "t")}
    found = pairs(fig)
    assert {b for (a, b) in found if a == concat} == gates  # all fed by [a^<t-1>; x^<t>]
    assert found[(t_("a", "t-1"), concat)] == found[(t_("x", "t"), concat)] == 1
    # the memory line: c^<t-1> -> x Gamma_f -> + -> c^<t>, the update Gamma_i x c~ into the +
    assert found[(c_prev, "times")] == found[("+", "dot")] == 1
    assert found[("times", "+")] == 2  # the forget product and the update product
    assert found[("dot", c_t)] == 1
    assert found[("sigma|Gamma_f", "times")] == found[("sigma|Gamma_i", "times")] == 1
    assert found[("tanh|" + t_("\\tilde{c}", "t"), "times")] == 1
    # a^<t> = Gamma_o x tanh(c^<t>)
    assert found[("dot", "tanh")] == found[("tanh", "times")] == 1
    assert found[("sigma|Gamma_o", "times")] == 1 and found[("times", a_t)] == 1
    memory = [a for a in patches(fig, "arrow") if colour(a) == rnn.ORANGE]
    assert len(memory) == 5  # the four pieces of the line and the branch to tanh


def test_the_gru_cell_is_the_full_gru_of_the_api_with_its_equations():
    fig = rnn.gru_cell()
    assert_shows(fig, rnn.GRU_EQUATIONS[0], rnn.GRU_EQUATIONS[1], rnn.GRU_EQUATIONS[2],
                 rnn.GRU_EQUATIONS[3][0], rnn.GRU_EQUATIONS[4], "relevance", "update")
    assert "tildec^langletrangle=tanh(W_c[Gamma_r*a^langlet-1rangle;x^langletrangle]+b_c)" == \
        plain(rnn.GRU_EQUATIONS[2])
    assert "=Gamma_u*tildec^langletrangle+(1-Gamma_u)*a^langlet-1rangle" in \
        plain(rnn.GRU_EQUATIONS[3][0])
    a_prev, a_t, c_tilde = t_("a", "t-1"), t_("a", "t"), "tanh|" + t_("\\tilde{c}", "t")
    found = pairs(fig)
    concat, inner = plain(rnn.CONCAT), "[·;" + t_("x", "t") + "]"
    assert {b for (a, b) in found if a == concat} == {"sigma|Gamma_r", "sigma|Gamma_u", inner}
    # Gamma_r scales a^<t-1> inside c~'s input; Gamma_u mixes c~ with (1 - Gamma_u) a^<t-1>
    assert found[(a_prev, "dot")] == 1
    assert found[("dot", "times")] == 2  # a^<t-1> to the (1 - Gamma_u) product and to Gamma_r's
    assert found[("sigma|Gamma_r", "times")] == found[("times", inner)] == 1
    assert found[(inner, c_tilde)] == found[(c_tilde, "times")] == 1
    assert found[("sigma|Gamma_u", "1-")] == found[("1-", "times")] == 1
    assert found[("sigma|Gamma_u", "times")] == 1
    assert found[("times", "+")] == 2 and found[("+", a_t)] == 1


# -- 5.-6. the RNN types, bidirectional and deep --------------------------------------------
def test_the_rnn_types_show_four_panels_with_the_outputs_fed_back_in_generation():
    fig = rnn.rnn_types()
    assert_shows(fig, "many-to-one", "one-to-many", "$T_x = T_y = 3$", "$T_x = 3,\\ T_y = 2$",
                 "sentiment: review → stars", "music, names", "translation", "encoder",
                 "decoder")
    assert shown(fig).count("many-to-many") == 2
    cells = [b for b in named_shapes(fig) if b[0] == "dot" and b[1] == "box"]
    assert len(cells) == 3 + 3 + 3 + 5
    # one-to-many: y^<k> is fed back into cell k + 1, at its bottom
    shapes = named_shapes(fig)
    feedback = arrow_ends(fig, ("feedback",))
    assert len(feedback) == 2
    for k, (tail, tip, _) in enumerate(feedback, start=1):
        assert nearest(shapes, tail) == t_("\\hat{y}", k)
        (_, _, cell), = [s for s in shapes if s[0] == "dot" and s[2].contains(tip[0], tip[1] + 4)]
        assert abs(tip[1] - cell.y0) < 6
    # many-to-one has a single output, on its last cell
    assert sum(1 for name, _, _ in shapes if name == plain("\\hat{y}")) == 1


@pytest.mark.parametrize(("T_x", "layers"), [(3, 3), (4, 2), (1, 1)])
def test_each_bidirectional_output_reads_both_directions_and_the_deep_rnn_stacks_layers(T_x,
                                                                                       layers):
    fig = rnn.bidirectional_and_deep(T_x, layers)
    found = edges(fig)
    for t in range(1, T_x + 1):
        ahead, behind, y_hat = plain(rnn._ahead(t)), plain(rnn._behind(t)), t_("\\hat{y}", t)
        assert found[(ahead, y_hat, FORWARD)] == 1 and found[(behind, y_hat, rnn.REVERSE)] == 1
        assert found[(t_("x", t), ahead, CACHE)] == found[(t_("x", t), behind, CACHE)] == 1
        if t > 1:  # forward left to right, backward right to left
            assert found[(plain(rnn._ahead(t - 1)), ahead, FORWARD)] == 1
            assert found[(behind, plain(rnn._behind(t - 1)), rnn.REVERSE)] == 1
        for l in range(1, layers + 1):
            cell = plain(f"a^{{[{l}]\\langle {t}\\rangle}}")
            below = t_("x", t) if l == 1 else plain(f"a^{{[{l - 1}]\\langle {t}\\rangle}}")
            assert found[(below, cell, FORWARD)] == 1, (below, cell)
            if t > 1:
                assert found[(plain(f"a^{{[{l}]\\langle {t - 1}\\rangle}}"), cell, FORWARD)] == 1
        assert found[(plain(f"a^{{[{layers}]\\langle {t}\\rangle}}"), y_hat, FORWARD)] == 1
    names = [n for n, _, _ in named_shapes(fig)]
    assert sum(n.startswith("a^[") for n in names) == T_x * layers
    assert_shows(fig, f"(b) A deep RNN of {layers} layer{'s' if layers > 1 else ''}")


# -- 7. sampling ----------------------------------------------------------------------------
def bars(fig) -> dict:
    """{(step, char): bar height} of the sampling figure's bars."""
    return {(int(p.get_label().split(" ", 2)[1]), p.get_label().split(" ", 2)[2]): p.get_height()
            for p in patches(fig, "bar")}


@pytest.mark.parametrize("seed", [0, 3])
def test_the_bars_are_the_probabilities_given_the_top_few_and_the_sampled_one(seed):
    p = name_distributions(seed)
    chars = "anna\n"
    fig = rnn.sampling(chars, probabilities=p, vocabulary=VOCABULARY, top=4)
    heights = bars(fig)
    assert len(heights) == 4 * len(chars)
    unit = np.median([h / p[t - 1, VOCABULARY.index(c)] for (t, c), h in heights.items()])
    for t, char in enumerate(chars, start=1):
        row = p[t - 1]
        shown_chars = {c for (step, c) in heights if step == t}
        best = {VOCABULARY[i] for i in np.argsort(-row)[:4]}
        assert char in shown_chars and len(shown_chars & best) >= 3
        for c in shown_chars:
            assert heights[(t, c)] == pytest.approx(unit * row[VOCABULARY.index(c)], rel=1e-9)
    lit = [p_.get_label() for p_ in patches(fig, "bar") if to_hex(p_.get_facecolor()) == FORWARD]
    assert lit == [f"step {t} {c}" for t, c in enumerate(chars, start=1)]
    found = shown(fig)
    for t, c in heights:  # each value printed above its bar
        assert f"{p[t - 1, VOCABULARY.index(c)]:.2f}".lstrip("0") in found


def test_sampling_feeds_each_character_back_as_the_next_input_and_stops_at_eos():
    chars = ("a", "n", "n", "a", "\n")
    fig = rnn.sampling(chars)
    names = [n for n, _, _ in named_shapes(fig)]
    assert t_("x", 1) + "|vec0" in names
    for t in range(2, 6):
        assert f"{t_('x', t)}|'{chars[t - 2]}'" in names
    assert "⏎EOS" in names and "'a'" in names
    assert sum(n == "softmax|" + t_("\\hat{y}", t) for t in range(1, 6) for n in names) == 5
    shapes = named_shapes(fig)
    feedback = arrow_ends(fig, ("feedback",))
    assert len(feedback) == 4
    for t, (tail, tip, _) in enumerate(feedback, start=1):
        assert nearest(shapes, tail) == f"'{chars[t - 1]}'"
        assert nearest(shapes, tip) == f"{t_('x', t + 1)}|'{chars[t - 1]}'"
    assert_shows(fig, "Sampling a name one character at a time: 'anna', then ⏎ (EOS): stop")
    open_ended = rnn.sampling("jessica")
    assert_shows(open_ended, "Sampling a name one character at a time: 'jessica'")
    assert any("noEOSsampledyet" in w for w in shown(open_ended))


def test_sampling_refuses_mismatched_characters_and_probabilities_with_what_to_pass():
    p = name_distributions()
    with pytest.raises(ValueError, match=r"shape \(len\(chars\), len\(vocabulary\)\) = \(4, 27\)"):
        rnn.sampling("ann\n", probabilities=p, vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match=r"= \(3, 27\).*got shape \(5, 27\)"):
        rnn.sampling("ann", probabilities=p, vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match="pass vocabulary"):
        rnn.sampling(probabilities=p)
    with pytest.raises(ValueError, match="row 2 of probabilities sums to 2"):
        bad = p.copy()
        bad[2] *= 2
        rnn.sampling(probabilities=bad, vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match=r"\['A'\] are not in the vocabulary"):
        rnn.sampling("Anna\n", probabilities=p, vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match="only as the last"):
        rnn.sampling("an\nna")
    with pytest.raises(ValueError, match="1 to 7 single characters"):
        rnn.sampling("")


# -- 8. attention ---------------------------------------------------------------------------
def test_the_attention_maps_pixels_are_the_weights_and_its_labels_the_characters():
    inputs, outputs = "9 may 2018", "2018-05-09"
    w = date_weights()
    fig = rnn.attention_map(w, inputs, outputs)
    heat = fig.axes[1]
    (image,) = heat.get_images()
    np.testing.assert_array_equal(np.asarray(image.get_array()), w)
    assert image.get_gid() == "attention" and image.get_clim() == (0, 1)
    assert [t.get_text() for t in heat.get_xticklabels()] == [rnn._shown(c) for c in inputs]
    assert [t.get_text() for t in heat.get_yticklabels()] == list(outputs)
    assert len(fig.axes) == 3  # the sketch, the heat map, its colour bar
    # the brightest pixel of each row, read back from the rendered picture, is its largest weight
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    box = heat.get_window_extent()
    H = pixels.shape[0]
    cols = box.x0 + (np.arange(len(inputs)) + 0.5) * box.width / len(inputs)
    for row in range(len(outputs)):
        y = H - (box.y1 - (row + 0.5) * box.height / len(outputs))
        darkness = [-pixels[int(y), int(x)].sum() for x in cols]
        assert int(np.argmax(darkness)) == int(np.argmax(w[row])), row


def test_the_attention_map_refuses_rows_not_summing_to_one_and_the_wrong_shape():
    w = date_weights()
    with pytest.raises(ValueError, match="row 3 of weights sums to 0.5"):
        bad = w.copy()
        bad[3] /= 2
        rnn.attention_map(bad, "9 may 2018", "2018-05-09")
    with pytest.raises(ValueError, match=r"\(len\(outputs\), len\(inputs\)\) = \(10, 10\)"):
        rnn.attention_map(w[:, :4], "9 may 2018", "2018-05-09")
    with pytest.raises(ValueError, match="transposed"):
        rnn.attention_map(np.full((3, 2), 0.5), "abc", "xy")
    with pytest.raises(ValueError, match="non-negative"):
        rnn.attention_map([[1.5, -0.5]], "ab", "x")


def test_the_attention_idea_weights_its_arrows_and_prints_the_context_they_make():
    alphas = (0.1, 0.6, 0.25, 0.05)
    fig = rnn.attention_idea(alphas)
    into_context = [a for a in patches(fig, "arrow") if colour(a) == rnn.ORANGE][:len(alphas)]
    widths = [a.get_linewidth() for a in into_context]
    assert np.argsort(widths).tolist() == np.argsort(alphas).tolist()
    found = edges(fig)
    for k, alpha in enumerate(alphas, start=1):
        assert found[(f"{t_('a', k)}|{alpha:.2f}", t_("c", "t"), rnn.ORANGE)] == 1
    assert found[(t_("c", "t"), t_("s", "t"), rnn.ORANGE)] == 1
    assert found[(t_("s", "t-1"), t_("s", "t"), rnn.GREEN)] == 1
    terms = " + ".join(f"{a:.2f}\\,a^{{\\langle {k}\\rangle}}" for k, a in enumerate(alphas, 1))
    assert_shows(fig, f"$= {terms}$", "the weights add up to 1")
    with pytest.raises(ValueError, match="row 0 of alphas sums to 0.9"):
        rnn.attention_idea((0.5, 0.4))
    with pytest.raises(ValueError, match="2 to 6 weights"):
        rnn.attention_idea((1.0,))


# -- 9. vanishing gradients -----------------------------------------------------------------
@pytest.mark.parametrize(("T", "factor", "forget"), [(5, 0.6, 0.95), (8, 1.3, 0.9)])
def test_the_gradient_paths_print_the_products_they_draw(T, factor, forget):
    fig = rnn.gradient_paths(T, factor=factor, forget=forget)
    back = [a for a in patches(fig, "arrow") if colour(a) == BACKWARD]
    assert len(back) == 2 * (T - 1)
    assert shown(fig).count("Gamma_f") == T - 1
    words = " ".join(t.get_text() for t in texts(fig))
    assert f"{rnn._number(factor)}$^{{{T - 1}}}$ = {factor ** (T - 1):.3g}" in words
    assert f"{rnn._number(forget)}$^{{{T - 1}}}$ = {forget ** (T - 1):.3g}" in words


# -- bad arguments --------------------------------------------------------------------------
@pytest.mark.parametrize(("call", "message"), [
    (lambda: rnn.unrolled_rnn(0), "T_x must be a whole number from 1 to 8, got 0: use e.g."),
    (lambda: rnn.unrolled_rnn(9), "T_x must be a whole number from 1 to 8"),
    (lambda: rnn.unrolled_rnn(2.5), "T_x must be a whole number"),
    (lambda: rnn.unrolled_rnn(True), "T_x must be a whole number"),
    (lambda: rnn.bidirectional_and_deep(layers=4), "layers must be a whole number from 1 to 3"),
    (lambda: rnn.gradient_paths(1), "T must be a whole number from 2 to 8"),
    (lambda: rnn.gradient_paths(factor=0), "factor must be a number in \\(0, 2\\]"),
    (lambda: rnn.sampling(top=0), "top must be a whole number from 1 to 6"),
])
def test_bad_arguments_say_what_to_pass(call, message):
    with pytest.raises(ValueError, match=message):
        call()
