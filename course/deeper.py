"""A concept notebook's closed "Go deeper" aside: what AWS has changed lately, in a few plain
sentences (``go_deeper`` in course/data/concepts), each followed by the AWS sources of the
facts it rests on and the day the course last checked them. The facts themselves, with their
advice to reviewers, stay in the services' data (``volatile``) and on the audit page.

Drawn when its cell runs, not written into the notebook: a review that re-reads a source or
moves a date changes the data only."""

from __future__ import annotations

from typing import Any

from . import content

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def day(iso: str) -> str:
    """``2026-12-06`` as a student reads it: 6 December 2026."""
    year, month, date = (int(part) for part in iso.split("-"))
    return f"{date} {MONTHS[month - 1]} {year}"


def lines(concept: str) -> list[dict[str, Any]]:
    """Each sentence of ``concept``'s aside with its sources (one per page, named for its
    service, and for the item too where a service has two) and the oldest check date."""
    facts = {f"{f['service']['id']}/{f['item']['id']}": f for f in content.volatile_facts()}
    shown = []
    for line in content.concepts()[concept].get("go_deeper", []):
        cited = [facts[name] for name in line["facts"]]
        pages = {f["cell"].get("source", f["service"]["source"]): f for f in cited}
        services = [f["service"]["id"] for f in pages.values()]
        sources = [(url, f["service"]["name"] if services.count(f["service"]["id"]) == 1
                    else f"{f['service']['name']}: {f['item']['name']}")
                   for url, f in pages.items()]
        checked = day(min(str(f["cell"]["reviewed"]) for f in cited))
        shown.append({"say": line["say"], "sources": sources, "checked": checked})
    return shown


class GoDeeper:
    """The aside; shows nothing for a concept without sentences."""

    def __init__(self, concept: str):
        self.lines = lines(concept)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        from . import pages

        if not self.lines:
            return {"text/plain": ""}
        text = "\n".join(f"- {line['say']} (checked {line['checked']})" for line in self.lines)
        return {"text/html": pages.render("widgets/deeper.html.j2", lines=self.lines),
                "text/plain": f"Go deeper: what AWS has changed lately\n{text}"}


def go_deeper(concept: str) -> GoDeeper:
    """``concept``'s closed "Go deeper" aside (a concept notebook, before its practice)."""
    return GoDeeper(concept)
