"""Fixtures shared by every test folder.

* ``_venv_on_path`` (automatic): nbgrader calls ``alembic`` and nbclient/nbval start
  ``python`` kernels by name, so this venv's ``bin/`` goes first on PATH for the session.
* ``sandbox``: the grading tests need the bubblewrap sandbox (grading/coursegrade/
  sandbox.py). Without it they are skipped with the fix -- or fail, when
  ``COURSE_REQUIRE_SANDBOX=1`` (set by ``.ci/run``).
"""

import os
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _venv_on_path():
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + old
    # The first matplotlib import on a fresh machine prints "Matplotlib is building the
    # font cache" to stderr; do it here, not inside a notebook whose outputs are compared.
    import matplotlib.font_manager  # noqa: F401
    yield
    os.environ["PATH"] = old


@pytest.fixture(scope="session")
def sandbox():
    """Skip (or, with COURSE_REQUIRE_SANDBOX=1, fail) when submissions cannot be sandboxed."""
    from coursegrade.sandbox import SandboxUnavailable, check_available
    try:
        check_available()
    except SandboxUnavailable as error:
        if os.environ.get("COURSE_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"COURSE_REQUIRE_SANDBOX=1 but {error}", pytrace=False)
        pytest.skip(f"grading tests skipped: {error}")
