"""The class report (``coursegrade report``) on a synthetic class whose counts are known.

A small class of 02_neurons_and_activations is built from the committed notebooks and
the catalogue of wrong answers (``wrong_answers/``), graded once through the real
grader (``coursegrade grade``, the bubblewrap sandbox), and reported on. Each student
carries known mistakes, so the report's numbers are known in advance:

=====================  ===========================================================
student                submission
=====================  ===========================================================
``right_a``            the solution notebook (full marks)
``right_b``            the solution notebook again
``renamed``            the solution, saved as ``my_copy.ipynb``: full marks, ``flagged``
``untouched``          the release notebook: every test cell fails, not attempted
``mix_1``              ``w_not_transposed`` + ``naive_sigmoid`` + ``softmax_no_keepdims``
``mix_2``              ``bias_forgotten`` + ``sigmoid_derivative_overflow`` + ``init_transposed``
``mix_3``              ``w_not_transposed`` + ``tanh_derivative_no_square`` (a named mistake)
``broken``             a notebook that is not JSON: ``failed``, nothing graded
=====================  ===========================================================

The counts the report must find follow from the catalogue (which test cell each wrong
answer fails) and from :data:`CATEGORY` (the category each one's message is diagnosed as):
every test cell's pass rate, each student's score, the count of each category, the
failed and flagged rows. Grading takes about 35 s (seven notebooks, two workers).
"""

import csv

import pytest

from coursegrade import report
from grading_helpers import committed_notebook, grade, make_course, submit

from . import wrong_answers
from .helpers import read_notebook
from .test_grading import _replace_cells

pytestmark = pytest.mark.usefixtures("sandbox")  # tests/conftest.py: bubblewrap is needed

ASSIGNMENT = "02_neurons_and_activations"
WRONG = {w.student: w for w in wrong_answers.load(ASSIGNMENT)}
CLASS = {
    "mix_1": ("w_not_transposed", "naive_sigmoid", "softmax_no_keepdims"),
    "mix_2": ("bias_forgotten", "sigmoid_derivative_overflow", "init_transposed"),
    "mix_3": ("w_not_transposed", "tanh_derivative_no_square"),
}
CATEGORY = {   # what the report diagnoses each wrong answer's failed test cell as
    "w_not_transposed": "transposed",              # X @ W crashes: "check which matrix needs a transpose (.T)"
    "init_transposed": "transposed",               # shape (3, 5) for (5, 3): "did you transpose?"
    "bias_forgotten": "forgot_bias",               # "your answer + b matches: did you forget to add the bias?"
    "naive_sigmoid": "overflow",                   # "overflow encountered in exp"
    "sigmoid_derivative_overflow": "overflow",     # "NaN or infinite ... overflow"
    "softmax_no_keepdims": "keepdims",             # a failed broadcast: "a row sum may need keepdims=True"
    "tanh_derivative_no_square": "named",          # the test's own words: "is the square missing?"
}
SOLUTION_LIKE = ("right_a", "right_b", "renamed")


def _with_wrong_answers(names):
    """The solution notebook with the catalogue's answers ``names`` in place of their cells (bytes)."""
    import nbformat

    nb = read_notebook(committed_notebook("solutions", ASSIGNMENT))
    replacements = {k: v for name in names for k, v in WRONG[name].replace.items()}
    assert len(replacements) == sum(len(WRONG[n].replace) for n in names), f"{names} share a cell"
    return nbformat.writes(_replace_cells(nb, replacements)).encode()


