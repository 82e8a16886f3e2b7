"""An assignment's authoring file read into a notebook, with its nbgrader metadata checked.

Instructors write ``source/NN_name/NN_name.py``, a jupytext percent-format script with
the nbgrader metadata in its ``# %%`` cell headers. :func:`read_source` turns it into
the notebook nbgrader reads (``source/NN_name/NN_name.ipynb``): cell metadata cut down
to what means something in a notebook, stable cell ids, and every check that would
otherwise surface as a puzzling nbgrader error or a wrong grade raised as a
:class:`SourceError` that says where and what to fix. :func:`write_if_changed` writes a
notebook only when its text changes (regenerating an unchanged course changes no file).

Used by ``scripts/generate.py`` (``make generate``) and tests/course/test_source.py.
The markers are :mod:`coursegrade.layout`'s.
"""

import ast
import hashlib
import re
from pathlib import Path

import jupytext
import nbformat

from coursegrade.layout import MARKER_PAIRS, SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN

# Cell metadata worth keeping from the .py headers. jupytext also records how to
# round-trip blank lines (lines_to_next_cell, ...), which means nothing in a notebook.
KEPT_CELL_METADATA = ("nbgrader", "tags", "jupyter", "editable", "deletable")
NBGRADER_REQUIRED = {"grade", "grade_id", "locked", "schema_version", "solution"}


class SourceError(Exception):
    """A malformed assignment in source/; the message says where and what to fix."""


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
    has_solution = SOLUTION_BEGIN in text
    has_hidden = HIDDEN_BEGIN in text
    for begin, end in MARKER_PAIRS:
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
        raise SourceError(f"{where}: solution cell {grade_id!r} has no {SOLUTION_BEGIN} / {SOLUTION_END}")
    if has_solution and not meta["solution"]:
        raise SourceError(f"{where}: {SOLUTION_BEGIN} in cell {grade_id!r}, whose metadata says \"solution\": false")
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
