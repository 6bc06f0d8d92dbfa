"""Versions of one graded item are equally fair: each student gets a different version for
the same points, so every version must ask only what its notebook has taught, with the same
decision and the same shape (walk finding 3: an ECS version in 01, a contested 'every engine
update' version beside a plain 'who replaces the disk')."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from test_variants import source_keys

from course import content

REPO = Path(__file__).resolve().parents[1]

# How prose names each service (or AWS tool) a version may ask about.
NAMES = {
    "ec2": r"\bEC2\b", "ebs": r"\bEBS\b", "vpc": r"\bVPC\b", "rds": r"\bRDS\b",
    "aurora": r"\bAurora\b", "elastic-beanstalk": r"\bBeanstalk\b", "ecs": r"\bECS\b",
    "eks": r"\bEKS\b|\bKubernetes\b", "fargate": r"\bFargate\b", "lambda": r"\bLambda\b",
    "s3": r"\bS3\b", "dynamodb": r"\bDynamoDB\b", "sqs": r"\bSQS\b", "kms": r"\bKMS\b",
    "iam": r"\bIAM\b", "cloudfront": r"\bCloudFront\b", "cloudtrail": r"\bCloudTrail\b",
    "guardduty": r"\bGuardDuty\b", "nitro": r"\bNitro\b",
}


def named(data: Any) -> set[str]:
    text = json.dumps(data, ensure_ascii=False)
    return {name for name, pattern in NAMES.items() if re.search(pattern, text)}


def taught_by() -> dict[str, set[str]]:
    """Concept (= notebook) -> the services its own concept data or an earlier one's name
    (title, summary, tutor, objectives, takeaways, terms): what a student has met there."""
    taught: dict[str, set[str]] = {}
    so_far: set[str] = set()
    for concept_id, concept in sorted(content.concepts().items()):
        so_far |= named({k: v for k, v in concept.items() if k != "practice"})
        taught[concept_id] = set(so_far)
    return taught


def versions() -> dict[str, dict[str, dict[str, Any]]]:
    """Item -> version -> what the student sees, with its key from the hidden tests."""
    keys = source_keys()
    return {cp["id"]: {version: {**shown, "kind": cp["kind"], "assignment": cp["assignment"],
                                 "key": keys[cp["id"]][version]["key"]}
                       for version, shown in cp.get("variants", {"a": cp}).items()}
            for cp in content.checkpoints().values()}


def untaught(items: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Versions that name a service their notebook has not taught yet."""
    taught = taught_by()
    return [f"{item}/{version} ({shown['assignment']}): {sorted(late)}"
            for item, shown_versions in items.items()
            for version, shown in shown_versions.items()
            if (late := named({k: shown.get(k) for k in ("prompt", "options", "rows")})
                - taught[shown["assignment"]])]


def shape(shown: dict[str, Any]) -> tuple:
    """What must be the same in every version of an item: how many options or rows, how many
    keys of each owner in a matrix, how many options keyed in a multiple-answer item, and
    for an owner question whether the decision is a contested, Shared one."""
    key = shown["key"]
    if shown["kind"] == "matrix":
        return len(shown["rows"]), tuple(sorted(Counter(key.values()).items()))
    if shown["kind"] == "multiple":
        return len(shown["options"]), len(key)
    if shown["kind"] == "single":
        return len(shown["options"]), key == "Shared"
    return len(shown.get("options", [])),


def unequal(items: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Items whose versions differ in shape or decision type."""
    return [f"{item}: {({version: shape(shown) for version, shown in shown_versions.items()})}"
            for item, shown_versions in items.items()
            if len({shape(shown) for shown in shown_versions.values()}) > 1]


def test_every_version_asks_only_about_services_its_notebook_has_taught():
    """Does each version of a graded item name only services (and tools) that its notebook,
    or one before it, has taught? An ECS version in 01 asks what only 06 teaches."""
    assert untaught(versions()) == []


def test_the_versions_of_an_item_have_the_same_shape_and_decision():
    """Same number of options or rows, the same owner mix in a matrix, as many keyed options
    in a multiple-answer item, and either every version of an owner question is Shared (the
    contested kind) or none is."""
    assert unequal(versions()) == []


def test_every_version_cites_a_page_of_the_sourced_service_data():
    """Does every version's key cite (``source=``) a page that a cell of the service data
    (``course/data/services``) quotes, so each answer traces to the owner decided there?"""
    pages = set(re.findall(r'https://[^"\s]+', "".join(
        path.read_text(encoding="utf-8")
        for path in (REPO / "course" / "data" / "services").glob("*.toml"))))
    uncited = [f"{item}/{version}: {expected.get('source')}"
               for item, by_version in source_keys().items()
               for version, expected in by_version.items() if expected.get("source") not in pages]
    assert uncited == []


def test_the_checks_catch_the_unfair_versions_of_the_walk():
    """Would these checks have failed 01 as the walk found it: version b about ECS with the
    EC2 launch type, and version b of the RDS item a contested Shared among plain AWS ones?"""
    ecs = {"cp-x": {"a": {"assignment": "01-model", "prompt": "A web shop on Amazon EC2"},
                    "b": {"assignment": "01-model",
                          "prompt": "A booking site on Amazon ECS with the EC2 launch type"}}}
    assert untaught(ecs) == ["cp-x/b (01-model): ['ecs']"]
    owners = ["AWS", "Customer", "Shared"]
    rds = {"cp-y": {version: {"kind": "single", "options": owners, "key": key}
                    for version, key in (("a", "AWS"), ("b", "Shared"), ("c", "AWS"))}}
    matrix = {"cp-z": {version: {"kind": "matrix", "rows": [{}, {}], "key": key}
                       for version, key in (("a", {"r": "AWS", "s": "Customer"}),
                                            ("b", {"r": "Customer", "s": "Customer"}))}}
    assert len(unequal(rds | matrix)) == 2
