"""LMS downloads (zips or notebooks) into ``submitted/`` with nbgrader's zip collect, safely:
links and special files are refused and reported, never read."""

from __future__ import annotations

from pathlib import Path

from nbgrader.apps.zipcollectapp import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from traitlets.config import LoggingConfigurable

from . import untrusted
from .triage import Problem


class CollectZips(LoggingConfigurable):
    """nbgrader's ``ZipCollectApp`` (its extractor, ``SafeExtractor`` in the course's
    config, and ``FileNameCollectorPlugin.named_regexp`` mapping file names to students),
    fed from a downloads folder copied without following links."""

    def collect(self, assignment: str, downloads: Path) -> list[Problem]:
        """Collect ``downloads`` as submissions of ``assignment``; what was refused."""
        app = ZipCollectApp(config=self.config)
        app.coursedir = CourseDirectory(config=self.config, assignment_id=assignment)
        app.force = True
        archive = Path(app.coursedir.root, app.collect_directory_structure.format(
            downloaded=app.downloaded_directory, assignment_id=assignment,
            collect_step=app.archive_directory))
        archive.mkdir(parents=True, exist_ok=True)
        refused = untrusted.copy_tree(Path(downloads), archive)
        app.init_plugins()
        app.extract_archive_files()
        refused += getattr(app.extractor_plugin_inst, "refused", [])
        app.process_extracted_files()
        return [Problem("?", name, f"a download that is {why}",
                        "refused at zip collect: not read, not collected")
                for name, why in refused]
