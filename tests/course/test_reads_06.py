"""07 runs on the student's own functions from notebook 06, read from the notebook next to it.

Next to the 06 solution (as in solutions/, and checked cell by cell by nbval in
test_notebooks_run) it trains the network and reads the digits. Here: with no notebook
06 next to it, or with one whose exercises are not written yet (the release version),
07 still runs from top to bottom without an error, says once what it could not read,
and every cell that needs notebook 06 says so in the course's one style -- while its
own two exercises are tested as usual. The grader's sandbox is the first case: it has
only the notebook it grades.
"""

import shutil

import pytest
from nbclient import NotebookClient

from .helpers import CELL_TIMEOUT, nbgrader_env, notebook_path, read_notebook

ASSIGNMENT = "07_generalisation"
NEIGHBOUR = "06_cat_vs_dog"


def _text(cell):
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.output_type == "stream")


def _run_07(course):
    """The 07 solution executed in course/07_generalisation/; the executed notebook."""
    folder = course / ASSIGNMENT
    folder.mkdir()
    nb = read_notebook(notebook_path("solutions", ASSIGNMENT))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=dict(nbgrader_env(), MPLBACKEND="Agg"))
    return nb


def _errors(nb):
    return [f"cell {index + 1}: {output.ename}: {output.evalue[:300]}"
            for index, cell in enumerate(nb.cells) for output in cell.get("outputs", [])
            if output.output_type == "error"]


@pytest.mark.parametrize("neighbour", ["none", "release"])
def test_07_without_a_finished_notebook_06_runs_and_says_what_it_needs(tmp_path, neighbour):
    if neighbour == "release":
        (tmp_path / NEIGHBOUR).mkdir()
        shutil.copy(notebook_path("release", NEIGHBOUR), tmp_path / NEIGHBOUR / f"{NEIGHBOUR}.ipynb")
    nb = _run_07(tmp_path)
    assert not _errors(nb), f"07 with notebook 06 {neighbour}: " + "; ".join(_errors(nb))
    said = "\n".join(_text(cell) for cell in nb.cells)
    if neighbour == "none":
        assert said.count("Notebook 06 is not next to this one") == 1, said[:2000]
        assert "read from ../06_cat_vs_dog/06_cat_vs_dog.ipynb: nothing yet" in said
    else:       # the exercises are not written; init_params and fit are given code in 06
        assert ("still to write in notebook 06 (and save there): preprocess, predict_proba, loss_and_gradients, "
                "train_epoch, confusion_matrix, misclassified, predict_file") in said, said[:2000]
        assert "read from ../06_cat_vs_dog/06_cat_vs_dog.ipynb: init_params, fit" in said
    assert "in notebook 06, then run this cell again to train the network." in said
    for exercise in ["accuracy_and_confidence", "dead_units"]:
        assert f"{exercise}: all tests in this cell passed." in said, f"the {exercise} test cell did not pass"
    assert "trained with your functions" not in said and "Test accuracy, measured once" not in said


def test_07_next_to_the_06_solution_trains_on_its_functions():
    """solutions/07 sits next to solutions/06; its saved outputs (nbval compares them) come from that."""
    nb = read_notebook(notebook_path("solutions", ASSIGNMENT))
    said = "\n".join(_text(cell) for cell in nb.cells)
    assert ("read from ../06_cat_vs_dog/06_cat_vs_dog.ipynb: preprocess, init_params, predict_proba, "
            "loss_and_gradients, train_epoch, fit, confusion_matrix, misclassified, predict_file") in said
    assert "trained with your functions: training accuracy 100%, validation accuracy 94%" in said
    assert "holds:    at least 95 % of the test digits are read correctly" in said
