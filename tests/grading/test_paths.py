"""Nothing from a submission is followed or trusted as a path (``coursegrade grade``).

One course is graded once (``--jobs 2``, by the real grader, as whoever runs the
tests -- root on CI) with a classmate's honest submission and hostile ones: symbolic
links to the instructor's notebook, to a ``source/`` file, to ``gradebook.db``, to a
classmate's notebook and to ``/dev/zero``; a FIFO; a hard link; a 2 GiB sparse file;
a crafted renamed-notebook marker of the old grader; student ids that are a glob or
hold ``..``; a student folder and an assignment folder that are links; a copied answer
cell and a copied test cell (duplicate ``grade_id``: nbgrader 0.9.6 failed the whole
notebook with ``KeyError: 'grade_id'``); a ``timestamp.txt`` nbgrader cannot parse. Each row must
say what happened, the classmate must keep full marks, and nothing outside the
submissions may change: ``source/``, ``release/`` and every folder in ``submitted/``
are hashed (without following anything) before and after.
"""

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import nbformat
import pytest

from coursegrade.discover import STAGING_PREFIX
from coursegrade.records import RECORD_NAME
from grading_helpers import ASSIGNMENT, assert_one_row_each, committed_notebook, grade, make_course, submit

SOLUTION = committed_notebook("solutions")
RELEASE = committed_notebook("release")
NB = f"{ASSIGNMENT}.ipynb"
MAX_SCORE = sum(cell.metadata["nbgrader"]["points"] for cell in nbformat.read(SOLUTION, as_version=4).cells
                if cell.metadata.get("nbgrader", {}).get("grade"))
SENTINEL = "H2-SENTINEL-NEVER-IN-FEEDBACK"


def tree_state(root):
    """{relative path: what it is} below root, nothing followed: file hashes, link targets, kinds."""
    root = Path(root)
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):       # os.walk does not follow links
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = os.lstat(path)
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(st.st_mode):
                state[rel] = "link -> " + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                if st.st_size > 50 * 2**20:
                    state[rel] = f"big file {st.st_size} {st.st_mtime_ns}"
                else:
                    state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not stat.S_ISDIR(st.st_mode):
                state[rel] = f"special {stat.S_IFMT(st.st_mode):o}"
    return state


def _link(folder, name, target):
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(target, folder / name)


def _build(course):
    """The submissions; returns {student: (status, score, pieces of the reason)}."""
    sub = course / "submitted"
    source_nb = course / "source" / ASSIGNMENT / NB
    with open(course / "source" / ASSIGNMENT / "secret_notes.py", "w") as fh:
        fh.write(f"# {SENTINEL}\n")
    expect = {}

    submit(course, "classmate", {NB: SOLUTION})
    expect["classmate"] = ("graded", MAX_SCORE, [])

    _link(sub / "linksource" / ASSIGNMENT, NB, source_nb)         # the instructor's notebook
    expect["linksource"] = ("failed", 0, [f"not read: {NB}: a symbolic link", "no notebook"])

    # Beside a notebook (each one graded by nbgrader costs seconds, so they share one):
    # links to a source/ file and to the gradebook, a sparse 2 GiB file.
    folder = submit(course, "extras", {NB: RELEASE})
    _link(folder, "helper.txt", course / "source" / ASSIGNMENT / "secret_notes.py")
    _link(folder, "data.csv", course / "gradebook.db")
    with open(folder / "weights.bin", "wb") as fh:
        fh.truncate(2 * 2**30)                                     # 2 GiB, no disk used
    expect["extras"] = ("flagged", 0, ["not read: helper.txt: a symbolic link", "not read: data.csv: a symbolic link",
                                       "not read: weights.bin: too big: 2048.0 MiB"])

    _link(sub / "linkmate" / ASSIGNMENT, NB, sub / "classmate" / ASSIGNMENT / NB)
    expect["linkmate"] = ("failed", 0, [f"not read: {NB}: a symbolic link"])

    _link(sub / "devzero" / ASSIGNMENT, NB, "/dev/zero")
    expect["devzero"] = ("failed", 0, [f"not read: {NB}: a symbolic link"])

    folder = sub / "fifo" / ASSIGNMENT
    folder.mkdir(parents=True)
    os.mkfifo(folder / NB)
    expect["fifo"] = ("failed", 0, [f"not read: {NB}: a FIFO"])

    folder = sub / "hardlink" / ASSIGNMENT
    folder.mkdir(parents=True)
    os.link(source_nb, folder / NB)
    expect["hardlink"] = ("failed", 0, [f"not read: {NB}: a hard link"])

    # A linked folder, and a timestamp.txt nbgrader cannot parse (it stopped autograding).
    folder = submit(course, "subdirlink", {NB: SOLUTION, "timestamp.txt": b"yesterday-ish"})
    _link(folder, "data", course / "source")
    expect["subdirlink"] = ("flagged", MAX_SCORE, ["not read: data: a symbolic link",
                                                   "not read: timestamp.txt: not a time nbgrader reads"])

    # The old grader's marker: it deleted the "copy" named in it if the hash matched.
    folder = submit(course, "marker", {"mine.ipynb": SOLUTION})
    sha = hashlib.sha256(SOLUTION.read_bytes()).hexdigest()
    (folder / ".coursegrade-renamed.json").write_text(json.dumps(
        {"copy": f"../../classmate/{ASSIGNMENT}/{NB}", "original": "mine.ipynb", "sha256": sha}))
    expect["marker"] = ("flagged", MAX_SCORE, [f"renamed: mine.ipynb graded as {NB}"])

    # A copied answer cell and a copied test cell (metadata and all): duplicate grade_ids.
    # The test cell is copied as students see it (without its hidden part), before itself.
    nb = json.loads(SOLUTION.read_text())
    for kind in ("solution", "grade"):
        at = next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get(kind)
                  and (kind == "grade") != bool(c["metadata"]["nbgrader"].get("solution")))
        copy = json.loads(json.dumps(nb["cells"][at]))
        copy["id"] = f"copy-of-{copy.get('id', at)}"
        copy["source"] = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "",
                                "".join(copy["source"]), flags=re.S)
        nb["cells"].insert(at + 1 if kind == "solution" else at, copy)
    submit(course, "copiedcells", {NB: json.dumps(nb).encode()})
    expect["copiedcells"] = ("graded", MAX_SCORE, [])

    submit(course, "*", {NB: SOLUTION})                            # a glob to nbgrader
    expect["*"] = ("failed", 0, ["not a valid student id: '*'"])
    submit(course, "a..b", {NB: SOLUTION})
    expect["a..b"] = ("failed", 0, ["not a valid student id: 'a..b'"])

    os.symlink(sub / "classmate", sub / "linkfolder")              # a student folder that is a link
    expect["linkfolder"] = ("failed", 0, ["submitted/linkfolder is a symbolic link"])
    (sub / "linkassignment").mkdir()
    os.symlink(course / "source" / ASSIGNMENT, sub / "linkassignment" / ASSIGNMENT)
    expect["linkassignment"] = ("failed", 0, [f"linkassignment/{ASSIGNMENT}/ is a symbolic link"])
    return expect


