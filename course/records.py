"""Recorded answers: how a graded answer is written into a notebook's outputs, read back
from a notebook file, and checked. Pure functions: the student's kernel and the grader's
process both use them, so an answer reads the same wherever it is read."""

from __future__ import annotations

import json
from typing import Any

from . import content

MIME = "application/vnd.aws-srm-course.answer+json"
OWNERS = ("AWS", "Customer", "Shared")

Answer = str | list[str] | dict[str, str]


class InvalidAnswer(ValueError):
    """An answer that does not fit the item it is given for."""


def describe(answer: Answer | None) -> str:
    """The answer as one line of text, the way a student sees it."""
    if answer is None:
        return "no answer yet"
    if isinstance(answer, dict) and "matrix" in answer:
        return (f"architecture {answer.get('title')!r}: {len(answer.get('services', []))} "
                f"services, {len(answer.get('matrix', []))} rows, "
                f"{len(answer.get('controls', []))} controls")
    if isinstance(answer, dict):
        return "; ".join(f"{row}: {owner}" for row, owner in answer.items()) or "no rows yet"
    if isinstance(answer, list):
        return ", ".join(answer) or "nothing chosen"
    return answer


def bundle(item: str, answer: Answer | None, at: float = 0.0) -> dict[str, Any]:
    """The display bundle that records ``answer`` (given at time ``at``): readable anywhere,
    parseable by the grader."""
    if answer is None:
        text = f"No answer recorded yet for {item}."
    else:
        text = f"Recorded answer for {item}: {describe(answer)}"
    html = f'<p class="course-record"><strong>{"✎" if answer is None else "✔"}</strong> {text}</p>'
    return {"text/plain": text, "text/html": html,
            MIME: {"item": item, "answer": answer, "at": at}}


def find_timed(notebook: dict[str, Any]) -> dict[str, tuple[Any, float]]:
    """Every item's last recorded, non-empty answer in a notebook, with when it was given."""
    found: dict[str, tuple[Any, float]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if isinstance(cell, dict) else []:
            record = output.get("data", {}).get(MIME) if isinstance(output, dict) else None
            if (isinstance(record, dict) and isinstance(record.get("item"), str)
                    and record.get("answer") is not None):
                at = record.get("at")
                found[record["item"]] = (record["answer"],
                                         float(at) if isinstance(at, int | float) else 0.0)
    return found


def find(notebook: dict[str, Any]) -> dict[str, Any]:
    """Every item's last recorded, non-empty answer in a notebook (a plain JSON dict)."""
    return {item: answer for item, (answer, _at) in find_timed(notebook).items()}


def check(item: str, answer: Any) -> Answer:
    """``answer`` made canonical for graded ``item``, or :class:`InvalidAnswer` saying why.

    Only plain JSON values count: an object that merely compares equal to an option is
    refused, whatever its ``==`` says."""
    definition = content.checkpoints().get(item)
    if definition is None:
        raise InvalidAnswer(f"{item!r} is not a graded item of this course")
    try:
        plain = json.loads(json.dumps(answer))
    except (TypeError, ValueError, RecursionError):
        raise InvalidAnswer(f"{item}: an answer is text, a list of texts or a dict") from None
    try:
        return _canonical(item, definition, plain)
    except TypeError:
        raise InvalidAnswer(f"{item}: {plain!r} is not an answer of the right kind") from None


def _canonical(item: str, definition: dict[str, Any], answer: Any) -> Answer:
    kind = definition["kind"]
    if kind == "architecture":
        if not isinstance(answer, dict):
            raise InvalidAnswer(f"{item}: give the architecture as a dict made with template()")
        return answer
    if kind == "single":
        if not isinstance(answer, str) or answer not in definition["options"]:
            raise InvalidAnswer(f"{item}: {answer!r} is not one of {definition['options']}")
        return answer
    if kind == "multiple":
        chosen = [answer] if isinstance(answer, str) else answer
        if not isinstance(chosen, list) or not set(chosen) <= set(definition["options"]):
            raise InvalidAnswer(f"{item}: give a list of options from {definition['options']}")
        return [option for option in definition["options"] if option in chosen]
    rows = [row["id"] for row in definition["rows"]]
    if not isinstance(answer, dict) or not set(answer) <= set(rows):
        raise InvalidAnswer(f"{item}: give a dict from rows {rows} to one of {list(OWNERS)}")
    wrong = {row: owner for row, owner in answer.items() if owner not in OWNERS}
    if wrong:
        raise InvalidAnswer(f"{item}: owners must be one of {list(OWNERS)}, not {wrong}")
    return {row: answer[row] for row in rows if row in answer}
