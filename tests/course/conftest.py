"""Shared fixtures for the course-level tests (notebooks, nbgrader pipeline, grading).

nbgrader takes about 4.5 s just to start, so the tests share one temporary copy of the
course: ``generated_course`` copies ``nbgrader_config.py`` and ``source/`` into a
temporary folder and runs ``scripts/generate.py`` there once (generate_assignment and
generate_solution, without executing the solutions). The staleness tests compare its
output with the committed ``release/`` and ``solutions/``; the grading tests add
submissions to the same course and autograde them.
"""

import os
import shutil

import pytest

from .helpers import ROOT, generate, nbgrader_env


@pytest.fixture(scope="session", autouse=True)
def _venv_on_path():
    """nbgrader calls `alembic` and nbclient/nbval start `python` kernels by name."""
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    # The first matplotlib import on a fresh machine prints "Matplotlib is building the
    # font cache" to stderr; do it here, not inside a notebook whose outputs are compared.
    import matplotlib.font_manager  # noqa: F401
    yield
    os.environ["PATH"] = old


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory):
    """A temporary course root, regenerated from the committed source/ (not executed)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source", root / "source",
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    generate.generate(root, execute=False, log=lambda message: None)
    return root
