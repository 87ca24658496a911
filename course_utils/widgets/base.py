"""`Explorer`: controls, status line, keyword notes, one live figure and a cancelling run loop.

In a kernel a control change bumps a generation counter and starts an asyncio task that trains
in chunks (CHUNK_SECONDS or a tenth of the iterations) with short pauses, where the next change
gets in and the stale run stops without drawing. Outside a running loop, and for `show()`'s first
run (the saved notebook holds its figure), training is synchronous. Failures are said, not raised.

A subclass declares NAME (for messages), FUNCTIONS (the learner's), DEFAULTS (num_iterations
among them), `make_controls(values)` -> {setting: control} laid out in COLUMNS, KEYWORDS (those
controls need); `start(run)`, which makes each function's first call through `self.check(run,
name, contract, *args)` and keeps its state in `run.work`, `step(run, i)` -> the next i
(`self.call`, `self.record`) and `end(run)` (the last record, the state, the message); SIZE and
BOXES, `build(frame)` and `draw(run)`; linked controls in `linked(name, value)`.
`PlanarExplorer` owns the step of a network learning a planar data set: its subclass adds
FORWARD, `backward`, a `start` beginning with `self.planar(run)`, an `end` and a MapPanel `map`."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import numpy as np

from ..learner_code import (
    StopRun,
    accepts_keyword,
    failure_words,
    learner_functions,
    quiet,
    return_problem,
)
from .frame import Frame
from .training import EXPLODED, divergence, planar_data

CHUNK_SECONDS = 0.03  # longest stretch of training before control changes can get in
MIN_REDRAW_SECONDS = 0.1  # frames during a run come at most this often, and at most every
REDRAW_FACTOR = 2  # REDRAW_FACTOR times the last frame's cost: drawing stays <= 1/3 of the time
FRAME_WORTH = 1  # no frame during a run whose end is nearer than this many frames' cost
# A pause sleeps, then turns the loop: ipykernel 7's shell thread, which brings a control change,
# gets the GIL only when the main thread blocks (turns alone: a change waited 16 ms; 1 ms sleep: 5)
PAUSE_SECONDS, LOOP_TURNS, SETTLE_SECONDS = 0.001, 3, 0.005  # SETTLE: before a final frame


@dataclass
class Run:
    """One training run: its settings, what it recorded at `iterations` (0, every, ...) and its
    `state`: "running", "done", "diverged", "failed" (the learner's code is missing, crashed or
    returned the wrong thing) or "cancelled" (a newer control change replaced it)."""

    generation: int
    settings: dict
    state: str = "running"
    iteration: int = 0
    every: int = 1
    iterations: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    test_costs: list = field(default_factory=list)
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    message: str = ""
    warning: str = ""  # e.g. a learning rate that overshot
    halt: str | None = None  # why training stopped early: how the cost blew up
    parameters: dict | None = None
    redraws: int = 0
    created: float = field(default_factory=time.perf_counter)  # the control change
    first_frame: float | None = None
    finished: float | None = None  # the final frame, or when a cancelled run stopped
    train_seconds: float = 0.0
    draw_seconds: float = 0.0
    keywords: dict = field(default_factory=dict, repr=False)  # extension keywords per function
    work: dict = field(default_factory=dict, repr=False)  # the training step's own state

    @property
    def seconds(self) -> float | None:
        return None if self.finished is None else self.finished - self.created


@dataclass(frozen=True)
class Keyword:
    """An extension keyword the control of the same name needs in `functions`; without it the
    control is disabled at the classic value (`literal`: left out unless literally a parameter)
    and `note` says what to add ("{give}": "give <functions> the keyword <name>=<classic>")."""

    name: str
    functions: tuple
    classic: object
    note: str
    literal: bool = False

    def words(self) -> str:
        names = [f"<code>{name}</code>" for name in self.functions]
        names = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
        value = f'"{self.classic}"' if isinstance(self.classic, str) else self.classic
        return self.note.format(give=f"give {names} the keyword <code>{self.name}={value}</code>")


def red(text: str) -> str:
    return f"<span style='color:#b00'>{text}</span>"


def _refuse_unknown(owner: str, what: str, given, known) -> None:
    if unknown := sorted(set(given) - set(known)):
        raise TypeError(f"{owner}: no {what} named {', '.join(unknown)}; the {what}s are "
                        f"{', '.join(known)}.")


class Explorer:
    NAME = "explorer"  # the entry point's name, used in messages
    FUNCTIONS = COLUMNS = KEYWORDS = BOXES = ()
    DEFAULTS: dict = {}
    SIZE = (8.0, 3.0)
    EXPLODED: float | None = EXPLODED  # a cost this many times the first one halts the run
    TIMED = True  # the status line ends with the seconds a run took
    RUN = Run

    def __init__(self, *functions, **values):
        import ipywidgets as widgets

        self.functions = learner_functions(self.NAME, self.FUNCTIONS, functions, values)
        _refuse_unknown(self.NAME, "setting", values, self.DEFAULTS)
        self.supports = {k.name: all(accepts_keyword(self.functions[f], k.name, k.literal)
                                     for f in k.functions) for k in self.KEYWORDS}
        missing = [k for k in self.KEYWORDS if not self.supports[k.name]]
        values = self.DEFAULTS | values | {k.name: k.classic for k in missing}
        self.check_settings(values)
        self.controls = {name: control for name, control in self.make_controls(values).items()
                         if not any(k.name == name and k.literal for k in missing)}
        for name in {k.name for k in missing} & set(self.controls):
            self.controls[name].disabled = True
        self.fixed = {name: value for name, value in values.items() if name not in self.controls}
        self.status = widgets.HTML()
        self.note = widgets.HTML("".join(f"<div style='color:#666;font-size:90%'>{k.words()}."
                                         "</div>" for k in missing if k.note))
        columns = [widgets.VBox([self.controls[name] for name in column if name in self.controls])
                   for column in self.COLUMNS]
        self.view = widgets.VBox([widgets.HBox(columns), self.status, self.note])
        for control in self.controls.values():
            control.observe(self._control_changed, names="value")
        self.runs: deque[Run] = deque(maxlen=50)
        self.task, self._generation, self._frame_seconds = None, 0, 0.05
        self._quiet = self._linking = False
        self._lock = threading.Lock()  # callbacks may come from another kernel thread
        self.frame = Frame(self.SIZE, self.BOXES)
        self.build(self.frame)

    def show(self):
        """Displays the controls and trains once, synchronously, so the output holds a figure."""
        from IPython.display import display

        display(self.view)
        self.run(sync=True)
        return self

    def settings(self) -> dict:
        return {name: control.value for name, control in self.controls.items()} | self.fixed

    def set(self, **values) -> Run:
        """Sets several controls at once (names as in `settings()`), then retrains once."""
        _refuse_unknown(f"{type(self).__name__}.set", "control", values, self.controls)
        with self._raised("_quiet"):
            for name, value in values.items():
                self.controls[name].value = value
        return self.run()

    def linked(self, name: str, value) -> dict:
        """{other setting: value} to set, silently, when control `name` changes to `value`."""
        return {}

    @property
    def last_run(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    def run(self, sync: bool = False) -> Run:
        """Starts a run with the current settings, cancelling any run still going: in a running
        event loop (a kernel) as an asyncio task (`self.task`), else (or if `sync`) to the end."""
        with self._lock:
            self._generation += 1
            run = self.RUN(self._generation, self.settings())
        if self.runs and self.runs[-1].state == "running":
            self._stale(self.runs[-1])  # cancelled now, whenever its task next looks
        self.runs.append(run)
        steps, loop = self._steps(run), None
        if not sync:
            with suppress(RuntimeError):  # no running loop: not in a kernel
                loop = asyncio.get_running_loop()
        if loop is None:
            deque(steps, maxlen=0)  # trains to the end
        else:
            self.task = loop.create_task(self._drive(steps))
        return run

    def check_settings(self, values: dict) -> None:
        """Raises, in words, for settings that cannot work (before any control is made)."""

    def progress(self, run: Run) -> str:
        """The status line while `run` trains: costs (train and test) and accuracies once known."""
        if not run.costs:
            return ""
        text = f"iteration {run.iteration} of {run.settings['num_iterations']} &middot; cost "
        if not run.test_costs:
            return f"{text}{run.costs[-1]:.4f}"
        text += f"train {run.costs[-1]:.4f}, test {run.test_costs[-1]:.4f}"
        if run.train_accuracy is not None:
            text += (f" &middot; accuracy train {run.train_accuracy:.1f}%, "
                     f"test {run.test_accuracy:.1f}%")
        return text

    def check(self, run: Run, name: str, contract, *args):
        """A learner function's first call in a run: words if it raises or breaks `contract`."""
        result = self.call(run, name, *args)
        if problem := return_problem(name, result, contract):
            raise StopRun("failed", problem)
        return result

    def call(self, run: Run, name: str, *args):
        """A learner function with the run's extension keywords; words if it raises."""
        try:
            return self.functions[name](*args, **run.keywords[name])
        except Exception as error:  # the learner's code may raise anything
            raise StopRun("failed", failure_words(self.functions[name], error)) from None

    def record(self, run: Run, i: int, cost, test_cost=None, parameters=None) -> None:
        """Records the costs at iteration i; one not finite or EXPLODED times the first halts."""
        cost = float(np.squeeze(cost))
        run.iteration = i
        run.iterations.append(i)
        run.costs.append(cost)
        if test_cost is not None:
            run.test_costs.append(float(np.squeeze(test_cost)))
        if not math.isfinite(cost):
            run.halt = f"the cost became {cost} at iteration {i}"
        elif self.EXPLODED and cost > self.EXPLODED * run.costs[0]:
            run.halt = f"{divergence([run.costs[0], cost], 1)} by iteration {i}"
        elif parameters is not None:
            run.parameters = parameters

    def diverged(self, run: Run, grew: str | None = None) -> bool:
        """At the end of a run: marks it diverged, with the subclass's `_advice(run)`, when it
        halted, its recorded costs grew or `grew` says how it blew up; True then."""
        grew = run.halt or divergence(run.costs, run.every) or grew
        if grew:
            run.state, run.message = "diverged", red(f"Training diverged: {grew}. "
                                                     f"{self._advice(run)}")
        return bool(grew)

    def problem(self, run: Run) -> str:
        """What went wrong, as the first line of the message, or ""."""
        return run.message.split("<br>")[0] if run.state in ("failed", "diverged") else ""

    def _control_changed(self, change) -> None:
        if self._linking:
            return
        name = next(k for k, control in self.controls.items() if control is change["owner"])
        with self._raised("_linking"):
            for other, value in self.linked(name, change["new"]).items():
                self.controls[other].value = value
        if not self._quiet:
            self.run()

    @contextmanager
    def _raised(self, flag: str):
        """`flag` up in the block: "_quiet", control changes start no run; "_linking", nor link."""
        setattr(self, flag, True)
        try:
            yield
        finally:
            setattr(self, flag, False)

    async def _drive(self, steps) -> None:
        try:
            await asyncio.sleep(0)  # control changes already queued get in before any work
            for final in steps:
                await asyncio.sleep(SETTLE_SECONDS if final else PAUSE_SECONDS)
                for _ in range(0 if final else LOOP_TURNS):
                    await asyncio.sleep(0)
        except Exception as error:  # a bug here must not vanish inside an unawaited task
            self.status.value = red(f"The {self.NAME} itself failed ({error!r}).")

    def _failed(self, run: Run, error: Exception) -> None:
        run.state, run.message = (error.state, error.message) if isinstance(error, StopRun) else (
            "failed", f"The {self.NAME} itself failed ({type(error).__name__}: {error}). Move a "
            "control to try again.")  # else a bug of the explorer itself

    def _stale(self, run: Run) -> bool:
        """Whether a newer run started; if so `run` is marked cancelled (and when it stopped)."""
        if run.generation == self._generation:
            return False
        if run.state != "cancelled":
            run.state, run.finished = "cancelled", time.perf_counter()
        return True

    def _steps(self, run: Run):
        """Generator: trains `run` chunk by chunk, pausing between chunks; draws as it goes."""
        i, last_frame = None, 0.0
        while run.state == "running" and not self._stale(run):
            i = self._chunk(run, i)
            if i is None:
                yield True  # a control change already waiting cancels the final frame too
                break
            n, now = run.settings["num_iterations"], time.perf_counter()
            remaining = run.train_seconds * (n - i) / max(i, 1)
            gap = max(MIN_REDRAW_SECONDS, REDRAW_FACTOR * self._frame_seconds)
            if remaining >= FRAME_WORTH * self._frame_seconds and (
                    run.redraws == 0 or now - last_frame >= gap):
                self._send(run, self._render(run))
                self._say(run)
                last_frame = time.perf_counter()
            yield
        if not self._stale(run):
            png = self._render(run)
            yield True  # a change that arrived while the final frame rendered cancels it too
            if not self._stale(run):
                self._send(run, png)
                run.finished = time.perf_counter()
                self._say(run)

    def _chunk(self, run: Run, i: int | None) -> int | None:
        """Trains one chunk from iteration i (None: start the run); returns where it got to,
        or None when the run is over (its state and message then say how it ended)."""
        began = time.perf_counter()
        try:
            with quiet():
                if i is None:
                    run.keywords = {name: {k.name: run.settings[k.name] for k in self.KEYWORDS
                                           if self.supports[k.name] and name in k.functions}
                                    for name in self.FUNCTIONS}
                    self.start(run)
                    i = 0
                n = run.settings["num_iterations"]
                tenth = max(1, n // 10)
                boundary, deadline = (i // tenth + 1) * tenth, began + CHUNK_SECONDS
                while i < n and run.halt is None:
                    i = self.step(run, i)
                    if i >= boundary or time.perf_counter() >= deadline:
                        break
                run.iteration = i
                if i < n and run.halt is None:
                    return i
                self.end(run)
                run.state = "done" if run.state == "running" else run.state
        except Exception as error:  # StopRun, or a bug: said, never raised
            self._failed(run, error)
        finally:
            run.train_seconds += time.perf_counter() - began
        return None

    def _render(self, run: Run) -> bytes | None:
        """The panels drawn for `run`, as PNG; None if a newer run started or drawing failed."""
        began = time.perf_counter()
        with self._lock:
            if self._stale(run):
                return None
            try:
                with quiet():
                    self.draw(run)
                png = self.frame.png()
            except Exception as error:  # StopRun, or a bug: said, never raised
                return self._failed(run, error)
        self._frame_seconds = time.perf_counter() - began
        return png

    def _send(self, run: Run, png: bytes | None) -> None:
        if png is None:
            return
        began = time.perf_counter()
        self.frame.show(png)
        run.redraws += 1
        run.first_frame = run.first_frame or time.perf_counter()
        self._frame_seconds += time.perf_counter() - began
        run.draw_seconds += self._frame_seconds

    def _say(self, run: Run) -> None:
        if run.state == "running":
            if run.costs:
                self.status.value = f"training&hellip; {self.progress(run)}"
        elif run.state == "failed":
            self.status.value = red(run.message)
        else:
            timed = f" &middot; {run.seconds:.2f} s" if self.TIMED else ""
            warning = f"<br><span style='color:#a60'>{run.warning}</span>" if run.warning else ""
            self.status.value = run.message + timed + warning


class PlanarExplorer(Explorer):
    """A network learning a planar data set by gradient descent, its cost recorded POINTS times: a
    step: FORWARD, the subclass' `backward(run, X, Y, parameters, A, cache)`, update_parameters."""

    FORWARD = "forward_propagation"
    TEST_COST = True  # record the test cost too
    POINTS = 100

    def check_settings(self, values):
        planar_data(values)  # a bad data set name, m, noise or test ratio, in words

    def planar(self, run: Run):
        """X, Y, X_test, Y_test of the run (kept in run.work["data"]); also sets the recording
        interval and seeds numpy, for a learner's initialization that does not seed."""
        s = run.settings
        run.work["data"] = planar_data(s)
        run.every = max(1, s["num_iterations"] // self.POINTS)
        np.random.seed(s["seed"])
        return run.work["data"]

    def step(self, run, i):
        (X, Y, _, _), params = run.work["data"], run.work["parameters"]
        A, cache = self.call(run, self.FORWARD, X, params)
        if i % run.every == 0:
            self.record_costs(run, i, params, A)
            if run.halt:
                return i
        grads = self.backward(run, X, Y, params, A, cache)
        run.work["parameters"] = self.call(run, "update_parameters", params, grads,
                                           run.settings["learning_rate"])
        return i + 1

    def record_costs(self, run: Run, i: int, params: dict, A=None) -> None:
        """Records the (train and, if TEST_COST, test) cost of `params` at iteration i."""
        X, Y, X_test, Y_test = run.work["data"]
        A = self.call(run, self.FORWARD, X, params)[0] if A is None else A
        test_cost = self.call(run, "compute_cost", self.call(run, self.FORWARD, X_test, params)[0],
                              Y_test) if self.TEST_COST else None
        self.record(run, i, self.call(run, "compute_cost", A, Y), test_cost, params)

    def boundary(self, run: Run, styles):
        """Shows the data on the `map` panel; P(class 1) on its grid, or None before training."""
        self.map.show_data(planar_data(run.settings), styles)
        if run.parameters is None:
            return None
        return self.call(run, self.FORWARD, self.map.grid, run.parameters)[0]
