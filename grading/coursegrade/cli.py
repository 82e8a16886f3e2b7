"""``coursegrade grade``: the one grading command for instructors (``make grade``).

    coursegrade grade [ASSIGNMENT ...] [--zip FILE ...] [--jobs N] [--force]
                      [--retry-failed] [--csv FILE] [--course-dir DIR]

grades every submission ``submitted/<student>/<assignment>/`` of the named
assignments (default: every assignment in ``source/``) and writes one CSV row per
student and assignment: ``student, assignment, score, max_score, status, reason``.

* ``--zip FILE`` first collects an LMS download into ``submitted/``
  (:mod:`coursegrade.collect`: whose file each entry is comes from the LMS's folder or
  file names; everything skipped is reported).
* The gradebook must know an assignment before nbgrader can grade it: a missing one
  is added with ``generate_assignment``, released into a throwaway folder so that
  the committed ``release/`` is never touched.
* Each submission folder is read without following anything in it and copied into a
  staging folder of the grader (:mod:`coursegrade.submission`: regular files only,
  size-capped, a wrongly named notebook under the expected name; every entry not read
  is named on the row). nbgrader autogrades that copy and writes its feedback HTML, in
  a pool of worker processes that import nbgrader once. Student ids that are not
  safe (globs, ``..``, path separators) get a ``failed`` row and never reach nbgrader.
* The gradebook's assignments and students are created before the workers start. A
  submission whose grading failed for the grader's own reason (an error in nbgrader
  or coursegrade, not a property of the submission) is graded once more in the run;
  if it fails again, its row says so and its record makes the next run try again.
* After a submission is done, :data:`RECORD_NAME` in its autograded folder records
  the outcome, a SHA-256 of the submitted files and one of what grades them (the
  instructor's notebooks, the config, the library: :func:`grader_hash`). A later run
  skips a submission whose record matches both, so the command can be re-run (or
  resumed after Ctrl-C) at any time, and a fixed test is applied to everyone;
  ``--force`` grades everything again.

Statuses: ``graded`` (score stands), ``flagged`` (score computed, held for review:
a renamed notebook, cells needing manual grading, or the execution report that the
grading preprocessor writes as ``<notebook>.grading.json``), ``failed`` (no score:
nothing gradable was submitted, or grading raised). The exit code is 0 whenever
every submission got its row, failed ones included; it is non-zero only when the
command itself cannot run (bad arguments, no course, a zip that is not a zip).
"""

import argparse
import contextlib
import csv
import datetime
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .collect import CollectError, collect_zip
from .submission import (STATUSES, UnsafePath, check_notebook, first_line as _first_line,  # noqa: F401
                         id_problem, shown, stage, submission_hash, worst)

CSV_FIELDS = ("student", "assignment", "score", "max_score", "status", "reason")
RECORD_NAME = ".coursegrade.json"            # in autograded/<student>/<assignment>/
STAGING_PREFIX = ".coursegrade-staged-"      # in the course root: what nbgrader grades, per run
FAILURE_LOG = ".coursegrade.log"             # nbgrader's log of a failed autograde
REPORT_SUFFIX = ".grading.json"              # execution report of the grading preprocessor
WORKER_LOG = "coursegrade.log"               # in the course root: the workers' stdout/stderr
SQLITE_TIMEOUT = 60      # seconds a worker waits for another one's gradebook write
LOCKED_RETRIES = 3       # autograde again when the gradebook stayed locked anyway
GRADER_ERROR_NOTE = ("an error of the grader, not of the submission: it was graded twice in this run "
                     "and the next run grades it again")


class CourseError(Exception):
    """The command cannot run (bad arguments, no course); the message says why."""


# --- small helpers -----------------------------------------------------------------------

def _number(value):
    """A score for the CSV: 17.0 -> 17, 2.5 -> 2.5."""
    value = float(value or 0)
    return int(value) if value.is_integer() else round(value, 2)


def make_row(student, assignment, status, reasons, score=0, max_score=0):
    """One CSV row (a dict with :data:`CSV_FIELDS`)."""
    return {"student": student, "assignment": assignment, "score": _number(score),
            "max_score": _number(max_score), "status": status, "reason": "; ".join(reasons)}


