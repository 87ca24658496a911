"""Grade a folder of student submissions with nbgrader, as many at once as there are cores,
each by a worker process of the grader's own (autograder.worker), its kernel memory-capped.

Everything is written under OUT, a private nbgrader course tree::

    OUT/source/<a>/         copy of solutions/<a>/ (what was graded against)
    OUT/release/<a>/        generated from it (fills OUT/gradebook.db)
    OUT/submitted/<s>/<a>/  copies of the submissions (SUBMISSIONS is only read)
    OUT/autograded/<s>/<a>/ nbgrader's executed notebooks
    OUT/feedback/<s>/<a>/<a>.html
    OUT/logs/<a>/<s>.log    nbgrader's log for each student (worker<n>.log: the workers')
    OUT/logs/<a>/<s>.result.json  the student's result, recorded as soon as it is done: a
                            later run into the same OUT reuses it while the submission and the
                            course (inputs.sha256) are unchanged
    OUT/grades.csv          one row per student and assignment
    OUT/report/             the class report (autograder.class_report)

Test cells run in the grader (autograder.trusted) and kernels in bubblewrap where it is
installed (autograder.sandbox). A submission that cannot be graded gets status "error",
score 0, a message naming the problem and the fix, and a feedback page saying so; the other
students are graded as usual.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import pickle
import queue
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from .class_report import REPORT_DIR, write_report
from .course import Course, CourseError, capture, natural_key, nbgrader_logger
from .outcomes import outcomes
from .release import copy_source, generate_assignment, last_error, private_tree
from .submissions import Submission, check_notebook, find_submissions, loose_files

COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "message"]
MEMORY_LIMIT = 8 * 2**30  # bytes of address space per submission (its kernel included)
TIME_LIMIT = 1800.0  # seconds per submission; nbgrader's Execute.timeout bounds each cell
GRADES_CSV = "grades.csv"
INPUTS = "inputs.sha256"  # OUT/logs/<a>/: the fingerprint the assignment was generated from


@dataclass
class Result:
    student_id: str
    assignment: str
    score: float
    max_score: float
    status: str  # "graded" or "error"
    message: str = ""

    def row(self) -> dict[str, str]:
        row = asdict(self)
        row["score"] = f"{self.score:g}"
        row["max_score"] = f"{self.max_score:g}"
        return row


# -- the steps ----------------------------------------------------------------------------
def _coursedir(tree: Course, assignment: str, student: str | None = None):
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=tree.config, log=nbgrader_logger())
    coursedir.assignment_id = assignment
    if student is not None:
        coursedir.student_id = student
    return coursedir


def _gradebook(tree: Course):
    from nbgrader.api import Gradebook

    return Gradebook(tree.config.CourseDirectory.db_url, tree.course_id)


def prepare(course: Course, assignment: str, out: Path, inputs: str | None = None,
            fresh: bool = True) -> Course:
    """Set up OUT as a fresh grading tree for ``assignment`` (other assignments graded
    into the same OUT are kept) and generate the assignment into its gradebook; or, when
    OUT already holds this assignment generated from the same `inputs` (fingerprint) and
    not `fresh`, keep it as it is, to go on grading there."""
    from nbgrader.api import MissingEntry

    from .course import quiet_nbgrader

    tree = private_tree(course, out)
    out.mkdir(parents=True, exist_ok=True)
    marker = tree.root / "logs" / assignment / INPUTS
    if not fresh and inputs is not None and marker.is_file() and \
            marker.read_text() == inputs and tree.release_notebook(assignment).is_file():
        return tree
    for step in ("submitted", "autograded", "feedback"):
        for old in sorted((tree.root / step).glob(f"*/{assignment}")):
            shutil.rmtree(old)
    for old in (tree.release_dir / assignment, tree.root / "logs" / assignment):
        if old.exists():
            shutil.rmtree(old)
    if (tree.root / "gradebook.db").exists():
        with quiet_nbgrader(), _gradebook(tree) as gb:
            try:
                gb.remove_assignment(assignment)
            except MissingEntry:
                pass
    copy_source(course, assignment, tree)
    generate_assignment(tree, assignment)
    if inputs is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(inputs)
    return tree


def fingerprint(course: Course, assignment: str, options: dict) -> str:
    """What a grade depends on besides the submission: the assignment's source folder, the
    course's code (checks, helpers, grader) and the grading options."""
    import hashlib

    import course_utils

    def named(value):  # sets sorted; classes and functions by name, not by address
        if isinstance(value, (set, frozenset)):
            return sorted(map(str, value))
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"

    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=named).encode())
    folders = [course.source_dir / assignment, Path(course_utils.__file__).parent,
               Path(__file__).parent]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def submission_key(sub: Submission) -> str:
    """The submission's bytes (what was handed in), as a hash; a folder with no notebook by
    the names of its files."""
    import hashlib

    digest = hashlib.sha256()
    if sub.notebook is not None and sub.notebook.is_file():
        digest.update(sub.notebook.read_bytes())
    else:
        digest.update("\n".join(sorted(p.name for p in sub.folder.iterdir())).encode())
    return digest.hexdigest()


