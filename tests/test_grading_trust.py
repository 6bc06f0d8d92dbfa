"""Review findings on grading honesty: what the grader takes from a submission's records
is only the answers; who the answer was given to and which version they saw is derived
by the grader, never read from what the student's kernel (or an editor) wrote."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from course import content, identity
from course.grading import copied_answers, report, stats
from course.grading.harvest import METADATA_KEY
from course.grading.rubric import html as rubric_html
from course.grading.score import ScoreRecordedAnswers
from course.grading.variants import StudentVariants

ITEM = "cp-01-rds-engine"
REPO = Path(__file__).resolve().parents[1]


def scorer(student: str, recorded: dict[str, str | None], policy: str) -> ScoreRecordedAnswers:
    step = ScoreRecordedAnswers(other_student=policy, no_student=policy)
    step.student = student
    step.own = StudentVariants(parent=step)
    step.recorded_as = {ITEM: recorded}
    return step


def another_version(than: str) -> str:
    return next(v for v in content.variants(ITEM) if v != than)


def test_a_record_with_no_class_id_is_scored_on_version_a_whatever_variant_it_claims():
    """A student with no class id was shown version a; a record claiming another version
    was edited, and must not let its author pick the version (and so the key) scored."""
    claimed = another_version("a")
    version, policy, _ = scorer("zoe", {"student": None, "variant": claimed},
                                "recorded").version(ITEM)
    assert (version, policy) == ("a", "recorded")


def test_the_recorded_policy_derives_the_version_from_the_named_student():
    """'recorded' scores the version the named student was given, as the grader derives
    it from their id, not the version the record says."""
    theirs = identity.variant(ITEM, "alice")
    claimed = another_version(theirs)
    version, _, _ = scorer("zoe", {"student": "alice", "variant": claimed},
                           "recorded").version(ITEM)
    assert version == theirs


def autograded(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}}


def scored_cell(item: str, given: str, full: bool, test: bool = True) -> dict:
    """A cell with the output ``ScoreRecordedAnswers`` writes (or, not a test cell, the same
    output displayed by the student's own code when the grader re-ran it)."""
    meta = {"item": item, "score": 6.0 if full else 0.0, "points": 6.0, "answer": given,
            "given": given, "student": "mallory", "variant": "a", "own_variant": "a",
            "recorded_as": {}, "identity_problem": ""}
    nbgrader = {"grade": True, "solution": False, "grade_id": f"test_{item}", "points": 6}
    return {"cell_type": "code", "source": "", "metadata": {"nbgrader": nbgrader} if test else {},
            "outputs": [{"output_type": "display_data", "data": {"text/plain": ""},
                         "metadata": {METADATA_KEY: meta}}]}


def test_only_the_graders_own_outputs_count_as_scored_answers():
    """Student code runs again at autograde and can display an output shaped like the
    scorer's: in a cell of its own it must not replace the scored answer that the copying
    report, the item statistics and the grading report read (it would hide a copy)."""
    nb = autograded(scored_cell(ITEM, "Customer", full=False),
                    scored_cell(ITEM, "made up", full=True, test=False))
    assert [(a.item, a.given) for a in copied_answers.scored(nb, "01-model")] == [
        (ITEM, "Customer")]
    assert [r.answer for r in stats.scored_answers(nb, "mallory")] == ["Customer"]
    blank = autograded(scored_cell(ITEM, None, full=False),
                       scored_cell(ITEM, "made up", full=True, test=False))
    assert any("no answers recorded" in p.problem
               for p in report.unanswered({"01-model": blank}, "mallory"))


def formgrader_page(nb: dict) -> str:
    """``nb`` as nbgrader's formgrader shows it to the instructor: its exporter, with the
    course's nbgrader_config.py and the formgrader's own template."""
    from nbconvert.exporters import HTMLExporter
    from nbformat import from_dict
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    shown = Config()
    shown.HTMLExporter.template_name = "formgrade"
    shown.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.merge(shown)
    resources = {"assignment_id": "10-capstone", "notebook_id": "10-capstone",
                 "submission_id": "s", "index": 0, "total": 1, "base_url": "/",
                 "student": "mallory", "last_name": "", "first_name": "", "notebook_path": "p"}
    html, _ = HTMLExporter(config=config).from_notebook_node(from_dict(nb), resources=resources)
    return html


def test_the_formgrader_runs_no_script_a_submission_wrote():
    """The instructor grades the capstone in the formgrader, a page of the Jupyter server
    itself: a script there acts as the instructor (their API token is a cookie away: files,
    terminals, the gradebook). A submission's markdown, and the outputs its code displays
    when autograde runs it, must reach that page as text, not as script."""
    payload = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "x",
               "outputs": [{"output_type": "display_data", "metadata": {}, "data": {
                   "application/javascript": "window.PWNED_JS = 1", "text/plain": "x"}},
                           {"output_type": "display_data", "metadata": {}, "data": {
                               "text/html": "<img src=x onerror='window.PWNED_IMG=1'>"
                                            "<script>window.PWNED_SCRIPT=1</script>",
                               "text/plain": "y"}}]}
    markdown = {"cell_type": "markdown", "metadata": {},
                "source": "Hello <img src=x onerror='window.PWNED_MD=1'>"}
    rubric = {"cell_type": "code", "execution_count": 2, "metadata": {}, "source": "y",
              "outputs": [{"output_type": "display_data", "metadata": {}, "data": {
                  "text/html": rubric_html("capstone_architecture"), "text/plain": "r"}}]}
    html = formgrader_page({"cells": [markdown, payload, rubric], "metadata": {},
                            "nbformat": 4, "nbformat_minor": 5})
    live = Live()
    live.feed(html)
    assert [code for code in live.code if "PWNED" in code] == []
    assert "formgrade" in html and "Hello" in html  # the page itself, and the student's text
    start = html.index('class="course-rubric')  # the course's own output keeps its markup
    assert "&lt;" not in html[start:html.index("</table>", start)]


