"""``course-grade`` over a term: runs of different assignments keep each other's grades and
report rows, every run keeps its own copy, a typo'd or missing assignment is one line before
anything is collected or written, and a capstone waiting for a hand grade says so in the
summary, grades.csv and the report, its total never exported as final."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from course_copy import BIN, NO_SANDBOX, CourseCopy, with_answers_as_code
from test_hand_grading import built_in_the_widget
from test_pipeline import PARTIAL

pytestmark = pytest.mark.pipeline

MODEL, CAPSTONE = "01-model", "10-capstone"
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def course_grade(course: CourseCopy, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course-grade"), *args, "--quiet", *NO_SANDBOX],
                          cwd=course.root, env=ENV, capture_output=True, text=True, timeout=600)


def course_lms(course: CourseCopy, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course-lms"), *args], cwd=course.root, env=ENV,
                          capture_output=True, text=True, timeout=300)


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="") as file:
        return list(csv.reader(file))


# Canvas's gradebook export (the roster): Student, ID, SIS User ID, SIS Login ID, Section, ...
CANVAS_EXPORT = """Student,ID,SIS User ID,SIS Login ID,Section,Week 1 (77)
    Points Possible,,,,,6
"A, Ann",11,,ann,S1,
"D, Dave",14,,dave,S1,
"Smith, John",2001,S-2001,jsmith,S2,
"L, Leo",15,,leo,S2,
"Student, Test",99,,,S1,
"""


def grades(course: CourseCopy) -> dict[tuple[str, str], dict[str, str]]:
    with open(course.root / "grades.csv", newline="") as file:
        return {(row["assignment"], row["student_id"]): row for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A Canvas roster imported; 01-model graded (one partly right, one empty file, one
    collected from a Canvas download beside a file no LMS names so), then the capstone (one
    student who built it in the widget: its justification waits for a grader)."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    for assignment in (MODEL, CAPSTONE):
        course.nbgrader("generate_assignment", assignment, "--force")
    (course.root / "canvas-export.csv").write_text(CANVAS_EXPORT)
    imported = course_lms(course, "roster", "canvas-export.csv")
    release = course.notebook("release", MODEL)
    course.submit("ann", MODEL, with_answers_as_code(release, PARTIAL))
    (course.root / "submitted" / "dave" / MODEL).mkdir(parents=True)
    (course.root / "submitted" / "dave" / MODEL / f"{MODEL}.ipynb").write_text("")
    course.submit("leo", CAPSTONE, built_in_the_widget(course.notebook("release", CAPSTONE)))
    canvas = course.root / "canvas-download"
    canvas.mkdir()
    with zipfile.ZipFile(canvas / "aws-srm-01-model_submissions.zip", "w") as archive:
        archive.writestr("smithjohn_2001_90001_01-model.ipynb",
                         json.dumps(with_answers_as_code(release, PARTIAL)))
    (canvas / "notes.txt").write_text("not a submission")
    model = course_grade(course, MODEL, "--zip-collect", str(canvas))
    capstone = course_grade(course, CAPSTONE)
    return {"course": course, "model": model, "capstone": capstone, "roster": imported}


def test_grading_a_second_assignment_keeps_the_first(term: dict):
    course = term["course"]
    assert term["capstone"].returncode == 0, term["capstone"].stderr[-2000:]
    rows = grades(course)
    assert float(rows[MODEL, "ann"]["score"]) == pytest.approx(3.3333, abs=1e-3)
    assert rows[MODEL, "ann"]["status"] == "graded"
    report = json.loads((course.root / "grading-report.json").read_text())
    assert set(report["scores"]) == {MODEL, CAPSTONE}
    assert report["scores"][MODEL]["ann"] == pytest.approx(3.3333, abs=1e-3)
    with open(course.root / "grading-report.csv", newline="") as file:
        reported = {(row["assignment"], row["student"]) for row in csv.DictReader(file)}
    assert (MODEL, "dave") in reported and (CAPSTONE, "leo") in reported


def test_every_run_keeps_its_own_grades_and_report(term: dict):
    runs = sorted((term["course"].root / "grading-runs").iterdir())
    assert len(runs) == 2
    first = json.loads((runs[0] / "report.json").read_text())
    assert set(first["scores"]) == {MODEL}
    with open(runs[1] / "grades.csv", newline="") as file:
        assert {row["assignment"] for row in csv.DictReader(file)} == {CAPSTONE}


def test_a_pending_hand_grade_is_said_everywhere_and_not_exported_as_final(term: dict):
    course, done = term["course"], term["capstone"]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("leo:")]
    assert "so far: waiting for a hand grade (capstone_architecture (4 points))" in line
    assert "1 waiting for a hand grade" in done.stdout
    row = grades(course)[CAPSTONE, "leo"]
    assert row["status"] == "needs manual grade" and row["score"] == ""
    assert float(row["raw_score"]) == pytest.approx(4.0)
    report = json.loads((course.root / "grading-report.json").read_text())
    assert report["pending"][CAPSTONE] == {"leo": ["capstone_architecture (4 points)"]}
    assert any(row["student"] == "leo" and "waiting for a hand grade" in row["problem"]
               for row in report["problems"])


@pytest.mark.parametrize("args", [("01-modle",), ("02-aws-side", "--zip-collect", "downloads")])
def test_an_unknown_assignment_is_one_line_before_anything_is_touched(term: dict, args):
    course = term["course"]
    (course.root / "downloads").mkdir(exist_ok=True)
    (course.root / "downloads" / "submissions.zip").write_bytes(b"PK")
    before = (course.root / "grades.csv").read_bytes()
    done = course_grade(course, *args)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"course-grade: {args[0]}: not in the gradebook (it has: {MODEL}, {CAPSTONE}); a new "
        f"assignment needs `nbgrader generate_assignment {args[0]}` first"]
    assert (course.root / "grades.csv").read_bytes() == before
    assert not (course.root / "downloaded" / args[0]).exists()


def test_a_download_no_lms_names_so_is_a_report_row_and_exit_status_1(term: dict):
    done, course = term["model"], term["course"]
    assert done.returncode == 1, done.stderr[-2000:]
    assert "course-grade: 1 download(s) not collected (no student): see the report" in done.stderr
    report = json.loads((course.root / "grading-report.json").read_text())
    assert any(row["assignment"] == MODEL and row["student"] == "?" and
               row["notebook"] == "notes.txt" for row in report["problems"])


def test_the_roster_keys_a_canvas_download_by_its_user_id(term: dict):
    assert term["roster"].returncode == 0, term["roster"].stderr
    assert "canvas-export.csv: 4 students (Canvas gradebook export)" in term["roster"].stdout
    assert float(grades(term["course"])[MODEL, "jsmith"]["score"]) == pytest.approx(3.3333,
                                                                                  abs=1e-3)
    rows = grades(term["course"])
    assert (rows[MODEL, "jsmith"]["first_name"], rows[MODEL, "jsmith"]["last_name"]) == (
        "John", "Smith")


def test_canvas_grade_import_file_is_wide_with_points_possible_and_blanks(term: dict):
    course = term["course"]
    done = course_lms(course, "grades", "--lms", "canvas")
    assert done.returncode == 0 and "1 score(s) held back" in done.stdout, done.stderr
    header, points, *rows = read_csv(course.root / "lms" / "canvas-grades.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", MODEL, CAPSTONE]
    assert points == ["Points Possible", "", "", "", "", "6.0", "8.0"]
    by_login = {row[3]: row for row in rows}
    assert by_login["ann"][:5] == ["A, Ann", "11", "", "ann", "S1"]
    assert by_login["ann"][5:] == ["3.3333", ""]  # no capstone submitted: blank
    assert by_login["jsmith"][:5] == ["Smith, John", "2001", "S-2001", "jsmith", "S2"]
    assert by_login["leo"][5:] == ["", ""]  # capstone waiting for a hand grade: held back
    assert by_login["dave"][5] == "0.0"


def test_moodle_grade_import_file_has_an_identifier_and_one_column_per_item(term: dict):
    course = term["course"]
    (course.root / "moodle-export.csv").write_text(  # Moodle's grade export: the roster
        "First name,Last name,ID number,Institution,Department,Email address,Quiz 1\n"
        "John,Smith,jsmith,,,john.smith@example.edu,\n")
    assert course_lms(course, "roster", "moodle-export.csv").returncode == 0
    assert course_lms(course, "grades", "--lms", "moodle").returncode == 0
    header, *rows = read_csv(course.root / "lms" / "moodle-grades.csv")
    assert header == ["First name", "Last name", "ID number", "Email address", MODEL, CAPSTONE]
    assert ["John", "Smith", "jsmith", "john.smith@example.edu", "3.3333", ""] in rows


def test_canvas_feedback_zip_is_named_as_its_download(term: dict):
    course = term["course"]
    done = course_lms(course, "feedback", MODEL, "--lms", "canvas")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(course.root / "lms" / f"canvas-{MODEL}-feedback.zip") as archive:
        assert archive.namelist() == [f"smithjohn_2001_90001_{MODEL}.html"]
    assert f"ann: not collected from Canvas for {MODEL}" in done.stdout


def test_stderr_holds_only_what_the_instructor_must_act_on(term: dict):
    """No checksum warnings (hidden tests), no CRITICAL exchange root, no SQLAlchemy or
    config warnings: with --quiet, only the line about the download left uncollected."""
    assert term["capstone"].stderr == ""
    assert term["model"].stderr.splitlines() == [
        "course-grade: 1 download(s) not collected (no student): see the report"]
