"""Progress and the mastery map: persisted, exportable, and drawn from the concepts' data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import content, progress, quiz
from course.widgets.mastery import MasteryMap


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
    exported = progress.export(tmp_path / "my-progress.json")
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(tmp_path / "elsewhere" / "p.json"))
    assert progress.load()["correct"] == []
    assert progress.restore(exported) == 1
    assert progress.load()["correct"] == ["q-ec2-guest-os"]


def test_a_damaged_progress_file_reads_as_empty(progress_file: Path):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json")
    assert progress.load() == {"correct": []}
    progress.mark_correct("q-ec2-guest-os")
    assert progress.load()["correct"] == ["q-ec2-guest-os"]


def test_map_shows_every_concept_with_its_state_in_words():
    for question in first_concept_questions():
        progress.mark_correct(question)
    picture = MasteryMap()
    svg, text = picture._repr_svg_(), repr(picture)
    for concept in content.concepts():
        assert concept[:2] in svg and concept in text
    assert "✔ 01-model" in text and progress.RULE in text
