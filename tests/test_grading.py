"""Grading end to end through the real nbgrader path (`python -m autograder grade`).

The toy course (autograder.toy: two graded functions, visible + hidden tests, 2 + 3 points)
is graded once per session for a class of students that covers every outcome: right,
untouched, half right, an infinite loop, a copy-pasted test cell, and each kind of malformed
submission. The real weeks are graded with their own release (must score 0) and solution
(must score full marks).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import toy
from autograder.class_report import collect, histogram_figure, pass_rates
from autograder.cli import main
from autograder.course import Course, CourseError
from autograder.grade import COLUMNS, grade
from autograder.release import release

A = toy.ASSIGNMENT
TOTAL = sum(toy.POINTS.values())
SIGMOID_OK = "import math\n\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))"
RELU_OK = "def relu(z):\n    return z if z > 0 else 0.0"
RELU_LOOPS = "def relu(z):\n    while True:\n        pass"
RELU_HOGS = "def relu(z):\n    hoard = bytearray(6 * 2**30)\n    return max(0.0, z)"
RELU_KILLS_GRADER = "import os\nimport signal\n\nos.kill(os.getppid(), signal.SIGKILL)"
RELU_HANGS = ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n\n"
              "def relu(z):\n    while True:\n        pass")
RESUBMIT = "re-download the notebook from JupyterLab with File > Download and resubmit"
FRESH = "start from a fresh copy of the released notebook"

# student -> (status, score, words the message must contain)
EXPECTED = {
    "ann": ("graded", TOTAL, []),  # the instructor's solution, submitted as is
    "bob": ("graded", 0, ["test_sigmoid (NotImplementedError: not written)", "test_relu"]),
    "cat": ("graded", 2, ["failed 1 test(s): test_relu (AssertionError: relu(-1) should be 0)"]),
    "dee": ("graded", TOTAL, []),  # copy-pasted a test cell (nbgrader drops the duplicate id)
    "zed": ("graded", 2, ["test_relu (did not finish within 3 s"]),  # relu never returns
    # asks for 6 GiB, past the 3 GiB cap on its process: MemoryError in relu, the rest graded
    "max": ("graded", 2, ["failed 1 test(s): test_relu (MemoryError"]),
    # ignores nbgrader's interrupt (SIGINT) and never returns: nbgrader still ends the cell
    "sly": ("graded", 2, ["test_relu (did not finish within 3 s"]),
    # tries to kill the grading process that started its kernel: the sandbox's kernel sees
    # no other process, so relu, never defined, fails (tests/test_hostile.py has it unsandboxed)
    "kai": ("graded", 2, ["failed 1 test(s): test_relu (NameError"]),
    "dan": ("error", 0, ["submission for dan is not a valid notebook",
                         "JSON error at line 3", RESUBMIT]),
    "eve": ("error", 0, ["submission folder for eve is empty", "File > Download"]),
    "fay": ("error", 0, ["submission for fay is JSON but not a Jupyter notebook", RESUBMIT]),
    "gus": ("error", 0, ["missing the graded cell 'test_relu'", FRESH]),
    "hal": ("error", 0, ["tampered nbgrader metadata", "test_sigmoid.points", FRESH]),
    "ida": ("error", 0, ["notebook format 3", "format 4", "JupyterLab 4"]),
    "jay": ("error", 0, ["has no week0.ipynb (found: Week0 (1).ipynb)", "rename"]),
    "kim": ("error", 0, ["is an empty file", RESUBMIT]),
    "lou": ("error", 0, ["not UTF-8", RESUBMIT]),
    "mia": ("error", 0, ["tampered nbgrader metadata", "test_relu.grade", FRESH]),
    "ned": ("error", 0, ["submission for ned is not a valid notebook", RESUBMIT]),
}


def solved(nb, sigmoid=SIGMOID_OK, relu=RELU_OK):
    return toy.replace_solution(toy.replace_solution(nb, "sigmoid", sigmoid), "relu", relu)


def make_submissions(course: Course, folder: Path) -> None:
    source = course.source_notebook(A).read_text()
    released = course.release_notebook(A).read_text()
    rel_nb = nbformat.reads(released, as_version=4)

    def put(student: str, data: str | bytes, nested: bool = False, name: str = f"{A}.ipynb"):
        where = folder / student / (A if nested else "")
        where.mkdir(parents=True, exist_ok=True)
        (where / name).write_bytes(data if isinstance(data, bytes) else data.encode())

    def edited(change) -> str:
        raw = json.loads(released)
        change(raw)
        return json.dumps(raw, indent=1)

    def cell(raw, grade_id):
        return next(c for c in raw["cells"]
                    if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)

    put("ann", source)
    put("bob", released, nested=True)
    put("cat", nbformat.writes(solved(rel_nb, relu="def relu(z):\n    return z")))
    dup = solved(rel_nb)
    dup.cells.append(nbformat.from_dict(json.loads(json.dumps(dup.cells[3]))))
    dup.cells[-1]["id"] = "pasted"
    put("dee", nbformat.writes(dup))
    put("zed", nbformat.writes(solved(rel_nb, relu=RELU_LOOPS)))
    put("max", nbformat.writes(solved(rel_nb, relu=RELU_HOGS)))
    put("sly", nbformat.writes(solved(rel_nb, relu=RELU_HANGS)))
    put("kai", nbformat.writes(solved(rel_nb, relu=RELU_KILLS_GRADER)))
    put("dan", '{\n "cells": [\n  oops')
    (folder / "eve").mkdir()
    put("fay", '["not", "a", "notebook"]')
    put("gus", edited(lambda raw: raw["cells"].remove(cell(raw, "test_relu"))))
    put("hal", edited(lambda raw: cell(raw, "test_sigmoid")["metadata"]["nbgrader"]
                      .update(points=50)))
    put("ida", edited(lambda raw: raw.update(nbformat=3)))
    put("jay", released, name="Week0 (1).ipynb")
    put("kim", b"")
    put("lou", b"\x89PNG\r\n\x1a\n\xff\xfe binary")
    put("mia", edited(lambda raw: cell(raw, "test_relu")["metadata"]["nbgrader"]
                      .update(grade=False)))
    put("ned", edited(lambda raw: raw["cells"][1].pop("source")))
    (folder / "README.txt").write_text("loose file, not a student")


def snapshot(folder: Path) -> dict[str, tuple]:
    """Bytes and mtimes of everything under ``folder`` (folders too)."""
    return {
        p.relative_to(folder).as_posix(): (
            None if p.is_dir() else p.read_bytes(), p.stat().st_mtime_ns
        )
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="session")  # session, not module: xdist may interleave other files
def graded(tmp_path_factory):
    """The toy class graded once through the CLI, with a 3 s per-cell timeout."""
    root = tmp_path_factory.mktemp("grading")
    course = toy.make_course(root / "course")
    release(course)
    config = root / "test_config.py"
    repo_config = (Path(__file__).resolve().parents[1] / "nbgrader_config.py").as_posix()
    config.write_text(f"load_subconfig({repo_config!r})\nc.Execute.timeout = 3\n")
    subs, out = root / "submissions", root / "out"
    make_submissions(course, subs)
    before = snapshot(subs)
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["grade", str(subs), "--out", str(out), "--root", str(course.root),
                     "--config", str(config), "--no-progress", "--memory-limit", "3G",
                     "--time-limit", "120"])
    with (out / "grades.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    return {
        "code": code, "stdout": stdout.getvalue(), "course": course, "subs": subs,
        "out": out, "before": before, "header": header,
        "rows": {r["student_id"]: r for r in rows},
    }


@pytest.mark.parametrize("student", sorted(EXPECTED))
@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_each_student_gets_the_right_outcome(graded, student: str) -> None:
    status, score, words = EXPECTED[student]
    row = graded["rows"][student]
    assert (row["status"], float(row["score"]), float(row["max_score"])) == (
        status, score, TOTAL), row
    for word in words:
        assert word in row["message"], row["message"]


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_csv_has_the_documented_columns_and_one_row_per_student(graded) -> None:
    assert graded["code"] == 0
    assert graded["header"] == COLUMNS == [
        "student_id", "assignment", "score", "max_score", "status", "message"]
    assert set(graded["rows"]) == set(EXPECTED)
    assert {r["assignment"] for r in graded["rows"].values()} == {A}


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_submissions_are_untouched(graded) -> None:
    assert snapshot(graded["subs"]) == graded["before"]


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_feedback_html_for_every_student(graded) -> None:
    for student, (status, score, _) in EXPECTED.items():
        page = (graded["out"] / "feedback" / student / A / f"{A}.html").read_text()
        if status == "graded":
            assert f"Score: {float(score)} / {TOTAL}" in page
        else:  # what happened, in the words of grades.csv
            assert f"Score: 0 / {TOTAL:g}</b>: your submission could not be graded" in page
            assert html.escape(graded["rows"][student]["message"]) in page, student


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_the_class_report_names_the_class_s_mistakes(graded) -> None:
    report = graded["out"] / "report"
    students = collect(graded["out"], A)
    assert [s.student_id for s in students] == sorted(EXPECTED)
    # graded: ann, bob, cat, dee, kai, max, sly, zed; test_relu is passed by ann and dee only
    assert pass_rates(students) == {"test_sigmoid": (7, 8), "test_relu": (2, 8)}
    numbers = json.loads((report / f"{A}.json").read_text())
    failures = {(t, f): who for t, f, who in numbers["common_failures"]}
    assert failures[("test_relu", "AssertionError: relu(-1) should be 0")] == ["cat"]
    assert failures[("test_relu", "did not finish within 3 s: an infinite loop?")] == ["sly", "zed"]
    assert failures[("test_relu", "MemoryError")] == ["max"]
    assert failures[("test_sigmoid", "NotImplementedError: not written")] == ["bob"]
    page = (report / f"{A}.html").read_text()
    assert "relu(-1) should be 0" in page and page.count('src="data:image/png;base64,') == 2
    assert "http" not in page                                  # nothing from the network
    # who needs help: the ungradable submissions first, then bob's 0, then cat and zed
    helped = page.split("Who needs help first")[1]
    order = [helped.index(f"<td>{s}</td>") for s in ("dan", "bob", "cat")]
    assert order == sorted(order)
    heights = [p.get_height() for p in histogram_figure(students).axes[0].patches]
    # bob 0; 2: cat kai max sly zed
    assert sum(heights) == 8 and heights[0] == 1 and heights[2] == 5
    with (report / f"{A}-tests.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["student_id"], r["test"], r["passed"]) for r in rows if r["student_id"] == "cat"} \
        == {("cat", "test_sigmoid", "1"), ("cat", "test_relu", "0")}
    with (report / "grades.csv").open(newline="") as fh:     # nbgrader export's own columns
        reader = csv.DictReader(fh)
        exported = {r["student_id"]: r for r in reader}
    assert reader.fieldnames == ["assignment", "duedate", "timestamp", "student_id", "last_name",
                                 "first_name", "email", "raw_score", "late_submission_penalty",
                                 "score", "max_score"]
    assert float(exported["cat"]["score"]) == 2 and float(exported["ann"]["score"]) == TOTAL


@pytest.mark.grading
def test_a_submission_past_the_time_limit_is_stopped_with_its_kernel_and_the_others_graded(
        tmp_path) -> None:
    course = toy.make_course(tmp_path / "course")
    release(course)
    rel_nb = nbformat.read(course.release_notebook(A), as_version=4)
    subs = tmp_path / "submissions"
    for student, relu in (("ann", RELU_OK), ("zed", RELU_LOOPS)):
        (subs / student).mkdir(parents=True)
        nbformat.write(solved(rel_nb, relu=relu), subs / student / f"{A}.ipynb")
    results = {r.student_id: r for r in grade(course, subs, tmp_path / "out", A,
                                              progress=False, time_limit=25)}
    # nbgrader's own cell limit is 60 s here: the 25 s limit on the whole submission acts first
    assert (results["ann"].status, results["ann"].score) == ("graded", TOTAL)
    zed = results["zed"]
    assert (zed.status, zed.score) == ("error", 0), zed
    assert "took longer than 25 s and was stopped" in zed.message
    assert not (tmp_path / "out" / "logs" / A / "zed.task").exists()


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_summary_table_is_printed(graded, capsys) -> None:
    out = graded["stdout"]
    assert "19 submission(s): 8 graded, 11 error(s)" in out
    assert "ignored (not in a student folder): README.txt" in out
    assert main(["report", str(graded["out"])]) == 0
    report = capsys.readouterr().out
    assert "cat" in report and "2/5" in report and "student" in report


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_grading_again_drops_the_students_whose_folder_is_gone(graded, tmp_path) -> None:
    course, subs, out = graded["course"], tmp_path / "subs", tmp_path / "out"
    for student in ("ann", "cat"):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{A}.ipynb").write_bytes(
            (graded["subs"] / student / f"{A}.ipynb").read_bytes())
    first = grade(course, subs, out, A, progress=False)
    assert [(r.student_id, r.score) for r in first] == [("ann", TOTAL), ("cat", 2)]
    (subs / "cat" / f"{A}.ipynb").unlink()
    (subs / "cat").rmdir()
    again = grade(course, subs, out, A, progress=False)
    assert [(r.student_id, r.score, r.status) for r in again] == [("ann", TOTAL, "graded")]
    with (out / "grades.csv").open(newline="") as fh:
        assert [r["student_id"] for r in csv.DictReader(fh)] == ["ann"]
    assert not (out / "feedback" / "cat" / A).exists()
    assert (out / "feedback" / "ann" / A / f"{A}.html").is_file()


def _copy_students(graded, subs: Path, students) -> None:
    for student in students:
        shutil.copytree(graded["subs"] / student, subs / student)


def _stamps(out: Path, students) -> dict[str, int]:
    return {s: (out / "autograded" / s / A / f"{A}.ipynb").stat().st_mtime_ns for s in students}


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_grading_again_grades_only_what_changed(graded, tmp_path) -> None:
    course, subs, out = graded["course"], tmp_path / "subs", tmp_path / "out"
    _copy_students(graded, subs, ("ann", "bob", "cat"))
    first = grade(course, subs, out, A, progress=False)
    stamps, csv_bytes = _stamps(out, ("ann", "bob", "cat")), (out / "grades.csv").read_bytes()
    # nothing changed: nothing is graded again, and the grades are the same bytes
    assert grade(course, subs, out, A, progress=False) == first
    assert _stamps(out, ("ann", "bob", "cat")) == stamps
    assert (out / "grades.csv").read_bytes() == csv_bytes
    # bob fixes his code; cat's result was never recorded (grading stopped while on her)
    released = nbformat.read(course.release_notebook(A), as_version=4)
    nbformat.write(solved(released), subs / "bob" / A / f"{A}.ipynb")
    (out / "logs" / A / "cat.result.json").unlink()
    third = {r.student_id: r for r in grade(course, subs, out, A, progress=False)}
    assert {s: (r.status, r.message) for s, r in third.items() if r.status != "graded"} == {}
    now = _stamps(out, ("ann", "bob", "cat"))
    assert now["ann"] == stamps["ann"] and now["bob"] != stamps["bob"] != now["cat"]
    assert (third["bob"].score, third["cat"].score, third["ann"].score) == (TOTAL, 2, TOTAL)
    # --regrade: everyone again
    grade(course, subs, out, A, progress=False, regrade=True)
    assert _stamps(out, ("ann",))["ann"] != stamps["ann"]


@pytest.mark.grading
@pytest.mark.xdist_group("grading")
def test_a_stopped_run_goes_on_where_it_stopped(graded, tmp_path) -> None:
    course, subs, out = graded["course"], tmp_path / "subs", tmp_path / "out"
    _copy_students(graded, subs, ("ann", "bob", "cat", "dee"))
    command = [sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out),
               "--root", str(course.root), "--jobs", "1", "--no-progress"]
    log = tmp_path / "run.log"
    with log.open("wb") as sink:  # Ctrl-C as a terminal sends it, whatever this process ignores
        run = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    done, started = out / "logs" / A / "ann.result.json", time.monotonic()
    for _ in range(1200):  # the first student recorded, then Ctrl-C
        if done.is_file() or run.poll() is not None:
            break
        time.sleep(0.1)
    seen = (f"{time.monotonic() - started:.1f} s", run.poll(),
            sorted(p.name for p in (out / "logs" / A).glob("*.result.json")))
    run.send_signal(signal.SIGINT)
    assert run.wait(timeout=60) != 0, \
        f"the run was not stopped (when, exit code, results: {seen}):\n{log.read_text()[-3000:]}"
    first = _stamps(out, ("ann",))
    results = {r.student_id: r for r in grade(course, subs, out, A, progress=False)}
    assert _stamps(out, ("ann",)) == first, "ann, graded before the stop, is not graded again"
    assert {s: (r.status, r.score) for s, r in results.items()} == {
        "ann": ("graded", TOTAL), "bob": ("graded", 0), "cat": ("graded", 2),
        "dee": ("graded", TOTAL)}


def test_out_and_submissions_must_not_contain_each_other(tmp_path) -> None:
    course = toy.make_course(tmp_path / "course")
    subs = tmp_path / "subs"
    subs.mkdir()
    with pytest.raises(CourseError, match="must not contain each other"):
        grade(course, subs, subs / "out", A, progress=False)
    with pytest.raises(CourseError, match="must not contain each other"):
        grade(course, subs, tmp_path, A, progress=False)
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    (elsewhere / "thesis.tex").write_text("precious")
    with pytest.raises(CourseError, match="is a folder with other files in it"):
        grade(course, subs, elsewhere, A, progress=False)


def test_unknown_assignment_and_missing_folder_are_clear_errors(tmp_path, capsys) -> None:
    course = toy.make_course(tmp_path / "course")
    (tmp_path / "subs").mkdir()
    args = ["--out", str(tmp_path / "out"), "--root", str(course.root)]
    assert main(["grade", str(tmp_path / "nope"), *args]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["grade", str(tmp_path / "subs"), "--assignment", "week7", *args]) == 2
    assert "unknown assignment(s) week7" in capsys.readouterr().err


@pytest.mark.grading
def test_validate_runs_the_source_and_fails_on_a_broken_solution(tmp_path, capsys) -> None:
    course = toy.make_course(tmp_path / "course")
    root = ["--root", str(course.root)]
    assert main(["validate", *root]) == 0
    out = capsys.readouterr().out
    assert "pass  test_sigmoid  2/2" in out and "ok: 2/2 tests pass" in out

    source = course.source_notebook(A)
    source.write_text(source.read_text().replace("max(0.0, z)", "z"))
    assert main(["validate", A, *root]) == 1
    out = capsys.readouterr().out
    assert "FAIL  test_relu     0/3  AssertionError: relu(-1) should be 0" in out
    assert "FAILED: 1/2 tests pass" in out


def test_memory_limit_sizes_are_read_with_their_unit_and_nonsense_is_refused() -> None:
    import argparse

    from autograder.cli import _size

    assert (_size("8G"), _size("512m"), _size("1.5GB"), _size("0"), _size("4096")) == (
        8 * 2**30, 512 * 2**20, 3 * 2**29, 0, 4096)
    with pytest.raises(argparse.ArgumentTypeError, match="'LOTS' is not a size"):
        _size("lots")


@pytest.mark.grading
def test_a_test_cell_that_does_not_compile_fails_at_once_with_its_error(tmp_path) -> None:
    # the instructor's own slip: the test's SyntaxError is what the feedback says, at once,
    # not an agent left waiting in the kernel until the cell's time limit
    course = toy.make_course(tmp_path / "course")
    source = course.source_notebook(A)
    nb = nbformat.read(source, as_version=4)
    test = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "test_relu")
    test.source = "assert relu(-1) == 0)"
    nbformat.write(nb, source)
    release(course)
    rel_nb = nbformat.read(course.release_notebook(A), as_version=4)
    (tmp_path / "subs" / "ann").mkdir(parents=True)
    nbformat.write(solved(rel_nb), tmp_path / "subs" / "ann" / f"{A}.ipynb")
    config = tmp_path / "config.py"
    config.write_text(f"load_subconfig({str(Path(__file__).parents[1] / 'nbgrader_config.py')!r})"
                      "\nc.Execute.timeout = 600\n")
    configured = Course.load(root=course.root, config_file=config)
    # a cell may take 10 minutes, the submission 1: a test cell left waiting would be stopped
    [ann] = grade(configured, tmp_path / "subs", tmp_path / "out", A, progress=False,
                  time_limit=60)
    assert (ann.status, ann.score) == ("graded", toy.POINTS["test_sigmoid"]), ann
    assert "test_relu (SyntaxError: unmatched ')'" in ann.message, ann
