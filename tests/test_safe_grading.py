"""Grading a real class safely: a batch of honest, damaged and hostile submissions goes
through ``course-grade`` (nbgrader's own autograde, feedback, export and zip collect, with
kernels in the sandbox), once; each test checks one promise of docs/grading.md."""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import pytest
from course_copy import (
    REPO,
    CourseCopy,
    folder_digest,
    gradebook_definition,
    require_sandbox,
    with_answers_as_code,
    with_recorded_answers,
)
from traitlets.config import Config

from course import content
from course.grading.batch import GradeAssignment, Outcome

pytestmark = pytest.mark.pipeline


ASSIGNMENT = "01-model"
TIMEOUT = 3
PARTIAL = {
    "cp-01-rds-engine": "Customer",
    "cp-01-customer-side": ["Encrypting the order database",
                            "Writing IAM policies for its developers"],
    "cp-01-webshop-matrix": {
        "replace-disks": "AWS", "kernel-update": "Customer", "ssh-rule": "AWS",
        "patch-control": "Customer", "key-rotation": "Customer", "hypervisor-escape": "AWS",
    },
}
PARTIAL_SCORE = 3.3333
REUSED = "cp-01-webshop-matrix"

# What each student earned with the answers they really gave, whatever else they did
# (1001, 1002: the Canvas user ids of downloads collected by zip collect).
EXPECTED = {
    "perfect": 6.0, "blank": 0.0, "partial": PARTIAL_SCORE, "1001": 6.0,
    "invalid-json": PARTIAL_SCORE, "old-nbformat": PARTIAL_SCORE,
    "future-nbformat": PARTIAL_SCORE, "duplicated-cells": 6.0, "deleted-cells": PARTIAL_SCORE,
    "renamed": 6.0, "1002": 6.0, "infinite-loop": 6.0, "kernel-killer": 6.0,
    "output-flood": 6.0, "invalid-answer": 2.0, "empty-folder": 0.0, "empty-file": 0.0,
    "other-assignment": 0.0, "gradebook-attacker": PARTIAL_SCORE,
    "monkeypatcher": PARTIAL_SCORE, "always-equal": 0.0,
}

# (student, words in the problem, words in the action) the report must contain.
REPORTED = [
    ("invalid-json", "not valid JSON", "3 recorded answers"),
    ("old-nbformat", "nbformat 3", "converted to nbformat 4"),
    ("future-nbformat", "unreadable nbformat", "3 recorded answers"),
    ("duplicated-cells", "'answer_rds_engine' appears more than once", "kept the first"),
    ("duplicated-cells", "'test_rds_engine' appears more than once", "kept the first"),
    ("deleted-cells", "deleted: test_rds_engine, test_webshop_matrix", "restored"),
    ("renamed", "submitted as 'My copy of 01-model.ipynb'", "graded it as '01-model.ipynb'"),
    ("1002", "submitted as '01-model-1.ipynb'", "graded it as '01-model.ipynb'"),
    ("infinite-loop", f"ran past the {TIMEOUT} s limit", "interrupted"),
    ("kernel-killer", "stopped the kernel", "without that cell"),
    ("output-flood", "bytes too many", "cut its output"),
    ("invalid-answer", "'Amazon' is not one of", "cp-01-rds-engine as unanswered"),
    ("invalid-answer", "not an answer of the right kind", "cp-01-customer-side as unanswered"),
    ("empty-folder", "no such notebook was submitted", "blank release notebook"),
    ("empty-file", "the file is empty", "0 recorded answers"),
    ("other-assignment", "another assignment", "restored from the release"),
    ("blank", "no answers recorded (0 of 3 items answered)", "the right file"),
]

ATTACK = '''
import os, sqlite3
root = {root!r}
def attempt(name, action):
    try:
        action()
        print(name, "OPEN")
    except Exception as error:
        print(name, "BLOCKED", type(error).__name__)
def write_gradebook(path):
    db = sqlite3.connect(path)
    db.execute("update grade set auto_score = 100")
    db.execute("create table pwned (x)")
    db.commit()
attempt("gradebook-absolute", lambda: write_gradebook(root + "/gradebook.db"))
attempt("gradebook-relative", lambda: write_gradebook("../../../gradebook.db"))
attempt("gradebook-replace", lambda: open(root + "/gradebook.db", "wb").write(b"x"))
attempt("source-read", lambda: print(open(root + "/source/01-model/01-model.ipynb").read()))
attempt("source-write", lambda: open(root + "/source/pwned.txt", "w").write("x"))
attempt("peer-read", lambda: print(open(
    root + "/submitted/perfect/01-model/01-model.ipynb").read()))
attempt("peer-list", lambda: print(os.listdir(root + "/submitted")))
attempt("package-write", lambda: open(
    os.path.dirname(__import__("course").__file__) + "/scoring.py", "a").write("#"))
attempt("network", lambda: __import__("socket").create_connection(("1.1.1.1", 80), 2))
attempt("root-user", lambda: None if os.getuid() == 0 else 1 / 0)
'''

