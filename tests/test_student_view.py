"""Every release notebook as a student sees it (issue 9, point 11): opened in JupyterLab in
headless Chromium, Run All, then at 1024x768 and at 1440x900 nothing the course shows is
wider than its cell, no traceback is shown, axe-core finds no serious or critical violation
in the course's outputs, every picture stays inside its cell with no text cut or overprinted
and none too small to read; a notebook answered, saved, closed and reopened shows no
"Error displaying widget"; the mastery map's and contents' links open their notebooks; the
glossary is single-spaced with sources that look like links. Screenshots of every notebook at
both sizes, screen by screen, are kept in test-artifacts/student-view/, and of every picture,
whole, in test-artifacts/pictures/, to be looked at."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from course_copy import REPO
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS, NB, Clock, open_notebook, run_menu, wait_idle

from course import content, records

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("artifacts_on_failure")]

# The release notebook of every assignment in source/ (release/ may hold others, ignored).
NOTEBOOKS = sorted(path.parent.name for path in (REPO / "source").glob("*/*.ipynb"))
SIZES = ((1024, 768), (1440, 900))
SHOTS = ARTIFACTS / "student-view"
# axe-core from npm, installed by .ci/run (npm install --prefix .cache/axe axe-core@...).
AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REOPENED = ("01-model", "05-infrastructure")  # answer, save, close, reopen: costly, so two
CHECKS = ("fits", "no-overprint", "no-traceback", "axe", "polish", "pictures")
# Checks that concern one notebook's content, besides those of every notebook.
EXTRA_CHECKS = {"00-start-here": ("links",), "11-glossary": ("glossary",),
                **{name: ("reopen",) for name in REOPENED}}
# The notebooks with the widest pictures: each must show at least one.
PICTURED = ("00-start-here", "06-managed", "07-abstracted", "09-incidents", "10-capstone")
PICTURES = f"{NB} .jp-OutputArea-output:has(svg[role=img], .course-map)"
PICTURE_SHOTS = ARTIFACTS / "pictures"
SMALLEST_TEXT_PX = 12.0  # rendered size of the smallest drawn text, at the narrowest cell
# A link of the start notebook (the map's node, the contents' list) and the notebook it opens.
LINKS = ((f"{NB} a.course-map-link", "06-managed"), (f"{NB} .jp-MarkdownCell a", "09-incidents"))
# What the course itself shows: code cells' outputs and the rendered Markdown cells.
COURSE = f"{NB} .jp-OutputArea-output, {NB} .jp-MarkdownCell .jp-RenderedMarkdown"
SCROLLER = f"{NB} .jp-WindowedPanel-outer"
STDERR = "application/vnd.jupyter.stderr"
TRACEBACK = re.compile(r"Traceback|^\s*Cell In\s*\[|^\s*File \S.*, line \d+|^-*> ?\d+ ", re.M)

# Known-open problems, each with the point of issue 9 that fixes it: their checks are
# expected to fail (strict: once a fix lands the check passes, and its entry must go).
KNOWN_OPEN: dict[tuple[str, str], str] = {}


def cases() -> list:
    params = []
    for name in NOTEBOOKS:
        for check in (*CHECKS, *EXTRA_CHECKS.get(name, ())):
            reason = KNOWN_OPEN.get((name, check))
            marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)
                     ] if reason else []
            params.append(pytest.param(name, check, id=f"{name}-{check}", marks=marks))
    return params


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of release/: running and saving notebooks must not touch the repository."""
    root = tmp_path_factory.mktemp("student")
    shutil.copytree(REPO / "release", root / "release")
    return root


@pytest.fixture(scope="module")
def student_lab(lab: JupyterLab) -> JupyterLab:
    """JupyterLab with every cell attached to the page, so that each output can be measured
    and checked, not only those scrolled into view (what is drawn is the same)."""
    lab.api("PUT", "/lab/api/settings/@jupyterlab/notebook-extension:tracker",
            {"raw": json.dumps({"windowingMode": "none"})})
    return lab


@pytest.fixture(scope="module")
def axe_script() -> Path | None:
    if AXE.exists():
        return AXE
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {AXE} is missing: .ci/run installs it with npm",
                    pytrace=False)
    return None


