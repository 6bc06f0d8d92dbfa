"""LMS downloads (zips or notebooks) into ``submitted/`` with nbgrader's zip collect, safely
(links and special files are refused and reported, never read), again and again (each
collect starts from a fresh archive folder; the previous one is kept), and losing nobody:
file names are read by the layout of each LMS (``lms.toml``: Canvas, Moodle, Blackboard
Learn), students are keyed by the LMS's id (looked up in the roster), and every file that
cannot be matched is a report row."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nbgrader.apps.zipcollectapp import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode
from traitlets.config import LoggingConfigurable

from .. import identity
from . import lms_times, untrusted
from .export import replace_text
from .roster import Roster
from .triage import Problem

LAYOUTS = Path(__file__).with_name("lms.toml")
MANIFEST = "collected.json"
"""Under ``downloaded/<assignment>/``: what each student's download said (LMS, id, name,
lateness, time, original file name), for lateness and the LMS feedback and grade files."""


@cache
def layouts() -> dict[str, dict[str, Any]]:
    return {name: {**spec, "regex": re.compile(spec["pattern"])}
            for name, spec in tomllib.loads(LAYOUTS.read_text()).items()}


@dataclass
class Download:
    """What one LMS file name says."""

    lms: str
    lms_id: str
    file: str | None
    name: str = ""
    late: bool = False
    time: str | None = None
    attachment: str = ""


def parse(relative: str) -> Download | None:
    """The LMS layout matching ``relative`` (the file's last two path parts), or ``None``;
    ValueError when its time is no date (names are hostile)."""
    for lms, spec in layouts().items():
        found = spec["regex"].search(relative)
        if found:
            parts = found.groupdict()
            stamp = parts.get("time")
            try:
                when = time.strptime(stamp, "%Y-%m-%d-%H-%M-%S") if stamp else None
            except ValueError:
                raise ValueError(f"a download whose time {stamp!r} is no date") from None
            return Download(lms, parts["lms_id"], parts.get("file"), parts.get("name") or "",
                            bool(parts.get("late")),
                            time.strftime("%Y-%m-%d %H:%M:%S UTC", when) if when else None,
                            parts.get("attachment") or "")
    return None


def _uploaded(relative: Path) -> bool:
    """Whether a file is named as a student's upload: its content is the student's, so it
    is never read as the LMS's table of submission times (a forged one would set them)."""
    try:
        return parse("/".join(relative.parts[-2:])) is not None
    except ValueError:
        return True


class LmsFileNames(FileNameCollectorPlugin):
    """nbgrader's zip-collect plugin for LMS downloads (``ZipCollectApp.collector_plugin``):
    the student is the roster's student for the LMS id (or the LMS id itself), the file its
    name as the student gave it, the time Blackboard's; what it cannot use is kept in
    :attr:`problems` (never silently skipped) and what it used in :attr:`collected`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        root = Path(CourseDirectory(config=self.config).root)
        self.roster = Roster.load(root)
        self.problems: list[Problem] = []
        self.collected: dict[str, dict[str, Any]] = {}
        self.seen: dict[tuple[str, str], str | None] = {}
        """Each (student, notebook) collected, with its time."""
        self.times: dict[tuple[str, str], str] = {}
        """Submission times by (lms, LMS id) from the LMS's own tables (lms_times.py)."""
        self.tables: set[str] = set()
        """File names of those tables: read by :class:`CollectZips`, not submissions."""

    def collect(self, submitted_file: str) -> dict | None:
        relative = "/".join(Path(submitted_file).parts[-2:])
        name = Path(submitted_file).name
        if name in self.tables:
            return None
        try:
            found = parse(relative)
        except ValueError as error:
            self._refuse(name, str(error))
            return None
        if found is not None and found.time is None:
            found.time = self.times.get((found.lms, found.lms_id))
        if found is None:
            self._refuse(name, "a download whose name matches no LMS layout (lms.toml)")
            return None
        if found.file is None:  # Blackboard's attempt record (<...>_attempt_<time>.txt)
            return None
        if not found.file.endswith(".ipynb"):
            self._refuse(name, f"not a notebook ({found.file!r})")
            return None
        student = self.roster.student_for(found.lms, found.lms_id) or self._fallback(found, name)
        if not identity.VALID.fullmatch(student):  # nbgrader makes it a folder name
            self._refuse(name, f"a student id {student!r} that is no class id ({identity.RULE})")
            return None
        if (student, found.file) in self.seen and None in (found.time, self.seen[
                student, found.file]):  # nbgrader would stop the whole collect
            self._refuse(name, f"a second {found.file!r} for student {student} with no time "
                               "to tell which is newer: the first was kept")
            return None
        self.seen[student, found.file] = found.time
        kept = self.collected.get(student)
        if kept is None or (found.time or "") >= (kept.get("time") or ""):
            self.collected[student] = {"lms": found.lms, "lms_id": found.lms_id,
                                       "name": found.name, "late": found.late,
                                       "time": found.time, "file": name,
                                       "attachment": found.attachment}
        info = {"student_id": student, "file_id": found.file}
        if found.time:
            info["timestamp"] = found.time
        return info

    def _fallback(self, found: Download, name: str) -> str:
        """The student id of an LMS id missing from the roster: the id itself where the LMS
        keeps it for the whole term, else prefixed, with a report row."""
        if layouts()[found.lms]["stable"] and not found.lms_id.startswith("anon_"):
            return found.lms_id
        student = f"{found.lms}-{found.lms_id}"
        self.problems.append(Problem(
            student, name, f"{layouts()[found.lms]['title']} gives this student an id of "
            "this assignment only (anonymous grading, or Moodle's participant id), and the "
            "roster has no row for it",
            f"collected as {student}: import the assignment's grading worksheet with "
            "course-roster to key the student for the whole term"))
        return student

    def _refuse(self, name: str, why: str) -> None:
        self.problems.append(Problem("?", name, why, "not collected: rename it as the LMS "
                                                     "does, or place it in submitted/ by hand"))


class CollectZips(LoggingConfigurable):
    """nbgrader's ``ZipCollectApp`` (its extractor, ``SafeExtractor`` in the course's
    config, and :class:`LmsFileNames` mapping file names to students), fed from a downloads
    folder copied without following links; a table of submission times the LMS gives
    (Canvas's Submissions API as JSON, Moodle's grading worksheet) in that folder supplies
    the times its download lacks."""

    time_zone = Unicode("UTC", help="The time zone of times an LMS table writes without one "
                        "(Moodle's grading worksheet: the downloading user's Moodle time "
                        "zone, e.g. 'Europe/Berlin').").tag(config=True)

    def collect(self, assignment: str, downloads: Path) -> list[Problem]:
        """Collect ``downloads`` as submissions of ``assignment``; what was refused or could
        not be matched, and what the LMS said about lateness."""
        zone = self._zone()  # refused before anything is moved or copied
        app = ZipCollectApp(config=self.config)
        app.log_level = logging.ERROR  # what it skips or renames is in the report
        app.coursedir = CourseDirectory(config=self.config, assignment_id=assignment)
        app.force = True
        folder = Path(app.coursedir.root, app.downloaded_directory, assignment)
        archive = Path(app.coursedir.root, app.collect_directory_structure.format(
            downloaded=app.downloaded_directory, assignment_id=assignment,
            collect_step=app.archive_directory))
        if archive.exists():  # an earlier collect: kept, never overwritten
            previous = folder / "previous" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            previous.mkdir(parents=True)
            os.rename(archive, previous / archive.name)
        archive.mkdir(parents=True)
        refused = untrusted.copy_tree(Path(downloads), archive)
        app.init_plugins()
        plugin = app.collector_plugin_inst
        problems = self._times(archive, plugin, zone)
        app.extract_archive_files()
        refused += getattr(app.extractor_plugin_inst, "refused", [])
        app.process_extracted_files()
        problems += [Problem("?", name, f"a download that is {why}",
                             "refused at zip collect: not read, not collected")
                     for name, why in refused]
        collected = getattr(plugin, "collected", {})
        if collected:
            manifest = folder / MANIFEST
            earlier = json.loads(manifest.read_text()) if manifest.exists() else {}
            replace_text(manifest, json.dumps({**earlier, **collected}, indent=1))
        late = [Problem(student, found["file"], f"{layouts()[found['lms']]['title']} marks "
                        "this submission late, and no submission time was given",
                        "no late penalty applied here: put the LMS's table of times in the "
                        "download folder (docs/lms.md) and collect again, or use the LMS's "
                        "own late policy")
                for student, found in collected.items() if found["late"] and not found["time"]]
        return problems + getattr(plugin, "problems", []) + late

    def _zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ValueError, ZoneInfoNotFoundError) as error:
            raise ValueError(f"CollectZips.time_zone: {self.time_zone!r} is no time zone "
                             f"({error})") from None

    def _times(self, archive: Path, plugin: Any, zone: ZoneInfo) -> list[Problem]:
        """Give ``plugin`` the submission times of every LMS table in ``archive`` (the
        instructor's download folder, copied safely); what could not be read, as rows."""
        specs = {lms: spec["times"] for lms, spec in layouts().items() if "times" in spec}
        problems = []
        for path in sorted(archive.rglob("*")):
            if not path.is_file() or _uploaded(path.relative_to(archive)):
                continue
            found = lms_times.read(path, specs, zone)
            if found is not None and hasattr(plugin, "times"):
                lms, times, unread = found
                plugin.times.update({(lms, lms_id): when for lms_id, when in times.items()})
                plugin.tables.add(path.name)
                problems += unread
        return problems
