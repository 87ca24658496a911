"""Shared test helpers: the released (student) version of an assignment's functions."""

from __future__ import annotations

from pathlib import Path

from autograder.solution_code import REPO, solution_namespace


def release_notebook(week: str) -> Path:
    return REPO / "notebooks" / week / f"{week}.ipynb"


def released_stubs(week: str) -> dict:
    """The functions exactly as a learner receives them (solution blocks replaced by stubs)."""
    return solution_namespace(week, root=REPO, notebook=release_notebook(week))
