"""A widget box that also renders as HTML and text where widgets do not (GitHub, nbviewer,
a closed kernel, a screen reader reading the saved notebook)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from . import plain, rerun


class FallbackBox(widgets.VBox):
    """A VBox whose display bundle carries ``html`` and ``text`` beside the widget view, and
    whose controls answer to the keyboard inside JupyterLab."""

    def __init__(self, children: list[widgets.Widget], html: str, text: str, **kwargs: Any):
        from .keyboard import KeyboardShield

        super().__init__(children if plain.active() else [*children, KeyboardShield()],
                         **kwargs)
        self.add_class("course-widget")
        self._fallback = {"text/html": f'<div class="course-fallback">{html}</div>',
                          "text/plain": text}
        rerun.adopt(self)

    def close(self) -> None:
        """Close this box and every widget in it (children, layouts, styles): ipywidgets
        keeps each widget alive until it is closed, and a box does not close its children."""
        rerun.close_tree(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if plain.active():  # a grading kernel (see course.widgets.plain)
            return dict(self._fallback)
        from IPython.display import display

        from . import saved

        display(saved.companion(self._fallback["text/html"]), raw=True)
        return {**super()._repr_mimebundle_(**kwargs), **self._fallback}

