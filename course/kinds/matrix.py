"""A responsibility matrix: each row (a security task) placed with an owner from
``course/data/parties.toml`` (AWS, Customer, Shared, N/A). Partial credit: the share of rows
placed right; a row left out counts as wrong."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import content
from . import Answer, Control, Kind, Mark, StatRow


def owners() -> list[str]:
    """Who can own a task: every party of the course data, not applicable included."""
    return list(content.parties())


class Matrix(Kind):
    """Place each of ``rows`` with an owner."""

    instruction = "place every row"
    credit_rule = "each row placed right earns its share"

    @property
    def rows(self) -> dict[str, str]:
        """Row id -> the task as students read it."""
        return {row["id"]: row["task"] for row in self.definition["rows"]}

    def canonical(self, answer: Any) -> Answer:
        if not isinstance(answer, dict):
            raise self.refuse(answer)
        unknown = [row for row in answer if row not in self.rows]
        if unknown:
            raise self.refuse(answer, f"has the row {unknown[0]!r}, which this matrix has not")
        wrong = {row: owner for row, owner in answer.items() if owner not in owners()}
        if wrong:
            row, owner = next(iter(wrong.items()))
            raise self.refuse(answer, f"places {row!r} with {owner!r}, who is not an owner")
        return {row: answer[row] for row in self.rows if row in answer}

    def fraction(self, key: Any, answer: Answer) -> float:
        return sum(answer.get(row) == owner for row, owner in key.items()) / len(key)

    def sum_line(self, key: Any, answer: Answer | None, score: float, points: float) -> str:
        if not isinstance(answer, dict) or not key:
            return ""
        right = sum(answer.get(row) == owner for row, owner in key.items())
        return (f"{right} of {len(key)} rows right \N{MULTIPLICATION SIGN} "
                f"{points / len(key):.3g} = {score:g}")

    def describe(self, answer: Answer) -> str:
        """Each row as the student reads it (its task), never its internal id."""
        return "; ".join(f"{self.rows[row]}: {owner}" for row, owner in answer.items()) \
            or "no rows yet"

    def unfinished(self, answer: Answer) -> str:
        left = sum(row not in answer for row in self.rows)
        return f"{left} of {len(self.rows)} rows still to place" if left else ""

    def allowed(self) -> str:
        return (f"a dict from rows ({', '.join(self.rows)}) to an owner "
                f"({', '.join(owners())})")

    def example(self) -> Answer:
        first = next(iter(self.rows))
        return {first: owners()[0]}

    def hint(self) -> str:
        rows = "{" + ", ".join(f"{row!r}: owner" for row in self.rows) + "}"
        return (f"Or answer in code: answer({self.item!r}, {rows}), each owner one of "
                f"{', '.join(map(repr, owners()))}.")

    def marks(self, key: Any, answer: Answer | None, why: Any, reveal: bool) -> list[Mark]:
        """Each row right or wrong, what the student said, the owner (when revealed), why.
        An unanswered row says so once, in its sentence ("Not answered. Right owner: AWS")."""
        given = answer if isinstance(answer, dict) else {}
        reasons = why if isinstance(why, dict) else {}
        marks = []
        for row, owner in key.items():
            right = given.get(row) == owner
            said = f"You said {given[row]}" if row in given else "Not answered"
            told = f"{said}. Right owner: {owner}" if reveal and not right else said
            marks.append(Mark(self.rows.get(row, row), "right" if right else "wrong", told,
                              reasons.get(row, ""),
                              ("right" if right else "wrong") if row in given else None))
        return marks

    def statistics(self, key: Any, answers: list[Answer | None], why: Any) -> list[StatRow]:
        """The whole matrix, then each row: how many placed it right, the commonest wrong owner."""
        rows = super().statistics(key, answers, why)
        reasons = why if isinstance(why, dict) else {}
        for row, owner in key.items():
            given = [a.get(row) if isinstance(a, dict) else None for a in answers]
            rows.append(StatRow(row, sum(g == owner for g in given), owner,
                                Counter(g or "no answer" for g in given if g != owner),
                                reasons.get(row, "")))
        return rows

    def control(self, value: Answer | None, order: list[str] | None = None) -> Control:
        from ..widgets.matrix import MatrixRows, rows_html

        return Control(MatrixRows(self.rows, value), rows_html(self.prompt, self.rows),
                       self.hint())


KIND = Matrix
