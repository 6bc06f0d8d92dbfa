"""A multiple-answer item: any options of a list. Partial credit: right choices minus wrong
choices, over the number of right ones, never below 0."""

from __future__ import annotations

from typing import Any

from . import Answer
from .single import Single


class Multiple(Single):
    """Pick every option that applies."""

    multiple = True

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

    def describe(self, answer: Answer) -> str:
        return ", ".join(answer) or "nothing chosen"

    def allowed(self) -> str:
        return "a list of options, each copied exactly: " + " | ".join(self.options)

    def example(self) -> Answer:
        return self.options[:2]


KIND = Multiple
