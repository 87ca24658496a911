"""Visible checks of week 6's attention section (being written)."""

from . import WEEK  # noqa: F401
