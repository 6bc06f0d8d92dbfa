"""Graded checkpoints in the student's notebook. ``ask`` shows a graded item as a widget,
``answer`` gives the same answer as code; both record it in the notebook. No key is here:
keys sit in the hidden tests of ``source/`` and the grader scores them in its own process."""

from __future__ import annotations

import json
import re
from typing import Any

from . import answers, content, identity, kinds, pages, records, scoring, shuffle, storage

TEMPLATE = "widgets/ask.html.j2"
COURSE_ID = "aws-shared-responsibility"
"""nbgrader's course id (nbgrader_config.py), which ``nbgrader submit`` needs on a hub."""
_REQUIRE = re.compile(r"""require_answer\(\s*["']([^"']+)["']""")


def graded_items(notebook: dict[str, Any]) -> dict[str, float]:
    """The graded items of a notebook, in order, with their points: each test cell's
    ``require_answer(item)`` and the points in its nbgrader metadata (stated there only)."""
    found: dict[str, float] = {}
    for cell in notebook.get("cells", []):
        if not records.is_test(cell):
            continue
        source = cell.get("source", "")
        match = _REQUIRE.search(source if isinstance(source, str) else "".join(source))
        points = cell["metadata"]["nbgrader"].get("points")
        if match and isinstance(points, int | float) and not isinstance(points, bool):
            found[match.group(1)] = float(points)
    return found


def _this_notebook() -> dict[str, float]:
    """The graded items of the notebook this kernel runs (none where it cannot be found)."""
    path = storage.notebook()
    try:
        return graded_items(json.loads(path.read_text(encoding="utf-8"))) if path else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def header(item: str, graded: dict[str, float]) -> str:
    """The visible header of a graded item: its number, points, kind and how it scores."""
    numbers = {name: n for n, name in enumerate(graded, 1)}
    kind = kinds.of(item)
    return pages.fragment(TEMPLATE, "header", numbers.get(item), graded.get(item),
                          kind.instruction, kind.credit_rule)


def ask(item: str) -> None:
    """Show graded ``item`` as its kind's widget, set to the answer already recorded, and its
    record line. Running the cell again replaces the widget kept in step with code answers."""
    import ipywidgets as widgets
    from IPython.display import display

    from .widgets._fallback import FallbackBox

    student = identity.student()
    kind = kinds.of(item, identity.variant(item, student))
    order = shuffle.graded(kind.options, student, item) if kind.shuffled else None
    control = kind.control(answers.recorded(item), order)
    top = header(item, _this_notebook())
    if answers.for_another_version(item):
        top += pages.fragment(TEMPLATE, "set_aside")
    box = FallbackBox(
        [widgets.HTML(top + pages.fragment(TEMPLATE, "prompt", kind.prompt)), control.widget],
        html=top + control.html,
        text=kind.prompt,
    )
    if callable(getattr(control.widget, "on_change", None)):
        control.widget.on_change(lambda value: answers.record(item, value))
        answers.listen(item, box, lambda value: setattr(control.widget, "value", value))
    else:
        answers.listen(item, box)
    display(box)
    answers.show(item)


def answer_in_code(assignment: str) -> None:
    """The collapsed "Answer in code instead" aside: how, once per notebook, and the line
    that answers each graded item of ``assignment``, with the rows named as the widget
    names them."""
    from IPython.display import HTML, display

    items = [(item, kinds.of(item)) for item, data in content.checkpoints().items()
             if data["assignment"] == assignment and data["kind"] != "architecture"]
    display(HTML(pages.render("widgets/in-code.html.j2", items=items, owners=records.OWNERS)))


def still_to_do(assignment: str) -> None:
    """The notebook's closing section: which graded items are still unanswered (updated each
    time an answer is recorded) and how to hand the notebook in."""
    from IPython.display import display, update_display

    items = [item for item, data in content.checkpoints().items()
             if data["assignment"] == assignment]
    numbers = {item: n for n, item in enumerate(_this_notebook() or items, 1)}

    def bundle() -> dict[str, str]:
        given = {item: answers.recorded(item) for item in items}  # each read once
        open_items = [numbers.get(item) for item in items if given[item] is None]
        part_done = [(numbers.get(item), left) for item in items
                     if (left := records.unfinished(item, given[item]))]
        html = pages.render("widgets/submit.html.j2", unanswered=open_items, total=len(items),
                            unfinished=part_done,
                            assignment=assignment, course=COURSE_ID, lite=storage.in_lite())
        return {"text/html": html,
                "text/plain": f"{len(open_items)} of {len(items)} graded items not answered yet"
                              + f", {len(part_done)} not finished" * bool(part_done)}

    display(bundle(), raw=True, display_id="course-still-to-do")
    answers.on_record("still-to-do", lambda: update_display(bundle(), raw=True,
                                                            display_id="course-still-to-do"))


def answer(item: str, value: Any) -> None:
    """Give the answer to graded ``item`` as code; it is recorded exactly as a click would be."""
    answers.record(item, value)
    if not answers.shown_here(item):
        answers.show(item)


def expect(item: str, key: Any, why: Any = None, source: Any = None, variant: str = "a"
           ) -> None:
    """A hidden test: passes when the recorded answer matches ``key``, the key of version
    ``variant`` of the item, fully; a version this kernel's student does not get is not
    checked here.

    This check runs in the (untrusted) kernel only to let instructors validate source
    notebooks; at autograde, ``course.grading`` scores the recorded answers in the grader's
    own process from the same call's literal arguments and ignores what the kernel said.
    """
    if variant != identity.current(item):
        return
    given = answers.recorded(item)
    share = scoring.fraction(item, key, given, variant)
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
