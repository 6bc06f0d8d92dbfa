"""Each step of ``course-grade`` around nbgrader on its own, without kernels: progress and
summary, the report read from autograded notebooks, the export, zip collect, and the worker
pool (the end-to-end runs are test_safe_grading, test_untrusted_files and test_scale)."""

from __future__ import annotations

import io

from course.grading import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_log_is_a_few_lines_that_end_with_the_total():
    """In a log (not a terminal) the bar is written when it starts and ends, not at every
    notebook, with counts, rate and time left."""
    stream = io.StringIO()
    with progress.bar(1000, stream=stream) as bar:
        for _ in range(1000):
            bar.update(1)
    lines = [line for line in stream.getvalue().replace("\r", "\n").splitlines() if line]
    assert len(lines) <= 3, lines
    assert "1000/1000 notebooks" in lines[-1] and "notebooks/s" in lines[-1]
    assert "left" in lines[-1] and "#" * 24 in lines[-1]


def test_progress_on_a_terminal_is_redrawn_in_place():
    stream = Terminal()
    with progress.bar(4, stream=stream) as bar:
        bar.update(2)
        bar.refresh()
    text = stream.getvalue()
    assert "\n" not in text.rstrip("\n") and text.count("\r") >= 2
    assert "2/4 notebooks" in text and "4/4" not in text


def test_quiet_grading_writes_nothing():
    stream = io.StringIO()
    with progress.bar(4, quiet=True, stream=stream) as bar:
        bar.update(4)
    assert stream.getvalue() == ""


def test_the_summary_says_how_many_ran_in_a_kernel_and_how_many_failed():
    line = progress.summary(notebooks=10, skipped=4, failed=1, seconds=5.0, workers=2)
    assert line == ("graded 10 notebooks in 00:05 (2.00 notebooks/s); 6 run in a kernel, "
                    "4 unchanged from the release (no kernel needed); 1 could not be graded "
                    "with 2 workers")
    assert "could not" not in progress.summary(3, 0, 0, 0.0, 1)
