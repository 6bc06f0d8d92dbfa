"""An invisible widget that makes the controls of the box it sits in work by keyboard inside
JupyterLab: keys that would edit cells stay with the controls, the rest (save, run, Escape,
Tab) reach JupyterLab; groups get their roles and names, and focus shows as a strong ring."""

from __future__ import annotations

from pathlib import Path

import anywidget

FOCUS_RING = """
.course-widget :is(input, select, textarea, button):focus-visible {
  outline: 3px solid #1d4ed8 !important;
  outline-offset: 2px;
}
"""
"""3 px of #1d4ed8: 6.7:1 against the white notebook (WCAG asks 3:1 for focus indicators)."""


class KeyboardShield(anywidget.AnyWidget):
    """Keeps cell-editing keys on its box's controls and labels its groups (keyboard.js)."""

    _esm = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
    _css = FOCUS_RING
