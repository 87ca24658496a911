"""Shared test helpers: the released (student) version of an assignment's functions."""

from __future__ import annotations

from pathlib import Path

from autograder.solution_code import REPO, solution_namespace


def release_notebook(week: str) -> Path:
    return REPO / "notebooks" / week / f"{week}.ipynb"


def released_stubs(week: str) -> dict:
    """The functions exactly as a learner receives them (solution blocks replaced by stubs)."""
    return solution_namespace(week, root=REPO, notebook=release_notebook(week))


def check_suite(week: str, mistakes: list[tuple], alternatives: list[tuple]) -> dict:
    """The standard tests of a week's visible checks, to put in a test module's globals():
    the solution passes, the released stub fails with "not implemented yet", every common
    mistake (function, label, source, phrase of the hint) is rejected with its hint, each
    function has at least three mistakes, and other correct implementations pass."""
    import importlib
    import textwrap

    import pytest

    from course_utils.checks import CheckFailed

    checks = importlib.import_module(f"course_utils.checks.{week}").CHECKS
    solution = solution_namespace(week)

    def implement(source: str, name: str):
        namespace = dict(solution)
        exec(textwrap.dedent(source), namespace)
        return namespace[name]

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
            checks[name](implement(source, name))
        message = str(failure.value)
        assert message.startswith(f"{name}: ")
        assert phrase in message, message

    def test_every_graded_function_has_three_mistakes():
        counts = {name: sum(m[0] == name for m in mistakes) for name in checks}
        assert min(counts.values()) >= 3, counts

    @pytest.mark.parametrize(("name", "source"), alternatives,
                             ids=[f"{a[0]}-{i}" for i, a in enumerate(alternatives)])
    def test_other_correct_implementations_pass(name, source):
        checks[name](implement(source, name))

    return {f.__name__: f for f in (
        test_solution_passes, test_unmodified_stub_fails_with_not_implemented,
        test_common_mistake_is_rejected_with_a_hint, test_every_graded_function_has_three_mistakes,
        test_other_correct_implementations_pass)}
