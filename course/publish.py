"""``course-publish DIR``: write the student edition of the course, the public repository
that Binder builds and students clone, from the instructor's private one.

The edition holds exactly what students need: ``release/``, the ``course`` package without
the instructor's tools (``course/grading``, this module), the students' requirements,
``runtime.txt``, ``postBuild``, ``run``, ``LICENSE`` and a student README (``edition/README.md``);
``release/`` includes the class gallery once it was released (``release/gallery/``, written by
``python -m course.gallery --release``). Nothing of ``source/``: before finishing, every file
written is scanned for every key and solution of ``source/`` and the edition is refused
(removed) if one is found. Publishing again into the same folder replaces the previous
edition and keeps its ``.git``, so the public repository's history goes on.

``--assignments`` releases some notebooks only (week by week): every other one is a
one-cell page saying it is not released yet (``edition/unreleased.md``), in its place, so
every link (00-start-here's list, the mastery map, each Next button) still opens a page. A
notebook released in the edition already is never taken back silently."""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

from .widgets.mastery import UNRELEASED

# Copied as they are (files or folders), from the instructor's repository root.
EDITION_PATHS = ("release", "requirements.txt", "runtime.txt", "postBuild", "run", "LICENSE")
# Parts of the course package students never run: grading and publishing.
INSTRUCTOR_ONLY = ("grading", "publish.py", "lite.py")
# pyproject.toml tables the edition keeps (no instructor scripts, extras or tool settings).
STUDENT_TABLES = ("build-system", "project", "tool.setuptools")
MARKER = ".course-edition"
START = "00-start-here"  # always released: every link and the Binder address start there
LITE_URL = "https://{owner}.github.io/{name}/lab/index.html?path=00-start-here/00-start-here.ipynb"
"""The site on GitHub Pages (the edition's ``docs/``, see course/lite.py)."""
BINDER = ("https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/release/00-start-here/"
          "00-start-here.ipynb")

_REGION = {"hidden": re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S),
           "solution": re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)}
_NOISE = re.compile(r"[\s'\"\\]+|,(?=\s*[\])}])")


class LeakError(RuntimeError):
    """The edition would show students a key or a solution."""


def normal(text: str) -> str:
    """``text`` without whitespace, quotes, backslashes and trailing commas: one form for
    Python source, JSON (escaped or not) and wrapped lines alike."""
    return _NOISE.sub("", text)


def secrets(source: Path) -> dict[str, str]:
    """Everything in ``source/`` a student must not see, normalised, with where it is from:
    each hidden test's key (as ``item,key`` the way code gives it, and as a saved record),
    its explanations, and every line of the solutions that is not public anyway (shown
    outside them in the notebook, or an option of a checkpoint, as in answer lists)."""
    from . import content

    options: list[str] = []
    _strings(content.checkpoints(), options)
    found: dict[str, str] = {}
    for path in sorted(source.rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts = ["".join(cell["source"]) for cell in cells]
        public = normal("\n".join([_REGION["solution"].sub("", _REGION["hidden"].sub("", text))
                                   for text in texts] + options))
        for text in texts:
            for block in _REGION["hidden"].findall(text):
                found.update(_keys(block, f"{path.name}: hidden test"))
            for block in _REGION["solution"].findall(text):
                lines = {normal(line).strip(",()[]{}"): line.strip() for line in block.splitlines()}
                found.update({line: f"{path.name}: solution line {shown!r}"
                              for line, shown in lines.items()
                              if len(line) >= 16 and line not in public})
    return found


def _keys(block: str, where: str) -> dict[str, str]:
    """The keys and explanations of the ``expect(item, key, why=..., variant=...)`` calls in
    ``block`` (every version of every item)."""
    found = {}
    for node in ast.walk(ast.parse(block)):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "expect"
                and len(node.args) >= 2):
            item, key = (ast.literal_eval(arg) for arg in node.args[:2])
            version = next((ast.literal_eval(k.value) for k in node.keywords
                            if k.arg == "variant"), "a")
            plain = normal(json.dumps(key))
            found[f"{item},{plain}"] = f"{where}: the key of {item}, version {version}"
            found[f"{item},answer:{plain}"] = (f"{where}: the key of {item}, version {version}, "
                                               "as a record")
            whys: list[str] = []
            for keyword in node.keywords:
                if keyword.arg == "why":
                    _strings(ast.literal_eval(keyword.value), whys)
            found.update({normal(why): f"{where}: why of {item}" for why in whys
                          if len(normal(why)) >= 20})
    return found


