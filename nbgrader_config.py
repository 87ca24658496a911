"""nbgrader configuration for the course (read by `nbgrader ...` run from the repo root,
by the formgrader, and by `python -m autograder`, which overrides the paths it needs).

The course layout is nbgrader's own, with its folder names pointed at the repo:
    solutions/<assignment>/<assignment>.ipynb   source (solutions + hidden tests)
    notebooks/<assignment>/<assignment>.ipynb   student release, generated and committed
Working state (gradebook, submitted/, autograded/, feedback/) is git-ignored.
"""

import os

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

# --- Where things are -------------------------------------------------------------------
c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dl-from-scratch"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# The gradebook is git-ignored at the repo root; set COURSE_GRADEBOOK to keep it elsewhere.
c.CourseDirectory.db_url = "sqlite:///" + os.path.abspath(
    os.path.expanduser(os.environ.get("COURSE_GRADEBOOK", os.path.join(HERE, "gradebook.db")))
)

# One-machine exchange owned by the course (nbgrader's default is a system folder).
c.Exchange.root = os.path.abspath(
    os.path.expanduser(os.environ.get("COURSE_EXCHANGE", "~/.local/share/dl-course/exchange"))
)

# --- What students get ------------------------------------------------------------------
# The stub left where a solution was. No "TODO": learners read "YOUR CODE HERE", and a cell
# that calls an unwritten function ends in a line that says what to do.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("replace this line with your code")',
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Outputs are cleared in the release; also drop per-run cell metadata so the release
# is the same bytes on every run (JupyterLab records execution timings here).
c.ClearOutput.remove_metadata_fields = {"collapsed", "scrolled", "execution", "ExecuteTime"}

# --- How submissions are run ------------------------------------------------------------
# Seconds per cell (nbgrader's default is 30). Notebooks skip interactive and long cells
# when NBGRADER_EXECUTION is set, so a cell that takes a minute is a student's infinite loop.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.kernel_name = "python3"
# ipykernel 7 warns on every start that TCP is unencrypted; let jupyter_client provision
# CurveZMQ keys when the kernelspec supports them (python3 does), which also silences it.
try:
    import zmq

    if zmq.has("curve"):  # "auto" is refused by jupyter_client without CurveZMQ
        c.KernelManager.transport_encryption = "auto"
except ImportError:
    pass

# Test cells run in the grader's process, not in the kernel the learner's code ran in: an
# answer cell cannot replace the comparisons or the checks the tests use (autograder/trusted.py).
try:
    from autograder.trusted import configure as _trusted

    _trusted(c)
except ImportError as _missing:  # the course is not installed: nbgrader's own Execute
    import sys

    print(f"nbgrader_config.py: test cells run in the kernel ({_missing}); install the course "
          "with `make lab`", file=sys.stderr)

# Timestamps shown by the formgrader.
c.NbGraderAPI.timezone = "UTC"

# --- What feedback shows ----------------------------------------------------------------
# Hidden tests stay hidden (their code, and tracebacks quoting it), and the math renders
# from the file alone: MathJax is inlined instead of loaded from a CDN (autograder/feedback.py).
try:
    from autograder.feedback import configure as _feedback

    _feedback(c)
except ImportError as _missing:  # the course is not installed: nbgrader's own feedback
    import sys

    print(f"nbgrader_config.py: the course's feedback settings are off ({_missing}); "
          "install the course with `make lab`", file=sys.stderr)