def _done_file(logs: Path, student: str) -> Path:
    return logs / f"{student}.result.json"


def _reuse(logs: Path, sub: Submission) -> Result | None:
    """The Result an earlier run recorded for this very submission, if any."""
    path = _done_file(logs, sub.student)
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
        return Result(**done["result"]) if done.get("key") == submission_key(sub) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _record(logs: Path, sub: Submission, result: Result) -> None:
    path = _done_file(logs, sub.student)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"key": submission_key(sub), "result": asdict(result)}),
                       encoding="utf-8")
    os.replace(partial, path)  # whole or not at all, even if grading is stopped here


def _forget_removed(tree: Course, assignment: str, logs: Path, students: set[str]) -> None:
    """Students graded earlier whose folder is gone from SUBMISSIONS: their files and grades."""
    from nbgrader.api import MissingEntry

    from .course import quiet_nbgrader

    gone = {p.name.removesuffix(".result.json") for p in logs.glob("*.result.json")}
    for step in ("submitted", "autograded", "feedback"):
        gone |= {p.parent.name for p in (tree.root / step).glob(f"*/{assignment}")}
    for student in sorted(gone - students):
        for step in ("submitted", "autograded", "feedback"):
            shutil.rmtree(tree.root / step / student / assignment, ignore_errors=True)
        _done_file(logs, student).unlink(missing_ok=True)
        with quiet_nbgrader(), _gradebook(tree) as gb:
            with contextlib.suppress(MissingEntry):
                gb.remove_submission(assignment, student)


def autograde(tree: Course, assignment: str, student: str) -> tuple[bool, str]:
    """nbgrader's Autograde for one student (it sets NBGRADER_EXECUTION=autograde)."""
    from nbgrader.converters import Autograde

    converter = Autograde(coursedir=_coursedir(tree, assignment, student), config=tree.config,
                          log=nbgrader_logger())
    converter.force = True
    converter.create_student = True
    return capture(converter)


def feedback(tree: Course, assignment: str, student: str) -> tuple[bool, str]:
    from nbgrader.converters import GenerateFeedback

    converter = GenerateFeedback(coursedir=_coursedir(tree, assignment, student),
                                 config=tree.config, log=nbgrader_logger())
    converter.force = True
    return capture(converter)


def error_feedback(out: Path, result: Result) -> Path:
    """The feedback of a submission that could not be graded: what happened and what to do
    (the same words as grades.csv), as a page like nbgrader's."""
    import html

    path = feedback_path(out, result.assignment, result.student_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{result.assignment}: "
        f"not graded</title></head>\n<body style='font-family: sans-serif; max-width: 45em; "
        f"margin: 2em auto'>\n<h1>{html.escape(result.assignment)}</h1>\n"
        f"<p><b>Score: 0 / {result.max_score:g}</b>: your submission could not be graded.</p>"
        f"\n<p>{html.escape(result.message)}</p>\n</body></html>\n", encoding="utf-8")
    return path


def feedback_path(out: Path, assignment: str, student: str) -> Path:
    return out / "feedback" / student / assignment / f"{assignment}.html"


def scores(tree: Course, assignment: str, student: str) -> tuple[float, float, bool]:
    """(score, max_score, needs_manual_grade) from the gradebook."""
    from .course import quiet_nbgrader

    with quiet_nbgrader(), _gradebook(tree) as gb:
        sub = gb.find_submission(assignment, student)
        return float(sub.score), float(sub.max_score), bool(sub.needs_manual_grade)


def max_points(release_nb: dict) -> float:
    total = 0.0
    for cell in release_nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            total += float(meta.get("points", 0) or 0)
    return total


