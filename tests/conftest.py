"""Shared test set-up: no test touches the real user's progress file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the course's progress store at a fresh temporary file."""
    target = tmp_path / "home" / "progress.json"
    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(target))
    return target
