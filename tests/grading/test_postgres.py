"""``coursegrade grade`` with a PostgreSQL gradebook (``c.CourseDirectory.db_url``).

A course with several instructors grading at once keeps its gradebook on a
PostgreSQL server (grading/README.md, "Several graders"). These tests start a real,
throwaway server for the module -- ``initdb`` into a temporary folder under /tmp,
``pg_ctl start`` on a free port of 127.0.0.1, trust authentication for the role
``nbgrader``; as root both run as the ``postgres`` user, because PostgreSQL refuses to
run as root -- and stop it (``pg_ctl stop -m immediate``) and delete it afterwards.
Each test gets a database of its own.

* One course grades a full-marks and a zero submission (``--jobs 2``): the rows are
  right, no ``gradebook.db`` appears, and the scores are on the server.
* Two graders: two course folders (two instructors' machines) use one database, which
  was set up once as a course is; both run ``coursegrade grade --jobs 1`` at the same
  time on different students, and the database ends up holding all four submissions.

Without the server binaries or the driver (psycopg2, tests/requirements.txt) the
tests are skipped with the fix -- or fail, when ``COURSE_REQUIRE_POSTGRES=1`` (set by
``.ci/run``).
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from coursegrade.records import RECORD_NAME
from grading_helpers import (ASSIGNMENT, assert_one_row_each, autograded, committed_notebook, grade, make_course,
                             read_csv, submit)

SOLUTION = committed_notebook("solutions")
RELEASE = committed_notebook("release")
NB = f"{ASSIGNMENT}.ipynb"
ROLE = "nbgrader"        # the database superuser initdb creates; trust authentication, no password
SERVER_USER = "postgres"  # who runs the server when the tests run as root
COURSE_ID = "nnlearn"     # c.CourseDirectory.course_id: required with PostgreSQL (see _postgres_course)


def _unavailable(reason):
    """Skip the module's tests -- or fail them, when COURSE_REQUIRE_POSTGRES=1."""
    if os.environ.get("COURSE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"COURSE_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL test skipped: {reason}")


def _server_binaries():
    """The folder holding initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/*/bin; or None."""
    initdb = shutil.which("initdb")
    candidates = [Path(initdb).resolve().parent] if initdb else []
    # Debian keeps them off PATH, one folder per major version ("9.6" < "15": sort by number).
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
                         reverse=True)
    for folder in candidates:
        if all(os.access(folder / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return folder
    return None


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path, chars=3000):
    try:
        return Path(path).read_text(errors="replace")[-chars:]
    except OSError as error:
        return f"(no log: {error})"


class Server:
    """A running throwaway PostgreSQL server: its port, databases and URLs."""

    def __init__(self, port):
        self.port = port

    def connect(self, database="postgres"):
        import psycopg2
        return psycopg2.connect(host="127.0.0.1", port=self.port, user=ROLE, dbname=database, connect_timeout=10)

    def create_database(self, name):
        """A new empty database ``name``; returns its nbgrader db_url."""
        conn = self.connect()
        try:
            conn.autocommit = True      # CREATE DATABASE cannot run inside a transaction
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)

    def url(self, name):
        # "+psycopg2": SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, which is not installed.
        return f"postgresql+psycopg2://{ROLE}@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def postgres():
    """A real PostgreSQL server for this module, stopped and deleted afterwards: a :class:`Server`."""
    try:
        import psycopg2  # noqa: F401
        no_driver = None
    except ImportError as error:
        no_driver = f"no PostgreSQL driver ({error}; pip install -r tests/requirements.txt)"
    if no_driver:               # outside the except: no "during handling" chain in the message
        _unavailable(no_driver)
    binaries = _server_binaries()
    if binaries is None:
        _unavailable("no PostgreSQL server binaries (apt-get install postgresql)")
    as_user = {}
    if os.geteuid() == 0:       # initdb and postgres refuse to run as root
        try:
            pw = pwd.getpwnam(SERVER_USER)
        except KeyError:
            pw = None
        if pw is None:
            _unavailable(f"running as root and there is no {SERVER_USER!r} user to run the server "
                         f"(apt-get install postgresql creates it)")
        as_user = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}

    # Not under tmp_path: its parents may not be traversable by the postgres user.
    base = Path(tempfile.mkdtemp(prefix="coursegrade-pg-"))
    data = base / "data"
    log = data / "server.log"
    if as_user:
        os.chown(base, as_user["user"], as_user["group"])
    os.chmod(base, 0o700)

    def fail(args, result):
        pytest.fail(f"PostgreSQL server did not start: {' '.join(args)} exited {result.returncode}\n"
                    f"--- stdout\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-2000:]}\n"
                    f"--- server log {log} (tail)\n{_tail(log)}", pytrace=False)

    def run(*args):
        """Run one of the server's programs (as the server's user): its CompletedProcess."""
        return subprocess.run([str(binaries / args[0]), *args[1:]], cwd=base, capture_output=True, text=True,
                              timeout=120, **as_user)

    started = False
    try:
        args = ("initdb", "-D", str(data), "-A", "trust", "-U", ROLE, "-E", "UTF8", "--locale=C", "--no-sync")
        result = run(*args)
        if result.returncode != 0:
            fail(args, result)
        started = True          # from here on, stop it whatever happens
        for attempt in range(3):
            port = _free_port()
            log.unlink(missing_ok=True)
            args = ("pg_ctl", "start", "-w", "-t", "60", "-D", str(data), "-l", str(log),
                    "-o", f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off")
            result = run(*args)
            if result.returncode == 0:
                break
            # Another process may have taken the free port before the server bound it: try
            # another one; any other failure, or a third, fails the tests with the log.
            if attempt == 2 or "could not create any TCP/IP sockets" not in _tail(log):
                fail(args, result)
        server = Server(port)
        try:
            server.connect().close()
        except Exception as error:
            pytest.fail(f"PostgreSQL server started but does not take connections on 127.0.0.1:{port}: "
                        f"{error}\n--- server log {log} (tail)\n{_tail(log)}", pytrace=False)
        yield server
    finally:
        if started:
            stop = run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(data))
            pidfile = data / "postmaster.pid"
            if stop.returncode != 0 and pidfile.exists():   # never leave our server running
                try:
                    os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)
                except (OSError, ValueError, IndexError):
                    pass
        shutil.rmtree(base, ignore_errors=True)