@pytest.fixture(scope="module")
def seen(browser, student_lab: JupyterLab, axe_script: Path | None):
    """Each notebook looked at once (all checks of one notebook come from one Run All)."""
    found: dict[str, dict[str, list[str]] | Exception] = {}
    clock = Clock("student-view")
    for folder in (SHOTS, PICTURE_SHOTS):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)

    def look(name: str) -> dict[str, list[str]]:
        if name not in found:  # once, even when it fails
            try:
                found[name] = look_at(browser, student_lab, name, axe_script, clock)
            except Exception as error:
                found[name] = error
        result = found[name]
        if isinstance(result, Exception):
            raise result
        return result

    yield look
    clock.step(f"looked at {len(found)} notebooks")


# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize(("name", "check"), cases())
def test_student_view(seen, axe_script: Path | None, name: str, check: str):
    if check == "axe" and axe_script is None:
        pytest.skip(f"axe-core is not installed in {AXE.parents[2]}: run the npm line of .ci/run")
    problems = seen(name)[check]
    assert not problems, f"{name}, {check}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- looking


def look_at(context, lab: JupyterLab, name: str, axe: Path | None,
            clock: Clock) -> dict[str, list[str]]:
    """Open, Run All, then measure, check and photograph at each size."""
    path = f"release/{name}/{name}.ipynb"
    page = open_notebook(context, lab, path)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[0], strict=True)))
    problems: dict[str, list[str]] = {
        check: [] for check in (*CHECKS, *EXTRA_CHECKS.get(name, ()))}
    clock.step(f"{name}: opened")
    problems["no-traceback"] = run_all(page)
    clock.step(f"{name}: Run All")
    problems["no-traceback"] += tracebacks(page)
    if axe:
        page.add_script_tag(path=str(axe))
        # JupyterLab's <body> is 0 px high and hides its overflow: axe would take every text
        # as clipped and skip colour contrast. The window's height changes nothing drawn.
        page.add_style_tag(content="body { height: 100vh; }")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        problems["fits"] += [f"{width}px: {p}" for p in too_wide(page)]
        problems["no-overprint"] += [f"{width}px: {p}" for p in spilling(page)]
        problems["polish"] += [f"{width}px: {p}" for p in polish(page, name)]
        problems["pictures"] += [f"{width}px: {p}" for p in pictures(page, name, width)]
        if name == "11-glossary":
            problems["glossary"] += [f"{width}px: {p}" for p in glossary(page, width)]
        shots = screenshots(page, f"{name}-{width}")
        if axe:
            problems["axe"] += [f"{width}px: {p}" for p in axe_violations(page, width, height)]
        clock.step(f"{name} at {width}px: {len(shots)} screenshots")
    if name == "00-start-here":
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            problems["links"] += [f"{width}px: {p}" for p in follow_links(page, name, width)]
        clock.step(f"{name}: links followed")
    if name in REOPENED:
        answer_and_save(page, lab, path)
        page.close()
        lab.delete_sessions()
        problems["reopen"] = reopen(context, lab, path, name)
        clock.step(f"{name}: answered, saved, closed, reopened")
    page.close()
    lab.delete_sessions()
    for check, found in problems.items():
        print(f"{name} {check}: {len(found)} problem(s)", *found, sep="\n    ")
    return problems


def run_all(page) -> list[str]:
    """Run ▸ Run All Cells; wait until the last code cell shows its output, no cell is queued
    or running and the kernel is idle. Return a problem if Run All stopped before the last
    code cell. (A hidden input shows no prompt number: only shown prompts are read.)"""
    run_menu(page, "runmenu:run-all")
    page.wait_for_function(
        """(nb) => {
            const cells = Array.from(document.querySelectorAll(nb + ' .jp-CodeCell'));
            const prompts = cells.map(c => c.querySelector('.jp-InputPrompt').textContent);
            return cells.length > 0 && prompts.every(p => !p.includes('*'))
                && cells[cells.length - 1].querySelector('.jp-OutputArea-output') !== null;
        }""", arg=NB)
    wait_idle(page)
    wait_widgets(page)
    not_run = page.evaluate(
        """(nb) => Array.from(document.querySelectorAll(nb + ' .jp-Cell'))
            .map((cell, n) => [n + 1, cell])
            .filter(([n, cell]) => cell.classList.contains('jp-CodeCell'))
            .filter(([n, cell]) => { const p = cell.querySelector('.jp-InputPrompt').textContent;
                                     return p.trim() && !/\\d/.test(p); })
            .map(([n]) => n)""", NB)
    return [f"Run All stopped: cells {not_run} did not run"] if not_run else []


