"""Grading at class scale: course-grade's workers and kernel skipping give exactly the
scores of sequential ``nbgrader autograde``; progress, shards on one PostgreSQL gradebook
shared by two concurrent grading processes, and item statistics."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from course_copy import (
    BIN,
    NO_SANDBOX,
    CourseCopy,
    item_keys,
    require_sandbox,
    synthetic_submission,
    unavailable,
)
from nbgrader.api import Gradebook
from traitlets.config import Config

from course.grading.batch import GradeAssignment, in_shard
from course.grading.stats import ItemStatistics

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
# Students by kind: which need a kernel (their code differs from the release) and which not.
KINDS = {"widget": 4, "blank": 1, "invalid-json": 1, "code": 3, "perfect": 1,
         "duplicated-cells": 1, "error-cell": 1}
NO_KERNEL = {"widget", "blank", "invalid-json"}
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def all_scores(db_url: str) -> dict[tuple[str, str], float]:
    """(student, grade cell) -> score for every submission of the assignment."""
    with Gradebook(db_url) as gradebook:
        return {(s.student.id, grade.name): grade.score
                for s in gradebook.assignment_submissions(ASSIGNMENT)
                for notebook in s.notebooks for grade in notebook.grades}


class Class:
    def __init__(self, course: CourseCopy, pristine: Path, kinds: dict[str, str],
                 sequential: dict, stderr: str, outcome):
        self.course, self.pristine, self.kinds = course, pristine, kinds
        self.sequential, self.stderr, self.outcome = sequential, stderr, outcome


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Class:
    """One class graded twice: sequential nbgrader autograde, and course-grade (2 jobs)."""
    require_sandbox()
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    source = course.notebook("source", ASSIGNMENT)
    release = course.notebook("release", ASSIGNMENT)
    rng, kinds = random.Random(7), {}
    for kind, count in KINDS.items():
        for number in range(count):
            student = f"{kind}-{number}"
            course.submit(student, ASSIGNMENT, {})
            path = course.root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            path.write_bytes(synthetic_submission(source, release, kind, rng))
            kinds[student] = kind
    pristine = tmp_path_factory.mktemp("pristine") / "submitted"
    shutil.copytree(course.root / "submitted", pristine)
    shutil.copy(course.root / "gradebook.db", pristine.parent / "gradebook.db")

    # Sequential nbgrader autograde on a repaired copy (nbgrader cannot read some damage).
    baseline = CourseCopy(tmp_path_factory.mktemp("baseline"))
    shutil.copytree(course.root / "release", baseline.root / "release")
    shutil.copytree(pristine, baseline.root / "submitted")
    shutil.copy(pristine.parent / "gradebook.db", baseline.root / "gradebook.db")
    from course.grading.triage import RepairSubmission

    for student in kinds:
        RepairSubmission(baseline.root, baseline.root / "release" / ASSIGNMENT).repair(
            baseline.root / "submitted" / student / ASSIGNMENT, student)
    baseline.nbgrader("autograde", ASSIGNMENT, "--force")
    sequential = all_scores(f"sqlite:///{baseline.root / 'gradebook.db'}")

    overrides = Config()
    overrides.GradeAssignment.jobs = 2
    if NO_SANDBOX:
        overrides.SandboxProvisioner.sandbox = False
    stderr = io.StringIO()
    real, sys.stderr = sys.stderr, stderr
    try:
        outcome = GradeAssignment(course.root, overrides).grade(ASSIGNMENT)
    finally:
        sys.stderr = real
    return Class(course, pristine, kinds, sequential, stderr.getvalue(), outcome)


def test_parallel_grading_scores_exactly_like_sequential_autograde(graded: Class):
    """Does every grade cell of every student score what sequential nbgrader gives?"""
    assert len(graded.sequential) == 3 * len(graded.kinds)
    assert all_scores(f"sqlite:///{graded.course.root / 'gradebook.db'}") == graded.sequential


def test_only_notebooks_with_new_code_start_a_kernel(graded: Class):
    """Are notebooks whose code is the release's graded without a kernel, and only they?"""
    skipped = sum(count for kind, count in KINDS.items() if kind in NO_KERNEL)
    total = sum(KINDS.values())
    assert f"{total - skipped} run in a kernel, {skipped} unchanged" in graded.outcome.summary
    assert "with 2 workers" in graded.outcome.summary


def test_progress_and_summary_are_shown(graded: Class):
    """Does grading show a progress line with counts and time left, then a summary?"""
    total = sum(KINDS.values())
    assert f"{total}/{total} notebooks" in graded.stderr
    assert "left" in graded.stderr and "notebooks/s" in graded.stderr
    assert graded.stderr.strip().splitlines()[-1].startswith(f"graded {total} notebooks")


def test_shards_cover_the_class_once():
    """Do N shards hold every student exactly once?"""
    students = [f"student-{n}" for n in range(100)]
    shards = [in_shard(students, (k, 3)) for k in (1, 2, 3)]
    assert sorted(s for shard in shards for s in shard) == sorted(students)
    assert all(15 < len(shard) < 50 for shard in shards)


