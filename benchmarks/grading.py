"""Grading speed at class scale: sequential ``nbgrader autograde`` against ``course-grade``.

Builds a synthetic class of N students x every assignment that has a source and a release
notebook (answers right, wrong and partly right, given with widgets or in code, and some
damaged files), grades two identical copies, checks that every grade cell scores the
same in both gradebooks, and prints notebooks per second both ways and their ratio.

    .venv/bin/python benchmarks/grading.py 50
    .venv/bin/python benchmarks/grading.py 200 --jobs 2 --keep /tmp/class-200

nbgrader cannot grade some damaged files at all (a duplicated grade cell stops its whole
batch), so the baseline copy is first repaired with the course's own pre-flight, untimed;
``course-grade`` repairs its copy itself, timed, and also writes feedback, grades.csv and
the report, which the baseline does not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "tests"))

from course_copy import CourseCopy, gradable_assignments, synthetic_class  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def cell_scores(root: Path) -> dict[tuple[str, str, str, str], float]:
    """(student, assignment, notebook, grade cell) -> score, from a copy's gradebook."""
    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        scores[(submission.student.id, assignment.name, notebook.name,
                                grade.name)] = grade.score
    return scores


def repair_all(root: Path, assignments: list[str]) -> None:
    """The course's pre-flight on every submission (what course-grade does first)."""
    from course.grading.triage import RepairSubmission

    for assignment in assignments:
        release = root / "release" / assignment
        for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
            RepairSubmission(root, release).repair(folder, folder.parent.name)


def timed(command: list[str], root: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    done = subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True)
    return time.monotonic() - start, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("students", type=int, nargs="?", default=50)
    parser.add_argument("--jobs", type=int, help="course-grade --jobs (default: per CPU)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="build the copies here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="grading-benchmark-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        sequential, course = base / "sequential", base / "course-grade"
        shutil.rmtree(sequential, ignore_errors=True)
        shutil.rmtree(course, ignore_errors=True)
        copy = CourseCopy(sequential)
        shutil.rmtree(sequential / "source")
        assignments = gradable_assignments(REPO)
        for assignment in assignments:
            shutil.copytree(REPO / "source" / assignment, sequential / "source" / assignment)
        for assignment in assignments:
            copy.nbgrader("generate_assignment", assignment, "--force")
        kinds = synthetic_class(sequential, assignments, args.students, args.seed)
        shutil.copytree(sequential, course)
        notebooks = len(kinds)
        print(f"{args.students} students x {len(assignments)} assignments "
              f"({', '.join(assignments)}) = {notebooks} notebooks; "
              + ", ".join(f"{kind} {count}" for kind, count in Counter(kinds.values())
                          .most_common()), flush=True)

        repair_all(sequential, assignments)
        seconds_a, done = timed([str(BIN / "nbgrader"), "autograde", "*", "--force"],
                                sequential)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
        print(f"sequential nbgrader autograde: {seconds_a:.1f} s, "
              f"{notebooks / seconds_a:.2f} notebooks/s", flush=True)

        command = [str(BIN / "course-grade"), *assignments, "--quiet"]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        seconds_b, done = timed(command, course)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
        summary = [line for line in done.stderr.splitlines() if line.startswith("graded ")]
        print(f"course-grade ({summary[-1] if summary else done.stderr[-500:]}): "
              f"{seconds_b:.1f} s, {notebooks / seconds_b:.2f} notebooks/s", flush=True)

        a, b = cell_scores(sequential), cell_scores(course)
        differ = sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))
        print(f"grade cells compared: {len(a)} and {len(b)}; differing: {len(differ)}")
        for key in differ[:20]:
            print("  ", key, a.get(key), b.get(key))
        print(f"speed-up: {seconds_a / seconds_b:.2f}x "
              f"({notebooks / seconds_a:.2f} -> {notebooks / seconds_b:.2f} notebooks/s)")
        return 1 if differ or not a else 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
