"""nbgrader for ``coursegrade grade``: the API, configured as ``nbgrader`` would be, and
the gradebook made ready before any worker grades.

Owns: loading the course's nbgrader configuration (:func:`open_nbgrader`), the checks
that the gradebook and the sandbox can work at all (:func:`check_gradebook_url`,
:func:`check_grading_can_run`), the assignments and students added before the
workers start (:func:`ensure_in_gradebook`, :func:`ensure_students`), and calling
nbgrader's API with a retry when SQLite stayed locked (:func:`call_nbgrader`,
:func:`failure_reason`).
"""

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from .errors import CourseError
from .records import GRADING_REPORT_SUFFIX

SQLITE_TIMEOUT = 60      # seconds a worker waits for another one's gradebook write
LOCKED_RETRIES = 3       # nbgrader calls made again when the gradebook stayed locked anyway


@contextlib.contextmanager
def _in_dir(path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def open_nbgrader(root):
    """``(app, api)``: nbgrader's API for the course at ``root``, configured as ``nbgrader`` would be.

    Loads the Jupyter config files and ``<root>/nbgrader_config.py`` (the config of
    the course, including the grading preprocessors) through nbgrader's own app, and
    gives the SQLite gradebook a long busy timeout so that parallel workers wait for
    each other's writes instead of failing with "database is locked".
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader

    root = Path(root)
    with _in_dir(root):
        app = NbGrader()
        try:
            app.initialize(["--log-level=WARN"], root=str(root))
        except SystemExit as err:
            raise CourseError(f"nbgrader cannot load the course configuration {root / 'nbgrader_config.py'}") from err
    coursedir = app.coursedir
    # nbgrader copies a submission's other files on into autograded/ and feedback/.
    # Not ours (.coursegrade*), and no grading reports: a student's own
    # *.grading.json must not pass for one, and the real ones are for the instructor.
    coursedir.ignore = list(coursedir.ignore) + [".coursegrade*", "*" + GRADING_REPORT_SUFFIX]
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
    from .sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as err:
        raise CourseError(f"cannot grade here: {err}") from None


def failure_reason(result):
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


def call_nbgrader(call):
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
                              f"{failure_reason(result)}")
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


def max_scores(api, assignments):
    """``{assignment: max score}`` from the gradebook."""
    with api.gradebook as gb:
        return {a: gb.find_assignment(a).max_score for a in assignments}
