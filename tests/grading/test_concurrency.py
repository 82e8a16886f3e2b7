"""No honest submission lost to the grader's own trouble (``coursegrade grade --jobs 2``).

* Two assignments of a student the gradebook does not know yet are graded at the
  same time: both workers used to create the student, and one failed with
  ``UNIQUE constraint failed: student.id`` (a correct submission ``failed`` 0/17,
  kept by a plain re-run). The student is now created before the workers start.
* A submission whose grading fails for the grader's own reason -- here a fault
  injected through nbgrader's pre-convert hook, steered by marker files so that the
  config (and so every record) stays the same -- is graded once more in the run;
  if it fails again, its row says it is the grader's error and the next plain run
  grades it again.
"""

import json

import nbformat
import pytest

from coursegrade.autograde import GRADER_ERROR_NOTE
from coursegrade.records import RECORD_NAME
from grading_helpers import ASSIGNMENT, autograded, committed_notebook, grade, make_course, submit

OTHER = "05_backprop"


def _max_score(assignment):
    nb = nbformat.read(committed_notebook("solutions", assignment), as_version=4)
    return sum(c.metadata["nbgrader"]["points"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))


# Appended to the course's nbgrader_config.py; it acts only where a test made a marker
# file in the course root (the config itself stays the same for every run).
# * grader-barrier-<student>: when nbgrader does not find that student in the
#   gradebook (just before it adds them), it waits (up to 20 s) until two autograde
#   runs have got there, so both go on to add the student at the same moment -- the
#   collision the grader must avoid by adding students before its workers start.
# * grader-fault-<student> holding N (or "always"): the first N autogrades of that
#   student end in SystemExit (nbgrader reports a failed autograde);
#   grader-fault-<student>.count counts the attempts.
FAULT_HOOK = '''

def _meet_before_adding(find_student):
    def find(self, student_id):
        import os, time
        from nbgrader.api import MissingEntry
        try:
            return find_student(self, student_id)
        except MissingEntry:
            if os.path.exists(f"grader-barrier-{student_id}"):
                open(f"grader-barrier-{student_id}-{os.getpid()}.arrived", "w").close()
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and len([n for n in os.listdir(".")
                        if n.startswith(f"grader-barrier-{student_id}-")]) < 2:
                    time.sleep(0.01)
            raise
    find.patched = True
    return find


def _injected_fault(assignment, student, notebooks):
    import os
    from nbgrader.api import Gradebook
    if not getattr(Gradebook.find_student, "patched", False):
        Gradebook.find_student = _meet_before_adding(Gradebook.find_student)
    marker, count = f"grader-fault-{student}", f"grader-fault-{student}.count"
    if not os.path.exists(marker):
        return
    done = int(open(count).read()) if os.path.exists(count) else 0
    with open(count, "w") as fh:
        fh.write(str(done + 1))
    limit = open(marker).read().strip()
    if limit == "always" or done < int(limit):
        raise SystemExit(f"injected grader fault {done + 1}")

c.Autograde.pre_convert_hook = _injected_fault
'''


@pytest.fixture(scope="module")
def graded(sandbox, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("concurrency") / "course", (ASSIGNMENT, OTHER))
    with open(course / "nbgrader_config.py", "a") as fh:
        fh.write(FAULT_HOOK)
    for assignment in (ASSIGNMENT, OTHER):
        submit(course, "newbie", {f"{assignment}.ipynb": committed_notebook("solutions", assignment)}, assignment)
    submit(course, "flaky", {f"{ASSIGNMENT}.ipynb": committed_notebook("solutions")})
    submit(course, "broken", {f"{ASSIGNMENT}.ipynb": committed_notebook("solutions")})
    (course / "grader-barrier-newbie").write_text("")
    (course / "grader-fault-flaky").write_text("1")
    (course / "grader-fault-broken").write_text("always")
    run = grade(course, "--jobs", "2")
    assert run.code == 0, repr(run)
    return course, run


def test_two_assignments_of_a_new_student_at_once(graded):
    course, run = graded
    for assignment in (ASSIGNMENT, OTHER):
        row = run.by_key["newbie", assignment]
        assert (row["status"], float(row["score"])) == ("graded", _max_score(assignment)), f"{row}\n{run!r}"
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert [s.id for s in gb.students].count("newbie") == 1
    arrived = sorted(p.name for p in course.glob("grader-barrier-newbie-*"))
    assert arrived == [], f"an autograde had to add the student to the gradebook: {arrived}"


def test_a_grader_error_is_retried_in_the_run(graded):
    course, run = graded
    row = run.by_key["flaky", ASSIGNMENT]
    assert (row["status"], float(row["score"]), row["reason"]) == ("graded", _max_score(ASSIGNMENT), ""), \
        f"{row}\n{run!r}"
    assert (course / "grader-fault-flaky.count").read_text() == "2", "the fault was not injected once, then passed"
    record = json.loads((autograded(course, "flaky") / RECORD_NAME).read_text())
    assert record["grader_error"] is False, record


def test_a_lasting_grader_error_is_not_the_students_result(graded, tmp_path):
    course, run = graded
    row = run.by_key["broken", ASSIGNMENT]
    assert row["status"] == "failed" and "injected grader fault 2" in row["reason"] \
        and GRADER_ERROR_NOTE in row["reason"], f"{row}\n{run!r}"
    assert (course / "grader-fault-broken.count").read_text() == "2", "not graded exactly twice"
    record = json.loads((autograded(course, "broken") / RECORD_NAME).read_text())
    assert record["grader_error"] is True, record

    # The grader is fixed: a plain re-run grades it again (and only it).
    (course / "grader-fault-broken").unlink()
    again = grade(course, "--jobs", "2")
    assert again.code == 0 and "1 to grade" in again.out, repr(again)
    row = again.by_key["broken", ASSIGNMENT]
    assert (row["status"], float(row["score"])) == ("graded", _max_score(ASSIGNMENT)), f"{row}\n{again!r}"
