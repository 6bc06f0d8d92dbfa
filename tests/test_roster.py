"""LMS exports read as a roster: each format by its columns, the student id each one gives,
rows without an id left out and said, and an unknown file refused with what was expected."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from course_copy import BIN

from course import identity
from course.grading import roster


def export(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8-sig")  # Excel and the LMSs write a BOM
    return path


def test_canvas_export_skips_points_possible_and_the_test_student(tmp_path):
    kind, members, skipped = roster.read_export(export(tmp_path, (
        "Student,ID,SIS User ID,SIS Login ID,Section,Week 1 (77)\n"
        "    Points Possible,,,,,6\n"
        '"Smith, John",2001,S-2001,jsmith,S2,5\n'
        '"Doe, Jane",2002,,,S1,\n'
        '"Student, Test",99,,,S1,\n')))
    assert kind == "canvas" and skipped == []
    assert [(m.student_id, m.lms_id, m.first_name, m.last_name, m.section) for m in members] == [
        ("jsmith", "2001", "John", "Smith", "S2"), ("2002", "2002", "Jane", "Doe", "S1")]


def test_blackboard_export_keys_by_username(tmp_path):
    kind, members, _ = roster.read_export(export(tmp_path, (
        "Last Name,First Name,Username,Student ID,Last Access,Availability\n"
        "Kim,Lee,kim,700,,Available\n")))
    assert kind == "blackboard" and members[0].student_id == "kim"


def test_a_row_without_an_id_is_left_out_and_said(tmp_path):
    _, members, skipped = roster.read_export(export(tmp_path, (
        "First name,Last name,ID number,Institution,Department,Email address\n"
        "Ann,A,,,,\nBo,B,b7,,,bo@example.edu\n")))
    assert [m.student_id for m in members] == ["b7"]
    assert skipped == ["export.csv line 2: no sis_user_id or email or no LMS id: left out"]


def test_an_unknown_file_is_refused_with_what_was_expected(tmp_path):
    with pytest.raises(roster.RosterError, match="Canvas gradebook export: Student, ID"):
        roster.read_export(export(tmp_path, "name,score\nann,3\n"))


def test_the_roster_round_trips_and_merges_by_lms_id(tmp_path):
    first = roster.Roster([roster.Member("ann", "canvas", "11", "Ann", "A")])
    first.save(tmp_path)
    again = roster.Roster.load(tmp_path).merged([roster.Member("ann2", "canvas", "11")])
    assert again.student_for("canvas", "11") == "ann2" and len(again.members) == 1


def test_an_export_excel_saved_in_cp1252_is_one_line_naming_the_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Last Name,First Name,Username,Student ID,Last Access,Availability\n"
                     "Kim,Lee,kim,700,,Available\nM\u00fcller,J\u00fcrgen,jm,701,,Available\n"
                     .encode("cp1252"))
    with pytest.raises(roster.RosterError, match=r'^line 3: not UTF-8 text \(in Excel, save it'):
        roster.read_export(path)


def test_a_field_over_the_csv_limit_is_one_line_naming_the_line(tmp_path):
    with pytest.raises(roster.RosterError, match=r"^line 3: not a CSV row \(field larger"):
        roster.read_export(export(tmp_path, (
            "Last Name,First Name,Username,Student ID,Last Access,Availability\n"
            "Kim,Lee,kim,700,,Available\n" + "x" * 200_000 + ",a,b,1,,Available\n")))


def test_a_student_id_that_is_no_class_id_is_left_out_and_said(tmp_path):
    _, members, skipped = roster.read_export(export(tmp_path, (
        "Last Name,First Name,Username,Student ID,Last Access,Availability\n"
        "Kim,Lee,kim,700,,Available\nLi,Bo,bo li/2,701,,Available\n")))
    assert [m.student_id for m in members] == ["kim"]
    assert skipped == [f"export.csv line 3: student id 'bo li/2' is not a class id "
                       f"({identity.RULE}): left out"]


def test_course_lms_says_an_unreadable_export_in_one_line_and_keeps_the_roster(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Last Name,First Name,Username,Student ID,Last Access,Availability\n"
                     "M\u00fcller,J,jm,701,,Available\n".encode("cp1252"))
    (tmp_path / "nbgrader_config.py").write_text("")
    done = subprocess.run([str(BIN / "course-lms"), "roster", "export.csv"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "course-lms: export.csv: line 2: not UTF-8 text (in Excel, save it as \"CSV UTF-8\"; "
        "or download the export from the LMS again)"]
    assert not (tmp_path / roster.FILE).exists()
