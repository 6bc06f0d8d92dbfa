"""Graded item kinds. Each kind (single, multiple, matrix, architecture, ordering) is one
module here named after the ``kind`` an item declares in ``course/data/checkpoints/*.toml``,
and holds one subclass of :class:`Kind`: how an answer of that kind is checked, scored,
described, fed back, counted in the statistics and asked with a widget. Everything else
(recording, the grader's preprocessors, statistics, salvage) asks the item's kind and never
looks at the type of a key or an answer. Adding a kind is one module, its data and tests."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from .. import content

Answer = str | list[str] | dict[str, Any]
MAX_DEPTH = 8
"""The deepest nesting a plain answer may have (a capstone architecture needs 3)."""
MAX_BYTES = 200_000
"""The largest answer, as JSON, that is read at all (a capstone needs a few kB)."""


class InvalidAnswer(ValueError):
    """An answer that does not fit the item it is given for; the message is one line for the
    student: the item, what is wrong, what is allowed, and an example. IPython shows that
    line instead of a traceback (``_render_traceback_``); the cell still fails."""

    def _render_traceback_(self) -> list[str]:
        return [f"Answer not recorded: {self}"]


@dataclass
class Mark:
    """One line of graded feedback: an option or row, and how the student did on it.

    ``state`` is ``right`` (chosen and right), ``wrong`` (chosen and wrong), ``missed``
    (right but not chosen), or ``""`` (neither, or not revealed); ``words`` says it in words
    where the usual ones (your choice, right...) do not fit, and is ``None`` where ``answer``
    already says it ("Not answered"): the state is said once."""

    text: str
    state: str = ""
    answer: str = ""
    why: str = ""
    words: str | None = ""


@dataclass
class StatRow:
    """How a class did on an item (``row`` empty) or on one row or position of it."""

    row: str
    right: int
    right_answer: str
    wrong: Counter = field(default_factory=Counter)
    why: str = ""


@dataclass
class Control:
    """What ``ask`` shows for an item: a widget with ``value`` and ``on_change``, the same
    question as static HTML where widgets do not render, and the code way to answer."""

    widget: Any
    html: str
    hint: str


class Kind(ABC):
    """One graded item of a kind: the item id and its definition from the checkpoint data."""

    hand_graded: bool = False
    """Whether part of an answer of this kind is text that a person grades."""
    shuffled: bool = False
    """Whether its ``options`` are shown in an order of each student's own (not for an
    ordering, whose shown order is where the student starts from)."""
    instruction: str = ""
    """What the student does, in the item's header ("choose one")."""
    credit_rule: str = ""
    """How an answer scores, in the item's header, in the words of :meth:`fraction`."""

    def __init__(self, item: str, definition: dict[str, Any]):
        self.item, self.definition = item, definition
        self.prompt: str = definition["prompt"]
        self.variant: str = definition.get("version", "a")

    @abstractmethod
    def canonical(self, answer: Any) -> Answer:
        """``answer`` (plain JSON) in its one canonical form, or :meth:`refuse` it."""

    @abstractmethod
    def fraction(self, key: Any, answer: Answer) -> float:
        """The share of ``key`` a canonical ``answer`` gets right, in [0, 1]."""

    @abstractmethod
    def describe(self, answer: Answer) -> str:
        """A canonical answer as one line of text, the way the student sees it."""

    @abstractmethod
    def allowed(self) -> str:
        """What an answer may be, in a few words for an error message."""

    @abstractmethod
    def example(self) -> Answer:
        """A well-formed answer to show in a hint (not the right one)."""

    @abstractmethod
    def control(self, value: Answer | None, order: list[str] | None = None) -> Control:
        """The widget ``ask`` shows, set to ``value``; a kind with options shows them in
        ``order`` when given (answers are options' texts, so the order only shows)."""

    @abstractmethod
    def marks(self, key: Any, answer: Answer | None, why: Any, reveal: bool) -> list[Mark]:
        """The feedback lines for ``answer`` against ``key``; the right answer shows only
        when ``reveal``."""

    def unfinished(self, answer: Answer) -> str:
        """What a recorded ``answer`` still leaves out, in words ("4 of 6 rows still to
        place"), so a part-done answer is never shown as done; "" when nothing is left."""
        return ""

    def summary(self, key: Any, answer: Answer | None, reveal: bool) -> list[str]:
        """Lines of feedback before the marks (none unless a kind has some)."""
        return []

    def sum_line(self, key: Any, answer: Answer | None, score: float, points: float) -> str:
        """The partial-credit sum behind ``score`` (e.g. "+1 - 1 = 0"), so a
        student sees why a right choice still scored 0; "" where a score is all or nothing."""
        return ""

    def check(self, answer: Any) -> Answer:
        """``answer`` made canonical, or :class:`InvalidAnswer`. Only plain JSON of bounded
        size and depth counts: an object that merely compares equal to an option is refused."""
        return self.canonical(plain(answer, self.item))

    def refuse(self, answer: Any, problem: str = "is not an answer of the right kind"
               ) -> InvalidAnswer:
        """The one-line error for ``answer``: the item, the problem, what is allowed, an example."""
        shown = repr(answer)  # as typed in Python; checked plain, so shallow and bounded
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return InvalidAnswer(f"{self.item}: {shown} {problem}. Allowed: {self.allowed()}. "
                             f"For example: {self.code()}")

    def code(self, value: Answer | None = None) -> str:
        """The ``answer(...)`` call that gives ``value`` (the example by default) as code."""
        return f"answer({self.item!r}, {value if value is not None else self.example()!r})"

    @abstractmethod
    def hint(self) -> str:
        """How to answer in code, shown under the widget (placeholders, no real option, so
        that it suggests nothing)."""

    def statistics(self, key: Any, answers: list[Answer | None], why: Any) -> list[StatRow]:
        """The item's row: who got it fully right, and the wrong answers given."""
        right = [a is not None and self.fraction(key, a) >= 1.0 for a in answers]
        wrong = Counter(self.describe(a) if a is not None else "no answer"
                        for a, ok in zip(answers, right, strict=True) if not ok)
        return [StatRow("", sum(right), self.describe_key(key), wrong,
                        why if isinstance(why, str) else "")]

    def describe_key(self, key: Any) -> str:
        """The right answer as one line (for the statistics)."""
        return self.describe(key)


