"""The grader's agent inside a notebook's kernel: it calls the learner's functions for test
code that runs outside the kernel (autograder.trusted), with values passed as data
(autograder.wire).

`install` puts one `Agent` in the kernel's namespace as `__course_grader__` before the first
cell runs. For each test cell the grader runs `serve` in the kernel: it connects to the
grader's socket and answers its requests (describe names, call a function) until told
`done`. The learner's code can replace or break it: that can only make the kernel answer
wrongly, which the grader reads as a wrong or a failed answer, since what it sends back is data.
"""

from __future__ import annotations

import copy
import inspect
import io
import os
import socket
import tempfile
import warnings
from contextlib import nullcontext, redirect_stderr, redirect_stdout

import numpy as np

from course_utils.checks.core import same_value

from . import wire

NAME = "__course_grader__"
NO_DEFAULT = {"__no_default__": True}
PRINTED = 100_000  # characters of a call's printed output kept; the rest is cut


class _Printed(io.StringIO):
    """A call's printed output, up to PRINTED characters (a flood is cut, not kept)."""

    def write(self, text: str) -> int:
        room = PRINTED - self.tell()
        if room > 0:
            super().write(text[:room] if len(text) <= room else
                          text[:room] + "\n[... the rest of this output was cut]\n")
        return len(text)


def _cell_file(filename: str) -> bool:
    """Whether code came from a cell this kernel ran (ipykernel's per-cell files)."""
    cells = os.path.join(tempfile.gettempdir(), f"ipykernel_{os.getpid()}")
    return os.path.dirname(filename) == cells or filename.startswith("<ipython-input-")


def origin(fn) -> str | None:
    """None for a function written in one of the notebook's cells; else where `fn` is from."""
    code = getattr(fn, "__code__", None)
    if inspect.isfunction(fn) and fn.__module__ == "__main__" and _cell_file(code.co_filename):
        return None
    module = getattr(fn, "__module__", None) or type(fn).__module__
    where = getattr(code, "co_filename", None)
    return f"{type(fn).__name__} from {module}" + (f" ({where})" if where else "")


def _function(where: str):
    """The module-level function 'module:qualname' (a check's stand-in for a learner's)."""
    import importlib

    module, _, name = str(where).partition(":")
    value = importlib.import_module(module)
    for part in name.split("."):
        value = getattr(value, part)
    return value


class Agent:
    def __init__(self, namespace: dict):
        self.namespace = namespace

    def serve(self, address: str) -> None:
        """Answer the grader's requests on the Unix socket `address` (a folder and the
        socket's name in it) until it says `done`."""
        with socket.socket(socket.AF_UNIX) as sock:
            wire.at(address, sock.connect)
            while True:
                request = wire.receive(sock)
                if request.get("op") == "done":
                    np.random.set_state(request["rng"])
                    return
                answer = self.describe(request) if request.get("op") == "describe" \
                    else self.call(request)
                try:
                    wire.send(sock, answer)
                except (wire.WireError, ValueError, RecursionError) as failure:
                    wire.send(sock, {"error": {
                        "type": "TypeError", "module": "builtins", "callee": None,
                        "message": f"returned a value the grader cannot read ({failure})"},
                        "rng": answer["rng"]})

    def describe(self, request: dict) -> dict:
        """What each name in the request is in the notebook: missing, a function (whose, its
        parameters) or a value; and the global random state."""
        info = {}
        for name in request["names"]:
            if name not in self.namespace:
                info[name] = {"kind": "missing"}
            elif callable(value := self.namespace[name]):
                info[name] = {"kind": "function", "origin": origin(value),
                              "params": self._parameters(value)}
            else:
                info[name] = {"kind": "value", "value": value}
        return {"names": info, "rng": np.random.get_state()}

    @staticmethod
    def _parameters(fn):
        try:
            parameters = inspect.signature(fn).parameters.values()
        except (TypeError, ValueError):
            return None
        return [[p.name, int(p.kind), NO_DEFAULT if p.default is p.empty else p.default]
                for p in parameters]

    def set_rng(self, path: str) -> None:
        np.random.set_state(wire.load(path))

    def call(self, request: dict) -> dict:
        """Call a function as `request` says; what happened."""
        np.random.set_state(request["rng"])
        args, kwargs = list(request["args"]), dict(request["kwargs"])
        before = copy.deepcopy((args, kwargs))
        answer, fn = {}, self.namespace.get(request["name"])
        out, err = _Printed(), _Printed()
        try:
            from course_utils.learner_code import counting_lines, recording

            swaps = {name: _function(where) for name, where in request.get("swap", {}).items()}
            lines = {}
            with warnings.catch_warnings(record=True) as caught, \
                    redirect_stdout(out), redirect_stderr(err), \
                    recording(fn, request.get("watch", ()), swaps) as calls, \
                    counting_lines(fn, lines) if request.get("lines") else nullcontext():
                warnings.simplefilter("always")  # the grader's filters decide what is shown
                answer["value"] = fn(*args, **kwargs)
            answer["calls"], answer["lines"] = calls, lines
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - reported to the grader as data
            answer["error"] = self._error(error, fn)
        answer["rng"] = np.random.get_state()
        answer["stdout"], answer["stderr"] = out.getvalue(), err.getvalue()
        answer["warnings"] = [[type(w.message).__name__, str(w.message), str(w.filename),
                               int(w.lineno or 0)] for w in locals().get("caught", ())]
        answer["changed"] = {i: a for i, (a, b) in enumerate(zip(args, before[0]))
                             if not same_value(a, b)}
        answer["changed_kw"] = {k: v for k, v in kwargs.items() if not same_value(v, before[1][k])}
        return answer

    @staticmethod
    def _error(error: BaseException, fn) -> dict:
        callee = None
        try:
            from course_utils.learner_code import failing_callee

            callee = failing_callee(fn, error) if fn is not None else None
        except Exception:  # noqa: BLE001 - the name is a nicety
            pass
        return {"type": type(error).__name__, "module": type(error).__module__,
                "message": str(error)[:2000], "callee": callee if fn is not None else None}


def install(namespace: dict) -> None:
    namespace[NAME] = Agent(namespace)
