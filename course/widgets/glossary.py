"""The glossary: type or pick a term and read its definition and source."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import content, pages
from ._fallback import FallbackBox
from ._style import style

INDEXED = 20
"""A list of more entries than this opens with an A-Z index of its first letters."""


BRANDS = ("AWS ", "Amazon ")
"""Prefixes a service name is filed without: "AWS Lambda" under L, where a student looks."""


def filed_as(term: str) -> str:
    """The name ``term`` is sorted and indexed by: a service's name without "AWS "/"Amazon "
    ("AWS KMS": "KMS"); a term whose next word is not a name ("AWS managed key") as it is."""
    for brand in BRANDS:
        rest = term.removeprefix(brand)
        if rest != term and rest[:1].isupper():
            return rest
    return term


def entries_html(entries: list[dict], anchor: str = "course-term") -> str:
    """Glossary entries as a definition list, or a line saying none matches, with the
    course's stylesheet; a long list gets an A-Z index that links to each letter, at ids
    ``anchor``-letter (the copy shown where widgets do not render has ids of its own: a
    letter must not lead to the hidden copy's terms)."""
    rows = [(entry, filed_as(entry["term"])[0].upper()) for entry in entries]
    letters = sorted({letter for _entry, letter in rows}) if len(entries) > INDEXED else []
    return style() + pages.fragment("widgets/glossary.html.j2", "entries", rows, letters,
                                    anchor)


class Glossary(FallbackBox):
    """Lists every term, narrowed to the matching ones as a term is typed; with a ``title``,
    inside a closed box of that title (a notebook's own terms: one click away, not a dump
    between its practice and its checkpoint)."""

    def __init__(self, terms: list[str] | None = None, title: str | None = None):
        table = content.glossary()
        entries = {id(e): e for e in table.values()}.values()
        if terms:
            entries = [table[t.lower()] for t in terms]
        self.entries = sorted(entries, key=lambda e: filed_as(e["term"]).lower())
        # A plain text box: the list below narrows as you type (a combobox drew a ▼ that
        # made it look like a drop-down).
        self.search = widgets.Text(placeholder="Type a term…", description="Look up",
                                   style={"description_width": "initial"})
        self.result = widgets.HTML()
        self.search.observe(lambda change: self.look_up(change["new"]), names="value")
        self.look_up("")
        shown: list[widgets.Widget] = [self.search, self.result]
        html = entries_html(self.entries, anchor="course-text-term")
        if title:
            shown = [widgets.Accordion([widgets.VBox(shown)], titles=(title,),
                                       selected_index=None)]
            html = f"<details><summary>{escape(title)}</summary>{html}</details>"
        super().__init__(
            shown,
            html=html,
            text="\n".join(f"{e['term']}: {e['definition']}" for e in self.entries),
        )

    def look_up(self, text: str) -> str:
        """Show every entry whose term or alias contains ``text``; returns the HTML shown."""
        needle = text.strip().lower()
        table = content.glossary()
        hits = [e for e in self.entries if any(
            needle in name for name, entry in table.items() if entry is e)]
        self.result.value = entries_html(hits)
        return self.result.value


def glossary(terms: list[str] | None = None, concept: str | None = None) -> Glossary:
    """The glossary, or just the given terms of it, or just the terms a concept's notebook
    uses (its ``terms`` in ``course/data/concepts``, in a closed box): a notebook shows its own
    words, the glossary notebook all of them."""
    if concept:
        terms = [*(terms or []), *content.concepts()[concept]["terms"]]
        return Glossary(terms, title=f"Terms in this notebook ({len(terms)})")
    return Glossary(terms)
