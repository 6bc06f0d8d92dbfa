"""Post-flight: what the autograded notebooks' metadata and outputs say happened (no kernel
needed, timeouts, dead kernels, cut outputs, unusable answers), and the report files."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .execute import KERNEL_DIED, NOTEBOOK_TIMEOUT, RAN
from .export import write_rows
from .harvest import METADATA_KEY
from .triage import Problem, read_json
from .truncate import TRUNCATED

FIELDS = ("student", "notebook", "problem", "action")


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
            for output in cell.get("outputs", []):
                ename = output.get("ename")
                if ename == "CellTimeoutError":
                    problems.append(Problem(
                        student, name, f"cell {number} ran past the {timeout} s limit",
                        "interrupted it; the rest of the notebook ran"))
                elif ename == NOTEBOOK_TIMEOUT:
                    if not any(p.problem.startswith("the notebook ran past") and
                               p.notebook == name for p in problems):
                        problems.append(Problem(
                            student, name, f"the notebook ran past its time limit "
                            f"(ExecuteInSandbox.notebook_timeout) at cell {number}",
                            "that cell and the ones after it were not run"))
                elif ename == KERNEL_DIED:
                    problems.append(Problem(
                        student, name, f"cell {number} stopped the kernel",
                        "ran the notebook again without that cell"))
                scored = output.get("metadata", {}).get(METADATA_KEY, {})
                if scored.get("problem"):
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


def unchanged(notebooks: dict[str, dict[str, Any]]) -> int:
    """How many notebooks were graded without a kernel (their code was the release's)."""
    return sum(nb.get("metadata", {}).get(RAN, {}).get("kernel") is False
               for nb in notebooks.values())


def write(problems: list[Problem], scores: dict[str, Any], stem: Path) -> list[Path]:
    """``stem``.csv (one line per problem) and ``stem``.json (problems and scores)."""
    write_rows(stem.with_suffix(".csv"), FIELDS, [asdict(problem) for problem in problems])
    stem.with_suffix(".json").write_text(json.dumps(
        {"scores": scores, "problems": [asdict(problem) for problem in problems]}, indent=1))
    return [stem.with_suffix(".csv"), stem.with_suffix(".json")]
