"""Nothing is followed out of a submission (issue 10, findings 1, 2 and 6): links, hard
links, FIFOs and linked folders placed where the grader reads are refused and reported,
never read, copied to a kernel or into feedback, nor written through; odd student names
are graded or refused with a reason, never used as glob patterns or spreadsheet formulas.
One class graded once by ``course-grade``'s pipeline, plus plain ``nbgrader autograde``,
exchange collect and the command's exit status."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from course_copy import (
    BIN,
    CourseCopy,
    folder_digest,
    gradebook_definition,
    require_sandbox,
    with_answers_as_code,
)
from nbgrader.apps.api import NbGraderAPI
from traitlets.config import Config

from course.grading.batch import GradeAssignment, Outcome
from course.grading.student import error_of

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
PARTIAL = {"cp-01-rds-engine": "AWS"}  # 1 of 6 points
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

# Reads every file in its folder; keys found in a gradebook or a source notebook are
# answered. With the keys handed over as a plain file (the control student) it scores 6/6.
THIEF = '''
import ast, glob, json, sqlite3
texts = []
for name in glob.glob("**/*", recursive=True):
    try:
        data = open(name, "rb").read()
    except OSError:
        continue
    print("READ", name, len(data))
    if data.startswith(b"SQLite format 3"):
        with sqlite3.connect(name) as db:
            texts += [row[0] for row in db.execute("select source from source_cell")]
    else:
        try:
            texts += ["".join(c["source"]) for c in json.loads(data)["cells"]]
        except ValueError:
            pass
for text in texts:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        continue
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "expect" and \
                not any(k.arg == "variant" for k in node.keywords):  # version a: graded here
            item, key = (ast.literal_eval(arg) for arg in node.args[:2])
            print("STOLE", item)
            answer(item, key)
'''

# student -> score; None: not graded.
EXPECTED = {
    "perfect": 6.0, "honest": 1.0, "control-plain-copy": 6.0,
    "link-to-gradebook": 0.0, "link-to-source": 0.0, "hard-link": 0.0, "fifo": 1.0,
    "linked-folder": 0.0, "notebook-links-source": 0.0, "notebook-links-gradebook": 0.0,
    "1001": 6.0, "*": None, "[bh]*": None, "=1+1": 1.0, "new\nline": None,
    "tab\tname": None,
}
REFUSED = [
    ("link-to-gradebook", "notes.txt", "symbolic link (to '../../../gradebook.db')"),
    ("link-to-source", "notes.json", "symbolic link"),
    ("hard-link", "notes.db", "hard link"),
    ("fifo", "pipe", "FIFO"),
    ("linked-folder", "*", "submission folder is a symbolic link (to '../../source/01-model')"),
    ("notebook-links-source", "01-model.ipynb", "symbolic link"),
    ("notebook-links-gradebook", "01-model.ipynb", "symbolic link (to '../../../gradebook.db')"),
]


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}


def thief(release: dict) -> dict:
    notebook = json.loads(json.dumps(release))
    imports = next(i for i, cell in enumerate(notebook["cells"])
                   if "from course import" in "".join(cell["source"]))
    notebook["cells"].insert(imports + 1, code_cell(THIEF))
    for cell in notebook["cells"]:
        cell.pop("id", None)
    notebook["nbformat_minor"] = 4
    return notebook






def hostile_class(course: CourseCopy, downloads: Path) -> None:
    """Write the class into ``course`` (and an LMS download folder)."""
    source = course.notebook("source", ASSIGNMENT)
    release = course.notebook("release", ASSIGNMENT)
    honest = with_answers_as_code(release, PARTIAL)
    blank_thief = thief(release)
    for student, notebook in [("perfect", source), ("honest", honest), ("*", honest),
                              ("[bh]*", source), ("=1+1", honest), ("new\nline", source),
                              ("tab\tname", source), ("fifo", honest)]:
        course.submit(student, ASSIGNMENT, notebook)
    for student in ("control-plain-copy", "link-to-gradebook", "link-to-source", "hard-link"):
        course.submit(student, ASSIGNMENT, blank_thief)
    folder = lambda student: course.root / "submitted" / student / ASSIGNMENT  # noqa: E731
    (folder("control-plain-copy") / "notes.json").write_text(json.dumps(source))
    (folder("link-to-gradebook") / "notes.txt").symlink_to("../../../gradebook.db")
    (folder("link-to-source") / "notes.json").symlink_to(
        f"../../../source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    os.link(course.root / "gradebook.db", folder("hard-link") / "notes.db")
    os.mkfifo(folder("fifo") / "pipe")
    folder("linked-folder").parent.mkdir(parents=True)
    folder("linked-folder").symlink_to(f"../../source/{ASSIGNMENT}")
    for student, target in [("notebook-links-source", f"source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"),
                            ("notebook-links-gradebook", "gradebook.db")]:
        folder(student).mkdir(parents=True)
        (folder(student) / f"{ASSIGNMENT}.ipynb").symlink_to(f"../../../{target}")
    with zipfile.ZipFile(downloads / "submissions.zip", "w") as archive:
        archive.writestr("zipped_1001_2001_01-model.ipynb", json.dumps(source))
    (downloads / "linkzip_1002_2002_01-model.ipynb").symlink_to(
        course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")


class Graded:
    def __init__(self, course: CourseCopy, outcome: Outcome, definition: list,
                 source: str):
        self.course, self.outcome = course, outcome
        self.definition, self.source = definition, source

    def outputs(self, student: str) -> str:
        """Everything the kernel printed in the student's notebook."""
        path = self.course.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        return json.dumps([cell.get("outputs", []) for cell in
                           json.loads(path.read_text())["cells"]])


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    require_sandbox()
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    downloads = tmp_path_factory.mktemp("downloads")
    hostile_class(course, downloads)
    definition, source = gradebook_definition(course.root), folder_digest(course.root / "source")
    overrides = Config()
    overrides.Execute.timeout = 5
    outcome = GradeAssignment(course.root, overrides).grade(ASSIGNMENT, downloads, quiet=True)
    return Graded(course, outcome, definition, source)


