"""Grade a whole class with nbgrader's API: students in parallel worker processes (each
student's notebooks on their own), nothing stops the batch."""

from __future__ import annotations

import json
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.apps.zipcollectapp import ZipCollectApp
from traitlets import Integer, Unicode
from traitlets.config import Config, LoggingConfigurable
from traitlets.config.loader import PyFileConfigLoader

from . import parallel, progress, report, untrusted
from .execute import RAN, ExecuteInSandbox
from .export import CourseCsvExport
from .provisioner import SandboxProvisioner
from .triage import Problem, RepairSubmission, keep, read_json, rebuild

NOT_GRADED = "not graded"
"""How every report action of a student left without a score begins."""


@dataclass
class Outcome:
    """What grading a class produced."""

    scores: dict[str, float | None]
    """Each student's score; ``None``: not graded (the report says why)."""
    max_score: float
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    summary: str = ""


@dataclass
class Graded:
    """One student's assignment, as a worker graded it."""

    assignment: str
    student: str
    problems: list[Problem]
    notebooks: int
    skipped: int = 0
    failed: bool = False


# nbgrader errors worth another try: another process holds the gradebook for a moment.
TRANSIENT = ("database is locked", "could not serialize", "deadlock detected",
             "IntegrityError", "UniqueViolation", "server closed the connection")
ATTEMPTS = 6


