"""Grade a whole class with nbgrader's API: one student at a time, nothing stops the batch."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.apps.zipcollectapp import ZipCollectApp
from nbgrader.plugins import CsvExportPlugin
from traitlets import Unicode
from traitlets.config import Config, LoggingConfigurable
from traitlets.config.loader import PyFileConfigLoader

from . import report
from .triage import Problem, RepairSubmission, keep, read_json, rebuild


@dataclass
class Outcome:
    """What grading a class produced."""

    scores: dict[str, float]
    max_score: float
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def course_config(root: Path, overrides: Config | None = None) -> Config:
    """The course's ``nbgrader_config.py`` with ``overrides`` on top."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    if overrides is not None:
        config.merge(overrides)
    return config


class GradeAssignment(LoggingConfigurable):
    """Collect (optionally), repair, autograde, give feedback, export and report."""

    grades_file = Unicode("grades.csv", help="Grades CSV, relative to the course root.").tag(
        config=True)
    report_stem = Unicode(
        "grading-report", help="Report files (.csv and .json), relative to the course root."
    ).tag(config=True)

    def __init__(self, root: Path, overrides: Config | None = None, **kwargs):
        super().__init__(config=course_config(Path(root), overrides), **kwargs)
        self.api = NbGraderAPI(config=self.config)
        self.coursedir = self.api.coursedir
        self.root = Path(self.coursedir.root)

    def grade(self, assignment: str, zip_collect: Path | None = None) -> Outcome:
        if zip_collect is not None:
            self.collect_zips(assignment, Path(zip_collect))
        problems: list[Problem] = []
        for student in self.students(assignment):
            problems += self.grade_student(assignment, student)
        for student in self.students(assignment):
            result = self.api.generate_feedback(assignment, student)
            if not result["success"]:
                problems.append(Problem(student, "*", "feedback could not be generated",
                                        f"none written: {_last_line(result)}"))
        grades = self.root / self.grades_file
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            CsvExportPlugin(config=self.config, to=str(grades),
                            assignment=[assignment]).export(gradebook)
            submissions = gradebook.assignment_submissions(assignment)
            scores = {s.student.id: s.score for s in submissions}
            max_score = gradebook.find_assignment(assignment).max_score
        files = [grades, *report.write(problems, scores, self.root / self.report_stem)]
        return Outcome(scores, max_score, problems, files)

    def students(self, assignment: str) -> list[str]:
        submitted = Path(self.coursedir.format_path(
            self.coursedir.submitted_directory, "*", assignment))
        return sorted(path.parent.name for path in submitted.parent.parent.glob(
            f"*/{assignment}") if path.is_dir())

    def grade_student(self, assignment: str, student: str) -> list[Problem]:
        """Repair, then autograde; a submission nbgrader still cannot grade is graded as
        the release notebook with the answers it recorded."""
        submission = self._path(self.coursedir.submitted_directory, student, assignment)
        release = self._path(self.coursedir.release_directory, ".", assignment)
        try:
            problems = RepairSubmission(self.root, release, parent=self).repair(
                submission, student)
        except Exception as error:  # a repair must never stop the class
            problems = [Problem(student, "*", f"could not be checked ({error!r})",
                                "graded as submitted")]
        result = self.api.autograde(assignment, student)
        if not result["success"]:
            problems.append(Problem(
                student, "*", f"nbgrader could not grade it: {_last_line(result)}",
                "graded the release notebook with the answers recorded in the submission"))
            self._fall_back(submission, release, student)
            result = self.api.autograde(assignment, student)
            if not result["success"]:
                problems.append(Problem(student, "*", "still not gradable",
                                        f"no score: grade by hand ({_last_line(result)})"))
                return problems
        autograded = self._path(self.coursedir.autograded_directory, student, assignment)
        timeout = self.config.get("Execute", {}).get("timeout")
        return problems + report.findings(autograded, student, timeout)

    def _fall_back(self, submission: Path, release: Path, student: str) -> None:
        repair = RepairSubmission(self.root, release, parent=self)
        kept = self.root / repair.originals_directory / student / submission.name
        for template in sorted(release.glob("*.ipynb")):
            path = submission / template.name
            text = ""
            if path.exists():
                text = path.read_text(errors="replace")
                keep(path, kept)
            path.write_text(json.dumps(rebuild(text, read_json(template))[0]))

    def collect_zips(self, assignment: str, downloads: Path) -> None:
        """Put LMS downloads (zips or notebooks) into ``submitted/`` with nbgrader's
        zip collect (``FileNameCollectorPlugin.named_regexp`` maps file names to students)."""
        app = ZipCollectApp(config=self.config)
        app.coursedir = self.coursedir
        self.coursedir.assignment_id = assignment
        app.force = True
        archive = Path(app._format_collect_path(app.archive_directory))
        archive.mkdir(parents=True, exist_ok=True)
        for path in sorted(downloads.iterdir()):
            if path.is_file():
                shutil.copy2(path, archive / path.name)
        app.init_plugins()
        app.extract_archive_files()
        app.process_extracted_files()
        self.coursedir.assignment_id = ""

    def _path(self, folder: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(folder, student, assignment))


def _last_line(result: dict[str, Any]) -> str:
    text = (result.get("error") or result.get("log") or "").strip()
    return text.splitlines()[-1][:200] if text else "no details"
