"""The course's explorers: controls that retrain the learner's own functions and redraw.

Each subclasses `base.Explorer`, declaring what base's docstring lists. Weeks: `learning_rate`
(1), `playground` (2), `depth` (3), `optimizer_race` and `regularization` (4), `filters` and
`feature_maps` (5), `memory`, `names` and `hidden_state` (6)."""

from .base import Explorer, Keyword, PlanarExplorer, Run
from .depth import DepthExplorer, depth_explorer
from .feature_maps import FeatureMapBrowser, feature_map_browser
from .filters import FilterExplorer, filter_explorer
from .hidden_state import HiddenStateViewer, hidden_state_viewer
from .learning_rate import LearningRateExplorer, learning_rate_explorer
from .memory import GradientExplorer, gradient_explorer
from .names import NamesGenerator, names_generator
from .optimizer_race import OptimizerRace, optimizer_race
from .playground import Playground, playground
from .regularization import RegularizationExplorer, regularization_explorer

__all__ = ["DepthExplorer", "Explorer", "FeatureMapBrowser", "FilterExplorer", "Keyword",
           "LearningRateExplorer", "OptimizerRace", "PlanarExplorer", "Playground", "Run",
           "RegularizationExplorer", "depth_explorer", "feature_map_browser", "filter_explorer",
           "learning_rate_explorer", "optimizer_race", "playground", "regularization_explorer",
           "GradientExplorer", "HiddenStateViewer", "NamesGenerator", "gradient_explorer",
           "hidden_state_viewer", "names_generator"]