def write_json_atomic(path, data):
    """Write ``data`` as JSON to ``path`` through a temporary file and os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_json(path):
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _in_dir(path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


# --- one submission folder ---------------------------------------------------------------

def find_submissions(submitted, assignment):
    """``[(student, problem)]`` for the folders ``submitted/<student>/<assignment>``.

    ``problem`` is None for a folder to grade, else why it is not read: a student id
    that is not safe (:func:`id_problem`; ``student`` is then its :func:`shown` form,
    for the CSV and the terminal), or a student folder that is a symbolic link
    (reported for every assignment: where it points is not looked at). Hidden entries
    (ours) and plain files in ``submitted/`` are not submissions.
    """
    submitted = Path(submitted)
    if not submitted.is_dir():
        return []
    found = []
    for name in sorted(os.listdir(submitted)):
        if name.startswith("."):
            continue
        mode = os.lstat(submitted / name).st_mode
        if stat.S_ISLNK(mode):
            found.append((shown(name), f"not read: submitted/{shown(name)} is a symbolic link, not a folder: "
                                       "not followed"))
        elif stat.S_ISDIR(mode) and os.path.lexists(submitted / name / assignment):
            problem = id_problem(name)
            found.append((shown(name) if problem else name, problem))
    return found


def grader_hash(root, assignment):
    """SHA-256 over what decides an assignment's grades besides the submission.

    That is the instructor's notebooks (the tests), the assignment's grading contract
    (``contract.toml``: what is switched off), ``nbgrader_config.py``, the reference
    library ``nnlearn`` and this package. A record made under other ones is
    out of date: after a test is fixed, the next run grades every submission again.
    """
    import importlib.util

    root = Path(root)
    files = [(f"source/{p.name}", p) for p in sorted((root / "source" / assignment).glob("*.ipynb"))]
    files.append(("source/contract.toml", root / "source" / assignment / "contract.toml"))
    files.append(("nbgrader_config.py", root / "nbgrader_config.py"))
    for package in ("nnlearn", "coursegrade"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files += [(f"{package}/{p.relative_to(folder).as_posix()}", p) for p in sorted(Path(folder).rglob("*.py"))]
    digest = hashlib.sha256()
    for name, path in files:
        if path.is_file():
            digest.update(name.encode() + b"\0" + _sha256_file(path).encode() + b"\n")
    return digest.hexdigest()


def read_execution_reports(folder):
    """Merge the execution reports (``*.grading.json``) in an autograded folder.

    Each is ``{"status": "graded" | "flagged", "reasons": [...]}``. Returns
    ``(status, reasons)``; ``("graded", [])`` when there is none. An unreadable
    report flags the submission.
    """
    status, reasons = "graded", []
    for path in sorted(Path(folder).glob("*" + REPORT_SUFFIX)):
        report = read_json(path)
        if not isinstance(report, dict) or report.get("status") not in STATUSES:
            status = worst(status, "flagged")
            reasons.append(f"unreadable execution report {path.name}")
            continue
        status = worst(status, report["status"])
        reasons.extend(str(r) for r in report.get("reasons") or [])
    return status, reasons


# --- nbgrader ----------------------------------------------------------------------------

def open_nbgrader(root):
    """nbgrader's API for the course at ``root``, configured as ``nbgrader`` would be.

    Loads the Jupyter config files and ``<root>/nbgrader_config.py`` (the config of
    the course, including the grading preprocessors) through nbgrader's own app, and
    gives the SQLite gradebook a long busy timeout so that parallel workers wait for
    each other's writes instead of failing with "database is locked".
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader

    with _in_dir(root):
        app = NbGrader()
        try:
            app.initialize(["--log-level=WARN"], root=str(root))
        except SystemExit as err:
            raise CourseError(f"nbgrader cannot load the course configuration {root / 'nbgrader_config.py'}") from err
    coursedir = app.coursedir
    # nbgrader copies a submission's other files on into autograded/ and feedback/.
    # Not ours (.coursegrade*), and no execution reports: a student's own
    # *.grading.json must not pass for one, and the real ones are for the instructor.
    coursedir.ignore = list(coursedir.ignore) + [".coursegrade*", "*" + REPORT_SUFFIX]
    if coursedir.db_url.startswith("sqlite:///") and "?" not in coursedir.db_url:
        coursedir.db_url += f"?timeout={SQLITE_TIMEOUT}"
    check_gradebook_url(coursedir.db_url, coursedir.course_id)
    return app, NbGraderAPI(coursedir=coursedir, parent=app)