def wait_widgets(page, outputs: int = 0) -> None:
    """At least ``outputs`` outputs are on the page and no widget among them still says
    "Loading widget..." (drawn, or given up with "Error displaying widget")."""
    page.wait_for_function(
        """([nb, outputs]) => {
            const areas = document.querySelectorAll(nb + ' .jp-OutputArea-output');
            // What is shown: the hidden saved copy beside each widget holds the words too.
            return areas.length >= outputs
                && !document.querySelector(nb).innerText.includes('Loading widget');
        }""", arg=[NB, outputs])


def settle(page) -> None:
    """Let JupyterLab lay out again after a resize: fonts loaded, two frames drawn."""
    page.evaluate("""() => document.fonts.ready.then(() => new Promise(done =>
        requestAnimationFrame(() => requestAnimationFrame(done))))""")


JS_HELPERS = """
    const cells = Array.from(document.querySelectorAll(NB + ' .jp-Cell'));
    const cellName = node => {
        const cell = node.closest('.jp-Cell');
        const line = (cell.querySelector('.jp-InputArea-editor .cm-line, .jp-RenderedMarkdown')
                      || {textContent: ''}).textContent.trim().split('\\n')[0].slice(0, 60);
        return `cell ${cells.indexOf(cell) + 1} (${line})`;
    };
    const describe = el => `<${el.tagName.toLowerCase()}`
        + (el.getAttribute('class') ? ` class="${el.getAttribute('class')}"` : '') + '>';
    const excerpt = el => `("${el.textContent.trim().slice(0, 40)}")`;
"""


def too_wide(page) -> list[str]:
    """Course outputs whose content is wider than the output area (scrolled or cut): the
    area itself, each table and outermost SVG in it, each element that clips or scrolls
    sideways, and each SVG text that sticks out of its picture."""
    return page.evaluate(
        """([NB, COURSE]) => {""" + JS_HELPERS + """
            const found = [];
            const px = v => Math.round(v);
            for (const area of document.querySelectorAll(COURSE)) {
                const where = cellName(area);
                const box = area.getBoundingClientRect();
                const right = box.left + area.clientWidth;
                if (area.scrollWidth > area.clientWidth + 1)
                    found.push(`${where}: output content ${area.scrollWidth}px wide,`
                               + ` output area ${area.clientWidth}px`);
                for (const el of area.querySelectorAll('*')) {
                    const tag = el.tagName.toLowerCase();
                    const outerSvg = tag === 'svg' && !el.parentElement.closest('svg');
                    if (outerSvg || tag === 'table') {
                        const r = el.getBoundingClientRect();
                        if (r.right > right + 1 || r.left < box.left - 1)
                            found.push(`${where}: ${describe(el)} ${px(r.width)}px wide`
                                       + ` (${px(r.left - box.left)}..${px(r.right - box.left)}),`
                                       + ` output area ${area.clientWidth}px`);
                    }
                    if (el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1
                        && (tag === 'table'
                            || getComputedStyle(el).overflowX !== 'visible'))
                        found.push(`${where}: ${describe(el)} content ${el.scrollWidth}px`
                                   + ` wide in ${el.clientWidth}px ${excerpt(el)}`);
                    if (outerSvg) {
                        const r = el.getBoundingClientRect();
                        for (const text of el.querySelectorAll('text')) {
                            const t = text.getBoundingClientRect();
                            if (t.width && (t.right > r.right + 1 || t.left < r.left - 1))
                                found.push(`${where}: SVG text "${text.textContent.trim()}"`
                                           + ` at ${px(t.left - r.left)}..${px(t.right - r.left)}`
                                           + ` cut by its picture (${px(r.width)}px wide)`);
                        }
                    }
                }
            }
            return found;
        }""", [NB, COURSE])


