"""What a saved notebook keeps of the course's widgets: their readable fallback.

A widget output points at a model that lives only in the kernel (and in the open page). Once
the notebook is closed and reopened, JupyterLab finds no model and shows "Loading widget..."
then "Error displaying widget: model not found" for every widget until its cell runs again.
ipywidgets can save every model into the notebook instead (the ``saveState`` setting), but
that made 05-infrastructure 4.3 times larger (66,828 to 288,656 bytes), and the widgets it
brings back are not connected to any kernel: a click on a graded answer would look recorded
and not be.

So each widget's output is preceded by a companion (:func:`companion`): the fallback, hidden,
and a short script (``saved.js``) that shows it, with a line saying to run the cell, in place
of those messages when the notebook is reopened without the widget's model. It needs no server
hook, so it works alike in JupyterLab, Notebook 7, on a hub and in JupyterLite. Where the
notebook reopens untrusted, JupyterLab skips the widget view anyway and shows the output's own
HTML fallback (the companion's script is then sanitized away and its fallback stays hidden).
"""

from __future__ import annotations

from pathlib import Path

RUN_AGAIN = ('<p class="course-run-again course-note">Run this cell (or Run ▸ Run All Cells) to '
             "use it again.</p>")
SCRIPT = Path(__file__).with_name("saved.js")


def companion(html: str) -> dict[str, str]:
    """The output shown just before a widget's: its ``html`` fallback, hidden until the
    widget's model is gone (see the module's docstring)."""
    return {"text/html": f'<div class="course-saved" hidden>{html}{RUN_AGAIN}</div>'
                         f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>",
            "text/plain": ""}
