"""Week 6's date translator: the learner's scaled dot-product attention turns human dates
("3 may 1979") into ISO dates ("1979-05-03"), trained here in numpy, with a heat map of where
each output character looked.

The model (numpy only; rows are positions, as in api.md's attention):
    h   = tanh(Wc [E x<t'-2>; ...; E x<t'+2>] + bc)      each input character in its 5-window
    K   = h Wk + P_start[t'] + P_end[T_x - 1 - t']         keys know where they are
    V   = h                                              values say what is there
    out, weights = attention(Q, K, V)                    Q: T_Y = 10 learned queries
    ŷ<t> = softmax(out<t> Wo<t> + bo<t>)                  one output layer per ISO position

The learner's function is called once per date (K and V hold that date's characters only, no
padding, so no mask); everything else, with the backward of attention (`attention_backward`),
is this module's. Trained with Adam on seeded date_pairs:

    translator = train(scaled_dot_product_attention, steps=1000)
    held_out_accuracy(translator, scaled_dot_product_attention)  # {"exact": .., ...}
    isos, weights = translate(translator, ["3 may 1979"], scaled_dot_product_attention)
    plot_attention(translator, "tuesday, march 4, 2031", scaled_dot_product_attention)

A learner's function that raises, returns the wrong shapes or nan, rows of weights that do
not sum to 1, an output that is not weights @ V, or scores not divided by sqrt(d_k) (the
backward here is that function's) stops with a TrainingStopped that says so.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from .cnn import TrainingStopped, _adam_step
from .dates import (
    MAX_HUMAN_LENGTH,
    MONTHS,
    T_Y,
    date_pairs,
    encode_dates,
    human_vocab,
    inv_machine_vocab,
    machine_vocab,
)
from .diagrams_rnn import attention_map
from .learner_code import failure_words

__all__ = ["DateTranslator", "alignment", "attention_backward", "held_out_accuracy",
           "held_out_pairs", "initial_parameters", "plot_attention", "train", "translate"]

T_X = MAX_HUMAN_LENGTH
WINDOW = 2  # characters seen on each side of a position
PAD = human_vocab["<pad>"]
HELD_OUT_SEED = 60_000  # the held-out dates are drawn from this seed, minus the training days
POSITION_SCALE = 0.1  # the position terms start small: what a character is leads
KEYS = ("E", "Wc", "bc", "Wk", "P_start", "P_end", "Q", "Wo", "bo")


# -- attention's backward pass --------------------------------------------------------------
def attention_backward(d_output, Q, K, V, weights):
    """dQ, dK, dV of output = weights @ V with weights = softmax_rows(Q K^T / sqrt(d_k)), from
    d_output (T_q, d_v) and the forward's weights (T_q, T_k); leading batch axes are allowed
    (zero weights, as at padding, pass no gradient)."""
    Q, K, V, weights = map(np.asarray, (Q, K, V, weights))
    d_weights = d_output @ np.swapaxes(V, -1, -2)
    dV = np.swapaxes(weights, -1, -2) @ d_output
    d_scores = weights * (d_weights - np.sum(d_weights * weights, axis=-1, keepdims=True))
    d_scores /= np.sqrt(Q.shape[-1])
    return d_scores @ K, np.swapaxes(d_scores, -1, -2) @ Q, dV


# -- the learner's attention, held to its contract -------------------------------------------
def _plain(words: str) -> str:
    return re.sub(r"<[^>]+>", "", words)


def _attend(attention, Q, K, V, thorough: bool):
    """attention(Q, K, V) -> (output, weights) as finite arrays of the right shapes, or a
    TrainingStopped in words; with `thorough`, also held to the backward's function."""
    name = getattr(attention, "__name__", "your attention function")
    try:
        with np.errstate(all="ignore"):
            result = attention(Q, K, V)
    except Exception as error:  # the learner's code may raise anything
        raise TrainingStopped(_plain(failure_words(attention, error)).replace(
            "move a slider again", "run this again")) from None
    if not isinstance(result, tuple) or len(result) != 2:
        got = "None" if result is None else type(result).__name__ + (
            f" of {len(result)}" if isinstance(result, (tuple, list)) else "")
        raise TrainingStopped(f"{name} must return two things, output, weights; got {got}.")
    output, weights = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
    T_q, T_k, d_v = Q.shape[0], K.shape[0], V.shape[1]
    for part, got, want, why in (
            ("weights", weights, (T_q, T_k), "(T_q, T_k): one row per query, one per key"),
            ("output", output, (T_q, d_v), "(T_q, d_v): one row per query, V's columns")):
        if got.shape != want:
            flipped = " (transposed?)" if got.shape == want[::-1] else ""
            raise TrainingStopped(
                f"{name} returned {part} of shape {got.shape}{flipped} for Q {Q.shape}, K "
                f"{K.shape}, V {V.shape}, but it must be {want}, {why}. Make its check above "
                "pass.")
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(output))):
        raise TrainingStopped(f"{name} returned nan or inf for finite Q, K, V (largest |score| "
                              f"{np.abs(Q @ K.T).max():.3g}): subtract each row's max before "
                              "np.exp. Make its check above pass.")
    if thorough:
        _hold_to_the_backward(name, Q, K, V, output, weights)
    return output, weights


