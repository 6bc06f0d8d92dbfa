"""The responsibility stack as a picture: an SVG column per service, an owner per layer, so
the line between AWS and the customer can be seen moving from service to service. A notebook
about one band of the stack highlights it (``band``); 08 adds AWS's kinds of controls
(``controls``). Wide stacks are drawn as several pictures of a few services each, so that
no text is drawn smaller than 12 px in a 1024-px window."""

from __future__ import annotations

from math import ceil

from .. import content
from . import _svg

CONTESTED = "AWS's pages leave room for argument here: the matrix says why"
NOT_LISTED = "—"
BANDS = {
    "AWS": (("infrastructure",), "AWS's band: security OF the cloud"),
    "Customer": (("configuration", "data"), "The customer's band: security IN the cloud"),
}
"""The bands a notebook can highlight: the layers (``layer`` in items.toml) and their name."""
CONTROLS = {"inherited": "Inherited", "shared": "Shared", "customer-specific": "Customer-specific"}
"""AWS's three kinds of controls (parties.toml ``[[control]]``), as the picture names them."""
_FONT, _LINE, _PAD = 13, 16, 6
_ROW_PAD = 4  # above and below a layer's name
_COLUMN, _CONTROL_COLUMN, _BAR = 100, 132, 6
# A picture's natural width is at most _WIDEST, so that 13-unit text is drawn at 12 px or more
# in the 571-px output of a 1024-px window with JupyterLab's file browser open; at least
# _NARROWEST, so that one service is not a tall strip.
_WIDEST, _NARROWEST = 615, 480
_INK, _MUTED, _EMPTY, _BAND = "#111827", "#374151", "#f3f4f6", "#fef3c7"


