"""A practice check: choose and press Check. A wrong try gets a hint aimed at the option
chosen (the question's ``misconceptions``), not the answer; the explanation and its source
come after a right answer, or when the student asks for them."""

from __future__ import annotations

import ipywidgets as widgets

from .. import content, kinds, pages, progress, shuffle
from ._fallback import FallbackBox
from .choice import Choice, Value

TEMPLATE = "widgets/quiz.html.j2"

# Right and wrong in words and a symbol; their colours are course.css's callouts.
VERDICT = {True: ("✔", "Correct"), False: ("✘", "Not quite")}
GENERIC_HINT = "Think again about who acts on this layer, then try another answer."
MISSING_HINT = "Something that belongs is not chosen yet."


class Quiz(FallbackBox):
    """A practice question from ``course/data/questions``; its key is public by design."""

    def __init__(self, question_id: str):
        self.question = question = content.questions()[question_id]
        self.tries = 0
        self.solved = False
        self.explained = False  # the explanation opened in this attempt before a right answer
        self.kind = kinds.practice(question)
        self.order = shuffle.practice(question["id"], question["options"])
        prompt = widgets.HTML(pages.fragment(TEMPLATE, "prompt", question))
        self.choice = Choice(self.order, multiple=question["kind"] == "multiple")
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           tooltip="Check your answer")
        self.explain_button = widgets.Button(description="Show explanation",
                                             tooltip="Show why, with its AWS source")
        self.feedback = widgets.HTML()
        self.explanation = widgets.HTML()
        self.check_button.on_click(lambda _button: self.check())
        self.explain_button.on_click(lambda _button: self.explain())
        super().__init__(
            [prompt, self.choice, widgets.HBox([self.check_button, self.explain_button]),
             self.feedback, self.explanation],
            html=prompt.value + pages.fragment("widgets/common.html.j2", "choices", "",
                                               self.order),
            text=f"{question['prompt']} Options: {'; '.join(self.order)}",
        )

    def check(self) -> bool:
        """Mark the current choice and return whether it was fully right: a right one shows
        the explanation, a wrong one a hint about the option chosen and, for several
        options, the partial credit a graded item of its kind would give."""
        question = self.question
        chosen = self.choice.value
        if chosen in (None, []):
            self.feedback.value = "<p>✎ Choose an answer first.</p>"
            return False
        self.tries += 1
        self.share = share = self.kind.fraction(question["answer"], self.kind.check(chosen))
        right = share >= 1.0
        counted = (progress.record_first_try(question["id"], right)
                   if self.tries == 1 and not self.explained
                   else progress.first_try(question["id"]) == "right")
        if right:
            self.solved = True
            self.feedback.value = pages.fragment(TEMPLATE, "feedback", True, VERDICT[True],
                                                 self.tries, counted=counted)
            self.explain()
        else:
            self.feedback.value = pages.fragment(TEMPLATE, "feedback", False, VERDICT[False],
                                                 self.tries, hints=self.hints(chosen),
                                                 source=question["source"],
                                                 share=share if self.kind.multiple else None)
        return right

    def hints(self, chosen: Value) -> list[str]:
        """Why the options chosen are tempting and wrong (the question's misconceptions);
        never which option is right."""
        key = self.question["answer"]
        table = self.question.get("misconceptions", {})
        picked = chosen if isinstance(chosen, list) else [chosen]
        wrong = [option for option in picked if option not in (key if isinstance(key, list)
                                                              else [key])]
        found = [table[option] for option in wrong if option in table]
        if wrong and not found:
            found = [GENERIC_HINT]
        if isinstance(key, list) and set(key) - set(picked):
            found.append(MISSING_HINT)
        return found

    def explain(self) -> None:
        """Show the explanation and its AWS source; before any answer it spends the check's
        first try (a right answer after it does not count towards mastery)."""
        question = self.question
        if not self.solved:
            if not self.tries and not self.explained:
                progress.record_first_try(question["id"], right=False)
            self.explained = True
        self.explanation.value = pages.fragment(TEMPLATE, "explanation", question)


def quiz(question_id: str) -> Quiz:
    """A practice check for the question with this id."""
    return Quiz(question_id)
