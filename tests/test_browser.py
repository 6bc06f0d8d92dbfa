"""Graded answers given in a real JupyterLab in headless Chromium: by mouse and by keyboard,
kept through re-runs, save, close, reopen and kernel restarts, and scored by nbgrader
exactly as the same answers typed as code."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from course_copy import CourseCopy, with_answers_as_code
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS, NB, TIMEOUT_MS, Clock, open_notebook, run_menu, wait_idle
from test_capstone import HONEST

from course import content, records

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("artifacts_on_failure")]

ASSIGNMENT = "01-model"
NOTEBOOK = f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
ITEMS = ("cp-01-rds-engine", "cp-01-customer-side", "cp-01-webshop-matrix")
UNSET = "—"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
OWNER_OPTIONS = [UNSET, *records.OWNERS]

RDS_CLICK = "Customer"  # wrong: 0 of 1
CUSTOMER_CLICKS = ["Encrypting the order database",  # 2 right, 0 wrong: 2 * 2/3
                   "Writing IAM policies for its developers"]
MATRIX_KEYS = {  # in row order; 4 of 6 rows right: 3 * 4/6
    "replace-disks": "AWS", "kernel-update": "Customer", "ssh-rule": "AWS",
    "patch-control": "Customer", "key-rotation": "Customer", "hypervisor-escape": "AWS",
}
ANSWERS = {"cp-01-rds-engine": RDS_CLICK, "cp-01-customer-side": CUSTOMER_CLICKS,
           "cp-01-webshop-matrix": MATRIX_KEYS}
EXPECTED_CELL_SCORES = {"test_rds_engine": 0.0, "test_customer_side": 2 * 2 / 3,
                        "test_webshop_matrix": 0.5 * 4}
EXPECTED_TOTAL = sum(EXPECTED_CELL_SCORES.values())


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    """A course copy with a fresh release: JupyterLab serves it, nbgrader grades in it."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    course.pristine_release = course.notebook("release", ASSIGNMENT)  # type: ignore[attr-defined]
    return course


@pytest.fixture(scope="module")
def lab_root(course: CourseCopy) -> Path:
    return course.root


# --------------------------------------------------------------------------- JupyterLab


def record_text(item: str, answer: Any) -> str:
    """The record line a student sees for ``answer`` (without its ✔/✎ mark)."""
    return records.bundle(item, answer)["text/plain"]


