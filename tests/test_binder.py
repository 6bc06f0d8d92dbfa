"""Binder, reproduced: repo2docker (from the package index) plans the student edition's image
without building it; then its steps run here as a non-root user in a fresh folder, its start
command serves the edition, and Chromium opens 01-model, runs it all and answers a widget.

Slow (a fresh environment is installed): one test, marker ``binder``; it prints timings."""

from __future__ import annotations

import json
import os
import pwd
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from course_copy import require_root, unavailable
from jupyterlab_server import JupyterLab
from lab_browser import CHROMIUM, CHROMIUM_FLAGS, TIMEOUT_MS, Clock
from test_browser import ITEMS, Notebook

from course import records

pytestmark = pytest.mark.binder

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache"
# What the unprivileged user reads or writes lives where any user can reach it (pytest's
# tmp_path and a checkout may sit in folders only root can enter).
SHARED = Path("/var/tmp/aws-srm-course-tests")
REPO2DOCKER = "jupyter-repo2docker==2026.4.0"
USER = "course-binder"  # Binder's jovyan: not root, the repository is its home
PYTHON = "python3.11"  # what runtime.txt asks for (Binder: a conda env of that version)
NOTEBOOK = "release/01-model/01-model.ipynb"


def repo2docker() -> Path:
    """repo2docker in a throwaway environment, kept in .cache/ between runs."""
    exe = CACHE / "repo2docker" / "bin" / "jupyter-repo2docker"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(exe.parents[1])], check=True)
        subprocess.run([str(exe.parent / "pip"), "install", "-q", REPO2DOCKER], check=True,
                       timeout=900)
    return exe