class StackPicture:
    """Who owns each layer, for one or more services: SVG in notebooks, a table as text."""

    def __init__(self, service_ids: list[str], band: str | None = None,
                 controls: bool = False):
        self.services = [content.services()[s] for s in service_ids]
        # top of the picture = data; bottom = the facilities (as the matrices run)
        self.items = list(reversed(content.items().values()))
        if band is not None and band not in BANDS:
            raise ValueError(f"band must be one of {', '.join(BANDS)}, not {band!r}")
        self.band = band
        self.controls = controls

    def owner(self, service: dict, item_id: str) -> str:
        """The owner's name, starred where the data marks the cell as contested."""
        cell = service["responsibilities"].get(item_id)
        if not cell:
            return NOT_LISTED
        return cell["owner"] + ("*" if "contested" in cell else "")

    def cell_text(self, owner: str) -> str:
        party = content.parties().get(owner.rstrip("*"))
        return f"{party['symbol']} {owner}" if party else owner

    def in_band(self, item: dict) -> bool:
        return self.band is not None and item["layer"] in BANDS[self.band][0]

    def control(self, item: dict) -> str:
        """AWS's kind of control for this layer across the services shown: inherited where
        AWS owns it on every one, customer-specific where the customer does, else shared (AWS
        and the customer each meet it in their own layer)."""
        owners = {self.owner(s, item["id"]).rstrip("*") for s in self.services} - {
            NOT_LISTED, "N/A"}
        if owners == {"AWS"}:
            return CONTROLS["inherited"]
        if owners == {"Customer"}:
            return CONTROLS["customer-specific"]
        return CONTROLS["shared"]

    def description(self) -> str:
        """Every cell in words: the picture's text alternative."""
        parts = []
        if self.band:
            rows = ", ".join(i["name"] for i in self.items if self.in_band(i))
            parts.append(f"Highlighted: {BANDS[self.band][1]} ({rows}).")
        for service in self.services:
            cells = "; ".join(f"{item['name']}: {self.owner(service, item['id'])}"
                              for item in self.items)
            parts.append(f"{service['name']} ({service['category']}): {cells}.")
        if self.controls:
            kinds = "; ".join(f"{item['name']}: {self.control(item)}" for item in self.items)
            parts.append(f"Kind of control: {kinds}.")
        legend = "; ".join(f"{p['id']} means {p['label']}" for p in content.parties().values()
                           if p["label"] != p["id"])
        return " ".join([*parts, f"* {CONTESTED}.", f"{legend}." if legend else ""]).strip()

    # ------------------------------------------------------------------ drawing

    def _label_width(self, lines: int) -> float:
        """The narrowest label column in which every layer name takes at most ``lines``
        (in bold where a band is highlighted: its names are drawn bold)."""
        names, bold = [i["name"] for i in self.items], self.band is not None
        width = 2 * _PAD + _svg.widest_word(names, _FONT, bold)
        while any(len(_svg.wrap(n, width - 2 * _PAD, _FONT, bold)) > lines for n in names):
            width += 4
        return width + _BAR

    def _column_width(self, services: list[dict]) -> float:
        owners = [self.cell_text(self.owner(s, i["id"])) for s in services for i in self.items]
        return max(_COLUMN, 8 + max(
            _svg.widest_word([s["name"] for s in services], _FONT),
            _svg.widest_word([s["category"] for s in services], _FONT),
            max(_svg.text_width(o, _FONT) for o in owners)))

    def layout(self) -> tuple[int, list[list[dict]]]:
        """How many lines a layer name may take, and the services split into pictures that
        keep within _WIDEST: all in one picture, layer names on one line if they fit, else
        on two; else as few pictures as needed, evenly, with names on one line."""
        extra = _CONTROL_COLUMN if self.controls else 0
        column = self._column_width(self.services)
        fits = {lines: max(1, int((_WIDEST - self._label_width(lines) - extra) // column))
                for lines in (1, 2)}
        for lines in (1, 2):
            if fits[lines] >= len(self.services):
                return lines, [self.services]
        count = ceil(len(self.services) / fits[1])
        size = ceil(len(self.services) / count)
        return 1, [self.services[n:n + size] for n in range(0, len(self.services), size)]

    def svgs(self) -> list[str]:
        """One picture per group of services."""
        lines, groups = self.layout()
        return [self._svg(group, lines, number, len(groups)) for number, group in
                enumerate(groups, 1)]

    def _svg(self, services: list[dict], lines: int, number: int, of: int) -> str:
        """One picture: layer names on the left, a column per service, AWS's kind of control
        (with ``controls``), a legend below; the band of ``band`` highlighted."""
        parties = content.parties()
        left = self._label_width(lines)
        column = self._column_width(services)
        extra = _CONTROL_COLUMN if self.controls else 0
        column = max(column, (_NARROWEST - left - extra) / len(services))
        inner = column - 8
        headers = [(_svg.wrap(s["name"], inner, _FONT), [s["category"]]) for s in services]
        caption = [BANDS[self.band][1]] if self.band else []
        head = _PAD + _LINE * len(caption)
        top = head + _PAD + max(_LINE * (len(name) + len(kind)) for name, kind in headers) + _PAD
        width = left + column * len(services) + extra
        body = []
        if caption:
            body.append(f'<rect x="0" y="{_PAD - 1:g}" width="{_BAR:g}" height="{_LINE:g}" '
                        f'fill="{_INK}"/>'
                        + _svg.text(_BAR + _PAD, _PAD + _FONT - 1, caption, _FONT, _LINE,
                                    font_weight="bold", fill=_INK))
        body.append(_svg.text(_BAR + _PAD, top - _PAD - 4, ["Layer"], _FONT, _LINE,
                              font_weight="bold", fill=_INK))
        if self.controls:
            body.append(_svg.text(left + column * len(services) + extra / 2, top - _PAD - 4,
                                  _svg.wrap("Kind of control", extra - 8, _FONT), _FONT,
                                  _LINE, text_anchor="middle", font_weight="bold", fill=_INK))
        for n, (name, kind) in enumerate(headers):
            x = left + n * column + column / 2
            body.append(_svg.text(x, head + _FONT, name, _FONT, _LINE, text_anchor="middle",
                                  fill=_INK))
            body.append(_svg.text(x, head + _FONT + _LINE * len(name), kind, _FONT, _LINE,
                                  text_anchor="middle", fill=_MUTED))
        height = _LINE * lines + 2 * _ROW_PAD  # every row alike
        y = top
        for item in self.items:
            label = _svg.wrap(item["name"], left - _BAR - 2 * _PAD, _FONT, self.band is not None)
            highlighted, muted = self.in_band(item), self.band and not self.in_band(item)
            if highlighted:
                body.append(f'<rect x="0" y="{y:g}" width="{width:g}" height="{height:g}" '
                            f'fill="{_BAND}"/><rect x="0" y="{y:g}" width="{_BAR:g}" '
                            f'height="{height:g}" fill="{_INK}"/>')
            first = y + height / 2 - _LINE * (len(label) - 1) / 2 + _FONT * 0.35
            body.append(_svg.text(_BAR + _PAD, first, label, _FONT, _LINE, fill=_INK,
                                  **({"font_weight": "bold"} if highlighted else {})))
            for n, service in enumerate(services):
                owner = self.owner(service, item["id"])
                party = parties.get(owner.rstrip("*"))
                x = left + n * column
                fill, ink, stroke = ((party["colour"], "#fff", "none") if party and not muted
                                     else ("#fff", _INK, party["colour"]) if party
                                     else (_EMPTY, _INK, "none"))
                body.append(
                    f'<g class="course-stack-cell"><rect x="{x + 2:g}" y="{y + 2:g}" '
                    f'width="{column - 4:g}" height="{height - 4:g}" rx="3" fill="{fill}" '
                    f'stroke="{stroke}" stroke-width="2"/>'
                    + _svg.text(x + column / 2, y + height / 2 + _FONT * 0.35,
                                [self.cell_text(owner)], _FONT, _LINE, text_anchor="middle",
                                fill=ink)
                    + "</g>")
            if self.controls:
                x = left + column * len(services)
                body.append(_svg.text(x + extra / 2, y + height / 2 + _FONT * 0.35,
                                      [self.control(item)], _FONT, _LINE,
                                      text_anchor="middle", fill=_INK, font_style="italic"))
            y += height
        legend, legend_height = self._legend(y + _PAD, width)
        body.append(legend)
        total = y + _PAD + legend_height + _PAD
        names = ", ".join(s["name"] for s in services)
        title = f"Responsibility stack: {names}" + (f" (picture {number} of {of})" if of > 1
                                                     else "")
        return _svg.svg(width, total, title, self.description(), body)

    def _legend(self, top: float, width: float) -> tuple[str, float]:
        """Each owner's colour, symbol and name, in rows that fit ``width``, then the note on
        stars; returns the SVG and its height."""
        parts, x, y = [], _PAD, top
        for party in content.parties().values():
            words = party["id"] if party["label"] == party["id"] else (
                f"{party['id']}: {party['label']}")
            size = 26 + _svg.text_width(words, _FONT) + 18
            if x > _PAD and x + size > width:
                x, y = _PAD, y + 24
            parts.append(f'<rect x="{x:g}" y="{y:g}" width="20" height="20" rx="3" '
                         f'fill="{party["colour"]}"/>'
                         + _svg.text(x + 10, y + 15, [party["symbol"]], _FONT,
                                     text_anchor="middle", fill="#fff")
                         + _svg.text(x + 26, y + 15, [words], _FONT, fill=_INK))
            x += size
        note = _svg.wrap(f"* {CONTESTED}", width - 2 * _PAD, _FONT)
        parts.append(_svg.text(_PAD, y + 24 + _FONT, note, _FONT, _LINE, fill=_INK))
        return "".join(parts), y + 24 + _LINE * len(note) - top

    def _repr_html_(self) -> str:
        # side by side where the cell has room for both, one under the other where not
        return ('<div class="course-stack" style="display: flex; flex-wrap: wrap; '
                f'gap: 1em 1.5em; align-items: flex-start">{"".join(self.svgs())}</div>')

    def __repr__(self) -> str:
        header = ["Layer", *[s["name"] for s in self.services]]
        header += ["Kind of control"] * self.controls
        lines = [" | ".join(header)]
        for item in self.items:
            owners = [self.owner(s, item["id"]) for s in self.services]
            mark = " (highlighted)" if self.in_band(item) else ""
            lines.append(" | ".join([item["name"] + mark, *owners,
                                     *[self.control(item)] * self.controls]))
        return "\n".join([*lines, f"* {CONTESTED}"])


def stack(*service_ids: str, band: str | None = None, controls: bool = False) -> StackPicture:
    """A picture of the responsibility stack of one service, or of several side by side;
    ``band="AWS"`` or ``band="Customer"`` highlights that party's band, ``controls=True``
    names AWS's kind of control (inherited, shared, customer-specific) of each layer."""
    return StackPicture(list(service_ids), band, controls)
