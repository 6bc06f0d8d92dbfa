"""A temporary copy of the course that tests run real nbgrader commands in."""

from __future__ import annotations

import atexit
import copy
import fcntl
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SANDBOX = shutil.which("bwrap") is not None
# Without bubblewrap (a laptop), the pipeline still runs, with kernels outside the sandbox.
NO_SANDBOX = [] if SANDBOX else ["--SandboxProvisioner.sandbox=False"]


def unavailable(reason: str) -> NoReturn:
    """Skip, with the reason, a test whose tool or privilege is missing here; in CI (CI=1,
    where .ci/run installs every tool and runs as root) that is a failure, never a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def building_the_package() -> Iterator[None]:
    """Held while pip builds the course package from the checkout: setuptools builds in the
    tree (build/, *.egg-info), and two builds at once (two test workers) break each other."""
    with open(REPO / "pyproject.toml") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def require_sandbox() -> None:
    """Skip where bubblewrap is missing (in CI: fail)."""
    if not SANDBOX:
        unavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")


def require_root(why: str) -> None:
    """Skip where the tests do not run as root (in CI: fail)."""
    if os.geteuid() != 0:
        unavailable(f"{why}: run as root")


class CourseCopy:
    """``source/`` and ``nbgrader_config.py`` copied into ``root``, graded with the real CLI.

    Unless ``variants``, every student is graded on version a of each item (the answers of
    these tests are written for it); tests of variants themselves pass ``variants=True``."""

    def __init__(self, root: Path, variants: bool = False):
        self.root = root
        shutil.copytree(REPO / "source", root / "source")
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        if not variants:
            with open(root / "nbgrader_config.py", "a") as config:
                config.write("\nc.StudentVariants.enabled = False\n")

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        """Run nbgrader in the copy; raise with its output if it fails. The first
        ``generate_assignment`` of one assignment in a fresh copy runs once per test process
        for the same source and configuration; later copies get what it made."""
        key = _generation_key(self.root, args)
        if key in _GENERATED:
            made, done = _GENERATED[key]
            shutil.copytree(made, self.root, dirs_exist_ok=True)
            return done
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run([str(BIN / "nbgrader"), *args, *NO_SANDBOX], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stdout}\n{done.stderr}")
        if key is not None and (self.root / "gradebook.db").exists():  # not a server's
            made = Path(tempfile.mkdtemp(prefix="generated-", dir=_generated_folder()))
            shutil.copytree(self.root / "release", made / "release")
            shutil.copy2(self.root / "gradebook.db", made)
            _GENERATED[key] = made, done
        return done

    def notebook(self, folder: str, assignment: str) -> dict[str, Any]:
        path = self.root / folder / assignment / f"{assignment}.ipynb"
        return json.loads(path.read_text())

    def submit(self, student: str, assignment: str, notebook: dict[str, Any]) -> None:
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook))

    def scores(self, assignment: str) -> dict[str, float]:
        """Each student's total score for ``assignment``, from the gradebook."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            return {s.student.id: s.score
                    for s in gradebook.assignment_submissions(assignment)}

    def cell_scores(self, student: str, assignment: str) -> dict[str, float]:
        """Score of each grade cell of one student's notebook."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            return {grade.name: grade.score for grade in notebook.grades}


# What generate_assignment made in a fresh copy (its release folder and new gradebook), by
# what it was made from: the command, the copy's configuration and the assignment's source.
# Made once per test process, then copied: each run costs the nbgrader CLI and a new gradebook
# (alembic), seconds each time, for files that would come out the same.
_GENERATED: dict[str, tuple[Path, subprocess.CompletedProcess]] = {}


def _generation_key(root: Path, args: tuple[str, ...]) -> str | None:
    """The key of a first ``generate_assignment <one assignment>`` in a fresh copy, else None."""
    if (len(args) < 2 or args[0] != "generate_assignment" or "*" in args[1]
            or (root / "gradebook.db").exists() or (root / "release").exists()
            or not (root / "source" / args[1]).is_dir()):
        return None
    made_from = [*args, *NO_SANDBOX, (root / "nbgrader_config.py").read_text(),
                 folder_digest(root / "source" / args[1])]
    return hashlib.sha256("\0".join(made_from).encode()).hexdigest()


@functools.cache
def _generated_folder() -> Path:
    """This process's folder of kept generate_assignment results (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="course-copy-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def gradebook_definition(root: Path) -> list[tuple]:
    """The assignment as the gradebook defines it: cells, sources, checksums, points, tables
    (a grading run that changes any of it was tampered with)."""
    with sqlite3.connect(root / "gradebook.db") as db:
        return [*db.execute("select name, source, checksum, locked from source_cell"),
                *db.execute("select id, max_score, cell_type from grade_cells"),
                *db.execute("select name from sqlite_master order by name")]


