"""coursegrade.layout: the one definition of the course layout, and everyone using it.

* ``find_assignments`` on small folders: which names are assignments (``07_digits``),
  which folders are skipped (``.hidden``, ``_drafts``, a folder without a notebook) and
  which are an error that says how to fix it (``2_b``, ``intro``: a notebook in a
  folder not named like an assignment);
* the markers are the ones source/*.py use, and the ones nbgrader looks for;
* the time limits of nbgrader_config.py are layout's;
* scripts/generate.py and the grader apply the same rule.

Fast: no kernel, no nbgrader run (two commands that stop at the layout check).
"""

import re
import subprocess
import sys

import pytest
from traitlets.config.loader import PyFileConfigLoader

from coursegrade import layout
from coursegrade.layout import AssignmentNotFound, LayoutError, find_assignments

from .helpers import ASSIGNMENTS, ROOT, nbgrader_env, run_generate


def course(tmp_path, folders):
    """``tmp_path/source/<name>/`` for each name, holding the given files (names)."""
    for name, files in folders.items():
        folder = tmp_path / "source" / name
        folder.mkdir(parents=True)
        for file in files:
            (folder / file).write_text("")
    return tmp_path


# --- which folders are assignments ---------------------------------------------------------

def test_assignment_names():
    good = ["01_function_approximation", "07_digits", "10_x", "99_a_b_2"]
    bad = ["2_b", "intro", "007_x", "07-digits", "07_Digits", "07_", "ab_cd", "07_digits.py", "_07_x", "07_x "]
    assert [n for n in good if layout.ASSIGNMENT_NAME.match(n)] == good
    assert [n for n in bad if layout.ASSIGNMENT_NAME.match(n)] == []


def test_the_course_assignments_are_the_folders_with_an_authoring_file():
    assert ASSIGNMENTS == sorted(p.parent.name for p in (ROOT / "source").glob("*/*.py")
                                 if p.stem == p.parent.name)


def test_hidden_private_and_empty_folders_are_skipped(tmp_path):
    root = course(tmp_path, {"07_digits": ["07_digits.py"], "03_loss": ["03_loss.ipynb"],
                             ".hidden": ["x.ipynb"], "_drafts": ["intro.ipynb", "intro.py"],
                             ".ipynb_checkpoints": ["07_digits-checkpoint.ipynb"], "__pycache__": ["a.py"],
                             "images": ["cat.png"], "notes": []})
    assert find_assignments(root) == ["03_loss", "07_digits"]


def test_a_folder_with_no_notebook_yet_is_an_assignment_by_its_name(tmp_path):
    """The name decides; generate.py then says which file is missing."""
    assert find_assignments(course(tmp_path, {"08_new": []})) == ["08_new"]


@pytest.mark.parametrize("name, files", [("2_b", ["2_b.ipynb"]), ("intro", ["intro.py"]),
                                         ("07_Digits", ["07_Digits.ipynb"]), ("07-digits", ["07-digits.py"]),
                                         ("07_Digits", [])])   # nbgrader's glob [0-9][0-9]_* would take it
def test_a_misnamed_assignment_is_an_error_saying_how_to_fix_it(tmp_path, name, files):
    root = course(tmp_path, {"07_digits": ["07_digits.py"], name: files})
    with pytest.raises(LayoutError) as error:
        find_assignments(root)
    assert not isinstance(error.value, AssignmentNotFound)
    message = str(error.value)
    assert f"source/{name}/" in message and "Rename it" in message and "'_'" in message


def test_names_restrict_and_stay_sorted(tmp_path):
    root = course(tmp_path, {"01_a": ["01_a.py"], "02_b": ["02_b.py"], "03_c": ["03_c.py"]})
    assert find_assignments(root, ["03_c", "01_a", "03_c"]) == ["01_a", "03_c"]
    assert find_assignments(root, []) == find_assignments(root, None) == ["01_a", "02_b", "03_c"]


def test_an_unknown_name_is_an_error_listing_the_assignments(tmp_path):
    root = course(tmp_path, {"01_a": ["01_a.py"], "02_b": ["02_b.py"]})
    with pytest.raises(AssignmentNotFound, match=r"unknown assignment '99_nothing': source/ has 01_a, 02_b"):
        find_assignments(root, ["01_a", "99_nothing"])
    with pytest.raises(AssignmentNotFound, match="unknown assignment 'intro'"):
        find_assignments(root, ["intro"])


