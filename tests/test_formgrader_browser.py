"""nbgrader's formgrader in headless Chromium, with the course's own configuration: the
assignments page, the submissions page and the capstone's grading page open, the grading
page shows the rubric next to the hand-graded answer, and a hand grade typed there is saved
in the gradebook. (The course's feedback template once reached the formgrader's exporter
and every grading page answered HTTP 500.)"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from course_copy import CourseCopy
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS
from nbgrader.api import Gradebook
from test_hand_grading import built_in_the_widget

pytestmark = [pytest.mark.browser, pytest.mark.pipeline,
              pytest.mark.usefixtures("artifacts_on_failure")]

ASSIGNMENT = "10-capstone"
HAND_GRADED = "capstone_architecture"
SCREENSHOTS = ARTIFACTS / "formgrader"
WIDTHS = (1024, 1440)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    """A course whose capstone was submitted by one builder student and autograded."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    course.submit("builder", ASSIGNMENT, built_in_the_widget(course.notebook("release",
                                                                             ASSIGNMENT)))
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    return course


@pytest.fixture(scope="module")
def lab_root(course: CourseCopy) -> Path:
    return course.root


@pytest.fixture(scope="module")
def lab(chromium: Path, lab_root: Path, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[JupyterLab]:
    """JupyterLab with the formgrader enabled in its own configuration folder, as the
    README's ``jupyter server extension enable`` does for an instructor (postBuild turns it
    off for students)."""
    home = tmp_path_factory.mktemp("jupyter-home")
    config = home / "jupyter_config_dir"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
        "jpserver_extensions": {"nbgrader.server_extensions.formgrader": True}}}))
    server = JupyterLab(lab_root, home).start()
    try:
        yield server
    finally:
        server.stop()


def manual_grade(course: CourseCopy) -> tuple[float | None, bool]:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "builder")
        (grade,) = [g for g in notebook.grades if g.name == HAND_GRADED]
        return grade.manual_score, grade.needs_manual_grade


def submission_id(course: CourseCopy) -> str:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        return gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "builder").id


def opened(browser, lab: JupyterLab, path: str, name: str):
    """A page at ``path`` of the formgrader that did not fail, screenshotted at each width."""
    page = browser.new_page()
    response = page.goto(f"{lab.url}/formgrader/{path}?token={lab.token}")
    assert response is not None and response.status == 200, f"{path}: {response}"
    page.wait_for_load_state("networkidle")
    assert "formgrader encountered an error" not in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    return page


def test_assignment_and_submission_pages_list_the_capstone(browser, lab: JupyterLab,
                                                           course: CourseCopy):
    page = opened(browser, lab, "manage_assignments", "assignments")
    page.get_by_role("link", name=ASSIGNMENT).first.wait_for()
    page = opened(browser, lab, f"manage_submissions/{ASSIGNMENT}", "submissions")
    page.get_by_text("builder").first.wait_for()


def test_the_grading_page_shows_the_rubric_and_saves_a_hand_grade(browser, lab: JupyterLab,
                                                                  course: CourseCopy):
    assert manual_grade(course) == (None, True)
    page = opened(browser, lab, f"submissions/{submission_id(course)}/", "grading")
    rubric = page.locator(".course-rubric")
    rubric.wait_for()
    assert "Rubric" in rubric.inner_text() and "4 points" in rubric.inner_text()
    answer = page.locator("div.cell", has=page.locator(f"input#{HAND_GRADED}"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        answer.screenshot(path=str(SCREENSHOTS / f"grading-answer-{width}.png"))
    score = page.locator(f"input.score#{HAND_GRADED}")
    score.fill("3")
    score.press("Tab")  # a change event: the formgrader saves through its REST API
    deadline = time.monotonic() + 30
    while manual_grade(course) != (3.0, False):
        assert time.monotonic() < deadline, f"not saved: {manual_grade(course)}"
        time.sleep(0.3)
    page.reload()
    assert page.locator(f"input.score#{HAND_GRADED}").input_value() == "3"


def test_the_feedback_page_shows_the_rubric_under_the_answer(browser, course: CourseCopy):
    """The student sees the same rubric in the feedback page (ShowRubric's output)."""
    course.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    page = browser.new_page()
    page.goto((course.root / "feedback" / "builder" / ASSIGNMENT / f"{ASSIGNMENT}.html"
               ).as_uri())
    rubric = page.locator(".course-rubric")
    assert "Why the owner holds the task (2)" in rubric.inner_text()
    # The hand grade typed in the test above is listed under the automatic checkpoint.
    scores = page.locator("ol.course-scores").inner_text().splitlines()
    assert scores[0].startswith("Checkpoint 1: ")
    assert scores[1:] == ["Graded by your instructor: 3 of 4 points"]
    # nbgrader's own contents list said "Test cell" and linked "Comment" to nothing.
    assert "Test cell" not in page.content() and 'href="#comment-' not in page.content()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        rubric.screenshot(path=str(SCREENSHOTS / f"feedback-rubric-{width}.png"))
        page.locator(".panel-heading").first.screenshot(
            path=str(SCREENSHOTS / f"feedback-scores-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
