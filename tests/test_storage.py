"""Where the student's work is kept, in JupyterLab and in JupyterLite (Pyodide: no
JPY_SESSION_NAME, a home in memory, the browser's storage at /drive), and that the student's
kernel needs nothing of the instructor's tools (nbformat)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course import answers, progress, records, storage

ITEM = "cp-01-rds-engine"


@pytest.fixture
def lite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kernel as JupyterLite starts it: Pyodide, the drive, the notebook's folder as cwd."""
    drive = tmp_path / "drive"
    folder = drive / "01-model"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(storage, "LITE_DRIVE", drive)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("AWS_SRM_COURSE_PROGRESS", raising=False)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(answers, "_answers", {})
    monkeypatch.setattr(answers, "_times", {})
    answers._restored.cache_clear()
    yield folder / "01-model.ipynb"
    answers._restored.cache_clear()


def save(notebook: Path, answer: str, at: float) -> None:
    output = {"output_type": "display_data", "data": records.bundle(ITEM, answer, at),
              "metadata": {}}
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [output]}]}))


def test_in_lite_progress_lives_in_the_browser_storage(lite: Path):
    """Not in Pyodide's home, which is memory: a reload would lose it."""
    drive = lite.parent.parent
    assert progress.path() == drive / ".aws-srm-course" / "progress.json"
    progress.record_first_try("q-ec2-guest-os", right=True)
    assert progress.load(drive / ".aws-srm-course" / "progress.json")["correct"] == [
        "q-ec2-guest-os"]


def test_in_lite_the_notebook_is_found_without_a_session_name(lite: Path):
    """A new kernel after a reload restores the saved answer, then a newer cached one."""
    save(lite, "Customer", at=100.0)
    assert storage.notebook() == lite
    assert answers.recorded(ITEM) == "Customer"
    answers.record(ITEM, "AWS")
    assert answers._cache_path().parent == lite.parent.parent / ".aws-srm-course" / "answers"
    answers._answers.clear()
    answers._times.clear()
    answers._restored.cache_clear()
    assert answers.recorded(ITEM) == "AWS"


def test_all_my_work_is_one_zip_of_notebooks_and_progress(lite: Path):
    """What a student downloads to keep everything: each notebook and the progress file."""
    import zipfile

    save(lite, "Customer", at=100.0)
    (lite.parent.parent / "00-start-here").mkdir()
    (lite.parent.parent / "00-start-here" / "00-start-here.ipynb").write_text("{}")
    progress.record_first_try("q-ec2-guest-os", right=True)
    packed = storage.pack_work()
    assert packed.parent == lite.parent
    with zipfile.ZipFile(packed) as archive:
        assert sorted(archive.namelist()) == [
            "00-start-here/00-start-here.ipynb", "01-model/01-model.ipynb", "progress.json"]
        assert json.loads(archive.read("progress.json"))["correct"] == ["q-ec2-guest-os"]


def test_in_lite_a_folder_without_the_course_notebook_restores_nothing(lite: Path):
    (lite.parent / "other.ipynb").write_text("{}")
    assert storage.notebook() is None and answers._cache_path() is None


def test_outside_lite_and_jupyter_server_no_notebook_counts(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    """A grading kernel (nbgrader) runs in the notebook's folder: its answers must come from
    the notebook's code, never from the submitted file or a cache."""
    folder = tmp_path / "01-model"
    folder.mkdir()
    save(folder / "01-model.ipynb", "AWS", at=100.0)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert storage.notebook() is None
    assert storage.folder() == Path.home() / ".aws-srm-course"


def test_the_students_kernel_imports_nothing_of_the_instructors_tools():
    """Everything a notebook runs imports with nbformat (and nbgrader) unavailable, as in
    JupyterLite, where they are not installed."""
    code = """
import sys
sys.modules.update(nbformat=None, nbgrader=None, nbclient=None, nbconvert=None)
import importlib, pkgutil, course, course.widgets
student = [m.name for m in pkgutil.iter_modules(course.widgets.__path__, "course.widgets.")]
for name in ["course.checkpoint", "course.capstone", "course.content", "course.progress",
             "course.answers", "course.records", "course.storage", *student]:
    importlib.import_module(name)
for name in course.__all__:
    getattr(course, name)
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_nbformat_is_not_a_dependency_of_the_course_package():
    """JupyterLite preloads the package's dependencies: nbformat would pull jsonschema and
    rpds-py, which has no browser build outside Pyodide's own distribution."""
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    names = [dep.split(">")[0].split("=")[0] for dep in pyproject["project"]["dependencies"]]
    assert "nbformat" not in names
    assert any("nbformat" in dep for dep in pyproject["project"]["optional-dependencies"][
        "instructor"])
