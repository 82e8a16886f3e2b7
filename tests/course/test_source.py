"""source/: each assignment's jupytext .py and its .ipynb say the same thing.

The .py is what instructors edit and review; the .ipynb is what nbgrader reads. They
drift apart when someone edits one and forgets `make generate`.
"""

import textwrap

import pytest

from .helpers import ASSIGNMENTS, ROOT, generate, notebook_path, read_notebook


def _cells(nb):
    return [(c.cell_type, c.get("id"), c.source, dict(c.metadata)) for c in nb.cells]


def test_there_are_assignments():
    assert ASSIGNMENTS, "no assignment folders in source/"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_py_and_ipynb_in_sync(assignment):
    from_py = generate.read_source(ROOT / "source" / assignment / f"{assignment}.py")
    committed = read_notebook(notebook_path("source", assignment))
    for index, (want, got) in enumerate(zip(_cells(from_py), _cells(committed))):
        assert got == want, (
            f"source/{assignment}: cell {index + 1} of the .ipynb differs from the .py "
            f"(first line {want[2].splitlines()[:1]}). Edit the .py and run `make generate`.")
    assert len(committed.cells) == len(from_py.cells), (
        f"source/{assignment}: the .ipynb has {len(committed.cells)} cells, the .py {len(from_py.cells)}. "
        "Run `make generate`.")
    assert committed.metadata == from_py.metadata


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_a_graded_test(assignment):
    """Each solution cell is followed, before the next solution cell, by a graded test cell."""
    nb = read_notebook(notebook_path("source", assignment))
    pending = None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            assert pending is None, f"{assignment}: solution cell {pending!r} has no test cell after it"
            pending = meta["grade_id"]
        elif meta.get("grade") and not meta.get("solution"):
            assert meta.get("points", 0) > 0, f"{assignment}: test cell {meta['grade_id']!r} is worth no points"
            pending = None
    assert pending is None, f"{assignment}: solution cell {pending!r} has no test cell after it"


# --- scripts/generate.py rejects malformed sources with a message that says what to fix ---

HEADER = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---
"""
SOLUTION = '# %% nbgrader={"grade": false, "grade_id": "f", "locked": false, "schema_version": 3, "solution": true}\n'
TEST = '# %% nbgrader={"grade": true, "grade_id": "f_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}\n'


def _write(tmp_path, body):
    path = tmp_path / "99_bad.py"
    path.write_text(HEADER + "\n" + textwrap.dedent(body))
    return path


@pytest.mark.parametrize("body, message", [
    (SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n" + TEST
     + "assert f() == 1\nf()\n", "ends with an expression"),
    (SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n\n" + TEST + "print('ok')\n",
     "do not pair up"),
    (SOLUTION.replace('"grade_id": "f", ', "") + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n",
     "lacks ['grade_id']"),
    ("# %%\ndef f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "no nbgrader metadata"),
    (SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n"
     + TEST.replace('"points": 1, ', "") + "print('ok')\n", '"points"'),
    (SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n"
     + TEST.replace('"f_test"', '"f"') + "print('ok')\n", "used twice"),
    (SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "no graded cell"),
])
def test_malformed_source_is_rejected_with_a_clear_message(tmp_path, body, message):
    with pytest.raises(generate.SourceError) as err:
        generate.read_source(_write(tmp_path, body))
    assert message in str(err.value)
    assert "99_bad.py" in str(err.value)


def test_wellformed_source_is_accepted(tmp_path):
    body = SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n" + TEST + "assert f() == 1\nprint('ok')\n"
    nb = generate.read_source(_write(tmp_path, body))
    assert [c.id for c in nb.cells] == ["f", "f_test"]
