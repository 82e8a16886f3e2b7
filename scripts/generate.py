#!/usr/bin/env python3
"""Regenerate the course's notebooks from the authoring files in source/ (`make generate`).

An assignment is one folder ``source/NN_name/`` holding ``NN_name.py``, a jupytext
percent-format script with the nbgrader metadata in its ``# %%`` cell headers. From it:

1. ``source/NN_name/NN_name.ipynb``  -- jupytext converts the .py (both are committed;
   edit the .py, never the .ipynb);
2. ``release/NN_name/NN_name.ipynb`` -- ``nbgrader generate_assignment``: solutions
   replaced by ``raise NotImplementedError()``, hidden tests removed; we then make
   sure no outputs or execution counts are left;
3. ``solutions/NN_name/NN_name.ipynb`` -- ``nbgrader generate_solution``, then run
   top to bottom with nbclient in its own folder so that the committed solutions show
   their outputs. Any error in a solution notebook stops the script.

Run it from anywhere: ``python scripts/generate.py [--no-execute] [ASSIGNMENT ...]``.
nbgrader runs in the course root (so ``nbgrader_config.py`` applies) and records the
assignments in ``gradebook.db`` there, which is not committed.

The tests call :func:`generate` on a temporary copy of the course to check that the
committed notebooks are up to date, so this script is the single definition of what
"generated" means.
"""

import argparse
import ast
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat

COURSE_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")
CELL_TIMEOUT = 60  # seconds per cell when executing a solution notebook
# Cell metadata worth keeping from the .py headers. jupytext also records how to
# round-trip blank lines (lines_to_next_cell, ...), which means nothing in a notebook.
KEPT_CELL_METADATA = ("nbgrader", "tags", "jupyter", "editable", "deletable")
NBGRADER_REQUIRED = {"grade", "grade_id", "locked", "schema_version", "solution"}


class SourceError(Exception):
    """A malformed assignment in source/; the message says where and what to fix."""


# --- 1. jupytext: .py -> .ipynb ----------------------------------------------------------

def find_assignments(root, names=None):
    """The assignment folders of ``root/source``, sorted; ``names`` restricts them."""
    source = Path(root) / "source"
    found = sorted(p.name for p in source.iterdir() if p.is_dir() and ASSIGNMENT_NAME.match(p.name))
    if names:
        unknown = sorted(set(names) - set(found))
        if unknown:
            raise SourceError(f"no assignment folder source/{unknown[0]}/ (found: {', '.join(found) or 'none'})")
        found = [n for n in found if n in names]
    if not found:
        raise SourceError(f"no assignment folders like source/01_name/ in {source}")
    return found


def _cell_id(cell, taken):
    """A stable cell id: the nbgrader grade_id, else a hash of the cell's text.

    jupytext would give every cell a random id on every run, which would make every
    regeneration a diff. A hash changes only when that cell changes.
    """
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    base = grade_id or f"{cell.cell_type[:2]}-{hashlib.sha1(cell.source.encode()).hexdigest()[:8]}"
    cid, k = base, 1
    while cid in taken:
        k += 1
        cid = f"{base}-{k}"
    taken.add(cid)
    return cid


