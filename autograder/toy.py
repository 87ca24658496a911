"""A tiny two-exercise nbgrader course, built in any folder.

The tests run the real release and grading paths on it; an instructor can use it to check
an installation (``python -m autograder --root /tmp/toy ...`` after :func:`make_course`).
It has everything the real weeks rely on: solution blocks, visible and hidden tests with
points, a helper file next to the notebook, and an interactive cell that must be skipped
when ``NBGRADER_EXECUTION`` is set.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .course import Course

ASSIGNMENT = "week0"
POINTS = {"test_sigmoid": 2.0, "test_relu": 3.0}

HELPER = '''"""Shipped next to the notebook; copied into the release and the grading tree."""


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol
'''

SIGMOID_SOLUTION = """\
def sigmoid(z):
    ### BEGIN SOLUTION
    return 1.0 / (1.0 + math.exp(-z))
    ### END SOLUTION"""

RELU_SOLUTION = """\
def relu(z):
    ### BEGIN SOLUTION
    return max(0.0, z)
    ### END SOLUTION"""

SIGMOID_TEST = """\
assert close(sigmoid(0.0), 0.5), "sigmoid(0) should be 0.5"
### BEGIN HIDDEN TESTS
assert close(sigmoid(2.0), 0.8807970779778823)
### END HIDDEN TESTS"""

RELU_TEST = """\
assert relu(-1.0) == 0.0, "relu(-1) should be 0"
### BEGIN HIDDEN TESTS
assert relu(2.5) == 2.5
assert "PLAYGROUND_RAN" not in globals(), "the interactive cell ran during grading"
### END HIDDEN TESTS"""

PLAYGROUND = """\
import os

if not os.environ.get("NBGRADER_EXECUTION"):
    PLAYGROUND_RAN = True  # sliders would live here
    print("playground:", [relu(x) for x in (-1, 0, 1)])"""

# What a learner who got relu wrong would write (sigmoid right).
WRONG_RELU = """\
def relu(z):
    return z"""


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    """The instructor's notebook, with deterministic cell ids."""
    cells = [
        new_markdown_cell("# Week 0: two activations\n\n$\\sigma(z) = \\frac{1}{1 + e^{-z}}$ "
                          "and $\\mathrm{relu}(z) = \\max(0, z)$.",
                          metadata=_meta("intro", locked=True)),
        new_code_cell("import math\n\nfrom toy_helpers import close"),
        new_code_cell(SIGMOID_SOLUTION, metadata=_meta("sigmoid", solution=True)),
        new_code_cell(
            SIGMOID_TEST,
            metadata=_meta("test_sigmoid", grade=True, locked=True,
                           points=POINTS["test_sigmoid"]),
        ),
        new_code_cell(RELU_SOLUTION, metadata=_meta("relu", solution=True)),
        new_code_cell(PLAYGROUND),
        new_code_cell(
            RELU_TEST,
            metadata=_meta("test_relu", grade=True, locked=True, points=POINTS["test_relu"]),
        ),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def make_course(root: Path, config_file: Path | None = None) -> Course:
    """Write the toy course under ``root`` (solutions/week0/...) and return it, configured
    with the repo's nbgrader_config.py unless another one is given."""
    root = Path(root)
    course = Course.load(root=root, config_file=config_file)
    folder = course.source_dir / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    (folder / "toy_helpers.py").write_text(HELPER)
    return course


def replace_solution(nb: nbformat.NotebookNode, grade_id: str, source: str):
    """Return a copy of ``nb`` with the solution cell ``grade_id`` set to ``source``."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise KeyError(grade_id)
