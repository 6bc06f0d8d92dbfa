"""The ordering kind through the real nbgrader pipeline (04-service-types): a perfect
student earns every point, a partly right order earns exactly its share of neighbouring
pairs, and the same order given by clicking the widget's buttons in a real kernel scores
the same as typed in code."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from course_copy import CourseCopy, answer_cells, with_answers_as_code, with_recorded_answers
from nbclient import NotebookClient

pytestmark = pytest.mark.pipeline

ASSIGNMENT, ITEM = "04-service-types", "cp-04-ec2-layers"
PHYSICAL, HYPERVISOR = "Physical security of the data centers", "Hypervisor (virtualization layer)"
GUEST, APP, DATA = ("Guest operating system on the instances", "Web application on the instances",
                    "Order data in the database")
# Neighbouring pairs: physical-hypervisor, hypervisor-guest, guest-data right; data-app
# wrong: 3 of 4, so 2 points * 3/4.
PARTIAL = [PHYSICAL, HYPERVISOR, GUEST, DATA, APP]
# From the order shown (data, guest, physical, app, hypervisor) to PARTIAL: (row, button).
CLICKS = [(2, "up"), (1, "up"), (4, "up"), (3, "up"), (2, "up"), (2, "down")]
DEEP = "x"
for _ in range(300):  # as deep as nbformat still reads (course-grade salvages deeper files)
    DEEP = [DEEP]
RIGHT = {"cp-04-beanstalk-instances": "In the customer's own account, where it can see them"}
CLICK = f'''
import ipywidgets
from course.kinds.ordering import OrderList
(order,) = [w for w in list(ipywidgets.Widget.widgets.values()) if isinstance(w, OrderList)]
for row, button in {CLICKS!r}:
    order.children[row].children[0 if button == "up" else 1].click()
'''


def clicked(release: dict, tmp_path: Path) -> dict:
    """The release notebook with the widget's buttons clicked in a real kernel, saved the
    way JupyterLab saves it (the clicking cell removed): only the record output remains."""
    notebook = json.loads(json.dumps(release))
    cell = next(c for c in answer_cells(notebook) if f'ask("{ITEM}")' in "".join(c["source"]))
    position = notebook["cells"].index(cell) + 1
    notebook["cells"].insert(position, nbformat.v4.new_code_cell(CLICK))
    run = nbformat.reads(json.dumps(notebook), as_version=4)
    NotebookClient(run, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    assert not [o for o in run.cells[position].outputs if o.output_type == "error"]
    del run.cells[position]
    return json.loads(nbformat.writes(run))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    course.submit("perfect", ASSIGNMENT, course.notebook("source", ASSIGNMENT))
    course.submit("partial-code", ASSIGNMENT, with_answers_as_code(release, {ITEM: PARTIAL}))
    course.submit("partial-widget", ASSIGNMENT,
                  clicked(release, tmp_path_factory.mktemp("kernel")))
    course.submit("deep", ASSIGNMENT, with_recorded_answers(release, {ITEM: DEEP, **RIGHT}))
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    return course


def test_a_perfect_order_earns_full_points(graded: CourseCopy):
    assert graded.cell_scores("perfect", ASSIGNMENT)["test_04_ec2_layers"] == 2.0


def test_a_partial_order_earns_its_share_of_right_neighbouring_pairs(graded: CourseCopy):
    assert graded.cell_scores("partial-code", ASSIGNMENT)["test_04_ec2_layers"] == 1.5


def test_the_order_clicked_in_the_widget_scores_as_the_same_order_in_code(graded: CourseCopy):
    widget = graded.cell_scores("partial-widget", ASSIGNMENT)
    assert widget["test_04_ec2_layers"] == 1.5
    assert widget == graded.cell_scores("partial-code", ASSIGNMENT)


def test_a_deeply_nested_answer_scores_zero_with_its_reason_and_the_rest_counts(
        graded: CourseCopy):
    scores = graded.cell_scores("deep", ASSIGNMENT)
    assert scores["test_04_ec2_layers"] == 0.0 and scores["test_04_beanstalk_instances"] == 1.0
    notebook = json.loads((graded.root / "autograded" / "deep" / ASSIGNMENT
                           / f"{ASSIGNMENT}.ipynb").read_text())
    problems = [o["metadata"]["aws_srm_course"]["problem"] for c in notebook["cells"]
                for o in c.get("outputs", []) if "aws_srm_course" in o.get("metadata", {})]
    assert [p for p in problems if "nested more than 8 levels deep" in p]


def test_feedback_marks_each_pair(graded: CourseCopy):
    graded.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    html = (graded.root / "feedback" / "partial-widget" / ASSIGNMENT / f"{ASSIGNMENT}.html"
            ).read_text()
    assert f"✘ {DATA}, then {APP}" in html and f"✔ {PHYSICAL}, then {HYPERVISOR}" in html


def test_statistics_count_the_orders_the_scorer_saw(graded: CourseCopy):
    from course.grading.stats import ItemStatistics

    results = ItemStatistics(graded.root).compute(ASSIGNMENT)
    (ordering,) = [r for r in results if r.item == ITEM]
    assert (ordering.students, ordering.right, ordering.wrong_count) == (4, 1, 2)
    assert ordering.most_common_wrong == " → ".join(PARTIAL)
    rows = [r for r in results if r.item == "cp-04-line-moves" and r.row]
    assert len(rows) == 6 and all(r.students == 4 for r in rows)
