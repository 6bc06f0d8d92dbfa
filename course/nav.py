"""Links between the notebooks: each ends with its previous and next notebook and the start,
and the start lists them all. Written as plain markdown cells (they work before anything runs,
and on GitHub), from the concepts' data; ``python -m course.nav`` rewrites them in source/
after the concepts change, and a test fails while they are stale."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from . import content

SOURCE = Path(__file__).resolve().parents[1] / "source"
TAG = "course-nav"


def notebooks(source: Path = SOURCE) -> dict[str, str]:
    """Every notebook in course order (its folder name), with its title: the concept's title
    from the data, or the notebook's own heading for the start and the glossary."""
    titles = {}
    for folder in sorted(p for p in source.iterdir() if (p / f"{p.name}.ipynb").exists()):
        concept = content.concepts().get(folder.name)
        if concept:
            titles[folder.name] = concept["title"]
        else:
            cells = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4).cells
            heading = re.search(r"^# (.+)$", cells[0].source, re.MULTILINE)
            titles[folder.name] = heading.group(1) if heading else folder.name
    return titles


def link(notebook: str, title: str) -> str:
    """A markdown link from one course notebook to another (all sit one folder deep)."""
    return f"[{notebook[:2]} · {title}](../{notebook}/{notebook}.ipynb)"


def markdown(notebook: str, titles: dict[str, str]) -> str:
    """The last cell of ``notebook``: one row of links, previous, next and the start (with the
    whole mastery map); the start lists every notebook."""
    order = list(titles)
    here = order.index(notebook)
    if here == 0:
        return "\n".join(["## All notebooks", "",
                          *[f"- {link(nb, titles[nb])}" for nb in order[1:]], "",
                          f"- → Next: {link(order[1], titles[order[1]])}"])
    row = [f"← Previous: {link(order[here - 1], titles[order[here - 1]])}"]
    if here < len(order) - 1:
        row.append(f"→ Next: {link(order[here + 1], titles[order[here + 1]])}")
    start = f"../{order[0]}/{order[0]}.ipynb"
    row.append(f"↑\u00a0[Mastery map and all notebooks]({start})")  # the arrow stays with it
    return "**Where next:** " + " · ".join(row)


def write(source: Path = SOURCE) -> list[Path]:
    """Put the links cell at the end of each source notebook (replacing an older one);
    returns the notebooks that changed."""
    titles = notebooks(source)
    changed = []
    for notebook in titles:
        path = source / notebook / f"{notebook}.ipynb"
        book = nbformat.read(path, as_version=4)
        cells = [c for c in book.cells if TAG not in c.metadata.get("tags", [])]
        cell = nbformat.v4.new_markdown_cell(markdown(notebook, titles))
        cell.metadata["tags"] = [TAG]
        old = [c for c in book.cells if TAG in c.metadata.get("tags", [])]
        if old and old[-1].source == cell.source and book.cells[-1] is old[-1]:
            continue
        if old:
            cell.id = old[-1].id
        book.cells = [*cells, cell]
        nbformat.write(book, path)
        changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE):
        print(f"updated {path}; regenerate its release with nbgrader generate_assignment")
