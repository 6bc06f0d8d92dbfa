"""The real nbgrader pipeline on a temporary copy of the course: release, autograde,
feedback and export, for perfect, blank and partly right students."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from course_copy import REPO, CourseCopy, answer_cells, building_the_package, with_answers_as_code
from nbclient import NotebookClient
from nbgrader.validator import Validator

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
PARTIAL = {
    "cp-01-rds-engine": "Customer",  # wrong: 0 of 1
    "cp-01-customer-side": ["Encrypting the order database",
                            "Writing IAM policies for its developers"],  # 2 of 3 right: 2 * 2/3
    "cp-01-webshop-matrix": {  # 4 of 6 rows right: 3 * 4/6
        "replace-disks": "AWS", "kernel-update": "Customer", "ssh-rule": "AWS",
        "patch-control": "Customer", "key-rotation": "Customer", "hypervisor-escape": "AWS",
    },
}
PARTIAL_SCORES = {"test_rds_engine": 0.0, "test_customer_side": 1.3333,
                  "test_webshop_matrix": 2.0}


def as_if_clicked(notebook: dict, release: dict, tmp_path: Path) -> dict:
    """Run a notebook in a real kernel, then put the release stubs back in its answer cells:
    what is left is exactly what JupyterLab saves after answers were given by widget."""
    release_sources = [c["source"] for c in answer_cells(release)]
    executed = nbformat.reads(json.dumps(notebook), as_version=4)
    NotebookClient(executed, resources={"metadata": {"path": str(tmp_path)}}).execute()
    saved = json.loads(nbformat.writes(executed))
    for cell, source in zip(answer_cells(saved), release_sources, strict=True):
        cell["source"] = source
    assert "answer('cp" not in json.dumps([c["source"] for c in answer_cells(saved)])
    return saved


ASSIGNMENTS = sorted(path.name for path in (REPO / "source").iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    """One class, graded once (one generate_assignment, one autograde): every assignment's
    source as a perfect student and its release as a blank one; and for ASSIGNMENT the same
    partly right answers given as code and given by widget."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", "*", "--force")
    for assignment in ASSIGNMENTS:
        course.submit("perfect", assignment, course.notebook("source", assignment))
        course.submit("blank", assignment, course.notebook("release", assignment))
    release = course.notebook("release", ASSIGNMENT)
    code = with_answers_as_code(release, PARTIAL)
    course.submit("partial-code", ASSIGNMENT, code)
    clicked = as_if_clicked(code, release, tmp_path_factory.mktemp("kernel"))
    course.submit("partial-widget", ASSIGNMENT, clicked)
    course.nbgrader("autograde", "*", "--force")
    return course


def test_perfect_student_scores_full_marks(graded: CourseCopy):
    """Does the source notebook, submitted as it is, earn every point?"""
    assert graded.scores(ASSIGNMENT)["perfect"] == 6.0


def test_blank_student_scores_zero(graded: CourseCopy):
    """Does the untouched release notebook earn nothing?"""
    assert graded.scores(ASSIGNMENT)["blank"] == 0.0


def test_partial_answers_typed_as_code_earn_partial_credit(graded: CourseCopy):
    """Do per-option and per-row partial credits add up exactly?"""
    assert graded.cell_scores("partial-code", ASSIGNMENT) == pytest.approx(PARTIAL_SCORES)


def test_widget_answers_score_exactly_as_code_answers(graded: CourseCopy):
    """Do answers that exist only as saved record outputs score the same as code?"""
    assert graded.cell_scores("partial-widget", ASSIGNMENT) == graded.cell_scores(
        "partial-code", ASSIGNMENT)


def test_feedback_shows_answer_key_and_explanation(graded: CourseCopy):
    """Does each student's feedback give their answer, the right one, and why?"""
    graded.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    html = (graded.root / "feedback" / "partial-code" / ASSIGNMENT / f"{ASSIGNMENT}.html"
            ).read_text()
    assert "Your answer: Customer" in html
    assert "Right answer: AWS" in html
    assert "maintenance window" in html
    assert ("✘ Remove the rule that opens SSH to 0.0.0.0/0: You said AWS. Right owner: Customer"
            in html)


def test_grades_export_lists_every_student(graded: CourseCopy):
    """Does the CSV export carry each student's score?"""
    graded.nbgrader("export", "--to", "grades.csv")
    with open(graded.root / "grades.csv") as file:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)
                if row["assignment"] == ASSIGNMENT}
    assert rows == pytest.approx({"perfect": 6.0, "blank": 0.0, "partial-code": 3.3333,
                                  "partial-widget": 3.3333})