def course_config(root: Path, overrides: Config | None = None) -> Config:
    """The course's ``nbgrader_config.py`` with ``overrides`` on top; ``course-grade``
    skips the kernel of notebooks whose code is the release's, and builds widgets without
    front-end traffic in the others, unless that file says not to."""
    config = Config()
    config.ExecuteInSandbox.skip_unchanged = True
    config.SandboxProvisioner.extensions = ["course.widgets.plain"]
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
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

    jobs = Integer(
        0, help="Worker processes grading students at the same time (0: one per CPU)."
    ).tag(config=True)

    def __init__(self, root: Path, overrides: Config | None = None, **kwargs):
        super().__init__(config=course_config(Path(root), overrides), **kwargs)
        self.api = NbGraderAPI(config=self.config)
        self.coursedir = self.api.coursedir
        self.root = Path(self.coursedir.root)

    def grade(self, assignment: str, zip_collect: Path | None = None,
              shard: tuple[int, int] | None = None, quiet: bool = False) -> Outcome:
        """Grade every submission of ``assignment`` (``shard=(k, n)``: only the k-th of n
        shards of the students, for several machines sharing one gradebook)."""
        collected = [] if zip_collect is None else self.collect_zips(assignment, Path(zip_collect))
        return self.grade_class([assignment], shard, quiet, collected)[assignment]

    def grade_class(self, assignments: list[str], shard: tuple[int, int] | None = None,
                    quiet: bool = False, collected: list[Problem] | None = None,
                    ) -> dict[str, Outcome]:
        """Grade several assignments in one pool of workers; one report for all
        (``collected``: what zip collect refused, reported with the first assignment)."""
        SandboxProvisioner(config=self.config).check()
        classes = {a: in_shard(self.students(a), shard) for a in assignments}
        refused = [Graded(a, student, [Problem(
            printable(student), "*", f"the student folder's name {why}",
            f"{NOT_GRADED}: rename the folder and grade again")], 0, failed=True)
            for a, students in classes.items() for student in students
            if (why := name_problem(student))]
        classes = {a: [s for s in students if not name_problem(s)]
                   for a, students in classes.items()}
        tasks = [(a, student) for a, students in classes.items() for student in students]
        self._prepare_gradebook(sorted({student for _, student in tasks}))
        sizes = {a: len(list(self._release(a).glob("*.ipynb"))) or 1 for a in assignments}
        results: list[Graded] = []
        started = time.monotonic()
        with progress.bar(sum(sizes[a] for a, _ in tasks), quiet) as bar:

            def done(result: Graded) -> None:
                results.append(result)
                bar.update(result.notebooks)

            jobs = self.jobs or parallel.default_jobs()
            skipping = self.config.get("ExecuteInSandbox", {}).get("skip_unchanged", False)
            parallel.run(self, tasks, jobs, done, first=assignments if skipping else ())
        summary = progress.summary(
            sum(r.notebooks for r in results), sum(r.skipped for r in results),
            sum(r.failed for r in results), time.monotonic() - started,
            min(jobs, max(1, len(tasks))))
        if not quiet:
            print(summary, file=sys.stderr)
        order = {task: index for index, task in enumerate(tasks)}
        results.sort(key=lambda result: order[(result.assignment, result.student)])
        results = refused + results
        collected = collected or []
        problems = collected + [problem for result in results for problem in result.problems]
        failed = {(r.assignment, r.student) for r in results if r.failed}
        grades = self.root / self.grades_file
        outcomes = {}
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            CourseCsvExport(config=self.config, to=str(grades),
                            assignment=list(assignments)).export(gradebook)
            for assignment in assignments:
                graded = set(classes[assignment])
                submissions = gradebook.assignment_submissions(assignment)
                scores: dict[str, float | None] = {
                    s.student.id: None if (assignment, s.student.id) in failed else s.score
                    for s in submissions if shard is None or s.student.id in graded}
                scores.update({printable(r.student): None for r in refused
                               if r.assignment == assignment})
                max_score = gradebook.find_assignment(assignment).max_score
                outcomes[assignment] = Outcome(
                    scores, max_score,
                    [*(collected if assignment == assignments[0] else []),
                     *(p for r in results if r.assignment == assignment for p in r.problems)],
                    summary=summary)
        all_scores = (outcomes[assignments[0]].scores if len(assignments) == 1 else
                      {a: outcome.scores for a, outcome in outcomes.items()})
        files = [grades, *report.write(problems, all_scores, self.root / self.report_stem)]
        for outcome in outcomes.values():
            outcome.files = files
        return outcomes

    def grade_task(self, assignment: str, student: str) -> Graded:
        """Repair, autograde and give feedback to one student (in a worker process)."""
        problems = self.grade_student(assignment, student)
        failed = any(p.action.startswith(NOT_GRADED) for p in problems)
        if not failed:
            result = _retry(lambda: self.api.generate_feedback(assignment, student))
            if not result["success"]:
                problems.append(Problem(student, "*", "feedback could not be generated",
                                        f"none written: {error_of(result)}"))
        autograded = self._path(self.coursedir.autograded_directory, student, assignment)
        skipped = sum(read_json(path).get("metadata", {}).get(RAN, {}).get("kernel") is False
                      for path in autograded.glob("*.ipynb")) if not failed else 0
        return Graded(assignment, student, problems,
                      len(list(self._release(assignment).glob("*.ipynb"))) or 1,
                      skipped, failed)

    def calibrate(self, assignment: str) -> dict:
        """Whether each release notebook of ``assignment`` records answers when run (see
        ``ExecuteInSandbox.runs_nothing_new``)."""
        execute = ExecuteInSandbox(config=self.config)
        release = self._release(assignment)
        return {key: value for path in sorted(release.glob("*.ipynb"))
                for key, value in [execute.calibrate(path, assignment)]}

    def calibrated(self, learnt: dict) -> None:
        ExecuteInSandbox.learn(learnt)

    def failed_task(self, assignment: str, student: str, error: BaseException) -> Graded:
        """What is reported when grading a student failed outright (a worker died)."""
        return Graded(assignment, student, [Problem(
            student, "*", f"grading failed ({error!r})",
            f"{NOT_GRADED}: grade again or by hand")],
            len(list(self._release(assignment).glob("*.ipynb"))) or 1, failed=True)

    def _prepare_gradebook(self, students: list[str]) -> None:
        """Make the gradebook and every student row before workers start, so that no two
        processes race to create them (SQLite or a shared PostgreSQL server)."""
        for attempt in range(ATTEMPTS):
            try:
                with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                    for student in students:
                        gradebook.update_or_create_student(student)
                return
            except Exception as error:
                if attempt == ATTEMPTS - 1 or not _transient(repr(error)):
                    raise
                time.sleep(0.2 * 2 ** attempt)

    def _release(self, assignment: str) -> Path:
        return self._path(self.coursedir.release_directory, ".", assignment)

    def students(self, assignment: str) -> list[str]:
        """Every folder name under ``submitted/`` with this assignment (no glob: a name is
        only ever a name)."""
        folder = Path(self.coursedir.format_path(
            self.coursedir.submitted_directory, "student", assignment)).parent.parent
        return sorted(path.name for path in folder.iterdir() if (path / assignment).is_dir())

    def grade_student(self, assignment: str, student: str) -> list[Problem]:
        """Repair, then autograde; a submission nbgrader still cannot grade is graded as
        the release notebook with the answers it recorded."""
        submission = self._path(self.coursedir.submitted_directory, student, assignment)
        release = self._path(self.coursedir.release_directory, ".", assignment)
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
        result = _retry(lambda: self.api.autograde(assignment, student))
        if not result["success"]:
            problems.append(Problem(
                student, "*", f"nbgrader could not grade it: {error_of(result)}",
                "graded the release notebook with the answers recorded in the submission"))
            self._fall_back(submission, release, student)
            result = _retry(lambda: self.api.autograde(assignment, student))
            if not result["success"]:
                problems.append(Problem(student, "*", f"still not gradable: {error_of(result)}",
                                        f"{NOT_GRADED}: grade by hand"))
                return problems
        autograded = self._path(self.coursedir.autograded_directory, student, assignment)
        timeout = self.config.get("Execute", {}).get("timeout")
        return problems + report.findings(autograded, student, timeout)

    def _fall_back(self, submission: Path, release: Path, student: str) -> None:
        repair = RepairSubmission(self.root, release, parent=self)
        kept = repair.kept(submission, student)
        for template in sorted(release.glob("*.ipynb")):
            path = submission / template.name
            text = ""
            if path.exists():
                text = untrusted.read_bytes(path).decode("utf-8", errors="replace")
                keep(path, kept)
            untrusted.write_bytes(path, json.dumps(rebuild(text, read_json(template))[0]).encode())

    def collect_zips(self, assignment: str, downloads: Path) -> list[Problem]:
        """Put LMS downloads (zips or notebooks) into ``submitted/`` with nbgrader's
        zip collect (``FileNameCollectorPlugin.named_regexp`` maps file names to students)."""
        app = ZipCollectApp(config=self.config)
        app.coursedir = self.coursedir
        self.coursedir.assignment_id = assignment
        app.force = True
        archive = Path(app._format_collect_path(app.archive_directory))
        archive.mkdir(parents=True, exist_ok=True)
        refused = untrusted.copy_tree(downloads, archive)
        app.init_plugins()
        app.extract_archive_files()
        refused += getattr(app.extractor_plugin_inst, "refused", [])
        app.process_extracted_files()
        self.coursedir.assignment_id = ""
        return [Problem("?", name, f"a download that is {why}",
                        "refused at zip collect: not read, not collected")
                for name, why in refused]

    def _path(self, folder: str, student: str, assignment: str) -> Path:
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


