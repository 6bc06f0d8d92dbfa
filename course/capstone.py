"""The capstone: a student's own security architecture, as a responsibility matrix with a
justification per row and the controls they would add. Checked for completeness, shown as a
one-page card, recorded for grading, and exported as a shareable file."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import fastjsonschema

from . import content, pages

SCHEMA = "aws-srm-course/architecture/1"
ITEM = "cp-10-architecture"
MIN_SERVICES, MIN_ROWS_PER_SERVICE, MIN_CONTROLS, MIN_OWN_WORDS = 2, 3, 3, 4
COMMON_WORDS = frozenset((
    "a", "an", "the", "of", "on", "in", "at", "for", "to", "from", "is", "are", "be", "been",
    "it", "its", "this", "that", "these", "those", "and", "or", "as", "by", "with", "we", "our",
    "ours", "us", "you", "your", "yours", "they", "their", "them", "my", "so", "because", "since",
    "has", "have", "do", "does", "run", "runs", "says", "said", "who", "which", "what", "all",
    "each", "every", "one", "any",
))
"""Words that say nothing about why an owner is right: a justification needs MIN_OWN_WORDS
other words besides these and the words of its own row (service, task, owners)."""
AUTOGRADED_POINTS, HAND_GRADED_POINTS = 4, 4
"""As in source/10-capstone: completeness is autograded, the justifications graded by hand."""
BY_HAND = (f"Graded by hand ({HAND_GRADED_POINTS} more points): your instructor reads your "
           "justifications. Say why each owner is right; for Shared, who does which half.")


def template(example: str | None = None, author: str = "") -> dict[str, Any]:
    """A blank architecture to fill in, or one of the given examples with its services."""
    chosen = content.architectures()[example] if example else {"title": "", "summary": "",
                                                                "services": []}
    return {"schema": SCHEMA, "title": chosen["title"], "author": author,
            "summary": chosen["summary"], "services": list(chosen["services"]),
            "matrix": [], "controls": []}


def row(service: str, item: str, owner: str, justification: str) -> dict[str, str]:
    """One matrix row: who owns ``item`` of ``service``, and why."""
    return {"service": service, "item": item, "owner": owner, "justification": justification}


def problems(architecture: Any) -> tuple[list[str], int]:
    """What keeps ``architecture`` from being complete, and how many checks were made."""
    if not isinstance(architecture, dict):
        return ["the architecture must be a dict made with template()"], 1
    found: list[str] = []
    checks = 0

    def need(ok: bool, problem: str) -> None:
        nonlocal checks
        checks += 1
        if not ok:
            found.append(problem)

    known_services, known_items = content.services(), content.items()
    services = [s for s in architecture.get("services", []) if isinstance(s, str)]
    rows = [r for r in architecture.get("matrix", []) if isinstance(r, dict)]
    controls = [c for c in architecture.get("controls", []) if isinstance(c, str) and c.strip()]
    need(bool(str(architecture.get("title", "")).strip()), "give the architecture a title")
    need(bool(str(architecture.get("summary", "")).strip()), "say what it does in the summary")
    need(len(services) >= MIN_SERVICES, f"use at least {MIN_SERVICES} services")
    for service in services:
        need(service in known_services, f"{service!r} is not a service of this course")
        count = sum(r.get("service") == service for r in rows)
        name = known_services.get(service, {}).get("name", service)
        need(count >= MIN_ROWS_PER_SERVICE,
             f"{name}: place at least {MIN_ROWS_PER_SERVICE} tasks (has {count})")
    for n, (entry, ok) in enumerate(zip(rows, justified(rows), strict=True), 1):
        service = known_services.get(entry.get("service"), {}).get("name", entry.get("service"))
        task = known_items.get(entry.get("item"), {}).get("name", entry.get("item"))
        where = f"row {n} ({service}: {task})"
        need(entry.get("service") in services, f"{where}: its service is not in services")
        need(entry.get("item") in known_items, f"{where}: unknown responsibility item")
        need(entry.get("owner") in content.parties(),
             f"{where}: owner must be one of {', '.join(content.parties())}")
        need(ok,
             f"{where}: say in your own words why this owner is right (what they do or decide "
             "here); a sentence repeated on other rows with other names does not count")
    need(len(controls) >= MIN_CONTROLS, f"name at least {MIN_CONTROLS} controls you would add")
    return found, checks


def _words(text: Any) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", str(text).lower()) if len(w) > 1]


def _row_words(entry: dict) -> set[str]:
    """The words a row gives anyway: its service's and task's ids and names, every owner."""
    service = content.services().get(entry.get("service"), {})
    item = content.items().get(entry.get("item"), {})
    parties = " ".join(f"{p['id']} {p['label']}" for p in content.parties().values())
    return set(_words(" ".join(map(str, [entry.get("service"), service.get("name", ""),
                                         entry.get("item"), item.get("name", ""), parties]))))


def own_words(entry: dict) -> set[str]:
    """The justification's words beyond its row's own names and the common little words:
    what the student says about this owner and this task."""
    return set(_words(entry.get("justification", ""))) - _row_words(entry) - COMMON_WORDS


def shape(entry: dict) -> tuple[str, ...]:
    """The justification without its row's names: two rows of one shape are one template
    sentence with the names swapped ("Customer runs the iam of lambda, as AWS says.")."""
    ignored = _row_words(entry) | COMMON_WORDS
    return tuple(w for w in _words(entry.get("justification", "")) if w not in ignored)


def justified(rows: list[dict]) -> list[bool]:
    """For each row, whether its justification counts: MIN_OWN_WORDS words of its own, and
    no other row of the same shape (a template sentence)."""
    shapes = Counter(shape(entry) for entry in rows)
    return [len(own_words(entry)) >= MIN_OWN_WORDS and shapes[shape(entry)] == 1
            for entry in rows]


def completeness(architecture: Any) -> float:
    """The share of completeness checks ``architecture`` passes, times the share of its rows
    whose justification counts, in [0, 1]: filler earns nothing however well-formed the rest
    is; 0 until it has at least one matrix row, so a template shared untouched earns nothing."""
    if not isinstance(architecture, dict) or not architecture.get("matrix"):
        return 0.0
    found, checks = problems(architecture)
    rows = [r for r in architecture["matrix"] if isinstance(r, dict)]
    return (checks - len(found)) / checks * (sum(justified(rows)) / len(rows) if rows else 0)


def service_name(service: Any) -> str:
    """A service as a student reads it ("AWS Elastic Beanstalk"); an unknown id as it is."""
    known = content.services().get(service) if isinstance(service, str) else None
    return known["name"] if known else str(service)


class Card:
    """A one-page card of an architecture: services, matrix with reasons, controls."""

    def __init__(self, architecture: dict[str, Any]):
        self.architecture = architecture

    def _repr_html_(self) -> str:
        arch, parties, items = self.architecture, content.parties(), content.items()
        rows = [{"service": service_name(r["service"]),
                 "task": items.get(r["item"], {}).get("name", r["item"]),
                 "symbol": parties.get(r["owner"], {}).get("symbol", ""), "owner": r["owner"],
                 "justification": r["justification"]} for r in arch.get("matrix", [])]
        return pages.render("card.html.j2", title=arch.get("title", ""),
                            author=arch.get("author", ""), summary=arch.get("summary", ""),
                            services=[service_name(s) for s in arch.get("services", [])],
                            rows=rows,
                            controls=arch.get("controls", []), problems=problems(arch)[0],
                            by_hand=BY_HAND)

    def __repr__(self) -> str:
        arch = self.architecture
        author = f" by {arch['author']}" if arch.get("author") else ""
        lines = [f"{arch.get('title') or 'Your architecture (no title yet)'}{author}",
                 arch.get("summary", "")]
        if not arch.get("matrix"):
            lines.append("No rows yet.")
        lines += [f"- {r['service']} / {r['item']}: {r['owner']} ({r['justification']})"
                  for r in arch.get("matrix", [])]
        lines += [f"* control: {c}" for c in arch.get("controls", [])]
        return "\n".join(lines)


def share(architecture: dict[str, Any]) -> Card:
    """Record the architecture for grading (once it has a matrix row) and return its card;
    the record line shows here only when no cell (the builder's) shows it already."""
    from . import answers

    if isinstance(architecture, dict) and architecture.get("matrix"):
        answers.record(ITEM, architecture)
    if not answers.shown(ITEM):
        answers.show(ITEM)
    return Card(architecture)


def builder(example: str | None = None, author: str = "") -> Any:
    """Show the capstone builder (set to the recorded architecture, else to ``example``) and
    the record line; return it, so ``builder.value`` gives the architecture to code."""
    from IPython.display import display

    from . import answers
    from .widgets.capstone_builder import CapstoneBuilder

    form = CapstoneBuilder(example, author)
    display(form)
    answers.show(ITEM)
    return form


def export(architecture: dict[str, Any], path: str = "my-architecture.json") -> Path:
    """Write the architecture as a shareable file in the documented format
    (``course/schemas/capstone.json``); refuses one that does not match it."""
    schema = json.loads((Path(__file__).parent / "schemas" / "capstone.json").read_text())
    fastjsonschema.validate(schema, architecture)
    out = Path(path)
    out.write_text(json.dumps(architecture, indent=2), encoding="utf-8")
    return out


class Examples:
    """The example architectures, for a student who would rather not describe their own."""

    def _repr_html_(self) -> str:
        return pages.render("examples.html.j2", examples=content.architectures().values(),
                            service_name=service_name)

    def __repr__(self) -> str:
        return "\n".join(f"{e['id']}: {e['title']} ({', '.join(e['services'])})"
                         for e in content.architectures().values())


def examples() -> Examples:
    """The example architectures as a table."""
    return Examples()
