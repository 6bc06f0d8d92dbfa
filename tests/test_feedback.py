"""The feedback page students get, made by the real ``nbgrader generate_feedback`` with the
course's template: options and rows marked, links in "Why" clickable, no nbgrader clutter,
and the reveal policy."""

from __future__ import annotations

import re

import pytest
from course_copy import REPO, CourseCopy, with_answers_as_code, with_recorded_answers

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
# A saved answer the grader cannot use (a tampered record, or one saved for another version).
UNUSABLE = {"cp-04-ec2-layers": ["Not a layer"]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> CourseCopy:
    """The same answers, autograded revealing answers (student "True") and not ("False")."""
    course = CourseCopy(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    submission = with_recorded_answers(with_answers_as_code(release, ANSWERS), UNUSABLE)
    for reveal in ("True", "False"):
        course.submit(reveal, ASSIGNMENT, submission)
        course.nbgrader("autograde", ASSIGNMENT, "--force", f"--student={reveal}",
                        f"--ScoreRecordedAnswers.reveal={reveal}")
    return course


@pytest.fixture(scope="module")
def pages(graded: CourseCopy) -> dict[str, str]:
    """The feedback page of the same answers, graded revealing answers and not."""
    course, found = graded, {}
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
    """Walk finding 7: an unanswered row says so once, in words, and names the right owner
    only when answers are revealed (not "you said nothing, answer AWS. (not answered)")."""
    html = pages["True"]
    assert re.search(r"✔ [^<]*another Availability Zone[^<]*: You said Customer\. "
                     r'<span class="course-state">\(right\)</span>', html)
    assert re.search(r"✘ [^<]*: Not answered\. Right owner: AWS\.(?! <span)", html)
    for clutter in ("you said nothing", "(not answered)", "answer AWS"):
        assert clutter not in html, clutter
    assert re.search(r"✘ [^<]*: Not answered\.(?! Right owner)", pages["False"])


def test_the_page_is_the_title_and_the_graded_part(pages):
    """Walk finding 7: none of the lesson around the graded part (the Run All banner, the
    tutor, practice, the hand-in check, the Next button whose link is dead beside the
    feedback file, the helper box for answering in code, each answer cell's copy of the
    question and its "Saved: …" line, which the card repeats); the title first, then the
    graded checkpoint's heading and the cards."""
    for html in pages.values():
        for lesson in ("Run All Cells", "Step through it with the tutor", "Practice checks",
                       "Before you hand in", "Key takeaways", "Where next", "Next:",
                       "05-infrastructure.ipynb", "About 25 minutes", "Answer in code instead",
                       "Saved: "):
            assert lesson not in html, lesson
        title = html.index("4 · Service types: where the line moves")
        assert title < html.index("Graded checkpoint") < html.index('class="course-feedback"')


def test_each_card_is_labelled_as_the_summary_names_it(pages):
    """Walk finding 7: "Checkpoint 1" in the score list, and over its card."""
    for html in pages.values():
        labels = re.findall(r'<h3 class="course-checkpoint">Checkpoint (\d)</h3>', html)
        assert labels == ["1", "2", "3", "4"]
        cards = html.split('<h3 class="course-checkpoint">')[1:]  # each label, then its card
        assert [card.count('class="course-feedback"') for card in cards] == [1, 1, 1, 1]


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
    assert "Right owner" not in html and ": Not answered." in html
    assert "(your choice, wrong)" in html and html.count(">AWS source</a>") >= 4
    assert "launches ordinary EC2 instances" not in html  # the Beanstalk item, answered wrong
    assert "launches ordinary EC2 instances" in pages["True"]


def test_an_unusable_answer_is_told_in_plain_words_and_its_cause_to_the_instructor(graded,
                                                                                   pages):
    """Walk finding 7: the student reads what happened and what it cost, not a Python list,
    an item id and an ``answer(...)`` example; the instructor's report keeps the cause."""
    from course.grading import report

    for html in pages.values():
        assert html.count("Your saved answer does not fit this version of the question") == 1
        for technical in ("could not be used", "Not a layer", "each option exactly once",
                          "Allowed:", "For example", "answer(", "cp-04-ec2-layers"):
            assert technical not in html, technical
    autograded = graded.root / "autograded" / "True" / ASSIGNMENT
    (found,) = [p.problem for p in report.findings(report.notebooks(autograded), "True", None)]
    assert found.startswith("recorded answer unusable: cp-04-ec2-layers: ['Not a layer']")


def test_the_graded_part_is_chosen_by_cell_metadata_not_wording():
    """The capstone keeps its hand-graded answer cell and drops the builder; a notebook with
    no graded cell (00, 11) is left whole; a title needs the ``course-opening`` tag."""
    import nbformat

    from course.grading import KeepGradedPart

    def kept(name: str) -> list[str]:
        nb = nbformat.read(REPO / "release" / name / f"{name}.ipynb", as_version=4)
        return [cell.source for cell in KeepGradedPart().preprocess(nb, {})[0].cells]

    capstone = kept("10-capstone")
    assert capstone[0].startswith("# 10 · Capstone") and "\n" not in capstone[0]
    assert any(s.startswith("my_architecture = builder.value") for s in capstone)
    assert not any("capstone.builder(" in s or "Before you hand in" in s for s in capstone)
    whole = nbformat.read(REPO / "release" / "11-glossary" / "11-glossary.ipynb", as_version=4)
    assert kept("11-glossary") == [cell.source for cell in whole.cells]
