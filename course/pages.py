"""The one jinja2 environment for the HTML the course writes (widgets, cards, feedback,
whole pages): autoescaped, so text from students or course data never reaches a page as
markup, and strict, so a misspelt variable fails loudly instead of leaving a blank.

jinja2 is imported on the first render, not with this module: ``import course`` stays light
in the student's kernel."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATES = ("templates", "grading/templates")
"""Template folders inside the package: the course's pages and widgets, and the grader's
feedback (``grading/templates/feedback`` is nbconvert's, chosen in nbgrader_config.py). The
student edition has no ``grading``: a missing folder is skipped."""
_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:!?]")


def linkify(text: Any, label: str = "") -> Markup:
    """``text`` escaped, with each web address in it a link that opens in a new tab; the
    link reads ``label`` when given (e.g. "AWS source"), else the address."""
    from markupsafe import Markup, escape

    escaped = str(escape(str(text)))
    return Markup(_URL.sub(lambda m: f'<a href="{m[0]}" target="_blank" rel="noopener">'
                                     f"{escape(label) if label else m[0]}</a>", escaped))


@cache
def environment() -> jinja2.Environment:
    """The templates of :data:`TEMPLATES`, loaded once per process."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([Path(__file__).parent / path for path in TEMPLATES]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    environment.filters["linkify"] = linkify
    return environment


def render(name: str, **values: Any) -> str:
    """The template ``name`` filled with ``values``."""
    return environment().get_template(name).render(**values)


def fragment(name: str, macro: str, *args: Any, **values: Any) -> str:
    """The macro ``macro`` of template ``name`` called with ``args``: one piece of a widget
    (a prompt, a verdict). A widget's template holds its pieces as macros, side by side."""
    return str(getattr(environment().get_template(name).module, macro)(*args, **values))
