"""Keep the hand-graded part of a widget answer in front of a grader."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import content, kinds
from .harvest import METADATA_KEY


class HandGradeWidgetAnswers(NbGraderPreprocessor):
    """Mark the hand-graded answer cells of a notebook for a grader when it recorded an answer
    whose kind is partly graded by hand (the capstone architecture).

    nbgrader gives an answer cell left as released 0 points ("No response.") without asking
    anyone. A student who built the answer in a widget leaves that cell as released, yet the
    recorded answer holds the text to grade. Dropping the cell's release checksum, after
    ``OverwriteCells`` restored it, makes nbgrader ask for a manual grade instead.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        recorded = nb.metadata.get(METADATA_KEY, {}).get("recorded", {})
        items = content.checkpoints()
        if any(kinds.of(item).hand_graded for item in recorded if item in items):
            for cell in nb.cells:
                grading = cell.metadata.get("nbgrader", {})
                if grading.get("solution") and grading.get("grade"):
                    grading.pop("checksum", None)
        return nb, resources
