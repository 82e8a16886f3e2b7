"""nnlearn.standing.where_you_stand: a notebook's visible tests run again, with the points at stake."""

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from nnlearn.standing import where_you_stand


def _graded(source, grade_id, points):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": points,
                                 "schema_version": 3, "solution": False}
    return cell


@pytest.fixture()
def shell():
    shell = InteractiveShell.instance()
    shell.run_cell("def double(x):\n    return 2 * x\n\ndef half(x):\n    return x\n\n"
                   "def later(x):\n    raise NotImplementedError()\n", store_history=False)
    yield shell
    InteractiveShell.clear_instance()


def _notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A notebook"),
        nbformat.v4.new_code_cell("raise RuntimeError('not a test cell: never run')"),
        _graded("from nnlearn.testing import check_scalar\ncheck_scalar('double(2)', double(2), 4)\n"
                "### BEGIN HIDDEN TESTS\nraise RuntimeError('a hidden test: never run')\n### END HIDDEN TESTS\n"
                "print('double: all tests in this cell passed.')", "double_test", 2),
        _graded("from nnlearn.testing import check_scalar\ncheck_scalar('half(4)', half(4), 2)", "half_test", 3),
        _graded("later(1)", "later_test", 1.5),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_each_exercise_passed_failing_or_not_written(tmp_path, shell, capsys):
    rows = where_you_stand(_notebook(tmp_path), shell=shell)
    assert [(e, p) for e, p, _ in rows] == [("double", 2.0), ("half", 3.0), ("later", 1.5)]
    assert rows[0][2] == "passed" and rows[2][2] == "not written yet"
    assert rows[1][2].startswith("failing: half(4)")
    out = capsys.readouterr().out
    assert "double: all tests in this cell passed." not in out        # the tests' own output is not shown
    assert "The visible tests pass for exercises worth 2 of 6.5 points. That is a good sign, not a grade" in out
    assert "hidden tests as well" in out


def test_the_student_sees_a_fix_at_once(tmp_path, shell, capsys):
    path = _notebook(tmp_path)
    shell.run_cell("def half(x):\n    return x / 2\n", store_history=False)
    assert [outcome for _, _, outcome in where_you_stand(path, shell=shell)] == ["passed", "passed",
                                                                                  "not written yet"]
    shell.run_cell("def later(x):\n    return x\n", store_history=False)
    where_you_stand(path, shell=shell)
    assert "The visible tests pass for every exercise (6.5 points). That is a good sign" in capsys.readouterr().out
    shell.run_cell("def double(x):\n    raise NotImplementedError()\n\ndef half(x):\n    raise ValueError('no')\n",
                   store_history=False)
    shell.run_cell("def later(x):\n    raise NotImplementedError()\n", store_history=False)
    rows = where_you_stand(path, shell=shell)
    assert rows[1][2] == "failing: ValueError: no"
    assert "No exercise passes its visible tests yet (6.5 points at stake)." in capsys.readouterr().out


def test_a_missing_or_broken_notebook_is_said_not_raised(tmp_path, shell, capsys):
    assert where_you_stand(tmp_path / "nothing.ipynb", shell=shell) == []
    assert "Where you stand: no notebook at" in capsys.readouterr().out
    (tmp_path / "bad.ipynb").write_text("{not json")
    assert where_you_stand(tmp_path / "bad.ipynb", shell=shell) == []
    assert "is not a readable notebook" in capsys.readouterr().out


def test_a_failing_test_leaves_no_traceback_and_no_error_output(tmp_path):
    """In a real kernel the cell runs without an error output, whatever the tests say."""
    from nbclient import NotebookClient

    path = _notebook(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells = [nbformat.v4.new_code_cell("def double(x):\n    return x\n\ndef half(x):\n    return x\n\n"
                                          "def later(x):\n    raise NotImplementedError()"),
                nbformat.v4.new_code_cell("from nnlearn.standing import where_you_stand\n"
                                          "rows = where_you_stand('nb.ipynb')")]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[-1].outputs
    assert [o.output_type for o in outputs] == ["stream"], outputs
    lines = outputs[0].text.splitlines()
    assert lines[1].split()[:3] == ["double", "2", "failing:"] and "double(2): got 2, expected 4" in lines[1]
    assert lines[3].split() == ["later", "1.5", "not", "written", "yet"]


def test_outside_a_kernel_it_says_so(tmp_path, monkeypatch):
    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    with pytest.raises(RuntimeError, match="runs in a notebook's kernel"):
        where_you_stand(_notebook(tmp_path))
