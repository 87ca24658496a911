"""Visible checks of week 6's gru section (being written)."""

from . import WEEK  # noqa: F401
