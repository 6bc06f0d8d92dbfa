"""Links between notebooks: every notebook ends with its previous, next and the start; the
start lists every notebook; the cells are current with the concepts' data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from course import content, nav

REPO = Path(__file__).resolve().parents[1]


def test_links_cells_are_current(tmp_path: Path):
    """Stale when a concept is added, renamed or reordered: run ``python -m course.nav``."""
    shutil.copytree(REPO / "source", tmp_path / "source")
    assert nav.write(tmp_path / "source") == []


def test_every_notebook_links_its_neighbours_and_the_start():
    titles = nav.notebooks()
    order = list(titles)
    concepts = [n for n in order if n in content.concepts()]
    assert concepts == list(content.concepts())
    for folder in ("source", "release"):
        for number, notebook in enumerate(order):
            last = nbformat.read(REPO / folder / notebook / f"{notebook}.ipynb", 4).cells[-1]
            targets = re.findall(r'(?:\]\(|href=")\.\./([^)"]+)', last.source)
            for target in targets:
                assert (REPO / folder / target).exists(), (folder, notebook, target)
            linked = {t.split("/")[0] for t in targets}
            neighbours = set(order[max(0, number - 1):number + 2]) - {notebook}
            assert neighbours | {order[0]} - {notebook} <= linked, (notebook, linked)
            if number == 0:
                assert linked == set(order[1:])
