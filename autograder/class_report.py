"""The class report of a `grade` run: what the class got wrong, for the instructor.

Written into OUT/report/ from OUT alone (grades.csv, the autograded notebooks, the gradebook):

    <a>.html          one self-contained page (figures inlined, nothing from the network): the
                      score histogram, each test's pass rate, the most common failures with
                      the message the learners saw (the class's mistakes, named), and the
                      students who need help first
    <a>-tests.csv     one row per student and graded test: points, score, the failure
    <a>.json          the pass rates and common failures, for scripts
    grades.csv        nbgrader's own CSV export of the gradebook (`nbgrader export`)
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, CourseError, natural_key
from .outcomes import Outcome, outcomes

REPORT_DIR = "report"
TEST_COLUMNS = ["student_id", "assignment", "test", "points", "score", "passed", "failure"]


@dataclass
class Student:
    student_id: str
    score: float
    max_score: float
    status: str  # "graded" or "error"
    message: str = ""
    outcomes: list[Outcome] = field(default_factory=list)


def collect(out: Path, assignment: str, timeout: float | None = None) -> list[Student]:
    """Every student of `assignment` in OUT/grades.csv, with their tests' outcomes."""
    from .grade import GRADES_CSV, read_csv

    rows = [r for r in read_csv(out / GRADES_CSV) if r.get("assignment") == assignment]
    if not rows:
        raise CourseError(f"{out / GRADES_CSV} has no row for {assignment}: run `python -m "
                          f"autograder grade ... --out {out} --assignment {assignment}` first")
    students = []
    for row in sorted(rows, key=lambda r: natural_key(r["student_id"])):
        student = Student(row["student_id"], float(row["score"]), float(row["max_score"]),
                          row["status"], row.get("message", ""))
        notebook = out / "autograded" / student.student_id / assignment / f"{assignment}.ipynb"
        if student.status == "graded" and notebook.is_file():
            student.outcomes = outcomes(notebook, timeout)
        students.append(student)
    return students


# -- the numbers --------------------------------------------------------------------------
def pass_rates(students: list[Student]) -> dict[str, tuple[int, int]]:
    """test -> (students who passed it, students graded), in notebook order."""
    rates: dict[str, list[int]] = {}
    for student in students:
        for o in student.outcomes:
            passed, graded = rates.setdefault(o.test, [0, 0])
            rates[o.test] = [passed + o.passed, graded + 1]
    return {test: (p, n) for test, (p, n) in rates.items()}


def common_failures(students: list[Student], most: int = 15) -> list[tuple[str, str, list]]:
    """(test, failure message, the students who saw it), most frequent first."""
    seen: dict[tuple[str, str], list[str]] = {}
    for student in students:
        for o in student.outcomes:
            if not o.passed:
                seen.setdefault((o.test, o.failure), []).append(student.student_id)
    ranked = sorted(seen.items(), key=lambda item: (-len(item[1]), item[0]))
    return [(test, failure, who) for (test, failure), who in ranked[:most]]


def need_help(students: list[Student], most: int = 50) -> list[Student]:
    """Submissions that could not be graded first, then the lowest shares of the points."""
    def key(s: Student):
        return (s.status == "graded", s.score / s.max_score if s.max_score else 0.0,
                natural_key(s.student_id))
    return [s for s in sorted(students, key=key)
            if s.status != "graded" or s.score < s.max_score][:most]


# -- the page -----------------------------------------------------------------------------
def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_figure(students: list[Student]):
    from matplotlib.figure import Figure

    graded = [s for s in students if s.status == "graded"]
    total = max((s.max_score for s in students), default=1.0) or 1.0
    fig = Figure(figsize=(6, 3), layout="constrained")
    ax = fig.subplots()
    ax.hist([s.score for s in graded], bins=min(20, max(5, int(total))), range=(0, total),
            color="#2a6ebb", edgecolor="white", gid="scores")
    ax.set(xlabel=f"score (of {total:g})", ylabel="students",
           title=f"{len(graded)} graded, {len(students) - len(graded)} not gradable")
    return fig


