"""Shape checks a week 5 layer runs first: a channels-first array, a filter wider than the
padded input or a missing hyperparameter is refused with the shapes and the output-size
formula, instead of an IndexError deep in a loop; a size the stride does not divide warns."""

from __future__ import annotations

import warnings

import numpy as np

FORMULA = "n_H = floor((n_H_prev + 2*pad - f) / stride) + 1"


class ShapeError(ValueError):
    """Inputs whose shapes cannot go together; the message names them and the fix."""


def _four_d(name: str, array, layout: str) -> tuple:
    shape = np.shape(array)
    if len(shape) != 4:
        raise ShapeError(f"{name} must be 4-D, {layout}, but its shape is {shape}.")
    return shape


def _hyper(hparameters, keys) -> list[int]:
    if not isinstance(hparameters, dict) or any(key not in hparameters for key in keys):
        given = sorted(hparameters) if isinstance(hparameters, dict) else type(hparameters).__name__
        raise ShapeError(f"hparameters must be a dict with the keys {', '.join(map(repr, keys))}; "
                         f"got {given}.")
    values = [hparameters[key] for key in keys]
    for key, value in zip(keys, values):
        low = 0 if key == "pad" else 1
        if not isinstance(value, (int, np.integer)) or value < low:
            raise ShapeError(f"hparameters[{key!r}] must be an integer >= {low}, not {value!r}.")
    return [int(value) for value in values]


def _output_size(axis: str, n_prev: int, f: int, stride: int, pad: int, what: str) -> int:
    room = n_prev + 2 * pad - f
    if room < 0:
        raise ShapeError(
            f"the {f}x{f} {what} is wider than the padded input along {axis}: {axis}_prev + "
            f"2*pad = {n_prev} + 2*{pad} = {n_prev + 2 * pad} < f = {f}, so {FORMULA} would be "
            f"floor(({n_prev} + {2 * pad} - {f}) / {stride}) + 1 = {room // stride + 1}. Use a "
            "smaller f, more padding, or a bigger input.")
    if room % stride:
        formula = FORMULA.replace("n_H", axis)
        warnings.warn(
            f"{axis}: ({axis}_prev + 2*pad - f) / stride = ({n_prev} + {2 * pad} - {f}) / {stride}"
            f" = {room / stride:g} is not an integer: {formula} rounds down to "
            f"{room // stride + 1}, and the last {room % stride} row(s) or column(s) of the padded"
            " input are never covered.", stacklevel=4)
    return room // stride + 1


def check_conv_shapes(A_prev, W, hparameters) -> tuple[int, int]:
    """(n_H, n_W) of conv_forward(A_prev, W, b, hparameters), or a ShapeError saying why not."""
    m, n_H_prev, n_W_prev, n_C_prev = _four_d("A_prev", A_prev, "(m, n_H_prev, n_W_prev, n_C_prev)")
    f, f2, w_C_prev, n_C = _four_d("W", W, "(f, f, n_C_prev, n_C)")
    if f != f2:
        raise ShapeError(f"W must be (f, f, n_C_prev, n_C) with square filters; its shape is "
                         f"{np.shape(W)}.")
    if n_C_prev != w_C_prev:
        if n_H_prev == w_C_prev:
            raise ShapeError(
                f"A_prev {np.shape(A_prev)} looks channels-first (m, n_C, n_H, n_W): this course "
                "puts channels last, (m, n_H, n_W, n_C); use A_prev.transpose(0, 2, 3, 1).")
        raise ShapeError(f"A_prev has {n_C_prev} channels (its last axis, shape "
                         f"{np.shape(A_prev)}) but W {np.shape(W)} expects n_C_prev = {w_C_prev}.")
    stride, pad = _hyper(hparameters, ("stride", "pad"))
    return (_output_size("n_H", n_H_prev, f, stride, pad, "filter"),
            _output_size("n_W", n_W_prev, f, stride, pad, "filter"))


def check_pool_shapes(A_prev, hparameters) -> tuple[int, int]:
    """(n_H, n_W) of pool_forward(A_prev, hparameters), or a ShapeError saying why not."""
    m, n_H_prev, n_W_prev, n_C = _four_d("A_prev", A_prev, "(m, n_H_prev, n_W_prev, n_C)")
    f, stride = _hyper(hparameters, ("f", "stride"))
    return (_output_size("n_H", n_H_prev, f, stride, 0, "pooling window"),
            _output_size("n_W", n_W_prev, f, stride, 0, "pooling window"))
