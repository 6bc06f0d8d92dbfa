"""The tutor: a concept's short messages, stepped through with Previous and Next."""

from __future__ import annotations

import ipywidgets as widgets

from .. import content, pages
from ._fallback import FallbackBox
from ._style import icon

TEMPLATE = "widgets/tutor.html.j2"


class Tutor(FallbackBox):
    """Steps through the tutor messages of one concept, showing "3 / 9"."""

    def __init__(self, concept_id: str):
        self.steps = content.concepts()[concept_id]["tutor"]
        self.index = 0
        self.message = widgets.HTML()
        self.message.add_class("course-tutor-step")
        self.position = widgets.Label()
        self.previous = widgets.Button(description="Previous", icon="arrow-left")
        self.next = widgets.Button(description="Next", icon="arrow-right",
                                   button_style="primary")
        self.previous.on_click(lambda _button: self.go(self.index - 1))
        self.next.on_click(lambda _button: self.go(self.index + 1))
        super().__init__(
            [self.message, widgets.HBox([self.previous, self.position, self.next])],
            html=pages.fragment(TEMPLATE, "steps", self.steps),
            text="Tutor:\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(self.steps, 1)),
        )
        self.add_class("course-tutor")
        self.go(0)

    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first and last)."""
        self.index = max(0, min(index, len(self.steps) - 1))
        self.message.value = pages.fragment(TEMPLATE, "step", self.steps[self.index],
                                            icon("tutor"))
        self.position.value = f"{self.index + 1} / {len(self.steps)}"
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.steps) - 1


def tutor(concept_id: str) -> Tutor:
    """The tutor step-through of a concept."""
    return Tutor(concept_id)
