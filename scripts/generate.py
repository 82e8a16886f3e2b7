#!/usr/bin/env python3
"""Regenerate the course's notebooks from the authoring files in source/ (`make generate`).

An assignment is one folder ``source/NN_name/`` holding ``NN_name.py``, a jupytext
percent-format script with the nbgrader metadata in its ``# %%`` cell headers (which
folders are assignments, the solution/hidden-test markers and the 60 s cell limit are
``coursegrade.layout``'s: the grader uses the same). From it:

1. ``source/NN_name/NN_name.ipynb``  -- jupytext converts the .py, checking its nbgrader
   metadata (``coursetools.authoring``; both files are committed: edit the .py, never
   the .ipynb);
2. ``release/NN_name/NN_name.ipynb`` -- ``nbgrader generate_assignment``: solutions
   replaced by ``raise NotImplementedError()``, hidden tests removed; we then make
   sure no outputs or execution counts are left, and collapse the long test cells
   and plotting helpers (:func:`collapse_long_cells`), so that a student scrolling
   the notebook sees prose, exercises and pictures;
3. ``solutions/NN_name/NN_name.ipynb`` -- ``nbgrader generate_solution``, then run
   top to bottom with nbclient in its own folder so that the committed solutions show
   their outputs. Any error in a solution notebook stops the script.

Run it from anywhere: ``python scripts/generate.py [--no-execute] [ASSIGNMENT ...]``.
nbgrader runs in the course root (so ``nbgrader_config.py`` applies) and records the
assignments in ``gradebook.db`` there, which is not committed.

The tests run this script as a command (``--root`` a temporary copy of the course,
``--no-execute``) to check that the committed notebooks are up to date, so it is the
single definition of what "generated" means; they import nothing from it. What they
share with it is installed: ``coursegrade.layout`` and ``coursetools.authoring``.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from coursegrade.layout import ASSIGNMENT_GLOB, CELL_TIMEOUT, LayoutError, authoring_path, find_assignments
from coursetools.authoring import SourceError, read_source, write_if_changed

COURSE_ROOT = Path(__file__).resolve().parents[1]


# --- 1. jupytext: .py -> .ipynb ----------------------------------------------------------

def convert_sources(root, assignments, log=print):
    for name in assignments:
        py_path = authoring_path(name, root)
        folder = py_path.parent
        if not py_path.exists():
            raise SourceError(f"{folder}: expected the authoring file {py_path.name} (jupytext percent format)")
        others = sorted(p.name for p in folder.glob("*.ipynb") if p.name != f"{name}.ipynb")
        if others:
            raise SourceError(f"{folder}: one notebook per assignment; remove {', '.join(others)}")
        changed = write_if_changed(read_source(py_path), folder / f"{name}.ipynb")
        log(f"  source/{name}/{name}.ipynb {'written' if changed else 'up to date'}")


# --- 2. nbgrader -------------------------------------------------------------------------

def nbgrader(root, *args, log=print):
    """Run one nbgrader command in the course root; raise with its output if it fails."""
    env = dict(os.environ)
    # nbgrader calls `alembic` (its database migrations) as a program: it must be on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    log("  $ nbgrader " + " ".join(args))
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def _patterns(assignments, every):
    """The assignment ids for nbgrader: one glob when all assignments are generated (one
    nbgrader call; find_assignments has made sure that every folder it takes is an
    assignment), else each name. A glob for a subset would regenerate the others too,
    leaving their solutions unexecuted."""
    return [ASSIGNMENT_GLOB] if len(assignments) > 1 and set(assignments) == set(every) else list(assignments)


COLLAPSE_LINES = 10   # a test cell or plotting helper longer than this starts collapsed in release/
HELPER = re.compile(r"^def (draw|plot)_\w+\(", re.M)


def collapse_long_cells(nb):
    """Collapse (``jupyter.source_hidden``) the release cells a student need not read to
    work: visible test cells and plotting helpers (``def draw_...``/``def plot_...``)
    longer than COLLAPSE_LINES lines. Their outputs stay visible, a click shows the
    code; exercise cells are never collapsed."""
    for cell in nb.cells:
        grading = cell.metadata.get("nbgrader", {})
        long = len(cell.source.splitlines()) > COLLAPSE_LINES
        test = grading.get("grade") and not grading.get("solution")
        helper = not grading.get("solution") and HELPER.search(cell.source)
        if cell.cell_type == "code" and long and (test or helper):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def strip_outputs(path, collapse=False):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    if collapse:
        collapse_long_cells(nb)
    write_if_changed(nb, path)


# --- 3. execute the solutions ------------------------------------------------------------

def execute_solution(path, timeout=CELL_TIMEOUT):
    """Run a solution notebook in its own folder; raise if any cell fails."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, store_widget_state=False, coalesce_streams=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        raise RuntimeError(f"{path}: a cell of the solution notebook failed:\n{err}") from None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            # Widget views name a random model id and render nothing without the saved
            # widget state; keep their text fallback so the file is deterministic.
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    write_if_changed(nb, path)


# --- all steps ---------------------------------------------------------------------------

def generate(root=COURSE_ROOT, names=None, execute=True, log=print):
    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise SourceError(f"{root} is not a course root: it has no nbgrader_config.py")
    assignments = find_assignments(root, names)
    log(f"1/3 jupytext: source/*/*.py -> source/*/*.ipynb ({', '.join(assignments)})")
    convert_sources(root, assignments, log=log)

    log("2/3 nbgrader: release/ and solutions/")
    for pattern in _patterns(assignments, find_assignments(root)):
        nbgrader(root, "generate_assignment", pattern, "--force", log=log)
        # generate_solution only knows assignments already in the gradebook (added by the
        # step above). It would also execute the notebooks, in source/; we execute them
        # ourselves below, in solutions/, and stop on the first error.
        nbgrader(root, "generate_solution", pattern, "--force", "--Execute.enabled=False", log=log)
    for name in assignments:
        for nb_path in sorted((root / "release" / name).glob("*.ipynb")):
            strip_outputs(nb_path, collapse=True)

    if execute:
        log(f"3/3 nbclient: executing solutions/ (at most {CELL_TIMEOUT} s per cell)")
        for name in assignments:
            for nb_path in sorted((root / "solutions" / name).glob("*.ipynb")):
                log(f"  {nb_path.relative_to(root)}")
                execute_solution(nb_path)
    else:
        log("3/3 skipped: solutions not executed (--no-execute)")
    return assignments


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="assignment folders in source/ (default: all)")
    parser.add_argument("--no-execute", action="store_true", help="do not run the solution notebooks")
    parser.add_argument("--root", default=str(COURSE_ROOT), help="course root (default: this repository)")
    args = parser.parse_args(argv)
    try:
        generate(args.root, args.assignments or None, execute=not args.no_execute)
    except (LayoutError, SourceError, RuntimeError) as err:
        print(f"make generate: {err}", file=sys.stderr)
        return 1
    print("done: review the changes with `git diff --stat release/ solutions/ source/`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
