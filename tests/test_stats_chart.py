"""The item statistics chart: it scales to where it is shown and says every share in words."""

from __future__ import annotations

from xml.etree import ElementTree

from course.grading.stats import ItemResult, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_scales_and_its_text_alternative_lists_every_share():
    results = [ItemResult("01-model", "01-model", "cp-01-webshop-matrix", row, 30, right,
                          "AWS", "Customer", 30 - right, "")
               for row, right in [("", 12), ("replace-disks", 27), ("hypervisor-escape", 3)]]
    root = ElementTree.fromstring(bar_chart("01-model: share of the class right", results))
    assert root.get("width") == "100%" and root.get("viewBox") and "height" not in root.attrib
    assert root.get("role") == "img"
    description = root.find(f"{SVG}desc").text
    for result in results:
        assert f"{result.label}: {result.share_right:.0%} right" in description
    drawn = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "hypervisor-escape" in drawn and "10%" in drawn