def pass_rate_figure(rates: dict[str, tuple[int, int]]):
    from matplotlib.figure import Figure

    tests = list(rates)
    fig = Figure(figsize=(6, 0.6 + 0.28 * max(len(tests), 1)), layout="constrained")
    ax = fig.subplots()
    shares = [p / n if n else 0.0 for p, n in rates.values()]
    ax.barh(range(len(tests)), shares, color="#5a9e4b", gid="pass rates")
    ax.set_yticks(range(len(tests)), tests, fontsize=8)
    ax.invert_yaxis()
    ax.set(xlim=(0, 1), xlabel="share of graded students who passed")
    return fig


def _table(head: list[str], rows: list[list]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                    for row in rows)
    return (f"<table><thead><tr>{''.join(f'<th>{html.escape(h)}</th>' for h in head)}"
            f"</tr></thead><tbody>{cells}</tbody></table>")


STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}img{max-width:100%}"""


def render(assignment: str, students: list[Student]) -> str:
    """The report as one HTML page."""
    rates, failures = pass_rates(students), common_failures(students)
    graded = [s for s in students if s.status == "graded"]
    mean = sum(s.score for s in graded) / len(graded) if graded else 0.0
    total = max((s.max_score for s in students), default=0.0)
    parts = [f"<h1>Class report: {html.escape(assignment)}</h1>",
             f"<p>{len(students)} submissions: {len(graded)} graded (mean score {mean:.1f} of "
             f"{total:g}), {len(students) - len(graded)} could not be graded.</p>",
             "<h2>Scores</h2>", f'<img id="histogram" alt="score histogram" '
             f'src="{_png(histogram_figure(students))}">']
    if rates:
        parts += ["<h2>Pass rate of each test</h2>",
                  f'<img id="pass-rates" alt="pass rates" src="{_png(pass_rate_figure(rates))}">',
                  _table(["test", "passed", "of"], [[t, p, n] for t, (p, n) in rates.items()])]
    parts += ["<h2>The most common failures</h2>",
              "<p>Each with the message the learners saw, which names the mistake.</p>",
              _table(["test", "message", "students", "who"],
                     [[t, f, len(w), ", ".join(w)] for t, f, w in failures])
              if failures else "<p>No test failed.</p>",
              "<h2>Who needs help first</h2>",
              _table(["student", "score", "status", "failed tests or problem"],
                     [[s.student_id, f"{s.score:g}/{s.max_score:g}", s.status,
                       "; ".join(o.test for o in s.outcomes if not o.passed) or s.message]
                      for s in need_help(students)])]
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Class report: "
            f"{html.escape(assignment)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>")


def export_gradebook(tree: Course, path: Path) -> None:
    """nbgrader's CSV export of the gradebook, the format of `nbgrader export`."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from .course import quiet_nbgrader

    plugin = CsvExportPlugin(config=tree.config)
    plugin.to = str(path)
    with quiet_nbgrader(), Gradebook(tree.config.CourseDirectory.db_url, tree.course_id) as gb:
        plugin.export(gb)


def write_report(out: Path, assignment: str, tree: Course | None = None) -> Path:
    """Write OUT/report/<a>.html, <a>-tests.csv and (given the grading tree) grades.csv;
    return the HTML's path."""
    out = Path(out)
    execute = tree.config["Execute"] if tree is not None and "Execute" in tree.config else {}
    students = collect(out, assignment, execute.get("timeout"))
    folder = out / REPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{assignment}.html"
    page.write_text(render(assignment, students), encoding="utf-8")
    with (folder / f"{assignment}-tests.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(TEST_COLUMNS)
        for s in students:
            for o in s.outcomes:
                writer.writerow([s.student_id, assignment, o.test, f"{o.points:g}",
                                 f"{o.score:g}", int(o.passed), o.failure])
    if tree is not None:
        export_gradebook(tree, folder / "grades.csv")
    (folder / f"{assignment}.json").write_text(json.dumps(
        {"pass_rates": pass_rates(students),
         "common_failures": common_failures(students)}, indent=1), encoding="utf-8")
    return page
