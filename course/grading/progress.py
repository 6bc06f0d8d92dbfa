"""Progress while a class is graded (a tqdm bar on stderr) and the summary line after it."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

FORMAT = ("{desc} |{bar:24}| {n_fmt}/{total_fmt} notebooks  {rate_fmt}  "
          "{elapsed} elapsed  {remaining} left")


class Bar(tqdm):
    """tqdm without its monitor thread: worker processes are forked while the bar is open,
    and a fork copies no thread."""

    monitor_interval = 0


def bar(total: int, quiet: bool = False, stream: TextIO | None = None) -> tqdm:
    """A bar counting notebooks: on a terminal redrawn in place, elsewhere (a log, CI) at
    most one line every 10 s, and always the last one."""
    stream = stream if stream is not None else sys.stderr
    tty = getattr(stream, "isatty", lambda: False)()
    return Bar(total=total, file=stream, disable=quiet, desc="grading", unit=" notebooks",
               bar_format=FORMAT, mininterval=0.1 if tty else 10.0, ascii=not tty)


def summary(notebooks: int, skipped: int, failed: int, seconds: float, workers: int) -> str:
    """The line printed after grading: how many notebooks, how fast, how many needed a
    kernel, how many could not be graded."""
    rate = notebooks / seconds if seconds > 0 else 0.0
    return (f"graded {notebooks} notebooks in {tqdm.format_interval(seconds)} "
            f"({rate:.2f} notebooks/s); {notebooks - skipped} run in a kernel, "
            f"{skipped} unchanged from the release (no kernel needed)"
            + (f"; {failed} could not be graded" if failed else "")
            + f" with {workers} workers")
