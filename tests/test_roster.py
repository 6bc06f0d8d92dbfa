"""LMS exports read as a roster: each format by its columns, the student id each one gives,
rows without an id left out and said, and an unknown file refused with what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

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
