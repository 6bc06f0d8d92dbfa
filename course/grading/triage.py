"""Pre-flight: repair a damaged submission before nbgrader sees it, and say what was done.

Runs in the grader's process on ``submitted/<student>/<assignment>/``. Every repair keeps
the file as submitted under ``originals/<student>/<assignment>/`` and records one
:class:`Problem` (what was wrong, what was done). The release notebook is the template for
whatever is missing; answers recorded in a broken file are salvaged into it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_output
from traitlets import Unicode
from traitlets.config import LoggingConfigurable

from .. import kinds, records
from .untrusted import read_bytes, write_bytes

REPAIRS = "repairs.json"


@dataclass
class Problem:
    """One thing wrong with one student's submission, and what the grader did about it."""

    student: str
    notebook: str
    problem: str
    action: str

    def __str__(self) -> str:
        return f"{self.student} / {self.notebook}: {self.problem} -> {self.action}"


class RepairSubmission(LoggingConfigurable):
    """Make one submission gradable: the right file names, valid nbformat 4 JSON, each
    graded cell exactly once. Answers are never invented; only the release is restored."""

    originals_directory = Unicode(
        "originals", help="Folder, under the course root, keeping damaged files as submitted."
    ).tag(config=True)

    def __init__(self, root: Path, release: Path, **kwargs):
        super().__init__(**kwargs)
        self.root, self.release = Path(root), Path(release)

    def kept(self, submission: Path, student: str) -> Path:
        """Where the files of ``submission`` are kept as submitted."""
        return self.root / self.originals_directory / student / submission.name

    def repair(self, submission: Path, student: str) -> list[Problem]:
        """Repair ``submission`` (a student's assignment folder) in place."""
        kept = self.kept(submission, student)
        earlier = _load_repairs(kept, submission)
        if earlier is not None:  # graded before: the same repairs, from the originals kept
            return [Problem(**entry) for entry in earlier]
        problems: list[Problem] = []

        def note(notebook: str, problem: str, action: str) -> None:
            problems.append(Problem(student, notebook, problem, action))

        expected = sorted(path.name for path in self.release.glob("*.ipynb"))
        self._rename(submission, expected, kept, note)
        for name in expected:
            path = submission / name
            template = read_json(self.release / name)
            if not path.exists():
                note(name, "no such notebook was submitted",
                     "graded the blank release notebook (0 points)")
                write_bytes(path, json.dumps(template).encode())
                continue
            raw = read_bytes(path)
            notebook, changed = _repair_notebook(raw, template, lambda p, a, n=name: note(n, p, a))
            if changed:
                keep(path, kept)
                write_bytes(path, nbformat.writes(nbformat.from_dict(notebook)).encode())
        _save_repairs(kept, submission, problems)
        return problems

    def _rename(self, submission: Path, expected: list[str], kept: Path, note) -> None:
        """Give each expected notebook that is missing the submitted notebook with another
        name that shares most of its graded cells (a renamed or downloaded-twice copy)."""
        others = [path for path in sorted(submission.glob("*.ipynb")) if path.name not in expected]
        for name in expected:
            if (submission / name).exists() or not others:
                continue
            wanted = _grade_ids(read_json(self.release / name))
            best = max(others, key=lambda path: (
                len(_grade_ids(read_json(path)) & wanted), path.stat().st_mtime))
            others.remove(best)
            keep(best, kept)
            best.rename(submission / name)
            note(name, f"the notebook was submitted as {best.name!r}",
                 f"graded it as {name!r}")


def _repair_notebook(raw: bytes, template: dict[str, Any], note) -> tuple[dict[str, Any], bool]:
    """``raw`` as a valid nbformat 4 notebook built on ``template``, and whether it changed."""
    text = raw.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        return _salvage(text, template, f"not valid JSON ({error})" if text.strip()
                        else "the file is empty", note), True
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")),
                                                    list):
        return _salvage(text, template, "not a notebook", note), True
    changed = False
    if data.get("nbformat") != 4:
        version = data.get("nbformat")
        try:
            data = json.loads(nbformat.writes(nbformat.reads(text, as_version=4)))
            note(f"written in nbformat {version!r}", "converted to nbformat 4")
        except Exception as error:  # any reader failure means the same
            return _salvage(text, template, f"unreadable nbformat ({error})", note), True
        changed = True
    changed |= _fix_cells(data, template, note)
    try:
        nbformat.validate(nbformat.from_dict(data))
    except Exception as error:  # whatever is invalid
        return _salvage(text, template, f"invalid notebook structure ({str(error)[:80]})",
                        note), True
    return data, changed


