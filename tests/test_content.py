"""The course's data: every file loads against its schema and is internally consistent."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import fastjsonschema
import pytest

from course import content

REPO = Path(__file__).resolve().parents[1]


def test_all_content_loads():
    """Does every data file match its schema and refer only to things that exist?"""
    content.load_all()


def test_seed_artifact_ships_unchanged():
    """Is responsibility-model.json the seed's two lines?"""
    assert content.responsibility_model() == {
        "AWSResponsibility": "Security OF the Cloud",
        "CustomerResponsibility": "Security IN the Cloud",
    }


def changed(path: str, change) -> dict:
    """A real data file, with ``change`` applied to a copy of it."""
    data = copy.deepcopy(tomllib.loads((REPO / "course" / "data" / path).read_text()))
    change(data)
    return data


def first_cell(service: dict) -> dict:
    return next(iter(service["responsibilities"].values()))


@pytest.mark.parametrize(("schema", "path", "change"), [
    ("service", "services/ec2.toml", lambda s: s.update(owner="AWS")),  # a typo'd key
    ("service", "services/ec2.toml", lambda s: s.update(source="https://example.com/aws")),
    ("service", "services/ec2.toml", lambda s: first_cell(s).update(owner="Nobody")),
    ("service", "services/ec2.toml", lambda s: first_cell(s).update(source="http://x.org/")),
    ("questions", "questions/01-model.toml",
     lambda q: q["question"][0].update(source="https://example.com/aws")),
], ids=["unknown-key", "service-source", "cell-owner", "cell-source", "question-source"])
def test_schemas_refuse_what_the_data_must_not_hold(schema: str, path: str, change):
    """Would a typo, an owner that is no party, or a claim citing a page that is not AWS's
    be caught, where the same file unchanged passes?"""
    validate = content._validator(schema)
    validate(changed(path, lambda data: None))
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate(changed(path, change))


def test_every_service_has_every_item_and_owners_are_the_course_parties():
    """Does every service say who owns every item, with owners from parties.toml (the
    schema's list of owners and the course's parties agree)?"""
    for service in content.services().values():
        assert set(service["responsibilities"]) == set(content.items()), service["id"]
        for cell in service["responsibilities"].values():
            assert cell["owner"] in content.parties()


def reason_conflicts(services: dict, reasons: dict) -> list[str]:
    """Cells whose owner is not the one their reason code implies, or whose owner depends on
    a choice that no contested note names."""
    found = []
    for service in services.values():
        for item, cell in service["responsibilities"].items():
            implied = reasons[cell["reason"]].get("owner")
            if implied is None and "contested" not in cell:
                found.append(f"{service['id']}/{item}: {cell['reason']} needs a contested note")
            elif implied not in (None, cell["owner"]):
                found.append(f"{service['id']}/{item}: {cell['reason']} means {implied}, "
                             f"the cell says {cell['owner']}")
    return found


def test_the_same_reason_gives_the_same_owner_in_every_service():
    """Does every cell carry a reason code whose implied owner is the cell's owner?"""
    assert reason_conflicts(content.services(), content.reasons()) == []
    assert {r.get("owner") for r in content.reasons().values()} <= {None, *content.parties()}


def test_a_cell_that_contradicts_its_reason_is_found():
    """Would an owner that disagrees with its reason code (or an unexplained choice) fail?"""
    reasons = content.reasons()
    cell = {"owner": "AWS", "reason": "customer-configures", "why": "w", "source": "s"}
    choice = {"owner": "Customer", "reason": "depends-on-choice", "why": "w", "source": "s"}
    found = reason_conflicts({"x": {"id": "x", "responsibilities": {"a": cell, "b": choice}}},
                             reasons)
    assert len(found) == 2 and "means Customer" in found[0] and "contested" in found[1]


def owner(service: str, item: str) -> str:
    return content.services()[service]["responsibilities"][item]["owner"]