def spilling(page) -> list[str]:
    """Boxes in the course's outputs whose text runs out below them, over what follows
    (a wrapped label in a box of one line's height)."""
    return page.evaluate(
        """([NB, COURSE]) => {""" + JS_HELPERS + """
            const found = [];
            for (const area of document.querySelectorAll(COURSE))
                for (const el of area.querySelectorAll('*')) {
                    if (!(el instanceof HTMLElement) || !el.clientHeight) continue;
                    const style = getComputedStyle(el);
                    // half a line or more: text running over what follows, not the
                    // descenders of a heading whose line-height is 1
                    if (style.overflowY === 'visible' && style.display !== 'inline'
                        && el.scrollHeight - el.clientHeight >= parseFloat(style.fontSize) / 2)
                        found.push(`${cellName(area)}: ${describe(el)} content`
                                   + ` ${el.scrollHeight}px high in ${el.clientHeight}px`
                                   + ` ${excerpt(el)}`);
                }
            return found;
        }""", [NB, COURSE])


def polish(page, name: str) -> list[str]:
    """What the other checks let through but a student notices: a graded item's calm line
    broken mid-word or shown as a crash, notes too small or double-spaced, disabled buttons
    that look (or are announced as) usable, the whole map or glossary where one concept's
    part of it belongs, a pop-up over the notebook."""
    return (calm_lines(page) + notes(page) + disabled_buttons(page) + notebook_end(page, name)
            + glossary_terms(page, name) + empty_parts(page) + stack_sizes(page)
            + matrix_reach(page) + wrapped_options(page) + toasts(page))


def wrapped_options(page) -> list[str]:
    """An option that wraps (a long checkbox or radio choice) is single-spaced: its lines are
    at most 1.6 times its letters' size apart, as drawn (an inline label's own line-height
    does not say how far apart its lines are drawn)."""
    return page.evaluate(
        """(NB) => {""" + JS_HELPERS + """
            const found = [];
            for (const el of document.querySelectorAll(
                    `${NB} .course-widget :is(.widget-checkbox, .widget-radio-box) label`)) {
                const range = document.createRange();
                range.selectNodeContents(el);
                const tops = [...new Set(Array.from(range.getClientRects(),
                                                    r => Math.round(r.top)))].sort((a, b) => a - b);
                const size = parseFloat(getComputedStyle(el).fontSize);
                for (let i = 1; i < tops.length; i++)
                    if (tops[i] - tops[i - 1] > 1.6 * size) {
                        found.push(`${cellName(el)}: option lines ${tops[i] - tops[i - 1]}px`
                                   + ` apart at ${size}px ${excerpt(el)}`);
                        break;
                    }
            }
            return found;
        }""", NB)


def matrix_reach(page) -> list[str]:
    """A matrix task and its drop-down are within reading distance (48 em, about 670 px)
    however wide the window: at 1440 px they were 900 px apart edge to edge. (A wide window
    shows the rows in two columns: each row is measured.)"""
    return page.evaluate(
        """(NB) => {""" + JS_HELPERS + """
            return Array.from(document.querySelectorAll(
                    `${NB} .course-matrix-rows .widget-dropdown`))
                .filter(row => row.getBoundingClientRect().width
                               > 48 * parseFloat(getComputedStyle(row).fontSize) + 1)
                .map(row => `${cellName(row)}: matrix row`
                            + ` ${Math.round(row.getBoundingClientRect().width)}px wide`);
        }""", NB)


def toasts(page) -> list[str]:
    """JupyterLab's pop-ups (its "get notified about news?" question, postBuild turns it
    off) cover the notebook's lower right corner."""
    return [f"pop-up over the notebook: {text[:80]!r}"
            for text in page.locator(".Toastify__toast").all_inner_texts()]


# A word broken across two lines has two boxes.
JS_BROKEN_WORDS = """
    const brokenWords = el => {
        const found = [];
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node; node = walk.nextNode())
            for (const word of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                if (range.getClientRects().length > 1) found.push(word[0]);
            }
        return found;
    };
"""


