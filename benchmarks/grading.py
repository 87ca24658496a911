"""Grading a class: `python -m autograder grade`'s processes in parallel against nbgrader's own
serial `autograde` of the same class, measured in the same run (the ratio is the speed-up).

The class is generated from week 1: a third submit the solution, a third the untouched
release, a third the solution with its later exercises left as the release's stubs.
CLASS_SIZE students (30; `BENCH_CLASS_SIZE` to change it), graded `--repeat` times each way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder.course import Course
from autograder.grade import autograde, feedback, grade, prepare

from .common import Row, progress, seconds, timed

WEEK = "week1"
CLASS_SIZE = int(os.environ.get("BENCH_CLASS_SIZE", "30"))


def _solution_ids(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def make_class(course: Course, folder: Path, size: int) -> None:
    """`size` student folders: correct, untouched and partly wrong submissions in turn."""
    solution = nbformat.read(course.source_notebook(WEEK), as_version=4)
    release = nbformat.read(course.release_notebook(WEEK), as_version=4)
    ids = _solution_ids(release)
    partly = nbformat.from_dict(release)
    for i in ids[: len(ids) // 2]:  # the first half of the exercises written (the solution's)
        partly.cells[i] = nbformat.from_dict(solution.cells[i])
    for k in range(size):
        nb = (solution, release, partly)[k % 3]
        (folder / f"student{k:02d}").mkdir(parents=True)
        nbformat.write(nb, folder / f"student{k:02d}" / f"{WEEK}.ipynb")


def nbgrader_serial(course: Course, submissions: Path, out: Path, with_feedback: bool) -> None:
    """nbgrader's own Autograde (and GenerateFeedback), one student after another."""
    tree = prepare(course, WEEK, out)
    for folder in sorted(submissions.iterdir()):
        dest = tree.root / "submitted" / folder.name / WEEK
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{WEEK}.ipynb", dest / f"{WEEK}.ipynb")
        ok, log = autograde(tree, WEEK, folder.name)
        if ok and with_feedback:
            ok, log = feedback(tree, WEEK, folder.name)
        if not ok:
            raise RuntimeError(f"nbgrader could not grade {folder.name}:\n{log[-2000:]}")


def _spread(times: list[float]) -> str:
    return f"median of {len(times)} ({seconds(min(times))} to {seconds(max(times))})" \
        if len(times) > 1 else "one run"


def run(repeat: int) -> list[Row]:
    """`repeat` rounds, each grading the class the three ways in turn (so that a slow spell
    of the machine falls on all three), and the medians."""
    import statistics

    course = Course.load()
    cores = os.cpu_count() or 1
    times: dict[str, list[float]] = {"serial": [], "serial_fb": [], "parallel": []}
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "submissions"
        make_class(course, subs, CLASS_SIZE)
        for round_ in range(1, repeat + 1):
            progress(f"grading, round {round_} of {repeat}: nbgrader autograde, {CLASS_SIZE} "
                     f"{WEEK} submissions, serially")
            times["serial"].append(timed(nbgrader_serial, course, subs,
                                         Path(tmp) / f"serial{round_}", False)[1])
            progress("grading: the same with nbgrader generate_feedback for each")
            times["serial_fb"].append(timed(nbgrader_serial, course, subs,
                                            Path(tmp) / f"serial-fb{round_}", True)[1])
            progress(f"grading: python -m autograder grade, {cores} at once")
            results, took = timed(grade, course, subs, Path(tmp) / f"parallel{round_}", WEEK,
                                  progress=False)
            times["parallel"].append(took)
    serial, serial_fb, parallel = (statistics.median(times[k]) for k in times)
    graded = sum(r.status == "graded" for r in results)
    target = "≥ 1.8x on 2 cores" if cores == 2 else f"≥ {0.9 * cores:.1f}x on {cores} cores"
    return [
        Row(f"grading: nbgrader autograde, {CLASS_SIZE} students serially (reference)",
            seconds(serial), details=f"{serial / CLASS_SIZE:.1f} s a student; "
            + _spread(times["serial"])),
        Row("grading: nbgrader autograde + generate_feedback, serially (reference)",
            seconds(serial_fb), details=f"{serial_fb / CLASS_SIZE:.1f} s a student; "
            + _spread(times["serial_fb"])),
        Row(f"grading: autograder grade, {cores} at once (feedback and class report included)",
            seconds(parallel), details=f"{graded} of {len(results)} graded, "
            f"{parallel / CLASS_SIZE:.1f} s a student; " + _spread(times["parallel"])),
        Row("grading: speed-up against nbgrader's serial autograde alone",
            f"{serial / parallel:.2f}x", target, serial / parallel >= 0.9 * cores,
            "medians; grade also writes each student's feedback; each round's: "
            + ", ".join(f"{a / b:.2f}x" for a, b in zip(times["serial"], times["parallel"]))),
        Row("grading: speed-up against serial autograde + feedback (the same outputs)",
            f"{serial_fb / parallel:.2f}x", target, serial_fb / parallel >= 0.9 * cores,
            "medians; each round's: " + ", ".join(
                f"{a / b:.2f}x" for a, b in zip(times["serial_fb"], times["parallel"]))),
    ]