def test_links_score_nothing_and_everyone_else_scores_exactly(graded: Graded):
    """Do attackers score only their own answers (0), the control that was handed the keys
    as a plain file 6/6, and every other student exactly their answers?"""
    expected = {printable: score for printable, score in EXPECTED.items()
                if score is not None}
    scores = {student: score for student, score in graded.outcome.scores.items()
              if score is not None}
    assert scores == pytest.approx(expected), (scores, graded.outcome.problems)


@pytest.mark.parametrize(("student", "name", "words"), REFUSED)
def test_each_link_is_refused_with_a_report_line(graded: Graded, student, name, words):
    lines = [p for p in graded.outcome.problems if p.student == student]
    assert any(p.notebook == name and words in p.problem and "refused" in p.action
               for p in lines), lines


def test_nothing_outside_reached_the_kernel_or_feedback(graded: Graded):
    """Did the kernel of each attacker see no gradebook or source file (the control did),
    and does no autograded or feedback folder hold anything but notebooks and HTML?"""
    assert "STOLE" in graded.outputs("control-plain-copy")
    for student in ("link-to-gradebook", "link-to-source", "hard-link"):
        said = graded.outputs(student)
        assert "STOLE" not in said and "READ notes" not in said, said[:500]
    for folder in ("autograded", "feedback"):
        for path in (graded.course.root / folder).rglob("*"):
            if path.is_file() and path.suffix not in (".ipynb", ".html") and \
                    "control-plain-copy" not in path.parts:
                assert path.name == "timestamp.txt", path
            if path.is_file():
                assert b"SQLite format 3\x00" not in path.read_bytes(), path


def test_gradebook_and_source_are_untouched(graded: Graded):
    """Is the gradebook still the gradebook (the repair step wrote nothing through the
    notebook linked to it), with the same definition, and source/ byte-identical?"""
    root = graded.course.root
    assert (root / "gradebook.db").read_bytes().startswith(b"SQLite format 3")
    assert gradebook_definition(root) == graded.definition
    assert folder_digest(root / "source") == graded.source


def test_zip_collect_refuses_a_linked_download(graded: Graded):
    lines = [p for p in graded.outcome.problems
             if p.notebook == "linkzip_1002_2002_01-model.ipynb"]
    assert lines and "symbolic link" in lines[0].problem and "zip collect" in lines[0].action
    assert not (graded.course.root / "submitted" / "linkzip").exists()