MONKEYPATCH = '''
import builtins, sys
import course, course.scoring, course.records, course.checkpoint
from IPython.display import display
course.scoring.fraction = lambda key, answer: 1.0
course.scoring.points = lambda key, answer, out_of: float(out_of)
course.records.check = lambda item, answer: answer
builtins.float = lambda *args: 99.0
def require_answer(item):
    display({"text/plain": "6.0"}, raw=True)
    display({course.records.MIME: {"item": item, "answer": "AWS"}}, raw=True)
def expect(item, key, **kwargs):  # would capture the key, were hidden tests ever run here
    course.checkpoint.answer(item, key)
course.checkpoint.require_answer = require_answer
course.checkpoint.expect = expect
sys.displayhook = lambda value: print(6.0)
'''

ALWAYS_EQUAL = '''
import course.records
from IPython.display import display
class AlwaysEqual(dict):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
for item in ("cp-01-rds-engine", "cp-01-customer-side", "cp-01-webshop-matrix"):
    try:
        answer(item, AlwaysEqual())
    except Exception as error:
        print("answer refused:", error)
    display({course.records.MIME: {"item": item, "answer": AlwaysEqual()}}, raw=True)
'''


def code_cell(source: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}


def with_cell(notebook: dict[str, Any], source: str, after: int = 1) -> dict[str, Any]:
    """``notebook`` with a plain code cell inserted after cell ``after`` (the setup cell)."""
    changed = copy.deepcopy(notebook)
    changed["cells"].insert(after + 1, code_cell(source))
    for cell in changed["cells"]:
        cell.pop("id", None)
    changed["nbformat_minor"] = 4
    return changed


def grade_id(cell: dict[str, Any]) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def submissions(course: CourseCopy) -> dict[str, bytes | None]:
    """Each submission's notebook file as bytes (``None``: an empty folder), by student."""
    source = course.notebook("source", ASSIGNMENT)
    release = course.notebook("release", ASSIGNMENT)
    perfect_code = with_answers_as_code(release, dict(perfect_answers(source)))
    partial_code = with_answers_as_code(release, PARTIAL)
    partial_saved = with_recorded_answers(release, PARTIAL)
    dumps = lambda nb: json.dumps(nb).encode()  # noqa: E731
    text = json.dumps(partial_saved, indent=1)
    last_record = text.rindex('"application/vnd.aws-srm-course.answer+json"')
    future = dict(partial_saved, nbformat=5)

    duplicated = copy.deepcopy(source)
    for name in ("answer_rds_engine", "test_rds_engine"):
        index = next(i for i, c in enumerate(duplicated["cells"]) if grade_id(c) == name)
        duplicated["cells"].insert(index + 1, copy.deepcopy(duplicated["cells"][index]))
    for cell in duplicated["cells"]:
        cell.pop("id", None)
    duplicated["nbformat_minor"] = 4

    deleted = copy.deepcopy(partial_code)
    deleted["cells"] = [c for c in deleted["cells"]
                        if grade_id(c) not in ("test_rds_engine", "test_webshop_matrix")]

    other = copy.deepcopy(with_recorded_answers(release, PARTIAL))
    for cell in other["cells"]:
        if grade_id(cell):
            cell["metadata"]["nbgrader"]["grade_id"] = "other_" + grade_id(cell)
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get("application/vnd.aws-srm-course.answer+json")
            if record:
                record["item"] = record["item"].replace("cp-01", "cp-02")

    return {
        "perfect": dumps(source),
        "blank": dumps(release),
        "partial": dumps(partial_code),
        "invalid-json": text[:text.index("}", text.index("hypervisor-escape", last_record))
                             + 30].encode(),
        "old-nbformat": nbformat.writes(
            nbformat.convert(nbformat.reads(json.dumps(partial_code), 4), 3)).encode(),
        "future-nbformat": dumps(future),
        "duplicated-cells": dumps(duplicated),
        "renamed": dumps(source),
        "deleted-cells": dumps(deleted),
        "infinite-loop": dumps(with_cell(perfect_code, "while True:\n    pass")),
        "kernel-killer": dumps(with_cell(perfect_code, "import os\nos.kill(os.getpid(), 9)")),
        "output-flood": dumps(with_cell(perfect_code, 'print("x" * 5_000_000)')),
        "invalid-answer": dumps(with_recorded_answers(release, {
            "cp-01-rds-engine": "Amazon",
            "cp-01-customer-side": [["Encrypting the order database"]],
            "cp-01-webshop-matrix": PARTIAL["cp-01-webshop-matrix"]})),
        "empty-folder": None,
        "empty-file": b"",
        "other-assignment": dumps(other),
        "gradebook-attacker": dumps(with_cell(
            partial_code, ATTACK.format(root=str(course.root)))),
        "monkeypatcher": dumps(with_cell(partial_saved, MONKEYPATCH)),
        "always-equal": dumps(with_cell(release, ALWAYS_EQUAL)),
    }


