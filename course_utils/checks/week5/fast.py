"""Visible checks of week 5's fast (vectorized) convolution and pooling, and `compare_with_loop`,
which runs the learner's loop and fast versions side by side and times them.

A fast version gives the loop version's numbers, with caches interchangeable with its
(conv_backward_fast gets a cache built by hand as (A_prev, W, b, hparameters)), and loops in
Python over neither the examples nor the output positions: after the fixed cases, each check
counts the lines of the learner's own code (their cells, not numpy's) that a call runs for a
small input, for one with more examples and for one with more output positions. A loop over the
f*f filter entries runs as often for all three and passes; a loop over examples or positions,
or a call of a loop version, runs more lines and is named.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from itertools import permutations
from typing import NamedTuple

import numpy as np

from ...learner_code import counting_lines
from .. import diagnoses
from ..core import Check, CheckFailed, layout
from ..exercise import Case, Exercise
from . import WEEK
from .convolution import (
    check_cache,
    coverage,
    output_size,
    overlap_slip,
    size_hint,
    slip,
    tensor,
)
from .pooling import pool_label, pooled

LOOP_VERSIONS = ("conv_forward", "conv_backward", "pool_forward", "pool_backward")
class FastExercise(Exercise):
    """An exercise of this section: after the fixed cases, the learner's code must run as many
    lines for more examples and for more output positions. `sizes(m, n)` gives the inputs (one
    dict per mode) of m examples and an n x n output."""

    sizes: Callable[[int, int], list[dict]]

    def lines(self, fn, check: Check, m: int, n: int) -> dict:
        """Lines of learner code, by function, that the inputs of `sizes(m, n)` run."""
        counts = {}
        for inputs in self.sizes(m, n):
            with counting_lines(fn, counts):
                self.call(fn, Case(inputs, self, fn, check), check)
        return counts

    def __call__(self, fn) -> None:
        check = Check(self.name)
        for values, want in zip(self.cases, self.expected(), strict=True):
            case = Case(values, self, fn, check)
            self.body(check, case, self.call(fn, case, check), want)
        _no_python_loops(check, self, fn)
        check.done()


def fast_exercise(signature: str, cases: list[dict], sizes: Callable, **options):
    """`WEEK.exercise`, with the loop count after the fixed cases."""
    def declare(body):
        made = WEEK.exercise(signature, cases, **options)(body)
        made.__class__, made.sizes = FastExercise, sizes
        return made
    return declare


FAST_WAY = {
    "conv_forward_fast": "take every window at once, np.lib.stride_tricks.sliding_window_view("
                         "A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride], and multiply "
                         "the windows with W in one np.tensordot, np.einsum or matrix product.",
    "conv_backward_fast": "get dW and db from the windows and dZ with one np.tensordot (or "
                          "einsum) and one sum, and dA_prev from f*f shifted slice additions.",
    "pool_forward_fast": "reduce the windows of sliding_window_view(A_prev, (f, f), axis=(1, 2))"
                         "[:, ::stride, ::stride] with .max or .mean over their last two axes.",
    "pool_backward_fast": "build the share of every window at once (the mask windows == their "
                          "max times dA, or dA / (f*f)) and add it into dA_prev with f*f shifted "
                          "slice additions.",
}
GROWN = {"examples": ("m = 3 examples instead of 1", "the examples (for i in range(m))"),
         "positions": ("6x6 output positions instead of 3x3",
                       "the output positions (for h in range(n_H), for w in range(n_W))")}


def _no_python_loops(check: Check, exercise: FastExercise, fn) -> None:
    """The learner's code runs as many lines for 3 examples as for 1, and for 6x6 output
    positions as for 3x3; otherwise the loop (or the loop version called) is named."""
    base = exercise.lines(fn, check, 1, 3)
    grown = {"examples": exercise.lines(fn, check, 3, 3),
             "positions": exercise.lines(fn, check, 1, 6)}
    more = {kind: sorted(name for name in counts if counts[name] > base.get(name, 0))
            for kind, counts in grown.items()}
    if not any(more.values()):
        check.ok()
        return
    seen = "; ".join(f"with {GROWN[kind][0]} it ran {sum(grown[kind].values())} lines of your "
                     f"code instead of {sum(base.values())} (more in {', '.join(names)})"
                     for kind, names in more.items() if names)
    loops = " and over ".join(GROWN[kind][1] for kind, names in more.items() if names)
    called = [name for name in LOOP_VERSIONS if any(name in names for names in more.values())]
    if called:
        check.fail(f"calls {called[0]}, a loop version, so it still loops in Python: {seen}.",
                   f"{exercise.name} must not call {called[0]}, whose loops run once per "
                   f"example and position: {FAST_WAY[exercise.name]}")
    check.fail(f"still loops in Python over {loops}: {seen}.",
               f"remove the loop over {loops}: {FAST_WAY[exercise.name]} A loop over the f*f "
               "filter entries (for i in range(f), for j in range(f)) is fine: it runs as "
               "often for any m and any output size.")


# -- cases ----------------------------------------------------------------------------------
def _conv(shape: tuple, f: int, n_C: int, stride: int, pad: int, seed: int) -> dict:
    return {"A_prev": tensor(shape, seed), "W": tensor((f, f, shape[3], n_C), seed + 1),
            "b": tensor((1, 1, 1, n_C), seed + 2), "hparameters": {"stride": stride, "pad": pad}}


def _conv_back(shape: tuple, f: int, n_C: int, stride: int, pad: int, seed: int) -> dict:
    """dZ and a cache built by hand as the loop version's, (A_prev, W, b, hparameters)."""
    c = _conv(shape, f, n_C, stride, pad, seed)
    n_H, n_W = (output_size(n, f, stride, pad) for n in shape[1:3])
    return {"dZ": tensor((shape[0], n_H, n_W, n_C), seed + 3),
            "cache": (c["A_prev"], c["W"], c["b"], c["hparameters"])}