def _fix_cells(nb: dict[str, Any], template: dict[str, Any], note) -> bool:
    """Graded cells of this assignment exactly once each, in order; unique cell ids."""
    changed = False
    for cell in nb["cells"]:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    known = _grade_ids(template)
    present = _grade_ids(nb)
    another = bool(present) and not present & known
    if another:
        note(f"a notebook of another assignment (graded cells {_listed(sorted(present))})",
             "graded as this assignment: its graded cells were restored from the release")
    seen: set[str] = set()
    forged: list[Any] = []  # the grade ids of added cells claiming points
    for cell in nb["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader")
        grade_id = _grade_id(cell)
        if nbgrader is None:
            continue
        if grade_id in known and grade_id not in seen:
            seen.add(grade_id)
            continue
        del cell["metadata"]["nbgrader"]  # nbgrader would fail on it, or grade it
        changed = True
        if grade_id in seen:
            note(f"graded cell {grade_id!r} appears more than once",
                 "kept the first; later copies run as ordinary cells")
        elif isinstance(nbgrader, dict) and (nbgrader.get("grade") or nbgrader.get("task")):
            forged.append(nbgrader.get("grade_id"))
    if forged and not another:
        note(f"{'a graded cell' if len(forged) == 1 else f'{len(forged)} graded cells'} the "
             f"release does not have (grade id{'s' * (len(forged) > 1)} {_listed(forged)})",
             f"ignored: {'it' if len(forged) == 1 else 'they'} ran as ordinary code and "
             "scored nothing")
    missing = [cell for cell in template["cells"]
               if _grade_id(cell) in known - seen]
    if missing:
        _restore(nb, template, known - seen)
        note(f"graded cells deleted: {', '.join(_grade_id(cell) for cell in missing)}",
             "restored from the release notebook (answers in them are empty)")
        changed = True
    if nb.get("nbformat_minor", 0) >= 5:
        ids: set[str] = set()
        for cell in nb["cells"]:
            if not isinstance(cell.get("id"), str) or cell["id"] in ids:
                cell["id"] = uuid.uuid4().hex[:8]
                changed = True
            ids.add(cell["id"])
    return changed


def _restore(nb: dict[str, Any], template: dict[str, Any], missing: set[str]) -> None:
    """Insert the release's ``missing`` graded cells after the graded cell before them."""
    for cell in template["cells"]:
        if _grade_id(cell) not in missing:
            continue
        before = template["cells"][:template["cells"].index(cell)]
        anchors = [_grade_id(c) for c in before if _grade_id(c)]
        position = 0
        for index, present in enumerate(nb["cells"]):
            if _grade_id(present) in anchors:
                position = index + 1
        restored = copy.deepcopy(cell)
        restored.pop("id", None)
        nb["cells"].insert(position, restored)
    if nb.get("nbformat_minor", 0) >= 5:
        for cell in nb["cells"]:
            cell.setdefault("id", uuid.uuid4().hex[:8])


def _salvage(text: str, template: dict[str, Any], problem: str, note) -> dict[str, Any]:
    nb, found, refused = rebuild(text, template)
    saved = f"{found} recorded answer{'s' * (found != 1)}"
    left = "".join(f"; {reason} (scored 0)" for reason in refused.values())
    note(problem, f"graded the release notebook with the {saved} found in the file{left}")
    return nb


