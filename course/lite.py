"""``course-publish DIR --lite``: the student edition as a JupyterLite site, the whole course
in the browser (JupyterLab and a Pyodide kernel from static files), for any static host.

Built from the edition only (its ``release/`` and its ``course`` package), never from
``source/``. Everything a student's browser loads is in the site: JupyterLab with the widget
extensions, the Pyodide core (the npm package ``pyodide``, at the version the kernel pins),
and the course with every dependency as wheels preloaded in the kernel (no ``%pip`` cell; any
other ``%pip install`` fails at once instead of reaching PyPI). The build reaches only the
package registries: PyPI for the wheels (solved by jupyterlite-pyodide-kernel's
``PyodideLockAddon``, pinned to the versions of this environment, which ``requirements.txt``
installed) and npm for the Pyodide core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import urllib.parse
from importlib import metadata
from pathlib import Path
from typing import Any

SITE = "docs"
"""The site's folder in the edition: GitHub Pages serves a repository's ``docs/`` as it is."""
PACKAGE = "aws-shared-responsibility-course"
EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "anywidget",
              "@jupyterlite/pyodide-kernel-extension")
"""The JupyterLab extensions students need (not nbgrader's, which the instructor has)."""
KERNEL_OWN = ("ipykernel", "pyodide-kernel", "piplite", "widgetsnbextension")
"""Packages the Pyodide kernel brings in its own (browser) versions: never pinned here."""
NO_PURE_WHEEL = ("markupsafe",)
"""Dependencies whose PyPI wheels are all compiled: built pure from their sdist instead."""
PYODIDE_CACHE = Path(".cache", "pyodide")
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
LITE_SETTINGS: dict[str, Any] = {
    "appName": "AWS Shared Responsibility course",
    "litePluginSettings": {KERNEL_PLUGIN: {"disablePyPIFallback": True}},
    # as postBuild does for JupyterLab: no copy/move/delete icons on the cell Run All leaves active
    "disabledExtensions": ["@jupyterlab/cell-toolbar-extension"],
}
OVERRIDES = Path(__file__).with_name("data") / "jupyterlab-overrides.json"
"""JupyterLab settings for students, as postBuild installs them for JupyterLab; the site gets
them as its ``settingsOverrides`` (JupyterLite 0.x ignores ``startMode``: its shell stays in
the multiple-document interface, measured)."""


class BuildError(RuntimeError):
    """The site could not be built, or would fetch something from outside itself."""


def pyodide_core(root: Path) -> Path:
    """The npm package ``pyodide`` at the kernel's version, installed into ``root``'s cache
    (``npm install``) on first use."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    prefix = root / PYODIDE_CACHE
    core = prefix / "node_modules" / "pyodide"
    package = core / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == PYODIDE_VERSION:
        return core
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(f"the Pyodide core comes from npm: install npm, or run `npm install "
                         f"--prefix {prefix} pyodide@{PYODIDE_VERSION}` where npm is")
    _run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
          f"pyodide@{PYODIDE_VERSION}"], "npm install pyodide")
    return core


def _run(command: list[str], what: str, **kwargs: Any) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise BuildError(f"{what} failed ({done.returncode}):\n{tail}")


def _core_without_packages(core: Path, into: Path) -> None:
    """Pyodide's core, its lock emptied: the kernel's addon solves the course's packages into
    it (left in, the lock's entries point at Pyodide's CDN)."""
    shutil.copytree(core, into, ignore=shutil.ignore_patterns(
        "*.map", "*.d.ts", "*.html", "package.json", "README.md"))
    lock_path = into / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["info"].setdefault("version", json.loads((core / "package.json").read_text())["version"])
    lock["packages"] = {}
    lock_path.write_text(json.dumps(lock), encoding="utf-8")


def _wheels(edition: Path, into: Path) -> None:
    """The course's wheel, built from the edition, and pure wheels of :data:`NO_PURE_WHEEL`."""
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(into)]
    _run([*pip, str(edition)], "building the course's wheel")
    pure = [f"{name}=={metadata.version(name)}" for name in NO_PURE_WHEEL]
    # Without a C compiler their setup falls back to the pure-Python build.
    _run([*pip, "--no-binary", ",".join(NO_PURE_WHEEL), *pure], "building pure wheels",
         env={**os.environ, "CC": "/bin/false"})


