"""JupyterLab settings the course installs into its environment.

JupyterLab 4.6 with ipykernel 7 runs widget callbacks on a second kernel thread
(``commsOverSubshells: "perCommTarget"``); a callback that draws a matplotlib figure while
a cell draws too gives a blank plot. The override turns that off for this environment only:
``<sys.prefix>/share/jupyter/lab/settings/overrides.json`` (merged, other keys kept).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from .course import CourseError

PLUGIN = "@jupyterlab/apputils-extension:kernels-settings"
# The course runs offline: no "Would you like to get notified about Jupyter news?" pop-up,
# which would also try to reach the internet.
NEWS_PLUGIN = "@jupyterlab/apputils-extension:notification"
OVERRIDES = {PLUGIN: {"commsOverSubshells": "disabled"}, NEWS_PLUGIN: {"fetchNews": "false"}}


def overrides_path(prefix: str | Path | None = None) -> Path:
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def merge(base: dict, extra: dict) -> dict:
    """``base`` updated with ``extra``, recursively for nested dicts."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def install(prefix: str | Path | None = None) -> tuple[Path, bool]:
    """Merge the course's overrides into overrides.json; return (path, changed)."""
    path = overrides_path(prefix)
    current: dict = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        try:
            current = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as err:
            raise CourseError(
                f"{path} is not valid JSON (line {err.lineno}: {err.msg}); fix or delete it "
                f"and run `python -m autograder install-lab-settings` again"
            ) from err
        if not isinstance(current, dict):
            raise CourseError(f"{path} must hold a JSON object; fix or delete it")
    wanted = merge(current, OVERRIDES)
    if wanted == current and path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".overrides-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(wanted, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path, True
