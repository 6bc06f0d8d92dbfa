"""grades.csv that a spreadsheet can open safely and that never shows an ungraded student as 0.

nbgrader's ``CsvExportPlugin`` joins fields with commas unquoted (a name holding a comma or
a newline splits the row), writes a student named ``=1+1`` as a formula, and gives a
submission that could not be graded the score 0. :class:`CourseCsvExport` (configured as
``ExportApp.plugin_class``, used by ``nbgrader export`` and ``course-grade``) writes the
same columns with Python's csv module, neutralises cells a spreadsheet would run, and adds
a ``status`` column: ``graded``, ``needs manual grade`` (a hand-graded cell waits for a
grader: the total so far is ``raw_score``, ``score`` is left blank so that it is never
uploaded as final), ``not graded`` (score left blank) or ``no submission``. Files are
replaced whole (written beside, then renamed): a run that fails never leaves one truncated.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin

FIELDS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
          "email", "raw_score", "late_submission_penalty", "score", "max_score", "status")
NEEDS_MANUAL_GRADE = "needs manual grade"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``,
    ``@``, tab or carriage return is escaped with a quote (OWASP's CSV injection advice);
    numbers are written as they are."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA) else text


def write_rows(path: Path, fields: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """``rows`` as CSV with every cell neutralised."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fields)
    writer.writeheader()
    writer.writerows({key: cell(row.get(key)) for key in fields} for row in rows)
    replace_text(Path(path), text.getvalue())


def replace_text(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", newline="") as file:
        file.write(text)
    os.replace(temporary, path)


def grade_rows(gradebook: Gradebook, coursedir: CourseDirectory,
               assignments: set[str] | None = None, students: set[str] | None = None,
               ) -> list[dict[str, Any]]:
    """One row per assignment and student of the gradebook (nbgrader's export columns and
    ``status``); only ``assignments`` and ``students`` when given."""
    rows = []
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        notebooks = [notebook.name for notebook in assignment.notebooks]
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            row = {"assignment": assignment.name, "duedate": assignment.duedate,
                   "student_id": student.id, "last_name": student.last_name,
                   "first_name": student.first_name, "email": student.email,
                   "max_score": assignment.max_score}
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(raw_score=0.0, late_submission_penalty=0.0, score=0.0,
                           status="no submission")
            else:
                row["timestamp"] = submission.timestamp
                folder = Path(coursedir.format_path(
                    coursedir.autograded_directory, student.id, assignment.name))
                if not all((folder / f"{name}.ipynb").is_file() for name in notebooks):
                    row["status"] = "not graded"
                elif submission.needs_manual_grade:
                    row.update(raw_score=submission.score, status=NEEDS_MANUAL_GRADE)
                else:
                    penalty = submission.late_submission_penalty
                    row.update(raw_score=submission.score, late_submission_penalty=penalty,
                               score=max(0.0, submission.score - penalty), status="graded")
            rows.append(row)
    return rows


class CourseCsvExport(ExportPlugin):
    """nbgrader's CSV export, quoted and neutralised, with each submission's status."""

    def export(self, gradebook: Gradebook) -> None:
        rows = grade_rows(gradebook, CourseDirectory(config=self.config),
                          set(map(str, self.assignment)), set(map(str, self.student)))
        write_rows(Path(self.to or "grades.csv"), FIELDS, rows)
