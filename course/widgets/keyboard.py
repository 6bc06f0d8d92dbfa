"""An invisible widget that makes the controls of the box it sits in work by keyboard inside
JupyterLab: keys that would edit cells stay with the controls, the rest (save, run, Escape,
Tab) reach JupyterLab; groups get their roles and names, and focus shows as a strong ring."""

from __future__ import annotations

from pathlib import Path

import anywidget

from ._style import css

STYLE = """
.course-widget :is(input, select, textarea, button):focus-visible {
  outline: 3px solid #1d4ed8 !important;
  outline-offset: 2px;
}
.course-widget .widget-radio-box label,
.course-widget .widget-checkbox,
.course-widget .widget-label-basic,
.course-widget .widget-label-basic span,
.course-widget .course-matrix-rows .widget-label {
  height: auto;
  line-height: 1.35;
  white-space: normal;
  overflow: visible;
  text-overflow: clip;
}
.course-widget .widget-radio-box label {
  display: flex;
  flex-flow: row-reverse nowrap;
  justify-content: flex-end;
  align-items: flex-start;
  margin: 0.2em 0;
}
.course-widget .widget-radio-box input { flex: none; margin: 0 0.5em 0 0.2em; }
/* A task and its drop-down stay within reading distance on a wide window. */
.course-widget .course-matrix-rows { max-width: 48em; }
.course-widget .course-matrix-rows .widget-dropdown {
  height: auto;
  min-height: var(--jp-widgets-inline-height);
  align-items: center;
  margin: 0.15em 0;
}
"""
"""A focus ring of 3 px #1d4ed8 (6.7:1 on the white notebook; WCAG asks 3:1), and long option
texts and matrix tasks that wrap instead of running over the next or being cut."""


class KeyboardShield(anywidget.AnyWidget):
    """Keeps cell-editing keys on its box's controls and labels its groups (keyboard.js)."""

    _esm = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
    _css = STYLE + css()  # the course's look comes with every widget box (course.css)
