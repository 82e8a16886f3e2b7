"""source/: each assignment's jupytext .py and its .ipynb say the same thing.

The .py is what instructors edit and review; the .ipynb is what nbgrader reads. They
drift apart when someone edits one and forgets `make generate`. The conversion and its
checks are ``coursetools.authoring``'s, which scripts/generate.py uses.
"""

import textwrap

import pytest

from coursegrade.layout import authoring_path
from coursetools.authoring import SourceError, read_source

from .helpers import ASSIGNMENTS, ROOT, notebook_path, read_notebook, run_generate


def _cells(nb):
    return [(c.cell_type, c.get("id"), c.source, dict(c.metadata)) for c in nb.cells]


def test_there_are_assignments():
    assert ASSIGNMENTS, "no assignment folders in source/"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_py_and_ipynb_in_sync(assignment):
    from_py = read_source(authoring_path(assignment, ROOT))
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


# --- malformed sources are rejected with a message that says what to fix -----------------

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
    with pytest.raises(SourceError) as err:
        read_source(_write(tmp_path, body))
    assert message in str(err.value)
    assert "99_bad.py" in str(err.value)


def test_wellformed_source_is_accepted(tmp_path):
    body = SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n" + TEST + "assert f() == 1\nprint('ok')\n"
    nb = read_source(_write(tmp_path, body))
    assert [c.id for c in nb.cells] == ["f", "f_test"]


def test_generate_stops_on_a_malformed_source_with_the_message(tmp_path):
    """The command: the same message, prefixed for `make generate`, exit 1, nothing written."""
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "source" / "99_bad").mkdir(parents=True)
    _write(tmp_path / "source" / "99_bad", SOLUTION + "def f():\n    ### BEGIN SOLUTION\n    return 1\n")
    run = run_generate(tmp_path, "--no-execute")
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith("make generate: ") and "99_bad.py" in run.stderr and "do not pair up" in run.stderr
    assert not (tmp_path / "source" / "99_bad" / "99_bad.ipynb").exists()


# --- one style for "this cell needs an exercise you have not written yet" ----------------

import ast  # noqa: E402
import re  # noqa: E402

# The old ways of saying it, one per notebook, before nnlearn.plotting.not_yet.
_OLD_STYLES = re.compile(r"Finish [Ee]xercises? \d|Write \w+ \([Ee]xercise|[Ee]xercise \d+ is not done|"
                         r"finish the exercises?\b|write the exercises first|implement \w+\(\)")


def _handler_says_not_yet(handler):
    """An ``except NotImplementedError`` handler that speaks in the course's style, or passes it on."""
    for node in ast.walk(handler):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "not_yet":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "ot yet: write" in node.value:
            return True       # a plot title or a table row, where a sentence of its own does not fit
        if isinstance(node, ast.Raise):
            return True
    body = handler.body
    # try_call (02): returns None, and the caller says not_yet
    return len(body) == 1 and isinstance(body[0], ast.Return) and getattr(body[0].value, "value", 0) is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cells_waiting_for_an_exercise_say_so_in_one_style(assignment):
    """Demonstration cells that catch NotImplementedError call nnlearn.plotting.not_yet (item 7 of issue 14)."""
    nb = read_notebook(notebook_path("source", assignment))
    problems = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade"):
            continue                                   # the student's cells and the test cells
        source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        first = cell.source.splitlines()[0] if cell.source else ""
        for match in _OLD_STYLES.finditer(source):
            problems.append(f"cell {index} ({first[:50]!r}): old wording {match.group(0)!r}")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ExceptHandler) and "NotImplementedError" in ast.unparse(node.type or ast.Name("")):
                if not _handler_says_not_yet(node):
                    problems.append(f"cell {index} ({first[:50]!r}), line {node.lineno}: "
                                    f"`except NotImplementedError` does not call not_yet(...)")
    assert not problems, (f"{assignment}: say 'this needs an exercise not written yet' with "
                          "nnlearn.plotting.not_yet(names..., to=..., ax=...):\n  " + "\n  ".join(problems))
