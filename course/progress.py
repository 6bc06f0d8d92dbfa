"""A student's progress across notebooks, kernels and sessions: which practice checks they
have answered correctly. Kept in one small JSON file in their home folder (or where
``AWS_SRM_COURSE_PROGRESS`` points), and exportable, so a Binder user can take it along."""

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
        "correctly (at any try). Mastering a concept unlocks the concepts that build on it; "
        "every notebook stays open to you either way.")

_listeners: dict[str, Callable[[], None]] = {}


def path() -> Path:
    """Where progress is kept."""
    default = Path.home() / ".aws-srm-course" / "progress.json"
    return Path(os.environ.get("AWS_SRM_COURSE_PROGRESS", default))


def load(source: Path | None = None) -> dict[str, Any]:
    """The progress in ``source`` (default: :func:`path`); empty if missing or unreadable."""
    try:
        data = json.loads((source or path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"correct": []}
    correct = data.get("correct") if isinstance(data, dict) else None
    if not isinstance(correct, list):
        return {"correct": []}
    return {"correct": sorted({c for c in correct if isinstance(c, str)})}


def _save(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as tmp:
        json.dump(data, tmp, indent=1)
    os.replace(tmp.name, target)


def mark_correct(question_id: str) -> None:
    """Remember that ``question_id`` was answered correctly, and tell the map."""
    data = load()
    if question_id not in data["correct"]:
        _save({"correct": sorted([*data["correct"], question_id])})
    for listener in list(_listeners.values()):
        listener()


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
    """Merge an exported progress file into this machine's; returns how many checks it added."""
    here, there = set(load()["correct"]), set(load(Path(source))["correct"])
    _save({"correct": sorted(here | there)})
    for listener in list(_listeners.values()):
        listener()
    return len(there - here)


def states() -> dict[str, str]:
    """Each concept's state: ``mastered``, ``open`` (prerequisites mastered) or ``locked``."""
    correct = set(load()["correct"])
    concepts = content.concepts()
    by_concept: dict[str, list[str]] = {c: [] for c in concepts}
    for question in content.questions().values():
        by_concept.setdefault(question["concept"], []).append(question["id"])
    mastered = {
        concept for concept, ids in by_concept.items()
        if ids and sum(q in correct for q in ids) >= math.ceil(MASTERY_SHARE * len(ids))
    }
    return {
        concept: "mastered" if concept in mastered
        else "open" if set(info["prerequisites"]) <= mastered else "locked"
        for concept, info in concepts.items()
    }