def check_gradebook_url(db_url, course_id):
    """Raise CourseError for a database gradebook that nbgrader 0.9.6 cannot use as set.

    Measured with PostgreSQL (tests/grading/test_postgres.py): a bare ``postgresql://``
    makes SQLAlchemy 2.1 look for psycopg 3, and nbgrader's default course_id ``""``
    is never recorded in its course table, so adding an assignment breaks a foreign key.
    """
    scheme = db_url.split(":", 1)[0]
    if scheme.startswith("sqlite"):
        return
    where = "in nbgrader_config.py"
    if scheme == "postgresql":
        raise CourseError(f"the gradebook URL {scheme}://... does not name its driver: write "
                          f"c.CourseDirectory.db_url = 'postgresql+psycopg2://...' {where} "
                          "(and pip install psycopg2-binary)")
    if not course_id:
        raise CourseError(f"a {scheme} gradebook needs a course id: set c.CourseDirectory.course_id = "
                          f"'<your course>' {where} (with nbgrader's default, '', adding an assignment "
                          "breaks a foreign key of the gradebook)")


def check_grading_can_run(app):
    """Raise CourseError when the course's autograding cannot run on this machine.

    With the sandboxed execution of ``nbgrader_config.py`` that means bubblewrap must
    work here; otherwise every submission would fail for the same reason.
    """
    config = app.config
    preprocessors = config.Autograde.autograde_preprocessors if "Autograde" in config else []
    if not any(getattr(p, "__name__", str(p)).endswith("SandboxedExecute") for p in preprocessors or []):
        return
    from coursegrade.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as err:
        raise CourseError(f"cannot grade here: {err}") from None


