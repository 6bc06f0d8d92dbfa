"""The cells every notebook gets from the course's data: its opening (title, time, what it
builds on, learning objectives), its key takeaways and, last, the way on (a Next button and links to
the previous notebook and the start; the start lists them all). Written as plain
markdown cells (they read before anything runs, and on GitHub); ``python -m course.nav``
rewrites them in source/ after the concepts change, and a test fails while they are stale.
(The "Go deeper" aside is drawn when its cell runs, course/deeper.py: it shows facts whose
sources and review dates change with every review of the services' data.)"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from . import content

SOURCE = Path(__file__).resolve().parents[1] / "source"
TAG = "course-nav"
OPENING = "course-opening"
TAKEAWAYS = "course-takeaways"
# The Next button: a link styled inline, since a markdown cell gets no course stylesheet
# (JupyterLab keeps these properties of a style attribute). White on #1d4ed8: 6.7:1.
BUTTON = ("display:inline-block;padding:0.45em 1.1em;border-radius:6px;"
          "background-color:#1d4ed8;color:#ffffff;font-weight:600;text-decoration:none")


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


def href(notebook: str) -> str:
    """Where a course notebook is, from the folder of any other (all sit one folder deep)."""
    return f"../{notebook}/{notebook}.ipynb"


def link(notebook: str, title: str) -> str:
    """A markdown link from one course notebook to another."""
    return f"[{notebook[:2]} · {title}]({href(notebook)})"


def opening(concept: str) -> str:
    """The first cell of a concept's notebook: its title, about how long it takes, what it
    builds on and what the student will be able to do after it."""
    info = content.concepts()[concept]
    titles = {c: content.concepts()[c]["title"] for c in info["prerequisites"]}
    builds_on = (", ".join(link(c, t) for c, t in titles.items()) if titles
                 else "nothing before it: start here")
    return "\n".join([
        f"# {int(concept[:2])} · {info['title']}", "",
        f"**About {info['minutes']} minutes** · Builds on {builds_on}", "",
        "**After this notebook you can:**", "",
        *[f"- {objective}" for objective in info["objectives"]],
    ])


def takeaways(concept: str) -> str:
    """The key takeaways of a concept's notebook, just before its way on."""
    points = content.concepts()[concept]["takeaways"]
    return "\n".join(["## Key takeaways", "", *[f"{n}. {p}" for n, p in enumerate(points, 1)]])


def markdown(notebook: str, titles: dict[str, str]) -> str:
    """The last cell of ``notebook``: a Next button, then the previous notebook and the start
    (with the whole mastery map), each on a line of its own so no title breaks away from its
    arrow; the start lists every notebook."""
    order = list(titles)
    here = order.index(notebook)
    if here == 0:
        minutes = {c: f" · about {info['minutes']} minutes"
                   for c, info in content.concepts().items()}
        return "\n".join(["## All notebooks", "",
                          *[f"- {link(nb, titles[nb])}{minutes.get(nb, '')}" for nb in order[1:]],
                          "", button(order[1], titles[order[1]])])
    lines = [button(order[here + 1], titles[order[here + 1]])] if here < len(order) - 1 else []
    lines += [f"- Previous: {link(order[here - 1], titles[order[here - 1]])}",
              f"- [All notebooks and your mastery map]({href(order[0])})"]
    return "\n".join(["## Where next", "", *lines])


def button(notebook: str, title: str) -> str:
    """A link to ``notebook`` that looks like the course's primary button."""
    return (f'<a href="{href(notebook)}" style="{BUTTON}">Next: {notebook[:2]} · {title} →</a>'
            "\n")


def _cell(source: str, tag: str, old: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = [tag]
    mine = [c for c in old if tag in c.metadata.get("tags", [])]
    if mine:
        cell.id = mine[-1].id
        cell.metadata = mine[-1].metadata  # other engineers' metadata (visibility) stays
    return cell


def write(source: Path = SOURCE) -> list[Path]:
    """Put the opening, takeaways and links cells in place in each source
    notebook (replacing older ones); returns the notebooks that changed."""
    titles = notebooks(source)
    concepts = content.concepts()
    generated = (TAG, OPENING, TAKEAWAYS)
    changed = []
    for notebook in titles:
        path = source / notebook / f"{notebook}.ipynb"
        book = nbformat.read(path, as_version=4)
        rest = [c for c in book.cells
                if not set(generated) & set(c.metadata.get("tags", []))]
        top, end = [], [_cell(markdown(notebook, titles), TAG, book.cells)]
        if notebook in concepts:
            top = [_cell(opening(notebook), OPENING, book.cells)]
            end.insert(0, _cell(takeaways(notebook), TAKEAWAYS, book.cells))
        cells = [*top, *rest, *end]
        if [(c.source, c.metadata) for c in cells] == [(c.source, c.metadata)
                                                       for c in book.cells]:
            continue
        book.cells = cells
        nbformat.write(book, path)
        changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE):
        print(f"updated {path}; regenerate its release with nbgrader generate_assignment")
