"""The feedback page a student opens by itself (the HTML ``nbgrader generate_feedback``
writes for a graded submission, with the course's template), in Chromium at 1024 and 1440
px: it fits without sideways scrolling, says the score once in words, shows no grade-cell
id, and withholds right answers where the grader was told to. Screenshots in
test-artifacts/feedback/ (look at them)."""

from __future__ import annotations

import json
import re

import pytest
from course_copy import REPO
from lab_browser import ARTIFACTS, static_page
from test_feedback import ASSIGNMENT, graded, pages  # noqa: F401 (fixtures: real nbgrader runs)

pytestmark = [pytest.mark.pipeline, pytest.mark.browser]

SHOTS = ARTIFACTS / "feedback"
# The Beanstalk item was answered wrong: its right option and the "Why" that names it.
RIGHT_OPTION = "In the customer's own account"


def grade_ids() -> set[str]:
    book = json.loads((REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    ids = {cell["metadata"]["nbgrader"].get("grade_id") for cell in book["cells"]
           if "nbgrader" in cell["metadata"]}
    return {grade for grade in ids if grade and re.search(r"[_\d-]", grade)}  # not "setup"


@pytest.mark.parametrize("width", [1024, 1440])
@pytest.mark.parametrize("reveal", ["True", "False"])
def test_the_feedback_page_fits_scores_once_and_keeps_answers_as_configured(
        pages, chromium, tmp_path, reveal: str, width: int):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    with static_page(chromium, pages[reveal], tmp_path, width, 768) as page:  # fits: scrollWidth
        text = page.locator("body").inner_text()
        (score,) = re.findall(rf"{ASSIGNMENT}: ([\d.]+) of (\d+) points", text)
        assert float(score[0]) <= float(score[1]) == 8, score
        assert "Score:" not in text and " / " not in text.split("Checkpoint 1")[0]
        for item in page.locator(".course-feedback").all():
            assert re.search(r"\d+(\.\d+)? of \d+ points?", item.inner_text()), item.inner_text()
        shown = [grade for grade in grade_ids() if grade in text]
        assert not shown, f"grade-cell ids on the page: {shown}"
        assert "cp-04-" not in text
        wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""", width)
        assert not wide, wide
        marks = "\n".join(page.locator(".course-feedback").all_inner_texts())
        if reveal == "True":
            assert f"Right answer: {RIGHT_OPTION}" in marks
        else:  # the options are listed, none of the student's wrong answers is corrected
            assert "Right answer" not in marks and "this one is right" not in marks
            assert f"✔ {RIGHT_OPTION}" not in marks and RIGHT_OPTION in marks
        # Walk finding 7: the title, the scores, then only the graded part, each card
        # labelled as the score list names it; no link that is dead beside this file.
        headings = page.locator("h1, h2, h3").all_inner_texts()
        assert headings[0].startswith("4 · Service types") and "Graded checkpoint" in headings[1]
        assert "Run All" not in text and "Next" not in text and "Before you hand in" not in text
        dead = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
            .map(a => a.getAttribute('href')).filter(h => !/^(https:|#)/.test(h))""")
        assert not dead, dead
        cards = page.locator(".course-feedback")
        assert page.locator("h3.course-checkpoint").all_inner_texts() == [
            f"Checkpoint {n}" for n in range(1, cards.count() + 1)]
        rows = page.locator(".course-mark", has_text="Not answered").all_inner_texts()
        assert rows and all("you said" not in row and "(not answered)" not in row for row in rows)
        assert all(("Right owner: " in row) == (reveal == "True") for row in rows), rows
        problem = page.locator(".course-problem")
        assert problem.inner_text().startswith("Your saved answer does not fit this version")
        page.screenshot(path=str(SHOTS / f"reveal-{reveal}-{width}.png"), full_page=True)
        problem.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"reveal-{reveal}-{width}-unusable.png"))
        first = page.locator(".course-feedback").first
        first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"reveal-{reveal}-{width}-first-item.png"))
