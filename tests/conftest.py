"""Shared test set-up: no test touches the real user's progress file, and fixtures can tell
whether their test failed (to keep artifacts such as screenshots)."""

from __future__ import annotations

from pathlib import Path

import pytest

# The browser tests' fixtures (JupyterLab, Chromium, artifacts on failure).
pytest_plugins = ["lab_browser"]


@pytest.fixture(autouse=True)
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the course's progress store at a fresh temporary file."""
    target = tmp_path / "home" / "progress.json"
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(target))
    return target


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item as ``rep_setup``/``rep_call``/``rep_teardown``."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
