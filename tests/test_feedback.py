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
    "cp-04-beanstalk-instances": ("In an account owned by AWS, which the customer can neither "
                                  "see nor log in to"),
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
    assert "Right answer: In the customer" in html and "s own account, where it can" in html


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
    """Issue 16.9: no "Comments: No response.", no grade-cell ids, no "(Top)" links, no
    In/Out prompts, no code the notebook hides (widget calls, the import, hidden tests),
    no score printed as a test cell's output, and one score format."""
    for html in pages.values():
        for clutter in ("No response.", "Comments:", "Grade cell", "test_04_", "(Top)",
                        "Student&#39;s answer", "Student's answer", "In&nbsp;[", "Out[",
                        "from course import", "require_answer", "expect(", "<pre>0.",
                        "Score: "):
            assert clutter not in html, clutter
        assert html.count('class="course-feedback"') == 4
        assert re.search(r"04-service-types: [\d.]+ of 8 points</h4>", html)
        assert "Checkpoint 1: 0 of 1 point</li>" in html


def test_partial_credit_shows_its_sum_and_links_read_aws_source(pages):
    html = pages["True"]
    total = '0 of 2 points</strong> <span class="course-sum">(+1 \N{MINUS SIGN}1 = 0)</span>'
    assert total in html
    assert "rows right" in html
    assert not re.search(r">https?://", html), "a raw address as link text"
    assert '>AWS source</a>' in html


def test_without_reveal_only_right_or_wrong_and_no_why_that_tells(pages):
    """Review point 54: the explanation of a wrongly answered item names its right answer."""
    html = pages["False"]
    assert "Right answer" not in html and "missed: this one is right" not in html
    assert "answer AWS" not in html and "you said nothing" in html
    assert "(your choice, wrong)" in html and html.count(">AWS source</a>") >= 4
    assert "launches ordinary EC2 instances" not in html  # the Beanstalk item, answered wrong
    assert "launches ordinary EC2 instances" in pages["True"]
