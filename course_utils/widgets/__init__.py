"""The course's explorers: controls that retrain the learner's own functions and redraw.

Each is a thin subclass of `base.Explorer` (which owns layout, cancelling runs, never-raise,
status, keyword notes and the static image) that declares: FUNCTIONS, the learner's functions
it needs; DEFAULTS, its settings, and `make_controls` for those a learner moves, laid out in
COLUMNS; KEYWORDS, extension keywords those controls need; its training `start` (the first
calls `check`ed against their contracts, `learner_code`), `step` and `end`; and its panels
(SIZE, BOXES, `build`, `draw`; `frame`). Weeks: `learning_rate` (1), `playground` (2),
`depth` (3); a new week adds one such module.
"""

from .base import Explorer, Keyword, Run
from .depth import DepthExplorer, depth_explorer
from .learning_rate import LearningRateExplorer, learning_rate_explorer
from .playground import Playground, playground

__all__ = ["DepthExplorer", "Explorer", "Keyword", "LearningRateExplorer", "Playground", "Run",
           "depth_explorer", "learning_rate_explorer", "playground"]
