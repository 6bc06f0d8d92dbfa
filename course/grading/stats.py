"""Item statistics after grading: which questions (and matrix rows, and variants) the class
got wrong, which ones do not tell who understood, and which options nobody takes.

Read in the grader's process from the autograded notebooks (each answer as the scorer saw
it and scored it, kept in the feedback output's metadata) and the keys in the gradebook's
hidden tests, never from anything a kernel printed about scores. The analysis itself is
:class:`~.item_analysis.ItemAnalysis`; this module reads its table and writes the files.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets import Integer, Unicode
from traitlets.config import LoggingConfigurable

from .. import content, kinds, records
from .harvest import METADATA_KEY
from .item_analysis import ItemAnalysis, ItemResult, Response, Version
from .score import expectation
from .stats_chart import chart

FIELDS = ("assignment", "notebook", "item", "variant", "row", "students", "right",
          "share_right", "difficulty", "discrimination", "unanswered", "right_answer",
          "most_common_wrong", "wrong_count", "choices", "flags", "why")
DEFAULT_VARIANT = "a"
"""The variant of an answer whose record names none (graded before items had variants)."""


class ItemStatistics(LoggingConfigurable):
    """Per item, per variant and per matrix row: difficulty, discrimination, the share
    choosing each option, and flags (:class:`ItemAnalysis`); a CSV, a JSON file, an SVG
    chart, and the flagged and most-missed items printed with their explanations."""

    directory = Unicode(
        "stats", help="Where the CSV, the JSON file and the chart go, relative to the course "
        "root.").tag(config=True)
    most_missed = Integer(5, help="How many most-missed items to print.").tag(config=True)

    def __init__(self, root: Path, config: Any = None, **kwargs):
        super().__init__(config=config, **kwargs)
        self.root = Path(root)
        self.coursedir = CourseDirectory(config=config, root=str(self.root.resolve()))
        self.analysis = ItemAnalysis(parent=self)

    def compute(self, *assignments: str) -> list[ItemResult]:
        """The analysis of ``assignments`` together (one rest score over all of them)."""
        versions = {key: version for assignment in assignments
                    for key, version in self.versions(assignment).items()}
        responses = [response for assignment in assignments
                     for response in self.responses(assignment, versions)]
        return self.analysis.analyse(responses, versions)

    def assignments(self) -> list[str]:
        """Every assignment of the gradebook (``course-stats '*'``)."""
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            return sorted(assignment.name for assignment in gradebook.assignments)

    def versions(self, assignment: str) -> dict[tuple[str, str], Version]:
        """(item, variant) -> its key, in the order of the gradebook's notebooks and cells:
        the literal arguments of each variant's ``expect`` in the hidden tests."""
        versions: dict[tuple[str, str], Version] = {}
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                notebooks = gradebook.find_assignment(assignment).notebooks
            except MissingEntry:
                return {}
            for notebook in notebooks:
                for cell in notebook.source_cells:
                    expected = expectation(cell.source)
                    if expected is None or expected["item"] not in content.checkpoints():
                        continue
                    for variant, found in (expected.get("variants")
                                           or {DEFAULT_VARIANT: expected}).items():
                        versions[expected["item"], variant] = Version(
                            variant_kind(expected["item"], variant), found["key"],
                            found.get("why") or "", notebook.name, assignment)
        return versions

    def responses(self, assignment: str, versions: dict[tuple[str, str], Version]
                  ) -> list[Response]:
        """Every student's scored answers in the assignment's autograded notebooks, each
        checked again against its variant's kind (one that does not fit counts as no
        answer); a notebook that cannot be read is skipped with a warning."""
        pattern = self.coursedir.format_path(
            self.coursedir.autograded_directory, "*", assignment)
        notebooks = {version.notebook for version in versions.values()}
        found = []
        for folder in sorted(Path(pattern).parent.parent.glob(f"*/{assignment}")):
            for notebook in sorted(notebooks):
                path = folder / f"{notebook}.ipynb"
                if not path.is_file():
                    continue
                try:
                    nb = json.loads(path.read_text())
                except (OSError, ValueError) as error:
                    self.log.warning("item statistics: %s left out, it cannot be read (%s)",
                                     path, error)
                    continue
                found += [checked(response, versions)
                          for response in scored_answers(nb, folder.parent.name)]
        return found

    def write(self, assignment: str, results: list[ItemResult]) -> list[Path]:
        folder = self.root / self.directory
        folder.mkdir(parents=True, exist_ok=True)
        table, data, picture = (folder / f"{assignment}-items.{ext}"
                                for ext in ("csv", "json", "svg"))
        with open(table, "w", newline="") as file:
            writer = csv.DictWriter(file, FIELDS)
            writer.writeheader()
            writer.writerows(as_row(result) for result in results)
        data.write_text(json.dumps({"assignment": assignment,
                                    "settings": self.analysis.trait_values(config=True),
                                    "items": [as_json(r) for r in results]}, indent=1) + "\n")
        picture.write_text(chart(f"{assignment}: item analysis", results, self.analysis))
        return [table, data, picture]

    def report(self, assignments: list[str] | str, out: Any = None) -> list[ItemResult]:
        """Analyse ``assignments`` together, write each one's files and print its flagged
        and most-missed items (to ``out``)."""
        import sys

        out = out or sys.stdout
        names = [assignments] if isinstance(assignments, str) else assignments
        results = self.compute(*names)
        for assignment in names:
            mine = [result for result in results if result.assignment == assignment]
            files = self.write(assignment, mine)
            rest = f" (rest score over {len(names)} assignments)" if len(names) > 1 else ""
            print(f"{assignment}: item analysis of {len(mine)} items, variants and rows"
                  f"{rest}; wrote " + ", ".join(str(path) for path in files), file=out)
            for result in missed(mine, self.most_missed):
                print(missed_line(result), file=out)
            flagged = [result for result in mine if result.flags]
            print(f"{len(flagged)} flagged for a look (thresholds: course-stats --help-all)"
                  + ":" * bool(flagged), file=out)
            for result in flagged:
                print(f"! {result.label} (n = {result.students}): "
                      + "; ".join(flag.text for flag in result.flags), file=out)
        return results


