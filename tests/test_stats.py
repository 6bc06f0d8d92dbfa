"""Item analysis on a synthetic class: does it flag a planted flawed item (the students who
do best get it wrong, a distractor nobody picks, one variant far harder than its siblings, a
matrix row keyed the wrong way round) and leave the good items alone? The class is generated
deterministically (seeded) at the level the analysis works from: one scored answer per
student and item."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace

import pytest

from course import kinds
from course.grading.item_analysis import ItemAnalysis, Response, Version, correlation
from course.grading.stats import (
    ItemStatistics,
    as_json,
    as_row,
    missed_line,
    scored_answers,
)

STUDENTS = 600
RIGHT = 1.7  # how steeply the chance of a right answer rises with ability (2PL slope)
# Real graded items, keyed here by position (the analysis takes any key; the course's keys
# stay in the hidden tests). The last four are the ones a flaw is planted in, when it is.
ITEMS = ["cp-01-rds-engine", "cp-03-leaked-key", "cp-05-ebs-region", "cp-08-service-comms",
         "cp-09-public-snapshot", "cp-01-customer-side", "cp-01-webshop-matrix",
         "cp-06-beanstalk-update",  # the best students get it wrong
         "cp-04-beanstalk-instances",  # one distractor nobody picks
         "cp-07-lambda-image",  # variant c far harder than a and b
         "cp-02-nitro-firmware"]  # a guess for everyone, whatever they know
OWNERS = ["AWS", "Customer", "Shared", "N/A"]
VARIANTS = {"cp-01-rds-engine": "abc", "cp-07-lambda-image": "abc"}
REVERSED, UNUSED, HARDER, GUESSED = ITEMS[-4:]
ROW = list(kinds.of("cp-01-webshop-matrix").rows)[3]  # keyed the wrong way round
PLANTED = (REVERSED, UNUSED, HARDER, GUESSED)


def key(kind: kinds.Kind):
    """A key for the item: its second option, every other option, or owners in turn."""
    if kind.definition["kind"] == "matrix":
        return {row: OWNERS[n % len(OWNERS)] for n, row in enumerate(kind.rows)}
    return kind.options[::2] if kind.multiple else kind.options[1]


def chance(ability: float, difficulty: float, slope: float = RIGHT) -> float:
    return 1 / (1 + math.exp(-slope * (ability - difficulty)))


def synthetic_class(flawed: bool, seed: int = 17, blank: int = 12
                    ) -> tuple[list[Response], dict[tuple[str, str], Version]]:
    """Students of normally distributed ability answering every item (an item response
    model: right with a chance rising with ability), plus ``blank`` who answered nothing.
    With ``flawed``, the planted flaws above."""
    rng = random.Random(seed)
    versions = {(item, variant): Version(kinds.of(item), key(kinds.of(item)),
                                         notebook=item[:5], assignment="synthetic")
                for item in ITEMS for variant in VARIANTS.get(item, "a")}
    responses = []
    for number in range(STUDENTS + blank):
        student, ability = f"s{number:04d}", rng.gauss(0, 1)
        for (item, variant), version in versions.items():
            given = VARIANTS.get(item, "a")
            if variant != given[number % len(given)]:
                continue
            if number >= STUDENTS:
                responses.append(Response(student, item, variant, None, 0.0, 1.0))
                continue
            answer = give(version, ability, rng, flawed, item, variant)
            score = version.kind.fraction(version.key, answer)
            responses.append(Response(student, item, variant, answer, score, 1.0))
    return responses, versions


def give(version: Version, ability: float, rng: random.Random, flawed: bool, item: str,
         variant: str):
    """One student's answer to one version of an item."""
    kind, keyed = version.kind, version.key
    difficulty = 1.6 if flawed and item == HARDER and variant == "c" else 0.0
    slope = {REVERSED: -RIGHT, GUESSED: 0.0}.get(item, RIGHT) if flawed else RIGHT
    if kind.definition["kind"] == "matrix":
        return {row: owner if rng.random() < chance(ability, 0.0, -RIGHT if flawed and row
                                                     == ROW else RIGHT)
                else rng.choice([o for o in OWNERS if o != owner])
                for row, owner in keyed.items()}
    if kind.multiple:
        return [option for option in kind.options
                if (option in keyed) == (rng.random() < chance(ability, -0.5))]
    if rng.random() < chance(ability, difficulty, slope):
        return keyed
    wrong = [option for option in kind.options if option != keyed]
    return rng.choice(wrong[:-1] if flawed and item == UNUSED else wrong)


def flags(results, item: str, variant: str = "", row: str = "") -> set[str]:
    (entry,) = [r for r in results if (r.item, r.variant, r.row) == (item, variant, row)]
    return {flag.code for flag in entry.flags}


