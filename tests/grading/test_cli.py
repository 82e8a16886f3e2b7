"""``coursegrade grade``, the one grading command (``make grade``), end to end.

One temporary course with one assignment is graded once (``--jobs 2``) with a
submission of each kind -- the solution, the untouched release notebook, malformed
JSON, an empty file, JSON that is not a notebook, the solution under another name,
no notebook at all -- and the later tests work on copies of it: a re-run skips what
was graded, a changed submission and one whose record is missing (an interrupted
run) are graded again, an LMS zip is collected, and a run stopped with
Ctrl-C resumes, with ``--jobs 1``, to the same rows. Bad arguments need no grading at all;
the parts have their own unit tests (test_records.py, test_discover.py,
test_submission.py, ...). Hostile submissions are in
test_paths.py, zips and the exchange in test_collect.py, concurrency in
test_concurrency.py.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile

import nbformat
import pytest

from coursegrade import cli
from coursegrade.discover import STAGING_PREFIX
from coursegrade.records import RECORD_NAME
from grading_helpers import (ASSIGNMENT, ROOT, assert_one_row_each, autograded, committed_notebook, copy_course,
                             grade, make_course, snapshot, submit)

SOLUTION = committed_notebook("solutions")
RELEASE = committed_notebook("release")
NB = f"{ASSIGNMENT}.ipynb"
MAX_SCORE = sum(cell.metadata["nbgrader"]["points"] for cell in nbformat.read(SOLUTION, as_version=4).cells
                if cell.metadata.get("nbgrader", {}).get("grade"))

# student -> (files submitted, expected status, score, a piece of the reason)
SUBMISSIONS = {
    "perfect": ({NB: SOLUTION}, "graded", MAX_SCORE, ""),
    # with a forged execution report, which must not count (nor reach autograded/)
    "untouched": ({NB: RELEASE, "forged.grading.json": b'{"status": "failed", "reasons": ["forged"]}'},
                  "graded", 0, ""),
    "badjson": ({NB: b'{"cells": [\n'}, "failed", 0, "not valid JSON: 03_loss.ipynb"),
    "empty": ({NB: b""}, "failed", 0, "empty file: 03_loss.ipynb"),
    "notanotebook": ({NB: b'{"hello": "world"}'}, "failed", 0, "not a notebook: 03_loss.ipynb"),
    "renamed": ({"My Loss (1).ipynb": SOLUTION}, "flagged", MAX_SCORE,
                "renamed: My Loss (1).ipynb graded as 03_loss.ipynb"),
    "nonotebook": ({"notes.txt": b"I could not do it"}, "failed", 0, "no notebook"),
}
GRADED_BY_NBGRADER = ["perfect", "untouched", "renamed"]
KEYS = [(student, ASSIGNMENT) for student in SUBMISSIONS]


def _fill(course):
    for student, (files, *_) in SUBMISSIONS.items():
        submit(course, student, files)


@pytest.fixture(scope="module")
def base(sandbox, tmp_path_factory):
    """A course with one submission of each kind, graded once with --jobs 2: (root, run, seconds)."""
    course = make_course(tmp_path_factory.mktemp("graded") / "course")
    with open(course / "nbgrader_config.py", "a") as fh:
        fh.write(REPORT_HOOK)      # acts only where a test creates its marker file
    _fill(course)
    # A committed release/ must never be touched (the gradebook is filled from a temporary one).
    (course / "release" / ASSIGNMENT).mkdir(parents=True)
    (course / "release" / ASSIGNMENT / NB).write_bytes(b"committed release notebook")
    os.utime(course / "release" / ASSIGNMENT / NB, ns=(1_000_000_000, 1_000_000_000))
    start = time.monotonic()
    run = grade(course, "--jobs", "2")
    seconds = time.monotonic() - start
    assert run.code == 0, f"coursegrade grade failed: {run!r}"
    return course, run, seconds


def _check_rows(run, rows=None):
    """Each row of the base course has its expected status, score, max_score and reason."""
    rows = rows or run.by_key
    for student, (_, status, score, reason) in SUBMISSIONS.items():
        row = rows[student, ASSIGNMENT]
        got = (row["status"], float(row["score"]), float(row["max_score"]))
        assert got == (status, score, MAX_SCORE), (f"{student}: (status, score, max_score) = {got}, expected "
                                                   f"{(status, score, MAX_SCORE)}; reason {row['reason']!r}\n{run!r}")
        if reason:
            assert reason in row["reason"], f"{student}: reason {row['reason']!r} lacks {reason!r}"
        else:
            assert row["reason"] == "", f"{student}: unexpected reason {row['reason']!r}"


# --- the first run -----------------------------------------------------------------------

def test_every_submission_gets_one_row_with_its_status(base):
    course, run, seconds = base
    assert_one_row_each(run, KEYS)
    _check_rows(run)
    print(f"first run: {len(KEYS)} submissions, {len(GRADED_BY_NBGRADER)} autograded, {seconds:.1f} s")


def test_csv_columns_and_summary(base):
    course, run, _ = base
    header = (course / "grades.csv").read_text().splitlines()[0]
    assert header == "student,assignment,score,max_score,status,reason", f"CSV header: {header!r}"
    assert "graded 2, flagged 1, failed 4" in run.out, f"summary line missing or wrong:\n{run.out}"
    assert str(course / "grades.csv") in run.out, f"summary does not name the CSV:\n{run.out}"
    assert "grading: 100%" in run.err, f"no progress bar on stderr:\n{run.err[-500:]}"


def test_feedback_records_and_the_renamed_original(base):
    course, run, _ = base
    for student in GRADED_BY_NBGRADER:
        html = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.is_file(), f"no feedback for {student}: {html}"
        extra = [p.name for p in html.parent.iterdir() if p.name.endswith(".grading.json") or ".coursegrade" in p.name]
        assert not extra, f"feedback for {student} carries grading files: {extra}"
    assert not (autograded(course, "untouched") / "forged.grading.json").exists(), "a submitted report was copied"
    for student in SUBMISSIONS:
        record = json.loads((autograded(course, student) / RECORD_NAME).read_text())
        row = run.by_key[student, ASSIGNMENT]
        assert record["status"] == row["status"] and re.fullmatch(r"[0-9a-f]{64}", record["sha256"]), \
            f"{student}: record {record} does not match row {row}"
    folder = course / "submitted" / "renamed" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == ["My Loss (1).ipynb"], \
        f"the student's folder changed: {sorted(p.name for p in folder.iterdir())}"
    assert (folder / "My Loss (1).ipynb").read_bytes() == SOLUTION.read_bytes(), "the renamed original was not kept"
    assert (autograded(course, "renamed") / NB).is_file(), "the renamed notebook was not graded under the expected name"
    assert not list(course.glob(STAGING_PREFIX + "*")), "the staged copies were left behind"


def test_committed_release_is_untouched_and_the_gradebook_knows_the_assignment(base):
    course, _, _ = base
    release = course / "release" / ASSIGNMENT / NB
    assert release.read_bytes() == b"committed release notebook", f"{release} was overwritten"
    assert release.stat().st_mtime_ns == 1_000_000_000, f"{release} was touched"
    assert sorted(p.name for p in (course / "release").iterdir()) == [ASSIGNMENT], "release/ got new folders"
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_assignment(ASSIGNMENT).max_score == MAX_SCORE


# --- re-runs -----------------------------------------------------------------------------

def test_rerun_skips_everything_already_graded(base, tmp_path):
    course = copy_course(base[0], tmp_path / "course")
    before = snapshot(course, SUBMISSIONS)
    run = grade(course)
    assert run.code == 0, repr(run)
    assert "0 to grade" in run.out and f"{len(KEYS)} already graded" in run.out, f"not all skipped:\n{run.out}"
    assert snapshot(course, SUBMISSIONS) == before, "a re-run changed records or autograded notebooks"
    assert run.rows == base[1].rows, f"a re-run changed the rows:\n{run.rows}\nwas\n{base[1].rows}"


def test_changed_and_interrupted_submissions_are_graded_again(base, tmp_path):
    """untouched now submits the solution; perfect's record is gone (as after a kill).

    A hook in this course's nbgrader_config.py stands in for the grading preprocessor's
    execution report and flags untouched's submission: the row must say so.
    """
    course = copy_course(base[0], tmp_path / "course")
    submit(course, "untouched", {NB: SOLUTION})
    (autograded(course, "perfect") / RECORD_NAME).unlink()
    (course / REPORT_HOOK_MARKER).write_text("flag untouched's submission")
    others = [s for s in SUBMISSIONS if s not in ("untouched", "perfect")]
    before = snapshot(course, others)

    run = grade(course, "--jobs", "2")
    assert run.code == 0, repr(run)
    assert_one_row_each(run, KEYS)
    assert "2 to grade" in run.out, f"expected exactly the changed and the unrecorded submission graded:\n{run.out}"
    assert snapshot(course, others) == before, "an unchanged submission was graded again"
    untouched, perfect = run.by_key["untouched", ASSIGNMENT], run.by_key["perfect", ASSIGNMENT]
    assert (untouched["status"], float(untouched["score"])) == ("flagged", MAX_SCORE), \
        f"changed submission: {untouched}"
    assert untouched["reason"] == "called a blocked reference function: nnlearn.losses.mse", untouched
    assert (perfect["status"], float(perfect["score"])) == ("graded", MAX_SCORE), f"resumed submission: {perfect}"
    assert (autograded(course, "perfect") / RECORD_NAME).exists(), "no new record for the resumed submission"


# Appended to the test course's nbgrader_config.py: after autograding, replace the
# execution report of student "untouched" by a flagged one -- once a test has created
# the marker file (the config itself must not change: that would grade everyone again).
REPORT_HOOK_MARKER = "flag-untouched"
REPORT_HOOK = f'''

def _test_report(assignment, student, notebooks):
    import json, os
    if student == "untouched" and os.path.exists({REPORT_HOOK_MARKER!r}):
        path = os.path.join("autograded", student, assignment, assignment + ".grading.json")
        if os.path.exists(path):
            os.remove(path)
        with open(path, "w") as fh:
            json.dump({{"status": "flagged",
                       "reasons": ["called a blocked reference function: nnlearn.losses.mse"]}}, fh)

c.Autograde.post_convert_hook = _test_report
'''


def test_changed_tests_grade_everyone_again(base, tmp_path):
    """A record is tied to what grades the submission too: after the instructor edits the
    assignment's notebook (a fixed test), a re-run grades every submission again."""
    course = copy_course(base[0], tmp_path / "course")
    source = course / "source" / ASSIGNMENT / NB
    nb = json.loads(source.read_text())
    test_cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")
                     and not c["metadata"]["nbgrader"].get("solution"))
    test_cell["source"] = ["# a test fixed by the instructor\n"] + list(test_cell["source"])
    source.write_text(json.dumps(nb))
    before = snapshot(course, SUBMISSIONS)

    run = grade(course, "--jobs", "2")
    assert run.code == 0, repr(run)
    assert f"{len(GRADED_BY_NBGRADER)} to grade" in run.out and "0 already graded" in run.out, \
        f"expected every submission graded again after the test changed:\n{run.out}"
    after = snapshot(course, SUBMISSIONS)
    stale = [s for s in SUBMISSIONS if after[s][0] == before[s][0]]
    assert not stale, f"records not renewed after the test changed: {stale}"
    assert run.rows == base[1].rows, f"rows changed although the test still checks the same:\n{run.rows}"


