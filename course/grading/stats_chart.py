"""The item analysis as one SVG chart (no dependencies): per item, variant and matrix row, a
bar for its difficulty, a bar around zero for its discrimination, and its flags in words
under it, on a tinted band and marked ⚠ (never by colour alone). It scales to the width it
is shown in and says every figure and flag in its text alternative."""

from __future__ import annotations

from ..widgets import _svg
from .item_analysis import ItemAnalysis, ItemResult

FONT, ROW, LINE, INDENT = 12, 22, 15, 16
BAR, SPAN = 220, 70  # difficulty bar; discrimination bar, each side of zero
FILL, FLAGGED, GREY, BAND = "#2f5d8c", "#b42318", "#555", "#fdeceb"


def chart(title: str, results: list[ItemResult], analysis: ItemAnalysis) -> str:
    """The chart of ``results``, with the thresholds of ``analysis`` that its legend names
    (a dashed line marks the discrimination flagged as near zero)."""
    weak = analysis.weak_discrimination
    label_width = 12 + max((INDENT * r.depth + _svg.text_width(label(r), FONT)
                            for r in results), default=0)
    difficulty_x = label_width
    zero = difficulty_x + BAR + 96 + SPAN
    width = zero + SPAN + 12 + _svg.text_width("no spread", FONT)
    heading = _svg.wrap(title, width - 8, 14, bold=True)
    legend = _svg.wrap(
        "Difficulty: mean share of the points (higher is easier), and n, the students "
        "counted. Discrimination r: item-rest correlation (does the item go with the rest "
        f"of the assignment?); the dashed line is {weak:g}, below it the item is flagged; "
        "'no spread': everyone scored the same. ⚠ rows are flagged: read the words under "
        f"them. Fewer than {analysis.min_students} students: never flagged.", width - 8, FONT)
    top = 12 + 18 * len(heading) + LINE * len(legend) + 8
    body = [_svg.text(4, 18, heading, 14, 18, font_weight="bold"),
            _svg.text(4, 14 + 18 * len(heading), legend, FONT, LINE, fill=GREY),
            _svg.text(difficulty_x, top + 12, ["Difficulty"], FONT, font_weight="bold"),
            _svg.text(zero - SPAN, top + 12, ["Discrimination r"], FONT, font_weight="bold")]
    y = top + ROW
    for result in results:
        indent = INDENT * result.depth
        notes = [line for flag in result.flags for line in
                 _svg.wrap(f"⚠ {flag.text}", width - indent - 24, FONT)]
        height = ROW + LINE * len(notes)
        if notes:
            body.append(f'<rect x="0" y="{y}" width="{width:g}" height="{height - 2}" '
                        f'fill="{BAND}"/>')
        share, r = result.difficulty, result.discrimination
        body += [
            _svg.text(4 + indent, y + 15, [("⚠ " if notes else "") + label(result)], FONT,
                      font_weight="bold" if not result.depth else "normal"),
            f'<rect x="{difficulty_x:g}" y="{y + 4}" width="{BAR}" height="{ROW - 8}" '
            'fill="#e5e7eb"/>',
            f'<rect x="{difficulty_x:g}" y="{y + 4}" width="{round(BAR * share, 1)}" '
            f'height="{ROW - 8}" fill="{FILL}"/>',
            _svg.text(difficulty_x + BAR + 6, y + 15, [f"{share:.0%}  n={result.students}"],
                      FONT),
            f'<line x1="{zero:g}" y1="{y + 2}" x2="{zero:g}" y2="{y + ROW - 2}" '
            f'stroke="{GREY}"/>',
            f'<line x1="{zero + SPAN * weak:g}" y1="{y + 2}" x2="{zero + SPAN * weak:g}" '
            f'y2="{y + ROW - 2}" stroke="{GREY}" stroke-dasharray="2 2"/>']
        if r is not None:
            bad = any(f.code.endswith("discrimination") for f in result.flags)
            body.append(f'<rect x="{zero + min(0.0, SPAN * r):g}" y="{y + 6}" '
                        f'width="{abs(round(SPAN * r, 1))}" height="{ROW - 12}" '
                        f'fill="{FLAGGED if bad else FILL}"/>')
        body.append(_svg.text(zero + SPAN + 6, y + 15, ["no spread" if r is None else f"{r:.2f}"],
                              FONT))
        if notes:
            body.append(_svg.text(4 + indent + 16, y + ROW + 11, notes, FONT, LINE,
                                  fill=FLAGGED))
        y += height
    return _svg.svg(width, y + 6, title, description(results), body) + "\n"


def label(result: ItemResult) -> str:
    """An entry's own part of its name: the item, ``variant b``, or the row."""
    return result.row or (f"variant {result.variant}" if result.variant else result.item)


def description(results: list[ItemResult]) -> str:
    """Every figure and flag of the chart, in words."""
    return "; ".join(
        f"{r.label}: difficulty {r.difficulty:.0%} ({r.right} of {r.students} fully right), "
        f"discrimination {'undefined' if r.discrimination is None else f'{r.discrimination:.2f}'}"
        + "".join(f", flagged: {flag.text}" for flag in r.flags) for r in results)
