"""A widget box that also renders as HTML and text where widgets do not (GitHub, nbviewer,
a closed kernel, a screen reader reading the saved notebook)."""

from __future__ import annotations

import os
from typing import Any

import comm
import ipywidgets as widgets

from . import rerun

PLAIN_WIDGETS = "AWS_SRM_COURSE_PLAIN_WIDGETS"
"""Set to 1 in grading kernels (course-grade does): no browser will ever show their widgets,
so they are built on the comm package's stand-in comm, which sends nothing, and display as
their HTML/text fallback. What a notebook records and how it scores do not change."""


def plain() -> bool:
    return os.environ.get(PLAIN_WIDGETS) == "1"


class FallbackBox(widgets.VBox):
    """A VBox whose display bundle carries ``html`` and ``text`` beside the widget view, and
    whose controls answer to the keyboard inside JupyterLab."""

    def __init__(self, children: list[widgets.Widget], html: str, text: str, **kwargs: Any):
        from .keyboard import KeyboardShield

        super().__init__(children if plain() else [*children, KeyboardShield()], **kwargs)
        self.add_class("course-widget")
        self._fallback = {"text/html": f'<div class="course-fallback">{html}</div>',
                          "text/plain": text}
        rerun.adopt(self)

    def close(self) -> None:
        """Close this box and every widget in it (children, layouts, styles): ipywidgets
        keeps each widget alive until it is closed, and a box does not close its children."""
        found: dict[int, widgets.Widget] = {}
        todo: list[widgets.Widget] = [self]
        while todo:  # this box and every widget its synced traits hold, at any depth
            widget = todo.pop()
            if id(widget) not in found:
                found[id(widget)] = widget
                for name in widget.keys:
                    value = getattr(widget, name, None)
                    todo += [v for v in (value if isinstance(value, list | tuple) else [value])
                             if isinstance(v, widgets.Widget)]
        for widget in found.values():
            widgets.Widget.close(widget)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if plain():
            return dict(self._fallback)
        return {**super()._repr_mimebundle_(**kwargs), **self._fallback}


if plain():
    comm.create_comm = comm.DummyComm  # the comm package's hook, meant to be replaced
