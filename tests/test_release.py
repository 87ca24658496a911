"""The student release is generated from the source, deterministically, and kept in sync.

Toy-course tests build a two-exercise nbgrader assignment in tmp_path (autograder.toy) and
run the real release path on it; the real-week tests check the committed notebooks/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import toy
from autograder.cli import main
from autograder.course import Course, CourseError
from autograder.release import build, release

REPO = Course.load()
WEEKS = REPO.assignments()


def all_sources(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells)


@pytest.fixture
def course(tmp_path: Path) -> Course:
    course = toy.make_course(tmp_path / "course")
    release(course)
    return course


def test_release_strips_solutions_and_hidden_tests(course: Course) -> None:
    nb = nbformat.read(course.release_notebook(toy.ASSIGNMENT), as_version=4)
    text = all_sources(nb)
    for secret in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "math.exp(-z)",
                   "max(0.0, z)", "0.8807970779778823", "relu(2.5)"):
        assert secret not in text, f"{secret!r} leaked into the release"
    assert text.count('# YOUR CODE HERE\n    raise NotImplementedError("replace this line with '
                      'your code")') == 2
    assert "TODO" not in text
    # visible tests stay, locked and with their points
    tests = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade")}
    assert set(tests) == set(toy.POINTS)
    assert 'assert relu(-1.0) == 0.0' in tests["test_relu"].source
    for gid, cell in tests.items():
        assert cell.metadata.nbgrader["points"] == toy.POINTS[gid]
        assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    # files next to the notebook are released too
    helper = course.release_dir / toy.ASSIGNMENT / "toy_helpers.py"
    assert helper.read_text() == toy.HELPER


def test_release_is_the_same_bytes_every_time(course: Course, tmp_path: Path) -> None:
    first = build(course, toy.ASSIGNMENT, tmp_path / "a") / f"{toy.ASSIGNMENT}.ipynb"
    second = build(course, toy.ASSIGNMENT, tmp_path / "b") / f"{toy.ASSIGNMENT}.ipynb"
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == course.release_notebook(toy.ASSIGNMENT).read_bytes()


def test_source_without_cell_ids_still_gives_a_stable_release(course: Course,
                                                             tmp_path: Path) -> None:
    # nbformat would invent random ids for a 4.5 notebook whose cells have none
    source = course.source_notebook(toy.ASSIGNMENT)
    raw = json.loads(source.read_text())
    for cell in raw["cells"]:
        cell.pop("id")
        if cell["cell_type"] == "code":  # JupyterLab's recordTiming writes this
            cell["metadata"]["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    source.write_text(json.dumps(raw))
    first = build(course, toy.ASSIGNMENT, tmp_path / "a") / f"{toy.ASSIGNMENT}.ipynb"
    second = build(course, toy.ASSIGNMENT, tmp_path / "b") / f"{toy.ASSIGNMENT}.ipynb"
    assert first.read_bytes() == second.read_bytes()
    assert "execute_input" not in first.read_text(), "run timing metadata must be cleared"


def test_check_lists_stale_files_and_release_fixes_them(course: Course, capsys) -> None:
    root = ["--root", str(course.root)]
    assert main(["release", "--check", *root]) == 0
    folder = course.release_dir / toy.ASSIGNMENT
    notebook = folder / f"{toy.ASSIGNMENT}.ipynb"
    notebook.write_text(notebook.read_text().replace("relu(-1.0)", "relu(-2.0)"))
    (folder / "toy_helpers.py").unlink()
    (folder / "leftover.txt").write_text("old")
    capsys.readouterr()

    assert main(["release", "--check", *root]) == 1
    out = capsys.readouterr().out
    assert "notebooks/week0/week0.ipynb (differs)" in out
    assert "notebooks/week0/toy_helpers.py (missing)" in out
    assert "notebooks/week0/leftover.txt (not in the release)" in out
    assert "python -m autograder release" in out

    assert main(["release", *root]) == 0
    assert main(["release", "--check", *root]) == 0
    assert not (folder / "leftover.txt").exists()


def test_source_edits_make_the_release_stale(course: Course) -> None:
    source = course.source_notebook(toy.ASSIGNMENT)
    source.write_text(source.read_text().replace("relu(-1.0) == 0.0", "relu(-3.0) == 0.0"))
    stale = release(course, check=True)
    assert [d.problem for d in stale] == ["differs"]


def test_unknown_assignment_is_a_clear_error(course: Course, capsys) -> None:
    assert main(["release", "week99", "--root", str(course.root)]) == 2
    err = capsys.readouterr().err
    assert "unknown assignment(s) week99" in err and "known: week0" in err


@pytest.mark.skipif(not WEEKS, reason="no solutions/week*/<week>.ipynb in the repo yet")
@pytest.mark.parametrize("week", WEEKS or ["none"])
def test_committed_release_is_in_sync(week: str, capsys) -> None:
    code = main(["release", "--check", week])
    out = capsys.readouterr().out
    assert code == 0, out


def test_a_draft_is_released_for_its_tests_but_not_graded(course: Course, capsys) -> None:
    """An assignment whose source folder holds DRAFT: left out of assignments() (so of the
    notebook, grading and browser tests), built by release without the DRAFT file, refused by
    grading with the reason."""
    draft = course.source_dir / "week9"
    draft.mkdir()
    shutil.copyfile(course.source_notebook(toy.ASSIGNMENT), draft / "week9.ipynb")
    (draft / "DRAFT").write_text("being written: the checks of section 2 are left\n")
    assert course.assignments() == [toy.ASSIGNMENT] and course.drafts() == ["week9"]
    assert main(["release", "week9", "--root", str(course.root)]) == 0
    assert course.release_notebook("week9").is_file()
    assert not (course.release_dir / "week9" / "DRAFT").exists()
    assert release(course, check=True) == []  # the draft's release is in sync too
    with pytest.raises(CourseError, match="week9 is still being written .*DRAFT"):
        course.resolve_assignments(["week9"])
    (draft / "DRAFT").unlink()
    assert course.assignments() == [toy.ASSIGNMENT, "week9"]
