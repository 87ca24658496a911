"""Visible checks of week 5's convolution section: zero_pad, conv_single_step, conv_forward and
conv_backward (the loop versions of the lectures, channels last).

The right answers are stored values only. A slip is named from the case's inputs and stored
values (no bias: the stored Z minus b; `=` for `+=`: what the last window written leaves) or
from the learner's own function run once more: a window that ignores the stride gives, at
stride 2, the learner's own stride-1 numbers at the first positions. A function that crashes
is told the shapes of the inputs it got (`exercise`, shared with the pooling section).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from ...learner_code import quiet
from .. import diagnoses
from ..core import Check, Upstream, _join, describe, show
from . import WEEK

SIZE_RULE = "n_H = floor((n_H_prev + 2*pad - f) / stride) + 1"
PAD_RULE = ("X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant', "
            "constant_values=(0, 0)): zeros above, below, left and right of every picture.")
WINDOW_RULE = ("the window of output position (h, w) starts at vert_start = h * stride, "
               "horiz_start = w * stride and ends f later, vert_end = vert_start + f, "
               "horiz_end = horiz_start + f (rows are axis 1, columns axis 2)")


# -- fixed inputs and shared pieces (the pooling section uses them too) ---------------------
def tensor(shape: tuple, seed: int, scale: float = 1.0) -> np.ndarray:
    """Deterministic normal numbers of any shape (rounded), leaving the global random state."""
    return np.round(np.random.default_rng(seed).normal(size=shape) * scale, 4)


def output_size(n: int, f: int, stride: int, pad: int = 0) -> int:
    """floor((n + 2 pad - f) / stride) + 1."""
    return (n + 2 * pad - f) // stride + 1


# fast.py's names from before the shared Check.call showed a crash's inputs itself


def again(case, **changes):
    """The learner's function once more on the case's inputs with `changes` (nothing printed,
    no warnings), or None if it fails."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), quiet():
            return case.exercise.call(case._fn, {**case, **changes}, seed=None)
    except Exception:  # the learner's code may raise anything
        return None


def matches(value, want) -> bool:
    """`value` has `want`'s shape and numbers, to the rounding of stored values (a wrong answer
    computed from them, the stored Z minus b, is off by up to 1e-7 of the largest); never
    raises."""
    try:
        got, want = np.asarray(value, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return False
    scale = float(np.max(np.abs(want), initial=1.0))
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-6, atol=1e-6 * scale))


def gives(value, want, wrong) -> bool:
    """`value` is the wrong answer `wrong`, which the right answer `want` is not."""
    return wrong is not None and matches(value, wrong) and not matches(want, wrong)


def slip(value, want, slips: list, hint: str | None = None) -> str | None:
    """The hint of the first slip whose wrong answer `value` has (and `want` has not)."""
    return next((words for wrong, words in slips if gives(value, want, wrong)), hint)


STRIDE_SLIPS = (("first", "first", "vert_start and horiz_start"), ("first", "every", "vert_start"),
                ("every", "first", "horiz_start"))


def ignored_stride(case, got, want, stride: int, part: int | None = None) -> str | None:
    """A forward pass whose windows do not move by the stride: at stride s, its numbers are the
    learner's own stride-1 output taken at the first rows or columns instead of every s-th."""
    if stride == 1:
        return None
    out = again(case, hparameters={**case["hparameters"], "stride": 1})
    full = out if part is None or not isinstance(out, tuple | list) else out[part]
    if not isinstance(full, np.ndarray) or full.ndim != 4:
        return None
    n_H, n_W = np.shape(want)[1:3]
    for rows, cols, which in STRIDE_SLIPS:
        r = np.arange(n_H) * (1 if rows == "first" else stride)
        c = np.arange(n_W) * (1 if cols == "first" else stride)
        if r[-1] < full.shape[1] and c[-1] < full.shape[2] and gives(
                got, want, full[:, r][:, :, c]):
            return (f"the stride is not used in {which}: the window must move stride = {stride} "
                    f"pixels per output position, vert_start = h * stride and horiz_start = "
                    "w * stride.")
    return None