def pins(requirements: Path) -> dict[str, str]:
    """The versions the kernel gets: this environment's, with ``requirements.txt``'s pins
    first (both name the students' environment), less the kernel's own packages."""
    from packaging.utils import canonicalize_name

    found = {canonicalize_name(dist.metadata["Name"]): dist.version
             for dist in metadata.distributions()}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if version:
            found[canonicalize_name(name)] = version.strip()
    return {name: version for name, version in sorted(found.items())
            if name not in KERNEL_OWN and name != PACKAGE}


def _extensions(into: Path) -> None:
    share = Path(sysconfig.get_path("data"), "share", "jupyter", "labextensions")
    for name in EXTENSIONS:
        if not (share / name / "package.json").is_file():
            raise BuildError(f"JupyterLab extension {name} is not installed in {share}")
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        (into / name).symlink_to(share / name, target_is_directory=True)


def build(edition: Path, site: Path, root: Path) -> Path:
    """Build the JupyterLite site of ``edition`` into ``site`` (replaced); ``root`` holds the
    cache of the Pyodide core. Returns ``site``."""
    edition, site = edition.resolve(), site.resolve()
    core = pyodide_core(root.resolve())
    with tempfile.TemporaryDirectory(prefix="course-lite-") as tmp:
        work = Path(tmp)
        lite, wheels, extensions = work / "lite", work / "wheels", work / "extensions"
        for folder in (lite, wheels, extensions):
            folder.mkdir()
        _core_without_packages(core, lite / "static" / "pyodide")
        _wheels(edition, wheels)
        _extensions(extensions)
        (work / "constraints.txt").write_text("".join(
            f"{name}=={version}\n" for name, version in pins(edition / "requirements.txt").items()))
        (lite / "jupyter-lite.json").write_text(json.dumps(
            {"jupyter-lite-schema-version": 0,
             "jupyter-config-data": {**LITE_SETTINGS,
                                     "settingsOverrides": json.loads(OVERRIDES.read_text())}}))
        (lite / "jupyter_lite_config.json").write_text(json.dumps({
            "LiteBuildConfig": {
                "contents": [str(edition / "release")], "output_dir": str(site),
                "apps": ["lab"], "no_sourcemaps": True,
                "ignore_sys_prefix": ["federated_extensions"]},
            "FederatedExtensionAddon": {"extra_labextensions_path": [str(extensions)]},
            "PyodideLockAddon": {
                "enabled": True, "specs": [PACKAGE, "micropip"], "wheels": [str(wheels)],
                "constraints": [f"-r {work / 'constraints.txt'}"],
                "prefetch_extra": [PACKAGE]},
        }, indent=1))
        shutil.rmtree(site, ignore_errors=True)
        lite_app = Path(sys.executable).with_name("jupyter-lite")
        _run([str(lite_app), "build", "--lite-dir", str(lite)], "jupyter lite build", cwd=lite)
    (site / ".nojekyll").write_text("")  # GitHub Pages: serve _-prefixed folders as they are
    check_offline(site)
    return site


def check_offline(site: Path) -> None:
    """Refuse a site that would fetch anything from outside itself when a student opens it:
    the Pyodide core, its lock, and every package in the lock are the site's own files, and
    no package can come from PyPI at run time."""
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config.get("litePluginSettings", {}).get(KERNEL_PLUGIN, {})
    problems = [] if kernel.get("disablePyPIFallback") else ["PyPI fallback is on"]
    options = kernel.get("loadPyodideOptions", {})
    urls = {"pyodideUrl": kernel.get("pyodideUrl"), "lockFileURL": options.get("lockFileURL")}
    problems += [f"{key} is {url!r}" for key, url in urls.items()
                 if not url or urllib.parse.urlparse(url).scheme]
    lock = site / "static" / "pyodide-lock" / "pyodide-lock.json"
    if lock.is_file():
        for name, package in json.loads(lock.read_text())["packages"].items():
            url = urllib.parse.urlparse(package["file_name"])
            if url.scheme or not (lock.parent / url.path).resolve().is_file():
                problems.append(f"package {name} is at {package['file_name']}")
    else:
        problems.append("no pyodide-lock.json")
    if PACKAGE not in options.get("packages", []):
        problems.append("the course is not preloaded")
    if problems:
        raise BuildError("the site is not self-contained: " + "; ".join(problems))


def size(site: Path) -> tuple[int, int]:
    """The site's files and bytes."""
    files = [path for path in site.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)
