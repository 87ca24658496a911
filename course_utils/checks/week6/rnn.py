"""Visible checks of week 6's rnn section (being written)."""

from . import WEEK  # noqa: F401
