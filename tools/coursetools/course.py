"""A temporary course to grade in: what the grading benchmarks share.

:func:`grading_course` copies the repository's ``nbgrader_config.py`` (plus any extra
configuration lines) and the instructor's notebooks of some assignments into a new
folder, and records those assignments in its gradebook, as an instructor's course is
after ``make generate``. Used by ``benchmarks/bench_grading.py`` and
``benchmarks/bench_mutants.py``.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def grading_course(where, assignments, extra_config=""):
    """The course folder ``where`` (created) with ``assignments`` known to its gradebook.

    ``extra_config``: lines appended to its nbgrader_config.py (shorter limits, say).
    Exits with the error when the gradebook cannot be set up.
    """
    course = Path(where)
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text() + extra_config)
    for a in assignments:
        shutil.copytree(ROOT / "source" / a, course / "source" / a,
                        ignore=shutil.ignore_patterns("*.py", "__pycache__", ".ipynb_checkpoints"))
    setup = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from coursegrade.gradebook import ensure_in_gradebook, open_nbgrader; "
                            "ensure_in_gradebook(open_nbgrader(Path.cwd())[1], sys.argv[1:])", *assignments],
                           cwd=course, capture_output=True, text=True)
    if setup.returncode != 0:
        sys.exit(f"could not set up the gradebook of {course} ({setup.returncode}):\n{setup.stderr[-3000:]}")
    return course
