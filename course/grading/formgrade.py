"""What nbgrader's formgrader shows of a submission: text, never script. Its pages are served
by the Jupyter server with the instructor's rights, so a script a student put there (raw HTML
in a markdown cell, or an output their code displayed when autograde ran it) would act as the
instructor. nbconvert's ``sanitize_html`` is the switch (nbgrader_config.py); these filters
take the place of its ``clean_html`` (whose short list of tags showed the course's own
outputs, the rubric and the feedback items, as escaped tags) and of ``markdown2html``
(nbgrader's ``formgrade`` template renders markdown without ``clean_html``)."""

from __future__ import annotations

import re

import bleach
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

TAGS = frozenset(bleach.ALLOWED_TAGS) | {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "div", "span", "del",
    "small", "sub", "sup", "table", "caption", "thead", "tbody", "tr", "th", "td", "details",
    "summary", "section", "figure", "figcaption", "img"}
"""What markdown and the course's own outputs write; anything else shows as text."""
ATTRIBUTES = {**bleach.ALLOWED_ATTRIBUTES, "*": ["class", "id", "role", "title", "aria-label"],
              "a": ["href", "title", "target", "rel"], "img": ["src", "alt"],
              "th": ["scope", "colspan", "rowspan"], "td": ["colspan", "rowspan"]}
"""No event handler, no style; links (``href``, ``src``) only to http(s) and mail."""


STYLE = re.compile(r"<style\b.*?</style\s*>", re.IGNORECASE | re.DOTALL)
"""The course's outputs carry their stylesheet; a student's could restyle the page."""


def inert_html(html: str) -> str:
    """``html`` with every tag or attribute that could run something shown as text or
    dropped, and without stylesheets (the page stays nbgrader's)."""
    return bleach.clean(STYLE.sub("", str(html)), tags=TAGS, attributes=ATTRIBUTES)


def inert_markdown(source: str) -> str:
    """``source`` as HTML, the raw HTML in it shown as text."""
    return inert_html(MarkdownWithMath(renderer=IPythonRenderer(escape=True)).render(source))
