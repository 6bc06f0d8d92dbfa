"""The ordering widget in JupyterLab, as a student uses it: by keyboard alone (Tab to a
Move up button, Enter), the order and the record line change, the move is announced, and it
fits the notebook at 1024 and 1440 px. Screenshots under test-artifacts/."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from course_copy import REPO, CourseCopy
from jupyterlab_server import JupyterLab
from lab_browser import CHROMIUM_FLAGS, NB, TIMEOUT_MS

from course import content, records

pytestmark = pytest.mark.browser

ASSIGNMENT, ITEM = "04-service-types", "cp-04-ec2-layers"
ARTIFACTS = REPO / "test-artifacts" / "ordering"


@pytest.fixture(scope="module")
def page(chromium: Path, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    course = CourseCopy(tmp_path_factory.mktemp("course"))
    shutil.copytree(REPO / "release" / ASSIGNMENT, course.root / "student")
    lab = JupyterLab(course.root, tmp_path_factory.mktemp("home")).start()
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(tmp_path_factory.mktemp("profile")), executable_path=str(chromium),
                headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1440, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(lab.lab_url(f"student/{ASSIGNMENT}.ipynb", workspace="ordering"))
            page.locator(f"{NB} .jp-Cell").first.wait_for()
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for()
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # kernel connected
            page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu li[data-command='runmenu:run-all']").click()
            try:
                page.locator(f"{NB} .course-ordering").wait_for(timeout=3 * TIMEOUT_MS)
            except Exception:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "failed-run-all.png"), full_page=True)
                raise
            yield page, lab
            context.close()
    finally:
        lab.stop()


def test_an_unanswered_item_shows_a_neutral_line_and_no_error(page):
    page, _lab = page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cell = page.locator(f"{NB} .jp-CodeCell").filter(has=page.locator(".course-ordering"))
    cell.locator(".course-record", has_text="Not answered yet").wait_for()
    test = page.locator(f"{NB} .jp-CodeCell").filter(has=page.locator(".course-pending"))
    test.first.wait_for(state="attached")
    assert not test.locator(".jp-OutputArea-child").first.is_visible()
    errors = page.locator(f"{NB} .jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']")
    assert errors.count() == 0
    cell.screenshot(path=str(ARTIFACTS / "unanswered-1440.png"))


def test_the_order_changes_by_keyboard_and_is_recorded(page):
    page, lab = page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget = page.locator(f"{NB} .course-ordering")
    options = content.checkpoints()[ITEM]["options"]
    for width in (1440, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        widget.scroll_into_view_if_needed()
        cell = page.locator(f"{NB} .jp-CodeCell").filter(has=page.locator(".course-ordering"))
        box, area = widget.bounding_box(), cell.locator(".jp-OutputArea").first.bounding_box()
        assert box["x"] + box["width"] <= area["x"] + area["width"] + 1, f"too wide at {width}"
        cell.screenshot(path=str(ARTIFACTS / f"ordering-{width}.png"))
    up = widget.locator("button", has_text="Move up")
    up.nth(1).focus()  # the second entry's button: move it to the top
    page.keyboard.press("Tab")  # its Move down
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expected = [options[1], options[0], *options[2:]]
    record = cell.locator(".course-record")
    record.filter(has_text=" → ".join(expected)).wait_for()
    assert f"{options[1]} moved to position 1 of 5." in widget.locator("[role=status]").inner_text()
    assert widget.locator(".widget-html-content").first.inner_text().startswith(f"1. {options[1]}")
    assert up.first.is_disabled()
    cell.screenshot(path=str(ARTIFACTS / "ordering-after-move-1024.png"))
    page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
    page.keyboard.press("Control+s")
    path = lab.root / "student" / f"{ASSIGNMENT}.ipynb"
    found, deadline = None, time.monotonic() + 20
    while found != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        found = records.find(json.loads(path.read_text())).get(ITEM)
    assert found == expected, "the saved notebook does not record the order"
