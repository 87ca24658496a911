"""Week 2's Playground, where the notebooks import it (it lives in `widgets`)."""

from .widgets.playground import FUNCTIONS, Playground, playground  # noqa: F401
