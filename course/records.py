"""Recorded answers: how a graded answer is written into a notebook's outputs, read back
from a notebook file, and checked. Pure functions: the student's kernel and the grader's
process both use them, so an answer reads the same wherever it is read.

Which record counts (docs/grading.md, "Which answer counts"): records printed by test cells
never count; among the others the newest by its own ``at`` timestamp wins (a later one in
the notebook on a tie)."""

from __future__ import annotations

from typing import Any

from . import content, identity, kinds, pages
from .kinds import Answer, InvalidAnswer

MIME = "application/vnd.aws-srm-course.answer+json"
OWNERS: tuple[str, ...] = tuple(content.parties())
"""Who can own a responsibility (AWS, Customer, Shared, N/A), from the course data."""

__all__ = ["MIME", "OWNERS", "Answer", "InvalidAnswer", "bundle", "check", "describe", "find",
           "find_records", "find_timed", "identities", "is_test"]


KERNEL = "kernel"
"""As ``variant``: the version this kernel's student gets (:func:`identity.current`)."""


def _version(item: str, variant: str | None) -> str:
    return identity.current(item) if variant == KERNEL else variant or "a"


def _checked(item: str, answer: Any, variant: str | None) -> tuple[kinds.Kind, Answer] | None:
    """``answer`` made canonical by the kind of ``variant`` of ``item``, with that kind; None
    when it does not fit that version."""
    try:
        kind = kinds.of(item, _version(item, variant))
        return kind, kind.check(answer)
    except InvalidAnswer:
        return None


def describe(item: str, answer: Answer | None, variant: str | None = KERNEL) -> str:
    """The answer to ``item`` as one line of text, the way a student sees it."""
    if answer is None:
        return "no answer yet"
    checked = _checked(item, answer, variant)
    return checked[0].describe(checked[1]) if checked else "an answer that does not fit this item"


def unfinished(item: str, answer: Answer | None, variant: str | None = KERNEL) -> str:
    """What the recorded ``answer`` to ``item`` still leaves out, in words ("" if nothing)."""
    checked = None if answer is None else _checked(item, answer, variant)
    return checked[0].unfinished(checked[1]) if checked else ""


def bundle(item: str, answer: Answer | None, at: float = 0.0, stamp: bool = True
           ) -> dict[str, Any]:
    """The display bundle that records ``answer`` (given at time ``at``): readable anywhere,
    parseable by the grader. ``stamp``: with who answered and the version they saw (in the
    student's kernel; a grader rebuilding a record leaves them out)."""
    variant = identity.current(item) if stamp else None
    said = None if answer is None else describe(item, answer, variant)
    left = unfinished(item, answer, variant)
    text = "Not answered yet" if answer is None else f"Saved: {said}" + (f" · {left}" * bool(left))
    html = pages.render("widgets/record.html.j2", empty=answer is None, answer=said, left=left)
    record = {"item": item, "answer": answer, "at": at}
    if stamp:
        record |= {"student": identity.student(), "variant": variant}
    return {"text/plain": text, "text/html": html, MIME: record}


def is_test(cell: Any) -> bool:
    """A graded test cell (nbgrader metadata, as a plain dict): records it prints never count."""
    nbgrader = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
    return (isinstance(nbgrader, dict) and bool(nbgrader.get("grade"))
            and not nbgrader.get("solution") and cell.get("cell_type", "code") == "code")


def find_records(notebook: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every item's newest record with a non-empty answer in a notebook (records in test
    cells left out), its ``at`` made a float."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict) or is_test(cell):
            continue
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(MIME) if isinstance(output, dict) else None
            if (isinstance(record, dict) and isinstance(record.get("item"), str)
                    and record.get("answer") is not None):
                at = record.get("at")
                at = float(at) if isinstance(at, int | float) and not isinstance(at, bool) else 0.0
                if at >= found.get(record["item"], {"at": at})["at"]:
                    found[record["item"]] = {**record, "at": at}
    return found


def identities(found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Of each record in ``found``, who it was recorded as and the version they saw, where
    the record says so in plain strings (a hostile record's other values are ignored)."""
    kept = {}
    for item, record in found.items():
        who, version = record.get("student"), record.get("variant")
        if isinstance(version, str) and (who is None or isinstance(who, str)):
            kept[item] = {"student": who if who is None else who[:100], "variant": version[:8]}
    return kept


def find_timed(notebook: dict[str, Any]) -> dict[str, tuple[Any, float]]:
    """Every item's newest recorded, non-empty answer in a notebook, with when it was given
    (records in test cells left out)."""
    return {item: (record["answer"], record["at"])
            for item, record in find_records(notebook).items()}


def find(notebook: dict[str, Any]) -> dict[str, Any]:
    """Every item's newest recorded, non-empty answer in a notebook (a plain JSON dict)."""
    return {item: answer for item, (answer, _at) in find_timed(notebook).items()}


def check(item: str, answer: Any, variant: str | None = KERNEL) -> Answer:
    """``answer`` made canonical for ``variant`` of graded ``item`` (by default the version
    this kernel's student sees), or :class:`InvalidAnswer` saying why in one line (the item,
    the allowed values, an example)."""
    return kinds.of(item, _version(item, variant)).check(answer)
