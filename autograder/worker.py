"""Grades one submission in a process of its own: `python -m autograder.worker TASK`.

`grade.grade` writes TASK (a pickle of `_grade_one`'s arguments and the limits) and starts
this module in a new session, so a submission that runs away is killed with everything it
started; this process caps its address space first (the kernel it starts inherits the cap),
then writes its Result next to TASK as JSON.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
from dataclasses import asdict
from pathlib import Path


def limit_memory(limit_bytes: int | None) -> None:
    """Cap this process's address space (and, inherited, its kernel's) at `limit_bytes`."""
    if limit_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def main(argv: list[str]) -> int:
    task_file = Path(argv[0])
    with task_file.open("rb") as fh:
        task = pickle.load(fh)  # written by grade.grade, never by a student
    limit_memory(task.pop("memory_limit"))
    from .grade import _grade_one

    result = _grade_one(**task)
    task_file.with_suffix(".json").write_text(json.dumps(asdict(result)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
