"""Week 6's explorers on the solution's code and a briefly trained character model: the gradient
explorer's lines are the learner's gradients through time, the names generator shows the names
the learner's `sample` draws (new or known) and the first character's distribution, the
hidden-state viewer the activations and next-character probabilities of the typed name; every
control changes the drawing, the learner's failures are said and the widgets keep working."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from course_utils import long_memory as lm
from course_utils.data import load_names
from course_utils.sequences import char_to_ix, ix_to_char
from course_utils.widgets import (
    GradientExplorer,
    HiddenStateViewer,
    NamesGenerator,
    gradient_explorer,
    hidden_state_viewer,
    names_generator,
)
from course_utils.widgets.hidden_state import START
from course_utils.widgets.memory import FLOOR
from tests.explorer_checks import pixels, second_move


@pytest.fixture(scope="module")
def ns() -> dict:
    from autograder.solution_code import solution_namespace

    return solution_namespace("week6")


@pytest.fixture(scope="module")
def six(ns) -> list:
    return [ns[f"{kind}_{role}"] for kind in lm.KINDS for role in ("forward", "backward")]


@pytest.fixture(scope="module")
def train_names() -> list:
    return load_names()[0]


@pytest.fixture(scope="module")
def parameters(ns, train_names) -> dict:
    """The solution's model trained briefly (6,000 names, a few seconds): it has learned which
    letters start names, not yet many whole names."""
    with contextlib.redirect_stdout(io.StringIO()):
        return ns["model"](train_names, ix_to_char, char_to_ix, num_iterations=6000)[0]


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def stub(name):
    def not_written(*args, **kwargs):
        raise NotImplementedError

    not_written.__name__ = name
    return not_written


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


# -- the gradient explorer ------------------------------------------------------------------
def expected_norms(ns, T, gate_bias, seed, m=16) -> dict:
    x, labels = lm.first_symbol_task(m, T, seed)
    return {kind: lm.gradient_through_time(kind, ns[f"{kind}_forward"], ns[f"{kind}_backward"],
                                           lm.initial_parameters(kind, 16, seed, gate_bias), x,
                                           labels) for kind in lm.KINDS}


def assert_lines(explorer, norms: dict) -> None:
    for kind, line in explorer.lines.items():
        assert line.get_visible()
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, norms[kind].size + 1))
        np.testing.assert_array_equal(line.get_ydata(), np.maximum(norms[kind], FLOOR))
        share = norms[kind][0] / norms[kind][-1]
        assert explorer.shares[kind].get_text() == f"{kind.upper()}: {share:.2g}"
        assert f"{kind.upper()} {share:.2g}" in explorer.status.value


def test_the_lines_are_the_learners_gradients_through_time(ns, six):
    g = GradientExplorer(*six)
    run = g.run()
    assert run.state == "done", run.message
    assert_lines(g, expected_norms(ns, 50, 3.0, 0))
    ax = g.frame.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlim() == (1, 50)
    low, high = ax.get_ylim()
    every = np.concatenate(list(expected_norms(ns, 50, 3.0, 0).values()))
    assert low <= every.min() < 10 * low and high / 10 < every.max() <= high, "decades around"
    assert g.title.get_text() == ("the gradient through time at initialization: T = 50, gate "
                                  "bias 3, m = 16, seed 0")
    image = pixels(g.frame)
    for kind in lm.KINDS:  # each line is seen in its colour
        colour = np.array(to_rgb(lm.KIND_COLORS[kind]))
        assert (np.abs(image - colour).max(axis=2) < 0.05).sum() > 100, kind


def test_every_control_changes_the_lines(ns, six):
    g = GradientExplorer(*six)
    g.run()
    before = {kind: line.get_ydata().copy() for kind, line in g.lines.items()}
    g.set(gate_bias=0.0)
    assert_lines(g, expected_norms(ns, 50, 0.0, 0))
    np.testing.assert_array_equal(g.lines["rnn"].get_ydata(), before["rnn"]), "no gate"
    for kind in ("gru", "lstm"):
        assert g.lines[kind].get_ydata()[0] < before[kind][0] / 10, "the bias keeps memory"
    g.set(T=100, gate_bias=3.0)
    assert_lines(g, expected_norms(ns, 100, 3.0, 0))
    assert g.frame.axes[0].get_xlim() == (1, 100)
    g.set(seed=4)
    assert_lines(g, expected_norms(ns, 100, 3.0, 4))
    assert not np.array_equal(g.lines["rnn"].get_ydata()[:50], before["rnn"])
    assert (g.controls["T"].min, g.controls["T"].max) == (2, 100)
    assert (g.controls["gate_bias"].min, g.controls["gate_bias"].max) == (0, 4)


def test_a_cell_not_written_yet_is_said_and_the_others_are_drawn(ns, six):
    functions = list(six)
    functions[3] = stub("gru_backward")
    g = GradientExplorer(*functions)
    run = g.run()
    assert run.state == "failed"
    assert "gru_backward is not implemented yet" in g.status.value
    assert "move a slider again" in g.status.value and "run this again" not in g.status.value
    assert g.panel_note.get_text().replace("\n", " ").startswith("gru_backward is not implemented")
    assert not g.lines["gru"].get_visible() and g.shares["gru"].get_text() == "GRU: not computed"
    norms = expected_norms(ns, 50, 3.0, 0)
    for kind in ("rnn", "lstm"):
        np.testing.assert_array_equal(g.lines[kind].get_ydata(), norms[kind])
    g.functions["gru_backward"] = ns["gru_backward"]
    assert g.set(seed=0).state == "done" and g.panel_note.get_text() == ""
    assert_lines(g, norms)


def test_a_wrong_shape_and_a_forgotten_gradient_are_seen(ns, six):
    def rnn_forward(x, a0, parameters):  # a with time first
        a, y, caches = ns["rnn_forward"](x, a0, parameters)
        return a.transpose(2, 1, 0), y, caches

    g = GradientExplorer(rnn_forward, *six[1:])
    assert g.run().state == "failed"
    assert "rnn_forward returned a with shape (50, 16, 16), but it must be (16, 16, 50)" in \
        g.status.value

    def lstm_backward(da, caches):  # drops the gradient coming from the next step
        steps, x = caches
        dx = np.zeros(x.shape)
        for t in reversed(range(da.shape[2])):
            dx[:, :, t] = ns["lstm_cell_backward"](da[:, :, t], np.zeros_like(da[:, :, t]),
                                                   steps[t])["dxt"]
        return ns["lstm_backward"](da, caches) | {"dx": dx}

    g = GradientExplorer(*six[:5], lstm_backward)
    assert g.run().state == "done"
    y = g.lines["lstm"].get_ydata()
    assert (y[:-1] == FLOOR).all() and y[-1] > 1e-3, "only x<T> gets a gradient"
    assert g.shares["lstm"].get_text() == "LSTM: 0"


def test_bad_gradient_settings_are_refused_in_words(six):
    with pytest.raises(ValueError, match="T must be at least 2, got 1"):
        GradientExplorer(*six, T=1)
    with pytest.raises(ValueError, match="gate_bias must be a number"):
        GradientExplorer(*six, gate_bias="high")
    with pytest.raises(TypeError, match="pass your function lstm_backward itself"):
        GradientExplorer(*six[:5])


def test_a_second_gradient_move_while_the_first_computes_shows_only_the_second(ns, six):
    g = GradientExplorer(*six)
    first, second = second_move(g, {"T": 100}, {"T": 30, "gate_bias": 1.0})
    assert first.iteration < 3 and second.iteration == 3
    assert_lines(g, expected_norms(ns, 30, 1.0, 0))


def test_gradient_explorer_shows_itself_and_returns_the_object(six):
    g = gradient_explorer(*six, T=20)
    assert isinstance(g, GradientExplorer) and g.last_run.state == "done"
    assert g.frame.updates >= 1 and g.lines["rnn"].get_xdata().size == 20


# -- the names generator --------------------------------------------------------------------
def expected_names(ns, parameters, seed, temperature) -> list:
    return ["".join(ix_to_char[i] for i in ns["sample"](parameters, char_to_ix, seed + k,
                                                        temperature=temperature)).strip("\n")
            for k in range(10)]


def first_character(parameters, temperature):
    a = np.tanh(parameters["b"][:, 0])
    return softmax((parameters["Wya"] @ a + parameters["by"][:, 0]) / temperature)


def displayed(names) -> list:
    """Names as the panel shows them: at most 22 characters, an empty one as "(empty)"."""
    return [(name if len(name) <= 22 else name[:21] + "…") or "(empty)" for name in names]


def shown_names(generator) -> list:
    return [text.get_text().split()[0].lower() for text in generator.name_texts]


@pytest.mark.parametrize("temperature, seed", [(1.0, 0), (0.3, 7), (3.0, 40)])
def test_the_names_are_those_the_learners_sample_draws(ns, parameters, train_names,
                                                       temperature, seed):
    gen = NamesGenerator(ns["sample"], parameters, train_names)
    run = gen.set(temperature=temperature, seed=seed)
    assert run.state == "done", run.message
    names, known = expected_names(ns, parameters, seed, temperature), set(train_names)
    assert shown_names(gen) == displayed(names)
    for text, name in zip(gen.name_texts, names):
        is_new = bool(name) and name not in known
        assert text.get_text().endswith("new" if is_new else "known")
        assert text.get_color() == ("#1a7f37" if is_new else "#666666")
    new = sum(bool(name) and name not in known for name in names)
    assert gen.names_title.get_text() == (f"10 names, seeds {seed}..{seed + 9}: "
                                          f"{new / 10:.0%} new")
    assert (f"10 names at temperature {temperature:g}, seeds {seed} to {seed + 9}: {new} new "
            f"({new / 10:.0%}), {10 - new} in the training list") in gen.status.value


def test_the_bars_are_the_first_characters_distribution_that_sample_draws_from(
        ns, parameters, train_names):
    gen = NamesGenerator(ns["sample"], parameters, train_names)
    for temperature in (0.1, 1.0, 3.0):
        gen.set(temperature=temperature, seed=3)
        p = first_character(parameters, temperature)
        np.testing.assert_allclose([bar.get_height() for bar in gen.bars], p, rtol=1e-12)
        for k, name in enumerate(expected_names(ns, parameters, 3, temperature)):
            np.random.seed(3 + k)  # sample's first draw, from these very probabilities
            assert ix_to_char[np.random.choice(27, p=p)] == (name[:1] or "\n")
        assert f"temperature {temperature:g}" in gen.bars_title.get_text()
    shares = np.zeros(27)
    for name in set(train_names):
        shares[char_to_ix[name[0]]] += 1
    np.testing.assert_allclose(gen.training_marks.get_ydata(), shares / shares.sum())
    assert [t.get_text() for t in gen.frame.axes[1].get_xticklabels()] == \
        ["end", *"abcdefghijklmnopqrstuvwxyz"]


def test_every_names_control_changes_the_drawing(ns, parameters, train_names):
    gen = NamesGenerator(ns["sample"], parameters, train_names)
    gen.run()
    names, heights = shown_names(gen), [bar.get_height() for bar in gen.bars]
    gen.set(seed=11)
    assert shown_names(gen) != names, "the seed draws other names"
    assert [bar.get_height() for bar in gen.bars] == heights, "from the same distribution"
    gen.set(temperature=0.1)
    assert max(bar.get_height() for bar in gen.bars) > max(heights) + 0.2, "sharper"
    assert shown_names(gen) == displayed(expected_names(ns, parameters, 11, 0.1))
    assert gen.controls["temperature"].options == (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0,
                                                   1.4, 2.0, 3.0)


def test_names_the_model_knows_are_marked_known(ns, parameters):
    names = expected_names(ns, parameters, 0, 1.0)
    chosen = list(dict.fromkeys(name for name in names if name))[:2]
    gen = NamesGenerator(ns["sample"], parameters, [chosen[0], chosen[1].upper(), "zelda"])
    gen.run()
    for text, name in zip(gen.name_texts, names):
        assert text.get_text().endswith("known" if name in chosen or not name else "new")
    new = sum(bool(name) and name not in chosen for name in names)
    assert f"{new} new ({new / 10:.0%}), {10 - new} in the training list" in gen.status.value
    assert new < 10, "the list is lower-cased"


def test_a_sample_without_the_temperature_keyword_disables_the_control(ns, parameters,
                                                                       train_names):
    def sample(parameters, char_to_ix, seed):  # the classic signature
        return ns["sample"](parameters, char_to_ix, seed)

    gen = NamesGenerator(sample, parameters, train_names, temperature=0.3)
    assert gen.controls["temperature"].disabled and gen.controls["temperature"].value == 1.0
    assert ("give <code>sample</code> the keyword <code>temperature=1.0</code>" in
            gen.note.value)
    assert gen.panel_note.get_text() == ""
    assert gen.set(seed=5).state == "done"
    assert shown_names(gen) == displayed(expected_names(ns, parameters, 5, 1.0))
    np.testing.assert_allclose([b.get_height() for b in gen.bars], first_character(parameters,
                                                                                   1.0))


def test_the_learners_sample_failures_are_said_and_the_widget_keeps_working(ns, parameters,
                                                                           train_names):
    gen = NamesGenerator(stub("sample"), parameters, train_names)
    assert gen.run().state == "failed"
    assert "<b>sample</b> is not implemented yet" in gen.status.value
    assert gen.names_title.get_text() == "no names" and texts(gen.name_texts) == [""] * 10
    assert gen.panel_note.get_text().startswith("sample is not implemented yet")
    np.testing.assert_allclose([b.get_height() for b in gen.bars], first_character(parameters,
                                                                                   1.0))

    def sample(parameters, char_to_ix, seed, temperature=1.0):  # forgets the "\n"
        return ns["sample"](parameters, char_to_ix, seed, temperature=temperature)[:-1]

    gen.functions["sample"] = sample
    assert gen.set(seed=2).state == "failed"
    assert "does not end with the index of \"\\n\" (0)" in gen.status.value
    gen.functions["sample"] = lambda parameters, char_to_ix, seed, temperature=1.0: "anna"
    assert gen.set(seed=3).state == "failed"
    assert "<b>sample</b> must return a list of character indices, got str." in gen.status.value
    gen.functions["sample"] = lambda parameters, char_to_ix, seed, temperature=1.0: [1, 27, 0]
    assert gen.set(seed=5).state == "failed"
    assert "must return a list of whole character indices from 0 to 26, got [1, 27, 0]" in \
        gen.status.value
    gen.functions["sample"] = ns["sample"]
    assert gen.set(seed=4).state == "done" and gen.panel_note.get_text() == ""
    assert shown_names(gen) == displayed(expected_names(ns, parameters, 4, 1.0))


def test_bad_names_inputs_are_refused_in_words(ns, parameters, train_names):
    with pytest.raises(ValueError, match="temperature must be a number above 0"):
        NamesGenerator(ns["sample"], parameters, train_names, temperature=0)
    with pytest.raises(ValueError, match="missing Wya, by"):
        NamesGenerator(ns["sample"], {k: parameters[k] for k in ("Wax", "Waa", "b")},
                       train_names)
    with pytest.raises(ValueError, match=r"parameters\['Wya'\] has shape \(50, 27\), but with "
                                         r"n_a = 50 and 27 characters it must be \(27, 50\)"):
        NamesGenerator(ns["sample"], parameters | {"Wya": parameters["Wya"].T}, train_names)
    with pytest.raises(TypeError, match="train_names must be the list of training names"):
        NamesGenerator(ns["sample"], parameters, "anna")
    with pytest.raises(ValueError, match="seed must be a whole number"):
        NamesGenerator(ns["sample"], parameters, train_names, seed=-1)


def test_a_second_names_move_shows_only_the_second(ns, parameters, train_names):
    gen = NamesGenerator(ns["sample"], parameters, train_names)
    second_move(gen, {"seed": 8}, {"seed": 9, "temperature": 0.5}, mid_training=False)
    assert shown_names(gen) == displayed(expected_names(ns, parameters, 9, 0.5))


def test_names_generator_shows_itself_and_returns_the_object(ns, parameters, train_names):
    gen = names_generator(ns["sample"], parameters, train_names, seed=1)
    assert isinstance(gen, NamesGenerator) and gen.last_run.state == "done"
    assert gen.frame.updates == 1 and shown_names(gen) == displayed(
        expected_names(ns, parameters, 1, 1.0))


# -- the hidden-state viewer ----------------------------------------------------------------
def expected_reading(parameters, name):
    """a (n_a, steps) and P(the real next character) (steps,), by hand."""
    P = parameters
    a, x = np.zeros(P["Waa"].shape[0]), np.zeros(27)
    activations, chances = [], []
    following = [char_to_ix[c] for c in name] + [0]
    for nxt in following:
        a = np.tanh(P["Wax"] @ x + P["Waa"] @ a + P["b"][:, 0])
        activations.append(a)
        chances.append(softmax(P["Wya"] @ a + P["by"][:, 0])[nxt])
        x = np.eye(27)[nxt]
    return np.array(activations).T, np.array(chances)


def texts(artists) -> list:
    return [artist.get_text() for artist in artists]


@pytest.mark.parametrize("typed, name", [("anna", "anna"), ("Christopher", "christopher"),
                                         (" jo ", "jo")])
def test_the_heat_map_and_bars_are_the_models_reading_of_the_name(parameters, typed, name):
    viewer = HiddenStateViewer(parameters)
    run = viewer.set(name=typed)
    assert run.state == "done", run.message
    a, chances = expected_reading(parameters, name)
    np.testing.assert_allclose(viewer.image.get_array(), a, rtol=1e-12)
    steps = len(name) + 1
    assert viewer.image.get_extent() == [-0.5, steps - 0.5, 49.5, -0.5]
    np.testing.assert_allclose([bar.get_height() for bar in viewer.bars[:steps]], chances)
    assert all(bar.get_height() == 0 for bar in viewer.bars[steps:])
    assert texts(viewer.inputs)[:steps] == [START, *name]
    assert texts(viewer.nexts)[:steps] == [*name, "end"]
    assert texts(viewer.values)[:steps] == [f"{c:.2f}" for c in chances]
    assert texts(viewer.inputs)[steps:] == [""] * (21 - steps)
    assert viewer.image.get_clim() == (-1, 1)
    assert (f"'{name}': {steps} steps, loss {-np.mean(np.log(chances)):.2f} nats per "
            "character (a uniform guess: log 27 = 3.30)") in viewer.status.value
    assert viewer.heat_title.get_text().endswith(f"after each input of '{name}'")


def test_a_character_outside_the_vocabulary_is_named_with_the_vocabulary(parameters):
    viewer = HiddenStateViewer(parameters)
    viewer.run()
    for typed, char in (("Zoë", "'ë' at index 2"), ("ann-marie", "'-' at index 3")):
        assert viewer.set(name=typed).state == "failed"
        assert char in viewer.status.value
        assert "not in the vocabulary '\\nabcdefghijklmnopqrstuvwxyz'" in viewer.status.value
        assert not viewer.image.get_visible() and texts(viewer.inputs) == [""] * 21
        assert viewer.panel_note.get_text().startswith("encode:")
    assert viewer.set(name="bob").state == "done" and viewer.image.get_visible()
    np.testing.assert_allclose(viewer.image.get_array(), expected_reading(parameters, "bob")[0])


def test_an_empty_or_too_long_name_is_said(parameters):
    viewer = HiddenStateViewer(parameters, name="")
    assert viewer.run().state == "failed"
    assert "Type a name (letters a-z), then press Enter." in viewer.status.value
    assert viewer.set(name="a" * 21).state == "failed"
    assert "has 21 letters: type at most 20" in viewer.status.value
    assert viewer.set(name="a" * 20).state == "done"


def test_bad_viewer_inputs_are_refused_in_words(parameters):
    with pytest.raises(ValueError, match="missing b"):
        HiddenStateViewer({k: v for k, v in parameters.items() if k != "b"})
    with pytest.raises(TypeError, match="name must be a str such as 'anna'"):
        HiddenStateViewer(parameters, name=3)


def test_a_second_name_typed_shows_only_the_second(parameters):
    viewer = HiddenStateViewer(parameters)
    second_move(viewer, {"name": "maria"}, {"name": "elizabeth"}, mid_training=False)
    np.testing.assert_allclose(viewer.image.get_array(),
                               expected_reading(parameters, "elizabeth")[0])


def test_hidden_state_viewer_shows_itself_and_returns_the_object(parameters):
    viewer = hidden_state_viewer(parameters, name="emma")
    assert isinstance(viewer, HiddenStateViewer) and viewer.last_run.state == "done"
    assert viewer.frame.updates == 1 and texts(viewer.inputs)[:5] == [START, *"emma"]


def test_before_the_model_is_trained_both_explorers_say_to_train_it_and_stay_alive(
        ns, parameters, train_names):
    """parameters is None (the learner's model not written yet): no crash, the words say what
    to do, and the explorer draws once parameters exist."""
    gen = NamesGenerator(ns["sample"], None, train_names)
    assert gen.run().state == "failed" and "Write `model` (Exercise 8)" in gen.status.value
    assert [bar.get_height() for bar in gen.bars] == [0.0] * 27
    assert gen.panel_note.get_text().startswith("parameters is None")
    viewer = HiddenStateViewer(None, name="emma")
    assert viewer.run().state == "failed" and "there is no trained model yet" in \
        viewer.status.value
    assert not viewer.image.get_visible()
    gen.parameters = parameters
    assert gen.set(seed=3).state == "done"
    assert shown_names(gen) == displayed(expected_names(ns, parameters, 3, 1.0))