def failed_tests(notebook: Path, timeout: float | None = None) -> list[str]:
    """'grade_id (Error: message)' for each autograded test cell that lost points."""
    return [f"{o.test} ({textwrap.shorten(o.failure, 100, placeholder=' ...')})"
            for o in outcomes(notebook, timeout) if not o.passed]


# -- the whole run ------------------------------------------------------------------------
def pick_assignment(course: Course, submissions: Path, assignment: str | None) -> str:
    known = course.assignments()
    if assignment:
        return course.resolve_assignments([assignment])[0]
    present = [
        a for a in known
        if any(submissions.glob(f"*/{a}.ipynb")) or any(submissions.glob(f"*/{a}/{a}.ipynb"))
    ]
    if len(present) == 1:
        return present[0]
    if not present and len(known) == 1:
        return known[0]
    raise CourseError(
        f"cannot tell which assignment {submissions} holds "
        f"(found notebooks for: {', '.join(present) or 'none'}); pass --assignment "
        f"({', '.join(known) or 'no assignments in ' + str(course.source_dir)})"
    )


def _check_paths(submissions: Path, out: Path) -> None:
    if not submissions.is_dir():
        raise CourseError(f"submissions folder {submissions} does not exist")
    if out == submissions or out.is_relative_to(submissions) or submissions.is_relative_to(out):
        raise CourseError(
            f"--out {out} and the submissions {submissions} must not contain each other "
            f"(grading never writes into the submissions); choose another --out"
        )
    ours = ("gradebook.db", GRADES_CSV, "source")
    if out.is_dir() and any(out.iterdir()) and not any((out / name).exists() for name in ours):
        raise CourseError(
            f"--out {out} is a folder with other files in it; give a new or empty folder "
            f"(e.g. grading/week1, which git ignores) or one an earlier `grade` wrote"
        )


def grade(course: Course, submissions: Path, out: Path, assignment: str | None = None, *,
          progress: bool = True, jobs: int | None = None,
          memory_limit: int | None = MEMORY_LIMIT, time_limit: float = TIME_LIMIT,
          sandbox: bool = True, regrade: bool = False) -> list[Result]:
    """Grade every student folder in ``submissions`` into ``out``; return one Result per
    student (also merged into ``out/grades.csv``). Gradable submissions run in `jobs`
    grading processes (default one per core), their kernels' address space capped at
    `memory_limit` bytes; one still running after `time_limit` seconds is stopped. With `sandbox`
    (where bubblewrap is installed), kernels cannot read the answers, the gradebook or the
    other students' files (sandbox_config).

    Grading again into the same OUT goes on where it stopped: a submission graded before,
    by the same course code, source and options, keeps its result (OUT/logs/<a>/<s>.result.json,
    written as each one is done) unless `regrade`; a student whose folder is gone is removed."""
    from tqdm import tqdm

    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    _check_paths(submissions, out)
    assignment = pick_assignment(course, submissions, assignment)
    subs = find_submissions(submissions, assignment)
    options = {"memory_limit": memory_limit, "time_limit": time_limit, "sandbox": sandbox,
               "config": course.config}
    tree = prepare(course, assignment, out, fingerprint(course, assignment, options),
                   fresh=regrade)
    if sandbox:
        sandbox_config(tree, course, submissions)
    release_nb = json.loads(tree.release_notebook(assignment).read_text(encoding="utf-8"))
    source_nb = json.loads(tree.source_notebook(assignment).read_text(encoding="utf-8"))
    total = max_points(release_nb)
    logs = out / "logs" / assignment
    logs.mkdir(parents=True, exist_ok=True)
    _forget_removed(tree, assignment, logs, {sub.student for sub in subs})

    notebooks = (release_nb, source_nb)
    results: dict[str, Result] = {}
    bar = tqdm(total=len(subs), desc=f"grading {assignment}", unit="student",
               disable=not progress)
    jobs = max(1, jobs or os.cpu_count() or 1)
    everyone = [Worker(logs, number, memory_limit) for number in range(jobs)]
    workers: queue.Queue = queue.Queue()
    for worker in everyone:
        workers.put(worker)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running = {}
        for sub in subs:
            if (earlier := _reuse(logs, sub)) is not None:  # graded by an earlier run
                results[sub.student] = earlier
                bar.update()
                continue
            if sub.ok:
                check_notebook(sub, *notebooks)
            if not sub.ok:  # malformed: said at once, nothing to run
                results[sub.student] = _grade_one(tree, assignment, sub, notebooks, total, logs,
                                                  checked=True)
                _record(logs, sub, results[sub.student])
                bar.update()
                continue
            task = {"tree": tree, "assignment": assignment, "sub": sub, "notebooks": notebooks,
                    "total": total, "logs": logs, "checked": True}
            running[pool.submit(_isolated, task, time_limit, workers)] = sub
        try:
            for future in as_completed(running):
                sub = running[future]
                results[sub.student] = future.result()
                _record(logs, sub, results[sub.student])
                bar.set_postfix_str(sub.student)
                bar.update()
        except BaseException:  # stopped (Ctrl-C): end the grading processes, keep what is done
            for future in running:
                future.cancel()
            for worker in everyone:
                worker.stop()
            raise
        finally:
            while not workers.empty():
                workers.get().close()
    bar.close()
    results = [results[sub.student] for sub in subs]  # in the students' order
    for result in results:
        if result.status == "error":
            error_feedback(out, result)
    write_csv(out / GRADES_CSV, results, assignment)
    write_report(out, assignment, tree)
    return results


