"""Right answers in other styles earn full marks through the real grader.

The catalogue (``right_answers/``, at least four per exercise) holds correct answers
written differently from the solution: keyword calls, loops, in place or on a copy,
float32, other stable formulas, other valid random calls. They are packed into a few
submissions per assignment (answers to different exercises share one), submitted to
the ``generated_course`` fixture as ``right_NN_k``, and graded by ONE ``nbgrader
autograde`` call per assignment (all side by side) with the course's real limits and
sandbox. Only the assignments whose tests were selected are graded, so
``pytest tests/course/test_right_answers.py -k 03_loss`` grades 03 alone.

A right answer that loses a point is a bug in a test (or in the exercise's text), not
in the catalogue: the failure shows the answer's style and the test cell's error.
"""

import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from . import right_answers
from .helpers import ASSIGNMENTS, nbgrader_env, notebook_path, read_notebook

pytestmark = pytest.mark.usefixtures("sandbox")  # tests/conftest.py: bubblewrap is needed

PREFIX = "right_"
MIN_PER_EXERCISE = 4
RIGHT = [r for a in ASSIGNMENTS for r in right_answers.load(a)]


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _source_cells(assignment):
    """(solution cells {grade_id: source}, test cells {grade_id: points}) of the solution notebook."""
    nb = read_notebook(notebook_path("solutions", assignment))
    solutions = {_meta(c)["grade_id"]: c.source for c in nb.cells if _meta(c).get("solution")}
    tests = {_meta(c)["grade_id"]: _meta(c)["points"] for c in nb.cells if _meta(c).get("grade")}
    return solutions, tests


def _pack(answers):
    """{submission id: [Right, ...]}: answers to different cells of one assignment share a submission."""
    groups = []
    for answer in answers:
        for group in groups:
            if group[0].assignment == answer.assignment and all(
                    not set(r.replace) & set(answer.replace) for r in group):
                group.append(answer)
                break
        else:
            groups.append([answer])
    numbered, count = {}, {}
    for group in groups:
        a = group[0].assignment
        count[a] = count.get(a, 0) + 1
        numbered[f"{PREFIX}{a[:2]}_{count[a]:02d}"] = group
    return numbered


SUBMISSIONS = _pack(RIGHT)
SUBMISSION_OF = {r.id: sid for sid, group in SUBMISSIONS.items() for r in group}


def _build(group):
    """The solution notebook with every answer of the group in place of its cells."""
    nb = read_notebook(notebook_path("solutions", group[0].assignment))
    replacements = {k: v for r in group for k, v in r.replace.items()}
    found = set()
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in replacements:
            cell.source = replacements[grade_id]
            cell.outputs, cell.execution_count = [], None
            found.add(grade_id)
    missing = set(replacements) - found
    assert not missing, (f"{group[0].assignment}: right answers {[r.name for r in group]} replace cells "
                         f"{sorted(missing)} that the solution notebook does not have")
    return nb


def _selected(request):
    """The assignments whose right-answer tests this pytest run will execute."""
    chosen = set()
    for item in request.session.items:
        if item.path == request.path and "graded" in item.fixturenames and hasattr(item, "callspec"):
            param = next(iter(item.callspec.params.values()))
            chosen.add(param.assignment if isinstance(param, right_answers.Right) else param)
    return sorted(chosen)


class Graded:
    def __init__(self, course, scores, logs):
        self.course, self.scores, self.logs = course, scores, logs

    def grades(self, sid, assignment):
        grades = self.scores.get(sid)
        assert grades, (f"submission {sid} ({assignment}) has no row in the gradebook: it was not graded. "
                        f"nbgrader's log ends:\n{self.logs.get(assignment, '')[-3000:]}")
        return grades

    def error_of(self, sid, assignment, grade_id):
        """The error a test cell printed in the autograded notebook (or a note why there is none)."""
        path = self.course / "autograded" / sid / assignment / f"{assignment}.ipynb"
        if not path.exists():
            return f"(no autograded notebook at {path})"
        for cell in read_notebook(path).cells:
            if _meta(cell).get("grade_id") == grade_id:
                errors = [f"{o.ename}: {o.evalue}" for o in cell.get("outputs", []) if o.output_type == "error"]
                return "; ".join(errors)[:2000] or "(the cell printed no error)"
        return f"(no cell {grade_id} in the autograded notebook)"


