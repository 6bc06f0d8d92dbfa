"""The course's first layout on a hub (review finding 1 for surface). A student's server runs
in an environment it cannot write into (a hub image built by root) and keeps its Jupyter
folders in the student's home. postBuild's first layout (tests/test_view_shell.py checks how
it looks) reaches each student's own workspaces folder; JupyterLab saves the student's layout
there (its workspaces API, as the page does), keeps it over a restart, and another student
still starts from the course's."""

from __future__ import annotations

import copy
import json
import sys
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from course_copy import require_sandbox
from jupyterlab_server import JupyterLab

SEEDS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "workspaces"
DEFAULT = "/lab/api/workspaces/default"
WORKSPACE_FILES = "default-*.jupyterlab-workspace"


class StudentLab(JupyterLab):
    """``jupyter lab`` as a hub starts a student's: the environment read-only (bubblewrap binds
    it so, for root too), the workspaces wherever JupyterLab's configuration puts them."""

    def command(self) -> list[str]:
        lab = [arg for arg in super().command() if not arg.startswith("--LabApp.workspaces_dir=")]
        return ["bwrap", "--dev-bind", "/", "/", "--ro-bind", sys.prefix, sys.prefix,
                "--die-with-parent", "--", *lab]


@contextmanager
def student_lab(home: Path) -> Iterator[StudentLab]:
    lab = StudentLab(home, home).start()
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def course_layout() -> dict[str, Any]:
    """The data of the environment's default workspace, as postBuild wrote it."""
    require_sandbox()
    seeds = list(SEEDS.glob(WORKSPACE_FILES))
    if len(seeds) != 1:
        pytest.fail(f"no default workspace in {SEEDS}: run ./postBuild", pytrace=False)
    layout = json.loads(seeds[0].read_text())["data"]
    assert layout["layout-restorer:data"]["left"]["collapsed"] is True
    return layout


def saved(home: Path) -> list[dict[str, Any]]:
    """The data of every default workspace saved under ``home``."""
    return [json.loads(path.read_text())["data"] for path in home.rglob(WORKSPACE_FILES)]


def test_a_student_starts_from_the_course_layout_in_a_folder_of_their_own(
        tmp_path: Path, course_layout: dict[str, Any]):
    with student_lab(tmp_path) as lab:
        assert lab.api("GET", DEFAULT)["data"] == course_layout
    assert saved(tmp_path) == [course_layout]


def test_a_students_own_layout_is_saved_kept_and_theirs_alone(
        tmp_path: Path, course_layout: dict[str, Any]):
    ada, ben = tmp_path / "ada", tmp_path / "ben"
    own = copy.deepcopy(course_layout)
    own["layout-restorer:data"]["left"]["collapsed"] = False  # she opened the file browser
    with student_lab(ada) as lab:
        try:
            lab.api("PUT", DEFAULT, {"metadata": {"id": "default"}, "data": own})
        except urllib.error.HTTPError as error:
            pytest.fail(f"JupyterLab could not save her layout: {error.code} "
                        f"{error.read().decode()}", pytrace=False)
    assert saved(ada) == [own]
    with student_lab(ada) as lab:  # her next server
        assert lab.api("GET", DEFAULT)["data"] == own
    with student_lab(ben) as lab:
        assert lab.api("GET", DEFAULT)["data"] == course_layout
    assert saved(ben) == [course_layout]
