"""The capstone: completeness checks, the card, the export format and the class gallery."""

from __future__ import annotations

import json
from pathlib import Path

import fastjsonschema
import pytest

from course import capstone, content, gallery, scoring

SCHEMA = json.loads((Path(capstone.__file__).parent / "schemas" / "capstone.json").read_text())


def complete(author: str = "Ada", owner: str = "Customer") -> dict:
    architecture = capstone.template("three-tier-shop", author=author)
    for service in architecture["services"]:
        for item in ("iam", "encryption-at-rest", "physical-security"):
            who = "AWS" if item == "physical-security" else owner
            architecture["matrix"].append(capstone.row(
                service, item, who, f"Because the {item} of {service} is {who}'s to run."))
    architecture["controls"] = ["MFA for every human user", "KMS keys per environment",
                                "Security groups reviewed weekly"]
    return architecture


def test_a_complete_architecture_has_no_problems_and_scores_full():
    architecture = complete()
    assert capstone.problems(architecture)[0] == []
    assert scoring.fraction(capstone.ITEM, "complete", architecture) == 1.0
    fastjsonschema.validate(SCHEMA, architecture)


def test_an_untouched_template_scores_zero():
    assert scoring.fraction(capstone.ITEM, "complete", capstone.template("three-tier-shop")) == 0.0


def test_each_gap_is_named():
    architecture = complete()
    architecture["services"].append("no-such-service")
    architecture["matrix"][0]["justification"] = "ok"
    architecture["matrix"][1]["owner"] = "Nobody"
    architecture["controls"] = []
    found, _checks = capstone.problems(architecture)
    assert any("'no-such-service' is not a service" in p for p in found)
    assert any("justify the owner" in p for p in found)
    assert any("owner must be" in p for p in found)
    assert any("at least 3 controls" in p for p in found)
    assert 0 < capstone.completeness(architecture) < 1


def test_card_shows_rows_and_what_is_missing():
    html = capstone.Card(capstone.template("three-tier-shop"))._repr_html_()
    assert "Three-tier web shop" in html and "Still to do" in html
    assert "✔ Complete" in capstone.Card(complete())._repr_html_()


def test_examples_use_known_services():
    for example in content.architectures().values():
        assert set(example["services"]) <= set(content.services())


@pytest.fixture
def class_folder(tmp_path: Path) -> Path:
    """nbgrader's layout: two exports and one notebook-only submission."""
    for student, owner in (("ada", "Customer"), ("grace", "Shared")):
        folder = tmp_path / "submitted" / student / "10-capstone"
        folder.mkdir(parents=True)
        (folder / "my-architecture.json").write_text(json.dumps(complete("", owner)))
    folder = tmp_path / "submitted" / "linus" / "10-capstone"
    folder.mkdir(parents=True)
    from course.records import bundle
    notebook = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": bundle(capstone.ITEM, complete("Linus"))}]}]}
    (folder / "10-capstone.ipynb").write_text(json.dumps(notebook))
    (folder / "broken.json").write_text("{not json")
    return tmp_path / "submitted"


def test_gallery_collects_every_architecture_and_the_disagreements(class_folder: Path,
                                                                    tmp_path: Path):
    output = tmp_path / "gallery.html"
    assert gallery.main([str(class_folder), "-o", str(output)]) == 0
    page = output.read_text()
    assert page.count('class="course-card"') == 3
    assert "by ada" in page and "by grace" in page and "by Linus" in page
    assert "Customer: 2, Shared: 1" in page  # iam and encryption rows split the class
    assert "http" not in page.split("<body>")[0]  # opens offline: nothing loaded from the web


def test_gallery_can_anonymise(class_folder: Path, tmp_path: Path):
    output = tmp_path / "gallery.html"
    gallery.main([str(class_folder), "-o", str(output), "--anonymise"])
    page = output.read_text()
    assert "ada" not in page and "grace" not in page and "Linus" not in page
    assert "Student 3" in page


def test_export_writes_the_documented_format_and_refuses_others(tmp_path: Path):
    path = capstone.export(complete(), str(tmp_path / "mine.json"))
    fastjsonschema.validate(SCHEMA, json.loads(path.read_text()))
    broken = {**complete(), "matrix": [{"service": "s3"}]}
    with pytest.raises(fastjsonschema.JsonSchemaException):
        capstone.export(broken, str(tmp_path / "broken.json"))
