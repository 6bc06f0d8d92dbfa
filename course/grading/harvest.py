"""Keep the answers a submission recorded before nbgrader clears its outputs."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import kinds, records

METADATA_KEY = "aws_srm_course"


class HarvestRecordedAnswers(NbGraderPreprocessor):
    """Copy each item's newest saved answer from the submitted outputs into notebook
    metadata (records in test cells never count).

    Widget answers exist only as saved outputs: re-running the notebook cannot recreate them.
    An answer nested too deep or too large is not kept: its reason is, and the item scores 0.
    Whatever a submission already put under the metadata key is replaced, not trusted.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        recorded, refused = {}, {}
        for item, answer in records.find(nb).items():
            try:
                recorded[item] = kinds.plain(answer, item)
            except kinds.InvalidAnswer as error:
                refused[item] = str(error)
        nb.metadata[METADATA_KEY] = {"recorded": recorded, "refused": refused}
        return nb, resources
