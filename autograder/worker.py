"""Grades submissions in processes of the grader's own: `python -m autograder.worker LIMIT`.

`grade.grade` starts one worker per job, each in a new session, and hands it one task at a
time: the path of a pickle of `_grade_one`'s arguments, on a line of its stdin. The worker
caps its address space at LIMIT bytes first (the kernels it starts inherit the cap), grades,
writes the Result next to the task as JSON and answers "done" on the line protocol. A worker
that runs out of time is killed (its kernels exit with their parent) and replaced; one that
dies is replaced too; the submission it held gets a Result that says so.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import sys
import traceback
from dataclasses import asdict
from pathlib import Path


def limit_memory(limit_bytes: int | None) -> None:
    """Cap this process's address space (and, inherited, its kernels') at `limit_bytes`."""
    if limit_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def skip_iri_checks() -> None:
    """Leave out jsonschema's optional IRI format checks in a grading process: importing
    them (rfc3987_syntax builds a parser) costs 1 s of CPU in each process that reads a
    notebook, and no schema a grader validates (nbformat's, nbgrader's) has an IRI field."""
    sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` raises ImportError


def grade_task(task_file: Path) -> None:
    """Grade the task in `task_file` (written by grade.grade, never by a student)."""
    from .grade import _grade_one

    with task_file.open("rb") as fh:
        task = pickle.load(fh)
    try:
        answer = asdict(_grade_one(**task))
    except Exception as failure:  # noqa: BLE001 - a grader bug: say so, grade the others
        traceback.print_exc()
        answer = {"grader_error": f"{type(failure).__name__}: {failure}"}
    task_file.with_suffix(".json").write_text(json.dumps(answer), encoding="utf-8")


def main(argv: list[str]) -> int:
    limit_memory(int(argv[0]) if argv else None)
    skip_iri_checks()
    answers = os.fdopen(os.dup(1), "w", buffering=1)  # the line protocol keeps stdout...
    os.dup2(2, 1)                                     # ...and anything printed goes to the log
    from . import grade  # noqa: F401 - imported once, before the first task

    for line in sys.stdin:
        grade_task(Path(line.strip()))
        answers.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
