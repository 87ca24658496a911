"""Graded test cells run in the grader's own process, out of reach of the learner's code.

nbgrader's Execute runs the test cells in the notebook's kernel, where the learner's code ran
first: an answer cell that replaces `np.allclose`, the course's checks or the kernel's error
handling turns every test green. `TrustedExecute` (nbgrader_config.py puts it in Autograde's
place for Execute) runs every other cell in the kernel as before, and each test cell (its code
restored from the gradebook by nbgrader) here instead, in a namespace built from the source
notebook:

- the given code's imports, done here: numpy, the checks, the helpers are the grader's own;
- each name the source defines in an answer cell is a `Remote`: calling it calls the learner's
  function in the kernel, through the agent (autograder.agent), with the arguments, the
  changes it made to them, the global random state and its printed output passed as data
  (autograder.wire). A graded name that is not a function written in a cell of the notebook
  (one imported, or built by exec) fails its tests with a message that says so.

The test cell runs here, in a thread, while the kernel runs the agent's `serve` as a cell of
its own, under the time limit nbgrader's Execute gives a cell: each call is a request on a Unix
socket in the kernel's own folder (`Channel`), about a millisecond.

A check that looks inside the learner's code uses the shared helpers that work on a Remote
too: `learner_code.recording` (the learner's calls of their own functions, recorded, or given
stand-ins, in the kernel) and `learner_code.counting_lines` (lines run, counted in the
kernel). A check that instead reads a Remote's `__globals__` or `__code__`, or calls it under
a tracer of its own, gets its cell run in the kernel, as nbgrader does, and logged ("runs in
the kernel"); no test cell of the course does (tests/test_grading_weeks.py).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import inspect
import io
import json
import linecache
import re
import shutil
import socket
import symtable
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool

from . import agent, wire

MAGIC = re.compile(r"^\s*[%!]")


class NeedsKernel(BaseException):
    """A check reached into the kernel's namespace: run this cell in the kernel."""


class RemoteError(Exception):
    """An exception the learner's function raised in the kernel, of a type not built in."""


class CellTimeoutError(TimeoutError):
    """The learner's function did not return within Execute.timeout (nbclient's name)."""


class KernelUnavailable(RuntimeError):
    """The kernel did not answer a call (it died, hung or lost the agent)."""


def _python(source: str) -> str:
    return "\n".join("" if MAGIC.match(line) else line for line in source.splitlines())


def free_names(source: str) -> set[str]:
    """Global names `source` reads without assigning them at its top level (not builtins)."""
    table = symtable.symtable(source, "<test>", "exec")
    found, assigned = set(), set()

    def walk(scope, top: bool) -> None:
        for symbol in scope.get_symbols():
            if top and (symbol.is_assigned() or symbol.is_imported()):
                assigned.add(symbol.get_name())
            if symbol.is_referenced() and (top or symbol.is_global()):
                found.add(symbol.get_name())
        for child in scope.get_children():
            walk(child, False)

    walk(table, True)
    return {name for name in found - assigned if not hasattr(builtins, name)}


class SourceNotebook:
    """What a test cell may take from the instructor's notebook: the given code's imports and
    the names its answer cells define."""

    def __init__(self, path: Path):
        nb = json.loads(path.read_text(encoding="utf-8"))
        self.folder, self.imports, self.graded = path.parent, [], set()
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                continue
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            try:
                tree = ast.parse(_python(source))
            except SyntaxError:
                continue
            for node in tree.body:
                if meta.get("solution") and isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    self.graded.add(node.name)
                elif not meta.get("solution") and isinstance(node, (ast.Import, ast.ImportFrom)):
                    self.imports.append(node)

    def namespace(self) -> dict:
        """A fresh namespace holding the given imports, imported in this process."""
        namespace = {"__name__": "__course_test__", "__builtins__": builtins}
        module = ast.Module(body=list(self.imports), type_ignores=[])
        sys.path.insert(0, str(self.folder))  # helper files shipped next to the notebook
        try:
            exec(compile(module, "<given imports>", "exec"), namespace)  # noqa: S102
        finally:
            sys.path.remove(str(self.folder))
        return namespace


