"""The course's late policy, as nbgrader's late-submission plugin
(``AssignLatePenalties.plugin_class``): a share of each notebook's points per started day
late, nothing past a cut-off, after the student's extension (``extensions.csv``). nbgrader
computes the lateness from its own due date (the gradebook's, set by ``course-grade`` from
``GradeAssignment.due``) and the submission's time (``timestamp.txt``: the exchange's, or the
LMS's where its download names one)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, Unicode

DAY = 86400


COLUMNS = ("student_id", "assignment", "days")


def extensions(path: Path) -> dict[tuple[str, str], float]:
    """Days of extension by (student, assignment) from a CSV ``student_id, assignment,
    days`` (a missing file: none); ValueError, one line naming the row, for a file that is
    not that (``course-grade`` reads it before grading, so no submission fails on it)."""
    if not path.is_file():
        return {}
    found: dict[tuple[str, str], float] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: no column {', '.join(missing)} (the header must be "
                                 f"{','.join(COLUMNS)})")
            for row in reader:
                student, assignment, days = (str(row[c] or "").strip() for c in COLUMNS)
                try:
                    extra = float(days)
                except ValueError:
                    extra = math.nan
                if not math.isfinite(extra):
                    raise ValueError(f"{path} line {reader.line_num}: days {days!r} is not a "
                                     f"number of days ({student}, {assignment})")
                found[student, assignment] = extra
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"{path}: not a CSV file in UTF-8 ({error})") from None
    return found


class LatePolicy(LateSubmissionPlugin):
    """Per started day late (after any extension), ``penalty_per_day`` of the notebook's
    points; from ``cutoff_days`` on, all of them."""

    penalty_per_day = Float(0.1, help="Share of a notebook's points taken per started day "
                                      "late (0.1: 10 %).").tag(config=True)
    cutoff_days = Float(7.0, help="Days late (after any extension) from which a submission "
                                  "scores 0.").tag(config=True)
    extensions_file = Unicode("extensions.csv", help="Per-student extensions (student_id, "
                              "assignment, days), relative to the course root.").tag(config=True)

    def days_late(self, student: str, assignment: str, seconds: float) -> float:
        root = Path(CourseDirectory(config=self.config).root)
        extra = extensions(root / self.extensions_file).get((student, assignment), 0.0)
        return max(0.0, seconds / DAY - extra)

    def penalty(self, days: float, points: float) -> float:
        """Points taken from a notebook worth ``points`` submitted ``days`` late."""
        if days <= 0:
            return 0.0
        if days >= self.cutoff_days:
            return points
        return min(points, math.ceil(days) * self.penalty_per_day * points)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        parent = self.parent  # AssignLatePenalties, its gradebook open
        days = self.days_late(student_id, parent.assignment_id, total_seconds_late)
        points = parent.gradebook.find_notebook(parent.notebook_id,
                                                parent.assignment_id).max_score
        return min(score, self.penalty(days, points))
