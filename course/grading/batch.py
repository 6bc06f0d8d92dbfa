"""Grade a whole class with nbgrader's API: the orchestration of ``course-grade``.

Each step is a configurable class of its own, chosen by a ``Type`` trait as nbgrader's
apps choose their plugins: zip collect (:class:`CollectZips`), one student's repair,
autograde and feedback in parallel worker processes (:class:`GradeStudent`), the CSV
export (:class:`CourseCsvExport`); the report is read from the autograded notebooks
(:mod:`report`). Nothing stops the batch."""

from __future__ import annotations

import copy
import sys
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin
from nbgrader.utils import parse_utc
from traitlets import Dict, Integer, Type, Unicode
from traitlets.config import Config, LoggingConfigurable
from traitlets.config.loader import PyFileConfigLoader

from . import copied_answers, late, parallel, progress, report
from .collect import CollectZips
from .execute import ExecuteInSandbox
from .export import CourseCsvExport
from .late import LatePolicy
from .provisioner import SandboxProvisioner
from .student import ATTEMPTS, NOT_GRADED, Graded, GradeStudent, transient
from .triage import Problem


@dataclass
class Outcome:
    """What grading a class produced."""

    scores: dict[str, float | None]
    """Each student's score; ``None``: not graded (the report says why)."""
    max_score: float
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    summary: str = ""
    pending: dict[str, list[str]] = field(default_factory=dict)
    """Students whose score waits for a hand grade, and of which cells."""


