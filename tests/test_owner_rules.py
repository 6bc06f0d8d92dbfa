"""Written rules for owners (docs/owner-rules.md): the same situation gets the same owner in every
service, Not applicable is used only where the task has no object, and facts that rest on a date
are marked so the next review finds them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from course import content

REPO = Path(__file__).resolve().parents[1]


def situation_conflicts(services: dict) -> list[str]:
    """Cells whose owner differs from the usual owner of their situation (same item, same reason
    code) without an ``exception`` note saying why. The usual owner is the most common one; a tie
    goes to the party listed first in parties.toml."""
    groups: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for service in services.values():
        for item, cell in service["responsibilities"].items():
            groups[(item, cell["reason"])].append((service["id"], cell))
    order = list(content.parties())
    found = []
    for (item, reason), cells in sorted(groups.items()):
        counts = Counter(cell["owner"] for _, cell in cells)
        usual = max(counts, key=lambda owner: (counts[owner], -order.index(owner)))
        found += [f"{service_id}/{item} ({reason}): {cell['owner']}, usually {usual}"
                  for service_id, cell in cells
                  if cell["owner"] != usual and "exception" not in cell]
    return found


def test_the_same_situation_has_the_same_owner_or_a_stated_exception():
    assert situation_conflicts(content.services()) == []


def test_a_different_owner_without_an_exception_is_found():
    """Would a cell that breaks ranks with its situation fail, and pass once it says why?"""
    def cell(owner: str, **extra: str) -> dict:
        return {"owner": owner, "reason": "depends-on-choice", **extra}
    services = {s: {"id": s, "responsibilities": {"guest-os-patching": cell(o)}}
                for s, o in (("a", "Customer"), ("b", "Customer"), ("c", "AWS"))}
    assert situation_conflicts(services) == [
        "c/guest-os-patching (depends-on-choice): AWS, usually Customer"]
    services["c"]["responsibilities"]["guest-os-patching"]["exception"] = "Because ..."
    assert situation_conflicts(services) == []


def owners(item: str, service_ids: str) -> set[str]:
    table = content.services()
    return {table[s]["responsibilities"][item]["owner"] for s in service_ids.split()}


def test_recurring_situations_follow_the_decision_table():
    """The situations of docs/owner-rules.md section 4 that issue 18's review found split."""
    # The guest OS of a service the customer cannot log in to is AWS's, as AWS's page says.
    assert owners("guest-os-patching",
                  "rds aurora ecs-fargate lambda s3 dynamodb sqs kms iam cloudfront") == {"AWS"}
    # Not applicable only for the building blocks of the customer's instances.
    for item in ("guest-os-patching", "application-code"):
        assert {s for s, svc in content.services().items()
                if svc["responsibilities"][item]["owner"] == "N/A"} == {"ebs", "vpc"}, item
    # Backups: configuration-only services are Not applicable; an EKS cluster holds run-time state.
    assert owners("backups", "ecs-ec2 ecs-fargate iam vpc lambda") == {"N/A"}
    assert owners("backups", "eks s3 dynamodb ebs ec2") == {"Customer"}
    # Encryption at rest on by default with the customer's key choice.
    assert owners("encryption-at-rest",
                  "s3 dynamodb sqs lambda eks ecs-fargate aurora") == {"Shared"}
    # Network: S3 has its own public-access settings; the other API-only services have none.
    assert owners("network-firewall-config", "s3") == {"Shared"}
    assert owners("network-firewall-config", "dynamodb sqs kms iam ebs") == {"AWS"}
    # Encryption in transit: the customer's own listener vs Lambda's TLS-only inbound path.
    assert owners("encryption-in-transit", "eks ecs-ec2 ecs-fargate rds aurora") == {"Customer"}
    assert owners("encryption-in-transit", "lambda") == {"Shared"}


def test_the_rules_page_defines_every_reason_code():
    page = (REPO / "docs" / "owner-rules.md").read_text(encoding="utf-8")
    assert [r for r in content.reasons() if f"`{r}`" not in page] == []


RECENT = re.compile(r"\b20(2[4-9]|[3-9][0-9])\b")


def test_a_fact_dated_2024_or_later_is_marked_volatile():
    """Does every cell whose text names a year from 2024 on say so in its volatile note, so
    that the audit page and the notebooks' Go deeper asides list it?"""
    unmarked = [f"{s['id']}/{item}" for s in content.services().values()
                for item, cell in s["responsibilities"].items()
                if RECENT.search(" ".join(cell.get(k, "") for k in ("why", "quote", "contested")))
                and "volatile" not in cell]
    assert unmarked == []
