"""Graded checkpoints in the student's notebook. ``ask`` shows a graded item as a widget,
``answer`` gives the same answer as code; both record it in the notebook. No key is here:
keys sit in the hidden tests of ``source/`` and the grader scores them in its own process."""

from __future__ import annotations

from typing import Any

from . import answers, kinds, pages, records, scoring

TEMPLATE = "widgets/ask.html.j2"


def ask(item: str) -> None:
    """Show graded ``item`` as its kind's widget, set to the answer already recorded, and its
    record line. Running the cell again replaces the widget kept in step with code answers."""
    import ipywidgets as widgets
    from IPython.display import display

    from .widgets._fallback import FallbackBox

    kind = kinds.of(item)
    control = kind.control(answers.recorded(item))
    box = FallbackBox(
        [widgets.HTML(pages.fragment(TEMPLATE, "prompt", kind.prompt)), control.widget,
         widgets.HTML(pages.fragment(TEMPLATE, "hint", control.hint))],
        html=pages.fragment(TEMPLATE, "fallback", control.html, control.hint),
        text=f"{kind.prompt}\n{control.hint}",
    )
    if callable(getattr(control.widget, "on_change", None)):
        control.widget.on_change(lambda value: answers.record(item, value))
        answers.listen(item, box, lambda value: setattr(control.widget, "value", value))
    else:
        answers.listen(item, box)
    display(box)
    answers.show(item)


def answer(item: str, value: Any) -> None:
    """Give the answer to graded ``item`` as code; it is recorded exactly as a click would be."""
    answers.record(item, value)
    if not answers.shown_here(item):
        answers.show(item)


def expect(item: str, key: Any, why: Any = None, source: Any = None) -> None:
    """A hidden test: passes when the recorded answer matches ``key`` fully.

    This check runs in the (untrusted) kernel only to let instructors validate source
    notebooks; at autograde, ``course.grading`` scores the recorded answers in the grader's
    own process from the same call's literal arguments and ignores what the kernel said.
    """
    given = answers.recorded(item)
    share = scoring.fraction(item, key, given)
    assert share == 1.0, f"{item}: {records.describe(item, given)} scores {share:.0%}"


class Unanswered:
    """What ``require_answer`` gives for an item with no answer yet. In the notebook it shows
    nothing (the item's own line already says "Not answered yet" and updates when the student
    answers, so no stale warning can contradict it); as plain text it is ``0.0``, the value
    nbgrader reads as the test cell's score, so ``nbgrader validate`` lists the item as not
    done. No error, no stderr: Run All on an untouched notebook stays calm, and JupyterLite
    (which stops Run All at the first error) runs to the end."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": "0.0", "text/html": pages.fragment(TEMPLATE, "pending")}


def require_answer(item: str) -> Unanswered | None:
    """A visible test: scores 0 until an answer to ``item`` is recorded, then passes; never
    says if the answer is right (the hidden tests and the grader do that)."""
    return Unanswered() if answers.recorded(item) is None else None