def perfect_answers(source: dict[str, Any]):
    """(item, key) of each hidden test of the source notebook."""
    from course.grading.score import expectation

    for cell in source["cells"]:
        expected = expectation("".join(cell["source"])) if grade_id(cell) else None
        if expected:
            yield expected["item"], expected["key"]






class Graded:
    def __init__(self, course: CourseCopy, outcome: Outcome, before: list[tuple],
                 source_digest: str, package_digest: str):
        self.course, self.outcome, self.before = course, outcome, before
        self.source_digest, self.package_digest = source_digest, package_digest

    def outputs(self, student: str) -> str:
        path = self.course.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        cells = json.loads(path.read_text())["cells"]
        texts = [output.get("text", "") for cell in cells for output in cell.get("outputs", [])]
        return "".join("".join(text) if isinstance(text, list) else text for text in texts)

    def own_code(self, student: str) -> str:
        """The source of the student's cells other than test cells."""
        path = self.course.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        return "".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]
                       if not grade_id(cell) or not grade_id(cell).startswith("test_"))

    def feedback(self, student: str) -> str:
        return (self.course.root / "feedback" / student / ASSIGNMENT /
                f"{ASSIGNMENT}.html").read_text()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    """The whole hostile class, graded once in one batch (two students via zip collect).
    It is about the sandbox: without bubblewrap its tests skip (and fail in CI); the tests
    that need no kernel (salvage, the command) run anyway."""
    require_sandbox()
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    submitted = submissions(course)
    for student, data in submitted.items():
        folder = course.root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        if data is not None:
            (folder / f"{ASSIGNMENT}.ipynb").write_bytes(data)
    renamed = course.root / "submitted" / "renamed" / ASSIGNMENT
    (renamed / f"{ASSIGNMENT}.ipynb").rename(renamed / "My copy of 01-model.ipynb")
    downloads = tmp_path_factory.mktemp("downloads")
    perfect = json.dumps(course.notebook("source", ASSIGNMENT))
    with zipfile.ZipFile(downloads / "submissions.zip", "w") as archive:
        archive.writestr("zipped_1001_2001_01-model.ipynb", perfect)
    (downloads / "lms-renamed_LATE_1002_2002_01-model-1.ipynb").write_text(perfect)

    before = gradebook_definition(course.root)
    source_digest = folder_digest(course.root / "source")
    package_digest = hashlib.sha256((REPO / "course" / "scoring.py").read_bytes()).hexdigest()
    checkpoints = content.checkpoints()
    checkpoints[REUSED]["reuse"] = True  # as `reuse = true` in the checkpoint's data file
    try:
        overrides = Config()
        overrides.Execute.timeout = TIMEOUT
        outcome = GradeAssignment(course.root, overrides).grade(ASSIGNMENT, downloads)
    finally:
        del checkpoints[REUSED]["reuse"]
    graded = Graded(course, outcome, before, source_digest, package_digest)
    graded.submitted = submitted
    return graded


def test_every_submission_gets_exactly_its_score(graded: Graded):
    """Does every student, honest, damaged or hostile, get exactly what their answers earn?"""
    assert graded.outcome.scores == pytest.approx(EXPECTED)
    assert graded.course.scores(ASSIGNMENT) == pytest.approx(EXPECTED)


def test_grades_csv_lists_every_student(graded: Graded):
    """Does the exported grades.csv carry the same score for every student?"""
    with open(graded.course.root / "grades.csv") as file:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}
    assert rows == pytest.approx(EXPECTED)


@pytest.mark.parametrize(("student", "problem", "action"), REPORTED)
def test_each_damage_is_reported_with_what_was_done(graded: Graded, student, problem, action):
    """Is there a report line naming what was wrong and what the grader did?"""
    lines = [p for p in graded.outcome.problems if p.student == student]
    assert any(problem in p.problem and action in p.action for p in lines), lines


def test_honest_students_have_nothing_reported(graded: Graded):
    """Do clean submissions stay out of the report (a blank one is flagged, nothing else)?"""
    reported = {p.student for p in graded.outcome.problems}
    assert not reported & {"perfect", "partial", "1001"}
    assert [p.problem for p in graded.outcome.problems if p.student == "blank"] == [
        "no answers recorded (0 of 3 items answered)"]


