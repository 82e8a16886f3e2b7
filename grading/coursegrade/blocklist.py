"""The student's copy of ``nnlearn``: the reference answers of the graded assignment
switched off.

``nnlearn`` is the course's reference implementation, so it holds the answer to
most exercises. While an assignment is graded, the sandbox imports a copy of the
library in which each function or class listed below for that assignment has its
body replaced by ``raise ReferenceUnavailable(...)``. The original code is not in
the copy at all, so it can be neither called, reloaded nor read. The library's
other tools (the ones a notebook hands the student, such as ``sigmoid`` in 01 or
``load_image`` in 06) keep working.

A blocked name is ``module:qualname``; a class blocks all its methods. Anything in
the library that uses a blocked function fails too, which closes the detours (a
``layers.Sigmoid`` layer for a ``sigmoid`` exercise, say).
"""

import ast
import hashlib
import shutil
from pathlib import Path

BLOCKED = {
    "01_function_approximation": [
        "activations:step",                       # step_neuron
        "layers:dense_forward", "layers:Dense",   # forward
    ],
    "02_neurons_and_activations": [
        "activations:_exp_nonpositive", "activations:sigmoid", "activations:_sigmoid",
        "activations:sigmoid_derivative", "activations:tanh_derivative",
        "activations:relu", "activations:relu_derivative",
        "activations:leaky_relu", "activations:leaky_relu_derivative",
        "activations:softmax", "activations:_softmax",
        "activations:log_softmax", "activations:_log_softmax",
        "layers:dense_forward", "layers:Dense", "layers:Sigmoid", "layers:Tanh",
        "layers:ReLU", "layers:LeakyReLU", "layers:Softmax",
        "initializers:*",
    ],
    "03_loss": [
        "losses:*",
        "activations:log_softmax", "activations:_log_softmax",
        "preprocessing:one_hot", "preprocessing:train_test_split",
        "metrics:accuracy",
    ],
    "04_gradient_descent": [
        "gradcheck:numerical_derivative", "gradcheck:numerical_gradient",
        "optimizers:*",
        "network:Network",
    ],
    "05_backprop": [
        "layers:dense_backward", "layers:Dense", "layers:Sigmoid", "layers:Tanh",
        "layers:ReLU", "layers:LeakyReLU", "layers:Softmax",
        "activations:softmax_backward",
        "losses:softmax_cross_entropy_loss", "losses:_softmax_cross_entropy",
        "losses:categorical_cross_entropy_with_logits_gradient",
        "network:Network", "network:mlp",
        "optimizers:*",
    ],
    "06_cat_vs_dog": [
        "preprocessing:Standardizer",
        "network:Network", "network:mlp",
        "metrics:confusion_matrix",
        "optimizers:*",
    ],
}

GRADING_MODULE = '''"""Present only in the grader's sandbox: see coursegrade.blocklist."""

blocked_calls = []


class ReferenceUnavailable(RuntimeError):
    """A reference answer of the assignment being graded was called."""


def refuse(name, assignment):
    blocked_calls.append(name)
    raise ReferenceUnavailable(
        f"nnlearn.{name} is switched off while {assignment} is graded: it is the course's "
        "reference answer to one of its exercises, so an exercise that calls it earns no "
        "points. Write the computation yourself.")
'''


class _Blocker(ast.NodeTransformer):
    """Replace the bodies of the blocked functions and of all methods of blocked classes."""

    def __init__(self, module, names, assignment):
        self.module, self.names, self.assignment = module, names, assignment
        self.prefix = []
        self.blocked_class = 0
        self.found = set()

    def _refusal(self, qualname):
        return ast.parse(f"from nnlearn._grading import refuse as _refuse\n"
                         f"_refuse({self.module + '.' + qualname!r}, {self.assignment!r})").body

    def _wanted(self, name):
        return "*" in self.names or name in self.names

    def visit_ClassDef(self, node):
        blocked = not self.prefix and self._wanted(node.name)
        if blocked:
            self.found.add(node.name)
        self.prefix.append(node.name)
        self.blocked_class += blocked
        self.generic_visit(node)
        self.blocked_class -= blocked
        self.prefix.pop()
        return node

    def visit_FunctionDef(self, node):
        qualname = ".".join(self.prefix + [node.name])
        if self.blocked_class or (not self.prefix and self._wanted(node.name)):
            if not self.prefix:
                self.found.add(node.name)
            docstring = ast.get_docstring(node, clean=False)
            node.body = ([ast.Expr(ast.Constant(docstring))] if docstring else []) + self._refusal(qualname)
            return node
        self.prefix.append(node.name)
        self.generic_visit(node)
        self.prefix.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def blocked_names(assignment):
    """{module: set of names} blocked while ``assignment`` is graded."""
    by_module = {}
    for entry in BLOCKED.get(assignment, []):
        module, name = entry.split(":")
        by_module.setdefault(module, set()).add(name)
    return by_module


def build_student_library(lib_package, assignment, cache_dir):
    """Write the student's copy of the ``nnlearn`` package; returns the folder to put on sys.path.

    ``lib_package`` is the real package folder (``lib/nnlearn``). Copies are cached in
    ``cache_dir`` by assignment and library contents.
    """
    lib_package = Path(lib_package)
    sources = sorted(p for p in lib_package.glob("*.py"))
    if not any(p.name == "__init__.py" for p in sources):
        raise FileNotFoundError(f"{lib_package} is not the nnlearn package (no __init__.py)")
    digest = hashlib.sha256(assignment.encode())
    for path in sources:
        digest.update(path.name.encode() + path.read_bytes())
    root = Path(cache_dir) / f"nnlearn-{assignment}-{digest.hexdigest()[:16]}"
    if (root / "nnlearn" / "_grading.py").exists():
        return root
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "nnlearn").mkdir(parents=True)
    wanted = blocked_names(assignment)
    for path in sources:
        module = path.stem
        text = path.read_text()
        if module in wanted:
            tree = ast.parse(text)
            blocker = _Blocker(module, wanted[module], assignment)
            tree = ast.fix_missing_locations(blocker.visit(tree))
            missing = wanted[module] - blocker.found - {"*"}
            if missing:
                raise ValueError(f"blocklist for {assignment} names {sorted(missing)} in "
                                 f"nnlearn.{module}, which has no such function or class")
            text = ast.unparse(tree) + "\n"
        (tmp / "nnlearn" / path.name).write_text(text)
    (tmp / "nnlearn" / "_grading.py").write_text(GRADING_MODULE)
    try:
        tmp.rename(root)
    except OSError:  # another grader process built the same copy meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return root
