"""What a student sees when a graded item is unanswered or an answer is mistyped, in a real
kernel: an unanswered item is no error at all (nbgrader still reads it as 0 points); a
mistyped answer is one calm line, no traceback, and the cell fails."""

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


def test_an_unanswered_item_is_no_error_but_scores_zero_for_nbgrader(tmp_path):
    unanswered, _wrong_option, _wrong_owner, answered = run(tmp_path)
    (result,) = unanswered
    assert result["output_type"] == "execute_result"
    assert result["data"]["text/plain"] == "0.0"
    assert "cp-01" not in result["data"]["text/html"]
    assert [o["output_type"] for o in answered] == ["display_data"]  # the record, no score


def test_each_mistake_is_one_line_without_a_traceback_and_the_cell_fails(tmp_path):
    _unanswered, wrong_option, wrong_owner, answered = run(tmp_path)
    for outputs, ename, says in [
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
    failed = Validator().validate(str(release))["failed"]
    items = ["cp-01-rds-engine", "cp-01-customer-side", "cp-01-webshop-matrix"]
    assert [item for item in items for f in failed if f'require_answer("{item}")' in f["source"]
            ] == items
    assert all("passed some but not all of the tests" in f["raw_error"] for f in failed)


def test_nbgrader_validation_passes_once_every_item_is_answered(tmp_path):
    import nbformat

    release = REPO / "release" / "01-model" / "01-model.ipynb"
    nb = nbformat.read(release, as_version=4)
    solutions = {"cp-01-rds-engine": '"AWS"', "cp-01-customer-side": '["Patching the hypervisor"]',
                 "cp-01-webshop-matrix": '{"ssh-rule": "AWS"}'}
    for cell in nb.cells:
        for item, value in solutions.items():
            if cell.source.startswith(f'ask("{item}")'):
                cell.source = f'answer("{item}", {value})'
    path = tmp_path / "01-model.ipynb"
    nbformat.write(nb, path)
    assert Validator().validate(str(path)) == {}
