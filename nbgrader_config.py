"""nbgrader configuration for the course; works from the repository root as it is."""

from pathlib import Path

import nbgrader
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

import course.checkpoint
import course.grading
from course.grading import (
    CourseCsvExport,
    ExecuteInSandbox,
    FeedbackExporter,
    HandGradeWidgetAnswers,
    HarvestRecordedAnswers,
    KeepGradedPart,
    LatePolicy,
    LmsFileNames,
    RefuseUnsafeFiles,
    RemoveHiddenTests,
    SafeExchangeCollect,
    SafeExtractor,
    ScoreRecordedAnswers,
    ShowRubric,
    TruncateLargeOutputs,
    WithholdScoredTests,
)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = course.checkpoint.COURSE_ID  # students' submit command names it
c.CourseDirectory.root = str(Path(__file__).resolve().parent)

# Answer cells keep the widget call and invite a code answer instead of raising.
c.ClearSolutions.code_stub = {
    "python": "# Your answer: use the widget, or write it in code as the instructions say.",
}

# Notebooks run in about a second; a stuck cell should not hold up a class for long.
c.Execute.timeout = 20
# Widget state is of no use in a graded notebook and would triple its size.
c.Execute.store_widget_state = False

# Deleted test cells come back instead of staying "needs manual grade" (course-grade also
# restores them, with every other graded cell, before nbgrader runs).
c.OverwriteCells.add_missing_cells = True

# Graded widget answers: kept before outputs are cleared, scored right after execution. The
# kernel runs test cells without their hidden tests, in a sandbox (docs/grading.md); the
# scorer reads the keys from the gradebook in this process.
# A submission holding a link, a hard link or a special file fails before anything of it is
# read or copied for the kernel (course-grade moves such entries away first: docs/grading.md).
c.Autograde.sanitize_preprocessors = [
    RefuseUnsafeFiles,
    HarvestRecordedAnswers,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    WithholdScoredTests,
    HandGradeWidgetAnswers,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    ExecuteInSandbox,
    ScoreRecordedAnswers,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    TruncateLargeOutputs,
    ShowRubric,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback shows each item's result and explanation, never the hidden test code, in the
# course's page template (nbgrader's feedback template without "Out[ ]: 0.6667" and
# "Comments: No response."). Show only right/wrong, not the right answers, for keys reused
# across terms: c.ScoreRecordedAnswers.reveal = False (docs/grading.md).
# The template is set on FeedbackExporter, not HTMLExporter: the formgrader's own exporter
# (its grading pages) keeps nbgrader's templates. KeepGradedPart: the page shows the title
# and the graded part only, not the lesson around it (course/grading/graded_part.py).
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, RemoveHiddenTests,
                                    KeepGradedPart]
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.template_file = "course.html.j2"  # in the "feedback" template of both folders
c.FeedbackExporter.extra_template_basedirs = [
    str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
    str(Path(course.grading.__file__).parent / "templates"),
]

# The formgrader shows autograded notebooks as pages of the Jupyter server itself: a script a
# submission put there (in markdown, or displayed by its code when autograde ran it) would act
# as the instructor. nbconvert's own switch, with the course's allow-list
# (course/grading/formgrade.py), shows such HTML as text. Feedback pages are the student's own
# (files, not served with the instructor's rights) and keep the course's HTML as it is.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": "course.grading.formgrade.inert_html",
                          "markdown2html": "course.grading.formgrade.inert_markdown"}
c.FeedbackExporter.sanitize_html = False
c.FeedbackExporter.filters = {}

# Each student is graded on their own version of every item, derived from their student id
# (course/identity.py); an answer recorded as another student ("own": scored against the
# submitter's version; "recorded": the version it was given to; "zero") or with no class id
# is reported and scored by these policies (docs/grading.md, "Versions of an item").
c.StudentVariants.enabled = True
c.ScoreRecordedAnswers.other_student = "own"
c.ScoreRecordedAnswers.no_student = "recorded"

# Collect (exchange or zip) never follows a link a student placed; grades.csv is quoted, safe to
# open in a spreadsheet, and leaves ungraded submissions blank with a status.
c.ExchangeFactory.collect = SafeExchangeCollect
c.ZipCollectApp.extractor_plugin = SafeExtractor
c.ExportApp.plugin_class = CourseCsvExport

# Due dates (nbgrader's own, set in the gradebook by course-grade) and the late policy: 10 % of
# a notebook's points per started day late, 0 from 7 days, after per-student extensions in
# extensions.csv (student_id, assignment, days; git-ignored). docs/grading.md, "Due dates".
# c.GradeAssignment.due = {"01-model": "2027-01-18 23:59:00 +0000"}
c.AssignLatePenalties.plugin_class = LatePolicy
c.LatePolicy.penalty_per_day = 0.1
c.LatePolicy.cutoff_days = 7

# LMS downloads (course-grade --zip-collect, nbgrader zip_collect): file names as Canvas,
# Moodle and Blackboard Learn write them (course/grading/lms.toml), students by LMS id through
# the roster (docs/grading.md, "Collecting from an LMS").
c.ZipCollectApp.collector_plugin = LmsFileNames
