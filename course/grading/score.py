"""Score recorded answers against the keys in hidden tests, in the grader's process."""

from __future__ import annotations

import ast
from html import escape
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import content, records, scoring
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
    the one saved in the submission (answers clicked in a widget). The key comes from the
    test cell's source, which nbgrader has restored from the gradebook. Whatever the
    student's kernel printed in that cell is discarded.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        saved = nb.metadata.get(METADATA_KEY, {}).get("recorded", {})
        self.answers = {**saved, **records.find(nb)}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if not (utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"):
            return cell, resources
        expected = expectation(cell.source)
        if expected is None:
            return cell, resources
        points = float(cell.metadata.nbgrader["points"])
        item = expected["item"]
        given = self.answers.get(item)
        problem = ""
        try:
            given = None if given is None else records.check(item, given)
        except records.InvalidAnswer as error:
            problem, given = str(error), None
        score = scoring.points(expected["key"], given, points)
        cell.outputs = [
            new_output("display_data", data=feedback(expected, given, score, points, problem)),
            new_output("execute_result", data={"text/plain": repr(score)},
                       execution_count=cell.get("execution_count")),
        ]
        return cell, resources


def feedback(expected: dict[str, Any], given: Any, score: float, points: float,
             problem: str = "") -> dict[str, str]:
    """Per item: the student's answer, the right one, why, and the source."""
    item, key = expected["item"], expected["key"]
    prompt = content.checkpoints().get(item, {}).get("prompt", item)
    why, source = expected.get("why") or "", expected.get("source") or ""
    lines = [f"{prompt}", f"Score: {score:g} / {points:g}"]
    if problem:
        lines.append(f"Your recorded answer could not be used: {problem}")
    if isinstance(key, dict):
        given = given or {}
        for row, owner in key.items():
            mark = "✔" if given.get(row) == owner else "✘"
            reason = why.get(row, "") if isinstance(why, dict) else ""
            lines.append(f"{mark} {row}: you said {given.get(row, 'nothing')}, "
                         f"answer {owner}. {reason}")
    else:
        lines.append(f"Your answer: {records.describe(given)}")
        lines.append(f"Right answer: {records.describe(key)}")
        if why:
            lines.append(f"Why: {why}")
    if source:
        lines.append(f"Source: {source}")
    html = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return {"text/plain": "\n".join(lines),
            "text/html": f'<div class="course-feedback">{html}</div>'}
