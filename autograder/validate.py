"""Run the source notebooks (solutions + hidden tests) and check every graded test passes.

Executes with nbclient, as nbgrader does, with ``NBGRADER_EXECUTION=validate`` (what
``nbgrader validate`` sets) so interactive cells are skipped, then scores each test cell
with nbgrader's own rule (:func:`nbgrader.utils.determine_grade`): an error output *or any
stderr output* scores 0. ``nbgrader validate`` itself exits 0 even when tests fail, so its
exit status is never used.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, quiet_nbgrader
from .outcomes import Outcome, failure, outcomes


@dataclass
class NotebookResult:
    assignment: str
    notebook: Path
    seconds: float = 0.0
    tests: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # errors in cells that are not graded
    error: str = ""  # the notebook could not be run at all

    @property
    def passed(self) -> bool:
        return not self.error and all(t.passed for t in self.tests)


def run_notebook(course: Course, notebook: Path, timeout: int | None = None,
                 nbgrader_execution: str | None = "validate"):
    """Execute ``notebook`` in its folder with the course's kernel settings; return it.

    ``nbgrader_execution=None`` runs it as a learner would (sliders and full training on).
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    execute = course.config["Execute"] if "Execute" in course.config else {}
    client = NotebookClient(
        nb,
        timeout=timeout or execute.get("timeout", 60),
        kernel_name=execute.get("kernel_name", "python3"),
        allow_errors=True,
        interrupt_on_timeout=True,
        resources={"metadata": {"path": str(notebook.parent)}},
        config=course.config,
    )
    old = os.environ.pop("NBGRADER_EXECUTION", None)
    if nbgrader_execution:
        os.environ["NBGRADER_EXECUTION"] = nbgrader_execution
    try:
        with quiet_nbgrader():
            client.execute()
    finally:
        os.environ.pop("NBGRADER_EXECUTION", None)
        if old is not None:
            os.environ["NBGRADER_EXECUTION"] = old
    return nb


def validate_notebook(course: Course, assignment: str, notebook: Path | None = None,
                      timeout: int | None = None) -> NotebookResult:
    from nbgrader import utils

    notebook = notebook or course.source_notebook(assignment)
    result = NotebookResult(assignment, notebook)
    start = time.perf_counter()
    try:
        nb = run_notebook(course, notebook, timeout)
    except Exception as err:  # noqa: BLE001 - dead kernel, bad JSON, missing kernel...
        result.error = f"{type(err).__name__}: {str(err).strip().splitlines()[0][:200]}"
        result.seconds = time.perf_counter() - start
        return result
    result.seconds = time.perf_counter() - start
    execute = course.config["Execute"] if "Execute" in course.config else {}
    result.tests = outcomes(nb, timeout or execute.get("timeout"))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if not (utils.is_grade(cell) and not utils.is_solution(cell)):
            if any(o.output_type == "error" for o in cell.outputs):
                problem = failure(cell, 0, 0)
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                name = f"cell {index}" + (f" ({gid})" if gid else "")
                result.warnings.append(f"{name} raised {problem}")
    return result


def validate(course: Course, assignments: list[str] | None = None,
             timeout: int | None = None) -> list[NotebookResult]:
    return [validate_notebook(course, a, timeout=timeout)
            for a in course.resolve_assignments(assignments, drafts=True)]


def format_results(results: list[NotebookResult], root: Path | None = None) -> str:
    lines = []
    for r in results:
        shown = r.notebook
        if root and shown.is_relative_to(root):
            shown = shown.relative_to(root)
        lines.append(f"{r.assignment}: {shown} ({r.seconds:.1f} s)")
        if r.error:
            lines.append(f"  ERROR  the notebook could not be run: {r.error}")
        width = max((len(t.test) for t in r.tests), default=0)
        for t in r.tests:
            mark = "pass" if t.passed else "FAIL"
            lines.append(f"  {mark}  {t.test.ljust(width)}  {t.score:g}/{t.points:g}"
                         + (f"  {t.failure}" if t.failure else ""))
        for w in r.warnings:
            lines.append(f"  warn  {w}")
        failed = [t for t in r.tests if not t.passed]
        if not r.tests and not r.error:
            lines.append("  (no graded test cells)")
        verdict = "FAILED" if not r.passed else "ok"
        lines.append(f"  {verdict}: {len(r.tests) - len(failed)}/{len(r.tests)} tests pass")
    return "\n".join(lines)
