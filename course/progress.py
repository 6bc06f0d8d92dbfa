"""A student's progress across notebooks, kernels and sessions: which practice checks they
have answered correctly on their own (``correct``, these count towards mastery) and which
explanations they opened before a right answer (``revealed``: a right answer after that does
not count, it was read, not known, until the student shows they know it: a right answer at the
first try of a fresh attempt, the explanation not opened in it). Kept in one small JSON file in
their home folder (or where ``AWS_SRM_COURSE_PROGRESS`` points), and exportable, so a Binder user
can take it along."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import content

MASTERY_SHARE = 0.8
RULE = ("A concept is mastered once at least 80% of its practice checks have been answered "
        "correctly (at any try) before pressing Show explanation. A check whose explanation you "
        "opened first counts again once you run its cell again and answer it right at the "
        "first try, without opening the explanation. Mastering a concept unlocks the concepts "
        "that build on it; every notebook stays open to you either way.")

KEYS = ("correct", "revealed")

_listeners: dict[str, Callable[[], None]] = {}


def path() -> Path:
    """Where progress is kept."""
    default = Path.home() / ".aws-srm-course" / "progress.json"
    return Path(os.environ.get("AWS_SRM_COURSE_PROGRESS", default))


def load(source: Path | None = None) -> dict[str, list[str]]:
    """The progress in ``source`` (default: :func:`path`): question ids under ``correct`` and
    ``revealed``; a list missing or unreadable reads as empty."""
    try:
        data = json.loads((source or path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    return {key: sorted({q for q in data[key] if isinstance(q, str)})
            if isinstance(data.get(key), list) else [] for key in KEYS}


def _save(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as tmp:
        json.dump(data, tmp, indent=1)
    os.replace(tmp.name, target)


def _add(key: str, question_id: str) -> None:
    data = load()
    if question_id not in data[key]:
        _save({**data, key: sorted([*data[key], question_id])})


def _notify() -> None:
    for listener in list(_listeners.values()):
        listener()


def mark_correct(question_id: str, fresh: bool = False) -> bool:
    """Count a right answer to ``question_id`` towards mastery and tell the map, unless its
    explanation was shown first. A ``fresh`` right answer (the first try of an attempt whose
    explanation stayed closed) counts even then, and the reveal is forgotten: a student who
    once read the explanation is not kept from mastery for good. Returns whether it counted."""
    data = load()
    if question_id in data["revealed"]:
        if not fresh:
            return False
        data["revealed"].remove(question_id)
    _save({**data, "correct": sorted({*data["correct"], question_id})})
    _notify()
    return True


def mark_revealed(question_id: str) -> None:
    """Remember that the explanation of ``question_id`` was shown before a right answer, so
    that a later right answer does not count (one already counted stays counted)."""
    if question_id not in load()["correct"]:
        _add("revealed", question_id)


def on_change(listener: Callable[[], None], key: str) -> None:
    """Call ``listener`` when progress changes; a later listener of the same ``key``
    replaces it (a re-run cell must not leave its old listener behind)."""
    _listeners[key] = listener


def export(target: str | os.PathLike = "my-progress.json") -> Path:
    """Write progress to ``target`` (download it from the file browser to keep it)."""
    out = Path(target)
    out.write_text(json.dumps(load(), indent=1), encoding="utf-8")
    return out


def restore(source: str | os.PathLike) -> int:
    """Merge an exported progress file into this machine's; returns how many counted checks
    it added."""
    here, there = load(), load(Path(source))
    _save({key: sorted({*here[key], *there[key]}) for key in KEYS})
    _notify()
    return len(set(there["correct"]) - set(here["correct"]))


def counts() -> dict[str, tuple[int, int, int]]:
    """Each concept's practice checks: how many count so far, how many mastery needs, and
    how many there are."""
    correct = set(load()["correct"])
    by_concept: dict[str, list[str]] = {c: [] for c in content.concepts()}
    for question in content.questions().values():
        by_concept.setdefault(question["concept"], []).append(question["id"])
    return {concept: (sum(q in correct for q in ids), math.ceil(MASTERY_SHARE * len(ids)),
                      len(ids)) for concept, ids in by_concept.items()}


def states() -> dict[str, str]:
    """Each concept's state: ``mastered``, ``open`` (prerequisites mastered) or ``locked``."""
    concepts = content.concepts()
    mastered = {concept for concept, (counted, needed, total) in counts().items()
                if total and counted >= needed}
    return {
        concept: "mastered" if concept in mastered
        else "open" if set(info["prerequisites"]) <= mastered else "locked"
        for concept, info in concepts.items()
    }
