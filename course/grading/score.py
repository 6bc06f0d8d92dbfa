"""Score recorded answers against the keys in hidden tests, in the grader's process."""

from __future__ import annotations

import ast
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Enum

from .. import content, kinds, pages, records, scoring
from ..records import is_test
from .harvest import METADATA_KEY
from .variants import StudentVariants

__all__ = ["ScoreRecordedAnswers", "answered_as", "expectation", "feedback", "is_test",
           "mismatch", "scored_outputs", "seen", "test_sources"]

SYMBOLS = {"right": "✔", "wrong": "✘", "missed": "◯", "": "•"}
WORDS = {"right": "your choice, right", "wrong": "your choice, wrong",
         "missed": "missed: this one is right"}
UNUSABLE = ("Your saved answer does not fit this version of the question (often: it was "
            "answered before your class id was set), so it scored 0. Your instructor's grading "
            "report has the details.")
"""What the student reads for an answer that could not be scored; the technical cause
(``problem``) stays in the output's metadata, for the instructor's report (report.py)."""


def expectation(source: str) -> dict[str, Any] | None:
    """The literal arguments of the ``expect(...)`` calls in a test cell's source, if any:
    version ``a``'s as ``item``, ``key``, ``why`` and ``source``, and every version's under
    ``variants`` (version -> its arguments). The one place a test cell's source is parsed."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    variants: dict[str, dict[str, Any]] = {}
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
                version = found.pop("variant", "a")
                if (not isinstance(found.get("item"), str) or "key" not in found
                        or not isinstance(version, str) or version in variants):
                    return None
                variants[version] = found
    if not variants or len({found["item"] for found in variants.values()}) != 1:
        return None
    return {**variants.get("a", next(iter(variants.values()))), "variants": variants}


def seen(nb: NotebookNode | dict[str, Any], versions: dict[str, str] | None = None
         ) -> dict[str, tuple[Any, str]]:
    """Each item's answer as the scorer sees it, and why it could not be used (``""`` when
    it could): the newest record the submission saved (kept by ``HarvestRecordedAnswers``),
    else the one its code recorded when re-run; records printed by test cells never count.
    Each is checked against the item's version in ``versions`` (default ``a``). An answer
    that does not fit its item is ``None`` with the reason."""
    harvested = nb.get("metadata", {}).get(METADATA_KEY, {})
    given = {**records.find(nb), **harvested.get("recorded", {})}
    result: dict[str, tuple[Any, str]] = {item: (None, reason) for item, reason
                                          in harvested.get("refused", {}).items()}
    for item, answer in given.items():
        try:
            result[item] = (records.check(item, answer, (versions or {}).get(item, "a")), "")
        except records.InvalidAnswer as error:
            result[item] = (None, str(error))
    return result


def answered_as(nb: NotebookNode | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Who each item's counted answer was recorded as, and the version they saw (only for
    records that say so): harvested ones first, else the re-run's."""
    harvested = nb.get("metadata", {}).get(METADATA_KEY, {}).get("identity", {})
    return {**records.identities(records.find_records(nb)), **harvested}


