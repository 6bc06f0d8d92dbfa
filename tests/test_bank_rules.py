"""Item-writing rules over the whole bank: practice questions (``course/data/questions``)
and graded checkpoints (their keys from the hidden tests of ``source/``, every variant).
A guessable bank teaches test-taking, not responsibility: these fail when the bank drifts
back to it (issue #17: 'pick the longest' and 'when in doubt, Customer' once scored)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from course import content
from course.grading.score import expectation

REPO = Path(__file__).resolve().parents[1]
OWNERS = ("AWS", "Customer", "Shared", "Not applicable")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MOST_LONGEST = MOST_SHORTEST = MOST_IN_ONE_POSITION = 0.40
MOST_FOR_ONE_OWNER, LEAST_SHARED = 0.50, 0.15
# Multiple-answer items key about half their options, so chance is about 50% for both.
MOST_KEYED_IN_ONE_POSITION, MOST_LONGEST_KEYED = 0.70, 0.60
OPENING = "You may have picked this because "
SCOLDING = re.compile(r"\b(obviously|clearly|of course|simply|careless|silly|should have "
                      r"known|everyone knows)\b", re.I)


class Item(NamedTuple):
    id: str
    options: list[str]
    key: str

    @property
    def owner_only(self) -> bool:
        """Options only owners: their order is fixed and they are balanced by owner."""
        return set(self.options) <= set(OWNERS)


class Multiple(NamedTuple):
    id: str
    options: list[str]
    keys: list[str]


def graded_keys() -> dict[str, dict[str, Any]]:
    """Each graded item's key per version (``a`` when it has no variants), read from the
    hidden tests the way the grader reads them."""
    keys: dict[str, dict[str, Any]] = {}
    for path in sorted((REPO / "source").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for block in HIDDEN.findall("".join(cell["source"])):
                found = expectation(block)
                if found:
                    versions = found.get("variants", {"a": found})
                    keys[found["item"]] = {version: value["key"]
                                           for version, value in versions.items()}
    return keys


def single_answer(bank: str) -> list[Item]:
    """The single-answer items of ``bank`` (practice, graded or all), options as stored;
    every version of a graded item counts, as each is some student's item."""
    items: list[Item] = []
    if bank in ("practice", "all"):
        items += [Item(q["id"], q["options"], q["answer"]) for q in content.questions().values()
                  if q["kind"] in ("single", "scenario")]
    if bank in ("graded", "all"):
        keys = graded_keys()
        items += [Item(f"{cp['id']}/{version}", shown["options"], keys[cp["id"]][version])
                  for cp in content.checkpoints().values() if cp["kind"] == "single"
                  for version, shown in cp.get("variants", {"a": cp}).items()]
    return items


def multiple_answer(bank: str) -> list[Multiple]:
    """The multiple-answer items of ``bank``, options as stored, every graded version."""
    items: list[Multiple] = []
    if bank in ("practice", "all"):
        items += [Multiple(q["id"], q["options"], q["answer"])
                  for q in content.questions().values() if q["kind"] == "multiple"]
    if bank in ("graded", "all"):
        keys = graded_keys()
        items += [Multiple(f"{cp['id']}/{version}", shown["options"], keys[cp["id"]][version])
                  for cp in content.checkpoints().values() if cp["kind"] == "multiple"
                  for version, shown in cp.get("variants", {"a": cp}).items()]
    return items


def share(count: int, total: int) -> str:
    return f"{count} of {total} ({count / total:.0%})"


def length_breaches(items: list[Item]) -> list[str]:
    """The key may be the longest option (longer than every other) in at most 40% of the
    items, and the shortest in at most 40%: either would score without reading."""
    items = [item for item in items if not item.owner_only]
    problems = []
    for name, beats, most in (("longest", int.__gt__, MOST_LONGEST),
                              ("shortest", int.__lt__, MOST_SHORTEST)):
        found = [item.id for item in items if all(beats(len(item.key), len(option))
                                                  for option in item.options if option != item.key)]
        if len(found) > most * len(items):
            problems.append(f"key is the {name} in {share(len(found), len(items))}: {found}")
    return problems


def position_breaches(items: list[Item]) -> list[str]:
    """No stored position (first, second, ...) may hold more than 40% of the keys."""
    items = [item for item in items if not item.owner_only]
    positions = Counter(item.options.index(item.key) + 1 for item in items)
    worst, count = positions.most_common(1)[0] if positions else (None, 0)
    return [f"position {worst} holds {share(count, len(items))} of keys: {dict(positions)}"
            ] * (count > MOST_IN_ONE_POSITION * len(items))


def owner_breaches(items: list[Item]) -> list[str]:
    """Among owner-only items no owner may be the key of more than half, and Shared must
    be the key of at least 15%."""
    items = [item for item in items if item.owner_only]
    owners = Counter(item.key for item in items)
    worst, count = owners.most_common(1)[0] if owners else (None, 0)
    return ([f"{worst} is the key of {share(count, len(items))}: {dict(owners)}"]
            * (count > MOST_FOR_ONE_OWNER * len(items))
            + [f"Shared is the key of {share(owners['Shared'], len(items))}: {dict(owners)}"]
            * (owners["Shared"] < LEAST_SHARED * len(items)))


def misconception_breaches(questions: list[dict[str, Any]]) -> list[str]:
    """Each wrong option needs its misconception, said to the student ('You may have
    picked this because …'), long enough to say why it is wrong, and not scolding."""
    problems = []
    for question in questions:
        key = question["answer"]
        for option in question["options"]:
            text = question.get("misconceptions", {}).get(option, "")
            if option not in ([key] if isinstance(key, str) else key) and (
                    not text.startswith(OPENING) or len(text) < len(OPENING) + 40
                    or SCOLDING.search(text)):
                problems.append(f"{question['id']}: {option!r}: {text[:70]!r}")
    return problems


