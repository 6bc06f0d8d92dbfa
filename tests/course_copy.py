"""A temporary copy of the course that tests run real nbgrader commands in."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SANDBOX = shutil.which("bwrap") is not None
# Without bubblewrap (a laptop), the pipeline still runs, with kernels outside the sandbox.
NO_SANDBOX = [] if SANDBOX else ["--SandboxedKernelManager.sandbox=False"]


def require_sandbox() -> None:
    """Skip, with the reason, where bubblewrap is missing; in CI that is a failure."""
    if not SANDBOX:
        message = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class CourseCopy:
    """``source/`` and ``nbgrader_config.py`` copied into ``root``, graded with the real CLI."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REPO / "source", root / "source")
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        """Run nbgrader in the copy; raise with its output if it fails."""
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run([str(BIN / "nbgrader"), *args, *NO_SANDBOX], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def notebook(self, folder: str, assignment: str) -> dict[str, Any]:
        path = self.root / folder / assignment / f"{assignment}.ipynb"
        return json.loads(path.read_text())

    def submit(self, student: str, assignment: str, notebook: dict[str, Any]) -> None:
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook))

    def scores(self, assignment: str) -> dict[str, float]:
        """Each student's total score for ``assignment``, from the gradebook."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            return {s.student.id: s.score
                    for s in gradebook.assignment_submissions(assignment)}

    def cell_scores(self, student: str, assignment: str) -> dict[str, float]:
        """Score of each grade cell of one student's notebook."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            return {grade.name: grade.score for grade in notebook.grades}


def with_answers_as_code(release: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A release notebook whose answer cells give ``answers`` as ``answer(...)`` code."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        for item, value in answers.items():
            if cell["cell_type"] == "code" and source.startswith(f'ask("{item}")'):
                cell["source"] = f'ask("{item}")\nanswer({item!r}, {value!r})\n'
    return notebook


def answer_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in notebook["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def with_recorded_answers(release: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A release notebook whose answer cells show ``answers`` as saved record outputs, the
    way a widget answer is saved (values are written as given, valid or not)."""
    from course import records

    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        for item, value in answers.items():
            if cell["cell_type"] == "code" and source.startswith(f'ask("{item}")'):
                bundle = records.bundle(item, None)
                bundle[records.MIME] = {"item": item, "answer": value}
                cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                    "data": bundle}]
    return notebook
