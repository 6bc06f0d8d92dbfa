"""grades.csv that a spreadsheet can open safely and that never shows an ungraded student as 0.

nbgrader's ``CsvExportPlugin`` joins fields with commas unquoted (a name holding a comma or
a newline splits the row), writes a student named ``=1+1`` as a formula, and gives a
submission that could not be graded the score 0. :class:`CourseCsvExport` (configured as
``ExportApp.plugin_class``, used by ``nbgrader export`` and ``course-grade``) writes the
same columns with Python's csv module, neutralises cells a spreadsheet would run, and adds
a ``status`` column: ``graded``, ``not graded`` (score left blank) or ``no submission``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin

FIELDS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
          "email", "raw_score", "late_submission_penalty", "score", "max_score", "status")
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
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fields)
        writer.writeheader()
        writer.writerows({key: cell(row.get(key)) for key in fields} for row in rows)


class CourseCsvExport(ExportPlugin):
    """nbgrader's CSV export, quoted and neutralised, with each submission's status."""

    def export(self, gradebook: Gradebook) -> None:
        coursedir = CourseDirectory(config=self.config)
        students, assignments = set(map(str, self.student)), set(map(str, self.assignment))
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
                    if all((folder / f"{name}.ipynb").is_file() for name in notebooks):
                        penalty = submission.late_submission_penalty
                        row.update(raw_score=submission.score, late_submission_penalty=penalty,
                                   score=max(0.0, submission.score - penalty), status="graded")
                    else:
                        row["status"] = "not graded"
                rows.append(row)
        write_rows(Path(self.to or "grades.csv"), FIELDS, rows)