def readable(path: Path) -> str:
    """A file's text as students could read it: a notebook's every string, else its text."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        strings: list[str] = []
        _strings(json.loads(text), strings)
        text += "\n".join(strings)
    return text


def _strings(value: Any, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict | list):
        for part in value.values() if isinstance(value, dict) else value:
            _strings(part, into)


def leaks(edition: Path, source: Path) -> list[str]:
    """Every secret of ``source`` found in a file under ``edition``, as ``file: what``."""
    wanted = secrets(source)
    found = []
    for path in sorted(edition.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(edition).parts:
            text = normal(readable(path))
            found += [f"{path.relative_to(edition)}: {what}"
                      for secret, what in wanted.items() if secret in text]
    return found


def student_pyproject(text: str) -> str:
    """The instructor's ``pyproject.toml`` cut to the tables students need."""
    kept, keep = [], True
    for line in text.splitlines(keepends=True):
        header = re.match(r"\[+([^\]]+)\]+\s*$", line)
        if header:
            keep = header.group(1).strip() in STUDENT_TABLES or header.group(1).startswith(
                "tool.setuptools.")
        if keep:
            kept.append(line)
    return "".join(kept).rstrip() + "\n"


def assignments(root: Path) -> list[str]:
    """The course's notebooks (nbgrader's assignments, the folders of ``source/``)."""
    return sorted(p.name for p in (root / "source").iterdir()
                  if (p / f"{p.name}.ipynb").is_file())


def chosen(root: Path, names: list[str]) -> list[str]:
    """The assignments ``names`` asks for (a folder name or its number, e.g. ``03``), with
    00-start-here; an unknown name is refused with the list of known ones."""
    known = assignments(root)
    picked = {START}
    for name in names:
        match = [a for a in known if name in (a, a[:2])]
        if not match:
            raise ValueError(f"--assignments: no assignment {name!r} (the course has: "
                             f"{', '.join(known)})")
        picked.update(match)
    return [a for a in known if a in picked]


def released(edition: Path) -> set[str]:
    """The notebooks an earlier edition in ``edition`` released (not its placeholders)."""
    found = set()
    for path in edition.glob("release/*/*.ipynb"):
        if path.stem == path.parent.name:
            try:
                metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
            except (OSError, ValueError):
                metadata = {}
            if not metadata.get(UNRELEASED):
                found.add(path.stem)
    return found


def placeholder(root: Path, notebook: str, title: str) -> dict[str, Any]:
    """The not-released-yet page of ``notebook``: one read-only markdown cell and the release
    notebook's kernel metadata. JupyterLab marks any notebook it opens as changed (it writes
    the kernel's metadata), so a student's browser or clone may keep a saved copy of the
    page: the page says how to drop it."""
    from . import nav

    release = json.loads((root / "release" / notebook / f"{notebook}.ipynb").read_text(
        encoding="utf-8"))
    text = (root / "edition" / "unreleased.md").read_text(encoding="utf-8").format(
        number=int(notebook[:2]), title=title, notebook=notebook, start=nav.href(START))
    return {"cells": [{"cell_type": "markdown", "id": "not-released-yet",
                       "metadata": {"editable": False, "deletable": False},
                       "source": text.strip()}],
            "metadata": {**release["metadata"], UNRELEASED: True},
            "nbformat": release["nbformat"], "nbformat_minor": release["nbformat_minor"]}


