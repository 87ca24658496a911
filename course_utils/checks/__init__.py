"""Visible checks: `from course_utils.checks import week1 as checks; checks.check_sigmoid(sigmoid)`.

Inside IPython a failed check shows only its message (no traceback through this package), but
it is still an error output, so nbgrader scores that test cell 0.
"""

from .core import Check, CheckFailed

__all__ = ["Check", "CheckFailed"]


def _show_failure(shell, etype, value, tb, tb_offset=None):
    lines = [f"\x1b[1;31m✗ {line}\x1b[0m" if i == 0 else f"\x1b[31m  {line}\x1b[0m"
             for i, line in enumerate(str(value).splitlines())]
    shell._showtraceback(etype, value, lines)
    return lines


def _install_ipython_handler() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((CheckFailed,), _show_failure)


_install_ipython_handler()
