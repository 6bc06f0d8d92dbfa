"""Build a class gallery of shared capstone architectures: one offline HTML page with every
card and a summary of where the class disagreed about who owns what.

Usage: python -m course.gallery FOLDER [FOLDER ...] -o gallery.html [--anonymise]
FOLDER is searched for capstone exports (*.json) and for notebooks recording one; in
nbgrader's layout (submitted/<student>/<assignment>/) the student id names the author."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from html import escape
from pathlib import Path
from typing import Any

from . import content, records
from .capstone import ITEM, SCHEMA, Card

_STYLE = ("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}"
          ".course-card{margin:1.5em 0}")


def collect(folders: list[Path]) -> list[dict[str, Any]]:
    """Every architecture found under ``folders``: one per folder (an export before a
    notebook), in a stable order; an unnamed author is named by the nbgrader student folder."""
    found: dict[Path, dict[str, Any]] = {}
    for folder in folders:
        paths = sorted(folder.rglob("*"), key=lambda p: (str(p.parent), p.suffix != ".json"))
        for path in paths:
            architecture = None if path.parent in found else _read(path)
            if architecture is not None:
                author = architecture.get("author") or path.parent.parent.name
                found[path.parent] = {**architecture, "author": author}
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


def disagreements(architectures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks the class placed with more than one owner, most divided first."""
    owners: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for architecture in architectures:
        for row in architecture.get("matrix", []):
            if isinstance(row, dict) and {"service", "item", "owner"} <= set(row):
                owners[(row["service"], row["item"])][row["owner"]] += 1
    services = content.services()
    split = []
    for (service, item), counts in owners.items():
        if len(counts) > 1:
            cell = services.get(service, {}).get("responsibilities", {}).get(item, {})
            split.append({"service": service, "item": item, "owners": dict(counts),
                          "course": cell.get("owner", "?"), "contested": cell.get("contested")})
    return sorted(split, key=lambda s: -min(s["owners"].values()))


def build(architectures: list[dict[str, Any]], anonymise: bool = False) -> str:
    """The gallery page as one self-contained HTML document."""
    cards = []
    for n, architecture in enumerate(architectures, 1):
        shown = dict(architecture)
        if anonymise:
            shown["author"] = f"Student {n}"
        cards.append(Card(shown)._repr_html_())
    rows = "".join(
        f"<tr><td>{escape(s['service'])}</td><td>{escape(s['item'])}</td>"
        f"<td>{escape(', '.join(f'{o}: {c}' for o, c in sorted(s['owners'].items())))}</td>"
        f"<td>{escape(s['course'])}{' (contested: ' + escape(s['contested']) + ')' if s['contested'] else ''}</td></tr>"  # noqa: E501
        for s in disagreements(architectures)
    )
    summary = ("<p>The class agreed on every task.</p>" if not rows else
               "<table><tr><th>Service</th><th>Task</th><th>Class said</th><th>Course data</th>"
               f"</tr>{rows}</table>")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Class gallery"
            f"</title><style>{_STYLE}</style></head><body><h1>Class gallery: shared security "
            f"architectures</h1><p>{len(architectures)} architectures.</p>"
            f"<h2>Where the class disagreed</h2>{summary}<h2>Architectures</h2>"
            f"{''.join(cards)}</body></html>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.gallery", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("gallery.html"))
    parser.add_argument("--anonymise", action="store_true", help="replace names by Student N")
    args = parser.parse_args(argv)
    architectures = collect(args.folders)
    args.output.write_text(build(architectures, args.anonymise), encoding="utf-8")
    print(f"{len(architectures)} architectures -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
