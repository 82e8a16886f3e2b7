"""``coursegrade grade``: the one grading command for instructors (``make grade``).

    coursegrade grade [ASSIGNMENT ...] [--zip FILE ...] [--jobs N] [--force]
                      [--retry-failed] [--csv FILE] [--course-dir DIR]

grades every submission ``submitted/<student>/<assignment>/`` of the named
assignments (default: every assignment in ``source/``) and writes one CSV row per
student and assignment: ``student, assignment, score, max_score, status, reason``.

* ``--zip FILE`` first collects an LMS download through nbgrader's ``zip_collect``
  into ``submitted/`` (see :data:`ZIP_REGEXP` for the file names it understands).
* The gradebook must know an assignment before nbgrader can grade it: a missing one
  is added with ``generate_assignment``, released into a throwaway folder so that
  the committed ``release/`` is never touched.
* Each submission is checked first (``nbformat`` read and validate; a wrongly named
  notebook is graded under the expected name), then autograded and given its
  feedback HTML by nbgrader, in a pool of worker processes that import nbgrader once.
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
command itself cannot run (bad arguments, no course, a zip nbgrader cannot collect).
"""

import argparse
import contextlib
import csv
import datetime
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

STATUSES = ("graded", "flagged", "failed")  # from best to worst
CSV_FIELDS = ("student", "assignment", "score", "max_score", "status", "reason")
RECORD_NAME = ".coursegrade.json"            # in autograded/<student>/<assignment>/
RENAMED_MARKER = ".coursegrade-renamed.json"  # in submitted/<student>/<assignment>/
FAILURE_LOG = ".coursegrade.log"             # nbgrader's log of a failed autograde
REPORT_SUFFIX = ".grading.json"              # execution report of the grading preprocessor
WORKER_LOG = "coursegrade.log"               # in the course root: the workers' stdout/stderr
SQLITE_TIMEOUT = 60      # seconds a worker waits for another one's gradebook write
LOCKED_RETRIES = 3       # autograde again when the gradebook stayed locked anyway

# zip_collect's FileNameCollectorPlugin.named_regexp for an LMS download, applied to
# each extracted file's full path. A file named
#     <student_id>_<anything>_<assignment>.ipynb    or    <student_id>_<assignment>.ipynb
# (student ids without "_"; a "-N" re-upload counter before .ipynb is dropped) is
# collected as submitted/<student_id>/<assignment>/<assignment>.ipynb. Any other
# <student_id>_<rest>.ipynb keeps <rest>.ipynb as its name, so that the student still
# gets a row (graded under the expected name and flagged, if it is their only notebook).
ZIP_REGEXP = (r".*[/\\](?P<student_id>[^/\\_]+)_"
              r"(?:.*_(?={assignment}(?:-\d+)?\.ipynb$))?"
              r"(?P<file_id>[^/\\]+?)(?:-\d+)?\.ipynb$")


class CourseError(Exception):
    """The command cannot run (bad arguments, no course); the message says why."""


# --- small helpers -----------------------------------------------------------------------

def worst(*statuses):
    """The worst of some statuses: graded < flagged < failed."""
    return max(statuses, key=STATUSES.index)


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

def our_copy(folder):
    """The notebook this command copied under the expected name, if still untouched.

    Returns its path, or None when there is no such copy (a copy the student has since
    replaced by a notebook of that name is theirs, not ours).
    """
    marker = read_json(Path(folder) / RENAMED_MARKER)
    if not isinstance(marker, dict) or not isinstance(marker.get("copy"), str):
        return None
    copy = Path(folder) / marker["copy"]
    if copy.is_file() and _sha256_file(copy) == marker.get("sha256"):
        return copy
    return None


def submission_hash(folder):
    """SHA-256 over the names and contents of the submitted files.

    Hidden files (ours, .ipynb_checkpoints) and the copy made for a wrongly named
    notebook are left out, so the hash changes only when the student's files do.
    """
    folder = Path(folder)
    skip = our_copy(folder)
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path == skip:
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(_sha256_file(path).encode() + b"\n")
    return digest.hexdigest()


def grader_hash(root, assignment):
    """SHA-256 over what decides an assignment's grades besides the submission.

    That is the instructor's notebooks (the tests), ``nbgrader_config.py``, the
    reference library ``nnlearn`` and this package. A record made under other ones is
    out of date: after a test is fixed, the next run grades every submission again.
    """
    import importlib.util

    root = Path(root)
    files = [(f"source/{p.name}", p) for p in sorted((root / "source" / assignment).glob("*.ipynb"))]
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


