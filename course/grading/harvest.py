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

    Who each answer was recorded as, and the version they saw, is kept with it (the scorer
    compares it with the submitter). Widget answers exist only as saved outputs: re-running
    the notebook cannot recreate them.
    An answer nested too deep or too large is not kept: its reason is, and the item scores 0.
    Whatever a submission already put under the metadata key is replaced, not trusted.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        recorded, refused = {}, {}
        found = records.find_records(nb)
        for item, record in found.items():
            try:
                recorded[item] = kinds.plain(record["answer"], item)
            except kinds.InvalidAnswer as error:
                refused[item] = str(error)
        nb.metadata[METADATA_KEY] = {"recorded": recorded, "refused": refused,
                                     "identity": records.identities(found)}
        return nb, resources
