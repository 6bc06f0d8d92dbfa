"""A widget box that also renders as HTML and text where widgets do not (GitHub, nbviewer,
a closed kernel, a screen reader reading the saved notebook)."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from . import plain


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

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if plain.active():  # a grading kernel (see course.widgets.plain)
            return dict(self._fallback)
        return {**super()._repr_mimebundle_(**kwargs), **self._fallback}


def link(url: str, text: str = "source") -> str:
    """An HTML link to an AWS page that opens in a new tab."""
    return f'<a href="{escape(url)}" target="_blank" rel="noopener">{escape(text)}</a>'


def choices_html(prompt: str, options: list[str], code_hint: str = "") -> str:
    """A question as static HTML: the prompt, its options, and how to answer in code."""
    items = "".join(f"<li>{escape(option)}</li>" for option in options)
    hint = f"<p><em>{escape(code_hint)}</em></p>" if code_hint else ""
    return f"<div><p><strong>{escape(prompt)}</strong></p><ul>{items}</ul>{hint}</div>"
