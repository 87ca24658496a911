"""``python -m autograder <command>``: release, grade, report, validate, lab settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import Course, CourseError
from .grade import MEMORY_LIMIT, TIME_LIMIT

DESCRIPTION = """\
Course tooling around nbgrader. The instructor's notebooks are solutions/<week>/<week>.ipynb
(solutions and hidden tests inside); the student notebooks in notebooks/ are generated
from them and committed.

typical use:
  python -m autograder validate                  # every source notebook passes its own tests
  python -m autograder release                   # regenerate notebooks/ from solutions/
  python -m autograder release --check           # CI: fail if notebooks/ is stale
  python -m autograder expected                  # regenerate the checks' expected values
  python -m autograder grade SUBMISSIONS --out grading/week1 --assignment week1
  python -m autograder report grading/week1      # the grades table again
"""

EPILOG = """\
exit status: 0 ok; 1 stale release (--check) or failing tests (validate);
2 a problem with the command or the course (the message says what to do).
"""


def _root(args) -> Course:
    return Course.load(root=args.root, config_file=args.config)


def cmd_release(args) -> int:
    from .release import orphans, release

    course = _root(args)
    diffs = release(course, args.assignments, check=args.check)
    names = course.resolve_assignments(args.assignments, drafts=True)

    def rel(p: Path) -> str:
        return str(p.relative_to(course.root)) if p.is_relative_to(course.root) else str(p)

    for path in orphans(course) if not args.assignments else []:
        print(f"note: {rel(path)} has no source in {rel(course.source_dir)}/ (left as is)")
    if args.check:
        if diffs:
            print("the committed release is stale:")
            for d in diffs:
                print(f"  {rel(d.path)} ({d.problem})")
            print("fix: python -m autograder release && git add "
                  + " ".join(rel(course.release_dir / n) for n in names))
            return 1
        print(f"release up to date: {', '.join(names)}")
        return 0
    for d in diffs:
        verb = "removed" if d.problem == "not in the release" else "wrote"
        print(f"{verb} {rel(d.path)}")
    print(f"released {', '.join(names)}" + ("" if diffs else " (no changes)"))
    return 0


def _size(text: str) -> int:
    """'8G', '512M', '0' or a number of bytes -> bytes."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30}
    text = text.strip().upper().removesuffix("B")
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size: give bytes or a number with K, M or G, e.g. 8G") from None


def cmd_grade(args) -> int:
    from .grade import grade, summary

    course = _root(args)
    results = grade(course, Path(args.submissions), Path(args.out), args.assignment,
                    progress=not args.no_progress, jobs=args.jobs,
                    memory_limit=args.memory_limit or None, time_limit=args.time_limit,
                    sandbox=not args.no_sandbox, regrade=args.regrade)
    print(summary(results, Path(args.out).resolve(), Path(args.submissions)))
    return 0


def cmd_report(args) -> int:
    from .grade import GRADES_CSV, format_table, read_csv

    path = Path(args.out) / GRADES_CSV
    if not path.is_file():
        raise CourseError(f"no {path}; run `python -m autograder grade ... --out {args.out}` first")
    rows = read_csv(path)
    if args.assignment:
        rows = [r for r in rows if r["assignment"] == args.assignment]
    print(format_table(rows))
    return 0


def cmd_validate(args) -> int:
    from .validate import format_results, validate

    course = _root(args)
    results = validate(course, args.assignments, timeout=args.timeout)
    print(format_results(results, course.root))
    return 0 if all(r.passed for r in results) else 1


def cmd_expected(args) -> int:
    from .expected import main as expected_main

    return expected_main(["--check"] if args.check else [])


