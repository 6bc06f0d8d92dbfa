"""nbgrader steps that grade recorded answers in the grader's own process, and the
``course-grade`` command that grades a class safely.

Configured in ``nbgrader_config.py``: :class:`HarvestRecordedAnswers` first among the
sanitize preprocessors, :class:`WithholdScoredTests` and :class:`HandGradeWidgetAnswers`
after ``OverwriteCells``;
:class:`ExecuteInSandbox` (kernels in bubblewrap), then :class:`ScoreRecordedAnswers`;
:class:`TruncateLargeOutputs` after ``LimitOutput``; :class:`RemoveHiddenTests` again in
``generate_feedback``; :class:`RefuseUnsafeFiles` first of all, with the safe exchange
collect, zip-collect extractor and CSV export. See ``docs/grading.md``."""

from .collect import LmsFileNames
from .execute import ExecuteInSandbox
from .export import CourseCsvExport
from .feedback import FeedbackExporter
from .graded_part import KeepGradedPart
from .handgrade import HandGradeWidgetAnswers
from .harvest import HarvestRecordedAnswers
from .hide import RemoveHiddenTests, WithholdScoredTests
from .late import LatePolicy
from .provisioner import SandboxProvisioner
from .rubric import ShowRubric
from .sandbox import SandboxedKernelManager
from .score import ScoreRecordedAnswers
from .truncate import TruncateLargeOutputs
from .untrusted import RefuseUnsafeFiles, SafeExchangeCollect, SafeExtractor
from .variants import StudentVariants

__all__ = ["CourseCsvExport", "ExecuteInSandbox", "FeedbackExporter", "HandGradeWidgetAnswers",
           "HarvestRecordedAnswers", "KeepGradedPart", "LatePolicy", "LmsFileNames",
           "RefuseUnsafeFiles", "RemoveHiddenTests", "SafeExchangeCollect", "SafeExtractor",
           "SandboxProvisioner", "SandboxedKernelManager", "ScoreRecordedAnswers", "ShowRubric",
           "StudentVariants", "TruncateLargeOutputs", "WithholdScoredTests"]
