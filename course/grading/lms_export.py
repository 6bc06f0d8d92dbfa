"""Files the LMS takes as they are (``lms_formats.toml``): the term's grades, one row per
student and one column per assignment, in Canvas's, Moodle's or Blackboard's import format,
and each assignment's feedback pages in a zip named as the LMS's bulk feedback upload
expects. Only final scores are written: a submission waiting for a hand grade, not graded,
or never submitted is a blank cell (the LMS keeps what it has; nothing reads as 0)."""

from __future__ import annotations

import json
import tomllib
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from .collect import MANIFEST
from .export import grade_rows, write_rows
from .roster import Member, Roster

FORMATS = Path(__file__).with_name("lms_formats.toml")


@cache
def formats() -> dict[str, dict[str, Any]]:
    return tomllib.loads(FORMATS.read_text())


def member(roster: Roster, lms: str, student: str, row: dict[str, Any]) -> Member:
    """The roster's row of ``student`` for ``lms``, or one made from the gradebook's."""
    found = [m for m in roster.members if m.student_id == student and m.lms == lms]
    return found[0] if found else Member(
        student, lms, row.get("lms_user_id") or student, row.get("first_name") or "",
        row.get("last_name") or "", row.get("email") or "")


def identity(lms: str, m: Member) -> list[str]:
    """The identity cells of a row, in the order of the format's ``identity`` columns."""
    return {"canvas": [m.sortable_name or m.student_id, m.lms_id, m.sis_user_id,
                       m.sis_login_id, m.section],
            "moodle": [m.first_name, m.last_name, m.sis_user_id, m.email],
            "blackboard": [m.last_name, m.first_name, m.lms_id, m.sis_user_id]}[lms]


def grades(root: Path, lms: str, columns: dict[str, str] | None = None,
           config: Any = None) -> tuple[Path, int]:
    """``lms/<lms>-grades.csv``: every student of the gradebook, one column per assignment
    (named as ``columns`` says, else the assignment's name); how many cells were held back."""
    spec, roster, columns = formats()[lms], Roster.load(root), columns or {}
    coursedir = CourseDirectory(config=config, root=str(root))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        rows = grade_rows(gradebook, coursedir)
        lms_ids = {s.id: s.lms_user_id for s in gradebook.students}
    assignments = list(dict.fromkeys(row["assignment"] for row in rows))
    headers = [columns.get(a, a) for a in assignments]
    table: dict[str, dict[str, Any]] = {}
    held = 0
    for row in rows:
        cells = table.setdefault(row["student_id"], {"_row": row})
        final = row["status"] == "graded"
        held += row["status"] in ("needs manual grade", "not graded")
        cells[columns.get(row["assignment"], row["assignment"])] = (
            round(row["score"], 4) if final else None)
    out = []
    fields = (*spec["identity"], *headers)
    if spec.get("points_row"):
        points = {columns.get(r["assignment"], r["assignment"]): r["max_score"] for r in rows}
        out.append({spec["identity"][0]: spec["points_row"], **points})
    for student, cells in sorted(table.items()):
        row = {**cells.pop("_row"), "lms_user_id": lms_ids.get(student)}
        out.append(dict(zip(spec["identity"], identity(lms, member(roster, lms, student, row)),
                            strict=True)) | cells)
    path = Path(root) / "lms" / f"{lms}-grades.csv"
    write_rows(path, fields, out)
    return path, held


def feedback(root: Path, assignment: str, lms: str, config: Any = None
             ) -> tuple[Path, list[str]]:
    """``lms/<lms>-<assignment>-feedback.zip``: each student's feedback pages, named for the
    LMS's bulk feedback upload from what the student's download said (zip collect); the
    students left out (no feedback, or never collected from this LMS) and why."""
    spec = formats()[lms]
    coursedir = CourseDirectory(config=config, root=str(root))
    manifest_path = Path(root) / "downloaded" / assignment / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    folder = Path(root) / coursedir.feedback_directory
    path = Path(root) / "lms" / f"{lms}-{assignment}-feedback.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    left_out = []
    temporary = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []:
            pages = sorted((folder / student / assignment).glob("*.html"))
            found = manifest.get(student)
            if not pages:
                continue
            if not found or found["lms"] != lms:
                left_out.append(f"{student}: not collected from {spec['title']} for "
                                f"{assignment}: give the feedback another way")
                continue
            for page in pages:
                archive.write(page, spec["feedback_name"].format(
                    name=found["name"], lms_id=found["lms_id"],
                    attachment=found["attachment"], notebook=page.stem))
    temporary.replace(path)
    return path, left_out
