"""Visible checks of week 6's lstm section (being written)."""

from . import WEEK  # noqa: F401