def test_item_statistics_match_the_gradebook(graded: Class):
    """Is each item's share right the share of students with full points in its test cell;
    are the CSV, the chart and the most-missed list written?"""
    stats = ItemStatistics(graded.course.root, Config())
    out = io.StringIO()
    results = stats.report(ASSIGNMENT, out)
    keys = item_keys(graded.course.notebook("source", ASSIGNMENT))
    cells = {"cp-01-rds-engine": ("test_rds_engine", 1),
             "cp-01-customer-side": ("test_customer_side", 2),
             "cp-01-webshop-matrix": ("test_webshop_matrix", 3)}
    students = len(graded.kinds) - KINDS["blank"]  # a blank notebook is not an attempt
    for item, (cell, points) in cells.items():
        full = sum(score == points for (student, name), score in graded.sequential.items()
                   if name == cell)
        result = next(r for r in results if r.item == item and not r.row)
        assert (result.students, result.right) == (students, full), item
    rows = [r for r in results if r.row]
    assert [r.row for r in rows] == list(keys["cp-01-webshop-matrix"])
    with open(graded.course.root / "stats" / f"{ASSIGNMENT}-items.csv") as file:
        table = list(csv.DictReader(file))
    assert len(table) == len(results) == 3 + len(rows)
    svg = ET.parse(graded.course.root / "stats" / f"{ASSIGNMENT}-items.svg").getroot()
    description = svg.find("{http://www.w3.org/2000/svg}desc").text
    assert all(f"{r.label}: difficulty" in description for r in results)
    missed = [line for line in out.getvalue().splitlines() if line.startswith("- ")]
    assert len(missed) == 5 and all("Why:" in line for line in missed)


def test_commands_offer_jobs_shards_and_stats():
    """Do course-grade and course-stats show their options?"""
    usage = subprocess.run([str(BIN / "course-grade"), "--help"], capture_output=True,
                           text=True, env=ENV, timeout=60).stdout
    assert all(flag in usage for flag in ("--jobs", "--shard", "--stats", "--always-run"))
    every = subprocess.run([str(BIN / "course-grade"), "--help-all"], capture_output=True,
                           text=True, env=ENV, timeout=60).stdout
    assert all(trait in every for trait in ("--ExecuteInSandbox.notebook_timeout",
                                            "--SandboxProvisioner.first_uid",
                                            "--GradeAssignment.jobs"))
    done = subprocess.run([str(BIN / "course-stats"), "--help"], capture_output=True,
                          text=True, env=ENV, timeout=60)
    assert done.returncode == 0 and "most common wrong answer" in done.stdout


# PostgreSQL: a throwaway server, two grading processes writing into it at once.

def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of its own (unix socket, trust), stopped afterwards; as root it
    runs as the postgres user. Skipped without postgres; a failure in CI."""
    folder = postgres_bin()
    if folder is None:
        unavailable("PostgreSQL is not installed: apt-get install postgresql")
    # Not under pytest's folder: that is private to its user, and the server runs as another.
    base = Path(tempfile.mkdtemp(prefix="course-postgres-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        base.chmod(0o755)
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        data.mkdir()
        shutil.chown(data, "postgres")
    port = free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    run(str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    run(str(folder / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"),
        "-o", f"-p {port} -k {sockets} -c listen_addresses=''", "start")
    try:
        run(str(folder / "createdb"), "-h", str(sockets), "-p", str(port), "-U", "postgres",
            "gradebook")
        yield f"postgresql+psycopg2://postgres@/gradebook?host={sockets}&port={port}"
    finally:
        run(str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_two_machines_grade_shards_into_one_postgresql_gradebook(
        graded: Class, postgres: str, tmp_path: Path):
    """Two grading processes, each with a shard of the class, writing into one
    PostgreSQL gradebook at the same time: is every score there once, and the same as
    grading the whole class on one machine?"""
    course = CourseCopy(tmp_path / "course")
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write(f"\nc.CourseDirectory.db_url = {postgres!r}\n")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    machines = []
    for k in (1, 2):  # each machine has the class's files; it grades its own shard
        machine = tmp_path / f"machine-{k}"
        shutil.copytree(course.root, machine)
        shutil.copytree(graded.pristine, machine / "submitted")
        machines.append(machine)

    def grade(k: int) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "course-grade"), ASSIGNMENT, "--shard", f"{k}/2", "--jobs", "2",
             "--quiet", *(["--no-sandbox"] if NO_SANDBOX else [])],
            cwd=machines[k - 1], env=ENV, capture_output=True, text=True, timeout=900)

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(grade, (1, 2)))
    assert all(d.returncode == 0 for d in done), [d.stderr[-2000:] for d in done]
    assert all_scores(postgres) == graded.sequential
    with Gradebook(postgres) as gradebook:
        rows = [s.student.id for s in gradebook.assignment_submissions(ASSIGNMENT)]
    assert sorted(rows) == sorted(graded.kinds)  # every student once
    shards = [json.loads((m / "grading-report.json").read_text())["scores"][ASSIGNMENT]
              for m in machines]
    assert not set(shards[0]) & set(shards[1])
    assert set(shards[0]) | set(shards[1]) == set(graded.kinds)