def build_class(root):
    """Submit the synthetic class into a new course at ``root``; return the course root."""
    root = make_course(root, (ASSIGNMENT,))
    name = f"{ASSIGNMENT}.ipynb"
    solution, release = committed_notebook("solutions", ASSIGNMENT), committed_notebook("release", ASSIGNMENT)
    submit(root, "right_a", {name: solution}, ASSIGNMENT)
    submit(root, "right_b", {name: solution}, ASSIGNMENT)
    submit(root, "renamed", {"my_copy.ipynb": solution}, ASSIGNMENT)
    submit(root, "untouched", {name: release}, ASSIGNMENT)
    for student, names in CLASS.items():
        submit(root, student, {name: _with_wrong_answers(names)}, ASSIGNMENT)
    submit(root, "broken", {name: b"{this is not a notebook"}, ASSIGNMENT)
    return root


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The class, graded through the real grader once, and its report."""
    root = build_class(tmp_path_factory.mktemp("class") / "course")
    run = grade(root, "--jobs", "2")
    assert run.code == 0, repr(run)
    out, reports = report.write_report(root, [ASSIGNMENT])
    return root, run, out, reports[0]


def _points():
    from .helpers import notebook_path, read_notebook
    nb = read_notebook(notebook_path("source", ASSIGNMENT))
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}


def _fails(student):
    """The test cells the student's submission must fail (none for the solution-like ones)."""
    if student == "untouched":
        return set(_points())
    return {t for name in CLASS.get(student, ()) for t in WRONG[name].fails}


def test_statuses_and_the_flagged_and_failed_list(graded_class):
    _, run, _, rep = graded_class
    assert rep.status_counts() == {"graded": 6, "flagged": 1, "failed": 1}, repr(run)
    problems = [(s.row.student, s.row.status) for s in rep.problems]
    assert problems == [("broken", "failed"), ("renamed", "flagged")]
    reasons = {s.row.student: s.row.reason for s in rep.problems}
    assert reasons["broken"].startswith("not valid JSON")
    assert reasons["renamed"] == f"renamed: my_copy.ipynb graded as {ASSIGNMENT}.ipynb"


def test_scores_and_pass_rates_follow_from_the_catalogue(graded_class):
    _, _, _, rep = graded_class
    points = _points()
    scored = [*SOLUTION_LIKE, "untouched", *CLASS]
    scores = {s.row.student: s.row.score for s in rep.scored}
    assert scores == {st: sum(p for t, p in points.items() if t not in _fails(st)) for st in scored}
    assert scores["mix_1"] == 9 and scores["untouched"] == 0 and scores["right_a"] == 17
    rates = {p.test: (p.passed, p.graded) for p in rep.pass_rates}
    assert rates == {t: (sum(t not in _fails(st) for st in scored), len(scored)) for t in points}
    assert rates["dense_forward_test"] == (3, 7)     # the two transposes and the forgotten bias


def test_each_mistake_is_diagnosed_and_counted(graded_class):
    _, _, _, rep = graded_class
    cells = {(d.student, d.test): d.category for d in rep.diagnoses}
    want = {(st, t): CATEGORY[name] for st, names in CLASS.items() for name in names for t in WRONG[name].fails}
    want.update({("untouched", t): "not_attempted" for t in _points()})
    assert cells == want
    counts = {m.category: m.count for m in rep.mistakes}
    assert counts == {"transposed": 3, "overflow": 2, "forgot_bias": 1, "keepdims": 1, "named": 1,
                      "not_attempted": 7}
    assert [m.category for m in rep.mistakes][:2] == ["transposed", "overflow"]
    assert rep.mistakes[-1].category == "not_attempted"
    transposed = rep.mistakes[0]
    assert transposed.students == ("mix_1", "mix_2", "mix_3")
    assert set(transposed.tests) == {"dense_forward_test", "init_weights_test"}
    named = next(m for m in rep.mistakes if m.category == "named")
    assert "square missing" in named.detail and named.students == ("mix_3",)


def test_the_files(graded_class):
    _, _, out, rep = graded_class
    page = (out / f"{ASSIGNMENT}.html").read_text()
    for words in ("transposed (W, or the result)", "forgot the bias", "is the square missing?",
                  "my_copy.ipynb graded as", "not valid JSON", "data:image/png;base64,"):
        assert words in page, words
    with open(out / f"{ASSIGNMENT}.csv", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert rows["mix_2"]["dense_forward_test"] == "forgot_bias" and rows["mix_2"]["score"] == "10"
    assert rows["broken"]["status"] == "failed" and rows["right_b"]["sigmoid_test"] == "pass"
    assert (out / "index.html").is_file()
