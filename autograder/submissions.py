"""Finding and checking student submissions before nbgrader sees them.

nbgrader either crashes on a malformed notebook (with a traceback a student cannot act on)
or quietly grades around it (a deleted test cell just scores nothing). Every check here
turns one such case into a sentence that names the problem and the fix.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

RESUBMIT = "re-download the notebook from JupyterLab with File > Download and resubmit"
FRESH_COPY = (
    "start from a fresh copy of the released notebook, paste your solutions into it, "
    "and resubmit"
)
# nbgrader fields a student's notebook must keep as released.
PROTECTED = ("grade", "solution", "locked", "points", "task")
GLOB_CHARS = set("*?[]")


@dataclass
class Submission:
    student: str
    folder: Path  # SUBMISSIONS/<student>
    notebook: Path | None = None  # the notebook to grade, once found
    problem: str | None = None  # why it cannot be graded (status "error")
    notes: list[str] = field(default_factory=list)  # graded, but worth telling
    repaired: dict | None = None  # what to grade instead of the file, if it needed a fix

    @property
    def ok(self) -> bool:
        return self.problem is None


def find_submissions(submissions: Path, assignment: str) -> list[Submission]:
    """One Submission per student folder (hidden folders and loose files are skipped)."""
    subs = []
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        subs.append(locate(Submission(student=folder.name, folder=folder), assignment))
    return subs


def loose_files(submissions: Path) -> list[Path]:
    return sorted(
        p for p in submissions.iterdir() if p.is_file() and not p.name.startswith(".")
    )


def _visible_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def locate(sub: Submission, assignment: str) -> Submission:
    """Find ``<student>/<a>.ipynb`` or ``<student>/<a>/<a>.ipynb``."""
    name = f"{assignment}.ipynb"
    who = sub.student
    if GLOB_CHARS & set(who) or "+" in who:
        sub.problem = (
            f"student folder name {who!r} contains characters nbgrader treats as patterns "
            f"(* ? [ ] +); rename the folder to the plain student id and grade again"
        )
        return sub
    candidates = [p for p in (sub.folder / name, sub.folder / assignment / name) if p.is_file()]
    if len(candidates) == 1:
        sub.notebook = candidates[0]
        return sub
    if len(candidates) == 2:
        sub.problem = (
            f"submission for {who} has two notebooks, {candidates[0].relative_to(sub.folder)} "
            f"and {candidates[1].relative_to(sub.folder)}; keep only the one to grade"
        )
        return sub
    files = _visible_files(sub.folder)
    if not files:
        sub.problem = (
            f"submission folder for {who} is empty; the student should submit {name} "
            f"(in JupyterLab: File > Download) into {sub.folder.name}/"
        )
        return sub
    notebooks = [p.relative_to(sub.folder).as_posix() for p in files if p.suffix == ".ipynb"]
    found = ", ".join(notebooks[:3]) if notebooks else ", ".join(
        p.relative_to(sub.folder).as_posix() for p in files[:3])
    sub.problem = (
        f"submission for {who} has no {name} (found: {found}); rename the student's "
        f"notebook to {sub.folder.name}/{name} or ask for a resubmission of {name}"
    )
    return sub


def _nbgrader_cells(nb: dict) -> list[tuple[str, dict]]:
    found = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
        if not isinstance(meta, dict) or not meta.get("grade_id"):
            continue
        if meta.get("grade") or meta.get("solution") or meta.get("locked"):
            found.append((meta["grade_id"], cell))
    return found


def graded_cells(nb: dict) -> dict[str, dict]:
    """grade_id -> {"cell_type", "source", **nbgrader metadata}; for a duplicated id
    (a copy-pasted cell) the last one, which is the one nbgrader grades."""
    return {
        gid: {"cell_type": cell.get("cell_type"), **cell["metadata"]["nbgrader"],
              "source": _source(cell)}
        for gid, cell in _nbgrader_cells(nb)
    }


def deduplicate(nb: dict) -> list[str]:
    """Drop the nbgrader metadata of all but the last cell of each grade_id, in place.

    nbgrader's DeduplicateIds means to do this, but leaves ``"nbgrader": {}`` behind,
    which its own validator then rejects as an "old version of the nbgrader metadata
    format": one copy-pasted test cell fails the whole submission."""
    last = {gid: cell for gid, cell in _nbgrader_cells(nb)}
    duplicated = []
    for gid, cell in _nbgrader_cells(nb):
        if cell is not last[gid]:
            del cell["metadata"]["nbgrader"]
            duplicated.append(gid)
    return sorted(set(duplicated))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _plural(items: list[str], one: str, many: str) -> str:
    quoted = ", ".join(repr(i) for i in items)
    return f"{one} {quoted}" if len(items) == 1 else f"{many} {quoted}"