def _hold_to_the_backward(name: str, Q, K, V, output, weights) -> None:
    """A TrainingStopped unless the weights are a row softmax of the scores scaled by
    1 / sqrt(d_k) and output = weights @ V: the backward pass here is that function's."""
    T_k, d_k = K.shape
    sums = weights.sum(axis=1)
    if np.any(weights < 0) or not np.allclose(sums, 1, atol=1e-6):
        columns = " (its columns do: the softmax ran over axis 0)" if np.allclose(
            weights.sum(axis=0), 1, atol=1e-6) else ""
        raise TrainingStopped(
            f"{name} returned weights whose rows do not sum to 1 (row sums {sums.min():.3g} to "
            f"{sums.max():.3g}){columns}: each query's weights over the {T_k} keys are a "
            "softmax along the rows, axis=-1. Make its check above pass.")
    if not np.allclose(output, weights @ V, rtol=1e-6, atol=1e-8):
        raise TrainingStopped(f"{name} returned an output that is not weights @ V: each query's "
                              "row of weights mixes the rows of V. Make its check above pass.")
    # Where both are above 0, a row's log-weights minus that of its largest are its scores minus
    # that one's: the slope between them says what the scores were divided by.
    rows, top = np.arange(len(Q)), weights.argmax(axis=1)
    keep = weights > 1e-12
    scores = Q @ K.T
    logs = np.log(np.where(keep, weights, 1)) - np.log(weights[rows, top])[:, None]
    scores = (scores - scores[rows, top][:, None])[keep]
    logs = logs[keep]
    if not np.any(scores):
        return  # one-hot rows show no scale
    slope = float(np.sum(logs * scores) / np.sum(scores * scores))
    if not np.allclose(logs, scores / np.sqrt(d_k), rtol=1e-4, atol=1e-6):
        divisor = 1 / slope if slope > 1e-6 else np.inf
        told = {1.0: "not divided by sqrt(d_k)", float(d_k): "divided by d_k, not sqrt(d_k)"}
        words = next((w for x, w in told.items() if np.isclose(divisor, x, rtol=1e-3)),
                     f"as if divided by {divisor:.4g}" if np.isfinite(divisor) else
                     "unused: the weights do not follow Q @ K.T")
        raise TrainingStopped(
            f"{name} returned weights that are not softmax(Q K^T / sqrt(d_k)) with d_k = "
            f"Q.shape[-1] = {d_k} (sqrt = {np.sqrt(d_k):.4g}): the scores look {words}. The "
            "backward pass here is that of the scaled scores. Make its check above pass.")


# -- the model ------------------------------------------------------------------------------
def _check_whole(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}.")
    return int(value)


def _check_attention(attention) -> None:
    if not callable(attention):
        raise TypeError("pass your scaled_dot_product_attention function itself (without "
                        f"parentheses) as attention, got {type(attention).__name__}.")


