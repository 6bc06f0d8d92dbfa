"""Recorded answers: their format, how they are read back, and how they are checked."""

from __future__ import annotations

import pytest

from course import content, records


def test_bundle_is_readable_and_parseable():
    bundle = records.bundle("cp-01-rds-engine", "AWS")
    assert bundle["text/plain"] == "Saved: AWS"  # neutral, no item id: not "✔", not "correct"
    notebook = {"cells": [{"outputs": [{"output_type": "display_data", "data": bundle}]}]}
    assert records.find(notebook) == {"cp-01-rds-engine": "AWS"}


def test_a_part_done_matrix_is_saved_and_says_what_is_left():
    """A matrix with rows still to place must not read as done (its missing rows score 0)."""
    item = "cp-01-webshop-matrix"
    part = records.bundle(item, {"replace-disks": "AWS", "ssh-rule": "Customer"})
    assert part["text/plain"].endswith(" · 4 of 6 rows still to place")
    left = '<span class="course-record-left">· 4 of 6 rows still to place</span>'
    assert left in part["text/html"]
    rows = [row["id"] for row in content.checkpoints()[item]["rows"]]
    whole = records.bundle(item, dict.fromkeys(rows, "AWS"))
    assert "still to place" not in whole["text/plain"] + whole["text/html"]
    assert records.unfinished(item, None) == records.unfinished("cp-01-rds-engine", "AWS") == ""


def test_the_record_line_shows_what_the_student_wrote_as_text():
    """A title typed into the capstone reaches the notebook as text, never as markup."""
    from course import capstone

    architecture = {**capstone.template(), "title": "<b>Tom & Jerry's</b> shop"}
    html = records.bundle(capstone.ITEM, architecture)["text/html"]
    assert "&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt; shop" in html and "<b>" not in html
    assert "Saved:</span> architecture" in html and "✔" not in html


def test_find_keeps_the_last_answer_and_skips_empty_records():
    """An empty record (a widget shown before any click) never erases an earlier answer."""
    outputs = [{"data": records.bundle("cp-x", "AWS")}, {"data": records.bundle("cp-x", None)},
               {"data": {"text/plain": "noise"}}, "not an output"]
    assert records.find({"cells": [{"outputs": outputs}, "not a cell"]}) == {"cp-x": "AWS"}


@pytest.mark.parametrize(("item", "answer", "canonical"), [
    ("cp-01-rds-engine", "AWS", "AWS"),
    ("cp-01-customer-side", ["Opening only port 443 to the internet",
                             "Encrypting the order database"],
     ["Encrypting the order database", "Opening only port 443 to the internet"]),
    ("cp-01-webshop-matrix", {"ssh-rule": "Customer", "replace-disks": "AWS"},
     {"replace-disks": "AWS", "ssh-rule": "Customer"}),
])
def test_check_makes_answers_canonical(item, answer, canonical):
    assert records.check(item, answer) == canonical


class AlwaysEqual:
    """A forged answer that claims to equal anything."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize(("item", "answer"), [
    ("cp-unknown", "AWS"),
    ("cp-01-rds-engine", "Amazon"),
    ("cp-01-rds-engine", ["AWS"]),
    ("cp-01-customer-side", ["Not an option"]),
    ("cp-01-webshop-matrix", {"ssh-rule": "Nobody"}),
    ("cp-01-webshop-matrix", {"no-such-row": "AWS"}),
    ("cp-01-webshop-matrix", "AWS"),
    ("cp-01-customer-side", [["nested"]]),
    ("cp-01-rds-engine", {"a": 1}),
    ("cp-01-rds-engine", AlwaysEqual()),
])
def test_check_refuses_answers_that_do_not_fit(item, answer):
    with pytest.raises(records.InvalidAnswer):
        records.check(item, answer)
