"""Visible checks for week 6 (sequence models), one module per section of the notebook.

Each section module declares its exercises on the shared `WEEK`; importing them here in
notebook order fills `CHECKS` and gives the learner `checks.check_<name>` for every graded
function.
"""

import importlib

from ..exercise import Week

WEEK = Week("week6")
SECTIONS = ("rnn", "language_model", "gru", "lstm", "embeddings", "attention")
for _section in SECTIONS:
    importlib.import_module(f".{_section}", __name__)

CHECKS = WEEK.exercises
globals().update({f"check_{name}": exercise for name, exercise in CHECKS.items()})
__all__ = ["CHECKS", "SECTIONS", "WEEK", *(f"check_{name}" for name in CHECKS)]
