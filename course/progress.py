"""A student's progress across notebooks, kernels and sessions: the practice checks whose first
try is spent (``tried``) and those answered right at it (``correct``; these count towards
mastery, and only these: a right answer after a wrong one, after opening the explanation, or on
a second pass through the same check, was found or remembered rather than known).
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
RULE = ("A concept is mastered once you have answered as many checks right at the first try as "
        "80% of its main practice set, from that set or its more practice; each check has one "
        "first try, ever.")

KEYS = ("correct", "tried")

_listeners: dict[str, Callable[[], None]] = {}


def path() -> Path:
    """Where progress is kept (JupyterLite: in the browser's storage, see course.storage)."""
    return Path(os.environ.get("AWS_SRM_COURSE_PROGRESS", storage.folder() / "progress.json"))


def load(source: Path | None = None) -> dict[str, list[str]]:
    """The progress in ``source`` (default: :func:`path`): question ids under ``correct`` and
    ``tried`` (every counted check was tried, also in an older file without ``tried``; an
    older file's ``revealed`` is left out); a list missing or unreadable reads as empty."""
    try:
        data = json.loads((source or path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    found = {key: {q for q in data[key] if isinstance(q, str)}
             if isinstance(data.get(key), list) else set() for key in KEYS}
    found["tried"] |= found["correct"]
    return {key: sorted(found[key]) for key in KEYS}


def _save(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as tmp:
        json.dump(data, tmp, indent=1)
    os.replace(tmp.name, target)


def _notify() -> None:
    for listener in list(_listeners.values()):
        listener()


def record_first_try(question_id: str, right: bool) -> bool:
    """Spend the one first try of ``question_id`` (its first answer, or an explanation opened
    before any) and count it towards mastery when ``right``; a later try, in this attempt or
    any other (Start again, a re-run cell, another session), changes nothing. Returns whether
    the check counts."""
    data = load()
    if question_id in data["tried"]:
        return question_id in data["correct"]
    _save({"correct": sorted({*data["correct"], *([question_id] if right else [])}),
           "tried": sorted({*data["tried"], question_id})})
    _notify()
    return right


def first_try(question_id: str) -> str:
    """How the first try of ``question_id`` went: ``right``, ``wrong`` or ``untried``."""
    data = load()
    return ("right" if question_id in data["correct"]
            else "wrong" if question_id in data["tried"] else "untried")


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


def question_sets(concept: str) -> dict[str, list[str]]:
    """The concept's main set (its ``practice`` in course/data/concepts) and the rest of its
    questions, in the order of its question file, as more practice."""
    main = content.concepts()[concept]["practice"]
    others = [q for q, info in content.questions().items()
              if info["concept"] == concept and q not in main]
    return {"main": list(main), "more": others}


def needed(concept: str) -> int:
    """How many checks right at the first try master ``concept``: 80% of its main set."""
    return math.ceil(MASTERY_SHARE * len(content.concepts()[concept]["practice"]))


def counts() -> dict[str, tuple[int, int, int]]:
    """Each concept: how many of its checks (main set and more practice) count so far, how
    many mastery needs, and how many main checks there are."""
    correct = set(load()["correct"])
    return {concept: (sum(q in correct for ids in question_sets(concept).values() for q in ids),
                      needed(concept), len(info["practice"]))
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
