"""``course-stats`` end to end on a small class graded by real ``nbgrader autograde``: the
CSV, the JSON file and the chart agree with each other and with the gradebook, and a blank
notebook is not counted as an attempt."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from xml.etree import ElementTree

import pytest
from course_copy import BIN, CourseCopy, item_keys, with_recorded_answers

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
CELLS = {"cp-01-rds-engine": "test_rds_engine", "cp-01-customer-side": "test_customer_side",
         "cp-01-webshop-matrix": "test_webshop_matrix"}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    keys = item_keys(course.notebook("source", ASSIGNMENT))
    wrong = {"cp-01-rds-engine": "Shared", "cp-01-customer-side": ["Patching the hypervisor"],
             "cp-01-webshop-matrix": {row: "N/A" for row in keys["cp-01-webshop-matrix"]}}
    course.submit("right", ASSIGNMENT, with_recorded_answers(release, keys))
    course.submit("wrong", ASSIGNMENT, with_recorded_answers(release, wrong))
    course.submit("mixed", ASSIGNMENT, with_recorded_answers(
        release, {**wrong, "cp-01-rds-engine": keys["cp-01-rds-engine"]}))
    course.submit("blank", ASSIGNMENT, release)
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    return course


def test_course_stats_writes_what_the_gradebook_says(course: CourseCopy):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([str(BIN / "course-stats"), "*", "--root", str(course.root)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{ASSIGNMENT}: item analysis")  # '*': the gradebook's
    assert "0 flagged for a look" in done.stdout  # 3 students: too few for any flag
    folder = course.root / "stats"
    with open(folder / f"{ASSIGNMENT}-items.csv") as file:
        table = list(csv.DictReader(file))
    data = json.loads((folder / f"{ASSIGNMENT}-items.json").read_text())
    assert [(r["item"], r["variant"], r["row"]) for r in table] == [
        (r["item"], r["variant"], r["row"]) for r in data["items"]]
    assert data["settings"]["min_students"] == 10
    whole = {r["item"]: r for r in data["items"] if not r["row"] and not r["variant"]}
    assert set(whole) == set(CELLS)
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"].get("points")
              for c in course.notebook("source", ASSIGNMENT)["cells"]
              if "nbgrader" in c["metadata"]}
    for item, cell in CELLS.items():
        scores = [course.cell_scores(student, ASSIGNMENT)[cell]
                  for student in ("right", "wrong", "mixed")]
        full = sum(score == points[cell] for score in scores)
        assert (whole[item]["students"], whole[item]["right"]) == (3, full), item
        assert whole[item]["difficulty"] == pytest.approx(sum(scores) / 3 / points[cell],
                                                          abs=1e-4)
    rds = whole["cp-01-rds-engine"]
    assert sum(rds["choices"].values()) == pytest.approx(1.0, abs=1e-3)
    assert rds["discrimination"] is not None
    svg = ElementTree.parse(folder / f"{ASSIGNMENT}-items.svg").getroot()
    assert "cp-01-rds-engine: difficulty" in svg.find("{http://www.w3.org/2000/svg}desc").text
