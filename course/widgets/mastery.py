"""The mastery map: concepts in the order they build on each other, each mastered, ready or
suggested for later, with an arrow for every "builds on" of the data and each title linked
to its notebook. Drawn as SVG (so the arrows meet the boxes they join at any width); the
titles wrap inside their boxes; it redraws itself as practice checks are answered."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import content, pages, progress
from ._style import icon, style

DISPLAY_ID = "course-mastery-map"
STATES = {  # state: (mark in text, words)
    "mastered": ("✔", "Mastered"),
    "open": ("○", "Ready to learn"),
    "later": ("◌", "Suggested later"),
}
# The drawing, in viewBox units (about pixels at 640 px wide): text stays over 12 px on
# screen down to a 540 px wide cell.
WIDTH, FONT, LINE, PAD, GAP, LANE = 640, 15, 19, 9, 34, 10
MARGIN = 4 * LANE  # each side keeps room for the arrows that skip a step


def notebook_link(concept: str) -> str:
    """Where a concept's notebook is, from the folder of any other course notebook."""
    return f"../{concept}/{concept}.ipynb"


UNRELEASED = "course_unreleased"
"""Notebook metadata of a not-released-yet page (``course-publish --assignments``)."""


@cache
def unreleased(concept: str) -> bool:
    """Whether this student edition holds only the not-released-yet page of ``concept``'s
    notebook, beside the running one (a page of a few hundred bytes: no notebook is read
    whole; cached, as an edition changes between sessions only)."""
    path = Path(notebook_link(concept))
    try:
        return path.stat().st_size < 4096 and bool(json.loads(
            path.read_text(encoding="utf-8")).get("metadata", {}).get(UNRELEASED))
    except (OSError, ValueError, AttributeError):
        return False


def unmastered(concept: str, states: dict[str, str]) -> list[str]:
    """What ``concept`` builds on and is not mastered yet."""
    return [p for p in content.concepts()[concept]["prerequisites"] if states[p] != "mastered"]


def state_words(concept: str, states: dict[str, str]) -> str:
    """A concept's state in words: later concepts say which notebooks to take first; a
    notebook the instructor has not released yet says so."""
    if unreleased(concept):
        return "Not released yet"
    if states[concept] == "later":
        return f"Suggested after {', '.join(p[:2] for p in unmastered(concept, states))}"
    return STATES[states[concept]][1]


@dataclass
class Box:
    concept: str
    x: float
    y: float
    width: float
    lines: list[str]

    @property
    def height(self) -> float:
        return 2 * PAD + LINE * (1 + len(self.lines))

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


