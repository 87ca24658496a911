"""Week 5's fast versions: their checks reject the stubs, the common mistakes (each named with
its fix) and any Python loop over examples or positions (also a call of the loop version), and
accept other correct code; compare_with_loop prints what it measured and says where two
versions disagree."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week5 import compare_with_loop, fast
from tests.helpers import check_suite

FUNCTIONS = ["conv_forward_fast", "conv_backward_fast", "pool_forward_fast", "pool_backward_fast"]

CONV_FORWARD = """
def conv_forward_fast(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    (f, f, n_C_prev, n_C) = W.shape
    A_prev_pad = zero_pad(A_prev, pad)
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    Z = np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2])) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache
"""
CONV_BACKWARD = """
def conv_backward_fast(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    n_H_prev, n_W_prev = A_prev.shape[1], A_prev.shape[2]
    A_prev_pad = zero_pad(A_prev, pad)
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    dW = np.tensordot(windows, dZ, axes=([0, 1, 2], [0, 1, 2])).transpose(1, 2, 0, 3)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    d_windows = np.tensordot(dZ, W, axes=([3], [3]))
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(f):
        for j in range(f):
            dA_prev_pad[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += \\
                d_windows[:, :, :, i, j, :]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db
"""
POOL_FORWARD = """
def pool_forward_fast(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    A = windows.max(axis=(4, 5)) if mode == "max" else windows.mean(axis=(4, 5))
    cache = (A_prev, hparameters)
    return A, cache
"""
POOL_BACKWARD = """
def pool_backward_fast(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    if mode == "max":
        share = (windows == windows.max(axis=(4, 5), keepdims=True)) * dA[..., None, None]
    else:
        share = np.broadcast_to(dA[..., None, None] / (f * f), windows.shape)
    dA_prev = np.zeros(A_prev.shape)
    for i in range(f):
        for j in range(f):
            dA_prev[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += share[..., i, j]
    return dA_prev
"""


def changed(source: str, *replacements: tuple[str, str]) -> str:
    """The source with each (old, new) replaced; every old must be there."""
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


def body(source: str, new: str, start: str, end: str) -> str:
    """The source with the lines from the one holding `start` up to the one before `end`
    replaced by `new` (indented as a function body)."""
    lines = source.split("\n")
    first = next(i for i, line in enumerate(lines) if start in line)
    last = next(i for i, line in enumerate(lines) if end in line and i > first)
    return "\n".join(lines[:first] + textwrap.indent(textwrap.dedent(new), "    ").rstrip(
        "\n").split("\n") + lines[last:])


MISTAKES = [
    ("conv_forward_fast", "loop over the examples", body(CONV_FORWARD, """
        Z = np.zeros((*windows.shape[:3], n_C))
        for i in range(A_prev.shape[0]):
            Z[i] = np.tensordot(windows[i], W, axes=([3, 4, 2], [0, 1, 2])) + b[0]
        """, "Z = np.tensordot", "cache ="), "still loops in Python over the examples"),
    ("conv_forward_fast", "loop over the positions", body(CONV_FORWARD, """
        m, n_H, n_W = windows.shape[:3]
        Z = np.zeros((m, n_H, n_W, n_C))
        for h in range(n_H):
            for w in range(n_W):
                Z[:, h, w, :] = np.tensordot(windows[:, h, w], W, axes=([2, 3, 1], [0, 1, 2]))
        Z = Z + b
        """, "Z = np.tensordot", "cache ="), "over the output positions"),
    ("conv_forward_fast", "calls conv_forward", """
def conv_forward_fast(A_prev, W, b, hparameters):
    return conv_forward(A_prev, W, b, hparameters)
""", "calls conv_forward, a loop version"),
    ("conv_forward_fast", "no stride", changed(CONV_FORWARD, (
        "windows = windows[:, ::stride, ::stride]", "windows = windows")), "not at stride steps"),
    ("conv_forward_fast", "no padding", changed(CONV_FORWARD, (
        "sliding_window_view(A_prev_pad,", "sliding_window_view(A_prev,")),
     "the padding is left out"),
    ("conv_forward_fast", "no bias", changed(CONV_FORWARD, (" + b\n", "\n")),
     "the bias is missing"),
    ("conv_forward_fast", "filter rows and columns swapped", changed(CONV_FORWARD, (
        "axes=([4, 5, 3]", "axes=([5, 4, 3]")), "with its rows and columns swapped"),
    ("conv_forward_fast", "flipped filter", changed(CONV_FORWARD, (
        "np.tensordot(windows, W,", "np.tensordot(windows, W[::-1, ::-1],")),
     "flipped (turned by 180 degrees)"),
    ("conv_forward_fast", "im2col without moving the channels", body(CONV_FORWARD, """
        m, n_H, n_W = windows.shape[:3]
        cols = windows.reshape(m * n_H * n_W, -1)
        Z = (cols @ W.reshape(-1, n_C)).reshape(m, n_H, n_W, n_C) + b
        """, "Z = np.tensordot", "cache ="), "move the channels after the two f axes"),
    ("conv_forward_fast", "padded A_prev in the cache", changed(CONV_FORWARD, (
        "cache = (A_prev, W", "cache = (A_prev_pad, W")), "(not padded)"),
    ("conv_backward_fast", "loop over the examples", body(CONV_BACKWARD, """
        dA_prev_pad = np.zeros(A_prev_pad.shape)
        for e in range(m):
            d_windows = np.tensordot(dZ[e], W, axes=([2], [3]))
            for i in range(f):
                for j in range(f):
                    dA_prev_pad[e, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += \\
                        d_windows[:, :, i, j, :]
        """, "d_windows = np.tensordot", "dA_prev = dA_prev_pad"),
     "still loops in Python over the examples"),
    ("conv_backward_fast", "calls conv_backward", """
def conv_backward_fast(dZ, cache):
    return conv_backward(dZ, cache)
""", "calls conv_backward, a loop version"),
    ("conv_backward_fast", "= instead of +=", changed(CONV_BACKWARD, ("] += \\", "] = \\")),
     "use += so that a pixel collects"),
    ("conv_backward_fast", "not cropped", changed(CONV_BACKWARD, (
        "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", "dA_prev_pad")),
     "the shape of the padded input"),
    ("conv_backward_fast", "cropped with [pad:-pad]", changed(CONV_BACKWARD, (
        "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
        "dA_prev_pad[:, pad:-pad, pad:-pad, :]")), "the slice [pad:-pad] is [0:0]"),
    ("conv_backward_fast", "dW's axes not moved", changed(CONV_BACKWARD, (
        ".transpose(1, 2, 0, 3)", "")), "with its axes in another order"),
    ("conv_backward_fast", "transposed dW", changed(CONV_BACKWARD, (
        ".transpose(1, 2, 0, 3)", ".transpose(2, 1, 0, 3)")),
     "its rows and columns are swapped (a transposed dW)"),
    ("conv_backward_fast", "db / m", changed(CONV_BACKWARD, (
        ".reshape(1, 1, 1, n_C)", ".reshape(1, 1, 1, n_C) / m")), "db is divided by m"),
    ("conv_backward_fast", "db a vector", changed(CONV_BACKWARD, (
        ".reshape(1, 1, 1, n_C)", "")), ".reshape(1, 1, 1, n_C), or keepdims=True"),
    ("pool_forward_fast", "loop over the examples", changed(POOL_FORWARD, (
        "A = windows.max(axis=(4, 5)) if",
        "A = np.array([w.max(axis=(3, 4)) for w in windows]) if")),
     "still loops in Python over the examples"),
    ("pool_forward_fast", "loop over the positions", body(POOL_FORWARD, """
        A = np.zeros(windows.shape[:4])
        for h in range(A.shape[1]):
            for w in range(A.shape[2]):
                part = windows[:, h, w]
                A[:, h, w] = part.max(axis=(2, 3)) if mode == "max" else part.mean(axis=(2, 3))
        """, "A = windows.max", "cache ="), "over the output positions"),
    ("pool_forward_fast", "calls pool_forward", """
def pool_forward_fast(A_prev, hparameters, mode="max"):
    return pool_forward(A_prev, hparameters, mode)
""", "calls pool_forward, a loop version"),
    ("pool_forward_fast", "average over f", changed(POOL_FORWARD, (
        "windows.mean(axis=(4, 5))", "windows.sum(axis=(4, 5)) / f")),
     "divides the window's sum by f"),
    ("pool_forward_fast", "sum for average", changed(POOL_FORWARD, (
        "windows.mean(axis=(4, 5))", "windows.sum(axis=(4, 5))")), "this is the window's sum"),
    ("pool_forward_fast", "mode ignored", changed(POOL_FORWARD, (
        " if mode == \"max\" else windows.mean(axis=(4, 5))", "")),
     "the mode argument is not used"),
    ("pool_forward_fast", "no stride", changed(POOL_FORWARD, (
        "windows = windows[:, ::stride, ::stride]", "windows = windows")),
     "not at stride steps"),
    ("pool_forward_fast", "pooled over the channels", changed(POOL_FORWARD, (
        "windows.max(axis=(4, 5))", "windows.max(axis=(3, 4))")),
     "reduce over the window's own axes"),
    ("pool_backward_fast", "loop over the examples", body(POOL_BACKWARD, """
        dA_prev = np.zeros(A_prev.shape)
        for e in range(m):
            for i in range(f):
                for j in range(f):
                    dA_prev[e, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += \\
                        share[e, ..., i, j]
        """, "dA_prev = np.zeros", "return dA_prev"), "still loops in Python over the examples"),
    ("pool_backward_fast", "calls pool_backward", """
def pool_backward_fast(dA, cache, mode="max"):
    return pool_backward(dA, cache, mode)
""", "calls pool_backward, a loop version"),
    ("pool_backward_fast", "average over f", changed(POOL_BACKWARD, ("/ (f * f)", "/ f")),
     "this shares dA out as dA / f"),
    ("pool_backward_fast", "average not divided", changed(POOL_BACKWARD, ("/ (f * f)", "")),
     "each entry of a window gets the whole dA"),
    ("pool_backward_fast", "mode ignored", changed(POOL_BACKWARD, (
        "if mode == \"max\":", "if True:")), "the mode argument is not used"),
    ("pool_backward_fast", "argmax for the ties", changed(POOL_BACKWARD, (
        "(windows == windows.max(axis=(4, 5), keepdims=True))",
        "(np.arange(f * f) == windows.reshape(*windows.shape[:4], -1).argmax(axis=-1)[..., None]"
        ").reshape(windows.shape)")), "not one entry picked by np.argmax"),
    ("pool_backward_fast", "= instead of +=", changed(POOL_BACKWARD, (
        ":] += share", ":] = share")), "use += so that a pixel collects"),
]

ALTERNATIVES = [
    ("conv_forward_fast", changed(CONV_FORWARD, (
        "np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2]))",
        "np.einsum('mhwcij,ijcn->mhwn', windows, W)"))),
    ("conv_forward_fast", """
def conv_forward_fast(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, n_C = W.shape[0], W.shape[3]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H = int((A_prev.shape[1] + 2 * pad - f) / stride) + 1
    n_W = int((A_prev.shape[2] + 2 * pad - f) / stride) + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C)) + b
    for i in range(f):  # f*f shifted products: a loop over the filter, not the positions
        for j in range(f):
            Z += A_prev_pad[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] @ W[i, j]
    return Z, (A_prev, W, b, hparameters)
"""),
    ("conv_forward_fast", """
from numpy.lib.stride_tricks import as_strided


def conv_forward_fast(A_prev, W, b, hparameters):
    s, p = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    X = zero_pad(A_prev, p)
    m, H, Wd, C = X.shape
    n_H, n_W = (H - f) // s + 1, (Wd - f) // s + 1
    s0, s1, s2, s3 = X.strides
    cols = as_strided(X, (m, n_H, n_W, f, f, C), (s0, s1 * s, s2 * s, s1, s2, s3))
    Z = cols.reshape(m * n_H * n_W, f * f * C) @ W.reshape(f * f * C, n_C)
    return Z.reshape(m, n_H, n_W, n_C) + b, (A_prev, W, b, hparameters)
"""),
    ("conv_backward_fast", """
def conv_backward_fast(dZ, cache):
    A_prev, W, b, hp = cache
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride].transpose(0, 1, 2, 4, 5, 3)  # (m, h, w, f, f, c)
    dW = np.einsum("mhwijc,mhwn->ijcn", windows, dZ)
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    rows = (np.arange(n_H) * stride)[:, None] + np.arange(f)
    cols = (np.arange(n_W) * stride)[:, None] + np.arange(f)
    dA_pad = np.zeros(A_pad.shape)
    np.add.at(dA_pad, (slice(None), rows[:, None, :, None], cols[None, :, None, :]),
              np.einsum("mhwn,ijcn->mhwijc", dZ, W))
    return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2]], dW, db
"""),
    ("conv_backward_fast", """
def conv_backward_fast(dZ, cache):
    A_prev, W, b, hp = cache
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    A_pad = zero_pad(A_prev, pad)
    dA_pad, dW = np.zeros(A_pad.shape), np.zeros(W.shape)
    for i in range(f):
        for j in range(f):
            rows, cols = slice(i, i + stride * n_H, stride), slice(j, j + stride * n_W, stride)
            dW[i, j] = np.tensordot(A_pad[:, rows, cols, :], dZ, axes=([0, 1, 2], [0, 1, 2]))
            dA_pad[:, rows, cols, :] += dZ @ W[i, j].T
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(b.shape)
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db
"""),
    ("pool_forward_fast", """
def pool_forward_fast(A_prev, hparameters, mode="max"):
    f, s = hparameters["f"], hparameters["stride"]
    n_H, n_W = (A_prev.shape[1] - f) // s + 1, (A_prev.shape[2] - f) // s + 1
    parts = [A_prev[:, i:i + s * n_H:s, j:j + s * n_W:s, :] for i in range(f) for j in range(f)]
    A = np.max(parts, axis=0) if mode == "max" else np.mean(parts, axis=0)
    return A, (A_prev, hparameters)
"""),
    ("pool_forward_fast", """
from numpy.lib.stride_tricks import as_strided


def pool_forward_fast(A_prev, hparameters, mode="max"):
    f, s = hparameters["f"], hparameters["stride"]
    m, H, Wd, C = A_prev.shape
    n_H, n_W = int(1 + (H - f) / s), int(1 + (Wd - f) / s)
    s0, s1, s2, s3 = A_prev.strides
    view = as_strided(A_prev, (m, n_H, n_W, C, f, f), (s0, s1 * s, s2 * s, s3, s1, s2))
    flat = view.reshape(m, n_H, n_W, C, f * f)
    if mode == "average":
        return flat.mean(axis=-1), (A_prev, hparameters)
    return flat.max(axis=-1), (A_prev, hparameters)
"""),
    ("pool_backward_fast", """
def pool_backward_fast(dA, cache, mode="max"):
    A_prev, hp = cache
    f, s = hp["f"], hp["stride"]
    n_H, n_W = dA.shape[1:3]
    pooled = pool_forward_fast(A_prev, hp, mode)[0]
    dA_prev = np.zeros_like(A_prev, dtype=float)
    for i in range(f):
        for j in range(f):
            rows, cols = slice(i, i + s * n_H, s), slice(j, j + s * n_W, s)
            if mode == "max":
                dA_prev[:, rows, cols, :] += (A_prev[:, rows, cols, :] == pooled) * dA
            else:
                dA_prev[:, rows, cols, :] += dA / f ** 2
    return dA_prev
"""),
    ("pool_backward_fast", """
def pool_backward_fast(dA, cache, mode="max"):
    A_prev, hp = cache
    f, s = hp["f"], hp["stride"]
    m, n_H, n_W, n_C = dA.shape
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::s, ::s]
    if mode == "average":
        share = np.ones(windows.shape) * (dA / (f * f))[..., None, None]
    else:
        share = np.where(windows == windows.max(axis=(-2, -1), keepdims=True),
                         dA[..., None, None], 0.0)
    rows = (np.arange(n_H) * s)[:, None, None, None] + np.arange(f)[:, None]
    cols = (np.arange(n_W) * s)[None, :, None, None] + np.arange(f)
    dA_prev = np.zeros(A_prev.shape)
    np.add.at(dA_prev, (slice(None), rows, cols), share.transpose(0, 1, 2, 4, 5, 3))
    return dA_prev
"""),
]

globals().update(check_suite("week5", MISTAKES, ALTERNATIVES, only=FUNCTIONS))


# -- the loop count on its own -----------------------------------------------------------------
SOLUTION = solution_namespace("week5")


def _learner(source: str, name: str):
    namespace = dict(SOLUTION)
    exec(textwrap.dedent(source), namespace)
    return namespace[name]


def test_a_loop_in_a_comprehension_over_positions_is_counted_with_its_numbers():
    """The counts in the message are the learner's lines for 1x3x3, 3x3x3 and 1x6x6 outputs: a
    comprehension over the n_H*n_W positions runs 9 and 36 times, once per example."""
    fn = _learner(changed(POOL_FORWARD, ("A = windows.max(axis=(4, 5)) if", (
        "A = np.stack([windows[:, k // windows.shape[2], k % windows.shape[2]].max(axis=(2, 3))"
        " for k in range(windows.shape[1] * windows.shape[2])], axis=1).reshape("
        "windows.shape[:4]) if"))), "pool_forward_fast")
    with pytest.raises(CheckFailed) as failure:
        fast.check_pool_forward_fast(fn)
    message = str(failure.value)
    assert "loops in Python over the output positions" in message, message
    assert "over the examples" not in message.split("Hint")[0], message
    counts = [int(n) for n in re.findall(r"ran (\d+) lines of your code instead of (\d+)",
                                         message)[0]]
    lines = fast.WEEK.exercises["pool_forward_fast"].lines
    check = fast.Check("pool_forward_fast")
    assert counts == [sum(lines(fn, check, 1, 6).values()), sum(lines(fn, check, 1, 3).values())]
    assert counts[0] >= counts[1] + 27  # 27 more positions, a line each at least


def test_a_loop_over_the_filter_entries_runs_as_often_for_any_size():
    exercise = fast.WEEK.exercises["conv_forward_fast"]
    fn = _learner(ALTERNATIVES[1][1], "conv_forward_fast")
    check = fast.Check("conv_forward_fast")
    counts = [exercise.lines(fn, check, m, n) for m, n in ((1, 3), (3, 3), (1, 6))]
    assert counts[0] == counts[1] == counts[2] and sum(counts[0].values()) > 9, counts


def test_numpy_and_the_course_code_are_not_counted():
    exercise = fast.WEEK.exercises["pool_backward_fast"]
    fn = SOLUTION["pool_backward_fast"]
    counts = exercise.lines(fn, fast.Check("pool_backward_fast"), 1, 3)
    assert set(counts) == {"pool_backward_fast"}, counts  # no np.pad, no sliding_window_view


def test_a_crash_names_the_shapes_of_the_inputs():
    fn = _learner(changed(CONV_BACKWARD, ("(A_prev, W, b, hparameters) = cache",
                                          "(A_prev, W, b, hparameters) = cache[1:]")),
                  "conv_backward_fast")
    with pytest.raises(CheckFailed) as failure:
        fast.check_conv_backward_fast(fn)
    message = str(failure.value)
    assert message.startswith("conv_backward_fast: raised ValueError"), message
    assert ("(called with dZ shape (2, 3, 3, 4), cache ((2, 5, 5, 3), (3, 3, 3, 4), "
            "(1, 1, 1, 4), {'stride': 1, 'pad': 0}))") in message, message


# -- compare_with_loop ---------------------------------------------------------------------------
PAIRS = ("conv_forward", "conv_backward", "pool_forward", "pool_backward")
LINE = re.compile(r"^(\w+) +: agree \(largest difference (\S+)\); on (.+): loop (\S+) (m?s), "
                  r"fast (\S+) (m?s), (\d+)x faster$")


def _pairs(**replaced) -> dict:
    return {pair: (SOLUTION[pair], replaced.get(pair, SOLUTION[f"{pair}_fast"]))
            for pair in PAIRS}


@pytest.fixture
def small_timing(monkeypatch):
    """The timed calls on a small shape, so that the tests of the wording run in a second."""
    rng = np.random.default_rng(0)
    A, W, b = rng.normal(size=(2, 6, 6, 2)), rng.normal(size=(3, 3, 2, 3)), rng.normal(
        size=(1, 1, 1, 3))
    shapes = {"conv_forward": (A, W, b, {"stride": 1, "pad": 1}),
              "conv_backward": (rng.normal(size=(2, 6, 6, 3)), (A, W, b, {"stride": 1, "pad": 1})),
              "pool_forward": (A, {"f": 2, "stride": 2}, "max"),
              "pool_backward": (rng.normal(size=(2, 3, 3, 2)), (A, {"f": 2, "stride": 2}), "max")}
    monkeypatch.setattr(fast, "_timed_inputs", shapes.__getitem__)


def _seconds(value: str, unit: str) -> float:
    return float(value) / (1000 if unit == "ms" else 1)


def test_compare_prints_one_line_per_pair_with_the_numbers_it_returns(capsys):
    """On the realistic shapes, with the solution's loop and fast versions (about 4 s)."""
    result = compare_with_loop(_pairs())
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 4 and isinstance(result, fast.Comparison) and list(result) == list(PAIRS)
    for line, pair in zip(lines, PAIRS):
        found = LINE.match(line)
        assert found, line
        name, difference, shape, loop, loop_unit, quick, quick_unit, speedup = found.groups()
        timing = result[pair]
        assert name == pair and shape == fast.TIMED[pair]
        assert float(difference) == float(f"{timing.largest_difference:.1e}") < 1e-12
        assert f"{loop} {loop_unit}" == fast._duration(timing.loop_seconds)
        assert f"{quick} {quick_unit}" == fast._duration(timing.fast_seconds)
        assert np.isclose(_seconds(loop, loop_unit), timing.loop_seconds, rtol=0.05)
        assert int(speedup) == round(timing.loop_seconds / timing.fast_seconds) > 10, line
    assert "(4, 28, 28, 8)" not in lines[0] and "m=4, 28x28x8" in lines[0]


def test_compare_returns_what_a_notebook_does_not_show_again(small_timing, capsys):
    result = compare_with_loop(_pairs())
    capsys.readouterr()
    assert result._ipython_display_() is None  # the printed lines are the display
    assert "Timing(largest_difference=" in repr(result)  # print(result) shows the numbers
    assert result["pool_forward"].speedup == (result["pool_forward"].loop_seconds
                                              / result["pool_forward"].fast_seconds)


def test_a_disagreement_says_where_by_how_much_and_which_one_the_checks_call_right(
        small_timing, capsys):
    given = SOLUTION["conv_forward_fast"]

    def conv_forward_fast(A_prev, W, b, hparameters):
        Z, cache = given(A_prev, W, b, hparameters)
        Z = Z.copy()
        if Z.shape[0] > 1 and Z.shape[1] > 3 and Z.shape[3] > 2:
            Z[1, 3, 0, 2] += 0.5
        return Z, cache

    with pytest.raises(CheckFailed) as failure:
        compare_with_loop(_pairs(conv_forward=conv_forward_fast))
    message = str(failure.value)
    found = re.search(r"disagree on Z\[1, 3, 0, 2\] \(f 3, stride 1, pad 1\): conv_forward gives "
                      r"(\S+), conv_forward_fast gives (\S+), a difference of 0\.5 \(1 of the "
                      r"336 entries of Z differ\)\.", message)
    assert found, message
    assert np.isclose(float(found[2]) - float(found[1]), 0.5, atol=1e-5)
    assert ("Hint: the visible checks pass conv_forward and fail conv_forward_fast: fix "
            "conv_forward_fast (run check_conv_forward_fast).") in message
    assert capsys.readouterr().out == ""  # nothing printed before the first pair fails


def test_the_backward_passes_are_fed_each_others_caches(small_timing):
    """A fast pair with a cache of its own (A_prev rolled down a row) agrees with itself, but
    the loop pool_backward reads that cache, and pool_backward_fast the loop version's."""
    forward, backward = SOLUTION["pool_forward_fast"], SOLUTION["pool_backward_fast"]

    def pool_forward_fast(A_prev, hparameters, mode="max"):
        return forward(A_prev, hparameters, mode)[0], (np.roll(A_prev, 1, axis=1), hparameters)

    def pool_backward_fast(dA, cache, mode="max"):
        return backward(dA, (np.roll(cache[0], -1, axis=1), cache[1]), mode)

    with pytest.raises(CheckFailed) as failure:
        compare_with_loop(_pairs(pool_forward=pool_forward_fast, pool_backward=pool_backward_fast))
    message = str(failure.value)
    assert re.search(r"pool_backward and pool_backward_fast disagree on dA_prev\[\d, \d, \d, \d\] "
                     r"\(mode='max', f 2, stride 2, each fed the other's forward cache\)",
                     message), message


def test_a_function_not_implemented_yet_is_said_kindly_and_the_others_still_run(
        small_timing, capsys):
    def conv_backward_fast(dZ, cache):
        raise NotImplementedError()

    result = compare_with_loop(_pairs(conv_backward=conv_backward_fast))
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[1] == ("conv_backward : not compared yet: conv_backward_fast is not implemented "
                        "yet. Finish it above, run its cell and its check, then run this cell "
                        "again.")
    assert [LINE.match(line)[1] for line in lines[:1] + lines[2:]] == [
        "conv_forward", "pool_forward", "pool_backward"]
    assert list(result) == ["conv_forward", "pool_forward", "pool_backward"]


def test_a_crash_in_compare_names_the_function_and_the_shapes(small_timing):
    def pool_forward_fast(A_prev, hparameters, mode="max"):
        return A_prev.reshape(-1, 5)[0], (A_prev, hparameters)

    with pytest.raises(CheckFailed) as failure:
        compare_with_loop({"pool_forward": (SOLUTION["pool_forward"], pool_forward_fast)})
    message = str(failure.value)
    assert message.startswith("pool_forward_fast: raised ValueError"), message
    assert "(called with A_prev shape (2, 7, 6, 3), hparameters {'f': 2, 'stride': 2}, " \
           "mode 'max')" in message, message


@pytest.mark.parametrize(("pairs", "error", "words"), [
    ([("conv_forward", None)], TypeError, "pass a dict of pairs"),
    ({"conv": (abs, abs)}, ValueError, "unknown pair(s) ['conv']"),
    ({"conv_forward": (abs, None)}, TypeError, "must be the two functions (conv_forward, "
                                               "conv_forward_fast), without parentheses"),
])
def test_bad_pairs_are_refused_with_what_to_pass(pairs, error, words):
    with pytest.raises(error) as failure:
        compare_with_loop(pairs)
    assert words in str(failure.value)
