"""Graded answers in the student's kernel: remembered while the kernel lives, shown as a
"Recorded answer" output that is saved in the notebook, and restored from the saved
notebook after a restart, so no click is lost to a re-run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from . import records
from .records import Answer

_answers: dict[str, Answer] = {}
_listeners: dict[str, list[Callable[[Answer], None]]] = {}
_shown_in: dict[str, int] = {}


def _notebook_path() -> Path | None:
    """The notebook this kernel runs, as Jupyter Server (JupyterLab, Binder) tells it."""
    session = os.environ.get("JPY_SESSION_NAME")
    if not session:
        return None
    path = Path(session)
    if path.is_file():
        return path
    local = Path.cwd() / path.name
    return local if local.is_file() else None


@cache
def _saved() -> dict[str, Any]:
    """Answers recorded in the notebook file as it was last saved (read once per kernel)."""
    path = _notebook_path()
    if path is None:
        return {}
    try:
        return records.find(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def recorded(item: str) -> Answer | None:
    """The answer recorded for ``item``: this kernel's, else the saved notebook's."""
    if item in _answers:
        return _answers[item]
    saved = _saved().get(item)
    if saved is None:
        return None
    try:
        return records.check(item, saved)
    except records.InvalidAnswer:
        return None


def show(item: str) -> None:
    """Display the record line for ``item``; every record line of an item updates together."""
    from IPython.display import display

    display(records.bundle(item, recorded(item)), raw=True, display_id=_display_id(item))
    _shown_in[item] = _execution_count()


def shown_here(item: str) -> bool:
    """Whether the cell running now already shows the record line of ``item``."""
    return _shown_in.get(item) == _execution_count()


def _execution_count() -> int:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.execution_count if shell else 0


def record(item: str, answer: Any) -> Answer:
    """Record ``answer`` for ``item``: check it, keep it, update every record line and widget."""
    from IPython.display import update_display

    value = records.check(item, answer)
    _answers[item] = value
    update_display(records.bundle(item, value), raw=True, display_id=_display_id(item))
    for listener in _listeners.get(item, []):
        listener(value)
    return value


def listen(item: str, listener: Callable[[Answer], None]) -> None:
    """Call ``listener`` with each new answer to ``item`` (keeps widgets in step with code)."""
    _listeners.setdefault(item, []).append(listener)


def _display_id(item: str) -> str:
    return f"course-record-{item}"
