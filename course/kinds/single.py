"""A single-answer item: one option of a list. All or nothing."""

from __future__ import annotations

from typing import Any

from . import Answer, Control, Kind, Mark


class Single(Kind):
    """Pick one of ``options``."""

    multiple = False
    shuffled = True
    instruction = "choose one"
    credit_rule = "all or nothing"

    @property
    def options(self) -> list[str]:
        return self.definition["options"]

    def canonical(self, answer: Any) -> Answer:
        if not isinstance(answer, str):
            raise self.refuse(answer)
        if answer not in self.options:
            raise self.refuse(answer, "is not one of the options")
        return answer

    def fraction(self, key: Any, answer: Answer) -> float:
        return 1.0 if answer == key else 0.0

    def describe(self, answer: Answer) -> str:
        return str(answer)

    def allowed(self) -> str:
        return "one option, copied exactly: " + " | ".join(self.options)

    def example(self) -> Answer:
        return self.options[0]

    def hint(self) -> str:
        if self.multiple:
            return (f"Or answer in code: answer({self.item!r}, [option, ...]), each option "
                    "copied from the list above.")
        return (f"Or answer in code: answer({self.item!r}, option), option copied from the "
                "list above.")

    def chosen(self, answer: Answer | None) -> set[str]:
        return {answer} if isinstance(answer, str) else set(answer or [])

    def summary(self, key: Any, answer: Answer | None, reveal: bool) -> list[str]:
        """The student's answer, and the right one when revealed."""
        lines = [f"Your answer: {self.describe(answer) if answer is not None else 'none'}"]
        return lines + [f"Right answer: {self.describe(key)}"] * reveal

    def marks(self, key: Any, answer: Answer | None, why: Any, reveal: bool) -> list[Mark]:
        """Each option: chosen and right, chosen and wrong, missed (only when the right
        answer is revealed), or neither."""
        chosen, right = self.chosen(answer), self.chosen(key)
        marks = []
        for option in self.options:
            if option in chosen:
                state = "right" if option in right else "wrong"
            else:
                state = "missed" if option in right and reveal else ""
            marks.append(Mark(option, state))
        return marks

    def control(self, value: Answer | None, order: list[str] | None = None) -> Control:
        from .. import pages
        from ..widgets.choice import Choice

        shown = order or self.options
        return Control(Choice(shown, self.multiple, value),
                       pages.fragment("widgets/common.html.j2", "choices", self.prompt, shown),
                       self.hint())


KIND = Single
