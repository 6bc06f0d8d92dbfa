"""Review findings on grading honesty: what the grader takes from a submission's records
is only the answers; who the answer was given to and which version they saw is derived
by the grader, never read from what the student's kernel (or an editor) wrote."""

from __future__ import annotations

from course import content, identity
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
