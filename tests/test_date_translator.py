"""Week 6's date translator on a reference attention written here: attention's backward and the
model's are the loss's true gradients (finite differences), training translates held-out dates,
the heat map draws translate's weights with the characters as labels and shows the alignment,
a wrong attention is refused in words (or, let through, learns nothing), and runs are seeded."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import date_translator as dt
from course_utils.cnn import TrainingStopped
from course_utils.gradcheck import numerical_gradient, relative_difference

FULL_STEPS, REDUCED_STEPS = 1000, 100  # the notebook's SCALE = 1 and SCALE = 10


def attention(Q, K, V, mask=None):
    """The reference scaled dot-product attention (api.md week 6), rows are positions."""
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = scores + (1 - mask) * -1e9
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


def unscaled(Q, K, V, mask=None):
    e = np.exp(Q @ K.T - (Q @ K.T).max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


def over_columns(Q, K, V, mask=None):
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    weights = e / e.sum(axis=0, keepdims=True)
    return weights @ V, weights


def uniform(Q, K, V, mask=None):
    weights = np.full((Q.shape[0], K.shape[0]), 1 / K.shape[0])
    return weights @ V, weights


@pytest.fixture(scope="module")
def translator() -> dt.DateTranslator:
    return dt.train(attention, steps=FULL_STEPS, seed=0)


# -- the backward passes --------------------------------------------------------------------
def test_attention_backward_is_the_gradient_by_finite_differences():
    rng = np.random.default_rng(1)
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    G = rng.normal(size=(3, 2))  # the loss is sum(G * output)

    def loss():
        return np.sum(G * attention(Q, K, V)[0])

    dQ, dK, dV = dt.attention_backward(G, Q, K, V, attention(Q, K, V)[1])
    for name, array, grad in (("Q", Q, dQ), ("K", K, dK), ("V", V, dV)):
        assert relative_difference(grad, numerical_gradient(loss, array, 1e-6)) < 1e-7, name


def test_attention_backward_takes_a_batch_and_passes_nothing_through_zero_weights():
    rng = np.random.default_rng(2)
    Q, K, V = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 6, 5))
    G = rng.normal(size=(2, 3, 5))
    lengths = (6, 4)  # the second sequence is padded by two positions
    weights = np.zeros((2, 3, 6))
    for i, L in enumerate(lengths):
        weights[i, :, :L] = attention(Q[i], K[i, :L], V[i, :L])[1]
    batched = dt.attention_backward(G, Q, K, V, weights)
    for i, L in enumerate(lengths):
        one = dt.attention_backward(G[i], Q[i], K[i, :L], V[i, :L], weights[i, :, :L])
        np.testing.assert_allclose(batched[0][i], one[0], atol=1e-12)
        for got, want in zip(batched[1:], one[1:]):
            np.testing.assert_allclose(got[i, :L], want, atol=1e-12)
            np.testing.assert_array_equal(got[i, L:], 0)


def test_the_models_gradients_are_the_losss_by_finite_differences():
    P = dt.initial_parameters(seed=4, n_e=3, n_h=4, d_k=3)
    pairs = dt.date_pairs(3, seed=5)
    X, Y = dt.encode_dates(pairs, dt.T_X)
    lengths = np.array([len(h) for h, _ in pairs])
    loss, grads = dt._loss_and_gradients(P, X, lengths, Y, attention)
    assert set(grads) == {"d" + key for key in dt.KEYS} and np.isclose(loss, loss)
    for key in dt.KEYS:
        numeric = numerical_gradient(
            lambda: dt._loss_and_gradients(P, X, lengths, Y, attention)[0], P[key], 1e-6)
        assert grads["d" + key].shape == P[key].shape
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key


# -- training and translating ---------------------------------------------------------------
def test_training_translates_held_out_dates(translator):
    held_out = dt.held_out_pairs(translator, 1000)
    assert not {iso for _, iso in held_out} & translator.training_days
    score = dt.held_out_accuracy(translator, attention)
    assert score["exact"] >= 0.98 and score["per_character"] >= 0.995, score  # measured 1.0
    assert translator.losses[-1] < 0.02 < translator.losses[0]
    isos, weights = dt.translate(translator, ["3 May 1979", "tuesday, march 4, 2031"],
                                 attention)
    assert isos == ["1979-05-03", "2031-03-04"]
    assert [w.shape for w in weights] == [(10, 10), (10, 22)]
    for w in weights:
        np.testing.assert_allclose(w.sum(axis=1), 1)


def test_the_reduced_setting_for_grading_still_learns():
    reduced = dt.train(attention, steps=REDUCED_STEPS, seed=0)
    score = dt.held_out_accuracy(reduced, attention, m=300)
    assert score["exact"] >= 0.9 and score["per_character"] >= 0.99, score  # measured 0.99, 0.999


def test_the_output_digits_attend_to_their_part_of_the_input(translator):
    shares = dt.alignment(translator, attention, m=200)
    # measured: year 0.75, month 0.92, day 0.81; chance is about each part's share of the
    # characters, 4 / 18, 5 / 18, 2 / 18. A value sees 2 characters each side, so a digit may
    # be read next to its place: the year's second digit mostly looks just before the year.
    assert shares["year"] > 0.7 and shares["month"] > 0.85 and shares["day"] > 0.7, shares
    _, (w,) = dt.translate(translator, ["tuesday, march 4, 2031"], attention)
    looks = w.argmax(axis=1)
    assert all(18 <= looks[t] <= 21 for t in (0, 2, 3)), looks  # "2_31" on "2031"
    assert all(9 <= looks[t] <= 13 for t in (5, 6)), looks  # "03" on "march"
    assert all(14 <= looks[t] <= 16 for t in (8, 9)), looks  # "04" on " 4,"
    assert w[[0, 2, 3, 5, 6, 8, 9], looks[[0, 2, 3, 5, 6, 8, 9]]].min() > 0.9


def test_the_heat_map_draws_the_weights_of_translate_with_the_characters(translator):
    text = "tuesday, march 4, 2031"
    fig = dt.plot_attention(translator, text, attention)
    (iso,), (weights,) = dt.translate(translator, [text], attention)
    image = next(im for ax in fig.axes for im in ax.get_images() if im.get_gid() == "attention")
    np.testing.assert_array_equal(image.get_array(), weights)
    ax = image.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == list(iso)
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert len(shown) == len(text) and [s for s, c in zip(shown, text) if c != " "] == [
        c for c in text if c != " "]
    assert f'"{text}"  →  {iso}' in [t.get_text() for a in fig.axes for t in a.texts]


def test_training_is_seeded():
    a, b = (dt.train(attention, steps=15, seed=3) for _ in range(2))
    c = dt.train(attention, steps=15, seed=4)
    assert a.losses == b.losses and a.losses != c.losses
    for key in dt.KEYS:
        np.testing.assert_array_equal(a.parameters[key], b.parameters[key])


# -- a wrong attention ----------------------------------------------------------------------
@pytest.mark.parametrize("wrong, words", [
    (over_columns, ["over_columns", "rows do not sum to 1", "axis 0", "axis=-1"]),
    (unscaled, ["unscaled", "not divided by sqrt(d_k)", "d_k = Q.shape[-1] = 16"]),
    (uniform, ["uniform", "do not follow Q @ K.T"]),
    (lambda Q, K, V, mask=None: attention(Q, K, V)[::-1],
     ["weights of shape (10, 48)", "must be (10, 22)"]),
    (lambda Q, K, V, mask=None: (attention(Q, K, V)[0], attention(Q, K, V)[1].T),
     ["weights of shape (22, 10) (transposed?)", "Q (10, 16), K (22, 16), V (22, 48)"]),
    (lambda Q, K, V, mask=None: (attention(Q, K, V)[0][:, :5], attention(Q, K, V)[1]),
     ["output of shape (10, 5)", "must be (10, 48)"]),
    (lambda Q, K, V, mask=None: (attention(Q, K, V)[1] @ V[::-1], attention(Q, K, V)[1]),
     ["not weights @ V"]),
    (lambda Q, K, V, mask=None: None, ["must return two things", "got None"])])
def test_a_wrong_attention_is_refused_in_words(translator, wrong, words):
    with pytest.raises(TrainingStopped) as error:
        dt.translate(translator, "tuesday, march 4, 2031", wrong)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
    with pytest.raises(TrainingStopped):
        dt.train(wrong, steps=1)


def test_an_unfinished_attention_says_so():
    def scaled_dot_product_attention(Q, K, V, mask=None):
        raise NotImplementedError

    with pytest.raises(TrainingStopped, match="scaled_dot_product_attention is not implemented"):
        dt.train(scaled_dot_product_attention, steps=1)


def test_without_attentions_choice_the_same_model_learns_no_date(monkeypatch):
    monkeypatch.setattr(dt, "_hold_to_the_backward", lambda *args: None)
    blind = dt.train(uniform, steps=REDUCED_STEPS, seed=0)
    score = dt.held_out_accuracy(blind, uniform, m=300)
    assert score["exact"] < 0.05 and score["per_character"] < 0.6, score  # measured 0, 0.43


def test_nan_weights_are_named():
    def overflowing(Q, K, V, mask=None):
        e = np.exp(1000 * Q @ K.T)
        weights = e / e.sum(axis=-1, keepdims=True)
        return weights @ V, weights

    with pytest.raises(TrainingStopped, match="nan or inf.*subtract each row's max"):
        dt.train(overflowing, steps=1)


# -- bad input ------------------------------------------------------------------------------
def test_bad_input_is_refused_in_words(translator):
    with pytest.raises(TypeError, match="without parentheses"):
        dt.train(attention(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1))), steps=1)
    with pytest.raises(ValueError, match="steps must be a whole number of at least 1"):
        dt.train(attention, steps=0)
    with pytest.raises(TypeError, match="the translator that train"):
        dt.translate({"E": 1}, ["3 may 1979"], attention)
    with pytest.raises(ValueError, match="more than the 29 characters|more than the 29"):
        dt.translate(translator, ["wednesday, september 30th, 2020"], attention)
    with pytest.raises(ValueError, match="texts is empty"):
        dt.translate(translator, [], attention)
    with pytest.raises(ValueError, match=r"texts\[1\] must be a date in words"):
        dt.translate(translator, ["3 may 1979", 1979], attention)
    with pytest.raises(TypeError, match="one human date"):
        dt.plot_attention(translator, ["3 may 1979"], attention)
