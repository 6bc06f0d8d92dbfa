"""The order a student sees a question's options in. Answers are recorded by option text,
never by position, so the order changes only what is shown: a practice check shows a new
order at every attempt (a position learnt by heart tells nothing), a graded item one stable
order per student (seeded by who they are and the item, so a reopened notebook looks the
same). Options such as "All of the above" keep their place at the end."""

from __future__ import annotations

import hashlib
import random
import re

LAST = re.compile(r"^(all|none|both|neither) of (the )?(above|these|them|options)\W*$",
                  re.IGNORECASE)
"""Options that read only as the last one ("All of the above", "None of these")."""

_shown: dict[str, tuple[str, ...]] = {}
"""The order each practice question showed last in this kernel."""


def _shuffled(options: list[str], rng: random.Random) -> list[str]:
    movable = [option for option in options if not LAST.match(option)]
    rng.shuffle(movable)
    return movable + [option for option in options if LAST.match(option)]


def graded(options: list[str], student: str | None, item: str) -> list[str]:
    """The order ``student`` sees the options of graded ``item`` in: the same every time."""
    seed = hashlib.sha256(f"{student or ''}\0{item}".encode()).digest()
    return _shuffled(options, random.Random(seed))


def practice(question_id: str, options: list[str]) -> list[str]:
    """A new order for this attempt at a practice check, never the one its last attempt in
    this kernel showed (when the options allow another)."""
    rng, previous = random.Random(), _shown.get(question_id)
    order = _shuffled(options, rng)
    if len({o for o in options if not LAST.match(o)}) > 1:
        while tuple(order) == previous:
            order = _shuffled(options, rng)
    _shown[question_id] = tuple(order)
    return order
