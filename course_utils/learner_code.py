"""Calling the learner's code, for the visible checks and every explorer: never raise, name the
learner's function that failed, say in words what breaks its contract (`return_problem`)."""

from __future__ import annotations

import copy
import inspect
import os
import sys
import sysconfig
import types
import warnings
from collections.abc import Callable
from contextlib import contextmanager

import numpy as np


class StopRun(Exception):
    """Ends a widget's training run early: the learner's code failed or the cost diverged."""

    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state, self.message = state, message


@contextmanager
def quiet():
    """No warnings for the learner's numbers (in a widget, for one chunk, never across a pause)."""
    with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):
        yield


def accepts_keyword(fn, name: str, literal: bool = False) -> bool:
    """Whether `fn` takes a keyword argument `name` (True if it cannot be inspected); with
    `literal`, only a parameter of that very name counts, not a **kwargs catch-all."""
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return not literal
    return name in parameters or not literal and any(
        p.kind is p.VAR_KEYWORD for p in parameters.values())


def learner_functions(owner: str, names, args: tuple, kwargs: dict) -> dict:
    """The learner's functions `names`, by position or name, checked callable (out of `kwargs`)."""
    given = dict(zip(names, args)) | {name: kwargs.pop(name) for name in names if name in kwargs}
    for name in names:
        if not callable(given.get(name)):
            got = type(given[name]).__name__ if name in given else "nothing"
            raise TypeError(f"{owner}: pass your function {name} itself (without parentheses), "
                            f"got {got}.")
    return {name: given[name] for name in names}


@contextmanager
def recording(fn, names=(), swaps: dict | None = None):
    """While the block runs, the calls `fn` makes of the notebook's functions `names` and
    `swaps` are recorded: yields {name: [(args, kwargs, output), ...]}, the inputs copied. Each
    `swaps[name]` (a module-level function) stands in for the learner's `name` meanwhile.
    For the grader's stand-in of a function that lives in the kernel, its own `recording`."""
    swaps = dict(swaps or {})
    calls = {name: [] for name in (*names, *swaps)}
    remote = getattr(type(fn), "recording", None)
    if remote is not None:
        with remote(fn, calls, swaps):
            yield calls
        return
    namespace = fn.__globals__ if isinstance(fn, types.FunctionType) else {}
    saved = {name: namespace[name] for name in calls if name in namespace}
    for name in calls:
        original = swaps.get(name, namespace.get(name))
        if callable(original):
            namespace[name] = _recorder(original, calls[name])
    try:
        yield calls
    finally:
        for name in calls:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def _recorder(original, calls: list):
    def recorded(*args, **kwargs):
        inputs = copy.deepcopy((args, kwargs))
        output = original(*args, **kwargs)
        calls.append((*inputs, output))
        return output
    recorded.__wrapped__ = original
    return recorded


LIBRARIES = tuple(dict.fromkeys([
    *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")),
    os.path.dirname(os.path.dirname(np.__file__)), os.path.dirname(__file__), "<frozen"]))


@contextmanager
def counting_lines(fn, counts: dict):
    """While the block runs, counts in `counts`, by function name, the lines of the learner's
    own code (not numpy's, the standard library's or the course's) that run. For the grader's
    stand-in of a function that lives in the kernel, counted there, for its calls."""
    remote = getattr(type(fn), "counting_lines", None)
    if remote is not None:
        with remote(fn, counts):
            yield counts
        return

    def line(frame, event, arg):
        if event == "line":
            counts[frame.f_code.co_name] = counts.get(frame.f_code.co_name, 0) + 1
        return line

    def call(frame, event, arg):
        return None if frame.f_code.co_filename.startswith(LIBRARIES) else line

    before = sys.gettrace()
    sys.settrace(call)
    try:
        yield counts
    finally:
        sys.settrace(before)


def lines_run(fn, *args) -> int:
    """How many lines of the learner's own code fn(*args) runs (see `counting_lines`)."""
    counts = {}
    with counting_lines(fn, counts):
        fn(*args)
    return sum(counts.values())


