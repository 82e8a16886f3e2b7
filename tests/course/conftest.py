"""Shared fixtures for the course-level tests (notebooks, nbgrader pipeline, grading).

nbgrader takes about 4.5 s just to start, so the tests share one temporary copy of the
course: ``generated_course`` copies ``nbgrader_config.py`` and ``source/`` into a
temporary folder and runs ``scripts/generate.py --no-execute`` there once, as a command
(generate_assignment and generate_solution, without executing the solutions). The staleness tests compare its
output with the committed ``release/`` and ``solutions/``; the grading tests add
submissions to the same course and autograde them.
"""

import shutil

import pytest

from .helpers import ROOT, run_generate


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory):
    """A temporary course root, regenerated from the committed source/ (not executed)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source", root / "source",
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    run = run_generate(root, "--no-execute")
    assert run.returncode == 0, f"scripts/generate.py failed on a copy of the course:\n{run.stdout}{run.stderr}"
    return root