def multiple_breaches(items: list[Multiple]) -> list[str]:
    """Multiple-answer items: no stored position may be keyed in more than 70% of the items
    that have it ('tick the first two' once scored), and the longest option may be keyed in
    at most 60% of them."""
    keyed = Counter(item.options.index(key) + 1 for item in items for key in item.keys)
    present = Counter(position for item in items for position in range(1, len(item.options) + 1))
    problems = [f"position {position} is keyed in {share(keyed[position], count)} of items"
                for position, count in sorted(present.items())
                if keyed[position] > MOST_KEYED_IN_ONE_POSITION * count]
    longest = [item.id for item in items if max(item.options, key=len) in item.keys]
    return problems + [f"the longest option is keyed in {share(len(longest), len(items))}: "
                       f"{longest}"] * (len(longest) > MOST_LONGEST_KEYED * len(items))


RULES = {"length": length_breaches, "position": position_breaches, "owner": owner_breaches,
         "multiple": multiple_breaches}


@pytest.mark.parametrize(("bank", "rule"), [
    (bank, rule) for bank in ("practice", "graded", "all") for rule in RULES])
def test_the_bank_keeps_the_item_writing_rules(bank: str, rule: str):
    """Practice, graded and both together: is the key seldom the longest or shortest
    option, spread over the stored positions, and no owner (Customer) the safe guess?"""
    items = multiple_answer(bank) if rule == "multiple" else single_answer(bank)
    assert items
    problems = RULES[rule](items)
    assert not problems, "\n".join(problems)


def test_every_distractor_has_its_misconception_from_the_student():
    """Does each wrong option of a practice check say, to the student and without
    scolding, why it was tempting and why it is wrong?"""
    problems = misconception_breaches(list(content.questions().values()))
    assert not problems, "\n".join(problems)


def test_the_rules_catch_the_bank_as_it_was():
    """Would the rules have failed the bank of issue #17: keys longest and first, Customer
    the key of 73% of owner questions, misconceptions that start 'Picked because'?"""
    long_first = [Item(f"q{n}", ["the right answer, stated in full", "short", "brief", "terse"],
                       "the right answer, stated in full") for n in range(5)]
    customer = [Item(f"o{n}", list(OWNERS[:3]), key)
                for n, key in enumerate(["Customer"] * 8 + ["AWS", "Shared"])]
    assert len(length_breaches(long_first)) == 1 and position_breaches(long_first)
    assert len(owner_breaches(customer)) == 2  # Customer wins, Shared too rare
    top_two = [Multiple(f"m{n}", ["a long right answer", "another right one", "no", "nope"],
                        ["a long right answer", "another right one"]) for n in range(5)]
    assert len(multiple_breaches(top_two)) == 3  # positions 1 and 2, and the longest
    question = {"id": "q", "options": ["AWS", "Customer", "Shared"], "answer": "Customer",
                "misconceptions": {"AWS": "Picked because AWS runs EC2; the guest OS is yours.",
                                   "Shared": OPENING + "you obviously did not read the page."}}
    assert len(misconception_breaches([question])) == 2
    question["misconceptions"] = {
        option: OPENING + f"{option} runs something here, but not this layer of the stack."
        for option in ("AWS", "Shared")}
    assert not misconception_breaches([question])


RECENT = re.compile(r"\b20(2[4-9]|[3-9][0-9])\b")


def test_a_check_dated_2024_or_later_is_marked_volatile():
    """Does every practice check whose text names a year from 2024 on carry a volatile note
    (what changed and when), so the next review knows which checks to re-read?"""
    unmarked = [question["id"] for question in content.questions().values()
                if RECENT.search(json.dumps(question, ensure_ascii=False))
                and "volatile" not in question]
    assert unmarked == []


FAMILIES = {"05-infrastructure": "infrastructure", "06-managed": "containers and managed",
            "07-abstracted": "abstracted"}


def test_every_service_family_has_a_shared_situation_to_practise():
    """Does each family's concept (EC2/EBS/VPC, RDS/ECS/EKS/Beanstalk, S3/DynamoDB/KMS…)
    have at least one practice check whose key is Shared? Shared exists in all three."""
    shared = Counter(question["concept"] for question in content.questions().values()
                     if question["answer"] == "Shared")
    assert [family for concept, family in FAMILIES.items() if not shared[concept]] == []


def test_the_main_practice_sets_keep_the_owner_rule():
    """Mastery counts each concept's main practice set: together, do those sets keep the
    owner rule too, so that the checks every student must do are no 'Customer' drill?"""
    questions = content.questions()
    main = [Item(question_id, questions[question_id]["options"], questions[question_id]["answer"])
            for concept in content.concepts().values()
            for question_id in concept.get("practice", [])
            if questions[question_id]["kind"] != "multiple"]
    assert not owner_breaches(main)


def test_the_audit_page_lists_the_checks_that_depend_on_a_date():
    """Does the audit page list every practice check with a volatile note, next to the cells
    that depend on a date, so the next review re-reads both?"""
    from markupsafe import escape

    from course import audit

    section = audit.render().split('<h3 id="volatile-checks">')[1].split("<h2")[0]
    checks = [check for check in content.questions().values() if "volatile" in check]
    assert checks and section.count("<tr><td><code>") == len(checks)
    for check in checks:
        row = section.split(f"<code>{check['id']}</code>")[1].split("</tr>")[0]
        assert str(escape(check["volatile"])) in row and f'href="{check["source"]}"' in row
