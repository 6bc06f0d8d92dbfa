"""Each grading step on a small in-memory notebook (nbgrader's own preprocessor tests are the
model): which answer counts, how it is scored and fed back, what the statistics and the
salvage of a broken file read."""

from __future__ import annotations

import json

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course import kinds, records
from course.grading import HarvestRecordedAnswers, ScoreRecordedAnswers
from course.grading.harvest import METADATA_KEY
from course.grading.item_analysis import ItemAnalysis, Version
from course.grading.stats import scored_answers
from course.grading.triage import _repair_notebook, rebuild, salvage_records

ITEM, MATRIX = "cp-01-rds-engine", "cp-01-webshop-matrix"
TEST = f'require_answer("{ITEM}")\nexpect("{ITEM}", "AWS", why="See https://aws.amazon.com/rds/.")'


def answer_cell(*records_given: tuple[object, float], item: str = ITEM, source: str = ""):
    cell = new_code_cell(source or f'ask("{item}")')
    cell.metadata.nbgrader = {"grade": False, "solution": True, "grade_id": f"answer-{item}",
                              "locked": False, "schema_version": 3, "task": False}
    cell.outputs = [new_output("display_data", data=records.bundle(item, answer, at))
                    for answer, at in records_given]
    return cell


def grade_cell(source: str = TEST, points: float = 1, printed=()):
    cell = new_code_cell(source)
    cell.metadata.nbgrader = {"grade": True, "solution": False, "grade_id": "test-rds",
                              "locked": True, "points": points, "schema_version": 3,
                              "task": False}
    cell.outputs = [new_output("display_data", data=records.bundle(ITEM, answer, 9e9))
                    for answer in printed]
    return cell


def harvest(nb):
    nb, _ = HarvestRecordedAnswers().preprocess(nb, {})
    return nb


def score(nb, **config):
    nb, _ = ScoreRecordedAnswers(**config).preprocess(nb, {})
    scored = nb.cells[-1].outputs[0]
    return float(nb.cells[-1].outputs[1].data["text/plain"]), scored


def test_the_newest_saved_record_wins_wherever_it_is_in_the_notebook():
    nb = new_notebook(cells=[answer_cell(("AWS", 200.0)), answer_cell(("Customer", 100.0))])
    assert harvest(nb).metadata[METADATA_KEY]["recorded"] == {ITEM: "AWS"}


def test_records_printed_by_test_cells_never_count():
    nb = new_notebook(cells=[answer_cell(("Customer", 100.0)), grade_cell(printed=["AWS"])])
    assert harvest(nb).metadata[METADATA_KEY]["recorded"] == {ITEM: "Customer"}
    assert score(nb)[0] == 0.0


def test_what_a_submission_put_in_the_metadata_is_replaced():
    nb = new_notebook(cells=[answer_cell(("Customer", 1.0)), grade_cell()])
    nb.metadata[METADATA_KEY] = {"recorded": {ITEM: "AWS"}}
    assert score(harvest(nb))[0] == 0.0


def test_a_saved_answer_beats_the_answer_code_records_when_re_run():
    """The rule of docs/grading.md: the saved record is what the student last saw."""
    nb = harvest(new_notebook(cells=[answer_cell(("AWS", 100.0)), grade_cell()]))
    nb.cells[0].outputs = [new_output("display_data", data=records.bundle(ITEM, "Shared", 5e9))]
    assert score(nb)[0] == 1.0


def test_code_that_was_never_run_counts_when_re_run():
    nb = harvest(new_notebook(cells=[answer_cell(), grade_cell()]))
    nb.cells[0].outputs = [new_output("display_data", data=records.bundle(ITEM, "AWS", 5e9))]
    assert score(nb)[0] == 1.0


def test_a_deep_answer_scores_zero_with_a_reason_and_the_rest_is_graded():
    """Nested as deep as nbformat can still read (deeper files are salvaged, below)."""
    deep: object = "AWS"
    for _ in range(300):
        deep = [deep]
    nb = new_notebook(cells=[answer_cell((deep, 1.0)),
                             answer_cell(({"ssh-rule": "Customer"}, 1.0), item=MATRIX),
                             grade_cell()])
    nb = harvest(nb)
    assert nb.metadata[METADATA_KEY]["recorded"] == {MATRIX: {"ssh-rule": "Customer"}}
    points, scored = score(nb)
    assert points == 0.0
    assert "nested more than 8 levels" in scored.metadata[METADATA_KEY]["problem"]
    json.dumps(nb)  # the autograded notebook can be written


