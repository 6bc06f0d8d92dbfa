"""Keep hidden tests away from the student's kernel and out of what students get back."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests

from .score import expectation, is_test


class RemoveHiddenTests(ClearHiddenTests):
    """Remove the hidden test region of each test cell, and only of test cells.

    At autograde (after ``OverwriteCells`` restored them) the kernel then never runs the
    keys; ``ScoreRecordedAnswers`` reads them from the gradebook. In ``generate_feedback``
    students get their results and explanations without the hidden code. Unlike
    nbgrader's ``ClearHiddenTests``, a student's cell that merely contains the delimiters
    is left alone instead of failing the whole submission.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if is_test(cell) and self.applies(cell):
            try:
                self._remove_hidden_test_region(cell)
            except RuntimeError:  # unbalanced delimiters: keep nothing of the cell
                cell.source = ""
        return cell, resources

    def applies(self, cell: NotebookNode) -> bool:
        return True


class WithholdScoredTests(RemoveHiddenTests):
    """At autograde: remove the hidden tests that ``ScoreRecordedAnswers`` scores in the
    grader's process (``expect`` calls), so the kernel never runs their keys. Any other
    hidden test (an ordinary ``assert``) still runs in the kernel as nbgrader intends."""

    def applies(self, cell: NotebookNode) -> bool:
        return expectation(cell.source) is not None
