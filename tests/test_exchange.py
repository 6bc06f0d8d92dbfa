"""nbgrader's exchange walked by real unix users: an instructor and two students, each with
a private home, and an exchange folder with the permissions nbgrader documents.

The instructor releases 01-model and 10-capstone; one student answers in code run in a
kernel (nbclient), the other with saved widget records; both submit. The instructor
collects, grades with ``course-grade`` (sandboxed), releases feedback, and grades the
capstone's justification in the formgrader. Each student fetches only their own feedback
and can read neither the other's work, nor the gradebook, nor ``source/``."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from course_copy import building_the_package, item_keys, require_root, require_sandbox
from jupyterlab_server import free_port
from test_capstone import HONEST
from test_pipeline import PARTIAL

from course import capstone, content

pytestmark = pytest.mark.exchange

REPO = Path(__file__).resolve().parents[1]
SHARED = Path("/var/tmp/aws-srm-course-tests")  # reachable by every user (see test_binder)
COURSE = "aws-shared-responsibility"
MODEL, CAPSTONE = "01-model", "10-capstone"


def user_environment() -> Path:
    """The instructor's environment, made once per requirements from Debian's Python 3.11 in
    a folder every user can read (the test's own .venv may live where only root can go);
    the course package is installed (not linked) again on each run."""
    digest = hashlib.sha256(b"".join((REPO / name).read_bytes() for name in (
        "requirements.txt", "requirements-instructor.txt"))).hexdigest()[:12]
    prefix = SHARED / f"env-{digest}"
    if not (prefix / ".complete").exists():
        shutil.rmtree(prefix, ignore_errors=True)
        subprocess.run(["/usr/bin/python3.11", "-m", "venv", str(prefix)], check=True)
        subprocess.run([str(prefix / "bin" / "pip"), "install", "-q", "-r",
                        "requirements-instructor.txt"], cwd=REPO, check=True, timeout=1500)
        (prefix / ".complete").touch()
    with building_the_package():
        subprocess.run([str(prefix / "bin" / "pip"), "install", "-q", "--no-deps",
                        "--force-reinstall", str(REPO)], check=True,
                       capture_output=True, timeout=600)
    return prefix


@dataclass
class User:
    name: str
    home: Path
    prefix: Path
    exchange: Path

    @property
    def uid(self) -> int:
        return pwd.getpwnam(self.name).pw_uid

    def run(self, *args: str, cwd: Path | None = None, check: bool = True
            ) -> subprocess.CompletedProcess:
        """``args`` as this user, in their home (or ``cwd``), with the course environment."""
        env = {"HOME": str(self.home), "USER": self.name, "LANG": "C.UTF-8",
               "PATH": f"{self.prefix}/bin:/usr/bin:/bin"}
        done = subprocess.run(
            ["setpriv", f"--reuid={self.name}", f"--regid={self.name}", "--init-groups",
             "env", "-i", *(f"{k}={v}" for k, v in env.items()), *args],
            cwd=cwd or self.home, capture_output=True, text=True, timeout=900)
        if check and done.returncode != 0:
            raise AssertionError(f"{self.name}: {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done

    def python(self, code: str, *args: str) -> str:
        return self.run(str(self.prefix / "bin" / "python"), "-c", code, *args).stdout

    def nbgrader(self, *args: str, cwd: Path | None = None) -> str:
        return self.run("nbgrader", *args, f"--Exchange.root={self.exchange}", cwd=cwd).stdout

    def cannot_read(self, *paths: Path) -> dict[str, str]:
        """What happens when this user lists or opens each path."""
        probe = ("import json, os, sys\nout = {}\nfor p in sys.argv[1:]:\n"
                 "    try:\n        os.listdir(p) if os.path.isdir(p) else open(p).read()\n"
                 "        out[p] = 'read'\n    except OSError as e:\n"
                 "        out[p] = type(e).__name__\nprint(json.dumps(out))")
        return json.loads(self.python(probe, *map(str, paths)))


def make_user(name: str, world: Path, prefix: Path) -> User:
    """A unix user (made once, like .ci/run's) with a fresh private home for this test."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", name], check=True)
    home = world / "home" / name
    home.mkdir(parents=True)
    shutil.chown(home, name, name)
    home.chmod(0o700)
    return User(name, home, prefix, world / "exchange")


@pytest.fixture(scope="module")
def world() -> Iterator[Path]:
    require_root("the exchange test makes unix users")
    require_sandbox()
    SHARED.mkdir(mode=0o755, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="exchange-", dir=SHARED))
    folder.chmod(0o755)
    (folder / "home").mkdir(mode=0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def walked(world: Path) -> dict[str, Any]:
    """The whole round trip; returns what each party ended up with."""
    prefix = user_environment()
    teacher = make_user("course-teacher", world, prefix)
    ada, ben = (make_user(name, world, prefix) for name in ("course-ada", "course-ben"))
    exchange = world / "exchange"  # nbgrader's docs: a folder everyone may read and write
    exchange.mkdir()
    exchange.chmod(0o777)
    root = teacher.home / "course"
    root.mkdir()
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "nbgrader_config.py", root)
    subprocess.run(["chown", "-R", f"{teacher.name}:{teacher.name}", str(root)], check=True)

    for assignment in (MODEL, CAPSTONE):
        teacher.nbgrader("generate_assignment", assignment, "--force", cwd=root)
        teacher.nbgrader("release_assignment", assignment, cwd=root)
    for student in (ada, ben):
        student.nbgrader("fetch_assignment", MODEL, CAPSTONE, f"--course={COURSE}")

    source = json.loads((REPO / "source" / MODEL / f"{MODEL}.ipynb").read_text())
    keys = item_keys(source)
    answers = {ada.name: PARTIAL, ben.name: {item: keys[item] for item in PARTIAL}}
    ada.python(ANSWER_IN_A_KERNEL, json.dumps(PARTIAL))
    ben.python(SAVE_WIDGET_RECORDS, f"{MODEL}/{MODEL}.ipynb", json.dumps(answers[ben.name]))
    ben.python(WRITE_CAPSTONE, json.dumps(architecture(ben.name)))
    for student in (ada, ben):
        student.nbgrader("submit", MODEL, f"--course={COURSE}")
    ben.nbgrader("submit", CAPSTONE, f"--course={COURSE}")

    teacher.nbgrader("collect", MODEL, cwd=root)
    teacher.nbgrader("collect", CAPSTONE, cwd=root)
    graded = {a: teacher.run("course-grade", a, "--quiet", cwd=root).stdout
              for a in (MODEL, CAPSTONE)}
    teacher.nbgrader("generate_feedback", MODEL, "--force", cwd=root)
    teacher.nbgrader("release_feedback", MODEL, cwd=root)
    for student in (ada, ben):
        student.nbgrader("fetch_feedback", MODEL, f"--course={COURSE}")

    # The gallery goes back to the class: ben agreed to share, the page has no names.
    (root / "agreed.txt").write_text(f"{ben.name}\n")
    shutil.chown(root / "agreed.txt", teacher.name, teacher.name)
    teacher.run("python", "-m", "course.gallery", "submitted", "--consent", "agreed.txt",
                "--release", ".", cwd=root)
    teacher.nbgrader("release_assignment", "gallery", cwd=root)
    for student in (ada, ben):
        student.nbgrader("fetch_assignment", "gallery", f"--course={COURSE}")
    galleries = {student.name: student.python(SHOW_GALLERY) for student in (ada, ben)}
    return {"teacher": teacher, "ada": ada, "ben": ben, "root": root, "graded": graded,
            "exchange": exchange, "answers": answers, "galleries": galleries}


def architecture(author: str) -> dict[str, Any]:
    """A complete architecture (every completeness check passes)."""
    shared = capstone.template("serverless-photos", author=author)
    items = list(content.items())[:3]
    rows = [(service, item) for service in shared["services"] for item in items]
    shared["matrix"] = [capstone.row(service, item, "Shared", reason)  # each in its own words
                        for (service, item), reason in zip(rows, HONEST, strict=True)]
    shared["controls"] = ["Turn on CloudTrail", "Encrypt with KMS", "Least-privilege roles"]
    assert capstone.completeness(shared) == 1.0
    return shared


# Run as the students, with the course environment's Python.
ANSWER_IN_A_KERNEL = """
import json, sys
import nbformat
from nbclient import NotebookClient
path = "01-model/01-model.ipynb"
notebook = nbformat.read(path, as_version=4)
for item, value in json.loads(sys.argv[1]).items():
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.startswith(f'ask("{item}")'):
            cell.source = f'ask("{item}")\\nanswer({item!r}, {value!r})\\n'
NotebookClient(notebook, resources={"metadata": {"path": "01-model"}}).execute()
nbformat.write(notebook, path)
"""
SHOW_GALLERY = """
import json
import nbformat
from nbclient import NotebookClient
notebook = nbformat.read("gallery/gallery.ipynb", as_version=4)
NotebookClient(notebook, resources={"metadata": {"path": "gallery"}}).execute()
shown = [o["data"]["text/html"] for c in notebook.cells for o in c.get("outputs", [])
         if "text/html" in o.get("data", {})]
print(json.dumps({"page": open("gallery/gallery.html").read(), "notebook": shown[0]}))
"""
WRITE_CAPSTONE = """
import json, sys
from course import capstone, records
path, shared = "10-capstone/10-capstone.ipynb", json.loads(sys.argv[1])
notebook = json.load(open(path))
for cell in notebook["cells"]:
    grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
    if grade_id == "capstone_architecture":  # written in code, as the notebook asks
        cell["source"] = f"my_architecture = {shared!r}"
    if grade_id == "share_architecture":  # what capstone.share(...) displayed
        cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                            "data": records.bundle(capstone.ITEM, shared, at=1.0)}]
json.dump(notebook, open(path, "w"))
"""
SAVE_WIDGET_RECORDS = """
import json, sys
from course import records
path, answers = sys.argv[1], json.loads(sys.argv[2])
notebook = json.load(open(path))
for item, value in answers.items():
    cell = next(c for c in notebook["cells"]
                if c["cell_type"] == "code" and f'ask("{item}")' in "".join(c["source"]))
    cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                        "data": records.bundle(item, value, at=1.0)}]
json.dump(notebook, open(path, "w"))
"""


def test_scores_per_student_are_exact(walked: dict[str, Any]):
    text = walked["graded"][MODEL]
    print(text)
    assert "course-ada: 3.3333 / 6" in text  # 0 + 2 x 2/3 + 3 x 4/6 (gradebook: 4 places)
    assert "course-ben: 6 / 6" in text
    assert "course-ben: 4 / 8" in walked["graded"][CAPSTONE]  # justification: by hand


def test_each_student_fetches_only_their_own_feedback(walked: dict[str, Any]):
    for name, rds in (("ada", "Your answer: Customer"), ("ben", "Your answer: AWS")):
        student = walked[name]
        found = student.python(
            "import glob, json; print(json.dumps({p: open(p).read() for p in "
            "glob.glob('01-model/feedback/*/*.html')}))")
        feedback = json.loads(found)
        assert len(feedback) == 1, feedback.keys()
        (html,) = feedback.values()
        assert rds in html
        assert student.name in html or "Right answer" in html


def test_students_cannot_read_each_other_the_gradebook_or_source(walked: dict[str, Any]):
    root, exchange = walked["root"], walked["exchange"]
    for me, other in (("ada", "ben"), ("ben", "ada")):
        denied = walked[me].cannot_read(
            walked[other].home / MODEL / f"{MODEL}.ipynb", walked[other].home,
            exchange / COURSE / "inbound", root / "gradebook.db",
            root / "source" / MODEL / f"{MODEL}.ipynb", root / "submitted")
        assert set(denied.values()) == {"PermissionError"}, denied


def test_the_gallery_goes_back_to_the_class_without_names(walked: dict[str, Any]):
    """Released as its own assignment: every student gets the page without names; running
    its notebook shows their own card (from their capstone) beside the disagreements."""
    ben, ada = (json.loads(walked["galleries"][f"course-{n}"]) for n in ("ben", "ada"))
    title = capstone.template("serverless-photos")["title"]
    for gallery in (ben, ada):
        assert "course-ben" not in gallery["page"] and "course-ada" not in gallery["page"]
        assert "by Student 1" in gallery["page"] and title in gallery["page"]
    own = ben["notebook"].split("<h2>Your architecture</h2>")[1].split("<h2>Where")[0]
    assert "by you" in own and title in own
    assert "Your architecture" not in ada["notebook"]  # ada shared no capstone


def test_formgrader_lists_the_results_and_grades_the_justification(walked: dict[str, Any]):
    teacher, root = walked["teacher"], walked["root"]
    port, token = free_port(), hashlib.sha256(os.urandom(16)).hexdigest()[:32]
    server = subprocess.Popen(
        ["setpriv", f"--reuid={teacher.name}", f"--regid={teacher.name}", "--init-groups",
         "env", "-i", f"HOME={teacher.home}", f"USER={teacher.name}",
         f"PATH={teacher.prefix}/bin:/usr/bin:/bin",
         "jupyter", "server", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def api(method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/formgrader/api/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                api("GET", "status")
                break
            except (urllib.error.URLError, OSError):
                assert server.poll() is None and time.monotonic() < deadline, "no formgrader"
                time.sleep(0.5)
        scores = {s["student"]: s["score"] for s in api("GET", f"submissions/{MODEL}")}
        assert scores == pytest.approx({"course-ada": 3.3333, "course-ben": 6.0}, abs=1e-3)
        (notebook,) = api("GET", f"submitted_notebooks/{CAPSTONE}/{CAPSTONE}")
        assert notebook["student"] == "course-ben" and notebook["needs_manual_grade"]
        grades = api("GET", f"grades?submission_id={notebook['id']}")
        (manual,) = [g for g in grades if g["needs_manual_grade"]]
        assert manual["name"] == "capstone_architecture" and manual["max_score"] == 4
        graded = api("PUT", f"grade/{manual['id']}", {"manual_score": 3})
        assert graded["needs_manual_grade"] is False
        (notebook,) = api("GET", f"submitted_notebooks/{CAPSTONE}/{CAPSTONE}")
        assert notebook["score"] == 7 and not notebook["needs_manual_grade"]
    finally:
        server.terminate()
        server.wait(timeout=20)
