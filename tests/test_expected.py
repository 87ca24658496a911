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


def test_a_cache_refers_to_its_inputs_and_the_numbers_keep_seven_digits():
    from course_utils.checks import week3
    from course_utils.checks.expected import RTOL, _load

    exercise = week3.CHECKS["linear_forward"]
    stored = _load("week3")["linear_forward"][1]
    assert stored == {"tuple": [stored["tuple"][0], {"tuple": ["@A", "@W", "@b"]}]}
    Z, cache = exercise.expected()[1]
    case = exercise.cases[1]
    assert all(np.array_equal(got, case[k]) for got, k in zip(cache, "AWb"))
    exact = case["W"] @ case["A"] + case["b"]
    assert np.allclose(Z, exact, rtol=RTOL, atol=0) and not np.array_equal(Z, exact)


def test_an_array_already_stored_for_the_function_is_a_reference():
    from course_utils.checks.expected import _arrays, decode, encode_outputs

    A = np.array([[0.5, 1 / 3]])
    cases = [{"x": A}, {"x": A * 2}]
    outputs = [(A.T, A * 3), {"same": A * 3, "new": np.array([True])}]
    stored = encode_outputs(cases, outputs)
    assert stored == [{"tuple": [{"@x": (2, 1)}, [[1.5, 1]]]},
                      {"same": "@#0/1", "new": {"bool": [True]}}]
    seen = dict(_arrays(cases[0]))
    first = decode(stored[0], "#0", seen)
    assert np.array_equal(first[0], A.T) and first[1].shape == (1, 2)
    seen.update(_arrays(cases[1]))
    assert np.array_equal(decode(stored[1], "#1", seen)["same"], first[1])
