"""Fixtures for the tests of the grading command; the helpers are in grading_helpers.py."""

import os

import pytest

from grading_helpers import nbgrader_env


@pytest.fixture(scope="session", autouse=True)
def _venv_on_path():
    """nbgrader calls `alembic` and starts kernels by name: the venv must be on PATH."""
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    yield
    os.environ["PATH"] = old
