"""Paths and small helpers shared by the course-level tests.

The course layout (which folders are assignments, the markers, the time limits) is
``coursegrade.layout``'s, as for scripts/generate.py and the grader. The tests import
nothing from scripts/: they run ``scripts/generate.py`` as a command
(:func:`run_generate`), and use what it shares from installed modules
(``coursetools.authoring``).
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from coursegrade import layout
from coursegrade.layout import CELL_TIMEOUT, find_assignments  # noqa: F401 -- CELL_TIMEOUT: re-exported

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "scripts" / "generate.py"
ASSIGNMENTS = find_assignments(ROOT)


def notebook_path(kind, assignment, root=ROOT):
    """``root/<kind>/<assignment>/<assignment>.ipynb`` for kind in source, release, solutions."""
    return layout.notebook_path(kind, assignment, root)


def read_notebook(path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_env():
    """The environment nbgrader and Jupyter kernels need: this venv's bin/ first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_generate(root, *args):
    """``python scripts/generate.py --root ROOT ARGS...``: the CompletedProcess (text output)."""
    return subprocess.run([sys.executable, str(GENERATE), "--root", str(root), *args],
                          env=nbgrader_env(), capture_output=True, text=True)
