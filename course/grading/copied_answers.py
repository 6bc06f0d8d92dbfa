"""Signs of copying, for the instructor to judge (nothing here changes a score): answers
recorded under another identity than the submitter's, and pairs of students whose answers
agree more than chance explains (the same wrong answers; an answer that fits only another
student's version of an item). Read from the autograded notebooks, where
``ScoreRecordedAnswers`` keeps each answer as recorded, the versions and the score."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from traitlets import Float, Integer
from traitlets.config import LoggingConfigurable

from .. import kinds
from .report import notebooks as read_notebooks
from .score import scored_outputs
from .triage import Problem

ACTION = "reported for the instructor to judge; no score changed by it"


@dataclass
class Answered:
    """One student's answer to one item, as the scorer kept it."""

    student: str
    notebook: str
    item: str
    given: Any
    variant: str
    own: str
    full: bool
    recorded_as: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def scored(nb: dict[str, Any], notebook: str) -> list[Answered]:
    """The answers ``ScoreRecordedAnswers`` scored in one autograded notebook."""
    return [Answered(str(meta.get("student")), notebook, meta["item"], meta.get("given"),
                     str(meta.get("variant")), str(meta.get("own_variant")),
                     meta.get("score") == meta.get("points"), meta.get("recorded_as") or {},
                     str(meta.get("identity_problem") or ""))
            for _number, meta in scored_outputs(nb)
            if isinstance(meta.get("item"), str) and "own_variant" in meta]


def identity_findings(notebooks: dict[str, dict[str, Any]], student: str) -> list[Problem]:
    """One line per notebook and identity its answers were recorded as, when that is not
    the submitter (another student, or nobody: no class id typed)."""
    problems = []
    for name, nb in notebooks.items():
        others: dict[Any, list[str]] = defaultdict(list)
        for answer in scored(nb, name):
            if answer.note:
                others[answer.recorded_as.get("student")].append(answer.item)
        for who, items in others.items():
            as_whom = f"as {who!r}" if who else "with no class id"
            problems.append(Problem(
                student, name, f"{len(items)} answers recorded {as_whom}, not as {student!r}: "
                f"{', '.join(items)}", "scored by the ScoreRecordedAnswers.other_student / "
                "no_student policy (feedback says how); " + ACTION))
    return problems


class CopyingReport(LoggingConfigurable):
    """Pairs of students whose answers agree beyond chance."""

    min_identical_wrong = Integer(
        3, help="Fewest identical wrong answers that can flag a pair.").tag(config=True)
    chance = Float(
        0.001, help="Flag a pair when its identical wrong answers (or more) would happen by "
        "chance with at most this probability (Poisson, from how often each wrong answer "
        "was given in the class).").tag(config=True)

    def pairs(self, answers: list[Answered]) -> list[Problem]:
        """Evidence against pairs of students, one line for each student of a pair."""
        by_student: dict[str, dict[str, Answered]] = defaultdict(dict)
        for answer in answers:
            by_student[answer.student][answer.item] = answer
        wrong = Counter((a.item, a.variant, _text(a.given)) for a in answers
                        if not a.full and a.given is not None)
        asked = Counter((a.item, a.variant) for a in answers)
        same_chance: dict[tuple[str, str], float] = defaultdict(float)
        for (item, variant, _given), count in wrong.items():
            same_chance[item, variant] += (count / asked[item, variant]) ** 2
        problems = []
        for first, second in combinations(sorted(by_student), 2):
            same_wrong, expected, foreign = [], 0.0, []
            for item in by_student[first].keys() & by_student[second].keys():
                a, b = by_student[first][item], by_student[second][item]
                if a.variant != b.variant or a.given is None or b.given is None:
                    continue
                expected += same_chance[item, a.variant]
                if not a.full and not b.full and _text(a.given) == _text(b.given):
                    same_wrong.append(item)
            for one, other in ((first, second), (second, first)):
                for item, answer in by_student[one].items():
                    theirs = by_student[other].get(item)
                    if (theirs is not None and answer.own != theirs.own
                            and _text(answer.given) == _text(theirs.given)
                            and _fits_only(answer, theirs.own)):
                        foreign.append(f"{one}'s {item} fits only {other}'s version "
                                       f"{theirs.own}")
            flagged = (len(same_wrong) >= self.min_identical_wrong
                       and _tail(len(same_wrong), expected) <= self.chance)
            if flagged or foreign:
                evidence = []
                if same_wrong:
                    evidence.append(f"{len(same_wrong)} identical wrong answers (about "
                                    f"{expected:.1f} expected by chance): "
                                    f"{', '.join(sorted(same_wrong))}")
                evidence += foreign
                for one, other in ((first, second), (second, first)):
                    problems.append(Problem(one, "*", f"answers agree with {other}'s beyond "
                                            f"chance: {'; '.join(evidence)}", ACTION))
        return problems

    def read(self, folders: dict[str, Path]) -> list[Answered]:
        """Every scored answer in each student's autograded folder (one assignment)."""
        answers = []
        for student, folder in folders.items():
            try:
                found = read_notebooks(folder) if folder.is_dir() else {}
            except (OSError, ValueError):
                continue  # unreadable: the report already says so
            for name, nb in found.items():
                answers += [a for a in scored(nb, name) if a.student == student]
        return answers


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _fits_only(answer: Answered, version: str) -> bool:
    """Whether ``answer`` fits ``version`` of its item and not the student's own."""
    try:
        kinds.of(answer.item, version).check(answer.given)
    except (kinds.InvalidAnswer, KeyError):
        return False
    try:
        kinds.of(answer.item, answer.own).check(answer.given)
    except kinds.InvalidAnswer:
        return True
    return False


def _tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if expected <= 0:
        return 0.0 if observed > 0 else 1.0
    below = sum(math.exp(-expected) * expected ** k / math.factorial(k) for k in range(observed))
    return max(0.0, 1.0 - below)