def rebuild(text: str, template: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The release notebook carrying the answers recorded anywhere in ``text``, how many
    answers that is, and the reason for each answer left out (nested too deep or too large
    to be read). Each answer goes, as a record output, into the code cell that names its
    item (else the first code cell that is not a test): any such cell counts."""
    found, refused = {}, {}
    for item, answer in salvage_records(text).items():
        try:
            found[item] = kinds.plain(answer, item)
        except kinds.InvalidAnswer as error:
            refused[item] = str(error)
    nb = copy.deepcopy(template)
    answerable = [c for c in nb["cells"] if c["cell_type"] == "code" and not records.is_test(c)]
    for item, answer in found.items():
        cell = next((c for c in answerable if item in "".join(c["source"])),
                    answerable[0] if answerable else None)
        if cell is not None:
            cell.setdefault("outputs", []).append(new_output(
                "display_data", data=records.bundle(item, answer, stamp=False)))
    return nb, len(found), refused


def salvage_records(text: str) -> dict[str, Any]:
    """Every recorded answer that can still be read from broken notebook text (the newest
    of each item, as in a whole notebook; one too deeply nested to read is skipped)."""
    decoder, outputs, marker = json.JSONDecoder(), [], f'"{records.MIME}"'
    start = text.find(marker)
    while start >= 0:
        at = text.find(":", start + len(marker)) + 1
        while at and at < len(text) and text[at].isspace():
            at += 1
        try:
            record, _ = decoder.raw_decode(text, at)
        except ValueError:
            record = None
        except RecursionError:  # too deep to read: kept, cut, so that it is refused as such
            named = _ITEM.match(text, at)
            record = named and {"item": named[1], "answer": _cut(kinds.MAX_DEPTH + 1)}
        outputs.append({"data": {records.MIME: record}})
        start = text.find(marker, start + 1)
    return records.find({"cells": [{"outputs": outputs}]})


_ITEM = re.compile(r'\{\s*"item"\s*:\s*"([^"\\]{1,200})"')


def _cut(depth: int) -> Any:
    """A text nested in ``depth`` lists: what is left of an answer too deep to read."""
    cut: Any = "..."
    for _ in range(depth):
        cut = [cut]
    return cut


def _grade_id(cell: dict[str, Any]) -> str | None:
    """The cell's grade id, if it has one that is text."""
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _listed(grade_ids: list[Any], shown: int = 3, width: int = 30) -> str:
    """The first ``shown`` different ``grade_ids`` of a submission for one report line:
    each cut to ``width`` characters, control characters written as escapes."""
    named = []
    for grade_id in grade_ids:
        if grade_id is None:
            text = "missing"
        elif not isinstance(grade_id, str):
            text = f"not text ({type(grade_id).__name__})"
        else:
            escaped = [repr(char)[1:-1] for char in grade_id[:width]]
            while len("".join(escaped)) > width:
                escaped.pop()
            text = f"'{''.join(escaped)}{'…' * (len(escaped) < len(grade_id))}'"
        if text not in named:
            named.append(text)
    return ", ".join(named[:shown]) + ", …" * (len(named) > shown)


def _grade_ids(nb: dict[str, Any]) -> set[str]:
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    return {grade_id for cell in cells if isinstance(cell, dict)
            and (grade_id := _grade_id(cell)) is not None}


def read_json(path: Path) -> dict[str, Any]:
    """The JSON in ``path`` (never read through a link), ``{}`` if there is none."""
    try:
        return json.loads(read_bytes(path).decode("utf-8", errors="replace"))
    except (OSError, ValueError, RuntimeError):
        return {}


def keep(path: Path, kept: Path) -> None:
    """Copy ``path`` as submitted into the originals folder, never over another version."""
    kept.mkdir(parents=True, exist_ok=True)
    data = read_bytes(path)
    target, number = kept / path.name, 0
    while os.path.lexists(target):
        if read_bytes(target) == data:
            return
        number += 1
        target = kept / f"{path.stem}.{number}{path.suffix}"
    write_bytes(target, data)
    shutil.copystat(path, target, follow_symlinks=False)


def _digest(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(read_bytes(path)).hexdigest()
            for path in sorted(folder.glob("*.ipynb"))}


def _save_repairs(kept: Path, submission: Path, problems: list[Problem]) -> None:
    if problems:
        kept.mkdir(parents=True, exist_ok=True)
        (kept / REPAIRS).write_text(json.dumps(
            {"repaired": _digest(submission), "problems": [asdict(p) for p in problems]},
            indent=1))


def _load_repairs(kept: Path, submission: Path) -> list[dict[str, str]] | None:
    """The problems found last time, if the submission is still exactly what we made."""
    try:
        saved = json.loads((kept / REPAIRS).read_text())
    except (OSError, ValueError):
        return None
    return saved["problems"] if saved.get("repaired") == _digest(submission) else None
