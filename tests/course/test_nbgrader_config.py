"""nbgrader_config.py: the settings the course relies on, and what IgnorePattern drops."""

import re

import pytest
from traitlets.config.loader import PyFileConfigLoader

from .helpers import ROOT


@pytest.fixture(scope="module")
def config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def test_layout_and_grading_settings(config):
    assert config.CourseDirectory.solution_directory == "solutions"
    assert config.CourseDirectory.release_directory == "release"
    assert "*.py" in config.CourseDirectory.ignore, "jupytext sources (with solutions) would be released"
    assert 0 < config.ExecutePreprocessor.timeout <= 120
    assert config.OverwriteCells.add_missing_cells is True
    assert config.IgnorePattern.enabled is True


HARMLESS = [
    "Matplotlib is building the font cache; this may take a moment.\n",
    "/home/s/.venv/lib/python3.11/site-packages/IPython/core/interactiveshell.py:3577: "
    "DeprecationWarning: this is deprecated\n  exec(code_obj, self.user_global_ns)\n",
    "/usr/lib/python3/dist-packages/matplotlib/_api.py:12: MatplotlibDeprecationWarning: old\n"
    "  warnings.warn(message)\n",
]
COUNTED = [
    # an unstable sigmoid: must keep costing points
    "/tmp/ipykernel_42/1234.py:2: RuntimeWarning: overflow encountered in exp\n  return 1 / (1 + np.exp(-z))\n",
    # a deprecation in the student's own code is not library noise
    "/tmp/ipykernel_42/1234.py:2: DeprecationWarning: x\n  y\n",
    # a harmless line next to something that is not must not hide it
    "Matplotlib is building the font cache; this may take a moment.\nTraceback (most recent call last):\n",
    "something else entirely\n",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_ignore_pattern_drops_harmless_stderr(config, text):
    assert re.search(config.IgnorePattern.pattern, text)


@pytest.mark.parametrize("text", COUNTED)
def test_ignore_pattern_keeps_everything_else(config, text):
    assert not re.search(config.IgnorePattern.pattern, text)
