"""Kernels that cannot read what a submission must not see: the answers, the gradebook, the
other students' files.

`SandboxedKernelManager` starts each kernel under bubblewrap (`bwrap`, Debian's `bubblewrap`)
in mount and process namespaces of its own, with no capabilities: every path in `hide` is
an empty folder (or an empty file) there, except the kernel's own working folder and its
connection file, bound back in; the kernel sees no other process. `python -m autograder grade`
sets it up (grade.sandbox_config) with `hide` = the course's source folder, the grading tree,
the submissions folder and Jupyter's runtime folder (the other kernels' connection files).
Interrupts go as messages (`interrupt_mode` "message"): a signal would reach bwrap, not the kernel.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import List, Unicode

BWRAP = "bwrap"


def available() -> str | None:
    """Why kernels cannot be sandboxed here, or None if they can."""
    bwrap = shutil.which(BWRAP)
    if bwrap is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    return None


def wrap(cmd: list[str], hide: list[str], cwd: Path, keep: list[Path]) -> list[str]:
    """`cmd` run by bwrap: `hide` emptied, `cwd` and the files `keep` bound back in, the
    notebooks in `cwd` emptied."""
    args = [shutil.which(BWRAP) or BWRAP, "--dev-bind", "/", "/", "--unshare-pid",
            "--proc", "/proc", "--die-with-parent", "--cap-drop", "ALL",
            "--unsetenv", "JPY_PARENT_PID"]  # its parent is out of sight: --die-with-parent
    for path in dict.fromkeys(str(Path(p).resolve()) for p in hide):
        if os.path.isdir(path):
            args += ["--tmpfs", path]
        elif os.path.exists(path):
            args += ["--ro-bind", "/dev/null", path]
    for path in [cwd, *keep]:  # ipykernel writes its connection file again when it starts
        args += ["--bind", str(path), str(path)]
    for notebook in sorted(cwd.glob("*.ipynb")):  # the notebook being graded: hidden tests
        args += ["--ro-bind", "/dev/null", str(notebook)]
    return [*args, "--chdir", str(cwd), "--", *cmd]


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in bwrap (module docstring)."""

    hide = List(Unicode(), help="paths the kernel must not read").tag(config=True)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        why = available()
        if why is not None:
            raise RuntimeError(f"cannot sandbox the kernel: {why}")
        self.kernel_spec.interrupt_mode = "message"
        cwd = Path(self._launch_args.get("cwd") or os.getcwd()).resolve()
        return wrap(cmd, list(self.hide), cwd, [Path(self.connection_file).resolve()])