# --- helpers -----------------------------------------------------------------------------

def _postgres_course(root, db_url):
    """A course (make_course) whose gradebook is ``db_url``.

    It also needs a course_id: with nbgrader's default "" no ``course`` row is ever
    made, and PostgreSQL (unlike SQLite, which does not check foreign keys) refuses
    the assignment's ``course_id`` -- generate_assignment fails with a ForeignKeyViolation.
    """
    course = make_course(root)
    with open(course / "nbgrader_config.py", "a") as fh:
        fh.write(f"\n# test_postgres.py: the gradebook on the test's PostgreSQL server\n"
                 f"c.CourseDirectory.db_url = {db_url!r}\n"
                 f"c.CourseDirectory.course_id = {COURSE_ID!r}\n")
    return course


def _stored(db_url):
    """{student: (score, max_score)} of the assignment's submissions, read back from the server."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=COURSE_ID) as gb:
        assert gb.engine.dialect.name == "postgresql", f"gradebook {db_url} is {gb.engine.dialect.name}"
        return {sub.student.id: (sub.score, sub.max_score) for sub in gb.assignment_submissions(ASSIGNMENT)}


def _students_in_database(server, database):
    """The student ids in nbgrader's ``student`` table, straight from psycopg2 (no nbgrader)."""
    conn = server.connect(database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM student ORDER BY id")
            return [row[0] for row in cur.fetchall()]
    finally:
        conn.close()


def _assert_no_sqlite(course):
    made = sorted(str(p.relative_to(course)) for p in course.rglob("gradebook.db"))
    assert not made, f"{course}: SQLite gradebook(s) {made} created although db_url names PostgreSQL"


def _check_scores(stored, expected, max_score, where):
    """stored {student: (score, max_score)} has exactly ``expected`` {student: score}."""
    assert sorted(stored) == sorted(expected), (f"{where}: submissions stored for {sorted(stored)}, "
                                                f"expected {sorted(expected)}")
    for student, score in expected.items():
        assert stored[student] == (score, max_score), (f"{where}: {student} stored as (score, max_score) = "
                                                       f"{stored[student]}, expected {(score, max_score)}")


# --- tests -------------------------------------------------------------------------------

def test_one_course_grades_into_postgres(sandbox, postgres, tmp_path):
    db_url = postgres.create_database("course")
    course = _postgres_course(tmp_path / "course", db_url)
    submit(course, "alice", {NB: SOLUTION})
    submit(course, "bob", {NB: RELEASE})

    run = grade(course, "--jobs", "2")
    assert run.code == 0, f"coursegrade grade with the gradebook {db_url} failed: {run!r}"
    assert_one_row_each(run, [("alice", ASSIGNMENT), ("bob", ASSIGNMENT)])
    alice, bob = run.by_key["alice", ASSIGNMENT], run.by_key["bob", ASSIGNMENT]
    max_score = float(alice["max_score"])
    assert max_score > 0, f"alice's row has max_score {alice['max_score']!r}, expected > 0\n{run!r}"
    got = {name: (row["status"], float(row["score"]), float(row["max_score"]))
           for name, row in (("alice", alice), ("bob", bob))}
    expected = {"alice": ("graded", max_score, max_score), "bob": ("graded", 0.0, max_score)}
    assert got == expected, f"(status, score, max_score) = {got}, expected {expected}\n{run!r}"
    _assert_no_sqlite(course)

    from nbgrader.api import Gradebook
    with Gradebook(db_url, course_id=COURSE_ID) as gb:
        in_db = gb.find_assignment(ASSIGNMENT).max_score
    assert in_db == max_score, f"{db_url}: assignment {ASSIGNMENT} has max_score {in_db}, the CSV {max_score}"
    _check_scores(_stored(db_url), {"alice": max_score, "bob": 0.0}, max_score, db_url)
    students = _students_in_database(postgres, "course")
    assert students == ["alice", "bob"], f"table student of database course holds {students}, expected alice, bob"


def test_two_graders_at_once_share_one_database(sandbox, postgres, tmp_path):
    db_url = postgres.create_database("graders")
    # Each instructor's machine has its own course folder, both with the one gradebook.
    first = _postgres_course(tmp_path / "first", db_url)
    second = _postgres_course(tmp_path / "second", db_url)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    # The course is set up once (tables, the assignment), as `make generate` would: two
    # processes creating nbgrader's tables in an empty database at once would race.
    setup = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from coursegrade.gradebook import ensure_in_gradebook, open_nbgrader; "
                            "print(ensure_in_gradebook(open_nbgrader(Path.cwd())[1], sys.argv[1:]))", ASSIGNMENT],
                           cwd=first, env=env, capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0 and ASSIGNMENT in setup.stdout, (
        f"setting up {db_url} from {first} failed (exit {setup.returncode}):\n{setup.stdout}\n{setup.stderr[-2000:]}")

    students = {first: {"carol": SOLUTION, "dave": RELEASE}, second: {"erin": RELEASE, "frank": SOLUTION}}
    for course, theirs in students.items():
        for student, notebook in theirs.items():
            submit(course, student, {NB: notebook})

    command = [sys.executable, "-m", "coursegrade", "grade", "--jobs", "1"]
    procs = {}
    try:
        for course in students:
            procs[course] = subprocess.Popen(command, cwd=course, env=env, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        outputs = {course: proc.communicate(timeout=300) for course, proc in procs.items()}
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    for course, proc in procs.items():
        out, err = outputs[course]
        assert proc.returncode == 0, (f"grader in {course.name}/ exited {proc.returncode}, expected 0\n"
                                      f"--- stdout\n{out}\n--- stderr (tail)\n{err[-2000:]}")
    # They graded at the same time: each wrote a record before the other's last one.
    written = {course: sorted((autograded(course, s) / RECORD_NAME).stat().st_mtime_ns / 1e9 for s in theirs)
               for course, theirs in students.items()}
    (a0, *_, a1), (b0, *_, b1) = written.values()
    assert a0 < b1 and b0 < a1, (f"the graders did not overlap: records written at {a0:.1f}..{a1:.1f} s (first) "
                                 f"and {b0:.1f}..{b1:.1f} s (second)")
    t0 = min(a0, b0)
    print(f"two graders: records written {a0 - t0:.1f}..{a1 - t0:.1f} s and {b0 - t0:.1f}..{b1 - t0:.1f} s")

    max_score = None
    for course, theirs in students.items():
        rows = {row["student"]: row for row in read_csv(course / "grades.csv")}
        assert sorted(rows) == sorted(theirs), (f"{course.name}/grades.csv has rows for {sorted(rows)}, "
                                                f"expected {sorted(theirs)}")
        for student, notebook in theirs.items():
            row = rows[student]
            max_score = float(row["max_score"])
            score = max_score if notebook == SOLUTION else 0.0
            got = (row["status"], float(row["score"]))
            assert max_score > 0 and got == ("graded", score), (
                f"{course.name}/grades.csv: {student} (status, score) = {got}, max_score {max_score}, "
                f"expected ('graded', {score}) of > 0")
        _assert_no_sqlite(course)

    expected = {"carol": max_score, "dave": 0.0, "erin": 0.0, "frank": max_score}
    _check_scores(_stored(db_url), expected, max_score, f"{db_url} after both graders")
    in_db = _students_in_database(postgres, "graders")
    assert in_db == sorted(expected), f"table student of database graders holds {in_db}, expected {sorted(expected)}"
