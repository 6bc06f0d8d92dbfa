"""Run a submission in the sandboxed kernel; a cell that stops the kernel is skipped."""

from __future__ import annotations

import copy

from nbclient.exceptions import DeadKernelError
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .sandbox import SandboxedKernelManager

KERNEL_DIED = "KernelDied"


class ExecuteInSandbox(Execute):
    """nbgrader's ``Execute`` with kernels from :class:`SandboxedKernelManager`.

    nbgrader fails a whole submission when the kernel dies. Here the notebook is run again
    in a fresh kernel without the cell that stopped it (tagged to be skipped), so every
    other cell still counts; that cell gets an error output saying what happened.
    """

    kernel_deaths = Integer(
        3, help="How many cells that stop the kernel are skipped before the rest of the "
                "notebook is skipped too.",
    ).tag(config=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, km=None):
        original, skipped = copy.deepcopy(nb), []
        while True:
            attempt = copy.deepcopy(original)
            for index in skipped:
                attempt.cells[index].setdefault("metadata", {}).setdefault("tags", []).append(
                    self.skip_cells_with_tag)
            self._running = None
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
                cell.outputs = [new_output(
                    "error", ename=KERNEL_DIED,
                    evalue="the kernel died in or before this cell; it was skipped",
                    traceback=[f"{KERNEL_DIED}: the notebook was run again without this cell"])]
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        self._running = index
        return super().preprocess_cell(cell, resources, index)
