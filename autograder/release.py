"""Generate the student release (``notebooks/<a>/``) from the source (``solutions/<a>/``).

nbgrader's GenerateAssignment does the work (strip solutions and hidden tests, lock and
checksum cells). It runs in a private temporary course tree with its own gradebook, so a
release never touches the instructor's gradebook and a failed run leaves ``notebooks/``
as it was. The result is then compared with, or copied over, the committed release.

Determinism: nbgrader's output depends only on the source notebook, except that nbformat
invents random cell ids when the source (format 4.5) has cells without one. The source
copy given to nbgrader gets stable ids first (see :func:`normalise_source`).
"""

from __future__ import annotations

import filecmp
import fnmatch
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .course import IGNORED, Course, CourseError, capture, nbgrader_logger


class ReleaseError(CourseError):
    pass


def _ignored(rel: Path) -> bool:
    return any(fnmatch.fnmatch(part, pat) for part in rel.parts for pat in IGNORED)


def tree_files(folder: Path) -> dict[str, Path]:
    """Files under ``folder`` (relative posix path -> path), minus nbgrader's ignores."""
    if not folder.is_dir():
        return {}
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not _ignored(rel):
            files[rel.as_posix()] = path
    return files


def normalise_source(text: str) -> str:
    """Give every cell of a format-4.5 notebook a stable id (nbformat would invent a
    random one), so the release is the same bytes on every run."""
    nb = json.loads(text)
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) < (4, 5):
        return text
    cells = nb.get("cells", [])
    if all(isinstance(c, dict) and c.get("id") for c in cells):
        return text
    taken = {c.get("id") for c in cells if isinstance(c, dict) and c.get("id")}
    for index, cell in enumerate(cells):
        if cell.get("id"):
            continue
        candidate, n = f"cell-{index}", 0
        while candidate in taken:
            n += 1
            candidate = f"cell-{index}-{n}"
        cell["id"] = candidate
        taken.add(candidate)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def copy_source(course: Course, assignment: str, tree: Course) -> Path:
    """Copy ``course``'s source of ``assignment`` into ``tree`` (normalised)."""
    src = course.source_dir / assignment
    dest = tree.source_dir / assignment
    if dest.exists():
        shutil.rmtree(dest)
    for rel, path in tree_files(src).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel == f"{assignment}.ipynb":
            target.write_text(normalise_source(path.read_text(encoding="utf-8")),
                              encoding="utf-8")
        else:
            shutil.copyfile(path, target)
    return dest


def private_tree(course: Course, root: Path) -> Course:
    """An nbgrader course tree at ``root`` with the course's config, nbgrader's default
    folder names (source/, release/, submitted/, autograded/, feedback/) and its own
    gradebook ``root/gradebook.db``."""
    root = Path(root).resolve()
    return course.with_root(
        root,
        source_directory="source",
        release_directory="release",
        db_url=f"sqlite:///{root / 'gradebook.db'}",
    )


def generate_assignment(tree: Course, assignment: str) -> str:
    """Run nbgrader's GenerateAssignment in ``tree`` (source already there). Returns the
    log; raises ReleaseError with nbgrader's error when it fails."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    log = nbgrader_logger()
    coursedir = CourseDirectory(config=tree.config, log=log)
    coursedir.assignment_id = assignment
    converter = GenerateAssignment(coursedir=coursedir, config=tree.config, log=log)
    converter.force = True
    converter.create_assignment = True
    ok, text = capture(converter)
    notebook = tree.release_notebook(assignment)
    if not ok or not notebook.is_file():
        raise ReleaseError(
            f"nbgrader could not generate the release of {assignment}: "
            f"{last_error(text)}\n--- nbgrader log ---\n{text}"
        )
    return text


def last_error(log: str) -> str:
    """The most telling line of an nbgrader log/traceback."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    for line in reversed(lines):
        if line.startswith(("nbgrader.", "[ERROR] Please see")):
            continue
        if ("Error" in line or "Exception" in line) and not line.startswith("File "):
            return line.removeprefix("[ERROR] ")
    return lines[-1] if lines else "no log"


def build(course: Course, assignment: str, workdir: Path) -> Path:
    """Generate the release of ``assignment`` under ``workdir``; return its folder."""
    tree = private_tree(course, workdir)
    copy_source(course, assignment, tree)
    generate_assignment(tree, assignment)
    return tree.release_dir / assignment


@dataclass
class Difference:
    path: Path  # in the committed release
    problem: str  # "differs", "missing", "not in the release"

    def __str__(self) -> str:
        return f"{self.path} ({self.problem})"


def compare(generated: Path, committed: Path) -> list[Difference]:
    new, old = tree_files(generated), tree_files(committed)
    diffs = []
    for rel in sorted(set(new) | set(old)):
        if rel not in old:
            diffs.append(Difference(committed / rel, "missing"))
        elif rel not in new:
            diffs.append(Difference(committed / rel, "not in the release"))
        elif not filecmp.cmp(new[rel], old[rel], shallow=False):
            diffs.append(Difference(committed / rel, "differs"))
    return diffs


def sync(generated: Path, committed: Path, diffs: list[Difference]) -> None:
    for diff in diffs:
        rel = diff.path.relative_to(committed)
        if diff.problem == "not in the release":
            diff.path.unlink()
        else:
            diff.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(generated / rel, diff.path)


def release(course: Course, assignments: list[str] | None = None, *,
            check: bool = False) -> list[Difference]:
    """Regenerate (or with ``check``, only compare) the committed release of each
    assignment. Returns the differences found (after a non-check run they are fixed)."""
    names = course.resolve_assignments(assignments, drafts=True)
    found: list[Difference] = []
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"release-{name}-") as tmp:
            generated = build(course, name, Path(tmp))
            committed = course.release_dir / name
            diffs = compare(generated, committed)
            if not check:
                sync(generated, committed, diffs)
            found.extend(diffs)
    return found


def orphans(course: Course) -> list[Path]:
    """Release folders without a source (reported, never deleted)."""
    if not course.release_dir.is_dir():
        return []
    known = set(course.assignments()) | set(course.drafts())
    return sorted(
        p for p in course.release_dir.glob(course.assignment_glob)
        if p.is_dir() and p.name not in known and any(p.glob("*.ipynb"))
    )