def _pool(shape: tuple, f: int, stride: int, seed: int, *modes: str, ties=False) -> list[dict]:
    """One case per mode (none: the default) on the same input; `ties`: small whole numbers,
    so that windows share their max."""
    A = np.random.default_rng(seed).integers(0, 3, shape).astype(float) if ties else tensor(
        shape, seed)
    return [{"A_prev": A, "hparameters": {"f": f, "stride": stride}, **mode}
            for mode in ([{"mode": mode} for mode in modes] or [{}])]


def _pool_back(shape: tuple, f: int, stride: int, seed: int, *modes: str, ties=False
               ) -> list[dict]:
    """dA and a cache built by hand as the loop version's, (A_prev, hparameters)."""
    n_H, n_W = (output_size(n, f, stride) for n in shape[1:3])
    dA = tensor((shape[0], n_H, n_W, shape[3]), seed + 1)
    return [{"dA": dA, "cache": (c["A_prev"], c["hparameters"]),
             **{k: v for k, v in c.items() if k == "mode"}}
            for c in _pool(shape, f, stride, seed, *modes, ties=ties)]


_FIRST = _conv((2, 5, 5, 3), 3, 4, 1, 1, 601)
CONV_CASES = [
    _FIRST,
    {**_FIRST, "W": _FIRST["W"].transpose(1, 0, 2, 3).copy()},  # names a swapped filter
    {**_FIRST, "W": _FIRST["W"][::-1, ::-1].copy()},  # names a flipped filter
    _conv((2, 7, 7, 2), 3, 3, 2, 2, 604),
    _conv((1, 6, 5, 3), 2, 2, 2, 0, 607),
    _conv((2, 8, 8, 1), 3, 2, 3, 1, 610),  # (8 + 2 - 3) / 3 is not whole: the floor
    _conv((3, 10, 10, 3), 5, 4, 1, 2, 613),
]
CONV_BACK_CASES = [
    _conv_back((2, 5, 5, 3), 3, 4, 1, 0, 621),  # overlapping windows, one at each corner
    _conv_back((2, 5, 5, 3), 3, 4, 1, 1, 623),
    _conv_back((2, 7, 7, 2), 3, 3, 2, 2, 625),
    _conv_back((1, 6, 5, 3), 2, 2, 2, 0, 629),  # pad 0, and a last column no window covers
    _conv_back((2, 8, 8, 1), 3, 2, 3, 1, 633),
    _conv_back((3, 10, 10, 3), 5, 4, 1, 2, 637),
]
POOL_CASES = [
    *_pool((2, 4, 4, 3), 2, 2, 641, "max", "average"),
    *_pool((2, 5, 5, 2), 3, 1, 642, "max", "average"),  # overlapping windows
    *_pool((1, 7, 6, 2), 3, 2, 643, "max", "average"),  # (6 - 3) / 2 is not whole: the floor
    *_pool((2, 5, 7, 3), 2, 2, 644),  # mode left at its default
    *_pool((3, 12, 12, 4), 2, 2, 645, "max", "average"),
]
_TIED = _pool_back((2, 4, 4, 2), 2, 2, 657, "max", ties=True)  # windows with tied maxima
POOL_BACK_CASES = [
    *_pool_back((2, 4, 4, 3), 2, 2, 651, "max", "average"),
    *_pool_back((2, 5, 5, 2), 3, 1, 653, "max", "average"),  # overlapping windows
    *_pool_back((1, 7, 6, 2), 3, 2, 655, "max", "average"),  # rows, columns no window covers
    *_TIED,
    *_pool_back((2, 5, 7, 3), 2, 2, 659),
    *_pool_back((3, 12, 12, 4), 2, 2, 661, "max", "average"),
]


