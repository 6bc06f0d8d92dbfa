"""The audit page as a reviewer sees it, in headless Chromium at 1024 and 1440 px: nothing wider
than the window, and the list of date-dependent facts shows each review date whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_browser import chromium, static_page  # noqa: F401  (fixture)

from course import audit

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "test-artifacts" / "audit"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1440])
def test_audit_page_fits_the_window_and_shows_review_dates_whole(
        chromium: Path, tmp_path: Path, width: int):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    with static_page(chromium, audit.render(), tmp_path, width) as page:
        lines = page.eval_on_selector_all(
            "#volatile ~ table td.date",
            "cells => cells.map(c => {const r = document.createRange();"
            " r.selectNodeContents(c); return r.getClientRects().length;})")
        assert len(lines) == len(audit.content.volatile_facts())
        assert set(lines) == {1}, lines  # each date on one line, not "2026-11-" / "30"
        page.locator("#volatile").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"volatile-{width}.png"))