def cmd_install_lab_settings(args) -> int:
    from .labsettings import PLUGIN, install

    path, changed = install(args.prefix)
    state = "wrote" if changed else "already set in"
    print(f"{state} {path}: {PLUGIN} commsOverSubshells=disabled")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=None,
                        help="course folder holding solutions/ and notebooks/ "
                             "(default: this repository, or $COURSE_ROOT)")
    common.add_argument("--config", type=Path, default=None,
                        help="nbgrader_config.py to use (default: ROOT/nbgrader_config.py)")

    parser = argparse.ArgumentParser(
        prog="python -m autograder", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "release", parents=[common], help="regenerate notebooks/<a>/ from solutions/<a>/",
        description="Regenerate the student release notebooks/<a>/ from solutions/<a>/ with "
                    "nbgrader (solutions and hidden tests stripped; other files copied). "
                    "The output is the same bytes on every run.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="e.g. week1 (default: every solutions/week*/)")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 listing stale files if notebooks/ differs")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser(
        "grade", parents=[common], help="autograde a folder of submissions",
        description="Autograde SUBMISSIONS/<student>/<a>.ipynb (or <student>/<a>/<a>.ipynb) "
                    "into the private nbgrader tree OUT: OUT/grades.csv (student_id, "
                    "assignment, score, max_score, status, message), "
                    "OUT/feedback/<student>/<a>/<a>.html, OUT/logs/. SUBMISSIONS is only "
                    "read. A malformed submission gets status 'error' with the fix in "
                    "'message'; the others are graded anyway. Each submission runs in its "
                    "own process, --jobs at once, within --memory-limit and --time-limit; "
                    "OUT/report/<a>.html is the class report.")
    p.add_argument("submissions", metavar="SUBMISSIONS", help="one sub-folder per student")
    p.add_argument("--out", required=True, metavar="OUT",
                   help="where to write the grading tree (e.g. grading/week1; git-ignored)")
    p.add_argument("--assignment", metavar="ASSIGNMENT",
                   help="e.g. week1 (default: the one assignment the submissions hold)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="submissions graded at once, each in its own process (default: one "
                        "per core)")
    p.add_argument("--memory-limit", type=_size, default=MEMORY_LIMIT, metavar="SIZE",
                   help="address space per submission, its kernel included, e.g. 8G or 512M "
                        "(default 8G; 0: none); past it the learner's code gets MemoryError")
    p.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                   help="a submission still running after this is stopped with its kernel "
                        "and gets status 'error' (default 1800; each cell also has "
                        "nbgrader's Execute.timeout)")
    p.add_argument("--regrade", action="store_true",
                   help="grade every submission again (by default a submission graded into "
                        "OUT before, unchanged, with the same course code, keeps its result: "
                        "an interrupted run goes on where it stopped)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run kernels without bubblewrap: a submission's code can then read "
                        "the answers, the gradebook and the other submissions")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="print OUT/grades.csv as a table",
                       description="Print the grades of an earlier `grade` run as a table.")
    p.add_argument("out", metavar="OUT")
    p.add_argument("--assignment", metavar="ASSIGNMENT", help="only this assignment")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "validate", parents=[common], help="run the source notebooks; every test must pass",
        description="Execute solutions/<a>/<a>.ipynb (NBGRADER_EXECUTION=validate) and "
                    "report each graded test cell; exit 1 if any fails.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="e.g. week1 (default: all)")
    p.add_argument("--timeout", type=int, default=None,
                   help="seconds per cell (default: Execute.timeout from nbgrader_config.py)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "expected", help="regenerate the visible checks' expected values from solutions/",
        description="Run the solution functions on the fixed cases of "
                    "course_utils/checks/<week>.py and store the results in "
                    "course_utils/expected/<week>.json (never edit those by hand).")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 listing stale files")
    p.set_defaults(func=cmd_expected)

    p = sub.add_parser(
        "install-lab-settings",
        help="disable commsOverSubshells in this environment's JupyterLab",
        description="Merge {\"@jupyterlab/apputils-extension:kernels-settings\": "
                    "{\"commsOverSubshells\": \"disabled\"}} into "
                    "<prefix>/share/jupyter/lab/settings/overrides.json (keeps other keys). "
                    "Without it, plots drawn from widget callbacks can come out blank.")
    p.add_argument("--prefix", default=None, help="environment prefix (default: sys.prefix)")
    p.set_defaults(func=cmd_install_lab_settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