# -- wording --------------------------------------------------------------------------------
def _conv_label(A_prev, W, hp) -> str:
    return (f" (A_prev of shape {np.shape(A_prev)}, W of shape {np.shape(W)}, stride "
            f"{hp['stride']}, pad {hp['pad']})")


def _windows_hint(got: tuple, want: tuple, n_prev: tuple, f: int, stride: int, pad: int,
                  n_C_prev: int) -> str | None:
    """Names an output shape that windows taken at every position, or not reduced, give."""
    if len(got) == 6:
        return ("the window axes are still there: sum (or pool) over them, the last two of "
                "sliding_window_view's (m, n_H, n_W, n_C, f, f), and for a convolution the "
                "channels too.")
    if len(got) != 4:
        return None
    if stride != 1 and got[1:3] == tuple(output_size(n, f, 1, pad) for n in n_prev):
        return ("there is an output at every position, not at stride steps: keep every "
                "stride-th window, windows[:, ::stride, ::stride].")
    if got[3] == n_C_prev != want[3]:
        return "the last axis has one channel per filter, n_C = W.shape[3]."
    if got[1:3] == want[1:3] and got[3] in (f, f * f) and got[3] != want[3]:
        return ("the last axis is not the channels: reduce over the window's own axes, "
                "axis=(4, 5) of sliding_window_view's (m, n_H, n_W, n_C, f, f).")
    return None


def _sum_slips(want, m: int, positions: int, what: str) -> list:
    """A gradient divided by m, or averaged, where the backward pass sums."""
    return [(want / m, f"{what} is divided by m = {m}: conv_backward sums over the examples, "
                       "with no 1/m (the 1/m of the cost is already in dZ)."),
            (want / (m * positions), f"{what} is a mean: conv_backward sums over the examples "
                                     "and positions (np.sum, not np.mean).")]


# -- conv_forward_fast ----------------------------------------------------------------------
def _conv_sizes(m: int, n: int) -> list[dict]:
    return [_conv((m, n, n, 2), 3, 2, 1, 1, 671)]


CONV_RULE = ("Z[i, h, w, c] = sum(window * W[:, :, :, c]) + b[0, 0, 0, c] with the window "
             "A_prev_pad[i, h*stride:h*stride + f, w*stride:w*stride + f, :]. "
             "sliding_window_view(A_prev_pad, (f, f), axis=(1, 2)) puts the window's axes last, "
             "(m, n_H, n_W, n_C_prev, f, f), while W is (f, f, n_C_prev, n_C): pair them in "
             "this order, np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2])), or move the "
             "channels after the two f axes before you reshape (im2col).")


