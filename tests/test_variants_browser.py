"""Shuffling and versions in JupyterLab, as students see them: a practice check shows its
options in a new order at each attempt; a graded item shows the version of whoever typed
their class id (Alice's and Bob's differ), in an order of their own, and the saved record
holds the option's text, who answered and the version. Screenshots under test-artifacts/."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from course_copy import REPO
from lab_browser import NB, open_notebook, run_menu

from course import content, identity, records

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("artifacts_on_failure")]

ARTIFACTS = REPO / "test-artifacts" / "variants"
QUESTION = next(q for q, d in content.questions().items() if d["kind"] != "multiple"
                and len(d["options"]) >= 3)
ITEM = next(i for i, d in content.checkpoints().items() if d["kind"] == "single"
            and identity.variant(i, "alice") != identity.variant(i, "bob")
            and len(d["options"]) >= 3)
CELLS = ["from course import ask, class_id, quiz", "class_id()", f'ask("{ITEM}")',
         f'quiz("{QUESTION}")']


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("student")
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{n}", "metadata": {},
              "outputs": [], "source": source} for n, source in enumerate(CELLS)]
    notebook = {"cells": cells, "metadata": {"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}
    (root / "versions.ipynb").write_text(json.dumps(notebook))
    return root


@pytest.fixture
def page(browser, lab):
    """The notebook, run from the top (each test gets a fresh page and kernel)."""
    page = open_notebook(browser, lab, "versions.ipynb")
    run_menu(page, "runmenu:run-all")
    page.locator(f"{NB} .jp-CodeCell").nth(3).locator(".widget-radio-box").wait_for()
    return page


def cell(page, n: int):
    return page.locator(f"{NB} .jp-CodeCell").nth(n)


def rerun(page, n: int) -> None:
    """Run cell ``n`` again (click its prompt, Shift+Enter); callers wait for what it shows."""
    cell(page, n).locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")


def shown_options(page, n: int) -> list[str]:
    labels = cell(page, n).locator(".widget-radio-box label")
    labels.first.wait_for()
    return [text.strip() for text in labels.all_inner_texts()]


def test_a_practice_check_shows_a_new_order_at_each_attempt(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first = shown_options(page, 3)
    assert sorted(first) == sorted(content.questions()[QUESTION]["options"])
    for width in (1440, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        cell(page, 3).screenshot(path=str(ARTIFACTS / f"practice-attempt-1-{width}.png"))
    rerun(page, 3)
    page.wait_for_function(
        "([sel, old]) => { const l = [...document.querySelectorAll(sel)].map(e => "
        "e.innerText.trim()); return l.length && l.join('|') !== old; }",
        arg=[f"{NB} .jp-CodeCell:nth-child(4) .widget-radio-box label", "|".join(first)])
    second = shown_options(page, 3)
    assert second != first and sorted(second) == sorted(first)
    cell(page, 3).screenshot(path=str(ARTIFACTS / "practice-attempt-2-1024.png"))


def choose_class_id(page, student: str) -> None:
    box = cell(page, 1).locator("input[type=text]")
    box.fill(student)
    cell(page, 1).get_by_role("button", name="Save").click()
    cell(page, 1).get_by_text(f"Saved: your class id is {student}.").wait_for()
    for width in (1440, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        cell(page, 1).screenshot(path=str(ARTIFACTS / f"class-id-{student}-{width}.png"))
    rerun(page, 2)


def test_two_students_see_different_versions_and_the_record_holds_option_text(page, lab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1024, "height": 900})
    prompts = {}
    for student in ("alice", "bob"):
        choose_class_id(page, student)
        version = identity.variant(ITEM, student)
        prompt = content.variants(ITEM)[version]["prompt"]
        # in the live widget, not its hidden saved copy beside it
        cell(page, 2).locator(".jupyter-widgets").get_by_text(prompt).wait_for()
        shown = shown_options(page, 2)
        assert sorted(shown) == sorted(content.variants(ITEM)[version]["options"])
        prompts[student] = prompt
        cell(page, 2).screenshot(path=str(ARTIFACTS / f"graded-{student}-1024.png"))
    assert prompts["alice"] != prompts["bob"]

    choice = shown_options(page, 2)[-1]  # Bob's version: the last option shown
    cell(page, 2).locator(".widget-radio-box label", has_text=choice).click()
    cell(page, 2).locator(".course-record", has_text=choice).wait_for()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    path = lab.root / "versions.ipynb"
    found, deadline = {}, time.monotonic() + 30
    while found.get("answer") != choice and time.monotonic() < deadline:
        time.sleep(0.3)
        found = records.find_records(json.loads(path.read_text())).get(ITEM, {})
    assert found.get("answer") == choice, "the saved record does not hold the option's text"
    assert (found["student"], found["variant"]) == ("bob", identity.variant(ITEM, "bob"))

    # Walk finding 2: the class id changes after answering (saved late, or mistyped): Bob's
    # answer is to another version than Alice's, so hers reads as not answered, and says why.
    choose_class_id(page, "alice")
    cell(page, 2).locator(".jupyter-widgets .course-set-aside").wait_for()
    cell(page, 2).locator(".course-record", has_text="Not answered yet").wait_for()
    cell(page, 2).screenshot(path=str(ARTIFACTS / "graded-set-aside-1024.png"))
    choose_class_id(page, "bob")
    cell(page, 2).locator(".course-record", has_text=choice).wait_for()
    assert cell(page, 2).locator(".jupyter-widgets .course-set-aside").count() == 0
