"""The course's look in HTML outputs: its stylesheet and small inline icons, drawn as SVG so
that no symbol depends on an emoji font."""

from __future__ import annotations

from functools import cache
from importlib import resources

_ICONS = {
    "mastered": '<path d="M2.5 8.5l3.5 3.5 7.5-8.5" fill="none" stroke="currentColor" '
                'stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>',
    "open": '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/>',
    "later": '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2" '
             'stroke-dasharray="2.6 2"/>',
    "tutor": '<path d="M8 1l6 2.5v4c0 3.8-2.6 6.6-6 7.5-3.4-.9-6-3.7-6-7.5v-4z" '
             'fill="currentColor"/>',
}


def icon(name: str) -> str:
    """A 1em icon in the text's colour, hidden from screen readers (words say the same)."""
    return (f'<svg viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" '
            f'focusable="false" style="vertical-align: -0.125em">{_ICONS[name]}</svg>')


@cache
def css() -> str:
    """The course stylesheet (its rules are scoped to course-*)."""
    return (resources.files("course.widgets") / "course.css").read_text(encoding="utf-8")


def style() -> str:
    """The course stylesheet as a ``<style>`` element, for HTML outputs."""
    return f"<style>{css()}</style>"