def test_feedback_marks_the_answer_links_the_why_and_keeps_what_was_scored():
    points, scored = score(harvest(new_notebook(cells=[answer_cell(("Customer", 1.0)),
                                                        grade_cell()])))
    html = scored.data["text/html"]
    assert points == 0.0 and scored.metadata[METADATA_KEY]["answer"] == "Customer"
    assert "Right answer: AWS" in html
    assert '<a href="https://aws.amazon.com/rds/" target="_blank"' in html
    assert "✘ Customer <span class=\"course-state\">(your choice, wrong)" in html
    assert "◯ AWS <span class=\"course-state\">(missed: this one is right)" in html


def test_without_reveal_the_right_answer_is_not_shown():
    _points, scored = score(harvest(new_notebook(cells=[answer_cell(("Customer", 1.0)),
                                                         grade_cell()])), reveal=False)
    html = scored.data["text/html"]
    assert "Right answer" not in html and "missed" not in html
    assert "(your choice, wrong)" in html
    # The Why would name the right answer (review point 54): it is withheld, its link too.
    assert "rds/" not in html


def test_markup_in_an_answer_or_explanation_is_escaped():
    source = f'expect("{ITEM}", "AWS", why="<script>x()</script>")'
    _points, scored = score(harvest(new_notebook(cells=[answer_cell(), grade_cell(source)])))
    assert "<script>" not in scored.data["text/html"]


def test_statistics_read_the_answers_the_scorer_saw():
    nb = harvest(new_notebook(cells=[answer_cell(("Customer", 1.0)), grade_cell()]))
    score(nb)
    (response,) = scored_answers(json.loads(json.dumps(nb)), "ann")
    assert (response.item, response.answer, response.score) == (ITEM, "Customer", 0.0)
    (result,) = ItemAnalysis().analyse(
        [response], {(ITEM, response.variant): Version(kinds.of(ITEM), "AWS")})
    assert (result.right, result.most_common_wrong, result.right_answer) == (0, "Customer", "AWS")


@pytest.mark.parametrize("source", [f"ask('{ITEM}')", f"# my answer\nask(\"{ITEM}\")",
                                    f"answer({ITEM!r}, 'AWS')"])
def test_salvage_finds_the_answer_cell_however_it_is_written(source):
    template = json.loads(json.dumps(new_notebook(cells=[answer_cell(source=source),
                                                         grade_cell()])))
    text = json.dumps(new_notebook(cells=[answer_cell(("AWS", 1.0), source=source)]))
    broken = text[:-3]
    nb, found, refused = rebuild(broken, template)
    assert found == 1 and records.find(nb) == {ITEM: "AWS"} and refused == {}


def test_salvage_keeps_the_newest_record_and_survives_deep_nesting():
    text = (json.dumps(records.bundle(ITEM, "Shared", 300.0)) + "["
            + json.dumps(records.bundle(ITEM, "AWS", 100.0)) + '"' + records.MIME + '": '
            + "[" * 100_000)
    assert salvage_records(text) == {ITEM: "Shared"}


def test_a_file_too_deep_for_nbformat_is_salvaged_with_the_reason():
    deep = "[" * 5000 + '"AWS"' + "]" * 5000
    text = json.dumps(new_notebook(cells=[answer_cell(({"ssh-rule": "AWS"}, 1.0), item=MATRIX),
                                          answer_cell(("DEEP", 2.0))])).replace('"DEEP"', deep)
    template = json.loads(json.dumps(new_notebook(cells=[answer_cell(), grade_cell()])))
    problems = []
    nb, changed = _repair_notebook(text.encode(), template, lambda *p: problems.append(p))
    assert changed and records.find(nb) == {MATRIX: {"ssh-rule": "AWS"}}
    ((_problem, action),) = problems
    assert "1 recorded answer found" in action and "nested more than 8 levels" in action


HIDDEN = "### BEGIN HIDDEN TESTS\n{}\n### END HIDDEN TESTS"


@pytest.mark.parametrize(("hidden", "kept"), [
    (f'expect("{ITEM}", "AWS")', f'require_answer("{ITEM}")'),
    ("assert 1 + 1 == 2", f'require_answer("{ITEM}")\n' + HIDDEN.format("assert 1 + 1 == 2")),
])
def test_withhold_removes_only_the_keys_the_grader_scores(hidden, kept):
    from course.grading import WithholdScoredTests

    nb = new_notebook(cells=[grade_cell(f'require_answer("{ITEM}")\n' + HIDDEN.format(hidden))])
    nb, _ = WithholdScoredTests().preprocess(nb, {})
    assert nb.cells[0].source == kept


def test_a_student_cell_holding_the_delimiters_is_left_alone():
    from course.grading import RemoveHiddenTests

    student = answer_cell(source='ask("x")\n' + HIDDEN.format("print(1)"))
    broken = grade_cell("### BEGIN HIDDEN TESTS\nexpect('x', 1)")
    nb, _ = RemoveHiddenTests().preprocess(new_notebook(cells=[student, broken]), {})
    assert nb.cells[0].source == student.source and nb.cells[1].source == ""
