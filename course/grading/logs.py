"""What ``course-grade`` leaves on stderr: what the instructor must act on. Known upstream
noise is dropped with logging and warning filters, nbgrader itself untouched:

- nbgrader's "Attribute 'checksum' for cell … has changed!" for every student, honest or
  not: the course's hidden tests make each test cell differ from the student's copy
  (jupyter/nbgrader#1961), and ``OverwriteCells`` restores every graded cell anyway;
- "Unwritable directory, please contact your instructor: …/exchange" (CRITICAL): nbgrader's
  API checks its default exchange root, which ``course-grade`` never uses;
- "Config option display_data_priority not recognized by RemoveHiddenTests": nbconvert's
  option reaches every preprocessor of the feedback exporter;
- SQLAlchemy's "Object of type <SubmittedAssignment> (or <SubmittedNotebook>) not in
  session" warning, raised inside nbgrader's gradebook when it adds a submission.

What remains: the progress bar, the summary, real errors; the report has the rest."""

from __future__ import annotations

import logging
import re
import warnings

NOISE = re.compile("|".join((
    r"Attribute 'checksum' for cell .+ has changed",
    r"Unwritable directory, please contact your instructor",
    r"Config option `?display_data_priority`? not recognized",
)))


class DropKnownNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not NOISE.search(record.getMessage())


def quiet(*loggers: logging.Logger) -> None:
    """Drop the known noise from every handler of ``loggers`` and of the root logger, and
    SQLAlchemy's warning, in this process and the workers it forks."""
    warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")
    for logger in (*loggers, logging.getLogger()):
        logger.addFilter(DropKnownNoise())
        for handler in logger.handlers:
            handler.addFilter(DropKnownNoise())
