"""Build a class gallery of shared capstone architectures: one offline HTML page with the
cards of the students who agreed to share and a summary of where they disagreed about who
owns what; a student's own page adds their card beside the class's disagreements.

Usage: python -m course.gallery FOLDER [FOLDER ...] --consent agreed.txt -o gallery.html
FOLDER is searched for capstone exports (*.json) and for notebooks recording one; in
nbgrader's layout (submitted/<student>/<assignment>/) the folder names the student.
Consent is the instructor's step: agreed.txt lists, one per line, the students who agreed to
share; no one else's architecture is shown or counted. Authors are shown as "Student N"
unless --names is given. A malformed architecture is a skipped card saying why."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema
from markupsafe import Markup

from . import content, pages, records
from .capstone import ITEM, SCHEMA, Card

RELEASE = "gallery"  # the assignment the gallery is released as


@dataclass
class Shared:
    """One architecture found in a class folder: whose it is, where it was, what it says."""

    student: str
    where: str
    architecture: dict[str, Any]


def collect(folders: list[Path]) -> list[Shared]:
    """Every architecture found under ``folders``: one per folder (an export before a
    notebook), in a stable order; an unnamed author is named by the student folder."""
    found: dict[Path, Shared] = {}
    for folder in folders:
        paths = sorted(folder.rglob("*"), key=lambda p: (str(p.parent), p.suffix != ".json"))
        for path in paths:
            architecture = None if path.parent in found else _read(path)
            if architecture is not None:
                student = path.parent.parent.name
                if not architecture.get("author"):
                    architecture = {**architecture, "author": student}
                found[path.parent] = Shared(student, str(path.relative_to(folder)), architecture)
    return list(found.values())


def _read(path: Path) -> dict[str, Any] | None:
    if path.suffix not in {".json", ".ipynb"} or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if path.suffix == ".ipynb":
        data = records.find(data).get(ITEM) if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return None
    return data


def problem(architecture: dict[str, Any]) -> str | None:
    """Why ``architecture`` does not fit the documented format (``None`` if it does)."""
    schema = json.loads((Path(__file__).parent / "schemas" / "capstone.json").read_text())
    try:
        fastjsonschema.validate(schema, architecture)
    except fastjsonschema.JsonSchemaException as error:
        return str(error.message)
    return None


def disagreements(architectures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks the class placed with more than one owner, most divided first."""
    owners: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for architecture in architectures:
        for row in architecture.get("matrix", []):
            if isinstance(row, dict) and {"service", "item", "owner"} <= set(row):
                owners[(row["service"], row["item"])][row["owner"]] += 1
    services, items = content.services(), content.items()
    split = []
    for (service, item), counts in owners.items():
        if len(counts) > 1:
            cell = services.get(service, {}).get("responsibilities", {}).get(item, {})
            split.append({"service": service, "item": item, "owners": dict(counts),
                          "task": items.get(item, {}).get("name", item),
                          "course": cell.get("owner", "?"), "contested": cell.get("contested")})
    return sorted(split, key=lambda s: -min(s["owners"].values()))


def select(shared: list[Shared], consented: set[str], names: bool = False
           ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The architectures of the ``consented`` students that fit the format (authors as
    "Student N" unless ``names``), and those that do not, each with where and why."""
    shown, skipped = [], []
    for entry in shared:
        if entry.student not in consented:
            continue
        reason = problem(entry.architecture)
        if reason is not None:
            skipped.append({"where": entry.where if names else "a classmate",
                            "reason": reason})
        else:
            author = entry.architecture["author"] if names else f"Student {len(shown) + 1}"
            shown.append({**entry.architecture, "author": author})
    return shown, skipped


def render(shown: list[dict[str, Any]], skipped: list[dict[str, str]], left_out: int,
           own: dict[str, Any] | None = None, page: bool = True) -> str:
    """The gallery (autoescaped template): ``own`` card first when given, the disagreements
    of ``shown``, their cards and the skipped ones; a whole page, or a notebook fragment."""
    card = lambda architecture: Markup(Card(architecture)._repr_html_())  # noqa: E731
    return pages.render(
        "gallery.html.j2",
        page=page, cards=[card(a) for a in shown], skipped=skipped, left_out=left_out,
        own=card({**own, "author": "you"}) if own else None,
        disagreements=disagreements(shown))


def build(shared: list[Shared], consented: set[str], names: bool = False,
          student: str | None = None) -> str:
    """The gallery page as one self-contained HTML document; ``student``'s own card first."""
    shown, skipped = select(shared, consented, names)
    own = next((entry.architecture for entry in shared if entry.student == student
                and problem(entry.architecture) is None), None)
    return render(shown, skipped, sum(e.student not in consented for e in shared), own)


def release(shared: list[Shared], consented: set[str], root: Path) -> Path:
    """Write the gallery as an assignment, ``release/gallery/`` of the course at ``root``,
    anonymised: the page, its data, and a notebook that shows it beside the student's own
    card. ``nbgrader release_assignment gallery`` hands it out; course-publish copies it."""
    import nbformat

    shown, skipped = select(shared, consented)
    folder = root / "release" / RELEASE
    folder.mkdir(parents=True, exist_ok=True)
    left_out = sum(entry.student not in consented for entry in shared)
    (folder / "gallery.json").write_text(json.dumps(
        {"architectures": shown, "skipped": skipped, "left_out": left_out}, indent=1),
        encoding="utf-8")
    (folder / "gallery.html").write_text(render(shown, skipped, left_out), encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            "# Class gallery\n\nThe architectures your classmates agreed to share (without "
            "names), the tasks the class disagreed on, and your own capstone architecture "
            "beside them. Run the cell below."),
        nbformat.v4.new_code_cell("from course import gallery\n\ngallery.show()")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "gallery.ipynb")
    return folder


class Page:
    """HTML shown in a notebook (with a plain-text fallback)."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def show(data: str = "gallery.json", mine: str = "../10-capstone/10-capstone.ipynb") -> Page:
    """The released gallery (``data``) with the architecture recorded in the student's own
    capstone notebook (``mine``) as their card beside the class's disagreements."""
    released = json.loads(Path(data).read_text(encoding="utf-8"))
    own = _read(Path(mine))
    if own is not None and problem(own) is not None:
        own = None
    shown = released["architectures"]
    text = (f"{len(shown)} shared architectures; yours: "
            f"{own.get('title') if own else 'none found in ' + mine}")
    return Page(render(shown, released["skipped"], released["left_out"], own, page=False),
                text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.gallery", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("gallery.html"))
    parser.add_argument("--consent", type=Path, required=True, metavar="FILE",
                        help="the students who agreed to share, one per line")
    parser.add_argument("--names", action="store_true", help="show authors' names")
    parser.add_argument("--student", help="a page for this student: their card first")
    parser.add_argument("--release", type=Path, metavar="ROOT", help="instead, write the "
                        "anonymous gallery as the assignment ROOT/release/gallery/")
    args = parser.parse_args(argv)
    consented = {line.strip() for line in args.consent.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")}
    shared = collect(args.folders)
    if args.release is not None:
        folder = release(shared, consented, args.release)
        print(f"{folder}: hand it out with `nbgrader release_assignment {RELEASE}`; "
              "course-publish copies it into the student edition")
        return 0
    args.output.write_text(build(shared, consented, args.names, args.student),
                           encoding="utf-8")
    shown = sum(entry.student in consented for entry in shared)
    print(f"{shown} of {len(shared)} architectures (the others not agreed to share) -> "
          f"{args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
