"""Review findings on grading honesty: what the grader takes from a submission's records
is only the answers; who the answer was given to and which version they saw is derived
by the grader, never read from what the student's kernel (or an editor) wrote."""

from __future__ import annotations

from course import content, identity
from course.grading import copying, report, stats
from course.grading.harvest import METADATA_KEY
from course.grading.score import ScoreRecordedAnswers
from course.grading.variants import StudentVariants

ITEM = "cp-01-rds-engine"


def scorer(student: str, recorded: dict[str, str | None], policy: str) -> ScoreRecordedAnswers:
    step = ScoreRecordedAnswers(other_student=policy, no_student=policy)
    step.student = student
    step.own = StudentVariants(parent=step)
    step.recorded_as = {ITEM: recorded}
    return step


def another_version(than: str) -> str:
    return next(v for v in content.variants(ITEM) if v != than)


def test_a_record_with_no_class_id_is_scored_on_version_a_whatever_variant_it_claims():
    """A student with no class id was shown version a; a record claiming another version
    was edited, and must not let its author pick the version (and so the key) scored."""
    claimed = another_version("a")
    version, policy, _ = scorer("zoe", {"student": None, "variant": claimed},
                                "recorded").version(ITEM)
    assert (version, policy) == ("a", "recorded")


def test_the_recorded_policy_derives_the_version_from_the_named_student():
    """'recorded' scores the version the named student was given, as the grader derives
    it from their id, not the version the record says."""
    theirs = identity.variant(ITEM, "alice")
    claimed = another_version(theirs)
    version, _, _ = scorer("zoe", {"student": "alice", "variant": claimed},
                           "recorded").version(ITEM)
    assert version == theirs


def autograded(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}}


def scored_cell(item: str, given: str, full: bool, test: bool = True) -> dict:
    """A cell with the output ``ScoreRecordedAnswers`` writes (or, not a test cell, the same
    output displayed by the student's own code when the grader re-ran it)."""
    meta = {"item": item, "score": 6.0 if full else 0.0, "points": 6.0, "answer": given,
            "given": given, "student": "mallory", "variant": "a", "own_variant": "a",
            "recorded_as": {}, "identity_problem": ""}
    nbgrader = {"grade": True, "solution": False, "grade_id": f"test_{item}", "points": 6}
    return {"cell_type": "code", "source": "", "metadata": {"nbgrader": nbgrader} if test else {},
            "outputs": [{"output_type": "display_data", "data": {"text/plain": ""},
                         "metadata": {METADATA_KEY: meta}}]}


def test_only_the_graders_own_outputs_count_as_scored_answers():
    """Student code runs again at autograde and can display an output shaped like the
    scorer's: in a cell of its own it must not replace the scored answer that the copying
    report, the item statistics and the grading report read (it would hide a copy)."""
    nb = autograded(scored_cell(ITEM, "Customer", full=False),
                    scored_cell(ITEM, "made up", full=True, test=False))
    assert [(a.item, a.given) for a in copying.scored(nb, "01-model")] == [(ITEM, "Customer")]
    assert [r.answer for r in stats.scored_answers(nb, "mallory")] == ["Customer"]
    blank = autograded(scored_cell(ITEM, None, full=False),
                       scored_cell(ITEM, "made up", full=True, test=False))
    assert any("no answers recorded" in p.problem
               for p in report.unanswered({"01-model": blank}, "mallory"))
