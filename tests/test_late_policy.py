"""Due dates and the late policy on every path: a submission time from the exchange
(timestamp.txt) and from a Blackboard download's name, a per-student extension, the penalty
in grades.csv, the report and the feedback."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import zipfile

import pytest
from course_copy import BIN, NO_SANDBOX, CourseCopy, with_answers_as_code
from test_pipeline import PARTIAL

from course.grading.late import LatePolicy, extensions

MODEL = "01-model"
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(("days", "penalty"), [(0, 0), (0.01, 0.6), (1, 0.6), (1.5, 1.2),
                                               (6.9, 4.2), (7, 6), (30, 6)])
def test_the_policy_takes_a_share_per_started_day_and_all_past_the_cut_off(days, penalty):
    assert LatePolicy().penalty(days, 6.0) == pytest.approx(penalty)


@pytest.mark.parametrize(("text", "says"), [
    ("student_id,assignment,days\nbo,01-model,3\nann,01-model,three\n",
     " line 3: days 'three' is not a number of days (ann, 01-model)"),
    ("student_id,assignment,days\nann,01-model\n",
     " line 2: days '' is not a number of days (ann, 01-model)"),
    ("student_id,assignment,days\nann,01-model,nan\n",
     " line 2: days 'nan' is not a number of days (ann, 01-model)"),
    ("student,assignment,days\nann,01-model,2\n",
     ": no column student_id (the header must be student_id,assignment,days)"),
    ("student_id,assignment,days\nz\xe9,01-model,2\n".encode("cp1252"),
     ": not a CSV file in UTF-8"),
])
def test_an_unreadable_extensions_file_is_one_line_naming_the_row(tmp_path, text, says):
    path = tmp_path / "extensions.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ValueError) as error:
        extensions(path)
    assert str(error.value).startswith(f"{path}{says}")


def test_course_grade_says_a_bad_extension_row_before_grading_starts(tmp_path):
    """course-grade reads extensions.csv before collecting or grading anything: one line,
    not a traceback inside every submission's autograde."""
    (tmp_path / "extensions.csv").write_text("student_id,assignment,days\nann,01-model,3 d\n")
    (tmp_path / "nbgrader_config.py").write_text("")
    done = subprocess.run([str(BIN / "course-grade"), MODEL, *NO_SANDBOX], cwd=tmp_path,
                          env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"course-grade: {tmp_path / 'extensions.csv'} line 2: days '3 d' is not a number of "
        "days (ann, 01-model)"]
    assert not (tmp_path / "gradebook.db").exists()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Due 2026-12-01 12:00 UTC. ann (exchange time) 1 day 2 h late; bo the same with a
    3-day extension; kim (Blackboard download) 2 days late; cy on time."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write('\nc.GradeAssignment.due = {"01-model": "2026-12-01 12:00:00 +0000"}\n')
    (course.root / "extensions.csv").write_text("student_id,assignment,days\nbo,01-model,3\n")
    course.nbgrader("generate_assignment", MODEL, "--force")
    answered = with_answers_as_code(course.notebook("release", MODEL), PARTIAL)
    for student, when in (("ann", "2026-12-02 14:00:00"), ("bo", "2026-12-02 14:00:00"),
                          ("cy", "2026-12-01 11:00:00")):
        course.submit(student, MODEL, answered)
        (course.root / "submitted" / student / MODEL / "timestamp.txt").write_text(when)
    downloads = course.root / "blackboard"
    downloads.mkdir()
    with zipfile.ZipFile(downloads / "gradebook_AWS_01-model.zip", "w") as archive:
        archive.writestr("01-model_kim_attempt_2026-12-03-11-00-00_01-model.ipynb",
                         json.dumps(answered))
    done = subprocess.run([str(BIN / "course-grade"), MODEL, "--quiet", "--zip-collect",
                           str(downloads), *NO_SANDBOX], cwd=course.root, env=ENV,
                          capture_output=True, text=True, timeout=900)
    with open(course.root / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    return {"course": course, "done": done, "rows": rows}


def test_penalties_follow_the_submission_time_and_extensions(graded: dict):
    assert graded["done"].returncode == 0, graded["done"].stderr[-3000:]
    rows = graded["rows"]
    penalties = {s: float(rows[s]["late_submission_penalty"]) for s in ("ann", "bo", "cy", "kim")}
    assert penalties == pytest.approx({"ann": 1.2, "bo": 0.0, "cy": 0.0, "kim": 1.2})
    assert float(rows["ann"]["score"]) == pytest.approx(3.3333 - 1.2, abs=1e-3)


def test_the_report_and_the_feedback_say_how_late_and_what_it_cost(graded: dict):
    course = graded["course"]
    report = json.loads((course.root / "grading-report.json").read_text())
    (ann,) = [r for r in report["problems"] if r["student"] == "ann" and "due date" in r["problem"]]
    assert ann["problem"].startswith("submitted 1 d 2 h after the due date (2026-12-01 12:00")
    assert ann["action"].startswith("late policy: -1.2 points")
    (bo,) = [r for r in report["problems"] if r["student"] == "bo"]
    assert bo["action"] == "no penalty (within the student's extension)"
    assert not [r for r in report["problems"] if r["student"] == "cy"]
    page = (course.root / "feedback" / "ann" / MODEL / f"{MODEL}.html").read_text()
    assert "Late submission: \u22121.2 points" in page  # the feedback template's line