def initial_parameters(seed: int = 0, n_e: int = 16, n_h: int = 48, d_k: int = 16) -> dict:
    """The model's parameters: embeddings E (vocabulary, n_e), the window layer Wc
    ((2 WINDOW + 1) n_e, n_h) and bc, keys Wk (n_h, d_k) and the position terms P_start, P_end
    (T_X, d_k), the queries Q (T_Y, d_k), the output layers Wo (T_Y, n_h, 11) and bo (T_Y, 11)."""
    n_e, n_h, d_k = (_check_whole(n, v, 1) for n, v in (("n_e", n_e), ("n_h", n_h),
                                                          ("d_k", d_k)))
    rng = np.random.default_rng([seed, 6])
    n_in, n_y = (2 * WINDOW + 1) * n_e, len(machine_vocab)
    return {"E": rng.normal(size=(len(human_vocab), n_e)),
            "Wc": rng.normal(size=(n_in, n_h)) / np.sqrt(n_in), "bc": np.zeros(n_h),
            "Wk": rng.normal(size=(n_h, d_k)) / np.sqrt(n_h),
            "P_start": POSITION_SCALE * rng.normal(size=(T_X, d_k)),
            "P_end": POSITION_SCALE * rng.normal(size=(T_X, d_k)),
            "Q": rng.normal(size=(T_Y, d_k)),
            "Wo": rng.normal(size=(T_Y, n_h, n_y)) / np.sqrt(n_h), "bo": np.zeros((T_Y, n_y))}


def _windows(X):
    """The indices (m, T_X, 2 WINDOW + 1) of each position's window, <pad> outside the date."""
    padded = np.pad(X, ((0, 0), (WINDOW, WINDOW)), constant_values=PAD)
    return np.stack([padded[:, o:o + X.shape[1]] for o in range(2 * WINDOW + 1)], axis=-1)


def _encode(P: dict, X, lengths):
    """h (m, T_X, n_h), K (m, T_X, d_k) and what the backward needs."""
    idx = _windows(X)
    x = P["E"][idx].reshape(*X.shape, -1)
    h = np.tanh(x @ P["Wc"] + P["bc"])
    positions = np.arange(X.shape[1])
    from_end = np.clip(lengths[:, None] - 1 - positions, 0, T_X - 1)
    K = h @ P["Wk"] + P["P_start"][positions] + P["P_end"][from_end]
    return h, K, (idx, x, from_end)


def _forward(P: dict, X, lengths, attention, thorough: bool = False):
    """Probabilities (m, T_Y, 11), weights (m, T_Y, T_X) zero past each date, and a cache."""
    h, K, enc = _encode(P, X, lengths)
    m = X.shape[0]
    context = np.zeros((m, T_Y, h.shape[-1]))
    weights = np.zeros((m, T_Y, X.shape[1]))
    for i, L in enumerate(lengths):
        context[i], weights[i, :, :L] = _attend(attention, P["Q"], K[i, :L], h[i, :L],
                                                thorough and i == 0)
    logits = (context.transpose(1, 0, 2) @ P["Wo"]).transpose(1, 0, 2) + P["bo"]
    logits -= logits.max(axis=-1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=-1, keepdims=True)
    return p, weights, (h, K, enc, context)


def _flat(a):
    return a.reshape(-1, a.shape[-1])


def _scatter_rows(indices, rows, n: int):
    """The sums (n, d) of the `rows` (..., d) by their `indices` (...): np.add.at, faster."""
    return np.eye(n)[indices.reshape(-1)].T @ _flat(rows)


