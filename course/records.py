"""Recorded answers: how a graded answer is written into a notebook's outputs, read back
from a notebook file, and checked. Pure functions: the student's kernel and the grader's
process both use them, so an answer reads the same wherever it is read.

Which record counts (docs/grading.md, "Which answer counts"): records printed by test cells
never count; among the others the newest by its own ``at`` timestamp wins (a later one in
the notebook on a tie)."""

from __future__ import annotations

from typing import Any

from . import content, kinds, pages
from .kinds import Answer, InvalidAnswer

MIME = "application/vnd.aws-srm-course.answer+json"
OWNERS: tuple[str, ...] = tuple(content.parties())
"""Who can own a responsibility (AWS, Customer, Shared, N/A), from the course data."""

__all__ = ["MIME", "OWNERS", "Answer", "InvalidAnswer", "bundle", "check", "describe", "find",
           "find_timed", "is_test"]


def describe(item: str, answer: Answer | None) -> str:
    """The answer to ``item`` as one line of text, the way a student sees it."""
    if answer is None:
        return "no answer yet"
    try:
        kind = kinds.of(item)
        return kind.describe(kind.check(answer))
    except InvalidAnswer:
        return "an answer that does not fit this item"


def bundle(item: str, answer: Answer | None, at: float = 0.0) -> dict[str, Any]:
    """The display bundle that records ``answer`` (given at time ``at``): readable anywhere,
    parseable by the grader."""
    text = "Not answered yet" if answer is None else f"Saved: {describe(item, answer)}"
    html = pages.render("widgets/record.html.j2", empty=answer is None,
                        answer=None if answer is None else describe(item, answer))
    return {"text/plain": text, "text/html": html,
            MIME: {"item": item, "answer": answer, "at": at}}


def is_test(cell: Any) -> bool:
    """A graded test cell (nbgrader metadata, as a plain dict): records it prints never count."""
    nbgrader = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
    return (isinstance(nbgrader, dict) and bool(nbgrader.get("grade"))
            and not nbgrader.get("solution") and cell.get("cell_type", "code") == "code")


def find_timed(notebook: dict[str, Any]) -> dict[str, tuple[Any, float]]:
    """Every item's newest recorded, non-empty answer in a notebook, with when it was given
    (records in test cells left out)."""
    found: dict[str, tuple[Any, float]] = {}
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict) or is_test(cell):
            continue
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(MIME) if isinstance(output, dict) else None
            if (isinstance(record, dict) and isinstance(record.get("item"), str)
                    and record.get("answer") is not None):
                at = record.get("at")
                at = float(at) if isinstance(at, int | float) and not isinstance(at, bool) else 0.0
                if at >= found.get(record["item"], (None, at))[1]:
                    found[record["item"]] = (record["answer"], at)
    return found


def find(notebook: dict[str, Any]) -> dict[str, Any]:
    """Every item's newest recorded, non-empty answer in a notebook (a plain JSON dict)."""
    return {item: answer for item, (answer, _at) in find_timed(notebook).items()}


def check(item: str, answer: Any) -> Answer:
    """``answer`` made canonical for graded ``item``, or :class:`InvalidAnswer` saying why
    in one line (the item, the allowed values, an example)."""
    return kinds.of(item).check(answer)
