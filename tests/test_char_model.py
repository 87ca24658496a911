"""Week 6's given character-model code (course_utils.char_model): the backward pass is the
numerical gradient of the forward loss, the loss is -sum log p of the right characters, the
update is in place, and bad input (mismatched X and Y, a bad index, a wrong a0, missing gradient
keys, an exploded model, a bad temperature) is refused with the fix in words."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.char_model import (
    GRADIENT_KEYS,
    KEYS,
    ExplodingGradient,
    char_rnn_backward,
    char_rnn_forward,
    check_temperature,
    get_initial_loss,
    get_sample,
    initialize_char_parameters,
    smooth,
    update_char_parameters,
)
from course_utils.gradcheck import numerical_gradient, relative_difference
from course_utils.sequences import char_to_ix, ix_to_char


def parameters(n_a: int = 4, seed: int = 0, scale: float = 0.5) -> dict:
    rng = np.random.default_rng(seed)
    shapes = {"Wax": (n_a, 27), "Waa": (n_a, n_a), "Wya": (27, n_a), "b": (n_a, 1),
              "by": (27, 1)}
    return {k: scale * rng.normal(size=s) for k, s in shapes.items()}


def name_pair(name: str) -> tuple[list, list]:
    X = [None] + [char_to_ix[ch] for ch in name]
    return X, X[1:] + [char_to_ix["\n"]]


@pytest.mark.parametrize("key", KEYS)
def test_backward_is_the_numerical_gradient_of_the_loss(key):
    P = parameters()
    X, Y = name_pair("otto")
    a0 = np.random.default_rng(1).normal(size=(4, 1)) * 0.3
    loss, cache = char_rnn_forward(X, Y, a0, P)
    gradients, a = char_rnn_backward(X, Y, P, cache)
    numeric = numerical_gradient(lambda: char_rnn_forward(X, Y, a0, P)[0], P[key], 1e-6)
    assert relative_difference(gradients["d" + key], numeric) < 1e-7
    assert np.all(numeric != 0) or key == "Wax"  # every entry is tested (Wax: unused letters 0)
    assert sorted(gradients) == sorted(GRADIENT_KEYS)
    assert sorted(a) == list(range(-1, len(X))) and np.array_equal(a[-1], a0)


def test_the_loss_is_minus_the_log_probability_of_each_next_character():
    P = parameters(seed=3)
    X, Y = name_pair("ada")
    a, want = np.zeros((4, 1)), 0.0
    for t in range(len(X)):  # the model written out: x one-hot, a tanh, p softmax
        x = np.zeros((27, 1))
        if X[t] is not None:
            x[X[t], 0] = 1
        a = np.tanh(P["Wax"] @ x + P["Waa"] @ a + P["b"])
        z = P["Wya"] @ a + P["by"]
        want -= z[Y[t], 0] - np.log(np.sum(np.exp(z)))
    loss, (y_hat, acts, xs) = char_rnn_forward(X, Y, np.zeros((4, 1)), P)
    assert np.isclose(loss, want)
    assert not np.any(xs[0]) and xs[1][char_to_ix["a"], 0] == 1 and xs[1].sum() == 1
    assert all(np.isclose(y_hat[t].sum(), 1) for t in y_hat)


def test_an_exploded_model_points_at_clip():
    P = parameters(scale=1e4)
    X, Y = name_pair("bob")
    with pytest.raises(ExplodingGradient) as failure:
        char_rnn_forward(X, Y, np.zeros((4, 1)), P)
    text = str(failure.value)
    assert "the loss of this name is inf" in text and "exploded" in text, text
    assert "optimize must call clip(gradients, 5) before update_parameters" in text, text
    P = parameters()
    P["Waa"][0, 0] = np.nan
    with pytest.raises(ExplodingGradient, match="the loss of this name is nan"):
        char_rnn_forward(X, Y, np.zeros((4, 1)), P)


@pytest.mark.parametrize(("X", "Y", "a0", "phrase"), [
    ([None, 1, 2], [1, 2], (4, 1), "X has 3 entries and Y 2"),
    ([None, 1, 27], [1, 27, 0], (4, 1), "X[2] is 27, but it must be a character index 0 to 26"),
    ([None, None, 2], [1, 2, 0], (4, 1), "X[0] alone may be None"),
    ([None, 1, 2], [1, 2, None], (4, 1), "Y[2] is None"),
    ([None, "a"], ["a", 0], (4, 1), "X[1] is 'a'"),
    ([], [], (4, 1), "X and Y are empty"),
    ([None, 1], [1, 0], (1, 4), "a0 must be a column (4, 1)"),
])
def test_bad_names_are_refused_with_how_to_build_them(X, Y, a0, phrase):
    with pytest.raises(ValueError) as failure:
        char_rnn_forward(X, Y, np.zeros(a0), parameters())
    assert phrase in str(failure.value), str(failure.value)
    if "a0" not in phrase:
        assert "X = [None] + [char_to_ix[ch] for ch in name]" in str(failure.value)


def test_numpy_indices_are_accepted():
    X, Y = name_pair("eve")
    loss = char_rnn_forward([None, *np.array(X[1:])], list(np.array(Y)), np.zeros((4, 1)),
                            parameters())[0]
    assert np.isclose(loss, char_rnn_forward(X, Y, np.zeros((4, 1)), parameters())[0])


def test_update_is_in_place_and_refuses_missing_gradients():
    P = parameters()
    before = {k: v.copy() for k, v in P.items()}
    arrays = {k: P[k] for k in KEYS}
    G = {f"d{k}": np.full_like(v, 2.0) for k, v in P.items()}
    assert update_char_parameters(P, G, 0.1) is P
    for k in KEYS:
        assert P[k] is arrays[k] and np.allclose(P[k], before[k] - 0.2)
    del G["dby"]
    with pytest.raises(ValueError, match=r"lack \['dby'\].*clip must return all five keys"):
        update_char_parameters(P, G, 0.1)
    assert np.allclose(P["Wax"], before["Wax"] - 0.2), "a refused update changed nothing"


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), True, "1", None])
def test_check_temperature_refuses_what_cannot_divide_the_logits(bad):
    with pytest.raises(ValueError) as failure:
        check_temperature(bad)
    text = str(failure.value)
    assert f"got {bad!r}" in text and "must be a number above 0" in text, text


@pytest.mark.parametrize("good", [0.5, 1, np.float64(2.0), 1e-3])
def test_check_temperature_gives_a_float(good):
    value = check_temperature(good)
    assert isinstance(value, float) and value == float(good)


def test_initialize_parameters_seeds_itself_with_small_weights():
    np.random.seed(123)
    P = initialize_char_parameters(5, 27, 27)
    np.random.seed(456)
    Q = initialize_char_parameters(5, 27, 27)
    assert {k: v.shape for k, v in P.items()} == {"Wax": (5, 27), "Waa": (5, 5),
                                                  "Wya": (27, 5), "b": (5, 1), "by": (27, 1)}
    assert all(np.array_equal(P[k], Q[k]) for k in KEYS)
    assert not np.any(P["b"]) and not np.any(P["by"])
    assert np.allclose(P["Wax"], np.random.RandomState(1).randn(5, 27) * 0.01)
    assert 0.005 < np.std(P["Waa"]) < 0.02


def test_initial_loss_is_uniform_guessing_and_smooth_weighs_the_past():
    assert np.isclose(get_initial_loss(27, 7), 7 * np.log(27))
    assert np.isclose(smooth(10.0, 20.0), 10.01)
    loss = get_initial_loss(27, 7)
    for _ in range(5000):
        loss = smooth(loss, 3.0)
    assert abs(loss - 3.0) < 0.01 * get_initial_loss(27, 7)


def test_get_sample_capitalizes_and_refuses_what_is_no_name():
    assert get_sample([1, 14, 14, 1, 0], ix_to_char) == "Anna\n"
    assert get_sample(list(np.array([2, 15, 2, 0])), ix_to_char) == "Bob\n"
    with pytest.raises(ValueError, match="the list of indices is empty"):
        get_sample([], ix_to_char)
    with pytest.raises(ValueError, match="30 is not an index of ix_to_char"):
        get_sample([1, 30, 0], ix_to_char)
