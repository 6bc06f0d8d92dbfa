"""The capstone builder: pick services, place each task with an owner and say why, list the
controls, and watch the completeness checks as you go. Its value is the very dict the code
way builds with ``capstone.template`` and ``capstone.row``, recorded the same way."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from .. import answers, capstone, content, pages
from . import rerun
from ._fallback import FallbackBox

_UNSET = "—"
TEMPLATE = "widgets/capstone.html.j2"
FALLBACK = ("The capstone builder: services, a responsibility matrix with a reason per row, and "
            "controls. Your recorded architecture is in the line below it.")


def _wide() -> widgets.Layout:
    return widgets.Layout(width="98%")


def _choices(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_UNSET, _UNSET), *pairs]


def _known(value: Any, pairs: list[tuple[str, str]]) -> str:
    return value if value in [v for _label, v in pairs] else _UNSET


class ServiceRows(widgets.VBox):
    """One service's matrix rows: a task, its owner and why, per row; more on request."""

    def __init__(self, service_id: str, rows: list[dict[str, str]], on_change: Any):
        service = content.services()[service_id]
        self.service = service_id
        self._on_change = on_change
        self._tasks = [(item["name"], item_id)  # in the stack picture's order, data first
                       for item_id, item in reversed(content.items().items())]
        self._owners = [(party["label"], party_id)
                        for party_id, party in content.parties().items()]
        self.rows: list[tuple[widgets.Dropdown, widgets.Dropdown, widgets.Text]] = []
        self._box = widgets.VBox()
        add = widgets.Button(description="Add a task", icon="plus",
                             tooltip=f"Another row for {service['name']}")
        add.on_click(lambda _button: self.add_row())
        for row in rows or [{}] * capstone.MIN_ROWS_PER_SERVICE:
            self.add_row(row, notify=False)
        super().__init__([widgets.HTML(pages.fragment(TEMPLATE, "service", service["name"])),
                          self._box, add])
        self.add_class("course-builder-service")  # a group named by its heading (keyboard.js)

    def add_row(self, row: dict[str, str] | None = None, notify: bool = True) -> None:
        """Add a row, blank or set to ``row``."""
        row = row or {}
        number = len(self.rows) + 1
        task = widgets.Dropdown(options=_choices(self._tasks), description=f"Task {number}",
                                value=_known(row.get("item"), self._tasks),
                                layout=widgets.Layout(width="auto", min_width="18em"))
        owner = widgets.Dropdown(options=_choices(self._owners), description="owner",
                                 value=_known(row.get("owner"), self._owners),
                                 layout=widgets.Layout(width="auto", min_width="12em"))
        why = widgets.Text(value=row.get("justification", ""), description="because",
                           placeholder="in your own words: what this owner does or decides"
                           if number == 1 else "", continuous_update=False, layout=_wide())
        for control in (task, owner, why):
            control.style.description_width = "initial"
            control.observe(lambda _change: self._on_change(), names="value")
        self.rows.append((task, owner, why))
        row_box = widgets.VBox(
            [widgets.HBox([task, owner], layout=widgets.Layout(flex_flow="row wrap")), why])
        row_box.add_class("course-builder-row")
        self._box.children = [*self._box.children, row_box]
        if notify:
            self._on_change()

    def value(self) -> tuple[list[dict[str, str]], list[int]]:
        """The rows with a task and an owner, and the numbers of rows begun but unfinished."""
        done, unfinished = [], []
        for number, (task, owner, why) in enumerate(self.rows, 1):
            if task.value != _UNSET and owner.value != _UNSET:
                done.append(capstone.row(self.service, task.value, owner.value, why.value))
            elif task.value != _UNSET or owner.value != _UNSET or why.value.strip():
                unfinished.append(number)
        return done, unfinished


