"""The mastery map: concepts as nodes, prerequisites as edges, each node locked, open or
mastered. A picture that redraws itself as practice checks are answered."""

from __future__ import annotations

from html import escape

from .. import content, progress

_W, _H, _GAP_X, _GAP_Y, _PAD = 190, 46, 60, 18, 20
STYLE = {  # state: (fill, mark, words)
    "mastered": ("#15803d", "✔", "mastered"),
    "open": ("#2563eb", "○", "open: ready to learn"),
    "locked": ("#6b7280", "🔒", "locked: learn its prerequisites first (still open to you)"),
}


class MasteryMap:
    """The map as SVG (notebooks) and as a list (text), from the saved progress."""

    def __init__(self) -> None:
        self.concepts = content.concepts()
        self.states = progress.states()

    def _layout(self) -> dict[str, tuple[int, int]]:
        depth: dict[str, int] = {}

        def level(concept: str) -> int:
            if concept not in depth:
                prerequisites = self.concepts[concept]["prerequisites"]
                depth[concept] = 1 + max((level(p) for p in prerequisites), default=-1)
            return depth[concept]

        rows: dict[int, int] = {}
        where = {}
        for concept in self.concepts:
            column = level(concept)
            where[concept] = (column, rows.get(column, 0))
            rows[column] = rows.get(column, 0) + 1
        return where

    def _repr_svg_(self) -> str:
        where = self._layout()
        columns = max(c for c, _ in where.values()) + 1
        rows = max(r for _, r in where.values()) + 1
        width = _PAD * 2 + columns * (_W + _GAP_X)
        height = _PAD * 2 + rows * (_H + _GAP_Y) + 40

        def box(concept: str) -> tuple[int, int]:
            column, row = where[concept]
            return _PAD + column * (_W + _GAP_X), _PAD + row * (_H + _GAP_Y)

        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                 'role="img" aria-label="Mastery map" font-family="sans-serif" font-size="12">'
                 "<title>Mastery map</title>"]
        for concept, info in self.concepts.items():
            x, y = box(concept)
            for prerequisite in info["prerequisites"]:
                px, py = box(prerequisite)
                parts.append(f'<line x1="{px + _W}" y1="{py + _H / 2}" x2="{x}" y2="{y + _H / 2}" '
                             'stroke="#9ca3af" stroke-width="1.5"/>')
        for concept, info in self.concepts.items():
            x, y = box(concept)
            fill, mark, words = STYLE[self.states[concept]]
            parts.append(f'<rect x="{x}" y="{y}" width="{_W}" height="{_H}" rx="8" '
                         f'fill="{fill}"><title>{escape(info["title"])}: {words}</title></rect>')
            parts.append(f'<text x="{x + 8}" y="{y + 18}" fill="#fff" font-weight="bold">'
                         f'{mark} {escape(concept[:2])}</text>')
            parts.append(f'<text x="{x + 8}" y="{y + 35}" fill="#fff">'
                         f"{escape(info['title'][:28])}</text>")
        legend_y = height - 20
        for n, (fill, mark, words) in enumerate(STYLE.values()):
            x = _PAD + n * 230
            parts.append(f'<rect x="{x}" y="{legend_y - 12}" width="14" height="14" '
                         f'fill="{fill}"/><text x="{x + 20}" y="{legend_y}">{mark} '
                         f"{escape(words.split(':')[0])}</text>")
        parts.append("</svg>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = ["Mastery map", progress.RULE]
        for concept, info in self.concepts.items():
            _fill, mark, words = STYLE[self.states[concept]]
            after = ", ".join(info["prerequisites"]) or "nothing"
            lines.append(f"{mark} {concept} {info['title']}: {words} (after {after})")
        return "\n".join(lines)


def mastery_map() -> None:
    """Show the map and its rule; the map redraws when a practice check is answered."""
    from IPython.display import HTML, display, update_display

    display(HTML(f"<p><em>{escape(progress.RULE)}</em></p>"))
    display(MasteryMap(), display_id="course-mastery-map")
    progress.on_change(lambda: update_display(MasteryMap(), display_id="course-mastery-map"))
