"""What each graded test cell of an executed notebook scored, and why it lost points: one
reading for `validate`, `grade`'s messages and the class report (nbgrader's own scoring)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Outcome:
    """One graded test cell: its grade_id, points, score and, when it lost points, why."""

    test: str
    points: float
    score: float
    failure: str = ""  # the first line of what the learner saw, "" when it passed

    @property
    def passed(self) -> bool:
        return self.score >= self.points


def failure(cell: dict, score: float, points: float, timeout: float | None = None) -> str:
    """Why a test cell lost points, in one line: its last error, a timeout with its limit,
    the release's stub, or output to stderr (nbgrader scores that 0)."""
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if not errors:
        stderr = [o for o in outputs if o.get("output_type") == "stream"
                  and o.get("name") == "stderr"]
        if stderr:
            text = "".join(stderr[0].get("text", "")).strip().splitlines()
            return "wrote to stderr (nbgrader scores that 0)" + (f": {text[0][:120]}"
                                                                 if text else "")
        return f"{score:g}/{points:g}"
    last = errors[-1]
    if last.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
        # nbgrader interrupts a cell that runs past Execute.timeout
        limit = f"{timeout:g} s" if timeout else "the time limit"
        return f"did not finish within {limit}: an infinite loop?"
    if last.get("ename") == "NotImplementedError":  # the release's stub: say what to do
        return "NotImplementedError: not written"
    message = f"{last.get('ename', 'Error')}: {last.get('evalue', '')}".rstrip(": ")
    return message.splitlines()[0] if message else "Error"


def outcomes(notebook, timeout: float | None = None) -> list[Outcome]:
    """The graded test cells of an executed notebook (a path or a NotebookNode), in order,
    a pasted copy of a test counted once as nbgrader does; `timeout` is the per-cell limit
    it ran with, named in a failure."""
    import nbformat
    from nbgrader import utils

    nb = nbformat.read(notebook, as_version=4) if isinstance(notebook, (str, Path)) \
        else notebook
    found, seen = [], set()
    for cell in nb.cells:
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            continue
        gid = cell.metadata.nbgrader["grade_id"]
        if gid in seen:
            continue
        seen.add(gid)
        score, points = utils.determine_grade(cell)
        points = float(points)
        score = points if score is None else float(score)
        found.append(Outcome(gid, points, score,
                             "" if score >= points else failure(cell, score, points, timeout)))
    return found