def folder_digest(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def with_answers_as_code(release: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A release notebook whose answer cells give ``answers`` as ``answer(...)`` code."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        for item, value in answers.items():
            if cell["cell_type"] == "code" and source.startswith(f'ask("{item}")'):
                cell["source"] = f'ask("{item}")\nanswer({item!r}, {value!r})\n'
    return notebook


def answer_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in notebook["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def with_recorded_answers(release: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A release notebook whose answer cells show ``answers`` as saved record outputs, the
    way a widget answer is saved (values are written as given, valid or not)."""
    from course import records

    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        for item, value in answers.items():
            if cell["cell_type"] == "code" and source.startswith(f'ask("{item}")'):
                bundle = records.bundle(item, None)
                bundle[records.MIME] = {"item": item, "answer": value}
                cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                    "data": bundle}]
    return notebook


# A synthetic class (tests/test_scale.py, benchmarks/grading.py): students answering with
# widgets or code, right, wrong or partly right, and some damaged files of the kinds the
# safe-grading tests use. Deterministic for a given seed.
KINDS = (("widget", 35), ("code", 25), ("perfect", 10), ("blank", 10), ("invalid-json", 4),
         ("empty-file", 3), ("duplicated-cells", 3), ("deleted-cells", 3), ("output-flood", 3),
         ("error-cell", 3), ("kernel-killer", 1))


def item_keys(source: dict[str, Any]) -> dict[str, Any]:
    """Each graded item of a source notebook and its key, from the hidden tests."""
    from course.grading.score import expectation

    keys = {}
    for cell in source["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            expected = expectation("".join(cell["source"]))
            if expected:
                keys[expected["item"]] = expected["key"]
    return keys


def random_answer(item: str, key: Any, rng: Any, right: float) -> Any:
    """An answer to ``item`` that is right with probability ``right`` (per matrix row, per
    option), otherwise a plausible wrong one; ``None`` for items answered only in code."""
    from course import content, records

    definition = content.checkpoints().get(item, {})
    kind = definition.get("kind")
    if kind == "single":
        return key if rng.random() < right else rng.choice(definition["options"])
    if kind == "multiple":
        return [option for option in definition["options"]
                if (option in key) == (rng.random() < right)]
    if kind == "matrix":
        return {row: owner if rng.random() < right else rng.choice(records.OWNERS)
                for row, owner in key.items()}
    return None


def synthetic_submission(source: dict[str, Any], release: dict[str, Any], kind: str,
                         rng: Any) -> bytes | None:
    """One student's notebook file of the given ``kind`` (``None``: nothing submitted)."""
    keys = item_keys(source)
    answers = {item: answer for item, key in keys.items()
               if (answer := random_answer(item, key, rng, rng.random())) is not None}
    widget = with_recorded_answers(release, answers)
    dumps = lambda nb: json.dumps(nb).encode()  # noqa: E731
    if kind == "widget":
        return dumps(widget)
    if kind == "code":
        return dumps(with_answers_as_code(release, answers))
    if kind == "perfect":
        return dumps(source)
    if kind == "blank":
        return dumps(release)
    if kind == "invalid-json":
        text = json.dumps(widget, indent=1)
        return text[: len(text) * 3 // 4].encode()
    if kind == "empty-file":
        return b""
    graded = [i for i, c in enumerate(widget["cells"])
              if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    changed = copy.deepcopy(widget)
    if kind == "duplicated-cells" and graded:
        changed["cells"].insert(graded[0] + 1, copy.deepcopy(changed["cells"][graded[0]]))
    elif kind == "deleted-cells" and graded:
        del changed["cells"][graded[-1]]
    else:
        code = {"output-flood": 'print("x" * 3_000_000)',
                "error-cell": "1 / 0",
                "kernel-killer": "import os\nos.kill(os.getpid(), 9)"}.get(kind, "pass")
        changed["cells"].insert(min(2, len(changed["cells"])), {
            "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": code})
    for cell in changed["cells"]:
        cell.pop("id", None)
    changed["nbformat_minor"] = 4
    return dumps(changed)


def gradable_assignments(root: Path) -> list[str]:
    """Assignments with a source notebook and a release notebook under ``root``."""
    return sorted(path.name for path in (root / "source").iterdir()
                  if (path / f"{path.name}.ipynb").exists()
                  and (root / "release" / path.name / f"{path.name}.ipynb").exists())


def synthetic_class(root: Path, assignments: list[str], students: int,
                    seed: int = 0) -> dict[str, str]:
    """Write ``students`` submissions of each assignment into ``root/submitted``; returns
    the kind of each (student, assignment) as ``"student/assignment" -> kind``."""
    import random

    rng = random.Random(seed)
    names, weights = zip(*KINDS, strict=True)
    kinds = {}
    for assignment in assignments:
        source = json.loads((root / "source" / assignment / f"{assignment}.ipynb").read_text())
        release = json.loads(
            (root / "release" / assignment / f"{assignment}.ipynb").read_text())
        for number in range(students):
            student = f"s{number:04d}"
            kind = rng.choices(names, weights)[0]
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            data = synthetic_submission(source, release, kind, rng)
            if data is not None:
                (folder / f"{assignment}.ipynb").write_bytes(data)
            kinds[f"{student}/{assignment}"] = kind
    return kinds
