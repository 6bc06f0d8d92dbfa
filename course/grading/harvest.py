"""Keep the answers a submission recorded before nbgrader clears its outputs."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import records

METADATA_KEY = "aws_srm_course"


class HarvestRecordedAnswers(NbGraderPreprocessor):
    """Copy each item's recorded answer from the submitted outputs into notebook metadata.

    Widget answers exist only as saved outputs: re-running the notebook cannot recreate them.
    Whatever a submission already put under the metadata key is replaced, not trusted.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        nb.metadata[METADATA_KEY] = {"recorded": records.find(nb)}
        return nb, resources
