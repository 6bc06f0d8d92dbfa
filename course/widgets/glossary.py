"""The glossary: type or pick a term and read its definition and source."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import content
from ._fallback import FallbackBox, link
from ._style import style


def definition_html(entry: dict) -> str:
    """One glossary entry as HTML."""
    return (f"<dt><strong>{escape(entry['term'])}</strong></dt>"
            f"<dd>{escape(entry['definition'])} {link(entry['source'], 'AWS source')}</dd>")


class Glossary(FallbackBox):
    """Lists every term, narrowed to the matching ones as a term is typed."""

    def __init__(self, terms: list[str] | None = None):
        table = content.glossary()
        entries = {id(e): e for e in table.values()}.values()
        if terms:
            entries = [table[t.lower()] for t in terms]
        self.entries = sorted(entries, key=lambda e: e["term"].lower())
        self.search = widgets.Combobox(
            options=[e["term"] for e in self.entries], placeholder="Type a term…",
            description="Look up", ensure_option=False,
        )
        self.result = widgets.HTML()
        self.search.observe(lambda change: self.look_up(change["new"]), names="value")
        listing = "".join(definition_html(e) for e in self.entries)
        self.look_up("")
        super().__init__(
            [self.search, self.result],
            html=f'{style()}<div class="course-glossary"><dl>{listing}</dl></div>',
            text="\n".join(f"{e['term']}: {e['definition']}" for e in self.entries),
        )

    def look_up(self, text: str) -> str:
        """Show every entry whose term or alias contains ``text``; returns the HTML shown."""
        needle = text.strip().lower()
        table = content.glossary()
        hits = [e for e in self.entries if any(
            needle in name for name, entry in table.items() if entry is e)]
        found = (f"<dl>{''.join(definition_html(e) for e in hits)}</dl>" if hits
                 else "<p>No term matches.</p>")
        self.result.value = f'{style()}<div class="course-glossary">{found}</div>'
        return self.result.value


def glossary(terms: list[str] | None = None, concept: str | None = None) -> Glossary:
    """The glossary, or just the given terms of it, or just the terms a concept's notebook
    uses (its ``terms`` in ``course/data/concepts``): a notebook shows its own words, the
    glossary notebook all of them."""
    if concept:
        terms = [*(terms or []), *content.concepts()[concept]["terms"]]
    return Glossary(terms)