@fast_exercise("conv_forward_fast(A_prev, W, b, hparameters)", CONV_CASES, _conv_sizes)
def check_conv_forward_fast(check, case, out, want):
    A_prev, W, b, hp = case["A_prev"], case["W"], case["b"], case["hparameters"]
    f, stride, pad = W.shape[0], hp["stride"], hp["pad"]
    label = _conv_label(A_prev, W, hp)
    Z, cache = diagnoses.returns(check, out, "Z, cache")
    check.is_array(f"Z{label}", Z, "return the array Z first, then the cache.")
    reference = want[0]
    hint = _windows_hint(np.shape(Z), reference.shape, A_prev.shape[1:3], f, stride, pad,
                         W.shape[2])
    check.shape(f"Z{label}", Z, reference.shape, " ".join(filter(None, (hint, size_hint(
        np.shape(Z), reference.shape, A_prev.shape[1:3], f, stride, pad)))))
    slips = [(reference - b, "the bias is missing: add + b, which broadcasts over the examples "
                             "and positions."),
             (reference + b, "b is added twice: add it once, after the sum over the window.")]
    for how, changed in (("with its rows and columns swapped", W.transpose(1, 0, 2, 3)),
                         ("flipped (turned by 180 degrees)", W[::-1, ::-1])):
        other = case.stored(W=changed)
        if other is not None:
            slips.append((other[0], f"this is the output of the filter {how}: pair the "
                                    "window's two f axes with W's first two, in this order "
                                    "(a CNN's convolution does not flip the filter)."))
    check.close(f"Z{label}", Z, reference, slip(Z, reference, slips, CONV_RULE))
    check_cache(check, cache, want[1], ("A_prev", "W", "b", "hparameters"))


# -- conv_backward_fast ---------------------------------------------------------------------
def _conv_back_sizes(m: int, n: int) -> list[dict]:
    return [_conv_back((m, n, n, 2), 3, 2, 1, 1, 675)]


BACKWARD_RULES = {
    "dA_prev": ("every window adds W[:, :, :, c] * dZ[i, h, w, c] into dA_prev_pad at its "
                "place, so dA_prev_pad is the sum over the f*f filter entries (i, j) of the "
                "shifted slices dA_prev_pad[:, i:i + stride*n_H:stride, j:j + stride*n_W:stride, "
                ":] += (dZ times W[i, j] transposed, a product over n_C); dA_prev is dA_prev_pad "
                "without its pad."),
    "dW": ("dW[:, :, :, c] is the sum over the examples and positions of window * dZ[i, h, w, c]: "
           "np.tensordot(windows, dZ, axes=([0, 1, 2], [0, 1, 2])) is (n_C_prev, f, f, n_C), "
           "so move its axes with .transpose(1, 2, 0, 3)."),
    "db": ("db[0, 0, 0, c] is the sum of dZ[..., c] over the examples and positions: "
           "np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C), or keepdims=True."),
}
CROP = "crop it: dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]."


@fast_exercise("conv_backward_fast(dZ, cache)", CONV_BACK_CASES, _conv_back_sizes,
               hints={"unpack": "the cache is the loop version's, (A_prev, W, b, hparameters), "
                                "as conv_forward_fast returns it too."})