def _check_cell(where, cell, grade_ids):
    """Raise SourceError for nbgrader metadata that nbgrader would reject or misgrade."""
    meta = cell.metadata.get("nbgrader")
    text = cell.source
    has_solution = "### BEGIN SOLUTION" in text
    has_hidden = "### BEGIN HIDDEN TESTS" in text
    for begin, end in [("### BEGIN SOLUTION", "### END SOLUTION"),
                       ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")]:
        if text.count(begin) != text.count(end):
            raise SourceError(f"{where}: '{begin}' and '{end}' do not pair up")
    if meta is None:
        if has_solution or has_hidden:
            raise SourceError(f"{where}: has solution/hidden-test markers but no nbgrader metadata in its "
                              '"# %%" header, e.g. # %% nbgrader={"grade": false, "grade_id": "...", '
                              '"locked": false, "schema_version": 3, "solution": true}')
        return
    missing = NBGRADER_REQUIRED - set(meta)
    if missing:
        raise SourceError(f"{where}: nbgrader metadata lacks {sorted(missing)}")
    if meta["schema_version"] != 3:
        raise SourceError(f"{where}: nbgrader schema_version must be 3, got {meta['schema_version']!r}")
    grade_id = meta["grade_id"]
    if not re.match(r"^[a-zA-Z0-9_-]+$", str(grade_id)):
        raise SourceError(f"{where}: grade_id {grade_id!r} may only contain letters, digits, '_' and '-'")
    if grade_id in grade_ids:
        raise SourceError(f"{where}: grade_id {grade_id!r} is used twice")
    grade_ids.add(grade_id)
    if meta["grade"] and not isinstance(meta.get("points"), (int, float)):
        raise SourceError(f"{where}: a graded cell needs \"points\": <number> in its metadata")
    if meta["grade"] and not meta["solution"] and not meta["locked"]:
        raise SourceError(f"{where}: a test cell ({grade_id}) must be \"locked\": true")
    if cell.cell_type == "code" and meta["solution"] and not has_solution:
        raise SourceError(f"{where}: solution cell {grade_id!r} has no ### BEGIN SOLUTION / ### END SOLUTION")
    if has_solution and not meta["solution"]:
        raise SourceError(f"{where}: ### BEGIN SOLUTION in cell {grade_id!r}, whose metadata says \"solution\": false")
    if has_hidden and not meta["grade"]:
        raise SourceError(f"{where}: hidden tests belong in a graded test cell, not in {grade_id!r}")
    if meta["grade"] and not meta["solution"] and cell.cell_type == "code" and _ends_with_value(text):
        raise SourceError(f"{where}: test cell {grade_id!r} ends with an expression. nbgrader would score "
                          "its value; end test cells with a statement such as print(\"...passed\")")


def _ends_with_value(code):
    """True when the last statement is an expression other than a print(...) call."""
    try:
        body = ast.parse(code).body
    except SyntaxError:  # IPython syntax (magics): cannot tell, let it through
        return False
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    value = body[-1].value
    return not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print")


def read_source(py_path):
    """Read one authoring .py into a notebook with clean metadata and stable cell ids."""
    py_path = Path(py_path)
    try:
        nb = jupytext.read(py_path, fmt="py:percent")
    except Exception as err:  # jupytext raises several types for bad headers
        raise SourceError(f"{py_path}: jupytext cannot read it: {err}") from err
    nb.metadata.pop("jupytext", None)
    if "kernelspec" not in nb.metadata:
        raise SourceError(f"{py_path}: the header lacks a kernelspec (copy the header of another assignment)")
    grade_ids, taken = set(), set()
    for index, cell in enumerate(nb.cells):
        first_line = cell.source.splitlines()[0] if cell.source else ""
        _check_cell(f"{py_path.name}, cell {index + 1} ({first_line[:40]!r})", cell, grade_ids)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        cell.id = _cell_id(cell, taken)
    if not any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells):
        raise SourceError(f"{py_path}: no graded cell; an assignment needs at least one test cell")
    return nb


def write_if_changed(nb, path):
    """Write ``nb`` to ``path`` unless the file already holds exactly that text."""
    text = nbformat.writes(nb) + "\n"
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def convert_sources(root, assignments, log=print):
    for name in assignments:
        folder = Path(root) / "source" / name
        py_path = folder / f"{name}.py"
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


def _pattern(assignments):
    """One nbgrader call for all assignments: nbgrader accepts a glob as the assignment id."""
    return assignments[0] if len(assignments) == 1 else "[0-9][0-9]_*"


def strip_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
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
    pattern = _pattern(assignments)
    nbgrader(root, "generate_assignment", pattern, "--force", log=log)
    # generate_solution only knows assignments already in the gradebook (added by the
    # step above). It would also execute the notebooks, in source/; we execute them
    # ourselves below, in solutions/, and stop on the first error.
    nbgrader(root, "generate_solution", pattern, "--force", "--Execute.enabled=False", log=log)
    for name in assignments:
        for nb_path in sorted((root / "release" / name).glob("*.ipynb")):
            strip_outputs(nb_path)

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
    except (SourceError, RuntimeError) as err:
        print(f"make generate: {err}", file=sys.stderr)
        return 1
    print("done: review the changes with `git diff --stat release/ solutions/ source/`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
