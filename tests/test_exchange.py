"""Exchange round trip: week 1 released, fetched, submitted, collected, autograded and
returned through nbgrader's real exchange, on one machine.

Everything runs in a temporary folder. Each person runs nbgrader's own commands (the
`nbgrader` script's entry point, nbgrader.apps.NbGraderApp) in a subprocess of their own,
with their own HOME, USER/LOGNAME and working folder; the README's commands, step by step:

    tmp/course/      the instructor's course: a copy of nbgrader_config.py and solutions/
                     (so CourseDirectory.root is tmp/course and nothing is written in the repo)
    tmp/gradebook.db COURSE_GRADEBOOK
    tmp/exchange/    COURSE_EXCHANGE
    tmp/home/<who>/  HOME of the instructor and of each student; a student works in it

Three students: alice completes the notebook, bob submits it untouched, carol submits after
the due date with `propagate`'s dw missing its 1/m.

How nbgrader 0.9.6 tells students apart (read from its source, not guessed):
* the student id of `submit` is ``nbgrader.utils.get_username()``, i.e. the *OS login* of the
  process (``pwd.getpwuid(os.getuid())``; ``$JUPYTERHUB_USER`` only when that login is
  ``jovyan``). ``USER``/``LOGNAME`` are ignored, so on one OS account every student would be
  filed under the same name: the test passes ``--student <id>`` (CourseDirectory.student_id),
  the scripted-use option of `nbgrader submit`.
* `submit` keeps a copy with the submission's secret in ``$HOME/.local/share/jupyter/
  nbgrader_cache``; `fetch_feedback` finds a student's feedback through that cache, so a
  separate HOME per student is what keeps their feedback apart.
* a student's exchange location comes from their own ``~/.jupyter/nbgrader_config.py`` (the
  course's config is not in their folder), as it would for JupyterLab's Assignments panel.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.course import Course

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the course venv's bin (not resolved: keep the venv)
PYTHON = BIN / Path(sys.executable).name
COURSE_ID = Course.load(REPO).course_id
A = "week1"
# The wrong line carol hands in, and the test cells it should cost her: propagate's own test,
# and the two functions that call propagate (optimize, and model through optimize).
RIGHT_DW = "dw = np.dot(X, (A - Y).T) / m"
WRONG_DW = "dw = np.dot(X, (A - Y).T)"
CAROL_FAILS = {"test_propagate", "test_optimize", "test_model"}

# Variables that would point nbgrader, Jupyter or IPython at the real user's files.
_CLEARED = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "IPYTHONDIR", "MPLCONFIGDIR",
            "NBGRADER_EXECUTION", "COURSE_ROOT", "COURSE_EXCHANGE", "COURSE_GRADEBOOK")

pytestmark = [
    pytest.mark.grading,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]


# -- running nbgrader -------------------------------------------------------------------
# One actor's consecutive commands run in one Python process, through the entry point of the
# `nbgrader` script (NbGraderApp: instance, initialize, start, then reset, as nbgrader's own
# test-suite runs it): the script spends ~3 s importing before every command. Each command's
# exit status is what the script would return; a chain stops at the first failure.
_CHAIN = r"""
import json, sys, time, traceback, warnings

from sqlalchemy.exc import SAWarning

warnings.simplefilter("ignore", SAWarning)  # SQLAlchemy 2.1 noise; the scores are right
from jupyter_core.application import NoStart
from nbgrader.apps import NbGraderApp

for argv in json.loads(sys.argv[1]):
    print("\n@@@ nbgrader", json.dumps(argv), flush=True)
    start, app = time.perf_counter(), NbGraderApp.instance()
    try:
        app.initialize(argv)
        app.start()
        code = 0
    except NoStart:  # how a subcommand that succeeded returns
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        app.reset()
    sys.stderr.flush()
    print(f"\n@@@ exit {code} after {time.perf_counter() - start:.1f} s", flush=True)
    if code:
        break