def check_conv_backward_fast(check, case, out, want):
    dZ, (A_prev, W, _, hp) = case["dZ"], case["cache"]
    m, n_H, n_W, n_C = dZ.shape
    f, stride, pad = W.shape[0], hp["stride"], hp["pad"]
    label = _conv_label(A_prev, W, hp)
    grads = dict(zip(("dA_prev", "dW", "db"), diagnoses.returns(check, out, "dA_prev, dW, db")))
    wants = dict(zip(("dA_prev", "dW", "db"), want))
    for name, like in (("dA_prev", "A_prev"), ("dW", "W"), ("db", "b")):
        check.is_array(f"{name}{label}", grads[name], f"{name} is an array of the shape of {like}.")
    shape = np.shape(grads["dA_prev"])
    if pad and shape == (m, A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad, A_prev.shape[3]):
        check.fail(f"dA_prev{label} has shape {shape}, the shape of the padded input.",
                   "dA_prev_pad still has its pad: " + CROP)
    if not pad and len(shape) == 4 and 0 in shape[1:3]:
        check.fail(f"dA_prev{label} is empty, shape {shape}.",
                   "with pad = 0, the slice [pad:-pad] is [0:0] (-0 is 0), which is empty: " + CROP)
    dW, reference = np.asarray(grads["dW"], dtype=float), wants["dW"]
    if dW.shape != reference.shape and sorted(dW.shape) == sorted(reference.shape):
        check.fail(f"dW{label} has shape {dW.shape}, but it must have W's shape, "
                   f"{reference.shape} = (f, f, n_C_prev, n_C).", BACKWARD_RULES["dW"])
    for name, like in (("dA_prev", "A_prev"), ("dW", "W"), ("db", "b")):
        check.shape(f"{name}{label}", grads[name], wants[name].shape,
                    f"{name} has the shape of {like}, {wants[name].shape}"
                    + {"dA_prev": f": {CROP}", "db": ": " + BACKWARD_RULES["db"]}.get(name, "."))
    swapped = [(reference.transpose(*order, 3), "dW holds the right numbers with its axes in "
                "another order" + (": its rows and columns are swapped (a transposed dW)."
                                   if order == (1, 0, 2) else "."))
               for order in permutations((0, 1, 2)) if order != (0, 1, 2)]
    counts = np.multiply.outer(*(coverage(n + 2 * pad, f, stride, k)[pad:pad + n] for n, k in
                                 zip(A_prev.shape[1:3], (n_H, n_W))))
    for name in ("dA_prev", "dW", "db"):
        got, reference = grads[name], wants[name]
        hint = slip(got, reference, [
            (-reference, "the sign is flipped: add the windows' gradients, do not subtract."),
            *(_sum_slips(reference, m, n_H * n_W, name) if name != "dA_prev" else []),
            *(swapped if name == "dW" else [])])
        if name == "dA_prev":
            hint = hint or overlap_slip(got, reference, counts, "dA_prev")
        check.close(f"{name}{label}", got, reference, hint or BACKWARD_RULES[name])


# -- pool_forward_fast ----------------------------------------------------------------------
def _pool_sizes(m: int, n: int) -> list[dict]:
    return _pool((m, 2 * n, 2 * n, 2), 2, 2, 677, "max", "average")


MODE_HINT = ("the mode argument is not used: mode == 'max' takes the largest entry of each "
             "window, mode == 'average' its mean.")
POOL_RULE = ("max pooling keeps each window's largest entry, average pooling its mean, window by "
             "window and channel by channel: .max(axis=(4, 5)) or .mean(axis=(4, 5)) of "
             "sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride].")


def _average_slips(want, f: int, backward: bool = False) -> list:
    """Average pooling without its division, or divided by f instead of f*f."""
    if backward:
        return [(want * f * f, "each entry of a window gets the whole dA: its share is dA / "
                               "(f*f), one of the window's f*f entries."),
                (want * f, f"this shares dA out as dA / f, with f = {f}, but a window has f*f "
                           "entries: dA / (f*f).")]
    return [(want * f * f, "this is the window's sum: the average divides it by the f * f "
                           "entries of the window (or use .mean)."),
            (want * f, f"this divides the window's sum by f = {f}, but a window has f * f "
                       "entries.")]


@fast_exercise('pool_forward_fast(A_prev, hparameters, mode="max")', POOL_CASES, _pool_sizes)
def check_pool_forward_fast(check, case, out, want):
    A_prev, hp, mode, label, A, cache = pooled(check, case, out,
                                               "return the array A first, then the cache.")
    f, stride = hp["f"], hp["stride"]
    reference = want[0]
    hint = _windows_hint(np.shape(A), reference.shape, A_prev.shape[1:3], f, stride, 0, -1)
    check.shape(f"A{label}", A, reference.shape, " ".join(filter(None, (hint, size_hint(
        np.shape(A), reference.shape, A_prev.shape[1:3], f, stride, None, "A")))))
    hint = MODE_HINT if case.gives(A, "mode", part=0) is not None else None
    if mode == "average":
        hint = hint or slip(A, reference, _average_slips(reference, f))
    check.close(f"A{label}", A, reference, hint or POOL_RULE)
    check_cache(check, cache, want[1], ("A_prev", "hparameters"))


