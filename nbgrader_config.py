"""nbgrader configuration for "How Neural Networks Learn".

nbgrader reads this file when it is started from the repository root (the Makefile
and scripts/generate.py always do that; `make course` starts JupyterLab there too).

    source/     instructor notebooks (and their jupytext .py authoring files)
    release/    student notebooks           <- nbgrader generate_assignment
    solutions/  executed solution notebooks <- nbgrader generate_solution (+ scripts/generate.py)
    submitted/, autograded/, feedback/, gradebook.db: grading state, never committed

What an assignment folder is, the solution/hidden-test markers and the time limits are
defined once, in grading/coursegrade/layout.py; the limits below come from there.
"""

from coursegrade import layout
from coursegrade.execute import SandboxedExecute
from coursegrade.repair import RestoreCells
from coursegrade.sanitize import SanitizeSubmission
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput,
                                    DeduplicateIds, GetGrades, IgnorePattern, LimitOutput, OverwriteKernelspec,
                                    SaveAutoGrades)

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

# --- Course layout ------------------------------------------------------------------
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.solution_directory = "solutions"

# The notebooks are authored as jupytext percent-format .py files next to the
# .ipynb in source/. They contain the solutions and hidden tests in plain text, so
# they must never be copied into release/ (nbgrader copies every other file of an
# assignment folder as a supporting file).
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.py",
    "contract.toml",    # the grading contract (coursegrade/contract.py): for the grader only
]

# --- Collecting from the exchange ------------------------------------------------------
# nbgrader's own collect copies the exchange inbox (where every student can write)
# following symbolic links, as the instructor: a link to source/ or gradebook.db would
# be copied into submitted/. This one copies regular files only and logs what it skips.
c.ExchangeFactory.collect = "coursegrade.exchange.SafeExchangeCollect"

# --- Execution ----------------------------------------------------------------------
# Every cell of these notebooks runs in well under a second; a cell that needs a
# minute is stuck (an infinite loop in a submission). 60 s per cell
# (layout.CELL_TIMEOUT) keeps one bad submission from holding up the whole grading run.
c.ExecutePreprocessor.timeout = layout.CELL_TIMEOUT
c.Execute.timeout = layout.CELL_TIMEOUT

# --- Autograding --------------------------------------------------------------------
# A student who deleted a test cell must not escape its points: put it back from the
# gradebook (otherwise nbgrader leaves the cell "needs manual grade"). nbgrader 0.9.6's
# own OverwriteCells fails on a notebook whose metadata an editor stripped, or from
# which a whole exercise was deleted (KeyError: the whole notebook scores 0);
# coursegrade's RestoreCells re-marks test cells by their text and restores the rest.
c.OverwriteCells.add_missing_cells = True
c.RestoreCells.add_missing_cells = True
# A submission is made inert for every page that renders it (the formgrader, the
# feedback HTML) before anything else reads it: coursegrade.sanitize.SanitizeSubmission
# (markdown HTML, raw cells, attachments, outputs, metadata; grading/README.md, "What
# renders a submission, and why it is safe").
c.Autograde.sanitize_preprocessors = [
    SanitizeSubmission,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreCells,
    CheckCellMetadata,
]

# nbgrader scores a test cell 0 when it writes *anything* to stderr. Some output on
# stderr is harmless and not the student's doing, so we drop a stderr stream output
# when it consists *only* of such lines (IgnorePattern drops a whole stderr output
# when the pattern matches it, so the pattern is anchored to the whole text with
# \A...\Z -- a real error printed next to a harmless warning is kept):
#
#   * "Matplotlib is building the font cache; this may take a moment." -- printed
#     once, by whichever cell first imports matplotlib on a fresh machine;
#   * DeprecationWarning / PendingDeprecationWarning / MatplotlibDeprecationWarning
#     raised inside an installed package (a path containing site-packages or
#     dist-packages), e.g. IPython, ipykernel, jupyter_client or matplotlib
#     deprecating something; Python prints these as "<file>:<line>: <Category>:
#     <message>" followed by one indented source line.
#
# Everything else on stderr still scores 0 -- in particular NumPy's
# "RuntimeWarning: overflow encountered in exp", which is exactly what an unstable
# sigmoid produces.
_FONT_CACHE = r"Matplotlib is building the font cache; this may take a moment\.\n"
_LIBRARY_DEPRECATION = (
    r"[^\n]*[/\\](?:site|dist)-packages[/\\][^\n]*:\d+: "
    r"(?:Pending)?(?:Matplotlib)?DeprecationWarning: [^\n]*\n"
    r"(?:  [^\n]*\n)?"
)
c.IgnorePattern.pattern = rf"\A(?:{_FONT_CACHE}|{_LIBRARY_DEPRECATION})+\Z"
c.IgnorePattern.enabled = True

# --- Sandboxed execution (grading/coursegrade) -----------------------------------------
# Stock nbgrader runs the hidden tests in the student's own kernel, where the student's
# code can patch whatever the tests use. Instead, SandboxedExecute runs the submission
# in a bubblewrap sandbox (no instructor files, no network, a memory limit, the
# assignment's reference answers switched off in nnlearn) and the instructor's tests in
# a separate, clean kernel that calls the student's functions through proxies. See
# grading/coursegrade/__init__.py and the README's "Grading" section.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
    SanitizeSubmission,   # again, last: covers the outputs the grader added (autograded/ is what the formgrader shows)
]
c.SandboxedExecute.cell_timeout = layout.CELL_TIMEOUT        # seconds per cell of the submission
c.SandboxedExecute.call_timeout = layout.CALL_TIMEOUT        # seconds per call of a student's function
c.SandboxedExecute.memory_mb = 2048                          # address space of the sandboxed submission
c.SandboxedExecute.submission_timeout = layout.SUBMISSION_TIMEOUT  # seconds for everything of one submission
c.SandboxedExecute.disk_mb = 256         # its private home, and its /tmp (both in memory)

# Feedback never shows hidden tests: their source is removed from the test cells, and
# SandboxedExecute already cut error tracebacks down to the exception's message.
c.GenerateFeedback.preprocessors = [SanitizeSubmission, GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
# Feedback pages show code cells as escaped plain text: syntax highlighting was about 70 %
# of generate_feedback's time (coursegrade/feedback.py). The formgrader keeps it.
from coursegrade.feedback import FeedbackExporter  # noqa: E402

c.GenerateFeedback.exporter_class = FeedbackExporter
# nbconvert's own sanitising, for the feedback HTML and the formgrader's pages: it cleans
# HTML outputs and raw cells and leaves out widget state and JavaScript outputs (nbgrader's
# templates render markdown without it: SanitizeSubmission covers that).
c.HTMLExporter.sanitize_html = True
