"""Where a student stands: the visible tests of every exercise, run again, with the points at stake.

The last cell of every notebook calls ``where_you_stand("03_loss.ipynb")``. It reads the
notebook's saved file for its graded test cells (nbgrader's metadata: the cell's id and its
points), runs each one again in the student's kernel -- against the functions as they are
defined *now* -- and prints one line per exercise: passed, not written yet, or failing with
the first line of the test's message. Only the visible tests run: the release notebooks
hold no others, and in an instructor's copy the hidden ones are left out. The summary says
plainly what that is worth: passing visible tests is a good sign, not a grade; the grade
comes from hidden tests on other inputs as well.
"""

import contextlib
import io
import json
import re
from pathlib import Path

__all__ = ["where_you_stand"]

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.M | re.S)


def _test_cells(path):
    """[(exercise, points, source)] of the notebook's graded test cells, hidden tests removed."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path} (looked in {path.resolve().parent}): pass the file name "
                                "of this notebook, e.g. where_you_stand(\"03_loss.ipynb\")")
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path} is not a readable notebook ({err})") from None
    found = []
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        name = str(meta.get("grade_id", "?"))
        found.append((name[:-5] if name.endswith("_test") else name, float(meta.get("points", 0)),
                      _HIDDEN.sub("", source)))
    return found


def _first_line(error):
    """The first line of a test's message; a crash (not a failed check) is named by its type."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else ""
    if not isinstance(error, AssertionError):          # CheckFailed is an AssertionError
        first = f"{type(error).__name__}: {first}" if first else type(error).__name__
    return first[:110]


def where_you_stand(notebook, shell=None):
    """Run this notebook's visible tests again and print, per exercise, where you stand.

    ``notebook`` is the notebook's file (its name, when the kernel runs in its folder, as
    Jupyter's do). Returns ``[(exercise, points, outcome)]`` with outcome ``"passed"``,
    ``"not written yet"`` or ``"failing: <first line of the message>"``.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            raise RuntimeError("where_you_stand runs in a notebook's kernel (IPython), not in plain Python")
    try:
        cells = _test_cells(notebook)
    except (FileNotFoundError, ValueError) as err:    # a summary cell: say what is wrong, do not fail
        print(f"Where you stand: {err}")
        return []
    rows = []
    for exercise, points, source in cells:
        try:    # the test cell's code, in the student's namespace; its output and tracebacks kept quiet
            code = compile(shell.transform_cell(source), f"<the tests of {exercise}>", "exec")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(code, shell.user_ns)  # noqa: S102 -- the notebook's own test cell, in the student's kernel
            outcome = "passed"
        except NotImplementedError:
            outcome = "not written yet"
        except Exception as error:  # noqa: BLE001 -- any failure of a test cell is reported, not raised
            outcome = f"failing: {_first_line(error)}"
        rows.append((exercise, points, outcome))
    width = max([len(e) for e, _, _ in rows] + [8])
    print(f"{'exercise':<{width}}  points  visible tests")
    for exercise, points, outcome in rows:
        print(f"{exercise:<{width}}  {points:>6g}  {outcome}")
    total = sum(points for _, points, _ in rows)
    passing = sum(points for _, points, outcome in rows if outcome == "passed")
    if passing == 0:
        print(f"\nNo exercise passes its visible tests yet ({total:g} points at stake).")
    else:
        print("\nThe visible tests pass for " + (f"every exercise ({total:g} points)" if passing == total else
                                                   f"exercises worth {passing:g} of {total:g} points")
              + ". That is a good sign, not a grade:\nthe grade comes from hidden tests as well, on other inputs "
              "(other shapes, sizes and seeds).")
    return rows
