"""Each assignment's grading contract (source/<a>/contract.toml, coursegrade/contract.py),
checked without bubblewrap:

* every assignment has one, and it declares every exercise of its solution notebook;
* each exercise's reference, and everything in nnlearn it calls (the static call
  graph), is switched off, except the tools the exercise is declared to build on;
* in the student library built from it, the detours the review found raise
  ReferenceUnavailable (05: softmax cross-entropy from losses + activations; 03:
  accuracy from metrics.confusion_matrix), and the check itself fails on contracts
  made incomplete on purpose;
* the solution notebook, run the way the sandbox runs a submission (test cells and
  ``grading-skip`` cells left out) on the student library, raises nothing: the
  instructor's own cells never show a student a ReferenceUnavailable traceback;
* the student library is private, checked before every use and rebuilt when changed,
  and two processes building it at once do not collide.
"""

import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from coursegrade import blocklist, contract, notebook

from .helpers import ASSIGNMENTS, ROOT, notebook_path, read_notebook

LIB = ROOT / "lib" / "nnlearn"


@pytest.fixture(scope="module")
def library():
    return contract.Library(LIB)


def _contract(assignment):
    return contract.load(ROOT / "source" / assignment)


def _run_with_library(root, code, cwd=None, timeout=120):
    """Run ``code`` in a fresh interpreter whose nnlearn is the student library at ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg",
               PYTHONNOUSERSITE="1")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


# --- every assignment has a sound contract -------------------------------------------------

def test_every_assignment_has_a_contract():
    missing = [a for a in ASSIGNMENTS if not (ROOT / "source" / a / contract.FILENAME).is_file()]
    assert not missing, f"no source/<a>/{contract.FILENAME} for {missing}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_contract_is_complete(library, assignment):
    source = read_notebook(notebook_path("source", assignment))
    found = contract.problems(_contract(assignment), library, notebook.solution_functions(source))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_declared_mutations_name_parameters(assignment):
    parameters = notebook.solution_parameters(read_notebook(notebook_path("source", assignment)))
    for name, changed in _contract(assignment).mutates.items():
        assert set(changed) <= set(parameters[name]), (
            f"source/{assignment}/contract.toml: {name} mutates {changed}, but its parameters are {parameters[name]}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_reference_is_switched_off_in_the_built_library(library, assignment):
    """Not only the check's arithmetic: the built copy's reference functions refuse."""
    grading_contract = _contract(assignment)
    off = contract.switched_off(grading_contract, library)
    files = blocklist.library_files(LIB, grading_contract)
    for exercise in grading_contract.exercises.values():
        for name in library.expand(exercise.reference):
            module, _, function = name.partition(":")
            assert function in off.get(module, ()), f"{assignment}: {exercise.name}'s reference {name} is on"
            text = files[f"nnlearn/{module}.py"].decode()
            assert f"_refuse('{module}.{function}" in text, f"{assignment}: {name} has its body in the copy"


# --- the detours the review found ---------------------------------------------------------------

DETOURS = {
    "05_backprop": """
        import numpy as np
        from nnlearn import activations, losses
        Z, y = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]), np.array([1, 2])
        attempts = {
            "losses.categorical_cross_entropy(activations.softmax(Z), y)":
                lambda: losses.categorical_cross_entropy(activations.softmax(Z), y),
            "losses.categorical_cross_entropy_with_logits(Z, y)":
                lambda: losses.categorical_cross_entropy_with_logits(Z, y),
            "activations.log_softmax(Z)": lambda: activations.log_softmax(Z),
            "losses.categorical_cross_entropy_gradient": lambda: losses.categorical_cross_entropy_gradient(
                np.full((2, 3), 1 / 3), y),
        }
    """,
    "03_loss": """
        import numpy as np
        from nnlearn import metrics
        P, labels = np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 0])
        attempts = {
            "np.trace(metrics.confusion_matrix(...)) / n":
                lambda: np.trace(metrics.confusion_matrix(labels, P.argmax(axis=1), 2)) / len(labels),
        }
    """,
}
TRY_ALL = """
import json
from nnlearn._grading import ReferenceUnavailable
outcome = {}
for text, attempt in attempts.items():
    try:
        outcome[text] = "returned " + repr(attempt())
    except ReferenceUnavailable:
        outcome[text] = "ReferenceUnavailable"
    except Exception as error:
        outcome[text] = f"{type(error).__name__}: {error}"
