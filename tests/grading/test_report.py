"""coursegrade.report: the class report, on small hand-made inputs (no sandbox, a few seconds).

* :func:`diagnose` sorts the messages that ``nnlearn.testing`` really writes (made here by
  calling the checks with the familiar mistakes) into the documented categories; a test's
  own ``mistakes=`` explanation is ``named``; the student's quoted traceback is not read;
* on a hand-made course (a source notebook with three test cells, autograded notebooks
  with error outputs, records and a grades.csv) the numbers are exact: statuses, pass
  rates, each mistake's count, students and example, the flagged and failed list;
* the page is self-contained and escapes everything a student wrote; CSV cells cannot
  become spreadsheet formulas; ``coursegrade report`` writes the files and reports a
  missing course.
"""

import contextlib
import csv
import io
import re
from html.parser import HTMLParser

import nbformat
import numpy as np
import pytest

from coursegrade import cli, report
from coursegrade.records import Record, Row
from nnlearn import testing


def _message(check, *args, **kwargs):
    """The text a test cell shows when ``check`` fails: ``CheckFailed: <message>``."""
    with pytest.raises(testing.CheckFailed) as info:
        check(*args, **kwargs)
    return f"CheckFailed: {info.value}"


X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [0.0, 1.0, 1.0], [2.0, 0.0, -1.0]])
B = np.array([0.1, -0.2, 0.3, 0.7])
OUT = X @ W.T + B
SQUARE = np.array([[1.0, 2.0], [3.0, 4.0]])


def _crash(error):
    def f(*args):
        raise error
    f.__name__ = "dense_forward"
    return _message(testing.call, f, X, W, B)


MESSAGES = {
    "forgot_bias": _message(testing.check_array, "dense_forward(X, W, b)", X @ W.T, OUT, bias=B),
    "bias_twice": _message(testing.check_array, "dense_forward(X, W, b)", OUT + B, OUT, bias=B),
    "transposed": _message(testing.check_shape, "dense_forward(X, W, b)", OUT.T, OUT.shape),
    "transposed (square)": _message(testing.check_array, "A", SQUARE.T, SQUARE),
    "transposed (matmul crash)": _crash(ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0")),
    "summed_not_averaged": _message(testing.check_scalar, "mse(y, t)", 4 * 2.5, 2.5, n=4),
    "summed_not_averaged (an array for a number)": _message(testing.check_scalar, "loss", np.array([1.0, 2.0]), 1.5),
    "divided_twice": _message(testing.check_array, "grad", OUT / 4, OUT, n=4),
    "keepdims": _message(testing.check_shape, "s", np.zeros(3), (3, 1)),
    "keepdims (broadcast crash)": _crash(ValueError("operands could not be broadcast together with shapes (2,3) (2,)")),
    "wrong_axis": _message(testing.check_shape, "s", np.zeros((4, 3)), (3,)),
    "overflow": _message(testing.check_array, "sigmoid(z)", np.array([np.nan, 1.0]), np.array([0.0, 1.0])),
    "sign_flipped": _message(testing.check_array, "dW", -OUT, OUT),
    "factor": _message(testing.check_array, "dW", 2 * OUT, OUT),
    "integer_division": _message(testing.check_array, "p", np.array([0, 1]), np.array([0.5, 1.5])),
    "wrong_dtype": _message(testing.check_array, "mask", np.array([0.0, 1.0]), np.array([False, True])),
    "all_zeros": _message(testing.check_array, "W", np.zeros_like(OUT), OUT),
    "missing_return": _message(testing.check_array, "dense_forward(X, W, b)", None, OUT),
    "several_values": _message(testing.check_array, "dense_forward(X, W, b)", (OUT, {}), OUT),
    "not_attempted": "NotImplementedError: \n\nin the submission's code:\n  File \"<ipython-input-6-0>\", line 7, "
                     "in sigmoid\n    raise NotImplementedError()",
    "reference_called": "ReferenceUnavailable: nnlearn.losses.mse is switched off while 03_loss is graded",
    "process_died": "SubmissionUnavailable: mse cannot be called: the submission's process died (memory)",
    "crashed": "ZeroDivisionError: division by zero",
    "other": "AssertionError: the split is not shuffled",
    "other (a quoted traceback is not read)":
        "CheckFailed: f(x): 1 of 2 entries are wrong.\n\nin the submission's code:\n  File \"<ipython-input-3-1>\", "
        "line 2, in f\n    overflow = did_you_transpose = keepdims = 1\n",
}


@pytest.mark.parametrize("case", sorted(MESSAGES))
def test_diagnose_recognises_what_the_checks_say(case):
    want = case.split(" (")[0]
    assert report.diagnose(MESSAGES[case]) == (want, ""), MESSAGES[case]


def test_a_tests_own_explanation_is_named_first():
    why = "the cache already holds tanh(x): use 1 - t**2, not 1 - tanh(t)**2"
    wrong = OUT * 0.5                                 # also half the expected: the generic hint comes second
    text = _message(testing.check_array, "tanh_backward", wrong, OUT, mistakes=[(wrong, why)])
    assert "half the expected" in text
    assert report.diagnose(text) == ("named", why)


def test_every_category_is_documented_and_unique():
    keys = [c.key for c in report.ALL]
    assert len(keys) == len(set(keys))
    for category in report.CATEGORIES:
        assert category.label and category.pattern and category.on in ("error", "hint")
        re.compile(category.pattern)


# --- a hand-made course ---------------------------------------------------------------------

A = "09_toy"
TESTS = {"f_test": 2, "g_test": 3, "h_test": 1}


def _notebook(errors):
    """A notebook with the three test cells; ``errors`` {grade_id: 'Ename: message'} are their failures."""
    nb = nbformat.v4.new_notebook()
    for grade_id, points in TESTS.items():
        nb.cells.append(nbformat.v4.new_code_cell(
            f"def {grade_id[0]}(x):\n    return x", metadata={"nbgrader": {
                "grade": False, "solution": True, "grade_id": grade_id[0], "locked": False, "schema_version": 3}}))
        cell = nbformat.v4.new_code_cell(f"check({grade_id[0]})", metadata={"nbgrader": {
            "grade": True, "solution": False, "grade_id": grade_id, "points": points, "locked": True,
            "schema_version": 3}})
        if grade_id in errors:
            ename, evalue = errors[grade_id].split(": ", 1)
            cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])]
        else:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="passed\n")]
        nb.cells.append(cell)
    return nb


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