class Notebook:
    """One notebook open in a JupyterLab page, driven like a student would."""

    def __init__(self, context, lab: JupyterLab, path: str, clock: Clock):
        self.lab, self.path, self.clock = lab, path, clock
        self.page = open_notebook(context, lab, path)
        clock.step(f"opened {path}")

    @property
    def file(self) -> Path:
        return self.lab.root / self.path

    def wait_idle(self) -> None:
        wait_idle(self.page)

    # ---- locating the graded items by the prompt their widget shows
    def cell(self, item: str):
        prompt = content.checkpoints()[item]["prompt"]
        return self.page.locator(f"{NB} .jp-CodeCell").filter(
            has=self.page.locator(".jupyter-widgets .widget-html-content, .course-fallback",
                                  has_text=prompt))

    def record(self, item: str):
        return self.cell(item).locator(".course-record")

    def radios(self, item: str):
        return self.cell(item).locator(".widget-radio-box input[type=radio]")

    def checkbox(self, item: str, option: str):
        return self.cell(item).locator(".widget-checkbox").filter(has_text=option).locator(
            "input[type=checkbox]")

    def selects(self, item: str):
        return self.cell(item).locator(".widget-dropdown select")

    def cell_count(self) -> int:
        return self.page.locator(f"{NB} .jp-Cell").count()

    # ---- running
    def _mark_outputs(self) -> None:
        self.page.evaluate("(nb) => { window.__oldRecords ="
                           " Array.from(document.querySelectorAll(nb + ' .course-record')); }", NB)

    def _wait_rerun(self, records_expected: int) -> None:
        """Every record line shown before has been replaced, no cell is queued or running."""
        self.page.wait_for_function(
            """([nb, n]) => {
                const prompts = Array.from(
                    document.querySelectorAll(nb + ' .jp-CodeCell .jp-InputPrompt'));
                return (window.__oldRecords || []).every(node => !node.isConnected)
                    && prompts.every(p => !p.textContent.includes('*'))
                    && document.querySelectorAll(nb + ' .course-record').length === n;
            }""", arg=[NB, records_expected], timeout=TIMEOUT_MS)
        self.wait_idle()

    def _run_menu(self, command: str) -> None:
        run_menu(self.page, command)

    def run_all(self, record_lines: int = len(ITEMS)) -> None:
        """Run ▸ Run All Cells (the ``runmenu:run-all`` command), then wait for the widgets
        (those of 01-model, unless another notebook with ``record_lines`` is open)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self._mark_outputs()
        for _attempt in range(3):  # right after opening, the command is sometimes ignored
            self._run_menu("runmenu:run-all")
            try:
                # Started: an output shown before is gone, or a fresh notebook shows one
                # (inputs are hidden, so their prompts show no execution count).
                self.page.wait_for_function(
                    "nb => { const old = window.__oldRecords || [];"
                    " return old.length ? old.some(n => !n.isConnected)"
                    " : document.querySelector(nb + ' .jp-CodeCell .jp-OutputArea-output')"
                    " !== null; }", arg=NB, timeout=15_000)
                break
            except PlaywrightTimeout:
                self.clock.step("Run All did not start; choosing it again")
        self._wait_rerun(record_lines)
        if record_lines == len(ITEMS):
            self.wait_widgets()
        self.clock.step("Run All finished")

    def restart_and_run_all(self) -> None:
        self._mark_outputs()
        self._run_menu("runmenu:restart-and-run-all")
        self.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        self._wait_rerun(len(ITEMS))
        self.wait_widgets()
        self.clock.step("Restart Kernel and Run All finished")

    def rerun_cell(self, item: str) -> None:
        """Select the answer cell of ``item`` by clicking its header (its input is hidden, as
        a student sees it) and press Shift+Enter: its widget and record line are drawn anew."""
        cell = self.cell(item)
        old_record = cell.locator(".course-record").element_handle()
        cell.locator(".jupyter-widgets .course-graded-header").first.click()
        self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_function("node => !node.isConnected", arg=old_record)
        self.wait_idle()
        self.cell(item).locator(".jupyter-widgets").first.wait_for()
        self.clock.step(f"re-ran the {item} cell with Shift+Enter")

    def wait_widgets(self) -> None:
        self.radios("cp-01-rds-engine").first.wait_for()
        self.checkbox("cp-01-customer-side", CUSTOMER_CLICKS[0]).wait_for()
        self.selects("cp-01-webshop-matrix").first.wait_for()

    # ---- files and sessions
    def save(self, expected: dict[str, Any]) -> dict[str, Any]:
        """Ctrl+S, then wait until the notebook file on disk records ``expected``."""
        self.page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
        self.page.keyboard.press("Control+s")
        deadline = time.monotonic() + 20
        found: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                saved = json.loads(self.file.read_text())
                found = records.find(saved)
                if found == expected:
                    self.clock.step("saved with Ctrl+S")
                    return saved
            except ValueError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"The saved notebook records {found}, not {expected}")

    def kernel_id(self) -> str:
        deadline = time.monotonic() + 30
        while True:
            sessions = self.lab.sessions()
            mine = [s for s in sessions if s["path"] == self.path]
            if len(mine) == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(mine) == 1, f"sessions for {self.path}: {sessions}"
        return mine[0]["kernel"]["id"]

    def close(self) -> int:
        """Close the browser tab, then delete the kernel sessions it leaves running."""
        self.page.close()
        deleted = self.lab.delete_sessions()
        self.clock.step(f"closed the page, deleted {deleted} session(s)")
        return deleted

    # ---- what the student sees
    def expect_records(self, answers: dict[str, Any]) -> None:
        from playwright.sync_api import expect

        for item in ITEMS:
            expect(self.record(item)).to_have_count(1)
            expect(self.record(item)).to_contain_text(record_text(item, answers.get(item)))

    def expect_widgets(self, answers: dict[str, Any]) -> None:
        from playwright.sync_api import expect

        rds = answers.get("cp-01-rds-engine")
        for radio in self.radios("cp-01-rds-engine").all():
            if radio.get_attribute("data-value") == rds:
                expect(radio).to_be_checked()
            else:
                expect(radio).not_to_be_checked()
        chosen = answers.get("cp-01-customer-side") or []
        for option in content.checkpoints()["cp-01-customer-side"]["options"]:
            box = self.checkbox("cp-01-customer-side", option)
            if option in chosen:
                expect(box).to_be_checked()
            else:
                expect(box).not_to_be_checked()
        matrix = answers.get("cp-01-webshop-matrix") or {}
        selects = self.selects("cp-01-webshop-matrix")
        rows = [row["id"] for row in content.checkpoints()["cp-01-webshop-matrix"]["rows"]]
        expect(selects).to_have_count(len(rows))
        for number, row in enumerate(rows):
            expect(selects.nth(number)).to_have_value(matrix.get(row, UNSET))

    def focused_is(self, locator) -> bool:
        return locator.evaluate("node => node === document.activeElement")

    def quiz(self, question: str):
        prompt = content.questions()[question]["prompt"]
        return self.page.locator(f"{NB} .jp-CodeCell").filter(
            has=self.page.locator(".course-prompt", has_text=prompt)).first

    def cell_kinds(self) -> list[str]:
        """Every cell's type, in order: a key that edits cells changes this."""
        return self.page.eval_on_selector_all(
            f"{NB} .jp-Cell", "cells => cells.map(c => c.classList.contains('jp-CodeCell') ?"
            " 'code' : c.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw')")

    def expect_fallbacks_not_errors(self, saved: dict[str, Any]) -> int:
        """The reopened notebook shows, for each course widget the file holds, its readable
        fallback and the line saying to run its cell, and no widget message ("Loading
        widget...", "Error displaying widget") where a student looks; returns how many."""
        from playwright.sync_api import expect

        outputs = [o.get("data", {}) for c in saved["cells"] for o in c.get("outputs", [])]
        # an element of that class, not the word (the course's stylesheet, kept with some
        # outputs, names it too)
        widgets = [d for d in outputs if WIDGET_VIEW in d and '<div class="course-fallback">'
                   in str(d.get("text/html", ""))]
        assert widgets
        self.page.wait_for_function(
            "nb => !/Loading widget|Error displaying widget/.test("
            "document.querySelector(nb).innerText)", arg=NB)  # as shown, not hidden copies
        shown = self.page.locator(f"{NB} .course-fallback >> visible=true")
        expect(shown).to_have_count(len(widgets))
        expect(self.page.locator(f"{NB} .course-run-again >> visible=true")).to_have_count(
            len(widgets))
        # where a student looks: the widget outputs the companions stand in for are hidden
        expect(self.page.locator(NB).get_by_text("Error displaying widget").filter(
            visible=True)).to_have_count(0)
        return len(widgets)


