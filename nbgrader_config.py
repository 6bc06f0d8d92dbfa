"""nbgrader configuration for the course; works from the repository root as it is."""

from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from course.grading import HarvestRecordedAnswers, ScoreRecordedAnswers

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "aws-shared-responsibility"
c.CourseDirectory.root = str(Path(__file__).resolve().parent)

# Answer cells keep the widget call and invite a code answer instead of raising.
c.ClearSolutions.code_stub = {
    "python": "# Choose above, or answer in code: answer(item, value). Either is recorded.",
}

# Notebooks run in about a second; a stuck cell should not hold up a class for long.
c.Execute.timeout = 20

# Graded widget answers: kept before outputs are cleared, scored right after execution.
c.Autograde.sanitize_preprocessors = [
    HarvestRecordedAnswers,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    Execute,
    ScoreRecordedAnswers,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
