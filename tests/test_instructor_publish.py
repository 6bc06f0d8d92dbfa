"""Weekly release: ``course-publish DIR --assignments 01,02`` writes a student edition whose
other notebooks are "not released yet" pages in their places, so no link of the course is
dead; a typo or a notebook taken back is refused before anything is written, and the key scan
covers the edition as always. The page itself is looked at in JupyterLab at 1024 and 1440 px."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from course_copy import REPO
from lab_browser import ARTIFACTS, NB, open_notebook, run_menu

from course import publish

WEEK_2 = ["01", "02-aws-side"]
RELEASED = {"00-start-here", "01-model", "02-aws-side"}
LINK = re.compile(r"""\.\./([^/"')\s]+)/([^/"')\s]+\.ipynb)""")


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public") / "aws-srm-student"
    publish.publish(REPO, out, only=WEEK_2)
    return out


def notebook(edition: Path, name: str) -> dict:
    return json.loads((edition / "release" / name / f"{name}.ipynb").read_text())


def test_only_the_chosen_notebooks_are_released(edition: Path):
    assert publish.released(edition) == RELEASED
    for name in RELEASED:  # byte for byte the committed release notebook
        assert ((edition / "release" / name / f"{name}.ipynb").read_bytes()
                == (REPO / "release" / name / f"{name}.ipynb").read_bytes())
    held = set(publish.assignments(REPO)) - RELEASED
    assert held and {p.name for p in (edition / "release").iterdir()} >= held
    for name in held:
        page = notebook(edition, name)
        nbformat.validate(nbformat.from_dict(page))  # JupyterLab, Lite and nbgrader read it
        assert [p.name for p in (edition / "release" / name).iterdir()] == [f"{name}.ipynb"]
        assert page["metadata"][publish.UNRELEASED] is True
        (cell,) = page["cells"]
        assert cell["cell_type"] == "markdown" and "**Not released yet.**" in cell["source"]
        assert cell["source"].startswith(f"# {int(name[:2])} · ")


def test_no_link_of_the_edition_is_dead(edition: Path):
    """Every ``../x/x.ipynb`` in a released notebook (00-start-here's list, the Next buttons,
    the placeholders' way back) and every concept of the mastery map opens a page."""
    from course import content

    links = set()
    for path in edition.glob("release/*/*.ipynb"):
        links.update(LINK.findall(path.read_text()))
    links.update((concept, f"{concept}.ipynb") for concept in content.concepts())
    assert {"03-customer-side", "10-capstone"} <= {folder for folder, _ in links}
    assert [link for link in links if not (edition / "release" / link[0] / link[1]).is_file()
            ] == []


def test_a_typo_or_a_notebook_taken_back_is_refused_and_nothing_changes(edition: Path):
    before = {p: p.read_bytes() for p in edition.rglob("*") if p.is_file()}
    with pytest.raises(ValueError, match=r"no assignment '2' \(the course has: 00-start-here"):
        publish.publish(REPO, edition, only=["01", "2"])
    with pytest.raises(ValueError, match="already released 02-aws-side: add it to"):
        publish.publish(REPO, edition, only=["01"])
    assert {p: p.read_bytes() for p in edition.rglob("*") if p.is_file()} == before


def test_a_later_week_releases_more_and_the_whole_course_at_the_end(tmp_path: Path):
    out = tmp_path / "edition"
    publish.publish(REPO, out, only=["01"])
    (out / ".git").mkdir()  # the public repository's history stays
    publish.publish(REPO, out, only=["01", "02", "03"])
    assert publish.released(out) == {"00-start-here", "01-model", "02-aws-side",
                                     "03-customer-side"}
    publish.publish(REPO, out)
    assert publish.released(out) == set(publish.assignments(REPO))
    assert (out / ".git").is_dir()


def test_the_key_scan_still_covers_a_weekly_edition(tmp_path: Path):
    """A key pasted into a released notebook stops a partial publish too."""
    from test_edition import private_copy

    root = private_copy(tmp_path)
    path = root / "release" / "01-model" / "01-model.ipynb"
    book = json.loads(path.read_text())
    book["cells"][0]["source"] += "\nexpect('cp-01-rds-engine', 'AWS')"
    path.write_text(json.dumps(book))
    secrets = publish.secrets(root / "source")
    if not any("cp-01-rds-engine" in what for what in secrets.values()):
        pytest.fail("the scan does not know cp-01-rds-engine's key")
    with pytest.raises(publish.LeakError):
        publish.publish(root, tmp_path / "out", only=["01"])


def test_the_mastery_map_says_not_released_yet(edition: Path, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path):
    """Drawn in a kernel of the edition (its cwd the notebook's folder), the map's box of a
    held notebook says so; released ones keep their state."""
    from course.widgets import mastery

    monkeypatch.setenv("AWS_SRM_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.chdir(edition / "release" / "00-start-here")
    mastery.unreleased.cache_clear()
    try:
        text = repr(mastery.MasteryMap())
        html = mastery.MasteryMap()._repr_html_()
    finally:
        mastery.unreleased.cache_clear()
    assert "05-infrastructure Infrastructure services: EC2, EBS and VPC: Not released yet" in text
    assert "01-model The Shared Responsibility Model: Ready to learn" in text
    assert "02-aws-side AWS's side: security OF the cloud: Not released yet" not in text
    assert html.count(": Not released yet") == len(set(publish.assignments(REPO)) - RELEASED
                                                   - {"11-glossary"})


# --------------------------------------------------------------------------- in JupyterLab

@pytest.fixture(scope="module")
def lab_root(edition: Path) -> Path:
    return edition


@pytest.mark.browser
@pytest.mark.usefixtures("artifacts_on_failure")
def test_a_student_sees_not_released_yet_and_finds_the_way_back(browser, lab):
    page = open_notebook(browser, lab, "release/05-infrastructure/05-infrastructure.ipynb")
    cell = page.locator(f"{NB} .jp-MarkdownCell .jp-RenderedMarkdown").first
    cell.get_by_text("Not released yet.").wait_for()
    assert "5 · Infrastructure services" in cell.inner_text()
    folder = ARTIFACTS / "publish"
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1024, 1440):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=str(folder / f"not-released-{width}.png"))
        assert page.evaluate("document.querySelector('.jp-RenderedMarkdown').scrollWidth"
                             " <= document.querySelector('.jp-RenderedMarkdown').clientWidth")
    assert "git checkout -- release/05-infrastructure" in cell.inner_text()
    cell.get_by_role("link", name="Start here").click()
    page.locator(".lm-TabBar-tab.jp-mod-current", has_text="00-start-here.ipynb").wait_for()


@pytest.mark.browser
@pytest.mark.usefixtures("artifacts_on_failure")
def test_the_start_notebooks_map_shows_what_is_not_released(browser, lab):
    page = open_notebook(browser, lab, "release/00-start-here/00-start-here.ipynb")
    run_menu(page, "runmenu:run-all")
    held = page.locator("svg.course-map-graph a[aria-label*=': Not released yet']")
    held.first.wait_for()
    labels = [held.nth(n).get_attribute("aria-label") for n in range(held.count())]
    assert any(label.startswith("05 · Infrastructure") for label in labels)
    assert not any(label.startswith(("01 ·", "02 ·")) for label in labels)
    graph = page.locator("svg.course-map-graph").first
    for width in (1024, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        graph.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "publish" / f"map-not-released-{width}.png"))
