"""``course-grade`` and ``course-stats`` as traitlets applications in nbgrader's style:
aliases and flags set traits, ``--help-all`` lists every trait of the grading classes,
and the application only parses and delegates (to GradeAssignment, ItemStatistics)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool, Dict, Enum, List, Unicode, validate
from traitlets.config import Application, Config, TraitError

from . import lms_export, logs, roster
from .batch import GradeAssignment, course_config
from .copied_answers import CopyingReport
from .execute import ExecuteInSandbox
from .item_analysis import ItemAnalysis
from .provisioner import SandboxError, SandboxProvisioner
from .sandbox import SandboxedKernelManager
from .score import ScoreRecordedAnswers
from .stats import ItemStatistics
from .triage import RepairSubmission
from .truncate import TruncateLargeOutputs
from .variants import StudentVariants


class CourseApp(Application):
    """What both commands share: the course root and the assignments to work on."""

    root = Unicode("", help="Course root holding nbgrader_config.py (default: here).").tag(
        config=True)
    assignments = List(Unicode(), help="Assignments (positional arguments).")

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        self.assignments = list(self.extra_args)
        if not self.assignments:
            self.print_help()
            self.exit(f"{self.name}: name at least one assignment")

    @property
    def course_root(self) -> Path:
        return Path(self.root or Path.cwd())


class CourseGradeApp(CourseApp):
    name = "course-grade"
    description = ("Autograde every submission of an assignment safely, write feedback, "
                   "grades.csv and a report of everything unusual. Exit status: 0 every "
                   "student graded, 1 some not graded or some downloads not collected (see "
                   "the report), 2 no sandbox. --timeout N: seconds per cell (the course's "
                   "nbgrader_config.py sets 20; the 30 shown below is nbgrader's own default).")
    examples = """
course-grade 01-model
course-grade 01-model --zip-collect ~/Downloads/canvas-01-model
course-grade 01-model --timeout 10 --jobs 4 --stats
course-grade '*'                  # every released assignment
course-grade 01-model --shard 2/3  # this machine's third of the class
"""

    zip_collect = Unicode(
        "", help="First collect LMS downloads (zips or notebooks) from this folder.").tag(
        config=True)
    shard = Unicode(
        "", help="K/N: grade only the K-th of N shards of the students (several machines, "
                 "one PostgreSQL gradebook: docs/grading.md).").tag(config=True)
    stats = Bool(False, help="Afterwards, item statistics: what the class got wrong.").tag(
        config=True)
    quiet = Bool(False, help="No progress bar.").tag(config=True)

    aliases: ClassVar[dict] = {
        "root": "CourseApp.root",
        "zip-collect": "CourseGradeApp.zip_collect",
        "timeout": "Execute.timeout",
        ("j", "jobs"): "GradeAssignment.jobs",
        "shard": "CourseGradeApp.shard",
        "log-level": "Application.log_level",
    }
    flags: ClassVar[dict] = {
        "no-sandbox": ({"SandboxProvisioner": {"sandbox": False}},
                       "Run student code unsandboxed (trusted notebooks only)."),
        "always-run": ({"ExecuteInSandbox": {"skip_unchanged": False}},
                       "Start a kernel even for notebooks whose code is the release's."),
        "stats": ({"CourseGradeApp": {"stats": True}}, stats.help),
        ("q", "quiet"): ({"CourseGradeApp": {"quiet": True}}, quiet.help),
    }
    classes: ClassVar[list] = [GradeAssignment, ExecuteInSandbox, SandboxProvisioner,
                               SandboxedKernelManager, RepairSubmission, TruncateLargeOutputs,
                               ScoreRecordedAnswers, StudentVariants, CopyingReport,
                               ItemStatistics, ItemAnalysis]

    @validate("shard")
    def _valid_shard(self, proposal) -> str:
        if proposal.value:
            parse_shard(proposal.value)
        return proposal.value

    def start(self) -> None:
        logs.quiet(self.log)
        grader = GradeAssignment(self.course_root, self.config)
        assignments = self.assignments
        if assignments == ["*"]:
            assignments = sorted(path.name for path in grader.root.joinpath(
                grader.coursedir.release_directory).iterdir() if path.is_dir())
        if self.zip_collect and len(assignments) != 1:
            self.exit("course-grade: --zip-collect takes one assignment")
        shard = parse_shard(self.shard) if self.shard else None
        try:
            grader.check(assignments)
        except ValueError as error:  # an unknown assignment, an unreadable extensions.csv
            self.exit(f"course-grade: {error}")
        try:
            collected = grader.collect_zips(assignments[0], Path(self.zip_collect)) \
                if self.zip_collect else []
        except ValueError as error:  # a setting the collect refused before copying anything
            self.exit(f"course-grade: {error}")
        try:
            outcomes = grader.grade_class(assignments, shard, self.quiet, collected)
        except SandboxError as error:
            print(f"course-grade: not grading. {error}", file=sys.stderr)
            self.exit(2)
        ungraded = waiting = 0
        for assignment, outcome in outcomes.items():
            prefix = f"{assignment} " if len(outcomes) > 1 else ""
            for student, score in sorted(outcome.scores.items()):
                ungraded += score is None
                waiting += student in outcome.pending
                shown = "NOT GRADED (see the report)" if score is None else f"{score:g}"
                cells = ", ".join(outcome.pending.get(student, []))
                later = f" so far: waiting for a hand grade ({cells})" if cells else ""
                print(f"{prefix}{student}: {shown} / {outcome.max_score:g}{later}")
        problems = [p for outcome in outcomes.values() for p in outcome.problems]
        for problem in problems:
            print(problem)
        files = next(iter(outcomes.values())).files if outcomes else []
        graded = sum(len(o.scores) for o in outcomes.values()) - ungraded
        print(f"{graded} graded, {ungraded} not graded, {waiting} waiting for a hand grade, "
              f"{len(problems)} problems; wrote " + ", ".join(str(path) for path in files))
        if self.stats:
            ItemStatistics(grader.root, grader.config).report(assignments)
        lost = sum(p.student == "?" for p in collected)
        if lost:
            print(f"course-grade: {lost} download(s) not collected (no student): see the "
                  "report", file=sys.stderr)
        if ungraded:
            print(f"course-grade: {ungraded} submission(s) not graded: see the report",
                  file=sys.stderr)
        if ungraded or lost:
            self.exit(1)


class CourseStatsApp(CourseApp):
    name = "course-stats"
    description = ("Item analysis, per question, per variant and per matrix row: difficulty, "
                   "discrimination, the share choosing each option, the most common wrong "
                   "answer, and flags for items to look at (CSV, JSON, SVG chart; the flagged "
                   "and the five most-missed items printed). Run after course-grade.")
    examples = """
