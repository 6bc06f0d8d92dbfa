"""How long each course notebook takes to execute headless in a fresh kernel.

Run: ./run nbgrader --version >/dev/null; .venv/bin/python benchmarks/notebooks.py
Prints seconds per notebook (kernel start included) and ``import course`` time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import course"], check=True)
    elapsed = time.perf_counter() - started
    print(f"python -c 'import course': {elapsed:.2f} s (interpreter start included)")
    for path in sorted([*REPO.glob("source/*/*.ipynb"), *REPO.glob("release/*/*.ipynb")]):
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(notebook, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        print(f"{path.relative_to(REPO)}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
