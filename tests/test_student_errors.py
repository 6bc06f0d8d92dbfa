"""What a student sees when a graded item is unanswered or an answer is mistyped, in a real
kernel: one calm line, no traceback, and the cell still fails (for nbgrader and nbval)."""

from __future__ import annotations

from course_copy import REPO
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.validator import Validator

CELLS = [
    'from course import answer, require_answer\nrequire_answer("cp-01-rds-engine")',
    'answer("cp-01-rds-engine", "Amazon")',
    'answer("cp-01-webshop-matrix", {"ssh-rule": "Nobody"})',
    'answer("cp-01-rds-engine", "AWS")\nrequire_answer("cp-01-rds-engine")',
]


def run(tmp_path) -> list[list[dict]]:
    nb = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    NotebookClient(nb, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    return [cell.outputs for cell in nb.cells]


def test_each_mistake_is_one_line_without_a_traceback_and_the_cell_fails(tmp_path):
    unanswered, wrong_option, wrong_owner, answered = run(tmp_path)
    for outputs, ename, says in [
        (unanswered, "Unanswered", "Not answered yet: cp-01-rds-engine. Answer it"),
        (wrong_option, "InvalidAnswer",
         "Answer not recorded: cp-01-rds-engine: 'Amazon' is not one of the options. "
         "Allowed: one option, copied exactly: AWS | Customer | Shared. For example: "),
        (wrong_owner, "InvalidAnswer", "'Nobody', who is not an owner. Allowed: a dict from "),
    ]:
        (error,) = [o for o in outputs if o["output_type"] == "error"]
        assert error["ename"] == ename
        (line,) = error["traceback"]
        assert says in line and "Traceback" not in line and "File " not in line
        assert "\x1b[" not in line and "\n" not in line
    assert not [o for o in answered if o["output_type"] == "error"]


def test_nbgrader_validation_still_fails_an_unanswered_release_notebook():
    release = REPO / "release" / "01-model" / "01-model.ipynb"
    failed = Validator().validate(str(release))
    assert len(failed["failed"]) == 3
    assert all("Not answered yet" in "".join(f["error"]) for f in failed["failed"])