class UnknownAssignment(ValueError):
    """An assignment named on the command line is not in the gradebook."""


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
    """Collect (optionally), grade every student in workers, export and report."""

    grades_file = Unicode(
        "grades.csv", help="The term's grades CSV (every assignment), relative to the course "
                           "root.").tag(config=True)
    report_stem = Unicode(
        "grading-report", help="The term's report files (.csv and .json; each assignment's "
                               "rows from its latest run), relative to the course root."
    ).tag(config=True)
    runs_directory = Unicode(
        "grading-runs", help="Each run's grades.csv and report, in a folder named for its "
                             "UTC time, relative to the course root.").tag(config=True)
    due = Dict(per_key_traits=Unicode(), help="Due date of each assignment, e.g. "
               "{'01-model': '2027-01-18 23:59:00 +0100'}: set as nbgrader's own due date in "
               "the gradebook before grading (the late policy counts from it).").tag(config=True)
    jobs = Integer(
        0, help="Worker processes grading students at the same time (0: one per CPU)."
    ).tag(config=True)
    collector_class = Type(CollectZips, help="Collects LMS downloads into submitted/.").tag(
        config=True)
    student_class = Type(
        GradeStudent, help="Repairs, autogrades and gives feedback to one student's "
                           "assignment (in a worker process).").tag(config=True)
    exporter_class = Type(CourseCsvExport, klass=ExportPlugin,
                          help="Writes grades_file from the gradebook.").tag(config=True)

    def __init__(self, root: Path, overrides: Config | None = None, **kwargs):
        super().__init__(config=course_config(Path(root), overrides), **kwargs)
        self.coursedir = CourseDirectory(config=self.config)
        self.root = Path(self.coursedir.root)

    def grade(self, assignment: str, zip_collect: Path | None = None,
              shard: tuple[int, int] | None = None, quiet: bool = False) -> Outcome:
        """Grade every submission of ``assignment`` (``shard=(k, n)``: only the k-th of n
        shards of the students, for several machines sharing one gradebook)."""
        collected = [] if zip_collect is None else self.collect_zips(assignment, Path(zip_collect))
        return self.grade_class([assignment], shard, quiet, collected)[assignment]

    def collect_zips(self, assignment: str, downloads: Path) -> list[Problem]:
        """Put LMS downloads into ``submitted/``; what was refused."""
        return self.collector_class(parent=self).collect(assignment, downloads)

    def grade_class(self, assignments: list[str], shard: tuple[int, int] | None = None,
                    quiet: bool = False, collected: list[Problem] | None = None,
                    ) -> dict[str, Outcome]:
        """Grade several assignments in one pool of workers; one report for all
        (``collected``: what zip collect refused, reported with the first assignment)."""
        self.check(assignments)
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
        jobs = min(self.jobs or parallel.default_jobs(), max(1, len(tasks)))
        started = time.monotonic()
        results, unchanged = self._grade_students(tasks, jobs, quiet)
        summary = progress.summary(sum(r.notebooks for r in results), unchanged,
                                   sum(r.failed for r in results), time.monotonic() - started,
                                   jobs)
        if not quiet:
            print(summary, file=sys.stderr)
        results = refused + results
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            outcomes = {a: self._outcome(gradebook, a, classes[a], shard, results,
                                         collected if a == assignments[0] else [], summary)
                        for a in assignments}
        for assignment, students in classes.items():
            outcomes[assignment].problems += self._copying(assignment, students)
        files = self._write(outcomes, results, collected)
        for outcome in outcomes.values():
            outcome.files = files
        return outcomes

    def _write(self, outcomes: dict[str, Outcome], results: list[Graded],
               collected: list[Problem] | None) -> list[Path]:
        """The term's grades (every assignment) and report (each assignment's latest run),
        and this run's grades and report in a folder of its own under ``runs_directory``."""
        assignments = list(outcomes)
        run = {"scores": {a: o.scores for a, o in outcomes.items()},
               "pending": {a: o.pending for a, o in outcomes.items()},
               "problems": [row for a, o in outcomes.items() for row in report.rows(a, o.problems)]}
        folder = self.root / self.runs_directory / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        while folder.exists():
            folder = folder.with_name(folder.name + "+")
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            self.exporter_class(parent=self, to=str(folder / "grades.csv"),
                                assignment=assignments).export(gradebook)
            self.exporter_class(parent=self, to=str(self.root / self.grades_file)
                                ).export(gradebook)
        graded = {(r.assignment, r.student) for r in results}
        graded |= {(assignments[0], "?")} if collected else set()
        stem = self.root / self.report_stem
        return [self.root / self.grades_file,
                *report.write(report.merged(stem, run, graded), stem),
                folder / "grades.csv", *report.write(run, folder / "report")]

    def check(self, assignments: list[str]) -> None:
        """Raise :class:`UnknownAssignment` (one line) unless every assignment is in the
        gradebook, ValueError (one line) for an unreadable extensions file: before anything
        is collected or graded."""
        late.extensions(self.root / LatePolicy(config=self.config).extensions_file)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            known = sorted(a.name for a in gradebook.assignments)
        missing = [a for a in assignments if a not in known]
        if missing:
            raise UnknownAssignment(
                f"{', '.join(missing)}: not in the gradebook (it has: {', '.join(known) or 'none'})"
                f"; a new assignment needs `nbgrader generate_assignment {missing[0]}` first")

    def _grade_students(self, tasks: list[tuple[str, str]], jobs: int, quiet: bool,
                        ) -> tuple[list[Graded], int]:
        """Every task graded by the student step in ``jobs`` workers, in task order, with
        what the autograded notebooks report; and how many notebooks needed no kernel."""
        execute = ExecuteInSandbox(config=self.config)
        step = self.student_class(parent=self)
        if execute.skip_unchanged and tasks:
            assignments = sorted({assignment for assignment, _ in tasks})
            step = self.student_class(config=self._calibrated(step, assignments, jobs))
        results, unchanged = {}, 0
        with progress.bar(sum(step.notebooks(a) for a, _ in tasks), quiet) as bar:
            for (assignment, student), result in parallel.run(step.grade, tasks, jobs):
                if isinstance(result, Exception):
                    result = step.failed(assignment, student, result)
                elif not result.failed:
                    autograded = step.path(self.coursedir.autograded_directory, student,
                                           assignment)
                    try:
                        notebooks = report.notebooks(autograded)
                        result.problems += report.findings(notebooks, student, execute.timeout)
                        result.problems += copied_answers.identity_findings(notebooks, student)
                        unchanged += report.unchanged(notebooks)
                    except Exception as error:  # one student never stops the class
                        result.problems.append(Problem(
                            student, "*", f"autograded notebooks unreadable ({error!r})",
                            "graded; timeouts and cut outputs not reported"))
                results[assignment, student] = result
                bar.update(result.notebooks)
        return [results[task] for task in tasks], unchanged

    def _copying(self, assignment: str, students: list[str]) -> list[Problem]:
        """Pairs of students whose answers agree beyond chance (copied_answers.py)."""
        checker = copied_answers.CopyingReport(parent=self)
        return checker.pairs(checker.read({student: Path(self.coursedir.format_path(
            self.coursedir.autograded_directory, student, assignment)) for student in students}))

    def _calibrated(self, step: GradeStudent, assignments: list[str], jobs: int) -> Config:
        """This configuration with what each release notebook records when run
        (``ExecuteInSandbox.release_records``), learnt once per release notebook, in
        parallel, before any worker needs it; a release that could not be run is not
        listed, so its submissions are simply run in a kernel."""
        learnt: dict[str, bool] = {}
        for (assignment,), found in parallel.run(step.calibrate, [(a,) for a in assignments],
                                                 jobs):
            if isinstance(found, Exception):
                self.log.warning("Could not run the release notebooks of %s: %r", assignment,
                                 found)
            else:
                learnt.update(found)
        config = copy.deepcopy(self.config)
        config.ExecuteInSandbox.release_records = learnt
        return config

    def _outcome(self, gradebook: Gradebook, assignment: str, students: list[str],
                 shard: tuple[int, int] | None, results: list[Graded],
                 collected: list[Problem] | None, summary: str) -> Outcome:
        """One assignment's scores from the gradebook (``None``: not graded) and problems."""
        graded = set(students)
        failed = {r.student for r in results if r.failed and r.assignment == assignment}
        scores: dict[str, float | None] = {
            s.student.id: None if s.student.id in failed else s.score
            for s in gradebook.assignment_submissions(assignment)
            if shard is None or s.student.id in graded}
        scores.update({printable(r.student): None for r in results
                       if r.assignment == assignment and name_problem(r.student)})
        pending = {s.student.id: [f"{grade.name} ({grade.max_score:g} points)"
                                  for notebook in s.notebooks for grade in notebook.grades
                                  if grade.needs_manual_grade]
                   for s in gradebook.assignment_submissions(assignment)
                   if scores.get(s.student.id) is not None and s.needs_manual_grade}
        late = [Problem(s.student.id, "*", f"submitted {late_by(s.total_seconds_late)} after "
                        f"the due date ({s.duedate:%Y-%m-%d %H:%M} UTC; submitted "
                        f"{s.timestamp:%Y-%m-%d %H:%M} UTC)",
                        f"late policy: -{s.late_submission_penalty:g} points"
                        if s.late_submission_penalty else
                        "no penalty (within the student's extension)")
                for s in gradebook.assignment_submissions(assignment)
                if scores.get(s.student.id) is not None and s.total_seconds_late > 0]
        waiting = [Problem(student, "*", f"waiting for a hand grade: {', '.join(cells)}",
                           "grade it in the formgrader (Manual Grading); grades.csv leaves "
                           "its score blank until then") for student, cells in pending.items()]
        return Outcome(scores, gradebook.find_assignment(assignment).max_score,
                       [*(collected or []),
                        *(p for r in results if r.assignment == assignment for p in r.problems),
                        *late, *waiting],
                       summary=summary, pending=pending)

    def _prepare_gradebook(self, students: list[str]) -> None:
        """Make the gradebook and every student row before workers start, so that no two
        processes race to create them (SQLite or a shared PostgreSQL server)."""
        for attempt in range(ATTEMPTS):
            try:
                with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                    for student in students:
                        gradebook.update_or_create_student(student)
                    for assignment, when in self.due.items():
                        gradebook.update_or_create_assignment(assignment,
                                                              duedate=parse_utc(when))
                return
            except Exception as error:
                if attempt == ATTEMPTS - 1 or not transient(repr(error)):
                    raise
                time.sleep(0.2 * 2 ** attempt)

    def students(self, assignment: str) -> list[str]:
        """Every folder name under ``submitted/`` with this assignment (no glob: a name is
        only ever a name)."""
        folder = Path(self.coursedir.format_path(
            self.coursedir.submitted_directory, "student", assignment)).parent.parent
        return sorted(path.name for path in folder.iterdir() if (path / assignment).is_dir())


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


def late_by(seconds: float) -> str:
    """``1 d 2 h`` (days and hours; minutes under an hour)."""
    days, rest = divmod(int(seconds), 86400)
    hours = rest // 3600
    if not days and not hours:
        return f"{max(1, rest // 60)} min"
    return " ".join(part for part in (f"{days} d" if days else "", f"{hours} h" if hours
                                      else "") if part)


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
