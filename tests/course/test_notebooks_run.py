"""The notebooks run: solutions reproduce their saved outputs, release notebooks fail only
where the student still has work to do.

Solutions are checked with nbval, in a separate pytest process per notebook (this keeps
``make test`` one pytest command, and a failure names the notebook and shows nbval's
cell-by-cell report). Volatile output is masked by ``nbval_sanitize.cfg``; cells whose
output may legitimately change (widgets, ``@interact``) carry ``# NBVAL_IGNORE_OUTPUT``.
"""

import subprocess
import sys

import pytest
from nbclient import NotebookClient

from .helpers import ASSIGNMENTS, CELL_TIMEOUT, ROOT, nbgrader_env, notebook_path, read_notebook

SANITIZE = ROOT / "tests" / "course" / "nbval_sanitize.cfg"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_reproduces_its_outputs(assignment):
    path = notebook_path("solutions", assignment)
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
           f"--nbval-cell-timeout={CELL_TIMEOUT}", f"--nbval-sanitize-with={SANITIZE}",
           "-p", "no:cacheprovider", "-q", "--no-header", "-rN", "--color=no", str(path)]
    proc = subprocess.run(cmd, cwd=ROOT, env=nbgrader_env(), capture_output=True, text=True)
    # Exit 5 means nbval collected nothing, which must fail as well.
    assert proc.returncode == 0, f"nbval on solutions/{assignment} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
    n_code = sum(c.cell_type == "code" for c in read_notebook(path).cells)
    assert f"{n_code} passed" in proc.stdout, proc.stdout


def _is_exercise_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("solution") or meta.get("grade"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_notebook_runs_up_to_the_exercises(assignment):
    """Run the student's notebook untouched: the only errors allowed are the
    NotImplementedError stubs (and test cells calling them); nothing writes to stderr."""
    path = notebook_path("release", assignment)
    nb = read_notebook(path)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=nbgrader_env())
    problems, stubs = [], 0
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                if output.ename == "NotImplementedError" and _is_exercise_cell(cell):
                    stubs += 1
                else:
                    problems.append(f"cell {index + 1}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index + 1} wrote to stderr: {output.text[:300]!r}")
    assert not problems, f"release/{assignment}: " + "; ".join(problems)
    assert stubs, f"release/{assignment}: no exercise raised NotImplementedError -- is a solution left in?"
