"""The capstone: completeness checks, the card, the export format and the class gallery."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import fastjsonschema
import pytest

from course import capstone, content, gallery, records, scoring

SCHEMA = json.loads((Path(capstone.__file__).parent / "schemas" / "capstone.json").read_text())


HONEST = (
    "We decide which roles may change the subnets, and review them each quarter.",
    "Our own key in KMS protects the flow logs; we set who may use it.",
    "Data centers are guarded by AWS staff we never meet or direct.",
    "Only our deploy role may start instances; engineers get read access.",
    "The root volumes use a customer managed key that we rotate yearly.",
    "AWS controls entry to the halls where the hosts stand.",
    "Snapshots may be copied only by the backup role we wrote.",
    "We ticked encryption by default for new volumes in this Region.",
    "The disks sit in AWS buildings behind badges and cameras.",
    "Database users and their grants are created by our admins.",
    "We chose encryption when creating the instance; it cannot be added later.",
    "Hardware halls are closed to customers; AWS audits access.",
    "Every human gets MFA and a named user; nobody shares the root login.",
    "Policies in our account name which keys decrypt which data.",
    "The service behind the console runs in AWS facilities we cannot visit.",
)
"""Fifteen justifications as a student would write them: each in its own words."""


def complete(author: str = "Ada", owner: str = "Customer") -> dict:
    architecture = capstone.template("three-tier-shop", author=author)
    for service in architecture["services"]:
        for item in ("iam", "encryption-at-rest", "physical-security"):
            who = "AWS" if item == "physical-security" else owner
            reason = HONEST[len(architecture["matrix"])]
            architecture["matrix"].append(capstone.row(service, item, who, reason))
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
    assert any("say in your own words" in p for p in found)
    assert any("owner must be" in p for p in found)
    assert any("at least 3 controls" in p for p in found)
    assert 0 < capstone.completeness(architecture) < 1


def test_filler_and_template_justifications_do_not_count_but_honest_ones_do():
    """Issue 16.7: a justification counts when it says, in at least four words of its own
    (not the row's service, task or owners, nor little words), why this owner; a sentence
    repeated on other rows with other names swapped in does not count."""
    filler = complete()
    for entry in filler["matrix"]:
        entry["justification"] = (f"{entry['owner']} runs the {entry['item']} of "
                                  f"{entry['service']}, as AWS says.")
    found = capstone.problems(filler)[0]
    assert sum("say in your own words" in p for p in found) == len(filler["matrix"])
    assert capstone.completeness(filler) == 0.0  # filler earns nothing
    template = complete()
    for entry in template["matrix"]:
        entry["justification"] = (f"We looked at {entry['item']} on {entry['service']} and "
                                  "decided carefully after reading the documentation today.")
    found = capstone.problems(template)[0]
    assert sum("say in your own words" in p for p in found) == len(template["matrix"])
    one_repeat = complete()
    one_repeat["matrix"][1]["justification"] = one_repeat["matrix"][0]["justification"]
    assert sum("say in your own words" in p for p in capstone.problems(one_repeat)[0]) == 2
    assert capstone.problems(complete())[0] == []  # honest ones, each in its own words


def test_card_shows_rows_and_what_is_missing():
    html = capstone.Card(capstone.template("three-tier-shop"))._repr_html_()
    assert "Three-tier web shop" in html and "still to do (the builder lists them)" in html
    assert "✔ Complete" in capstone.Card(complete())._repr_html_()


def test_an_empty_card_says_what_is_empty_without_frames():
    """No "by" without an author, no table of headers without rows: words instead."""
    blank = capstone.template()
    html, text = capstone.Card(blank)._repr_html_(), repr(capstone.Card(blank))
    assert "No rows yet" in html and "<table" not in html and "by " not in html.split("</h3>")[0]
    assert "<em>by" not in html and " by " not in text.splitlines()[0] and "No rows yet" in text
    assert "none chosen yet" in html and "(no title yet)" in html
    filled = capstone.Card(complete())._repr_html_()
    assert "<table" in filled and "No rows yet" not in filled


def test_card_escapes_what_the_student_wrote():
    architecture = {**complete(author="<b>Eve</b>"), "title": "<script>alert(1)</script>",
                    "controls": ['<img src=x onerror="alert(2)">', "WAF & Shield", "MFA"]}
    html = capstone.Card(architecture)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Eve" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "<img" not in html and "WAF &amp; Shield" in html


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


def consent(tmp_path: Path, *students: str) -> str:
    path = tmp_path / "agreed.txt"
    path.write_text("# agreed to share\n" + "\n".join(students) + "\n")
    return str(path)


def test_gallery_collects_every_architecture_and_the_disagreements(class_folder: Path,
                                                                    tmp_path: Path):
    output = tmp_path / "gallery.html"
    agreed = consent(tmp_path, "ada", "grace", "linus")
    assert gallery.main([str(class_folder), "-o", str(output), "--consent", agreed,
                         "--names"]) == 0
    page = output.read_text()
    assert page.count('class="course-card"') == 3
    assert "by ada" in page and "by grace" in page and "by Linus" in page
    assert "Customer: 2, Shared: 1" in page  # iam and encryption rows split the class
    assert "http" not in page.split("<body>")[0]  # opens offline: nothing loaded from the web


def test_gallery_is_anonymous_by_default_and_shows_only_who_agreed(class_folder: Path,
                                                                   tmp_path: Path):
    output = tmp_path / "gallery.html"
    gallery.main([str(class_folder), "-o", str(output), "--consent", consent(tmp_path, "ada",
                                                                             "linus")])
    page = output.read_text()
    assert "ada" not in page and "grace" not in page and "Linus" not in page
    assert "Student 2" in page and "Student 3" not in page
    assert "1 not shown (not agreed to share)" in page
    assert "Customer: 1, Shared: 1" not in page  # grace's rows are not counted either


def test_gallery_skips_a_malformed_architecture_with_the_reason(class_folder: Path,
                                                                tmp_path: Path):
    folder = class_folder / "mallory" / "10-capstone"
    folder.mkdir(parents=True)
    broken = {**complete("<script>alert(1)</script>"), "matrix": [{"service": "s3"}]}
    (folder / "my-architecture.json").write_text(json.dumps(broken))
    output = tmp_path / "gallery.html"
    agreed = consent(tmp_path, "ada", "mallory")
    assert gallery.main([str(class_folder), "-o", str(output), "--consent", agreed]) == 0
    page = output.read_text()
    assert page.count('class="course-card"') == 1
    assert "not shown: data.matrix[0] must contain" in page
    assert "<script>" not in page


def test_a_students_own_page_shows_their_card_beside_the_disagreements(class_folder: Path,
                                                                        tmp_path: Path):
    output = tmp_path / "grace.html"
    agreed = consent(tmp_path, "ada", "linus")
    gallery.main([str(class_folder), "-o", str(output), "--consent", agreed,
                  "--student", "grace"])
    page = output.read_text()
    own = page.split("<h2>Your architecture</h2>")[1].split("<h2>Where the class disagreed")[0]
    assert "by you" in own and own.count('class="course-card"') == 1
    assert page.count('class="course-card"') == 3


def test_export_writes_the_documented_format_and_refuses_others(tmp_path: Path):
    path = capstone.export(complete(), str(tmp_path / "mine.json"))
    fastjsonschema.validate(SCHEMA, json.loads(path.read_text()))
    broken = {**complete(), "matrix": [{"service": "s3"}]}
    with pytest.raises(fastjsonschema.JsonSchemaException):
        capstone.export(broken, str(tmp_path / "broken.json"))


def test_released_gallery_shows_a_student_their_own_card(class_folder: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    """The gallery as an assignment (release/gallery/): an anonymous page and data, and a
    notebook whose show() puts the student's own capstone card beside the disagreements."""
    root = tmp_path / "course"
    agreed = consent(tmp_path, "ada", "grace")
    assert gallery.main([str(class_folder), "--consent", agreed, "--release", str(root)]) == 0
    folder = root / "release" / "gallery"
    assert sorted(p.name for p in folder.iterdir()) == ["gallery.html", "gallery.ipynb",
                                                        "gallery.json"]
    page = (folder / "gallery.html").read_text()
    assert "ada" not in page and "Student 2" in page and "Linus" not in page
    mine = root / "release" / "10-capstone" / "10-capstone.ipynb"
    mine.parent.mkdir(parents=True)
    shutil.copy(class_folder / "linus" / "10-capstone" / "10-capstone.ipynb", mine)
    monkeypatch.chdir(folder)
    shown = gallery.show()._repr_html_()
    own = shown.split("<h2>Your architecture</h2>")[1].split("<h2>Where the class")[0]
    assert "by you" in own and "<!DOCTYPE" not in shown
    assert "Customer: 1, Shared: 1" in shown  # ada and grace disagree on two tasks


@pytest.fixture
def fresh_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel in which nothing is recorded yet and nothing listens."""
    from course import answers

    monkeypatch.setattr(answers, "_answers", {})
    monkeypatch.setattr(answers, "_times", {})
    monkeypatch.setattr(answers, "_listeners", {})


def build_with_the_widget(architecture: dict):
    """Enter ``architecture`` in the builder the way a student clicks and types it."""
    from course.widgets.capstone_builder import CapstoneBuilder

    form = CapstoneBuilder("three-tier-shop")
    form.author.value = architecture["author"]
    for service in architecture["services"]:
        rows = [r for r in architecture["matrix"] if r["service"] == service]
        for (task, owner, why), row in zip(form.services[service].rows, rows, strict=True):
            task.value, owner.value, why.value = row["item"], row["owner"], row["justification"]
    form.controls.value = "\n".join(architecture["controls"])
    return form


def test_the_builder_records_exactly_what_the_code_way_records(fresh_kernel):
    from course import answers, checkpoint

    code = complete()
    form = build_with_the_widget(code)
    assert form.value == code
    clicked = answers.recorded(capstone.ITEM)
    checkpoint.answer(capstone.ITEM, code)  # the code way, in the same kernel
    typed = answers.recorded(capstone.ITEM)
    assert clicked == typed == code
    assert records.bundle(capstone.ITEM, clicked) == records.bundle(capstone.ITEM, typed)
    assert (scoring.points(capstone.ITEM, "complete", clicked, 4)
            == scoring.points(capstone.ITEM, "complete", typed, 4) == 4.0)


def test_the_builder_shows_the_checks_live_and_what_is_graded_by_hand(fresh_kernel):
    from course import answers
    from course.widgets.capstone_builder import CapstoneBuilder

    form = CapstoneBuilder("three-tier-shop")
    assert "Start here" in form.status.value and capstone.BY_HAND in form.status.value
    assert "checks passed" not in form.status.value
    assert answers.recorded(capstone.ITEM) is None  # an untouched form records nothing
    task, owner, _why = form.services["ec2"].rows[0]
    task.value = "guest-os-patching"
    assert "Amazon EC2, task 1: choose both a task and an owner" in form.status.value
    owner.value = "N/A"
    assert form.value["matrix"] == [capstone.row("ec2", "guest-os-patching", "N/A", "")]
    assert "say in your own words" in form.status.value
    assert answers.recorded(capstone.ITEM) == form.value
    form.services["ec2"].add_row()
    assert len(form.services["ec2"].rows) == capstone.MIN_ROWS_PER_SERVICE + 1
    form.service_boxes["lambda"].value = True
    form.service_boxes["vpc"].value = False
    assert form.value["services"] == ["ec2", "ebs", "rds", "iam", "lambda"]


def test_the_builder_follows_an_answer_given_in_code(fresh_kernel):
    from course import checkpoint
    from course.widgets.capstone_builder import CapstoneBuilder

    form = CapstoneBuilder()
    checkpoint.answer(capstone.ITEM, complete())
    assert form.value == complete() and "✔ Complete" in form.status.value
    assert CapstoneBuilder().value == complete()  # a re-run starts from the recorded one


def test_points_said_to_students_are_the_notebooks():
    notebook = json.loads((Path(__file__).parents[1] / "source" / "10-capstone" /
                           "10-capstone.ipynb").read_text())
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"].get("points")
              for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points == {"capstone_architecture": capstone.HAND_GRADED_POINTS,
                      "test_architecture_complete": capstone.AUTOGRADED_POINTS}
    assert "4 more points" in capstone.Card(complete())._repr_html_()