def variant_kind(item: str, variant: str) -> kinds.Kind:
    """Variant ``variant`` of graded ``item`` as its kind (the item itself when the
    checkpoint data has no such variant)."""
    definition = content.checkpoints()[item]
    kind = kinds.of(item)
    return type(kind)(item, definition.get("variants", {}).get(variant, definition))


def scored_answers(nb: dict[str, Any], student: str) -> list[Response]:
    """The answers ``ScoreRecordedAnswers`` scored in an autograded notebook, with their
    scores and variants (kept in each feedback output's metadata)."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if records.is_test(cell) else []:
            scored = output.get("metadata", {}).get(METADATA_KEY)
            if not (isinstance(scored, dict) and isinstance(scored.get("item"), str)):
                continue
            variant = scored.get("variant")
            score, points = scored.get("score"), scored.get("points")
            if not (isinstance(score, int | float) and isinstance(points, int | float)):
                continue
            found.append(Response(student, scored["item"],
                                  variant[:8] if isinstance(variant, str) else DEFAULT_VARIANT,
                                  scored.get("answer"), float(score), float(points)))
    return found


def checked(response: Response, versions: dict[tuple[str, str], Version]) -> Response:
    """``response`` with its answer made canonical for its variant's kind, or ``None`` when
    it does not fit (or the gradebook has no key for that variant)."""
    version = versions.get((response.item, response.variant))
    if version is None or response.answer is None:
        return replace(response, answer=None)
    try:
        return replace(response, answer=version.kind.check(response.answer))
    except kinds.InvalidAnswer:
        return replace(response, answer=None)


def missed_line(result: ItemResult) -> str:
    """A most-missed entry in one line: the wrong answers given and the students who gave
    none apart (an empty answer is not a misconception), the answer, why."""
    wrong = (f"most common wrong answer {result.most_common_wrong!r} ({result.wrong_count}); "
             if result.wrong_count else "")
    blank = f"{result.unanswered} gave no answer; " if result.unanswered else ""
    return (f"- {result.label}: {result.share_right:.0%} right ({result.right}/"
            f"{result.students}); {wrong}{blank}answer {result.right_answer}. "
            f"Why: {result.why or '-'}")


def as_row(result: ItemResult) -> dict[str, Any]:
    """One CSV row: shares rounded, options as ``option: share`` pairs, flags as sentences."""
    row = as_json(result)
    row["choices"] = "; ".join(f"{option}: {share:.0%}" for option, share
                               in result.choices.items())
    row["flags"] = "; ".join(flag["text"] for flag in row["flags"])
    return {name: row[name] for name in FIELDS}


def as_json(result: ItemResult) -> dict[str, Any]:
    """An entry as plain JSON, shares rounded to 4 places."""
    rounded = lambda value: None if value is None else round(value, 4)  # noqa: E731
    return {
        **{name: getattr(result, name) for name in FIELDS if name not in (
            "share_right", "difficulty", "discrimination", "choices", "flags")},
        "share_right": rounded(result.share_right), "difficulty": rounded(result.difficulty),
        "discrimination": rounded(result.discrimination),
        "choices": {option: rounded(share) for option, share in result.choices.items()},
        "flags": [{"code": flag.code, "text": flag.text} for flag in result.flags]}


def missed(results: list[ItemResult], count: int) -> list[ItemResult]:
    """The ``count`` most-missed questions and matrix rows (a matrix as a whole, and an item
    with variants as a whole, are left out: their parts say more)."""
    parts = {r.item for r in results if r.row or r.variant}
    single = [r for r in results if r.row or r.item not in parts or (r.variant and not
              any(o.row for o in results if o.item == r.item))]
    return sorted(single, key=lambda r: (r.share_right, r.label))[:count]
