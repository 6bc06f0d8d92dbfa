"""The student edition (``course-publish DIR``): exactly what students need, no key or
solution of ``source/`` in any file, and its notebooks run with its own ``course`` package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import content, publish

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BINDER = ("https://mybinder.org/v2/gh/my-org/aws-srm-student/main?urlpath=lab/tree/release/"
          "00-start-here/00-start-here.ipynb")


def course_publish(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course-publish"), *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public") / "aws-srm-student"
    done = course_publish(str(out), "--repo", "my-org/aws-srm-student")
    assert done.returncode == 0, done.stderr
    return out


def test_edition_holds_exactly_what_students_need(edition: Path):
    assert sorted(path.name for path in edition.iterdir()) == sorted([
        ".course-edition", "LICENSE", "README.md", "course", "postBuild", "pyproject.toml",
        "release", "requirements.txt", "run", "runtime.txt"])
    released = sorted(p.relative_to(REPO) for p in (REPO / "release").rglob("*.ipynb"))
    assert sorted(p.relative_to(edition) for p in edition.rglob("*.ipynb")) == released
    assert not (edition / "course" / "grading").exists()
    assert not (edition / "course" / "publish.py").exists()
    assert (edition / "runtime.txt").read_text().strip() == "python-3.11"
    assert BINDER in (edition / "README.md").read_text()
    pyproject = (edition / "pyproject.toml").read_text()
    assert "[project]" in pyproject
    assert "course-grade" not in pyproject and "nbgrader" not in pyproject
    assert "nbgrader" not in (edition / "requirements.txt").read_text()


def test_every_key_and_solution_is_looked_for(edition: Path):
    """Are the secrets parsed from source/ (one key per graded item, solution lines) and is
    none of them in any file of the edition?"""
    wanted = publish.secrets(REPO / "source")
    items = {json.loads(line)["item"] for line in _graded_items()}
    keyed = {what.split("the key of ")[1].split(",")[0] for what in wanted.values()
             if "the key of " in what}
    assert keyed == items
    from course.grading.score import expectation

    versions = [(expected["item"], version, found["key"])
                for path in (REPO / "source").rglob("*.ipynb")
                for cell in json.loads(path.read_text())["cells"]
                if (expected := expectation("".join(cell["source"])))
                for version, found in expected["variants"].items()]
    assert {(item, version) for item, version, _ in versions} == {
        (item, version) for item in items for version in content.variants(item)}
    assert len(versions) >= 3 * (len(items) - 1)  # three versions of all but the capstone
    for item, version, key in versions:  # each version's key, as code and as a record
        shown = publish.normal(json.dumps(key))
        assert {f"{item},{shown}", f"{item},answer:{shown}"} <= wanted.keys(), (item, version)
    assert sum("solution line" in what for what in wanted.values()) > len(items)
    assert publish.leaks(edition, REPO / "source") == []
    scanned = [p for p in edition.rglob("*") if p.is_file()]
    assert len(scanned) > 90


def _graded_items() -> list[str]:
    """Every item a source notebook's hidden test checks, as JSON lines (from the notebooks,
    independently of course.publish's parser)."""
    found = []
    for path in (REPO / "source").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            if "### BEGIN HIDDEN TESTS" in text and "expect(" in text:
                item = text.split("expect(", 1)[1].split(",", 1)[0].strip().strip("'\"")
                found.append(json.dumps({"item": item}))
    return found


def private_copy(tmp_path: Path) -> Path:
    """What course-publish reads of the instructor's repository, copied."""
    root = tmp_path / "private"
    root.mkdir()
    for name in (*publish.EDITION_PATHS, "course", "source", "edition", "pyproject.toml"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, root / name)
    return root


def test_a_released_gallery_is_a_page_of_the_edition(tmp_path: Path):
    """Once released (python -m course.gallery --release), the gallery is in the edition."""
    from course import capstone, gallery

    root = private_copy(tmp_path)
    shared = capstone.template("serverless-photos", author="zq-student")
    folder = tmp_path / "submitted" / "zq-student" / "10-capstone"
    folder.mkdir(parents=True)
    (folder / "my-architecture.json").write_text(json.dumps(shared))
    (tmp_path / "agreed.txt").write_text("zq-student\n")
    gallery.main([str(tmp_path / "submitted"), "--consent", str(tmp_path / "agreed.txt"),
                  "--release", str(root)])
    publish.publish(root, tmp_path / "public")
    page = (tmp_path / "public" / "release" / "gallery" / "gallery.html").read_text()
    assert shared["title"] in page and "by Student 1" in page and "zq-student" not in page
    assert (tmp_path / "public" / "release" / "gallery" / "gallery.ipynb").exists()


def test_a_leaked_key_stops_publishing(tmp_path: Path):
    """Does course-publish refuse (and leave nothing) when release/ carries an answer, given
    as code or saved as a widget record?"""
    root = private_copy(tmp_path)
    notebook_path = root / "release" / "01-model" / "01-model.ipynb"
    notebook = json.loads(notebook_path.read_text())
    solution = next(c for c in json.loads((root / "source" / "01-model" / "01-model.ipynb")
                                          .read_text())["cells"]
                    if "### BEGIN SOLUTION" in "".join(c["source"]))
    notebook["cells"].append(solution)
    notebook_path.write_text(json.dumps(notebook))
    with pytest.raises(publish.LeakError, match=r"01-model\.ipynb: solution line"):
        publish.publish(root, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []

    notebook["cells"].pop()
    notebook["cells"][-1]["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {
        "application/json": {"item": "cp-01-rds-engine", "answer": "AWS"}}}]
    notebook_path.write_text(json.dumps(notebook, indent=1))
    with pytest.raises(publish.LeakError, match="the key of cp-01-rds-engine"):
        publish.publish(root, tmp_path / "out")


def test_publishing_again_replaces_the_edition_and_keeps_its_git(tmp_path: Path):
    out = tmp_path / "public"
    assert course_publish(str(out)).returncode == 0
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "release" / "old-notebook.ipynb").write_text("{}")
    assert course_publish(str(out)).returncode == 0
    assert (out / ".git" / "HEAD").exists()
    assert not (out / "release" / "old-notebook.ipynb").exists()
    other = tmp_path / "not-an-edition"
    other.mkdir()
    (other / "thesis.tex").write_text("mine")
    refused = course_publish(str(other))
    assert refused.returncode == 1
    assert "holds no student edition" in refused.stderr
    assert (other / "thesis.tex").read_text() == "mine"


def test_edition_notebooks_run_with_its_own_package(edition: Path):
    """nbval on every notebook of the edition, importing the edition's course package."""
    env = {**os.environ, "PYTHONPATH": str(edition), "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run([sys.executable, "-c", "import course; print(course.__file__)"],
                           env=env, cwd=edition, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == edition / "course" / "__init__.py"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "release"],
        env=env, cwd=edition, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