def failure_words(fn: Callable, error: Exception) -> str:
    """Plain words for an exception out of the learner's `fn`, naming the learner's function
    that raised it (fn itself, or an unfinished or broken one that fn calls)."""
    name = failing_callee(fn, error) or getattr(fn, "__name__", "your function")
    if isinstance(error, NotImplementedError):
        return (f"<b>{name}</b> is not implemented yet: finish its exercise above, run its cell "
                "and its check, then move a slider again.")
    return (f"<b>{name}</b> raised {type(error).__name__}: {error}. Fix it and make its check "
            "pass, then move a slider again.")


def failing_callee(fn: Callable, error: BaseException) -> str | None:
    """The learner's own function, other than `fn`, that raised `error`: the innermost frame that
    shares fn's globals (the notebook's), so a model can name the unfinished helper it calls."""
    if hasattr(error, "remote_callee"):  # raised in the kernel for a test the grader runs
        return error.remote_callee
    namespace, found = getattr(fn, "__globals__", None), None
    if namespace is not None and namespace.get("__name__", "").startswith("course_utils"):
        return None  # fn is the course's own code (a widget's training loop), not the learner's
    frame = error.__traceback__
    while frame is not None:
        if namespace is not None and frame.tb_frame.f_globals is namespace:
            found = frame.tb_frame.f_code
        frame = frame.tb_next
    if found is None or found is getattr(fn, "__code__", None):
        return None
    name = found.co_name
    return None if name in ("<module>", "<lambda>", getattr(fn, "__name__", None)) else name


# -- contracts, what a learner's function must return: None (anything), `float` (one number), a
# shape tuple (`Columns`: one column per example), a dict {key: contract}, `Parts("A2, cache", c,
# c)` (a tuple of these), or a function of the value: the words after the name, or None.
class Columns(tuple):
    """The shape (1, m) of a row holding one column per example."""


class Parts(tuple):
    """A tuple return, its parts named as in the lectures: Parts("A2, cache", (1, m), None)."""

    def __new__(cls, names: str, *contracts):
        parts = super().__new__(cls, contracts)
        parts.names = names
        return parts


def return_problem(name: str, result, contract) -> str | None:
    """Plain words for a `result` of the learner's `name` that breaks `contract`, or None."""
    if result is None:
        return f"<b>{name}</b> returned None: did you forget its <code>return</code>?"
    return f"<b>{name}</b> {problem}" if (problem := _problem(result, contract, "")) else None


def _problem(value, contract, label: str) -> str | None:
    returned = f"returned {label} " if label else "returned "
    if contract is None:
        return None
    if contract is float:
        try:
            float(np.squeeze(value))
            return None
        except (TypeError, ValueError):
            kind = type(value).__name__
        return f"{returned}as {kind}, but it must be one number." if label else \
            f"must return one number, got {kind}."
    if isinstance(contract, Parts):
        names = [name.strip() for name in contract.names.split(",")]
        if not (isinstance(value, tuple) and len(value) == len(names)):
            count = {2: "two", 3: "three"}.get(len(names), len(names))
            return f"must return {count} things: <code>{contract.names}</code>."
        parts = zip(value, contract, names)
        return next(filter(None, (_problem(v, c, f"<code>{n}</code>") for v, c, n in parts)), None)
    if isinstance(contract, tuple):
        try:
            got = np.shape(value)
        except ValueError:  # ragged nested lists
            got = "ragged"
        why = " (one column per example)" if isinstance(contract, Columns) else ""
        return None if got == contract else \
            f"{returned}{'with ' if label else ''}shape {got}, but it must be {contract}{why}."
    if isinstance(contract, dict):
        if not isinstance(value, dict):
            return f"must return a dict, got {type(value).__name__}."
        if missing := [key for key in contract if key not in value]:
            return (f"returned no <code>\"{missing[0]}\"</code> (found: "
                    f"{', '.join(sorted(map(str, value)))}).")
        parts = ((value[key], c, f"<code>{key}</code>") for key, c in contract.items())
        return next(filter(None, (_problem(*part) for part in parts)), None)
    return contract(value)