def autograded_points(assignment: str) -> float:
    """The points of an assignment's autograded test cells (manual grades come later)."""
    notebook = json.loads((REPO / "source" / assignment / f"{assignment}.ipynb").read_text())
    return sum(cell["metadata"]["nbgrader"]["points"] for cell in notebook["cells"]
               if cell["metadata"].get("nbgrader", {}).get("grade")
               and not cell["metadata"]["nbgrader"].get("solution"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_scores_perfect_full_and_blank_zero(graded: CourseCopy,
                                                            assignment: str):
    scores = graded.scores(assignment)
    assert {s: scores[s] for s in ("perfect", "blank")} == {
        "perfect": autograded_points(assignment), "blank": 0.0}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_validates(assignment: str):
    """Do the source notebook's tests, hidden ones included, pass on its own solutions
    (autograde never runs the hidden tests: its scorer reads the keys), and does no other
    cell fail or write to stderr (the project's only run of source/: no nbval of it)?"""
    notebook = REPO / "source" / assignment / f"{assignment}.ipynb"
    assert Validator(validate_all=True).validate(str(notebook)) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_notebook_fails_every_test_until_answered(assignment: str):
    """Inverted validation: no test of the blank release notebook passes."""
    notebook = REPO / "release" / assignment / f"{assignment}.ipynb"
    assert Validator(invert=True).validate(str(notebook)) == {}


def test_committed_release_matches_a_fresh_generate_assignment(graded: CourseCopy):
    """Is release/ exactly what nbgrader makes from source/ today?"""
    for folder in sorted((REPO / "source").iterdir()):
        made_folder = graded.root / "release" / folder.name
        assert made_folder.is_dir(), f"nbgrader made no release of {folder.name}"
        for made in sorted(made_folder.rglob("*")):
            committed = REPO / "release" / folder.name / made.relative_to(made_folder)
            assert committed.exists(), f"{committed} is missing: run generate_assignment"
            if made.is_file():
                assert committed.read_bytes() == made.read_bytes(), f"{committed} is stale"


def hidden_lines() -> set[str]:
    """Every substantial line of every hidden test in source/."""
    lines: set[str] = set()
    for path in (REPO / "source").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                    source, re.S):
                lines |= {line.strip() for line in block.splitlines() if len(line.strip()) > 12
                          and not ITEM_ID.fullmatch(line.strip())}
    return lines


ITEM_ID = re.compile(r"[\"']cp-[a-z0-9-]+[\"'],?")
GIVEN_ANSWER = re.compile(r"answer\(\s*[\"']cp-[a-z0-9-]+[\"']\s*,\s*[\"'\[{]")


def test_hidden_keys_are_nowhere_a_student_can_see(tmp_path: Path):
    """Do no hidden test lines (keys, explanations) appear in release/ or the package wheel?"""
    secrets = hidden_lines()
    assert len(secrets) > 10
    with building_the_package():
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                        "-q", "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name: archive.read(name).decode(errors="replace")
                   for name in archive.namelist()}
    assert "course/data/services/ec2.toml" in shipped
    for path in (REPO / "release").rglob("*"):
        if path.is_file():
            shipped[str(path)] = path.read_text(errors="replace")
            if path.suffix == ".ipynb":  # as a student reads it, not JSON-escaped
                cells = json.loads(shipped[str(path)])["cells"]
                shipped[str(path)] = "\n".join("".join(cell["source"]) for cell in cells)
    shipped["README.md"] = (REPO / "README.md").read_text()
    from course import publish  # every version's key, as code or record, in any layout

    keys = {key: what for key, what in publish.secrets(REPO / "source").items()
            if "the key of" in what}
    assert any(", version c" in what for what in keys.values())
    for name, text in shipped.items():
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{name} shows hidden test lines: {leaked[:3]}"
        assert not GIVEN_ANSWER.search(text), f"{name} shows a graded item answered"
        plain = publish.normal(text)
        found = [what for key, what in keys.items() if key in plain]
        assert not found, f"{name} holds {found[:3]}"


def test_capstone_feedback_lists_what_is_missing(graded: CourseCopy):
    """Does the capstone's feedback say how complete the architecture was, and what is missing?"""
    graded.nbgrader("generate_feedback", "10-capstone", "--force")
    folder = graded.root / "feedback"
    perfect = (folder / "perfect" / "10-capstone" / "10-capstone.html").read_text()
    blank = (folder / "blank" / "10-capstone" / "10-capstone.html").read_text()
    assert re.search(r"Completeness: (\d+) of \1 checks passed", perfect)
    assert "✘ nothing shared" in blank and "expect(" not in blank
