"""The class roster: each student's nbgrader id (the identity the course uses everywhere,
per-student variants included) with their LMS id, name, email and section.

Read from the LMS's own export (Canvas gradebook export, Moodle grade export or grading
worksheet, Blackboard Grade Center export; recognised by their columns, ``roster.toml``),
kept as ``roster.csv`` in the course root (student data: git-ignored) and imported into
nbgrader's student table (``lms_user_id``, names, email). Zip collect keys downloads by the
LMS id and looks the student id up here; the LMS grade files are written from it."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook

from .. import identity
from .export import write_rows

FORMATS = Path(__file__).with_name("roster.toml")
FILE = "roster.csv"


@dataclass(frozen=True)
class Member:
    """One student of the class."""

    student_id: str
    lms: str
    lms_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    section: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""

    @property
    def sortable_name(self) -> str:
        return ", ".join(part for part in (self.last_name, self.first_name) if part)


FIELDS = tuple(f.name for f in fields(Member))


class RosterError(ValueError):
    """An export this module cannot read as a roster (the message says why)."""


@cache
def formats() -> dict[str, dict[str, Any]]:
    return tomllib.loads(FORMATS.read_text())


def detect(header: list[str]) -> str:
    """The export format whose required columns are all in ``header``."""
    for name, spec in formats().items():
        if all(column in header for column in spec["requires"]):
            return name
    known = "; ".join(f"{spec['title']}: {', '.join(spec['requires'])}"
                      for spec in formats().values())
    raise RosterError(f"not an LMS roster export I know (columns {', '.join(header[:6])}...); "
                      f"expected one of: {known}")


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file in UTF-8; RosterError naming the line for other text (Excel's
    plain "CSV" is cp1252) or a field csv refuses (over its size limit)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise RosterError(f"line {line}: not UTF-8 text (in Excel, save it as \"CSV UTF-8\"; "
                          "or download the export from the LMS again)") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:
        raise RosterError(f"line {reader.line_num + 1}: not a CSV row ({error})") from None


def read_export(path: Path) -> tuple[str, list[Member], list[str]]:
    """The format, the members of an LMS export file, and a line for each row left out
    (no id, or a student id that is no class id: zip collect would refuse it)."""
    rows = _rows(path)
    if not rows:
        raise RosterError("no rows")
    name = detect(list(rows[0]))
    spec = formats()[name]
    members, skipped = [], []
    for number, row in enumerate(rows, 2):
        values = {key: (row.get(column) or "").strip() for key, column in spec["columns"].items()}
        if "full_name" in values:
            last, _, first = values.pop("full_name").partition(", ")
            values.setdefault("last_name", last)
            values.setdefault("first_name", first)
        if values.get("lms_id", "").startswith(spec.get("strip", "\0")):
            values["lms_id"] = values["lms_id"][len(spec["strip"]):].strip()
        if any(row.get(column, "").strip() == value for column, value in spec.get("skip", [])):
            continue  # Canvas's "Points Possible" row and test student
        student = next((values.get(key) for key in spec["student_id"] if values.get(key)), "")
        if not student or not values.get("lms_id"):
            skipped.append(f"{path.name} line {number}: no {' or '.join(spec['student_id'])} "
                           "or no LMS id: left out")
            continue
        if not identity.VALID.fullmatch(student):
            skipped.append(f"{path.name} line {number}: student id {student!r} is not a "
                           f"class id ({identity.RULE}): left out")
            continue
        members.append(Member(student_id=student, lms=spec["lms"], **values))
    return name, members, skipped


class Roster:
    """``roster.csv`` of a course root, by (lms, lms_id) and by student id."""

    def __init__(self, members: list[Member]):
        self.members = members
        self.by_lms = {(m.lms, m.lms_id): m for m in members}
        self.by_student = {m.student_id: m for m in members}

    @classmethod
    def load(cls, root: Path) -> Roster:
        path = Path(root) / FILE
        if not path.is_file():
            return cls([])
        with open(path, newline="", encoding="utf-8") as file:
            return cls([Member(**{k: row.get(k) or "" for k in FIELDS})
                        for row in csv.DictReader(file)])

    def student_for(self, lms: str, lms_id: str) -> str | None:
        member = self.by_lms.get((lms, lms_id))
        return member.student_id if member else None

    def merged(self, members: list[Member]) -> Roster:
        """This roster with ``members`` added or replacing the rows of the same LMS id."""
        new = {(m.lms, m.lms_id): m for m in members}
        return Roster([m for m in self.members if (m.lms, m.lms_id) not in new] + members)

    def save(self, root: Path) -> Path:
        path = Path(root) / FILE
        write_rows(path, FIELDS, [asdict(m) for m in self.members])
        return path

    def import_into(self, gradebook: Gradebook) -> None:
        """Every member as a student of nbgrader's gradebook (names, email, LMS id)."""
        for m in self.members:
            gradebook.update_or_create_student(m.student_id, first_name=m.first_name or None,
                                               last_name=m.last_name or None,
                                               email=m.email or None, lms_user_id=m.lms_id)
