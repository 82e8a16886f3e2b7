"""A catalogue of bad submissions, graded by the sandboxed autograder (coursegrade).

Each case is built from the REAL committed notebooks (``release/<a>/<a>.ipynb``, whose
exercises raise NotImplementedError, or ``solutions/<a>/<a>.ipynb``) with one thing
changed, and submitted as student ``bad_<case>`` to the ``generated_course`` fixture
(conftest.py). ONE ``nbgrader autograde`` call per assignment grades all its cases
(the two calls run side by side), with small limits -- ``cell_timeout=5``,
``call_timeout=3``, ``memory_mb=1024`` -- so that the endless loops cost seconds.
The tests then read

* the score of every test cell from the gradebook (``nbgrader.api.Gradebook``),
* ``autograded/<student>/<a>/<a>.grading.json``: status ``graded``/``flagged`` and
  the reasons, and, where it matters, the autograded notebook itself.

The catalogue (``CASES``: one builder function per case; its docstring says what the
student did and what the grader must make of it):

1. the tests come from the instructor: deleted test cells, test cells edited to ``pass``;
2. an editor that strips all cell metadata (and a deleted exercise, which meets the
   same problem);
3. submissions that crash, hang or flood: ``sys.exit()``, ``os._exit(1)``, memory
   exhaustion, endless loops in a cell and in an exercise function, ``input()``, a
   million lines of output;
4. cheats, which score zero: patching numpy's or nnlearn.testing's checks, IPython input
   transformers, custom exception handlers, a silenced traceback, reading the
   instructor's files, calling the reference implementation;
5. honest answers that write warnings to stderr keep their points;
6. the feedback HTML of a failing submission quotes no line of the hidden tests;
7. what a function does to its inputs never earns a point: cheats that write into their
   inputs (01, 03, 06) score 0; answers that work in place on their own copies (02, 04) or
   on a declared argument (05) keep full marks.

Most cases use the cheap assignments 02_neurons_and_activations and 03_loss; part 7 uses
all six (one autograde call per assignment, all side by side). Without a
working bubblewrap the module is skipped (with the reason), unless
``COURSE_REQUIRE_SANDBOX=1``, where that is a failure.
"""

import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import nbformat
import pytest

from coursegrade.layout import HIDDEN_BEGIN, HIDDEN_END
from coursegrade.notebook import is_test as _is_test, nbgrader_meta as _meta

from .helpers import ROOT, nbgrader_env, notebook_path, read_notebook

A01 = "01_function_approximation"
A02 = "02_neurons_and_activations"
A03 = "03_loss"
A04 = "04_gradient_descent"
A05 = "05_backprop"
A06 = "06_cat_vs_dog"
ALL = [A01, A02, A03, A04, A05, A06]
PREFIX = "bad_"
LIMITS = {"cell_timeout": 5, "call_timeout": 3, "memory_mb": 1024}

# --- Notebook surgery ---------------------------------------------------------------------

def _notebook(kind, assignment):
    """A fresh copy of the repository's committed release or solution notebook."""
    return read_notebook(notebook_path(kind, assignment))


def _index(nb, grade_id):
    for i, cell in enumerate(nb.cells):
        if _meta(cell).get("grade_id") == grade_id:
            return i
    raise AssertionError(f"no cell with nbgrader grade_id {grade_id!r} in the notebook")


def _insert_before(nb, grade_id, source):
    """A new (unmarked) code cell just before the cell ``grade_id``."""
    nb.cells.insert(_index(nb, grade_id), nbformat.v4.new_code_cell(source))
    return nb


def _replace(nb, grade_id, source):
    cell = nb.cells[_index(nb, grade_id)]
    cell.source, cell.outputs, cell.execution_count = source, [], None
    return nb


def _test_cells_become(nb, source):
    for cell in nb.cells:
        if _is_test(cell):
            cell.source, cell.outputs, cell.execution_count = source, [], None
    return nb


POINTS = {}  # assignment -> {test grade_id: points}, from source/
for _a in ALL:
    POINTS[_a] = {_meta(c)["grade_id"]: _meta(c)["points"]
                  for c in read_notebook(notebook_path("source", _a)).cells if _is_test(c)}


# --- The catalogue --------------------------------------------------------------------------

@dataclass
class Case:
    student: str
    assignment: str
    build: object       # (course root, assignment) -> notebook
    doc: str


CASES = {}  # (student, assignment) -> Case


def case(name, *assignments):
    """Register a builder as the submission of student ``bad_<name>`` to ``assignments``."""
    def register(build):
        for assignment in assignments:
            key = (PREFIX + name, assignment)
            assert key not in CASES, key
            CASES[key] = Case(key[0], assignment, build, " ".join((build.__doc__ or "").split()))
        return build
    return register


def _the_case(student, assignment=None):
    found = [c for (s, a), c in CASES.items() if s == student and assignment in (None, a)]
    assert len(found) == 1, f"{len(found)} cases for {student} {assignment or ''}"
    return found[0]


# 1. The tests come from the instructor -------------------------------------------------------

@case("tests_deleted_or_edited", A02)
def _tests_deleted_or_edited(course, assignment):
    """Solution notebook whose test cells were tampered with: the 1st, 3rd, ... test cell
    deleted, the 2nd, 4th, ... edited to `pass`. nbgrader puts the deleted ones back
    (add_missing_cells) and the instructor's versions of all of them run: full marks."""
    nb = _notebook("solutions", assignment)
    tests = [c for c in nb.cells if _is_test(c)]
    for cell in tests[1::2]:
        cell.source, cell.outputs, cell.execution_count = "pass\n", [], None
    nb.cells = [c for c in nb.cells if not any(c is t for t in tests[0::2])]
    return nb


