"""The given-code rule (course_utils/__init__.py): course_utils never ships a graded function.

It holds for every week whose checks module exists, present and future: a public function of
course_utils that carries a graded name must be a helper of another contract that api.md gives
(week 3's `sigmoid` returns `(A, cache)`), and that week's visible check must reject it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import course_utils
from course_utils.checks import CheckFailed

WEEKS = sorted(m.name for m in pkgutil.iter_modules(course_utils.checks.__path__)
               if m.name.startswith("week"))
# api.md's given helpers whose names a graded function of another week also has
GIVEN_UNDER_A_GRADED_NAME = {("course_utils.layer_activations", "sigmoid")}


def _graded() -> dict[str, list[tuple[str, object]]]:
    """Graded name -> [(week, its visible check)] for every week with a checks module."""
    graded: dict[str, list] = {}
    for week in WEEKS:
        module = importlib.import_module(f"course_utils.checks.{week}")
        for name, check in module.CHECKS.items():
            graded.setdefault(name, []).append((week, check))
    return graded


def _shipped():
    """(module name, attribute name, function) for every public function course_utils defines."""
    for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or not callable(value) or inspect.isclass(value):
                continue
            if getattr(value, "__module__", None) == module.__name__:
                yield module.__name__, name, value


def test_every_week_has_graded_names_to_hold_the_rule_against():
    graded = _graded()
    assert WEEKS and len(graded) >= 20
    assert {"sigmoid", "propagate", "nn_model", "L_model_backward"} <= set(graded)
    assert {name for _, name in GIVEN_UNDER_A_GRADED_NAME} <= set(graded), "a stale exception"


def test_course_utils_ships_no_graded_function_under_its_graded_name():
    graded = _graded()
    offenders = [f"{module}.{name} (graded in {', '.join(w for w, _ in graded[name])})"
                 for module, name, _ in _shipped()
                 if name in graded and (module, name) not in GIVEN_UNDER_A_GRADED_NAME]
    assert not offenders, ("course_utils must not ship a graded function: rename these (an "
                           "earlier week's model ships as a baseline under a name of its own): "
                           + "; ".join(offenders))


@pytest.mark.parametrize(("module", "name"), sorted(GIVEN_UNDER_A_GRADED_NAME))
def test_a_given_helper_with_a_graded_name_fails_that_functions_check(module, name, capsys):
    helper = getattr(importlib.import_module(module), name)
    for week, check in _graded()[name]:
        with pytest.raises(CheckFailed):
            check(helper)
        assert "passed" not in capsys.readouterr().out, f"{module}.{name} passes {week}'s check"