def test_names_with_control_characters_are_refused_not_zero(graded: Graded):
    """Are names holding a newline or tab reported, left ungraded (None, not 0), and kept
    out of grades.csv as rows of their own?"""
    for name in ("new\\nline", "tab\\tname"):
        assert graded.outcome.scores[name] is None
        assert any(p.student == name and "control characters" in p.problem
                   for p in graded.outcome.problems)
    with open(graded.course.root / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {row["student_id"] for row in rows} == {
        "'=1+1" if name == "=1+1" else name for name, score in EXPECTED.items()
        if score is not None}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(graded: Graded):
    root = graded.course.root
    text = (root / "grades.csv").read_text()
    assert "\n=1+1" not in text and ",=1+1" not in text and "'=1+1" in text
    with open(root / "grades.csv", newline="") as file:
        row = next(r for r in csv.DictReader(file) if r["student_id"] == "'=1+1")
    assert (float(row["score"]), row["status"]) == (1.0, "graded")


def test_glob_characters_in_names_are_refused_not_matched(graded: Graded):
    """Are '*' and '[bh]*' reported and left ungraded (nbgrader would glob their paths and
    grade every student's notebooks as theirs), with no autograded folder?"""
    for name in ("*", "[bh]*"):
        assert graded.outcome.scores[name] is None
        assert any(p.student == name and "glob characters" in p.problem
                   for p in graded.outcome.problems)
        assert not (graded.course.root / "autograded" / name).exists()


def test_plain_nbgrader_autograde_refuses_links(tmp_path: Path):
    """Plain ``nbgrader autograde`` with the course's configuration: do the submissions with
    links fail before a kernel runs (nothing of them in autograded/, the real error in the
    log), while the honest student is graded exactly?"""
    require_sandbox()
    course = CourseCopy(tmp_path / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    hostile_class(course, downloads)
    for student in ("new\nline", "tab\tname", "*", "[bh]*", "=1+1", "fifo", "perfect",
                    "control-plain-copy", "notebook-links-source"):
        shutil.rmtree(course.root / "submitted" / student)
    definition = gradebook_definition(course.root)
    done = subprocess.run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], cwd=course.root,
                          env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert "UnsafeSubmission" in done.stderr
    assert course.scores(ASSIGNMENT)["honest"] == pytest.approx(1.0)
    files = [path for path in (course.root / "autograded").rglob("*") if path.is_file()]
    assert files and {path.relative_to(course.root / "autograded").parts[0]
                      for path in files} == {"honest"}
    assert gradebook_definition(course.root) == definition
    result = NbGraderAPI(config=GradeAssignment(course.root).config).autograde(
        ASSIGNMENT, "link-to-gradebook")
    assert not result["success"]
    assert error_of(result).startswith("course.grading.untrusted.UnsafeSubmission: ")
    assert "symbolic link (to '../../../gradebook.db')" in error_of(result)


def test_exchange_collect_copies_no_link(tmp_path: Path):
    """Does ``nbgrader collect`` take the notebook from the exchange but not a link that a
    student placed beside it (collect runs as the instructor)?"""
    course = CourseCopy(tmp_path / "course")
    exchange = tmp_path / "exchange"
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    inbound = exchange / "aws-shared-responsibility" / "inbound"
    folder = inbound / f"mallory+{ASSIGNMENT}+2026-11-30 12:00:00.000000 UTC"
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(course.notebook("release",
                                                                           ASSIGNMENT)))
    (folder / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC")
    (folder / "notes.txt").symlink_to(course.root / "gradebook.db")
    (folder / "keys").symlink_to(course.root / "source")
    done = course.nbgrader("collect", ASSIGNMENT)
    submitted = course.root / "submitted" / "mallory" / ASSIGNMENT
    assert sorted(path.name for path in submitted.iterdir()) == [
        f"{ASSIGNMENT}.ipynb", "timestamp.txt"]
    assert "Refused notes.txt" in done.stderr and "Refused keys" in done.stderr


def test_course_grade_exits_non_zero_when_a_student_is_not_graded(tmp_path: Path):
    """One honest student and one whose folder name holds a newline: exit 1, the honest
    score printed, the other NOT GRADED with the reason, never 0."""
    require_sandbox()
    course = CourseCopy(tmp_path / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    course.submit("honest", ASSIGNMENT, with_answers_as_code(release, PARTIAL))
    course.submit("new\nline", ASSIGNMENT, release)
    done = subprocess.run([str(BIN / "course-grade"), ASSIGNMENT, "--quiet"], cwd=course.root,
                          env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "honest: 1 / 6" in done.stdout
    assert "new\\nline: NOT GRADED" in done.stdout
    assert "control characters" in done.stdout
    with open(course.root / "grades.csv", newline="") as file:
        assert [row["student_id"] for row in csv.DictReader(file)] == ["honest"]


@pytest.mark.parametrize(("bwrap", "why"), [("/nonexistent/bwrap", "is not installed"),
                                           ("false", "false failed")])
def test_course_grade_refuses_to_start_without_a_sandbox(tmp_path: Path, bwrap, why):
    """Without a usable sandbox: no grading at all, exit 2, what to install and what
    --no-sandbox trades away; no grades.csv of zeros."""
    course = CourseCopy(tmp_path / "course")
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write(f"\nc.SandboxProvisioner.bwrap = {bwrap!r}\n")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    course.submit("honest", ASSIGNMENT, course.notebook("release", ASSIGNMENT))
    done = subprocess.run([str(BIN / "course-grade"), ASSIGNMENT], cwd=course.root, env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert why in done.stderr and "apt-get install bubblewrap" in done.stderr
    assert "--no-sandbox" in done.stderr and "read the gradebook" in done.stderr
    assert not (course.root / "grades.csv").exists()


def test_the_refusal_says_what_each_container_engine_can_do(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    """Where bubblewrap cannot run, does the refusal say, for each container engine on
    PATH, whether it runs (there is no container backend: it is a place to grade in) or not?
    Here podman answers and docker is a client without an engine (both stand-ins first on
    PATH, so the test runs, and can fail, on every machine)."""
    from course.grading.provisioner import SandboxError, SandboxProvisioner

    for engine, script in (("podman", "echo 5.4.2"),
                           ("docker", "echo 'Cannot connect to the Docker daemon' >&2; exit 1")):
        (tmp_path / engine).write_text(f"#!/bin/sh\n{script}\n")
        (tmp_path / engine).chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(SandboxError) as refused:
        SandboxProvisioner(bwrap="/nonexistent/bwrap").check()
    said = str(refused.value)
    assert "podman 5.4.2 runs here, but course-grade has no container backend" in said, said
    assert ("docker is installed but its engine does not run (Cannot connect to the Docker "
            "daemon)") in said, said
