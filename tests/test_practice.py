"""Practice as a set (issue 16, item 4): a concept's main checks one at a time, "Check 3 of 6",
a score of first tries at the end, the rest as optional more practice; mastery counts the
same answers as a single check."""

from __future__ import annotations

from pathlib import Path

import nbformat

from course import content, practice, progress
from course.progress import question_sets

REPO = Path(__file__).resolve().parents[1]


def answer(check, right: bool) -> None:
    key = check.question["answer"]
    wrong = [o for o in check.question["options"] if o not in (key if isinstance(key, list)
                                                              else [key])]
    check.choice.value = (key if right else [wrong[0]] if isinstance(key, list) else wrong[0])
    check.check_button.click()


def test_every_concept_has_a_main_set_of_its_own_questions_and_the_rest_as_more():
    for concept, info in content.concepts().items():
        sets = question_sets(concept)
        assert 3 <= len(sets["main"]) <= 6, concept
        mine = [q for q, i in content.questions().items() if i["concept"] == concept]
        assert sorted(sets["main"] + sets["more"]) == sorted(mine)
        # One first try per check: without more practice, two misses would block mastery.
        assert len(sets["more"]) >= len(sets["main"]) - progress.needed(concept), concept
        assert sets["main"] == info["practice"]


def test_one_check_at_a_time_numbered_then_the_score(progress_file: Path):
    practice_set = practice("06-managed")
    main = content.concepts()["06-managed"]["practice"]
    assert "Check 1 of 6" in practice_set.position.value
    assert practice_set.slot.children[0].question["id"] == main[0]
    assert practice_set.previous.disabled
    for number, question in enumerate(main):
        check = practice_set.slot.children[0]
        assert check.question["id"] == question
        assert f"Check {number + 1} of {len(main)}" in practice_set.position.value
        answer(check, right=number % 2 == 0)  # right, wrong, right, ...
        if number % 2:
            answer(check, right=True)  # right at the second try: not a first try
        practice_set.next.click()
    assert practice_set.position.value == ""
    score = practice_set.result.value
    assert "3 of 6 right at the first try" in score
    assert progress.counts()["06-managed"][0] == 3
    more = len(question_sets("06-managed")["more"])
    assert practice_set.more in practice_set.buttons.children
    assert f"More practice ({more} checks)" == practice_set.more.description


def test_previous_goes_back_to_the_same_check_and_start_again_masters_nothing(
        progress_file: Path):
    """Walk finding 5: a second pass through the same checks, all right, leaves the score
    and the mastery as the first pass made them; the score lists each check's first try."""
    practice_set = practice("01-model")
    main = content.concepts()["01-model"]["practice"]
    first = practice_set.slot.children[0]
    answer(first, right=False)
    practice_set.next.click()
    practice_set.previous.click()
    assert practice_set.slot.children[0] is first and first.tries == 1
    answer(practice_set.checks[1], right=True)
    practice_set.go(len(practice_set.checks))
    score = practice_set.result.value
    assert "1 of 6 right at the first try" in score
    assert score.count("Right at the first try") == 1
    assert score.count("Not right at the first try") == 1
    assert score.count("Skipped") == 4
    assert "4 more right at the first try</strong> to master" in score
    practice_set.again.click()
    assert practice_set.slot.children[0] is not first
    for check in practice_set.checks:
        assert check.tries == 0
        answer(check, right=True)
    assert progress.first_try(main[0]) == "wrong"
    practice_set.go(len(practice_set.checks))
    assert "5 of 6 right at the first try" in practice_set.result.value  # 4 skipped, then right
    assert progress.counts()["01-model"][0] == 5
    assert "Mastered." in practice_set.result.value
    practice_set.again.click()
    practice_set.go(len(practice_set.checks))
    assert "5 of 6 right at the first try" in practice_set.result.value


def test_more_practice_runs_the_rest_and_leads_back(progress_file: Path):
    practice_set = practice("02-aws-side")
    practice_set.more.click()
    more = question_sets("02-aws-side")["more"]
    assert f"More practice</strong> · Check 1 of {len(more)}" in practice_set.position.value
    assert practice_set.slot.children[0].question["id"] == more[0]
    practice_set.go(len(more))
    assert practice_set.main in practice_set.buttons.children
    practice_set.main.click()
    assert "Check 1 of 6" in practice_set.position.value


def test_a_concept_with_no_more_practice_offers_none(monkeypatch):
    """Every concept has more practice today; a concept without it shows no button."""
    sets = question_sets("01-model")
    monkeypatch.setattr(progress, "question_sets", lambda concept: {**sets, "more": []})
    practice_set = practice("01-model")
    practice_set.go(len(practice_set.checks))
    assert practice_set.more not in practice_set.buttons.children
    assert "More practice" not in practice_set.result.value


def test_where_widgets_do_not_render_every_check_is_listed():
    bundle = practice("06-managed")._repr_mimebundle_()
    for question in content.questions().values():
        if question["concept"] == "06-managed":
            assert question["prompt"][:30] in bundle["text/plain"]


def test_notebooks_show_one_practice_set_and_list_no_question_ids():
    for concept in content.concepts():
        cells = nbformat.read(REPO / "source" / concept / f"{concept}.ipynb", 4).cells
        code = [c.source for c in cells if c.cell_type == "code"]
        assert code.count(f'practice("{concept}")') == 1, concept
        assert not any("q-" in source for source in code), concept
