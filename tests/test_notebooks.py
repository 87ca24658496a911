"""Every week's notebooks, run as a learner runs them (no NBGRADER_EXECUTION): the solution runs
clean with static figures, and the untouched release answers each check in plain words."""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.course import Course
from autograder.validate import run_notebook

COURSE = Course.load()
WEEKS = COURSE.assignments()


def _graded_tests(nb):
    return [c for c in nb.cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade") and c.metadata.nbgrader.get("points")]


WIDGET = "application/vnd.jupyter.widget-view+json"


def _has_widget(cell) -> bool:
    """A widget other than a progress bar (tqdm's shows "NN%|" in its text form)."""
    return any(WIDGET in d and not re.search(r"\d+%\|", str(d.get("text/plain", "")))
               for d in (o.get("data", {}) for o in cell.get("outputs", [])))


def _outputs(cell, kind):
    return [o for o in cell.get("outputs", []) if o.output_type == kind]


@pytest.fixture(scope="module", params=WEEKS)
def solved(request):
    return request.param, run_notebook(COURSE, COURSE.source_notebook(request.param),
                                       timeout=120, nbgrader_execution=None)


@pytest.fixture(scope="module", params=WEEKS)
def graded_path(request):
    return request.param, run_notebook(COURSE, COURSE.source_notebook(request.param),
                                       timeout=120, nbgrader_execution="autograde")


@pytest.fixture(scope="module", params=WEEKS)
def untouched(request):
    return request.param, run_notebook(COURSE, COURSE.release_notebook(request.param),
                                       timeout=120, nbgrader_execution=None)


def test_solution_runs_top_to_bottom_without_errors_or_warnings(solved):
    week, nb = solved
    for index, cell in enumerate(nb.cells):
        errors = _outputs(cell, "error")
        assert not errors, f"{week} cell {index}: {errors[0].ename}: {errors[0].evalue}"
        stderr = [o for o in _outputs(cell, "stream") if o.name == "stderr"]
        assert not stderr, f"{week} cell {index} wrote to stderr: {stderr[0].text[:300]}"


def test_solution_runs_without_errors_on_the_shortened_grading_path(graded_path):
    week, nb = graded_path
    for index, cell in enumerate(nb.cells):
        errors = _outputs(cell, "error")
        assert not errors, f"{week} cell {index}: {errors[0].ename}: {errors[0].evalue}"


def test_every_check_passes_in_the_solution(solved):
    week, nb = solved
    for cell in _graded_tests(nb):
        text = "".join(o.text for o in _outputs(cell, "stream"))
        assert re.search(r": all \d+ checks passed\.", text), (cell.metadata.nbgrader, text)


def test_every_figure_and_widget_also_renders_statically(solved):
    week, nb = solved
    images = 0
    for index, cell in enumerate(nb.cells):
        data = [o.get("data", {}) for o in cell.get("outputs", [])]
        has_png = any("image/png" in d for d in data)
        assert has_png or not _has_widget(cell), f"{week} cell {index}: widget but no static figure"
        images += has_png
    assert images >= 4, f"{week} shows only {images} figures"


def test_untouched_release_answers_each_check_with_not_implemented(untouched):
    week, nb = untouched
    tests = _graded_tests(nb)
    assert tests
    for cell in tests:
        errors = _outputs(cell, "error")
        assert errors, f"{cell.metadata.nbgrader['grade_id']} passed on the unmodified stub"
        error = errors[0]
        assert error.ename == "CheckFailed", (error.ename, error.evalue)
        assert "is not implemented yet" in error.evalue
        # the stub itself, or a function it calls that is still a stub, named with a way out
        assert ("raise NotImplementedError(...)" in error.evalue
                or re.search(r"calls \w+, which is not implemented yet", error.evalue))
        trace = "\n".join(error.traceback)
        assert "course_utils" not in trace and len(error.traceback) <= 3, trace


def test_sliders_tell_an_unfinished_learner_what_to_write(untouched):
    week, nb = untouched
    widget_cells = [c for c in nb.cells if _has_widget(c)]
    assert widget_cells, f"{week} offers no slider"
    for cell in widget_cells:
        assert not _outputs(cell, "error"), "a slider cell crashed on unfinished code"
    state = str(nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"])
    assert "is not implemented yet" in state, "the sliders do not say what to write next"


@pytest.mark.parametrize("week", WEEKS)
def test_each_exercise_has_its_check_right_under_it(week):
    nb = nbformat.read(COURSE.source_notebook(week), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, following in zip(code, code[1:]):
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        names = re.findall(r"^def (\w+)\(", cell.source, flags=re.M)
        assert names, f"solution cell {meta['grade_id']} defines no function"
        check = following.metadata.get("nbgrader", {})
        assert check.get("grade") and check.get("points"), f"{names} has no graded check under it"
        visible = following.source.split("### BEGIN HIDDEN TESTS")[0]
        for name in names:
            assert f"check_{name}({name})" in visible, f"{name}: check cell does not call its check"
        assert "### BEGIN HIDDEN TESTS" in following.source, f"{names}: no hidden tests"


@pytest.mark.parametrize("week", WEEKS)
def test_notebook_teaches_in_the_course_shape(week):
    nb = nbformat.read(COURSE.source_notebook(week), as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "What you will learn" in markdown[0]
    assert "What to remember" in markdown[-1]
    assert sum("$" in m for m in markdown) >= 5, "the math is missing"


@pytest.mark.parametrize("week", WEEKS)
def test_release_ships_no_solutions_placeholders_or_todos(week):
    text = COURSE.release_notebook(week).read_text()
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "TODO", "FIXME", "XXX"):
        assert marker not in text, f"{week} release contains {marker!r}"
