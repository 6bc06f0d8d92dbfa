"""Shuffled options, one scorer for practice and graded items, and a version (variant) of
every graded item for each student: unit tests without a kernel."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from course import content, identity, kinds, records, shuffle

REPO = Path(__file__).resolve().parents[1]
OPTIONS = ["AWS", "Customer", "Shared", "Not applicable"]


@pytest.fixture(autouse=True)
def nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """No identity from the machine running the tests."""
    monkeypatch.delenv(identity.HUB, raising=False)
    monkeypatch.delenv(identity.GRADED, raising=False)


def source_keys() -> dict[str, dict[str, dict]]:
    """Item -> version -> the arguments of its ``expect`` in the hidden tests of source/."""
    from course.grading.score import expectation

    found = {}
    for path in sorted((REPO / "source").rglob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            expected = expectation("".join(cell["source"])) if cell["cell_type"] == "code" else None
            if expected:
                found[expected["item"]] = expected["variants"]
    return found


def test_practice_options_change_order_at_every_attempt_and_keep_their_texts():
    orders = [shuffle.practice("q-x", OPTIONS) for _ in range(20)]
    assert all(sorted(order) == sorted(OPTIONS) for order in orders)
    assert all(a != b for a, b in pairwise(orders))  # never the same twice in a row
    assert len({tuple(order) for order in orders}) > 3


def test_all_of_the_above_stays_last():
    options = ["Patching", "Encryption", "Logging", "All of the above"]
    for _ in range(10):
        assert shuffle.practice("q-all", options)[-1] == "All of the above"
    assert shuffle.graded(options, "alice", "cp-x")[-1] == "All of the above"


def test_graded_order_is_stable_per_student_and_differs_between_students():
    assert shuffle.graded(OPTIONS, "alice", "cp-x") == shuffle.graded(OPTIONS, "alice", "cp-x")
    orders = {tuple(shuffle.graded(OPTIONS, f"s{n}", "cp-x")) for n in range(30)}
    assert len(orders) > 5


def test_a_practice_quiz_shows_its_own_order_and_scores_partial_credit_like_a_graded_item():
    from course.widgets.quiz import Quiz

    question = next(q for q in content.questions().values() if q["kind"] == "multiple"
                    and len(q["answer"]) >= 2)
    first, second = Quiz(question["id"]), Quiz(question["id"])
    assert first.order != second.order and sorted(first.order) == sorted(question["options"])
    assert [box.description for box in second.choice._boxes] == second.order
    second.choice.value = [question["answer"][0]]
    assert second.check() is False
    assert second.share == pytest.approx(1 / len(question["answer"]))
    assert f"Score: {round(100 / len(question['answer']))}%" in second.feedback.value
    assert kinds.practice(question).fraction(question["answer"], [question["answer"][0]]) \
        == second.share
    second.choice.value = list(question["answer"])
    assert second.check() is True


def test_a_practice_matrix_is_scored_by_the_matrix_kind():
    from course.widgets.matrix import Matrix

    practice = Matrix("ec2")
    owners = {item: cell["owner"] for item, cell in practice.key.items()}
    first = next(iter(owners))
    practice.rows.value = {first: owners[first]}
    assert practice.check() == 1
    assert practice.kind.fraction(owners, {first: owners[first]}) == 1 / len(owners)


def test_the_class_id_is_kept_and_the_hub_user_wins(monkeypatch: pytest.MonkeyPatch):
    assert identity.student() is None
    assert identity.set_class_id("  s1234 ") == "s1234"
    assert identity.student() == "s1234"
    monkeypatch.setenv(identity.HUB, "hub-alice")
    assert identity.student() == "hub-alice"


@pytest.mark.parametrize("bad", ["", "a b", "../x", ".hidden", "x*", "a\nb", "é" * 3, "x" * 65])
def test_a_class_id_nbgrader_could_not_keep_is_refused(bad: str):
    with pytest.raises(ValueError, match="is not a class id"):
        identity.set_class_id(bad)
    assert identity.student() is None


def test_every_graded_item_has_three_versions_each_keyed_in_the_hidden_tests():
    keys = source_keys()
    for item, definition in content.checkpoints().items():
        if definition["kind"] == "architecture":  # the capstone: each student's own design
            continue
        versions = content.variants(item)
        assert len(versions) >= 3, item
        assert set(keys[item]) == set(versions), item
        for version, expected in keys[item].items():
            kind = kinds.of(item, version)
            assert kind.variant == version and kind.prompt == versions[version]["prompt"]
            assert kind.fraction(expected["key"], kind.check(expected["key"])) == 1.0
            assert expected.get("why") and expected.get("source", "").startswith("https://")


def test_versions_of_an_item_ask_different_things():
    for item, versions in content.checkpoints().items():
        shown = [json.dumps([v["prompt"], v.get("options"), v.get("rows")])
                 for v in versions["variants"].values()]
        assert len(set(shown)) == len(shown), item


def test_each_student_gets_a_stable_version_and_the_versions_are_spread():
    items = [i for i, d in content.checkpoints().items() if len(d["variants"]) == 3]
    assert identity.variant(items[0], "alice") == identity.variant(items[0], "alice")
    assert identity.variant(items[0], None) == "a"
    counts = Counter(identity.variant(item, f"s{n:04d}") for item in items for n in range(100))
    assert set(counts) == {"a", "b", "c"}
    assert min(counts.values()) > 0.28 * sum(counts.values())
    alice = [identity.variant(item, "alice") for item in items]
    bob = [identity.variant(item, "bob") for item in items]
    assert alice != bob


def test_two_students_see_different_graded_items(monkeypatch: pytest.MonkeyPatch):
    """What ``ask`` shows comes from the student's identity: prompt and option order."""
    item = next(i for i in content.checkpoints()
                if identity.variant(i, "alice") != identity.variant(i, "bob")
                and content.checkpoints()[i]["kind"] == "single")
    shown = {}
    for student in ("alice", "bob"):
        monkeypatch.setenv(identity.HUB, student)
        kind = kinds.of(item, identity.current(item))
        control = kind.control(None, shuffle.graded(kind.options, student, item))
        shown[student] = (kind.prompt, control.widget.options)
        assert kind.prompt in content.variants(item)[identity.variant(item, student)]["prompt"]
    assert shown["alice"] != shown["bob"]


