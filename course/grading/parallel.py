"""Grade a class in worker processes, one task per (assignment, student).

Each worker is a fork of the grading process with its own nbgrader API and gradebook
sessions, and starts its own sandboxed kernels: no kernel ever serves two students.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from typing import Any

_GRADER: Any = None


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(grader: Any, tasks: Sequence[tuple[str, str]], jobs: int,
        done: Callable[[Any], None], first: Sequence[str] = ()) -> None:
    """``grader.grade_task(assignment, student)`` for every task, in ``jobs`` processes;
    ``done(result)`` is called in this process as each one finishes. A task that fails
    outright gives ``grader.failed_task(assignment, student, error)`` instead.

    ``grader.calibrate(assignment)`` runs first for each of ``first`` (in parallel too);
    the dicts it returns are merged and handed to ``grader.calibrated`` in every worker,
    so what is learnt once (what a release notebook records) is not learnt per worker."""
    forking = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(tasks) <= 1 or not forking:
        for assignment in first:
            with suppress(Exception):  # then each notebook is simply run in a kernel
                grader.calibrated(grader.calibrate(assignment))
        for task in tasks:
            try:
                done(grader.grade_task(*task))
            except Exception as error:  # one student never stops the class
                done(grader.failed_task(*task, error))
        return
    global _GRADER
    _GRADER = grader
    try:
        with ProcessPoolExecutor(min(jobs, len(tasks)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            learnt: dict = {}
            for future in [pool.submit(_calibrate, assignment) for assignment in first]:
                with suppress(Exception):  # then each notebook is simply run in a kernel
                    learnt.update(future.result())
            futures = {pool.submit(_work, task, learnt): task for task in tasks}
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as error:
                    result = grader.failed_task(*futures[future], error)
                done(result)
    finally:
        _GRADER = None


def _calibrate(assignment: str) -> dict:
    return _GRADER.calibrate(assignment)


def _work(task: tuple[str, str], learnt: dict) -> Any:
    _GRADER.calibrated(learnt)
    return _GRADER.grade_task(*task)