def _loss_and_gradients(P: dict, X, lengths, Y, attention, thorough: bool = False):
    """The mean cross-entropy over the dates and the 10 positions, and its gradients (d + key)."""
    p, weights, (h, K, (idx, x, from_end), context) = _forward(P, X, lengths, attention,
                                                               thorough)
    m = X.shape[0]
    rows, cols = np.arange(m)[:, None], np.arange(T_Y)[None, :]
    loss = float(-np.mean(np.log(np.maximum(p[rows, cols, Y], 1e-300))))
    d_logits = p.copy()
    d_logits[rows, cols, Y] -= 1
    d_logits /= m * T_Y
    by_position = d_logits.transpose(1, 0, 2)  # (T_Y, m, 11)
    g = {"dWo": context.transpose(1, 2, 0) @ by_position, "dbo": d_logits.sum(axis=0)}
    d_context = (by_position @ P["Wo"].transpose(0, 2, 1)).transpose(1, 0, 2)
    Q = np.broadcast_to(P["Q"], (m, *P["Q"].shape))
    dQ, dK, dh = attention_backward(d_context, Q, K, h, weights)
    g["dQ"] = dQ.sum(axis=0)
    positions = np.arange(X.shape[1])
    g["dP_start"] = np.zeros_like(P["P_start"])
    g["dP_start"][positions] = dK.sum(axis=0)
    g["dP_end"] = _scatter_rows(from_end, dK, T_X)
    g["dWk"] = _flat(h).T @ _flat(dK)
    dz = (dh + dK @ P["Wk"].T) * (1 - h * h)
    g["dWc"] = _flat(x).T @ _flat(dz)
    g["dbc"] = dz.sum(axis=(0, 1))
    g["dE"] = _scatter_rows(idx, (dz @ P["Wc"].T).reshape(*idx.shape, -1), len(P["E"]))
    return loss, g


@dataclass
class DateTranslator:
    """What `train` returns: the parameters, the loss per step, the training days (held out of
    the accuracy), the number of steps and the seconds the training took."""

    parameters: dict
    losses: list = field(default_factory=list)
    training_days: frozenset = frozenset()
    steps: int = 0
    seed: int = 0
    seconds: float = 0.0

    def __repr__(self) -> str:
        last = f", last loss {self.losses[-1]:.3f}" if self.losses else ""
        return (f"DateTranslator({self.steps} steps, seed {self.seed}{last}, "
                f"{self.seconds:.1f} s)")


def _lengths(pairs) -> np.ndarray:
    return np.array([len(human) for human, _ in pairs])


def train(attention, steps: int = 1000, seed: int = 0, *, train_size: int = 10_000,
          batch_size: int = 32, learning_rate: float = 0.01, progress: bool = False,
          **sizes) -> DateTranslator:
    """Trains the translator with the learner's `attention` and Adam: `steps` batches of
    `batch_size` dates drawn from `train_size` seeded pairs (`sizes`: n_e, n_h, d_k as in
    initial_parameters). Seeded: the same arguments give the same numbers."""
    began = time.perf_counter()
    _check_attention(attention)
    steps = _check_whole("steps", steps, 1)
    batch_size = _check_whole("batch_size", batch_size, 1)
    pairs = date_pairs(_check_whole("train_size", train_size, 1), seed)
    X, Y = encode_dates(pairs, T_X)
    lengths = _lengths(pairs)
    P = initial_parameters(seed, **sizes)
    order = np.random.default_rng([seed, 1])
    losses, moments, bar = [], {}, None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=steps, desc="date translator", leave=False)
    for t in range(1, steps + 1):
        batch = order.integers(0, len(pairs), size=batch_size)
        loss, grads = _loss_and_gradients(P, X[batch], lengths[batch], Y[batch], attention,
                                          thorough=t == 1)
        if not np.isfinite(loss):
            raise TrainingStopped(f"the loss became {loss} at step {t}: lower the learning rate "
                                  f"{learning_rate:g}, or make the attention's check pass.")
        losses.append(loss)
        P, moments = _adam_step(P, grads, moments, t, learning_rate)
        if bar is not None:
            bar.update()
            if t % 50 == 0:
                bar.set_postfix(loss=f"{loss:.3f}")
    if bar is not None:
        bar.close()
    return DateTranslator(P, losses, frozenset(iso for _, iso in pairs), steps, seed,
                          time.perf_counter() - began)


# -- using it -------------------------------------------------------------------------------
def _check_model(model) -> DateTranslator:
    if not isinstance(model, DateTranslator):
        raise TypeError("pass the translator that train(...) returns as model, got "
                        f"{type(model).__name__}.")
    return model


