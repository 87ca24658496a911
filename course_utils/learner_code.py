"""Calling the learner's code: never raise, name the learner's function that failed, in words.

Shared by the visible checks (`checks.core.Check.call`) and every explorer (`widgets`).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable

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
