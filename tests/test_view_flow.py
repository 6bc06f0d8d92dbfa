"""The teaching flow as a student sees it in JupyterLab (issue 16, items 4 and 8), at 1024 and
1440 px: a notebook opens with its objectives and time and ends with a Next button (version
detail in a closed "Go deeper": tests/test_view_shell.py); practice is one set ("Check 1 of
6", Next, a score at the end, More practice), used by mouse and keyboard, and the concept's
card counts its first tries; the start notebook's map draws every "builds on" with text large
enough to read. Screenshots go to test-artifacts/flow/ (look at them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from course_copy import REPO
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS, NB, open_notebook, run_menu, wait_idle

from course import content

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("artifacts_on_failure")]

SIZES = ((1024, 768), (1440, 900))
SHOTS = ARTIFACTS / "flow"
SET = f"{NB} .course-practice-set"


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of release/: running notebooks must not touch the repository."""
    root = tmp_path_factory.mktemp("flow")
    shutil.copytree(REPO / "release", root / "release")
    SHOTS.mkdir(parents=True, exist_ok=True)
    return root


def run_all(page, shown: str) -> None:
    """Run All, then wait until ``shown`` (what the notebook's last widget cell draws) is on
    the page, no cell is queued or running and the kernel is idle."""
    run_menu(page, "runmenu:run-all")
    page.locator(f"{NB} {shown}").first.wait_for(state="attached")
    page.wait_for_function(
        "nb => ![...document.querySelectorAll(nb + ' .jp-InputPrompt')]"
        ".some(p => p.textContent.includes('*'))", arg=NB)
    wait_idle(page)


