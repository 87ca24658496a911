"""Generates the expected values of the visible checks from the solution notebooks.

`python -m autograder expected` rewrites course_utils/expected/<week>.json;
`python -m autograder expected --check` exits 1 when a stored file is stale.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from course_utils.checks.expected import dumps, encode_outputs, path_for

from .solution_code import REPO, solution_namespace


def weeks() -> list[str]:
    """Weeks that have both a solution notebook and a checks module (or package)."""
    found, checks = [], REPO / "course_utils" / "checks"
    for folder in sorted((REPO / "solutions").glob("week*")):
        module, package = checks / f"{folder.name}.py", checks / folder.name / "__init__.py"
        if module.exists() or package.exists():
            found.append(folder.name)
    return found


def build(week: str) -> str:
    """The text of the expected values for `week`, as it should be stored: every exercise's
    cases run through the solution, seeded and called as the visible check calls them."""
    namespace = solution_namespace(week)
    exercises = importlib.import_module(f"course_utils.checks.{week}").CHECKS
    with warnings.catch_warnings():  # the cases' own warnings (a stride that rounds) are theirs
        warnings.simplefilter("ignore")
        return dumps({name: list(encode_outputs(exercise.cases, [
            exercise.call(namespace[name], case) for case in exercise.cases]))
            for name, exercise in exercises.items()})


def stale_weeks() -> list[str]:
    return [w for w in weeks() if not path_for(w).exists() or path_for(w).read_text() != build(w)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder expected", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_weeks()
        for week in stale:
            print(f"stale: {path_for(week)} (run `python -m autograder expected`)")
        return 1 if stale else 0
    for week in weeks():
        path_for(week).parent.mkdir(parents=True, exist_ok=True)
        path_for(week).write_text(build(week))
        print(f"wrote {path_for(week)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
