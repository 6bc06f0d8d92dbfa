"""The teaching flow of the notebooks: each concept opens with its objectives, time and what it
builds on and ends with three takeaways (data in course/data/concepts, cells written by
course.nav), no paragraph is a wall of text, and no full matrix is repeated across notebooks."""

from __future__ import annotations

import re
from pathlib import Path

import fastjsonschema
import nbformat
import pytest
from markupsafe import escape

from course import content, deeper, nav

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(REPO.glob("source/*/*.ipynb"))
MAX_WORDS = 120


def cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def paragraphs(markdown: str) -> list[str]:
    """Blocks a reader takes in one go: text between blank lines, each list item on its own."""
    markdown = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )", markdown)
    return [b for b in blocks if b.strip()]


def words(paragraph: str) -> int:
    """Words as read: a link counts its text, not its address; HTML tags count nothing."""
    text = re.sub(r"\]\([^)]*\)", "]", paragraph)
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[\w']+", text))


def test_words_counts_what_a_reader_reads():
    assert words("See [AWS: Shared Responsibility Model](https://aws.amazon.com/x/y) now") == 6
    assert words('<a href="x" style="a:b">Next: 02</a>') == 2
    assert len(paragraphs("one\n\ntwo\n- three\n- four\n1. five")) == 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_no_paragraph_is_a_wall_of_text(path: Path):
    long = [(words(p), p[:60]) for c in cells(path) if c.cell_type == "markdown"
            for p in paragraphs(c.source) if words(p) > MAX_WORDS]
    assert not long, f"paragraphs over {MAX_WORDS} words: split them into short ones or bullets"


@pytest.mark.parametrize("concept", list(content.concepts()))
def test_each_concept_opens_with_objectives_and_ends_with_takeaways(concept: str):
    info = content.concepts()[concept]
    assert 3 <= len(info["objectives"]) <= 5 and len(info["takeaways"]) == 3
    assert info["minutes"] > 0
    for folder in ("source", "release"):
        book = cells(REPO / folder / concept / f"{concept}.ipynb")
        assert nav.OPENING in book[0].metadata.get("tags", []), (folder, "opening first")
        assert f"About {info['minutes']} minutes" in book[0].source
        assert all(o in book[0].source for o in info["objectives"])
        for prerequisite in info["prerequisites"]:
            assert nav.href(prerequisite) in book[0].source
        takeaways, way_on = book[-2:]
        assert nav.TAKEAWAYS in takeaways.metadata.get("tags", []), (folder, "takeaways")
        assert all(t in takeaways.source for t in info["takeaways"])
        assert nav.TAG in way_on.metadata.get("tags", [])


def test_the_concept_schema_refuses_unknown_keys():
    """A misspelt key ("objective", "takeaway") would silently show nothing."""
    import json

    schema = json.loads((REPO / "course/schemas/concept.json").read_text())
    validate = fastjsonschema.compile(schema)
    concept = dict(content.concepts()["01-model"])
    validate(concept)
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate({**concept, "takeaway": ["one"]})
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate({**concept, "takeaways": concept["takeaways"][:2]})


def matrices(path: Path) -> list[tuple[str, bool]]:
    """Each practice matrix of a notebook: its service and whether it shows every row."""
    return [(m.group(1), "item_ids" not in m.group(0))
            for c in cells(path) if c.cell_type == "code"
            for m in re.finditer(r'\bmatrix\("([^"]+)"[^)]*\)', c.source)]


def test_no_full_matrix_is_repeated():
    """One full matrix per notebook, each service's full matrix in one notebook only; the
    others show a few focused rows (issue 16, item 4)."""
    where: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        full = [service for service, whole in matrices(path) if whole]
        assert len(full) <= 1, (path.parent.name, full)
        for service in full:
            where.setdefault(service, []).append(path.parent.name)
    repeated = {service: books for service, books in where.items() if len(books) > 1}
    assert not repeated, repeated
    assert where, "no full matrix found: has the matrix() call changed?"


@pytest.mark.parametrize("concept", list(content.concepts()))
def test_date_dependent_facts_wait_in_a_closed_go_deeper_aside(concept: str):
    """Issue 16, item 4: what AWS changed lately waits in a closed aside before the practice,
    told in a few plain sentences (the concept's ``go_deeper``), each with the AWS sources
    and check date of the volatile facts it rests on; no reviewer's advice ("Re-check ...")
    reaches a student."""
    book = cells(REPO / "source" / concept / f"{concept}.ipynb")
    says = [line["say"] for line in content.concepts()[concept].get("go_deeper", [])]
    asides = [n for n, c in enumerate(book) if "course-go-deeper" in c.metadata.get("tags", [])]
    assert len(asides) == (1 if says else 0)
    if not asides:
        return
    assert book[asides[0]].source == f'go_deeper("{concept}")'
    assert book[asides[0] + 1].source.startswith("## Practice checks")
    html = deeper.go_deeper(concept)._repr_mimebundle_()["text/html"]
    assert html.startswith("<details") and "<details open" not in html
    assert "Re-check" not in html and html.count("<li>") == len(says) <= 5
    facts = {f"{f['service']['id']}/{f['item']['id']}": f for f in content.volatile_facts()}
    for line, item in zip(content.concepts()[concept]["go_deeper"], html.split("<li>")[1:],
                          strict=True):
        assert item.startswith(str(escape(line["say"])))
        for name in line["facts"]:
            cell = facts[name]["cell"]
            assert f'href="{cell.get("source", facts[name]["service"]["source"])}"' in item
        oldest = min(str(facts[name]["cell"]["reviewed"]) for name in line["facts"])
        assert f"checked {deeper.day(oldest)}" in item


def test_a_go_deeper_sentence_rests_only_on_facts_marked_volatile(monkeypatch):
    """A sentence naming a cell that has no volatile note (or no longer exists) is refused,
    so a sentence cannot outlive the fact it sums up."""
    real = content._load

    def load(path: str, schema: str) -> dict:
        data = real(path, schema)
        if path.endswith("05-infrastructure.toml"):
            data = {**data, "go_deeper": [{"say": "A sentence about nothing dated.",
                                           "facts": ["ec2/physical-security"]}]}
        return data

    monkeypatch.setattr(content, "_load", load)
    content.concepts.cache_clear()
    try:
        with pytest.raises(content.ContentError, match=r"no volatile note \['ec2/phys"):
            content.concepts()
    finally:
        content.concepts.cache_clear()


def test_a_notebook_s_glossary_is_one_closed_box_with_the_same_heading():
    for concept in content.concepts():
        book = cells(REPO / "source" / concept / f"{concept}.ipynb")
        calls = [c.source for c in book if c.cell_type == "code" and "glossary(" in c.source]
        headings = [c.source.split("\n")[0] for c in book
                    if c.cell_type == "markdown" and "Glossary](" in c.source]
        assert calls in ([], [f'glossary(concept="{concept}")']), concept
        assert headings == (["## Terms in this notebook"] if calls else []), concept
    from course import glossary

    bundle = glossary(concept="06-managed")._repr_mimebundle_()
    assert "<details><summary>Terms in this notebook (" in bundle["text/html"]
