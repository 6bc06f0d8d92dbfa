"""Each rubric belongs to a hand-graded cell of source/ and its criteria add up to that
cell's points, with an example at every level."""

from __future__ import annotations

import json
from pathlib import Path

from course.grading import rubric

SOURCE = Path(__file__).resolve().parents[1] / "source"


def hand_graded_cells() -> dict[str, float]:
    """Points of every hand-graded answer cell in source/, by grade_id."""
    found = {}
    for path in SOURCE.glob("*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            grading = cell.get("metadata", {}).get("nbgrader", {})
            if grading.get("solution") and grading.get("grade"):
                found[grading["grade_id"]] = grading["points"]
    return found


def test_every_rubric_matches_its_cells_points():
    cells = hand_graded_cells()
    assert rubric.rubrics(), "no rubric"
    for grade_id, found in rubric.rubrics().items():
        assert found["points"] == cells.get(grade_id), grade_id


def test_every_hand_graded_cell_has_a_rubric_with_an_example_at_each_level():
    assert set(hand_graded_cells()) <= set(rubric.rubrics())
    for found in rubric.rubrics().values():
        for criterion in found["criteria"]:
            points = sorted(level["points"] for level in criterion["levels"])
            assert points[0] == 0 and points[-1] == criterion["points"], criterion["name"]
            assert all(level["example"] and level["means"] for level in criterion["levels"])


def test_the_rubric_is_escaped_html():
    page = rubric.html("capstone_architecture")
    assert "course-rubric" in page and "&#34;" in page and "<script" not in page
