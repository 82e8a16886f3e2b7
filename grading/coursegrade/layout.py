"""The course layout, defined once: what an assignment is, its markers, its time limits.

Everything that more than one part of the course must agree on lives here, and only
here: ``scripts/generate.py`` (which builds release/ and solutions/), the grader
(``coursegrade``), ``nbgrader_config.py`` and the tests import it. Standard library
only, so that any of them can import it cheaply (nbgrader_config.py does, on every
nbgrader start).

* **Assignments.** An assignment is a folder ``source/NN_name/`` whose name matches
  :data:`ASSIGNMENT_NAME` (two digits, ``_``, lower-case letters, digits and ``_``:
  ``01_function_approximation``), holding the authoring file ``NN_name.py`` and the
  notebook ``NN_name.ipynb`` (:func:`notebook_path`). :func:`find_assignments` is the
  one scan of ``source/``. Its rule for the other folders of ``source/``:

  - a name starting with ``.`` or ``_`` (``.ipynb_checkpoints``, ``__pycache__``,
    ``_drafts``) is never an assignment and is skipped silently;
  - any other folder holding a notebook (``*.ipynb``) or an authoring file (``*.py``)
    is a misnamed assignment (``2_b``, ``intro``, ``07_Digits``): :class:`LayoutError`,
    saying how to rename it -- never silently left out of generation and grading;
  - a folder whose name nbgrader's glob :data:`ASSIGNMENT_GLOB` would take but
    :data:`ASSIGNMENT_NAME` does not is a :class:`LayoutError` too, whatever it holds;
  - anything else (a folder with neither) is skipped.

* **Markers.** The lines that delimit a solution (replaced by ``raise
  NotImplementedError()`` in release/) and hidden tests (removed from release/ and
  from the feedback). nbgrader's ClearSolutions / ClearHiddenTests find their default
  delimiters "BEGIN SOLUTION" / "BEGIN HIDDEN TESTS" anywhere in a line; the course
  always writes them as below, and generate.py checks that they pair up.

* **Time limits**, in seconds: :data:`CELL_TIMEOUT` per cell (executing a solution
  notebook in generate.py, nbgrader's Execute and ExecutePreprocessor, and a
  submission's cells in the sandbox: ``SandboxedExecute.cell_timeout``),
  :data:`CALL_TIMEOUT` per call of a student's function from the grading kernel
  (``SandboxedExecute.call_timeout``), :data:`SUBMISSION_TIMEOUT` for everything one
  submission runs (``SandboxedExecute.submission_timeout``). nbgrader_config.py sets
  the configurable ones from these; to change a limit, change it here.
"""

import fnmatch
import re
from pathlib import Path

# --- assignments ------------------------------------------------------------------------

ASSIGNMENT_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")
# The same assignments as one nbgrader assignment id (nbgrader accepts a glob): one
# nbgrader call for all of them. It also takes names ASSIGNMENT_NAME refuses
# (07_Digits), which is why find_assignments rejects any such folder.
ASSIGNMENT_GLOB = "[0-9][0-9]_*"
KINDS = ("source", "release", "solutions")   # the folders holding an assignment's notebook


class LayoutError(ValueError):
    """``source/`` does not have the course's layout; the message says what to fix."""


class AssignmentNotFound(LayoutError):
    """A named assignment does not exist, or there is none at all."""


def _holds_notebook(folder):
    return any(p.suffix in (".ipynb", ".py") and p.is_file() for p in folder.iterdir())


def find_assignments(root, names=None):
    """The assignments of the course in ``root``: the names of their folders in
    ``root/source``, sorted. ``names`` (an iterable of names; None or empty: all)
    restricts the result to those, still sorted; an unknown one raises :class:`AssignmentNotFound`, as does a
    course without assignments. A misnamed folder raises :class:`LayoutError` (see the
    module docstring for the rule)."""
    source = Path(root) / "source"
    if not source.is_dir():
        raise LayoutError(f"{Path(root)} has no source/ folder: it is not a course root")
    found = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        name = folder.name
        if name.startswith((".", "_")):
            continue
        if ASSIGNMENT_NAME.match(name):
            found.append(name)
        elif fnmatch.fnmatchcase(name, ASSIGNMENT_GLOB) or _holds_notebook(folder):
            raise LayoutError(
                f"source/{name}/ is not named like an assignment: an assignment folder is two digits, '_', "
                f"then lower-case letters, digits and '_' (e.g. source/07_digits/, holding 07_digits.py). "
                f"Rename it, or start its name with '_' to keep it out of the course")
    if names:
        names = set(names)
        unknown = sorted(names - set(found))
        if unknown:
            raise AssignmentNotFound(f"unknown assignment {unknown[0]!r}: source/ has "
                                     f"{', '.join(found) or 'no assignments'}")
        found = [n for n in found if n in names]
    if not found:
        raise AssignmentNotFound(f"no assignment folders like source/01_name/ in {source}")
    return found


def notebook_path(kind, assignment, root):
    """``root/<kind>/<assignment>/<assignment>.ipynb``, kind one of :data:`KINDS`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return Path(root) / kind / assignment / f"{assignment}.ipynb"


def authoring_path(assignment, root):
    """``root/source/<assignment>/<assignment>.py``: the jupytext file instructors edit."""
    return Path(root) / "source" / assignment / f"{assignment}.py"


# --- markers in the instructor's cells --------------------------------------------------

SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
MARKER_PAIRS = ((SOLUTION_BEGIN, SOLUTION_END), (HIDDEN_BEGIN, HIDDEN_END))
MARKERS = (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END)

# --- time limits, in seconds ------------------------------------------------------------

# A cell that needs a minute is stuck (an infinite loop in a submission): 60 s per cell
# keeps one bad submission from holding up the whole grading run.
CELL_TIMEOUT = 60
CALL_TIMEOUT = 60          # one call of a student's function from the grading kernel
SUBMISSION_TIMEOUT = 600   # everything one submission runs in the sandbox
