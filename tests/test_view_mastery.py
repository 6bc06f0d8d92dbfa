"""Mastery as a student meets it in JupyterLab (walk finding 5), at 1024 and 1440 px: the
score at the end of a practice set lists each check's one first try and says what mastery
still needs, and a second pass (Start again) changes neither the score nor the concept's
card. Screenshots go to test-artifacts/mastery/ (look at them)."""

from __future__ import annotations

import pytest
import test_view_flow as flow
from jupyterlab_server import JupyterLab
from lab_browser import ARTIFACTS, NB, open_notebook

from course import content, progress

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("artifacts_on_failure")]

SHOTS = ARTIFACTS / "mastery"
CONCEPT = "04-service-types"
FILED_UNDER = """first => { const terms = [first.innerText];
  for (let t = first.nextElementSibling; t && !(t.tagName === 'DT' && t.id);
       t = t.nextElementSibling) if (t.tagName === 'DT') terms.push(t.innerText);
  return terms; }"""


lab_root = flow.lab_root  # a copy of release/, as the flow tests use


def shot(page, target, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in flow.SIZES:
        page.set_viewport_size({"width": width, "height": height})
        target.scroll_into_view_if_needed()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        target.screenshot(path=str(SHOTS / f"{name}-{width}.png"))


def test_start_again_is_practice_and_the_score_says_what_mastery_needs(browser,
                                                                        lab: JupyterLab):
    from playwright.sync_api import expect

    page = open_notebook(browser, lab, f"release/{CONCEPT}/{CONCEPT}.ipynb")
    page.set_viewport_size({"width": 1024, "height": 768})
    flow.run_all(page, ".course-concept")
    practice = page.locator(flow.SET)
    practice.locator(".course-prompt").wait_for()
    main = [content.questions()[q] for q in content.concepts()[CONCEPT]["practice"]]
    more = progress.question_sets(CONCEPT)["more"]
    score = practice.locator(".course-practice-score")

    def answer(question: dict, right: bool) -> None:
        flow.choose(practice, question, right=right)
        practice.get_by_role("button", name="Check").click()
        expect(practice.locator(".course-right" if right else ".course-wrong")).to_have_count(1)

    answer(main[0], right=False)  # the first check wrong, the second right, the rest skipped
    practice.get_by_role("button", name="Next").click()
    answer(main[1], right=True)
    for _ in main[1:]:
        practice.get_by_role("button", name="Next").or_(
            practice.get_by_role("button", name="See your score")).click()
    expect(score).to_contain_text(f"Practice: 1 of {len(main)} right at the first try.")
    rows = score.locator("li")
    expect(rows).to_have_count(len(main))
    expect(rows.nth(0)).to_contain_text(f"Not right at the first try: {main[0]['prompt']}")
    expect(rows.nth(1)).to_contain_text(f"Right at the first try: {main[1]['prompt']}")
    expect(rows.nth(2)).to_contain_text("Skipped")
    needed = progress.needed(CONCEPT)
    expect(score).to_contain_text(f"{needed - 1} more right at the first try to master")
    expect(score).to_contain_text(f"More practice has {len(more)} checks you have not tried")
    shot(page, practice, "score-first-pass")

    practice.get_by_role("button", name="Start again").click()  # now the first check right
    answer(main[0], right=True)
    expect(practice).to_contain_text("does not count towards mastery")
    for _ in main:
        practice.get_by_role("button", name="Next").or_(
            practice.get_by_role("button", name="See your score")).click()
    expect(score).to_contain_text(f"Practice: 1 of {len(main)} right at the first try.")
    expect(rows.nth(0)).to_contain_text("Not right at the first try")
    shot(page, practice, "score-second-pass")
    card = page.locator(f"{NB} .course-concept")
    expect(card).to_contain_text(
        f"Practice checks right at the first try: 1; mastered at {needed}.")
    shot(page, card, "card")


def test_the_glossary_index_letters_reach_the_services(browser, lab: JupyterLab):
    """Walk finding 11: L leads to AWS Lambda, K to AWS KMS (full names shown), not to
    terms filed under A."""
    from playwright.sync_api import expect

    page = open_notebook(browser, lab, "release/11-glossary/11-glossary.ipynb")
    page.set_viewport_size({"width": 1024, "height": 768})
    flow.run_all(page, ".course-glossary")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for (letter, service), (width, height) in zip((("L", "AWS Lambda"), ("K", "AWS KMS")),
                                                  flow.SIZES, strict=True):
        page.set_viewport_size({"width": width, "height": height})
        click_until_followed(page, page.locator(f"{NB} .course-index a:visible",
                                                has_text=letter).first)
        section = page.locator(f"{NB} #course-term-{letter}:visible")
        expect(section).to_be_in_viewport()
        filed = section.evaluate(FILED_UNDER)
        assert service in filed, (letter, filed)
        page.screenshot(path=str(SHOTS / f"glossary-{letter}-{width}.png"))


def click_until_followed(page, link, tries: int = 3) -> None:
    """Click ``link`` until the page's address ends with its target. Playwright scrolls the
    index up into view first; cells coming back into view at a new width can move it between
    Playwright's hit check and its click, and the click then lands beside the letter (seen
    under load: the click's target was the index's box). A student clicks what they see."""
    from playwright.sync_api import TimeoutError as Unfollowed

    target = link.get_attribute("href")
    for _ in range(tries):
        link.click()
        try:
            page.wait_for_function("target => location.hash === target", arg=target,
                                   timeout=5000)
            return
        except Unfollowed:
            print(f"[glossary] a click on {target} landed beside it")
    raise AssertionError(f"{tries} clicks on {target} never followed it")


def test_the_capstone_shows_no_code_one_status_line_and_service_names(browser,
                                                                      lab: JupyterLab):
    """Walk finding 9: the answer cell's code is hidden like every notebook's, the record
    line shows once (under the builder), and the examples and the card name services as a
    student reads them ("AWS Elastic Beanstalk"), not by id ("elastic-beanstalk")."""
    from playwright.sync_api import expect

    page = open_notebook(browser, lab, "release/10-capstone/10-capstone.ipynb")
    page.set_viewport_size({"width": 1024, "height": 768})
    flow.run_all(page, ".course-card")
    expect(page.locator(f"{NB} .jp-InputArea:visible", has_text="builder.value")).to_have_count(0)
    expect(page.locator(f"{NB} .course-record:visible")).to_have_count(1)
    assert not page.locator(f"{NB} .jp-OutputArea-output[data-mime-type*=stderr]").count()
    for shown in (page.locator(f"{NB} .course-examples:visible").first,
                  page.locator(f"{NB} .course-card:visible").first):
        expect(shown).to_contain_text("AWS Elastic Beanstalk")
        expect(shown).not_to_contain_text("elastic-beanstalk")
    expect(page.locator(f"{NB} .course-examples:visible th")).to_have_text(
        ["Title", "What it does", "Services"])
    shot(page, page.locator(f"{NB} .course-examples:visible").first, "capstone-examples")
    record = page.locator(f"{NB} .course-record:visible")
    for width, height in flow.SIZES:  # the builder's end, its line, the hidden answer cell
        page.set_viewport_size({"width": width, "height": height})
        record.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"capstone-record-{width}.png"))
    card = page.locator(f"{NB} .jp-Cell", has=page.locator(".course-card:visible")).first
    shot(page, card, "capstone-card")