def screenshots(page, name: str, target=None) -> list[Path]:
    """``name``-1024.png and ``name``-1440.png in test-artifacts/screens/: the window, or
    ``target`` (the window from its top, when it is taller), at the widths students use."""
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for width, height in ((1024, 768), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        path = folder / f"{name}-{width}.png"
        box = target.bounding_box() if target is not None else None
        if box is None or box["height"] > height - 150:
            if target is not None:
                target.evaluate("n => n.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(path))
        else:
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(path))
        paths.append(path)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return paths


def choose_by_keyboard(notebook: Notebook, item: str, owners: list[str]) -> None:
    """Fill the matrix with the keyboard only: focus the first drop-down, then per row open
    its list (F4), move down to the owner, Enter, and Tab to the next row."""
    from playwright.sync_api import expect

    page = notebook.page
    selects = notebook.selects(item)
    selects.first.focus()
    for number, owner in enumerate(owners):
        current = selects.nth(number)
        assert notebook.focused_is(current), f"row {number} of {item} does not have focus"
        page.keyboard.press("F4")
        for _ in range(OWNER_OPTIONS.index(owner) - OWNER_OPTIONS.index(current.input_value())):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(current).to_have_value(owner)
        if number < len(owners) - 1:
            page.keyboard.press("Tab")
    notebook.clock.step(f"answered {item} by keyboard")


def copy_release(course: CourseCopy, folder: str) -> str:
    """A fresh copy of the release notebook at ``folder/01-model.ipynb`` under the lab root."""
    target = course.root / folder / f"{ASSIGNMENT}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(course.pristine_release))  # type: ignore[attr-defined]
    return f"{folder}/{ASSIGNMENT}.ipynb"


# --------------------------------------------------------------------------- tests


def test_clicked_and_typed_answers_survive_reopening_and_grade_like_code(
        course: CourseCopy, lab: JupyterLab, browser):
    """Issue 3: answers given by mouse and keyboard in JupyterLab are recorded, survive a
    re-run, save, close and reopen in a fresh kernel, a restart, and autograde to exactly the
    scores of the same answers typed as code."""
    from playwright.sync_api import expect

    clock = Clock("browser")
    notebook = Notebook(browser, lab, NOTEBOOK, clock)
    notebook.run_all()
    notebook.expect_records({})
    notebook.expect_widgets({})

    # 1. By mouse: a radio option and two checkboxes.
    notebook.radios("cp-01-rds-engine").and_(
        notebook.page.locator(f"[data-value='{RDS_CLICK}']")).click()
    expect(notebook.record("cp-01-rds-engine")).to_contain_text(
        record_text("cp-01-rds-engine", RDS_CLICK))
    for number, option in enumerate(CUSTOMER_CLICKS, start=1):
        notebook.checkbox("cp-01-customer-side", option).click()
        expect(notebook.record("cp-01-customer-side")).to_contain_text(
            record_text("cp-01-customer-side", CUSTOMER_CLICKS[:number]))
    clock.step("answered by mouse")

    # 2. By keyboard only: the matrix, 4 of 6 rows right.
    cells_before = notebook.cell_count()
    choose_by_keyboard(notebook, "cp-01-webshop-matrix", list(MATRIX_KEYS.values()))
    assert notebook.cell_count() == cells_before, "typing in the matrix changed the notebook"
    # 3. Every record line shows the answers.
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)

    # Try to lose an answer: re-run one answer cell in the same kernel.
    notebook.rerun_cell("cp-01-rds-engine")
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)
    # ...and Run All in the same kernel.
    notebook.run_all()
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)

    saved = notebook.save(ANSWERS)
    first_kernel = notebook.kernel_id()
    assert notebook.close() >= 1
    assert lab.sessions() == []

    # 4. Reopen in a fresh kernel: before anything runs, every widget shows its readable
    # fallback (the saved notebook keeps no view of a model that died with the kernel), and
    # the record lines show the answers; after Run All the widgets show them again.
    notebook = Notebook(browser, lab, NOTEBOOK, clock)
    assert notebook.kernel_id() != first_kernel
    shown = notebook.expect_fallbacks_not_errors(saved)
    notebook.expect_records(ANSWERS)
    clock.step(f"reopened: {shown} fallbacks, no widget errors")
    screenshots(notebook.page, "reopened-fallback", notebook.page.locator(
        f"{NB} .jp-CodeCell").filter(has=notebook.page.locator(".course-practice")).first)
    screenshots(notebook.page, "reopened-graded", notebook.cell("cp-01-customer-side"))
    notebook.run_all()
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)

    # Try to lose an answer: restart the kernel and Run All (the answers are saved).
    notebook.restart_and_run_all()
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)
    notebook.rerun_cell("cp-01-webshop-matrix")
    notebook.expect_records(ANSWERS)
    notebook.expect_widgets(ANSWERS)

    # 5. Save again, submit what is on disk, and autograde it.
    saved = notebook.save(ANSWERS)
    notebook.close()
    assert records.find(saved) == ANSWERS

    course.submit("clicked", ASSIGNMENT, saved)
    # 6. The same answers given as code, in the same autograde.
    course.submit("typed", ASSIGNMENT,
                  with_answers_as_code(course.pristine_release, ANSWERS))  # type: ignore[attr-defined]
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    clock.step("autograded")
    clicked = course.cell_scores("clicked", ASSIGNMENT)
    typed = course.cell_scores("typed", ASSIGNMENT)
    assert clicked == pytest.approx(EXPECTED_CELL_SCORES, abs=1e-3)
    assert typed == clicked
    totals = course.scores(ASSIGNMENT)
    assert totals["clicked"] == pytest.approx(EXPECTED_TOTAL, abs=1e-3)
    assert totals["typed"] == totals["clicked"]


