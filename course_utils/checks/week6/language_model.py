"""Visible checks of week 6's language_model section (being written)."""

from . import WEEK  # noqa: F401