def check_notebook(path):
    """Check one submitted notebook with nbformat before grading.

    Returns ``(status, reason)``: ``("graded", "")`` for a valid notebook;
    ``("failed", reason)`` for an empty file, invalid JSON or JSON that is not a
    notebook; ``("flagged", reason)`` for a notebook that reads but does not validate
    (nbgrader may still grade it).
    """
    import nbformat

    path = Path(path)
    raw = path.read_bytes()
    if not raw.strip():
        return "failed", f"empty file: {path.name} ({len(raw)} bytes)"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return "failed", f"not valid JSON: {path.name} is not UTF-8 text ({err})"
    except json.JSONDecodeError as err:
        return "failed", f"not valid JSON: {path.name}: {err}"
    if not isinstance(data, dict):
        return "failed", f"not a notebook: {path.name} is a JSON {type(data).__name__}, not an object"
    if "nbformat" not in data:
        return "failed", f"not a notebook: {path.name} is JSON without the field 'nbformat'"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat warns about missing cell ids etc.
        try:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as err:  # nbformat raises many types for malformed notebooks
            return "failed", f"not a notebook: {path.name}: {_first_line(err)}"
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as err:
            return "flagged", f"invalid notebook: {path.name}: {_first_line(err.message)}"
    return "graded", ""


def _first_line(value):
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(value).__name__


def prepare_submission(folder, expected):
    """Decide what to grade in one submission folder.

    ``expected`` are the notebook names of the assignment (``["03_loss.ipynb"]``).
    When the only expected notebook is missing but exactly one other notebook is
    there, that one is copied under the expected name (the original stays). Returns
    ``(status, reasons, gradable)``.
    """
    folder = Path(folder)
    copy = our_copy(folder)
    if copy is not None:  # made by an earlier run: redo it from the current original
        copy.unlink()
    (folder / RENAMED_MARKER).unlink(missing_ok=True)

    present = sorted(p.name for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))
    where = f"{folder.parent.parent.name}/{folder.parent.name}/{folder.name}/"
    if not present:
        return "failed", [f"no notebook: {where} has no .ipynb file (expected {', '.join(expected)})"], False

    status, reasons = "graded", []
    missing = [name for name in expected if name not in present]
    others = [name for name in present if name not in expected]
    if len(expected) == 1 and missing and len(others) == 1:
        original, target = folder / others[0], folder / expected[0]
        shutil.copyfile(original, target)
        write_json_atomic(folder / RENAMED_MARKER, {"copy": target.name, "original": original.name,
                                                    "sha256": _sha256_file(target)})
        status, reasons = "flagged", [f"renamed: {original.name} graded as {target.name}"]
    elif missing and len(missing) == len(expected):
        return "failed", [f"no {' or '.join(expected)} in {where}, but {len(others)} other notebooks "
                          f"({', '.join(others)}): cannot tell which one to grade"], False
    elif missing:
        status, reasons = "flagged", [f"missing notebook: {name} (scored 0)" for name in missing]

    for name in expected:
        if (folder / name).is_file():
            check, reason = check_notebook(folder / name)
            if check != "graded":
                status = worst(status, check)
                reasons.append(reason)
    return status, reasons, status != "failed"


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


def collect_zip(root, zip_path, assignment, regexp, source_directory="source"):
    """Unpack an LMS download into submitted/<student>/<assignment>/ with nbgrader's zip_collect.

    The zip is copied into a temporary ``downloaded`` folder of its own (so that zips
    of earlier runs are not collected again); ``--force`` lets a new submission
    replace a student's earlier files. Returns zip_collect's warnings (files it skipped).
    """
    from nbgrader.apps.zipcollectapp import ZipCollectApp

    downloaded = Path(tempfile.mkdtemp(prefix=".coursegrade-zip-", dir=root))
    archive = downloaded / assignment / "archive"
    archive.mkdir(parents=True)
    shutil.copy2(zip_path, archive / Path(zip_path).name)
    buffer = _LogBuffer()
    app = ZipCollectApp()
    try:
        with _in_dir(root):
            app.initialize([assignment, "--force", "--log-level=WARN",
                            f"--ZipCollectApp.downloaded_directory={downloaded.name}",
                            f"--FileNameCollectorPlugin.named_regexp={regexp}",
                            # the valid notebook names: source/ has them even where
                            # release/ is missing or stale (zip_collect only reads it)
                            f"--CourseDirectory.release_directory={source_directory}",
                            f"--CourseDirectory.root={root}"])
            for handler in app.log.handlers:
                handler.setLevel(logging.ERROR)  # we print the warnings that matter
            app.log.addHandler(buffer)
            app.start()
    except SystemExit as err:  # zip_collect's fail() exits
        raise CourseError(f"nbgrader zip_collect could not collect {zip_path} for {assignment}: "
                          f"{buffer.text() or err}") from err
    finally:
        app.log.removeHandler(buffer)
        shutil.rmtree(downloaded, ignore_errors=True)
    extracted = str(downloaded / assignment / "extracted") + os.sep
    return [line.replace(extracted, "") for line in buffer.lines if "Skipped" in line or "Invalid" in line]