@case("release_tests_pass", A02, A03)
def _release_tests_pass(course, assignment):
    """Release notebook (no exercise answered) whose test cells were all edited to `pass`,
    so that nothing fails in the student's copy: the instructor's tests run: zero."""
    return _test_cells_become(_notebook("release", assignment), "pass\n")


# 2. An editor that strips metadata ---------------------------------------------------------

@case("no_metadata", A02)
def _no_metadata(course, assignment):
    """Solution notebook with ALL cell metadata removed (as some editors do). nbgrader then
    sees no solution or test cell and has to add the instructor's test cells back; the
    sandbox runs the student's unmarked cells (their copies of the test cells are known by
    their text and left out), so the answers should be found: full marks."""
    nb = _notebook("solutions", assignment)
    for cell in nb.cells:
        cell.metadata = nbformat.NotebookNode()
    return nb


@case("deleted_exercise", A02)
def _deleted_exercise(course, assignment):
    """Solution notebook from which the student deleted one whole exercise (the relu
    solution cell and its test cell): relu_test scores 0, everything else full marks."""
    nb = _notebook("solutions", assignment)
    del nb.cells[_index(nb, "relu_test")]
    del nb.cells[_index(nb, "relu")]
    return nb


# 3. Submissions that crash, hang or flood --------------------------------------------------

@case("sys_exit", A03)
def _sys_exit(course, assignment):
    """Solution notebook with `sys.exit()` at the top of the one_hot cell: that cell stops
    before one_hot is defined (one_hot_test scores 0); every later cell still runs, so all
    other exercises keep their points."""
    nb = _notebook("solutions", assignment)
    cell = nb.cells[_index(nb, "one_hot")]
    cell.source = "import sys\nsys.exit()\n\n" + cell.source
    return nb


@case("os_exit", A02)
def _os_exit(course, assignment):
    """Solution notebook with `os._exit(1)` in a new cell just before the softmax exercise:
    the submission's process dies there. The grader runs the notebook again without that
    cell (a cell that kills the process counts as a cell that failed): full marks, and
    the status is flagged with a reason saying that the process exited."""
    return _insert_before(_notebook("solutions", assignment), "softmax", "import os\nos._exit(1)\n")


@case("os_exit_in_function", A03)
def _os_exit_in_function(course, assignment):
    """Solution notebook whose binary_cross_entropy calls `os._exit(3)` (no demo cell of 03
    calls it, so the process dies in the grader's call): the grader starts the submission
    again for the other tests and does not call binary_cross_entropy again: only
    binary_cross_entropy_test scores 0, and the status is flagged."""
    return _replace(_notebook("solutions", assignment), "binary_cross_entropy",
                    "def binary_cross_entropy(p, y):\n    import os\n    os._exit(3)\n")


@case("memory_array", A03)
def _memory_array(course, assignment):
    """Solution notebook with a cell, before the first exercise, that allocates
    `np.ones((20000, 20000))` (3.2 GB, over the 1024 MiB limit): the cell fails with
    MemoryError, the submission is graded with full marks."""
    return _insert_before(_notebook("solutions", assignment), "mse",
                          "huge = np.ones((20000, 20000))   # 3.2 GB\n")


@case("memory_list", A02)
def _memory_list(course, assignment):
    """Solution notebook with a cell, before the first exercise, that grows a list of arrays
    until the 1024 MiB limit stops it with MemoryError: the submission should be graded
    with full marks (the hoard is a local of the failed call, garbage once it failed)."""
    return _insert_before(_notebook("solutions", assignment), "sigmoid",
                          "def hoard():\n    chunks = []\n    while True:\n"
                          "        chunks.append(np.ones(10**6))   # 8 MB more each time\n\n\nhoard()\n")


@case("loop_cell", A03)
def _loop_cell(course, assignment):
    """Solution notebook with `while True: pass` in a new cell before the
    categorical_cross_entropy exercise: that cell is stopped after cell_timeout, the answers
    after it still score (full marks), and the status is flagged: the cell ran over its time
    limit."""
    return _insert_before(_notebook("solutions", assignment), "categorical_cross_entropy",
                          "while True:\n    pass\n")


@case("loop_function", A03)
def _loop_function(course, assignment):
    """Solution notebook whose binary_cross_entropy loops forever when called (no demo cell
    of 03 calls it, so only the grader's call runs into call_timeout): only
    binary_cross_entropy_test scores 0."""
    return _replace(_notebook("solutions", assignment), "binary_cross_entropy",
                    "def binary_cross_entropy(p, y):\n    while True:\n        pass\n")


@case("input", A03)
def _input(course, assignment):
    """Solution notebook with a cell that calls `input()` (nobody answers while grading):
    the cell fails, everything else is graded normally: full marks."""
    return _insert_before(_notebook("solutions", assignment), "one_hot",
                          'epochs = int(input("How many epochs? "))\n')


@case("print_flood", A03)
def _print_flood(course, assignment):
    """Solution notebook with a cell printing a million lines (6.9 MB): graded with full
    marks, and the autograded notebook stays small (the output is capped)."""
    return _insert_before(_notebook("solutions", assignment), "one_hot",
                          "# PRINT FLOOD\nfor i in range(10**6):\n    print(i)\n")