def publish(root: Path, out: Path, repo: str = "<owner>/<repo>", lite: bool = False,
            only: list[str] | None = None) -> list[Path]:
    """Write the student edition of the course at ``root`` into ``out``; return its files.
    ``lite``: its README also points to the JupyterLite site (built by course/lite.py).
    ``only``: release these assignments (and 00-start-here); the others are placeholders."""
    root, out = root.resolve(), out.resolve()
    if out == root or root in out.parents or out in root.parents:
        raise ValueError(f"{out}: publish outside the instructor's repository")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ValueError(f"{out} is not empty and holds no student edition: give a new folder")
    held = sorted(set(assignments(root)) - set(chosen(root, only))) if only is not None else []
    taken_back = sorted(released(out) & set(held)) if out.exists() else []
    if taken_back:
        raise ValueError(f"{out} already released {', '.join(taken_back)}: add "
                         f"{'it' if len(taken_back) == 1 else 'them'} to --assignments (to "
                         "withdraw a notebook on purpose, delete its folder under "
                         f"{out / 'release'} first)")
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for name in EDITION_PATHS:
        if (root / name).is_dir():
            shutil.copytree(root / name, out / name, ignore=ignore)
        else:
            shutil.copy2(root / name, out / name)
    if held:
        from . import nav

        titles = nav.notebooks(root / "source")
        for notebook in held:  # its folder holds the page only
            shutil.rmtree(out / "release" / notebook)
            (out / "release" / notebook).mkdir()
            (out / "release" / notebook / f"{notebook}.ipynb").write_text(
                json.dumps(placeholder(root, notebook, titles[notebook]), indent=1) + "\n",
                encoding="utf-8")
    shutil.copytree(root / "course", out / "course",
                    ignore=shutil.ignore_patterns(*INSTRUCTOR_ONLY, "__pycache__"))
    (out / "pyproject.toml").write_text(
        student_pyproject((root / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8")
    readme = (root / "edition" / "README.md").read_text(encoding="utf-8")
    owner, _, name = repo.partition("/")
    browser = (root / "edition" / "lite.md").read_text(encoding="utf-8").replace(
        "{url}", LITE_URL.format(owner=owner, name=name)) if lite else ""
    (out / "README.md").write_text(
        readme.replace("{binder}", BINDER.format(repo=repo)).replace("{lite}", browser),
        encoding="utf-8")
    (out / MARKER).write_text("A student edition written by course-publish: publishing again "
                              "replaces everything here but .git.\n", encoding="utf-8")
    leaked = leaks(out, root / "source")
    if leaked:
        _clear(out)
        raise LeakError("the edition would show students keys or solutions, so it was "
                        "removed:\n" + "\n".join(leaked))
    return sorted(p for p in out.rglob("*") if p.is_file() and ".git" not in p.parts)


def _clear(out: Path) -> None:
    """Remove everything in ``out`` but the public repository's ``.git``."""
    for old in out.iterdir():
        if old.name != ".git":
            shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-publish", description=__doc__,
        epilog="example:\n"
               "  course-publish ../aws-srm-student --repo my-org/aws-srm-student --lite\n"
               "  course-publish ../aws-srm-student --repo my-org/aws-srm-student "
               "--assignments 01,02,03\n"
               "  cd ../aws-srm-student && git add -A && git commit -m 'Week 3' && git push",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="where to write the edition (new, or a previous "
                                               "edition: replaced, its .git kept)")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the instructor's repository (default: here)")
    parser.add_argument("--repo", default="<owner>/<repo>",
                        help="the edition's GitHub owner/name, for the README's Binder link")
    parser.add_argument("--assignments", type=lambda text: [n for n in text.split(",") if n],
                        metavar="A,B,...",
                        help="release only these notebooks (folder names or numbers, e.g. "
                             "01-model,02 for week 2; 00-start-here always): the others "
                             "show 'Not released yet' until a later publish lists them")
    parser.add_argument("--lite", action="store_true",
                        help="also build the JupyterLite site from the edition into DIR/docs "
                             "(the course in the browser: any static host, e.g. GitHub Pages)")
    args = parser.parse_args(argv)
    try:
        files = publish(args.root, args.dir, args.repo, lite=args.lite, only=args.assignments)
        print(f"{len(files)} files -> {args.dir} (no key or solution of source/ found in them)")
        if args.assignments is not None:
            out = released(args.dir)
            print(f"released: {', '.join(sorted(out))}; not released yet: "
                  f"{', '.join(sorted(set(assignments(args.root)) - out)) or 'none'}")
        if args.lite:
            from . import lite

            started = time.monotonic()
            site = lite.build(args.dir, args.dir / lite.SITE, args.root)
            leaked = leaks(site, args.root / "source")
            if leaked:
                shutil.rmtree(site)
                raise LeakError("the site would show students keys or solutions, so it was "
                                "removed:\n" + "\n".join(leaked))
            count, size = lite.size(site)
            print(f"JupyterLite site: {count} files, {size / 1e6:.1f} MB -> {site} in "
                  f"{time.monotonic() - started:.0f} s (serve it from any static host)")
    except (ValueError, LeakError, OSError, RuntimeError) as error:
        parser.exit(1, f"course-publish: {error}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
