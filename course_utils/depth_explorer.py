"""Week 3's depth explorer, where the notebooks import it (it lives in `widgets`)."""

from .widgets.depth import FUNCTIONS, DepthExplorer, depth_explorer  # noqa: F401
from .widgets.depth_diagnosis import diagnose  # noqa: F401