# -- pool_backward_fast ---------------------------------------------------------------------
def _pool_back_sizes(m: int, n: int) -> list[dict]:
    return _pool_back((m, 2 * n, 2 * n, 2), 2, 2, 679, "max", "average")


POOL_BACK_RULES = {
    "max": ("each window passes dA[i, h, w, c] to its largest entries (the mask windows == "
            "their max, True at every entry equal to it), and where windows overlap the shares "
            "add up."),
    "average": ("each window passes dA[i, h, w, c] / (f*f) to each of its f*f entries, and "
                "where windows overlap the shares add up."),
}


@fast_exercise('pool_backward_fast(dA, cache, mode="max")', POOL_BACK_CASES, _pool_back_sizes,
               hints={"unpack": "the cache is the loop version's, (A_prev, hparameters), as "
                                "pool_forward_fast returns it too."})
def check_pool_backward_fast(check, case, dA_prev, want):
    dA, (A_prev, hp), mode = case["dA"], case["cache"], case.given("mode")
    f, stride = hp["f"], hp["stride"]
    tied = A_prev is _TIED[0]["cache"][0]
    label = pool_label(A_prev, hp, mode, tied)
    check.is_array(f"dA_prev{label}", dA_prev, "return dA_prev, one array.")
    check.shape(f"dA_prev{label}", dA_prev, A_prev.shape,
                f"dA_prev has the shape of A_prev, {A_prev.shape}: start from "
                "np.zeros(A_prev.shape).")
    got = np.asarray(dA_prev, dtype=float)
    counts = np.multiply.outer(*(coverage(n, f, stride, k) for n, k in
                                 zip(A_prev.shape[1:3], dA.shape[1:3])))
    hint = (MODE_HINT if case.gives(got, "mode") is not None else None) or overlap_slip(
        got, want, counts, "dA_prev") or slip(got, want, [
            (-want, "the sign is flipped: add the gradient, do not subtract it."),
            *(_average_slips(want, f, backward=True) if mode == "average" else [])])
    if not hint and tied and mode == "max" and not np.allclose(got, want):
        hint = ("in a window where several entries share the max, each of them gets the whole "
                "dA[i, h, w, c]: the mask is windows == their max, not one entry picked by "
                "np.argmax.")
    check.close(f"dA_prev{label}", dA_prev, want, hint or POOL_BACK_RULES[mode])


# -- compare_with_loop ----------------------------------------------------------------------
class Timing(NamedTuple):
    """One pair's agreement and its two times on the realistic shape."""
    largest_difference: float
    loop_seconds: float
    fast_seconds: float

    @property
    def speedup(self) -> float:
        return self.loop_seconds / self.fast_seconds


class Comparison(dict):
    """compare_with_loop's result, pair name -> Timing. Its lines are printed already, so a
    notebook shows nothing more for it; print(...) shows the numbers."""

    def _ipython_display_(self) -> None:
        pass


OUTPUTS = {"conv_forward": ("Z",), "conv_backward": ("dA_prev", "dW", "db"),
           "pool_forward": ("A",), "pool_backward": ("dA_prev",)}
CONV_SETTINGS = [(3, 1, 1), (3, 1, 0), (3, 2, 2), (2, 2, 0), (3, 3, 1)]  # f, stride, pad
POOL_SETTINGS = [(2, 2), (3, 1), (3, 2)]  # f, stride
TIMED = {"conv_forward": "m=4, 28x28x8, 16 filters 3x3, pad 1",
         "conv_backward": "m=4, 28x28x8, 16 filters 3x3, pad 1",
         "pool_forward": "m=4, 28x28x8, max pool 2x2, stride 2",
         "pool_backward": "m=4, 28x28x8, max pool 2x2, stride 2"}


class _NotYet(Exception):
    """A function of a pair is not implemented yet: its line says so, the others go on."""


def _run(pair: str, fn, *args):
    """fn on copies of args, a failure worded as the visible checks word it (a crash with the
    shapes of its inputs)."""
    name = getattr(fn, "__name__", pair)
    try:
        return Check(name).call(fn, *args)
    except CheckFailed as failure:
        if "not implemented yet" in str(failure):
            raise _NotYet(name + str(failure).split("\n")[0][len(name) + 1:]) from None
        raise


