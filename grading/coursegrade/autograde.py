"""One submission, graded in a pool worker: nbgrader's autograde and feedback, then its row.

Owns what a pool worker process does (:mod:`coursegrade.pool` starts them):
:func:`start_worker` loads nbgrader once per process; :func:`grade_task` autogrades
one staged submission (``records.Task``), writes its feedback, merges the grading
reports of its notebooks (``records.GradingReport``) into the status and reasons,
saves its ``records.Record`` and returns its ``records.Row``.
"""

import os
from dataclasses import replace
from pathlib import Path

from .gradebook import call_nbgrader, failure_reason, open_nbgrader
from .records import (FAILED, FAILURE_LOG, FLAGGED, GRADED, GRADING_REPORT_SUFFIX, GradingReport, Record,
                      RecordError, Row, worst)
from .submission import first_line

GRADER_ERROR_NOTE = ("an error of the grader, not of the submission: it was graded twice in this run "
                     "and the next run grades it again")


class _WorkerState:
    """What a worker process keeps between submissions: nbgrader, imported once."""

    def __init__(self, root, cancel):
        self.root = Path(root)
        self.cancel = cancel
        self.app, self.api = open_nbgrader(self.root)
        self.coursedir = self.api.coursedir
        self.max_scores = {}

    def autograded_dir(self, student, assignment):
        return Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, assignment))

    def max_score(self, assignment):
        if assignment not in self.max_scores:
            with self.api.gradebook as gb:
                self.max_scores[assignment] = gb.find_assignment(assignment).max_score
        return self.max_scores[assignment]

    def scores(self, student, assignment):
        """(score, max_score, number of cells needing manual grading) from the gradebook."""
        with self.api.gradebook as gb:
            submission = gb.find_submission(assignment, student)
            manual = sum(1 for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
            return submission.score, submission.max_score, manual


_STATE = None


def start_worker(root, cancel):
    """Load nbgrader for the course at ``root`` in this worker process (once)."""
    global _STATE
    _STATE = _WorkerState(root, cancel)


def read_grading_reports(folder):
    """Merge the grading reports (``*.grading.json``) in an autograded folder.

    Returns ``(status, reasons)``; ``("graded", [])`` when there is none. An
    unreadable report flags the submission.
    """
    status, reasons = GRADED, []
    for path in sorted(Path(folder).glob("*" + GRADING_REPORT_SUFFIX)):
        try:
            report = GradingReport.load(path)
        except RecordError as err:
            status = worst(status, FLAGGED)
            reasons.append(f"unreadable grading report ({err})")
            continue
        status = worst(status, report.status)
        reasons.extend(str(r) for r in report.reasons)
    return status, reasons


def grade_task(task):
    """Autograde one submission, write its feedback and its record; return ``(row, retry)``.

    Any error becomes a ``failed`` row; ``retry`` is True when it was the grader's own
    error (the pool grades it once more). Returns None when the run was interrupted
    meanwhile: then no record is written and the next run grades it again.
    """
    state = _STATE
    student, assignment = task.student, task.assignment
    if state.cancel.is_set():
        return None
    status, reasons = task.status, list(task.reasons)
    autograded = state.autograded_dir(student, assignment)
    score, max_score, grader_error = 0, 0, False
    try:
        max_score = state.max_score(assignment)
        result = call_nbgrader(lambda: _autograde_staged(state, task))
        if not result["success"]:
            status, grader_error = FAILED, True
            reasons.append(f"autograde failed: {failure_reason(result)} (nbgrader's log: "
                           f"{autograded.relative_to(state.root) / FAILURE_LOG})")
            autograded.mkdir(parents=True, exist_ok=True)
            (autograded / FAILURE_LOG).write_text((result.get("log") or "") + (result.get("error") or ""),
                                                  encoding="utf-8")
        else:
            feedback = call_nbgrader(lambda: state.api.generate_feedback(assignment, student, force=True))
            if not feedback["success"]:
                status = worst(status, FLAGGED)
                reasons.append(f"no feedback: {failure_reason(feedback)}")
            score, max_score, manual = state.scores(student, assignment)
            if manual:
                status = worst(status, FLAGGED)
                reasons.append(f"{manual} cell(s) need manual grading")
            report_status, report_reasons = read_grading_reports(autograded)
            status = worst(status, report_status)
            reasons.extend(report_reasons)
    except Exception as err:  # noqa: BLE001 -- one bad submission must never stop the batch
        status, score, grader_error = FAILED, 0, True
        reasons.append(f"grading error: {type(err).__name__}: {first_line(err)}")
    if state.cancel.is_set():
        return None
    if grader_error:
        reasons.append(GRADER_ERROR_NOTE)
    row = Row.make(student, assignment, status, reasons, score, max_score)
    Record.of(row, task.sha256, task.grader, grader_error=grader_error).save_in(autograded)
    return row, grader_error


def _autograde_staged(state, task):
    """nbgrader's autograde of the staged copy (``task.staged``, relative to the course root).

    ``STAGED_ENV`` tells ``SandboxedExecute`` that nbgrader reads a copy of regular files
    only, so it need not check the folder (it refuses an unsafe one when nbgrader is
    run by hand: ``execute.refuse_unsafe_folder``).
    """
    from .execute import STAGED_ENV

    coursedir = state.coursedir
    old = coursedir.submitted_directory
    coursedir.submitted_directory = task.staged
    os.environ[STAGED_ENV] = "1"
    try:
        return state.api.autograde(task.assignment, task.student, force=True, create=True)
    finally:
        coursedir.submitted_directory = old
        os.environ.pop(STAGED_ENV, None)


def retried(task):
    """The task to grade once more after a grader error."""
    return replace(task, retried=True)