CLASS = {   # student: (status, reason, score, failures)
    "ann": ("graded", "", 6, {}),
    "bob": ("graded", "", 1, {"f_test": MESSAGES["forgot_bias"], "g_test": MESSAGES["summed_not_averaged"]}),
    "cy": ("graded", "", 3, {"f_test": MESSAGES["forgot_bias"], "h_test": MESSAGES["transposed"]}),
    "dee": ("flagged", "renamed: x.ipynb graded as 09_toy.ipynb", 4,
            {"f_test": "CheckFailed: f: got 1.0, expected 2.0.\nHint: " + HOSTILE + " — clip p first"}),
    "eve": ("graded", "", 0, {t: MESSAGES["not_attempted"] for t in TESTS}),
    "fay": ("graded", "", 5, {"h_test": "stderr: RuntimeWarning: overflow encountered in exp"}),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "source" / A).mkdir(parents=True)
    nbformat.write(_notebook({}), str(root / "source" / A / f"{A}.ipynb"))
    for student, (status, reason, score, failures) in CLASS.items():
        folder = root / "autograded" / student / A
        folder.mkdir(parents=True)
        nbformat.write(_notebook(failures), str(folder / f"{A}.ipynb"))
        row = Row.make(student, A, status, [reason] if reason else [], score, 6)
        Record.of(row, "a" * 64, "b" * 64).save_in(folder)
    # A failed submission with a record (no notebook), and one the grades.csv alone knows
    # (its worker died: no record). A grades.csv row of a student with a record loses to it.
    failed = root / "autograded" / "gus" / A
    failed.mkdir(parents=True)
    Record.of(Row.make("gus", A, "failed", ["not valid JSON: " + HOSTILE]), "c" * 64, "b" * 64).save_in(failed)
    with open(root / "grades.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "assignment", "score", "max_score", "status", "reason"])
        writer.writerow(["=hal", A, 0, 6, "failed", "=HYPERLINK(\"http://x\")"])
        writer.writerow(["ann", A, 0, 6, "failed", "stale row, older than ann's record"])
        writer.writerow(["zed", "other_assignment", 3, 6, "graded", ""])
    return root


@pytest.fixture(scope="module")
def toy(course):
    return report.build(course, A)


def test_rows_come_from_records_then_grades_csv(toy):
    rows = {s.row.student: s.row for s in toy.submissions}
    assert sorted(rows) == ["=hal", "ann", "bob", "cy", "dee", "eve", "fay", "gus"]
    assert rows["ann"].status == "graded" and rows["ann"].score == 6
    assert toy.status_counts() == {"graded": 5, "flagged": 1, "failed": 2}
    assert [s.row.student for s in toy.problems] == ["=hal", "gus", "dee"]      # failed first, then flagged


def test_pass_rates_are_exact(toy):
    rates = {p.test: (p.passed, p.graded, p.points) for p in toy.pass_rates}
    # six notebooks: f fails for bob, cy, dee, eve; g for bob, eve; h for cy, eve, fay (stderr)
    assert rates == {"f_test": (2, 6, 2), "g_test": (4, 6, 3), "h_test": (3, 6, 1)}
    assert [p.test for p in toy.pass_rates] == list(TESTS)        # notebook order


def test_mistakes_are_counted_with_one_example_each(toy):
    table = {(m.category, m.detail): (m.count, m.students, m.tests) for m in toy.mistakes}
    assert table == {
        ("forgot_bias", ""): (2, ("bob", "cy"), ("f_test",)),
        ("summed_not_averaged", ""): (1, ("bob",), ("g_test",)),
        ("transposed", ""): (1, ("cy",), ("h_test",)),
        ("named", HOSTILE + " — clip p first"): (1, ("dee",), ("f_test",)),
        ("overflow", ""): (1, ("fay",), ("h_test",)),
        ("not_attempted", ""): (3, ("eve",), tuple(TESTS)),
    }
    assert toy.mistakes[0].category == "forgot_bias"                # most common first
    assert toy.mistakes[-1].category == "not_attempted"             # not a diagnosed mistake: last
    bias = toy.mistakes[0]
    assert bias.example == MESSAGES["forgot_bias"] and bias.example_student == "bob"
    assert toy.score_stats() == {"n": 6, "mean": 19 / 6, "median": 3.5, "min": 0, "max": 6}


class _Page(HTMLParser):
    """What a browser would load or run from the page."""

    def __init__(self):
        super().__init__()
        self.tags, self.sources, self.handlers = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href"):
                self.sources.append(value)
            if name.startswith("on"):
                self.handlers.append((tag, name))


def test_page_is_self_contained_and_escapes_student_text(course):
    out, reports = report.write_report(course, [A], course / "out")
    text = (out / f"{A}.html").read_text()
    page = _Page()
    page.feed(text)
    assert "script" not in page.tags and not page.handlers
    assert page.tags.count("img") == 3                               # scores, pass rates, mistakes
    assert all(s.startswith("data:image/png;base64,") for s in page.sources if s is not None and
               not s.endswith(".html")), page.sources
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for words in ("Score distribution", "Pass rate per test cell", "Most common mistakes", "forgot the bias",
                  "Flagged and failed", "renamed: x.ipynb graded as 09_toy.ipynb", "=HYPERLINK"):
        assert words in text, words
    index = (out / "index.html").read_text()
    assert f'href="{A}.html"' in index and "forgot the bias" in index


def test_csvs_hold_the_numbers_and_no_formulas(course):
    out, _ = report.write_report(course, [A], course / "out_csv")
    with open(out / f"{A}.csv", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert rows["bob"]["f_test"] == "forgot_bias" and rows["bob"]["g_test"] == "summed_not_averaged"
    assert rows["bob"]["h_test"] == "pass" and rows["ann"]["g_test"] == "pass"
    assert rows["gus"]["status"] == "failed" and rows["gus"]["f_test"] == ""
    assert "'=hal" in rows and rows["'=hal"]["reason"].startswith("'=HYPERLINK")
    with open(out / f"{A}_mistakes.csv", newline="") as fh:
        mistakes = list(csv.DictReader(fh))
    assert (mistakes[0]["category"], mistakes[0]["count"], mistakes[0]["students"]) == ("forgot_bias", "2", "2")
    assert mistakes[0]["example_student"] == "bob" and mistakes[0]["example"] == MESSAGES["forgot_bias"]
    assert {m["category"]: int(m["count"]) for m in mistakes} == {
        "forgot_bias": 2, "summed_not_averaged": 1, "transposed": 1, "named": 1, "overflow": 1, "not_attempted": 3}


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["report", *args])
    return code, out.getvalue(), err.getvalue()


def test_command_writes_the_report(course, tmp_path):
    code, out, err = _cli(A, "--course-dir", str(course), "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert {p.name for p in (tmp_path / "r").iterdir()} == {"index.html", f"{A}.html", f"{A}.csv",
                                                            f"{A}_mistakes.csv"}
    assert "8 submission(s) (5 graded, 1 flagged, 2 failed)" in out and "forgot the bias (2)" in out


def test_command_without_a_course_says_so(tmp_path):
    code, _, err = _cli("--course-dir", str(tmp_path))
    assert code == 1 and "coursegrade report:" in err and "is not a course" in err
    code, _, err = _cli("99_nothing", "--course-dir", str(tmp_path))
    assert code == 1


def test_an_assignment_nobody_submitted(course, tmp_path):
    root = tmp_path / "empty"
    (root / "source" / A).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    nbformat.write(_notebook({}), str(root / "source" / A / f"{A}.ipynb"))
    out, (rep,) = report.write_report(root, [A])
    assert out == root / "report" and rep.submissions == [] and rep.mistakes == []
    assert {p.test: (p.passed, p.graded) for p in rep.pass_rates} == {t: (0, 0) for t in TESTS}
    page = (out / f"{A}.html").read_text()
    assert "No submission has a score yet." in page and "No failed test cell." in page
