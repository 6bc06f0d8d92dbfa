"""Graded item kinds: each checks, scores, describes and feeds back by its own rules,
chosen by the kind the item declares in its checkpoint data."""

from __future__ import annotations

import pytest
from markupsafe import escape

from course import checkpoint, kinds, records

SINGLE, MULTIPLE, MATRIX = "cp-01-rds-engine", "cp-01-customer-side", "cp-01-webshop-matrix"
ARCHITECTURE = "cp-10-architecture"
OPTIONS = ["Encrypting the order database", "Patching the hypervisor",
           "Writing IAM policies for its developers", "Guarding the data center doors",
           "Opening only port 443 to the internet"]


@pytest.mark.parametrize(("item", "name"), [(SINGLE, "Single"), (MULTIPLE, "Multiple"),
                                            (MATRIX, "Matrix"), (ARCHITECTURE, "Architecture"),
                                            ("cp-04-ec2-layers", "Ordering")])
def test_the_kind_is_the_one_the_item_declares(item, name):
    assert type(kinds.of(item)).__name__ == name


@pytest.mark.parametrize(("item", "answer", "says"), [
    (SINGLE, "Amazon", "is not one of the options"),
    (SINGLE, ["AWS"], "is not an answer of the right kind"),
    (MULTIPLE, ["Not an option"], "'Not an option', which is not one of the options"),
    (MATRIX, {"ssh-rule": "Nobody"}, "places 'ssh-rule' with 'Nobody', who is not an owner"),
    (MATRIX, {"no-such-row": "AWS"}, "the row 'no-such-row'"),
    (ARCHITECTURE, {"title": "mine"}, "does not fit the architecture format"),
])
def test_a_refused_answer_gets_one_line_naming_item_allowed_values_and_an_example(
        item, answer, says):
    with pytest.raises(kinds.InvalidAnswer) as refused:
        records.check(item, answer)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(f"{item}: ") and says in message
    assert "Allowed: " in message and "For example: " in message


def test_the_example_in_a_message_is_itself_a_valid_answer():
    for item in (SINGLE, MULTIPLE, MATRIX, ARCHITECTURE, "cp-04-ec2-layers"):
        kind = kinds.of(item)
        assert kind.check(kind.example()) is not None


def test_matrix_owners_come_from_the_course_parties_not_applicable_included():
    assert records.check(MATRIX, {"ssh-rule": "N/A"}) == {"ssh-rule": "N/A"}
    assert "N/A" in kinds.of(MATRIX).allowed()


@pytest.mark.parametrize("depth", [9, 50, 100_000])
def test_deep_answers_are_refused_without_recursion_errors(depth):
    deep: object = "AWS"
    for _ in range(depth):
        deep = [deep]
    with pytest.raises(kinds.InvalidAnswer, match="nested more than 8 levels"):
        records.check(MULTIPLE, deep)


def test_huge_answers_are_refused():
    with pytest.raises(kinds.InvalidAnswer, match="bytes as JSON"):
        records.check(MULTIPLE, ["x" * 300_000])


def test_option_marks_say_chosen_right_wrong_and_missed():
    key = [OPTIONS[0], OPTIONS[2], OPTIONS[4]]
    marks = kinds.of(MULTIPLE).marks(key, [OPTIONS[0], OPTIONS[1]], "", reveal=True)
    assert [(m.text, m.state) for m in marks] == [
        (OPTIONS[0], "right"), (OPTIONS[1], "wrong"), (OPTIONS[2], "missed"),
        (OPTIONS[3], ""), (OPTIONS[4], "missed")]


def test_without_reveal_no_missed_option_and_no_right_owner_is_shown():
    key = [OPTIONS[0], OPTIONS[2]]
    marks = kinds.of(MULTIPLE).marks(key, [OPTIONS[1]], "", reveal=False)
    assert [m.state for m in marks] == ["", "wrong", "", "", ""]
    assert kinds.of(SINGLE).summary("AWS", "Customer", reveal=False) == ["Your answer: Customer"]
    rows = kinds.of(MATRIX).marks({"ssh-rule": "Customer"}, {"ssh-rule": "AWS"}, {}, False)
    assert rows[0].state == "wrong" and rows[0].answer == "You said AWS"


def test_matrix_statistics_add_one_row_per_task():
    key = {"ssh-rule": "Customer", "replace-disks": "AWS"}
    answers = [{"ssh-rule": "Customer", "replace-disks": "AWS"}, {"ssh-rule": "AWS"}, None]
    rows = kinds.of(MATRIX).statistics(key, answers, {"ssh-rule": "Rules are yours."})
    assert [(r.row, r.right) for r in rows] == [("", 1), ("ssh-rule", 1), ("replace-disks", 1)]
    assert rows[1].wrong.most_common(1) == [("AWS", 1)] and rows[1].why == "Rules are yours."
    assert rows[2].wrong == {"no answer": 2}


