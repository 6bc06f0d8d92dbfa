"""The code is ruff-clean (the rules are in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "course", "tests", "benchmarks",
                           "nbgrader_config.py"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
