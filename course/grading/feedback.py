"""The feedback page's exporter: a class of its own, so that the course's template reaches
``generate_feedback`` only. Configured on ``HTMLExporter``, the template would also reach the
formgrader's exporter, whose template path lacks it: every grading page failed with
``TemplateNotFound: course.html.j2``."""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback HTML (``GenerateFeedback.exporter_class``); its template and
    template folders are set in ``nbgrader_config.py`` under this class's name."""
