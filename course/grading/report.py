"""Post-flight: what the autograded notebooks' metadata and outputs say happened (no kernel
needed, timeouts, dead kernels, cut outputs, unusable answers), and the report files: one
per run, and the term's (each assignment's rows from the run that last graded it)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .execute import CELL_TIMEOUT, KERNEL_DIED, NOTEBOOK_TIMEOUT, RAN, STOPPED
from .export import replace_text, write_rows
from .harvest import METADATA_KEY
from .score import is_test, scored_outputs
from .triage import Problem, read_json
from .truncate import TRUNCATED

FIELDS = ("assignment", "student", "notebook", "problem", "action")
STUDENT_NOTES = "course_grading_notes"  # autograded notebook metadata: feedback page lines


def notebooks(autograded: Path) -> dict[str, dict[str, Any]]:
    """A student's autograded notebooks by file name, each read once (never through a link);
    an unreadable one raises ``ValueError``."""
    found = {}
    for path in sorted(autograded.glob("*.ipynb")):
        found[path.name] = read_json(path)
        if "cells" not in found[path.name]:
            raise ValueError(f"{path.name} is not a notebook")
    return found


def findings(notebooks: dict[str, dict[str, Any]], student: str,
             timeout: int | None) -> list[Problem]:
    """Timeouts (of a cell, of the notebook), dead kernels, cut outputs and unusable
    recorded answers, per notebook."""
    problems = []
    for name, nb in notebooks.items():
        for number, cell in enumerate(nb["cells"], 1):
            stopped = cell.get("metadata", {}).get(STOPPED)  # the grader's mark, not an ename
            if stopped == CELL_TIMEOUT:
                problems.append(Problem(
                    student, name, f"cell {number} ran past the {timeout} s limit",
                    "interrupted it; the rest of the notebook ran"))
            elif stopped == NOTEBOOK_TIMEOUT:
                if not any(p.problem.startswith("the notebook ran past") and
                           p.notebook == name for p in problems):
                    problems.append(Problem(
                        student, name, f"the notebook ran past its time limit "
                        f"(ExecuteInSandbox.notebook_timeout) at cell {number}",
                        "that cell and the ones after it were not run"))
            elif stopped == KERNEL_DIED:
                problems.append(Problem(
                    student, name, f"cell {number} stopped the kernel",
                    "ran the notebook again without that cell"))
            for output in cell.get("outputs", []):
                scored = output.get("metadata", {}).get(METADATA_KEY, {})
                if scored.get("problem") and is_test(cell):  # elsewhere: the student's code
                    problems.append(Problem(
                        student, name,
                        f"recorded answer unusable: {scored['problem']}",
                        f"scored {scored['item']} as unanswered (0 of {scored['points']:g})"))
            if cell.get("metadata", {}).get(TRUNCATED):
                problems.append(Problem(
                    student, name,
                    f"cell {number} printed {cell['metadata'][TRUNCATED]} bytes too many",
                    "cut its output"))
    return problems


def unanswered(notebooks: dict[str, dict[str, Any]], student: str) -> list[Problem]:
    """Each notebook in which no graded item has an answer it could score (a blank copy, or
    answers saved for another version: worth a word with the student, in plain words)."""
    problems = []
    for name, nb in notebooks.items():
        scored = [meta for _number, meta in scored_outputs(nb)]
        if not scored or any(s.get("answer") is not None for s in scored):
            continue
        unusable = sum(bool(s.get("problem")) for s in scored)
        if unusable:
            said = (f"no usable answers ({unusable} of {len(scored)} saved answers do not fit "
                    "this version of their question)", "was the class id set before answering?")
        else:
            said = (f"no answers recorded (0 of {len(scored)} items answered)",
                    "was it the right file?")
        problems.append(Problem(student, name, said[0],
                                f"scored 0 on every automatic item ({said[1]})"))
    return problems


def tell_students(autograded: Path, problems: list[Problem]) -> None:
    """Put what happened to each submitted file (repairs, no answers) in its autograded
    notebook's metadata, where the feedback page shows it to the student (the page is made
    from these notebooks). Autograde keeps the submission's own notebook metadata, so
    notes a student wrote there are dropped: only these lines are the grader's."""
    for path in sorted(autograded.glob("*.ipynb")):
        lines = [f"{p.problem} → {p.action}" for p in problems if p.notebook in (path.name, "*")]
        nb = read_json(path)
        metadata = nb.setdefault("metadata", {})
        if metadata.get(STUDENT_NOTES) == (lines or None):
            continue
        if lines:
            metadata[STUDENT_NOTES] = lines
        else:
            del metadata[STUDENT_NOTES]
        replace_text(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def unchanged(notebooks: dict[str, dict[str, Any]]) -> int:
    """How many notebooks were graded without a kernel (their code was the release's)."""
    return sum(nb.get("metadata", {}).get(RAN, {}).get("kernel") is False
               for nb in notebooks.values())


def rows(assignment: str, problems: list[Problem]) -> list[dict[str, str]]:
    """Report rows: each problem with its assignment."""
    return [{"assignment": assignment, **asdict(problem)} for problem in problems]


def write(found: dict[str, Any], stem: Path) -> list[Path]:
    """``stem``.csv (one line per problem) and ``stem``.json (``{"scores": {assignment:
    {student: score}}, "pending": {assignment: {student: [cell]}}, "problems": [row]}``),
    each replaced whole."""
    write_rows(stem.with_suffix(".csv"), FIELDS, found["problems"])
    replace_text(stem.with_suffix(".json"), json.dumps(found, indent=1))
    return [stem.with_suffix(".csv"), stem.with_suffix(".json")]


def merged(stem: Path, run: dict[str, Any], graded: set[tuple[str, str]]) -> dict[str, Any]:
    """The term's report: what ``stem``.json held, less the rows, scores and pending
    cells of each (assignment, student) in ``graded``, plus this ``run``'s."""
    try:
        old = json.loads(stem.with_suffix(".json").read_text())
        problems = [row for row in old["problems"]
                    if (row["assignment"], row["student"]) not in graded]
        scores, pending = old["scores"], old["pending"]
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or an older format
        problems, scores, pending = [], {}, {}
    for key, new in (("scores", scores), ("pending", pending)):
        for assignment, students in run[key].items():
            kept = {s: v for s, v in new.get(assignment, {}).items()
                    if (assignment, s) not in graded}
            new[assignment] = {**kept, **students}
    return {"scores": scores, "pending": pending, "problems": problems + run["problems"]}