print(json.dumps(outcome))
"""


@pytest.mark.parametrize("assignment", sorted(DETOURS))
def test_review_detours_are_switched_off(assignment):
    root = blocklist.build_student_library(LIB, _contract(assignment))
    run = _run_with_library(root, textwrap.dedent(DETOURS[assignment]) + TRY_ALL)
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.splitlines()[-1])
    wrong = {text: got for text, got in outcome.items() if got != "ReferenceUnavailable"}
    assert not wrong, f"{assignment}: detours that still work in the student library: {wrong}"


# --- the check fails on incomplete contracts --------------------------------------------------------

def _write(folder, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / contract.FILENAME).write_text(textwrap.dedent(text))
    return contract.load(folder)


def test_check_fails_on_incomplete_contracts(library, tmp_path):
    exercises = ["accuracy", "softmax_cross_entropy"]
    sound = _write(tmp_path / "sound", """
        allow = ["widgets:*"]
        [exercises.accuracy]
        reference = ["metrics:accuracy"]
        [exercises.softmax_cross_entropy]
        reference = ["losses:softmax_cross_entropy_loss"]
    """)
    assert contract.problems(sound, library, exercises) == []

    # The reference itself left on.
    found = contract.problems(_write(tmp_path / "on", """
        allow = ["metrics:*"]
        [exercises.accuracy]
        reference = ["metrics:accuracy"]
        [exercises.softmax_cross_entropy]
        reference = ["losses:softmax_cross_entropy_loss"]
    """), library, exercises)
    assert any("metrics:accuracy is switched on" in p for p in found), found
    # A building block of the reference left on (what 05 had: softmax and log-softmax on).
    found = contract.problems(_write(tmp_path / "piece", """
        allow = ["activations:log_softmax"]
        [exercises.accuracy]
        reference = ["metrics:accuracy"]
        [exercises.softmax_cross_entropy]
        reference = ["losses:softmax_cross_entropy_loss"]
    """), library, exercises)
    assert any("activations:_log_softmax is switched on" in p and "->" in p for p in found), found
    # An exercise without a table, and a name nnlearn does not have.
    found = contract.problems(_write(tmp_path / "missing", """
        allow = ["metrics:no_such_thing"]
        [exercises.accuracy]
        reference = ["metrics:accuracy"]
    """), library, exercises)
    assert any("no_such_thing" in p for p in found), found
    found = contract.problems(_write(tmp_path / "missing2", """
        [exercises.accuracy]
        reference = ["metrics:accuracy"]
    """), library, exercises)
    assert any("softmax_cross_entropy" in p and "no [exercises" in p for p in found), found


@pytest.mark.parametrize("text, message", [
    (None, "is missing"),
    ("allow = [", "not valid TOML"),
    ("allow = []\n", "no [exercises"),
    ("[exercises.f]\nmutates = []\n", "needs reference"),
    ("[exercises.f]\nreference = []\nreferences = []\n", "unknown keys"),
    ("blocked = []\n[exercises.f]\nreference = []\n", "unknown keys"),
])
def test_malformed_contracts_are_errors(tmp_path, text, message):
    if text is not None:
        (tmp_path / contract.FILENAME).write_text(text)
    with pytest.raises(contract.ContractError, match=message.replace("[", r"\[")):
        contract.load(tmp_path)


# --- the solution notebook's own cells run on the student library ----------------------------------

RUN_CELLS = """
import json, sys, traceback
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
failed = []
for cell in json.load(open(sys.argv[1])):
    result = shell.run_cell(cell["source"], silent=True)
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        failed.append({"index": cell["index"], "error": f"{type(error).__name__}: {error}"[:500],
                       "first_line": cell["source"].strip().splitlines()[0][:80]})
    import matplotlib.pyplot as plt
    plt.close("all")
