"""The item analysis chart: it scales to where it is shown, says every figure and flag in
words, and shows the flags readably in Chromium at 1024 and 1440 px (nothing wider than the
window, no text over other text; screenshots in test-artifacts/stats/)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from lab_browser import chromium, static_page  # noqa: F401  (fixture)
from test_stats import synthetic_class

from course.grading.item_analysis import ItemAnalysis
from course.grading.stats_chart import chart

SVG = "{http://www.w3.org/2000/svg}"
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "stats"


@pytest.fixture(scope="module")
def flawed_chart() -> tuple[list, str]:
    results = ItemAnalysis().analyse(*synthetic_class(flawed=True))
    results.append(replace(results[-1], item="cp-everyone-right", difficulty=1.0,
                           discrimination=None, flags=[]))  # drawn as 'no spread'
    return results, chart("synthetic: item analysis", results, ItemAnalysis())


def test_chart_scales_and_its_text_alternative_lists_every_figure_and_flag(flawed_chart):
    results, drawn = flawed_chart
    root = ElementTree.fromstring(drawn)
    assert root.get("width") == "100%" and root.get("viewBox") and "height" not in root.attrib
    assert root.get("role") == "img"
    description = root.find(f"{SVG}desc").text
    for result in results:
        assert f"{result.label}: difficulty {result.difficulty:.0%}" in description
        assert all(f"flagged: {flag.text}" in description for flag in result.flags)
    texts = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    flagged = [r for r in results if r.flags]
    assert flagged and all(any(flag.text[:40] in " ".join(texts) for flag in r.flags)
                           for r in flagged)
    assert sum(text.startswith("⚠ ") for text in texts) >= len(flagged)  # not colour alone


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1440])
def test_flags_are_readable_in_chromium(flawed_chart, chromium: Path, tmp_path: Path,  # noqa: F811
                                        width: int):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # the chart as a page shows it (an SVG document has no screenshot)
    with static_page(chromium, f"<!doctype html><body>{flawed_chart[1]}</body>", tmp_path,
                     width, height=900) as page:
        frame = page.eval_on_selector("svg", """svg => {
            const b = svg.getBoundingClientRect();
            return [b.left, b.top, b.right, b.bottom];}""")
        boxes = page.eval_on_selector_all("text tspan", """spans => spans.map(s => {
            const b = s.getBoundingClientRect();
            return [s.textContent, b.left, b.top, b.right, b.bottom];})""")
        page.screenshot(path=str(SHOTS / f"items-{width}.png"), full_page=True)
    assert any(text.startswith("⚠ variant much harder") for text, *_ in boxes)
    assert min(bottom - top for _text, _left, top, _right, bottom in boxes) >= 11  # px high
    overlapping = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1
                   and b[2] < a[4] - 1]
    assert not overlapping
    outside = [text for text, left, top, right, bottom in boxes
               if left < frame[0] or top < frame[1] or right > frame[2] or bottom > frame[3]]
    assert not outside  # cut off by the picture's edge