def test_no_assignments_is_an_error(tmp_path):
    with pytest.raises(AssignmentNotFound, match="no assignment folders like source/01_name/"):
        find_assignments(course(tmp_path, {"_drafts": ["a.ipynb"]}))
    (tmp_path / "empty").mkdir()
    with pytest.raises(LayoutError, match="no source/ folder"):
        find_assignments(tmp_path / "empty")
    assert issubclass(AssignmentNotFound, LayoutError) and issubclass(LayoutError, ValueError)


def test_paths():
    assert layout.notebook_path("release", "03_loss", ROOT) == ROOT / "release" / "03_loss" / "03_loss.ipynb"
    assert layout.authoring_path("03_loss", ROOT) == ROOT / "source" / "03_loss" / "03_loss.py"
    with pytest.raises(ValueError):
        layout.notebook_path("submitted", "03_loss", ROOT)


# --- markers ------------------------------------------------------------------------------

MARKER_WORDS = re.compile(r"\b(BEGIN|END) (SOLUTION|HIDDEN TESTS)\b")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_sources_use_exactly_the_layout_markers(assignment):
    text = layout.authoring_path(assignment, ROOT).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if MARKER_WORDS.search(line)]
    assert lines, f"source/{assignment}: no markers at all"
    assert set(lines) == set(layout.MARKERS), (
        f"source/{assignment}: marker lines {sorted(set(lines) - set(layout.MARKERS))} are not coursegrade.layout's "
        f"{layout.MARKERS} (or one of those is never used)")


def test_nbgrader_looks_for_the_layout_markers():
    """nbgrader finds its delimiters anywhere in a line: each layout marker contains it."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    solutions, hidden = ClearSolutions(config=config), ClearHiddenTests(config=config)
    assert solutions.begin_solution_delimeter in layout.SOLUTION_BEGIN
    assert solutions.end_solution_delimeter in layout.SOLUTION_END
    assert hidden.begin_test_delimeter in layout.HIDDEN_BEGIN
    assert hidden.end_test_delimeter in layout.HIDDEN_END
    assert layout.MARKERS == tuple(m for pair in layout.MARKER_PAIRS for m in pair)


# --- time limits --------------------------------------------------------------------------

def test_nbgrader_config_takes_its_time_limits_from_layout():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert config.Execute.timeout == config.ExecutePreprocessor.timeout == layout.CELL_TIMEOUT
    assert config.SandboxedExecute.cell_timeout == layout.CELL_TIMEOUT
    assert config.SandboxedExecute.call_timeout == layout.CALL_TIMEOUT
    assert config.SandboxedExecute.submission_timeout == layout.SUBMISSION_TIMEOUT
    assert 0 < layout.CELL_TIMEOUT <= layout.SUBMISSION_TIMEOUT and 0 < layout.CALL_TIMEOUT


# --- generate.py and the grader apply the same rule ------------------------------------------

def misnamed_course(tmp_path):
    root = course(tmp_path, {"03_loss": [], "intro": []})
    (root / "nbgrader_config.py").write_text("")
    for src in (ROOT / "source" / "03_loss").iterdir():
        (root / "source" / "03_loss" / src.name).write_bytes(src.read_bytes())
    (root / "source" / "intro" / "intro.ipynb").write_bytes((root / "source" / "03_loss" / "03_loss.ipynb").read_bytes())
    return root


def test_generate_refuses_a_misnamed_assignment(tmp_path):
    root = misnamed_course(tmp_path)
    run = run_generate(root, "--no-execute")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "make generate: source/intro/ is not named like an assignment" in run.stderr
    assert not (root / "release").exists()


def test_the_grader_refuses_a_misnamed_assignment(tmp_path):
    root = misnamed_course(tmp_path)
    run = subprocess.run([sys.executable, "-m", "coursegrade", "grade", "--course-dir", str(root)],
                         cwd=root, env=nbgrader_env(), capture_output=True, text=True, timeout=120)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "source/intro/ is not named like an assignment" in run.stderr
    assert not (root / "grades.csv").exists()
