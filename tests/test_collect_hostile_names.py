"""Hostile LMS file names and files at zip collect: a name that would place a submission
outside ``submitted/``, a time that is no date, and a student's own upload dressed as the
LMS's table of submission times. Each is a report row; the rest of the batch is collected."""

# ruff: noqa: F811 (``course`` is test_lms_collect's fixture, used as an argument)
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from test_lms_collect import course, downloads, notebook  # noqa: F401

from course.grading.collect import CollectZips

A = "02-aws-side"
ON_TIME = "hw_alice_attempt_2026-12-01-09-00-00_02-aws-side.ipynb"


def test_a_username_of_dots_is_refused_and_nothing_lands_outside_submitted(course, tmp_path):
    folder = downloads(tmp_path, "gradebook.zip", {
        "hw_.._attempt_2026-12-01-09-00-00_02-aws-side.ipynb": notebook("escape"),
        ON_TIME: notebook("alice")})
    problems = CollectZips(config=course).collect(A, folder)
    assert not (tmp_path / A).exists()
    assert not (tmp_path / "submitted" / A).exists()
    assert "alice" in (tmp_path / "submitted" / "alice" / A / f"{A}.ipynb").read_text()
    assert any("'..'" in p.problem and "not collected" in p.action for p in problems)


def test_a_time_that_is_no_date_is_a_report_row_not_a_stopped_batch(course, tmp_path):
    folder = downloads(tmp_path, "gradebook.zip", {
        "hw_bob_attempt_2026-13-45-99-99-99_02-aws-side.ipynb": notebook("bob"),
        ON_TIME: notebook("alice")})
    problems = CollectZips(config=course).collect(A, folder)
    assert "alice" in (tmp_path / "submitted" / "alice" / A / f"{A}.ipynb").read_text()
    assert any("2026-13-45-99-99-99" in p.problem for p in problems)


def test_a_students_upload_is_never_read_as_the_lms_table_of_times(course, tmp_path):
    """Canvas names a student's upload ``<name>_<id>_<attachment>_<file>``; one holding
    JSON shaped like the Submissions API must not set anyone's submission time."""
    folder = downloads(tmp_path, "submissions.zip", {
        "doejane_LATE_2003_90003_02-aws-side.ipynb": notebook("jane late")})
    forged = [{"user_id": 2003, "submitted_at": "2026-11-01T09:00:00Z"}]
    (folder / "doejane_2003_90004_times.json").write_text(json.dumps(forged))
    problems = CollectZips(config=course).collect(A, folder)
    assert not (tmp_path / "submitted" / "2003" / A / "timestamp.txt").exists()
    assert any("marks this submission late, and no submission time" in p.problem
               for p in problems)


def test_a_table_nested_too_deep_is_a_report_row(course, tmp_path: Path):
    folder = downloads(tmp_path, "submissions.zip", {
        "smithjohn_2001_90001_02-aws-side.ipynb": notebook("john")})
    (folder / "submissions.json").write_text("[" * 200_000 + "]" * 200_000)
    CollectZips(config=course).collect(A, folder)
    assert "john" in (tmp_path / "submitted" / "2001" / A / f"{A}.ipynb").read_text()


def test_the_same_notebook_with_and_without_a_time_keeps_one_and_goes_on(course, tmp_path):
    """Two downloads of one student's notebook, one timed (Blackboard) and one not (Canvas,
    keyed to the same student by the roster): nbgrader cannot order them and would stop the
    whole collect; one is kept, the other is a report row."""
    (tmp_path / "roster.csv").write_text("student_id,lms,lms_id\nalice,canvas,2001\n")
    folder = downloads(tmp_path, "gradebook.zip", {
        "aaa_2001_90001_02-aws-side.ipynb": notebook("canvas"),
        ON_TIME: notebook("blackboard"),
        "smithjohn_2002_90002_02-aws-side.ipynb": notebook("john")})
    problems = CollectZips(config=course).collect(A, folder)
    assert "john" in (tmp_path / "submitted" / "2002" / A / f"{A}.ipynb").read_text()
    assert (tmp_path / "submitted" / "alice" / A / f"{A}.ipynb").exists()
    assert any("a second '02-aws-side.ipynb' for student alice" in p.problem for p in problems)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def collect_beside_john(course, tmp_path: Path, name: str, upload: bytes) -> list:
    """Zip collect of a download holding Eve's ``upload`` (named ``name``) beside John's honest
    notebook: John's is collected whatever Eve's does; the report's problems are returned."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "submissions.zip").write_bytes(zipped({
        f"evemallory_2005_90005_{name}": upload,
        "smithjohn_2001_90001_02-aws-side.ipynb": notebook("john").encode()}))
    problems = CollectZips(config=course).collect(A, folder)
    assert "john" in (tmp_path / "submitted" / "2001" / A / f"{A}.ipynb").read_text()
    return problems


def test_an_archive_that_expands_too_far_is_refused_and_the_rest_collected(course, tmp_path):
    """A student's upload that is itself an archive is unpacked (nbgrader unpacks archives in
    archives): one that would write more than ``SafeExtractor.max_bytes`` is a zip bomb."""
    course.SafeExtractor.max_bytes = 8_000_000
    bomb = zipped({"02-aws-side.ipynb": b"\0" * 16_000_000})  # 16 MB in about 16 kB
    problems = collect_beside_john(course, tmp_path, "work.zip", bomb)
    assert sum(p.stat().st_size for p in (tmp_path / "downloaded").rglob("*")
               if p.is_file()) < 8_000_000
    assert any("evemallory_2005_90005_work.zip" in p.notebook and "more than" in p.problem
               for p in problems)


def test_archives_nested_without_end_are_refused_past_the_lms_and_student_levels(
        course, tmp_path):
    """nbgrader unpacks archives in archives until none is left: nesting is bounded."""
    inner = zipped({"02-aws-side.ipynb": notebook("deep").encode()})
    for level in range(5):
        inner = zipped({f"level{level}.zip": inner})
    problems = collect_beside_john(course, tmp_path, "work.zip", inner)
    assert any("nested" in p.problem for p in problems)


def test_an_upload_named_as_an_archive_that_is_none_is_a_report_row(course, tmp_path):
    """A gzip file that is no tar (or any file named .zip/.gz that is not one) made
    nbgrader's unpacking raise and stopped the whole collect."""
    import gzip

    problems = collect_beside_john(course, tmp_path, "notes.gz", gzip.compress(b"not a tar"))
    assert any("notes.gz" in p.notebook and "not an archive" in p.problem for p in problems)
