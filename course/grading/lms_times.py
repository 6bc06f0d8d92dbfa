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
    a guess; ``zone`` is the time zone of times written without one (Moodle's)."""
    for lms, spec in specs.items():
        if path.suffix.lower() != spec["suffix"]:
            continue
        try:
            rows = _rows(path, spec)
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            continue
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


def _rows(path: Path, spec: dict) -> list[dict] | None:
    """The table's rows, or ``None`` if it is not this LMS's table."""
    text = path.read_text(encoding="utf-8-sig")
    if spec["suffix"] == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not {spec["id"], spec["time"]} <= set(reader.fieldnames or []):
            return None
        return list(reader)
    found = json.loads(text.removeprefix(CANVAS_PREFIX))
    if not (isinstance(found, list) and found and all(
            isinstance(row, dict) and spec["id"] in row and spec["time"] in row
            for row in found)):
        return None
    return found


def _utc(text: str, form: str | None, zone: ZoneInfo) -> str:
    if form:
        moment = datetime.strptime(text, form).replace(tzinfo=zone)
    else:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(text)
    return moment.astimezone(UTC).strftime(STAMP)
