"""What a saved notebook keeps of the course's widgets: their readable fallback.

Without any server hook (JupyterLite, a hub where postBuild never ran), each widget's output
is preceded by a companion (:func:`companion`): the fallback, hidden, and a short script
(``saved.js``) that shows it in place of "Loading widget..." or "Error displaying widget"
when the notebook is reopened without the widget's model. Where the notebook reopens
untrusted, JupyterLab skips the widget view anyway and shows the output's own HTML fallback.
With the hook (postBuild, below), the saved file holds no widget view at all.

A widget output points at a model that lives only in the kernel (and in the open page). Once
the notebook is closed and reopened, JupyterLab finds no model and shows "Error displaying
widget: model not found" for every widget until its cell runs again. ipywidgets can save
every model into the notebook instead (the ``saveState`` setting), but that made
05-infrastructure 4.3 times larger (66,828 to 288,656 bytes), and the widgets it brings
back are not connected to any kernel: a click on a graded answer would look recorded and
not be. So the notebook is saved with each course widget's HTML/text fallback in place of the
widget view and a line saying to run the cell; the page that is open keeps its live widgets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
HOOK = "course.widgets.saved.keep_fallbacks"
RUN_AGAIN = ('<p class="course-run-again course-note">Run this cell (or Run ▸ Run All Cells) to '
             "use it again.</p>")


SCRIPT = Path(__file__).with_name("saved.js")


def companion(html: str) -> dict[str, str]:
    """The output shown just before a widget's: its ``html`` fallback, hidden until the
    widget's model is gone (see the module's docstring)."""
    return {"text/html": f'<div class="course-saved" hidden>{html}{RUN_AGAIN}</div>'
                         f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>",
            "text/plain": ""}


def keep_fallbacks(model: dict[str, Any], **_context: Any) -> None:
    """Jupyter Server pre-save hook: drop the widget view from each output that carries an
    HTML fallback and whose model the notebook does not store, so the file reopens readable."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    widgets = notebook.get("metadata", {}).get("widgets", {})
    stored = widgets.get(WIDGET_STATE, {}).get("state", {}) if isinstance(widgets, dict) else {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            view = data.get(WIDGET_VIEW) if isinstance(data, dict) else None
            if (isinstance(view, dict) and "text/html" in data
                    and view.get("model_id") not in stored):
                del data[WIDGET_VIEW]
                html = data["text/html"]
                data["text/html"] = ("".join(html) if isinstance(html, list) else html) + RUN_AGAIN


def install(prefix: str = sys.prefix) -> Path:
    """Make this environment's Jupyter Server run :func:`keep_fallbacks` on every save
    (postBuild calls it); other settings in the same file are kept."""
    path = Path(prefix, "etc", "jupyter", "jupyter_server_config.json")
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config.setdefault("ContentsManager", {})["pre_save_hook"] = HOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path
