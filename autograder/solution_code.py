"""The reference behaviour of an assignment: its solution cells, executed outside Jupyter.

Only instructor tooling and tests use this; visible checks never import it.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]


def source_notebook(week: str, root: Path = REPO) -> Path:
    return root / "solutions" / week / f"{week}.ipynb"


def solution_cells(notebook: Path) -> list[str]:
    """The code of the imports cell and of every nbgrader solution cell, in notebook order
    (IPython magics such as %matplotlib dropped)."""
    nb = nbformat.read(notebook, as_version=4)
    sources = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade_id") == "imports"):
            sources.append("\n".join(line for line in cell.source.splitlines()
                                     if not line.lstrip().startswith("%")))
    return sources


def solution_namespace(week: str, root: Path = REPO, notebook: Path | None = None) -> dict:
    """Executes the solution cells of `week` (or of another notebook of it, such as the
    student release) and returns the names they define."""
    import copy
    import math

    import numpy as np

    namespace = {"__name__": f"solution_{week}", "np": np, "math": math, "copy": copy}
    with contextlib.redirect_stdout(io.StringIO()):
        for source in solution_cells(notebook or source_notebook(week, root)):
            exec(compile(source, f"<{week} solution>", "exec"), namespace)
    return namespace
