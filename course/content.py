"""The course's knowledge, loaded from the data files in ``course/data`` and checked
against the JSON schemas in ``course/schemas`` the first time each is used."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

_ROOT = resources.files("course")


class ContentError(ValueError):
    """A data file does not match its schema, or refers to something that does not exist."""


@cache
def _validator(schema: str):
    return fastjsonschema.compile(json.loads((_ROOT / "schemas" / f"{schema}.json").read_text()))


def _load(path: str, schema: str) -> dict[str, Any]:
    data = tomllib.loads((_ROOT / "data" / path).read_text(encoding="utf-8"))
    try:
        return _validator(schema)(data)
    except fastjsonschema.JsonSchemaException as error:
        raise ContentError(f"course/data/{path}: {error.message}") from None


def _folder(name: str) -> list[str]:
    return sorted(
        f"{name}/{entry.name}" for entry in (_ROOT / "data" / name).iterdir()
        if entry.name.endswith(".toml")
    )


def _by_id(entries: list[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry[key] in table:
            raise ContentError(f"duplicate id {entry[key]!r}")
        table[entry[key]] = entry
    return table


class JSONFile(dict):
    """The data of a JSON file that shows itself as the file does: its text, highlighted as
    JSON in notebooks (double quotes, indented), never as a Python dict."""

    def __init__(self, text: str):
        super().__init__(json.loads(text))
        self.text = text.strip()

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return f"```json\n{self.text}\n```"

    def _repr_html_(self) -> str:
        """Drawn: one band per party, the customer's above AWS's as in the stack; the file's
        text one click away (collapsed)."""
        from . import pages

        bands = [(key.removesuffix("Responsibility"), value) for key, value in self.items()]
        return pages.render("widgets/model.html.j2", bands=bands[::-1], text=self.text)


@cache
def responsibility_model() -> JSONFile:
    """The seed artifact ``responsibility-model.json``, as shipped."""
    return JSONFile((_ROOT / "data" / "responsibility-model.json").read_text(encoding="utf-8"))


@cache
def parties() -> dict[str, dict[str, Any]]:
    return _by_id(_load("parties.toml", "parties")["party"])


@cache
def controls() -> dict[str, dict[str, Any]]:
    return _by_id(_load("parties.toml", "parties")["control"])


@cache
def items() -> dict[str, dict[str, Any]]:
    """Responsibility items in stack order, bottom (facilities) first."""
    return _by_id(_load("items.toml", "items")["item"])


@cache
def reasons() -> dict[str, dict[str, Any]]:
    """Why a cell has its owner: reason codes and the owner each implies."""
    return _by_id(_load("reasons.toml", "reasons")["reason"])


@cache
def services() -> dict[str, dict[str, Any]]:
    table = _by_id([_load(path, "service") for path in _folder("services")])
    known, codes = items(), reasons()
    for service in table.values():
        unknown = set(service["responsibilities"]) - set(known)
        if unknown:
            raise ContentError(f"service {service['id']}: unknown items {sorted(unknown)}")
        for item, cell in service["responsibilities"].items():
            if cell["reason"] not in codes:
                raise ContentError(f"service {service['id']}, {item}: unknown reason "
                                   f"{cell['reason']!r}")
    return table


def volatile_facts(service_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Cells whose fact rests on a date or a recent feature (their ``volatile`` note), as
    ``{"service", "item", "cell"}`` in service then stack order: what the next review must
    re-read first, and what notebooks show in a "Go deeper" aside rather than the main line."""
    table = services()
    return [{"service": table[service_id], "item": items()[item_id], "cell": cell}
            for service_id in (service_ids or sorted(table))
            for item_id, cell in table[service_id]["responsibilities"].items()
            if "volatile" in cell]


@cache
def questions() -> dict[str, dict[str, Any]]:
    """Practice questions by id; each carries the concept it belongs to."""
    entries = []
    for path in _folder("questions"):
        data = _load(path, "questions")
        for question in data["question"]:
            _check_question(path, question)
            entries.append({**question, "concept": data["concept"]})
    return _by_id(entries)