def calm_lines(page) -> list[str]:
    """A graded item's error line (in its answer cell, or the test cell after it) wraps at
    words and does not wear JupyterLab's error colour: it is a notice, not a crash."""
    return page.evaluate(
        """([NB, STDERR]) => {""" + JS_HELPERS + JS_BROKEN_WORDS + """
            const probe = document.createElement('div');
            probe.style.background = 'var(--jp-rendermime-error-background)';
            document.body.append(probe);
            const crash = getComputedStyle(probe).backgroundColor;
            probe.remove();
            const found = [];
            const item = `${NB} .jp-CodeCell:is(:has(.course-record),`
                         + ` :has(.course-record) + .jp-CodeCell)`;
            for (const output of document.querySelectorAll(
                    `${item} .jp-OutputArea-output[data-mime-type="${STDERR}"]`)) {
                const broken = brokenWords(output);
                if (broken.length)
                    found.push(`${cellName(output)}: words broken across lines: ${broken}`);
                if (getComputedStyle(output).backgroundColor === crash)
                    found.push(`${cellName(output)}: calm line shown in the error colour`);
            }
            return found;
        }""", [NB, STDERR])


def notes(page, within: str = ".course-widget .widget-html-content") -> list[str]:
    """Text in the course's widgets (prompts, notes on answering in code), or in what a saved
    notebook keeps of them, is at least 13 px and single-spaced (a line at most 1.6 times
    the letters' size)."""
    return page.evaluate(
        """([NB, within]) => {""" + JS_HELPERS + """
            const found = [];
            for (const el of document.querySelectorAll(`${NB} ${within} *`)) {
                if (![...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())) continue;
                const style = getComputedStyle(el);
                const size = parseFloat(style.fontSize);
                const line = parseFloat(style.lineHeight) || 1.2 * size;
                if (size < 13 || line > 1.6 * size)
                    found.push(`${cellName(el)}: text ${size}px on ${line}px lines ${excerpt(el)}`);
            }
            return found;
        }""", [NB, within])


def disabled_buttons(page) -> list[str]:
    """A disabled button in a course widget says so (aria-disabled) and looks it: neither its
    background nor its border is that of an enabled button of the same kind."""
    return page.evaluate(
        """(NB) => {""" + JS_HELPERS + """
            const found = [];
            const look = b => { const s = getComputedStyle(b);
                                return [s.backgroundColor, s.borderStyle, s.opacity]; };
            for (const button of document.querySelectorAll(`${NB} .course-widget button`)) {
                if (button.getAttribute('aria-disabled') !== String(button.disabled))
                    found.push(`${cellName(button)}: "${button.textContent}" disabled is`
                               + ` ${button.disabled}, aria-disabled`
                               + ` ${button.getAttribute('aria-disabled')}`);
                if (!button.disabled) continue;
                const kind = button.className;
                const enabled = Array.from(button.closest('.course-widget')
                    .querySelectorAll('button:enabled')).find(b => b.className === kind);
                if (enabled && look(enabled)[0] === look(button)[0]
                        && look(enabled)[1] === look(button)[1])
                    found.push(`${cellName(button)}: disabled "${button.textContent}" looks`
                               + ` like an enabled one (${look(button)})`);
            }
            return found;
        }""", NB)


STACK_MIN_WIDTH, STACK_MAX_HEIGHT = 400, 900  # px, as drawn: no taller than the window


def stack_sizes(page) -> list[str]:
    """A responsibility stack is neither a narrow strip (one service) nor taller than the
    window (six services grown to a wide cell): at least STACK_MIN_WIDTH wide where its cell
    allows, at most STACK_MAX_HEIGHT high."""
    sizes = page.evaluate(
        """(NB) => {""" + JS_HELPERS + """
            return Array.from(document.querySelectorAll(
                    NB + ' svg[role=img]:has(g.course-stack-cell)'), svg => {
                const box = svg.getBoundingClientRect();
                return [cellName(svg), box.width, box.height,
                        svg.closest('.jp-OutputArea-output').clientWidth];
            });
        }""", NB)
    return [f"{where}: stack picture drawn {width:.0f}x{height:.0f}px in a {room}px output"
            for where, width, height, room in sizes
            if width < min(STACK_MIN_WIDTH, room) or height > STACK_MAX_HEIGHT]


