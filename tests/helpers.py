"""Shared test helpers: the released (student) version of an assignment's functions, its test
cells, and the standard tests of a week's visible checks and hidden tests."""

from __future__ import annotations

import ast
import contextlib
import io
import textwrap
from pathlib import Path

import nbformat

from autograder.solution_code import REPO, solution_namespace, source_notebook


def release_notebook(week: str) -> Path:
    return REPO / "notebooks" / week / f"{week}.ipynb"


def released_stubs(week: str) -> dict:
    """The functions exactly as a learner receives them (solution blocks replaced by stubs)."""
    return solution_namespace(week, root=REPO, notebook=release_notebook(week))


def _cells(week: str, kind: str) -> dict[str, str]:
    """Graded function -> the source of its solution cell ("solution") or of its test cell
    ("test": the visible check and the hidden tests)."""
    found = {}
    for cell in nbformat.read(source_notebook(week), as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if kind == "test" and meta.get("grade") and cell.source.startswith("checks.check_"):
            found[cell.source.split("(")[0][len("checks.check_"):]] = cell.source
        elif kind == "solution" and meta.get("solution") and cell.cell_type == "code":
            found[meta["grade_id"]] = cell.source
    return found


def test_cells(week: str) -> dict[str, str]:
    return _cells(week, "test")


def solution_cells(week: str) -> dict[str, str]:
    return _cells(week, "solution")


def hidden_tests(source: str) -> str:
    """The lines between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS."""
    return source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]


def rename_parameters(source: str, name: str) -> str:
    """The source with function `name`'s positional parameters renamed (x -> renamed_x), as a
    learner who prefers other names would write it; keyword-only extensions keep theirs."""
    tree = ast.parse(textwrap.dedent(source))
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
    old = {a.arg for a in fn.args.args}
    for arg in fn.args.args:
        arg.arg = f"renamed_{arg.arg}"
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id in old:
            node.id = f"renamed_{node.id}"
    return ast.unparse(tree)


def implemented(solution: dict, source: str) -> dict:
    """A copy of the `solution` namespace with `source` (another version of some of its
    functions, e.g. a common mistake) run in it."""
    namespace = dict(solution)
    exec(source, namespace)
    return namespace


def check_message(check, function) -> str:
    """The message of the CheckFailed that `check(function)` raises (fails when it passes)."""
    import numpy as np
    import pytest

    from course_utils.checks import CheckFailed

    with pytest.raises(CheckFailed) as caught, np.errstate(all="ignore"):
        check(function)
    return str(caught.value)


def run_test_cell(namespace: dict, source: str) -> str:
    """Runs a test cell (visible check and hidden tests) in `namespace`; returns its output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<test cell>", "exec"), namespace)
    return out.getvalue()


def check_suite(week: str, mistakes: list[tuple], alternatives: list[tuple],
                only: list[str] | None = None) -> dict:
    """The standard tests of a week's visible checks, to put in a test module's globals():
    the solution passes, the released stub fails with "not implemented yet", every common
    mistake (function, label, source, phrase of the hint) is rejected with its hint and by the
    hidden tests alone, each function has at least three mistakes, other correct
    implementations pass the visible check and the hidden tests, and so does the solution with
    its parameters renamed. `only` restricts the suite to some of the week's functions (a
    week whose checks are split into sections tests each section in its own module)."""
    import importlib

    import numpy as np
    import pytest

    from course_utils.checks import CheckFailed

    checks = importlib.import_module(f"course_utils.checks.{week}").CHECKS
    if only is not None:
        checks = {name: checks[name] for name in only}
    solution = solution_namespace(week)
    cells = {name: cell for name, cell in test_cells(week).items() if name in checks}

    def implement(source: str, name: str) -> dict:
        namespace = dict(solution)
        exec(textwrap.dedent(source), namespace)
        return namespace

    @pytest.mark.parametrize("name", sorted(checks))
    def test_solution_passes(name, capsys):
        checks[name](solution[name])
        assert capsys.readouterr().out.strip().startswith(f"{name}: all ")

    @pytest.mark.parametrize("name", sorted(checks))
    def test_unmodified_stub_fails_with_not_implemented(name):
        with pytest.raises(CheckFailed, match="is not implemented yet"):
            checks[name](released_stubs(week)[name])

    @pytest.mark.parametrize(("name", "mistake", "source", "phrase"), mistakes,
                             ids=[f"{m[0]}-{m[1]}" for m in mistakes])
    def test_common_mistake_is_rejected_with_a_hint(name, mistake, source, phrase):
        with pytest.raises(CheckFailed) as failure:
            checks[name](implement(source, name)[name])
        message = str(failure.value)
        assert message.startswith(f"{name}: ")
        assert phrase in message, message

    @pytest.mark.parametrize(("name", "mistake", "source", "phrase"), mistakes,
                             ids=[f"{m[0]}-{m[1]}" for m in mistakes])
    def test_hidden_tests_alone_reject_the_common_mistake(name, mistake, source, phrase):
        with pytest.raises(Exception), np.errstate(all="ignore"):  # noqa: B017 (any error)
            run_test_cell(implement(source, name), hidden_tests(cells[name]))

    def test_every_graded_function_has_three_mistakes():
        counts = {name: sum(m[0] == name for m in mistakes) for name in checks}
        assert min(counts.values()) >= 3, counts

    @pytest.mark.parametrize(("name", "source"), alternatives,
                             ids=[f"{a[0]}-{i}" for i, a in enumerate(alternatives)])
    def test_other_correct_implementations_pass(name, source):
        assert run_test_cell(implement(source, name), cells[name]).startswith(f"{name}: all ")

    @pytest.mark.parametrize("name", sorted(checks))
    def test_renamed_parameters_pass_the_check_and_the_hidden_tests(name):
        namespace = implement(rename_parameters(solution_cells(week)[name], name), name)
        assert "renamed_" in str(__import__("inspect").signature(namespace[name]))
        assert run_test_cell(namespace, cells[name]).startswith(f"{name}: all ")

    def test_every_function_renamed_at_once_passes_every_test_cell():
        """Given code and the learner's other functions call each other by position too."""
        namespace = dict(solution)
        for name, source in solution_cells(week).items():
            exec(rename_parameters(source, name) if name in checks else source, namespace)
        for name, cell in cells.items():
            assert run_test_cell(namespace, cell).startswith(f"{name}: all "), name

    def test_hidden_tests_reject_the_unmodified_stub():
        stubs = released_stubs(week)
        for name, cell in cells.items():
            namespace = {**solution, name: stubs[name]}
            with pytest.raises(NotImplementedError):
                run_test_cell(namespace, hidden_tests(cell))

    return {f.__name__: f for f in (
        test_solution_passes, test_unmodified_stub_fails_with_not_implemented,
        test_common_mistake_is_rejected_with_a_hint,
        test_hidden_tests_alone_reject_the_common_mistake,
        test_every_graded_function_has_three_mistakes, test_other_correct_implementations_pass,
        test_renamed_parameters_pass_the_check_and_the_hidden_tests,
        test_every_function_renamed_at_once_passes_every_test_cell,
        test_hidden_tests_reject_the_unmodified_stub)}