def ignored_stride_backward(case, got, want, stride: int, grad: str, part: int | None = None
                            ) -> str | None:
    """A backward pass whose windows do not move by the stride: its numbers at stride s are the
    learner's own stride-1 numbers for the gradient `grad` spread at the first positions."""
    if stride == 1:
        return None
    upstream, cache = case.exercise.classic[:2]  # ("dZ", "cache") or ("dA", "cache")
    A_prev, hp = case[cache][0], case[cache][-1]
    f = hp["f"] if "f" in hp else case[cache][1].shape[0]
    pad = hp.get("pad", 0)
    given = np.asarray(case[upstream], dtype=float)
    m, n_H, n_W, n_C = given.shape
    size = (output_size(A_prev.shape[1], f, 1, pad), output_size(A_prev.shape[2], f, 1, pad))
    for rows, cols, which in STRIDE_SLIPS:
        r = np.arange(n_H) * (1 if rows == "first" else stride)
        c = np.arange(n_W) * (1 if cols == "first" else stride)
        if r[-1] >= size[0] or c[-1] >= size[1]:
            continue
        spread = np.zeros((m, *size, n_C))
        spread[:, r[:, None], c[None, :]] = given
        out = again(case, **{upstream: spread, cache: (*case[cache][:-1], {**hp, "stride": 1})})
        out = out if part is None or not isinstance(out, tuple | list) else out[part]
        if gives(got, want, out):
            return (f"the stride is not used in {which}: {grad} collects from windows that move "
                    f"stride = {stride} pixels per output position, vert_start = h * stride and "
                    "horiz_start = w * stride.")
    return None


def coverage(n: int, f: int, stride: int, n_out: int) -> np.ndarray:
    """How many windows cover each of n positions along one axis (windows at stride steps)."""
    count = np.zeros(n, dtype=int)
    for h in range(n_out):
        count[h * stride:h * stride + f] += 1
    return count


def last_window(n: int, f: int, stride: int, n_out: int) -> np.ndarray:
    """The last window (along one axis) that covers each position, -1 where none does."""
    last = np.full(n, -1)
    for h in range(n_out):
        last[h * stride:h * stride + f] = h
    return last


