"""What a student sees: the visible test cells name the mistake of each wrong answer.

For each assignment one kernel runs the release notebook with the solution cells filled
in (so every visible test passes). Then, for each wrong answer of the catalogue
(``wrong_answers/``), the wrong cells are executed in that kernel, the visible test
cells are run again and their error message is matched against the catalogue's
``visible`` pattern (``None``: the visible tests pass, only hidden tests catch it);
finally the solution cells are run again to restore the state for the next one.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from . import wrong_answers
from .helpers import ASSIGNMENTS, CELL_TIMEOUT, nbgrader_env, notebook_path, read_notebook


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


@pytest.fixture(scope="module", params=[a for a in ASSIGNMENTS if wrong_answers.load(a)])
def visible_results(request):
    """{student: {test grade_id: error message or None}} for one assignment."""
    assignment = request.param
    release_path = notebook_path("release", assignment)
    nb = read_notebook(release_path)
    solutions = {_grade_id(c): c.source for c in read_notebook(notebook_path("solutions", assignment)).cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        if _grade_id(cell) in solutions:
            cell.source = solutions[_grade_id(cell)]
    tests = {_grade_id(c): c for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}

    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(release_path.parent)}})
    results = {}
    with client.setup_kernel(env=nbgrader_env()):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
            errors = _errors(cell)
            assert not errors, (f"{assignment}: release notebook with the solutions filled in fails in "
                                f"cell {index + 1}: {errors[0].ename}: {errors[0].evalue}")

        def run(source):
            cell = nbformat.v4.new_code_cell(source)
            nb.cells.append(cell)  # nbclient stores the executed cell back at its index
            try:
                client.execute_cell(cell, len(nb.cells) - 1)
            finally:
                nb.cells.pop()
            return cell

        for wrong in wrong_answers.load(assignment):
            for source in wrong.replace.values():
                run(source)
            results[wrong.student] = {}
            for test_id in wrong.fails:
                errors = _errors(run(tests[test_id].source))
                results[wrong.student][test_id] = (f"{errors[0].ename}: {errors[0].evalue}" if errors else None)
            for grade_id in wrong.replace:
                run(solutions[grade_id])
    return assignment, results


def test_visible_tests_name_the_mistake(visible_results):
    assignment, results = visible_results
    for wrong in wrong_answers.load(assignment):
        for test_id, message in results[wrong.student].items():
            where = f"{assignment} / {wrong.student} / visible part of {test_id}"
            if wrong.visible is None:
                assert message is None, f"{where}: meant to pass the visible tests, but: {message}"
            else:
                assert message is not None, f"{where}: the visible tests pass; expected a message matching {wrong.visible!r}"
                assert message.startswith("CheckFailed"), f"{where}: not a diagnostic CheckFailed: {message}"
                assert re.search(wrong.visible, message), f"{where}: message does not match {wrong.visible!r}: {message}"
