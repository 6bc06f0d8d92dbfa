"""Rubrics of the hand-graded answer cells (``rubrics.toml``), shown where the grader grades:
under the cell on the formgrader's grading page, and so also in the student's feedback."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import pages

RUBRICS = Path(__file__).with_name("rubrics.toml")


@cache
def rubrics() -> dict[str, dict[str, Any]]:
    """Each rubric by the grade_id of its cell, with its total ``points``."""
    found = tomllib.loads(RUBRICS.read_text())
    for rubric in found.values():
        rubric["points"] = sum(criterion["points"] for criterion in rubric["criteria"])
    return found


def html(grade_id: str) -> str:
    """The rubric of ``grade_id`` as an HTML table."""
    return pages.render("rubric.html.j2", **rubrics()[grade_id])


class ShowRubric(NbGraderPreprocessor):
    """After execution in autograde: the rubric as an output of each hand-graded answer
    cell that has one (the formgrader renders the autograded notebook, outputs included)."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        grading = cell.metadata.get("nbgrader", {})
        grade_id = grading.get("grade_id")
        if grading.get("solution") and grading.get("grade") and grade_id in rubrics():
            cell.setdefault("outputs", []).append(new_output(
                "display_data", {"text/html": html(grade_id),
                                 "text/plain": rubrics()[grade_id]["title"]}))
        return cell, resources
