"""The mastery map: concepts in the order they build on each other, each locked, open or
mastered and linked to its notebook. HTML, not a drawing, so full titles wrap to any width
and the links open in JupyterLab; it redraws itself as practice checks are answered."""

from __future__ import annotations

from .. import content, pages, progress
from ._style import icon, style

DISPLAY_ID = "course-mastery-map"
STATES = {  # state: (mark in text, words)
    "mastered": ("✔", "Mastered"),
    "open": ("○", "Open: ready to learn"),
    "locked": ("■", "Locked"),
}


def notebook_link(concept: str) -> str:
    """Where a concept's notebook is, from the folder of any other course notebook."""
    return f"../{concept}/{concept}.ipynb"


def unmastered(concept: str, states: dict[str, str]) -> list[str]:
    """The prerequisites of ``concept`` not mastered yet: what keeps it locked."""
    return [p for p in content.concepts()[concept]["prerequisites"] if states[p] != "mastered"]


class MasteryMap:
    """The map as HTML (notebooks) and as a list (text), from the saved progress."""

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

    def _node(self, concept: str) -> dict[str, str]:
        info, state = self.concepts[concept], self.states[concept]
        needs = unmastered(concept, self.states) if state == "locked" else info["prerequisites"]
        after = (f"first master {', '.join(p[:2] for p in needs)}" if state == "locked"
                 else f"builds on {', '.join(p[:2] for p in needs)}" if needs else "start here")
        return {"state": state, "href": notebook_link(concept), "number": concept[:2],
                "title": info["title"], "after": after}

    def _repr_html_(self) -> str:
        return style() + pages.render(
            "widgets/mastery.html.j2", rule=progress.RULE,
            levels=[[self._node(c) for c in step] for step in self.levels()],
            states={state: words for state, (_mark, words) in STATES.items()},
            icons={state: icon(state) for state in STATES})

    def __repr__(self) -> str:
        lines = ["Mastery map", progress.RULE]
        for concept, info in self.concepts.items():
            mark, words = STATES[self.states[concept]]
            after = ", ".join(info["prerequisites"]) or "nothing"
            lines.append(f"{mark} {concept} {info['title']}: {words} (after {after})")
        return "\n".join(lines)


class ConceptState:
    """One concept's state and its practice checks so far, for the end of its notebook: the
    whole map is in the start notebook, one link away."""

    def __init__(self, concept: str) -> None:
        self.concept = concept
        self.title = content.concepts()[concept]["title"]
        states = progress.states()
        self.state = states[concept]
        counted, needed, total = progress.counts()[concept]
        opens = (f"First master {', '.join(p[:2] for p in unmastered(concept, states))} to "
                 "open it, or master it here. " if self.state == "locked" else "")
        self.tally = (f"{opens}{counted} of {total} practice checks answered right"
                      + ("." if self.state == "mastered" else f"; mastered at {needed} right."))

    def _repr_html_(self) -> str:
        return style() + pages.render(
            "widgets/concept.html.j2", state=self.state, icon=icon(self.state),
            words=STATES[self.state][1], number=self.concept[:2], title=self.title,
            tally=self.tally)

    def __repr__(self) -> str:
        mark, words = STATES[self.state]
        return f"{mark} {self.concept} {self.title}: {words}. {self.tally}"


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
