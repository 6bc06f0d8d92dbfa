"""Shared test set-up: no test touches the real user's progress file, fixtures can tell
whether their test failed (to keep artifacts such as screenshots), and the longest test files
start first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# The browser tests' fixtures (JupyterLab, Chromium, artifacts on failure).
pytest_plugins = ["lab_browser"]

# Seconds each test file took in a whole run (benchmarks/suite.py --write); a file not listed
# yet counts as a middling one.
DURATIONS = json.loads((Path(__file__).parent / "durations.json").read_text())
UNLISTED_SECONDS = 30


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first: the two workers (pytest-xdist, --dist loadfile) take whole files
    in this order, so no long file starts last while the other worker has nothing left."""
    items.sort(key=lambda item: -DURATIONS.get(item.path.name, UNLISTED_SECONDS))


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
