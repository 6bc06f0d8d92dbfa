"""``course-grade``: grade a class in one command (the work is done by GradeAssignment);
``course-stats``: which questions the class got wrong (the work is done by ItemStatistics)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from traitlets.config import Config

from .batch import GradeAssignment
from .sandbox import SandboxError


def shard(text: str) -> tuple[int, int]:
    """``K/N`` (the K-th of N shards, counted from 1)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 1/3") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be between 1 and N")
    return k, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-grade",
        description="Autograde every submission of an assignment safely, write feedback, "
                    "grades.csv and a report of everything unusual.",
        epilog="examples:\n  course-grade 01-model\n"
               "  course-grade 01-model --zip-collect ~/Downloads/canvas-01-model\n"
               "  course-grade 01-model --timeout 10 --jobs 4 --stats\n"
               "  course-grade '*'                  # every released assignment\n"
               "  course-grade 01-model --shard 2/3  # this machine's third of the class",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="+",
                        help="assignment(s) to grade; '*' for every one in release/")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="course root holding nbgrader_config.py (default: here)")
    parser.add_argument("--zip-collect", type=Path, metavar="DIR",
                        help="first collect LMS downloads (zips or notebooks) from DIR")
    parser.add_argument("--timeout", type=int, help="per-cell time limit in seconds")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run student code unsandboxed (trusted notebooks only)")
    parser.add_argument("--jobs", "-j", type=int, metavar="N",
                        help="worker processes (default: one per CPU)")
    parser.add_argument("--shard", type=shard, metavar="K/N",
                        help="grade only the K-th of N shards of the students (several "
                             "machines, one PostgreSQL gradebook: docs/grading.md)")
    parser.add_argument("--always-run", action="store_true",
                        help="start a kernel even for notebooks whose code is the release's")
    parser.add_argument("--stats", action="store_true",
                        help="afterwards, item statistics: what the class got wrong")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    overrides = Config()
    if args.timeout is not None:
        overrides.Execute.timeout = args.timeout
    if args.no_sandbox:
        overrides.SandboxedKernelManager.sandbox = False
    if args.jobs is not None:
        overrides.GradeAssignment.jobs = args.jobs
    if args.always_run:
        overrides.ExecuteInSandbox.skip_unchanged = False
    grader = GradeAssignment(args.root, overrides)
    assignments = args.assignment
    if assignments == ["*"]:
        assignments = sorted(path.name for path in grader.root.joinpath(
            grader.coursedir.release_directory).iterdir() if path.is_dir())
    if args.zip_collect is not None and len(assignments) != 1:
        parser.error("--zip-collect takes one assignment")
    try:
        collected = [] if args.zip_collect is None else grader.collect_zips(
            assignments[0], args.zip_collect)
        outcomes = grader.grade_class(assignments, args.shard, args.quiet, collected)
    except SandboxError as error:
        print(f"course-grade: not grading. {error}", file=sys.stderr)
        return 2
    ungraded = 0
    for assignment, outcome in outcomes.items():
        prefix = f"{assignment} " if len(outcomes) > 1 else ""
        for student, score in sorted(outcome.scores.items()):
            ungraded += score is None
            shown = "NOT GRADED (see the report)" if score is None else f"{score:g}"
            print(f"{prefix}{student}: {shown} / {outcome.max_score:g}")
    problems = [p for outcome in outcomes.values() for p in outcome.problems]
    for problem in problems:
        print(problem)
    files = next(iter(outcomes.values())).files if outcomes else []
    graded = sum(len(o.scores) for o in outcomes.values()) - ungraded
    print(f"{graded} graded, {ungraded} not graded, {len(problems)} problems; "
          "wrote " + ", ".join(str(path) for path in files))
    if args.stats:
        from .stats import ItemStatistics

        for assignment in assignments:
            ItemStatistics(grader.root, grader.config).report(assignment)
    if ungraded:
        print(f"course-grade: {ungraded} submission(s) not graded: see the report",
              file=sys.stderr)
    return 1 if ungraded else 0


def stats_main(argv: list[str] | None = None) -> int:
    from .stats import ItemStatistics

    parser = argparse.ArgumentParser(
        prog="course-stats",
        description="Per question and per matrix row: the share of the class that got it "
                    "right and the most common wrong answer (CSV, SVG bar chart, and the five "
                    "most-missed items with their explanations). Run after course-grade.",
        epilog="example:\n  course-stats 01-model",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="+")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="course root holding nbgrader_config.py (default: here)")
    args = parser.parse_args(argv)
    from .batch import course_config

    config = course_config(args.root)
    for assignment in args.assignment:
        ItemStatistics(args.root, config).report(assignment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
