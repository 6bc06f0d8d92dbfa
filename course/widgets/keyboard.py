"""An invisible widget that keeps JupyterLab's notebook shortcuts away from the controls of
the box it sits in, so keyboard users can answer with arrow and letter keys."""

from __future__ import annotations

from pathlib import Path

import anywidget


class KeyboardShield(anywidget.AnyWidget):
    """Marks its box's radio buttons, checkboxes and drop-downs as keyboard-owned."""

    _esm = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
