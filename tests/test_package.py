"""The package as students install it: light to import, and free of graded keys."""

from __future__ import annotations

import subprocess
import sys


def test_import_course_loads_no_widgets_or_data():
    """Is ``import course`` light: no ipywidgets, no data files, no jinja2 (also not with the
    module that renders pages), until a name is used?"""
    probe = ("import sys, course, course.pages; print(sorted(m for m in ('ipywidgets', "
             "'course.content', 'fastjsonschema', 'jinja2') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert shown == "[]"


def test_public_names_resolve():
    import course

    for name in course.__all__:
        assert callable(getattr(course, name)), name
