"""The course's explorers: controls that retrain the learner's own functions and redraw.

Each subclasses `base.Explorer` and declares its controls, the learner's functions with their
contracts (`learner_code`), its training step and its panels (`frame`), as base's docstring
says. Weeks: `learning_rate` (1), `playground` (2), `depth` (3), `optimizer_race` and
`regularization` (4).
"""

from .base import Explorer, Keyword, PlanarExplorer, Run
from .depth import DepthExplorer, depth_explorer
from .feature_maps import FeatureMapBrowser, feature_map_browser
from .filters import FilterExplorer, filter_explorer
from .learning_rate import LearningRateExplorer, learning_rate_explorer
from .optimizer_race import OptimizerRace, optimizer_race
from .playground import Playground, playground
from .regularization import RegularizationExplorer, regularization_explorer

__all__ = ["DepthExplorer", "Explorer", "FeatureMapBrowser", "FilterExplorer", "Keyword",
           "LearningRateExplorer", "OptimizerRace",
           "PlanarExplorer", "Playground", "RegularizationExplorer", "Run", "depth_explorer",
           "feature_map_browser", "filter_explorer",
           "learning_rate_explorer", "optimizer_race", "playground", "regularization_explorer"]
