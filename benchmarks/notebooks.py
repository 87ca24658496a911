"""Executing a week's solution notebook as a learner and as the autograder would, timed."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from .common import Row, progress, seconds, timing_row

REPO = Path(__file__).resolve().parents[1]


def kernel_config():
    """The course's kernel settings (nbgrader_config.py): CurveZMQ keys when pyzmq has them,
    which also silences ipykernel's warning about unencrypted TCP."""
    import zmq
    from traitlets.config import Config

    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def execute_notebook(path: Path, env: dict[str, str]) -> tuple[float, float, list[str]]:
    """Runs every cell of `path` in a new python3 kernel (cwd: the notebook's folder) with
    environment `env`, going on after errors as nbgrader does. Returns (total seconds,
    including kernel start and shut-down; kernel start-up seconds; the errors, one per cell)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}},
                            config=kernel_config())
    start = time.perf_counter()
    with client.setup_kernel(env=env):
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    total = time.perf_counter() - start
    errors = [f"cell {index} raised {out.ename}: {out.evalue}"
              for index, cell in enumerate(nb.cells)
              for out in cell.get("outputs", []) if out.output_type == "error"]
    return total, started - start, errors


def notebook_rows(week: str, repeat: int, target: float) -> list[Row]:
    """Rows for `week`'s solution notebook run top to bottom, plain and as the autograder."""
    path = REPO / "solutions" / week / f"{week}.ipynb"
    plain = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    runs = [(f"{week}.ipynb top to bottom", plain),
            (f"{week}.ipynb, NBGRADER_EXECUTION=autograde",
             plain | {"NBGRADER_EXECUTION": "autograde"})]
    rows = []
    for measure, env in runs:
        totals, startups, errors = [], [], set()
        for run in range(repeat):
            progress(f"{measure}: run {run + 1} of {repeat}")
            total, startup, cell_errors = execute_notebook(path, env)
            totals.append(total)
            startups.append(startup)
            errors.update(cell_errors)
        cells = statistics.median(t - s for t, s in zip(totals, startups))
        row = timing_row(measure, totals, target,
                         f"kernel start-up {seconds(statistics.median(startups))}, "
                         f"cells + shut-down {seconds(cells)}")
        if errors:  # a notebook that raises does not meet its target, however fast
            row.met = False
            row.details = "ERROR " + "; ".join(sorted(errors)) + "; " + row.details
        rows.append(row)
    return rows
