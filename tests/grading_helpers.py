"""Helpers for the tests of the grading command (``coursegrade grade``).

Shared by tests/grading and tests/browser/test_formgrader.py, so it lives in tests/
itself: pytest puts tests/ on ``sys.path`` when it loads tests/conftest.py (rootdir
import, ``--import-mode=prepend``), and every test imports it by name
(``from grading_helpers import ...``), never by path.

The tests build a small temporary course -- ``nbgrader_config.py`` and
``source/<assignment>/`` of one assignment -- and use the committed
``solutions/<a>/<a>.ipynb`` (full marks) and ``release/<a>/<a>.ipynb`` (zero) as
submissions. The command runs in-process (``coursegrade.cli.main``), except where a
real Ctrl-C is sent to it. Grading one notebook takes about 3.5 s, so the tests grade
as few as they can: later tests work on copies of a course graded once.
"""

import contextlib
import csv
import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]   # tests/grading_helpers.py -> the repository
ASSIGNMENT = "03_loss"  # small and quick to grade


def committed_notebook(kind, assignment=ASSIGNMENT):
    """``solutions/<a>/<a>.ipynb`` or ``release/<a>/<a>.ipynb`` of the repository."""
    return ROOT / kind / assignment / f"{assignment}.ipynb"


def make_course(root, assignments=(ASSIGNMENT,)):
    """A minimal course in ``root``: the repository's nbgrader_config.py and some source/ folders."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for assignment in assignments:
        shutil.copytree(ROOT / "source" / assignment, root / "source" / assignment,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return root


def submit(root, student, files, assignment=ASSIGNMENT):
    """Put ``files`` ({name: bytes or a Path to copy}) into submitted/<student>/<assignment>/."""
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copyfile(content, folder / name)
        else:
            (folder / name).write_bytes(content)
    return folder


class Run:
    """The outcome of one ``coursegrade grade`` call: exit code, output, CSV rows."""

    def __init__(self, code, out, err, csv_path):
        self.code, self.out, self.err = code, out, err
        self.rows = read_csv(csv_path) if Path(csv_path).exists() else []

    @property
    def by_key(self):
        """{(student, assignment): row}; see also :func:`assert_one_row_each`."""
        return {(row["student"], row["assignment"]): row for row in self.rows}

    def __repr__(self):
        return f"<exit {self.code}>\n--- stdout\n{self.out}\n--- stderr (last 2000 chars)\n{self.err[-2000:]}"


def grade(root, *args):
    """Run ``coursegrade grade --course-dir root ARGS`` in this process; return a :class:`Run`."""
    from coursegrade import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["grade", "--course-dir", str(root), *args])
    return Run(code, out.getvalue(), err.getvalue(), Path(root) / "grades.csv")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def assert_one_row_each(run, expected_keys):
    """Every expected (student, assignment) has exactly one row, and there are no others."""
    keys = [(row["student"], row["assignment"]) for row in run.rows]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    assert not doubled, f"several rows for {doubled}\n{run!r}"
    assert set(keys) == set(expected_keys), (f"rows for {sorted(set(keys))}, expected {sorted(expected_keys)}: "
                                             f"missing {sorted(set(expected_keys) - set(keys))}, "
                                             f"unexpected {sorted(set(keys) - set(expected_keys))}\n{run!r}")


def autograded(root, student, assignment=ASSIGNMENT):
    return Path(root) / "autograded" / student / assignment


def snapshot(root, students, assignment=ASSIGNMENT):
    """{student: (record text, mtime_ns of the autograded notebook or None)}: what a re-grade changes."""
    from coursegrade.records import RECORD_NAME

    state = {}
    for student in students:
        folder = autograded(root, student, assignment)
        record = folder / RECORD_NAME
        notebook = folder / f"{assignment}.ipynb"
        state[student] = (record.read_text() if record.exists() else None,
                          notebook.stat().st_mtime_ns if notebook.exists() else None)
    return state


def copy_course(src, dst):
    """A copy of a (graded) course: gradebook, records and all, file times kept."""
    shutil.copytree(src, dst, symlinks=True)
    return Path(dst)
