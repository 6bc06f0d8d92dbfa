"""Each student graded on their own version of every item, through the real pipeline: plain
``nbgrader autograde`` with the course's configuration and ``course-grade`` score the same; a
notebook copied from another student is graded by the submitter's version and reported, with
the pair's evidence; the policy for answers recorded as someone else is a setting."""

from __future__ import annotations

import copy
import io
import json
import sys
from typing import Any

import pytest
from course_copy import NO_SANDBOX, CourseCopy, with_answers_as_code
from traitlets.config import Config

from course import content, identity, kinds, records
from course.grading.score import expectation

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
STUDENTS = ("alice", "bob", "carol", "dave", "erin")


def keys(source: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Item -> version -> its key, from the source notebook's hidden tests."""
    found = {}
    for cell in source["cells"]:
        expected = expectation("".join(cell["source"])) if cell["cell_type"] == "code" else None
        if expected:
            found[expected["item"]] = {v: e["key"] for v, e in expected["variants"].items()}
    return found


def own_keys(source: dict[str, Any], student: str | None) -> dict[str, Any]:
    return {item: by[identity.variant(item, student)] for item, by in keys(source).items()}


def with_records(release: dict[str, Any], answers: dict[str, Any], student: str | None
                 ) -> dict[str, Any]:
    """The release notebook with ``answers`` saved as widget records made by ``student``'s
    kernel (who, and the version they saw, stamped as the student's kernel stamps them)."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        for item, value in answers.items():
            if cell["cell_type"] == "code" and "".join(cell["source"]).startswith(
                    f'ask("{item}")'):
                bundle = records.bundle(item, None, stamp=False)
                bundle[records.MIME] = {"item": item, "answer": value, "at": 1.0,
                                        "student": student,
                                        "variant": identity.variant(item, student)}
                cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                    "data": bundle}]
    return notebook


def expected_score(item: str, answer: Any, key: Any, version: str, points: float) -> float:
    """What ``answer`` earns against ``version``'s key: 0 when it does not fit that version."""
    kind = kinds.of(item, version)
    try:
        return round(points * kind.fraction(key, kind.check(answer)), 4)
    except records.InvalidAnswer:
        return 0.0


class Graded:
    def __init__(self, plain: CourseCopy, batch: CourseCopy, report: dict[str, Any]):
        self.plain, self.batch, self.report = plain, batch, report
        self.source = plain.notebook("source", ASSIGNMENT)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    """Alice answers her own versions in code; Bob and Dave hand in Alice's saved notebook
    (Dave graded with the 'recorded' policy); Carol never typed a class id (version a);
    Erin answers her own versions with widgets. Graded by plain nbgrader autograde and, in a
    second copy, by course-grade."""
    copies = []
    for name in ("plain", "batch"):
        course = CourseCopy(tmp_path_factory.mktemp(name), variants=True)
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        source, release = course.notebook("source", ASSIGNMENT), course.notebook(
            "release", ASSIGNMENT)
        course.submit("alice", ASSIGNMENT, with_answers_as_code(release, own_keys(source,
                                                                                  "alice")))
        alices = with_records(release, own_keys(source, "alice"), "alice")
        course.submit("bob", ASSIGNMENT, alices)
        course.submit("dave", ASSIGNMENT, alices)
        course.submit("carol", ASSIGNMENT, with_records(release, own_keys(source, None), None))
        course.submit("erin", ASSIGNMENT, with_records(release, own_keys(source, "erin"),
                                                       "erin"))
        copies.append(course)
    plain, batch = copies
    for student in ("alice", "bob", "carol", "erin"):
        plain.nbgrader("autograde", ASSIGNMENT, "--force", f"--student={student}")
    plain.nbgrader("autograde", ASSIGNMENT, "--force", "--student=dave",
                   "--ScoreRecordedAnswers.other_student=recorded")
    plain.nbgrader("generate_feedback", ASSIGNMENT, "--force")

    from course.grading.batch import GradeAssignment

    overrides = Config()
    overrides.GradeAssignment.jobs = 1
    if NO_SANDBOX:
        overrides.SandboxProvisioner.sandbox = False
    real, sys.stderr = sys.stderr, io.StringIO()
    try:
        GradeAssignment(batch.root, overrides).grade(ASSIGNMENT)
    finally:
        sys.stderr = real
    report = json.loads((batch.root / "grading-report.json").read_text())
    return Graded(plain, batch, report)


def points(source: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """Grade cell -> (item, points)."""
    found = {}
    for cell in source["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        expected = expectation("".join(cell["source"])) if meta.get("grade") else None
        if expected:
            found[meta["grade_id"]] = (expected["item"], float(meta["points"]))
    return found


def test_the_students_here_see_different_versions():
    versions = {s: [identity.variant(i, s) for i in content.checkpoints()] for s in STUDENTS}
    assert len({tuple(v) for v in versions.values()}) == len(STUDENTS)


def test_each_student_scores_full_marks_on_their_own_versions(graded: Graded):
    """Alice (code), Erin (widgets) and Carol (no class id: version a, scored by the
    no_student policy 'recorded') answered the keys of the versions they saw."""
    full = {cell: p for cell, (_item, p) in points(graded.source).items()}
    for student in ("alice", "erin", "carol"):
        assert graded.plain.cell_scores(student, ASSIGNMENT) == full, student
    mine = [identity.variant(i, "alice") for i in keys(graded.source)]
    assert set(mine) - {"a"}, "alice should see some version other than a"


def test_a_copied_notebook_is_graded_by_the_submitters_version(graded: Graded):
    """Bob handed in Alice's notebook: each item scores Alice's answer against the key of
    Bob's own version (an answer to another version earns only what fits)."""
    alices = own_keys(graded.source, "alice")
    by_version = keys(graded.source)
    expected = {cell: expected_score(item, alices[item],
                                     by_version[item][identity.variant(item, "bob")],
                                     identity.variant(item, "bob"), p)
                for cell, (item, p) in points(graded.source).items()}
    assert graded.plain.cell_scores("bob", ASSIGNMENT) == expected
    assert expected != {cell: p for cell, (_i, p) in points(graded.source).items()}


def test_the_recorded_policy_scores_the_version_the_answer_was_given_to(graded: Graded):
    full = {cell: p for cell, (_item, p) in points(graded.source).items()}
    assert graded.plain.cell_scores("dave", ASSIGNMENT) == full


def test_plain_nbgrader_and_course_grade_score_the_same(graded: Graded):
    for student in ("alice", "bob", "carol", "erin"):
        assert graded.batch.cell_scores(student, ASSIGNMENT) == graded.plain.cell_scores(
            student, ASSIGNMENT), student


def test_feedback_shows_the_students_own_version_and_whose_answer_it_was(graded: Graded):
    html = (graded.plain.root / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html"
            ).read_text()
    for item in keys(graded.source):
        prompt = content.variants(item)[identity.variant(item, "bob")]["prompt"]
        assert prompt.split("'")[0] in html, item
    assert "recorded as &#39;alice&#39;" in html or "recorded as 'alice'" in html
    assert "scored against your own version" in html


def test_the_report_names_the_copy_and_the_pair_with_its_evidence(graded: Graded):
    problems = graded.report["problems"]
    bob = [p for p in problems if p["student"] == "bob"]
    assert any("recorded as 'alice', not as 'bob'" in p["problem"] for p in bob)
    assert any("answers agree with alice's beyond chance" in p["problem"]
               and "fits only alice's version" in p["problem"] for p in bob)
    assert any(p["student"] == "carol" and "with no class id" in p["problem"]
               for p in problems)
    assert not [p for p in problems if p["student"] in ("alice", "erin")
                and "agree with" not in p["problem"]]
    assert all("no score changed" in p["action"] for p in problems
               if "answers recorded" in p["problem"] or "agree with" in p["problem"])


def test_item_statistics_count_each_version_the_class_was_scored_on(graded: Graded):
    from course.grading.stats import ItemStatistics

    rows = ItemStatistics(graded.plain.root).compute(ASSIGNMENT)
    item = "cp-01-rds-engine"
    seen = {identity.variant(item, s) for s in ("alice", "bob", "erin")} | {"a"}  # carol: a
    assert seen <= {r.variant for r in rows if r.item == item}
