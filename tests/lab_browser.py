"""Shared set-up of the browser tests: one private JupyterLab server and one headless Chromium
per test module, artifacts kept when a test fails, and the few steps every test takes in a
notebook (open it, use the Run menu). conftest.py loads this module as a plugin; a test
module that uses ``lab`` or ``browser`` defines ``lab_root``, the folder JupyterLab serves."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from course_copy import REPO, unavailable
from jupyterlab_server import JupyterLab

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT_MS = 60_000
KERNEL_TIMEOUT_MS = 180_000
"""A kernel's start, or a notebook's Run All, with both test workers and their browsers on a
2-core machine (a 60 s wait ran out once, in a loaded run)."""
NB = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the notebook on show


class Clock:
    """Prints how long each step took (visible with ``pytest -s -n0``: output not captured)."""

    def __init__(self, name: str):
        self.name = name
        self.start = self.last = time.monotonic()

    def step(self, what: str) -> None:
        now = time.monotonic()
        print(f"[{self.name}] {now - self.start:6.1f}s (+{now - self.last:4.1f}s) {what}",
              flush=True)
        self.last = now


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def lab(chromium: Path, lab_root: Path, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[JupyterLab]:
    server = JupyterLab(lab_root, tmp_path_factory.mktemp("jupyter-home")).start()
    try:
        # These tests drive JupyterLab's tabs: the tabbed interface, not the simple one a
        # student starts in (postBuild; tests/test_view_shell.py checks that one).
        server.api("PUT", "/lab/api/settings/@jupyterlab/application-extension:shell",
                   {"raw": json.dumps({"startMode": "multiple"})})
        server.delete_sessions()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(chromium: Path, lab: JupyterLab, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(chromium),
            headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def artifacts_on_failure(request: pytest.FixtureRequest, browser, lab: JupyterLab
                         ) -> Iterator[None]:
    """When a test fails, keep a screenshot and the HTML of every open page, and the server
    log, in test-artifacts/<test name>/; after every test, close its pages and kernels.
    (A module uses it with ``pytest.mark.usefixtures("artifacts_on_failure")``.)"""
    yield
    try:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            save_artifacts(request)
    finally:  # no page and no kernel of a test outlives it
        for page in browser.pages:
            page.close()
        lab.delete_sessions()


def save_artifacts(request: pytest.FixtureRequest) -> None:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    context = request.getfixturevalue("browser")
    for number, page in enumerate(context.pages):
        try:
            page.screenshot(path=str(folder / f"page-{number}.png"), full_page=True)
            (folder / f"page-{number}.html").write_text(page.content())
        except Exception as error:  # a crashed page must not hide the real failure
            print(f"could not save page {number}: {error}")
    lab = request.getfixturevalue("lab")
    if lab.log_path.exists():
        shutil.copy(lab.log_path, folder / "jupyterlab.log")
    print(f"artifacts saved in {folder}")


# --------------------------------------------------------------------------- notebook steps

_workspaces = 0


def open_notebook(context, lab: JupyterLab, path: str):
    """A new page showing ``path``, its kernel idle; in a workspace of its own, so no other
    notebook tab is restored."""
    global _workspaces
    _workspaces += 1
    page = context.new_page()
    page.goto(lab.lab_url(path, workspace=f"test-{_workspaces}"))
    page.locator(f"{NB} .jp-Cell").first.wait_for()
    wait_idle(page)
    return page


def wait_idle(page) -> None:
    """The kernel is connected and idle: the status bar says "| Idle" (a Run All given while
    it said "| Connecting" ran no cell here), and no cell is executing (the execution
    indicator, hidden in narrow windows)."""
    page.locator(".jp-StatusBar-TextItem[title^='Change kernel']",
                 has_text=re.compile(r"\| Idle$")).wait_for(timeout=KERNEL_TIMEOUT_MS)
    # One in the status bar and, with postBuild's toolbar, one in the notebook's toolbar:
    # both show the same kernel.
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=KERNEL_TIMEOUT_MS)


def run_menu(page, command: str) -> None:
    """Focus the first cell (Run menu commands stay disabled until a cell has focus), then
    choose ``command`` from the Run menu."""
    page.locator(f"{NB} .jp-Cell .jp-InputPrompt:visible").first.click()
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(f".lm-Menu li[data-command='{command}']").click()


@contextmanager
def static_page(chromium: Path, html: str, folder: Path, width: int, height: int = 1000):
    """``html`` as a file opened in headless Chromium at ``width`` px (a page that needs no
    server, opened as a reviewer opens a file); nothing on it may be wider than the window."""
    from playwright.sync_api import sync_playwright

    page_file = folder / "page.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium))
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            yield page
        finally:
            browser.close()
