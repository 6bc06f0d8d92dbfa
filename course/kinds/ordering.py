"""An ordering item: put every option in order (say, the layers of a service from AWS's
side to yours). Partial credit: the share of neighbouring pairs in the student's order that
stand in the right order, so swapping two neighbours costs one pair and a reversed order
scores 0. Its widget moves each option with Move up / Move down buttons (keyboard and screen
reader friendly); every move is recorded, and "Keep this order" records the order shown
without a move; nothing is recorded before either."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import ipywidgets as widgets

from .. import pages
from . import Answer, Control, Kind, Mark

TEMPLATE = "widgets/ask.html.j2"


class Ordering(Kind):
    """Put all of ``options`` (shown in the order given) in the right order."""

    instruction = "put in order"
    credit_rule = "each neighbouring pair in the right order earns its share"

    @property
    def options(self) -> list[str]:
        return self.definition["options"]

    def canonical(self, answer: Any) -> Answer:
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise self.refuse(answer)
        if sorted(answer) != sorted(self.options):
            raise self.refuse(answer, "does not hold each option exactly once")
        return answer

    def fraction(self, key: Any, answer: Answer) -> float:
        rank = {option: n for n, option in enumerate(key)}
        pairs = list(pairwise(answer))
        return sum(rank[upper] < rank[lower] for upper, lower in pairs) / len(pairs)

    def sum_line(self, key: Any, answer: Answer | None, score: float, points: float) -> str:
        if not isinstance(answer, list) or len(answer) < 2:
            return ""
        pairs = len(answer) - 1
        return (f"{round(score / points * pairs)} of {pairs} neighbouring pairs in order "
                f"\N{MULTIPLICATION SIGN} {points / pairs:.3g} = {score:g}")

    def describe(self, answer: Answer) -> str:
        return " → ".join(answer)

    def allowed(self) -> str:
        return "a list of all the options, each once, in your order: " + " | ".join(self.options)

    def example(self) -> Answer:
        return list(self.options)

    def hint(self) -> str:
        return (f"Or answer in code: answer({self.item!r}, [first, second, ...]), every option "
                "once, copied from the list above.")

    def summary(self, key: Any, answer: Answer | None, reveal: bool) -> list[str]:
        lines = [f"Your order: {self.describe(answer) if answer is not None else 'none'}"]
        return lines + [f"Right order: {self.describe(key)}"] * reveal

    def marks(self, key: Any, answer: Answer | None, why: Any, reveal: bool) -> list[Mark]:
        """Each neighbouring pair of the student's order, in the right order or not."""
        rank = {option: n for n, option in enumerate(key)}
        marks = []
        for upper, lower in pairwise(answer or []):
            right = rank[upper] < rank[lower]
            marks.append(Mark(f"{upper}, then {lower}", "right" if right else "wrong",
                              words="in order" if right else "out of order"))
        return marks

    def control(self, value: Answer | None, order: list[str] | None = None) -> Control:
        return Control(OrderList(value or self.options),
                       pages.fragment(TEMPLATE, "ordering", self.prompt, self.options),
                       self.hint())


class OrderList(widgets.VBox):
    """A numbered list whose entries move with Move up / Move down buttons; ``value`` is the
    order. The buttons stay in place and the texts move, so keyboard focus stays put; a
    status line says where the entry went."""

    def __init__(self, order: list[str]):
        self._order, self._callbacks = list(order), []
        self._setting = False
        self.labels = [widgets.HTML() for _ in order]
        self.status = widgets.HTML()
        self.keep = widgets.Button(description="Keep this order",
                                   tooltip="Record the order as it is now, without moving")
        self.keep.on_click(lambda _button: self._changed("Order recorded as it is now."))
        self.ups = [widgets.Button(description="Move up", disabled=n == 0,
                                   layout=widgets.Layout(width="auto")) for n in range(len(order))]
        self.downs = [widgets.Button(description="Move down", disabled=n == len(order) - 1,
                                     layout=widgets.Layout(width="auto"))
                      for n in range(len(order))]
        for n, (up, down) in enumerate(zip(self.ups, self.downs, strict=True)):
            up.on_click(lambda _b, n=n: self.move(n, n - 1))
            down.on_click(lambda _b, n=n: self.move(n, n + 1))
        rows = [widgets.HBox([up, down, html])
                for up, down, html in zip(self.ups, self.downs, self.labels, strict=True)]
        self._show()
        note = widgets.HTML(pages.fragment(TEMPLATE, "how_to_order"))
        super().__init__([*rows, note, widgets.HBox([self.keep]), self.status])
        self.add_class("course-ordering")

    def _show(self) -> None:
        for n, (html, option) in enumerate(zip(self.labels, self._order, strict=True)):
            html.value = pages.fragment(TEMPLATE, "position", n + 1, option)
            self.ups[n].tooltip = f"Move {option} up"  # the button's title, read out with it
            self.downs[n].tooltip = f"Move {option} down"

    def move(self, start: int, end: int) -> None:
        """Move the entry at position ``start`` to ``end`` (0-based) and say so."""
        option = self._order.pop(start)
        self._order.insert(end, option)
        self._show()
        self._changed(f"{option} moved to position {end + 1} of {len(self._order)}.")

    def _changed(self, said: str) -> None:
        self.status.value = pages.fragment(TEMPLATE, "said", said)
        if not self._setting:
            for callback in self._callbacks:
                callback(self.value)

    @property
    def value(self) -> list[str]:
        return list(self._order)

    @value.setter
    def value(self, value: list[str]) -> None:
        self._setting = True
        try:
            self._order = list(value)
            self._show()
        finally:
            self._setting = False

    def on_change(self, callback: Callable[[list[str]], None]) -> None:
        """Call ``callback`` with the order after each move or "Keep this order"."""
        self._callbacks.append(callback)


KIND = Ordering
