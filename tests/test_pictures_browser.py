"""The course's pictures as a student sees them: the notebooks with the widest ones, Run All in
JupyterLab at 1024x768 and 1440x900. Every picture stays inside its cell, no two texts of a
drawing overprint, none is cut, text stays legible, and the mastery map's links open their
notebooks. Screenshots of every picture go to test-artifacts/pictures/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from course_copy import REPO
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS, CHROMIUM_FLAGS, TIMEOUT_MS, chromium  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

NOTEBOOKS = ["00-start-here", "06-managed", "07-abstracted", "09-incidents", "10-capstone"]
WINDOWS = [(1024, 768), (1440, 900)]
NB = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
PICTURES = f"{NB} .jp-OutputArea-output:has(svg[role=img], .course-map)"
SMALLEST_TEXT_PX = 10.0  # rendered size of the smallest drawn text, at the narrowest cell
SHOTS = ARTIFACTS / "pictures"

MEASURE = """(outputs) => outputs.map(output => {
    const cell = output.closest('.jp-Cell');
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
        && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const name = node => (node.textContent || '').trim().slice(0, 40);
    const problems = [];
    let smallest = Infinity;
    for (const svg of output.querySelectorAll('svg[role=img]')) {
        const box = svg.getBoundingClientRect();
        const scale = box.width / svg.viewBox.baseVal.width;
        const texts = Array.from(svg.querySelectorAll('text'));
        const rects = texts.map(t => t.getBoundingClientRect());
        texts.forEach((text, i) => {
            smallest = Math.min(smallest, parseFloat(text.getAttribute('font-size')) * scale);
            if (!inside(rects[i], box)) problems.push(`cut: "${name(text)}"`);
            for (let j = i + 1; j < texts.length; j++)
                if (overlap(rects[i], rects[j]))
                    problems.push(`overprint: "${name(text)}" / "${name(texts[j])}"`);
        });
        for (const group of svg.querySelectorAll('g.course-stack-cell')) {
            const text = group.querySelector('text');
            if (!inside(text.getBoundingClientRect(), group.querySelector('rect')
                    .getBoundingClientRect())) problems.push(`outside its cell: "${name(text)}"`);
        }
    }
    for (const title of output.querySelectorAll('.course-map-title'))
        if (title.scrollWidth > title.clientWidth + 1) problems.push(`cut: "${name(title)}"`);
    const nodes = Array.from(output.querySelectorAll('.course-map-node'));
    nodes.forEach((a, i) => nodes.slice(i + 1).forEach(b => {
        if (overlap(a.getBoundingClientRect(), b.getBoundingClientRect()))
            problems.push(`overlap: "${name(a)}" / "${name(b)}"`);
    }));
    return {cell: cell.clientWidth, output: output.clientWidth, scroll: output.scrollWidth,
            right: output.getBoundingClientRect().right,
            cellRight: cell.getBoundingClientRect().right, smallest, problems};
})"""


@pytest.fixture(scope="module")
def lab(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:  # noqa: F811
    """JupyterLab serving a copy of release/ (autosave must not touch the repository)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "release", root / "release")
    server = JupyterLab(root, tmp_path_factory.mktemp("jupyter-home")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module", params=WINDOWS, ids=[f"{w}x{h}" for w, h in WINDOWS])
def page(request: pytest.FixtureRequest, chromium: Path, lab: JupyterLab,  # noqa: F811
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    width, height = request.param
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(chromium),
            headless=True, args=CHROMIUM_FLAGS, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()
            lab.delete_sessions()


def wait_kernel_idle(page: Any) -> None:
    """The kernel is connected and idle, as the status bar says (the toolbar's indicator is
    folded away in narrow windows)."""
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '.jp-StatusBar-TextItem')).some(item => /\\| Idle$/.test(item.textContent.trim()))""")


def open_and_run_all(page: Any, lab: JupyterLab, notebook: str, workspace: str = "") -> None:
    """Open a release notebook in a workspace of its own, Run All, wait for every cell."""
    workspace = f"{workspace or notebook}-{page.viewport_size['width']}"
    page.goto(lab.lab_url(f"release/{notebook}/{notebook}.ipynb", workspace))
    page.locator(f"{NB} .jp-Cell").first.wait_for()
    wait_kernel_idle(page)
    page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu li[data-command='runmenu:run-all']").click()
    page.wait_for_function(
        """(nb) => Array.from(document.querySelectorAll(nb + ' .jp-CodeCell .jp-InputPrompt'))
            .every(p => /\\[\\d+\\]/.test(p.textContent))""", arg=NB)
    wait_kernel_idle(page)


def screenshots(page: Any, pictures: Any, notebook: str) -> None:
    """One PNG per picture, whole: the window is made taller (never wider) meanwhile."""
    window = page.viewport_size
    news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's news question
    if news.count():
        news.click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for number in range(pictures.count()):
        height = pictures.nth(number).bounding_box()["height"]
        page.set_viewport_size({"width": window["width"],
                                "height": max(window["height"], int(height) + 800)})
        pictures.nth(number).screenshot(
            path=str(SHOTS / f"{notebook}-{window['width']}-{number}.png"))
    page.set_viewport_size(window)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_pictures_fit_their_cells_and_nothing_overprints(page: Any, lab: JupyterLab,
                                                         notebook: str):
    open_and_run_all(page, lab, notebook)
    pictures = page.locator(PICTURES)
    assert pictures.count() >= 1, f"{notebook} shows no picture"
    measured = pictures.evaluate_all(MEASURE)
    screenshots(page, pictures, notebook)
    print(f"{notebook} at {page.viewport_size['width']}px: " + "; ".join(
        f"cell {m['cell']}px, output {m['output']}px, scroll {m['scroll']}px"
        + (f", smallest drawn text {m['smallest']:.1f}px" if m["smallest"] < 1e9 else "")
        for m in measured))
    for m in measured:
        assert m["scroll"] <= m["output"] and m["right"] <= m["cellRight"] + 0.5, m
        assert not m["problems"], m["problems"]
        assert m["smallest"] >= SMALLEST_TEXT_PX, m


def test_map_and_contents_links_open_their_notebooks(page: Any, lab: JupyterLab):
    """A node of the map, and a link of the start's list of notebooks, open that notebook
    in JupyterLab."""
    from playwright.sync_api import expect

    open_and_run_all(page, lab, "00-start-here", workspace="links")
    for link, notebook in [(f"{NB} a.course-map-node", "06-managed"),
                           (f"{NB} .jp-MarkdownCell a", "09-incidents")]:
        node = page.locator(link, has_text=f"{notebook[:2]} · ")
        # JupyterLab resolves a relative link (and takes over its click), then rewrites it
        expect(node).to_have_attribute("href", re.compile(f"/files/release/{notebook}/"))
        node.click()
        tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=f"{notebook}.ipynb")
        try:
            tab.wait_for()
        finally:
            page.screenshot(path=str(SHOTS / f"link-{page.viewport_size['width']}.png"))
        page.locator(".lm-TabBar-tab", has_text="00-start-here.ipynb").click()


def test_glossary_is_single_spaced_and_its_sources_look_like_links(page: Any, lab: JupyterLab):
    open_and_run_all(page, lab, "11-glossary")
    first = page.locator(f"{NB} .course-glossary dd").first
    first.wait_for()
    style = first.evaluate("""dd => { const s = getComputedStyle(dd), a = dd.querySelector('a');
        return {line: parseFloat(s.lineHeight), font: parseFloat(s.fontSize),
                text: s.color, link: getComputedStyle(a).color,
                underline: getComputedStyle(a).textDecorationLine}; }""")
    screenshots(page, page.locator(f"{NB} .jp-OutputArea-output:has(.course-glossary)"),
                "11-glossary")
    assert style["line"] <= 1.6 * style["font"], style
    assert style["underline"] == "underline" and style["link"] != style["text"], style