# 4. Cheats score zero -------------------------------------------------------------------------

def _release_with(assignment, source):
    """The release notebook (every exercise raises NotImplementedError) plus a cheat cell
    right after its first code cell (the imports)."""
    nb = _notebook("release", assignment)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first_code + 1, nbformat.v4.new_code_cell(source))
    return nb


@case("cheat_allclose", A03)
def _cheat_allclose(course, assignment):
    """Release notebook + a cell that makes numpy's comparisons always succeed: zero (the
    tests run in the grader's own kernel, not in the student's)."""
    return _release_with(assignment, "np.allclose = lambda *a, **k: True\n"
                                     "np.isclose = lambda *a, **k: True\n"
                                     "np.array_equal = lambda *a, **k: True\n"
                                     "np.testing.assert_allclose = lambda *a, **k: None\n")


@case("cheat_testing", A02)
def _cheat_testing(course, assignment):
    """Release notebook + a cell that turns nnlearn.testing's checks into no-ops: zero."""
    return _release_with(assignment, "import nnlearn.testing as testing\n"
                                     "for name in ['check_array', 'check_scalar', 'check_shape', 'check_type',\n"
                                     "             'check_raises']:\n"
                                     "    setattr(testing, name, lambda *a, **k: None)\n"
                                     "testing.call = lambda *a, **k: 0.0\n")


@case("cheat_transformer", A02)
def _cheat_transformer(course, assignment):
    """Release notebook + an IPython input transformer that turns every later cell (in stock
    nbgrader: the test cells too) into `pass`: zero."""
    return _release_with(assignment, 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])\n')


@case("cheat_custom_exc", A02)
def _cheat_custom_exc(course, assignment):
    """Release notebook + `set_custom_exc` swallowing every exception (in stock nbgrader a
    failing test cell then shows no error): zero."""
    return _release_with(assignment, "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n")


@case("cheat_showtraceback", A02)
def _cheat_showtraceback(course, assignment):
    """Release notebook + a no-op `showtraceback` (in stock nbgrader errors are then not
    shown, hence not scored): zero."""
    return _release_with(assignment, "get_ipython().showtraceback = lambda *a, **k: None\n"
                                     "get_ipython()._showtraceback = lambda *a, **k: None\n")


READ_MARKER = "INSTRUCTOR FILES READABLE:"


@case("cheat_read_files", A03)
def _cheat_read_files(course, assignment):
    """Release notebook + a cell that hunts for the instructor's files -- walking up from its
    working folder, and at the absolute paths of the course being graded and of the
    repository -- (source/*/*.ipynb, solutions/*/*.ipynb, gradebook.db, submitted/,
    autograded/, ...), prints the list of what it could read and exec()s the solution cells
    of any notebook it found. Nothing is readable in the sandbox: it prints an empty list,
    and the submission scores zero."""
    return _release_with(assignment, f"""\
import glob, json, os
places, folder = [], os.getcwd()
while True:
    places.append(folder)
    if os.path.dirname(folder) == folder:
        break
    folder = os.path.dirname(folder)
places += [{str(course)!r}, {str(ROOT)!r}]
found = []
for place in places:
    for pattern in ["source/*/*.ipynb", "solutions/*/*.ipynb", "release/*/*.ipynb", "gradebook.db",
                    "submitted/*", "autograded/*", "nbgrader_config.py", "lib/nnlearn/*.py"]:
        for path in glob.glob(os.path.join(place, pattern)):
            try:
                if os.path.isdir(path):
                    os.listdir(path)
                else:
                    open(path, "rb").read(1)
                found.append(path)
            except OSError:
                pass
print({READ_MARKER!r}, sorted(set(found)))
for path in found:
    if path.endswith(".ipynb") and ("solutions" in path or "source" in path):
        for cell in json.load(open(path))["cells"]:
            if cell["cell_type"] == "code" and cell.get("metadata", {{}}).get("nbgrader", {{}}).get("solution"):
                try:
                    exec("".join(cell["source"]), globals())
                except Exception:
                    pass
""")


@case("reference", A02)
def _reference(course, assignment):
    """Solution notebook in which relu/leaky_relu, softmax and init_weights merely call the
    course library's reference implementation (nnlearn.activations.relu, ...softmax,
    nnlearn.initializers.normal): the sandbox's copy of the library has them switched off,
    so exactly those exercises score 0 (the others keep their points), and the status is
    flagged with a reason naming the blocked functions."""
    nb = _notebook("solutions", assignment)
    _replace(nb, "relu", "def relu(z):\n    from nnlearn.activations import relu as r\n    return r(z)\n\n\n"
                         "def leaky_relu(z, alpha=0.01):\n"
                         "    from nnlearn.activations import leaky_relu as r\n    return r(z, alpha)\n")
    _replace(nb, "softmax", "def softmax(Z):\n    from nnlearn.activations import softmax as s\n    return s(Z)\n")
    _replace(nb, "init_weights", "def init_weights(n_in, n_out, seed=None):\n"
                                 "    from nnlearn.initializers import normal\n"
                                 "    return normal((n_out, n_in), seed=seed, std=1 / np.sqrt(n_in))\n")
    return nb


# 5. Honest answers with warnings on stderr -----------------------------------------------------

