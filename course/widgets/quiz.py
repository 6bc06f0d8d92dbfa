"""A practice check: choose, press Check, and get the explanation and its source at once."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from .. import content, progress
from ._fallback import FallbackBox, choices_html, link
from .choice import Choice


class Quiz(FallbackBox):
    """A practice question from ``course/data/questions``; its key is public by design."""

    def __init__(self, question_id: str):
        self.question = question = content.questions()[question_id]
        self.tries = 0
        self.solved = False
        prompt = widgets.HTML(_prompt_html(question))
        self.choice = Choice(question["options"], multiple=question["kind"] == "multiple")
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           tooltip="Check your answer")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _button: self.check())
        super().__init__(
            [prompt, self.choice, self.check_button, self.feedback],
            html=_prompt_html(question) + choices_html("", question["options"]),
            text=f"{question['prompt']} Options: {'; '.join(question['options'])}",
        )

    def check(self) -> bool:
        """Mark the current choice, show why, and return whether it was right."""
        question = self.question
        chosen = self.choice.value
        self.tries += 1
        if chosen in (None, []):
            self.feedback.value = "<p>✎ Choose an answer first.</p>"
            return False
        key = question["answer"]
        right = sorted(chosen) == sorted(key) if isinstance(key, list) else chosen == key
        self.solved = self.solved or right
        if right:
            progress.mark_correct(question["id"])
        verdict = "✔ Correct." if right else "✘ Not quite, try again."
        self.feedback.value = (
            f'<div role="status"><p><strong>{verdict}</strong> (try {self.tries})</p>'
            f"<p>{escape(question['explanation'])} {link(question['source'])}</p></div>"
        )
        return right


def _prompt_html(question: dict[str, Any]) -> str:
    scenario = f"<p><em>{escape(question['scenario'])}</em></p>" if "scenario" in question else ""
    return f"{scenario}<p><strong>{escape(question['prompt'])}</strong></p>"


def quiz(question_id: str) -> Quiz:
    """A practice check for the question with this id."""
    return Quiz(question_id)