def test_the_reviewed_cases_say_the_same_thing_about_the_same_situation():
    """The cases issue 11 found: each situation now has one owner (or is not applicable)."""
    assert owner("ebs", "encryption-in-transit") == owner("ebs", "encryption-at-rest") == "Customer"
    assert {owner(s, "encryption-in-transit") for s in ("s3", "dynamodb", "cloudfront")} \
        == {"Customer"}
    # An encrypted SQS queue refuses plain HTTP and new queues are encrypted by default: the
    # same default-on situation as SQS at rest, unlike a bucket that accepts HTTP.
    assert owner("sqs", "encryption-in-transit") == owner("sqs", "encryption-at-rest") == "Shared"
    assert {owner(s, "network-firewall-config") for s in ("dynamodb", "sqs", "kms", "iam")} \
        == {"AWS"}
    assert {owner(s, "availability-design") for s in ("eks", "aurora", "ecs-fargate", "rds")} \
        == {"Shared"}
    for service, item in (("ebs", "guest-os-patching"), ("vpc", "application-code"),
                          ("sqs", "backups")):
        assert owner(service, item) == "N/A", (service, item)


def test_every_cell_records_when_it_was_reviewed_and_quotes_are_short():
    for service in content.services().values():
        for cell in service["responsibilities"].values():
            assert cell["reviewed"] <= date.today().isoformat(), cell  # not in the future
            assert len(cell.get("quote", "")) < 420, cell["quote"]


def notebook_calls(pattern: str) -> set[str]:
    """The first argument of every call ``pattern("...")`` in the source notebooks."""
    found: set[str] = set()
    for path in (REPO / "source").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            found |= set(re.findall(pattern + r"""\(\s*["']([^"']+)["']""",
                                    "".join(cell["source"])))
    return found


def test_notebooks_only_use_content_that_exists():
    """Does every quiz, matrix, tutor and graded item a notebook names exist in the data?"""
    assert notebook_calls(r"\bquiz") <= set(content.questions())
    assert notebook_calls(r"\bmatrix") <= set(content.services())
    assert notebook_calls(r"\btutor") <= set(content.concepts())
    assert notebook_calls(r"\bask") <= set(content.checkpoints())
    assert notebook_calls(r"\bexpect") == set(content.checkpoints())  # every item is graded


def test_a_concept_term_missing_from_the_glossary_is_refused(monkeypatch: pytest.MonkeyPatch):
    """Does loading fail when a concept names a term the glossary lacks?"""
    monkeypatch.setattr(content, "glossary", lambda: {})
    content.concepts.cache_clear()
    try:
        with pytest.raises(content.ContentError, match="undefined terms"):
            content.concepts()
    finally:
        content.concepts.cache_clear()


JARGON = ["hypervisor", "security group", "guest operating system", "host operating system",
          "network acl", "amazon machine image", "availability zone", "edge location",
          "aws artifact", "multi-az", "fargate", "kms", "aws waf", "shield standard",
          "block public access", "point-in-time recovery", "rds custom", "imported key material",
          "control plane", "maintenance window", "vpc flow logs", "client-side encryption",
          "server-side encryption", "iaas", "paas", "saas", "abstracted service",
          "shared control", "inherited control", "nitro"]


def test_technical_terms_in_notebook_prose_are_in_the_glossary():
    """Is every technical term a notebook's prose uses defined in the glossary?"""
    glossary_text = " ".join(content.glossary()).lower()
    for path in (REPO / "source").rglob("*.ipynb"):
        text = " ".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                        if c["cell_type"] == "markdown").lower()
        missing = [term for term in JARGON if term in text and term not in glossary_text]
        assert not missing, f"{path.name} uses terms the glossary lacks: {missing}"


def test_every_wrong_option_of_every_question_has_its_misconception():
    """Does each wrong option say why someone picks it and why it is wrong?"""
    for question in content.questions().values():
        right = {question["answer"]} if isinstance(question["answer"], str) \
            else set(question["answer"])
        assert set(question.get("misconceptions", {})) == set(question["options"]) - right, \
            question["id"]


def test_a_misconception_for_the_right_answer_is_refused():
    question = {"id": "q-x", "kind": "single", "options": ["AWS", "Customer"], "answer": "AWS",
                "misconceptions": {"AWS": "It is right, so it has no misconception."}}
    with pytest.raises(content.ContentError, match="only explain wrong options"):
        content._check_question("questions/x.toml", question)
