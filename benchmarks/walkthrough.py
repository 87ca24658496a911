"""The learner walk-through in a real browser: `python -m benchmarks.walkthrough [--moves N]`.

For each week: open a completed copy of the student notebook in JupyterLab (headless system
Chromium), time until the kernel is ready, time Run All, then move each slider by keyboard
and time each move until the rendered figure changes (median and worst).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from tests.browser_lab import WEEKS, NotebookPage, browser, lab_server, why_no_browser

from .common import Row, format_table, progress, seconds, timing_row


def walk(week: str, server, chromium, moves: int) -> list[Row]:
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    notebook = NotebookPage(page, server, f"learner/{week}/{week}.ipynb")
    progress(f"{week}: open")
    ready = notebook.open()
    progress(f"{week}: run all")
    run_all = notebook.run_all()
    latencies = []
    for control in notebook.controls():
        figure = notebook.figure_of(control)
        for i in range(moves):
            before, before_src = notebook.pixels(figure), notebook.source(figure)
            notebook.move_by_keyboard(control, presses=1 if i % 2 else 2)
            latencies.append(notebook.wait_for_new_figure(figure, before, before_src))
    page.context.close()
    rows = [Row(f"{week}: open notebook until the kernel is ready", seconds(ready)),
            Row(f"{week}: Run All until idle", seconds(run_all), "< 20 s", run_all < 20)]
    if latencies:
        rows.append(timing_row(f"{week}: slider move until a new plot is shown", latencies,
                               details=f"worst {seconds(max(latencies))}"))
        rows[-1].target, rows[-1].met = "< 0.5 s", statistics.median(latencies) < 0.5
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.walkthrough", description=__doc__)
    parser.add_argument("--moves", type=int, default=5, help="moves per slider (default 5)")
    args = parser.parse_args(argv)
    problem = why_no_browser()
    if problem:
        raise SystemExit(problem)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as server, \
            browser() as chromium:
        for week in WEEKS:
            rows += walk(week, server, chromium, args.moves)
    print(format_table(rows))


if __name__ == "__main__":
    main()
