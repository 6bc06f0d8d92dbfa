"""Each step of ``course-grade`` around nbgrader on its own, without kernels: progress and
summary, the report read from autograded notebooks, the export, zip collect, and the worker
pool (the end-to-end runs are test_safe_grading, test_untrusted_files and test_scale)."""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.api import Gradebook
from traitlets.config import Config

from course.grading import ExecuteInSandbox, SafeExtractor, parallel, progress, report
from course.grading.batch import GradeAssignment
from course.grading.collect import CollectZips
from course.grading.execute import CELL_TIMEOUT, KERNEL_DIED, NOTEBOOK_TIMEOUT, RAN, STOPPED
from course.grading.student import Graded, GradeStudent
from course.grading.triage import Problem
from course.grading.truncate import RUN_BYTES, TRUNCATED, TruncateLargeOutputs


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_log_is_a_few_lines_that_end_with_the_total():
    """In a log (not a terminal) the bar is written when it starts and ends, not at every
    notebook, with counts, rate and time left."""
    stream = io.StringIO()
    with progress.bar(1000, stream=stream) as bar:
        for _ in range(1000):
            bar.update(1)
    lines = [line for line in stream.getvalue().replace("\r", "\n").splitlines() if line]
    assert len(lines) <= 3, lines
    assert "1000/1000 notebooks" in lines[-1] and "notebooks/s" in lines[-1]
    assert "left" in lines[-1] and "#" * 24 in lines[-1]


def test_progress_on_a_terminal_is_redrawn_in_place():
    stream = Terminal()
    with progress.bar(4, stream=stream) as bar:
        bar.update(2)
        bar.refresh()
    text = stream.getvalue()
    assert "\n" not in text.rstrip("\n") and text.count("\r") >= 2
    assert "2/4 notebooks" in text and "4/4" not in text


def test_quiet_grading_writes_nothing():
    stream = io.StringIO()
    with progress.bar(4, quiet=True, stream=stream) as bar:
        bar.update(4)
    assert stream.getvalue() == ""


def test_the_summary_says_how_many_ran_in_a_kernel_and_how_many_failed():
    line = progress.summary(notebooks=10, skipped=4, failed=1, seconds=5.0, workers=2)
    assert line == ("graded 10 notebooks in 00:05 (2.00 notebooks/s); 6 run in a kernel, "
                    "4 unchanged from the release (no kernel needed); 1 could not be graded "
                    "with 2 workers")
    assert "could not" not in progress.summary(3, 0, 0, 0.0, 1)


# ---- the report: read from the autograded notebooks' metadata and outputs

def autograded(tmp_path: Path, *cells, kernel: bool = True) -> Path:
    nb = new_notebook(cells=list(cells), metadata={RAN: {"kernel": kernel}})
    folder = tmp_path / "autograded" / "ann" / "a"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"nb{len(list(folder.iterdir()))}.ipynb")
    return folder


def error(ename: str):
    return new_output("error", ename=ename, evalue="", traceback=[])


def stopped(source: str, why: str):
    """A cell as the grader leaves one it stopped: its mark, and the error it wrote."""
    return new_code_cell(source, metadata={STOPPED: why}, outputs=[error(why)])


def test_the_report_lists_what_each_cell_went_through(tmp_path: Path):
    cut = new_code_cell("print('x' * 10**7)", metadata={TRUNCATED: 123})
    folder = autograded(tmp_path, stopped("1", CELL_TIMEOUT), stopped("2", KERNEL_DIED), cut,
                        stopped("3", NOTEBOOK_TIMEOUT), stopped("4", NOTEBOOK_TIMEOUT),
                        # errors the student's code raised under those names: not rows
                        new_code_cell("5", outputs=[error("CellTimeoutError"),
                                                    error(KERNEL_DIED)]))
    found = report.findings(report.notebooks(folder), "ann", 20)
    problems = [(p.notebook, p.problem) for p in found]
    assert problems == [("nb0.ipynb", "cell 1 ran past the 20 s limit"),
                        ("nb0.ipynb", "cell 2 stopped the kernel"),
                        ("nb0.ipynb", "cell 3 printed 123 bytes too many"),
                        ("nb0.ipynb", "the notebook ran past its time limit "
                                      "(ExecuteInSandbox.notebook_timeout) at cell 4")]


def test_the_report_counts_the_notebooks_graded_without_a_kernel(tmp_path: Path):
    autograded(tmp_path, new_code_cell("1"), kernel=False)
    autograded(tmp_path, new_code_cell("1"), kernel=True)
    folder = autograded(tmp_path, new_code_cell("1"), kernel=False)
    assert report.unchanged(report.notebooks(folder)) == 2
    assert report.findings(report.notebooks(folder), "ann", 20) == []