def _outputs(pair: str, fn, result) -> tuple:
    """The arrays to compare: Z or A of a forward pass, the three gradients, or dA_prev."""
    check, names = Check(getattr(fn, "__name__", pair)), OUTPUTS[pair]
    if pair.endswith("forward"):
        result = diagnoses.returns(check, result, f"{names[0]}, cache")[:1]
    elif len(names) == 3:
        result = diagnoses.returns(check, result, ", ".join(names))
    else:
        result = (result,)
    for name, value in zip(names, result):
        check.is_array(name, value)
    return result


def _settings(pair: str, pairs: dict) -> list[tuple[str, tuple, tuple]]:
    """(setting, the loop version's arguments, the fast version's) for every setting; a
    backward pass gets the cache of the other version's forward pass when that pair is given,
    else one built by hand."""
    rng, runs = np.random.default_rng(570), []
    forward = pairs.get(pair.replace("backward", "forward")) if "backward" in pair else None
    conv = pair.startswith("conv")
    settings = CONV_SETTINGS if conv else [
        (f, stride, mode) for f, stride in POOL_SETTINGS for mode in ("max", "average")]
    for setting in settings:
        A = rng.normal(size=(2, 7, 6, 3))
        if conv:
            f, stride, pad = setting
            inputs = (A, rng.normal(size=(f, f, 3, 4)), rng.normal(size=(1, 1, 1, 4)),
                      {"stride": stride, "pad": pad})
            words, extra, n_C = f"f {f}, stride {stride}, pad {pad}", (), 4
        else:
            f, stride, mode = setting
            inputs, pad = (A, {"f": f, "stride": stride}, mode), 0
            words, extra, n_C = f"mode={mode!r}, f {f}, stride {stride}", (mode,), 3
        if pair.endswith("forward"):
            runs.append((words, inputs, inputs))
            continue
        grad = rng.normal(size=(2, *(output_size(n, f, stride, pad) for n in A.shape[1:3]), n_C))
        loop_cache = fast_cache = inputs[:4] if conv else inputs[:2]
        if forward:
            name = pair.replace("backward", "forward")
            loop_cache, fast_cache = (_run(name, fn, *inputs)[1] for fn in forward)
            words += ", each fed the other's forward cache"
        runs.append((words, (grad, fast_cache, *extra), (grad, loop_cache, *extra)))
    return runs


def _verdict(loop, fast, pair: str) -> str:
    """Which of the two the visible checks call right, in words (empty if unknown)."""
    passed = {}
    for name, fn in ((pair, loop), (f"{pair}_fast", fast)):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                WEEK.exercises[name](fn)
            passed[name] = True
        except CheckFailed:
            passed[name] = False
        except Exception:  # no such check, no expected values yet: say nothing
            return ""
    good = [name for name, ok in passed.items() if ok]
    if len(good) == 2:
        return (f"both pass their visible checks, which do not try this setting: print the "
                f"two outputs for it; {pair} follows the lectures step by step.")
    if not good:
        return f"both fail their visible checks: make check_{pair} pass first, then the fast one."
    bad = next(name for name in passed if name not in good)
    return f"the visible checks pass {good[0]} and fail {bad}: fix {bad} (run check_{bad})."


