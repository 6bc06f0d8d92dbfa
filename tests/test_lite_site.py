"""course/lite.py without a build: what makes a site self-contained, and which versions the
kernel gets (the build itself is driven in tests/test_lite.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import lite

REPO = Path(__file__).resolve().parents[1]


def site_with(tmp_path: Path, pyodide_url: str = "./static/pyodide/pyodide.mjs",
              file_name: str = "../../static/pyodide-lock/course.whl",
              fallback: bool = True) -> Path:
    lock = tmp_path / "static" / "pyodide-lock"
    lock.mkdir(parents=True)
    (lock / "course.whl").write_bytes(b"")
    (lock / "pyodide-lock.json").write_text(json.dumps(
        {"packages": {"course": {"file_name": file_name}}}))
    kernel = {"disablePyPIFallback": fallback, "pyodideUrl": pyodide_url,
              "loadPyodideOptions": {"lockFileURL": "./static/pyodide-lock/pyodide-lock.json",
                                     "packages": [lite.PACKAGE]}}
    (tmp_path / "jupyter-lite.json").write_text(json.dumps(
        {"jupyter-config-data": {"litePluginSettings": {lite.KERNEL_PLUGIN: kernel}}}))
    return tmp_path


def test_a_site_with_everything_local_passes(tmp_path: Path):
    lite.check_offline(site_with(tmp_path))


@pytest.mark.parametrize(("change", "said"), [
    ({"pyodide_url": "https://cdn.example/pyodide.mjs"}, "pyodideUrl"),
    ({"file_name": "https://files.example/course.whl"}, "package course"),
    ({"file_name": "../../static/pyodide-lock/missing.whl"}, "package course"),
    ({"fallback": False}, "PyPI fallback is on"),
])
def test_a_site_that_would_fetch_from_outside_is_refused(tmp_path: Path, change, said):
    with pytest.raises(lite.BuildError, match=said):
        lite.check_offline(site_with(tmp_path, **change))


def test_the_kernel_gets_the_students_pinned_versions():
    """requirements.txt's pins win; the kernel's own packages are never pinned."""
    pins = lite.pins(REPO / "requirements.txt")
    for line in (REPO / "requirements.txt").read_text().splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if version and name not in lite.KERNEL_OWN:
            assert pins[name] == version.strip()
    assert not set(lite.KERNEL_OWN) & set(pins)