def overlap_slip(got, want, counts: np.ndarray, where: str) -> str | None:
    """`=` instead of `+=`: right where one window covers a pixel, wrong where several do."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if got.shape != np.shape(want) or np.allclose(got, want):
        return None
    once = np.broadcast_to((counts == 1)[None, :, :, None], got.shape)
    if once.any() and np.allclose(got[once], want[once]):
        return (f"{where} is right where only one window covers a pixel and wrong where windows "
                "overlap: use += so that a pixel collects the gradient of every window it is "
                "in (= keeps the last window's only).")
    return None


def close_at(check: Check, name: str, label: str, value, want, hint: str | None) -> None:
    """`check.close` of the array `name`, but a wrong array of more than 12 numbers is told by
    how many entries are wrong and the first of them, by its index, rather than printed whole."""
    __tracebackhide__ = True
    want = np.asarray(want, dtype=float)
    if np.shape(value) == want.shape and want.size > 12:
        got = np.asarray(value, dtype=float)
        wrong = ~np.isclose(got, want, rtol=1e-6, atol=1e-8)
        if wrong.any():
            index = tuple(int(i) for i in np.argwhere(wrong)[0])
            finite = "" if np.all(np.isfinite(got)) else (
                "it contains nan or inf: look for a division by 0. ")
            check.fail(f"{name}{label} is wrong at {wrong.sum()} of its {wrong.size} entries: "
                       f"{name}{list(index)} is {got[index]:.6g}, but it must be "
                       f"{want[index]:.6g}.", _join(finite, hint) if finite else hint)
    check.close(f"{name}{label}", value, want, hint)


def _label(A_prev: np.ndarray, W: np.ndarray, hp: dict) -> str:
    return (f" (A_prev of shape {A_prev.shape}, W of shape {W.shape}, stride {hp['stride']}, "
            f"pad {hp['pad']})")


def size_hint(got: tuple, want: tuple, n_prev: tuple, f: int, stride: int, pad: int,
              what: str = "Z", channels: str = "n_C") -> str:
    """The output size's formula with the case's numbers, and the slip its shape shows."""
    (n_H_prev, n_W_prev), (m, n_H, n_W, n_C) = n_prev, want
    rule = SIZE_RULE if pad is not None else SIZE_RULE.replace(" + 2*pad", "")
    pad = pad or 0
    numbers = (f"{rule}: floor(({n_H_prev}{f' + 2*{pad}' if pad else ''} - {f}) / {stride}) + 1"
               f" = {n_H}, and n_W = {n_W} the same way from n_W_prev = {n_W_prev}")
    if len(got) != 4:
        return f"{what} is (m, n_H, n_W, {channels}), channels last: {numbers}."
    if got == (m, n_C, n_H, n_W) != want:
        return f"the channels go last: {what} is (m, n_H, n_W, {channels})."
    ceil = ((n_H_prev + 2 * pad - f) // -stride * -1 + 1, (n_W_prev + 2 * pad - f) // -stride
            * -1 + 1)
    if got[1:3] == ceil != want[1:3]:
        return f"round down, not up or to the nearest (int(...) or //): {numbers}."
    if pad and got[1:3] == (output_size(n_H_prev, f, stride), output_size(n_W_prev, f, stride)):
        return f"the padding is left out of the size: {numbers}."
    return numbers + "."


# -- zero_pad --------------------------------------------------------------------------------
def _padding_hint(X_pad, X: np.ndarray, pad: int) -> str:
    """Names a wrong padding from the shape it gives and where X sits in it."""
    got, (_, n_H, n_W, _) = np.shape(X_pad), X.shape
    if len(got) != 4:
        return "X_pad keeps the four axes of X, (m, n_H, n_W, n_C). " + PAD_RULE
    extra = [g - s for g, s in zip(got, X.shape)]
    if extra[0] or extra[3]:
        return ("only the height and the width get zeros (axes 1 and 2): the examples (axis 0) "
                "and the channels (axis 3) are not padded. " + PAD_RULE)
    k = extra[1] // 2
    if extra[1] == extra[2] and extra[1] % 2 == 0 and matches(
            np.asarray(X_pad)[:, k:k + n_H, k:k + n_W], X):
        return (f"this is a padding of {k} on each side, but pad is {pad}: use the pad "
                "argument, once on each side. " + PAD_RULE)
    if extra[1] == extra[2] == pad != 0:
        return "pad on both sides, (pad, pad), not on one: " + PAD_RULE
    return PAD_RULE


@WEEK.exercise("zero_pad(X, pad)", [
    {"X": tensor((2, 3, 3, 2), 501), "pad": 1},
    {"X": tensor((1, 3, 4, 3), 502), "pad": 2},
    {"X": tensor((3, 2, 2, 1), 503), "pad": 0},
    {"X": tensor((2, 4, 3, 2), 504), "pad": 3}],
    hints={"could not broadcast input array": "X does not fit the slice it is put into: "
                                              "X_pad[:, pad:-pad, pad:-pad, :] is empty when "
                                              "pad = 0 (-0 is 0); slice pad:pad + n_H and "
                                              "pad:pad + n_W, or use np.pad.",
           "requested shape": "np.pad takes one (before, after) pair per axis, four for X: "
                              "((0, 0), (pad, pad), (pad, pad), (0, 0))."})
def check_zero_pad(check, case, X_pad, want):
    X, pad = case["X"], case["pad"]
    (_, n_H, n_W, _), label = X.shape, f"zero_pad(X of shape {X.shape}, pad={pad})"
    check.is_array(label, X_pad, "return the padded array np.pad gives.")
    check.shape(label, X_pad, want.shape, _padding_hint(X_pad, X, pad))
    got = np.asarray(X_pad, dtype=float)
    middle = got[:, pad:pad + n_H, pad:pad + n_W, :]
    check.true(np.allclose(middle, X), f"{label} does not hold X unchanged in its middle, "
                                       f"X_pad[:, {pad}:{pad + n_H}, {pad}:{pad + n_W}, :].",
               "add the same number of zeros before and after each of H and W: " + PAD_RULE)
    border = got.copy()
    border[:, pad:pad + n_H, pad:pad + n_W, :] = 0
    check.true(not np.any(border), f"{label} has nonzero values in its border: "
                                   f"{show(border[border != 0][:6])}.",
               "the border must be zeros: mode='constant' with constant_values=0 (the modes "
               "'edge' and 'reflect' copy the picture's values into it).")
    close_at(check, "X_pad", f" of {label}", X_pad, want, PAD_RULE)


# -- conv_single_step --------------------------------------------------------------------------
SINGLE_STEP = ("Z = np.sum(a_slice_prev * W) + b.item(): the element-wise product of the slice "
               "and the filter, summed, plus the bias once.")


@WEEK.exercise("conv_single_step(a_slice_prev, W, b)", [
    {"a_slice_prev": tensor((3, 3, 2), 511), "W": tensor((3, 3, 2), 512),
     "b": np.array([[[0.7]]])},
    {"a_slice_prev": tensor((2, 2, 3), 513), "W": tensor((2, 2, 3), 514),
     "b": np.array([[[-1.3]]])},
    {"a_slice_prev": tensor((4, 4, 1), 515, 2.0), "W": tensor((4, 4, 1), 516),
     "b": np.array([[[2.25]]])}],
    hints={"not aligned": "multiply element-wise, a_slice_prev * W (or np.multiply), not with "
                          "np.dot or @: each number of the slice meets the weight at its own "
                          "place, then np.sum adds them up.",
           "converted to Python scalars": "b is an array of shape (1, 1, 1), and float() takes "
                                          "only a 0-d array: use b.item() or "
                                          "float(np.squeeze(b))."})
def check_conv_single_step(check, case, Z, want):
    a, b = case["a_slice_prev"], case["b"]
    label = f"conv_single_step (a slice of shape {a.shape}, b = {b.item()})"
    if isinstance(Z, np.ndarray) and np.shape(Z) == np.shape(b):
        check.fail(f"{label} returned an array of shape {np.shape(Z)}, the shape of b.",
                   "adding b, an array of shape (1, 1, 1), keeps an array: add b.item() (or "
                   "float(np.squeeze(b))) so that Z is one number.")
    if isinstance(Z, np.ndarray) and np.shape(Z) == a.shape:
        check.fail(f"{label} returned an array of shape {np.shape(Z)}, one number per "
                   "product.", "sum the products: " + SINGLE_STEP)
    check.scalar(label, Z, SINGLE_STEP)
    check.true(isinstance(Z, np.float64), f"{label} must be a np.float64, but it is "
                                          f"{describe(Z)}.",
               "keep the given last line, return np.float64(Z).")
    bias, n = float(b.item()), a.size
    core = float(want) - bias
    slips = [(core, "the bias b is missing: add it once, after the sum."),
             (core + n * bias, "b is added once, after the sum, not to every product."),
             (core - bias, "the bias is added, not subtracted."),
             (core / n + bias, "a sum, not a mean: np.sum, not np.mean."),
             (core / n, "a sum, not a mean (np.sum), and the bias is missing.")]
    check.close(label, Z, want, _join(slip(Z, want, slips), SINGLE_STEP))


# -- conv_forward ----------------------------------------------------------------------------
FORWARD_RULE = ("Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c]) "
                "with a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] "
                f"of the padded input, where {WINDOW_RULE}.")


def _conv_case(shape: tuple, f: int, n_C: int, stride: int, pad: int, seed: int) -> dict:
    return {"A_prev": tensor(shape, seed), "W": tensor((f, f, shape[3], n_C), seed + 1, 0.5),
            "b": tensor((1, 1, 1, n_C), seed + 2), "hparameters": {"stride": stride, "pad": pad}}


FORWARD_CASES = [_conv_case((2, 5, 5, 3), 3, 2, 1, 1, 521),
                 _conv_case((2, 5, 7, 3), 3, 2, 2, 1, 524),
                 _conv_case((1, 6, 5, 2), 2, 3, 2, 0, 527),
                 _conv_case((2, 4, 3, 2), 3, 2, 2, 2, 530)]


@WEEK.exercise("conv_forward(A_prev, W, b, hparameters)", FORWARD_CASES, hints={
    "could not be broadcast": Upstream(
        "conv_single_step got a slice and a filter of different shapes: the slice "
        "a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] is (f, f, n_C_prev) when "
        "it comes from the padded input, A_prev_pad = zero_pad(A_prev, pad), with "
        "vert_end = vert_start + f and horiz_end = horiz_start + f, and the filter is one "
        "filter, W[:, :, :, c]."),
    "converted to Python scalars": Upstream(
        "conv_single_step takes one filter's bias, b[:, :, :, c] of shape (1, 1, 1), not all "
        "of b."),
    "setting an array element with a sequence": Upstream(
        "Z[i, h, w, c] is one number: pass conv_single_step one filter W[:, :, :, c] and its "
        "bias b[:, :, :, c], and make conv_single_step's check pass."),
    "cannot be interpreted as an integer": f"n_H and n_W must be whole numbers: {SIZE_RULE}, "
                                           "written int((...) / stride) + 1 or (...) // stride "
                                           "+ 1.",
    "KeyError": "hparameters is a dict with the keys 'stride' and 'pad': "
                "stride = hparameters['stride'], pad = hparameters['pad']."})
def check_conv_forward(check, case, out, want):
    A_prev, W, b, hp = case["A_prev"], case["W"], case["b"], case["hparameters"]
    label = _label(A_prev, W, hp)
    Z, cache = diagnoses.returns(check, out, "Z, cache")
    check.is_array(f"Z{label}", Z, "Z = np.zeros((m, n_H, n_W, n_C)), filled in the loops.")
    check.shape(f"Z{label}", Z, want[0].shape,
                size_hint(np.shape(Z), want[0].shape, A_prev.shape[1:3], W.shape[0],
                          hp["stride"], hp["pad"]))
    slips = [(want[0] - b, "the bias is missing: conv_single_step adds b[:, :, :, c], one bias "
                           "per filter (if conv_single_step's check passes, pass it b[:, :, :, "
                           "c]).")]
    hint = slip(Z, want[0], slips) or ignored_stride(case, Z, want[0], hp["stride"], part=0)
    close_at(check, "Z", label, Z, want[0], hint or FORWARD_RULE)
    check_cache(check, cache, want[1], ("A_prev", "W", "b", "hparameters"))


def check_cache(check: Check, cache, want: tuple, names: tuple) -> None:
    """The cache is the tuple of the inputs as they came, `names`."""
    __tracebackhide__ = True
    words = f"({', '.join(names)})"
    check.true(isinstance(cache, tuple | list) and len(cache) == len(names),
               f"cache must be the tuple {words}, but it is {describe(cache)}"
               + (f" of length {len(cache)}." if isinstance(cache, tuple | list) else "."),
               f"keep the given line cache = {words}.")
    for name, value, reference in zip(names, cache, want):
        if isinstance(reference, dict):
            check.true(value == reference, f"cache holds {name} = {value!r}, but it must hold "
                                           f"the {name} given, {reference!r}.",
                       f"cache = {words}, the inputs as they came.")
        else:
            check.close(f"{name} in the cache", value, reference,
                        f"cache = {words}, the inputs as they came (not padded).")


# -- conv_backward ---------------------------------------------------------------------------
BACKWARD_RULES = {
    "dA_prev": ("da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * "
                f"dZ[i, h, w, c] for every window ({WINDOW_RULE}), then dA_prev[i, :, :, :] = "
                "da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]."),
    "dW": ("dW[:, :, :, c] += a_slice * dZ[i, h, w, c], with a_slice = a_prev_pad[vert_start:"
           f"vert_end, horiz_start:horiz_end, :] the window of the padded input ({WINDOW_RULE}), "
           "over every example and position."),
    "db": ("db[:, :, :, c] += dZ[i, h, w, c] over every example and position: the sum "
           "np.sum(dZ, axis=(0, 1, 2)) in the shape of b, (1, 1, 1, n_C)."),
}


def _backward_case(shape: tuple, f: int, n_C: int, stride: int, pad: int, seed: int) -> dict:
    """dZ and a cache as conv_forward leaves it, (A_prev, W, b, hparameters)."""
    forward = _conv_case(shape, f, n_C, stride, pad, seed)
    n_H, n_W = (output_size(n, f, stride, pad) for n in shape[1:3])
    return {"dZ": tensor((shape[0], n_H, n_W, n_C), seed + 3),
            "cache": tuple(forward[k] for k in ("A_prev", "W", "b", "hparameters"))}


def _overwritten(dZ, A_prev, W, stride: int, pad: int) -> dict:
    """What `=` instead of `+=` leaves (loops over i, h, w, then c): each padded pixel holds the
    last window that covers it, through the last filter; dW and db the last position's."""
    m, n_H, n_W, n_C = dZ.shape
    f = W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    rows, cols = (last_window(n, f, stride, k) for n, k in
                  ((A_pad.shape[1], n_H), (A_pad.shape[2], n_W)))
    dA_pad = np.zeros(A_pad.shape)
    for y in np.flatnonzero(rows >= 0):
        for x in np.flatnonzero(cols >= 0):
            h, w = rows[y], cols[x]
            dA_pad[:, y, x, :] = (W[y - h * stride, x - w * stride, :, -1][None, :]
                                  * dZ[:, h, w, -1][:, None])
    h, w = (n_H - 1) * stride, (n_W - 1) * stride
    window = A_pad[-1, h:h + f, w:w + f, :]
    return {"dA_prev": dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :],
            "dW": window[..., None] * dZ[-1, -1, -1, :],
            "db": dZ[-1, -1, -1, :].reshape(1, 1, 1, n_C)}


