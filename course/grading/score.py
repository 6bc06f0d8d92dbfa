"""Score recorded answers against the keys in hidden tests, in the grader's process."""

from __future__ import annotations

import ast
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool

from .. import content, kinds, pages, records, scoring
from ..records import is_test
from .harvest import METADATA_KEY

__all__ = ["ScoreRecordedAnswers", "expectation", "feedback", "is_test", "seen", "test_sources"]

SYMBOLS = {"right": "✔", "wrong": "✘", "missed": "◯", "": "•"}
MINUS, TIMES = "\N{MINUS SIGN}", "\N{MULTIPLICATION SIGN}"
WORDS = {"right": "your choice, right", "wrong": "your choice, wrong",
         "missed": "missed: this one is right"}


def expectation(source: str) -> dict[str, Any] | None:
    """The literal arguments of the ``expect(...)`` call in a test cell's source, if any.
    The one place a test cell's source is parsed."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "expect":
                try:
                    args = [ast.literal_eval(arg) for arg in node.args]
                    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
                except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                    return None
                found = dict(zip(["item", "key", "why", "source"], args, strict=False)) | kwargs
                return found if isinstance(found.get("item"), str) and "key" in found else None
    return None


def seen(nb: NotebookNode | dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Each item's answer as the scorer sees it, and why it could not be used (``""`` when
    it could): the newest record the submission saved (kept by ``HarvestRecordedAnswers``),
    else the one its code recorded when re-run; records printed by test cells never count.
    An answer that does not fit its item is ``None`` with the reason."""
    harvested = nb.get("metadata", {}).get(METADATA_KEY, {})
    given = {**records.find(nb), **harvested.get("recorded", {})}
    result: dict[str, tuple[Any, str]] = {item: (None, reason) for item, reason
                                          in harvested.get("refused", {}).items()}
    for item, answer in given.items():
        try:
            result[item] = (records.check(item, answer), "")
        except records.InvalidAnswer as error:
            result[item] = (None, str(error))
    return result


class ScoreRecordedAnswers(NbGraderPreprocessor):
    """Replace the outputs of each ``expect`` test cell with feedback and a partial score.

    The answers are those of :func:`seen`. The key comes from the test cell's source in the
    gradebook (the kernel ran the cell without its hidden tests), and that source is put
    back in the cell. Whatever the student's kernel printed in that cell is discarded.
    The feedback output's metadata keeps the item, its score and the answer it scored (the
    statistics and the grading report read them there).
    """

    reveal = Bool(True, help="Show the right answer in feedback. False: only right or wrong "
                  "and the source, an explanation only where it names no right answer the "
                  "student missed (for keys reused across terms). An item marked "
                  "'reuse = true' in its checkpoint data never shows it.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        self.answers = seen(nb)
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
        given, problem = self.answers.get(item, (None, ""))
        score = scoring.points(item, expected["key"], given, points)
        reveal = self.reveal and not content.checkpoints().get(item, {}).get("reuse")
        cell.outputs = [
            new_output("display_data",
                       data=feedback(expected, given, score, points, problem, reveal),
                       metadata={METADATA_KEY: {"item": item, "score": score, "answer": given,
                                                "points": points, "problem": problem}}),
            new_output("execute_result", data={"text/plain": repr(score)},
                       execution_count=cell.get("execution_count")),
        ]
        return cell, resources


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
             problem: str = "", reveal: bool = True) -> dict[str, str]:
    """Per item: the score and the sum behind it, each option or row marked (chosen and
    right or wrong, missed), the right answer unless it is not to be revealed, why, and the
    source. Without reveal, an explanation shows only where it gives nothing away: on the
    student's own right choices, or on an item fully right."""
    item, key = expected["item"], expected["key"]
    kind = kinds.of(item)
    why, source = expected.get("why") or "", expected.get("source") or ""
    marks = kind.marks(key, given, why, reveal)
    if not reveal:
        for mark in marks:
            mark.why = mark.why if mark.state == "right" else ""
    summary = kind.summary(key, given, reveal)
    shared_why = why if isinstance(why, str) and (reveal or score >= points) else ""
    sum_line = arithmetic(item, key, given, score, points)
    html = pages.render("item.html.j2", prompt=kind.prompt, score=score, points=points,
                        problem=problem, summary=summary, marks=marks, why=shared_why,
                        source=source, arithmetic=sum_line, SYMBOLS=SYMBOLS, WORDS=WORDS)
    lines = [kind.prompt, f"Score: {score:g} of {points:g} points" + (f" ({sum_line})"
                                                                      if sum_line else "")]
    lines += [f"Your recorded answer could not be used: {problem}"] * bool(problem)
    lines += summary
    lines += [" ".join(filter(None, [SYMBOLS[m.state], m.text + (f": {m.answer}." if m.answer
                                                                   else ""),
                                     f"({m.words or WORDS[m.state]})" if m.state else "", m.why]))
              for m in marks]
    lines += [f"Why: {shared_why}"] * bool(shared_why) + [f"Source: {source}"] * bool(source)
    return {"text/plain": "\n".join(lines), "text/html": html}


def arithmetic(item: str, key: Any, given: Any, score: float, points: float) -> str:
    """The partial-credit sum behind a score, e.g. "+1 - 1 = 0" for a multiple-answer item,
    so a student sees why a right choice still scored 0; "" where a score is all or nothing."""
    kind = content.checkpoints()[item]["kind"]
    if given is None or not isinstance(key, list | dict) or not key:
        return ""
    share = points / len(key)
    if kind == "multiple" and isinstance(given, list):
        hits, misses = len(set(given) & set(key)), len(set(given) - set(key))
        floor = " (never below 0)" if hits < misses else ""
        return f"+{hits * share:.3g} {MINUS}{misses * share:.3g} = {score:g}{floor}"
    if kind == "matrix" and isinstance(given, dict):
        right = sum(given.get(row) == owner for row, owner in key.items())
        return f"{right} of {len(key)} rows right {TIMES} {share:.3g} = {score:g}"
    if kind == "ordering" and isinstance(given, list) and len(given) > 1:
        pairs = len(given) - 1
        return (f"{round(score / points * pairs)} of {pairs} neighbouring pairs in order "
                f"{TIMES} {points / pairs:.3g} = {score:g}")
    return ""
