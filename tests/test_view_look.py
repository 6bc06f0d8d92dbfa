"""What the course looks like to a student, measured in JupyterLab in headless Chromium at
1024 and 1440 px (issue 16, items 5-7): one design system (primary, secondary and disabled
buttons; focus rings nobody's box cuts; one callout layout for right and wrong; checkbox and
radio questions spaced alike; the tutor at the narrative's size), pictures that teach (text
at least 12 px, 02 and 03 highlighting different bands, 08 naming AWS's kinds of controls,
stack and matrix in one row order) and a capstone builder that starts by saying what to do.
Screenshots go to test-artifacts/look/, to be looked at."""

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
SHOTS = ARTIFACTS / "look"
SMALLEST_PICTURE_TEXT_PX = 12.0


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of release/: running notebooks must not touch the repository."""
    root = tmp_path_factory.mktemp("look")
    shutil.copytree(REPO / "release", root / "release")
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def attached(lab: JupyterLab) -> JupyterLab:
    """Every cell attached to the page, so each output can be measured, not only those
    scrolled into view."""
    import json

    lab.api("PUT", "/lab/api/settings/@jupyterlab/notebook-extension:tracker",
            {"raw": json.dumps({"windowingMode": "none"})})
    return lab


# A callout's box as drawn: right and wrong answers must share it.
CALLOUT_BOX = ("v => { const s = getComputedStyle(v);"
               " return [s.paddingLeft, s.paddingTop, s.borderLeftWidth, s.borderRadius]; }")

def run(browser, lab: JupyterLab, name: str, width: int = SIZES[0][0]):
    """``name``'s release notebook open, Run All done, every widget drawn."""
    page = open_notebook(browser, lab, f"release/{name}/{name}.ipynb")
    page.set_viewport_size({"width": width, "height": dict(SIZES)[width]})
    run_menu(page, "runmenu:run-all")
    # Code inputs are hidden (their prompts stay empty): the last code cell's output (every
    # notebook's last code cell shows something) says Run All reached it.
    last = page.locator(f"{NB} .jp-CodeCell").last
    last.locator(".jp-OutputArea-output:visible").first.wait_for()  # not its hidden saved copy
    page.wait_for_function(
        """(nb) => ![...document.querySelectorAll(nb + ' .jp-InputPrompt')]
            .some(p => p.textContent.includes('*'))""", arg=NB)
    wait_idle(page)
    # as shown: the hidden saved copy beside each widget, and its script, hold the words too
    page.wait_for_function(
        "nb => !document.querySelector(nb).innerText.includes('Loading widget')", arg=NB)
    return page


def resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": dict(SIZES)[width]})
    page.evaluate("""() => document.fonts.ready.then(() => new Promise(done =>
        requestAnimationFrame(() => requestAnimationFrame(done))))""")


def shot(locator, stem: str) -> Path:
    path = SHOTS / f"{stem}.png"
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(path))
    return path


# A focused control's ring (outline) as drawn, and every box around it that would cut it.
RING_CUT = """el => {
    const s = getComputedStyle(el);
    const grow = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth);
    const r = el.getBoundingClientRect();
    const ring = {left: r.left - grow, right: r.right + grow, top: r.top - grow,
                  bottom: r.bottom + grow};
    const cuts = [];
    for (let box = el.parentElement; box && !box.classList.contains('jp-Notebook');
         box = box.parentElement) {
        const b = getComputedStyle(box);
        if (b.overflowX === 'visible' && b.overflowY === 'visible') continue;
        const c = box.getBoundingClientRect();
        if (ring.left < c.left - 0.5 || ring.right > c.right + 0.5 || ring.top < c.top - 0.5
            || ring.bottom > c.bottom + 0.5)
            cuts.push(`${box.tagName.toLowerCase()}.${[...box.classList].join('.')}`);
    }
    return {width: parseFloat(s.outlineWidth), style: s.outlineStyle, cuts};
}"""


