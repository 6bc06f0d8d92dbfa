"""The course in the browser (JupyterLite), for real: ``course-publish --lite`` builds the site
from the student edition, a local static server serves it on 127.0.0.1, and Chromium, with
every request off 127.0.0.1 aborted, runs 00-start-here, 01-model and the capstone, answers by
clicking, reloads, restarts the browser, downloads the notebook, and ``course-grade
--zip-collect`` scores it exactly as the same answers given as code. Figures (build time,
size, first-load bytes, kernel ready, Run All) are printed with ``-s -n0``; none is asserted."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from course_copy import BIN, REPO, CourseCopy, require_sandbox, unavailable, with_answers_as_code
from lab_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, TIMEOUT_MS, Clock

from course import content, records

pytestmark = pytest.mark.lite

ASSIGNMENT = "01-model"
NB = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
SHOTS = ARTIFACTS / "lite"
KERNEL_TIMEOUT_MS = 240_000  # Pyodide's first start on a loaded 2-core machine


class Site(http.server.ThreadingHTTPServer):
    """The built site on 127.0.0.1, as any static host serves it; counts the bytes it sends."""

    def __init__(self, folder: Path):
        handler = functools.partial(_Files, directory=str(folder))
        super().__init__(("127.0.0.1", 0), handler)
        self.folder, self.sent = folder, 0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Files(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def copyfile(self, source, outputfile) -> None:
        super().copyfile(source, outputfile)
        self.server.sent += source.tell()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium")
    edition = tmp_path_factory.mktemp("lite") / "edition"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    started = time.monotonic()
    done = subprocess.run([str(BIN / "course-publish"), str(edition), "--lite", "--root",
                           str(REPO)], capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"\n[lite] {done.stdout.strip()} ({time.monotonic() - started:.0f} s in all)")
    server = Site(edition / "docs")
    try:
        yield server
    finally:
        server.shutdown()


class Browser:
    """Chromium on a profile that outlives it (a browser restart), every request that does
    not go to the site aborted and remembered."""

    def __init__(self, playwright, profile: Path, site: Site):
        self.blocked: list[str] = []
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1440, "height": 900}, accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.route("**/*", self._route)
        self.site = site

    def _route(self, route) -> None:
        url = route.request.url
        if not url.startswith(self.site.url):
            self.blocked.append(url)
            route.abort()
        elif url.split("?")[0].endswith("/jupyter-lite.json"):
            # JupyterLab's own switch for tests (galata's): window.jupyterapp, whose
            # ``restored`` says when the saved layout is back (see ``open``)
            served = route.fetch()
            config = served.json()
            config.setdefault("jupyter-config-data", {})["exposeAppInBrowser"] = "true"
            route.fulfill(response=served, json=config)
        else:
            route.continue_()

    def open(self, path: str, clock: Clock):
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.goto(f"{self.site.url}lab/index.html?path={path}")
        # JupyterLite opens ?path= once the app has started, and the saved layout, restored
        # later, may replace it: once restored, open it as the file browser does (a no-op
        # when it is already open) and wait until it is on show
        page.wait_for_function("() => window.jupyterapp")
        page.evaluate("async path => { await window.jupyterapp.restored;"
                      " await window.jupyterapp.commands.execute('docmanager:open', {path}); }",
                      path)
        page.wait_for_function(
            "path => window.jupyterapp.shell.currentWidget?.context?.path === path", arg=path)
        page.locator(f"{NB} .jp-Cell").first.wait_for()
        kernel_idle(page)
        clock.step(f"{path}: open, kernel ready")
        return page


def kernel_idle(page) -> None:
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"Pyodide\) \| Idle$")).wait_for(
        timeout=KERNEL_TIMEOUT_MS)


def run_all(page, clock: Clock, what: str) -> None:
    """Run ▸ Run All Cells, then wait until the last code cell shows its new output: an error
    would have stopped JupyterLite's queue before it (the inputs are hidden, so the prompts
    show no execution counts)."""
    last = ("nb => [...document.querySelectorAll(nb + ' .jp-CodeCell')].pop()"
            "?.querySelector('.jp-OutputArea-output')")
    page.evaluate(f"nb => {{ window.__lastOutput = ({last})(nb); }}", NB)
    page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu li[data-command='runmenu:run-all']").click()
    page.wait_for_function(
        f"nb => {{ const out = ({last})(nb);"
        " return out && (!window.__lastOutput || !window.__lastOutput.isConnected); }",
        arg=NB, timeout=KERNEL_TIMEOUT_MS)
    kernel_idle(page)
    errors = page.locator(f"{NB} .jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']").all_inner_texts()
    assert not errors, f"{what}: error or stderr output after Run All: {errors}"
    clock.step(f"{what}: Run All ran every cell")


def shots(page, name: str, target=None) -> None:
    """``name``-1024.png and -1440.png in test-artifacts/lite/, ``target`` at the top."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1024, 768), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        if target is not None:
            target.first.evaluate("node => node.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1440, "height": 900})


def cell_of(page, text: str):
    return page.locator(f"{NB} .jp-CodeCell").filter(
        has=page.locator(".jupyter-widgets .widget-html-content, .course-fallback",
                         has_text=text))


def answer_by_clicking(page) -> dict[str, Any]:
    """Answer 01-model's graded items with the widgets: a single choice, two options of a
    multiple choice, two rows of the matrix; returns the answers given."""
    items = content.checkpoints()
    given: dict[str, Any] = {}
    for item, info in items.items():
        if not item.startswith("cp-01-"):
            continue
        cell = cell_of(page, info["prompt"])
        if info["kind"] == "single":
            given[item] = info["options"][0]
            cell.locator(f"input[type=radio][data-value={json.dumps(given[item])}]").click()
        elif info["kind"] == "multiple":
            given[item] = info["options"][:2]
            for option in given[item]:
                cell.locator(".widget-checkbox").filter(has_text=option).locator(
                    "input").click()
        elif info["kind"] == "matrix":
            rows = [row["id"] for row in info["rows"]][:2]
            given[item] = dict(zip(rows, ["Customer", "AWS"], strict=True))
            for number, owner in enumerate(given[item].values()):
                cell.locator(".widget-dropdown select").nth(number).select_option(owner)
        record_line(page, item, given[item]).wait_for()
    return given


def record_line(page, item: str, answer: Any):
    """The record line that shows ``answer`` to ``item`` (and no longer answer)."""
    shown = records.bundle(item, records.check(item, answer), stamp=False)["text/plain"]
    return page.locator(f"{NB} .course-record").filter(
        has_text=re.compile(rf"^\s*{re.escape(shown)}\s*$"))


def answer_a_practice_check(page) -> str:
    """Answer the first check of 01-model's practice set right at the first try (it counts
    towards mastery)."""
    question = content.questions()[content.concepts()[ASSIGNMENT]["practice"][0]]
    cell = page.locator(f"{NB} .jp-CodeCell").filter(
        has=page.locator(".course-prompt", has_text=question["prompt"])).first
    key = question["answer"]
    for option in key if isinstance(key, list) else [key]:
        cell.locator(f"input[data-value={json.dumps(option)}]").click()
    cell.get_by_role("button", name="Check").click()
    cell.locator(".course-verdict.course-right").wait_for()
    return question["id"]


def tally(page) -> str:
    return page.locator(f"{NB} .course-concept .course-map-after").inner_text()


def save(page, path: str) -> dict[str, Any]:
    """File ▸ Save (the command Ctrl+S gives), awaited until the browser's storage holds the
    notebook (watching the tab's unsaved mark raced: it can be gone before the save starts);
    returns the notebook as saved."""
    return page.evaluate(
        "async path => { await window.jupyterapp.commands.execute('docmanager:save');"
        " return (await window.jupyterapp.serviceManager.contents.get(path, {content: true}))"
        ".content; }", path)


def download(page, into: Path) -> dict[str, Any]:
    page.locator(".lm-MenuBar-item", has_text="File").first.click()
    with page.expect_download() as started:
        page.locator(".lm-Menu li[data-command='docmanager:download']").click()
    started.value.save_as(str(into))
    return json.loads(into.read_text())


def test_the_course_runs_offline_in_the_browser_and_grades_as_in_jupyterlab(
        site: Site, tmp_path: Path):
    """Issue 20: every notebook runs whole; widget answers and mastery progress survive a
    reload and a browser restart; a saved notebook reopens readable; the downloaded
    notebook scores exactly as the same answers typed as code; nothing leaves 127.0.0.1."""
    from playwright.sync_api import expect, sync_playwright

    require_sandbox()
    clock = Clock("lite")
    profile = tmp_path / "profile"
    with sync_playwright() as playwright:
        browser = Browser(playwright, profile, site)
        page = browser.open("00-start-here/00-start-here.ipynb", clock)
        print(f"[lite] first visit: {site.sent / 1e6:.1f} MB served until the kernel was ready")
        run_all(page, clock, "00-start-here")
        expect(page.locator(f"{NB} .course-map").first).to_be_visible()
        shots(page, "00-start-here")
        kept = page.locator(f"{NB} .course-keeping")  # what keeps the work here, not Binder's
        expect(kept).to_contain_text("in this browser on this computer")
        expect(kept).to_contain_text("storage.pack_work()")
        expect(kept).not_to_contain_text("home folder")
        # no cell toolbar on the cell Run All leaves active (LITE_SETTINGS, as postBuild)
        expect(page.locator(f"{NB} .jp-Cell.jp-mod-active")).to_have_count(1)
        expect(page.locator(f"{NB} .jp-cell-toolbar")).to_have_count(0)
        # the site's settings reach JupyterLab: no cell-type drop-down (course.lite.OVERRIDES)
        expect(page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-toolbarCellType")
               ).to_have_count(0)
        expect(page.locator(".jp-NotebookPanel-toolbar")).to_be_visible()
        shots(page, "00-start-here-keeping", kept)

        page = browser.open(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", clock)
        run_all(page, clock, ASSIGNMENT)
        expect(page.locator(f"{NB} .course-submit")).to_contain_text(
            "in this browser on this computer")  # and File ▸ Download, then the LMS
        answered = answer_by_clicking(page)
        answer_a_practice_check(page)
        clock.step(f"answered {sorted(answered)} and a practice check by clicking")
        run_all(page, clock, f"{ASSIGNMENT} again")  # the card now counts the practice check
        counted = tally(page)
        assert "right at the first try: 1;" in counted, counted
        first_item = content.checkpoints()[sorted(answered)[0]]["prompt"]
        shots(page, ASSIGNMENT, cell_of(page, first_item))
        saved = save(page, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
        assert records.find(saved) == {item: records.check(item, answer)
                                       for item, answer in answered.items()}

        page.reload()  # a new kernel: answers and progress come from the browser's storage
        page.locator(f"{NB} .jp-Cell").first.wait_for()
        # the companion outputs take over once the widgets' messages stay (course.widgets.saved)
        expect(page.locator(f"{NB} .course-fallback").first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_function(
            "nb => !/Loading widget|Error displaying widget/.test(document.querySelector(nb)"
            ".innerText)", arg=NB, timeout=TIMEOUT_MS)
        shots(page, f"{ASSIGNMENT}-reopened", page.locator(f"{NB} .jp-CodeCell").filter(
            has=page.locator(".course-fallback", has_text=first_item)))
        kernel_idle(page)
        run_all(page, clock, f"{ASSIGNMENT} after a reload")
        assert tally(page) == counted
        for item, answer in answered.items():
            expect(record_line(page, item, answer)).to_have_count(1)
        browser.context.close()
        clock.step("reloaded: answers and progress kept; browser closed")

        browser = Browser(playwright, profile, site)
        page = browser.open(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", clock)
        run_all(page, clock, f"{ASSIGNMENT} after a browser restart")
        assert tally(page) == counted
        downloaded = download(page, tmp_path / f"lite_101_1_{ASSIGNMENT}.ipynb")
        assert records.find(downloaded) == {item: records.check(item, answer)
                                            for item, answer in answered.items()}

        page = browser.open("10-capstone/10-capstone.ipynb", clock)
        run_all(page, clock, "10-capstone")
        builder = page.locator(f"{NB} .jp-CodeCell").filter(
            has=page.locator(".course-builder-status"))
        builder.locator(".widget-checkbox input").first.click()  # a service, then a row of it
        section = builder.locator(".course-builder-service").first
        section.locator("select").nth(0).select_option(index=1)
        section.locator("select").nth(1).select_option(index=1)
        expect(builder.locator(".course-record")).to_contain_text("Saved:")
        shots(page, "10-capstone", builder)
        browser.context.close()
    assert browser.blocked == []

    course = CourseCopy(tmp_path / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    downloads = tmp_path / "lms"
    downloads.mkdir()
    lite_download = f"lite_101_1_{ASSIGNMENT}.ipynb"
    (tmp_path / lite_download).rename(downloads / lite_download)
    code = with_answers_as_code(course.notebook("release", ASSIGNMENT), answered)
    (downloads / f"code_202_2_{ASSIGNMENT}.ipynb").write_text(json.dumps(code))
    done = subprocess.run([str(BIN / "course-grade"), ASSIGNMENT, "--zip-collect",
                           str(downloads), "--quiet"], cwd=course.root, capture_output=True,
                          text=True, timeout=900,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stdout + done.stderr
    scores = course.scores(ASSIGNMENT)
    print(f"[lite] scores: {scores}")
    # Canvas-style names: students by LMS id (course/grading/lms.toml): 101 Lite, 202 code
    assert scores["101"] == scores["202"] and scores["101"] > 0, scores
    clock.step("graded through course-grade --zip-collect")
