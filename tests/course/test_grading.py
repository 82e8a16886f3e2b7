"""The grading round trip through nbgrader (with the sandboxed execution of
nbgrader_config.py), in a temporary copy of the course.

Submissions go to ``submitted/<student>/<assignment>/`` of the ``generated_course``
fixture (already through ``nbgrader generate_assignment``); one ``nbgrader autograde``
call grades them all, and the scores are read back from the gradebook:

* the solution notebook earns full marks, the untouched release notebook zero;
* a solution notebook whose student deleted a test cell still earns full marks
  (``OverwriteCells.add_missing_cells`` puts the test back and runs it);
* each wrong-but-plausible answer of the catalogue (``wrong_answers/``) loses exactly
  its exercise's points;
* no message a test cell shows names code the student did not write (the hidden
  tests' ``hidden_*`` helpers and variables).
"""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from . import wrong_answers
from .helpers import ASSIGNMENTS, nbgrader_env, notebook_path, read_notebook

pytestmark = pytest.mark.usefixtures("sandbox")  # tests/conftest.py: bubblewrap is needed

WRONG = {w.student: w for w in wrong_answers.load_all(ASSIGNMENTS)}


def _pack(wrongs):
    """Group wrong answers into shared submissions, to autograde fewer notebooks.

    Two wrong answers can share a submission when they replace different cells and
    make different test cells fail: every test cell's score is then caused by at most
    one of them, so each keeps its own verdict. Returns {submission id: [Wrong, ...]}.
    """
    groups = []
    for wrong in sorted(wrongs, key=lambda w: (w.assignment, w.student)):
        for group in groups:
            if group[0].assignment == wrong.assignment and all(
                    not (set(w.replace) & set(wrong.replace)) and not (w.fails & wrong.fails) for w in group):
                group.append(wrong)
                break
        else:
            groups.append([wrong])
    return {f"wrong_{i:02d}": group for i, group in enumerate(groups)}


SUBMISSIONS = _pack(WRONG.values())
SUBMISSION_OF = {w.student: sid for sid, group in SUBMISSIONS.items() for w in group}


def _submit(course, student, assignment, nb):
    path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def _replace_cells(nb, replacements):
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replacements:
            cell.source = replacements[grade_id]
            cell.outputs, cell.execution_count = [], None
            found.add(grade_id)
    assert found == set(replacements), f"no cells {set(replacements) - found} to replace"
    return nb


def _test_cells(assignment):
    """grade_id -> points of every graded cell of an assignment."""
    nb = read_notebook(notebook_path("source", assignment))
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


@pytest.fixture(scope="module")
def gradebook(generated_course):
    """Submit every test student's notebooks, autograde once, return {(student, assignment): scores}."""
    course = generated_course
    for assignment in ASSIGNMENTS:
        _submit(course, "perfect", assignment, read_notebook(notebook_path("solutions", assignment)))
        _submit(course, "untouched", assignment, read_notebook(notebook_path("release", assignment)))
        deleted = read_notebook(notebook_path("solutions", assignment))
        first_test = next(c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade")
                          and not c.metadata["nbgrader"].get("solution"))
        deleted.cells.remove(first_test)
        _submit(course, "deleted_test_cell", assignment, deleted)
    for sid, group in SUBMISSIONS.items():
        replacements = {k: v for w in group for k, v in w.replace.items()}
        nb = _replace_cells(read_notebook(notebook_path("solutions", group[0].assignment)), replacements)
        _submit(course, sid, group[0].assignment, nb)

    # One autograde call per assignment, all side by side (both cores busy). Students
    # first: a call adds a missing student itself, and two calls adding the same one at
    # once fail with "UNIQUE constraint failed: student.id".
    students = sorted({p.name for p in (course / "submitted").iterdir()})
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            gb.update_or_create_student(student)
    db = f"sqlite:///{course / 'gradebook.db'}?timeout=120"   # the calls share it
    running = {a: subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", a, "--force",
                                    f"--CourseDirectory.root={course}", f"--CourseDirectory.db_url={db}"],
                                   cwd=course, env=nbgrader_env(), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for a in ASSIGNMENTS}
    logs = {a: process.communicate()[0] for a, process in running.items()}
    failed = {a: logs[a][-5000:] for a, process in running.items() if process.returncode != 0}
    assert not failed, f"nbgrader autograde failed: {failed}"

    messages = {}   # (student, assignment, test grade_id) -> "Ename: message" shown by the cell
    for path in sorted((course / "autograded").glob("*/*/*.ipynb")):
        for cell in read_notebook(path).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            for output in cell.get("outputs", []):
                if grade_id and output.output_type == "error":
                    messages[path.parts[-3], path.parts[-2], grade_id] = f"{output.ename}: {output.evalue}"
    scores = {"messages": messages}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in ASSIGNMENTS:
            for submission in gb.assignment_submissions(assignment):
                grades = {g.name: (g.score, g.max_score, g.needs_manual_grade)
                          for nb in submission.notebooks for g in nb.grades}
                scores[submission.student_id, assignment] = grades
    shutil.rmtree(course / "autograded", ignore_errors=True)
    return scores


def _summary(grades):
    return {name: score for name, (score, _, _) in grades.items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_full_marks(gradebook, assignment):
    grades = gradebook["perfect", assignment]
    assert grades.keys() == _test_cells(assignment).keys()
    for name, (score, max_score, manual) in grades.items():
        assert score == max_score == _test_cells(assignment)[name], f"{name}: {_summary(grades)}"
        assert not manual, f"{name} needs manual grading"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_earns_zero(gradebook, assignment):
    grades = gradebook["untouched", assignment]
    assert grades and all(score == 0 for score, _, _ in grades.values()), _summary(grades)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_deleted_test_cell_is_restored_and_graded(gradebook, assignment):
    grades = gradebook["deleted_test_cell", assignment]
    assert all(score == max_score and not manual for score, max_score, manual in grades.values()), grades


@pytest.mark.parametrize("student", sorted(WRONG))
def test_wrong_answer_loses_exactly_its_exercise(gradebook, student):
    wrong = WRONG[student]
    sid = SUBMISSION_OF[student]
    grades = gradebook[sid, wrong.assignment]
    assert grades, f"{student} (submission {sid}) was not graded"
    others = {t for w in SUBMISSIONS[sid] if w is not wrong for t in w.fails}
    for name, (score, max_score, manual) in grades.items():
        if name in others:
            continue  # another wrong answer of the same submission owns this cell
        want = 0 if name in wrong.fails else max_score
        assert score == want and not manual, (f"{student} (submission {sid}): {name} scored {score}, "
                                              f"expected {want}: {_summary(grades)}")


def test_messages_name_only_the_students_code(gradebook):
    """A test cell's message never names the hidden tests' own helpers or variables."""
    messages = gradebook["messages"]
    assert any(student.startswith("wrong_") for student, _, _ in messages), "no failing test cell to read"
    leaks = {key: text[:300] for key, text in messages.items() if re.search(r"\bhidden_\w+", text)}
    assert not leaks, f"messages that name code the student never wrote: {leaks}"


def test_packing_keeps_verdicts_apart():
    for sid, group in SUBMISSIONS.items():
        cells = [c for w in group for c in w.replace]
        fails = [t for w in group for t in w.fails]
        assert len(cells) == len(set(cells)) and len(fails) == len(set(fails)), sid


def test_every_assignment_has_a_catalogue_of_wrong_answers():
    for assignment in ASSIGNMENTS:
        assert len(wrong_answers.load(assignment)) >= 3, f"{assignment}: fewer than 3 wrong answers in tests/course/wrong_answers/"
