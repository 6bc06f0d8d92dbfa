"""Graded checkpoints in the student's notebook. ``ask`` shows a graded item as a widget,
``answer`` gives the same answer as code; both record it in the notebook. No key is here:
keys sit in the hidden tests of ``source/`` and the grader scores them in its own process."""

from __future__ import annotations

from html import escape
from typing import Any

from . import answers, content, records, scoring
from .records import Answer

_PENDING = (
    "<p><small>Graded after you submit: your answer is recorded below, not marked.</small></p>"
)


def ask(item: str) -> None:
    """Show graded ``item`` as a widget, set to the answer already recorded, and its record line."""
    import ipywidgets as widgets
    from IPython.display import display

    from .widgets._fallback import FallbackBox, choices_html
    from .widgets.choice import Choice
    from .widgets.matrix import MatrixRows, rows_html

    definition = content.checkpoints()[item]
    prompt = definition["prompt"]
    if definition["kind"] == "matrix":
        labels = {row["id"]: row["task"] for row in definition["rows"]}
        control: Any = MatrixRows(labels, answers.recorded(item))
        html = rows_html(prompt, labels)
        example = "{" + ", ".join(f"{row!r}: owner" for row in labels) + "}"
        choices = "each owner one of 'AWS', 'Customer', 'Shared'"
    else:
        control = Choice(definition["options"], definition["kind"] == "multiple",
                         answers.recorded(item))
        html = choices_html(prompt, definition["options"])
        single = definition["kind"] == "single"
        example = "option" if single else "[option, ...]"
        choices = f"{'option' if single else 'each option'} copied from the list above"
    hint = f"Or answer in code: answer({item!r}, {example}), {choices}."
    control.on_change(lambda value: answers.record(item, value))
    answers.listen(item, lambda value: setattr(control, "value", value))
    display(FallbackBox(
        [widgets.HTML(f"<p><strong>{escape(prompt)}</strong></p>"), control,
         widgets.HTML(f"<p><small>{escape(hint)}</small></p>{_PENDING}")],
        html=f"{html}<p><em>{escape(hint)}</em></p>", text=f"{prompt}\n{hint}",
    ))
    answers.show(item)


def answer(item: str, value: Any) -> None:
    """Give the answer to graded ``item`` as code; it is recorded exactly as a click would be."""
    answers.record(item, value)
    if not answers.shown_here(item):
        answers.show(item)


def expect(item: str, key: Answer, why: Any = None, source: Any = None) -> None:
    """A hidden test: passes when the recorded answer matches ``key`` fully.

    This check runs in the (untrusted) kernel only to let instructors validate source
    notebooks; at autograde, ``course.grading`` scores the recorded answers in the grader's
    own process from the same call's literal arguments and ignores what the kernel said.
    """
    given = answers.recorded(item)
    share = scoring.fraction(key, given)
    assert share == 1.0, f"{item}: {records.describe(given)} scores {share:.0%}"


def require_answer(item: str) -> None:
    """A visible test: fails until an answer to ``item`` is recorded; never says if it is right."""
    assert answers.recorded(item) is not None, f"No answer is recorded yet for {item}."
