"""``course-grade``: grade a class in one command (the work is done by GradeAssignment)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from traitlets.config import Config

from .batch import GradeAssignment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-grade",
        description="Autograde every submission of an assignment safely, write feedback, "
                    "grades.csv and a report of everything unusual.",
        epilog="examples:\n  course-grade 01-model\n"
               "  course-grade 01-model --zip-collect ~/Downloads/canvas-01-model\n"
               "  course-grade 01-model --timeout 10",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="course root holding nbgrader_config.py (default: here)")
    parser.add_argument("--zip-collect", type=Path, metavar="DIR",
                        help="first collect LMS downloads (zips or notebooks) from DIR")
    parser.add_argument("--timeout", type=int, help="per-cell time limit in seconds")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run student code unsandboxed (trusted notebooks only)")
    args = parser.parse_args(argv)
    overrides = Config()
    if args.timeout is not None:
        overrides.Execute.timeout = args.timeout
    if args.no_sandbox:
        overrides.SandboxedKernelManager.sandbox = False
    outcome = GradeAssignment(args.root, overrides).grade(args.assignment, args.zip_collect)
    for student, score in sorted(outcome.scores.items()):
        print(f"{student}: {score:g} / {outcome.max_score:g}")
    for problem in outcome.problems:
        print(problem)
    print(f"{len(outcome.scores)} graded, {len(outcome.problems)} problems; wrote "
          + ", ".join(str(path) for path in outcome.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