def empty_parts(page) -> list[str]:
    """Nothing the course shows is an empty frame: no table of headers without rows, no
    "by" without an author (an architecture's card before it is filled in)."""
    return page.evaluate(
        """([NB, COURSE]) => {""" + JS_HELPERS + """
            const found = [];
            for (const area of document.querySelectorAll(COURSE)) {
                for (const table of area.querySelectorAll('table'))
                    if (!table.querySelector('td'))
                        found.push(`${cellName(area)}: a table of headers only`
                                   + ` ${excerpt(table)}`);
                for (const el of area.querySelectorAll('p, em, span'))
                    if (/^by\\s*$/i.test(el.textContent.trim()))
                        found.push(`${cellName(area)}: "by" without an author`);
            }
            return found;
        }""", [NB, COURSE])


def notebook_end(page, name: str) -> list[str]:
    """The whole mastery map is shown in the start notebook only; a concept's notebook ends
    with that concept's state and its way on: a Next button, the previous notebook, the start."""
    shown = page.evaluate(
        """(NB) => {
            const last = Array.from(document.querySelectorAll(NB + ' .jp-Cell')).pop();
            return {maps: document.querySelectorAll(NB + ' .course-map-graph').length,
                    states: Array.from(document.querySelectorAll(NB + ' .course-concept'),
                                       el => el.innerText),
                    links: Array.from(last.querySelectorAll('a:not(.jp-InternalAnchorLink)'),
                                      a => new URL(a.href).pathname)};
        }""", NB)
    start = f"/{NOTEBOOKS[0]}/{NOTEBOOKS[0]}.ipynb"
    if name == NOTEBOOKS[0]:
        return [] if shown["maps"] == 1 else [f"{shown['maps']} mastery maps, not 1"]
    found = [f"the whole mastery map shown {shown['maps']} times"] if shown["maps"] else []
    if name in content.concepts():
        title = content.concepts()[name]["title"]
        if len(shown["states"]) != 1 or title not in shown["states"][0]:
            found.append(f"this concept's state shown as {shown['states']}")
    if len(shown["links"]) > 3 or not any(link.endswith(start) for link in shown["links"]):
        found.append(f"the last cell does not link only the next, previous and start"
                     f" notebooks: links {shown['links']}")
    return found


def glossary_terms(page, name: str) -> list[str]:
    """A concept's notebook lists its own terms (its concept's ``terms``), the glossary
    notebook every term."""
    terms = page.evaluate(
        "(NB) => Array.from(document.querySelectorAll(NB + ' .course-glossary dt'))"
        ".filter(dt => !dt.closest('.course-saved')).map(dt => dt.textContent.trim())", NB)
    if not terms:
        return []
    wanted = (content.concepts()[name]["terms"] if name in content.concepts()
              else [e["term"] for e in {id(e): e for e in content.glossary().values()}.values()])
    return [] if sorted(terms) == sorted(wanted) else [
        f"the glossary lists {len(terms)} terms, not the {len(wanted)} of {name}"]


def tracebacks(page) -> list[str]:
    """Error and stderr outputs that are more than one calm line, or show a traceback."""
    shown = page.evaluate(
        """([NB, STDERR]) => {""" + JS_HELPERS + """
            return Array.from(document.querySelectorAll(
                    `${NB} .jp-OutputArea-output[data-mime-type="${STDERR}"]`),
                output => [cellName(output), output.innerText]);
        }""", [NB, STDERR])
    found = []
    for where, text in shown:
        lines = [line for line in text.splitlines() if line.strip()]
        if TRACEBACK.search(text) or len(lines) > 1:
            found.append(f"{where}: {len(lines)} lines: {' / '.join(lines[:3])[:240]}")
    return found


