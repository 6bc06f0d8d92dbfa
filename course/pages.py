"""The one jinja2 environment for the HTML the course writes (cards, tables, whole pages):
autoescaped, so text from students or course data never reaches a page as markup, and
strict, so a misspelt variable fails loudly instead of leaving a blank."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def environment() -> jinja2.Environment:
    """The templates in ``course/templates``, loaded once per kernel."""
    return jinja2.Environment(loader=jinja2.PackageLoader("course"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def render(name: str, **values: Any) -> str:
    """The template ``name`` filled with ``values``."""
    return environment().get_template(name).render(**values)