def test_buttons_focus_rings_and_callouts_follow_one_design(browser, attached: JupyterLab):
    """01-model: the tutor's Next is primary, its disabled Previous flat grey (not dashed);
    the tutor reads at the narrative's size; checkbox and radio questions leave the same
    space above Check; a focused checkbox, radio button and drop-down show a whole ring; a
    wrong and a right verdict share one callout layout, the wrong one linking its source."""
    page = run(browser, attached, "01-model")
    problems: list[str] = []
    for width, _height in SIZES:
        resize(page, width)
        tutor = page.locator(f"{NB} .course-tutor").first
        shot(tutor, f"tutor-{width}")
        look = tutor.evaluate("""t => {
            const [previous, next] = t.querySelectorAll('button');
            const s = b => getComputedStyle(b);
            const narrative = document.querySelector('.jp-RenderedMarkdown p');
            return {nextBg: s(next).backgroundColor, nextInk: s(next).color,
                    prevBorder: s(previous).borderStyle, prevDisabled: previous.disabled,
                    prevBg: s(previous).backgroundColor,
                    step: parseFloat(s(t.querySelector('.course-tutor-step p')).fontSize),
                    narrative: parseFloat(s(narrative).fontSize)};
        }""")
        if look["nextBg"] != "rgb(29, 78, 216)" or look["nextInk"] != "rgb(255, 255, 255)":
            problems.append(f"{width}px: Next is not the primary button: {look}")
        if not look["prevDisabled"] or look["prevBorder"] != "solid":
            problems.append(f"{width}px: disabled Previous looks broken: {look}")
        if look["step"] != look["narrative"]:
            problems.append(f"{width}px: tutor text {look['step']}px, narrative "
                            f"{look['narrative']}px")
        # 01's practice set shows q-ec2-guest-os (radio buttons), then q-of-the-cloud
        # (checkboxes) after Next.
        practice = page.locator(f"{NB} .course-widget:has(.course-choice)").first
        gaps = {}
        for kind in ("radio", "checkbox"):
            practice.locator(f".course-choice input[type={kind}]").first.wait_for()
            gaps[kind] = practice.evaluate("""c => {
                const options = Array.from(
                    c.querySelectorAll('.course-choice label:not(.widget-label)'),
                    o => o.getBoundingClientRect());
                const check = Array.from(c.querySelectorAll('button'))
                    .find(b => b.textContent.trim() === 'Check').getBoundingClientRect();
                return [check.top - options.at(-1).bottom, options[1].top - options[0].top];
            }""")
            shot(practice, f"practice-{kind}-{width}")
            practice.get_by_role("button", name="Next").click()
        practice.get_by_role("button", name="Previous").click()
        practice.get_by_role("button", name="Previous").click()
        (radio_gap, radio_pitch), (box_gap, box_pitch) = gaps["radio"], gaps["checkbox"]
        if abs(radio_gap - box_gap) > 2 or min(radio_gap, box_gap) < 6:
            problems.append(f"{width}px: space above Check differs: {gaps}")
        if abs(radio_pitch - box_pitch) > 2:
            problems.append(f"{width}px: options of radio and checkbox questions spaced "
                            f"differently: {gaps}")
        for kind, control in (
                ("radio", practice.locator("input[type=radio]").first),
                ("checkbox", page.locator(f"{NB} .course-choice input[type=checkbox]").first),
                ("drop-down", page.locator(f"{NB} .course-matrix-rows select").first)):
            page.keyboard.press("Shift")  # a key first: focus then shows as by keyboard
            control.focus()
            ring = control.evaluate(RING_CUT)
            shot(control.locator("xpath=ancestor::div[contains(@class,'course-widget')][1]"),
                 f"focus-{kind}-{width}")
            if ring["style"] == "none" or ring["width"] < 2 or ring["cuts"]:
                problems.append(f"{width}px: focus ring of the {kind}: {ring}")
    radio = page.locator(f"{NB} .course-widget:has(.course-choice)").first
    radio.locator("input[type=radio][data-value='AWS']").click()
    radio.get_by_role("button", name="Check").click()
    wrong = radio.locator(".course-verdict.course-wrong")
    wrong.wait_for()
    wrong_look = wrong.evaluate(CALLOUT_BOX)
    if not wrong.get_by_role("link", name="AWS source").count():
        problems.append("a wrong answer does not link its source")
    if "You may have picked this" not in wrong.inner_text():
        problems.append(f"a wrong answer does not start from the student: {wrong.inner_text()}")
    shot(radio, "quiz-wrong-1440")
    radio.locator("input[type=radio][data-value='Customer']").click()
    radio.get_by_role("button", name="Check").click()
    right = radio.locator(".course-verdict.course-right")
    right.wait_for()
    right_look = right.evaluate(CALLOUT_BOX)
    if right_look != wrong_look:
        problems.append(f"right and wrong callouts differ: {right_look} / {wrong_look}")
    if right.inner_text().count("(") > 0:
        problems.append(f"cluttered right-answer line: {right.inner_text()!r}")
    shot(radio, "quiz-right-1440")
    page.close()
    assert not problems, "\n".join(problems)