def _texts(texts) -> list[str]:
    if isinstance(texts, str):
        texts = [texts]
    texts = list(texts)
    if not texts:
        raise ValueError('texts is empty: pass human dates, e.g. ["3 may 1979"].')
    out = []
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"texts[{i}] must be a date in words, e.g. '3 may 1979', got "
                             f"{text!r}.")
        if len(text) > T_X:
            raise ValueError(f"texts[{i}] {text!r} has {len(text)} characters, more than the "
                             f"{T_X} the translator reads: shorten it (spell the month out, "
                             "drop the weekday).")
        out.append(text.lower())
    return out


def translate(model: DateTranslator, texts, attention):
    """The ISO dates of `texts` (a human date or a list of them) and, for each, the attention
    weights (T_Y, len(text)): row t is output character t's weights over the input characters."""
    model = _check_model(model)
    _check_attention(attention)
    texts = _texts(texts)
    X, _ = encode_dates([(text, "0000-00-00") for text in texts], T_X)
    lengths = np.array([len(text) for text in texts])
    p, weights, _ = _forward(model.parameters, X, lengths, attention, thorough=True)
    isos = ["".join(inv_machine_vocab[int(i)] for i in row) for row in p.argmax(axis=-1)]
    return isos, [w[:, :L] for w, L in zip(weights, lengths)]


def held_out_pairs(model: DateTranslator, m: int = 1000) -> list:
    """`m` seeded (human, iso) pairs whose days the model never saw in training."""
    m = _check_whole("m", m, 1)
    pool = date_pairs(3 * m, HELD_OUT_SEED)
    pairs = [pair for pair in pool if pair[1] not in _check_model(model).training_days][:m]
    if len(pairs) < m:
        raise ValueError(f"only {len(pairs)} held-out days remain: ask for fewer than m = {m}.")
    return pairs


def held_out_accuracy(model: DateTranslator, attention, m: int = 1000, pairs=None) -> dict:
    """{"exact": the share of whole dates right, "per_character": the share of the 10 ISO
    characters right} on `pairs` (default: `m` held-out pairs of days the model never saw)."""
    pairs = held_out_pairs(model, m) if pairs is None else list(pairs)
    isos, _ = translate(model, [human for human, _ in pairs], attention)
    right = np.array([[a == b for a, b in zip(got, iso)] for got, (_, iso) in zip(isos, pairs)])
    return {"exact": float(right.all(axis=1).mean()), "per_character": float(right.mean())}


_MONTH = re.compile("|".join(sorted(MONTHS, key=len, reverse=True)
                             + [m[:3] for m in MONTHS if m != "may"]))


def _spans(text: str) -> dict:
    """The input positions of the year (the last 4), the month's word and the day's digits."""
    month = _MONTH.search(text, pos=text.find(" ") + 1 if text[:3] in
                          ("mon", "tue", "wed", "thu", "fri", "sat", "sun") else 0)
    day = next(d for d in re.finditer(r"\d+", text) if d.end() < len(text) - 4)
    return {"year": range(len(text) - 4, len(text)), "month": range(*month.span()),
            "day": range(*day.span())}


def alignment(model: DateTranslator, attention, m: int = 200) -> dict:
    """The mean share of attention that the year's 4 output digits put on the year's
    characters, the month's 2 digits on the month's word and the day's 2 on the day's digits
    (held-out dates); chance is about the part's share of the characters."""
    pairs = held_out_pairs(model, m)
    texts = [human for human, _ in pairs]
    _, weights = translate(model, texts, attention)
    outputs = {"year": [0, 1, 2, 3], "month": [5, 6], "day": [8, 9]}
    shares = {part: [] for part in outputs}
    for text, w in zip(texts, weights):
        for part, span in _spans(text).items():
            shares[part].append(w[outputs[part]][:, list(span)].sum(axis=1).mean())
    return {part: float(np.mean(values)) for part, values in shares.items()}


def plot_attention(model: DateTranslator, text: str, attention) -> Figure:
    """A heat map of the weights of `text`: one row per ISO character, one column per input
    character; the title shows the translation."""
    if not isinstance(text, str):
        raise TypeError(f"text must be one human date (a string), e.g. '3 may 1979', got "
                        f"{type(text).__name__}.")
    (iso,), (weights,) = translate(model, [text], attention)
    return attention_map(weights, text.lower(), iso, title=f'"{text.lower()}"  →  {iso}')
