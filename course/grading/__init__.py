"""nbgrader steps that grade recorded answers in the grader's own process.

Configured in ``nbgrader_config.py``: :class:`HarvestRecordedAnswers` first among the
sanitize preprocessors, :class:`ScoreRecordedAnswers` right after ``Execute``."""

from .harvest import HarvestRecordedAnswers
from .score import ScoreRecordedAnswers

__all__ = ["HarvestRecordedAnswers", "ScoreRecordedAnswers"]