class CapstoneBuilder(FallbackBox):
    """The architecture as a form; every change is checked and recorded like ``share()``."""

    def __init__(self, example: str | None = None, author: str = ""):
        start = answers.recorded(capstone.ITEM) or capstone.template(example, author)
        services = content.services()
        self._setting = False
        self.title = widgets.Text(description="Title", layout=_wide())
        self.author = widgets.Text(description="Author", layout=_wide())
        self.summary = widgets.Textarea(description="Summary",
                                        layout=widgets.Layout(width="98%", height="5em"),
                                        placeholder="What it does and for whom")
        self.service_boxes = {
            service_id: widgets.Checkbox(description=service["name"], indent=False,
                                         layout=widgets.Layout(width="auto"))
            for service_id, service in services.items()
        }
        self.controls = widgets.Textarea(
            description="Controls", layout=widgets.Layout(width="98%", height="6em"),
            placeholder="One control you would put in place per line")
        self.sections = widgets.VBox()
        self.status = widgets.HTML()
        self.services: dict[str, ServiceRows] = {}
        for control in (self.title, self.author, self.summary, self.controls):
            control.continuous_update = False
            control.observe(lambda _change: self._changed(), names="value")
        for box in self.service_boxes.values():
            box.observe(lambda _change: self._changed(), names="value")
        self.set(start)
        grid = widgets.GridBox(list(self.service_boxes.values()), layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, minmax(17em, 1fr))"))
        grid.add_class("course-builder-services")  # a group named "Services it uses"
        super().__init__(
            [widgets.HTML('<p class="course-prompt"><strong>Your architecture</strong></p>'),
             self.title, self.author, self.summary,
             widgets.HTML('<p class="course-prompt"><strong>Services it uses</strong></p>'),
             grid, self.sections, self.controls, self.status],
            html=pages.fragment("widgets/common.html.j2", "paragraph", FALLBACK), text=FALLBACK,
        )
        answers.listen(capstone.ITEM, self, self._recorded)

    @property
    def value(self) -> dict[str, Any]:
        """The architecture as the code way builds it: ``template`` filled with ``row``s."""
        return self._value()[0]

    def _value(self) -> tuple[dict[str, Any], list[str]]:
        architecture = capstone.template(author=self.author.value)
        architecture.update(title=self.title.value, summary=self.summary.value)
        unfinished = []
        for service_id, section in self.services.items():
            architecture["services"].append(service_id)
            rows, begun = section.value()
            architecture["matrix"] += rows
            name = content.services()[service_id]["name"]
            unfinished += [f"{name}, task {n}: choose both a task and an owner" for n in begun]
        architecture["controls"] = [line.strip() for line in self.controls.value.splitlines()
                                    if line.strip()]
        return architecture, unfinished

    def set(self, architecture: dict[str, Any]) -> None:
        """Show ``architecture`` (a recorded answer, or one given in code)."""
        self._setting = True
        try:
            self.title.value = str(architecture.get("title", ""))
            self.author.value = str(architecture.get("author", ""))
            self.summary.value = str(architecture.get("summary", ""))
            self.controls.value = "\n".join(str(c) for c in architecture.get("controls", []))
            chosen = [s for s in architecture.get("services", []) if s in self.service_boxes]
            for service_id, box in self.service_boxes.items():
                box.value = service_id in chosen
            rows = [r for r in architecture.get("matrix", []) if isinstance(r, dict)]
            self._show_sections({s: ServiceRows(s, [r for r in rows if r.get("service") == s],
                                                self._changed) for s in chosen})
        finally:
            self._setting = False
        self._show_status()

    def _changed(self) -> None:
        if self._setting:
            return
        ticked = {s for s, box in self.service_boxes.items() if box.value}
        chosen = ([s for s in self.services if s in ticked]  # in the order they were added
                  + [s for s in self.service_boxes if s in ticked and s not in self.services])
        if list(self.services) != chosen:  # keep the rows of services still chosen
            self._show_sections({s: self.services.get(s) or ServiceRows(s, [], self._changed)
                                 for s in chosen})
        architecture = self._show_status()
        if architecture["matrix"]:
            answers.record(capstone.ITEM, architecture)

    def _show_sections(self, services: dict[str, ServiceRows]) -> None:
        """Show the rows of ``services``; the sections of services no longer chosen are
        closed (ipywidgets would keep them alive)."""
        for section in self.services.values():
            if section not in services.values():
                rerun.close_tree(section)
        self.services = services
        self.sections.children = list(services.values())

    def _recorded(self, answer: Any) -> None:
        if isinstance(answer, dict) and answer != self.value:
            self.set(answer)

    def _show_status(self) -> dict[str, Any]:
        architecture, unfinished = self._value()
        self.status.value = status_html(architecture, unfinished)
        return architecture


def status_html(architecture: dict[str, Any], unfinished: list[str]) -> str:
    """What to do first, then what the completeness checks still miss, live; and what the
    instructor grades by hand."""
    found, _checks = capstone.problems(architecture)
    started = bool(architecture["matrix"] or unfinished)
    return pages.fragment(TEMPLATE, "status", [*unfinished, *found], started,
                          capstone.AUTOGRADED_POINTS, capstone.BY_HAND,
                          capstone.MIN_ROWS_PER_SERVICE, capstone.MIN_CONTROLS)
