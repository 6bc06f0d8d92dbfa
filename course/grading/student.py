"""One student's assignment, graded in a worker process: refuse unsafe files, repair,
autograde (falling back to the release notebook with the answers the submission recorded),
write feedback. What the kernels did is in the autograded notebooks' metadata, which the
report reads; nothing is kept in this process."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from nbgrader.apps.api import NbGraderAPI
from traitlets.config import LoggingConfigurable

from . import report, untrusted
from .execute import ExecuteInSandbox
from .triage import Problem, RepairSubmission, keep, read_json, rebuild

NOT_GRADED = "not graded"
"""How every report action of a student left without a score begins."""

# nbgrader errors worth another try: another process holds the gradebook for a moment.
TRANSIENT = ("database is locked", "could not serialize", "deadlock detected",
             "IntegrityError", "UniqueViolation", "server closed the connection")
ATTEMPTS = 6


@dataclass
class Graded:
    """One student's assignment, as a worker graded it."""

    assignment: str
    student: str
    problems: list[Problem]
    notebooks: int
    failed: bool = False


class GradeStudent(LoggingConfigurable):
    """Repair, autograde and give feedback to one student's assignment with nbgrader's API.

    Sent to worker processes as its configuration alone (see ``__reduce__``): each worker
    builds its own nbgrader API and gradebook sessions, and shares no state with another."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.api = NbGraderAPI(config=self.config)
        self.coursedir = self.api.coursedir
        self.root = Path(self.coursedir.root)

    def __reduce__(self) -> tuple[Callable[[], GradeStudent], tuple[()]]:
        return partial(type(self), config=self.config), ()

    def grade(self, assignment: str, student: str) -> Graded:
        """Repair, autograde, then feedback unless the submission could not be graded."""
        problems = self.autograde(assignment, student)
        failed = any(p.action.startswith(NOT_GRADED) for p in problems)
        if not failed:
            autograded = self.path(self.coursedir.autograded_directory, student, assignment)
            try:
                problems += report.unanswered(report.notebooks(autograded), student)
                report.tell_students(autograded, problems)
            except (OSError, ValueError) as error:  # batch reports it; feedback goes on
                self.log.debug("no notes for the feedback of %s: %s", student, error)
            result = retry(lambda: self.api.generate_feedback(assignment, student))
            if not result["success"]:
                problems.append(Problem(student, "*", "feedback could not be generated",
                                        f"none written: {error_of(result)}"))
        return Graded(assignment, student, problems, self.notebooks(assignment), failed)

    def failed(self, assignment: str, student: str, error: BaseException) -> Graded:
        """What is reported when grading a student failed outright (a worker died)."""
        return Graded(assignment, student, [Problem(
            student, "*", f"grading failed ({error!r})",
            f"{NOT_GRADED}: grade again or by hand")], self.notebooks(assignment), failed=True)

    def calibrate(self, assignment: str) -> dict[str, bool]:
        """Whether each release notebook of ``assignment`` records answers when run, for
        ``ExecuteInSandbox.release_records`` (see ``ExecuteInSandbox.runs_nothing_new``)."""
        execute = ExecuteInSandbox(config=self.config)
        return dict(execute.calibrate(path, assignment)
                    for path in sorted(self.release(assignment).glob("*.ipynb")))

    def notebooks(self, assignment: str) -> int:
        """How many notebooks one submission of ``assignment`` counts for (at least 1)."""
        return len(list(self.release(assignment).glob("*.ipynb"))) or 1

    def autograde(self, assignment: str, student: str) -> list[Problem]:
        """Repair, then autograde; a submission nbgrader still cannot grade is graded as
        the release notebook with the answers it recorded."""
        submission = self.path(self.coursedir.submitted_directory, student, assignment)
        release = self.release(assignment)
        repair = RepairSubmission(self.root, release, parent=self)
        try:
            kept = repair.kept(submission, student)
            problems = [Problem(student, name, problem, action) for name, problem, action
                        in untrusted.refuse(submission, self.root, kept)]
        except Exception as error:  # nothing is graded that could not be checked
            return [Problem(student, "*", f"could not be checked for links ({error})",
                            f"{NOT_GRADED}: nothing was read")]
        try:
            problems += repair.repair(submission, student)
        except Exception as error:  # a repair must never stop the class
            problems.append(Problem(student, "*", f"could not be repaired ({error!r})",
                                    "graded as submitted"))
        result = retry(lambda: self.api.autograde(assignment, student))
        if not result["success"]:
            problems.append(Problem(
                student, "*", f"nbgrader could not grade it: {error_of(result)}",
                "graded the release notebook with the answers recorded in the submission"))
            self._fall_back(submission, release, kept)
            result = retry(lambda: self.api.autograde(assignment, student))
            if not result["success"]:
                problems.append(Problem(student, "*", f"still not gradable: {error_of(result)}",
                                        f"{NOT_GRADED}: grade by hand"))
        return problems

    def _fall_back(self, submission: Path, release: Path, kept: Path) -> None:
        for template in sorted(release.glob("*.ipynb")):
            path = submission / template.name
            text = ""
            if path.exists():
                text = untrusted.read_bytes(path).decode("utf-8", errors="replace")
                keep(path, kept)
            untrusted.write_bytes(path, json.dumps(rebuild(text, read_json(template))[0]).encode())

    def release(self, assignment: str) -> Path:
        return self.path(self.coursedir.release_directory, ".", assignment)

    def path(self, folder: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(folder, student, assignment))


def error_of(result: dict[str, Any]) -> str:
    """The error that stopped an nbgrader API call: the exception line of the last
    traceback in its log (nbgrader's own last line only says "see the above traceback")."""
    lines = (result.get("log") or "").splitlines()
    starts = [i for i, line in enumerate(lines) if line.endswith("Traceback (most recent call "
                                                                 "last):")]
    if starts:  # the traceback is one log record: its lines after the first are indented
        for line in lines[starts[-1] + 1:]:
            text = line.removeprefix("    ")
            if line.startswith("[") or (text and not text[0].isspace()):
                return text[:300]
    text = (result.get("error") or "").strip()
    return text.splitlines()[-1][:300] if text else "no details"


def transient(text: str) -> bool:
    """Whether an error is worth another try (another process held the gradebook)."""
    return any(word in text for word in TRANSIENT)


def retry(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """An nbgrader API call, tried again while it fails for a transient database reason."""
    for attempt in range(ATTEMPTS):
        result = call()
        if result["success"] or not transient(
                (result.get("error") or "") + (result.get("log") or "")):
            return result
        time.sleep(0.1 * 2 ** attempt)
    return result
