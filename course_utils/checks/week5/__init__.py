"""Visible checks for week 5 (convolutional networks), one module per section of the notebook.

Each section module declares its exercises on the shared `WEEK`; importing them here in
notebook order fills `CHECKS` and gives the learner `checks.check_<name>` for every graded
function (and `checks.compare_with_loop`, which races a learner's fast versions against their
own loop versions).
"""

import importlib

from ..exercise import Week

WEEK = Week("week5")
SECTIONS = ("convolution", "pooling", "fast", "applications")
for _section in SECTIONS:
    importlib.import_module(f".{_section}", __name__)

from .fast import compare_with_loop  # noqa: E402  (after the sections, which fill WEEK)

CHECKS = WEEK.exercises
globals().update({f"check_{name}": exercise for name, exercise in CHECKS.items()})
__all__ = ["CHECKS", "SECTIONS", "WEEK", "compare_with_loop",
           *(f"check_{name}" for name in CHECKS)]
