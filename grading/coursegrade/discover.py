"""What ``coursegrade grade`` has to do: the course's assignments, the submission folders,
and for each one whether it is done, cannot be read, or is staged for grading.

Owns the one scan of ``submitted/`` (:func:`survey`): each folder
``submitted/<student>/<assignment>/`` ends up in exactly one of

* ``done``: its :class:`~coursegrade.records.Record` says it was graded from the
  same files by the same grader (:func:`grader_hash`), so its row is reused;
* ``unreadable``: no grading (an unsafe student id, a linked folder, nothing
  gradable in it); it gets a ``failed`` row;
* ``tasks``: its regular files were copied into the staging folder
  (:func:`coursegrade.submission.stage`), which a pool worker grades.
"""

import hashlib
import importlib.util
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .errors import CourseError
from .records import FAILED, Record, Task
from .submission import UnsafePath, id_problem, shown, stage, submission_hash

STAGING_PREFIX = ".coursegrade-staged-"      # in the course root: the copies nbgrader grades, per run


def check_course(root):
    """Raise CourseError unless ``root`` is a course: nbgrader_config.py and source/."""
    if not (root / "nbgrader_config.py").is_file() or not (root / "source").is_dir():
        raise CourseError(f"{root} is not a course: it needs nbgrader_config.py and source/ "
                          "(run from the course root or pass --course-dir)")


def choose_assignments(root, named):
    """The assignments to grade: the ``named`` ones (checked), else all of ``source/``."""
    try:
        return layout.find_assignments(root, named or None)
    except layout.LayoutError as err:
        raise CourseError(str(err)) from None


def zip_assignment(zip_path, named, known):
    """The assignment a zip belongs to: the one named on the command line, or in its file name."""
    if len(named) == 1:
        return named[0]
    candidates = [a for a in (named or known) if a in Path(zip_path).name]
    if len(candidates) != 1:
        raise CourseError(f"cannot tell which assignment {zip_path} holds: name exactly one assignment "
                          f"(coursegrade grade ASSIGNMENT --zip {zip_path}) or put its name in the file name")
    return candidates[0]


def find_submissions(submitted, assignment):
    """``[(student, problem)]`` for the folders ``submitted/<student>/<assignment>``.

    ``problem`` is None for a folder to grade, else why it is not read: a student id
    that is not safe (:func:`~coursegrade.submission.id_problem`; ``student`` is then
    its :func:`~coursegrade.submission.shown` form, for the CSV and the terminal), or
    a student folder that is a symbolic link (reported for every assignment: where it
    points is not looked at). Hidden entries (ours) and plain files in ``submitted/``
    are not submissions.
    """
    submitted = Path(submitted)
    if not submitted.is_dir():
        return []
    found = []
    for name in sorted(os.listdir(submitted)):
        if name.startswith("."):
            continue
        mode = os.lstat(submitted / name).st_mode
        if stat.S_ISLNK(mode):
            found.append((shown(name), f"not read: submitted/{shown(name)} is a symbolic link, not a folder: "
                                       "not followed"))
        elif stat.S_ISDIR(mode) and os.path.lexists(submitted / name / assignment):
            problem = id_problem(name)
            found.append((shown(name) if problem else name, problem))
    return found


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def grader_hash(root, assignment):
    """SHA-256 over what decides an assignment's grades besides the submission.

    That is the instructor's notebooks (the tests), the assignment's grading contract
    (``contract.toml``: what is switched off), ``nbgrader_config.py``, the reference
    library ``nnlearn`` and this package. A record made under other ones is
    out of date: after a test is fixed, the next run grades every submission again.
    """
    root = Path(root)
    files = [(f"source/{p.name}", p) for p in sorted((root / "source" / assignment).glob("*.ipynb"))]
    files.append(("source/contract.toml", root / "source" / assignment / "contract.toml"))
    files.append(("nbgrader_config.py", root / "nbgrader_config.py"))
    for package in ("nnlearn", "coursegrade"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files += [(f"{package}/{p.relative_to(folder).as_posix()}", p) for p in sorted(Path(folder).rglob("*.py"))]
    digest = hashlib.sha256()
    for name, path in files:
        if path.is_file():
            digest.update(name.encode() + b"\0" + _sha256_file(path).encode() + b"\n")
    return digest.hexdigest()


@dataclass
class Unreadable:
    """A submission that is not graded; ``sha256``/``autograded`` set when a record is kept."""

    student: str
    assignment: str
    reasons: list
    sha256: str = None
    autograded: Path = None


@dataclass
class Survey:
    """The outcome of the scan: every submission folder in exactly one list."""

    keys: list = field(default_factory=list)        # (student, assignment) of every folder
    done: list = field(default_factory=list)        # records.Row reused from records
    tasks: list = field(default_factory=list)       # records.Task, staged
    unreadable: list = field(default_factory=list)  # Unreadable


def survey(options, submitted, autograded_dir, graders, staged_root):
    """Scan ``submitted/`` once for ``options.assignments`` (see the module docstring).

    ``autograded_dir(student, assignment)`` is nbgrader's autograded folder (where the
    records are); ``graders`` the :func:`grader_hash` of each assignment.
    """
    result = Survey()
    for assignment in options.assignments:
        expected = sorted(p.name for p in (options.root / "source" / assignment).glob("*.ipynb"))
        for student, problem in find_submissions(submitted, assignment):
            result.keys.append((student, assignment))
            if problem:   # never passed to nbgrader, nor used in a path
                result.unreadable.append(Unreadable(student, assignment, [problem]))
                continue
            autograded = autograded_dir(student, assignment)
            try:
                sha = submission_hash(submitted, student, assignment)
                done = None if options.force else Record.find(autograded, sha, graders[assignment])
                if done is not None and not (options.retry_failed and done.status == FAILED):
                    result.done.append(done)
                    continue
                status, reasons, gradable, sha = stage(submitted, student, assignment, expected, staged_root)
            except UnsafePath as err:
                result.unreadable.append(Unreadable(student, assignment, [f"not read: {err}"]))
                continue
            except OSError as err:  # an unreadable folder: this submission fails, the rest go on
                result.unreadable.append(Unreadable(student, assignment, [f"cannot read the submission: {err}"]))
                continue
            if gradable:
                result.tasks.append(Task(student, assignment, sha, graders[assignment], staged_root.name,
                                         status, tuple(reasons)))
            else:
                shutil.rmtree(staged_root / student / assignment, ignore_errors=True)
                result.unreadable.append(Unreadable(student, assignment, reasons, sha, autograded if sha else None))
    return result
