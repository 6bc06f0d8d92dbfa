"""The responsibility stack as a picture: an SVG column per service, an owner per layer, so
the line between AWS and the customer can be seen moving from service to service."""

from __future__ import annotations

from html import escape

from .. import content

_ROW, _LABEL, _COLUMN, _TOP = 24, 250, 150, 44
CONTESTED = "depends on a choice or AWS's pages differ: see the matrix"


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
            return "—"
        return cell["owner"] + ("*" if "contested" in cell else "")

    def _repr_svg_(self) -> str:
        parties = content.parties()
        width = max(_LABEL + _COLUMN * len(self.services), 860)
        height = _TOP + _ROW * len(self.items) + 40
        title = "Responsibility stack: " + ", ".join(s["name"] for s in self.services)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
            f"<title>{escape(title)}</title>",
        ]
        for n, service in enumerate(self.services):
            x = _LABEL + n * _COLUMN
            parts.append(f'<text x="{x + _COLUMN / 2}" y="{_TOP - 24}" text-anchor="middle" '
                         f'font-weight="bold">{escape(service["name"])}</text>')
            parts.append(f'<text x="{x + _COLUMN / 2}" y="{_TOP - 8}" text-anchor="middle" '
                         f'fill="#555">{escape(service["category"])} · '
                         f'{escape(service["delivery_model"])}</text>')
        for row, item in enumerate(self.items):
            y = _TOP + row * _ROW
            parts.append(f'<text x="4" y="{y + 16}">{escape(item["name"])}</text>')
            for n, service in enumerate(self.services):
                owner = self.owner(service, item["id"])
                party = parties.get(owner.rstrip("*"), {"colour": "#9ca3af", "symbol": "?"})
                x = _LABEL + n * _COLUMN
                parts.append(f'<rect x="{x + 2}" y="{y + 1}" width="{_COLUMN - 4}" '
                             f'height="{_ROW - 2}" fill="{party["colour"]}" rx="3"/>')
                parts.append(f'<text x="{x + _COLUMN / 2}" y="{y + 16}" text-anchor="middle" '
                             f'fill="#fff" font-weight="bold">{party["symbol"]} '
                             f"{escape(owner)}</text>")
        legend_y = _TOP + _ROW * len(self.items) + 24
        for n, party in enumerate(parties.values()):
            x = 4 + n * 160
            parts.append(f'<rect x="{x}" y="{legend_y - 12}" width="14" height="14" '
                         f'fill="{party["colour"]}"/><text x="{x + 20}" y="{legend_y}">'
                         f'{party["symbol"]} {escape(party["label"])}</text>')
        parts.append(f'<text x="{4 + len(parties) * 160}" y="{legend_y}">* {CONTESTED}</text>')
        parts.append("</svg>")
        return "".join(parts)

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
