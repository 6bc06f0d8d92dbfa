"""The feedback page students get, made by the real ``nbgrader generate_feedback`` with the
course's template: options and rows marked, links in "Why" clickable, no nbgrader clutter,
and the reveal policy."""

from __future__ import annotations

import re

import pytest
from course_copy import REPO, CourseCopy, with_answers_as_code

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "04-service-types"
ARTIFACTS = REPO / "test-artifacts"
ANSWERS = {
    "cp-04-beanstalk-instances": "In an account owned by AWS that the customer cannot see",
    "cp-04-os-patching": ["A web app on EC2 instances launched from its own AMI",
                          "A database on Amazon RDS for MySQL"],
    "cp-04-line-moves": {"ec2-second-zone": "Customer", "s3-zones": "Customer"},
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The feedback page of the same answers, graded revealing answers and not."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    found = {}
    for reveal in ("True", "False"):
        course.submit(reveal, ASSIGNMENT, with_answers_as_code(release, ANSWERS))
        course.nbgrader("autograde", ASSIGNMENT, "--force", f"--student={reveal}",
                        f"--ScoreRecordedAnswers.reveal={reveal}")
    course.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for reveal in ("True", "False"):
        found[reveal] = (course.root / "feedback" / reveal / ASSIGNMENT / f"{ASSIGNMENT}.html"
                         ).read_text()
        (ARTIFACTS / f"feedback-reveal-{reveal}.html").write_text(found[reveal])
    return found


def test_each_option_is_marked_chosen_right_wrong_or_missed(pages):
    html = pages["True"]
    assert ("✔ A web app on EC2 instances launched from its own AMI "
            '<span class="course-state">(your choice, right)</span>') in html
    assert "✘ A database on Amazon RDS for MySQL" in html and "(your choice, wrong)" in html
    assert "◯ Containers on Amazon ECS with the EC2 launch type" in html
    assert "(missed: this one is right)" in html
    assert "Right answer: In the customer account" in html


def test_matrix_rows_are_marked_right_or_wrong(pages):
    assert re.search(r"✔ [^<]*second Availability Zone[^<]*: you said Customer, answer Customer",
                     pages["True"]) or "you said Customer, answer Customer" in pages["True"]
    assert "you said nothing, answer AWS" in pages["True"]


def test_web_addresses_in_why_are_links(pages):
    (link,) = set(re.findall(r'<a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/'
                             r'update-management.html"[^>]*>', pages["True"]))
    assert 'target="_blank"' in link and 'rel="noopener"' in link


def test_the_page_uses_the_courses_one_stylesheet(pages):
    """Issue 16.6: the feedback page's look comes from course.css, as every widget's does."""
    from course.widgets._style import css

    for html in pages.values():
        assert css() in html and ".course-feedback .course-marks" in css()


def test_no_nbgrader_clutter(pages):
    """No "Comments: No response." and no score printed as a test cell's output."""
    for html in pages.values():
        assert "No response." not in html and "Comments:" not in html
        for test in html.split("Grade cell: ")[1:]:
            cell = test.split('<div class="cell ')[0]
            assert "course-feedback" in cell and "Out[" not in cell and "<pre>0." not in cell


def test_without_reveal_only_right_or_wrong_and_the_explanation(pages):
    html = pages["False"]
    assert "Right answer" not in html and "missed: this one is right" not in html
    assert "answer AWS" not in html and "you said nothing" in html
    assert "(your choice, wrong)" in html and "update-management.html" in html