class _LogBuffer(logging.Handler):
    """A logging handler that keeps the messages it is given."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def text(self):
        return "; ".join(self.lines)


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
    score, max_score = 0, 0
    try:
        max_score = state.max_score(assignment)
        result = _call_nbgrader(lambda: state.api.autograde(assignment, student, force=True, create=True))
        if not result["success"]:
            status = "failed"
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
    except Exception as err:  # one bad submission must never stop the batch
        status, score = "failed", 0
        reasons.append(f"grading error: {type(err).__name__}: {_first_line(err)}")
    if state.cancel.is_set():
        return None
    row = make_row(student, assignment, status, reasons, score, max_score)
    write_record(autograded, row, task["sha256"], task["grader"])
    return row


def write_record(autograded, row, sha256, grader):
    """The record that marks a submission as done (see :func:`find_record`)."""
    record = dict(row, sha256=sha256, grader=grader, graded_at=datetime.datetime.now(datetime.timezone.utc).isoformat())
    write_json_atomic(Path(autograded) / RECORD_NAME, record)


def find_record(autograded, sha256, grader):
    """The CSV row of a finished submission whose files are unchanged, else None."""
    record = read_json(Path(autograded) / RECORD_NAME)
    if not isinstance(record, dict) or record.get("sha256") != sha256 or record.get("grader") != grader \
            or record.get("status") not in STATUSES:
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
        queue = deque(tasks)
        while queue:
            for task in self._run_parallel(queue):
                self._run_alone(task)

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
                        self.on_row(task, row)
        return suspects

    def _run_alone(self, task):
        with self._executor(1) as executor:
            try:
                row = executor.submit(grade_task, task).result()
            except BrokenProcessPool:
                row = self.died_row(task)
            self.on_row(task, row)

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
    try:
        return _grade(args, root, assignments, zip_targets, csv_path, pool, graders)
    finally:
        pool.close()


def _probably_ungraded(root, assignments, args, graders):
    """A quick guess, before nbgrader is loaded, at whether some submission needs grading.

    It assumes nbgrader's default folders (submitted/, autograded/). When it says yes,
    the worker processes start at once and load nbgrader while this process does (1.7 s
    of imports each); a wrong guess only costs that head start or a few idle workers.
    """
    if args.zip or args.force:
        return True
    for assignment in assignments:
        for folder in (root / "submitted").glob(f"*/{assignment}"):
            try:
                done = find_record(root / "autograded" / folder.parent.name / assignment,
                                   submission_hash(folder), graders[assignment])
            except OSError:
                return True
            if done is None or (args.retry_failed and done["status"] == "failed"):
                return True
    return False


def _grade(args, root, assignments, zip_targets, csv_path, pool, graders):
    if _probably_ungraded(root, assignments, args, graders):
        (root / WORKER_LOG).write_text("", encoding="utf-8")
        pool.warm_up()
    app, api = open_nbgrader(root)
    coursedir = api.coursedir
    for z, assignment in zip_targets:
        regexp = args.zip_regexp or ZIP_REGEXP.format(assignment=re.escape(assignment))
        skipped = collect_zip(root, z, assignment, regexp, coursedir.source_directory)
        print(f"collected {z.name} into submitted/*/{assignment}/" + "".join(f"\n  zip_collect: {s}" for s in skipped))

    # Every submission folder gets a row: from its record, from the checks, or graded.
    # Rows of failed checks get their max score once the gradebook is ready (below).
    rows, tasks, unreadable, skipped = [], [], [], 0
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    expected_keys = []
    for assignment in assignments:
        expected = sorted(p.name for p in (root / "source" / assignment).glob("*.ipynb"))
        students = sorted(p.name for p in submitted.glob("*") if (p / assignment).is_dir()
                          and not p.name.startswith(".")) if submitted.is_dir() else []
        for student in students:
            expected_keys.append((student, assignment))
            folder = submitted / student / assignment
            autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
            try:
                sha = submission_hash(folder)
                done = None if args.force else find_record(autograded, sha, graders[assignment])
                if done is not None and not (args.retry_failed and done["status"] == "failed"):
                    rows.append(done)
                    skipped += 1
                    continue
                status, reasons, gradable = prepare_submission(folder, expected)
            except OSError as err:  # an unreadable file: this submission fails, the rest go on
                unreadable.append((student, assignment, [f"cannot read the submission: {err}"], None, None))
                continue
            if gradable:
                tasks.append({"student": student, "assignment": assignment, "sha256": sha,
                              "grader": graders[assignment],
                              "status": status, "reasons": reasons})
            else:
                unreadable.append((student, assignment, reasons, sha, autograded))

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
        if row["status"] != "graded":
            print(f"  {row['status']:7} {row['assignment']} {row['student']}: {row['reason']}")
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
                     help="an LMS download to collect into submitted/ first (repeatable); files named "
                          "<student_id>_<anything>_<assignment>.ipynb")
    cmd.add_argument("--zip-regexp", metavar="REGEX",
                     help="nbgrader's FileNameCollectorPlugin.named_regexp for the zip files instead of the "
                          "built-in one (needs the groups student_id and file_id)")
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
