"""The class id box of ``00-start-here``: who the student is for graded items. On a hub the
id is the hub's user name and there is nothing to type; elsewhere the student types the id
their instructor gave them once, and every graded item then shows their own version."""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import edition, identity
from ._fallback import FallbackBox

ASK = ("Your class id (as your instructor gave it to you): graded checkpoints show each "
       "student their own version of every question, chosen by this id.")


class ClassId(FallbackBox):
    """A text box and Save, or the hub's user name."""

    def __init__(self):
        self.status = widgets.HTML(self._said())
        children: list[widgets.Widget] = [self.status]
        if not edition.hub_user():
            self.box = widgets.Text(value=identity.student() or "", description="Class id",
                                    placeholder="e.g. s1234567")
            self.save_button = widgets.Button(description="Save", button_style="primary",
                                              tooltip="Keep this class id for every notebook")
            self.save_button.on_click(lambda _button: self.save())
            children = [widgets.HTML(f"<p>{html.escape(ASK)}</p>"),
                        widgets.HBox([self.box, self.save_button]), self.status]
        super().__init__(children, html=f"<p>{html.escape(ASK)}</p>{self.status.value}",
                         text=f"{ASK} {self._said(plain=True)}")

    def _said(self, plain: bool = False) -> str:
        who = identity.student()
        if hub := edition.hub_user():
            text = f"You are signed in as {hub}: graded checkpoints show your own version."
        elif who:
            text = (f"Saved: your class id is {who}. Graded checkpoints now show your own "
                    "version; one you answered before saving it may be a different question: "
                    "run its notebook again and answer the version it shows.")
        else:
            text = "No class id saved yet: graded checkpoints show the default version."
        return text if plain else f'<p role="status">{html.escape(text)}</p>'

    def save(self) -> None:
        """Keep the typed id, or say why it cannot be one."""
        try:
            identity.set_class_id(self.box.value)
        except ValueError as error:
            self.status.value = f'<p role="status">✘ {html.escape(str(error))}</p>'
            return
        self.status.value = self._said()


def class_id() -> ClassId:
    """The class id box (``00-start-here``)."""
    return ClassId()
