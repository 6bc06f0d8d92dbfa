"""A one-line progress bar on stderr while a class is graded, and the summary after it."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class Progress:
    """Counts notebooks graded out of ``total``; shows rate and time remaining.

    On a terminal the line is redrawn in place; otherwise (a log file, CI) a line is
    written at most every ``every`` seconds, and at the end.
    """

    def __init__(self, total: int, stream: TextIO | None = None, every: float = 10.0,
                 label: str = "grading"):
        self.total, self.done, self.skipped, self.failed = total, 0, 0, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.every, self.label = every, label
        self.start = self._last = time.monotonic()

    def advance(self, notebooks: int = 1, skipped: int = 0, failed: int = 0) -> None:
        self.done += notebooks
        self.skipped += skipped
        self.failed += failed
        now = time.monotonic()
        if self.tty or now - self._last >= self.every or self.done >= self.total:
            self._last = now
            self.stream.write(("\r" if self.tty else "") + self.line()
                              + ("" if self.tty else "\n"))
            self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = round(WIDTH * share)
        left = (self.total - self.done) / self.rate if self.rate else 0.0
        return (f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                f"{self.done}/{self.total} notebooks  {self.rate:.2f}/s  "
                f"{_clock(self.elapsed)} elapsed  {_clock(left)} left")

    def summary(self) -> str:
        if self.tty:
            self.stream.write("\n")
        return (f"graded {self.done} notebooks in {_clock(self.elapsed)} "
                f"({self.rate:.2f} notebooks/s); {self.done - self.skipped} run in a kernel, "
                f"{self.skipped} unchanged from the release (no kernel needed)"
                + (f"; {self.failed} could not be graded" if self.failed else ""))


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
