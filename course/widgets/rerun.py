"""Widgets made by a cell's previous run are closed when the cell runs again.

ipywidgets keeps every widget alive until it is closed, so each re-run of a course cell (a
quiz, a matrix, an ``ask``) used to leave the widgets it replaced in the kernel, with their
listeners, and their models in the page. The front end says which cell runs (JupyterLab
sends its ``cellId``; IPython keeps it in the running cell's ``ExecutionInfo``); where it
does not (nbclient, a terminal), nothing is closed and nothing changes."""

from __future__ import annotations

import weakref
from typing import Any

from ipywidgets import Widget  # at import, not in close: widgets close at interpreter exit too

_made: dict[str, tuple[weakref.ref, list[Any]]] = {}
"""Cell id -> its last run that made widgets (IPython's ``ExecutionResult``), and those."""


def close_tree(root: Any) -> None:
    """Close ``root`` and every widget its synced traits hold (children, layouts, styles), at
    any depth: ipywidgets keeps each widget until it is closed, and a box does not close its
    children."""
    found: dict[int, Widget] = {}
    todo = [root]
    while todo:
        widget = todo.pop()
        if id(widget) not in found:
            found[id(widget)] = widget
            for name in widget.keys:
                value = getattr(widget, name, None)
                todo += [v for v in (value if isinstance(value, list | tuple) else [value])
                         if isinstance(v, Widget)]
    for widget in found.values():
        Widget.close(widget)


def adopt(widget: Any) -> None:
    """Close ``widget`` (``widget.close()``) when the cell running now runs again."""
    from IPython import get_ipython

    shell = get_ipython()
    run = shell.displayhook.exec_result if shell is not None else None
    cell = run.info.cell_id if run is not None else None
    if not cell:
        return
    made_in, widgets = _made.get(cell, (None, []))
    if made_in is None or made_in() is not run:
        for old in widgets:
            old.close()
        widgets = []
    _made[cell] = (weakref.ref(run), [*widgets, widget])
