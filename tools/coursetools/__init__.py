"""What the course's scripts, tests and benchmarks share (installed editable from tools/).

The commands live in ``scripts/`` and ``benchmarks/``, the checks in ``tests/``; none
of them imports another one's files by path (no ``sys.path`` edits, no
``importlib.util.spec_from_file_location``). What two of them need is here:

* :mod:`coursetools.authoring` -- an assignment's jupytext ``.py`` read into a notebook
  with its nbgrader metadata checked (``SourceError`` says what to fix). Used by
  ``scripts/generate.py`` (``make generate``) and by tests/course/test_source.py.
* :mod:`coursetools.lab` -- JupyterLab on a temporary copy of the course, driven in
  headless Chromium through Playwright. Used by the browser tests (tests/browser),
  ``scripts/screenshots.py`` (``make screenshots``) and
  ``benchmarks/bench_widgets.py``.
* :mod:`coursetools.course` -- a temporary course whose gradebook knows some assignments,
  to grade in. Used by ``benchmarks/bench_grading.py`` and ``benchmarks/bench_mutants.py``.
* :mod:`coursetools.mutants` -- single small mutations of the solution regions (an
  operator, a constant, sum/mean, an axis, a transpose, a dropped term ...). Used by
  ``benchmarks/bench_mutants.py``, which grades every mutant through the real grader
  and prints the share each notebook's tests catch, and by tests/course/test_mutants.py.

The course layout itself (assignment folders, markers, time limits) is
:mod:`coursegrade.layout`, because the grader needs it too. ``scripts/generate.py``
stays the one definition of "generated": the tests run it as a command.
"""
