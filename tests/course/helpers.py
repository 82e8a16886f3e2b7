"""Paths and small helpers shared by the course-level tests."""

import importlib.util
import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
CELL_TIMEOUT = 60  # seconds per cell, as in nbgrader_config.py


def _load_generate():
    """scripts/generate.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("course_generate", ROOT / "scripts" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generate()
ASSIGNMENTS = generate.find_assignments(ROOT)


def notebook_path(kind, assignment, root=ROOT):
    """``root/<kind>/<assignment>/<assignment>.ipynb`` for kind in source, release, solutions."""
    return Path(root) / kind / assignment / f"{assignment}.ipynb"


def read_notebook(path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_env():
    """The environment nbgrader and Jupyter kernels need: this venv's bin/ first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env
