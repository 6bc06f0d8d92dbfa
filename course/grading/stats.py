"""Item statistics after grading: which questions (and matrix rows) the class got wrong.

Read in the grader's process from the autograded notebooks (each answer as the scorer saw
it: saved with the submission, or recorded when its code ran) and the keys in the
gradebook's hidden tests, never from anything a kernel printed about scores.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets import Integer, Unicode
from traitlets.config import LoggingConfigurable

from .. import kinds, records
from .harvest import METADATA_KEY
from .score import expectation

FIELDS = ("assignment", "notebook", "item", "row", "students", "right", "share_right",
          "right_answer", "most_common_wrong", "wrong_count", "why")


@dataclass
class ItemResult:
    """How the class did on one item, or on one row of a matrix item (``row`` set)."""

    assignment: str
    notebook: str
    item: str
    row: str
    students: int
    right: int
    right_answer: str
    most_common_wrong: str
    wrong_count: int
    why: str

    @property
    def share_right(self) -> float:
        return self.right / self.students if self.students else 0.0

    @property
    def label(self) -> str:
        return f"{self.item} / {self.row}" if self.row else self.item

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) if name != "share_right"
                else round(self.share_right, 4) for name in FIELDS}


class ItemStatistics(LoggingConfigurable):
    """Per item and per matrix row: share right, most common wrong answer; a CSV, an SVG
    bar chart, and the most-missed items with their explanations."""

    directory = Unicode(
        "stats", help="Where the CSV and the chart go, relative to the course root."
    ).tag(config=True)
    most_missed = Integer(5, help="How many most-missed items to print.").tag(config=True)

    def __init__(self, root: Path, config: Any = None, **kwargs):
        super().__init__(config=config, **kwargs)
        self.root = Path(root)
        self.coursedir = CourseDirectory(config=config, root=str(self.root.resolve()))

    def compute(self, assignment: str) -> list[ItemResult]:
        results = []
        for notebook, keys in self.keys(assignment).items():
            answers = list(self.answers(assignment, notebook))
            for item, expected in keys.items():
                results += item_results(assignment, notebook, expected,
                                        [a.get(item) for a in answers])
        return results

    def keys(self, assignment: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Notebook -> item -> the literal arguments of its ``expect`` in the gradebook."""
        keys: dict[str, dict[str, dict[str, Any]]] = {}
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                notebooks = gradebook.find_assignment(assignment).notebooks
            except MissingEntry:
                return {}
            for notebook in notebooks:
                found = {}
                for cell in notebook.source_cells:
                    expected = expectation(cell.source)
                    if expected is not None:
                        found[expected["item"]] = expected
                keys[notebook.name] = found
        return keys

    def answers(self, assignment: str, notebook: str):
        """Each student's answers in ``notebook``, exactly as the scorer saw them (kept in
        each feedback output's metadata; an unusable answer is ``None``)."""
        pattern = self.coursedir.format_path(
            self.coursedir.autograded_directory, "*", assignment)
        for folder in sorted(Path(pattern).parent.parent.glob(f"*/{assignment}")):
            path = folder / f"{notebook}.ipynb"
            if path.is_file():
                yield scored_answers(json.loads(path.read_text()))

    def write(self, assignment: str, results: list[ItemResult]) -> list[Path]:
        folder = self.root / self.directory
        folder.mkdir(parents=True, exist_ok=True)
        table, chart = folder / f"{assignment}-items.csv", folder / f"{assignment}-items.svg"
        with open(table, "w", newline="") as file:
            writer = csv.DictWriter(file, FIELDS)
            writer.writeheader()
            writer.writerows(result.as_row() for result in results)
        chart.write_text(bar_chart(f"{assignment}: share of the class right", results))
        return [table, chart]

    def report(self, assignment: str, out: Any = None) -> list[ItemResult]:
        """Compute, write the files and print the most-missed items (to ``out``)."""
        import sys

        out = out or sys.stdout
        results = self.compute(assignment)
        files = self.write(assignment, results)
        print(f"{assignment}: item statistics for {len(results)} items and rows; wrote "
              + ", ".join(str(path) for path in files), file=out)
        for result in missed(results, self.most_missed):
            print(f"- {result.label}: {result.share_right:.0%} right "
                  f"({result.right}/{result.students}); most common wrong answer "
                  f"{result.most_common_wrong!r} ({result.wrong_count}); answer "
                  f"{result.right_answer}. Why: {result.why or '-'}", file=out)
        return results


def scored_answers(nb: dict[str, Any]) -> dict[str, Any]:
    """Item -> the answer ``ScoreRecordedAnswers`` scored, from an autograded notebook."""
    found = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if records.is_test(cell) else []:
            scored = output.get("metadata", {}).get(METADATA_KEY)
            if isinstance(scored, dict) and isinstance(scored.get("item"), str):
                found[scored["item"]] = scored.get("answer")
    return found


def item_results(assignment: str, notebook: str, expected: dict[str, Any],
                 answers: list[Any]) -> list[ItemResult]:
    """The item's result, and the rows its kind adds (one per matrix row)."""
    rows = kinds.of(expected["item"]).statistics(expected["key"], answers,
                                                 expected.get("why") or "")
    results = []
    for row in rows:
        common, count = row.wrong.most_common(1)[0] if row.wrong else ("", 0)
        results.append(ItemResult(assignment, notebook, expected["item"], row.row,
                                  len(answers), row.right, row.right_answer, common, count,
                                  row.why))
    return results


def missed(results: list[ItemResult], count: int) -> list[ItemResult]:
    """The ``count`` most-missed questions and matrix rows (a matrix as a whole is left
    out: its rows say more)."""
    matrices = {r.item for r in results if r.row}
    single = [r for r in results if r.row or r.item not in matrices]
    return sorted(single, key=lambda r: (r.share_right, r.label))[:count]


def bar_chart(title: str, results: list[ItemResult]) -> str:
    """A horizontal bar chart (SVG, no dependencies) of the share right per entry; it scales
    to the width it is shown in and says every share in its text alternative."""
    from ..widgets import _svg

    font, row, bar, indent = 12, 20, 300, 16
    labels = [(indent if r.row else 0, r.row or r.item) for r in results]
    label_width = 8 + max((x + _svg.text_width(t, font) for x, t in labels), default=0)
    width = label_width + bar + 50
    heading = _svg.wrap(title, width - 8, 14, bold=True)
    top = 10 + 18 * len(heading)
    body = [_svg.text(4, 18, heading, 14, 18, font_weight="bold")]
    for index, (result, (x, label)) in enumerate(zip(results, labels, strict=True)):
        y = top + index * row
        share = result.share_right
        colour = "#2e7d32" if share >= 0.8 else "#b45309" if share >= 0.5 else "#c62828"
        body += [
            _svg.text(4 + x, y + 14, [label], font),
            f'<rect x="{label_width:g}" y="{y + 3}" width="{bar}" height="{row - 6}" '
            'fill="#eee"/>',
            f'<rect x="{label_width:g}" y="{y + 3}" width="{round(bar * share, 1)}" '
            f'height="{row - 6}" fill="{colour}"/>',
            _svg.text(label_width + bar + 6, y + 14, [f"{share:.0%}"], font)]
    description = "; ".join(f"{r.label}: {r.share_right:.0%} right ({r.right} of "
                            f"{r.students})" for r in results)
    return _svg.svg(width, top + row * len(results) + 6, title, description, body) + "\n"
