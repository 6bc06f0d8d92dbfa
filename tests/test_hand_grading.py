"""The capstone's hand-graded justifications reach a grader however the student answered."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from course_copy import CourseCopy
from nbgrader.api import Gradebook
from test_capstone import complete

from course import capstone, records

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "10-capstone"
HAND_GRADED = "capstone_architecture"


def built_in_the_widget(release: dict) -> dict:
    """The release notebook as saved after building the architecture in the builder: every
    code cell as released, the recorded architecture in the share cell's output."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "share_architecture":
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": records.bundle(capstone.ITEM, complete(), at=1.0)}]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    course.submit("builder", ASSIGNMENT, built_in_the_widget(release))
    course.submit("blank", ASSIGNMENT, release)
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    return course


def hand_graded(course: CourseCopy, student: str) -> tuple[float | None, bool]:
    with Gradebook(f"sqlite:///{Path(course.root) / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        (grade,) = [g for g in notebook.grades if g.name == HAND_GRADED]
        return grade.auto_score, grade.needs_manual_grade


def test_an_architecture_built_in_the_widget_waits_for_a_grader(graded: CourseCopy):
    """Does a builder-only student's untouched answer cell go to a grader, not score 0?"""
    assert hand_graded(graded, "builder") == (None, True)
    assert graded.cell_scores("builder", ASSIGNMENT)["test_architecture_complete"] == 4.0


def test_a_blank_capstone_still_scores_zero_without_a_grader(graded: CourseCopy):
    """Does a notebook with no architecture at all keep nbgrader's 'no response' zero?"""
    assert hand_graded(graded, "blank") == (0.0, False)