@case("stderr", A03)
def _stderr(course, assignment):
    """Solution notebook + a cell that warns and prints to stderr, and an mse that does both
    on every call before returning the right answer: stderr is no error: full marks."""
    nb = _notebook("solutions", assignment)
    _insert_before(nb, "mse", 'import sys, warnings\nwarnings.warn("this notebook is noisy")\n'
                              'print("debug: starting", file=sys.stderr)\n')
    cell = nb.cells[_index(nb, "mse")]
    cell.source = cell.source.replace(
        "    ### BEGIN SOLUTION\n",
        '    ### BEGIN SOLUTION\n    import sys, warnings\n    warnings.warn("mse: just checking")\n'
        '    print("debug: mse called", file=sys.stderr)\n', 1)
    assert "mse called" in cell.source, "the mse solution cell has no '### BEGIN SOLUTION' line"
    return nb


# 7. What a function does to its inputs never reaches a verdict -----------------------------------
# A test that calls the student's function and then computes its reference from the same
# arrays would agree with a function that wrote a convenient input there. The grader hands
# each call copies (only the parameters a contract declares in `mutates` are shared; a
# call that changed a copy fails where the notebook asks for the inputs to be left alone,
# `keeps_inputs`), so these cheats -- which answer the visible examples from a table and, for any other
# input, overwrite it so that the reference agrees with a made-up answer -- score 0.
# Run without the sandbox (as stock nbgrader does), each scores its exercise's points.

@case("mutation_cheat", A01)
def _mutation_cheat_01(course, assignment):
    """Solution notebook whose step_neuron answers the visible examples from a table and,
    otherwise, sets x to (1 - b) / w so that w * x + b = 1 > 0 everywhere and returns ones
    (the hidden test computes reference_step(w * x + b) after the call): step_neuron_test 0."""
    return _replace(_notebook("solutions", assignment), "step_neuron", """\
def step_neuron(x, w, b):
    seen = {((-2.0, -1.0, 0.5, 3.0), 2.0, 1.0): [0.0, 0.0, 1.0, 1.0],
            ((-2.0, -0.25, 1.0, 3.0), -1.0, 0.5): [1.0, 1.0, 0.0, 0.0],
            ((-1.0, 4.0), 0.5, -1.0): [[0.0], [1.0]],
            ((0.5, 0.25, 1.0), 2.0, -1.0): [0.0, 0.0, 1.0], ((-0.75, 0.0), -2.0, -1.5): [0.0, 0.0]}
    key = (tuple(np.ravel(x).tolist()), w, b)
    if key in seen:
        return np.array(seen[key])
    if w == 0:
        return np.full(np.shape(x), 1.0 if b > 0 else 0.0)
    x[...] = (1.0 - b) / w
    return np.ones(np.shape(x))
""")


@case("mutation_cheat", A02)
def _mutation_cheat_02(course, assignment):
    """Solution notebook whose collapse_linear answers the visible example from a table and,
    otherwise, zeroes W1, b1 and b2 and returns zeros (the hidden test computes W2 @ W1 and
    W2 @ b1 + b2, and the two stacked layers, after the call): collapse_linear_test 0."""
    return _replace(_notebook("solutions", assignment), "collapse_linear", """\
def collapse_linear(W1, b1, W2, b2):
    if np.array_equal(W1, [[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]]):
        return np.array([[7.0, 4.0], [-1.0, -3.0]]), np.array([-2.5, -1.5])
    W1[...] = 0
    b1[...] = 0
    b2[...] = 0
    return np.zeros((W2.shape[0], W1.shape[1])), np.zeros(W2.shape[0])
""")


@case("mutation_cheat", A03)
def _mutation_cheat_03(course, assignment):
    """Solution notebook whose mse answers the visible examples from a table and otherwise
    copies y_true into y_pred and returns 0.0 (the hidden test computes reference_mse(y_pred,
    y_true) after the call): mse_test 0."""
    return _replace(_notebook("solutions", assignment), "mse", """\
def mse(y_pred, y_true):
    seen = {(1.5, 2.0, 2.0, 6.0): 1.3125, (0.5, 0.0, 0.0, 0.0, 1.0, 3.0): 5.25 / 6,
            (1.0, 0.0, 0.0, 1.0, 1.0, 1.0): 0.0}
    key = tuple(np.ravel(y_pred).tolist())
    if key in seen:
        return seen[key]
    y_pred[...] = y_true
    return 0.0
""")


@case("mutation_cheat", A06)
def _mutation_cheat_06(course, assignment):
    """Solution notebook whose predict_proba answers the visible examples from a table and
    otherwise sets every weight and bias in params to 0 and returns equal probabilities (the
    hidden test runs its reference forward pass on the same params after the call):
    predict_proba_test 0."""
    return _replace(_notebook("solutions", assignment), "predict_proba", """\
def predict_proba(params, X):
    seen = {0.1: [[0.9811090380629609, 0.01889096193703904], [0.3100255188723876, 0.6899744811276125],
                  [0.610639233949222, 0.38936076605077796], [0.9758729785823308, 0.0241270214176692]],
            100.0: [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]}
    last = params[f"b{len(params) // 2}"]
    if np.shape(X) == (4, 3) and float(np.ravel(last)[0]) in seen:
        return np.array(seen[float(np.ravel(last)[0])])
    for value in params.values():
        value[...] = 0
    return np.full((np.shape(X)[0], np.shape(last)[0]), 1.0 / np.shape(last)[0])
""")


# ... and honest answers that change arrays in place keep their points.