def test_glossary_look_up_is_a_text_box_with_an_index(browser, attached: JupyterLab):
    """11-glossary: the look-up box is a plain text box (no ▼) whose focus ring nothing cuts,
    the long list opens with an A-Z index whose letters jump to their terms, and each source
    link has a name of its own."""
    page = run(browser, attached, "11-glossary")
    problems: list[str] = []
    for width, _height in SIZES:
        resize(page, width)
        box = page.locator(f"{NB} .course-widget input[type=text]").first
        page.keyboard.press("Shift")
        box.focus()
        ring = box.evaluate(RING_CUT)
        if ring["style"] == "none" or ring["cuts"] or box.get_attribute("list"):
            problems.append(f"{width}px: look-up box {ring}, list={box.get_attribute('list')}")
        top = page.locator(f"{NB} .course-widget").first
        top.scroll_into_view_if_needed()
        box = top.bounding_box()
        page.screenshot(path=str(SHOTS / f"glossary-top-{width}.png"), clip={
            "x": box["x"], "y": box["y"], "width": box["width"], "height": 260})
    index = page.locator(f"{NB} .course-index a")
    if index.count() < 10:
        problems.append(f"A-Z index has {index.count()} letters")
    else:
        letter = index.nth(index.count() // 2)
        target = page.locator(f"{NB} #course-term-{letter.inner_text()}")
        letter.click()
        try:  # the letter's first term scrolls into view
            page.wait_for_function(
                """(id) => { const t = document.getElementById(id).getBoundingClientRect();
                             return t.top >= 0 && t.bottom <= window.innerHeight; }""",
                arg=f"course-term-{letter.inner_text()}", timeout=10_000)
        except Exception:
            top = target.evaluate("t => t.getBoundingClientRect().top")
            problems.append(f"index letter {letter.inner_text()} did not bring its terms into "
                            f"view (top {top})")
    names = page.locator(f"{NB} .course-glossary dd a:visible").evaluate_all(
        "links => links.map(a => a.getAttribute('aria-label'))")
    if len(set(names)) != len(names):
        problems.append("source links share one name")
    page.close()
    assert not problems, "\n".join(problems)


PICTURED = ("01-model", "02-aws-side", "03-customer-side", "05-infrastructure", "06-managed",
            "07-abstracted", "08-compliance", "09-incidents")
MEASURE_PICTURES = """(nb) => Array.from(document.querySelectorAll(nb + ' svg[role=img]'), svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const texts = Array.from(svg.querySelectorAll('text'));
    const bold = texts.filter(t => t.getAttribute('font-weight') === 'bold')
                      .map(t => t.textContent.trim());
    return {label: svg.getAttribute('aria-label'),
            smallest: Math.min(...texts.map(
                t => parseFloat(t.getAttribute('font-size')) * scale)),
            font: getComputedStyle(texts[0]).fontFamily,
            notebookFont: getComputedStyle(
                document.querySelector('.jp-RenderedMarkdown p')).fontFamily,
            bold, html: svg.outerHTML};
})"""


def test_pictures_teach_at_12_px_or_more(browser, attached: JupyterLab):
    """Every responsibility stack draws its smallest text at 12 px or more at 1024 px (file
    browser open as JupyterLab opens by default), in the notebook's font; 02 and 03 differ
    and highlight AWS's and the customer's band; 08 names the kinds of controls."""
    problems: list[str] = []
    seen: dict[str, list[dict]] = {}
    for name in PICTURED:
        page = run(browser, attached, name)
        for width, _height in SIZES:
            resize(page, width)
            pictures = page.evaluate(MEASURE_PICTURES, NB)
            if width == SIZES[0][0]:
                seen[name] = pictures
            if not pictures:
                problems.append(f"{name}: no picture")
            for picture in pictures:
                print(f"{name} at {width}px: {picture['label']}: smallest text "
                      f"{picture['smallest']:.1f}px")
                if picture["smallest"] < SMALLEST_PICTURE_TEXT_PX:
                    problems.append(f"{name} at {width}px: {picture['label']}: text drawn at "
                                    f"{picture['smallest']:.1f}px")
                if picture["font"] != picture["notebookFont"]:
                    problems.append(f"{name}: picture font {picture['font']!r}, notebook "
                                    f"{picture['notebookFont']!r}")
            stack = page.locator(f"{NB} .jp-OutputArea-output:has(svg[role=img])")
            for number in range(stack.count()):
                shot(stack.nth(number), f"picture-{name}-{width}-{number}")
        page.close()
    aws, customer = seen["02-aws-side"][0], seen["03-customer-side"][0]
    if aws["html"] == customer["html"]:
        problems.append("02 and 03 draw the same picture")
    if "security OF the cloud" not in " ".join(aws["bold"]) or "Hardware" not in aws["bold"]:
        problems.append(f"02 does not highlight AWS's band: {aws['bold']}")
    if ("security IN the cloud" not in " ".join(customer["bold"])
            or "Data classification" not in customer["bold"]):
        problems.append(f"03 does not highlight the customer's band: {customer['bold']}")
    if "Kind of control" not in seen["08-compliance"][0]["html"]:
        problems.append("08's picture does not name the kinds of controls")
    assert not problems, "\n".join(problems)


def test_the_stack_and_the_matrix_run_the_same_way(browser, attached: JupyterLab):
    """05: the EC2 stack and the EC2 matrix list the layers in one order, top to bottom."""
    page = run(browser, attached, "05-infrastructure")
    layers = page.evaluate("""(nb) => {
        const svg = document.querySelector(nb + ' svg[role=img]');
        return Array.from(svg.querySelectorAll('text'), t => Array.from(
            t.querySelectorAll('tspan'), s => s.textContent.trim()).join(' '));
    }""", NB)
    tasks = page.locator(f"{NB} .course-matrix-rows").first.evaluate(
        "rows => Array.from(rows.querySelectorAll('.widget-dropdown > label'),"
        " l => l.textContent.trim())")
    page.close()
    names = {i["name"] for i in content.items().values()}
    in_stack = [layer for layer in layers if layer in names]
    assert len(in_stack) == len(names) and len(tasks) > 5, (layers, tasks)
    assert tasks == [layer for layer in in_stack if layer in tasks], (in_stack, tasks)


def test_the_capstone_asks_for_thought_and_says_what_to_do(browser, attached: JupyterLab):
    """10-capstone: no stack of the scenario's services to copy, no instructor command; the
    builder opens by saying what to do (no "8 of 14 checks passed"), lists what is missing
    in one place only, wraps service names beside their checkboxes, writes in the course's
    font; the examples table reads left to right with whole ids."""
    page = run(browser, attached, "10-capstone")
    problems: list[str] = []
    text = page.locator(NB).inner_text()
    if page.locator(f"{NB} svg[role=img]").count():
        problems.append("a stack picture is drawn in the capstone")
    if "course.gallery" in text:
        problems.append("the instructor's gallery command is shown to students")
    status = page.locator(f"{NB} .course-builder-status")
    if not status.inner_text().count("Start here") or "checks passed" in status.inner_text():
        problems.append(f"the builder does not open with what to do: {status.inner_text()!r}")
    for width, _height in SIZES:
        resize(page, width)
        builder = page.locator(f"{NB} .course-widget:has(.course-builder-status)")
        wrapped = builder.locator(".course-builder-services .widget-checkbox").evaluate_all(
            """boxes => boxes.map(b => {
                const input = b.querySelector('input').getBoundingClientRect();
                const range = document.createRange();
                range.selectNodeContents(b.querySelector('span'));
                const lines = Array.from(range.getClientRects());
                return [b.textContent.trim(), Math.min(...lines.map(r => r.left)) - input.right];
            })""")
        under = [name for name, gap in wrapped if gap < 2]
        if under:
            problems.append(f"{width}px: service names wrap under their checkbox: {under}")
        fonts = builder.locator("textarea, input[type=text]").evaluate_all(
            "els => [...new Set(els.map(e => getComputedStyle(e).fontFamily))]")
        if len(fonts) != 1 or "mono" in fonts[0].lower():
            problems.append(f"{width}px: text boxes in fonts {fonts}")
        table = page.locator(f"{NB} .course-examples table")
        cells = table.locator("td").evaluate_all(
            "tds => tds.map(td => [getComputedStyle(td).textAlign,"
            " td.getClientRects().length && td.querySelector('code') ?"
            " td.querySelector('code').getClientRects().length : 1])")
        if any(align not in ("left", "start") or lines > 1 for align, lines in cells):
            problems.append(f"{width}px: examples table cells {cells}")
        shot(table, f"capstone-examples-{width}")
        shot(builder.locator(".course-builder-services"), f"capstone-services-{width}")
        shot(status, f"capstone-status-{width}")
    page.close()
    assert not problems, "\n".join(problems)


def test_the_ordering_item_says_which_action_counts(browser, attached: JupyterLab):
    """04: each entry is one framed row with its text centred beside its buttons; the unusable
    Move up / Move down are flat grey, not dashed; "Keep this order" is a secondary button
    and a note says every move is recorded."""
    page = run(browser, attached, "04-service-types")
    problems: list[str] = []
    order = page.locator(f"{NB} .course-ordering").first
    for width, _height in SIZES:
        resize(page, width)
        rows = order.evaluate("""o => Array.from(o.children)
            .filter(r => r.matches('.widget-hbox') && r.querySelector(':scope > .widget-html'))
            .map(r => {
            const text = r.querySelector('.widget-html').getBoundingClientRect();
            const button = r.querySelector('button').getBoundingClientRect();
            const s = getComputedStyle(r);
            return [Math.abs((text.top + text.bottom) / 2 - (button.top + button.bottom) / 2),
                    s.borderTopStyle];
        })""")
        if len(rows) < 3 or any(offset > 3 or border != "solid" for offset, border in rows):
            problems.append(f"{width}px: rows not centred and framed: {rows}")
        shot(order, f"ordering-{width}")
    looks = order.locator("button").evaluate_all("""bs => bs.map(b => [b.textContent.trim(),
        b.disabled, getComputedStyle(b).borderStyle, b.classList.contains('mod-primary')])""")
    if any(disabled and border != "solid" for _t, disabled, border, _p in looks):
        problems.append(f"disabled buttons look broken: {looks}")
    keep = [look for look in looks if look[0] == "Keep this order"]
    if not keep or keep[0][3]:
        problems.append(f"'Keep this order' missing or primary: {keep}")
    if "Each move records your order" not in order.inner_text():
        problems.append("no note says which action counts")
    page.close()
    assert not problems, "\n".join(problems)
