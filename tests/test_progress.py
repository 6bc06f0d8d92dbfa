"""Progress and the mastery map: persisted, exportable, and drawn from the concepts' data."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from course import content, progress, quiz
from course.widgets.mastery import DISPLAY_ID, STATES, ConceptState, MasteryMap, mastery_map

REPO = Path(__file__).resolve().parents[1]


def first_concept_questions() -> list[str]:
    return [q for q, info in content.questions().items() if info["concept"] == "01-model"]


def test_a_right_answer_is_saved_for_later_sessions(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.choice.value = "Customer"
    assert check.check()
    assert json.loads(progress_file.read_text())["correct"] == ["q-ec2-guest-os"]


def test_a_wrong_answer_is_not_saved(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.choice.value = "AWS"
    check.check()
    assert not progress_file.exists()


def test_a_right_answer_after_show_explanation_does_not_count(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.explain_button.click()
    check.choice.value = "Customer"
    assert check.check() and check.solved
    assert "does not count towards mastery" in check.feedback.value
    assert json.loads(progress_file.read_text()) == {"correct": [], "revealed": ["q-ec2-guest-os"]}
    check.choice.value = "Customer"  # the same attempt again: the explanation is on screen
    assert check.check() and "does not count" in check.feedback.value
    assert progress.load()["correct"] == []


def test_a_reveal_stops_counting_after_a_first_try_right_answer_on_a_fresh_attempt(
        progress_file: Path):
    """Show explanation never locks a student out of mastery: a re-run cell (or a later
    session) answered right at its first try, the explanation left closed, counts again."""
    quiz("q-ec2-guest-os").explain_button.click()
    guess = quiz("q-ec2-guest-os")  # fresh, but right only at the second try: a guess
    guess.choice.value = "AWS"
    assert not guess.check()
    guess.choice.value = "Customer"
    assert guess.check() and "does not count" in guess.feedback.value
    peek = quiz("q-ec2-guest-os")  # fresh, but the explanation opened again first
    peek.explain_button.click()
    peek.choice.value = "Customer"
    assert peek.check() and "does not count" in peek.feedback.value
    assert progress.load() == {"correct": [], "revealed": ["q-ec2-guest-os"]}
    known = quiz("q-ec2-guest-os")
    known.choice.value = "Customer"
    assert known.check() and "does not count" not in known.feedback.value
    assert progress.load() == {"correct": ["q-ec2-guest-os"], "revealed": []}


def test_revealing_every_check_once_still_allows_mastery(progress_file: Path):
    """Revealing more than 20% of a concept's checks used to block it for good."""
    questions = first_concept_questions()
    for question in questions:
        progress.mark_revealed(question)
    assert not any(progress.mark_correct(q) for q in questions)
    assert progress.states()["01-model"] == "open"
    assert all(progress.mark_correct(q, fresh=True) for q in questions)
    assert progress.states()["01-model"] == "mastered"


def test_show_explanation_after_a_right_answer_keeps_it_counted(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.choice.value = "Customer"
    assert check.check() and "does not count" not in check.feedback.value
    quiz("q-ec2-guest-os").explain_button.click()
    assert progress.load() == {"correct": ["q-ec2-guest-os"], "revealed": []}


def test_mastering_a_concept_unlocks_the_next(progress_file: Path):
    questions = first_concept_questions()
    dependants = [c for c, i in content.concepts().items() if "01-model" in i["prerequisites"]]
    assert progress.states()["01-model"] == "open"
    for question in questions[: len(questions) // 2]:
        progress.mark_correct(question)
    assert progress.states()["01-model"] == "open"
    for question in questions:
        progress.mark_correct(question)
    states = progress.states()
    assert states["01-model"] == "mastered"
    assert all(states[c] in {"open", "mastered"} for c in dependants)


def test_export_and_restore_carry_progress_to_another_machine(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    progress.mark_correct("q-ec2-guest-os")
    revealed = next(q for q in first_concept_questions() if q != "q-ec2-guest-os")
    progress.mark_revealed(revealed)
    exported = progress.export(tmp_path / "my-progress.json")
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(tmp_path / "elsewhere" / "p.json"))
    assert progress.load()["correct"] == []
    assert progress.restore(exported) == 1
    assert progress.load() == {"correct": ["q-ec2-guest-os"], "revealed": [revealed]}
    assert not progress.mark_correct(revealed)  # read on the other machine: still not counted


def test_a_damaged_progress_file_reads_as_empty(progress_file: Path):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json")
    assert progress.load() == {"correct": [], "revealed": []}
    progress.mark_correct("q-ec2-guest-os")
    assert progress.load()["correct"] == ["q-ec2-guest-os"]


def test_map_shows_every_concept_with_its_full_title_state_and_link():
    """Issue 9.2: full titles (never cut), the state in words, a link to each notebook that
    exists in release/, from the folder of any other release notebook."""
    for question in first_concept_questions():
        progress.mark_correct(question)
    picture = MasteryMap()
    html, text = picture._repr_html_(), repr(picture)
    for concept, info in content.concepts().items():
        words = STATES[picture.states[concept]][1]
        node = re.search(f'<a [^>]*href="../{concept}/{concept}.ipynb">(.*?)</a>', html)
        assert node, concept
        shown = unescape(re.sub("<[^>]+>", " ", node.group(1)))
        assert info["title"] in shown and words in shown
        assert (REPO / "release" / concept / f"{concept}.ipynb").exists()
        assert concept in text
    assert "✔ 01-model" in text and progress.RULE in text
    assert sum(len(step) for step in picture.levels()) == len(content.concepts())


def test_a_locked_concept_s_card_says_what_opens_it():
    """At the end of a notebook whose concept is locked, "Locked" alone reads as "you may not
    do this": the card names the concepts to master first, and that this one counts anyway."""
    card = ConceptState("02-aws-side")
    assert card.state == "locked"
    assert "First master 01 to open it, or master it here." in repr(card)
    for question in first_concept_questions():
        progress.mark_correct(question)
    card = ConceptState("02-aws-side")
    assert card.state == "open" and "First master" not in repr(card)


def test_rerunning_the_map_replaces_its_listener(monkeypatch: pytest.MonkeyPatch):
    """A re-run mastery_map() cell must not add a listener (each would redraw the map)."""
    import IPython.display

    redraws = []
    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: None)
    monkeypatch.setattr(IPython.display, "update_display",
                        lambda picture, display_id: redraws.append(display_id))
    monkeypatch.setattr(progress, "_listeners", {})
    for _ in range(3):
        mastery_map()
    assert len(progress._listeners) == 1
    progress.mark_correct("q-ec2-guest-os")
    assert redraws == [DISPLAY_ID]
