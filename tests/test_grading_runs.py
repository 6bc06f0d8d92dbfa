"""``course-grade`` over a term: runs of different assignments keep each other's grades and
report rows, every run keeps its own copy, a typo'd or missing assignment is one line before
anything is collected or written, and a capstone waiting for a hand grade says so in the
summary, grades.csv and the report, its total never exported as final."""

from __future__ import annotations

import csv
import json
import os
import subprocess

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


def grades(course: CourseCopy) -> dict[tuple[str, str], dict[str, str]]:
    with open(course.root / "grades.csv", newline="") as file:
        return {(row["assignment"], row["student_id"]): row for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """01-model graded (one partly right, one empty file), then the capstone (one student
    who built it in the widget: its justification waits for a grader)."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    for assignment in (MODEL, CAPSTONE):
        course.nbgrader("generate_assignment", assignment, "--force")
    course.submit("ann", MODEL, with_answers_as_code(course.notebook("release", MODEL), PARTIAL))
    (course.root / "submitted" / "dave" / MODEL).mkdir(parents=True)
    (course.root / "submitted" / "dave" / MODEL / f"{MODEL}.ipynb").write_text("")
    course.submit("leo", CAPSTONE, built_in_the_widget(course.notebook("release", CAPSTONE)))
    model = course_grade(course, MODEL)
    capstone = course_grade(course, CAPSTONE)
    return {"course": course, "model": model, "capstone": capstone}


def test_grading_a_second_assignment_keeps_the_first(term: dict):
    course = term["course"]
    assert term["model"].returncode == 0 and term["capstone"].returncode == 0, (
        term["model"].stderr[-2000:], term["capstone"].stderr[-2000:])
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
    assert not (course.root / "downloaded").exists()