def plain(answer: Any, item: str = "") -> Any:
    """``answer`` as plain JSON, refused (:class:`InvalidAnswer`) when it is not JSON, or is
    nested deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_BYTES` as JSON."""
    where = f"{item}: " if item else ""
    if _depth(answer) > MAX_DEPTH:
        raise InvalidAnswer(f"{where}the answer is nested more than {MAX_DEPTH} levels deep")
    try:
        text = json.dumps(answer)
    except (TypeError, ValueError):
        raise InvalidAnswer(f"{where}an answer is text, a list of texts or a dict") from None
    if len(text) > MAX_BYTES:
        raise InvalidAnswer(f"{where}the answer is {len(text):,} bytes as JSON, more than "
                            f"{MAX_BYTES:,}")
    return json.loads(text)


def _depth(value: Any, level: int = 0) -> int:
    """How deep ``value`` nests, counting no further than one level past the limit (so a
    value nested a million levels deep costs no more than a shallow one, and no recursion
    error)."""
    deepest, todo = level, [(value, level)]
    while todo:
        value, level = todo.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(value, dict):
            todo += [(v, level + 1) for v in value.values()]
        elif isinstance(value, list | tuple):
            todo += [(v, level + 1) for v in value]
    return deepest


def of(item: str, variant: str = "a") -> Kind:
    """Version ``variant`` of graded ``item``, as a kind its checkpoint data declares."""
    definition = content.checkpoints().get(item)
    if definition is None:
        raise InvalidAnswer(f"{item!r} is not a graded item of this course")
    version = definition["variants"].get(variant)
    if version is None:
        raise InvalidAnswer(f"{item!r} has no version {variant!r}")
    return _module(definition["kind"]).KIND(item, version)


def practice(question: dict[str, Any]) -> Kind:
    """A practice question as the kind that scores it, by the same rules as graded items."""
    return _module("multiple" if question["kind"] == "multiple" else "single").KIND(
        question["id"], question)


def _module(kind: str):
    return import_module(f"{__name__}.{kind}")