def test_report_files_match_the_report(graded: Graded):
    """Are the CSV and JSON reports next to grades.csv the same lines?"""
    root = graded.course.root
    with open(root / "grading-report.csv") as file:
        rows = list(csv.DictReader(file))
    saved = json.loads((root / "grading-report.json").read_text())
    assert len(rows) == len(saved["problems"]) == len(graded.outcome.problems)
    assert saved["scores"][ASSIGNMENT] == pytest.approx(EXPECTED)


def test_damaged_files_are_kept_as_submitted(graded: Graded):
    """Is every repaired file kept, byte for byte, under originals/?"""
    originals = graded.course.root / "originals"
    assert (originals / "empty-file" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == b""
    kept = (originals / "invalid-json" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    assert kept == graded.submitted["invalid-json"]
    assert (originals / "renamed" / ASSIGNMENT / "My copy of 01-model.ipynb").exists()


def test_the_gradebook_is_untouched_by_submissions(graded: Graded):
    """Is the assignment's definition in the gradebook (cells, keys, points) unchanged,
    and no table added?"""
    assert gradebook_definition(graded.course.root) == graded.before


def test_the_sandbox_blocks_every_attack(graded: Graded):
    """Could the attacker's kernel reach the gradebook, source/, peers, the package, the
    network, or run as root? Each attempt must be reported BLOCKED."""
    said = graded.outputs("gradebook-attacker")
    attempts = re.findall(r"^([a-z-]+) (OPEN|BLOCKED)", said, re.M)
    assert len(attempts) == 10, said[:2000]
    assert [name for name, verdict in attempts if verdict == "OPEN"] == []
    assert not (graded.course.root / "source" / "pwned.txt").exists()
    assert folder_digest(graded.course.root / "source") == graded.source_digest
    scoring = (REPO / "course" / "scoring.py").read_bytes()
    assert hashlib.sha256(scoring).hexdigest() == graded.package_digest


def test_monkeypatching_in_the_kernel_does_not_change_scores(graded: Graded):
    """Patched scoring, builtins.float, display hooks and expect: are per-item scores still
    those of the answers given?"""
    assert graded.course.cell_scores("monkeypatcher", ASSIGNMENT) == pytest.approx(
        graded.course.cell_scores("partial", ASSIGNMENT))


def test_hidden_tests_never_reach_the_kernel(graded: Graded):
    """Did the kernel run test cells without their hidden keys (the patched expect that
    would have recorded the key never ran)?"""
    scores = graded.course.cell_scores("monkeypatcher", ASSIGNMENT)
    assert scores["test_rds_engine"] == 0.0


def hidden_code() -> set[str]:
    """Lines of hidden test code that hold keys (explanations may be shown)."""
    lines: set[str] = {"BEGIN HIDDEN TESTS", "expect("}
    for path in (REPO / "source").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                    "".join(cell["source"]), re.S):
                lines |= {line.strip() for line in block.splitlines() if re.match(
                    r'^("[a-z-]+": "(AWS|Customer|Shared)",|\[")', line.strip())}
    return lines


def test_feedback_never_shows_hidden_test_code(graded: Graded):
    """Does no student's feedback contain a line of hidden test code?"""
    secrets = hidden_code()
    assert len(secrets) > 8
    for student in EXPECTED:
        text = html.unescape(re.sub(r"<[^>]+>", "", graded.feedback(student)))
        own = graded.own_code(student)  # a student's own answers may look like keys
        leaked = [line for line in secrets if line in text and line not in own]
        assert not leaked, f"{student}: {leaked[:3]}"


def test_feedback_gives_results_and_reasons_but_not_keys_of_reused_items(graded: Graded):
    """For a reused item: the result and explanation, no right answer; others show it."""
    html = graded.feedback("partial")
    assert "Right answer: AWS" in html  # not reused
    assert "✘ Remove the rule that opens SSH to 0.0.0.0/0: You said AWS. " in html
    assert "0.0.0.0/0: You said AWS. Right owner: Customer" not in html
    assert "2 of 3 points" in html


def test_course_grade_command_is_installed():
    """Is ``course-grade`` a console command with usage?"""
    done = subprocess.run([str(Path(sys.executable).parent / "course-grade"), "--help"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{Path(sys.executable).parent}:"
                               + os.environ["PATH"]})
    assert done.returncode == 0
    assert "--zip-collect" in done.stdout


def test_salvage_reads_answers_from_a_cut_file():
    """Can recorded answers be read back from a notebook cut in the middle?"""
    from course.grading.triage import salvage_records

    text = json.dumps(with_recorded_answers(
        json.loads((REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()),
        PARTIAL))
    assert salvage_records(text[: len(text) - 40]) == PARTIAL
