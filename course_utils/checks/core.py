"""Behind every visible check: call the learner's function safely, compare what came back with
its contract and explain a failure in plain words. A check holds no solution, only its cases."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ..learner_code import failing_callee, quiet

MATRIX_PRODUCT_HINT = ("a matrix product (np.dot or @) got shapes that do not fit: (n, k) times "
                       "(k, m) needs the same k. Print the shapes and check the .T.")


class Upstream(str):
    """An exercise's hint for an error whose cause lies before the function it surfaced in
    (a broken value passed on to a correct helper): it replaces the advice to fix that helper."""


class CheckFailed(AssertionError):
    """A learner's function broke its contract; the message says how and what to try."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the message, its first line bold, in red."""
        return [f"\x1b[1;31m✗ {line}\x1b[0m" if i == 0 else f"\x1b[31m  {line}\x1b[0m"
                for i, line in enumerate(str(self).splitlines())]


class Check:
    """Counts the checks run on one function and fails with a readable message."""

    def __init__(self, name: str):
        self.name, self.count = name, 0

    def fail(self, message: str, hint: str | None = None):
        raise CheckFailed(f"{self.name}: {message}" + (f"\nHint: {hint}" if hint else ""))

    def ok(self) -> None:
        self.count += 1

    def done(self) -> None:
        print(f"{self.name}: all {plural(self.count, 'check')} passed.")

    def call(self, fn: Callable, *args, exception_hints: dict | None = None, **kwargs):
        """fn on copies of the inputs; fails in words if it raises (with its inputs) or mutates."""
        if not callable(fn):
            self.fail(f"expected a function, got {type(fn).__name__}.",
                      f"pass the function itself: {self.name}, without parentheses.")
        given_args, given_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        try:
            names = [name for name, p in inspect.signature(fn).parameters.items()
                     if p.kind < p.VAR_POSITIONAL][:len(args)]
        except (TypeError, ValueError):  # a builtin or a callable without a signature
            names = []
        names += [f"argument {i + 1}" for i in range(len(names), len(args))] + list(kwargs)
        values = [*args, *kwargs.values()]
        try:
            with quiet():
                result = fn(*given_args, **given_kwargs)
        except NotImplementedError as error:
            if inner := failing_callee(fn, error):
                self.fail(f"calls {inner}, which is not implemented yet.",
                          f"finish {inner} first (its exercise is above), run its cell and its "
                          "check, then run this check again.")
            self.fail("is not implemented yet.", "replace the line `raise NotImplementedError("
                      "...)` with your code, run that cell, then run this check again.")
        except CheckFailed:
            raise
        except Exception as error:  # the learner's code may raise anything
            inner, hint = failing_callee(fn, error), _exception_hint(error, exception_hints)
            if inner and not isinstance(hint, Upstream):
                hint = _join(f"the error comes from {inner}, which {self.name} calls: make its "
                             "check pass first.", hint)
            called = ", ".join(f"{name} {shown(value)}" for name, value in zip(names, values))
            self.fail(f"raised {type(error).__name__}: {error}"
                      + (f"\n  (called with {called})" if called else ""), hint)
        for name, before, after in zip(names, values, [*given_args, *given_kwargs.values()]):
            if not same_value(before, after):
                self.fail(f"changed its input `{name}` in place.", "functions must not modify "
                          f"their inputs: work on a copy (for example `{name} = {name}.copy()`, "
                          "or `copy.deepcopy` for a dict), and write `x = x - ...` rather than "
                          "`x -= ...`.")
        self.ok()
        return result

    def is_array(self, what: str, value, hint: str | None = None) -> np.ndarray:
        self.true(isinstance(value, np.ndarray),
                  f"{what} must be a numpy array, but it is {describe(value)}.", hint)
        return value

    def shape(self, what: str, value, expected: tuple, hint: str | None = None) -> None:
        got, expected = np.shape(value), tuple(expected)
        self.true(got == expected, f"{what} has shape {got}, but it must have shape {expected}.",
                  _join(shape_hint(got, expected), hint))

    def python_float(self, what: str, value, hint: str | None = None) -> None:
        self.true(isinstance(value, float),
                  f"{what} must be a Python float, but it is {describe(value)}.",
                  hint or "wrap the result in float(...).")

    def scalar(self, what: str, value, hint: str | None = None) -> None:
        """A number with no dimensions: a float, np.float64 or 0-d array."""
        self.true(np.ndim(value) == 0 and np.issubdtype(np.asarray(value).dtype, np.number),
                  f"{what} must be a single number, but it is {describe(value)}.",
                  hint or "use np.squeeze(...) or np.sum(...) without keepdims.")

    def close(self, what: str, value, expected, hint: str | None = None, *,
              m: int | None = None, rtol: float = 1e-6, atol: float = 1e-8) -> None:
        """Values match; on a mismatch, guesses the mistake (transpose, 1/m, sign)."""
        expected = np.asarray(expected, dtype=float)
        self.shape(what, value, expected.shape, hint)
        got = np.asarray(value, dtype=float)
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            self.fail(f"{what} is wrong.\n  expected: {show(expected)}\n  got:      {show(got)}",
                      _join(value_hint(got, expected, m), hint))
        self.ok()

    def true(self, condition: bool, message: str, hint: str | None = None) -> None:
        if not condition:
            self.fail(message, hint)
        self.ok()

    def keys(self, what: str, value, expected: list[str], hint: str | None = None) -> None:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a dict, but it is {describe(value)}.", hint)
        missing = [k for k in expected if k not in value]
        self.true(not missing, f"{what} is missing the key(s) {missing}; it has {sorted(value)}.",
                  hint or f"the keys must be exactly {expected}.")


