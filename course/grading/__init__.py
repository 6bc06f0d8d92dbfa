"""nbgrader steps that grade recorded answers in the grader's own process, and the
``course-grade`` command that grades a class safely.

Configured in ``nbgrader_config.py``: :class:`HarvestRecordedAnswers` first among the
sanitize preprocessors and :class:`WithholdScoredTests` after ``OverwriteCells``;
:class:`ExecuteInSandbox` (kernels in bubblewrap), then :class:`ScoreRecordedAnswers`;
:class:`TruncateLargeOutputs` after ``LimitOutput``; :class:`RemoveHiddenTests` again in
``generate_feedback``. See ``docs/grading.md``."""

from .execute import ExecuteInSandbox
from .harvest import HarvestRecordedAnswers
from .hide import RemoveHiddenTests, WithholdScoredTests
from .sandbox import SandboxedKernelManager
from .score import ScoreRecordedAnswers
from .truncate import TruncateLargeOutputs

__all__ = ["ExecuteInSandbox", "HarvestRecordedAnswers", "RemoveHiddenTests",
           "SandboxedKernelManager", "ScoreRecordedAnswers", "TruncateLargeOutputs",
           "WithholdScoredTests"]