@pytest.mark.parametrize("item", [SINGLE, MULTIPLE, MATRIX])
def test_the_widget_starts_at_the_recorded_answer_with_a_fallback_and_a_code_hint(item):
    kind = kinds.of(item)
    control = kind.control(kind.check(kind.example()))
    assert control.widget.value == kind.check(kind.example())
    assert item in control.hint and escape(kind.prompt) in control.html


ORDERING = "cp-04-ec2-layers"
LAYERS = ["Physical security of the data centers", "Hypervisor (virtualization layer)",
          "Guest operating system on the instances", "Web application on the instances",
          "Order data in the database"]


@pytest.mark.parametrize(("answer", "expected"), [
    (LAYERS, 1.0), (LAYERS[::-1], 0.0),
    ([LAYERS[1], LAYERS[0], *LAYERS[2:]], 0.75),  # one swap of neighbours: one pair lost
    ([*LAYERS[1:], LAYERS[0]], 0.75),
])
def test_ordering_scores_the_share_of_neighbouring_pairs_in_order(answer, expected):
    assert kinds.of(ORDERING).fraction(LAYERS, records.check(ORDERING, answer)) == expected


@pytest.mark.parametrize("answer", [LAYERS[:4], [*LAYERS, LAYERS[0]], "AWS",
                                    [*LAYERS[:4], "Something else"]])
def test_an_ordering_answer_must_hold_every_option_once(answer):
    with pytest.raises(kinds.InvalidAnswer, match=ORDERING):
        records.check(ORDERING, answer)


def test_the_ordering_widget_moves_by_buttons_and_reports_each_move():
    control = kinds.of(ORDERING).control(None)
    order, seen = control.widget, []
    order.on_change(seen.append)
    start = order.value
    order.children[2].children[0].click()  # the third entry, one up
    assert order.value == [start[0], start[2], start[1], *start[3:]] == seen[-1]
    assert "moved to position 2 of 5" in order.status.value
    assert order.children[0].children[0].disabled and order.children[4].children[1].disabled
    order.value = LAYERS  # set from code: no report
    assert len(seen) == 1 and order.value == LAYERS
    order.keep.click()
    assert seen[-1] == LAYERS


def test_a_saved_matrix_answer_reads_as_tasks_not_row_ids():
    """The 'Saved:' line under a matrix names each task as the student reads it (review: no
    internal ids on the student's screen)."""
    matrix = kinds.of("cp-01-webshop-matrix")
    row, task = next(iter(matrix.rows.items()))
    said = records.describe("cp-01-webshop-matrix", {row: "AWS"})
    assert said == f"{task}: AWS" and row not in said


@pytest.mark.parametrize("item", [SINGLE, MULTIPLE, MATRIX, ARCHITECTURE, ORDERING])
def test_the_header_says_what_to_do_and_how_it_scores_in_its_kinds_words(item):
    kind = kinds.of(item)
    html = checkpoint.header(item, {item: 3.0})
    assert kind.instruction and kind.credit_rule
    assert f"Checkpoint 1</span> · <span class=\"course-graded-points\">3 points</span> · " \
           f"{escape(kind.instruction)} · " in html
    assert str(escape(kind.credit_rule)) in html


@pytest.mark.parametrize(("item", "key", "answer", "points", "line"), [
    (MULTIPLE, ["a", "b"], ["a", "c", "d"], 2.0, "+1 \N{MINUS SIGN}2 = 0 (never below 0)"),
    (MULTIPLE, ["a", "b"], ["a", "b"], 2.0, "+2 \N{MINUS SIGN}0 = 2"),
    (MATRIX, {"r1": "AWS", "r2": "Customer", "r3": "Shared"}, {"r1": "AWS", "r2": "AWS"}, 3.0,
     "1 of 3 rows right \N{MULTIPLICATION SIGN} 1 = 1"),
    (ORDERING, LAYERS, [LAYERS[1], LAYERS[0], *LAYERS[2:]], 2.0,
     "3 of 4 neighbouring pairs in order \N{MULTIPLICATION SIGN} 0.5 = 1.5"),
    (SINGLE, "a", "b", 1.0, ""),
    (ARCHITECTURE, "complete", {}, 1.0, ""),
])
def test_the_partial_credit_sum_follows_the_kinds_own_scoring(item, key, answer, points, line):
    kind = kinds.of(item)
    score = points * kind.fraction(key, answer) if item != ARCHITECTURE else 0.0
    assert kind.sum_line(key, answer, score, points) == line