@pytest.fixture(scope="module")
def graded(sandbox, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("paths") / "course")
    (course / "release" / ASSIGNMENT).mkdir(parents=True)
    (course / "release" / ASSIGNMENT / NB).write_bytes(b"committed release notebook")
    expect = _build(course)
    before = {name: tree_state(course / name) for name in ("source", "release", "submitted")}
    run = grade(course, "--jobs", "2")
    assert run.code == 0, repr(run)
    return course, expect, before, run


def test_every_hostile_submission_gets_its_row(graded):
    course, expect, _, run = graded
    assert_one_row_each(run, [(student, ASSIGNMENT) for student in expect])
    for student, (status, score, pieces) in expect.items():
        row = run.by_key[student, ASSIGNMENT]
        got = (row["status"], float(row["score"]))
        assert got == (status, score), f"{student}: {got}, expected {(status, score)}: {row['reason']!r}\n{run!r}"
        for piece in pieces:
            assert piece in row["reason"], f"{student}: reason {row['reason']!r} lacks {piece!r}"


def test_nothing_outside_the_submissions_changed(graded):
    course, _, before, _ = graded
    for name, state in before.items():
        after = tree_state(course / name)
        changed = sorted(k for k in set(state) | set(after) if state.get(k) != after.get(k))
        assert not changed, f"{name}/ changed: {changed[:10]}"
    assert not list(course.glob(STAGING_PREFIX + "*")), "staged copies left behind"


def test_no_linked_content_reaches_autograded_or_feedback(graded):
    course, _, _, _ = graded
    for top in ("autograded", "feedback"):
        for path in (course / top).rglob("*"):
            assert not path.is_symlink(), f"a link in {top}/: {path}"
            if path.is_file():
                assert SENTINEL.encode() not in path.read_bytes(), f"the linked source file reached {path}"
                assert path.stat().st_size < 50 * 2**20, f"a big file reached {path}"
    assert not (course / "autograded" / "extras" / ASSIGNMENT / "data.csv").exists()
    assert not (course / "autograded" / "extras" / ASSIGNMENT / "weights.bin").exists()
    assert not (course / "autograded" / "*").exists() and not (course / "autograded" / "a..b").exists()
    with_records = sorted(p.parent.parent.name for p in (course / "autograded").glob(f"*/*/{RECORD_NAME}"))
    assert "*" not in with_records and "linkfolder" not in with_records, with_records


def test_nbgrader_run_by_hand_refuses_a_folder_with_links(sandbox, tmp_path):
    """``nbgrader autograde`` run by hand (and the formgrader's Autograde button) reads
    submitted/ itself and copies supporting files through links: SandboxedExecute refuses
    such a folder, nbgrader records the autograde as failed and removes what it copied, so
    neither the gradebook nor the instructor's source reaches autograded/ or feedback."""
    import subprocess
    import sys

    course = make_course(tmp_path / "course")
    submit(course, "honest", {NB: SOLUTION})
    first = grade(course)                       # sets up the gradebook, as make grade does
    assert first.by_key[("honest", ASSIGNMENT)]["status"] == "graded", repr(first)
    folder = submit(course, "mallory", {NB: SOLUTION})
    os.symlink(course / "gradebook.db", folder / "grades.db")
    os.symlink(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.py", folder / "answers.txt")
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--student", "mallory",
                          "--force"], cwd=course, capture_output=True, text=True, timeout=600)
    log = run.stdout + run.stderr
    assert run.returncode != 0, f"nbgrader autograde graded a folder holding links:\n{log[-3000:]}"
    assert "holds entries that are not regular files" in log and "grades.db" in log, log[-3000:]
    dest = course / "autograded" / "mallory" / ASSIGNMENT
    copied = sorted(p.name for p in dest.iterdir()) if dest.exists() else []
    assert "grades.db" not in copied and "answers.txt" not in copied, f"nbgrader's copies stayed: {copied}"
    assert not (course / "feedback" / "mallory").exists()
