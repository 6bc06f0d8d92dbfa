"""Scoring rules for graded answers: each item scores by the rules of the kind it declares."""

from __future__ import annotations

import pytest

from course import scoring

SINGLE, MULTIPLE, MATRIX = "cp-01-rds-engine", "cp-01-customer-side", "cp-01-webshop-matrix"


@pytest.mark.parametrize(("item", "key", "answer", "expected"), [
    (SINGLE, "AWS", "AWS", 1.0),
    (SINGLE, "AWS", "Customer", 0.0),
    (SINGLE, "AWS", None, 0.0),
    (MULTIPLE, ["a", "b", "c"], ["a", "b"], 2 / 3),
    (MULTIPLE, ["a", "b", "c"], ["a", "b", "x"], 1 / 3),
    (MULTIPLE, ["a", "b"], ["x", "y", "a"], 0.0),
    (MATRIX, {"r1": "AWS", "r2": "Customer"}, {"r1": "AWS"}, 0.5),
    (MATRIX, {"r1": "AWS", "r2": "N/A"}, {"r1": "AWS", "r2": "N/A"}, 1.0),
])
def test_fraction(item, key, answer, expected):
    assert scoring.fraction(item, key, answer) == pytest.approx(expected)


def test_the_declared_kind_decides_not_the_key():
    """A single-answer item whose key happens to be the word 'complete' is not a capstone."""
    assert scoring.fraction(SINGLE, "complete", "complete") == 1.0
    assert scoring.fraction(SINGLE, "complete", "AWS") == 0.0


def test_points_are_a_plain_float_within_the_cell_points():
    score = scoring.points(MULTIPLE, ["a", "b", "c"], ["a", "b"], 2)
    assert type(score) is float and score == 1.3333
    assert scoring.points(SINGLE, "AWS", "AWS", 1) == 1.0
