"""Submission times on the Canvas and Moodle paths: their bulk downloads carry none (Canvas
only ``LATE``), but Canvas's Submissions API (saved as JSON) and Moodle's grading worksheet
do. Put beside the zip, they give each collected submission its time (timestamp.txt, which
the late policy reads); a time that cannot be read is a report row, never a guess."""

# ruff: noqa: F811 (``course`` is test_lms_collect's fixture, used as an argument)
from __future__ import annotations

import csv
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_lms_collect import course, downloads, notebook  # noqa: F401

from course.grading import lms_times
from course.grading.collect import CollectZips, layouts

A = "02-aws-side"
SPECS = {lms: spec["times"] for lms, spec in layouts().items() if "times" in spec}
WORKSHEET = ["Identifier", "Full name", "Email address", "Status", "Grade",
             "Last modified (submission)", "Last modified (grade)"]


def worksheet(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([WORKSHEET, *rows])


def stamp(root: Path, student: str) -> str:
    return (root / "submitted" / student / A / "timestamp.txt").read_text().strip()


def test_moodles_worksheet_times_are_read_in_the_given_time_zone(tmp_path: Path):
    path = tmp_path / "Grades-AWS-02.csv"
    worksheet(path, [["Participant 777", "Judy Smith", "j@x.org", "Submitted", "",
                      "Thursday, 3 December 2026, 2:30 PM", "-"],
                     ["Participant 778", "Judy Smith", "j2@x.org", "No submission", "", "-",
                      "-"],
                     ["Participant 779", "Al Bo", "a@x.org", "Submitted", "",
                      "jeudi 3 décembre 2026, 14:30", "-"]])
    lms, times, problems = lms_times.read(path, SPECS, ZoneInfo("Europe/Berlin"))
    assert (lms, times) == ("moodle", {"777": "2026-12-03 13:30:00 UTC"})
    (problem,) = problems
    assert "'jeudi 3 décembre 2026, 14:30' of 779 is not in the form" in problem.problem
    assert problem.action.startswith("that submission's time is unknown")


def test_other_files_are_not_time_tables(tmp_path: Path):
    for name, text in {"object.json": '{"a": 1}', "list.json": "[1, 2]",
                       "x.ipynb": notebook("x")}.items():
        (tmp_path / name).write_text(text)
        assert lms_times.read(tmp_path / name, SPECS, ZoneInfo("UTC")) is None


FRENCH = ["Identifiant", "Nom complet", "Adresse de courriel", "Statut", "Note",
          "Dernière modification (travail remis)", "Dernière modification (note)"]


@pytest.mark.parametrize(("name", "content", "why"), [
    ("Grades-AWS-02.csv", ",".join(WORKSHEET).encode("cp1252") + b"\nParticipant 7,J\xfcrgen\n",
     "it is not UTF-8 text"),
    ("Notes-AWS-02.csv", ",".join(FRENCH).encode() + b"\nParticipant 7,Ana,a@x.org\n",
     "it has no column 'Identifier' or 'Last modified (submission)' (an LMS in another "
     "language?"),
    ("submissions.json", b'while(1);[{"user_id": 1, "submitted_at": ', "it is not JSON"),
    ("submissions.json", b'[{"user_id": 1, "workflow_state": "submitted"}]',
     "a submission in it has 'user_id' but no 'submitted_at'"),
])
def test_a_table_of_times_that_cannot_be_read_says_so_and_why(course, tmp_path, name, content,
                                                              why):
    """Not "a download whose name matches no LMS layout": the instructor put it there as
    the table of times; say which LMS's table it looks like and why it was not read."""
    folder = downloads(tmp_path, "submissions.zip", {})
    (folder / name).write_bytes(content)
    (problem,) = CollectZips(config=course).collect(A, folder)
    assert (problem.student, problem.notebook) == ("?", name)
    title = SPECS["moodle" if name.endswith(".csv") else "canvas"]["title"]
    assert problem.problem.startswith(f"looks like {title} but could not be read: {why}")
    assert problem.action.startswith("no submission times from it")


def test_moodle_download_with_its_worksheet_gets_submission_times(course, tmp_path):
    (tmp_path / "roster.csv").write_text(
        "student_id,lms,lms_id,full_name,first_name,last_name,email,section,sis_user_id,"
        "sis_login_id\njudy,moodle,777,Judy Smith,,,j@x.org,,,\n")
    folder = downloads(tmp_path, "AWS-02 AWS side-4242.zip", {
        "Judy Smith_777_assignsubmission_file_/02-aws-side.ipynb": notebook("judy")})
    worksheet(folder / "Grades-AWS-02 AWS side-4242.csv", [
        ["Participant 777", "Judy Smith", "j@x.org", "Submitted", "",
         "Thursday, 3 December 2026, 2:30 PM", "-"]])
    course.CollectZips.time_zone = "Europe/Berlin"
    problems = CollectZips(config=course).collect(A, folder)
    assert problems == []  # the worksheet is no unmatched download
    assert stamp(tmp_path, "judy") == "2026-12-03 13:30:00"  # UTC, as nbgrader writes it


def test_canvas_late_download_with_the_submissions_api_json_gets_its_time(course, tmp_path):
    folder = downloads(tmp_path, "aws-srm-02-aws-side_submissions.zip", {
        "doejane_LATE_2003_90003_02-aws-side.ipynb": notebook("jane late"),
        "smithjohn_2001_90001_02-aws-side.ipynb": notebook("john")})
    api = [{"user_id": 2003, "submitted_at": "2026-12-02T14:00:00Z", "late": True,
            "seconds_late": 93600},
           {"user_id": 2001, "submitted_at": "2026-12-01T09:00:00Z", "late": False}]
    # What a browser logged in to Canvas saves from the API's address: a guard, then JSON.
    (folder / "submissions.json").write_text("while(1);" + json.dumps(api))
    problems = CollectZips(config=course).collect(A, folder)
    assert problems == []  # no "marks this submission late, and no time" row
    assert stamp(tmp_path, "2003") == "2026-12-02 14:00:00"
    assert stamp(tmp_path, "2001") == "2026-12-01 09:00:00"


def test_without_a_table_canvas_late_stays_a_report_row(course, tmp_path):
    folder = downloads(tmp_path, "submissions.zip", {
        "doejane_LATE_2003_90003_02-aws-side.ipynb": notebook("jane late")})
    (problem,) = CollectZips(config=course).collect(A, folder)
    assert "marks this submission late, and no submission time was given" in problem.problem
    assert "docs/lms.md" in problem.action
    assert not (tmp_path / "submitted" / "2003" / A / "timestamp.txt").exists()


def test_a_wrong_time_zone_is_a_clear_message(course, tmp_path):
    folder = downloads(tmp_path, "submissions.zip", {})
    course.CollectZips.time_zone = "Mars/Olympus"
    with pytest.raises(ValueError, match=r"CollectZips\.time_zone: 'Mars/Olympus' is no time"):
        CollectZips(config=course).collect(A, folder)
    assert not (tmp_path / "downloaded").exists()  # refused before anything was copied


@pytest.mark.pipeline
def test_course_grade_charges_the_late_policy_from_canvas_times(tmp_path: Path):
    """The whole path: a Canvas download with LATE and the Submissions API's JSON beside it,
    ``course-grade --zip-collect``, the course's late policy in grades.csv."""
    import os
    import subprocess

    from course_copy import BIN, NO_SANDBOX, CourseCopy, item_keys, with_answers_as_code

    model = "01-model"
    course = CourseCopy(tmp_path / "course")
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write(f'\nc.GradeAssignment.due = {{"{model}": "2026-12-01 12:00:00 +0000"}}\n')
    course.nbgrader("generate_assignment", model, "--force")
    answered = json.dumps(with_answers_as_code(course.notebook("release", model),
                                               item_keys(course.notebook("source", model))))
    folder = downloads(tmp_path, "aws-srm-01-model_submissions.zip", {
        f"doejane_LATE_2003_90003_{model}.ipynb": answered,
        f"smithjohn_2001_90001_{model}.ipynb": answered})
    (folder / "submissions.json").write_text(json.dumps([
        {"user_id": 2003, "submitted_at": "2026-12-02T14:00:00Z", "late": True},  # 1 d 2 h
        {"user_id": 2001, "submitted_at": "2026-12-01T11:00:00Z", "late": False}]))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([str(BIN / "course-grade"), model, "--quiet", "--zip-collect",
                           str(folder), *NO_SANDBOX], cwd=course.root, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    with open(course.root / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert float(rows["2003"]["late_submission_penalty"]) == pytest.approx(1.2)  # 2 days x 10 %
    assert float(rows["2003"]["score"]) == pytest.approx(4.8)
    assert float(rows["2001"]["late_submission_penalty"]) == 0.0
