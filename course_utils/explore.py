"""Week 1's learning-rate explorer, where the notebooks import it (it lives in `widgets`)."""

from .widgets.learning_rate import LearningRateExplorer, learning_rate_explorer  # noqa: F401
