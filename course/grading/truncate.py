"""Cap the size of each cell's outputs after execution (``ExecuteInSandbox`` already
dropped what came beyond its ``output_limit`` while the cell ran, counted here too)."""

from __future__ import annotations

import json

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from .. import records

TRUNCATED = "course_truncated_bytes"
RUN_BYTES = "course_output_bytes"
"""Output bytes kept while the cell ran (``ExecuteInSandbox.output_limit``)."""


class TruncateLargeOutputs(NbGraderPreprocessor):
    """Drop a cell's outputs beyond ``max_bytes`` (nbgrader's ``LimitOutput`` counts lines
    only: one ten-megabyte line passes it). Recorded answers are always kept."""

    max_bytes = Integer(
        100_000, help="Largest total size of one cell's outputs, in bytes (-1: no limit)."
    ).tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if cell.cell_type != "code":
            return cell, resources
        cell.metadata.pop(RUN_BYTES, None)
        if self.max_bytes < 0 and not cell.metadata.get(TRUNCATED):
            return cell, resources
        kept, size, dropped = [], 0, cell.metadata.get(TRUNCATED, 0)
        for output in cell.outputs:
            length = len(json.dumps(output))
            if size + length <= self.max_bytes or self.max_bytes < 0 \
                    or records.MIME in output.get("data", {}):
                kept.append(output)
                size += length
            else:
                dropped += length
        if dropped:
            kept.append(new_output(
                "stream", name="stdout",
                text=f"... {dropped} bytes of output dropped by the grader ...\n"))
            cell.metadata[TRUNCATED] = dropped
            cell.outputs = kept
        return cell, resources
