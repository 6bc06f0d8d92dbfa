"""Score recorded answers against the keys in hidden tests, in the grader's process."""

from __future__ import annotations

import ast
from html import escape
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import capstone, content, records, scoring
from .harvest import METADATA_KEY


def expectation(source: str) -> dict[str, Any] | None:
    """The literal arguments of the ``expect(...)`` call in a test cell's source, if any."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "expect":
                try:
                    args = [ast.literal_eval(arg) for arg in node.args]
                    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
                except ValueError:
                    return None
                return dict(zip(["item", "key", "why", "source"], args, strict=False)) | kwargs
    return None


class ScoreRecordedAnswers(NbGraderPreprocessor):
    """Replace the outputs of each ``expect`` test cell with feedback and a partial score.

    The answer is the one the notebook recorded when re-run (answers typed as code), else
    the one saved in the submission (answers clicked in a widget); records printed by test
    cells themselves are ignored. The key comes from the test cell's source in the
    gradebook (the kernel ran the cell without its hidden tests), and that source is put
    back in the cell. Whatever the student's kernel printed in that cell is discarded.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        saved = nb.metadata.get(METADATA_KEY, {}).get("recorded", {})
        answered = [cell for cell in nb.cells if not is_test(cell)]
        self.answers = {**saved, **records.find({"cells": answered})}
        self.tests = test_sources(resources)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if not is_test(cell):
            return cell, resources
        source = self.tests.get(cell.metadata.nbgrader["grade_id"], cell.source)
        expected = expectation(source)
        if expected is None:
            return cell, resources
        cell.source = source
        points = float(cell.metadata.nbgrader["points"])
        item = expected["item"]
        given = self.answers.get(item)
        problem = ""
        try:
            given = None if given is None else records.check(item, given)
        except (records.InvalidAnswer, TypeError) as error:
            problem, given = str(error) or type(error).__name__, None
        score = scoring.points(expected["key"], given, points)
        reused = bool(content.checkpoints().get(item, {}).get("reuse"))
        cell.outputs = [
            new_output("display_data",
                       data=feedback(expected, given, score, points, problem, reused),
                       metadata={METADATA_KEY: {"item": item, "score": score,
                                                "points": points, "problem": problem}}),
            new_output("execute_result", data={"text/plain": repr(score)},
                       execution_count=cell.get("execution_count")),
        ]
        return cell, resources


def is_test(cell: NotebookNode) -> bool:
    """An autograder test cell: graded code that is not the student's answer."""
    return utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"


def test_sources(resources: ResourcesDict) -> dict[str, str]:
    """The source of each grade cell of this notebook as the gradebook holds it."""
    info = resources.get("nbgrader", {})
    if "db_url" not in info:
        return {}
    with Gradebook(info["db_url"]) as gradebook:
        try:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        except MissingEntry:
            return {}
        return {cell.name: cell.source for cell in notebook.source_cells}


def feedback(expected: dict[str, Any], given: Any, score: float, points: float,
             problem: str = "", reused: bool = False) -> dict[str, str]:
    """Per item: the student's answer, the right one (unless the item is reused), why, and
    the source."""
    item, key = expected["item"], expected["key"]
    definition = content.checkpoints().get(item, {})
    tasks = {row["id"]: row["task"] for row in definition.get("rows", [])}
    why, source = expected.get("why") or "", expected.get("source") or ""
    lines = [f"{definition.get('prompt', item)}", f"Score: {score:g} / {points:g}"]
    if problem:
        lines.append(f"Your recorded answer could not be used: {problem}")
    if key == scoring.COMPLETE:
        found, checks = capstone.problems(given) if given is not None else (["nothing shared"], 1)
        lines.append(f"Completeness: {checks - len(found)} of {checks} checks passed.")
        lines += [f"✘ {gap}" for gap in found]
        if why:
            lines.append(f"Why: {why}")
    elif isinstance(key, dict):
        given = given if isinstance(given, dict) else {}
        for row, owner in key.items():
            mark = "✔" if given.get(row) == owner else "✘"
            reason = why.get(row, "") if isinstance(why, dict) else ""
            right = "" if reused else f", answer {owner}"
            lines.append(f"{mark} {tasks.get(row, row)}: you said {given.get(row, 'nothing')}"
                         f"{right}. {reason}")
    else:
        lines.append(f"Your answer: {records.describe(given)}")
        if not reused:
            lines.append(f"Right answer: {records.describe(key)}")
        if why:
            lines.append(f"Why: {why}")
    html = "".join(f"<p>{escape(line)}</p>" for line in lines)
    if source:
        lines.append(f"Source: {source}")
        html += f'<p>Source: <a href="{escape(source)}" target="_blank">{escape(source)}</a></p>'

    return {"text/plain": "\n".join(lines),
            "text/html": f'<div class="course-feedback">{html}</div>'}