def test_answer_given_after_the_last_save_survives_restart_and_run_all(
        course: CourseCopy, lab: JupyterLab, browser):
    """A click made after the last save must not be undone by Restart Kernel and Run All:
    the record line showed it, so the student believes it is recorded."""
    clock = Clock("unsaved-restart")
    notebook = Notebook(browser, lab, copy_release(course, "lose-restart"), clock)
    notebook.run_all()
    notebook.radios("cp-01-rds-engine").and_(
        notebook.page.locator("[data-value='Customer']")).click()
    notebook.save({"cp-01-rds-engine": "Customer"})
    notebook.radios("cp-01-rds-engine").and_(notebook.page.locator("[data-value='AWS']")).click()
    notebook.expect_records({"cp-01-rds-engine": "AWS"})
    clock.step("changed the answer to AWS, not saved")

    notebook.restart_and_run_all()
    notebook.expect_records({"cp-01-rds-engine": "AWS"})
    notebook.expect_widgets({"cp-01-rds-engine": "AWS"})
    notebook.close()


def test_graded_dropdowns_answer_to_the_arrow_and_letter_keys(
        course: CourseCopy, lab: JupyterLab, browser):
    """The usual keys of a drop-down (arrow keys, typing an option's first letter) must choose
    in the graded matrix, not move to another cell or insert one ("Every widget also works
    by keyboard", says the notebook)."""
    clock = Clock("keyboard-keys")
    notebook = Notebook(browser, lab, copy_release(course, "lose-keys"), clock)
    notebook.run_all()
    item = "cp-01-webshop-matrix"
    selects = notebook.selects(item)
    cells = notebook.cell_count()
    problems = []
    for number, (keys, owner) in enumerate([(["ArrowDown"], "AWS"),
                                            (["ArrowDown", "ArrowDown"], "Customer"),
                                            (["a"], "AWS"), (["c"], "Customer")]):
        select = selects.nth(number)
        select.focus()
        for key in keys:
            notebook.page.keyboard.press(key)
        time.sleep(0.5)
        got = select.input_value()
        if got != owner or not notebook.focused_is(select) or notebook.cell_count() != cells:
            problems.append(f"{'+'.join(keys)} on row {number}: value {got!r} (wanted {owner!r}),"
                            f" focus kept: {notebook.focused_is(select)},"
                            f" cells {cells} → {notebook.cell_count()}")
        cells = notebook.cell_count()
    clock.step("tried arrow and letter keys")
    notebook.close()
    assert not problems, "\n".join(problems)