course-stats 01-model
course-stats '*'              # every assignment, one rest score over all (steadier)
course-stats 01-model --ItemAnalysis.weak_discrimination=0.2 --ItemAnalysis.min_students=30
"""
    aliases: ClassVar[dict] = {"root": "CourseApp.root", "log-level": "Application.log_level"}
    classes: ClassVar[list] = [ItemStatistics, ItemAnalysis]

    def start(self) -> None:
        statistics = ItemStatistics(self.course_root, course_config(self.course_root,
                                                                    self.config))
        statistics.report(statistics.assignments() if self.assignments == ["*"]
                          else self.assignments)


class CourseLmsApp(CourseApp):
    name = "course-lms"
    description = ("The class roster from the LMS's own export, and files the LMS imports as "
                   "they are: the term's grades and each assignment's feedback (docs/lms.md).")
    examples = """
course-lms roster canvas-gradebook-export.csv      # roster.csv + nbgrader's student table
course-lms grades --lms canvas                     # lms/canvas-grades.csv (the whole term)
course-lms feedback 02-aws-side --lms moodle       # lms/moodle-02-aws-side-feedback.zip
"""
    lms = Enum(sorted(lms_export.formats()), default_value="canvas",
               help="The LMS whose import format to write.").tag(config=True)
    columns = Dict(
        per_key_traits=Unicode(), help="LMS column name of each assignment in the grade file "
        "(e.g. Canvas's 'Week 1 (123456)'); default: the assignment's name").tag(config=True)
    aliases: ClassVar[dict] = {"root": "CourseApp.root", "lms": "CourseLmsApp.lms",
                               "log-level": "Application.log_level"}

    def start(self) -> None:
        action, *names = self.assignments
        config = course_config(self.course_root, self.config)
        if action == "roster" and names:
            self.import_roster([Path(name) for name in names], config)
        elif action == "grades" and not names:
            path, held = lms_export.grades(self.course_root, self.lms, self.columns, config)
            print(f"wrote {path}" + (f"; {held} score(s) held back (waiting for a hand grade "
                                     "or not graded: blank)" if held else ""))
        elif action == "feedback" and len(names) == 1:
            path, left_out = lms_export.feedback(self.course_root, names[0], self.lms, config)
            for line in left_out:
                print(line)
            print(f"wrote {path}")
        else:
            self.exit(f"{self.name}: roster FILE..., grades, or feedback ASSIGNMENT")

    def import_roster(self, paths: list[Path], config: Config) -> None:
        current = roster.Roster.load(self.course_root)
        for path in paths:
            try:
                kind, members, skipped = roster.read_export(path)
            except (OSError, roster.RosterError) as error:
                self.exit(f"{self.name}: {path}: {error}")
            for line in skipped:
                print(line)
            current = current.merged(members)
            print(f"{path}: {len(members)} students ({roster.formats()[kind]['title']})")
        saved = current.save(self.course_root)
        coursedir = CourseDirectory(config=config, root=str(self.course_root))
        with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            current.import_into(gradebook)
        print(f"{saved}: {len(current.members)} rows; nbgrader's student table updated")


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` (the K-th of N shards, counted from 1)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise TraitError(f"{text!r} is not K/N, e.g. 1/3") from None
    if not 1 <= k <= n:
        raise TraitError(f"{text!r}: K must be between 1 and N")
    return k, n


def main(argv: list[str] | None = None) -> None:
    CourseGradeApp.launch_instance(argv)


def stats_main(argv: list[str] | None = None) -> None:
    CourseStatsApp.launch_instance(argv)


def lms_main(argv: list[str] | None = None) -> None:
    CourseLmsApp.launch_instance(argv)


if __name__ == "__main__":
    main()