def test_the_report_files_hold_every_problem_and_score(tmp_path: Path):
    problem = Problem("=cmd", "nb.ipynb", "cell 1 ran past the 20 s limit", "interrupted it")
    run = {"scores": {"a": {"=cmd": None, "bo": 3.0}}, "pending": {"a": {}},
           "problems": report.rows("a", [problem])}
    csv_file, json_file = report.write(run, tmp_path / "r")
    assert json.loads(json_file.read_text())["scores"] == {"a": {"=cmd": None, "bo": 3.0}}
    assert csv_file.read_text().splitlines()[1].startswith("a,'=cmd,nb.ipynb,")


def test_the_terms_report_keeps_other_assignments_and_students(tmp_path: Path):
    """Does grading 02 (or one student of 01 again) keep the other rows of the term?"""
    stem = tmp_path / "r"
    first = {"scores": {"01": {"ann": 1.0, "bo": 2.0}}, "pending": {"01": {"bo": ["x"]}},
             "problems": report.rows("01", [Problem("ann", "*", "old", "-"),
                                            Problem("bo", "*", "kept", "-")])}
    report.write(report.merged(stem, first, {("01", "ann"), ("01", "bo")}), stem)
    again = {"scores": {"01": {"ann": 5.0}, "02": {"cy": 3.0}}, "pending": {"01": {}, "02": {}},
             "problems": report.rows("02", [Problem("cy", "*", "new", "-")])}
    report.write(report.merged(stem, again, {("01", "ann"), ("02", "cy")}), stem)
    saved = json.loads(stem.with_suffix(".json").read_text())
    assert saved["scores"] == {"01": {"ann": 5.0, "bo": 2.0}, "02": {"cy": 3.0}}
    assert saved["pending"] == {"01": {"bo": ["x"]}, "02": {}}
    assert [(r["assignment"], r["problem"]) for r in saved["problems"]] == [
        ("01", "kept"), ("02", "new")]


# ---- skipping the kernel: what the release records is configuration, not process state

def course(tmp_path: Path, code: str = 'ask("q")') -> tuple[Config, Path]:
    release = tmp_path / "release" / "a" / "nb.ipynb"
    release.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_code_cell(code)]), release)
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.ExecuteInSandbox.skip_unchanged = True
    return config, release


RESOURCES = {"nbgrader": {"assignment": "a", "notebook": "nb"}}


@pytest.mark.parametrize(("records", "code", "skipped"), [
    (False, 'ask("q")', True),  # the release records nothing, the code is the release's
    (True, 'ask("q")', False),  # the release itself records an answer when run
    (None, 'ask("q")', False),  # not learnt (course-grade could not run the release)
    (False, 'ask("q")\nimport os', False),  # the student's own code
])
def test_a_notebook_is_graded_without_a_kernel_only_when_nothing_new_could_run(
        tmp_path: Path, records, code, skipped):
    config, release = course(tmp_path)
    if records is not None:
        config.ExecuteInSandbox.release_records = {str(release.resolve()): records}
    execute = ExecuteInSandbox(config=config)
    nb = new_notebook(cells=[new_code_cell(code)])
    assert execute.runs_nothing_new(nb, RESOURCES) is skipped
    if skipped:  # no kernel is started: the fact travels in the notebook's metadata
        nb, _ = execute.preprocess(nb, copy.deepcopy(RESOURCES))
        assert nb.metadata[RAN] == {"kernel": False}


def test_output_counts_a_submission_wrote_into_its_cells_are_not_trusted(tmp_path: Path):
    """The grader counts dropped output in cell metadata; a submission that put its own
    count there ("abc", or a billion kept bytes) must not reach the feedback or report."""
    config, release = course(tmp_path)
    config.ExecuteInSandbox.release_records = {str(release.resolve()): False}
    forged = new_code_cell('ask("q")', metadata={TRUNCATED: "abc", RUN_BYTES: 10**9})
    nb, resources = ExecuteInSandbox(config=config).preprocess(
        new_notebook(cells=[forged]), copy.deepcopy(RESOURCES))
    nb, _ = TruncateLargeOutputs().preprocess(nb, resources)
    assert nb.cells[0].outputs == [] and TRUNCATED not in nb.cells[0].metadata
    assert RUN_BYTES not in nb.cells[0].metadata


# ---- worker processes: each task rebuilt from what it is sent, one failure stops nothing