def _failure_reason(result):
    """A one-line reason from the result of an NbGraderAPI call that failed."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    if "database is locked" in text:
        return "the gradebook database stayed locked"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # nbgrader logs the traceback of the real error, then raises a generic
    # NbGraderException("Please see the ... traceback ..."): prefer the real one.
    errors = [line for line in lines
              if re.match(r"^[\w.]+(Error|Exception|Interrupt|Exit)\b.*", line)
              and "Please see the" not in line and "There was an error" not in line]
    if errors:
        return errors[0][:300]
    logged = [line for line in lines if line.startswith("[ERROR]")]
    return (logged[0] if logged else lines[-1] if lines else "unknown error")[:300]


def _call_nbgrader(call):
    """Run an NbGraderAPI call; again (up to LOCKED_RETRIES times) if the gradebook was locked."""
    for attempt in range(LOCKED_RETRIES + 1):
        result = call()
        text = (result.get("log") or "") + (result.get("error") or "")
        if result["success"] or "database is locked" not in text or attempt == LOCKED_RETRIES:
            return result
        time.sleep(1 + attempt)
    return result


def ensure_in_gradebook(api, assignments):
    """Add the assignments the gradebook does not know (a fresh clone has no gradebook.db).

    ``generate_assignment`` records the assignment, its notebooks and cells; it is
    released into a temporary folder, so the committed release/ is never touched.
    Returns the names added.
    """
    from nbgrader.api import MissingEntry

    added = []
    for assignment in assignments:
        with api.gradebook as gb:
            try:
                gb.find_assignment(assignment)
                continue
            except MissingEntry:
                pass
        with tempfile.TemporaryDirectory(prefix="coursegrade-release-") as release:
            old = api.coursedir.release_directory
            api.coursedir.release_directory = release
            try:
                result = api.generate_assignment(assignment, force=True, create=True)
            finally:
                api.coursedir.release_directory = old
        if not result["success"]:
            raise CourseError(f"nbgrader generate_assignment {assignment} failed, so it cannot be graded: "
                              f"{_failure_reason(result)}")
        added.append(assignment)
    return added


def ensure_students(api, students):
    """Add the students the gradebook does not know, here, before the workers start.

    nbgrader's autograde adds a new student itself; two workers grading two
    assignments of one new student at once both tried, and one failed with
    ``UNIQUE constraint failed: student.id``.
    """
    with api.gradebook as gb:
        known = {student.id for student in gb.students}
        for student in students:
            if student not in known:
                gb.add_student(student)


# --- the worker processes ----------------------------------------------------------------

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


def _ignore_sigint(signum, frame):
    """Ctrl-C in the terminal reaches the workers too; the main process handles it.

    A handler function rather than SIG_IGN: programs the worker starts get the
    default SIGINT behaviour back (an ignored signal would stay ignored in them).
    """


def _init_worker(root, cancel, log_path):
    """Set up one worker process: quiet, in the course root, nbgrader loaded once."""
    global _STATE
    signal.signal(signal.SIGINT, _ignore_sigint)
    # nbgrader, kernels and sandboxes write to stdout/stderr; keep the terminal for the
    # progress bar and put all that in the course's coursegrade.log.
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    os.chdir(root)
    _STATE = _WorkerState(root, cancel)


def _ping():
    """A no-op task: returns once a worker has started."""
    return True


def grade_task(task):
    """Autograde one submission, write its feedback and its record; return its CSV row.

    ``task`` holds student, assignment, sha256 and the status and reasons of the
    checks made before grading. Any error becomes a ``failed`` row. Returns None
    when the run was interrupted meanwhile: then no record is written and the
    submission is graded again by the next run.
    """
    state = _STATE
    student, assignment = task["student"], task["assignment"]
    if state.cancel.is_set():
        return None
    status, reasons = task["status"], list(task["reasons"])
    autograded = state.autograded_dir(student, assignment)
    score, max_score, grader_error = 0, 0, False
    try:
        max_score = state.max_score(assignment)
        result = _call_nbgrader(lambda: _autograde_staged(state, task))
        if not result["success"]:
            status, grader_error = "failed", True
            reasons.append(f"autograde failed: {_failure_reason(result)} (nbgrader's log: "
                           f"{autograded.relative_to(state.root) / FAILURE_LOG})")
            autograded.mkdir(parents=True, exist_ok=True)
            (autograded / FAILURE_LOG).write_text((result.get("log") or "") + (result.get("error") or ""),
                                                  encoding="utf-8")
        else:
            feedback = _call_nbgrader(lambda: state.api.generate_feedback(assignment, student, force=True))
            if not feedback["success"]:
                status = worst(status, "flagged")
                reasons.append(f"no feedback: {_failure_reason(feedback)}")
            score, max_score, manual = state.scores(student, assignment)
            if manual:
                status = worst(status, "flagged")
                reasons.append(f"{manual} cell(s) need manual grading")
            report_status, report_reasons = read_execution_reports(autograded)
            status = worst(status, report_status)
            reasons.extend(report_reasons)
    except Exception as err:  # noqa: BLE001 -- one bad submission must never stop the batch
        status, score, grader_error = "failed", 0, True
        reasons.append(f"grading error: {type(err).__name__}: {_first_line(err)}")
    if state.cancel.is_set():
        return None
    if grader_error:
        reasons.append(GRADER_ERROR_NOTE)
    row = make_row(student, assignment, status, reasons, score, max_score)
    write_record(autograded, row, task["sha256"], task["grader"], grader_error=grader_error)
    if grader_error:
        row["retry"] = True     # taken out by Pool before the row reaches the CSV
    return row


def _autograde_staged(state, task):
    """nbgrader's autograde of the staged copy (``task["staged"]``, relative to the course root).

    ``STAGED_ENV`` tells ``SandboxedExecute`` that nbgrader reads a copy of regular files
    only, so it need not check the folder (it refuses an unsafe one when nbgrader is
    run by hand: ``execute.refuse_unsafe_folder``).
    """
    from coursegrade.execute import STAGED_ENV

    coursedir = state.coursedir
    old = coursedir.submitted_directory
    coursedir.submitted_directory = task["staged"]
    os.environ[STAGED_ENV] = "1"
    try:
        return state.api.autograde(task["assignment"], task["student"], force=True, create=True)
    finally:
        coursedir.submitted_directory = old
        os.environ.pop(STAGED_ENV, None)


def write_record(autograded, row, sha256, grader, grader_error=False):
    """The record that marks a submission as done (see :func:`find_record`).

    With ``grader_error`` (grading failed for the grader's own reason) it is kept for
    the instructor but does not count as done: the next run grades it again.
    """
    record = dict(row, sha256=sha256, grader=grader, grader_error=grader_error,
                  graded_at=datetime.datetime.now(datetime.timezone.utc).isoformat())
    write_json_atomic(Path(autograded) / RECORD_NAME, record)


def find_record(autograded, sha256, grader):
    """The CSV row of a finished submission whose files are unchanged, else None."""
    record = read_json(Path(autograded) / RECORD_NAME)
    if not isinstance(record, dict) or record.get("sha256") != sha256 or record.get("grader") != grader \
            or record.get("status") not in STATUSES or record.get("grader_error"):
        return None
    if not all(field in record for field in CSV_FIELDS):
        return None
    return {field: record[field] for field in CSV_FIELDS}


# --- the pool ----------------------------------------------------------------------------

class Interrupted(Exception):
    """Ctrl-C: the running submissions were stopped without records; re-run to resume."""


def _pool_context():
    """forkserver where there is one (Linux): workers are forked from a server process
    that imported nbgrader once, so a new pool starts in a fraction of a second; spawn
    elsewhere. Never plain fork: the main process runs threads (the progress bar's)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["coursegrade.cli", "coursegrade.execute", "nbgrader.apps.api",
                                        "nbgrader.apps.baseapp", "nbclient", "jupyter_client.manager"])
        return context
    return multiprocessing.get_context("spawn")


