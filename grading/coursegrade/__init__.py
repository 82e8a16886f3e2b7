"""Sandboxed autograding for the course "How Neural Networks Learn".

nbgrader stays the grading engine; this package replaces the steps of its
pipeline that stock nbgrader gets wrong for a course like ours, above all the
execution:

* the submission runs in a sandbox (bubblewrap: no network, no instructor files,
  a memory limit, a copy of ``nnlearn`` whose reference answers to the assignment
  being graded are switched off) -- ``sandbox.py`` and ``worker.py``;
* the instructor's notebook, with each solution cell replaced by *proxies* of the
  student's functions, runs in a separate, untouched kernel -- ``notebook.py`` and
  ``proxy.py``. The visible and hidden tests run there, on inputs made at grading
  time; only data (numbers, arrays, strings) comes back from the sandbox, never
  pickles or code -- ``wire.py``;
* ``execute.py`` is the nbgrader preprocessor that ties these together,
  ``repair.py`` puts back test cells a submission lost (where nbgrader 0.9.6's own
  step fails), and ``cli.py`` is the one grading command (``make grade``), with one
  module per step (``discover``, ``gradebook``, ``pool``, ``autograde``, ``grades``);
* what crosses a process boundary is a typed record of ``records.py``; the course
  layout (assignment folders, markers, time limits) is ``layout.py``.

grading/README.md draws the four processes and which module runs in which.
"""