COLOURS = "n => [getComputedStyle(n).color, getComputedStyle(n).backgroundColor]"


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast of two CSS ``rgb(...)`` colours."""

    def luminance(css: str) -> float:
        channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_save_and_run_keys_reach_jupyterlab_and_cell_keys_stay_with_the_controls(
        course: CourseCopy, lab: JupyterLab, browser):
    """With focus on a quiz radio button, a checkbox, a matrix drop-down or the glossary
    box: Ctrl+S saves the notebook, single letters do not touch the cells, Shift+Enter runs
    the cell, Tab moves on."""
    from playwright.sync_api import expect

    clock = Clock("keyboard-shield")
    notebook = Notebook(browser, lab, copy_release(course, "keys"), clock)
    notebook.run_all()
    page = notebook.page
    # The notebook's glossary is a closed box: open it, as a student does, to reach its box.
    page.locator(f"{NB} .course-widget").get_by_text(
        re.compile(r"^Terms in this notebook")).first.click()
    controls = {
        "quiz radio": notebook.quiz("q-ec2-guest-os").locator("input[type=radio]").first,
        "checkbox": notebook.checkbox("cp-01-customer-side", CUSTOMER_CLICKS[0]),
        "matrix drop-down": page.locator(f"{NB} .course-matrix-rows select").first,
        "glossary box": page.locator(f"{NB} .course-widget .widget-text input").first,
    }
    kinds = notebook.cell_kinds()
    tab = page.locator(".lm-TabBar-tab.jp-mod-current")
    problems = []
    for name, control in controls.items():
        control.focus()
        for key in ("a", "b", "m", "y", "d", "d", "x"):
            page.keyboard.press(key)
        if notebook.cell_kinds() != kinds:
            problems.append(f"{name}: single letters changed the cells")
        page.keyboard.press("Escape")  # passes to JupyterLab: nothing to undo here
        control.focus()
        before = notebook.file.stat().st_mtime_ns
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 20
        while notebook.file.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.2)
        if notebook.file.stat().st_mtime_ns == before:
            problems.append(f"{name}: Ctrl+S did not save")
        expect(tab).not_to_have_class(re.compile("jp-mod-dirty"))
        screenshots(page, f"focus-{name.replace(' ', '-')}", control.locator(
            "xpath=ancestor::div[contains(@class,'jp-Cell')][1]"))
        clock.step(f"{name}: letters kept, Ctrl+S saved")
    # Tab moves from the radio group to the next control; Shift+Enter runs the quiz's cell.
    radio = controls["quiz radio"]
    radio.focus()
    page.keyboard.press("Tab")
    assert not notebook.focused_is(radio), "Tab did not leave the radio group"
    widget = notebook.quiz("q-ec2-guest-os").locator(".course-widget").first.element_handle()
    radio.focus()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("node => !node.isConnected", arg=widget)  # the cell ran again
    notebook.close()
    assert not problems, "\n".join(problems)


def test_practice_check_marks_wrong_and_right_and_explains_on_request(
        course: CourseCopy, lab: JupyterLab, browser):
    """A wrong try is marked in words, symbol and colour (contrast >= 4.5:1) with a hint and
    no explanation; "Show explanation" and a right answer show it (that answer not counted)."""
    from playwright.sync_api import expect

    clock = Clock("practice-check")
    notebook = Notebook(browser, lab, copy_release(course, "practice"), clock)
    notebook.run_all()
    question = content.questions()["q-ec2-guest-os"]
    cell = notebook.quiz("q-ec2-guest-os")
    cell.locator("input[type=radio][data-value='AWS']").click()
    cell.get_by_role("button", name="Check").click()
    wrong = cell.locator(".course-verdict.course-wrong")
    expect(wrong).to_contain_text("✘ Not quite")
    expect(cell).not_to_contain_text(question["explanation"])
    colours = wrong.evaluate(COLOURS)
    assert contrast(*colours) >= 4.5, colours
    screenshots(notebook.page, "quiz-wrong", cell)
    cell.get_by_role("button", name="Show explanation").click()
    expect(cell).to_contain_text(question["explanation"])
    cell.locator("input[type=radio][data-value='Customer']").click()
    cell.get_by_role("button", name="Check").click()
    right = cell.locator(".course-verdict.course-right")
    expect(right).to_contain_text("✔ Correct")
    expect(right).to_contain_text("does not count towards mastery")  # explained first
    colours = right.evaluate(COLOURS)
    assert contrast(*colours) >= 4.5, colours
    screenshots(notebook.page, "quiz-right", cell)
    sizes = right.locator(".course-aside").evaluate_all(
        "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert sizes and min(sizes) >= 13, sizes  # "Try 2 · does not count": a readable aside
    source = cell.get_by_role("link", name="source")
    assert "underline" in source.evaluate("el => getComputedStyle(el).textDecorationLine")
    clock.step("wrong, explained, right")
    notebook.close()


def test_groups_are_named_by_their_question_and_focus_is_visible(
        course: CourseCopy, lab: JupyterLab, browser):
    """Screen readers hear each radio group and checkbox group with its question and each
    drop-down with its task; the focused control has a ring of >= 2 px at >= 3:1."""
    from playwright.sync_api import expect

    clock = Clock("accessibility")
    notebook = Notebook(browser, lab, copy_release(course, "a11y"), clock)
    notebook.run_all()
    page = notebook.page
    questions, graded = content.questions(), content.checkpoints()
    named = [("radiogroup", questions["q-ec2-guest-os"]["prompt"]),
             ("radiogroup", graded["cp-01-rds-engine"]["prompt"]),
             ("group", graded["cp-01-customer-side"]["prompt"]),
             *[("combobox", row["task"]) for row in graded["cp-01-webshop-matrix"]["rows"]]]
    for role, name in named:
        expect(page.get_by_role(role, name=name, exact=True)).to_have_count(1)
    practice = page.locator(f"{NB} .course-practice-set")  # one check at a time: step on
    for role, question in (("group", "q-of-the-cloud"), ("radiogroup", "q-security-group-rules")):
        practice.get_by_role("button", name="Next").click()
        expect(page.get_by_role(role, name=questions[question]["prompt"], exact=True)
               ).to_have_count(1)
    for _ in range(2):
        practice.get_by_role("button", name="Previous").click()
    clock.step("roles and names")
    # Keyboard focus: from the first radio, Tab reaches the Check button.
    radio = notebook.quiz("q-ec2-guest-os").locator("input[type=radio]").first
    radio.focus()
    page.keyboard.press("ArrowDown")
    focused = page.locator(":focus")
    ring = focused.evaluate("n => { const s = getComputedStyle(n); let b = n, bg;"
                            " do { bg = getComputedStyle(b).backgroundColor; b = b.parentElement; }"
                            " while (b && bg === 'rgba(0, 0, 0, 0)');"
                            " return [s.outlineWidth, s.outlineStyle, s.outlineColor, bg]; }")
    width, style, colour, background = ring
    assert float(width.removesuffix("px")) >= 2 and style != "none", ring
    assert contrast(colour, background) >= 3, ring
    screenshots(page, "focus-ring", notebook.quiz("q-ec2-guest-os"))
    notebook.close()


def test_capstone_builder_records_what_the_code_way_records_and_scores_the_same(
        course: CourseCopy, lab: JupyterLab, browser):
    """Issue 9.6: in JupyterLab, a student picks services, places tasks with owners, justifies
    them and lists controls in the builder, seeing the checks live and what is graded by
    hand; the saved notebook records the very architecture the code way builds, and
    nbgrader gives both the same completeness score."""
    from playwright.sync_api import expect

    from course import capstone

    clock = Clock("capstone-builder")
    assignment = "10-capstone"
    course.nbgrader("generate_assignment", assignment, "--force")
    release = course.notebook("release", assignment)
    expected = capstone.template("clinic-bookings", author="Ada")
    expected["services"] = ["sqs", "kms"]
    rows = [(service, item, owner) for service in expected["services"]
            for item, owner in (("iam", "Customer"), ("physical-security", "AWS"),
                                ("encryption-at-rest", "Shared"))]
    expected["matrix"] = [capstone.row(*row, reason)  # each in the student's own words
                          for row, reason in zip(rows, HONEST, strict=False)]
    expected["controls"] = ["MFA for every human user", "One role per function",
                            "Versioning on every bucket"]

    notebook = Notebook(browser, lab, f"release/{assignment}/{assignment}.ipynb", clock)
    notebook.run_all(record_lines=1)  # the builder's line; the card cell adds none
    page = notebook.page
    cell = page.locator(f"{NB} .jp-CodeCell").filter(has=page.locator(".course-builder-status"))
    status = cell.locator(".course-builder-status")
    expect(status).to_contain_text("Start here")  # what to do, not a count of checks
    expect(status).to_contain_text(capstone.BY_HAND)
    services, items, parties = content.services(), content.items(), content.parties()
    for service in ("elastic-beanstalk", "aurora", "iam"):
        cell.locator(".widget-checkbox").filter(has_text=services[service]["name"]).locator(
            "input").click()
    cell.locator(".widget-text", has_text="Author").locator("input").fill("Ada")
    for service in expected["services"]:
        section = cell.locator(".course-builder-service").filter(
            has_text=services[service]["name"])
        rows = [r for r in expected["matrix"] if r["service"] == service]
        for number, row in enumerate(rows):
            section.locator("select").nth(2 * number).select_option(
                label=items[row["item"]]["name"])
            section.locator("select").nth(2 * number + 1).select_option(
                label=parties[row["owner"]]["label"])
            section.locator(".widget-text input").nth(number).fill(row["justification"])
            page.keyboard.press("Tab")
    cell.locator("textarea").last.fill("\n".join(expected["controls"]))
    page.keyboard.press("Tab")
    expect(status).to_contain_text("✔ Complete")
    expect(cell.locator(".course-record")).to_contain_text(
        record_text(capstone.ITEM, expected))
    clock.step("built an architecture in the builder")
    screenshots(page, "capstone-builder", cell)
    screenshots(page, "capstone-builder-rows", cell.locator(".course-builder-service").first)
    screenshots(page, "capstone-builder-status", status)

    saved = notebook.save({capstone.ITEM: expected})
    notebook.close()
    course.submit("built", assignment, saved)
    typed = json.loads(json.dumps(release))
    for code_cell in typed["cells"]:
        if "".join(code_cell["source"]).startswith("my_architecture = builder.value"):
            code_cell["source"] = f"my_architecture = {expected!r}\n"
    course.submit("typed", assignment, typed)
    course.nbgrader("autograde", assignment, "--force")
    clock.step("autograded")
    built, typed_scores = (course.cell_scores(s, assignment) for s in ("built", "typed"))
    assert built["test_architecture_complete"] == typed_scores["test_architecture_complete"]
    assert built["test_architecture_complete"] == capstone.AUTOGRADED_POINTS
    # What the instructor grades by hand: every justification, though no cell's code has it.
    graded = (course.root / "autograded" / "built" / assignment / f"{assignment}.ipynb")
    shown = json.dumps([c.get("outputs", []) for c in json.loads(graded.read_text())["cells"]])
    assert all(row["justification"] in shown for row in expected["matrix"])
