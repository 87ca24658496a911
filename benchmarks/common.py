"""Timing and table helpers shared by the benchmark modules of every week.

A benchmark measures and reports; it never fails because a number is slow. Each measure
becomes a `Row`: its value, the target next to it and whether the target is met.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Row:
    measure: str
    value: str
    target: str = "-"
    met: bool | None = None  # None: no target, information only
    details: str = ""


def seconds(s: float) -> str:
    """A duration in a readable unit: 12.34 s, 0.19 s, 4.2 ms, 85 µs."""
    if s >= 0.1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def timing_row(measure: str, times: Sequence[float], limit: float | None = None,
               details: str = "") -> Row:
    """A row for the median of `times`; with `limit`, the target is median < limit seconds."""
    median = statistics.median(times)
    spread = f"median of {len(times)}"
    if len(times) > 1:
        spread += f", {seconds(min(times))} .. {seconds(max(times))}"
    details = f"{spread}; {details}" if details else spread
    if limit is None:
        return Row(measure, seconds(median), details=details)
    return Row(measure, seconds(median), f"< {limit:g} s", median < limit, details)


def timed(fn: Callable, *args, **kwargs) -> tuple[object, float]:
    """(fn(*args, **kwargs), the wall time it took in seconds)."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def call_times(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per call of `fn`, `repeat` times; fast calls are looped (timeit's autorange)
    so that each measurement lasts at least 0.2 s."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return [total / number for total in timer.repeat(repeat=repeat, number=number)]


def machine_line() -> str:
    """Versions, CPUs and the load average: other work on the machine skews every number."""
    import numpy as np

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} "
            f"CPUs, load average {load} (1, 5, 15 min)")


def progress(message: str) -> None:
    """A line on stderr while benchmarks run (the table goes to stdout)."""
    print(f"... {message}", file=sys.stderr, flush=True)


def format_table(rows: Sequence[Row]) -> str:
    header = ("measure", "result", "target", "met", "details")
    cells = [header] + [
        (r.measure, r.value, r.target, {True: "yes", False: "NO", None: "-"}[r.met], r.details)
        for r in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]

    def line(values):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(c) for c in cells[1:]])


def figures_row(week: str, module, names: Sequence[str], repeat: int) -> Row:
    """One row for a week's figures: the slowest of `module`'s functions `names`, each called
    with no data, built and rendered to PNG bytes (median of `repeat`)."""
    times = {name: statistics.median(call_times(lambda n=name: getattr(module, n)()
                                                ._repr_png_(), repeat)) for name in names}
    slowest = max(times, key=times.get)
    return Row(f"{week} figures, build and render to PNG", seconds(max(times.values())),
               details=f"slowest {slowest}; median {seconds(statistics.median(times.values()))}")