class Pool:
    """Run :func:`grade_task` over tasks in worker processes, ``jobs`` at a time.

    At most ``jobs`` tasks are handed out at once, so when a worker process dies (the
    pool breaks) only the tasks then running are suspect: they are graded again one
    at a time, each alone in a fresh pool, and the one that kills its worker again
    gets a ``failed`` row (without a record: the next run tries again). The other
    tasks go on in a new pool.
    """

    def __init__(self, root, jobs):
        self.root, self.jobs = Path(root), jobs
        self.on_row = self.died_row = None
        self.context = _pool_context()
        self.cancel = self.context.Event()
        self._warm = None        # (executor, workers) started by warm_up, not yet used
        self._warming = None     # the thread that starts them

    def warm_up(self):
        """Start the worker processes now, without waiting: they load nbgrader while the
        main process gets the gradebook ready. :meth:`run` uses them.

        From a thread: starting the first worker waits until the forkserver has
        imported nbgrader (about 2 s), which the main process spends importing it too.
        """
        workers = self.jobs

        def start():
            executor = self._new_executor(workers)
            for _ in range(workers):
                executor.submit(_ping)
            self._warm = (executor, workers)

        self._warming = threading.Thread(target=start, name="coursegrade-warm-up", daemon=True)
        self._warming.start()

    @property
    def warmed_up(self):
        return self._warming is not None

    def _take_warm(self):
        """The warmed-up (executor, workers), once started, or None; only once."""
        if self._warming is not None:
            self._warming.join()
            self._warming = None
        warm, self._warm = self._warm, None
        return warm

    def close(self):
        """Shut down warmed-up workers that :meth:`run` did not use."""
        warm = self._take_warm()
        if warm is not None:
            warm[0].shutdown(wait=True, cancel_futures=True)

    def run(self, tasks, on_row, died_row):
        self.on_row, self.died_row = on_row, died_row
        self.queue = queue = deque(tasks)
        while queue:
            for task in self._run_parallel(queue):
                self._run_alone(task)

    def _finish(self, task, row):
        """Hand a row on; a row failed by the grader's own error is first graded once more."""
        if row is not None and row.pop("retry", False) and not task.get("retried"):
            self.queue.append(dict(task, retried=True))
            return
        self.on_row(task, row)

    def _run_parallel(self, queue):
        """Grade from ``queue`` until it is empty or the pool breaks; return the suspects."""
        outstanding, suspects = {}, []
        with self._executor(min(self.jobs, len(queue))) as executor:
            while queue or outstanding:
                while queue and len(outstanding) < self.jobs and not suspects:
                    task = queue.popleft()
                    outstanding[executor.submit(grade_task, task)] = task
                if not outstanding:
                    break
                done, _ = wait(outstanding, return_when=FIRST_COMPLETED)
                for future in done:
                    task = outstanding.pop(future)
                    try:
                        row = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                    else:
                        self._finish(task, row)
        return suspects

    def _run_alone(self, task):
        with self._executor(1) as executor:
            try:
                row = executor.submit(grade_task, task).result()
            except BrokenProcessPool:
                row = self.died_row(task)
            self._finish(task, row)

    def _new_executor(self, workers):
        return ProcessPoolExecutor(max_workers=workers, mp_context=self.context, initializer=_init_worker,
                                   initargs=(str(self.root), self.cancel, str(self.root / WORKER_LOG)))

    @contextlib.contextmanager
    def _executor(self, workers):
        """A pool of ``workers`` processes, shut down on leaving.

        A worker that dies while starting is the setup's fault (nothing was graded
        yet): then the command stops rather than fail every submission. On Ctrl-C the
        running tasks stop without writing records, then :class:`Interrupted` is raised.
        """
        warm = self._take_warm()
        if warm is not None and warm[1] >= workers:
            executor = warm[0]
        else:
            if warm is not None:
                warm[0].shutdown(wait=True, cancel_futures=True)
            executor = self._new_executor(workers)
        try:
            try:
                executor.submit(_ping).result()
            except BrokenProcessPool:
                raise CourseError("the grading worker processes die while starting; "
                                  f"see {self.root / WORKER_LOG}") from None
            yield executor
        except KeyboardInterrupt:
            self.cancel.set()
            print("\ninterrupted: stopping the submissions being graded (their results are dropped and "
                  "they are graded again next time); press Ctrl-C again to kill them now", file=sys.stderr)
            try:
                executor.shutdown(wait=True, cancel_futures=True)
            except KeyboardInterrupt:
                for process in list((getattr(executor, "_processes", None) or {}).values()):
                    process.terminate()
            raise Interrupted() from None
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


