"""The feedback page's exporter: a class of its own, so that the course's template reaches
``generate_feedback`` only. Configured on ``HTMLExporter``, the template would also reach the
formgrader's exporter, whose template path lacks it: every grading page failed with
``TemplateNotFound: course.html.j2``."""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import HTMLExporter

from ..widgets._style import css


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback HTML (``GenerateFeedback.exporter_class``); its template and
    template folders are set in ``nbgrader_config.py`` under this class's name. The page
    gets the course's one stylesheet (``resources["course_css"]``), as every widget does."""

    def from_notebook_node(self, nb: Any, resources: dict | None = None,
                           **kw: Any) -> tuple[str, dict]:
        return super().from_notebook_node(nb, {**(resources or {}), "course_css": css()}, **kw)
