"""The responsibility stack as a picture: an SVG column per service, an owner per layer, so
the line between AWS and the customer can be seen moving from service to service."""

from __future__ import annotations

from .. import content
from . import _svg

CONTESTED = "depends on a choice or AWS's pages differ: see the matrix"
LABELS = ("IaaS/PaaS/SaaS/FaaS: the course's labels; infrastructure/container/abstracted: "
          "AWS's categories")
"""Service headers mix the two: AWS files no service under IaaS, PaaS or SaaS (issue 11)."""
NOT_LISTED = "—"
_FONT, _LINE, _PAD = 13, 16, 6
_ROW_PAD = 4  # above and below a layer's name: 16 layers make the picture tall enough
_LABEL, _COLUMN = 116, 100  # narrowest layer-name and service columns
# Natural widths: at most _WIDEST, so that 13-unit text is still 10 px or more in the 571-px
# output of a 1024-px window; at least _NARROWEST, so that one service is not a tall strip.
# Between the two, layer names get room for one line each (each wrapped line adds a row).
_WIDEST, _NARROWEST = 720, 480
_INK, _MUTED, _EMPTY = "#111827", "#4b5563", "#f3f4f6"


class StackPicture:
    """Who owns each layer, for one or more services: SVG in notebooks, a table as text."""

    def __init__(self, service_ids: list[str]):
        self.services = [content.services()[s] for s in service_ids]
        # top of the picture = data; bottom = the facilities
        self.items = list(reversed(content.items().values()))

    def owner(self, service: dict, item_id: str) -> str:
        """The owner's name, starred where the data marks the cell as contested."""
        cell = service["responsibilities"].get(item_id)
        if not cell:
            return NOT_LISTED
        return cell["owner"] + ("*" if "contested" in cell else "")

    def cell_text(self, owner: str) -> str:
        party = content.parties().get(owner.rstrip("*"))
        return f"{party['symbol']} {owner}" if party else owner

    def description(self) -> str:
        """Every cell in words: the picture's text alternative."""
        parts = []
        for service in self.services:
            cells = "; ".join(f"{item['name']}: {self.owner(service, item['id'])}"
                              for item in self.items)
            parts.append(f"{service['name']} ({service['category']}, "
                         f"{service['delivery_model']}): {cells}.")
        legend = "; ".join(f"{p['id']} means {p['label']}" for p in content.parties().values()
                           if p["label"] != p["id"])
        return " ".join([*parts, f"* {CONTESTED}.", f"{LABELS}.",
                         f"{legend}." if legend else ""]).strip()

    def svg(self) -> str:
        """The picture: layer names on the left, a column per service, a legend below."""
        parties = content.parties()
        owners = [self.cell_text(self.owner(s, i["id"])) for s in self.services
                  for i in self.items]
        column = max(_COLUMN, 8 + max(
            _svg.widest_word([s["name"] for s in self.services], _FONT),
            max(_svg.text_width(o, _FONT) for o in owners)))
        count = len(self.services)
        widest_label = 2 * _PAD + max(_svg.text_width(i["name"], _FONT) for i in self.items)
        left = max(_LABEL, min(widest_label, _WIDEST - column * count))
        column = max(column, (_NARROWEST - left) / count)
        inner = column - 8
        headers = [(_svg.wrap(s["name"], inner, _FONT),
                    _svg.wrap(f"{s['delivery_model']} · {s['category']}", inner, _FONT))
                   for s in self.services]
        top = _PAD + max(_LINE * (len(name) + len(kind)) for name, kind in headers) + _PAD
        width = left + column * count
        body = [_svg.text(_PAD, top - _PAD - 4, ["Layer"], _FONT, _LINE, font_weight="bold",
                          fill=_INK)]
        for n, (name, kind) in enumerate(headers):
            x = left + n * column + column / 2
            body.append(_svg.text(x, _PAD + _FONT, name, _FONT, _LINE, text_anchor="middle",
                                  fill=_INK))
            body.append(_svg.text(x, _PAD + _FONT + _LINE * len(name), kind, _FONT, _LINE,
                                  text_anchor="middle", fill=_MUTED))
        y = top
        for item in self.items:
            label = _svg.wrap(item["name"], left - 2 * _PAD, _FONT)
            height = _LINE * len(label) + 2 * _ROW_PAD
            body.append(_svg.text(_PAD, y + _ROW_PAD + _FONT, label, _FONT, _LINE, fill=_INK))
            for n, service in enumerate(self.services):
                owner = self.owner(service, item["id"])
                party = parties.get(owner.rstrip("*"))
                x = left + n * column
                body.append(
                    f'<g class="course-stack-cell"><rect x="{x + 2:g}" y="{y + 1:g}" '
                    f'width="{column - 4:g}" height="{height - 2:g}" rx="3" '
                    f'fill="{party["colour"] if party else _EMPTY}"/>'
                    + _svg.text(x + column / 2, y + height / 2 + _FONT * 0.35,
                                [self.cell_text(owner)], _FONT, _LINE, text_anchor="middle",
                                fill="#fff" if party else _INK)
                    + "</g>")
            y += height
        legend, legend_height = self._legend(y + _PAD, width)
        body.append(legend)
        height = y + _PAD + legend_height + _PAD
        title = "Responsibility stack: " + ", ".join(s["name"] for s in self.services)
        return _svg.svg(width, height, title, self.description(), body)

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
        note = [*_svg.wrap(f"* {CONTESTED}", width - 2 * _PAD, _FONT),
                *_svg.wrap(LABELS, width - 2 * _PAD, _FONT)]
        parts.append(_svg.text(_PAD, y + 24 + _FONT, note, _FONT, _LINE, fill=_INK))
        return "".join(parts), y + 24 + _LINE * len(note) - top

    def _repr_html_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        header = ["Layer", *[s["name"] for s in self.services]]
        lines = [" | ".join(header)]
        for item in self.items:
            owners = [self.owner(s, item["id"]) for s in self.services]
            lines.append(" | ".join([item["name"], *owners]))
        return "\n".join([*lines, f"* {CONTESTED}"])


def stack(*service_ids: str) -> StackPicture:
    """A picture of the responsibility stack of one service, or of several side by side."""
    return StackPicture(list(service_ids))