print("RESULT " + json.dumps(failed))
"""


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_cells_run_on_the_student_library(assignment, tmp_path):
    """What the sandbox runs of a perfect submission (no test cells, no grading-skip
    cells) raises nothing with the assignment's student library: no cell the student
    did not write needs a switched-off function."""
    source = read_notebook(notebook_path("source", assignment))
    cells = notebook.student_cells(read_notebook(notebook_path("solutions", assignment)), source)
    (tmp_path / "cells.json").write_text(json.dumps(cells))
    root = blocklist.build_student_library(LIB, _contract(assignment))
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg",
               PYTHONNOUSERSITE="1", TQDM_DISABLE="1")
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([sys.executable, "-c", RUN_CELLS, str(tmp_path / "cells.json")], cwd=work, env=env,
                         capture_output=True, text=True, timeout=600)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"{assignment}: the cells did not run to the end:\n{run.stderr[-3000:]}"
    failed = json.loads(lines[-1][len("RESULT "):])
    assert not failed, (f"{assignment}: cells that fail on the student library (tag them "
                        f"{notebook.SKIP_TAG!r} if they need a switched-off function): "
                        + json.dumps(failed, indent=1))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_only_demonstration_cells_are_skipped(assignment):
    """grading-skip on a solution or test cell would drop an exercise or a test."""
    for cell in read_notebook(notebook_path("source", assignment)).cells:
        if notebook.is_skipped(cell):
            assert not notebook.nbgrader_meta(cell), (
                f"{assignment}: nbgrader cell {notebook.nbgrader_meta(cell).get('grade_id')} is tagged "
                f"{notebook.SKIP_TAG!r}; only the instructor's demonstration cells may be")


def test_skipped_cells_are_known_by_text_without_metadata():
    source = read_notebook(notebook_path("source", "02_neurons_and_activations"))
    skipped = [c for c in source.cells if notebook.is_skipped(c)]
    assert skipped, f"02 has no {notebook.SKIP_TAG!r} cell (its mlp demonstration needs one)"
    submission = read_notebook(notebook_path("solutions", "02_neurons_and_activations"))
    for cell in submission.cells:
        cell.metadata = {}
    texts = {c["source"] for c in notebook.student_cells(submission, source)}
    assert not any(c.source in texts for c in skipped)
    assert any(c.source.startswith("def sigmoid") for c in submission.cells if c.source in texts)


# --- the student library: private, checked, rebuilt ---------------------------------------------------

def test_student_library_is_private_and_rebuilt_when_changed():
    grading_contract = _contract("03_loss")
    root = blocklist.build_student_library(LIB, grading_contract)
    package = root / "nnlearn"
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o755 for p in (root.parent, root, package))
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in package.iterdir())
    assert blocklist.build_student_library(LIB, grading_contract) == root     # unchanged: used as it is

    def rebuilt_after(change):
        before = blocklist.build_student_library(LIB, grading_contract)
        change(before / "nnlearn")
        after = blocklist.build_student_library(LIB, grading_contract)
        assert blocklist.verify(after, blocklist.library_files(LIB, grading_contract))
        assert not before.exists() or before != after
        return after

    def edit(p):
        (p / "metrics.py").write_text((p / "metrics.py").read_text() + "\ndef accuracy(P, y):\n    return 1.0\n")

    def plant(p):
        (p / "evil.pth").write_text("import os\n")

    def chmod(p):
        os.chmod(p / "losses.py", 0o666)

    def swap(p):
        (p / "losses.py").unlink()
        (p / "losses.py").symlink_to(LIB / "losses.py")

    def beside(p):
        (p.parent.parent / "nnlearn").mkdir()     # next to the folder on sys.path

    for change in (edit, plant, chmod, swap, beside):
        rebuilt_after(change)


def test_a_changed_contract_gets_a_new_library_and_the_old_one_goes(tmp_path):
    folder = tmp_path / "03_loss"
    folder.mkdir()
    text = (ROOT / "source" / "03_loss" / contract.FILENAME).read_text()
    (folder / contract.FILENAME).write_text(text)
    old = blocklist.build_student_library(LIB, contract.load(folder))
    (folder / contract.FILENAME).write_text(text.replace('allow = [', 'allow = [\n    "metrics:confusion_matrix",'))
    new = blocklist.build_student_library(LIB, contract.load(folder))
    assert new != old and not old.exists()
    assert "_refuse('metrics.confusion_matrix'" not in (new / "nnlearn" / "metrics.py").read_text()


BUILD_TWICE = """
import sys
sys.path.insert(0, {grading!r})
from coursegrade import blocklist, contract
root = blocklist.build_student_library({lib!r}, contract.load({folder!r}))
import subprocess
ok = subprocess.run([sys.executable, "-c", "import nnlearn.losses, nnlearn._grading"],
                    env={{"PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}}).returncode == 0
print("BUILT", root, ok)
"""


def test_two_processes_build_at_once():
    code = BUILD_TWICE.format(grading=str(ROOT / "grading"), lib=str(LIB), folder=str(ROOT / "source" / "05_backprop"))
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [r.communicate(timeout=120) for r in runs]
    roots = []
    for (out, err), run in zip(outputs, runs):
        assert run.returncode == 0, err
        _, root, ok = out.split()[-3:]
        assert ok == "True", out
        roots.append(root)
    assert roots[0] != roots[1], "two processes shared one student library folder"


# --- arguments: copies unless declared in mutates (proxy._Arguments, across a real channel) ----------

def _serve_once(functions):
    """A channel pair: the grader's end, and a thread answering one call on the other end."""
    import threading

    from coursegrade import wire
    from coursegrade.channel import Channel

    to_student_r, to_student_w = os.pipe()
    to_grader_r, to_grader_w = os.pipe()
    student = Channel(to_student_r, to_grader_w, functions=functions.__getitem__)

    def serve():
        header, buffers = wire.read_message(student.reader)
        student.serve(header, buffers)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return Channel(to_grader_r, to_student_w), thread


def test_only_declared_arguments_are_changed_for_the_caller():
    import numpy as np

    from coursegrade.proxy import _Arguments

    def scribble(params, X, rng):
        X[...] = 7.0                     # not declared: the caller's X stays as it was
        params["W"] += 1.0               # declared: the caller sees it
        params["new"] = np.zeros(1)
        rng.random()                     # not declared: the caller's generator does not advance
        return X                         # the function's own (changed) X comes back as its answer

    params, X, rng = {"W": np.ones(2)}, np.arange(3.0), np.random.default_rng(0)
    state = rng.bit_generator.state
    keep = _Arguments(["params", "X", "rng"], ["params"], keeps_inputs=True)
    handed = keep.copies((params, X), {"rng": rng})
    args, kwargs = handed
    assert args[0] is params and args[1] is not X and kwargs["rng"] is not rng
    grader, thread = _serve_once({"scribble": scribble})
    result = grader.request({"op": "call", "name": "scribble"}, args, kwargs)
    thread.join(10)
    assert np.array_equal(result, [7.0, 7.0, 7.0]), result
    assert np.array_equal(X, [0.0, 1.0, 2.0]), "an undeclared argument was changed for the caller"
    assert rng.bit_generator.state == state, "an undeclared generator advanced for the caller"
    assert np.array_equal(params["W"], [2.0, 2.0]) and "new" in params, "the declared params did not change"
    # ... and the call fails, naming what it changed (the notebooks ask to leave inputs alone).
    with pytest.raises(ValueError, match="scribble changed its argument X in place"):
        keep.check("scribble", ((params, X), {"rng": rng}), handed)
    # Without keeps_inputs (an exercise whose notebook lets it work in place, 04's
    # momentum_step) the change to the copy is not held against it.
    lenient = _Arguments(["params", "X", "rng"], ["params"])
    lenient.check("scribble", ((params, X), {"rng": rng}), handed)     # raises nothing


def test_exercises_whose_notebook_checks_their_inputs_declare_keeps_inputs():
    """The copies hide a change in place from the notebook's own check, so the contract must
    say keeps_inputs wherever a test cell fails a function for changing what it was given."""
    import re

    from coursegrade import contract

    for assignment in ASSIGNMENTS:
        declared = contract.load(ROOT / "source" / assignment)
        source = (ROOT / "source" / assignment / f"{assignment}.py").read_text()
        for name, exercise in declared.exercises.items():
            checked = re.search(rf"{name}\b[^\n]{{0,80}}changed\b|CheckFailed\(f?\"{{?{name}\b[^\n]*changed",
                                source)
            assert exercise.keeps_inputs or not checked, (
                f"{assignment}: a test cell fails {name} for changing its inputs "
                f"({checked.group(0)[:80]!r}), but its contract lacks keeps_inputs = true")


def test_a_function_that_leaves_its_inputs_alone_passes_the_check():
    import numpy as np

    from coursegrade.proxy import _Arguments

    def tidy(params, X, rng):
        return X * 2, {k: v + 1 for k, v in params.items()}, dict(rng=None)

    params, X = {"W": np.ones(2)}, np.arange(3.0)
    keep = _Arguments(["params", "X", "rng"], [])
    handed = keep.copies((params, X, [X, (1, "a")]), {})
    grader, thread = _serve_once({"tidy": tidy})
    grader.request({"op": "call", "name": "tidy"}, *handed)
    thread.join(10)
    keep.check("tidy", ((params, X, [X, (1, "a")]), {}), handed)     # raises nothing


def test_argument_copies_keep_aliasing():
    import numpy as np

    from coursegrade.proxy import _Arguments

    X = np.zeros(2)
    args, kwargs = _Arguments(["a", "b"], []).copies((X, [X]), {"c": {"d": X}})
    assert args[0] is args[1][0] is kwargs["c"]["d"] and args[0] is not X
