"""coursegrade.discover: what a run has to do, from one scan of submitted/.

Unit tests on small folders, no grading: assignments and zips on the command line,
unsafe student folders, the grader hash, and the survey's three lists.
"""

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from coursegrade.discover import choose_assignments, find_submissions, grader_hash, survey, zip_assignment
from coursegrade.errors import CourseError
from coursegrade.records import Record, Row
from grading_helpers import ASSIGNMENT, ROOT, committed_notebook, submit

SOLUTION = committed_notebook("solutions")
NB = f"{ASSIGNMENT}.ipynb"


def test_zip_assignment_from_the_command_line_or_the_file_name():
    known = ["01_function_approximation", ASSIGNMENT]
    with pytest.raises(CourseError, match="cannot tell which assignment"):
        zip_assignment(Path("download.zip"), [], known)
    assert zip_assignment(Path("03_loss-2026.zip"), [], known) == ASSIGNMENT
    assert zip_assignment(Path("download.zip"), ["01_function_approximation"], known) == "01_function_approximation"


def test_choose_assignments_names_the_unknown_one(tmp_path):
    for name in ("01_a", "02_b"):
        (tmp_path / "source" / name).mkdir(parents=True)
        (tmp_path / "source" / name / f"{name}.ipynb").write_text("{}")
    assert choose_assignments(tmp_path, []) == ["01_a", "02_b"]
    assert choose_assignments(tmp_path, ["02_b"]) == ["02_b"]
    with pytest.raises(CourseError, match="unknown assignment '99_x': source/ has 01_a, 02_b"):
        choose_assignments(tmp_path, ["99_x"])


def test_a_changed_contract_changes_the_grader_hash(tmp_path):
    """The contract decides what is switched off while grading, so editing it must grade
    everyone again (the record's grader hash covers it), as an edited test does."""
    course = tmp_path / "course"
    shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    before = grader_hash(course, ASSIGNMENT)
    assert grader_hash(course, ASSIGNMENT) == before, "the grader hash is not stable"
    contract = course / "source" / ASSIGNMENT / "contract.toml"
    contract.write_text(contract.read_text() + "\n# allow one more tool\n")
    assert grader_hash(course, ASSIGNMENT) != before, "editing contract.toml left the grader hash unchanged"


def test_unsafe_names_are_shown_as_literals(tmp_path):
    """A folder name that could start a spreadsheet formula or hold a terminal escape
    reaches the CSV and the terminal only as a Python literal (no grading needed)."""
    for name in ("=HYPERLINK(1)", "bad\x1b[2Jname", "s1"):
        (tmp_path / "submitted" / name / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / "submitted" / ".hidden" / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / "submitted" / "link").symlink_to(tmp_path / "submitted" / "s1")
    found = dict(find_submissions(tmp_path / "submitted", ASSIGNMENT))
    assert set(found) == {"'=HYPERLINK(1)'", "'bad\\x1b[2Jname'", "s1", "link"}, found
    assert found["s1"] is None and "not a valid student id" in found["'=HYPERLINK(1)'"], found
    assert "\x1b" not in found["'bad\\x1b[2Jname'"], found
    assert "symbolic link" in found["link"], found
    assert find_submissions(tmp_path / "nothing", ASSIGNMENT) == []


def test_survey_puts_each_folder_in_one_list(tmp_path):
    """Done (a matching record), unreadable (no notebook, an unsafe id) and staged tasks."""
    course = tmp_path / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy2(ROOT / "source" / ASSIGNMENT / NB, course / "source" / ASSIGNMENT / NB)
    submitted, autograded = course / "submitted", course / "autograded"
    for student in ("done", "todo", "changed"):
        submit(course, student, {NB: SOLUTION})
    submit(course, "nothing", {"notes.txt": b"sorry"})
    (submitted / "a*b" / ASSIGNMENT).mkdir(parents=True)
    from coursegrade.submission import submission_hash
    for student in ("done", "changed"):
        sha = submission_hash(submitted, student, ASSIGNMENT)
        Record.of(Row.make(student, ASSIGNMENT, "graded", [], 5, 5), sha, "g").save_in(autograded / student / ASSIGNMENT)
    submit(course, "changed", {"extra.txt": b"new"})
    staged = course / ".staged"
    staged.mkdir()
    options = SimpleNamespace(root=course, assignments=[ASSIGNMENT], force=False, retry_failed=False)
    found = survey(options, submitted, lambda s, a: autograded / s / a, {ASSIGNMENT: "g"}, staged)
    assert sorted(found.keys) == sorted((s, ASSIGNMENT) for s in ("a*b", "changed", "done", "nothing", "todo"))
    assert [row.student for row in found.done] == ["done"] and found.done[0].score == 5
    assert sorted(t.student for t in found.tasks) == ["changed", "todo"]
    assert all((staged / t.student / ASSIGNMENT / NB).is_file() for t in found.tasks)
    assert sorted(u.student for u in found.unreadable) == ["a*b", "nothing"]
    nothing = next(u for u in found.unreadable if u.student == "nothing")
    assert "no notebook" in nothing.reasons[-1] and nothing.sha256 is not None
    assert not (staged / "nothing").joinpath(ASSIGNMENT).exists(), "an ungradable copy was left staged"
    options = SimpleNamespace(root=course, assignments=[ASSIGNMENT], force=True, retry_failed=False)
    again = survey(options, submitted, lambda s, a: autograded / s / a, {ASSIGNMENT: "g"}, tmp_path / "staged2")
    assert sorted(t.student for t in again.tasks) == ["changed", "done", "todo"], "--force must grade all again"