def check_notebook(sub: Submission, release_nb: dict, source_nb: dict | None = None
                   ) -> Submission:
    """Check that the submitted notebook is a v4 notebook with the released nbgrader
    cells intact. Sets ``sub.problem`` (or adds ``sub.notes``). ``source_nb`` (the
    instructor's version) is accepted as unedited too: it is what a solution run submits."""
    who, path = sub.student, sub.notebook
    assert path is not None
    data = path.read_bytes()
    if not data.strip():
        sub.problem = (
            f"submission for {who} is an empty file ({path.name}, {len(data)} bytes); {RESUBMIT}"
        )
        return sub
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        sub.problem = (
            f"submission for {who} is not a valid notebook (not UTF-8 text, byte "
            f"{err.start}); {RESUBMIT}"
        )
        return sub
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        sub.problem = (
            f"submission for {who} is not a valid notebook (JSON error at line {err.lineno}: "
            f"{err.msg}); {RESUBMIT}"
        )
        return sub
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list) or "nbformat" not in raw:
        sub.problem = (
            f"submission for {who} is JSON but not a Jupyter notebook (no 'cells' list "
            f"or 'nbformat' field); {RESUBMIT}"
        )
        return sub
    version = raw.get("nbformat")
    if version != 4:
        sub.problem = (
            f"submission for {who} is in notebook format {version!r}, this course needs "
            f"format 4; open it in JupyterLab 4, save it, and resubmit (or {FRESH_COPY})"
        )
        return sub
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - nbformat raises several kinds
        detail = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        sub.problem = f"submission for {who} is not a valid notebook ({detail}); {RESUBMIT}"
        return sub

    duplicated = deduplicate(raw)
    if duplicated:
        sub.repaired = raw
        sub.notes.append(
            f"{_plural(duplicated, 'cell', 'cells')} appeared more than once (copy-pasted?); "
            f"the last copy was graded"
        )
    expected, got = graded_cells(release_nb), graded_cells(raw)
    missing = [gid for gid in expected if gid not in got]
    if missing:
        sub.problem = (
            f"submission for {who} is missing the graded "
            f"{_plural(missing, 'cell', 'cells')} (deleted, or their nbgrader metadata "
            f"removed); {FRESH_COPY}"
        )
        return sub
    unknown = [gid for gid in got if gid not in expected]
    changed = [
        f"{gid}.{key}"
        for gid, meta in expected.items()
        for key in PROTECTED
        if _norm(key, meta.get(key)) != _norm(key, got[gid].get(key))
    ]
    if unknown or changed:
        what = []
        if changed:
            what.append(f"changed {', '.join(changed)}")
        if unknown:
            what.append(f"unknown graded {_plural(unknown, 'cell', 'cells')}")
        sub.problem = (
            f"submission for {who} has tampered nbgrader metadata ({'; '.join(what)}); "
            f"{FRESH_COPY}"
        )
        return sub

    retyped = [gid for gid, meta in expected.items() if got[gid]["cell_type"] != meta["cell_type"]]
    if retyped:
        sub.notes.append(
            f"nbgrader turned {_plural(retyped, 'cell', 'cells')} back into "
            f"{expected[retyped[0]]['cell_type']} cells"
        )
    originals = graded_cells(source_nb or {})
    edited = [
        gid for gid, meta in expected.items()
        if meta.get("locked") and not meta.get("solution")
        and got[gid]["source"] not in (meta["source"], originals.get(gid, {}).get("source"))
    ]
    if edited:
        sub.notes.append(
            f"read-only {_plural(edited, 'cell', 'cells')} had been edited; nbgrader graded "
            f"the original"
        )
    return sub


def _norm(key: str, value):
    if key == "points":
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    if key == "task":
        return bool(value)
    return value
