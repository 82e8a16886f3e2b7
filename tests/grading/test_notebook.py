"""Unit tests of ``coursegrade.notebook``: what the sandbox runs and what the grading kernel runs.

Built on a small notebook made with ``nbformat.v4``: an import cell, a data cell a test
needs, a demonstration cell nothing needs, one solution cell, a visible test, a test
with a hidden-tests block and a ``grading-skip`` demonstration. No kernel is started.
"""

import ast
import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursegrade import notebook
from coursegrade.notebook import STUDENT

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"     # nbgrader's markers

SOLUTION = '''\
def sigmoid(z, scale=1.0, /, *, out=None):
    """The logistic function."""
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-scale * z))
    ### END SOLUTION


def _unused_helper(x, *args, **kwargs):
    return x
'''
RELEASED_SOLUTION = '''\
def sigmoid(z, scale=1.0, /, *, out=None):
    """The logistic function."""
    # YOUR CODE HERE
    raise NotImplementedError()


def _unused_helper(x, *args, **kwargs):
    return x
'''
VISIBLE_TEST = "assert np.isclose(sigmoid(0), 0.5)\nprint('visible test passed')"
HIDDEN_TEST = (f"assert sigmoid(DATA).shape == (3,)\n{HIDDEN_BEGIN}\n"
               f"assert np.allclose(sigmoid(np.zeros(2)), 0.5)\n{HIDDEN_END}\nprint('done')")
DEMO = "sigmoid(DATA)  # a demonstration that needs the reference"


def meta(grade_id, *, grade=False, solution=False, points=0):
    return {"nbgrader": {"grade": grade, "solution": solution, "locked": not solution, "points": points,
                         "grade_id": grade_id, "schema_version": 3}}


def source_notebook():
    """The instructor's notebook (``source/``)."""
    return new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}}, cells=[
        new_markdown_cell("# Sigmoid\n\nimport this  # (markdown, never parsed)"),                    # 0
        new_code_cell("%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt"),    # 1
        new_code_cell("DATA = np.arange(3)"),                                                         # 2
        new_code_cell("PLOT = plt.plot(DATA)\nprint('a figure nothing needs')"),                      # 3
        new_code_cell(SOLUTION, metadata=meta("sigmoid", solution=True)),                            # 4
        new_code_cell(VISIBLE_TEST, metadata=meta("test_sigmoid", grade=True, points=1)),            # 5
        new_code_cell(HIDDEN_TEST, metadata=meta("test_sigmoid_hidden", grade=True, points=2)),      # 6
        new_code_cell(DEMO, metadata={"tags": ["grading-skip"]}),                                    # 7
    ])


def released_notebook():
    """What the student got (``release/``): solution cleared, hidden tests removed."""
    nb = source_notebook()
    nb.cells[4].source = RELEASED_SOLUTION
    nb.cells[6].source = notebook.without_hidden(HIDDEN_TEST)
    return nb


def parse(cell):
    return ast.parse(cell.source)


# --- cell kinds ----------------------------------------------------------------------------------

def test_cell_kinds():
    cells = source_notebook().cells
    assert [notebook.is_test(c) for c in cells] == [False] * 5 + [True, True, False]
    assert [notebook.is_solution(c) for c in cells] == [False] * 4 + [True] + [False] * 3
    assert [notebook.is_skipped(c) for c in cells] == [False] * 7 + [True]
    assert notebook.nbgrader_meta(cells[5])["grade_id"] == "test_sigmoid"
    assert notebook.nbgrader_meta(cells[1]) == {}


@pytest.mark.parametrize("cell, test, solution, skipped", [
    (new_code_cell("x", metadata=meta("a", grade=True, solution=True, points=1)), False, True, False),
    (new_markdown_cell("x", metadata=meta("a", grade=True, points=1)), False, False, False),
    (new_markdown_cell("x", metadata=meta("a", solution=True)), False, False, False),
    (new_code_cell("x", metadata={"nbgrader": None}), False, False, False),
    (new_code_cell("x", metadata={"nbgrader": {}}), False, False, False),
    (nbformat.from_dict({"cell_type": "code", "source": "x", "metadata": {"tags": "grading-skip"}}),
     False, False, False),                                                            # not a list
    (new_code_cell("x", metadata={"tags": ["other", "grading-skip"]}), False, False, True),
    (new_markdown_cell("x", metadata={"tags": ["grading-skip"]}), False, False, False),
], ids=["grade-and-solution", "markdown-grade", "markdown-solution", "nbgrader-None", "nbgrader-empty",
        "tags-string", "tags-list", "markdown-skip"])