def axe_violations(page, width: int, height: int) -> list[str]:
    """axe-core's serious and critical violations inside the course's outputs. axe checks
    colour contrast only for text it sees on screen: the window is made as tall as the
    notebook for it, then given back its height."""
    content, view = extent(page)
    page.set_viewport_size({"width": width, "height": height - view + math.ceil(content)})
    scroll_to(page, 0)
    violations = page.evaluate(
        """async (COURSE) => {
            const result = await axe.run(
                {include: Array.from(document.querySelectorAll(COURSE))},
                {resultTypes: ['violations']});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.html.slice(0, 120))}));
        }""", COURSE)
    page.set_viewport_size({"width": width, "height": height})
    settle(page)
    return [f"{v['impact']} {v['id']} ({v['help']}) on {len(v['nodes'])} node(s): "
            + " | ".join(v["nodes"][:3]) for v in violations]


def extent(page) -> tuple[float, float]:
    """How high the notebook's cells are, and how much of them the window shows (JupyterLab
    lets the notebook scroll past its last cell)."""
    return page.locator(SCROLLER).first.evaluate(
        """s => [Array.from(s.querySelectorAll('.jp-Cell')).pop().getBoundingClientRect().bottom
                 - s.getBoundingClientRect().top + s.scrollTop, s.clientHeight]""")


def scroll_to(page, top: float) -> None:
    page.locator(SCROLLER).first.evaluate("(s, top) => { s.scrollTop = top; }", top)
    settle(page)


def screenshots(page, stem: str) -> list[Path]:
    """The notebook screen by screen, top to bottom, as the student scrolls through it."""
    content, view = extent(page)
    shots: list[Path] = []
    top = 0.0
    while True:
        scroll_to(page, top)
        shot = SHOTS / f"{stem}-{len(shots) + 1:02d}.png"
        page.screenshot(path=str(shot))
        shots.append(shot)
        if top + view >= content:
            break
        top += view - 40  # a little overlap, so no line is lost between two screens
    scroll_to(page, 0)
    return shots


# --------------------------------------------------------------------------- pictures

MEASURE = """(outputs) => outputs.map(output => {
    const cell = output.closest('.jp-Cell');
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
        && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const name = node => (node.textContent || '').trim().slice(0, 40);
    const problems = [];
    let smallest = Infinity;
    for (const svg of output.querySelectorAll('svg[role=img], svg.course-map-graph')) {
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


def pictures(page, name: str, width: int) -> list[str]:
    """Every picture (responsibility stack, mastery map) inside its cell, no drawn text cut,
    outside its box or over another, none smaller than SMALLEST_TEXT_PX; each photographed."""
    found = page.locator(PICTURES)
    measured = found.evaluate_all(MEASURE)
    problems = [] if measured or name not in PICTURED else ["shows no picture"]
    for number, m in enumerate(measured, 1):
        print(f"{name} at {width}px, picture {number}: cell {m['cell']}px, output "
              f"{m['output']}px, scroll {m['scroll']}px, smallest text {m['smallest']:.1f}px")
        if m["scroll"] > m["output"] or m["right"] > m["cellRight"] + 0.5:
            problems.append(f"picture {number}: content {m['scroll']}px wide in "
                            f"{m['output']}px, right edge {m['right']:.0f}px, its cell's "
                            f"{m['cellRight']:.0f}px")
        problems += [f"picture {number}: {p}" for p in m["problems"]]
        if m["smallest"] < SMALLEST_TEXT_PX:
            problems.append(f"picture {number}: drawn text {m['smallest']:.1f}px high")
    whole_shots(page, found, f"{name}-{width}")
    return problems


def whole_shots(page, outputs, stem: str) -> None:
    """One PNG per output, whole: the window is made taller (never wider) meanwhile."""
    window = page.viewport_size
    for number in range(outputs.count()):
        height = outputs.nth(number).bounding_box()["height"]
        page.set_viewport_size({"width": window["width"],
                                "height": max(window["height"], int(height) + 800)})
        outputs.nth(number).screenshot(path=str(PICTURE_SHOTS / f"{stem}-{number}.png"))
    page.set_viewport_size(window)
    settle(page)


def follow_links(page, name: str, width: int) -> list[str]:
    """A node of the map and a link of the contents open their notebook in JupyterLab, which
    resolves a relative link (and takes over its click) and rewrites it first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    problems = []
    for link, notebook in LINKS:
        node = page.locator(link, has_text=f"{notebook[:2]} · ")
        try:
            expect(node).to_have_attribute("href", re.compile(f"/files/release/{notebook}/"))
            node.click()
            page.locator(".lm-TabBar-tab.lm-mod-current", has_text=f"{notebook}.ipynb"
                         ).wait_for()
        except (AssertionError, PlaywrightTimeout) as error:
            problems.append(f"{link} to {notebook}: {str(error).splitlines()[0]}")
        finally:
            page.screenshot(path=str(PICTURE_SHOTS / f"link-{notebook}-{width}.png"))
        page.locator(".lm-TabBar-tab", has_text=f"{name}.ipynb").click()
    return problems


