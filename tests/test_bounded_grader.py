"""The grader's memory and time are bounded whatever a submission does (issue 10, findings
4 and 5): a cell printing 1 GB, many cells sleeping just under the per-cell limit, 5,000
cells. The class is graded in one process (one worker), whose peak memory is measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from course_copy import BIN, CourseCopy, require_sandbox, with_answers_as_code

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
KEYS = {"cp-01-rds-engine": "AWS"}  # 1 of 6 points
PEAK_BOUND_MB = 500
CELL_TIMEOUT, NOTEBOOK_TIMEOUT = 3, 20

GRADE = '''
import json, resource, sys
from pathlib import Path
from traitlets.config import Config
from course.grading.batch import GradeAssignment
overrides = Config()
overrides.GradeAssignment.jobs = 1
overrides.Execute.timeout = {cell}
overrides.ExecuteInSandbox.notebook_timeout = {notebook}
outcome = GradeAssignment(Path(sys.argv[1]), overrides).grade("{assignment}", quiet=True)
print(json.dumps({{"scores": outcome.scores,
                  "problems": [[p.student, p.problem, p.action] for p in outcome.problems],
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
'''


def with_cells(notebook: dict, sources: list[str]) -> dict:
    """``notebook`` with code cells appended after its answer cells (before the end)."""
    changed = json.loads(json.dumps(notebook))
    changed["cells"][-1:-1] = [{"cell_type": "code", "execution_count": None, "metadata": {},
                                "outputs": [], "source": source} for source in sources]
    for cell in changed["cells"]:
        cell.pop("id", None)
    changed["nbformat_minor"] = 4
    return changed


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    require_sandbox()
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    honest = with_answers_as_code(course.notebook("release", ASSIGNMENT), KEYS)
    course.submit("honest", ASSIGNMENT, honest)
    course.submit("flood", ASSIGNMENT, with_cells(honest, [
        "for _ in range(1000):\n    print('x' * 1_000_000)"]))
    course.submit("spill", ASSIGNMENT, with_cells(honest, [
        "for _ in range(2000):\n    print('x' * 10_000)"]))
    course.submit("sleeper", ASSIGNMENT, with_cells(
        honest, [f"import time\ntime.sleep({CELL_TIMEOUT - 0.5})"] * 40))
    # 5,000 cells of at least 10 ms each cannot finish inside the notebook's limit,
    # however fast the machine (5,000 bare "x = 1" cells did, on CI).
    course.submit("many-cells", ASSIGNMENT, with_cells(
        honest, ["import time\ntime.sleep(0.01)"] * 5000))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    script = GRADE.format(cell=CELL_TIMEOUT, notebook=NOTEBOOK_TIMEOUT, assignment=ASSIGNMENT)
    done = subprocess.run([sys.executable, "-c", script, str(course.root)], env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["root"] = course.root
    print("peak RSS of the grading process:", result["peak_kb"] // 1024, "MB")
    return result


def test_every_student_scores_their_answers(graded: dict):
    assert graded["scores"] == pytest.approx(
        {"honest": 1.0, "flood": 1.0, "spill": 1.0, "sleeper": 1.0, "many-cells": 1.0})


def test_a_gigabyte_of_output_leaves_the_grader_under_the_bound(graded: dict):
    """While a cell printed 1 GB, did the grading process stay under 500 MB, with that
    cell reported and its notebook small?"""
    assert graded["peak_kb"] < PEAK_BOUND_MB * 1024
    flood = [p for p in graded["problems"] if p[0] == "flood"]
    # The flood cell, or the next one while the kernel still flushes, runs past its limit
    # (output zmq dropped whole cannot be counted; output that arrived is).
    assert any("ran past the" in problem or "bytes too many" in problem
               for _, problem, _ in flood), flood
    for student in ("flood", "spill"):
        path = graded["root"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert path.stat().st_size < 300_000


def test_output_beyond_the_limit_is_dropped_while_the_cell_runs(graded: dict):
    """20 MB printed: is it dropped as it arrives (ExecuteInSandbox.output_limit), counted
    and reported?"""
    spill = [p for p in graded["problems"] if p[0] == "spill"]
    assert any("bytes too many" in problem and "cut its output" in action
               for _, problem, action in spill), spill


@pytest.mark.parametrize("student", ["sleeper", "many-cells"])
def test_the_notebook_time_limit_is_reported(graded: dict, student: str):
    """Are cells after the notebook's time limit left unrun, and is that reported?"""
    lines = [p for p in graded["problems"] if p[0] == student]
    assert any("ran past its time limit" in problem and "not run" in action
               for _, problem, action in lines), lines
    path = graded["root"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cells = json.loads(path.read_text())["cells"]
    unrun = [c for c in cells for o in c.get("outputs", []) if o.get("ename") ==
             "NotebookTimeout"]
    assert unrun
