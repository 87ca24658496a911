"""Calling the learner's code: never raise, name the learner's function that failed, in words,
and say so when what it returned breaks its contract (`Shape`, `Number`, `Keys`, `Parts`).

Shared by the visible checks (`checks.core.Check.call`) and every explorer (`widgets`).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class StopRun(Exception):
    """Ends a widget's training run early: the learner's code failed or the cost diverged."""

    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state, self.message = state, message


def accepts_keyword(fn, name: str) -> bool:
    """Whether `fn` takes a keyword argument `name` (True if it cannot be inspected)."""
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def names_keyword(fn, name: str) -> bool:
    """Whether `fn` has a parameter literally named `name` (a **kwargs catch-all is no sign)."""
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def learner_functions(owner: str, names, args: tuple, kwargs: dict) -> dict:
    """The learner's functions `names`, given by position or by name, checked to be callable;
    takes them out of `kwargs` (what is left are settings)."""
    given = dict(zip(names, args)) | {name: kwargs.pop(name) for name in names if name in kwargs}
    for name in names:
        if not callable(given.get(name)):
            got = type(given[name]).__name__ if name in given else "nothing"
            raise TypeError(f"{owner}: pass your function {name} itself (without parentheses), "
                            f"got {got}.")
    return {name: given[name] for name in names}


def run_learner_code(fn: Callable, *args, **kwargs):
    """Calls the learner's function; returns (result, None) or (None, a plain-words problem)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs), None
    except Exception as error:  # the learner's code may raise anything
        return None, failure_words(fn, error)


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
    """The name of the learner's own function, other than `fn`, in which `error` was raised:
    the innermost frame of the traceback that shares fn's globals (the notebook's namespace),
    so a finished model that calls an unfinished or broken helper can name that helper."""
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


# -- contracts: what a learner's function must return ------------------------------------------
def return_problem(name: str, result, contract) -> str | None:
    """Plain words for a `result` of the learner's `name` that breaks `contract`, or None."""
    if result is None:
        return f"<b>{name}</b> returned None: did you forget its <code>return</code>?"
    problem = contract.problem(result, "") if contract is not None else None
    return f"<b>{name}</b> {problem}" if problem else None


def _returned(label: str) -> str:
    return f"returned {label} " if label else "returned "


@dataclass(frozen=True)
class Shape:
    """An array of this shape; `why` is said after the expected shape."""

    shape: tuple
    why: str = ""

    def problem(self, value, label: str) -> str | None:
        try:
            got = np.shape(value)
        except ValueError:  # ragged nested lists
            got = "ragged"
        if got == self.shape:
            return None
        return f"{_returned(label)}{'with ' if label else ''}shape {got}, but it must be " \
               f"{self.shape}{self.why}."


@dataclass(frozen=True)
class Number:
    """One number (a float, a numpy scalar or a 0-d or one-element array)."""

    def problem(self, value, label: str) -> str | None:
        try:
            float(np.squeeze(value))
        except (TypeError, ValueError):
            kind = type(value).__name__
            return f"returned {label} as {kind}, but it must be one number." if label else \
                f"must return one number, got {kind}."
        return None


@dataclass(frozen=True)
class Keys:
    """A dict with at least these keys, each value checked by its contract (None: anything);
    `where` is said after a missing key (e.g. " for a network of 3 layers")."""

    contracts: dict
    where: str = ""

    def problem(self, value, label: str) -> str | None:
        if not isinstance(value, dict):
            return f"must return a dict, got {type(value).__name__}."
        for key, contract in self.contracts.items():
            if key not in value:
                return (f"returned no <code>\"{key}\"</code>{self.where} (found: "
                        f"{', '.join(sorted(map(str, value)))}).")
            problem = contract.problem(value[key], f"<code>{key}</code>") if contract else None
            if problem:
                return problem
        return None


class Parts:
    """A tuple of len(names) values, e.g. Parts("A2, cache", Shape((1, m)), None)."""

    def __init__(self, names: str, *contracts):
        self.names, self.contracts = names, contracts

    def problem(self, value, label: str) -> str | None:
        names = [name.strip() for name in self.names.split(",")]
        if not (isinstance(value, tuple) and len(value) == len(names)):
            count = {2: "two", 3: "three"}.get(len(names), str(len(names)))
            return f"must return {count} things: <code>{self.names}</code>."
        for name, part, contract in zip(names, value, self.contracts):
            problem = contract.problem(part, f"<code>{name}</code>") if contract else None
            if problem:
                return problem
        return None


@dataclass(frozen=True)
class Satisfies:
    """A value that `test` accepts: `test(value)` returns None or words (after the name)."""

    test: Callable

    def problem(self, value, label: str) -> str | None:
        return self.test(value)
