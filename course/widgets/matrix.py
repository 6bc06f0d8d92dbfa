"""A responsibility matrix: one row per security task, each placed with an owner from
``content.parties()`` (AWS, Customer, Shared, Not applicable). Practice matrices check
against the service data; graded ones only record."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .. import content, pages
from ..kinds.matrix import Matrix as MatrixKind
from ._fallback import FallbackBox
from .quiz import VERDICT

_UNSET = "—"
TEMPLATE = "widgets/matrix.html.j2"


class MatrixRows(widgets.VBox):
    """A drop-down per row, labelled by its task; ``value`` maps row id to the owner chosen
    so far (a party id)."""

    def __init__(self, rows: dict[str, str], value: dict[str, str] | None = None):
        self._setting = False
        owners = [(party["label"], party_id) for party_id, party in content.parties().items()]
        self.dropdowns = {
            row: widgets.Dropdown(
                options=[(_UNSET, _UNSET), *owners], value=(value or {}).get(row, _UNSET),
                description=label, style={"description_width": "60%"},
                layout=widgets.Layout(width="95%"),
            )
            for row, label in rows.items()
        }
        self.notes = {row: widgets.HTML() for row in rows}
        super().__init__([
            widgets.VBox([self.dropdowns[row], self.notes[row]]) for row in rows
        ])
        self.add_class("course-matrix-rows")  # a group named by the title above it

    @property
    def value(self) -> dict[str, str]:
        return {row: d.value for row, d in self.dropdowns.items() if d.value != _UNSET}

    @value.setter
    def value(self, value: dict[str, str]) -> None:
        self._setting = True
        try:
            for row, dropdown in self.dropdowns.items():
                dropdown.value = value.get(row, _UNSET)
        finally:
            self._setting = False

    def on_change(self, callback: Callable[[dict[str, str]], None]) -> None:
        """Call ``callback`` with the whole matrix after each change made in the browser."""

        def changed(_change: object) -> None:
            if not self._setting:
                callback(self.value)

        for dropdown in self.dropdowns.values():
            dropdown.observe(changed, names="value")


def rows_html(title: str, rows: dict[str, str]) -> str:
    """A matrix as a static table to fill in, for where widgets do not render."""
    owners = [party["label"] for party in content.parties().values()]
    return pages.fragment(TEMPLATE, "rows", title, list(rows.values()), owners)


class Matrix(FallbackBox):
    """The practice matrix of one service: every responsibility item AWS's pages cover,
    scored by the matrix kind of graded items (the share of rows placed right)."""

    def __init__(self, service_id: str, item_ids: list[str] | None = None):
        self.service = service = content.services()[service_id]
        names = content.items()
        # top to bottom as the stack picture runs: data first, the facilities last
        wanted = item_ids or service["responsibilities"]
        chosen = [i for i in reversed(names) if i in wanted]
        self.key = {item: service["responsibilities"][item] for item in chosen}
        title = f"Who owns each task on {service['name']}?"
        self.kind = MatrixKind(service_id, {"prompt": title, "rows": [
            {"id": item, "task": names[item]["name"]} for item in chosen]})
        self.rows = MatrixRows(self.kind.rows)
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           tooltip="Check every row")
        self.score = widgets.HTML()
        self.check_button.on_click(lambda _button: self.check())
        super().__init__(
            [widgets.HTML(pages.fragment(TEMPLATE, "prompt", title)),
             self.rows, self.check_button, self.score],
            html=rows_html(title, {item: names[item]["name"] for item in chosen}),
            text=f"{title} Rows: {'; '.join(names[item]['name'] for item in chosen)}",
        )

    def check(self) -> int:
        """Mark every row with the owner and why, and return how many rows are right."""
        answer = self.kind.check(self.rows.value)
        owners = {item: cell["owner"] for item, cell in self.key.items()}
        right = round(self.kind.fraction(owners, answer) * len(owners))
        for item, cell in self.key.items():
            given = answer.get(item)
            ok = given == cell["owner"]
            words = ("Right" if ok else "Not answered" if given is None
                     else f"Not {given}") + f": the owner is {cell['owner']}."
            self.rows.notes[item].value = pages.fragment(TEMPLATE, "note", ok, words,
                                                         VERDICT[ok], cell)
        self.score.value = f'<p role="status"><strong>Score: {right} / {len(self.key)}</strong></p>'
        return right


def matrix(service_id: str, item_ids: list[str] | None = None) -> Matrix:
    """A practice responsibility matrix for one service."""
    return Matrix(service_id, item_ids)
