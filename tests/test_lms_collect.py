"""Zip collect of realistic Canvas, Moodle and Blackboard Learn downloads (their documented
file naming, course/grading/lms.toml): students keyed by the LMS's id (through the roster
when there is one), same-name students both collected, lateness and submission times kept,
every file that cannot be matched a report row, and a second collect that works."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from course.grading import roster
from course.grading.collect import MANIFEST, CollectZips, LmsFileNames, parse
from course.grading.untrusted import SafeExtractor

A = "02-aws-side"


def notebook(marker: str) -> str:
    return nbformat.writes(new_notebook(cells=[new_code_cell(f"# {marker}")]))


@pytest.fixture
def course(tmp_path: Path) -> Config:
    release = tmp_path / "release" / A / f"{A}.ipynb"
    release.parent.mkdir(parents=True)
    release.write_text(notebook("release"))
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.ZipCollectApp.extractor_plugin = SafeExtractor
    config.ZipCollectApp.collector_plugin = LmsFileNames
    return config


def downloads(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(folder / name, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return folder


def submitted(root: Path, student: str, name: str = f"{A}.ipynb") -> str:
    return (root / "submitted" / student / A / name).read_text()


# Canvas (lib/content_zipper.rb): sortable name, [LATE], user id, attachment id, file name
CANVAS = {
    "smithjohn_2001_90001_02-aws-side.ipynb": notebook("john 2001"),
    "smithjohn_2002_90002_02-aws-side.ipynb": notebook("john 2002"),
    "doejane_LATE_2003_90003_02-aws-side-1.ipynb": notebook("jane late"),
    "leeivan_2004_90004_02-aws-side.html": "<html>not a notebook</html>",
}


def test_canvas_same_names_both_collected_by_user_id_and_lateness_kept(course, tmp_path):
    problems = CollectZips(config=course).collect(
        A, downloads(tmp_path, "aws-srm-02-aws-side_submissions.zip", CANVAS))
    assert "john 2001" in submitted(tmp_path, "2001")
    assert "john 2002" in submitted(tmp_path, "2002")
    assert "jane late" in submitted(tmp_path, "2003", f"{A}-1.ipynb")
    manifest = json.loads((tmp_path / "downloaded" / A / MANIFEST).read_text())
    assert manifest["2003"]["late"] is True and manifest["2001"]["late"] is False
    assert manifest["2001"]["attachment"] == "90001"
    rows = {(p.student, p.notebook): p for p in problems}
    assert "not a notebook" in rows["?", "leeivan_2004_90004_02-aws-side.html"].problem
    assert "marks this submission late" in rows["2003", CANVAS_LATE].problem
    assert len(problems) == 2


CANVAS_LATE = "doejane_LATE_2003_90003_02-aws-side-1.ipynb"


def test_a_second_collect_of_the_same_download_works_and_keeps_the_first(course, tmp_path):
    folder = downloads(tmp_path, "submissions.zip", CANVAS)
    CollectZips(config=course).collect(A, folder)
    again = {name: text for name, text in CANVAS.items() if "_2001_" not in name}
    downloads(tmp_path, "submissions.zip", {**again, "smithjohn_2001_90005_02-aws-side.ipynb":
                                            notebook("john resubmitted")})
    CollectZips(config=course).collect(A, folder)
    assert "john resubmitted" in submitted(tmp_path, "2001")
    previous = list((tmp_path / "downloaded" / A / "previous").glob("*/archive/submissions.zip"))
    assert len(previous) == 1


def test_every_unmatched_file_is_a_report_row(course, tmp_path):
    folder = downloads(tmp_path, "submissions.zip", {"Judy's notebook.ipynb": notebook("x")})
    (folder / "notes.txt").write_text("hello")
    problems = CollectZips(config=course).collect(A, folder)
    assert sorted((p.student, p.notebook) for p in problems) == [
        ("?", "Judy's notebook.ipynb"), ("?", "notes.txt")]
    assert all(p.action.startswith("not collected") for p in problems)
    assert not (tmp_path / "submitted").exists()


# Moodle (mod/assign/locallib.php): "<Full name>_<participant id>_assignsubmission_file_/"
MOODLE = {
    "Judy Smith_777_assignsubmission_file_/02-aws-side.ipynb": notebook("judy 777"),
    "Judy Smith_778_assignsubmission_file_/02-aws-side.ipynb": notebook("judy 778"),
    "Max Power_779_assignsubmission_onlinetext_/onlinetext.html": "<p>text</p>",
}


def test_moodle_folders_by_participant_id_mapped_through_the_grading_worksheet(course,
                                                                              tmp_path):
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_text("Identifier,Full name,Email address,Status,Grade\n"
                         "Participant 777,Judy Smith,judy.smith@example.edu,Submitted,\n")
    _, members, skipped = roster.read_export(worksheet)
    roster.Roster(members).save(tmp_path)
    problems = CollectZips(config=course).collect(
        A, downloads(tmp_path, "AWS-02 AWS side-4242.zip", MOODLE))
    assert "judy 777" in submitted(tmp_path, "judy.smith@example.edu")
    assert "judy 778" in submitted(tmp_path, "moodle-778")
    rows = {p.notebook: p for p in problems}
    assert "roster has no row" in rows[f"{A}.ipynb"].problem
    assert rows["onlinetext.html"].student == "?"
    assert skipped == []


# Blackboard Learn: "<assignment>_<username>_attempt_<time>_<file>" and one .txt per attempt
BLACKBOARD = {
    "02-aws-side_kim_attempt_2026-12-01-10-00-00_02-aws-side.ipynb": notebook("kim first"),
    "02-aws-side_kim_attempt_2026-12-01-10-00-00.txt": "Name: Kim\nSubmitted: ...",
    "02-aws-side_kim_attempt_2026-12-02-11-30-00_02-aws-side.ipynb": notebook("kim second"),
    "02-aws-side_lou_attempt_2026-12-01-09-00-00_02-aws-side.ipynb": notebook("lou"),
}


def test_blackboard_attempts_newest_wins_with_its_submission_time(course, tmp_path):
    problems = CollectZips(config=course).collect(
        A, downloads(tmp_path, "gradebook_AWS_02-aws-side_2026-12-06-09-00-00.zip", BLACKBOARD))
    assert problems == []
    assert "kim second" in submitted(tmp_path, "kim")
    assert (tmp_path / "submitted" / "kim" / A / "timestamp.txt").read_text().startswith(
        "2026-12-02 11:30:00")
    assert "lou" in submitted(tmp_path, "lou")


@pytest.mark.parametrize(("name", "lms", "lms_id", "file"), [
    ("aws/smithjohn_2001_90001_02-aws-side.ipynb", "canvas", "2001", "02-aws-side.ipynb"),
    ("aws/smithjohn_anon_Xy7_90001_02-aws-side.ipynb", "canvas", "anon_Xy7", "02-aws-side.ipynb"),
    ("Judy Smith_777_assignsubmission_file_/a_b.ipynb", "moodle", "777", "a_b.ipynb"),
    ("x/Judy Smith_777_assignsubmission_file_a_b.ipynb", "moodle", "777", "a_b.ipynb"),
    ("x/Week 2_ assignment_kim_attempt_2026-12-01-10-00-00_nb.ipynb", "blackboard", "kim",
     "nb.ipynb"),
])
def test_each_layout_is_read_from_its_documented_names(name, lms, lms_id, file):
    found = parse(name)
    assert found is not None and (found.lms, found.lms_id, found.file) == (lms, lms_id, file)


@pytest.mark.parametrize(("lms", "name"), [
    ("moodle", "Judy Smith_777_assignfeedback_file_02-aws-side.html"),
    ("blackboard", "kim/02-aws-side.html"),
])
def test_feedback_zip_names_follow_each_lms_upload(tmp_path, lms, name):
    """Moodle's feedback zip import reads '<full name>_<participant id>_<plugin type>_<plugin
    name>_<file>' (importziplib.php); Blackboard gets a folder per username."""
    from course.grading import lms_export

    found = {"moodle": {"lms": "moodle", "lms_id": "777", "name": "Judy Smith",
                        "attachment": ""},
             "blackboard": {"lms": "blackboard", "lms_id": "kim", "name": "", "attachment": ""}}
    student = "judy" if lms == "moodle" else "kim"
    page = tmp_path / "feedback" / student / A / f"{A}.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html>feedback</html>")
    (tmp_path / "feedback" / "other" / A).mkdir(parents=True)
    (tmp_path / "feedback" / "other" / A / f"{A}.html").write_text("x")
    (tmp_path / "downloaded" / A).mkdir(parents=True)
    (tmp_path / "downloaded" / A / MANIFEST).write_text(json.dumps({student: found[lms]}))
    path, left_out = lms_export.feedback(tmp_path, A, lms)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [name]
    assert left_out == [f"other: not collected from {lms_export.formats()[lms]['title']} for "
                        f"{A}: give the feedback another way"]