def test_cell_kinds_edge_cases(cell, test, solution, skipped):
    assert (notebook.is_test(cell), notebook.is_solution(cell), notebook.is_skipped(cell)) == \
        (test, solution, skipped)


# --- hidden tests -----------------------------------------------------------------------------------

def test_without_hidden():
    assert notebook.without_hidden(HIDDEN_TEST) == "assert sigmoid(DATA).shape == (3,)\nprint('done')"
    two = f"a\n{HIDDEN_BEGIN}\nb\n{HIDDEN_END}\nc\n    {HIDDEN_BEGIN}\nd\n    {HIDDEN_END}\ne"
    assert notebook.without_hidden(two) == "a\nc\n    e"        # each block on its own, not a..d
    assert notebook.without_hidden(VISIBLE_TEST) == VISIBLE_TEST
    assert notebook.without_hidden(f"x\n{HIDDEN_BEGIN}\nnever ended") == f"x\n{HIDDEN_BEGIN}\nnever ended"


def test_normalise():
    assert notebook.normalise("  a  =\t1\n\n\nb = 2  \n") == "a = 1 b = 2"


# --- names ------------------------------------------------------------------------------------------

def test_defined_names():
    tree = ast.parse(
        "x = 1\n"
        "y, (z, *w) = f()\n"
        "a[0] = 1\n"
        "b.attr = 2\n"
        "c += 1\n"
        "d: int = 3\n"
        "for i, (j, k) in pairs: pass\n"
        "with open('f') as fh, lock: pass\n"
        "if True:\n"
        "    inner = 2\n"
        "import os.path\n"
        "from json import loads as parse\n"
        "def f(): local = 1\n"
        "class C: attribute = 1\n"
        "async def g(): pass\n"
        "lst.append(3)\n"
        "np.random.seed(0)\n"
        "print(q := 5)\n"
        "result = np.zeros(3)\n")
    expected = {"x", "y", "z", "w", "a", "b", "c", "d", "i", "j", "k", "fh", "inner", "os", "parse",
                "f", "C", "g", "lst", "q", "result"}
    assert notebook.defined_names(tree, {"np"}) == expected
    assert notebook.defined_names(tree) == expected | {"np"}      # np.random.seed(0) "changes" np


def test_used_names():
    tree = ast.parse(
        "def f(a, *rest, key=None, **kw):\n"
        "    return a + b + len(rest)\n"
        "import os\n"
        "try:\n"
        "    pass\n"
        "except E as err:\n"
        "    print(err)\n"
        "print(c, os.sep, [v for v in d])\n"
        "x = 1\n"
        "y = x + e.attr\n")
    assert notebook.used_names(tree) == {"b", "E", "c", "d", "e"}


def test_module_names():
    nb = new_notebook(cells=[
        new_code_cell("%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\nimport os.path"),
        new_code_cell("from os import path as ospath, sep\nfrom json import decoder\nfrom numpy import pi"),
        new_code_cell("from . import relative\nfrom .pkg import mod"),
        new_code_cell("this does not parse ("),
        new_markdown_cell("import markdown_is_not_code"),
    ])
    assert notebook.module_names(nb) == {"np", "plt", "os", "ospath", "decoder"}


def test_solution_functions_and_parameters():
    nb = source_notebook()
    nb.cells.insert(5, new_code_cell("import math\nfrom os import path\n\ndef a_second(v, /, w, *, k): pass",
                                     metadata=meta("second", solution=True)))
    assert notebook.solution_functions(nb) == ["_unused_helper", "sigmoid", "a_second"]   # by cell, then sorted
    assert notebook.solution_parameters(nb) == {"sigmoid": ["z", "scale", "out"], "_unused_helper": ["x"],
                                                "a_second": ["v", "w", "k"]}


def test_solution_cell_that_does_not_parse_is_an_error():
    nb = source_notebook()
    nb.cells[4].source = "def sigmoid(z:\n    pass"
    with pytest.raises(ValueError, match="solution cell sigmoid does not parse"):
        notebook.solution_functions(nb)


