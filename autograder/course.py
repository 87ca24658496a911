"""Where the course lives, its nbgrader configuration, and which assignments exist.

Every other module takes a :class:`Course`, so the same code runs on the repo and on a
throw-away course in a temporary folder (the tests build one with :mod:`autograder.toy`).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import logging
import os
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"
ASSIGNMENT_GLOB = "week*"
# An assignment being written carries this file in its source folder (its text says what is
# left): until it is removed, the assignment is not graded, run as a notebook test or walked in
# the browser, while its parts (checks, given code, data) are tested on their own; `release`
# still builds its student version, which those tests read.
DRAFT_FILE = "DRAFT"
# Files and folders that are never part of an assignment (nbgrader's defaults, and DRAFT).
IGNORED = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", DRAFT_FILE]


class CourseError(Exception):
    """A problem the instructor can fix; the message says how."""


def repo_root() -> Path:
    """The course repository: $COURSE_ROOT, else the checkout this package is installed
    from (editable install), else the current folder if it holds a nbgrader_config.py."""
    env = os.environ.get("COURSE_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / CONFIG_FILE).is_file():
        return here
    cwd = Path.cwd().resolve()
    if (cwd / CONFIG_FILE).is_file():
        return cwd
    raise CourseError(
        f"cannot find the course: no {CONFIG_FILE} next to the autograder package or in "
        f"{cwd}; run from the repo root or set COURSE_ROOT=/path/to/repo"
    )


def load_config(config_file: Path | None) -> Config:
    """Load an nbgrader_config.py into a traitlets Config (an empty one if None)."""
    if config_file is None:
        return Config()
    config_file = Path(config_file)
    loader = PyFileConfigLoader(config_file.name, path=str(config_file.parent))
    return loader.load_config()


@dataclass
class Course:
    """An nbgrader course tree: ``root/<source_dir>/<assignment>/<assignment>.ipynb``."""

    root: Path
    config: Config = field(default_factory=Config)
    assignment_glob: str = ASSIGNMENT_GLOB

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        # Paths always follow `root`, whatever the config file computed.
        self.config.CourseDirectory.root = str(self.root)

    @classmethod
    def load(cls, root: Path | None = None, config_file: Path | None = None) -> Course:
        """The course at ``root`` (default: the repo) with its nbgrader_config.py
        (default: ``root/nbgrader_config.py``, else the repo's)."""
        root = Path(root).resolve() if root else repo_root()
        if config_file is None:
            for candidate in (root / CONFIG_FILE, _package_repo() / CONFIG_FILE):
                if candidate.is_file():
                    config_file = candidate
                    break
        return cls(root=root, config=load_config(config_file))

    # -- layout --------------------------------------------------------------------------
    def _dir_name(self, trait: str, default: str) -> str:
        value = self.config.CourseDirectory.get(trait)
        return value if isinstance(value, str) and value else default

    @property
    def source_dir(self) -> Path:
        return self.root / self._dir_name("source_directory", "source")

    @property
    def release_dir(self) -> Path:
        return self.root / self._dir_name("release_directory", "release")

    @property
    def course_id(self) -> str:
        value = self.config.CourseDirectory.get("course_id")
        return value if isinstance(value, str) else ""

    def source_notebook(self, assignment: str) -> Path:
        return self.source_dir / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        return self.release_dir / assignment / f"{assignment}.ipynb"

    def assignments(self) -> list[str]:
        """Assignment folders in the source directory that hold ``<name>/<name>.ipynb`` and
        no DRAFT file, sorted naturally (week2 before week10)."""
        return [name for name in self._sources() if not self.is_draft(name)]

    def drafts(self) -> list[str]:
        """Assignments still being written: their source folder holds a DRAFT file."""
        return [name for name in self._sources() if self.is_draft(name)]

    def is_draft(self, assignment: str) -> bool:
        return (self.source_dir / assignment / DRAFT_FILE).is_file()

    def _sources(self) -> list[str]:
        if not self.source_dir.is_dir():
            return []
        found = [
            p.name
            for p in self.source_dir.glob(self.assignment_glob)
            if p.is_dir() and (p / f"{p.name}.ipynb").is_file()
        ]
        return sorted(found, key=natural_key)

    def resolve_assignments(self, names: list[str] | None, *, drafts: bool = False) -> list[str]:
        """The requested assignments (all if none), checked to exist; drafts among them only
        when `drafts` (releasing builds a draft's student version, grading refuses it)."""
        known = self.assignments() + (self.drafts() if drafts else [])
        if not names:
            if not known:
                raise CourseError(
                    f"no assignments found: expected {self.source_dir}/"
                    f"{self.assignment_glob}/<name>.ipynb"
                )
            return known
        missing = [n for n in names if n not in known]
        if not drafts and (unfinished := [n for n in missing if self.is_draft(n)]):
            raise CourseError(
                f"{', '.join(unfinished)} is still being written (its source folder holds a "
                f"{DRAFT_FILE} file, which says what is left): it cannot be graded yet"
            )
        if missing:
            raise CourseError(
                f"unknown assignment(s) {', '.join(missing)}; "
                f"known: {', '.join(known) or 'none'} (in {self.source_dir})"
            )
        return list(names)

    def with_root(self, root: Path, **course_directory: str) -> Course:
        """A copy of this course's config for another tree (e.g. a private grading tree)."""
        config = copy.deepcopy(self.config)  # Config.merge would share sub-sections
        for key, value in course_directory.items():
            config.CourseDirectory[key] = value
        return Course(root=root, config=config, assignment_glob=self.assignment_glob)


def natural_key(name: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _package_repo() -> Path:
    return Path(__file__).resolve().parent.parent


# -- running nbgrader quietly -------------------------------------------------------------
def nbgrader_logger(name: str = "autograder.nbgrader") -> logging.Logger:
    """A logger for nbgrader's converters that prints nothing by itself: every run
    attaches its own handler (see :func:`capture`)."""
    log = logging.getLogger(name)
    log.propagate = False
    log.setLevel(logging.INFO)
    return log


@contextlib.contextmanager
def quiet_nbgrader() -> Iterator[None]:
    """The environment nbgrader needs, minus the noise and the waiting.

    * nbgrader's Gradebook runs the ``alembic heads`` *executable* each time it creates a
      database (seconds, and it fails when the venv is not activated). The same answer
      comes from alembic's Python API in-process: nbgrader is pointed at that, and as a
      fallback this interpreter's bin folder is put first on PATH.
    * SQLAlchemy 2.1 makes nbgrader's models emit SAWarnings; they say nothing about the
      course (scores are right), so they are filtered, as is deprecation noise.
    """
    _use_inprocess_alembic()
    bindir = str(Path(sys.executable).parent)
    old_path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([bindir, old_path]) if old_path else bindir
    try:
        with _no_warnings():
            yield
    finally:
        os.environ["PATH"] = old_path


@functools.cache
def _alembic_head() -> str:
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def _use_inprocess_alembic() -> None:
    import nbgrader.api

    if getattr(nbgrader.api.get_alembic_version, "in_process", False):
        return
    try:
        _alembic_head()
    except Exception:  # noqa: BLE001 - keep nbgrader's own (subprocess) version
        return

    def get_alembic_version() -> str:
        return _alembic_head()

    get_alembic_version.in_process = True
    nbgrader.api.get_alembic_version = get_alembic_version


@contextlib.contextmanager
def _no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        try:
            from sqlalchemy.exc import SAWarning

            warnings.simplefilter("ignore", SAWarning)
        except ImportError:  # pragma: no cover
            pass
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        yield


def capture(converter) -> tuple[bool, str]:
    """Run an nbgrader converter; return (success, log text incl. any traceback).

    Never trusts an exit status: a converter signals failure by raising."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    converter.log.addHandler(handler)
    ok = True
    try:
        with quiet_nbgrader():
            converter.start()
    except Exception:  # noqa: BLE001 - nbgrader raises many kinds; all mean "failed"
        import traceback

        ok = False
        buffer.write(traceback.format_exc())
    finally:
        converter.log.removeHandler(handler)
    return ok, buffer.getvalue()