@case("in_place_right", A02)
def _in_place_right_02(course, assignment):
    """Solution notebook whose softmax works in place on its own shifted copy of Z (exp and
    division with out=): right answers, inputs left alone: full marks."""
    return _replace(_notebook("solutions", assignment), "softmax", """\
def softmax(Z):
    E = Z - np.max(Z, axis=1, keepdims=True)
    np.exp(E, out=E)
    E /= np.sum(E, axis=1, keepdims=True)
    return E
""")


@case("in_place_right", A04)
def _in_place_right_04(course, assignment):
    """Solution notebook whose momentum_step updates the w and v it is given in place (the
    notebook says both ways are fine; the grader hands it copies, and its contract does not
    ask for the inputs to be left alone), and whose adam_step copies w, m, v and updates the
    copies in place (+=, *=, out=): right answers: full marks."""
    nb = _replace(_notebook("solutions", assignment), "momentum_step", """\
def momentum_step(w, v, g, lr, beta):
    v *= beta
    v -= lr * g
    w += v
    return w, v
""")
    return _replace(nb, "adam_step", """\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    w, m, v = np.array(w, dtype=float), np.array(m, dtype=float), np.array(v, dtype=float)
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g**2
    np.subtract(w, lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), out=w)
    return w, m, v
""")


@case("in_place_right", A05)
def _in_place_right_05(course, assignment):
    """Solution notebook whose train_step puts new arrays into params (params[key] = params[key]
    - lr * grads[key]) instead of changing them in place: params is declared in 05's contract
    (mutates), so the test sees the update: full marks."""
    return _replace(_notebook("solutions", assignment), "train_step", """\
def train_step(loss_fn, params, X, y, lr):
    loss, grads = loss_fn(params, X, y)
    for key in list(params):
        params[key] = params[key] - lr * grads[key]
    return loss
""")


# 6. Feedback is generated for the release-based submission of each assignment ------------------

FEEDBACK_STUDENT = PREFIX + "release_tests_pass"
FEEDBACK_GLOB = "0[23]_*"   # nbgrader takes a glob for the assignment: 02_... and 03_loss


# --- Grading -------------------------------------------------------------------------------