class MasteryMap:
    """The map as SVG with HTML around it (notebooks) and as a list (text), from the saved
    progress."""

    def __init__(self) -> None:
        self.concepts = content.concepts()
        self.states = progress.states()

    def levels(self) -> list[list[str]]:
        """Concepts by step: each builds only on concepts of earlier steps."""
        depth: dict[str, int] = {}

        def level(concept: str) -> int:
            if concept not in depth:
                prerequisites = self.concepts[concept]["prerequisites"]
                depth[concept] = 1 + max((level(p) for p in prerequisites), default=-1)
            return depth[concept]

        steps: list[list[str]] = [[] for _ in range(1 + max(map(level, self.concepts)))]
        for concept in self.concepts:
            steps[level(concept)].append(concept)
        return steps

    def boxes(self) -> tuple[dict[str, Box], float]:
        """Each concept's box, a step per row, and the drawing's height."""
        boxes: dict[str, Box] = {}
        y, inner = 0.0, WIDTH - 2 * MARGIN
        for step in self.levels():
            slot = inner / len(step)
            width = min(slot - 2 * LANE, 300)
            for n, concept in enumerate(step):
                title = f"{concept[:2]} · {self.concepts[concept]['title']}"
                lines = textwrap.wrap(title, int((width - 2 * PAD) / (0.68 * FONT)))
                boxes[concept] = Box(concept, MARGIN + slot * (n + 0.5) - width / 2, y, width,
                                     lines)
            y += max(boxes[c].height for c in step) + GAP
        return boxes, y - GAP

    def arrows(self, boxes: dict[str, Box]) -> list[str]:
        """One SVG path per "builds on": straight down to the next step, or around the side
        (in a lane of its own) to a later one."""
        step = {c: n for n, concepts in enumerate(self.levels()) for c in concepts}
        lanes = {"left": 0, "right": 0}
        paths = []
        for concept, info in self.concepts.items():
            to = boxes[concept]
            for prerequisite in info["prerequisites"]:
                start = boxes[prerequisite]
                if step[concept] - step[prerequisite] == 1:
                    paths.append(f"M{start.middle:.1f},{start.y + start.height:.1f} "
                                 f"L{to.middle:.1f},{to.y - 2:.1f}")
                    continue
                side = ("left" if start.middle < WIDTH / 2 or (start.middle == WIDTH / 2
                        and lanes["left"] <= lanes["right"]) else "right")
                lanes[side] += 1
                lane = (MARGIN - LANE * lanes[side] if side == "left"
                        else WIDTH - MARGIN + LANE * lanes[side])
                out = start.x if side == "left" else start.x + start.width
                into = to.x - 2 if side == "left" else to.x + to.width + 2
                mid, end = start.y + start.height / 2, to.y + to.height / 2
                paths.append(f"M{out:.1f},{mid:.1f} L{lane:.1f},{mid:.1f} L{lane:.1f},{end:.1f} "
                             f"L{into:.1f},{end:.1f}")
        return paths

    def _repr_html_(self) -> str:
        boxes, height = self.boxes()
        nodes = [{"box": box, "state": self.states[c], "href": notebook_link(c),
                  "words": state_words(c, self.states),
                  "builds_on": ", ".join(p[:2] for p in self.concepts[c]["prerequisites"])}
                 for c, box in boxes.items()]
        return style() + pages.render(
            "widgets/mastery.html.j2", rule=progress.RULE, nodes=nodes,
            arrows=self.arrows(boxes), width=WIDTH, height=height, font=FONT, line_height=LINE,
            pad=PAD, icons={state: icon(state) for state in STATES},
            states={state: words for state, (_mark, words) in STATES.items()})

    def __repr__(self) -> str:
        lines = ["Mastery map", progress.RULE]
        for concept, info in self.concepts.items():
            mark = STATES[self.states[concept]][0]
            after = ", ".join(info["prerequisites"]) or "nothing"
            lines.append(f"{mark} {concept} {info['title']}: "
                         f"{state_words(concept, self.states)} (builds on {after})")
        return "\n".join(lines)


class ConceptState:
    """One concept's state and its practice checks so far, for the end of its notebook: the
    whole map is in the start notebook, one link away."""

    def __init__(self, concept: str) -> None:
        self.concept = concept
        self.title = content.concepts()[concept]["title"]
        states = progress.states()
        self.state = states[concept]
        self.words = state_words(concept, states)
        counted, needed, _main = progress.counts()[concept]
        self.tally = (f"Practice checks right at the first try: {counted}"
                      + ("." if self.state == "mastered" else f"; mastered at {needed}."))

    def _repr_html_(self) -> str:
        return style() + pages.render(
            "widgets/concept.html.j2", state=self.state, icon=icon(self.state),
            words=self.words, number=self.concept[:2], title=self.title, tally=self.tally)

    def __repr__(self) -> str:
        mark = STATES[self.state][0]
        return f"{mark} {self.concept} {self.title}: {self.words}. {self.tally}"


def mastery_map(concept: str | None = None) -> None:
    """Show the map, or with ``concept`` only that concept's state; either redraws when a
    practice check is answered. Running this again replaces its progress listener rather
    than adding another."""
    from IPython.display import display, update_display

    def draw() -> MasteryMap | ConceptState:
        return ConceptState(concept) if concept else MasteryMap()

    display_id = f"{DISPLAY_ID}-{concept}" if concept else DISPLAY_ID
    display(draw(), display_id=display_id)
    progress.on_change(lambda: update_display(draw(), display_id=display_id), key=display_id)
