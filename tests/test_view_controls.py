"""08's "Kind of control" column against AWS's own page: each kind cites AWS's defining
sentence (parties.toml), and the course's rule (a kind per layer, from its owners in the
services drawn) puts AWS's own examples where AWS puts them. Where the rule departs from AWS
(AWS names whole controls, such as patch management, not layers), 08 says so."""

from __future__ import annotations

import json
from pathlib import Path

from course import content
from course.widgets.stack import CONTROLS, StackPicture

REPO = Path(__file__).resolve().parents[1]
PAGE = "https://aws.amazon.com/compliance/shared-responsibility-model/"


def test_each_kind_of_control_quotes_aws_s_defining_sentence():
    controls = content.controls()
    assert set(controls) == set(CONTROLS)
    for kind, control in controls.items():
        assert control["source"] == PAGE
        title = control["quote"].split(" \N{EN DASH} ")[0]
        assert title in ("Inherited Controls", "Shared Controls", "Customer Specific"), kind
    assert "fully inherits from AWS" in controls["inherited"]["quote"]
    assert "both the infrastructure layer and customer layers" in controls["shared"]["quote"]
    assert "solely the responsibility of the customer" in controls["customer-specific"]["quote"]


def test_08_s_picture_puts_aws_s_examples_in_aws_s_kinds():
    """AWS's examples: physical and environmental controls are inherited; patch management
    is shared; service and communications protection and zone security (routing or zoning
    data) are customer-specific."""
    picture = StackPicture(["ec2", "rds", "s3"], controls=True)
    kind = {item["id"]: picture.control(item) for item in picture.items}
    assert kind["physical-security"] == CONTROLS["inherited"]
    assert kind["guest-os-patching"] == CONTROLS["shared"]
    assert kind["encryption-in-transit"] == CONTROLS["customer-specific"]
    assert kind["data-classification"] == CONTROLS["customer-specific"]


def test_08_says_where_the_picture_s_rule_departs_from_aws():
    book = json.loads((REPO / "source" / "08-compliance" / "08-compliance.ipynb").read_text())
    sources = ["".join(cell["source"]) for cell in book["cells"]]
    picture = next(n for n, s in enumerate(sources) if "controls=True" in s)
    note = sources[picture + 1]
    assert note.startswith("**How the picture sorts the layers.**")
    assert "host OS row reads *Inherited*" in note and PAGE in note
    # what the note says of the host OS row is what the picture draws
    host = StackPicture(["ec2", "rds", "s3"], controls=True)
    assert host.control(content.items()["host-os"]) == CONTROLS["inherited"]
    alone = StackPicture(["ec2"], controls=True)
    assert alone.control(content.items()["guest-os-patching"]) == CONTROLS["customer-specific"]