@pytest.fixture(scope="module")
def flawed():
    responses, versions = synthetic_class(flawed=True)
    return ItemAnalysis().analyse(responses, versions)


def test_each_planted_flaw_is_flagged_where_it_was_planted(flawed):
    """Is the reversed item flagged as negative, the guessed one as near zero, the unpicked
    distractor named, the hard variant flagged as harder (and not its siblings), the
    reversed matrix row flagged?"""
    assert flags(flawed, REVERSED) == {"negative-discrimination"}
    guessed = next(r for r in flawed if r.item == GUESSED)
    assert abs(guessed.discrimination) < 0.1
    assert flags(flawed, GUESSED) == {"weak-discrimination"}
    assert flags(flawed, UNUSED) == {"unused-distractor"}
    (unused,) = next(r for r in flawed if r.item == UNUSED).flags
    assert f"{kinds.of(UNUSED).options[-1]!r} chosen by 0%" in unused.text
    assert flags(flawed, HARDER, "c") == {"variant-harder"}
    assert flags(flawed, HARDER, "a") == flags(flawed, HARDER, "b") == set()
    assert "negative-discrimination" in flags(flawed, "cp-01-webshop-matrix", row=ROW)


def test_good_items_are_not_flagged(flawed):
    """Are the good items, variants and matrix rows of the same class left unflagged?"""
    planted = {*PLANTED, "cp-01-webshop-matrix"}
    assert len(ITEMS) - len(planted) == 6
    good = [r for r in flawed if r.item not in planted]
    assert good and not [(r.label, r.flags) for r in good if r.flags]
    rows = [r for r in flawed if r.item == "cp-01-webshop-matrix" and r.row != ROW]
    assert len(rows) == 6 and not [r.label for r in rows if r.row and r.flags]


def test_the_same_class_without_the_flaws_has_no_flag():
    """Does every flag go when the flaws are not planted (so the flags come from the flaws,
    not from the items or the chance of this class)?"""
    results = ItemAnalysis().analyse(*synthetic_class(flawed=False))
    assert not [(r.label, [f.text for f in r.flags]) for r in results if r.flags]


def test_difficulty_discrimination_and_choices_are_reported_per_item_variant_and_row(flawed):
    """Does every entry count the students who tried (blank notebooks left out), and does a
    good item discriminate clearly, a reversed one negatively?"""
    assert all(r.students == STUDENTS for r in flawed if not r.variant)
    assert sum(r.students for r in flawed if r.item == HARDER and r.variant) == STUDENTS
    good = next(r for r in flawed if r.item == "cp-03-leaked-key")
    assert 0.3 < good.discrimination < 0.8 and 0.35 < good.difficulty < 0.65
    assert next(r for r in flawed if r.item == REVERSED).discrimination < -0.2
    assert sum(good.choices.values()) == pytest.approx(1.0)
    (harder, easy) = (next(r for r in flawed if r.item == HARDER and r.variant == v)
                      for v in "ca")
    assert harder.difficulty < easy.difficulty - 0.2
    matrix = next(r for r in flawed if r.item == "cp-01-webshop-matrix" and r.row == ROW)
    assert list(matrix.choices) == OWNERS


def test_blank_students_count_when_told_to():
    """With skip_blank off, a blank notebook counts as a student who got everything wrong."""
    results = ItemAnalysis(skip_blank=False).analyse(*synthetic_class(flawed=True, blank=12))
    entry = next(r for r in results if r.item == "cp-03-leaked-key")
    assert entry.students == STUDENTS + 12 and entry.unanswered == 12


def test_no_flag_below_the_minimum_class_size():
    """Too few students for a figure to mean anything: figures, no flags."""
    responses, versions = synthetic_class(flawed=True)
    few = [r for r in responses if int(r.student[1:]) < 9]
    results = ItemAnalysis().analyse(few, versions)
    assert results and not [r for r in results if r.flags]


def test_thresholds_are_settings():
    """A stricter discrimination threshold flags good items too."""
    results = ItemAnalysis(weak_discrimination=0.9).analyse(*synthetic_class(flawed=False))
    assert flags(results, "cp-03-leaked-key") == {"weak-discrimination"}


def test_correlation_is_pearsons_r_and_undefined_without_spread():
    assert correlation([1, 1, 0, 0], [3, 2, 1, 0]) == pytest.approx(2 / math.sqrt(5))
    assert correlation([1, 1, 1], [3, 2, 1]) is None


