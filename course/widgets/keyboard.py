"""An invisible widget that makes the controls of the box it sits in work by keyboard inside
JupyterLab: keys that would edit cells stay with the controls, the rest (save, run, Escape,
Tab) reach JupyterLab; groups get their roles and names. It also brings the course's
stylesheet (course.css: focus rings, buttons, callouts) to the page."""

from __future__ import annotations

from pathlib import Path

import anywidget

from ._style import css


class KeyboardShield(anywidget.AnyWidget):
    """Keeps cell-editing keys on its box's controls and labels its groups (keyboard.js)."""

    _esm = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
    _css = css()  # the course's one stylesheet comes with every widget box (course.css)
