"""Where a student's work outlives the kernel: the course's folder (progress, answer caches)
and the notebook the kernel runs, in JupyterLab and in JupyterLite alike.

JupyterLite's kernel (Pyodide, in the browser) has a home folder that lives in memory and
no ``JPY_SESSION_NAME``; its ``/drive`` is the site's browser storage, which survives a
reload and a browser restart, and its working folder is the notebook's. Elsewhere nothing
without a Jupyter Server session (nbgrader, nbval) counts as the student's notebook: the
grader's kernel must take answers from the notebook's code only."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

LITE_DRIVE = Path("/drive")
FOLDER = ".aws-srm-course"


def in_lite() -> bool:
    """Whether this kernel runs in JupyterLite (Pyodide, with the site's browser storage)."""
    return sys.platform == "emscripten" and LITE_DRIVE.is_dir()


def folder() -> Path:
    """The course's folder: in the browser's storage under JupyterLite, else in the home."""
    return (LITE_DRIVE if in_lite() else Path.home()) / FOLDER


def notebook() -> Path | None:
    """The notebook this kernel runs: as Jupyter Server (JupyterLab, Binder) names it, or in
    JupyterLite the course's layout, ``<name>/<name>.ipynb`` in the working folder."""
    here = Path.cwd()
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        candidates = [Path(session), here / Path(session).name]
    elif in_lite():
        candidates = [here / f"{here.name}.ipynb"]
    else:
        candidates = []
    return next((path for path in candidates if path.is_file()), None)


def pack_work(target: str | os.PathLike = "my-work.zip") -> Path:
    """Write one zip of the student's work: every notebook of the course's folders (the
    parent of this notebook's folder) and the progress file, to download and keep."""
    from . import progress

    out = Path(target).resolve()
    notebooks = sorted(path for path in Path.cwd().parent.rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in path.parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in notebooks:
            archive.write(path, path.relative_to(Path.cwd().parent).as_posix())
        if progress.path().is_file():
            archive.write(progress.path(), "progress.json")
    return out