def scored_outputs(nb: NotebookNode | dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(cell number, metadata) of each output :class:`ScoreRecordedAnswers` wrote: only in
    test cells, whose outputs it replaces whole. Student code runs again at autograde and
    can display the same shape in any other cell; read there, it would stand in for a
    scored answer in the copying report, the statistics and the grading report."""
    return [(number, output["metadata"][METADATA_KEY])
            for number, cell in enumerate(nb.get("cells", []), 1) if is_test(cell)
            for output in cell.get("outputs", [])
            if isinstance(output, dict) and isinstance(output.get("metadata"), dict)
            and isinstance(output["metadata"].get(METADATA_KEY), dict)]


POLICIES = ("own", "recorded", "zero")


class ScoreRecordedAnswers(NbGraderPreprocessor):
    """Replace the outputs of each ``expect`` test cell with feedback and a partial score.

    Each item is scored against the key of the submitter's own version (variant) of it,
    derived from nbgrader's student id as the student's kernel derives it from theirs. An
    answer recorded as another student, or with no class id, is scored by the policy
    ``other_student`` or ``no_student`` and reported. The answers are those of :func:`seen`.
    The key comes from the test cell's source in the gradebook (the kernel ran the cell
    without its hidden tests), and that source is put back in the cell. Whatever the
    student's kernel printed in that cell is discarded. The feedback output's metadata keeps
    the item, its score, the answer it scored and the versions (the statistics and the
    grading report read them there).
    """

    reveal = Bool(True, help="Show the right answer in feedback. False: only right or wrong "
                  "and the source, an explanation only where it names no right answer the "
                  "student missed (for keys reused across terms). An item marked "
                  "'reuse = true' in its checkpoint data never shows it.").tag(config=True)
    other_student = Enum(
        POLICIES, "own", help="An answer recorded as another student (a copied notebook): "
        "'own' scores it against the key of the submitter's own version (an answer to "
        "another version earns only what fits), 'recorded' against the version it was "
        "given to, 'zero' gives 0. Always reported.").tag(config=True)
    no_student = Enum(
        POLICIES, "recorded", help="An answer recorded with no class id (the student never "
        "typed it in 00-start-here, so saw version a): scored like other_student's "
        "choices. Always reported.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        self.student = resources.get("nbgrader", {}).get("student")
        self.tests = test_sources(resources)
        self.own = StudentVariants(parent=self)
        self.recorded_as = answered_as(nb) if self.own.enabled else {}
        self.versions = {item: self.version(item)[0] for item in content.checkpoints()}
        self.answers = seen(nb, self.versions)
        harvested = nb.get("metadata", {}).get(METADATA_KEY, {}).get("recorded", {})
        self.given = {**records.find(nb), **harvested}
        return super().preprocess(nb, resources)

    def version(self, item: str) -> tuple[str, str, dict[str, Any]]:
        """The version of ``item`` to score, the policy that chose it (``""``: the
        submitter's, as recorded), and how the answer was recorded."""
        own = self.own.of(item, self.student)
        recorded = self.recorded_as.get(item)
        if recorded is None or recorded == {"student": self.student, "variant": own}:
            return own, "", recorded or {}
        policy = self.other_student if recorded["student"] else self.no_student
        if policy == "recorded":  # the version that id was given, not the one the record
            return self.own.of(item, recorded["student"]), policy, recorded  # claims (editable)
        return own, policy, recorded

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
        version, policy, recorded = self.version(item)
        given, problem = self.answers.get(item, (None, ""))
        if version not in expected["variants"]:
            given, problem = None, f"the grader has no key for version {version} of {item}"
        else:
            expected = {**expected, **expected["variants"][version]}
        score = 0.0 if policy == "zero" else scoring.points(item, expected["key"], given,
                                                            points, version)
        reveal = self.reveal and not content.checkpoints().get(item, {}).get("reuse")
        own = self.own.of(item, self.student)
        note = policy and mismatch(self.student, own, recorded, version, policy)
        cell.outputs = [
            new_output("display_data",
                       data=feedback(expected, given, score, points, problem, reveal, version,
                                     note),
                       metadata={METADATA_KEY: {
                           "item": item, "score": score, "answer": given, "points": points,
                           "problem": problem, "student": self.student, "variant": version,
                           "own_variant": own, "recorded_as": recorded,
                           "identity_problem": note, "given": self.raw(item)}}),
            new_output("execute_result", data={"text/plain": repr(score)},
                       execution_count=cell.get("execution_count")),
        ]
        return cell, resources


    def raw(self, item: str) -> Any:
        """The answer to ``item`` as recorded, before any version's check (plain JSON of
        bounded size, else ``None``): what the copying report compares."""
        try:
            return kinds.plain(self.given.get(item), item)
        except kinds.InvalidAnswer:
            return None


def mismatch(student: str | None, own: str, recorded: dict[str, Any], version: str,
             policy: str) -> str:
    """One line on an answer recorded as someone else (or as nobody), and how it scored."""
    who = recorded.get("student")
    as_whom = f"as {who!r}" if who else "with no class id"
    scored = {"own": f"scored against your own version {own}",
              "recorded": f"scored against version {version}, the one it was given to",
              "zero": "scored 0"}[policy]
    return (f"this answer was recorded {as_whom} (version {recorded.get('variant')}), not as "
            f"{student!r} (version {own}); {scored}")


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
             problem: str = "", reveal: bool = True, variant: str = "a",
             note: str = "") -> dict[str, str]:
    """Per item (as version ``variant`` asks it): the score and the sum behind it, each option
    or row marked (chosen and right or wrong, missed), the right answer unless it is not to
    be revealed, why, the source, and ``note`` on whose answer it was when it was not the
    student's. Without reveal, an explanation shows only where it gives nothing away: on the
    student's own right choices, or on an item fully right."""
    item, key = expected["item"], expected["key"]
    kind = kinds.of(item, variant)
    why, source = expected.get("why") or "", expected.get("source") or ""
    marks = kind.marks(key, given, why, reveal)
    if not reveal:
        for mark in marks:
            mark.why = mark.why if mark.state == "right" else ""
    summary = kind.summary(key, given, reveal) + [f"Note: {note}"] * bool(note)
    shared_why = why if isinstance(why, str) and (reveal or score >= points) else ""
    sum_line = kind.sum_line(key, given, score, points) if given is not None else ""
    if source in shared_why:  # the why already links it: one "AWS source" link, not two
        source = ""
    html = pages.render("item.html.j2", prompt=kind.prompt, score=score, points=points,
                        problem=UNUSABLE if problem else "", summary=summary, marks=marks,
                        why=shared_why, source=source, arithmetic=sum_line, SYMBOLS=SYMBOLS,
                        WORDS=WORDS)
    lines = [kind.prompt, f"Score: {score:g} of {points:g} points" + (f" ({sum_line})"
                                                                      if sum_line else "")]
    lines += [UNUSABLE] * bool(problem)
    lines += summary
    lines += [" ".join(filter(None, [SYMBOLS[m.state], m.text + (f": {m.answer}." if m.answer
                                                                   else ""),
                                     f"({m.words or WORDS[m.state]})"
                                     if m.state and m.words is not None else "", m.why]))
              for m in marks]
    lines += [f"Why: {shared_why}"] * bool(shared_why) + [f"Source: {source}"] * bool(source)
    return {"text/plain": "\n".join(lines), "text/html": html}
