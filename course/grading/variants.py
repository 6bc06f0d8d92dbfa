"""Which version (variant) of each graded item a submitter is graded on: derived from
nbgrader's student id exactly as the student's kernel derives it (``course.identity``)."""

from __future__ import annotations

from traitlets import Bool
from traitlets.config import LoggingConfigurable

from .. import identity


class StudentVariants(LoggingConfigurable):
    """Each student's own versions of the graded items, for the grader's steps."""

    enabled = Bool(True, help="Grade each student on their own version of every item (from "
                   "their student id). False: everyone on version a, no identity checks "
                   "(as before variants existed).").tag(config=True)

    def of(self, item: str, student: str | None) -> str:
        """The version of ``item`` that ``student`` is graded on."""
        return identity.variant(item, student) if self.enabled else "a"

    def kernel_student(self, student: str | None) -> str:
        """Who the grading kernel runs as: the submitter, or nobody (version a)."""
        return (student or "") if self.enabled else ""