class Remote:
    """The learner's function `name`, living in the kernel; calling it calls that function."""

    def __init__(self, kernel: TrustedExecute, name: str, params):
        self._kernel, self.__name__, self.__qualname__ = kernel, name, name
        self.__signature__ = _signature(params)
        self._recording = None  # (calls, swaps) while a check records (learner_code.recording)
        self._counting = None  # {function: lines} while a check counts (counting_lines)

    def __repr__(self) -> str:
        return f"<your function {self.__name__}>"

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    @property
    def __globals__(self):
        raise NeedsKernel(f"a check reads {self.__name__}'s namespace")

    @property
    def __code__(self):
        raise NeedsKernel(f"a check reads {self.__name__}'s code")

    def __call__(self, *args, **kwargs):
        if sys.gettrace() is not None:
            raise NeedsKernel(f"a check traces {self.__name__}")
        options = {}
        if self._recording is not None:
            calls, swaps = self._recording
            options = {"watch": list(calls), "swap": swaps}
        if self._counting is not None:
            options["lines"] = True
        answer = self._kernel.call_learner(self.__name__, args, kwargs, **options)
        if self._recording is not None and isinstance(answer.get("calls"), dict):
            for name, made in answer["calls"].items():
                if name in self._recording[0] and isinstance(made, list):
                    self._recording[0][name].extend(tuple(m) for m in made
                                                    if isinstance(m, tuple) and len(m) == 3)
        if self._counting is not None and isinstance(answer.get("lines"), dict):
            for function, lines in answer["lines"].items():
                if isinstance(function, str) and isinstance(lines, int):
                    self._counting[function] = self._counting.get(function, 0) + lines
        return answer.get("value")

    @contextlib.contextmanager
    def recording(self, calls: dict, swaps: dict):
        """learner_code.recording for a function in the kernel: the agent records its calls
        of `calls`' names there, with the module-level functions `swaps` standing in."""
        where = {}
        for name, stand_in in swaps.items():
            qualname = getattr(stand_in, "__qualname__", "<locals>")
            if "<locals>" in qualname or not getattr(stand_in, "__module__", None):
                raise NeedsKernel(f"a check swaps a local function into {self.__name__}")
            where[name] = f"{stand_in.__module__}:{qualname}"
        previous, self._recording = self._recording, (calls, where)
        try:
            yield
        finally:
            self._recording = previous

    @contextlib.contextmanager
    def counting_lines(self, counts: dict):
        """learner_code.counting_lines for a function in the kernel: counted there."""
        previous, self._counting = self._counting, counts
        try:
            yield
        finally:
            self._counting = previous


class Foreign:
    """A graded name bound to something other than a function written in the notebook."""

    def __init__(self, name: str, origin: str):
        self.__name__, self.origin = name, origin

    def __call__(self, *args, **kwargs):
        raise AssertionError(
            f"{self.__name__} is not a function written in this notebook: it is a "
            f"{self.origin}. Only the code you write is graded: define {self.__name__} "
            f"with `def {self.__name__}(...)` in its answer cell.")


def _signature(params) -> inspect.Signature | None:
    if params is None:
        return None
    try:
        return inspect.Signature([
            inspect.Parameter(str(name), inspect._ParameterKind(int(kind)), default=(
                inspect.Parameter.empty if default == agent.NO_DEFAULT else default))
            for name, kind, default in params])
    except (TypeError, ValueError):
        return None


def _rebuilt(error: dict) -> Exception:
    """The learner's exception, of the same built-in type where it is one."""
    name, message = str(error.get("type", "Error")), str(error.get("message", ""))
    kind = getattr(builtins, name, None) if error.get("module") == "builtins" else None
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = type(name if name.isidentifier() else "Error", (RemoteError,), {})
    try:
        rebuilt = kind(message)
    except Exception:  # noqa: BLE001 - an exception type with another constructor
        rebuilt = RemoteError(f"{name}: {message}")
    rebuilt.remote_callee = error.get("callee") if isinstance(error.get("callee"), str) else None
    return rebuilt


def _write_back(original, changed) -> None:
    """Make `original` (what the test passed) hold what the learner's function left in it."""
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
        if original.shape == changed.shape and original.flags.writeable:
            np.copyto(original, changed, casting="unsafe")
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key in list(original):
            if key not in changed:
                del original[key]
        for key, value in changed.items():
            if key in original and type(original[key]) is type(value) and \
                    isinstance(value, (np.ndarray, dict, list)):
                _write_back(original[key], value)
            else:
                original[key] = value
    elif isinstance(original, list) and isinstance(changed, list):
        original[:] = changed