def name_problem(name: str) -> str | None:
    """Why a student's folder name cannot be graded (``None``: it can). Control characters
    would split report and CSV rows and terminal lines; nbgrader strips outer white space
    (such a name would be graded as someone else's) and globs the folder's path again when
    it lists notebooks (``*`` would grade every student's notebooks as this one's)."""
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        return "holds control characters"
    if name != name.strip():
        return "begins or ends with white space"
    if set(name) & set("*?[]"):
        return "holds glob characters (* ? [ ]), which nbgrader matches against other folders"
    if name.startswith("."):
        return "begins with a dot (a hidden folder nbgrader does not see)"
    return None


def printable(name: str) -> str:
    """``name`` with control characters written as escapes (``\\n``, ``\\t``)."""
    return repr(name)[1:-1] if name_problem(name) else name


def in_shard(students: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The students of shard ``k`` of ``n`` (by a stable hash of the name, so machines
    agree whichever submissions each one holds); all of them without a shard."""
    if shard is None:
        return students
    k, n = shard
    return [s for s in students if zlib.crc32(s.encode()) % n == k - 1]


def _transient(text: str) -> bool:
    return any(word in text for word in TRANSIENT)


def _retry(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """An nbgrader API call, tried again while it fails for a transient database reason."""
    for attempt in range(ATTEMPTS):
        result = call()
        if result["success"] or not _transient(
                (result.get("error") or "") + (result.get("log") or "")):
            return result
        time.sleep(0.1 * 2 ** attempt)
    return result