def _crop_slip(got, want, pad: int) -> str | None:
    """dA_prev cropped from the top left of the padded gradient instead of pad in from each side:
    its rows and columns from pad on are the right ones from 0 on."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if pad == 0 or got.shape != want.shape or np.allclose(got, want):
        return None
    n_H, n_W = want.shape[1:3]
    if np.allclose(got[:, pad:, pad:], want[:, :n_H - pad, :n_W - pad]):
        return ("the crop is shifted: remove pad rows and columns on every side, "
                "dA_prev[i, :, :, :] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :] "
                "(not [:n_H_prev, :n_W_prev]).")
    return None


@WEEK.exercise("conv_backward(dZ, cache)", [
    _backward_case((2, 5, 5, 3), 3, 2, 1, 1, 541),
    _backward_case((1, 5, 6, 2), 3, 3, 1, 0, 545),
    _backward_case((2, 5, 7, 3), 3, 2, 2, 2, 549),
    _backward_case((1, 6, 5, 2), 2, 3, 2, 0, 553)], hints={
    "from shape (0,": "with pad = 0, da_prev_pad[pad:-pad, pad:-pad, :] is empty (-0 is 0): crop "
                      "with da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :].",
    "could not be broadcast": "a window came out smaller than the filter: slice the padded "
                              "arrays a_prev_pad and da_prev_pad (zero_pad of A_prev and of "
                              "dA_prev) at [vert_start:vert_end, horiz_start:horiz_end, :], "
                              "vert_end = vert_start + f and horiz_end = horiz_start + f.",
    "IndexError": "dZ[i, h, w, c] is indexed by the output position (h, w) for h in range(n_H), "
                  "w in range(n_W); the window in the padded input starts at h * stride, "
                  "w * stride.",
    "unpack": "the cache is conv_forward's (A_prev, W, b, hparameters)."})
def check_conv_backward(check, case, out, want):
    dZ, (A_prev, W, _, hp) = case["dZ"], case["cache"]
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    label = _label(A_prev, W, hp)
    grads = dict(zip(("dA_prev", "dW", "db"), diagnoses.returns(check, out, "dA_prev, dW, db")))
    wants = dict(zip(("dA_prev", "dW", "db"), want))
    padded = (A_prev.shape[0], A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad,
              A_prev.shape[3])
    for name, like in (("dA_prev", "A_prev"), ("dW", "W"), ("db", "b")):
        got, reference = grads[name], wants[name]
        check.is_array(f"{name}{label}", got, f"{name} is an array of the shape of {like}.")
        shape = np.shape(got)
        if name == "dA_prev" and shape == padded != reference.shape:
            check.fail(f"dA_prev{label} has shape {shape}, the shape of the padded input.",
                       "crop the padding: dA_prev[i, :, :, :] = da_prev_pad[pad:pad + n_H_prev, "
                       "pad:pad + n_W_prev, :].")
        if name == "dW" and shape == (f, f, W.shape[3], W.shape[2]) != reference.shape:
            check.fail(f"dW{label} has shape {shape}, but it must have the shape of W, "
                       f"{W.shape}: its last two axes are swapped.",
                       "dW[:, :, :, c] is the gradient of filter c: (f, f, n_C_prev, n_C).")
        if name == "db" and np.size(got) == np.size(reference) != 1 and shape != reference.shape:
            check.fail(f"db{label} has shape {shape}, but it must have the shape of b, "
                       f"{reference.shape}.", "keep db = np.zeros((1, 1, 1, n_C)) and add into "
                                              "db[:, :, :, c], or reshape the sum (1, 1, 1, n_C).")
        check.shape(f"{name}{label}", got, reference.shape,
                    f"{name} has the shape of {like}, {reference.shape}.")
    overwritten = _overwritten(dZ, A_prev, W, stride, pad)
    counts = np.multiply.outer(*(coverage(n + 2 * pad, f, stride, k)[pad:pad + n] for n, k in
                                 zip(A_prev.shape[1:3], dZ.shape[1:3])))
    for part, name in enumerate(("dA_prev", "dW", "db")):
        got, reference = grads[name], wants[name]
        slips = [(overwritten[name], f"{name} holds what the last window left: use += so that "
                                     f"{name} collects the gradient of every window (= "
                                     "overwrites the earlier ones)."),
                 (-reference, "the sign is flipped: add, do not subtract."),
                 *([(reference / dZ.shape[0], "no 1/m here: dZ already carries it.")]
                   if name != "dA_prev" else [])]
        hint = (slip(got, reference, slips)
                or (name == "dA_prev" and (overlap_slip(got, reference, counts, "dA_prev")
                                           or _crop_slip(got, reference, pad)))
                or (name != "db" and ignored_stride_backward(case, got, reference, stride, name,
                                                             part)))
        close_at(check, name, label, got, reference, hint or BACKWARD_RULES[name])