def _compare(pair: str, loop, fast, pairs: dict) -> float:
    """The largest difference between the two versions over every setting; a CheckFailed
    saying where, by how much and which one is right when they disagree."""
    largest = 0.0
    names = getattr(loop, "__name__", pair), getattr(fast, "__name__", f"{pair}_fast")
    for setting, loop_args, fast_args in _settings(pair, pairs):
        ours = _outputs(pair, loop, _run(pair, loop, *loop_args))
        theirs = _outputs(pair, fast, _run(pair, fast, *fast_args))
        for what, a, b in zip(OUTPUTS[pair], ours, theirs):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                hint = _verdict(loop, fast, pair)
                raise CheckFailed(f"compare_with_loop: {what} has shape {a.shape} from "
                                  f"{names[0]} but {b.shape} from {names[1]} ({setting})."
                                  + (f"\nHint: {hint}" if hint else ""))
            with np.errstate(invalid="ignore"):
                difference = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b))
            wrong = ~(difference <= 1e-8 + 1e-6 * np.abs(a))
            if np.any(wrong):
                index = np.unravel_index(np.argmax(np.where(wrong, np.nan_to_num(
                    difference, nan=np.inf), -1.0)), a.shape)
                where = f"{what}[{', '.join(map(str, index))}]"
                hint = _verdict(loop, fast, pair)
                raise CheckFailed(
                    f"compare_with_loop: {names[0]} and {names[1]} disagree on {where} "
                    f"({setting}): {names[0]} gives {a[index]:.6g}, {names[1]} gives "
                    f"{b[index]:.6g}, a difference of {abs(a[index] - b[index]):.3g} "
                    f"({np.sum(wrong)} of the {a.size} entries of {what} differ)."
                    + (f"\nHint: {hint}" if hint else ""))
            largest = max(largest, float(difference.max(initial=0.0)))
    return largest


def _timed_inputs(pair: str) -> tuple:
    """The realistic shape: a batch of 4 28x28 maps with 8 channels."""
    rng = np.random.default_rng(571)
    A = rng.normal(size=(4, 28, 28, 8))
    if pair.startswith("conv"):
        cache = (A, rng.normal(size=(3, 3, 8, 16)), rng.normal(size=(1, 1, 1, 16)),
                 {"stride": 1, "pad": 1})
        return cache if pair == "conv_forward" else (rng.normal(size=(4, 28, 28, 16)), cache)
    hp = {"f": 2, "stride": 2}
    return (A, hp, "max") if pair == "pool_forward" else (
        rng.normal(size=(4, 14, 14, 8)), (A, hp), "max")


def _seconds(fn, args: tuple, repeats: int) -> float:
    """The fastest of `repeats` calls (on inputs that fn was seen to leave unchanged)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


def _duration(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1e3:.2f} ms"


def _checked_pairs(pairs) -> dict:
    if not isinstance(pairs, dict):
        raise TypeError("compare_with_loop: pass a dict of pairs such as {'conv_forward': "
                        f"(conv_forward, conv_forward_fast)}}, not {layout(pairs)}.")
    unknown = sorted(set(pairs) - set(OUTPUTS))
    if unknown:
        raise ValueError(f"compare_with_loop: unknown pair(s) {unknown}; the pairs are "
                         f"{', '.join(map(repr, OUTPUTS))}.")
    for pair, fns in pairs.items():
        if not (isinstance(fns, tuple | list) and len(fns) == 2 and all(map(callable, fns))):
            raise TypeError(f"compare_with_loop: pairs[{pair!r}] must be the two functions "
                            f"({pair}, {pair}_fast), without parentheses, not {layout(fns)}.")
    return pairs


def compare_with_loop(pairs: dict) -> Comparison:
    """Runs each pair {name: (loop version, fast version)} on the same inputs (several settings;
    the backward passes fed each other's caches), then times a call of each on a realistic
    shape; prints one line per pair and returns {name: Timing}."""
    result, pairs = Comparison(), _checked_pairs(pairs)
    width = max(map(len, pairs), default=0)
    for pair, (loop, fast) in pairs.items():
        try:
            largest = _compare(pair, loop, fast, pairs)
            args = _timed_inputs(pair)
            _run(pair, fast, *args)  # leaves its inputs unchanged, and warms up
            fast_seconds = _seconds(fast, args, 3)
            loop_seconds = _seconds(loop, args, 1)
        except _NotYet as missing:
            print(f"{pair:<{width}} : not compared yet: {missing} Finish it above, run its "
                  "cell and its check, then run this cell again.")
            continue
        timing = result[pair] = Timing(largest, loop_seconds, fast_seconds)
        print(f"{pair:<{width}} : agree (largest difference {largest:.1e}); on {TIMED[pair]}: "
              f"loop {_duration(loop_seconds)}, fast {_duration(fast_seconds)}, "
              f"{timing.speedup:.0f}x faster")
    return result