def _nbgrader(course, *args):
    """Start nbgrader in the course; returns the process (wait with _finish)."""
    db = f"sqlite:///{course / 'gradebook.db'}?timeout=120"   # the two autograde calls share it
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}",
               f"--CourseDirectory.db_url={db}"]
    return subprocess.Popen(command, cwd=course, env=nbgrader_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _finish(process):
    log, _ = process.communicate()
    return process.returncode, log


_FAILED_AT = re.compile(r"There was an error processing assignment: .*[/\\]submitted[/\\]([^/\\]+)[/\\]([^/\\\s]+)")
_FAILED = re.compile(r"There was an error processing assignment '([^']+)' for student '([^']+)'")


def _nbgrader_errors(log):
    """{(student, assignment): the exception line of its traceback} for submissions nbgrader gave up on.

    nbgrader logs "error processing assignment: <submitted folder>", the traceback (indented),
    and at the end one "error processing assignment '<a>' for student '<s>'" line per failure.
    """
    errors, current = {}, None
    for line in log.splitlines():
        at, failed = _FAILED_AT.search(line), _FAILED.search(line)
        if at:
            current = at.group(1), at.group(2)
            errors[current] = "see nbgrader's log"
        elif failed:
            errors.setdefault((failed.group(2), failed.group(1)), "see nbgrader's log")
        elif line.startswith("["):
            if "| ERROR] Traceback" not in line:
                current = None
        elif current and line.startswith("    ") and line.strip():
            errors[current] = line.strip()   # the traceback's last line names the exception
    return errors


class Results:
    def __init__(self, course, scores, errors):
        self.course, self.scores, self.errors = course, scores, errors

    def grades(self, student, assignment=None):
        """{test grade_id: (score, max_score, needs_manual_grade)}; fails if not graded."""
        c = _the_case(student, assignment)
        key = (c.student, c.assignment)
        if key in self.errors:
            raise AssertionError(f"{student} ({c.assignment}): nbgrader autograde failed on this submission "
                                 f"({self.errors[key]}); it was not graded. Case: {c.doc}")
        grades = self.scores.get(key)
        assert grades, (f"{student} ({c.assignment}) has no row in the gradebook: the submission was "
                        f"not graded at all. Case: {c.doc}")
        return grades

    def autograded(self, student, assignment=None, suffix=".ipynb"):
        c = _the_case(student, assignment)
        return self.course / "autograded" / c.student / c.assignment / f"{c.assignment}{suffix}"

    def status(self, student, assignment=None):
        path = self.autograded(student, assignment, ".grading.json")
        assert path.exists(), f"{student}: no {path.name} next to the autograded notebook ({path})"
        return json.loads(path.read_text())

    def feedback(self, student, assignment):
        return self.course / "feedback" / student / assignment / f"{assignment}.html"


@pytest.fixture(scope="module")
def graded(sandbox, generated_course):
    """Submit the whole catalogue, autograde each assignment once (both side by side), then
    generate the feedback of the release-based submissions; afterwards remove what it added."""
    course = generated_course
    for (student, assignment), c in CASES.items():
        path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(c.build(course, assignment), str(path))
    limits = [f"--SandboxedExecute.{k}={v}" for k, v in LIMITS.items()]
    assignments = sorted({a for _, a in CASES})
    # Students first: autograde adds a missing student itself, and two calls adding the
    # same one at once (a case run in several assignments) make one of them fail with
    # "UNIQUE constraint failed: student.id" (coursegrade grade does the same).
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in sorted({s for s, _ in CASES}):
            gb.update_or_create_student(student)
    assert assignments == ALL, assignments   # one autograde call per assignment, all side by side
    running = {}
    try:
        for a in assignments:
            running[a] = _nbgrader(course, "autograde", a, "--force", f"--CourseDirectory.student_id={PREFIX}*",
                                   *limits)
        errors, logs = {}, {}
        for a, process in running.items():
            code, logs[a] = _finish(process)
            errors.update(_nbgrader_errors(logs[a]))
            # nbgrader exits 1 when it gave up on some submission: that case's test says so (Results.grades).
            assert code == 0 or _nbgrader_errors(logs[a]), f"nbgrader autograde {a} failed:\n{logs[a][-5000:]}"
        code, log = _finish(_nbgrader(course, "generate_feedback", FEEDBACK_GLOB, "--force",
                                      f"--CourseDirectory.student_id={FEEDBACK_STUDENT}"))
        assert code == 0, f"nbgrader generate_feedback failed:\n{log[-5000:]}"

        from nbgrader.api import Gradebook
        scores = {}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for a in assignments:
                for submission in gb.assignment_submissions(a):
                    if submission.student_id.startswith(PREFIX):
                        scores[submission.student_id, a] = {
                            g.name: (g.score, g.max_score, g.needs_manual_grade)
                            for nb in submission.notebooks for g in nb.grades}
        yield Results(course, scores, errors)
    finally:
        for process in running.values():   # still running only if another call failed
            if process.poll() is None:
                process.kill()
                process.communicate()
        # The course is shared with test_grading.py, whose autograde call takes every student.
        for folder in ("submitted", "autograded", "feedback"):
            for path in (course / folder).glob(f"{PREFIX}*"):
                shutil.rmtree(path, ignore_errors=True)


# --- Assertion helpers ----------------------------------------------------------------------

def _summary(grades):
    return ", ".join(f"{name} {score:g}/{max_score:g}" for name, (score, max_score, _) in sorted(grades.items()))


def assert_scores(results, student, assignment=None, zero=()):
    """Every test cell of the case's assignment scored full marks, except those in ``zero``
    ("all": every one), which scored 0; none needs manual grading."""
    c = _the_case(student, assignment)
    grades = results.grades(student, c.assignment)
    points = POINTS[c.assignment]
    assert set(grades) == set(points), (f"{student}: graded cells {sorted(grades)}, expected the test cells "
                                        f"{sorted(points)} of source/{c.assignment}")
    zero = set(points) if zero == "all" else set(zero)
    assert zero <= set(points), f"unknown test cells {zero - set(points)}"
    wrong = []
    for name, full in sorted(points.items()):
        score, max_score, manual = grades[name]
        want = 0 if name in zero else full
        if score != want or manual:
            wrong.append(f"{name} scored {score:g}/{max_score:g}{' (needs manual grading)' if manual else ''}, "
                         f"expected {want:g}")
    if wrong:
        path = results.autograded(student, c.assignment, ".grading.json")
        report = json.loads(path.read_text()) if path.exists() else {"status": "no report", "reasons": []}
        raise AssertionError(f"{student} ({c.assignment}): " + "; ".join(wrong) +
                             f".\n  All scores: {_summary(grades)}\n  Grading status: {report['status']}, "
                             f"reasons: {report['reasons']}\n  Case: {c.doc}")


def assert_status(results, student, status, *reason_words):
    """The .grading.json says ``status``, and some reason contains each of ``reason_words``."""
    got = results.status(student)
    assert got["status"] == status, (f"{student}: grading status {got['status']!r}, expected {status!r}; "
                                     f"reasons: {got['reasons']}. Case: {_the_case(student).doc}")
    for word in reason_words:
        assert any(word in reason for reason in got["reasons"]), (
            f"{student}: no reason mentions {word!r}; reasons: {got['reasons']}")
    return got


def _cell_output(results, student, marker):
    """The text outputs of the one autograded cell whose source contains ``marker``."""
    nb = read_notebook(results.autograded(student))
    cells = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, f"{student}: {len(cells)} autograded cells contain {marker!r}, expected 1"
    return "".join(o.get("text", "") for o in cells[0].outputs)


# --- 1. The tests come from the instructor -------------------------------------------------------

def test_deleted_or_edited_test_cells_do_not_matter(graded):
    assert_scores(graded, "bad_tests_deleted_or_edited")
    assert_status(graded, "bad_tests_deleted_or_edited", "graded")


@pytest.mark.parametrize("assignment", [A02, A03])
def test_release_with_tests_edited_to_pass_earns_zero(graded, assignment):
    assert_scores(graded, "bad_release_tests_pass", assignment, zero="all")


# --- 2. Stripped metadata ------------------------------------------------------------------------

def test_stripped_metadata_answers_are_still_found(graded):
    assert_scores(graded, "bad_no_metadata")
    # The test cells are recognised by their text where they stand, not re-added elsewhere.
    nb = read_notebook(graded.autograded("bad_no_metadata"))
    order = [_meta(c)["grade_id"] for c in nb.cells if _is_test(c)]
    assert order == list(POINTS[A02]), (f"bad_no_metadata: test cells in the autograded notebook: {order}, "
                                        f"expected those of source/{A02} in order: {list(POINTS[A02])}")
    readded = [c.source.splitlines()[0] for c in nb.cells if "was missing from the submission" in c.source]
    assert not readded, f"bad_no_metadata: test cells were re-added instead of recognised: {readded}"
    before = [c for c in nb.cells[:_index(nb, "sigmoid_test")] if c.cell_type == "code"]   # (hints between)
    assert before and before[-1].source.lstrip().startswith("def sigmoid"), (
        "bad_no_metadata: the sigmoid test cell no longer follows the student's sigmoid cell")


def test_deleted_exercise_test_is_put_back_in_place(graded):
    nb = read_notebook(graded.autograded("bad_deleted_exercise"))
    order = [_meta(c)["grade_id"] for c in nb.cells if _is_test(c)]
    assert order == list(POINTS[A02]), (f"bad_deleted_exercise: test cells in the autograded notebook: {order}, "
                                        f"expected those of source/{A02} in order: {list(POINTS[A02])}")


def test_deleted_exercise_costs_only_its_points(graded):
    assert_scores(graded, "bad_deleted_exercise", zero={"relu_test"})


# --- 3. Crashes, hangs, floods -------------------------------------------------------------------

def test_sys_exit_costs_only_the_cell_it_stops(graded):
    assert_scores(graded, "bad_sys_exit", zero={"one_hot_test"})


def test_os_exit_costs_only_the_cell_and_is_flagged(graded):
    assert_scores(graded, "bad_os_exit")
    assert_status(graded, "bad_os_exit", "flagged", "exited with code 1", "run again without that cell")
    shown = _cell_output(graded, "bad_os_exit", "os._exit(1)")
    assert "ProcessDied" in shown and "exited with code 1" in shown, (
        f"bad_os_exit: the fatal cell should say that the process died there; it shows {shown[-500:]!r}")


def test_os_exit_in_a_function_costs_only_that_exercise(graded):
    assert_scores(graded, "bad_os_exit_in_function", zero={"binary_cross_entropy_test"})
    assert_status(graded, "bad_os_exit_in_function", "flagged", "exited with code 3",
                  "while running binary_cross_entropy", "started again")


def test_memory_exhaustion_by_one_array_costs_nothing(graded):
    assert_scores(graded, "bad_memory_array")
    shown = _cell_output(graded, "bad_memory_array", "np.ones((20000, 20000))")
    assert "MemoryError" in shown, (f"bad_memory_array: the 3.2 GB allocation did not fail with MemoryError "
                                    f"under memory_mb=1024; the cell shows {shown[-500:]!r}")


def test_memory_exhaustion_by_a_growing_list_is_graded(graded):
    graded.grades("bad_memory_list")      # a gradebook row: the submission was graded
    graded.status("bad_memory_list")


def test_memory_exhaustion_by_a_growing_list_costs_nothing(graded):
    assert_scores(graded, "bad_memory_list")


def test_endless_loop_in_a_cell_is_stopped(graded):
    assert_scores(graded, "bad_loop_cell")
    shown = _cell_output(graded, "bad_loop_cell", "while True:")
    assert "time limit" in shown, f"bad_loop_cell: the looping cell does not say it was stopped: {shown[-500:]!r}"


def test_endless_loop_in_a_cell_is_flagged(graded):
    assert_status(graded, "bad_loop_cell", "flagged", "ran over its time limit")


def test_endless_loop_in_a_function_costs_only_that_exercise(graded):
    assert_scores(graded, "bad_loop_function", zero={"binary_cross_entropy_test"})


def test_input_call_does_not_block_grading(graded):
    assert_scores(graded, "bad_input")
    assert_status(graded, "bad_input", "graded")
    shown = _cell_output(graded, "bad_input", "input(")
    assert "EOFError" in shown, (f"bad_input: the input() cell should fail at once with EOFError (nobody types "
                                 f"while grading), not wait for the time limit; it shows {shown[-300:]!r}")


def test_output_flood_is_graded_and_capped(graded):
    assert_scores(graded, "bad_print_flood")
    flood = graded.autograded("bad_print_flood").stat().st_size
    quiet = graded.autograded("bad_input").stat().st_size   # the same notebook with one quiet extra cell
    assert flood < quiet + 50_000, (f"bad_print_flood: the autograded notebook is {flood} bytes, expected "
                                    f"under {quiet + 50_000} (a quiet submission's {quiet} + 50 kB): the "
                                    "million printed lines (6.9 MB) were not capped")
    shown = _cell_output(graded, "bad_print_flood", "# PRINT FLOOD")
    assert shown.startswith("0\n1\n2\n") and len(shown) <= 25_000, (
        f"bad_print_flood: the flooding cell shows {len(shown)} characters starting {shown[:30]!r}; "
        "expected the first lines of its output, capped")


# --- 4. Cheats -----------------------------------------------------------------------------------

@pytest.mark.parametrize("student", ["bad_cheat_allclose", "bad_cheat_testing", "bad_cheat_transformer",
                                     "bad_cheat_custom_exc", "bad_cheat_showtraceback"])
def test_cheat_earns_zero(graded, student):
    assert_scores(graded, student, zero="all")


def test_instructor_files_are_not_readable(graded):
    assert_scores(graded, "bad_cheat_read_files", zero="all")
    shown = _cell_output(graded, "bad_cheat_read_files", READ_MARKER)
    assert f"{READ_MARKER} []" in shown, (
        f"bad_cheat_read_files: expected '{READ_MARKER} []' (nothing readable in the sandbox); "
        f"the cell printed: {shown[:2000]!r}")


def test_calling_the_reference_scores_zero_and_is_flagged(graded):
    assert_scores(graded, "bad_reference", zero={"relu_test", "softmax_test", "init_weights_test"})
    assert_status(graded, "bad_reference", "flagged", "activations.relu", "activations.softmax",
                  "initializers.normal")


# --- 5. Warnings on stderr -------------------------------------------------------------------------

def test_warnings_on_stderr_keep_full_marks(graded):
    assert_scores(graded, "bad_stderr")
    got = assert_status(graded, "bad_stderr", "graded")
    assert any("mse: just checking" in w for w in got.get("warnings", [])), (
        f"bad_stderr: the warning raised inside mse is not recorded in .grading.json: {got.get('warnings')}")


# --- 7. Inputs changed in place ---------------------------------------------------------------------

@pytest.mark.parametrize("assignment, test_id", [(A01, "step_neuron_test"), (A02, "collapse_linear_test"),
                                                 (A03, "mse_test"), (A06, "predict_proba_test")])
def test_writing_into_inputs_earns_nothing(graded, assignment, test_id):
    assert_scores(graded, "bad_mutation_cheat", assignment, zero={test_id})


SHARED_KERNEL = """
import json, os, sys
from IPython.core.interactiveshell import InteractiveShell
cells, test_id = json.load(open(sys.argv[1])), sys.argv[2]
shell = InteractiveShell.instance()
for cell in cells:
    result = shell.run_cell(cell["source"], silent=True)
    if cell["grade_id"] == test_id:
        error = result.error_before_exec or result.error_in_exec
        print("RESULT", "passed" if error is None else f"{type(error).__name__}: {error}")
        break
"""


@pytest.mark.parametrize("assignment, test_id", [(A01, "step_neuron_test"), (A02, "collapse_linear_test"),
                                                 (A03, "mse_test"), (A06, "predict_proba_test")])
def test_writing_into_inputs_would_score_in_a_shared_kernel(assignment, test_id, tmp_path):
    """The cheats are real: run in one kernel with the tests, sharing their arrays (stock
    nbgrader, and coursegrade before it copied arguments), each passes its test cell."""
    nb = _the_case("bad_mutation_cheat", assignment).build(None, assignment)
    cells = [{"source": c.source, "grade_id": _meta(c).get("grade_id")} for c in nb.cells if c.cell_type == "code"]
    (tmp_path / "cells.json").write_text(json.dumps(cells))
    env = dict(nbgrader_env(), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run([sys.executable, "-c", SHARED_KERNEL, str(tmp_path / "cells.json"), test_id],
                         cwd=ROOT / "solutions" / assignment, env=env, capture_output=True, text=True, timeout=300)
    results = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert results == ["RESULT passed"], (f"{assignment}: the mutation cheat does not pass {test_id} in a shared "
                                          f"kernel, so the catalogue case proves nothing: {results} {run.stderr[-2000:]}")


@pytest.mark.parametrize("assignment", [A02, A04, A05])
def test_honest_in_place_answers_keep_full_marks(graded, assignment):
    assert_scores(graded, "bad_in_place_right", assignment)


# --- 6. Feedback without hidden tests ----------------------------------------------------------------

def _source_lines(assignment):
    """(lines inside hidden-test regions, lines outside them) of source/, stripped."""
    hidden, visible = set(), set()
    for cell in read_notebook(notebook_path("source", assignment)).cells:
        inside = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped.startswith(HIDDEN_BEGIN):
                inside = True
            elif stripped.startswith(HIDDEN_END):
                inside = False
            else:
                (hidden if inside else visible).add(stripped)
    return hidden, visible


def _distinctive(lines):
    return {line for line in lines if len(line) >= 12 and not line.startswith("#")}


def _html_text(path):
    """The feedback HTML as plain text: tags removed (code is split into highlighted spans), unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("assignment", [A02, A03])
def test_feedback_shows_no_hidden_test_source(graded, assignment):
    """Lines of the hidden tests (at least 12 characters, no comments, found nowhere else in
    source/: not generic like `import numpy as np`) never appear in the feedback HTML, while
    the visible test lines do (so the search itself works)."""
    path = graded.feedback(FEEDBACK_STUDENT, assignment)
    assert path.exists(), f"nbgrader generate_feedback wrote no {path}"
    text = _html_text(path)
    present = {line.strip() for line in text.splitlines()}
    hidden, visible = _source_lines(assignment)
    hidden = _distinctive(hidden - visible)
    test_lines = _distinctive(line.strip() for c in read_notebook(notebook_path("release", assignment)).cells
                              if _is_test(c) for line in c.source.splitlines())
    shown = test_lines & present
    assert len(shown) >= 0.8 * len(test_lines), (
        f"{FEEDBACK_STUDENT} ({assignment}): only {len(shown)} of the {len(test_lines)} visible test lines "
        f"are found in the text of {path.name}: the search for hidden lines would be blind")
    assert len(hidden) >= 20, f"{assignment}: only {len(hidden)} distinctive hidden-test lines to look for"
    leaked = sorted(line for line in hidden if line in text)
    assert not leaked, (f"{FEEDBACK_STUDENT} ({assignment}): the feedback {path} shows {len(leaked)} of the "
                        f"{len(hidden)} hidden-test lines, e.g. {leaked[:5]}")
    assert "NotImplementedError" in text, (
        f"{FEEDBACK_STUDENT} ({assignment}): the feedback shows no NotImplementedError: expected the failing "
        "tests' messages")