def test_a_record_holds_option_text_who_answered_and_the_version(
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(identity.HUB, "alice")
    item = "cp-01-rds-engine"
    version = identity.variant(item, "alice")
    option = content.variants(item)[version]["options"][1]
    record = records.bundle(item, option, at=1.0)[records.MIME]
    assert record == {"item": item, "answer": option, "at": 1.0, "student": "alice",
                      "variant": version}
    assert records.bundle(item, option, stamp=False)[records.MIME].keys() == {
        "item", "answer", "at"}


def test_an_answer_is_checked_against_the_students_own_version(
        monkeypatch: pytest.MonkeyPatch):
    item = "cp-01-customer-side"
    student = next(f"s{n}" for n in range(50) if identity.variant(item, f"s{n}") != "a")
    monkeypatch.setenv(identity.HUB, student)
    theirs = content.variants(item)[identity.variant(item, student)]["options"]
    assert records.check(item, [theirs[0]]) == [theirs[0]]
    with pytest.raises(records.InvalidAnswer, match="not one of the options"):
        records.check(item, [content.variants(item)["a"]["options"][0]])


def test_the_class_id_box_keeps_a_valid_id_and_says_why_not_otherwise():
    from course.widgets.class_id import ClassId

    box = ClassId()
    assert "No class id saved yet" in box.status.value
    box.box.value = "not valid!"
    box.save()
    assert "is not a class id" in box.status.value and identity.student() is None
    box.box.value = "s1234"
    box.save()
    assert "your class id is s1234" in box.status.value and identity.student() == "s1234"


def test_on_a_hub_the_class_id_box_only_says_who_is_signed_in(monkeypatch: pytest.MonkeyPatch):
    from course.widgets.class_id import ClassId

    monkeypatch.setenv(identity.HUB, "hub-alice")
    box = ClassId()
    assert not hasattr(box, "box") and "signed in as hub-alice" in box.status.value