class Live(HTMLParser):
    """What a browser would run in a page: script bodies and attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.code: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        self.code += [value or "" for _name, value in attrs]

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.code.append(data)


def run_ungraded(config, *cells, student: str = "zoe"):
    """``cells`` run by the grader's executor outside the sandbox (no nbgrader around it)."""
    import nbformat
    from nbformat.v4 import new_notebook

    from course.grading.execute import ExecuteInSandbox

    config.SandboxProvisioner.sandbox = False
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    step = ExecuteInSandbox(config=config)
    return step.preprocess(nbformat.from_dict(nb), {"nbgrader": {"student": student}})[0]


def test_the_grading_kernel_never_runs_as_the_instructor(tmp_path, monkeypatch):
    """Outside the sandbox the grading kernel gets the grader's environment: the
    instructor's own hub user (or class id) must not become the submitter's identity, or
    code answers are checked against the instructor's versions."""
    from nbformat.v4 import new_code_cell
    from traitlets.config import Config

    monkeypatch.setenv(identity.HUB, "the-instructor")
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    (tmp_path / "identity.json").write_text('{"student": "the-instructor"}')
    config = Config()
    config.StudentVariants.enabled = False
    nb = run_ungraded(config, new_code_cell("from course import edition, identity\n"
                                            "print(identity.student(), edition.hub_user())"))
    assert nb.cells[0].outputs[0]["text"].strip() == "None None"


def test_only_what_the_executor_stopped_is_a_report_row(tmp_path):
    """Student code raising exceptions named as the grader's own, or a submission carrying
    the grader's cell mark, puts no row in the report (nor, through it, in the feedback);
    a cell the executor itself interrupted does."""
    from nbformat.v4 import new_code_cell
    from traitlets.config import Config

    from course.grading.execute import CELL_TIMEOUT, KERNEL_DIED, STOPPED

    config = Config()
    config.ExecuteInSandbox.timeout = 2
    forged = [new_code_cell(f"class {name}(Exception): pass\nraise {name}('made up')")
              for name in ("CellTimeoutError", KERNEL_DIED, "NotebookTimeout")]
    marked = new_code_cell("1", metadata={STOPPED: KERNEL_DIED})
    nb = run_ungraded(config, *forged, marked, new_code_cell("import time; time.sleep(60)"),
                      new_code_cell("print('after')"))
    assert [o.get("ename") for c in nb.cells[:3] for o in c.outputs] == [
        "CellTimeoutError", KERNEL_DIED, "NotebookTimeout"]
    assert nb.cells[4].metadata[STOPPED] == CELL_TIMEOUT
    assert nb.cells[5].outputs[0]["text"] == "after\n"
    found = report.findings({"nb.ipynb": nb}, "zoe", 2)
    assert [p.problem for p in found] == ["cell 5 ran past the 2 s limit"]