def _remove_links(folder: Path) -> None:
    """Symbolic links the learner's code left in its folder: nbgrader copies that folder's
    files into the feedback, and a link would copy what it points at."""
    for path in folder.rglob("*"):
        if path.is_symlink():
            path.unlink()


class Channel:
    """The grader's end of one test cell's connection with the agent serving in the kernel
    (agent.serve): requests go out, answers come back, both as data (autograder.wire)."""

    def __init__(self, folder: Path):
        self.address = str(folder / "agent.sock")
        Path(self.address).unlink(missing_ok=True)  # the last cell's
        self.listener = socket.socket(socket.AF_UNIX)
        wire.at(self.address, self.listener.bind)
        self.listener.listen(1)
        self.sock: socket.socket | None = None
        self.broken: BaseException | None = None  # why no more answers come
        self.closed = threading.Event()

    def request(self, message: dict):
        """The agent's answer to `message`; raises `broken` (or KernelUnavailable) when the
        kernel stopped answering."""
        try:
            if self.broken is None and self.sock is None:
                self.sock, _ = self.listener.accept()
            if self.broken is not None:
                raise self.broken
            wire.send(self.sock, message)
            return wire.receive(self.sock)
        except wire.WireError as failure:
            raise KernelUnavailable(f"the kernel's answer is unreadable ({failure})") from None
        except (OSError, EOFError):
            # the kernel ended its side first (interrupted, died): the reason comes with close
            self.closed.wait()
            raise self.broken from None

    def finish(self, rng) -> None:
        """Tells the agent the cell is over, with the random state to go on from (it is
        waiting for that even when the test asked nothing, as one that does not compile)."""
        if self.sock is None and self.broken is None:
            with contextlib.suppress(OSError):  # close() ends the wait if the agent never came
                self.sock, _ = self.listener.accept()
        if self.sock is not None and self.broken is None:
            with contextlib.suppress(OSError, wire.WireError):
                wire.send(self.sock, {"op": "done", "rng": rng})

    def close(self, why: BaseException) -> None:
        """No more requests: the ones waiting raise `why` (unless one came first)."""
        self.broken = self.broken or why
        self.closed.set()
        for sock in (self.listener, self.sock):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a thread waiting in accept or recv
                sock.close()


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class TrustedExecute(Execute):
    """nbgrader's Execute with the graded test cells run in this process (module docstring)."""

    trusted = Bool(True, help="run graded test cells outside the kernel").tag(config=True)
    sandbox = Bool(False, help="start the kernel in bubblewrap, the paths "
                               "SandboxedKernelManager.hide out of its sight").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        cwd = (resources or {}).get("metadata", {}).get("path") or None
        # in the kernel's own folder: the one place a sandboxed kernel shares with no other
        self._folder = Path(tempfile.mkdtemp(prefix=".course-grader-", dir=cwd))
        self._source, self._namespace, self._ready, self._dead = None, None, False, None
        self._calls, self._warned = 0, {}
        if self.trusted:
            self._source = self._find_source(resources or {})
        self._call_seconds = 0.0
        if self.sandbox and km is None:
            from .sandbox import SandboxedKernelManager

            name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name", "python3")
            km = SandboxedKernelManager(kernel_name=name, config=self.config,
                                        connection_file=str(self._folder / "kernel.json"))
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)
            if cwd is not None:
                _remove_links(Path(cwd))
            if self._calls:
                self.log.info("test cells called the learner's functions %d times (%.1f s in "
                              "those calls)", self._calls, self._call_seconds)

    def _find_source(self, resources: dict) -> SourceNotebook | None:
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".",
                                          info.get("assignment", ""))) / \
            f"{info.get('notebook', '')}.ipynb"
        if not path.is_file():
            self.log.warning("trusted grading is off for this notebook: its source %s is "
                             "missing, so test cells run in the kernel", path)
            return None
        return SourceNotebook(path)

    # -- the kernel side ----------------------------------------------------------------
    def _run_in_kernel(self, code: str, index: int) -> list:
        """Run `code` in the kernel, as a cell no one sees; its outputs."""
        if self._dead:
            raise KernelUnavailable(self._dead)
        cell = NotebookNode(cell_type="code", source=code, metadata={}, outputs=[],
                            execution_count=None)
        shown = self.nb.cells[index]  # nbclient puts the cell it ran at `index`: put it back
        try:
            self.execute_cell(cell, index, store_history=False)
        except DeadKernelError as died:
            self._dead = ("the notebook's kernel died (did the code call exit(), os._exit or "
                          f"run out of memory?): {died}")
            raise KernelUnavailable(self._dead) from None
        finally:
            self.nb.cells[index] = shown
        return cell.outputs

    def _agent_call(self, method: str, index: int, *paths: Path) -> list:
        args = ", ".join(repr(str(p)) for p in paths)
        outputs = self._run_in_kernel(f"{agent.NAME}.{method}({args})", index)
        if (why := self._agent_failure(outputs)) is not None:
            raise why
        return outputs

    def call_learner(self, name: str, args: tuple, kwargs: dict, **options) -> dict:
        """`name(*args, **kwargs)` in the kernel (`options` as autograder.agent reads them):
        the agent's answer, or the function's exception raised here."""
        self._calls += 1
        started = time.perf_counter()
        try:
            return self._call(name, args, kwargs, options)
        finally:
            self._call_seconds += time.perf_counter() - started

    def _call(self, name: str, args: tuple, kwargs: dict, options: dict) -> dict:
        answer = self._channel.request({"op": "call", "name": name, "args": list(args),
                                        "kwargs": dict(kwargs), "rng": np.random.get_state(),
                                        **options})
        try:
            np.random.set_state(answer["rng"])
            changed, changed_kw = answer.get("changed", {}), answer.get("changed_kw", {})
            printed = str(answer.get("stdout", "")), str(answer.get("stderr", ""))
        except (KeyError, TypeError, ValueError, AttributeError) as failure:
            raise KernelUnavailable(f"the kernel's answer for {name} is unreadable "
                                    f"({failure})") from None
        sys.stdout.write(printed[0])
        sys.stderr.write(printed[1])
        for position, value in changed.items():
            if isinstance(position, int) and 0 <= position < len(args):
                _write_back(args[position], value)
        for key, value in changed_kw.items():
            if key in kwargs:
                _write_back(kwargs[key], value)
        for warning in answer.get("warnings", ()):
            with contextlib.suppress(TypeError, ValueError):
                kind, message, filename, line = warning
                kind = getattr(builtins, str(kind), None)
                kind = kind if isinstance(kind, type) and issubclass(kind, Warning) else UserWarning
                warnings.warn_explicit(str(message), kind, str(filename), int(line),
                                       registry=self._warned)
        if "error" in answer:
            raise _rebuilt(answer["error"] if isinstance(answer["error"], dict) else {})
        return answer

    def _describe(self, names: list[str]) -> dict:
        answer = self._channel.request({"op": "describe", "names": names})
        try:
            np.random.set_state(answer["rng"])
            self._cell_rng = answer["rng"]
            return dict(answer["names"])
        except (KeyError, TypeError, ValueError, AttributeError) as failure:
            raise KernelUnavailable(f"the kernel's description of {', '.join(names)} is "
                                    f"unreadable ({failure})") from None

    # -- cells ----------------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        if self._source is None or cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        if not self._ready:
            self._ready = True
            outputs = self._run_in_kernel(
                "import autograder.agent as _a; _a.install(globals()); del _a", index)
            failed = [o for o in outputs if o.get("output_type") == "error"]
            if failed:  # never nbgrader's way instead: a submitted autograder.py could force it
                self._dead = (f"the kernel could not start the grader's agent "
                              f"({failed[0].get('ename')}: {failed[0].get('evalue')}); is the "
                              f"course installed in the kernel's Python, and is there a file "
                              f"named autograder next to the notebook?")
        if not is_test_cell(cell) or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        self._check_assign_resources(resources)
        if self._namespace is None:
            self._namespace = self._source.namespace()
        self._cell_rng = None
        try:
            outputs = self._run_trusted(cell, index)
        except NeedsKernel as why:
            self.log.info("test cell %s runs in the kernel: %s",
                          cell.metadata.get("nbgrader", {}).get("grade_id"), why)
            reset = self._folder / "rng.wire"
            wire.dump(self._cell_rng or np.random.get_state(), reset)
            with contextlib.suppress(KernelUnavailable, CellTimeoutError):
                self._agent_call("set_rng", index, reset)
            cell.outputs = []
            return super().preprocess_cell(cell, resources, index)
        cell.outputs = outputs
        return cell, self.resources

    def _run_trusted(self, cell, index: int) -> list:
        """The test cell run here, in a thread, while the kernel serves its calls: the agent's
        `serve` runs as a cell of its own, with the course's time limit for the cell."""
        self._channel = channel = Channel(self._folder)
        done: dict = {}

        def test() -> None:
            try:
                done["outputs"] = self._test_code(cell, index)
            except BaseException as raised:  # noqa: BLE001 - NeedsKernel, or passed on
                done["raised"] = raised
            finally:
                channel.finish(np.random.get_state())

        thread = threading.Thread(target=test, name="course-test-cell", daemon=True)
        thread.start()
        try:
            served = self._run_in_kernel(f"{agent.NAME}.serve({channel.address!r})", index)
            why = self._agent_failure(served)
        except KernelUnavailable as unavailable:
            served, why = [], unavailable
        except BaseException:
            channel.close(KernelUnavailable("grading was stopped"))
            thread.join(5)
            raise
        channel.close(why or KernelUnavailable(
            f"the kernel stopped answering the grader; does the notebook replace {agent.NAME}?"))
        thread.join()
        if "raised" in done:
            raise done["raised"]
        streams = [o for o in served if o.get("output_type") == "stream"]
        return streams + done["outputs"]

    def _agent_failure(self, outputs: list) -> BaseException | None:
        """Why a cell of the agent's ended in an error (None if it did not)."""
        for output in outputs:
            if output.get("output_type") != "error":
                continue
            if output.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
                return CellTimeoutError(f"no answer within {self.timeout} s (an endless loop?), "
                                        "so the kernel was interrupted")
            return KernelUnavailable(
                f"the kernel did not answer the grader ({output.get('ename')}: "
                f"{output.get('evalue')}); does the notebook replace {agent.NAME}?")
        return None

    def _test_code(self, cell, index: int) -> list:
        source = _python(cell.source)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell{index}")
        filename = f"<test cell {grade_id}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        out, err, error = io.StringIO(), io.StringIO(), None
        namespace = self._namespace
        try:
            code = compile(source, filename, "exec")
            wanted = sorted(name for name in free_names(source)
                            if name in self._source.graded or name not in namespace)
            for name, info in self._describe(wanted).items():
                namespace.pop(name, None)
                kind = info.get("kind") if isinstance(info, dict) else None
                if kind == "function" and name in self._source.graded and info["origin"]:
                    namespace[name] = Foreign(name, str(info["origin"]))
                elif kind == "function":
                    namespace[name] = Remote(self, name, info.get("params"))
                elif kind == "value":
                    namespace[name] = info.get("value")
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec(code, namespace)  # noqa: S102 - the instructor's test code
        except NeedsKernel:
            raise
        except Exception as failure:  # noqa: BLE001 - a failing test is an error output
            error = failure
        outputs = [NotebookNode(output_type="stream", name=name, text=text.getvalue())
                   for name, text in (("stdout", out), ("stderr", err)) if text.getvalue()]
        if error is not None:
            outputs.append(self._error_output(error, filename))
        return outputs

    @staticmethod
    def _error_output(error: Exception, filename: str) -> NotebookNode:
        render = getattr(error, "_render_traceback_", None)
        if callable(render):
            lines = render()
        else:
            frames = [f for f in traceback.extract_tb(error.__traceback__)
                      if f.filename == filename]
            lines = ["Traceback (most recent call last):",
                     *(line.rstrip("\n") for line in traceback.format_list(frames)),
                     *(line.rstrip("\n") for line in
                       traceback.format_exception_only(type(error), error))]
        return NotebookNode(output_type="error", ename=type(error).__name__,
                            evalue=str(error), traceback=lines)


def configure(c) -> None:
    """Put TrustedExecute in the place of nbgrader's Execute among Autograde's preprocessors
    (`c` is the nbgrader config being loaded)."""
    from nbgrader.converters import Autograde

    c.Autograde.autograde_preprocessors = [
        TrustedExecute if pp is Execute else pp
        for pp in Autograde.class_traits()["autograde_preprocessors"].default()]
