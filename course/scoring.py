"""How a graded answer scores against its key. One function for every caller, so an answer
given through a widget and the same answer typed as code score the same."""

from __future__ import annotations

from .records import Answer

COMPLETE = "complete"
"""The key of a capstone item: it scores the share of completeness checks passed."""


def fraction(key: Answer, answer: Answer | None) -> float:
    """The share of ``key`` that ``answer`` gets right, in [0, 1].

    Single answer: all or nothing. Multiple answer: right choices minus wrong choices, over
    the number of right ones, never below 0. Matrix: the share of rows placed correctly.
    Capstone (key ``"complete"``): the share of completeness checks the architecture passes.
    """
    if answer is None:
        return 0.0
    if key == COMPLETE:
        from .capstone import completeness

        return completeness(answer)
    if isinstance(key, dict):
        if not isinstance(answer, dict):
            return 0.0
        return sum(answer.get(row) == owner for row, owner in key.items()) / len(key)
    if isinstance(key, list):
        if not isinstance(answer, list):
            return 0.0
        hits = len(set(answer) & set(key)) - len(set(answer) - set(key))
        return max(0.0, hits / len(key))
    return 1.0 if answer == key else 0.0


def points(key: Answer, answer: Answer | None, out_of: float) -> float:
    """The score in points, a plain float clamped to [0, out_of] as nbgrader expects."""
    return min(float(out_of), max(0.0, round(out_of * fraction(key, answer), 4)))
