"""A student's progress across notebooks, kernels and sessions: the practice checks they have
answered right at the first try (``correct``; these count towards mastery, and only these: a
right answer after a wrong one, or after opening the explanation, was found rather than known).
Kept in one small JSON file in their home folder (or where ``AWS_SRM_COURSE_PROGRESS`` points),
and exportable, so a Binder user can take it along."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import content, storage

MASTERY_SHARE = 0.8
RULE = ("A concept is mastered once you have answered 80% of its main practice checks right at "
        "the first try; Start again gives every check a new first try.")

KEYS = ("correct",)

_listeners: dict[str, Callable[[], None]] = {}


def path() -> Path:
    """Where progress is kept (JupyterLite: in the browser's storage, see course.storage)."""
    return Path(os.environ.get("AWS_SRM_COURSE_PROGRESS", storage.folder() / "progress.json"))


def load(source: Path | None = None) -> dict[str, list[str]]:
    """The progress in ``source`` (default: :func:`path`): question ids under ``correct`` (an
    older file's ``revealed`` is left out); a list missing or unreadable reads as empty."""
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


def _notify() -> None:
    for listener in list(_listeners.values()):
        listener()


def mark_correct(question_id: str, first_try: bool) -> bool:
    """Count a right answer to ``question_id`` towards mastery when it came at the first try
    of an attempt (no wrong answer and no explanation before it) and tell the map. Returns
    whether the check counts, now or from before."""
    data = load()
    if question_id in data["correct"]:
        return True
    if not first_try:
        return False
    _save({**data, "correct": sorted({*data["correct"], question_id})})
    _notify()
    return True


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
    """Each concept's main practice set: how many of its checks count so far, how many
    mastery needs, and how many there are."""
    correct = set(load()["correct"])
    return {concept: (sum(q in correct for q in info["practice"]),
                      math.ceil(MASTERY_SHARE * len(info["practice"])), len(info["practice"]))
            for concept, info in content.concepts().items()}


def states() -> dict[str, str]:
    """Each concept's state: ``mastered``, ``open`` (what it builds on is mastered) or
    ``later`` (suggested after what it builds on; every notebook stays open)."""
    concepts = content.concepts()
    mastered = {concept for concept, (counted, needed, total) in counts().items()
                if total and counted >= needed}
    return {
        concept: "mastered" if concept in mastered
        else "open" if set(info["prerequisites"]) <= mastered else "later"
        for concept, info in concepts.items()
    }
