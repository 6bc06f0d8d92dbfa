"""The feedback page's cells: the notebook's title and its graded part, each checkpoint
numbered as the page's score summary names it.

The rest of a notebook (the "Run All" banner, the tutor, practice, hand-in checks, the
"Next" button) is lesson, not feedback: beside the feedback file its widgets are empty and
its links lead nowhere. What is kept is decided by cell metadata, never by wording: the
``course-opening`` tag (the title is its heading line) and nbgrader's marks. The graded part
runs from the text cell that introduces the first graded cell (its heading line) to the last
graded cell, and holds its text and nbgrader's cells: not the course's helper code cells
between them (the "Answer in code instead" box, the capstone builder), which say nothing
after grading. An automatically graded item's answer cell keeps no outputs: they repeat the
question and the saved answer, which its card says with the result."""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from ..records import is_test

OPENING = "course-opening"
NUMBER = "course_checkpoint"
"""Cell metadata key: a test cell's checkpoint number on the page (1, 2, ...)."""


def graded(cell: Any) -> bool:
    """A cell nbgrader grades, automatically (a test) or by hand (a solution with points)."""
    marks = cell.get("metadata", {}).get("nbgrader", {})
    return isinstance(marks, dict) and bool(marks.get("grade") or marks.get("solution"))


def kept(cell: Any) -> bool:
    """In the graded part, a cell the page shows: text, or any cell nbgrader knows."""
    return cell.get("cell_type") == "markdown" or "nbgrader" in cell.get("metadata", {})


def heading(cell: Any) -> NotebookNode | None:
    """A text cell's heading line, as a cell of its own (its instructions are for the lesson)."""
    line = str(cell.get("source", "")).lstrip().split("\n", 1)[0]
    return new_markdown_cell(line) if line.startswith("#") else None


def title(cell: Any) -> NotebookNode | None:
    """The heading line of a ``course-opening`` cell."""
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.get("cell_type") != "markdown" or not isinstance(tags, list) or OPENING not in tags:
        return None
    return heading(cell)


class KeepGradedPart(NbGraderPreprocessor):
    """``GenerateFeedback`` step: keep the title and the graded part, number the checkpoints.
    A notebook with no graded cell is left whole (nothing to cut around)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        cells = nb.cells
        marked = [n for n, cell in enumerate(cells) if graded(cell)]
        if not marked:
            return nb, resources
        first = next((n for n in range(marked[0] - 1, -1, -1)
                      if cells[n].get("cell_type") == "markdown"), marked[0])
        opening = next(filter(None, map(title, cells[:first])), None)
        intro = heading(cells[first]) if first < marked[0] else None
        part = [intro or cells[first], *cells[first + 1:marked[-1] + 1]]
        nb.cells = [opening] * bool(opening) + list(filter(kept, part))
        for number, cell in enumerate(filter(is_test, nb.cells), 1):
            cell.metadata[NUMBER] = number
        for cell in nb.cells:
            marks = cell.metadata.get("nbgrader", {})
            if (cell.cell_type == "code" and isinstance(marks, dict) and marks.get("solution")
                    and not marks.get("grade")):
                cell.outputs = []
        return nb, resources
