"""The checks' expected values are generated from the solutions and never stale."""

from __future__ import annotations

import numpy as np

from autograder.expected import stale_weeks, weeks
from course_utils.checks.expected import decode, encode


def test_every_week_with_checks_has_fresh_expected_values():
    assert weeks(), "no week has both a solution notebook and a checks module"
    assert stale_weeks() == [], "run `python -m autograder expected` and commit the result"


def test_encoding_keeps_types_shapes_and_exact_values():
    value = ({"dw": np.array([[0.1], [1 / 3]]), "db": np.float64(-0.25)},
             [np.array(2.5), 1.0], True, "x", np.array([[True, False]]))
    back = decode(encode(value))
    assert isinstance(back, tuple) and isinstance(back[1], list)
    assert back[0]["dw"].shape == (2, 1) and back[0]["dw"][1, 0] == 1 / 3
    assert type(back[0]["db"]) is np.float64 and back[1][0].shape == ()
    assert back[4].dtype == bool
