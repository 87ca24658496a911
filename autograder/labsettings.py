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


def kernel_spec_path(prefix: str | Path | None = None) -> Path:
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"


def kernel_env() -> dict[str, str]:
    """Environment of the course kernel: numpy's OpenBLAS keeps one core free, and glibc keeps
    the memory of freed arrays.

    OpenBLAS starts one busy-waiting thread per core; the kernel shares the cores with
    JupyterLab and the browser. Measured on 2 cores (300 logistic-regression iterations on
    the week 1 images): 0.9 s with 2 threads on an idle machine, but 4.5 to 8 s when another
    process kept one core busy, against 1.3 to 2.6 s with 1 thread. Capping threads at run
    time (threadpoolctl) did not help: the variable must be set before numpy loads.

    glibc hands arrays over 128 KB back to the system when they are freed, so a training step
    that makes a few arrays of megabytes (week 5's windows matrices) page-faults them in again
    every time: a fresh process took 14.3 ms for the first conv layer's forward and backward on
    a mini-batch, 8.1 ms with these two settings (the same as after a long training run, once
    glibc's own thresholds have grown). Memory the kernel freed stays in it, up to 1 GB.
    """
    return {"OPENBLAS_NUM_THREADS": str(max(1, (os.cpu_count() or 1) - 1)),
            "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(2**30)}


def install_kernel_env(prefix: str | Path | None = None) -> tuple[Path, bool]:
    """Adds `kernel_env()` to the environment's python3 kernel spec (used by JupyterLab,
    nbclient and nbgrader alike); returns (path, changed)."""
    path = kernel_spec_path(prefix)
    if not path.exists():
        from ipykernel.kernelspec import write_kernel_spec

        write_kernel_spec(path.parent)
    spec = json.loads(path.read_text(encoding="utf-8"))
    env = {**spec.get("env", {}), **kernel_env()}
    if spec.get("env") == env:
        return path, False
    spec["env"] = env
    path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return path, True


def install(prefix: str | Path | None = None) -> tuple[Path, bool]:
    """Merge the course's overrides into overrides.json and set the kernel's environment;
    return (overrides path, changed)."""
    install_kernel_env(prefix)
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
