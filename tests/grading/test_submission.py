"""coursegrade.submission: a submission folder read without trusting anything in it.

Unit tests, no grading: the notebook checks made before nbgrader sees a file, and
staging (the copy nbgrader grades). Hostile folders graded end to end are in
test_paths.py.
"""

import os

import pytest

from coursegrade.submission import check_notebook, stage, submission_hash
from grading_helpers import ASSIGNMENT, committed_notebook, submit

SOLUTION = committed_notebook("solutions")
RELEASE = committed_notebook("release")
NB = f"{ASSIGNMENT}.ipynb"


@pytest.mark.parametrize("content, status, reason", [
    (b"", "failed", "empty file: x.ipynb (0 bytes)"),
    (b"  \n", "failed", "empty file"),
    (b"\xff\xfe{", "failed", "not valid JSON: x.ipynb is not UTF-8"),
    (b'{"cells": [', "failed", "not valid JSON: x.ipynb: Expecting value"),
    (b"[1, 2]", "failed", "not a notebook: x.ipynb is a JSON list"),
    (b'{"nbformat": 9, "nbformat_minor": 0, "cells": [], "metadata": {}}', "failed", "not a notebook: x.ipynb"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
     b'[{"cell_type": "code", "id": "a", "metadata": {}, "source": "1"}]}', "flagged", "invalid notebook: x.ipynb"),
    (RELEASE.read_bytes(), "graded", ""),
    ("link", "failed", "x.ipynb is a symbolic link: not followed"),
    ("fifo", "failed", "x.ipynb is a FIFO, not a regular file: not read"),
])
def test_check_notebook(tmp_path, content, status, reason):
    path = tmp_path / "x.ipynb"
    if content == "link":
        os.symlink(RELEASE, path)
    elif content == "fifo":
        os.mkfifo(path)           # reading it would block for ever
    else:
        path.write_bytes(content)
    got = check_notebook(path)
    assert got[0] == status and reason in got[1], f"{content[:40]!r}: {got}, expected ({status!r}, ...{reason!r}...)"


def test_staging_leaves_the_students_folder_alone(tmp_path):
    """A wrongly named notebook is staged under the expected name; the student's folder
    and its hash do not change; a notebook of the right name later is the student's."""
    folder = submit(tmp_path, "s", {"mine.ipynb": RELEASE})
    before = submission_hash(tmp_path / "submitted", "s", ASSIGNMENT)
    status, reasons, gradable, sha = stage(tmp_path / "submitted", "s", ASSIGNMENT, [NB], tmp_path / "staged")
    assert (status, gradable, sha) == ("flagged", True, before), (status, reasons)
    assert sorted(p.name for p in folder.iterdir()) == ["mine.ipynb"], "the student's folder changed"
    assert (tmp_path / "staged" / "s" / ASSIGNMENT / NB).read_bytes() == RELEASE.read_bytes()
    (folder / NB).write_bytes(SOLUTION.read_bytes())
    status, reasons, gradable, sha = stage(tmp_path / "submitted", "s", ASSIGNMENT, [NB], tmp_path / "staged2")
    assert (status, reasons) == ("graded", []) and sha != before, (status, reasons)
