"""Each week's own release and solution graded through `grade`: the untouched release scores 0,
the solution full marks, every test cell run in the grader (none falls back to the kernel)."""

from __future__ import annotations

import pytest

from autograder.course import Course
from autograder.grade import grade

REPO = Course.load()
WEEKS = REPO.assignments()


@pytest.mark.grading
@pytest.mark.skipif(not WEEKS, reason="no solutions/week*/<week>.ipynb in the repo yet")
@pytest.mark.parametrize("week", WEEKS or ["none"])
def test_real_week_release_scores_zero_and_solution_full_marks(week: str, tmp_path) -> None:
    released = REPO.release_notebook(week)
    assert released.is_file(), (
        f"{released} is missing: run `python -m autograder release {week}` and commit it")
    subs = tmp_path / "submissions"
    for student, notebook in (("release-as-is", released),
                              ("solution", REPO.source_notebook(week))):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{week}.ipynb").write_bytes(notebook.read_bytes())
    results = {r.student_id: r for r in grade(REPO, subs, tmp_path / "out", week,
                                              progress=False)}
    untouched, solution = results["release-as-is"], results["solution"]
    assert solution.max_score > 0
    assert (untouched.status, untouched.score) == ("graded", 0), untouched
    assert (solution.status, solution.score) == ("graded", solution.max_score), solution
    log = (tmp_path / "out" / "logs" / week / "solution.log").read_text(encoding="utf-8")
    assert "runs in the kernel" not in log, "every test cell runs in the grader (trusted.py)"


