"""How a graded answer scores against its key. One function for every caller, so an answer
given through a widget and the same answer typed as code score the same. The rules are the
item's kind's (``course/kinds``), chosen by the kind the item declares."""

from __future__ import annotations

from typing import Any

from . import kinds
from .kinds import Answer


def fraction(item: str, key: Any, answer: Answer | None, variant: str = "a") -> float:
    """The share of ``key`` that a checked ``answer`` to version ``variant`` of ``item``
    gets right, in [0, 1]."""
    if answer is None:
        return 0.0
    return kinds.of(item, variant).fraction(key, answer)


def points(item: str, key: Any, answer: Answer | None, out_of: float, variant: str = "a"
           ) -> float:
    """The score in points, a plain float clamped to [0, out_of] as nbgrader expects."""
    share = fraction(item, key, answer, variant)
    return min(float(out_of), max(0.0, round(out_of * share, 4)))
