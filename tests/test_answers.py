"""Restoring answers in a new kernel: the newer of the saved notebook and the answer cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import answers, identity, records

ITEM = "cp-01-rds-engine"


@pytest.fixture
def new_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notebook path as Jupyter Server gives it, and a kernel that remembers nothing yet."""
    notebook = tmp_path / "01-model.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    monkeypatch.setattr(answers, "_answers", {})
    monkeypatch.setattr(answers, "_times", {})
    monkeypatch.setattr(answers, "_versions", {})
    monkeypatch.setattr(identity, "student", lambda: None)
    answers._restored.cache_clear()
    yield notebook
    answers._restored.cache_clear()


def save(notebook: Path, answer: str, at: float) -> None:
    output = {"output_type": "display_data", "data": records.bundle(ITEM, answer, at),
              "metadata": {}}
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [output]}]}))


def cache(answer: str, at: float) -> None:
    path = answers._cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({ITEM: {"answer": answer, "at": at}}))


def test_an_answer_given_after_the_last_save_wins(new_kernel: Path):
    save(new_kernel, "Customer", at=100.0)
    cache("AWS", at=200.0)
    assert answers.recorded(ITEM) == "AWS"


def test_a_notebook_saved_after_the_cache_wins(new_kernel: Path):
    """A notebook edited elsewhere and brought back is newer than this machine's cache."""
    save(new_kernel, "Shared", at=300.0)
    cache("AWS", at=200.0)
    assert answers.recorded(ITEM) == "Shared"


def student_with(version: str) -> str:
    """A class id whose version of ITEM is ``version``."""
    return next(who for n in range(1000) if identity.variant(ITEM, who := f"s{n}") == version)


@pytest.mark.parametrize("where", ["notebook", "cache"])
def test_an_answer_to_another_version_is_set_aside_not_shown_as_this_ones(
        new_kernel: Path, monkeypatch: pytest.MonkeyPatch, where: str):
    """Walk finding 2: answered before the class id was saved (the default version), then the
    id gives this student another version: that answer is not theirs to this question."""
    save(new_kernel, "AWS", at=100.0)  # stamped with version a: no class id yet
    if where == "cache":
        answers._cache_path().parent.mkdir(parents=True, exist_ok=True)
        answers._cache_path().write_text(json.dumps(
            {ITEM: {"answer": "AWS", "at": 200.0, "variant": "a"}}))
    answers._restored.cache_clear()
    assert answers.recorded(ITEM) == "AWS" and not answers.for_another_version(ITEM)
    monkeypatch.setattr(identity, "student", lambda: student_with("b"))
    assert answers.recorded(ITEM) is None and answers.for_another_version(ITEM)
    monkeypatch.setattr(identity, "student", lambda: student_with("a"))
    assert answers.recorded(ITEM) == "AWS" and not answers.for_another_version(ITEM)


def test_an_invalid_restored_answer_is_ignored(new_kernel: Path):
    save(new_kernel, "Nobody", at=100.0)
    assert answers.recorded(ITEM) is None


def test_without_jupyter_server_nothing_is_restored(new_kernel: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    """Under nbgrader or nbval there is no session: answers come from the notebook's code."""
    save(new_kernel, "AWS", at=100.0)
    monkeypatch.delenv("JPY_SESSION_NAME")
    answers._restored.cache_clear()
    assert answers.recorded(ITEM) is None and answers._cache_path() is None


def test_a_re_run_ask_cell_replaces_its_listener(new_kernel: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    """Running an ``ask`` cell again keeps one listener per item: the newest widget follows
    code answers, the old one is let go."""
    from course import checkpoint

    monkeypatch.setattr(answers, "_listeners", {})
    checkpoint.ask(ITEM)
    first = answers._listeners[ITEM]
    checkpoint.ask(ITEM)
    checkpoint.ask(ITEM)
    assert len(answers._listeners) == 1 and answers._listeners[ITEM] is not first
    checkpoint.answer(ITEM, "Shared")
    assert answers.recorded(ITEM) == "Shared"
