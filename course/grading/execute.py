"""Run a submission in the sandboxed kernel; a cell that stops the kernel is skipped."""

from __future__ import annotations

import copy
import json
import math
import os
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Integer, Unicode

from .. import identity, records
from .sandbox import SandboxedKernelManager
from .score import expectation, is_test, test_sources
from .truncate import RUN_BYTES, TRUNCATED
from .variants import StudentVariants

KERNEL_DIED = "KernelDied"
NOTEBOOK_TIMEOUT = "NotebookTimeout"
CELL_TIMEOUT = "CellTimeout"
STOPPED = "course_grading_stopped"
"""Cell metadata the grader writes when it stopped or skipped the cell (one of the three
above): the report trusts this, never an error's name, which the student's code chooses."""
RAN = "course_grading"
"""Notebook metadata saved in the autograded notebook: whether a kernel ran it."""


class ExecuteInSandbox(Execute):
    """nbgrader's ``Execute`` with kernels from :class:`SandboxedKernelManager`.

    nbgrader fails a whole submission when the kernel dies. Here the notebook is run again
    in a fresh kernel without the cell that stopped it (tagged to be skipped), so every
    other cell still counts; that cell gets an error output saying what happened.

    With ``skip_unchanged`` (``course-grade`` turns it on), a notebook whose code is the
    release's own is not run at all: nothing the student wrote could run, and the scores
    come from the answers saved in the file (see :meth:`runs_nothing_new`). Whether a
    kernel ran is saved in the autograded notebook's metadata (``RAN``).
    """

    kernel_deaths = Integer(
        3, help="How many cells that stop the kernel are skipped before the rest of the "
                "notebook is skipped too.",
    ).tag(config=True)
    raise_on_iopub_timeout = Bool(
        False, help="Fail the notebook when a cell's outputs stop arriving after its reply "
                    "(nbgrader: True). Off: output the grader dropped (see output_limit, "
                    "SandboxedKernelManager.max_message_bytes) must not fail a submission.",
    ).tag(config=True)
    output_limit = Integer(
        1_000_000, help="Output bytes of one cell kept while the kernel runs; the rest is "
                        "dropped as it arrives, so a cell printing gigabytes costs the "
                        "grader no memory (recorded answers are always kept).",
    ).tag(config=True)
    notebook_timeout = Integer(
        300, help="Seconds the whole notebook may run (the per-cell limit is "
                  "Execute.timeout); cells after it are not run and the report says so.",
    ).tag(config=True)
    skip_unchanged = Bool(
        False, help="Do not start a kernel for a notebook whose code cells are exactly the "
                    "release's (scores come from its saved answers; course-grade sets it).",
    ).tag(config=True)

    release_records = Dict(
        key_trait=Unicode(), value_trait=Bool(),
        help="Whether each release notebook (by its resolved path) records an answer when "
             "run, from calibrate(); course-grade learns it before grading. skip_unchanged "
             "skips only notebooks whose release is listed here as recording none.",
    ).tag(config=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, km=None):
        for cell in nb.cells:  # the output counts are the grader's: a submission's are dropped
            cell.metadata.pop(TRUNCATED, None)
            cell.metadata.pop(RUN_BYTES, None)
            cell.metadata.pop(STOPPED, None)
        if self.skip_unchanged and self.runs_nothing_new(nb, resources):
            nb.metadata[RAN] = {"kernel": False}
            return nb, resources
        nb, resources = self._run(nb, resources, km)
        nb.metadata[RAN] = {"kernel": True}
        return nb, resources

    def _run(self, nb: NotebookNode, resources: ResourcesDict, km=None):
        original, skipped = copy.deepcopy(nb), []
        while True:
            attempt = copy.deepcopy(original)
            for index in skipped:
                attempt.cells[index].setdefault("metadata", {}).setdefault("tags", []).append(
                    self.skip_cells_with_tag)
            self._running = None
            self._started = time.monotonic()
            try:
                nb, resources = super().preprocess(attempt, resources, km)
                break
            except DeadKernelError:
                if self._running is None or self._running in skipped:
                    raise
                if len(skipped) < self.kernel_deaths:
                    skipped.append(self._running)
                else:
                    skipped += range(self._running, len(original.cells))
        for index in skipped:
            cell = nb.cells[index]
            cell.metadata.tags.remove(self.skip_cells_with_tag)
            if not cell.metadata.tags:
                del cell.metadata["tags"]
            if cell.cell_type == "code":
                cell.metadata[STOPPED] = KERNEL_DIED
                cell.outputs = [new_output(
                    "error", ename=KERNEL_DIED,
                    evalue="the kernel died in or before this cell; it was skipped",
                    traceback=[f"{KERNEL_DIED}: the notebook was run again without this cell"])]
        return nb, resources

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """Start the kernel as the submitter: code answers are then checked against the
        submitter's own versions of the items, as in their own kernel. The grader's own hub
        user is left out (outside the sandbox it would reach the kernel as the student)."""
        student = StudentVariants(parent=self).kernel_student(
            self.resources.get("nbgrader", {}).get("student"))
        env = {name: value for name, value in os.environ.items() if name != identity.HUB}
        kwargs.setdefault("env", {**env, identity.GRADED: student})
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        self._running = index
        if cell.cell_type == "code" and self._left() <= 0:
            cell.metadata[STOPPED] = NOTEBOOK_TIMEOUT
            cell.outputs = [new_output(
                "error", ename=NOTEBOOK_TIMEOUT,
                evalue=f"the notebook ran past its {self.notebook_timeout} s limit; "
                       "this cell was not run", traceback=[])]
            return cell, resources
        return super().preprocess_cell(cell, resources, index)

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None):
        if cell is not None:
            cell.metadata[STOPPED] = CELL_TIMEOUT
        return await super()._async_handle_timeout(timeout, cell)

    def _left(self) -> float:
        """Seconds left of the notebook's time limit."""
        return self.notebook_timeout - (time.monotonic() - self._started)

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        """The per-cell limit, never beyond what is left of the notebook's."""
        timeout = super()._get_timeout(cell)
        left = max(1, math.ceil(self._left()))
        return left if timeout is None else min(timeout, left)

    def output(self, outs, msg: dict[str, Any], display_id: str | None, cell_index: int):
        """Keep a cell's outputs up to ``output_limit`` bytes as they arrive; count the rest
        in the cell's metadata (``TruncateLargeOutputs`` notes it, the report lists it)."""
        content = msg.get("content", {})
        data = content.get("data") or {}
        size = len(content.get("text", "")) + sum(len(str(value)) for value in data.values())
        metadata = self.nb.cells[cell_index].metadata
        kept = metadata.get(RUN_BYTES, 0)
        if records.MIME not in data and kept + size > self.output_limit:
            metadata[TRUNCATED] = metadata.get(TRUNCATED, 0) + size
            return None
        metadata[RUN_BYTES] = kept + size
        return super().output(outs, msg, display_id, cell_index)

    def runs_nothing_new(self, nb: NotebookNode, resources: ResourcesDict) -> bool:
        """Whether running ``nb`` could not change its scores, so it need not run.

        True when (1) every code cell other than test cells is, in order, exactly the
        release notebook's, (2) every test cell is scored by ``ScoreRecordedAnswers`` from
        an ``expect`` in the gradebook (so the kernel's outputs of test cells are discarded
        anyway), and (3) the release notebook itself, run once in the sandbox before
        grading, records no answer. Then a kernel would add no record, and the scorer sees
        exactly the answers saved in the file, as it would after running it. (3) is learnt
        before grading (``release_records``): a release not listed there is run.
        """
        info = resources.get("nbgrader", {})
        if not {"assignment", "notebook"} <= set(info):
            return False
        coursedir = CourseDirectory(config=self.config)
        release = Path(coursedir.format_path(
            coursedir.release_directory, ".", info["assignment"])) / f"{info['notebook']}.ipynb"
        if not release.is_file():
            return False
        try:
            template = json.loads(release.read_text())
        except ValueError:
            return False
        if _own_code(nb) != _own_code(template):
            return False
        sources = test_sources(resources)
        for cell in nb.cells:
            if is_test(cell) and expectation(
                    sources.get(cell.metadata.nbgrader["grade_id"], "")) is None:
                return False
        return self.release_records.get(str(release.resolve())) is False

    def calibrate(self, release: Path, assignment: str) -> tuple[str, bool]:
        """Run the release notebook once in the sandbox: does it record any answer?"""
        blank = nbformat.read(str(release), as_version=4)
        for cell in blank.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        resources = {"metadata": {"path": str(release.parent)},
                     "nbgrader": {"assignment": assignment, "notebook": release.stem}}
        ran, _ = self._run(blank, resources)
        answered = [cell for cell in ran.cells if not is_test(cell)]
        return str(release.resolve()), bool(records.find({"cells": answered}))


def _own_code(nb) -> list[str]:
    """Sources of the code cells a kernel would run for the student (not test cells)."""
    return ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for cell in nb["cells"] if cell.get("cell_type") == "code"
            and not is_test(nodeify(cell))]


def nodeify(cell):
    return cell if isinstance(cell, NotebookNode) else nbformat.from_dict(cell)
