"""Grade a class in worker processes, one task per (assignment, student).

A task is a call of a bound method of a grading step; the step is sent to the worker as
its configuration and rebuilt there (``GradeStudent.__reduce__``), so each worker has its
own nbgrader API and gradebook sessions, starts its own sandboxed kernels (no kernel ever
serves two students), and nothing reaches it through forked memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

Result = TypeVar("Result")


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(call: Callable[..., Result], tasks: Sequence[tuple[Any, ...]], jobs: int,
        ) -> Iterator[tuple[tuple[Any, ...], Result | Exception]]:
    """``call(*task)`` for every task in up to ``jobs`` processes (in this one with one
    job, so that nothing is forked after this process ran a kernel); yields each task with
    its result, or the exception that stopped it, as each one finishes: one task never
    stops the others."""
    if jobs <= 1:
        for task in tasks:
            try:
                yield task, call(*task)
            except Exception as error:
                yield task, error
        return
    # fork where there is one: a worker starts without importing the course again
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(call, *task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as error:
                yield futures[future], error
