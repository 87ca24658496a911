"""Runs the benchmarks and prints one table: each measure, its target, whether it is met."""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from . import WEEKS
from .common import format_table, seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--week", choices=sorted(WEEKS), action="append",
                        help="only this week (may be repeated; default: every week)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per measure; medians are reported (default: 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    start = time.perf_counter()
    rows = []
    for week in args.week or sorted(WEEKS):
        rows += WEEKS[week](args.repeat)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())  # other work skews every number
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average {load} (1, 5, 15 min), --repeat {args.repeat}")
    print(format_table(rows))
    print(f"total run time: {seconds(time.perf_counter() - start)}")


if __name__ == "__main__":
    main()
