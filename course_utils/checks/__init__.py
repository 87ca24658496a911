"""Visible checks: `from course_utils.checks import week1 as checks; checks.check_sigmoid(sigmoid)`.
In IPython a failed check shows only its message (`CheckFailed._render_traceback_`), but it is
still an error output, so nbgrader scores that test cell 0.

A week's checks module, `checks/weekN.py`, provides `WEEK = Week("weekN")`, then per graded
function in notebook order `@WEEK.exercise("<api.md's signature>", cases, seed=..., hints=...)`
on the check of one case, `def check_<name>(check, case, output, expected)`, and at the end
`CHECKS = WEEK.exercises` (each one the learner's `check_<name>(fn)`). The signature lists the
keyword-only extensions after `*`; a case is a dict of fixed inputs named as in the signature
(classic parameters go by position, extensions by keyword unless at their default: the learner's
names do not matter); `seed` is set before every call (None: left alone); `hints` maps an error's
text or type to a hint (the extensions get theirs). The body compares one output with its expected
value through `Check` (core.py), the shared `diagnoses` and `case` (an `exercise.Case`); `cases`
builds fixed inputs. `python -m autograder expected` generates the expected values from the
solution notebook into `course_utils/expected/weekN.json`."""

from .core import Check, CheckFailed

__all__ = ["Check", "CheckFailed"]
