"""Slider latency of an explorer, in-process, as a kernel sees it: each control change is made
on a running asyncio loop (the run trains in chunks in a task, as in a kernel) and timed from
the change to the run's first new frame and to its final frame; and a second move made while
the first run still trains, which must cancel the first and show only the second's result.
No comm messaging or browser rendering is included (benchmarks.walkthrough measures those)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import statistics

from .common import Row, seconds, timing_row

TARGET = 0.2  # seconds from a slider move to a new plot, in the browser (the goal)


def _nudged(control, direction: int):
    """The value one step away from the control's current one (another option for a list)."""
    if hasattr(control, "options") and not hasattr(control, "step"):
        options = list(control.options)
        labels = [option[1] if isinstance(option, tuple) else option for option in options]
        return labels[(labels.index(control.value) + direction) % len(labels)]
    if type(control).__name__ == "FloatLogSlider":
        return control.value * control.base ** (direction * control.step)
    if not hasattr(control, "min"):  # a number box: one more
        return control.value + direction
    value = control.value + direction * control.step
    inside = control.min <= value <= control.max
    return value if inside else control.value - direction * control.step


def moves(explorer, changes: list[dict]):
    """Makes each change on a running loop, waits for its run to end; returns the runs."""
    async def scenario():
        runs = []
        for values in changes:
            run = explorer.set(**values)
            if explorer.task is not None:
                await explorer.task
            runs.append(run)
        return runs

    with contextlib.redirect_stdout(io.StringIO()):  # outside IPython display() prints
        return asyncio.run(scenario())


def there_and_back(explorer, settings: list[dict], repeat: int = 1):
    """Each of `settings` applied from the default and undone, `repeat` times in a row; returns
    the runs of the moves there (setting k's are runs[k * repeat:(k + 1) * repeat])."""
    default = explorer.settings()
    return moves(explorer, [change for values in settings for _ in range(repeat)
                            for change in (values, {key: default[key] for key in values})])[::2]


def default_moves(explorer, repeat: int, names=None):
    """Every slider (or `names`) one step away from the default and back, `repeat` times."""
    default = explorer.settings()
    changes = []
    for _ in range(repeat):
        for name in names or explorer.controls:
            control = explorer.controls[name]
            if control.disabled:
                continue
            changes += [{name: _nudged(control, +1)}, {name: default[name]}]
    return moves(explorer, changes)


def second_move(explorer, first: dict, second: dict):
    """A move to `first`, then to `second` once the first run has trained a chunk; returns
    (first run, second run, whether only the second was drawn after the move)."""
    async def scenario():
        run = explorer.set(**first)
        task = explorer.task
        while run.iteration == 0 and run.finished is None:
            await asyncio.sleep(0)
        frames = run.redraws
        latest = explorer.set(**second)
        await explorer.task
        await task
        return run, latest, run.state == "cancelled" and run.redraws == frames

    with contextlib.redirect_stdout(io.StringIO()):
        return asyncio.run(scenario())


def latency_rows(name: str, explorer, repeat: int, slow: dict, fast: dict,
                 names=None) -> list[Row]:
    """The rows of one explorer: slider moves at the default (to first and to final frame)
    and a second move made while a slow first run trains."""
    moves(explorer, [{}])  # a first run: cold matplotlib, fonts, caches
    runs = default_moves(explorer, repeat, names)
    first = [run.first_frame - run.created for run in runs]
    final = [run.seconds for run in runs]
    frames = statistics.median(run.redraws for run in runs)
    cancelled, latest, only_second = second_move(explorer, slow, fast)
    met = only_second and latest.state == "done"
    return [
        timing_row(f"{name}: slider move at the default, to the first new frame", first, TARGET,
                   f"{len(runs)} moves of {len(runs) // repeat // 2} controls, one step each way"),
        timing_row(f"{name}: slider move at the default, to the final frame", final,
                   details=f"{frames:g} frames per run; training "
                           f"{seconds(statistics.median(r.train_seconds for r in runs))}, "
                           f"drawing {seconds(statistics.median(r.draw_seconds for r in runs))}"),
        Row(f"{name}: second move while the first trains, to its first frame",
            seconds(latest.first_frame - latest.created), "only the second drawn",
            met, f"first {slow} stopped at iteration {cancelled.iteration} ({cancelled.state}"
                 f", {cancelled.redraws} frames before the move); second {fast} done in "
                 f"{seconds(latest.seconds)}"),
    ]
