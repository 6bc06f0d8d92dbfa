"""Practice as a set: a concept's main practice checks one at a time ("Check 3 of 6"), a score
at the end, and its other checks as optional more practice. Each check is the practice check
widget itself (``quiz.Quiz``), so its feedback, keyboard use and progress are those of a
single check; the set only chooses which one shows, and its score reads each check's one
first try from the student's progress (``course.progress``), so going through again changes
no score."""

from __future__ import annotations

import ipywidgets as widgets

from .. import content, pages, progress
from ._fallback import FallbackBox
from .quiz import Quiz

TEMPLATE = "widgets/practice.html.j2"
LABELS = {"main": "Practice", "more": "More practice"}


class PracticeSet(FallbackBox):
    """One practice check at a time with Previous and Next; after the last, the score (each
    check right, wrong or skipped at its first try, and what mastery still needs) with Start
    again and, when there are more, More practice."""

    def __init__(self, concept: str):
        self.concept = concept
        self.sets = progress.question_sets(concept)
        self.position = widgets.HTML()
        self.slot = widgets.VBox()
        self.previous = widgets.Button(description="Previous", icon="arrow-left")
        self.next = widgets.Button(description="Next", icon="arrow-right",
                                   button_style="primary")
        self.again = widgets.Button(description="Start again", icon="refresh")
        self.more = widgets.Button(description="More practice")
        self.main = widgets.Button(description="Back to the main set")
        self.previous.on_click(lambda _b: self.go(self.index - 1))
        self.next.on_click(lambda _b: self.go(self.index + 1))
        self.again.on_click(lambda _b: self.start(self.kind))
        self.more.on_click(lambda _b: self.start("more"))
        self.main.on_click(lambda _b: self.start("main"))
        for button in (self.previous, self.next, self.again, self.more, self.main):
            button.layout.width = "auto"  # the whole label, never "More practice (11…"
        self.buttons = widgets.HBox()
        self.result = widgets.HTML()
        self.checks: list[Quiz] = []
        questions = content.questions()
        super().__init__(
            [self.position, self.slot, self.buttons],
            html="".join(pages.fragment(TEMPLATE, "questions", LABELS[kind],
                                        [questions[q] for q in ids])
                         for kind, ids in self.sets.items() if ids),
            text="\n".join(f"{LABELS[kind]} {n}. {questions[q]['prompt']} Options: "
                           + "; ".join(questions[q]["options"])
                           for kind, ids in self.sets.items()
                           for n, q in enumerate(ids, 1)),
        )
        self.add_class("course-practice-set")
        self.start("main")

    def start(self, kind: str) -> None:
        """Begin ``kind`` (main or more) afresh: new checks to answer again; a check whose
        first try is spent keeps its score."""
        for check in self.checks:
            check.close()
        self.kind = kind
        self.checks = [Quiz(q) for q in self.sets[kind]]
        self.go(0)

    def go(self, index: int) -> None:
        """Show check ``index`` of the set; one past the last shows the score."""
        total = len(self.checks)
        self.index = max(0, min(index, total))
        label = LABELS[self.kind]
        self.previous.disabled = self.index == 0
        if self.index < total:
            self.position.value = pages.fragment(TEMPLATE, "position", label, self.index + 1,
                                                 total)
            self.slot.children = [self.checks[self.index]]
            self.next.description = "Next" if self.index < total - 1 else "See your score"
            self.buttons.children = [self.previous, self.next]
            return
        more = len(self.sets["more"]) if self.kind == "main" else 0
        counted, needed, _main = progress.counts()[self.concept]
        untried = sum(progress.first_try(q) == "untried" for q in self.sets["more"])
        self.position.value = ""
        self.result.value = pages.fragment(
            TEMPLATE, "score", label,
            [(check.question["prompt"], progress.first_try(check.question["id"]))
             for check in self.checks],
            max(0, needed - counted), untried)
        self.slot.children = [self.result]
        switch = [self.more] if more else [self.main] if self.kind == "more" else []
        self.more.description = f"More practice ({more} checks)"
        self.buttons.children = [self.previous, self.again, *switch]


def practice(concept: str) -> PracticeSet:
    """The practice checks of a concept's notebook, as one set."""
    return PracticeSet(concept)
