"""Scoring rules for graded answers."""

from __future__ import annotations

import pytest

from course import scoring


@pytest.mark.parametrize(("key", "answer", "expected"), [
    ("AWS", "AWS", 1.0),
    ("AWS", "Customer", 0.0),
    ("AWS", None, 0.0),
    (["a", "b", "c"], ["a", "b"], 2 / 3),
    (["a", "b", "c"], ["a", "b", "x"], 1 / 3),
    (["a", "b"], ["x", "y", "a"], 0.0),
    ({"r1": "AWS", "r2": "Customer"}, {"r1": "AWS"}, 0.5),
    ({"r1": "AWS", "r2": "Customer"}, "AWS", 0.0),
])
def test_fraction(key, answer, expected):
    assert scoring.fraction(key, answer) == pytest.approx(expected)


def test_points_are_a_plain_float_within_the_cell_points():
    score = scoring.points(["a", "b", "c"], ["a", "b"], 2)
    assert type(score) is float and score == 1.3333
    assert scoring.points("AWS", "AWS", 1) == 1.0