"""
_MARK = re.compile(r"^@@@ nbgrader ([^\n]*)\n(.*?)^@@@ exit (-?\d+) after ([\d.]+) s$",
                   re.MULTILINE | re.DOTALL)


@dataclass
class Run:
    who: str
    argv: list[str]
    returncode: int | None  # None: not run (an earlier command of the chain failed)
    output: str  # nbgrader's log and anything else printed
    seconds: float

    def __str__(self) -> str:
        return (f"--- {self.who}$ nbgrader {' '.join(self.argv)}  "
                f"(exit {self.returncode}, {self.seconds:.1f} s)\n{self.output[-6000:]}")


@dataclass
class Actor:
    """Someone at the machine: a HOME, a working folder and environment variables."""

    name: str
    home: Path
    cwd: Path
    extra_env: dict[str, str]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in _CLEARED and not k.startswith(("JUPYTER", "JPY_"))}
        env.update(self.extra_env)
        env.update(HOME=str(self.home), USER=self.name, LOGNAME=self.name,
                   PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]),
                   PYTHONUNBUFFERED="1")
        return env

    def nbgrader(self, *commands: list[str], timeout: float = 600) -> list[Run]:
        """`nbgrader <command>` for each command, in order, in one process of this actor."""
        start = time.perf_counter()
        # its own session, so that a timeout also stops the kernels it started
        proc = subprocess.Popen([str(PYTHON), "-c", _CHAIN, json.dumps(commands)],
                                cwd=self.cwd, env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out = proc.communicate()[0] + f"\n*** killed after {timeout} s"
        runs = [Run(self.name, json.loads(m[1]), int(m[3]), m[2], float(m[4]))
                for m in _MARK.finditer(out)]
        if len(runs) < len(commands) and all(run.returncode == 0 for run in runs):
            # the process died or timed out: what it printed goes with the command it was on
            runs.append(Run(self.name, commands[len(runs)], proc.returncode or -1,
                            _MARK.sub("", out).strip(), time.perf_counter() - start))
        runs += [Run(self.name, argv, None, "(not run)", 0.0) for argv in commands[len(runs):]]
        for run in runs:
            print(f"{run.who}$ nbgrader {' '.join(run.argv)}: exit {run.returncode}, "
                  f"{run.seconds:.1f} s")
        print(f"{self.name}: {len(commands)} command(s) in {time.perf_counter() - start:.1f} s")
        return runs


def together(*chains: tuple[Actor, list[list[str]]]) -> list[Run]:
    """Independent actors (students, say) at the same time; their runs, in order."""
    with concurrent.futures.ThreadPoolExecutor(len(chains)) as pool:
        done = pool.map(lambda chain: chain[0].nbgrader(*chain[1]), chains)
        return [run for runs in done for run in runs]


def ok(run: Run, *paths: Path) -> Run:
    """The command exited 0 *and* left the files it is for."""
    assert run.returncode == 0, str(run)
    for path in paths:
        assert path.exists(), f"{path} is missing after this command\n{run}"
    return run


# -- notebooks --------------------------------------------------------------------------
def solution_sources(notebook: Path) -> dict[str, str]:
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata.nbgrader["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def complete(notebook: Path, solutions: dict[str, str]) -> None:
    """What a student does in JupyterLab: write every solution cell, matched by grade_id."""
    nb = nbformat.read(notebook, as_version=4)
    filled = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = solutions[meta["grade_id"]]
            filled.add(meta["grade_id"])
    assert filled == set(solutions), f"unmatched solution cells: {set(solutions) ^ filled}"
    nbformat.write(nb, notebook)


def graded_cells(notebook: Path) -> dict[str, float]:
    """grade_id -> points of every autograded test cell."""
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata.nbgrader["grade_id"]: float(c.metadata.nbgrader["points"])
            for c in nb.cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata.nbgrader.get("solution")}


def failed_cells(autograded: Path) -> set[str]:
    """Test cells that lost points in an autograded notebook (nbgrader's own rule)."""
    from nbgrader import utils

    nb = nbformat.read(autograded, as_version=4)
    failed = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            score, points = utils.determine_grade(cell)
            if score is None or score < points:
                failed.add(cell.metadata.nbgrader["grade_id"])
    return failed


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def utc(text: str) -> dt.datetime:
    """A timestamp as nbgrader writes it (timestamp.txt, CSV) -> naive UTC, as in the gradebook."""
    from nbgrader.utils import parse_utc

    return parse_utc(text)


# -- the round trip ---------------------------------------------------------------------
def test_exchange_round_trip(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    course, exchange, gradebook = tmp_path / "course", tmp_path / "exchange", \
        tmp_path / "gradebook.db"
    (course / "solutions").mkdir(parents=True)
    (course / "nbgrader_config.py").write_bytes((REPO / "nbgrader_config.py").read_bytes())
    shutil.copytree(REPO / "solutions" / A, course / "solutions" / A)
    exchange.mkdir()  # as the README says (nbgrader would create it, with a warning)

    def home(name: str) -> Path:
        path = tmp_path / "home" / name
        path.mkdir(parents=True)
        return path

    teacher = Actor("instructor", home("instructor"), course, {
        "COURSE_EXCHANGE": str(exchange), "COURSE_GRADEBOOK": str(gradebook)})
    students = {}
    for name in ("alice", "bob", "carol"):
        h = home(name)
        (h / ".jupyter").mkdir()
        (h / ".jupyter" / "nbgrader_config.py").write_text(
            f"c = get_config()  # noqa: F821\nc.Exchange.root = {str(exchange)!r}\n")
        students[name] = Actor(name, h, h, {})
    course_flag = ("--course", COURSE_ID)

    # 1. the instructor generates week 1 into the tmp course's notebooks/ and releases it
    #    (--force: in a repo checkout notebooks/week1 exists, and without it nbgrader skips
    #    the assignment and leaves it out of the gradebook, which autograde needs)
    release_nb = course / "notebooks" / A / f"{A}.ipynb"
    outbound = exchange / COURSE_ID / "outbound" / A / f"{A}.ipynb"
    generate, release = teacher.nbgrader(["generate_assignment", A, "--force"],
                                         ["release_assignment", A])
    ok(generate, release_nb, gradebook)
    ok(release, outbound)
    assert outbound.read_bytes() == release_nb.read_bytes()
    points = graded_cells(release_nb)
    with Gradebook(f"sqlite:///{gradebook}", COURSE_ID) as gb:
        max_score = gb.find_assignment(A).max_score
    assert max_score == sum(points.values()) > 0, (max_score, points)
    assert CAROL_FAILS < set(points)

    # 2. every student fetches it into their own folder
    mine = {n: s.home / A / f"{A}.ipynb" for n, s in students.items()}
    for run in together(*[(s, [["fetch_assignment", A, *course_flag]])
                          for s in students.values()]):
        ok(run, mine[run.who])
    for name, nb in mine.items():
        assert nb.read_bytes() == release_nb.read_bytes(), f"{name} did not get the release"

    # 3. alice completes it, bob leaves it untouched; both submit before the due date
    solutions = solution_sources(course / "solutions" / A / f"{A}.ipynb")
    complete(mine["alice"], solutions)
    inbound = exchange / COURSE_ID / "inbound"
    handed_in = {}  # name -> sha256 of the notebook in their home when they submitted
    stamps: dict[str, dt.datetime] = {}  # name -> the submission's timestamp.txt

    def submit(*names: str) -> None:
        for name in names:
            handed_in[name] = sha256(mine[name])
        for run in together(*[(students[n], [["submit", A, *course_flag, "--student", n]])
                              for n in names]):
            found = sorted(inbound.glob(f"{run.who}+{A}+*"))
            assert len(found) == 1, f"{run.who}'s submissions in the exchange: {found}\n{run}"
            ok(run, found[0] / f"{A}.ipynb", found[0] / "timestamp.txt")
            stamps[run.who] = utc((found[0] / "timestamp.txt").read_text())

    submit("alice", "bob")

    # 4. the due date passes: the instructor sets it 1 ms after the last on-time submission;
    #    then carol submits, with propagate's dw missing its 1/m
    due = max(stamps.values()) + dt.timedelta(milliseconds=1)
    (duedate,) = teacher.nbgrader(
        ["db", "assignment", "add", A, f"--duedate={due:%Y-%m-%d %H:%M:%S.%f} UTC"])
    ok(duedate)
    with Gradebook(f"sqlite:///{gradebook}", COURSE_ID) as gb:
        assert gb.find_assignment(A).duedate == due, str(duedate)
    assert RIGHT_DW in solutions["propagate"]
    complete(mine["carol"], {**solutions,
                             "propagate": solutions["propagate"].replace(RIGHT_DW, WRONG_DW)})
    submit("carol")
    assert stamps["carol"] > due > max(stamps["alice"], stamps["bob"]), (stamps, due)

    # 5. the instructor collects, autogrades (NBGRADER_EXECUTION is set: the notebook trains
    #    for fewer iterations), generates and releases feedback, and exports the grades
    grades_csv = tmp_path / "grades.csv"
    graded = {n: course / "autograded" / n / A / f"{A}.ipynb" for n in students}
    collect, autograde, feedback, release_fb, export = teacher.nbgrader(
        ["collect", A],
        ["autograde", A],
        ["generate_feedback", A],
        ["release_feedback", A],
        ["export", "--to", str(grades_csv)])
    ok(collect, *[course / "submitted" / n / A / f"{A}.ipynb" for n in students])
    for name in students:
        collected = course / "submitted" / name / A / f"{A}.ipynb"
        assert sha256(collected) == handed_in[name], f"{name}'s collected notebook\n{collect}"
    ok(autograde, *graded.values())
    ok(feedback, *[course / "feedback" / n / A / f"{A}.html" for n in students])
    ok(release_fb)
    released = sorted((exchange / COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == len(students), f"{released}\n{release_fb}"
    ok(export, grades_csv)

    # 6. each student fetches their own feedback into their home
    for run in together(*[(s, [["fetch_feedback", A, *course_flag]])
                          for s in students.values()]):
        ok(run)
    for name, student in students.items():
        sent = (course / "feedback" / name / A / f"{A}.html").read_bytes()
        got = sorted((student.home / A / "feedback").glob(f"*/{A}.html"))
        assert len(got) == 1, f"{name}'s feedback: {got}"
        assert got[0].read_bytes() == sent, f"{name} received someone else's feedback"
        assert utc(got[0].parent.name) == stamps[name], (got[0], stamps[name])

    # -- what each test cell said ------------------------------------------------------
    failed = {n: failed_cells(graded[n]) for n in students}
    assert failed["alice"] == set(), f"alice's failing cells: {failed['alice']}\n{autograde}"
    assert failed["bob"] == set(points), f"bob's failing cells: {failed['bob']}\n{autograde}"
    assert failed["carol"] == CAROL_FAILS, (
        f"carol's failing cells: {sorted(failed['carol'])}, expected {sorted(CAROL_FAILS)}"
        f"\n{autograde}")
    expected = {n: max_score - sum(points[g] for g in failed[n]) for n in students}
    assert expected["alice"] == max_score and expected["bob"] == 0
    assert 0 < expected["carol"] < max_score

    # -- the gradebook -----------------------------------------------------------------
    with Gradebook(f"sqlite:///{gradebook}", COURSE_ID) as gb:
        book = {}
        for name in students:
            sub = gb.find_submission(A, name)
            book[name] = (float(sub.score), float(sub.max_score), sub.timestamp,
                          float(sub.total_seconds_late), bool(sub.needs_manual_grade))
    for name in students:
        score, top, stamp, late, manual = book[name]
        assert (score, top) == (expected[name], max_score), (name, book[name])
        assert stamp == stamps[name] and not manual, (name, book[name])
        assert (late > 0) == (name == "carol"), (name, late)

    # -- the exported CSV --------------------------------------------------------------
    with grades_csv.open(newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(students), f"{rows}\n{export}"
    for name, row in rows.items():
        assert row["assignment"] == A
        assert float(row["max_score"]) == max_score
        assert float(row["raw_score"]) == float(row["score"]) == expected[name], row
        assert float(row["late_submission_penalty"]) == 0.0, row  # nbgrader's default: none
        assert utc(row["duedate"]) == due and utc(row["timestamp"]) == stamps[name], row
        assert (utc(row["timestamp"]) > utc(row["duedate"])) == (name == "carol"), row
    assert float(rows["alice"]["score"]) == max_score
    assert float(rows["bob"]["score"]) == 0

    # each student's feedback shows their score
    for name, student in students.items():
        html = next((student.home / A / "feedback").glob(f"*/{A}.html")).read_text()
        assert f"Score: {expected[name]} / {max_score}" in html, name
        # nbgrader_config.py's feedback settings hold on this path too (autograder/feedback.py)
        assert "BEGIN HIDDEN TESTS" not in html and "hidden tests: their code is not shown" in html
        assert "cdnjs" not in html and "data:text/javascript;base64," in html, name

    # -- nothing changed a student's own notebook ---------------------------------------
    for name in students:
        assert sha256(mine[name]) == handed_in[name], f"{name}'s notebook in their home changed"
