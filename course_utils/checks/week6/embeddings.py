"""Visible checks of week 6's embeddings section (being written)."""

from . import WEEK  # noqa: F401
