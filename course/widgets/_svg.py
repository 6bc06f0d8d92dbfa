"""Drawing helpers for the course's SVG pictures: text is wrapped here, by an estimate of its
width, because SVG does not wrap text; pictures scale to their cell through their viewBox."""

from __future__ import annotations

from .. import pages

TEMPLATE = "widgets/svg.html.j2"

# Advance widths in em of DejaVu Sans (Debian's and many Linux desktops' sans-serif), rounded
# up; most other sans-serif fonts are narrower, so text measured here fits them too.
_WIDTHS = {
    0.30: "ijlI.,:;'!|",
    0.40: "frt()[]-/ ",
    0.55: "csz*\"",
    0.82: "ABCDEFGHJKLNOPQRSTUVXYZ",
    1.00: "mwMW",
}
_EM = {char: width for width, chars in _WIDTHS.items() for char in chars}
_OTHER, _SYMBOL, _BOLD = 0.65, 1.0, 1.1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of how wide ``text`` is drawn at ``size`` (in user units)."""
    ems = sum(_EM.get(char, _OTHER if char.isascii() else _SYMBOL) for char in text)
    return ems * size * (_BOLD if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken between words into lines that fit ``width``; a word wider than
    ``width`` keeps a line of its own (callers size their columns to the widest word)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def widest_word(texts: list[str], size: float, bold: bool = False) -> float:
    return max((text_width(w, size, bold) for t in texts for w in t.split()), default=0.0)


def text(x: float, y: float, lines: list[str], size: float, line: float = 16,
         **attrs: str) -> str:
    """A ``<text>`` of several lines; ``y`` is the baseline of the first."""
    return pages.fragment(TEMPLATE, "text", x, y, lines, size, line, attrs)


TALLEST = 800
"""Growing a picture beyond its natural size stops at this height (px): a tall picture
grown to a wide cell would fill more than a screen."""


def svg(width: float, height: float, title: str, description: str, body: list[str],
        grow: float = 1.15) -> str:
    """An SVG that fills its cell's width (never wider than ``grow`` times its natural size,
    nor grown taller than TALLEST), named by ``title`` and described by ``description`` for
    screen readers; its white ground keeps the dark text readable in dark themes too."""
    grow = min(grow, max(1.0, TALLEST / height))
    return pages.fragment(TEMPLATE, "svg", width, height, title, description, "".join(body),
                          grow)