def test_ctrl_c_leaves_a_resumable_state_and_jobs_1_gives_the_same_rows(base, tmp_path):
    """A fresh course, graded with --jobs 1 in its own process group; Ctrl-C (SIGINT to
    the group, as a terminal sends it) once the first submission is done; then resumed.

    Two of the submissions need nbgrader (one is done before Ctrl-C, one is not).
    """
    students = ["perfect", "untouched", "badjson", "nonotebook"]
    gradable = [s for s in students if s in GRADED_BY_NBGRADER]
    course = make_course(tmp_path / "course")
    for student in students:
        submit(course, student, SUBMISSIONS[student][0])
    records = [autograded(course, s) / RECORD_NAME for s in gradable]
    # As from a terminal: SIGINT at its default. A test run started in the background by a shell
    # without job control (`( make test & )`) inherits SIGINT *ignored*, and so would the grader.
    proc = subprocess.Popen([sys.executable, "-m", "coursegrade", "grade", "--jobs", "1"], cwd=course,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 90
        while not any(r.exists() for r in records) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, f"exit {proc.returncode} after Ctrl-C, expected 130\n{out}\n{err[-2000:]}"
    assert "run the same command again" in err, f"no resume hint:\n{err[-2000:]}"
    assert not (course / "grades.csv").exists(), "an interrupted run wrote a partial grades.csv"
    finished = [s for s, r in zip(gradable, records) if r.exists()]
    assert len(finished) == 1, f"finished before Ctrl-C: {finished}, expected exactly one of {gradable}"
    before = snapshot(course, finished)

    run = grade(course, "--jobs", "1")
    assert run.code == 0, repr(run)
    assert "1 to grade" in run.out, f"did not resume with the one submission left:\n{run.out}"
    assert snapshot(course, finished) == before, f"graded twice: {finished}"
    assert_one_row_each(run, [(s, ASSIGNMENT) for s in students])
    want = [row for row in base[1].rows if row["student"] in students]
    assert run.rows == want, f"--jobs 1 (resumed) rows differ from the --jobs 2 rows:\n{run.rows}\n{want}"


def test_without_the_sandbox_nothing_is_graded(base, tmp_path, monkeypatch):
    """No bubblewrap: the command stops (exit 1, the reason) instead of failing every submission."""
    from coursegrade import sandbox

    course = copy_course(base[0], tmp_path / "course")
    submit(course, "untouched", {NB: SOLUTION})
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    run = grade(course)
    assert run.code == 1 and "cannot grade here" in run.err and "bubblewrap" in run.err, repr(run)
    assert (autograded(course, "untouched") / RECORD_NAME).read_text() == \
        (autograded(base[0], "untouched") / RECORD_NAME).read_text(), "the old record was replaced"


# --- LMS zips ----------------------------------------------------------------------------

def test_zip_is_collected_and_graded(base, tmp_path):
    course = copy_course(base[0], tmp_path / "course")
    download = tmp_path / "submissions_03_loss.zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.write(SOLUTION, "download/s100_attempt_2026-11-20-10-00_03_loss.ipynb")
        zf.writestr("download/s200_54321_67890_03_loss-1.ipynb", b"")        # re-upload counter, empty
        zf.writestr("download/s300_my_answers.ipynb", b"{not json")           # wrong name
        zf.writestr("download/readme.txt", b"not a submission")
    run = grade(course, "--zip", str(download))
    assert run.code == 0, repr(run)
    new = {"s100": ("graded", MAX_SCORE, ""), "s200": ("failed", 0, "empty file: 03_loss.ipynb"),
           "s300": ("failed", 0, "renamed: my_answers.ipynb graded as 03_loss.ipynb; not valid JSON")}
    assert_one_row_each(run, KEYS + [(s, ASSIGNMENT) for s in new])
    for student, (status, score, reason) in new.items():
        row = run.by_key[student, ASSIGNMENT]
        assert (row["status"], float(row["score"])) == (status, score) and reason in row["reason"], \
            f"{student} from the zip: {row}, expected {status}, {score}, reason containing {reason!r}"
    assert (course / "submitted" / "s300" / ASSIGNMENT / "my_answers.ipynb").exists(), "s300's file name not kept"
    assert "readme.txt" in run.out, f"the skipped file is not reported:\n{run.out}"
    assert "1 to grade" in run.out, f"only s100 needed nbgrader:\n{run.out}"
    assert not list(course.glob(STAGING_PREFIX + "*")), "the staged copies were left behind"


@pytest.mark.parametrize("path, student, file_name, counter", [
    ("s1_attempt_2026-01-30-15-00-00_03_loss.ipynb", "s1", "03_loss.ipynb", 0),
    ("s1_03_loss.ipynb", "s1", "03_loss.ipynb", 0),
    ("doejane_12345_67890_03_loss-2.ipynb", "doejane", "03_loss.ipynb", 2),
    ("doejane_late_12345_67890_my_work.ipynb", "doejane", "my_work.ipynb", 0),
    ("s1_x_03_loss_03_loss.ipynb", "s1", "03_loss.ipynb", 0),
    ("s1_my_work-1.ipynb", "s1", "my_work.ipynb", 1),
    ("download/s1_notes.txt", "s1", "notes.txt", 0),
    ("notes.txt", None, None, 0),
    ("Jane Doe_12345_assignsubmission_file_/carol_03_loss.ipynb", "12345", "carol_03_loss.ipynb", 0),
    ("Jane Doe_12345_assignsubmission_file_/data-2020.csv", "12345", "data-2020.csv", 0),
    ("dl/Jane Doe_12345_assignsubmission_file_/Carol_7_assignsubmission_file_/x.ipynb", "12345", "x.ipynb", 0),
])
def test_zip_entry_owner(path, student, file_name, counter):
    """Whose file a zip entry is, under which name, which re-upload (coursegrade.collect._owner)."""
    from coursegrade.collect import _owner

    owner, name, n = _owner(path.split("/"), None, ASSIGNMENT)
    got = (owner, name, n) if owner is not None else (None, None, 0)
    assert got == (student, file_name, counter), f"{path}: {got}, expected {(student, file_name, counter)}"


# --- no grading needed ---------------------------------------------------------------------

def test_command_errors_exit_non_zero(tmp_path, capsys):
    assert cli.main(["grade", "--course-dir", str(tmp_path)]) == 1
    assert "is not a course" in capsys.readouterr().err
    course = make_course(tmp_path / "course")
    assert cli.main(["grade", "--course-dir", str(course), "99_nothing"]) == 1
    assert "unknown assignment '99_nothing'" in capsys.readouterr().err
    assert cli.main(["grade", "--course-dir", str(course), "--zip", str(tmp_path / "missing.zip")]) == 1
    assert "no such zip file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["grade", "--jobs", "0"])
    assert exit_info.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def test_make_grade_passes_its_variables():
    out = subprocess.run(["make", "-n", "grade", "ASSIGNMENT=03_loss 05_backprop", "ZIP=a.zip b.zip", "JOBS=3",
                          "FORCE=1", "GRADE_ARGS=--retry-failed"], cwd=ROOT, capture_output=True, text=True).stdout
    command = " ".join(out.replace("\\\n", " ").split())
    assert ("-m coursegrade grade 03_loss 05_backprop --zip a.zip --zip b.zip --jobs 3 --force --retry-failed"
            in command), f"make -n grade printed:\n{out}"
