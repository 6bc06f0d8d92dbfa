"""Graded answers in the student's kernel: remembered while the kernel lives, shown as a
"Saved: …" output that is saved in the notebook, and restored after a restart from
the saved notebook or, when newer, from this machine's answer cache (an answer given after
the last save would otherwise be lost to Restart and Run All)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from . import progress, records, storage
from .records import Answer

_answers: dict[str, Answer] = {}
_times: dict[str, float] = {}
_versions: dict[str, str | None] = {}
"""The version each of this kernel's answers was given for."""
_listeners: dict[str, tuple[Callable[[Answer], None] | None, Any]] = {}
"""Each item's one live widget, and what keeps it in step with answers given in code."""
_shown_in: dict[str, int] = {}
_watchers: dict[str, Callable[[], None]] = {}
"""What else updates when any answer is recorded (the notebook's "still to do" list), by name."""


def _cache_path() -> Path | None:
    """This notebook's answer cache, beside the progress file; none where no notebook is
    known (nbgrader, nbval)."""
    notebook = storage.notebook()
    if notebook is None:
        return None
    digest = hashlib.sha256(str(notebook.resolve()).encode()).hexdigest()[:16]
    return progress.path().parent / "answers" / f"{digest}.json"


def _read_cache() -> dict[str, Any]:
    path = _cache_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(item: str, answer: Answer, at: float, version: str) -> None:
    path = _cache_path()
    if path is None:
        return
    data = {**_read_cache(), item: {"answer": answer, "at": at, "variant": version}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as tmp:
            json.dump(data, tmp)
        os.replace(tmp.name, path)
    except OSError:
        pass  # the notebook's record line still holds the answer


@cache
def _restored() -> dict[str, tuple[Any, float, str | None]]:
    """Answers from before this kernel started, with when and for which version they were
    given: the newer of saved notebook and cache."""
    path = storage.notebook()
    try:
        records_found = records.find_records(json.loads(path.read_text(encoding="utf-8"))
                                             ) if path else {}
    except (OSError, ValueError):
        records_found = {}
    found = {item: (record["answer"], record["at"], record.get("variant"))
             for item, record in records_found.items()}
    for item, entry in _read_cache().items():
        newer = (isinstance(entry, dict) and isinstance(entry.get("at"), int | float)
                 and (item not in found or entry["at"] > found[item][1]))
        if newer:
            found[item] = (entry.get("answer"), entry["at"], entry.get("variant"))
    return found


def _latest(item: str) -> tuple[Any, str | None]:
    """The newest answer to ``item`` (this kernel's, else the restored one) and the version
    it was given for (None where a record does not say)."""
    if item in _answers:
        return _answers[item], _versions.get(item)
    answer, _at, version = _restored().get(item, (None, 0.0, None))
    return answer, version


def recorded(item: str) -> Answer | None:
    """The answer recorded for ``item``, unless it was given for another version than the
    one this student now gets (a class id saved after answering): that one is set aside."""
    from . import identity

    answer, version = _latest(item)
    current = identity.current(item)  # the student's id is read once
    if answer is None or version not in (None, current):
        return None
    try:
        return records.check(item, answer, current)
    except records.InvalidAnswer:
        return None


def for_another_version(item: str) -> bool:
    """Whether the newest answer to ``item`` was given for another version than the one this
    student now gets, so it would answer a question they are no longer asked."""
    from . import identity

    answer, version = _latest(item)
    return answer is not None and version not in (None, identity.current(item))


def _at(item: str) -> float:
    return _times.get(item) or _restored().get(item, (None, 0.0, None))[1]


def show(item: str) -> None:
    """Display the record line for ``item``; every record line of an item updates together."""
    from IPython.display import display

    display(records.bundle(item, recorded(item), _at(item)), raw=True,
            display_id=_display_id(item))
    _shown_in[item] = _execution_count()


def shown(item: str) -> bool:
    """Whether a cell of this kernel already shows the record line of ``item`` (it updates
    there; a second line would only repeat it)."""
    return item in _shown_in


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

    from . import identity

    value = records.check(item, answer)
    _answers[item] = value
    _versions[item] = version = identity.current(item)
    _times[item] = at = time.time()
    _write_cache(item, value, at, version)
    update_display(records.bundle(item, value, at), raw=True, display_id=_display_id(item))
    listener = _listeners.get(item, (None, None))[0]
    if listener is not None:
        listener(value)
    for watcher in list(_watchers.values()):
        watcher()
    return value


def on_record(name: str, watcher: Callable[[], None]) -> None:
    """Call ``watcher`` after each recorded answer; a later watcher of the same name (its
    cell run again) replaces the one before."""
    _watchers[name] = watcher


def listen(item: str, widget: Any, listener: Callable[[Answer], None] | None = None) -> None:
    """Make ``widget`` the one widget of ``item``; ``listener``, if given, is called with each
    new answer to keep it in step with code. The widget of a re-run ``ask`` (or builder)
    cell replaces the one before, which is no longer shown and is closed with every widget
    in it: neither this registry, nor ipywidgets' own, nor a listener keeps it alive."""
    old = _listeners.get(item, (None, None))[1]
    _listeners[item] = (listener, widget)
    if old is not None and old is not widget:
        old.close()


def _display_id(item: str) -> str:
    return f"course-record-{item}"