def test_answers_are_read_with_their_variant_or_as_one_variant_without():
    """Feedback metadata written before items had variants (no ``variant``) reads as variant
    a; a hostile score (text) is skipped, not trusted."""
    def cell(metadata):
        return {"cell_type": "code", "source": "", "metadata": {"nbgrader": {
            "grade": True, "solution": False}}, "outputs": [
            {"output_type": "display_data", "data": {}, "metadata": {"aws_srm_course": metadata}}]}
    nb = {"cells": [cell({"item": "cp-01-rds-engine", "answer": "AWS", "score": 1.0,
                          "points": 1.0}),
                    cell({"item": "cp-03-leaked-key", "answer": "AWS", "score": 0.0,
                          "points": 1.0, "variant": "b"}),
                    cell({"item": "cp-06-beanstalk-update", "score": "1", "points": 1})]}
    found = scored_answers(nb, "ann")
    assert [(r.item, r.variant, r.answer, r.share) for r in found] == [
        ("cp-01-rds-engine", "a", "AWS", 1.0), ("cp-03-leaked-key", "b", "AWS", 0.0)]


def test_csv_and_json_rows_carry_choices_and_flags(flawed):
    entry = next(r for r in flawed if r.item == UNUSED)
    row, data, unused = as_row(entry), as_json(entry), kinds.of(UNUSED).options[-1]
    assert f"{unused}: 0%" in row["choices"]
    assert "distractor" in row["flags"] and data["flags"][0]["code"] == "unused-distractor"
    assert data["choices"][unused] == 0.0


def test_a_missed_item_keeps_no_answer_apart_from_wrong_answers():
    """'No answer' is never the most common wrong answer (it says nothing about a
    misconception): the students who gave none are counted apart."""
    responses, versions = synthetic_class(flawed=False)
    item = "cp-03-leaked-key"
    silent = [r if r.item != item or r.answer == versions[item, "a"].key
              else Response(r.student, item, "a", None, 0.0, 1.0) for r in responses]
    entry = next(r for r in ItemAnalysis().analyse(silent, versions) if r.item == item)
    line = missed_line(entry)
    assert "most common wrong answer" not in line and f"{entry.unanswered} gave no answer" in line
    assert entry.unanswered > 100 and entry.wrong_count == 0


def test_unreadable_or_odd_autograded_notebooks_never_stop_the_statistics(tmp_path):
    """A notebook that is not JSON is left out; an answer that does not fit its item, or a
    variant the gradebook does not know, counts as no answer; a long variant is cut."""
    def notebook(answer, variant):
        return {"cells": [{"cell_type": "code", "source": "", "metadata": {"nbgrader": {
            "grade": True, "solution": False}}, "outputs": [{
                "output_type": "display_data", "data": {}, "metadata": {"aws_srm_course": {
                    "item": "cp-01-rds-engine", "answer": answer, "score": 0.0, "points": 1.0,
                    "variant": variant}}}]}]}
    for student, content in [("ann", "{not json"), ("bob", notebook({"AWS": 1}, "a")),
                             ("cy", notebook("AWS", "x" * 1000)), ("dee", notebook("AWS", "a"))]:
        folder = tmp_path / "autograded" / student / "01-model"
        folder.mkdir(parents=True)
        text = content if isinstance(content, str) else json.dumps(content)
        (folder / "01-model.ipynb").write_text(text)
    versions = {("cp-01-rds-engine", "a"): Version(kinds.of("cp-01-rds-engine"), "AWS",
                                                  notebook="01-model")}
    found = ItemStatistics(tmp_path).responses("01-model", versions)
    assert [(r.student, r.variant, r.answer) for r in found] == [
        ("bob", "a", None), ("cy", "x" * 8, None), ("dee", "a", "AWS")]
    assert ItemAnalysis().analyse(found, versions)[0].students == 1  # the others: no answer


def test_a_blank_assignment_is_left_out_only_there_and_the_rest_score_spans_all():
    """Analysed together, a student who left one assignment blank still counts in the other;
    the rest score is a share of the points of the items each student was given."""
    responses, versions = synthetic_class(flawed=False)
    versions = {key: replace(v, assignment=v.notebook) for key, v in versions.items()}
    dropped = [r if r.item != "cp-03-leaked-key" or r.student != "s0000"
               else replace(r, answer=None, score=0.0) for r in responses]
    results = ItemAnalysis().analyse(dropped, versions)
    assert next(r for r in results if r.item == "cp-03-leaked-key").students == STUDENTS - 1
    assert next(r for r in results if r.item == "cp-09-public-snapshot").students == STUDENTS
    assert {r.assignment for r in results} == {v.notebook for v in versions.values()}


def test_an_item_nobody_answered_says_nothing_about_its_distractors():
    """Seen on a real graded class: with every answer missing, each distractor was 'chosen
    by 0%'. Shares and the flag count only the students who answered."""
    responses, versions = synthetic_class(flawed=False)
    silent = [replace(r, answer=None, score=0.0) if r.item == "cp-03-leaked-key" else r
              for r in responses]
    entry = next(r for r in ItemAnalysis().analyse(silent, versions)
                 if r.item == "cp-03-leaked-key")
    assert entry.unanswered == STUDENTS and entry.choices == {} and entry.flags == []
