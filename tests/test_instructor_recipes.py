"""docs/instructor-checklist.md's "Adding a graded item after students submitted", walked with
real nbgrader and course-grade runs: 01-model released, a submission graded, then an item
added to source/. nbgrader refuses to regenerate an assignment with submissions (and
``--force`` deletes release/<a> before it refuses); the recipe keeps release/ and gets the
new item graded (nbgrader issues #1646, #1699: remove the assignment from the gradebook)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess

import pytest
from course_copy import (
    BIN,
    NO_SANDBOX,
    REPO,
    CourseCopy,
    folder_digest,
    item_keys,
    with_answers_as_code,
)

pytestmark = pytest.mark.pipeline

MODEL = "01-model"
ADDED = "cp-02-nitro-firmware"  # a real item of 02-aws-side, added to 01-model
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def run(course: CourseCopy, *args: str) -> subprocess.CompletedProcess:
    command = [str(BIN / args[0]), *args[1:]]
    if args[0] in ("nbgrader", "course-grade"):
        command += NO_SANDBOX
    return subprocess.run(command, cwd=course.root, env=ENV, capture_output=True, text=True,
                          timeout=900)


def scores(course: CourseCopy) -> dict[str, tuple[str, str]]:
    with open(course.root / "grades.csv", newline="") as file:
        return {row["student_id"]: (row["score"], row["max_score"])
                for row in csv.DictReader(file) if row["assignment"] == MODEL}


def added_cells() -> list[dict]:
    """The answer cell and the test cell of ``ADDED`` in 02-aws-side's source."""
    source = json.loads((REPO / "source" / "02-aws-side" / "02-aws-side.ipynb").read_text())
    return [c for c in source["cells"]
            if "".join(c["source"]).startswith((f'ask("{ADDED}")', f'require_answer("{ADDED}")'))]


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", MODEL, "--force")
    keys = item_keys(course.notebook("source", MODEL))
    release = course.notebook("release", MODEL)
    course.submit("ann", MODEL, with_answers_as_code(release, keys))
    first = run(course, "course-grade", MODEL, "--quiet")
    steps = {"course": course, "first": first, "first_scores": scores(course)}
    # The instructor adds an item to the source notebook, after the last checkpoint.
    path = course.root / "source" / MODEL / f"{MODEL}.ipynb"
    source = json.loads(path.read_text())
    last = max(n for n, c in enumerate(source["cells"])
               if c["metadata"].get("nbgrader", {}).get("grade"))
    source["cells"][last + 1:last + 1] = added_cells()
    path.write_text(json.dumps(source))
    released = course.root / "release" / MODEL
    steps["release_digest"] = folder_digest(released)
    # What the README's always-`--force` does: refused, and release/<a> is gone.
    steps["plain_force"] = run(course, "nbgrader", "generate_assignment", MODEL, "--force")
    steps["release_after_plain_force"] = released.exists()
    shutil.rmtree(released, ignore_errors=True)
    shutil.copytree(REPO / "release" / MODEL, released)  # `git checkout -- release/<a>`
    steps["restored_digest"] = folder_digest(released)
    # The recipe: try into another folder (refused, release/ untouched) ...
    try_dir = course.root / "release-try"
    steps["try"] = run(course, "nbgrader", "generate_assignment", MODEL, "--force",
                       f"--CourseDirectory.release_directory={try_dir}")
    steps["digest_after_try"] = folder_digest(released)
    # ... remove the assignment from the gradebook, generate into the other folder, copy over.
    steps["remove"] = run(course, "nbgrader", "db", "assignment", "remove", MODEL, "--force")
    steps["try_again"] = run(course, "nbgrader", "generate_assignment", MODEL, "--force",
                             f"--CourseDirectory.release_directory={try_dir}")
    shutil.rmtree(released)
    shutil.copytree(try_dir / MODEL, released)
    # ann's old submission is graded again; bo hands in the new release, all answered.
    new_release = course.notebook("release", MODEL)
    answers = {**keys, **item_keys(source)}
    course.submit("bo", MODEL, with_answers_as_code(new_release, answers))
    steps["second"] = run(course, "course-grade", MODEL, "--quiet")
    steps["second_scores"] = scores(course)
    steps["report"] = json.loads((course.root / "grading-report.json").read_text())
    steps["new_release"] = new_release
    return steps


def test_the_first_grading_is_full_marks(walked: dict):
    assert walked["first"].returncode == 0, walked["first"].stderr[-2000:]
    assert walked["first_scores"] == {"ann": ("6.0", "6.0")}


def test_regenerating_in_place_is_refused_and_deletes_the_release(walked: dict):
    """What the checklist warns about, as nbgrader 0.9.6 does it."""
    refused = walked["plain_force"]
    assert refused.returncode != 0
    assert "Cannot add or remove cells" in refused.stdout + refused.stderr
    assert walked["release_after_plain_force"] is False
    assert walked["restored_digest"] == walked["release_digest"]


def test_trying_into_another_folder_leaves_release_untouched(walked: dict):
    refused = walked["try"]
    assert refused.returncode != 0
    assert "because there are submissions associated with it" in refused.stdout + refused.stderr
    assert walked["digest_after_try"] == walked["release_digest"]


def test_after_removing_the_assignment_the_new_item_is_released_and_graded(walked: dict):
    assert walked["remove"].returncode == 0, walked["remove"].stderr[-2000:]
    assert walked["try_again"].returncode == 0, walked["try_again"].stderr[-2000:]
    sources = ["".join(c["source"]) for c in walked["new_release"]["cells"]]
    assert any(s.startswith(f'ask("{ADDED}")') for s in sources)
    assert walked["second"].returncode == 0, walked["second"].stderr[-2000:]
    # ann handed in the old release: the new item's cells are restored empty and score 0;
    # bo answered it: full marks out of the new total.
    assert walked["second_scores"] == {"ann": ("6.0", "7.0"), "bo": ("7.0", "7.0")}
    (restored,) = [r for r in walked["report"]["problems"] if r["student"] == "ann"]
    assert "graded cells deleted" in restored["problem"] and "test_02_nitro_firmware" in \
        restored["problem"]
