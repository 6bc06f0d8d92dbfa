"""The capstone: a student's own security architecture (``course/capstone.py``), checked
against ``course/schemas/capstone.json`` and scored by the share of completeness checks it
passes. Its hidden key is the word ``"complete"``: there is no one right architecture."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema

from .. import capstone, pages
from . import Answer, Control, Kind, Mark


@cache
def _validate():
    schema = Path(__file__).parents[1] / "schemas" / "capstone.json"
    return fastjsonschema.compile(json.loads(schema.read_text()))


class Architecture(Kind):
    """A dict made with ``capstone.template()`` and shared with ``capstone.share()``."""

    hand_graded = True  # the justification of each row
    instruction = "build and share"
    credit_rule = "the share of the completeness checks it passes"

    def canonical(self, answer: Any) -> Answer:
        try:
            return _validate()(answer)
        except fastjsonschema.JsonSchemaException as error:
            raise self.refuse(answer, f"does not fit the architecture format ({error.message})"
                              ) from None

    def fraction(self, key: Any, answer: Answer) -> float:
        return capstone.completeness(answer)

    def describe(self, answer: Answer) -> str:
        return (f"architecture {answer.get('title')!r}: {len(answer.get('services', []))} "
                f"services, {len(answer.get('matrix', []))} rows, "
                f"{len(answer.get('controls', []))} controls")

    def allowed(self) -> str:
        return "a dict made with capstone.template() and filled with capstone.row(...)"

    def example(self) -> Answer:
        return capstone.template()

    def code(self, value: Answer | None = None) -> str:
        return "capstone.share(my_architecture)"

    def hint(self) -> str:
        return ("Build your architecture with capstone.builder(), or share it in code: "
                f"{self.code()}.")

    def marks(self, key: Any, answer: Answer | None, why: Any, reveal: bool) -> list[Mark]:
        """How many completeness checks passed, each one that failed, then every row with its
        justification: what the instructor grades by hand, also for an answer built in the
        capstone builder, whose rows are in no cell's code."""
        found, checks = (capstone.problems(answer) if answer is not None
                         else (["nothing shared"], 1))
        rows = [r for r in (answer or {}).get("matrix", []) if isinstance(r, dict)]
        own = sum(capstone.justified(rows))  # the score is the checks' share times this one's
        return [Mark(f"Completeness: {checks - len(found)} of {checks} checks passed; "
                     f"{own} of {len(rows)} rows give a reason of their own."),
                *(Mark(gap, "wrong") for gap in found),
                *(Mark(f"{r.get('service')} / {r.get('item')}", answer=str(r.get("owner")),
                       why=str(r.get("justification", ""))) for r in rows)]

    def describe_key(self, key: Any) -> str:
        return "complete"

    def control(self, value: Answer | None, order: list[str] | None = None) -> Control:
        import ipywidgets as widgets

        html = pages.fragment("widgets/common.html.j2", "paragraph", self.hint())
        return Control(widgets.HTML(html), html, self.hint())


KIND = Architecture
