"""A multiple-answer item: any options of a list. Partial credit: right choices minus wrong
choices, over the number of right ones, never below 0."""

from __future__ import annotations

from typing import Any

from . import Answer
from .single import Single


class Multiple(Single):
    """Pick every option that applies."""

    multiple = True
    instruction = "choose all that apply"
    credit_rule = ("each right choice earns its share, each wrong choice takes one share away, "
                   "never below 0")

    def canonical(self, answer: Any) -> Answer:
        chosen = [answer] if isinstance(answer, str) else answer
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise self.refuse(answer)
        unknown = [c for c in chosen if c not in self.options]
        if unknown:
            raise self.refuse(answer, f"has {unknown[0]!r}, which is not one of the options")
        return [option for option in self.options if option in chosen]

    def fraction(self, key: Any, answer: Answer) -> float:
        hits = len(set(answer) & set(key)) - len(set(answer) - set(key))
        return max(0.0, hits / len(key))

    def sum_line(self, key: Any, answer: Answer | None, score: float, points: float) -> str:
        if not isinstance(answer, list) or not key:
            return ""
        share = points / len(key)
        hits, misses = len(set(answer) & set(key)), len(set(answer) - set(key))
        floor = " (never below 0)" if hits < misses else ""
        return f"+{hits * share:.3g} \N{MINUS SIGN}{misses * share:.3g} = {score:g}{floor}"

    def describe(self, answer: Answer) -> str:
        return ", ".join(answer) or "nothing chosen"

    def allowed(self) -> str:
        return "a list of options, each copied exactly: " + " | ".join(self.options)

    def example(self) -> Answer:
        return self.options[:2]


KIND = Multiple