# --- student_cells: what runs in the sandbox -----------------------------------------------------

def test_student_cells_of_a_submission():
    submission = released_notebook()
    submission.cells[4].source = SOLUTION.replace("### BEGIN SOLUTION\n", "")    # the student's answer
    submission.cells.append(new_code_cell("print(sigmoid(1.0))"))                # a cell of their own
    submission.cells.append(new_markdown_cell("my notes"))
    cells = notebook.student_cells(submission, source_notebook())
    assert cells == [
        {"index": 1, "source": submission.cells[1].source},
        {"index": 2, "source": "DATA = np.arange(3)"},
        {"index": 3, "source": submission.cells[3].source},
        {"index": 4, "source": submission.cells[4].source},
        {"index": 8, "source": "print(sigmoid(1.0))"},
    ]
    assert not any(HIDDEN_BEGIN in c["source"] or "visible test passed" in c["source"] for c in cells)


def test_student_cells_when_an_editor_stripped_all_metadata():
    source = source_notebook()
    for hidden_version in (False, True):            # the test cell as released, or with its hidden block
        submission = released_notebook()
        if hidden_version:
            submission.cells[6].source = HIDDEN_TEST
        submission.cells[5].source = "\n  " + VISIBLE_TEST.replace("\n", "\n\n") + "   \n"   # whitespace aside
        for cell in submission.cells:
            cell.metadata = {}
        cells = notebook.student_cells(submission, source)
        assert [c["index"] for c in cells] == [1, 2, 3, 4], hidden_version


def test_a_changed_test_cell_without_metadata_runs_in_the_sandbox():
    """Only the instructor's text is recognised: an edited copy is the student's own code."""
    submission = released_notebook()
    submission.cells[5].metadata = {}
    submission.cells[5].source = VISIBLE_TEST.replace("0.5", "0.25")
    assert [c["index"] for c in notebook.student_cells(submission, source_notebook())] == [1, 2, 3, 4, 5]


def test_a_test_cell_with_metadata_never_runs_in_the_sandbox_whatever_its_text():
    submission = released_notebook()
    submission.cells[6].source = "import os  # the student rewrote the test"
    assert 6 not in [c["index"] for c in notebook.student_cells(submission, source_notebook())]


def test_student_cells_skip_cells_that_are_not_code_text():
    submission = released_notebook()
    submission.cells[2]["source"] = ["DATA = ", "1"]      # not as nbformat writes it: left out
    submission.cells.append(nbformat.from_dict({"cell_type": "raw", "metadata": {}, "source": "x = 1"}))
    assert [c["index"] for c in notebook.student_cells(submission, source_notebook())] == [1, 3, 4]


# --- grading_notebook: what the grading kernel runs ----------------------------------------------

def proxy_calls(cell):
    """[(target, function name, parameters, mutates, keeps_inputs)] of a proxy cell."""
    found = []
    for statement in parse(cell).body:
        assert isinstance(statement, ast.Assign), ast.unparse(statement)
        call = statement.value
        assert ast.unparse(call.func) == f"{STUDENT}.function"
        args = [ast.literal_eval(a) for a in call.args]
        keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        found.append((statement.targets[0].id, *args, keywords))
    return found


def test_grading_notebook_cells(tmp_path):
    source = source_notebook()
    before = copy.deepcopy(source)
    plan = tmp_path / "plan.json"
    nb = notebook.grading_notebook(source, plan)
    nbformat.validate(nb)
    assert source == before                                          # not changed
    assert nb.metadata == source.metadata

    first, *middle, last = nb.cells
    # The first cell resets the kernel and starts the student from the plan.
    assert first.source.splitlines()[0] == "%reset -f"
    assert "coursegrade.proxy.fresh_state()" in first.source
    assert first.source.splitlines()[-1] == \
        f"{STUDENT} = coursegrade.proxy.Student.start({str(plan)!r}, globals())"
    assert last.source == f"{STUDENT}.finish()"

    # Kept: the imports and the data the tests use, the proxy, the two tests. Dropped: the
    # plot nothing uses, the unused helper, the markdown and the grading-skip demonstration.
    assert [c.source for c in middle[:2]] == [source.cells[1].source, "DATA = np.arange(3)"]
    assert proxy_calls(middle[2]) == [("sigmoid", "sigmoid", ["z", "scale", "out"], [], {"keeps_inputs": False})]
    assert [c.source for c in middle[3:]] == [VISIBLE_TEST, HIDDEN_TEST]    # hidden tests run here
    assert len(middle) == 5
    assert [c.metadata for c in middle[3:]] == [source.cells[5].metadata, source.cells[6].metadata]
    assert all(c.cell_type == "code" and not c.outputs for c in nb.cells)
    assert "_unused_helper" not in "".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in "".join(c.source for c in nb.cells)


