"""The audit page: built from the data, committed at docs/audit.html, and escaped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from course import audit, content

REPO = Path(__file__).resolve().parents[1]


def test_committed_audit_page_is_up_to_date():
    """Is docs/audit.html exactly what the current data renders? (Regenerate with
    ./run python -m course.audit -o docs/audit.html)"""
    assert (REPO / "docs" / "audit.html").read_text(encoding="utf-8") == audit.render()


def test_every_cell_appears_once_with_owner_reason_source_and_review_date():
    page = audit.render()
    services, items = content.services(), content.items()
    rows = re.findall(r'<tr class="cell[^"]*" id="([^"]+)">(.*?)</tr>', page, re.S)
    assert len(rows) == len(services) * len(items) == 256
    for row_id, row in rows:
        service, item = next((s, i) for s in services for i in items if row_id == f"{s}-{i}")
        cell = services[service]["responsibilities"][item]
        label = content.parties()[cell["owner"]]["label"]
        assert label in row and cell["reason"] in row and cell["reviewed"] in row, row_id
        assert f'href="{cell["source"]}"' in row, row_id


def test_data_is_escaped_not_interpreted(monkeypatch: pytest.MonkeyPatch):
    """Would markup in a data file show as text instead of running in the reader's browser?"""
    real = content.services()
    ebs = real["ebs"]
    hostile = {**ebs["responsibilities"]["hardware"], "why": "<script>alert(1)</script>"}
    services = {**real, "ebs": {**ebs, "responsibilities": {**ebs["responsibilities"],
                                                            "hardware": hostile}}}
    monkeypatch.setattr(content, "services", lambda: services)
    page = audit.render()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_command_writes_the_page(tmp_path: Path):
    out = tmp_path / "audit.html"
    done = subprocess.run([sys.executable, "-m", "course.audit", "-o", str(out)],
                          capture_output=True, text=True, check=True)
    assert "256 cells" in done.stdout
    assert out.read_text(encoding="utf-8") == audit.render()


def test_facts_that_depend_on_a_date_are_listed_with_their_review_date():
    """Does the page list every cell marked volatile (and only those) with the date it was
    last read, so the next review knows where to look first?"""
    section = audit.render().split('<h2 id="volatile">')[1].split("<h2")[0]
    facts = content.volatile_facts()
    assert facts and len(re.findall(r"<tr><td><a ", section)) == len(facts)
    for fact in facts:
        row = section.split(f'href="#{fact["service"]["id"]}-{fact["item"]["id"]}"')[1]
        row = row.split("</tr>")[0]
        assert str(escape(fact["cell"]["volatile"])) in row and fact["cell"]["reviewed"] in row
