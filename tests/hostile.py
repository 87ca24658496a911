"""Submissions that try to earn points their code does not: one per way of cheating the tests.

Each is an answer cell's code. test_hostile grades them with nbgrader's own Execute (tests in
the kernel, where each steals points) and with the course's TrustedExecute (where none does).
"""

# Replaces the course helper the toy's tests compare with; sigmoid is wrong (always 0.5).
PATCHES_THE_CHECKS = """\
import math
import toy_helpers

toy_helpers.close = close = lambda *args, **kwargs: True


def sigmoid(z):
    return 0.5"""

# Wraps every later cell, the test cells too, in try/except: no test can fail.
SWALLOWS_EXCEPTIONS = """\
def _swallow(lines):
    return ["try:\\n", *("    " + line for line in lines), "\\n",
            "except BaseException:\\n", "    pass\\n"]


get_ipython().input_transformers_post.append(_swallow)


def sigmoid(z):
    return 0.5"""

# Finds the instructor's notebook on the machine and runs its answers as its own.
IMPORTS_THE_ANSWERS = """\
import json
import pathlib

_source = pathlib.Path.cwd().parents[2] / "source" / "week0" / "week0.ipynb"
exec("\\n".join("".join(c["source"]) for c in json.loads(_source.read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("solution")), globals())"""

# Takes a function of the same name from the course's own code (it is on the machine).
IMPORTS_A_GRADED_NAME = "from course_utils.activations import relu"

# Week 1, as in the issue: numpy's comparisons and the course's checks replaced at the top of
# the first answer cell.
PATCHES_NUMPY = """\
import math as _math

import numpy as _np

_yes = lambda *args, **kwargs: True  # noqa: E731
_np.allclose = _np.isclose = _np.array_equal = _np.array_equiv = _math.isclose = _yes
_np.testing.assert_allclose = _np.testing.assert_array_equal = lambda *a, **k: None
_np.testing.assert_almost_equal = _np.testing.assert_array_almost_equal = lambda *a, **k: None
for _name in dir(checks):
    if _name.startswith("check_"):
        setattr(checks, _name, lambda *args, **kwargs: None)
"""

# Wrong everywhere (zeros shaped like the first argument): what each week 1 function of the
# cheating learner really does.
WRONG_BODY = "return 0 * np.asarray(next(iter(locals().values())), dtype=float)"

# Prints a flood of lines, and is right: graded as right (nbgrader trims the output).
FLOODS_THE_OUTPUT = """\
def relu(z):
    for i in range(20000):
        print("relu", i)
    return max(0.0, z)"""

# Ends the kernel in its answer cell.
EXITS_THE_KERNEL = """\
import os

os._exit(3)"""

# Reads what no submission may: the answers, the gradebook, the others' work, its own
# notebook as graded (hidden tests included). PATHS is filled in by the test; relu is right.
READS_THE_ANSWERS = """\
import pathlib

_out = pathlib.Path.cwd().parents[2]
for _path in [*PATHS, _out / "source" / "week0" / "week0.ipynb", _out / "gradebook.db",
              _out / "submitted" / "ola" / "week0" / "week0.ipynb",
              pathlib.Path.cwd() / "week0.ipynb"]:
    try:
        print("bytes read:", len(pathlib.Path(_path).read_bytes()), _path)
    except OSError as _error:
        print("bytes read: 0", _path, type(_error).__name__)


def relu(z):
    return max(0.0, z)"""

# Kills the process that started its kernel (the grader's worker).
KILLS_THE_GRADER = """\
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)"""

# Replaces the grader's agent in the kernel with one that answers nothing; relu is right.
REPLACES_THE_AGENT = """\
class _Nobody:
    def serve(self, address):
        pass


__course_grader__ = _Nobody()


def relu(z):
    return max(0.0, z)"""

# Ships a file named autograder.py beside the notebook, which the kernel would import instead
# of the grader's agent; relu is right.
SHADOWS_THE_AGENT = "def relu(z):\n    return max(0.0, z)"
SHADOW_FILE = "autograder.py"
