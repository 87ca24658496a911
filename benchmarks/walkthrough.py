"""The learner walk-through in a real browser: `python -m benchmarks.walkthrough [--moves N]`.

For each week: open a completed copy of the student notebook in JupyterLab (headless system
Chromium), time until the kernel is ready and Run All; then, for every control of every
explorer, starting from its default setting: single moves of one notch (timed from the key
press or option pick to the first new frame and to the move's last frame), and two quick
moves (the second made while the first still trains), judged by what is finally shown.
Every move is checked to have changed the setting; a move that brings no new plot is counted
in the table, and a week that fails is reported there too. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser_lab import (
    WEEKS,
    ControlDidNotMove,
    NotebookPage,
    Setting,
    browser,
    decode_png,
    lab_server,
    pixels_differ,
    why_no_browser,
)

from .common import Row, format_table, machine_line, progress, seconds

TARGET = 0.2  # s from a move to the new plot (issue 9)
QUIET = 0.6  # s without any change in the cell: the move's run is over
TIMEOUT = 15  # s to wait for a move's first new frame before counting the move as failed


@dataclass
class Move:
    """One move of one notch, from `before` to `after`."""
    control: str
    kind: str  # "slider" or "dropdown"
    before: str
    after: str
    first: float | None = None  # s from the press to the first new frame (None: none came)
    heard: float | None = None  # s from the press to the kernel's echo (a round trip)
    last: float | None = None  # s from the press to the last frame before the cell went quiet
    src: str | None = None  # the image shown at the end
    status: str = ""  # the status line(s) shown at the end
    problem: str = ""  # why the move failed


@dataclass
class Pair:
    """Two quick moves, S -> A -> B, the second made while the first still trains."""
    control: str
    settings: str  # "S -> A -> B"
    verdict: str = ""  # "ok", "stale", "wrong", "failed" or "inconclusive"
    why: str = ""
    latency: float | None = None  # s from the second press to the last frame
    heard: float | None = None  # s from the second press to the kernel's echo of it
    gap: float = 0.0  # s between the two presses


@dataclass
class Week:
    name: str
    ready: float | None = None
    run_all: float | None = None
    moves: list[Move] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # moves that left the setting as it was
    skipped: list[str] = field(default_factory=list)  # disabled controls
    errors: list[str] = field(default_factory=list)  # what went wrong besides slow moves


def _without_durations(status: str) -> str:
    """A status line without its timings ("0.23 s"), which differ from run to run; the page's
    textContent drops the <br> before a warning, so a timing may run into its next word
    ("1.06 sThe test cost ...")."""
    return re.sub(r"\d+(?:\.\d+)?\s*(?:ms|s)(?=\b|[A-Z])", "_ s", status)


@dataclass
class Quick:
    """What two quick moves brought, before it is judged against single-move references."""
    settings: list[str]  # S, A, B
    events: list[dict]  # frames, status lines and presses since just before the first press
    second: float  # when the second press was made (page clock, ms)
    came: bool  # whether any new frame came
    src: str | None  # the image shown at the end
    status: str  # the status line(s) shown at the end
    gap: float  # s between the two presses


class ControlWalk:
    """Moves one control of an open notebook and records what each move brings."""

    def __init__(self, notebook: NotebookPage, control):
        self.notebook, self.control = notebook, control
        self.recorder = notebook.recorder(control)
        self.setting = notebook.setting(control)
        self.shown: dict[str, tuple[str, str]] = {}  # setting -> (image, status), single move
        self.quiet = QUIET  # s without a change that ends a move
        self.run_time = 0.0  # s from a single move to its last frame (median)
        self.round_trip = 0.0  # s from a single move to the kernel's echo (the longest)

    def _press(self, direction: int, times: int = 1, gap: float = 0.0
               ) -> tuple[float, str, Setting]:
        """Settles, then `times` notches `gap` s apart: (the page clock before them, setting
        before, after)."""
        self.recorder.settle(self.quiet, TIMEOUT)
        before = self.notebook.setting(self.control).text
        mark = self.recorder.clock()
        return mark, before, self.notebook.step(self.control, direction, times, gap)

    def _outcome(self, mark: float, press: int = 0) -> tuple[list[dict], float, bool]:
        """Waits for a new frame, then for the cell to go quiet: (the events since `mark`,
        the time of press number `press` (0: the first), whether a new frame came)."""
        self.recorder.wait_for_frame(mark, TIMEOUT)
        self.recorder.settle(self.quiet, TIMEOUT)
        events = self.recorder.events(mark)
        inputs = [e["t"] for e in events if e["kind"] == "input"]
        pressed = inputs[min(press, len(inputs) - 1)] if inputs else mark
        came = any(e["kind"] == "frame" and e["t"] >= pressed for e in events)
        return events, pressed, came

    def move(self, direction: int) -> Move:
        """One notch, timed; raises ControlDidNotMove when the setting did not change."""
        mark, before, after = self._press(direction)
        move = Move(self.setting.label, self.setting.kind, before, after.text)
        events, pressed, came = self._outcome(mark)
        move.src, move.status = self.recorder.current()
        if not came:
            move.problem = f"no new plot within {TIMEOUT} s"
            return move
        frames = [e["t"] for e in events if e["kind"] == "frame" and e["t"] >= pressed]
        move.first, move.last = (frames[0] - pressed) / 1000, (frames[-1] - pressed) / 1000
        echoes = [e["t"] for e in events if e["kind"] == "echo" and e["t"] >= pressed]
        move.heard = (echoes[0] - pressed) / 1000 if echoes else None
        self.shown[after.text] = (move.src, move.status)
        return move

    def quick(self, direction: int) -> Quick:
        """Two notches in `direction`, the second a third of a single move's run after the
        first: the kernel gets it while it trains the first (a single move's run includes
        the round trip to the kernel, which is short next to it)."""
        mark, start, end = self._press(direction, times=2, gap=self.run_time / 3)
        events, second, came = self._outcome(mark, press=1)
        presses = [e for e in events if e["kind"] == "input"]
        gap = (presses[1]["t"] - presses[0]["t"]) / 1000 if len(presses) > 1 else 0.0
        middle = presses[0]["setting"] if presses else None
        return Quick([start, middle or "?", end.text], events, second, came,
                     *self.recorder.current(), gap)

    def judge(self, quick: Quick) -> Pair:
        """Whether two quick moves S -> A -> B showed only B's result, against the images and
        status lines A and B show when each is reached by a single move."""
        pair = Pair(self.setting.label, " -> ".join(quick.settings), gap=quick.gap)
        _, a_setting, b_setting = quick.settings
        frames = [(e["t"], decode_png(e["src"])) for e in quick.events if e["kind"] == "frame"]
        if frames:
            pair.latency = (frames[-1][0] - quick.second) / 1000
        echoes = [e["t"] for e in quick.events if e["kind"] == "echo" and e["t"] >= quick.second]
        if echoes:
            pair.heard = (echoes[0] - quick.second) / 1000
        if not quick.came:
            pair.verdict, pair.why = "failed", f"no new plot within {TIMEOUT} s"
            return pair
        if a_setting in (quick.settings[0], b_setting):
            pair.verdict, pair.why = "inconclusive", "the first press did not change the setting"
            return pair
        if a_setting not in self.shown or b_setting not in self.shown:
            pair.verdict, pair.why = "inconclusive", "no single move reached A or B"
            return pair
        (a_src, _), (b_src, b_status) = self.shown[a_setting], self.shown[b_setting]
        a, b = decode_png(a_src), decode_png(b_src)
        if not pixels_differ(a, b):
            pair.verdict, pair.why = "inconclusive", "A and B show the same image"
        elif any(t < quick.second and not pixels_differ(a, f) for t, f in frames):
            pair.verdict, pair.why = "inconclusive", "the first move had finished already"
        elif stale := [t for t, f in frames if t >= quick.second and not pixels_differ(a, f)]:
            after = (stale[0] - quick.second) / 1000
            echo = f"; B echoed after {seconds(pair.heard)}" if pair.heard is not None else ""
            if after <= self.round_trip:
                pair.verdict = "inconclusive"
                pair.why = (f"A's result came {seconds(after)} after the 2nd press, within a "
                            f"round trip to the kernel ({seconds(self.round_trip)}): the kernel "
                            f"may have finished A before B reached it{echo}")
            else:
                pair.verdict = "stale"
                pair.why = (f"A's result was shown {seconds(after)} after the 2nd press, more "
                            f"than a round trip to the kernel ({seconds(self.round_trip)}){echo}")
        elif pixels_differ(b, decode_png(quick.src)):
            pair.verdict, pair.why = "wrong", "the final image is not B's"
        elif _without_durations(quick.status) != _without_durations(b_status):
            pair.verdict = "wrong"
            pair.why = f"the status says {quick.status[:80]!r}, B's says {b_status[:80]!r}"
        else:
            pair.verdict = "ok"
        return pair


def walk_control(notebook: NotebookPage, control, week: Week, moves: int) -> None:
    """From the default S, towards the side with more room (S+1 is one notch that way):
    `moves` single moves S -> S+1 -> S ..., two quick moves S -> S+1 -> S+2, single moves
    S+2 -> S+1 -> S+2 (the references for both pairs), two quick moves S+2 -> S+1 -> S.
    A dropdown with no S+2 (two options, or the default in the middle of three) gets the
    single moves only. The control ends at its default."""
    setting = notebook.setting(control)
    if setting.disabled:
        week.skipped.append(setting.label)
        return
    walk = ControlWalk(notebook, control)
    up = setting.roomier_side()
    offset = 0  # notches away from the default, towards `up`

    def single(direction: int) -> Move:
        nonlocal offset
        week.moves.append(walk.move(direction))
        offset += direction * up
        if week.moves[-1].problem:
            raise _GiveUp
        return week.moves[-1]

    try:
        singles = [single(up if i % 2 == 0 else -up) for i in range(moves + moves % 2)]
        runs = [m.last for m in singles if m.last is not None] or [QUIET]
        walk.run_time = statistics.median(runs)
        walk.round_trip = max([m.heard for m in singles if m.heard is not None] or [0.0])
        if setting.kind == "dropdown" and not 0 <= setting.index + 2 * up < setting.count:
            return
        # an explorer that queues the second move shows nothing while it trains it: wait
        # longer than a whole run before calling two quick moves over
        walk.quiet = max(QUIET, 1.5 * max(runs))
        there = walk.quick(up)
        offset += 2
        single(-up)
        single(up)
        week.pairs.append(walk.judge(there))
        week.pairs.append(walk.judge(walk.quick(-up)))
    except ControlDidNotMove as error:
        week.unchanged.append(str(error))
    except _GiveUp:  # a move brought no new plot: back to the default for the next controls
        for _ in range(abs(offset)):
            notebook.step(control, -up if offset > 0 else up)
        walk.recorder.settle(walk.quiet, TIMEOUT)


class _GiveUp(Exception):
    """A move brought no new plot: the walk of this control stops there."""


def _first_plot_row(name: str, what: str, moves: list[Move]) -> Row:
    median = statistics.median(m.first for m in moves)
    worst = max(moves, key=lambda m: m.first)
    return Row(f"{name}: {what} to the first new plot", seconds(median), f"<= {TARGET:g} s",
               median <= TARGET, f"median of {len(moves)}; worst {seconds(worst.first)} "
                                 f"({worst.control} {worst.before} -> {worst.after})")


def notebook_target(name: str) -> float:
    """The week's notebook run-time target (its benchmark module's NOTEBOOK_TARGET), else 20 s."""
    import importlib

    try:
        return float(importlib.import_module(f"benchmarks.{name}").NOTEBOOK_TARGET)
    except (ImportError, AttributeError):
        return 20.0


def rows(week: Week) -> list[Row]:
    """The table rows of one week."""
    name, out = week.name, []
    if week.ready is not None:
        out.append(Row(f"{name}: open notebook until the kernel is ready", seconds(week.ready)))
    if week.run_all is not None:
        target = notebook_target(name)
        out.append(Row(f"{name}: Run All until idle", seconds(week.run_all), f"< {target:g} s",
                       week.run_all < target))
    for kind, what in (("slider", "slider move"), ("dropdown", "dropdown pick")):
        moves = [m for m in week.moves if m.kind == kind and m.first is not None]
        if moves:
            out.append(_first_plot_row(name, what, moves))
    done = [m for m in week.moves if m.last is not None]
    if done:
        worst = max(done, key=lambda m: m.last)
        out.append(Row(f"{name}: move to its last frame (the result)",
                       seconds(statistics.median(m.last for m in done)),
                       details=f"median of {len(done)}; worst {seconds(worst.last)} "
                               f"({worst.control} {worst.before} -> {worst.after})"))
    heard = [m.heard for m in week.moves if m.heard is not None]
    if week.moves:
        out.append(Row(f"{name}: kernel round trip of a move (press to echo)",
                       seconds(statistics.median(heard)) if heard else "not seen",
                       details=f"median of {len(heard)}; worst {seconds(max(heard))}"
                       if heard else "no echo_update seen: every late result counts as stale"))
    failed = sum(1 for m in week.moves if m.problem) + len(week.unchanged)
    if week.moves or week.unchanged:
        out.append(Row(f"{name}: moves that brought no new plot",
                       f"{failed} of {len(week.moves) + len(week.unchanged)}", "0", not failed,
                       f"{len(week.unchanged)} left the setting unchanged"
                       + (f"; disabled, not moved: {', '.join(week.skipped)}"
                          if week.skipped else "")))
    if week.pairs:
        judged = [p for p in week.pairs if p.verdict != "inconclusive"]
        ok = [p for p in judged if p.verdict == "ok"]
        verdicts = Counter(p.verdict for p in week.pairs)
        gaps = [p.gap for p in week.pairs]
        heard = [p.heard for p in week.pairs if p.heard is not None]
        out.append(Row(f"{name}: 2nd move while the 1st trains shows only the 2nd's result",
                       f"{len(ok)} of {len(judged)}", "all", bool(judged) and ok == judged,
                       ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items()))
                       + f"; 2nd press {seconds(statistics.median(gaps))} after the 1st"
                       + (f", echoed by the kernel {seconds(statistics.median(heard))} after "
                          f"it (worst {seconds(max(heard))})" if heard else "")
                       + " (medians)"))
        latencies = [p.latency for p in week.pairs if p.latency is not None]
        if latencies:
            out.append(Row(f"{name}: 2nd quick move to its last frame",
                           seconds(statistics.median(latencies)),
                           details=f"median of {len(latencies)}; worst "
                                   f"{seconds(max(latencies))}"))
    if week.errors:
        out.append(Row(f"{name}: errors", str(len(week.errors)), "0", False,
                       "; ".join(week.errors)))
    return out


def per_control(weeks: list[Week]) -> str:
    """One line per control: its moves' medians and its two quick moves' verdicts."""
    header = ("control", "moves", "first new plot (median, worst)", "last frame", "2 quick moves")
    lines = [header]
    for week in weeks:
        for label in dict.fromkeys(m.control for m in week.moves):
            moves = [m for m in week.moves if m.control == label]
            firsts = [m.first for m in moves if m.first is not None]
            lasts = [m.last for m in moves if m.last is not None]
            lines.append((f"{week.name} {label}", str(len(moves)),
                          f"{seconds(statistics.median(firsts))}, {seconds(max(firsts))}"
                          if firsts else "-",
                          seconds(statistics.median(lasts)) if lasts else "-",
                          ", ".join(p.verdict for p in week.pairs if p.control == label)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip()
                     for line in lines)


def notes(weeks: list[Week]) -> list[str]:
    """Every move that failed and every pair of quick moves that did not pass, in words."""
    out = []
    for week in weeks:
        out += [f"{week.name} {m.control} {m.before} -> {m.after}: {m.problem}"
                for m in week.moves if m.problem]
        out += [f"{week.name} setting unchanged: {text}" for text in week.unchanged]
        out += [f"{week.name} {p.control} {p.settings}: {p.verdict} ({p.why})"
                for p in week.pairs if p.verdict != "ok"]
    return out


def walk(week: str, server, chromium, moves: int) -> Week:
    result = Week(week)
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    notebook = NotebookPage(page, server, f"learner/{week}/{week}.ipynb")
    try:
        progress(f"{week}: open")
        result.ready = notebook.open()
        progress(f"{week}: run all")
        result.run_all = notebook.run_all()
        raised = notebook.error_outputs()
        if raised:
            result.errors.append(f"Run All: {len(raised)} cell(s) raised, first: "
                                 f"{_one_line(raised[0])}")
        controls = notebook.controls()
        if not controls:
            result.errors.append("no slider or dropdown after Run All")
        for control in controls:
            label = notebook.setting(control).label
            progress(f"{week}: moving {label}")
            try:
                walk_control(notebook, control, result, moves)
            except Exception as error:  # the other controls still count
                result.errors.append(f"{label}: {_one_line(error)}")
                progress(f"{week}: {label} failed: {traceback.format_exc()}")
    except Exception as error:  # one week's failure must not lose the others' numbers
        result.errors.append(f"stopped early: {_one_line(error)}")
        progress(f"{week}: stopped: {traceback.format_exc()}")
    finally:
        page.context.close()
    return result


def _one_line(error: Exception | str) -> str:
    """An exception's first line, or a printed traceback's last (the error itself)."""
    if isinstance(error, Exception):
        lines = f"{type(error).__name__}: {error}".splitlines()
    else:
        lines = [line for line in reversed(error.splitlines()) if line.strip()]
    return (lines or [""])[0][:160]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.walkthrough", description=__doc__)
    parser.add_argument("--moves", type=int, default=2,
                        help="single moves around the default per control before the two "
                             "quick moves (default 2; two more are made between them)")
    parser.add_argument("--week", choices=WEEKS, action="append",
                        help="only this week (may be repeated; default: every week)")
    args = parser.parse_args(argv)
    problem = why_no_browser()
    if problem:
        raise SystemExit(problem)
    start = time.perf_counter()
    weeks = []
    with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as server, \
            browser() as chromium:
        for week in args.week or WEEKS:
            weeks.append(walk(week, server, chromium, args.moves))
    print(machine_line())
    print(format_table([row for week in weeks for row in rows(week)]))
    print(f"\nper control:\n{per_control(weeks)}")
    if notes(weeks):
        print("\nnot as targeted:\n" + "\n".join(notes(weeks)))
    print(f"\ntotal run time: {seconds(time.perf_counter() - start)}")


if __name__ == "__main__":
    main()