def plan(edition: Path, user: pwd.struct_passwd) -> tuple[str, list[str], list[str]]:
    """repo2docker's build plan for ``edition`` built for ``user`` (as BinderHub asks, with
    its user's id and name): the Python it picks, the commands it runs on the repository's
    contents (copied in, owned by the user), and the image's start command."""
    done = subprocess.run([str(repo2docker()), "--no-build", "--debug",
                           f"--user-id={user.pw_uid}", f"--user-name={user.pw_name}",
                           str(edition)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    dockerfile = done.stdout + done.stderr
    python = re.search(r"conda environment for python=([0-9.]+)", dockerfile)
    assert python, dockerfile
    copy = f"COPY --chown={user.pw_uid}:{user.pw_uid} src/ ${{REPO_DIR}}/"
    assert copy in dockerfile, dockerfile
    after_copy = dockerfile.split(copy, 1)[1]
    steps = re.findall(r"^RUN (.+)$", after_copy, re.M)
    command = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    return python.group(1), steps, command


def ensure_user() -> pwd.struct_passwd:
    """The unprivileged user Binder runs as (made here the way .ci/run makes its users)."""
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", USER], check=True)
        return pwd.getpwnam(USER)


def as_user(user: pwd.struct_passwd, command: str, home: Path, env_prefix: Path,
            **kw) -> subprocess.CompletedProcess | subprocess.Popen:
    """``command`` (a shell line) as ``user`` in ``home``, with Binder's environment."""
    env = {"HOME": str(home), "USER": user.pw_name, "LANG": "C.UTF-8",
           "PATH": f"{env_prefix}/bin:/usr/local/bin:/usr/bin:/bin"}
    args = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups",
            "env", "-i", *(f"{k}={v}" for k, v in env.items()), "bash", "-c", command]
    if kw.pop("background", False):
        return subprocess.Popen(args, cwd=home, **kw)
    return subprocess.run(args, cwd=home, **kw)


@pytest.fixture
def world(tmp_path: Path):
    """A fresh folder any user can enter (removed afterwards)."""
    SHARED.mkdir(mode=0o755, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="binder-", dir=SHARED))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_binder_build_and_launch_reproduced(world: Path):
    require_root("reproducing Binder makes a user")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    clock = Clock("binder")
    tmp_path = world
    edition = tmp_path / "edition"
    subprocess.run([str(Path(sys.executable).parent / "course-publish"), str(edition)],
                   cwd=REPO, check=True, capture_output=True)
    user = ensure_user()
    python, steps, command = plan(edition, user)
    clock.step(f"repo2docker plan: python {python}; steps {steps}; start {command}")
    assert python == "3.11"
    assert steps == ['${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"',
                     "${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir .",
                     "chmod +x postBuild", "./postBuild"]

    # The image: the repository copied into the user's home, all owned by the user, and an
    # environment of that Python that the user owns.
    home, prefix = tmp_path / "home", tmp_path / "srv" / "notebook"
    shutil.copytree(edition, home)
    prefix.parent.mkdir()
    prefix.parent.chmod(0o755)
    subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(home),
                    str(prefix.parent)], check=True)
    as_user(user, f"{PYTHON} -m venv {prefix}", home, prefix, check=True)
    for step in steps:  # exactly as planned
        line = step.replace("${KERNEL_PYTHON_PREFIX}", str(prefix))
        done = as_user(user, line, home, prefix, capture_output=True, text=True, timeout=1500)
        assert done.returncode == 0, f"{line}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        clock.step(f"ran {line}")
    version = as_user(user, "python --version", home, prefix, capture_output=True, text=True)
    assert version.stdout.startswith("Python 3.11"), version
    installed = as_user(user, "cd / && python -c 'import course; print(course.__file__)'",
                        home, prefix, capture_output=True, text=True, check=True).stdout
    assert installed.startswith(str(prefix)), installed  # installed, not only on the path

    # Started the way Binder starts the image: its command, on a port, with a token.
    lab = JupyterLab(home, tmp_path / "browser-side")
    (tmp_path / "browser-side").mkdir()
    start = [*command, f"--port={lab.port}", "--no-browser", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={lab.token}"]
    lab.log = open(lab.log_path, "w")  # noqa: SIM115 (closed by lab.stop)
    lab.process = as_user(user, shlex.join(start), home, prefix, background=True,
                          stdout=lab.log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                lab.api("GET", "/api/status")
                break
            except OSError:
                assert lab.process.poll() is None, lab.log_path.read_text()
                assert time.monotonic() < deadline, lab.log_path.read_text()
                time.sleep(0.5)
        clock.step(f"{shlex.join(command)} answers on port {lab.port}")
        answered = open_run_all_and_answer(lab, tmp_path, clock)
    finally:
        lab.stop()
    assert answered == {"cp-01-rds-engine": "AWS"}
    owner = (home / NOTEBOOK).stat().st_uid
    assert owner == user.pw_uid  # saved by the server running as the user


def open_run_all_and_answer(lab: JupyterLab, tmp_path: Path, clock: Clock) -> dict:
    """In Chromium: open 01-model at Binder's URL, Run All, see the widgets and the record
    lines, answer one item by clicking, save; return the answers saved in the file."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1440, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            notebook = Notebook(context, lab, NOTEBOOK, clock)
            notebook.run_all()
            for item in ITEMS:
                unanswered = records.bundle(item, None)["text/plain"]
                expect(notebook.record(item)).to_contain_text(unanswered)
            notebook.cell("cp-01-rds-engine").locator(
                ".widget-radio-box input[type=radio][data-value='AWS']").click()
            expect(notebook.record("cp-01-rds-engine")).to_contain_text(
                records.bundle("cp-01-rds-engine", "AWS")["text/plain"])
            clock.step("widgets rendered, answered cp-01-rds-engine by clicking")
            artifacts = REPO / "test-artifacts" / "binder"
            artifacts.mkdir(parents=True, exist_ok=True)
            notebook.page.screenshot(path=str(artifacts / "01-model-1440.png"))
            saved = notebook.save({"cp-01-rds-engine": "AWS"})
            return records.find(saved)
        finally:
            context.close()