def echo_pid(name: str) -> tuple[str, int]:
    if name == "boom":
        raise ValueError(name)
    return name, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_give_every_result_and_the_exception_of_a_failed_task(jobs: int):
    results = dict(parallel.run(echo_pid, [("a",), ("boom",), ("b",)], jobs))
    assert set(results) == {("a",), ("boom",), ("b",)}
    assert isinstance(results["boom",], ValueError)
    assert results["a",][0] == "a" and results["b",][0] == "b"
    assert (results["a",][1] == os.getpid()) is (jobs == 1)


def test_the_student_step_reaches_a_worker_as_its_configuration(tmp_path: Path):
    config, _ = course(tmp_path)
    config.ExecuteInSandbox.release_records = {"x": False}
    step = GradeStudent(config=config)
    copied = pickle.loads(pickle.dumps(step.grade)).__self__
    assert copied is not step and copied.api is not step.api
    assert copied.config == config and copied.notebooks("a") == 1
    assert len(pickle.dumps(step)) < 10_000  # the configuration, not the API's sessions


# ---- zip collect

def test_zip_collect_files_each_download_under_its_student_and_refuses_links(tmp_path: Path):
    config, release = course(tmp_path)
    config.FileNameCollectorPlugin.named_regexp = (
        r".*/(?P<student_id>[^_/]+)_[0-9]+_(?P<file_id>[^/]+)$")
    config.ZipCollectApp.extractor_plugin = SafeExtractor
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with zipfile.ZipFile(downloads / "all.zip", "w") as archive:
        archive.writestr("ann_1_nb.ipynb", release.read_text())
    (downloads / "bo_2_nb.ipynb").symlink_to(release)
    refused = CollectZips(config=config).collect("a", downloads)
    assert [(p.notebook, "symbolic link" in p.problem) for p in refused] == [
        ("bo_2_nb.ipynb", True)]
    assert (tmp_path / "submitted" / "ann" / "a" / "nb.ipynb").read_text() == release.read_text()
    assert not (tmp_path / "submitted" / "bo").exists()


# ---- the orchestrator, with a student step that starts no kernel (a Type trait, as in
# nbgrader's plugins)

class StubStudent(GradeStudent):
    """Writes what autograde would: a notebook whose metadata says whether a kernel ran."""

    def grade(self, assignment: str, student: str) -> Graded:
        if student == "crash":
            raise RuntimeError("worker died")
        folder = self.path(self.coursedir.autograded_directory, student, assignment)
        folder.mkdir(parents=True)
        if student == "garbled":
            (folder / "nb.ipynb").write_text("{not json")
        else:
            nbformat.write(new_notebook(metadata={RAN: {"kernel": student != "widgets"}},
                                        cells=[stopped("1", KERNEL_DIED)]),
                          folder / "nb.ipynb")
        return Graded(assignment, student, [], self.notebooks(assignment), failed=False)

    def calibrate(self, assignment: str) -> dict[str, bool]:
        return {}


def test_the_orchestrator_reads_each_students_facts_back_and_nothing_stops_it(
        tmp_path: Path, capsys):
    course(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("")
    for student in ("ann", "widgets", "crash", "garbled", "bad*"):
        (tmp_path / "submitted" / student / "a").mkdir(parents=True)
    overrides = Config()
    overrides.CourseDirectory.root = str(tmp_path)
    overrides.Exchange.root = str(tmp_path / "exchange")
    overrides.SandboxProvisioner.sandbox = False
    overrides.GradeAssignment.student_class = StubStudent
    overrides.GradeAssignment.jobs = 2
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("a")
    outcome = GradeAssignment(tmp_path, overrides).grade("a")
    problems = {(p.student, p.problem.split(" (")[0]) for p in outcome.problems}
    assert problems == {("bad*", "the student folder's name holds glob characters"),
                        ("ann", "cell 1 stopped the kernel"),
                        ("widgets", "cell 1 stopped the kernel"),
                        ("crash", "grading failed"),
                        ("garbled", "autograded notebooks unreadable")}
    assert outcome.summary.startswith("graded 4 notebooks in ")
    assert outcome.summary.endswith("notebooks/s); 3 run in a kernel, 1 unchanged from the "
                                    "release (no kernel needed); 1 could not be graded with "
                                    "2 workers")
    assert capsys.readouterr().err.strip().endswith(outcome.summary)
    report_file = json.loads((tmp_path / "grading-report.json").read_text())
    assert len(report_file["problems"]) == 5 and report_file["scores"] == {"a": {"bad*": None}}
    assert {row["assignment"] for row in report_file["problems"]} == {"a"}
