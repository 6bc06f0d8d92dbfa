"""One question's options as keyboard-operable controls: radio buttons for a single answer,
a checkbox per option for several."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

Value = str | list[str] | None


class Choice(widgets.VBox):
    """The options of one question; ``value`` is the chosen option, or the list of them."""

    def __init__(self, options: list[str], multiple: bool, value: Value = None):
        self.multiple = multiple
        self.options = options
        self._setting = False
        if multiple:
            chosen = set(value or [])
            self._boxes = [
                widgets.Checkbox(value=option in chosen, description=option, indent=False,
                                 layout=widgets.Layout(width="auto"))
                for option in options
            ]
            controls: list[widgets.Widget] = list(self._boxes)
        else:
            self._radio = widgets.RadioButtons(options=options, value=value,
                                               layout=widgets.Layout(width="auto"))
            controls = [self._radio]
        super().__init__(controls)
        self.add_class("course-choice")  # one spacing for both kinds (course.css)
        if multiple:  # keyboard.js makes it a group named by the question above it
            self.add_class("course-choice-multiple")

    @property
    def value(self) -> Value:
        if self.multiple:
            return [box.description for box in self._boxes if box.value]
        return self._radio.value

    @value.setter
    def value(self, value: Value) -> None:
        self._setting = True
        try:
            if self.multiple:
                for box in self._boxes:
                    box.value = box.description in (value or [])
            else:
                self._radio.value = value
        finally:
            self._setting = False

    def on_change(self, callback: Callable[[Value], None]) -> None:
        """Call ``callback`` with the new value after each change not made by ``value = ...``."""

        def changed(_change: object) -> None:
            if not self._setting:
                callback(self.value)

        for control in self._boxes if self.multiple else [self._radio]:
            control.observe(changed, names="value")