def _join(*hints: str | None) -> str | None:
    """The recognised mistake first, then the function's own advice."""
    return " ".join(h for h in hints if h) or None


def describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    return "None (did you forget `return`?)" if value is None else article(type(value).__name__)


def article(word: str) -> str:
    """The word with "a" or "an" before it: a float, an int."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def layout(value) -> str:
    """The nesting of a value in words, e.g. ((array (3, 4), array (2, 3)), array (2, 4))."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape}"
    if isinstance(value, list):
        return "[" + ", ".join(layout(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(layout(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value) if isinstance(value, int | float) else describe(value)


def shown(value) -> str:
    """An input in a crash message: an array by its shape, a long list or tuple by its length,
    a short one or a dict item by item, anything else by its value (or, if long, its type)."""
    if isinstance(value, np.ndarray):
        return f"shape {value.shape}"
    if isinstance(value, list | tuple) and len(value) > 8:
        return f"{article(type(value).__name__)} of {len(value)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_item(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        items = ", ".join(map(_item, value))
        return f"[{items}]" if isinstance(value, list) else f"({items})"
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 40 else describe(value)


def _item(value) -> str:
    return shown(value).removeprefix("shape ")


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}es" if word.endswith(("s", "x", "ch", "sh")) else f"{n} {word}s"


def show(value: np.ndarray) -> str:
    return np.array2string(np.asarray(value), precision=6, threshold=12, edgeitems=3,
                           separator=", ").replace("\n", "\n            ")


def _vector(shape: tuple) -> str:
    return f"a row of {shape[1]}" if shape[0] == 1 else f"a column of {shape[0]}"


def shape_hint(got: tuple, expected: tuple) -> str | None:
    """Names a wrong shape from the shapes alone; a check adds the advice for its function."""
    vectors = len(got) == 2 and len(expected) == 2 and 1 in got and 1 in expected
    if got == expected[::-1] and len(got) == 2 and got != expected:
        if vectors:
            return (f"this is {_vector(got)} where {_vector(expected)} is expected: create or "
                    f"reshape it as {expected}, or, if it comes from a product, check which "
                    "factor carries the .T.")
        return "the result is transposed: check which factor of the product carries the .T."
    if len(got) == 1 and len(expected) == 2 and got[0] in expected:
        return (f"this is a rank-1 array, shape {got}: neither a row nor a column. Keep two "
                f"dimensions, shape {expected}.")
    if (len(got) == 2 and got[0] == got[1] > 1 and len(expected) == 2 and 1 in expected
            and got[0] in expected):
        return (f"a {got} matrix where a vector {expected} is expected is what broadcasting "
                "makes of a column and a row, or of a column and a rank-1 array (for "
                f"example {(got[0], 1)} - {(got[0],)}): keep every vector two-dimensional, "
                "with no .ravel(), [0] or np.squeeze.")
    if vectors:
        return f"this is {_vector(got)} where {_vector(expected)} is expected."
    if got == () and expected != ():
        return "you returned a single number where an array was expected."
    if expected == () and got != ():
        return "you returned an array; squeeze it to a single number with np.squeeze(...)."
    return None


def value_hint(got: np.ndarray, expected: np.ndarray, m: int | None) -> str | None:
    """Recognises the common slips from the numbers alone."""
    if not np.all(np.isfinite(got)):
        return ("the result contains nan or inf: look for a log of 0, a division by 0 or an "
                "overflowing exp.")
    if np.allclose(got, -expected, rtol=1e-6) and np.any(expected):
        return "the sign is flipped."
    if m and np.allclose(got, expected * m, rtol=1e-6):
        return f"the result is {m} times too large: it looks like the 1/m is missing."
    if m and np.allclose(got * m, expected, rtol=1e-6):
        return f"the result is {m} times too small: you may have divided by m twice."
    if got.ndim == 2 and got.shape == got.shape[::-1] and np.allclose(got.T, expected):
        return "the result is the transpose of what is expected."
    return None


def _exception_hint(error: Exception, hints: dict | None) -> str | None:
    """The hint for an error: an exercise's own (a pattern in its message, "not aligned" for any
    matrix product's shape error, or its type), else a general one."""
    text = str(error)
    product = isinstance(error, ValueError) and (
        "shapes" in text and "not aligned" in text or "mismatch in its core dimension" in text)
    for pattern, hint in (hints or {}).items():
        if pattern in text or pattern == type(error).__name__ or (
                product and pattern == "not aligned"):
            return hint
    if product:
        return MATRIX_PRODUCT_HINT
    if isinstance(error, ValueError) and "broadcast" in text:
        return ("two arrays could not be combined element by element: a sum without "
                "keepdims=True is a common cause.")
    if isinstance(error, NameError):
        return "a name is not defined: run the cells above (Run > Run All Above Selected Cell)."
    return None


def alike(value, want, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """`value` has the numbers, shapes and keys of `want` (array, number or dict); never raises."""
    if isinstance(want, dict):
        return isinstance(value, dict) and all(k in value and alike(value[k], v, rtol, atol)
                                               for k, v in want.items())
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def same_value(a: Any, b: Any) -> bool:
    """Deep equality for the values checks pass around (arrays, dicts, lists, numbers)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")  # NaN only in these kinds
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return a is b
