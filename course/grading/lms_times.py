"""Submission times an LMS gives beside its bulk download, for the late policy: Canvas's
download says only ``LATE`` and Moodle's nothing, but Canvas's Submissions API (saved as
JSON) and Moodle's grading worksheet (CSV) hold each submission's time. Put the file in the
``--zip-collect`` folder; its layout is data (``lms.toml``, ``[<lms>.times]``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .triage import Problem

STAMP = "%Y-%m-%d %H:%M:%S UTC"  # as the Blackboard layout's times, nbgrader's timestamp.txt
CANVAS_PREFIX = "while(1);"  # Canvas's JSON guard on answers to a logged-in browser


def read(path: Path, specs: dict[str, dict], zone: ZoneInfo
         ) -> tuple[str, dict[str, str], list[Problem]] | None:
    """``(lms, {lms id: UTC time}, problems)`` when ``path`` is one LMS's table of
    submission times, else ``None``. A row whose time cannot be read is a problem row, not
    a guess, and so is a file that looks like the table but cannot be read (no times from
    it); ``zone`` is the time zone of times written without one (Moodle's)."""
    for lms, spec in specs.items():
        if path.suffix.lower() != spec["suffix"]:
            continue
        try:
            rows = _rows(path, spec)
        except Unreadable as error:
            return lms, {}, [Problem(
                "?", path.name, f"looks like {spec['title']} but could not be read: {error}",
                "no submission times from it: fix the file, or late penalties from it are "
                "not charged")]
        if rows is None:
            continue
        times, problems = {}, []
        for row in rows:
            lms_id = str(row.get(spec["id"]) or "").removeprefix(spec.get("strip", ""))
            text = str(row.get(spec["time"]) or "").strip()
            if not lms_id or text in ("", "-", "None"):
                continue  # nothing submitted
            try:
                times[lms_id] = _utc(text, spec.get("format"), zone)
            except ValueError:
                problems.append(Problem(
                    "?", path.name, f"{spec['title']}: the time {text!r} of {lms_id} is "
                    f"not in the form {spec.get('format', 'ISO 8601')!r}",
                    "that submission's time is unknown: no late penalty from this file"))
        return lms, times, problems
    return None


class Unreadable(ValueError):
    """A file of an LMS's table's kind (a loose CSV, a JSON list) that cannot be read."""


def _rows(path: Path, spec: dict) -> list[dict] | None:
    """The table's rows, or ``None`` if it is not this LMS's table; :class:`Unreadable`
    (why) if it looks like one but cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("it is not UTF-8 text (download it again from the LMS; a copy "
                         "saved by Excel as plain CSV is in another encoding)") from None
    except OSError as error:
        raise Unreadable(f"{error.strerror or error}") from None
    if spec["suffix"] == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:  # a loose CSV in the download folder is meant as this table (uploads are not)
            missing = [c for c in (spec["id"], spec["time"]) if c not in (reader.fieldnames or [])]
            if missing:
                raise Unreadable(f"it has no column {' or '.join(map(repr, missing))} (an LMS "
                                 "in another language? download it with English as your "
                                 "language)")
            return list(reader)
        except csv.Error as error:
            raise Unreadable(f"line {reader.line_num + 1}: {error}") from None
    try:
        found = json.loads(text.removeprefix(CANVAS_PREFIX))
    except (ValueError, RecursionError) as error:
        raise Unreadable(f"it is not JSON ({str(error)[:200]})") from None
    if not (isinstance(found, list) and found and all(
            isinstance(row, dict) and spec["id"] in row for row in found)):
        return None
    if not all(spec["time"] in row for row in found):
        raise Unreadable(f"a submission in it has {spec['id']!r} but no {spec['time']!r}")
    return found


def _utc(text: str, form: str | None, zone: ZoneInfo) -> str:
    if form:
        moment = datetime.strptime(text, form).replace(tzinfo=zone)
    else:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(text)
    return moment.astimezone(UTC).strftime(STAMP)