def test_grading_notebook_cells_do_not_share_metadata_with_the_source(tmp_path):
    source = source_notebook()
    nb = notebook.grading_notebook(source, tmp_path / "plan.json")
    assert notebook.nbgrader_meta(nb.cells[4])["grade_id"] == "test_sigmoid"
    nb.cells[4].metadata["nbgrader"]["grade_id"] = "changed"
    nb.cells[4].metadata["tags"] = ["added"]
    assert source.cells[5].metadata == meta("test_sigmoid", grade=True, points=1)


def test_grading_notebook_does_not_share_notebook_metadata_with_the_source(tmp_path):
    source = source_notebook()
    nb = notebook.grading_notebook(source, tmp_path / "plan.json")
    nb.metadata["language_info"] = {"name": "python"}          # as nbclient does when it runs it
    assert "language_info" not in source.metadata


def test_grading_notebook_preamble_moves_to_cwd_first(tmp_path):
    cwd = tmp_path / "it's here"
    plan = tmp_path / 'a "plan".json'
    first = notebook.grading_notebook(source_notebook(), plan, cwd=cwd).cells[0]
    lines = first.source.splitlines()
    assert lines[0] == f"__import__('os').chdir({str(cwd)!r})"
    assert lines[1] == "%reset -f"
    tree = notebook._python(first.source)        # magics transformed, then parsed
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert str(cwd) in strings and str(plan) in strings


def test_grading_notebook_with_a_contract(tmp_path):
    nb = notebook.grading_notebook(source_notebook(), tmp_path / "p", mutates={"sigmoid": ["out"]},
                                   keeps_inputs=("sigmoid",))
    assert proxy_calls(nb.cells[3]) == [("sigmoid", "sigmoid", ["z", "scale", "out"], ["out"],
                                         {"keeps_inputs": True})]


def test_grading_notebook_refuses_a_contract_naming_an_unknown_parameter(tmp_path):
    with pytest.raises(ValueError, match=r"sigmoid may change \['params'\] in place.*no such parameter"):
        notebook.grading_notebook(source_notebook(), tmp_path / "p", mutates={"sigmoid": ["params"]})


def test_grading_notebook_keeps_what_the_kept_cells_need(tmp_path):
    """A chain: the test uses LOSSES, made by a cell using DATA and a proxy. A cell that
    only defines an unused name goes; one that may change a needed name (``DATA.sort()``)
    stays; a proxy is made only for the functions a kept cell uses."""
    source = source_notebook()
    source.cells[4].source += "\n\ndef loss(y):\n    return y\n"
    source.cells.insert(5, new_code_cell("LOSSES = [loss(v) for v in DATA]\nUNUSED = 1"))
    source.cells.insert(6, new_code_cell("UNUSED2 = len(DATA)"))
    source.cells.insert(7, new_code_cell("DATA.sort()"))
    source.cells[8].source += "\nassert len(LOSSES) == 3"                    # the visible test
    nb = notebook.grading_notebook(source, tmp_path / "p")
    texts = [c.source for c in nb.cells[1:-1]]
    assert texts[:2] == [source.cells[1].source, "DATA = np.arange(3)"]
    assert [call[0] for call in proxy_calls(nb.cells[3])] == ["loss", "sigmoid"]
    assert texts[3:] == ["LOSSES = [loss(v) for v in DATA]\nUNUSED = 1", "DATA.sort()",
                         source.cells[8].source, HIDDEN_TEST]


def test_grading_notebook_keeps_a_test_cell_that_does_not_parse(tmp_path):
    source = source_notebook()
    source.cells[5].source = "assert sigmoid(0) == (0.5"
    nb = notebook.grading_notebook(source, tmp_path / "p")
    assert "assert sigmoid(0) == (0.5" in [c.source for c in nb.cells]
