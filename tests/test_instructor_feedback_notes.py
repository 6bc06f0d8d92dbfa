"""What the grader did with a handed-in file reaches the student: a damaged file's repair
and a blank copy's "no answers recorded" are lines at the top of the feedback page (and rows
of the instructor's report); an honest submission's page has none. Real course-grade run;
the page is looked at in Chromium at 1024 and 1440 px."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from course_copy import (
    BIN,
    NO_SANDBOX,
    CourseCopy,
    item_keys,
    with_answers_as_code,
    with_recorded_answers,
)
from lab_browser import ARTIFACTS, static_page

pytestmark = pytest.mark.pipeline

MODEL = "01-model"
# Saved answers the grader cannot use (saved for another version of each question, or tampered).
UNUSABLE = {"cp-01-rds-engine": "Not an option", "cp-01-customer-side": ["Not an option"],
            "cp-01-webshop-matrix": {"no-such-row": "AWS"}}
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", MODEL, "--force")
    release = course.notebook("release", MODEL)
    answered = with_answers_as_code(release, item_keys(course.notebook("source", MODEL)))
    course.submit("honest", MODEL, answered)
    course.submit("blank", MODEL, release)
    course.submit("unusable", MODEL, with_recorded_answers(release, UNUSABLE))
    text = json.dumps(answered)
    folder = course.root / "submitted" / "damaged" / MODEL
    folder.mkdir(parents=True)
    (folder / f"{MODEL}.ipynb").write_text(text[: len(text) * 7 // 10])  # cut short
    done = subprocess.run([str(BIN / "course-grade"), MODEL, "--quiet", *NO_SANDBOX],
                          cwd=course.root, env=ENV, capture_output=True, text=True, timeout=900)
    pages = {student: (course.root / "feedback" / student / MODEL / f"{MODEL}.html").read_text()
             for student in ("honest", "blank", "damaged", "unusable")}
    report = json.loads((course.root / "grading-report.json").read_text())
    return {"done": done, "pages": pages, "report": report}


def notes(html: str) -> str:
    if 'class="course-grading-notes"' not in html:
        return ""
    return html.split('class="course-grading-notes"', 1)[1].split("</div>", 1)[0]


def test_the_class_is_graded(graded: dict):
    assert graded["done"].returncode == 0, graded["done"].stderr[-3000:]


def test_a_blank_copy_is_told_on_the_page_and_in_the_report(graded: dict):
    assert "no answers recorded (0 of 3 items answered) → scored 0 on every automatic item" \
        in notes(graded["pages"]["blank"])
    rows = [r["problem"] for r in graded["report"]["problems"] if r["student"] == "blank"]
    assert rows == ["no answers recorded (0 of 3 items answered)"]


def test_unusable_answers_are_told_in_plain_words_and_their_cause_in_the_report(graded: dict):
    """Walk finding 7: not "no answers recorded … (was it the right file?)" nor a Python
    list and an ``answer(...)`` example on the student's page; the report keeps the cause."""
    html = graded["pages"]["unusable"]
    assert ("no usable answers (3 of 3 saved answers do not fit this version of their "
            "question) → scored 0 on every automatic item (was the class id set before "
            "answering?)") in notes(html)
    assert html.count("Your saved answer does not fit this version of the question") == 3
    for technical in ("Not an option", "no-such-row", "Allowed:", "answer(", "cp-01-"):
        assert technical not in html, technical
    rows = [r["problem"] for r in graded["report"]["problems"] if r["student"] == "unusable"]
    assert sum(row.startswith("recorded answer unusable: cp-01-") for row in rows) == 3, rows


def test_a_repaired_file_is_told_on_the_page(graded: dict):
    told = notes(graded["pages"]["damaged"])
    assert "not valid JSON" in told and "recorded answers found in the file" in told


def test_an_honest_submission_has_no_notes(graded: dict):
    assert notes(graded["pages"]["honest"]) == ""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1440])
def test_the_notes_read_at_the_top_of_the_page(graded: dict, chromium: Path, width: int,
                                               tmp_path: Path):
    folder = ARTIFACTS / "feedback-notes"
    folder.mkdir(parents=True, exist_ok=True)
    for student in ("blank", "damaged", "unusable"):
        with static_page(chromium, graded["pages"][student], tmp_path, width) as page:
            box = page.locator(".course-grading-notes")
            assert box.is_visible() and "About the file you handed in" in box.inner_text()
            page.locator(".panel-heading").first.screenshot(
                path=str(folder / f"{student}-{width}.png"))