@pytest.fixture(scope="module")
def graded(request, generated_course):
    """Submit the selected assignments' right answers, autograde each assignment once
    (side by side), read the scores; afterwards remove what it added to the shared course."""
    course = generated_course
    assignments = _selected(request)
    running, logs = {}, {}
    try:
        for sid, group in SUBMISSIONS.items():
            a = group[0].assignment
            if a in assignments:
                path = course / "submitted" / sid / a / f"{a}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(_build(group), str(path))
        db = f"sqlite:///{course / 'gradebook.db'}?timeout=120"   # the autograde calls share it
        for a in assignments:
            running[a] = subprocess.Popen(
                [sys.executable, "-m", "nbgrader", "autograde", a, "--force",
                 f"--CourseDirectory.student_id={PREFIX}*", f"--CourseDirectory.root={course}",
                 f"--CourseDirectory.db_url={db}"],
                cwd=course, env=nbgrader_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for a, process in running.items():
            logs[a], _ = process.communicate()
        scores = {}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for a in assignments:
                for submission in gb.assignment_submissions(a):
                    if submission.student_id.startswith(PREFIX):
                        scores[submission.student_id] = {g.name: (g.score, g.max_score, g.needs_manual_grade)
                                                         for nb in submission.notebooks for g in nb.grades}
        yield Graded(course, scores, logs)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.communicate()
        # The course is shared with test_grading.py, whose autograde call takes every student.
        for folder in ("submitted", "autograded", "feedback"):
            for path in (course / folder).glob(f"{PREFIX}*"):
                shutil.rmtree(path, ignore_errors=True)


def _tests_of(answer, tests):
    """The test cells that grade the exercises an answer replaces (``<grade_id>_test``)."""
    own = {f"{g}_test" for g in answer.replace} & set(tests)
    return own or set(tests)


@pytest.mark.parametrize("answer", RIGHT, ids=lambda r: r.id)
def test_right_answer_earns_full_marks(graded, answer):
    sid = SUBMISSION_OF[answer.id]
    grades = graded.grades(sid, answer.assignment)
    _, tests = _source_cells(answer.assignment)
    lost = []
    for name in sorted(_tests_of(answer, tests)):
        score, max_score, manual = grades.get(name, (None, None, None))
        if score != max_score or manual or score is None:
            lost.append(f"{name}: {score}/{max_score}{' (needs manual grading)' if manual else ''} -- "
                        f"{graded.error_of(sid, answer.assignment, name)}")
    assert not lost, (f"the right answer {answer.id} ({answer.style}; submission {sid}) lost points, so a test "
                      f"rejects a correct answer (or the exercise text asks less than the test):\n  "
                      + "\n  ".join(lost))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_packed_submissions_earn_full_marks(graded, assignment):
    """Every test cell of every right-answer submission, not only its own exercises'."""
    _, tests = _source_cells(assignment)
    sids = [sid for sid, group in SUBMISSIONS.items() if group[0].assignment == assignment]
    assert sids, f"{assignment}: no right answers to grade (tests/course/right_answers/{assignment}.py)"
    for sid in sids:
        group = SUBMISSIONS[sid]
        grades = graded.grades(sid, assignment)
        assert set(grades) == set(tests), f"{sid}: graded cells {sorted(grades)}, expected {sorted(tests)}"
        lost = {name: grades[name][:2] for name in tests if grades[name][0] != grades[name][1]}
        assert not lost, (f"{sid} ({', '.join(r.name for r in group)}) lost points in {lost}: "
                          + "; ".join(f"{n}: {graded.error_of(sid, assignment, n)}" for n in lost))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_right_answers_in_other_styles(assignment):
    solutions, _ = _source_cells(assignment)
    answers = right_answers.load(assignment)
    counts = {g: sum(g in r.replace for r in answers) for g in solutions}
    short = {g: n for g, n in counts.items() if n < MIN_PER_EXERCISE}
    assert not short, (f"{assignment}: exercises with fewer than {MIN_PER_EXERCISE} right answers in "
                       f"tests/course/right_answers/{assignment}.py: {short}")
    unknown = {g for r in answers for g in r.replace} - set(solutions)
    assert not unknown, f"{assignment}: right answers replace cells that are not exercises: {sorted(unknown)}"
    copies = [r.name for r in answers for g, source in r.replace.items()
              if source.strip() == solutions[g].strip()]
    assert not copies, f"{assignment}: right answers identical to the source's solution cell: {copies}"