def sandbox_config(tree: Course, course: Course, submissions: Path) -> None:
    """Start the kernels of `tree` in bubblewrap with the answers (the course's source and
    its gradebook), the grading tree, the submissions, the exchange and Jupyter's runtime
    folder out of their sight; without bubblewrap, say so once on stderr."""
    from jupyter_core.paths import jupyter_runtime_dir

    from .sandbox import available

    why = available()
    if why is not None:
        print(f"warning: kernels are not sandboxed ({why}): a submission's code can read the "
              f"answers in {course.source_dir}, the gradebook and the other submissions",
              file=sys.stderr)
        return
    hide = [course.source_dir, tree.root, submissions, Path(jupyter_runtime_dir())]
    hide += [course.root / step for step in ("submitted", "autograded", "feedback")]
    for config in (course.config, tree.config):
        db_url = str(config.CourseDirectory.get("db_url", ""))
        if db_url.startswith("sqlite:///"):
            hide.append(Path(db_url.removeprefix("sqlite:///")))
        if "Exchange" in config and config.Exchange.get("root"):
            hide.append(Path(config.Exchange.root))
    tree.config.TrustedExecute.sandbox = True
    tree.config.SandboxedKernelManager.hide = [str(p) for p in hide]


class Worker:
    """One grading process (autograder.worker) in a session of its own, reused from one
    submission to the next, replaced when it runs out of time or dies."""

    def __init__(self, logs: Path, number: int, memory_limit: int | None):
        self.log_path, self.memory_limit = logs / f"worker{number}.log", memory_limit or 0
        self.process = None

    def _start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "autograder.worker", str(self.memory_limit)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True, text=True, bufsize=1)

    def stop(self) -> int | None:
        """Kill the worker (its kernels exit with it); its exit code."""
        if self.process is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        code, self.process = self.process.wait(), None
        return code

    def close(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.stop()
            self.process = None

    def run(self, task_file: Path, time_limit: float) -> str:
        """'done', 'timeout' or 'died (exit code N)' for the task in `task_file`."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        try:
            self.process.stdin.write(f"{task_file}\n")
            self.process.stdin.flush()
        except OSError:
            return f"died (exit code {self.stop()})"
        ready, _, _ = select.select([self.process.stdout], [], [], time_limit)
        if not ready:
            self.stop()
            return "timeout"
        if self.process.stdout.readline().strip() != "done":
            return f"died (exit code {self.stop()})"
        return "done"


def _isolated(task: dict, time_limit: float, workers: queue.Queue) -> Result:
    """`_grade_one(**task)` in a free grading process, stopped after `time_limit` s; a
    submission whose process dies or runs out of time gets a Result that says so."""
    sub, logs, assignment = task["sub"], task["logs"], task["assignment"]
    task_file = logs / f"{sub.student}.task"
    answer = task_file.with_suffix(".json")
    answer.unlink(missing_ok=True)
    with task_file.open("wb") as fh:
        pickle.dump(task, fh)
    worker = workers.get()
    try:
        outcome = worker.run(task_file, time_limit)
    finally:
        workers.put(worker)
        task_file.unlink(missing_ok=True)
    if outcome == "done" and answer.is_file():
        fields = json.loads(answer.read_text(encoding="utf-8"))
        answer.unlink()
        if "grader_error" not in fields:
            return Result(**fields)
        why = f"the grader failed on it ({fields['grader_error']})"
    else:
        why = (f"its grading took longer than {time_limit:g} s and was stopped"
               if outcome == "timeout" else f"its grading process {outcome} (out of memory?)")
    return Result(sub.student, assignment, 0.0, task["total"], "error",
                  f"{sub.student}'s submission could not be graded: {why}; run it with Kernel > "
                  f"Restart and Run All, fix what runs away, and resubmit (log: "
                  f"{worker.log_path})")


def _grade_one(tree: Course, assignment: str, sub: Submission, notebooks: tuple[dict, dict],
               total: float, logs: Path, checked: bool = False) -> Result:
    log_file = logs / f"{sub.student}.log"

    def error(message: str, log: str = "") -> Result:
        log_file.write_text(f"{message}\n{log}", encoding="utf-8")
        return Result(sub.student, assignment, 0.0, total, "error", message)

    if sub.ok and not checked:
        check_notebook(sub, *notebooks)
    if not sub.ok:
        return error(sub.problem or "")

    dest = tree.root / "submitted" / sub.student / assignment / f"{assignment}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if sub.repaired is not None:
        dest.write_text(json.dumps(sub.repaired, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        shutil.copyfile(sub.notebook, dest)  # the submission itself is only ever read

    ok, log = autograde(tree, assignment, sub.student)
    autograded = tree.root / "autograded" / sub.student / assignment / f"{assignment}.ipynb"
    if not ok or not autograded.is_file():
        return error(
            f"nbgrader could not grade {sub.student}'s submission ({last_error(log)}); "
            f"open it in JupyterLab, run Kernel > Restart and Run All, fix what fails, "
            f"and resubmit (nbgrader log: {log_file})",
            log,
        )
    score, max_score, manual = scores(tree, assignment, sub.student)
    fb_ok, fb_log = feedback(tree, assignment, sub.student)
    log_file.write_text(log + fb_log, encoding="utf-8")

    notes = list(sub.notes)
    execute = tree.config["Execute"] if "Execute" in tree.config else {}
    failed = failed_tests(autograded, execute.get("timeout"))
    if failed:
        shown = ", ".join(failed[:3]) + (f" and {len(failed) - 3} more" if len(failed) > 3 else "")
        notes.insert(0, f"failed {len(failed)} test(s): {shown}")
    if manual:
        notes.append("some cells need manual grading (formgrader)")
    if not fb_ok:
        notes.append(f"feedback HTML not generated ({last_error(fb_log)})")
    return Result(sub.student, assignment, score, max_score, "graded", "; ".join(notes))


# -- grades.csv and the summary -----------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, results: list[Result], assignment: str) -> None:
    """Write ``results``, keeping rows of other assignments already in the file."""
    rows = [r for r in read_csv(path) if r.get("assignment") != assignment]
    rows += [r.row() for r in results]
    rows.sort(key=lambda r: (natural_key(r["assignment"]), r["student_id"]))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def format_table(rows: list[dict[str, str]], width: int = 100) -> str:
    """A plain-text table: student, assignment, score, status, message (wrapped)."""
    import textwrap

    if not rows:
        return "(no submissions)"
    head = ["student", "assignment", "score", "status"]
    cells = [
        [r["student_id"], r["assignment"], f"{r['score']}/{r['max_score']}", r["status"]]
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    indent = sum(widths) + 2 * len(widths)
    msg_width = max(30, width - indent)

    def line(values: list[str], message: str) -> list[str]:
        left = "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))
        wrapped = textwrap.wrap(message, msg_width) or [""]
        out = [f"{left}  {wrapped[0]}".rstrip()]
        out += [" " * indent + more for more in wrapped[1:]]
        return out

    lines = line(head, "message")
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    for values, row in zip(cells, rows, strict=True):
        lines += line(values, row.get("message", ""))
    graded = [r for r in rows if r["status"] == "graded"]
    errors = len(rows) - len(graded)
    lines.append("")
    lines.append(f"{len(rows)} submission(s): {len(graded)} graded, {errors} error(s)")
    return "\n".join(lines)


def summary(results: list[Result], out: Path, submissions: Path | None = None) -> str:
    text = format_table([r.row() for r in results])
    extra = []
    if submissions is not None:
        loose = loose_files(Path(submissions))
        if loose:
            extra.append(
                "ignored (not in a student folder): " + ", ".join(p.name for p in loose)
            )
    extra.append(f"grades: {out / GRADES_CSV}   feedback: {out / 'feedback'}/<student>/   "
                 f"class report: {out / REPORT_DIR}/")
    return text + "\n" + "\n".join(extra)