# --- the command -------------------------------------------------------------------------

def find_assignments(root):
    """The assignments of the course: folders of source/ holding a notebook."""
    source = root / "source"
    return sorted(p.name for p in source.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.ipynb")))


def zip_assignment(zip_path, named, known):
    """The assignment a zip belongs to: the one named on the command line, or in its file name."""
    if len(named) == 1:
        return named[0]
    candidates = [a for a in (named or known) if a in Path(zip_path).name]
    if len(candidates) != 1:
        raise CourseError(f"cannot tell which assignment {zip_path} holds: name exactly one assignment "
                          f"(coursegrade grade ASSIGNMENT --zip {zip_path}) or put its name in the file name")
    return candidates[0]


def default_jobs():
    """One worker per CPU core available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def write_csv(path, rows):
    """Write the rows to ``path`` (through a temporary file, so a reader never sees half of it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


def grade(args):
    """Run ``coursegrade grade``; return the exit code."""
    root = Path(args.course_dir).resolve()
    if not (root / "nbgrader_config.py").is_file() or not (root / "source").is_dir():
        raise CourseError(f"{root} is not a course: it needs nbgrader_config.py and source/ "
                          "(run from the course root or pass --course-dir)")
    known = find_assignments(root)
    unknown = [a for a in args.assignments if a not in known]
    if unknown:
        raise CourseError(f"unknown assignment {unknown[0]!r}: source/ has {', '.join(known) or 'no assignments'}")
    assignments = [a for a in known if a in args.assignments] if args.assignments else known
    zips = [Path(z).resolve() for z in args.zip]
    for z in zips:
        if not z.is_file():
            raise CourseError(f"no such zip file: {z}")
    zip_targets = [(z, zip_assignment(z, args.assignments, known)) for z in zips]
    for _, assignment in zip_targets:
        if assignment not in assignments:
            assignments.append(assignment)
    csv_path = Path(args.csv).resolve() if args.csv else root / "grades.csv"

    pool = Pool(root, args.jobs or default_jobs())
    graders = {a: grader_hash(root, a) for a in assignments}
    staged_root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        return _grade(args, root, assignments, zip_targets, csv_path, pool, graders, staged_root)
    finally:
        pool.close()
        shutil.rmtree(staged_root, ignore_errors=True)


def _probably_ungraded(root, assignments, args, graders):
    """A quick guess, before nbgrader is loaded, at whether some submission needs grading.

    It assumes nbgrader's default folders (submitted/, autograded/). When it says yes,
    the worker processes start at once and load nbgrader while this process does (1.7 s
    of imports each); a wrong guess only costs that head start or a few idle workers.
    """
    if args.zip or args.force:
        return True
    for assignment in assignments:
        for student, problem in find_submissions(root / "submitted", assignment):
            if problem:
                continue
            try:
                done = find_record(root / "autograded" / student / assignment,
                                   submission_hash(root / "submitted", student, assignment), graders[assignment])
            except (OSError, UnsafePath):
                return True
            if done is None or (args.retry_failed and done["status"] == "failed"):
                return True
    return False


def _grade(args, root, assignments, zip_targets, csv_path, pool, graders, staged_root):
    if _probably_ungraded(root, assignments, args, graders):
        (root / WORKER_LOG).write_text("", encoding="utf-8")
        pool.warm_up()
    app, api = open_nbgrader(root)
    coursedir = api.coursedir
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    for z, assignment in zip_targets:
        try:
            report = collect_zip(z, root, submitted, assignment)
        except CollectError as err:
            raise CourseError(str(err)) from None
        print(f"collected {z.name} into submitted/*/{assignment}/" + "".join(f"\n  {line}" for line in report))

    # Every submission folder gets a row: from its record, from the checks, or graded.
    # Rows of failed checks get their max score once the gradebook is ready (below).
    # A submission is graded from its staged copy (staged_root/<student>/<assignment>/),
    # never from submitted/. Rows without a record (sha None) are reported again next run.
    rows, tasks, unreadable, skipped = [], [], [], 0
    expected_keys = []
    for assignment in assignments:
        expected = sorted(p.name for p in (root / "source" / assignment).glob("*.ipynb"))
        for student, problem in find_submissions(submitted, assignment):
            expected_keys.append((student, assignment))
            if problem:   # never passed to nbgrader, nor used in a path
                unreadable.append((student, assignment, [problem], None, None))
                continue
            autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
            try:
                sha = submission_hash(submitted, student, assignment)
                done = None if args.force else find_record(autograded, sha, graders[assignment])
                if done is not None and not (args.retry_failed and done["status"] == "failed"):
                    rows.append(done)
                    skipped += 1
                    continue
                status, reasons, gradable, sha = stage(submitted, student, assignment, expected, staged_root)
            except UnsafePath as err:
                unreadable.append((student, assignment, [f"not read: {err}"], None, None))
                continue
            except OSError as err:  # an unreadable folder: this submission fails, the rest go on
                unreadable.append((student, assignment, [f"cannot read the submission: {err}"], None, None))
                continue
            if gradable:
                tasks.append({"student": student, "assignment": assignment, "sha256": sha,
                              "grader": graders[assignment], "staged": staged_root.name,
                              "status": status, "reasons": reasons})
            else:
                shutil.rmtree(staged_root / student / assignment, ignore_errors=True)
                unreadable.append((student, assignment, reasons, sha, autograded if sha else None))

    jobs = max(1, min(args.jobs or default_jobs(), len(tasks) or 1))
    pool.jobs = jobs
    if tasks:
        check_grading_can_run(app)
        if not pool.warmed_up:
            (root / WORKER_LOG).write_text("", encoding="utf-8")
            pool.warm_up()        # the workers load nbgrader while the gradebook gets ready
    added = ensure_in_gradebook(api, assignments)
    if added:
        print(f"added to the gradebook: {', '.join(added)}")
    ensure_students(api, sorted({task["student"] for task in tasks}))
    with api.gradebook as gb:
        max_scores = {a: gb.find_assignment(a).max_score for a in assignments}
    for student, assignment, reasons, sha, autograded in unreadable:
        row = make_row(student, assignment, "failed", reasons, 0, max_scores[assignment])
        if sha is not None:
            write_record(autograded, row, sha, graders[assignment])
        rows.append(row)

    print(f"{len(expected_keys)} submission(s) of {', '.join(assignments)}: {len(tasks)} to grade"
          + (f" ({jobs} worker(s))" if tasks else "")
          + f", {skipped} already graded and unchanged (--force grades them again)"
          + (f", {len(expected_keys) - len(tasks) - skipped} with nothing to grade" if
             len(expected_keys) - len(tasks) - skipped else ""))
    if tasks:
        from tqdm import tqdm

        progress = tqdm(total=len(tasks), desc="grading", unit="submission", file=sys.stderr,
                        dynamic_ncols=True)

        def on_row(task, row):
            shutil.rmtree(staged_root / task["student"] / task["assignment"], ignore_errors=True)
            if row is not None:
                rows.append(row)
                progress.update(1)

        def died_row(task):
            # No record: the next run tries again (the cause may lie outside the submission).
            return make_row(task["student"], task["assignment"], "failed",
                            task["reasons"] + ["the grading process died while grading this submission "
                                               "(out of memory, or killed?); the next run tries again"],
                            0, max_scores[task["assignment"]])

        try:
            pool.run(tasks, on_row, died_row)
        except Interrupted:
            progress.close()
            print(f"interrupted after {progress.n} of {len(tasks)} submission(s); nothing graded is lost: "
                  "run the same command again to grade the rest", file=sys.stderr)
            return 130
        progress.close()

    # Nobody lost, nobody twice.
    counts = Counter((row["student"], row["assignment"]) for row in rows)
    lost = sorted(set(expected_keys) - set(counts))
    doubled = sorted(key for key, n in counts.items() if n > 1)
    if lost or doubled:
        print(f"coursegrade: internal error: {len(lost)} submission(s) without a row {lost[:5]}, "
              f"{len(doubled)} with several rows {doubled[:5]}; grades.csv not written", file=sys.stderr)
        return 1
    rows.sort(key=lambda row: (row["assignment"], row["student"]))
    write_csv(csv_path, rows)

    tally = Counter(row["status"] for row in rows)
    print(f"graded {tally['graded']}, flagged {tally['flagged']}, failed {tally['failed']}: "
          f"{len(rows)} row(s) in {csv_path}")
    for row in rows:
        if row["status"] != "graded":   # a reason may quote a submission: no control characters
            line = f"  {row['status']:7} {row['assignment']} {row['student']}: {row['reason']}"
            print("".join(c if c.isprintable() else ascii(c)[1:-1] for c in line))
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="coursegrade", description="Grading tools for the course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd = commands.add_parser(
        "grade", help="grade all submissions of some or all assignments",
        description="Autograde every submitted/<student>/<assignment>/ (and LMS zips), write feedback "
                    "and one CSV row per student and assignment. Safe to re-run: unchanged submissions "
                    "that were graded before are skipped.")
    cmd.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                     help="assignments to grade (default: every assignment in source/)")
    cmd.add_argument("--zip", action="append", default=[], metavar="FILE",
                     help="an LMS download to collect into submitted/ first (repeatable): Moodle student "
                          "folders, or files named <student_id>_<anything>_<assignment>.ipynb")
    cmd.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                     help=f"submissions graded at once (default: the number of CPU cores, {default_jobs()})")
    cmd.add_argument("--force", action="store_true", help="grade again even submissions graded before")
    cmd.add_argument("--retry-failed", action="store_true",
                     help="grade again the unchanged submissions whose earlier grading failed")
    cmd.add_argument("--csv", metavar="FILE", help="where to write the grades (default: grades.csv in the course)")
    cmd.add_argument("--course-dir", default=".", metavar="DIR",
                     help="the course root, with nbgrader_config.py and source/ (default: the current folder)")
    return parser


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv=None):
    """The ``coursegrade`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return grade(args)
    except CourseError as err:
        print(f"coursegrade grade: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted before grading started; nothing was changed that a re-run cannot redo",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
