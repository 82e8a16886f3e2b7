"""Shared fixtures for the course-level tests (notebooks, nbgrader pipeline, grading).

nbgrader takes about 4.5 s just to start, so the tests share one temporary copy of the
course: ``generated_course`` copies ``nbgrader_config.py`` and ``source/`` into a
temporary folder and runs ``scripts/generate.py`` there once (generate_assignment and
generate_solution, without executing the solutions). The staleness tests compare its
output with the committed ``release/`` and ``solutions/``; the grading tests add
submissions to the same course and autograde them.
"""

import shutil

import pytest

from .helpers import ROOT, generate


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory):
    """A temporary course root, regenerated from the committed source/ (not executed)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source", root / "source",
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    generate.generate(root, execute=False, log=lambda message: None)
    return root