def glossary(page, width: int) -> list[str]:
    """The glossary's entries single-spaced; its sources coloured and underlined as links."""
    entries = page.locator(f"{NB} .course-glossary dd:visible")  # not the hidden saved copy
    if not entries.count():
        return ["no glossary entry shown"]
    style = entries.first.evaluate("""dd => { const s = getComputedStyle(dd),
        a = dd.querySelector('a');
        return {line: parseFloat(s.lineHeight), font: parseFloat(s.fontSize), text: s.color,
                link: getComputedStyle(a).color,
                underline: getComputedStyle(a).textDecorationLine}; }""")
    whole_shots(page, page.locator(f"{NB} .jp-OutputArea-output:has(.course-glossary):visible"),
                f"11-glossary-{width}")
    problems = []
    if style["line"] > 1.6 * style["font"]:
        problems.append(f"line height {style['line']}px for {style['font']}px text")
    if style["underline"] != "underline" or style["link"] == style["text"]:
        problems.append(f"a source does not look like a link: {style}")
    return problems


# --------------------------------------------------------------------------- reopening


def answer_and_save(page, lab: JupyterLab, path: str) -> None:
    """Answer the first graded item by clicking its first choice, then save with Ctrl+S and
    wait until the notebook file records it."""
    cell = page.locator(f"{NB} .jp-CodeCell").filter(has=page.locator(".course-record")).first
    cell.locator("input[type=radio], input[type=checkbox]").first.click()
    # Ctrl+S from a cell: Ctrl+S with a widget focused is issue 9 point 5, tested elsewhere.
    page.locator(f"{NB} .jp-Cell .jp-InputPrompt").first.click()
    file = lab.root / path
    # A loaded machine can drop a key press made while the click is still being handled; a
    # student would press again, so the test does too, every 15 s for a minute.
    for _attempt in range(4):
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if saved_answers(file):
                return
            time.sleep(0.2)
    raise AssertionError(f"{path}: the answer was not saved after Ctrl+S")


def saved_answers(file: Path) -> dict:
    """The answers recorded in a notebook file; none while JupyterLab is still writing it."""
    try:
        return records.find(json.loads(file.read_text()))
    except ValueError:
        return {}


def reopen(context, lab: JupyterLab, path: str, name: str) -> list[str]:
    """Reopen the saved notebook (a new kernel, nothing run): no widget may fail to show, and
    what is kept of them reads as well as the widgets did."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    saved = json.loads((lab.root / path).read_text())
    page = open_notebook(context, lab, path)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[0], strict=True)))
    try:
        wait_widgets(page, sum(len(cell.get("outputs", [])) for cell in saved["cells"]))
    except PlaywrightTimeout:
        page.close()
        return ["widgets still say 'Loading widget...' a minute after reopening"]
    settle(page)
    found = page.evaluate(
        """(NB) => {""" + JS_HELPERS + """
            return Array.from(document.querySelectorAll(NB + ' .jp-OutputArea-output'))
                // as shown: a widget view the saved companion stands in for is hidden, and
                // the companion's own script names the message it looks for
                .filter(o => o.checkVisibility() && o.innerText.includes('Error displaying widget'))
                .map(o => `${cellName(o)}: ${o.textContent.trim().slice(0, 80)}`);
        }""", NB) + notes(page, ".jp-OutputArea-output:has(.course-fallback)")
    screenshots(page, f"{name}-reopened-{SIZES[0][0]}")
    page.close()
    return found
