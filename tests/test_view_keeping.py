"""00-start-here's "Keeping your work" says what keeps a student's work where they run the
course (own computer, a class's hub, Binder, JupyterLite), from course/data/editions.toml,
and Binder's made-up hub user never stands in for the student's class id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import content, edition, identity
from course.widgets.class_id import ClassId

REPO = Path(__file__).resolve().parents[1]
PLACES = {
    "computer": {},
    "hub": {"JUPYTERHUB_USER": "alice"},
    "binder": {"JUPYTERHUB_USER": "aws-srm-student-3k9x2", "BINDER_LAUNCH_HOST":
               "https://mybinder.org/", "BINDER_REPO_URL": "https://github.com/o/r"},
}


@pytest.fixture
def place(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    for name in (identity.HUB, identity.GRADED, *edition.BINDER):
        monkeypatch.delenv(name, raising=False)
    for name, value in PLACES[request.param].items():
        monkeypatch.setenv(name, value)
    return request.param


@pytest.mark.parametrize("place", list(PLACES), indirect=True)
def test_the_notebook_tells_where_it_runs_and_says_that_place_s_lines(place: str):
    assert edition.current() == place
    shown = edition.keeping_your_work()._repr_mimebundle_()
    entry = content.editions()[place]
    assert f"You are running the course {entry['where']}." in shown["text/plain"]
    assert entry["kept"] in shown["text/plain"]
    others = [e["kept"] for key, e in content.editions().items() if key != place]
    assert not any(kept in shown["text/plain"] for kept in others)


def test_jupyterlite_is_told_apart_by_its_browser_storage(monkeypatch, tmp_path):
    from course import storage

    monkeypatch.setattr(storage, "in_lite", lambda: True)
    assert edition.current() == "lite"
    html = edition.keeping_your_work()._repr_html_()
    assert "in this browser on this computer" in html and "storage.pack_work()" in html
    assert "home folder" not in html


@pytest.mark.parametrize("place", ["binder"], indirect=True)
def test_on_binder_the_student_types_a_class_id_the_session_s_hub_name_is_not_it(place: str):
    """BinderHub names each session's user; graded versions must follow the student's class
    id (the id the grader files the submission under), as anywhere without a class hub."""
    assert identity.student() is None
    assert hasattr(ClassId(), "box")
    identity.set_class_id("s1234")
    assert identity.student() == "s1234"


@pytest.mark.parametrize("place", ["hub"], indirect=True)
def test_on_a_class_hub_the_hub_user_is_the_student(place: str):
    assert identity.student() == "alice"
    assert not hasattr(ClassId(), "box")


def test_the_start_notebook_shows_where_work_is_kept_under_its_heading():
    for folder in ("source", "release"):
        path = REPO / folder / "00-start-here" / "00-start-here.ipynb"
        sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
        heading = next(n for n, s in enumerate(sources) if s.startswith("## Keeping your work"))
        assert sources[heading + 1] == "keeping_your_work()"
        # Binder's and Lite's steps send the student to the class id "in its box above"
        assert sources.index("class_id()") < heading
        says = [step["say"] for e in content.editions().values() for step in e.get("step", [])]
        assert all("below" not in say for say in says)
        assert "home folder" not in sources[heading] and "Binder" not in sources[heading]