def shot(page, target, name: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        target.scroll_into_view_if_needed()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        target.screenshot(path=str(SHOTS / f"{name}-{width}.png"))


def choose(check, question: dict, right: bool) -> None:
    key = question["answer"]
    keys = key if isinstance(key, list) else [key]
    options = keys if right else [o for o in question["options"] if o not in keys][:1]
    for option in options:
        check.get_by_label(option, exact=True).check()


def test_practice_is_one_set_with_numbering_next_and_a_score(browser, lab: JupyterLab):
    from playwright.sync_api import expect

    concept = "06-managed"
    page = open_notebook(browser, lab, f"release/{concept}/{concept}.ipynb")
    page.set_viewport_size({"width": 1024, "height": 768})
    run_all(page, ".course-concept")
    practice = page.locator(SET)
    practice.locator(".course-prompt").wait_for()  # drawn (a loaded machine takes a while)
    expect(practice).to_have_count(1)
    main = content.concepts()[concept]["practice"]
    more = [q for q, i in content.questions().items()
            if i["concept"] == concept and q not in main]
    expect(practice.locator(".course-prompt")).to_have_count(1)  # one check at a time
    expect(practice).to_contain_text(f"Check 1 of {len(main)}")
    shot(page, practice, "practice-first")
    for number, question_id in enumerate(main):
        question = content.questions()[question_id]
        expect(practice).to_contain_text(f"Check {number + 1} of {len(main)}")
        expect(practice.locator(".course-prompt")).to_have_text(question["prompt"])
        if number < 2:  # the first right at the first try, the second wrong first
            choose(practice, question, right=number == 0)
            practice.get_by_role("button", name="Check").click()
            verdict = ".course-right" if number == 0 else ".course-wrong"
            expect(practice.locator(verdict)).to_have_count(1)
            if number == 1:
                shot(page, practice, "practice-wrong")
        following = practice.get_by_role("button", name="See your score" if number == len(
            main) - 1 else "Next")
        if number == 2:  # by keyboard: focus the button, press Enter
            following.focus()
            page.keyboard.press("Enter")
        else:
            following.click()
    expect(practice.locator(".course-practice-score")).to_contain_text(
        f"Practice: 1 of {len(main)} right at the first try.")
    expect(practice.locator(".course-prompt")).to_have_count(0)
    shot(page, practice, "practice-score")
    # Mastery counts the set's first try: the concept's card at the end says so.
    card = page.locator(f"{NB} .course-concept")
    expect(card).to_contain_text("Practice checks right at the first try: 1; mastered at 5.")
    practice.get_by_role("button", name=f"More practice ({len(more)} checks)").click()
    expect(practice).to_contain_text(f"More practice · Check 1 of {len(more)}")
    expect(practice.locator(".course-prompt")).to_have_text(
        content.questions()[more[0]]["prompt"])
    shot(page, practice, "practice-more")
    assert not page.locator(f"{NB} .jp-OutputArea-output[data-mime-type*=stderr]").count()


def test_a_notebook_opens_with_its_objectives_and_ends_with_a_next_button(
        browser, lab: JupyterLab):
    from playwright.sync_api import expect

    concept = "06-managed"
    info = content.concepts()[concept]
    page = open_notebook(browser, lab, f"release/{concept}/{concept}.ipynb")
    first = page.locator(f"{NB} .jp-MarkdownCell").first
    expect(first).to_contain_text(f"About {info['minutes']} minutes")
    for objective in info["objectives"]:
        expect(first.locator("li", has_text=objective)).to_have_count(1)
    shot(page, first, "opening")
    # (Go deeper is drawn when its cell runs: tests/test_view_shell.py opens it.)
    last = page.locator(f"{NB} .jp-MarkdownCell").last
    button = last.locator("a", has_text="Next: 07")
    look = button.evaluate("""a => { const s = getComputedStyle(a);
        return {bg: s.backgroundColor, fg: s.color, display: s.display,
                height: a.getBoundingClientRect().height}; }""")
    assert look["bg"] == "rgb(29, 78, 216)" and look["fg"] == "rgb(255, 255, 255)", look
    assert look["display"] == "inline-block" and look["height"] >= 30, look
    takeaways = page.locator(f"{NB} .jp-MarkdownCell", has_text="Key takeaways")
    for point in info["takeaways"]:
        expect(takeaways.locator("li", has_text=point)).to_have_count(1)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        box = button.bounding_box()
        cell = last.bounding_box()
        assert box["x"] + box["width"] <= cell["x"] + cell["width"] + 0.5, (width, box, cell)
    shot(page, takeaways, "takeaways")
    shot(page, last, "next-button")


def test_the_map_draws_every_builds_on_with_readable_text(browser, lab: JupyterLab):
    from playwright.sync_api import expect

    page = open_notebook(browser, lab, "release/00-start-here/00-start-here.ipynb")
    run_all(page, "svg.course-map-graph")
    graph = page.locator(f"{NB} svg.course-map-graph")
    expect(graph).to_have_count(1)
    edges = sum(len(i["prerequisites"]) for i in content.concepts().values())
    expect(graph.locator(".course-map-arrows path")).to_have_count(edges)
    expect(graph.locator("a.course-map-link")).to_have_count(len(content.concepts()))
    expect(page.locator(NB)).not_to_contain_text("Locked")
    expect(page.locator(NB)).not_to_contain_text("first master")
    expect(page.locator(NB)).not_to_contain_text("Javascript Error")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        sizes = graph.evaluate("""svg => { const scale = svg.getBoundingClientRect().width
                / svg.viewBox.baseVal.width;
            return Array.from(svg.querySelectorAll('.course-map-text *'),
                              el => parseFloat(getComputedStyle(el).fontSize) * scale); }""")
        assert min(sizes) >= 12, (width, min(sizes))
        outside = graph.evaluate("""svg => Array.from(svg.querySelectorAll('g.course-map-box'))
            .flatMap(g => { const r = g.querySelector('rect').getBoundingClientRect();
                return Array.from(g.querySelectorAll('.course-map-text > *'))
                    .map(t => t.getBoundingClientRect())
                    .filter(t => t.right > r.right + 0.5 || t.bottom > r.bottom + 0.5)
                    .map(() => g.textContent.trim().slice(0, 40)); })""")
        assert not outside, (width, outside)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        graph.evaluate("svg => svg.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SHOTS / f"map-{width}.png"))
