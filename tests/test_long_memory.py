"""Week 6's long-memory experiment on the solution's RNN, GRU and LSTM: the task and the
initial parameters are what they say, the gradient through time is the loss's true gradient
(finite differences), the known facts hold (an RNN's share of the gradient that reaches x<1>
falls exponentially with T, the gates keep it, all three learn T = 5), a broken backward shows,
the figures draw the computed numbers, and bad input is refused in words."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import long_memory as lm
from course_utils.cnn import TrainingStopped


@pytest.fixture(scope="module")
def ns() -> dict:
    from autograder.solution_code import solution_namespace

    return solution_namespace("week6")


@pytest.fixture(scope="module")
def functions(ns) -> dict:
    return {kind: (ns[f"{kind}_forward"], ns[f"{kind}_backward"]) for kind in lm.KINDS}


def loss_of(kind, forward, parameters, x, labels) -> float:
    """The cross-entropy of softmax(Wy a<T> + by), computed here from the forward pass."""
    n_a, m = parameters["Wy" if kind != "rnn" else "Wya"].shape[1], x.shape[1]
    a = forward(x, np.zeros((n_a, m)), parameters)[0][:, :, -1]
    z = parameters["Wy" if kind != "rnn" else "Wya"] @ a + parameters["by"]
    z -= z.max(axis=0)
    log_p = z - np.log(np.exp(z).sum(axis=0))
    return -log_p[labels, np.arange(m)].mean()


# -- the task and the parameters ------------------------------------------------------------
def test_the_task_is_one_hot_uniform_and_labelled_by_the_first_symbol():
    x, labels = lm.first_symbol_task(2000, 7, seed=3)
    assert x.shape == (4, 2000, 7) and labels.shape == (2000,)
    assert set(np.unique(x)) == {0.0, 1.0} and (x.sum(axis=0) == 1).all(), "one-hot"
    np.testing.assert_array_equal(x[:, :, 0].argmax(axis=0), labels)
    shares = np.bincount(x.argmax(axis=0).ravel(), minlength=4) / x[0].size
    assert np.abs(shares - 0.25).max() < 0.02, shares
    again, same = lm.first_symbol_task(2000, 7, seed=3)
    np.testing.assert_array_equal(again, x)
    np.testing.assert_array_equal(same, labels)
    assert not np.array_equal(lm.first_symbol_task(2000, 7, seed=4)[1], labels)


@pytest.mark.parametrize("kind, keys", [
    ("rnn", {"Wax": (16, 4), "Waa": (16, 16), "ba": (16, 1), "Wya": (4, 16), "by": (4, 1)}),
    ("gru", {"Wu": (16, 20), "Wr": (16, 20), "Wc": (16, 20), "bu": (16, 1), "br": (16, 1),
             "bc": (16, 1), "Wy": (4, 16), "by": (4, 1)}),
    ("lstm", {k: (16, 20) for k in ("Wf", "Wi", "Wc", "Wo")} | {
        k: (16, 1) for k in ("bf", "bi", "bc", "bo")} | {"Wy": (4, 16), "by": (4, 1)})])
def test_initial_parameters_have_the_contract_keys_scales_and_gate_biases(kind, keys):
    P = lm.initial_parameters(kind, n_a=16, seed=2)
    assert {k: v.shape for k, v in P.items()} == keys
    remember = {"lstm": ("bf", 3.0), "gru": ("bu", -3.0)}.get(kind)
    for key, value in P.items():
        if key.startswith("b"):
            want = remember[1] if remember and key == remember[0] else 0.0
            np.testing.assert_array_equal(value, want)
        elif key in ("Wy", "Wya"):
            assert 0.06 < value.std() < 0.14
        else:
            assert 0.7 < value.std() * np.sqrt(value.shape[1]) < 1.3, key  # N(0, 1/fan_in)
    zero = lm.initial_parameters(kind, n_a=16, seed=2, gate_bias=0.0)
    assert all(np.all(v == 0) for k, v in zero.items() if k.startswith("b"))
    np.testing.assert_array_equal(lm.initial_parameters(kind, 16, 2)["by"], P["by"])
    assert not np.array_equal(lm.initial_parameters(kind, 16, 3)["Wc" if kind != "rnn" else
                                                                  "Waa"],
                              P["Wc" if kind != "rnn" else "Waa"])


# -- the gradient through time --------------------------------------------------------------
@pytest.mark.parametrize("kind", lm.KINDS)
def test_the_gradient_through_time_is_the_losss_gradient_by_finite_differences(kind, functions):
    forward, backward = functions[kind]
    P = lm.initial_parameters(kind, n_a=5, seed=1, gate_bias=1.0)
    x, labels = lm.first_symbol_task(3, 6, seed=1)
    norms = lm.gradient_through_time(kind, forward, backward, P, x, labels)
    numeric, h = np.zeros_like(x), 1e-5
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (loss_of(kind, forward, P, up, labels) -
                          loss_of(kind, forward, P, down, labels)) / (2 * h)
    np.testing.assert_allclose(norms, np.linalg.norm(numeric, axis=(0, 1)), rtol=1e-6)
    assert norms.shape == (6,) and (norms > 0).all()


def test_an_rnns_share_falls_exponentially_with_the_length(functions):
    """With small recurrent weights each step back multiplies the gradient by about the same
    factor (< 1): log(ratio) / (T - 1) is about the same for every T."""
    P = lm.initial_parameters("rnn", n_a=16, seed=0)
    P["Waa"] *= 0.5
    slopes = []
    for T in (5, 10, 20, 40):
        x, labels = lm.first_symbol_task(64, T, seed=T)
        norms = lm.gradient_through_time("rnn", *functions["rnn"], P, x, labels)
        slopes.append(np.log(norms[0] / norms[-1]) / (T - 1))
    assert max(slopes) < -0.5, slopes  # a factor below e^-0.5 = 0.6 per step
    assert max(slopes) / min(slopes) > 0.7, f"about one factor per step: {slopes}"
    assert norms[0] / norms[-1] < 1e-8


def test_with_the_gate_bias_the_gru_and_lstm_keep_far_more_of_the_gradient(functions):
    x, labels = lm.first_symbol_task(64, 50, seed=0)
    ratios = {}
    for kind in lm.KINDS:
        for bias in (0.0, 3.0):
            P = lm.initial_parameters(kind, n_a=16, seed=0, gate_bias=bias)
            norms = lm.gradient_through_time(kind, *functions[kind], P, x, labels)
            ratios[kind, bias] = norms[0] / norms[-1]
    assert ratios["rnn", 3.0] == ratios["rnn", 0.0], "the RNN has no gate"
    assert ratios["rnn", 3.0] < 1e-3
    for kind in ("gru", "lstm"):
        assert ratios[kind, 3.0] > 1e3 * ratios["rnn", 3.0], ratios
        assert ratios[kind, 3.0] > 10 * ratios[kind, 0.0], f"the bias is what keeps it: {ratios}"


def test_a_backward_that_forgets_the_next_steps_gradient_shows_in_the_curve(ns, functions):
    def rnn_backward(da, caches):  # calls the cell with da[:, :, t] only
        steps, x = caches
        n_a, m, T = da.shape
        dx, grads = np.zeros(x.shape), {k: np.zeros_like(steps[0][3][k[1:]])
                                        for k in ("dWax", "dWaa", "dba")}
        for t in reversed(range(T)):
            g = ns["rnn_cell_backward"](da[:, :, t], steps[t])
            dx[:, :, t] = g["dxt"]
            for k in grads:
                grads[k] += g[k]
        return grads | {"dx": dx, "da0": g["da_prev"]}

    P = lm.initial_parameters("rnn", seed=0)
    x, labels = lm.first_symbol_task(16, 10, seed=0)
    right = lm.gradient_through_time("rnn", *functions["rnn"], P, x, labels)
    broken = lm.gradient_through_time("rnn", functions["rnn"][0], rnn_backward, P, x, labels)
    assert broken[-1] == pytest.approx(right[-1]), "the last step gets da itself"
    assert (broken[:-1] == 0).all() and (right[:-1] > 1e-4 * right[-1]).all()


# -- training ---------------------------------------------------------------------------------
def test_training_is_deterministic_and_the_seed_counts(functions):
    runs = [lm.train("gru", *functions["gru"], T=8, steps=15, seed=seed) for seed in (0, 0, 1)]
    assert runs[0].losses == runs[1].losses and runs[0].accuracy == runs[1].accuracy
    np.testing.assert_array_equal(runs[0].gradient_start, runs[1].gradient_start)
    np.testing.assert_array_equal(runs[0].gradient_end, runs[1].gradient_end)
    assert runs[2].losses != runs[0].losses
    assert len(runs[0].losses) == 15 and runs[0].gradient_start.shape == (8,)
    assert runs[0].losses[0] == pytest.approx(np.log(4), abs=0.05), "starts near chance"
    assert runs[0].seconds > 0 and runs[0].ratio == runs[0].gradient_start[0] / \
        runs[0].gradient_start[-1]
    P = lm.initial_parameters("gru", 16, 0)
    x, labels = lm.first_symbol_task(64, 8, np.random.default_rng([0, 1]).integers(2 ** 32))
    np.testing.assert_allclose(runs[0].gradient_start, lm.gradient_through_time(
        "gru", *functions["gru"], P, x, labels)), "the start norms are the first batch's"


def test_at_t_5_all_three_learn_to_remember(functions):
    runs = lm.compare(functions, T=5, steps=150, seed=0, progress=False)
    assert list(runs) == list(lm.KINDS)
    for kind, run in runs.items():
        assert run.accuracy == 1.0, (kind, run.accuracy)
        assert np.mean(run.losses[-10:]) < 0.1 < np.log(4) - 0.2 < np.mean(run.losses[:5])


# -- figures ----------------------------------------------------------------------------------
def test_the_gradient_figure_draws_the_computed_norms_on_a_log_scale(functions):
    x, labels = lm.first_symbol_task(16, 30, seed=0)
    norms = {kind: lm.gradient_through_time(kind, *functions[kind],
                                            lm.initial_parameters(kind, 16, 0), x, labels)
             for kind in lm.KINDS}
    fig = lm.plot_gradient_norms(norms)
    ax, = fig.axes
    assert ax.get_yscale() == "log" and fig.canvas is not None
    for line, kind in zip(ax.get_lines(), lm.KINDS):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 31))
        np.testing.assert_array_equal(line.get_ydata(), norms[kind])
        assert line.get_color() == lm.KIND_COLORS[kind]
        assert line.get_label() == (f"{kind.upper()}: x<1> gets "
                                    f"{norms[kind][0] / norms[kind][-1]:.2g} of x<T>'s")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        [line.get_label() for line in ax.get_lines()]


def test_plot_runs_draws_the_losses_accuracies_and_start_norms(functions):
    runs = lm.compare(functions, T=6, steps=12, seed=0, progress=False)
    fig = lm.plot_runs(runs)
    losses, gradients = fig.axes
    for line, (kind, run) in zip(losses.get_lines(), runs.items()):
        np.testing.assert_array_equal(line.get_ydata(), run.losses)
        assert line.get_label().startswith(f"{kind.upper()}: held-out accuracy {run.accuracy:.0%}")
    assert losses.get_lines()[3].get_ydata()[0] == pytest.approx(np.log(4)), "chance"
    for line, run in zip(gradients.get_lines(), runs.values()):
        np.testing.assert_array_equal(line.get_ydata(), run.gradient_start)
    assert "T = 6" in losses.get_title()


# -- bad input --------------------------------------------------------------------------------
def test_bad_input_is_refused_in_words(functions):
    with pytest.raises(ValueError, match="T must be at least 2, got 1"):
        lm.first_symbol_task(4, 1, 0)
    with pytest.raises(ValueError, match="T must be at least 2, got 1"):
        lm.train("rnn", *functions["rnn"], T=1)
    with pytest.raises(ValueError, match="unknown kind 'transformer': choose one of 'rnn', "
                                         "'gru', 'lstm'"):
        lm.initial_parameters("transformer")
    with pytest.raises(ValueError, match="unknown kind 'LSTM'"):
        lm.train("LSTM", *functions["lstm"])
    with pytest.raises(TypeError, match=r"pass your gru_backward function itself \(without "
                                        r"parentheses\), got dict"):
        lm.train("gru", functions["gru"][0], {})
    with pytest.raises(ValueError, match=r"x must be \(4, m, T\) and labels \(m,\)"):
        lm.gradient_through_time("rnn", *functions["rnn"], lm.initial_parameters("rnn"),
                                 np.zeros((3, 2, 5)), np.zeros(2))
    with pytest.raises(TypeError, match="pass functions ="):
        lm.compare([functions["rnn"]])


def test_the_learners_failures_are_named_in_words(functions):
    forward, backward = functions["lstm"]
    P, (x, labels) = lm.initial_parameters("lstm"), lm.first_symbol_task(8, 5, 0)

    def lstm_backward(da, caches):
        raise NotImplementedError

    with pytest.raises(TrainingStopped, match="lstm_backward is not implemented yet: finish "
                                              "its exercise above, run its cell and its check"):
        lm.gradient_through_time("lstm", forward, lstm_backward, P, x, labels)

    def lstm_forward(x, a0, parameters):  # forgets c
        a, y, c, caches = forward(x, a0, parameters)
        return a, y, caches

    with pytest.raises(TrainingStopped, match=r"lstm_forward must return 4 things: a, y, "
                                              "c, caches"):
        lm.gradient_through_time("lstm", lstm_forward, backward, P, x, labels)

    def lstm_backward(da, caches):  # dx transposed
        return backward(da, caches) | {"dx": backward(da, caches)["dx"].T}

    with pytest.raises(TrainingStopped, match=r"lstm_backward returned dx with shape "
                                              r"\(5, 64, 4\), but it must be \(4, 64, 5\)"):
        lm.train("lstm", forward, lstm_backward, T=5, steps=2)

    def lstm_backward(da, caches):
        return backward(da, caches) | {"dx": np.full((4, 8, 5), np.nan)}

    with pytest.raises(TrainingStopped, match="lstm_backward returned dx with 160 values that "
                                              "are nan or inf"):
        lm.gradient_through_time("lstm", forward, lstm_backward, P, x, labels)

    def lstm_backward(da, caches):
        return {k: v for k, v in backward(da, caches).items() if k != "dbo"}

    with pytest.raises(TrainingStopped, match='lstm_backward returned no "dbo"'):
        lm.gradient_through_time("lstm", forward, lstm_backward, P, x, labels)
