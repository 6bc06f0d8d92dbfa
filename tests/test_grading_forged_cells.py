"""A cell a student adds with nbgrader's grade metadata and a grade id the release does not
have (a forged 50-point test, or a graded cell pasted from another notebook): course-grade
runs it as an ordinary cell, scores only the release's cells, and says so in one short row
of the report and of the student's feedback, however hostile the id. Real course-grade run."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from course_copy import BIN, NO_SANDBOX, CourseCopy, item_keys, with_answers_as_code
from lab_browser import ARTIFACTS, static_page

from course.grading import report

pytestmark = pytest.mark.pipeline

MODEL = "01-model"
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
FULL = 6.0  # what every student here earns: all three items answered right, in code
HOSTILE = "<script>alert(1)</script>\n\x1b[2J\u202e\r\x00" + "x" * 200_000
ODD_IDS = [HOSTILE] * 40 + [f"bonus_{n}\n<b>" for n in range(5)] + [[1, 2], 7, None]
FORGED_ROW = "a graded cell the release does not have (grade id 'test_bonus')"


def graded_cell(grade_id: Any, points: Any = 50) -> dict[str, Any]:
    """A code cell with the metadata nbgrader's toolbar writes for an autograder test, whose
    last expression would be worth ``points`` were nbgrader to grade it."""
    nbgrader = {"grade": True, "solution": False, "locked": True, "points": points,
                "schema_version": 3, "task": False}
    if grade_id is not None:
        nbgrader["grade_id"] = grade_id
    return {"cell_type": "code", "execution_count": None, "metadata": {"nbgrader": nbgrader},
            "outputs": [], "source": "50.0"}


def with_cells(notebook: dict[str, Any], cells: list[dict[str, Any]]) -> dict[str, Any]:
    changed = copy.deepcopy(notebook)
    changed["cells"] += cells
    for cell in changed["cells"]:
        cell.pop("id", None)
    changed["nbformat_minor"] = 4
    return changed


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", MODEL, "--force")
    answered = with_answers_as_code(course.notebook("release", MODEL),
                                    item_keys(course.notebook("source", MODEL)))
    course.submit("honest", MODEL, answered)
    self_noted = copy.deepcopy(answered)
    self_noted["metadata"][report.STUDENT_NOTES] = ["every answer was lost → scored 6 of 6"]
    course.submit("self-noted", MODEL, self_noted)
    course.submit("forger", MODEL, with_cells(answered, [graded_cell("test_bonus")]))
    course.submit("hostile", MODEL, with_cells(answered, [graded_cell(i) for i in ODD_IDS]))
    done = subprocess.run([str(BIN / "course-grade"), MODEL, "--quiet", *NO_SANDBOX],
                          cwd=course.root, env=ENV, capture_output=True, text=True, timeout=900)
    found = json.loads((course.root / "grading-report.json").read_text())
    pages = {student: (course.root / "feedback" / student / MODEL / f"{MODEL}.html").read_text()
             for student in ("honest", "forger", "hostile", "self-noted")}
    return {"course": course, "done": done, "report": found, "pages": pages}


def rows(graded: dict[str, Any], student: str) -> list[dict[str, str]]:
    return [row for row in graded["report"]["problems"] if row["student"] == student]


def notes(html: str) -> str:
    if 'class="course-grading-notes"' not in html:
        return ""
    return html.split('class="course-grading-notes"', 1)[1].split("</div>", 1)[0]


def test_forged_graded_cells_score_nothing_and_stop_nobody(graded: dict[str, Any]):
    assert graded["done"].returncode == 0, graded["done"].stderr[-3000:]
    assert graded["course"].scores(MODEL) == pytest.approx(
        {"honest": FULL, "forger": FULL, "hostile": FULL, "self-noted": FULL})
    assert set(graded["course"].cell_scores("forger", MODEL)) == {
        "test_rds_engine", "test_customer_side", "test_webshop_matrix"}


def test_a_forged_graded_cell_is_one_report_row_naming_its_id(graded: dict[str, Any]):
    assert rows(graded, "honest") == []
    assert [(r["notebook"], r["problem"]) for r in rows(graded, "forger")] == [
        (f"{MODEL}.ipynb", FORGED_ROW)]
    assert rows(graded, "forger")[0]["action"].startswith("ignored")


def test_hostile_grade_ids_make_one_short_printable_row(graded: dict[str, Any]):
    """Huge, repeated ids with newlines, HTML and control characters, and ids that are no
    text at all: one row, escaped and cut, in the report, its CSV and the feedback page."""
    found = rows(graded, "hostile")
    assert len(found) == 1, found
    row = found[0]["problem"]
    assert row.startswith(f"{len(ODD_IDS)} graded cells the release does not have "
                          "(grade ids '<script>alert(1)</script>\\n…', 'bonus_0\\n<b>', "), row
    assert len(row) <= 200 and row.isprintable(), row
    csv = (graded["course"].root / "grading-report.csv").read_text()
    assert csv.count("\n") == 1 + len(graded["report"]["problems"])
    page = notes(graded["pages"]["hostile"])
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count("<li>") == 1, page


def test_the_student_is_told_on_their_feedback_page(graded: dict[str, Any]):
    assert f"{FORGED_ROW} → ignored" in notes(graded["pages"]["forger"]).replace(
        "&#39;", "'")
    assert notes(graded["pages"]["honest"]) == ""


def test_only_the_grader_writes_the_notes_about_a_file(graded: dict[str, Any]):
    """Notes a submission brings in its own metadata never reach its feedback page as if
    the grader had written them."""
    assert rows(graded, "self-noted") == []
    assert notes(graded["pages"]["self-noted"]) == ""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1440])
def test_the_row_reads_on_the_feedback_page(graded: dict[str, Any], chromium: Path,
                                            width: int, tmp_path: Path):
    folder = ARTIFACTS / "feedback-notes"
    folder.mkdir(parents=True, exist_ok=True)
    for student in ("forger", "hostile"):
        with static_page(chromium, graded["pages"][student], tmp_path, width) as page:
            box = page.locator(".course-grading-notes")
            assert box.is_visible() and "the release does not have" in box.inner_text()
            page.locator(".panel-heading").first.screenshot(
                path=str(folder / f"forged-{student}-{width}.png"))