def _check_question(path: str, question: dict[str, Any]) -> None:
    answer = question["answer"]
    multiple = question["kind"] == "multiple"
    if multiple != isinstance(answer, list):
        raise ContentError(f"{path}: {question['id']}: kind and answer type disagree")
    right = set([answer] if isinstance(answer, str) else answer)
    if not right <= set(question["options"]):
        raise ContentError(f"{path}: {question['id']}: answer is not among the options")
    stray = set(question.get("misconceptions", {})) - (set(question["options"]) - right)
    if stray:
        raise ContentError(f"{path}: {question['id']}: misconceptions only explain wrong "
                           f"options, not {sorted(stray)}")
    if question["kind"] == "scenario" and "scenario" not in question:
        raise ContentError(f"{path}: {question['id']}: a scenario question needs its scenario")


@cache
def checkpoints() -> dict[str, dict[str, Any]]:
    """Graded items as students see them: prompts and choices, never keys. Each item's
    ``variants`` holds its versions (``a``: the item's own fields; the others replace them)."""
    table = _by_id([item for path in _folder("checkpoints")
                    for item in _load(path, "checkpoints")["checkpoint"]])
    for item in table.values():
        needs = {"matrix": "rows", "architecture": "prompt"}.get(item["kind"], "options")
        if needs not in item:
            raise ContentError(f"checkpoint {item['id']}: a {item['kind']} item needs {needs}")
        base = {name: value for name, value in item.items() if name != "variant"}
        item["variants"] = {"a": {**base, "version": "a"}} | {
            version["id"]: {**base, **version, "id": item["id"], "version": version["id"]}
            for version in item.get("variant", [])}
        if len(item["variants"]) != 1 + len(item.get("variant", [])):
            raise ContentError(f"checkpoint {item['id']}: a variant id is used twice")
    return table


def variants(item: str) -> dict[str, dict[str, Any]]:
    """The versions of graded ``item`` (``a`` first), each as students of it see it."""
    return checkpoints()[item]["variants"]


@cache
def concepts() -> dict[str, dict[str, Any]]:
    table = _by_id([_load(path, "concept") for path in _folder("concepts")])
    terms, questions_ = glossary(), questions()
    for concept in table.values():
        missing = [p for p in concept["prerequisites"] if p not in table]
        undefined = [t for t in concept["terms"] if t.lower() not in terms]
        stray = [q for q in concept["practice"]
                 if questions_.get(q, {}).get("concept") != concept["id"]]
        volatile = {f"{f['service']['id']}/{f['item']['id']}" for f in volatile_facts()}
        undated = [fact for line in concept.get("go_deeper", []) for fact in line["facts"]
                   if fact not in volatile]
        if missing or undefined or stray or undated:
            raise ContentError(
                f"concept {concept['id']}: unknown prerequisites {missing}, "
                f"undefined terms {undefined}, practice names questions not of this "
                f"concept {stray}, go_deeper names cells with no volatile note {undated}"
            )
    return table


@cache
def glossary() -> dict[str, dict[str, Any]]:
    """Glossary entries by lower-case term and by each alias."""
    table: dict[str, dict[str, Any]] = {}
    for entry in _load("glossary.toml", "glossary")["term"]:
        for name in [entry["term"], *entry.get("aliases", [])]:
            if name.lower() in table:
                raise ContentError(f"glossary: {name!r} is defined twice")
            table[name.lower()] = entry
    return table


@cache
def architectures() -> dict[str, dict[str, Any]]:
    """Example architectures a student may take for the capstone."""
    table = _by_id(_load("architectures.toml", "architectures")["architecture"])
    for example in table.values():
        unknown = set(example["services"]) - set(services())
        if unknown:
            raise ContentError(f"architecture {example['id']}: unknown services {sorted(unknown)}")
    return table


@cache
def editions() -> dict[str, dict[str, Any]]:
    """Where a student can run the course, and what keeps their work there, by id."""
    table = _by_id(_load("editions.toml", "editions")["edition"])
    missing = {"computer", "hub", "binder", "lite"} - set(table)
    if missing:
        raise ContentError(f"course/data/editions.toml: no entry for {sorted(missing)}")
    return table


def load_all() -> None:
    """Load and check every data file; raises :class:`ContentError` on the first problem."""
    for loader in (responsibility_model, parties, controls, items, reasons, services, questions,
                   checkpoints, concepts, glossary, architectures, editions):
        loader()
