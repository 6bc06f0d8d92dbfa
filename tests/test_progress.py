"""Progress and the mastery map: persisted, exportable, and drawn from the concepts' data."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from course import content, progress, quiz
from course.widgets.mastery import (
    DISPLAY_ID,
    WIDTH,
    ConceptState,
    MasteryMap,
    mastery_map,
    state_words,
)

REPO = Path(__file__).resolve().parents[1]


def test_a_right_answer_is_saved_for_later_sessions(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.choice.value = "Customer"
    assert check.check()
    assert json.loads(progress_file.read_text())["correct"] == ["q-ec2-guest-os"]


def test_a_wrong_answer_is_saved_as_a_spent_first_try_only(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.choice.value = "AWS"
    check.check()
    assert json.loads(progress_file.read_text()) == {"correct": [], "tried": ["q-ec2-guest-os"]}


def main_set(concept: str = "01-model") -> list[str]:
    return content.concepts()[concept]["practice"]


def test_a_right_answer_after_show_explanation_does_not_count(progress_file: Path):
    check = quiz("q-ec2-guest-os")
    check.explain_button.click()
    check.choice.value = "Customer"
    assert check.check() and check.solved
    assert "does not count towards mastery" in check.feedback.value
    assert progress.load() == {"correct": [], "tried": ["q-ec2-guest-os"]}


def test_a_check_has_one_first_try_ever(progress_file: Path):
    """Walk finding 5: a wrong first try, or an explanation opened before any answer, spends
    the check's only first try; a new attempt (Start again, a re-run cell, a new session)
    does not bring another, so a second pass through the same checks masters nothing."""
    guess = quiz("q-ec2-guest-os")
    guess.choice.value = "AWS"
    assert not guess.check()
    guess.choice.value = "Customer"
    assert guess.check() and "does not count towards mastery" in guess.feedback.value
    again = quiz("q-ec2-guest-os")  # the old rule gave this a new first try
    again.choice.value = "Customer"
    assert again.check() and "does not count towards mastery" in again.feedback.value
    assert progress.load() == {"correct": [], "tried": ["q-ec2-guest-os"]}
    assert progress.first_try("q-ec2-guest-os") == "wrong"
    peeked = quiz("q-s3-line")
    peeked.explain_button.click()
    assert progress.first_try("q-s3-line") == "wrong"
    assert progress.first_try("q-of-the-cloud") == "untried"


def test_a_right_first_try_stays_counted(progress_file: Path):
    known = quiz("q-ec2-guest-os")
    known.choice.value = "Customer"
    assert known.check() and "does not count" not in known.feedback.value
    assert progress.load() == {"correct": ["q-ec2-guest-os"], "tried": ["q-ec2-guest-os"]}
    later = quiz("q-ec2-guest-os")
    later.choice.value = "AWS"
    assert not later.check()
    later.explain_button.click()
    assert progress.first_try("q-ec2-guest-os") == "right"


def test_an_older_progress_file_keeps_its_counted_checks_as_tried(progress_file: Path):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(json.dumps({"correct": ["q-ec2-guest-os"], "revealed": ["x"]}))
    assert progress.load() == {"correct": ["q-ec2-guest-os"], "tried": ["q-ec2-guest-os"]}
    assert progress.record_first_try("q-ec2-guest-os", right=False)


def test_mastery_needs_80_percent_of_the_main_set_from_any_first_tries_then_suggests_the_next(
        progress_file: Path):
    """A first try spent wrong on a main check is made up by more practice, never by the
    same check again."""
    concept = "02-aws-side"
    questions = main_set(concept)
    more = [q for q, i in content.questions().items()
            if i["concept"] == concept and q not in questions]
    dependants = [c for c, i in content.concepts().items() if concept in i["prerequisites"]]
    progress.states()  # 02 builds on 01: its dependants stay "later" until 02 is mastered
    for question in questions[:3]:
        progress.record_first_try(question, right=True)
    assert not progress.record_first_try(questions[3], right=False)
    assert not progress.record_first_try(questions[3], right=True)
    assert progress.counts()[concept] == (3, 5, len(questions))
    assert progress.states()[concept] != "mastered"
    assert progress.needed(concept) == 5
    for question in more[:2]:
        assert progress.record_first_try(question, right=True)
    states = progress.states()
    assert progress.counts()[concept] == (5, 5, len(questions))
    assert states[concept] == "mastered"
    assert all(states[c] != "later" or set(content.concepts()[c]["prerequisites"]) - {concept}
               for c in dependants)


def test_export_and_restore_carry_progress_to_another_machine(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    progress.record_first_try("q-ec2-guest-os", right=True)
    exported = progress.export(tmp_path / "my-progress.json")
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(tmp_path / "elsewhere" / "p.json"))
    assert progress.load()["correct"] == []
    assert progress.restore(exported) == 1
    assert progress.load()["correct"] == ["q-ec2-guest-os"]


def test_a_damaged_progress_file_reads_as_empty(progress_file: Path):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json")
    assert progress.load()["correct"] == []
    progress.record_first_try("q-ec2-guest-os", right=True)
    assert progress.load()["correct"] == ["q-ec2-guest-os"]


def test_map_shows_every_concept_with_its_full_title_state_and_link():
    """Issue 9.2: full titles (never cut), the state in words, a link to each notebook that
    exists in release/, from the folder of any other release notebook; only the title is a
    link (issue 16, 48)."""
    for question in main_set():
        progress.record_first_try(question, right=True)
    picture = MasteryMap()
    html, text = picture._repr_html_(), repr(picture)
    for concept, info in content.concepts().items():
        node = re.search(f'<a [^>]*href="../{concept}/{concept}.ipynb"[^>]*>(.*?)</a>', html)
        assert node, concept
        shown = " ".join(unescape(re.sub("<[^>]+>", " ", node.group(1))).split())
        assert shown == f"{concept[:2]} · {info['title']}"
        assert state_words(concept, picture.states) in node.group(0)  # its aria-label
        assert (REPO / "release" / concept / f"{concept}.ipynb").exists()
        assert concept in text
    assert "✔ 01-model" in text and progress.RULE in text
    assert sum(len(step) for step in picture.levels()) == len(content.concepts())


def test_the_map_draws_one_arrow_for_each_builds_on():
    """Issue 16, 47: the real edges, not one arrow between rows."""
    picture = MasteryMap()
    boxes, height = picture.boxes()
    arrows = picture.arrows(boxes)
    edges = [(p, c) for c, info in content.concepts().items() for p in info["prerequisites"]]
    assert len(arrows) == len(edges)
    for (prerequisite, concept), path in zip(edges, arrows, strict=True):
        points = [tuple(map(float, xy.split(","))) for xy in re.findall(r"[\d.]+,[\d.]+", path)]
        start, end = boxes[prerequisite], boxes[concept]
        assert start.y <= points[0][1] <= start.y + start.height, (prerequisite, concept)
        assert end.y - 3 <= points[-1][1] <= end.y + end.height, (prerequisite, concept)
        for x, y in points[1:-1]:  # around the side: clear of every box
            assert not any(b.x < x < b.x + b.width and b.y < y < b.y + b.height
                           for b in boxes.values()), (prerequisite, concept, x, y)
    assert height > 0 and all(b.x >= 0 and b.x + b.width <= WIDTH for b in boxes.values())


def test_a_concept_suggested_later_says_after_what_not_locked():
    """Issue 16, 45/46: nothing is locked; the card suggests what to take first."""
    card = ConceptState("02-aws-side")
    assert card.state == "later"
    assert "Suggested after 01" in repr(card) and "ocked" not in repr(card)
    assert "master" not in card.words.lower()
    for question in main_set():
        progress.record_first_try(question, right=True)
    card = ConceptState("02-aws-side")
    assert card.state == "open" and "Suggested" not in repr(card)


def test_the_rule_is_one_sentence():
    assert progress.RULE.count(". ") == 0 and progress.RULE.endswith(".")


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
    progress.record_first_try("q-ec2-guest-os", right=True)
    assert redraws == [DISPLAY_ID]
